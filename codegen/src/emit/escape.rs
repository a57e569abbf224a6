//! Spec prose made literal for each output, side by side: C comments read by Doxygen
//! ([`c_doc`]), Markdown ([`markdown`], [`markdown_linked`]) and rustdoc
//! ([`rust_doc`]). Doc text is plain text in the spec: whatever it holds reads as
//! written in every output (`tests/hostile_docs.rs`).
//!
//! The escapers differ where the languages do; the two rules that Doxygen's Markdown
//! and CommonMark share (`_` emphasis, a leading ordered-list number) are one
//! function each here.

/// Makes spec prose safe inside a `/* */` comment read by Doxygen (with its default
/// Markdown support): nothing can end the comment, nest one, form a trigraph, or start
/// a Doxygen command, an HTML tag or entity, Markdown markup or a list, and Doxygen
/// shows the text as written.
pub fn c_doc(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let list_number_end = ordered_list_marker(text);
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let next = chars.get(i + 1).copied();
        match c {
            // Digits are ASCII, so a list marker's char index is its byte index.
            c if C_DOC_SPECIAL.contains(&c) || starts_block(c, i, list_number_end) => {
                out.push('\\');
                out.push(c);
            }
            // An empty HTML comment keeps `*/` from closing the C comment; Doxygen drops it.
            '*' if next == Some('/') => out.push_str("\\*<!---->"),
            // `/*` needs nothing more: the star is escaped, so no `/*` reaches C.
            '*' => out.push_str("\\*"),
            '_' if emphasis_underscore(prev, next) => out.push_str("\\_"),
            // `\~` is a Doxygen command, and `~~~` opens a code block.
            '~' => out.push_str("&tilde;"),
            // `--` is an en dash to Doxygen, and a leading `-` a list item.
            '-' if i == 0 || prev == Some('-') || next == Some('-') => out.push_str("\\-"),
            // `??/` and friends are trigraphs in older C dialects.
            '?' if next == Some('?') => out.push_str("?<!---->"),
            c => push_plain(&mut out, c),
        }
    }
    out
}

/// Spec prose in a Rust doc comment. rustdoc reads CommonMark, as the Markdown
/// reference does, so the text is escaped exactly as for [`markdown`].
pub fn rust_doc(text: &str) -> String {
    markdown(text)
}

/// Makes text literal in CommonMark and GitHub-flavoured Markdown (rustdoc reads the
/// same): no emphasis, code, links, HTML, entities, math, strikethrough, headings,
/// lists or table cell breaks. The text is one paragraph (the model has no newlines).
pub fn markdown(text: &str) -> String {
    if is_plain_markdown(text) {
        return text.to_owned();
    }
    markdown_linked(text, &|_| None)
}

/// Given a whole word of prose, the Markdown that replaces it (a link), if any.
pub type Linker<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// [`markdown`], with `link` given the chance to replace each whole word
/// (letters, digits and `_`) with Markdown of its own.
pub fn markdown_linked(text: &str, link: &Linker<'_>) -> String {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let list_number_end = ordered_list_marker(text);
    let mut out = String::with_capacity(text.len() + 8);
    // `i` is a byte offset; `prev` the character before it in `text`.
    let mut prev: Option<char> = None;
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        if word(Some(c)) && !word(prev) {
            let end = text[i..]
                .find(|c: char| !word(Some(c)))
                .map_or(text.len(), |n| i + n);
            if let Some(replacement) = link(&text[i..end]) {
                out.push_str(&replacement);
                prev = text[..end].chars().next_back();
                i = end;
                continue;
            }
        }
        // A bare URL becomes an autolink: the text is the same, and rustdoc's
        // `bare_urls` lint (an error under `-D warnings`) is satisfied.
        if !word(prev)
            && let Some(end) = url_end(text, i)
        {
            out.push('<');
            out.push_str(&text[i..end]);
            out.push('>');
            prev = text[..end].chars().next_back();
            i = end;
            continue;
        }
        let next = text[i + c.len_utf8()..].chars().next();
        match c {
            c if MARKDOWN_SPECIAL.contains(&c) || starts_block(c, i, list_number_end) => {
                out.push('\\');
                out.push(c);
            }
            '_' if emphasis_underscore(prev, next) => out.push_str("\\_"),
            c => push_plain(&mut out, c),
        }
        prev = Some(c);
        i += c.len_utf8();
    }
    out
}

/// Whether [`markdown`] would return `text` unchanged, decided cheaply and on the
/// safe side (any non-ASCII byte or `http` sends the text through
/// [`markdown_linked`]): most doc text is plain words and `snake_case` names.
fn is_plain_markdown(text: &str) -> bool {
    let bytes = text.as_bytes();
    let ascii_alnum = |i: Option<usize>| {
        i.and_then(|i| bytes.get(i))
            .is_some_and(u8::is_ascii_alphanumeric)
    };
    !matches!(bytes.first(), Some(b'0'..=b'9' | b'-' | b'+' | b'='))
        && !text.contains("http")
        && bytes.iter().enumerate().all(|(i, &b)| match b {
            b'_' => ascii_alnum(i.checked_sub(1)) && ascii_alnum(Some(i + 1)),
            b'\\' | b'`' | b'*' | b'[' | b']' | b'<' | b'>' | b'#' | b'|' | b'&' | b'~' | b'$' => {
                false
            }
            b' '..=b'~' => true,
            _ => false,
        })
}

/// Characters that are markup wherever they stand, escaped with a backslash:
/// Doxygen commands, HTML, Markdown code, links and tables.
const C_DOC_SPECIAL: &[char] = &[
    '\\', '@', '<', '>', '&', '#', '%', '$', '"', '`', '[', ']', '|',
];
/// The same for CommonMark: emphasis, code, links, HTML, entities, headings, tables,
/// strikethrough and math.
const MARKDOWN_SPECIAL: &[char] = &['\\', '`', '*', '[', ']', '<', '>', '#', '|', '&', '~', '$'];

/// Whether `c` at char index `i` would begin a block in Doxygen's Markdown and
/// CommonMark alike: at the start of a paragraph, `-`, `+` or `=` begin a list, a
/// heading underline or a rule, and `1.` or `2)` (ending at `list_number_end`) an
/// ordered list.
fn starts_block(c: char, i: usize, list_number_end: Option<usize>) -> bool {
    (matches!(c, '-' | '+' | '=') && i == 0)
        || (matches!(c, '.' | ')') && Some(i) == list_number_end)
}

/// A character that needs no escape, except that control characters (which the
/// resolver refuses) never get through.
fn push_plain(out: &mut String, c: char) {
    out.push(if c.is_control() { ' ' } else { c });
}

/// Whether a `_` between `prev` and `next` could emphasise, in Doxygen's Markdown
/// and CommonMark alike: only at a word boundary, so inside `bpf_sock_addr_t` it is
/// plain.
fn emphasis_underscore(prev: Option<char>, next: Option<char>) -> bool {
    let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    !(alnum(prev) && alnum(next))
}

/// The byte offset of the `.` or `)` after a paragraph's leading digits (`1.`,
/// `2)`), which would begin an ordered list.
fn ordered_list_marker(text: &str) -> Option<usize> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0 && matches!(text.as_bytes().get(digits), Some(b'.' | b')'))).then_some(digits)
}

/// Where a URL starting at byte `start` of `text` ends, if one starts there:
/// `http://` or `https://` and the characters an autolink can hold, without
/// trailing punctuation.
fn url_end(text: &str, start: usize) -> Option<usize> {
    let rest = &text[start..];
    let scheme = ["https://", "http://"]
        .into_iter()
        .find(|s| rest.starts_with(s))?
        .len();
    let mut end = start
        + rest
            .find(|c: char| {
                c.is_whitespace()
                    || c.is_control()
                    || matches!(c, '<' | '>' | '"' | '\'' | '`' | '|' | '\\' | '[' | ']')
            })
            .unwrap_or(rest.len());
    // Trailing punctuation is ASCII, so stepping back one byte stays on a boundary.
    while end > start
        && matches!(
            text.as_bytes()[end - 1],
            b'.' | b',' | b':' | b';' | b'!' | b'?' | b')'
        )
    {
        end -= 1;
    }
    (end > start + scheme).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_doc_neutralises_comment_command_and_markup_sequences() {
        let cases = [
            ("plain words, 32-bit.", "plain words, 32-bit."),
            ("bpf_sock_addr_t", "bpf_sock_addr_t"),
            ("ends */ here", "ends \\*<!---->/ here"),
            ("nests /* here", "nests /\\* here"),
            ("trigraph ??/", "trigraph ?<!---->?/"),
            ("@brief \\ref", "\\@brief \\\\ref"),
            ("<b> &amp; \"q\"", "\\<b\\> \\&amp; \\\"q\\\""),
            ("`code` *em* _u_", "\\`code\\` \\*em\\* \\_u\\_"),
            ("[l](x) a|b #h %p $m", "\\[l\\](x) a\\|b \\#h \\%p \\$m"),
            ("~~~ a -- b", "&tilde;&tilde;&tilde; a \\-\\- b"),
            ("- item", "\\- item"),
            ("+ item", "\\+ item"),
            ("1. first", "1\\. first"),
            ("2) second", "2\\) second"),
            ("ünï ☃", "ünï ☃"),
        ];
        for (input, expected) in cases {
            assert_eq!(c_doc(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn c_doc_never_closes_or_opens_a_c_comment() {
        let nasty = "*/ /* **/ //* */*/ ??/ ?? ???/";
        let escaped = c_doc(nasty);
        for sequence in ["*/", "/*", "??"] {
            assert!(!escaped.contains(sequence), "{sequence:?} in {escaped:?}");
        }
    }

    #[test]
    fn the_plain_markdown_shortcut_agrees_with_the_full_escape() {
        let pieces = [
            "a",
            "Z",
            "7",
            "_",
            " ",
            "-",
            "+",
            "=",
            ".",
            ")",
            "*",
            "`",
            "\\",
            "<",
            "&",
            "~",
            "#",
            "|",
            "[",
            "é",
            "日",
            "http://x.y",
            "https://",
            "\u{85}",
        ];
        let mut texts = vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
                .collect();
            texts.extend(longer);
        }
        for text in &texts {
            assert_eq!(markdown(text), markdown_linked(text, &|_| None), "{text:?}");
        }
    }

    #[test]
    fn markdown_escapes_markup_and_keeps_plain_text() {
        let cases = [
            ("plain words, 32-bit.", "plain words, 32-bit."),
            ("bpf_sock_addr_t", "bpf_sock_addr_t"),
            ("_emph_ and *bold*", "\\_emph\\_ and \\*bold\\*"),
            ("a | b", "a \\| b"),
            ("`code` <b> &amp;", "\\`code\\` \\<b\\> \\&amp;"),
            (
                "[link](x) ~~gone~~ $x$",
                "\\[link\\](x) \\~\\~gone\\~\\~ \\$x\\$",
            ),
            ("- item", "\\- item"),
            ("# heading", "\\# heading"),
            ("1. first", "1\\. first"),
            ("a - b 1. c", "a - b 1. c"),
            ("back\\slash", "back\\\\slash"),
            ("ünï */ \"q\" @x", "ünï \\*/ \"q\" @x"),
            ("see https://x.y/a_b.", "see <https://x.y/a_b>."),
            ("(http://x.y) and xhttp://z", "(<http://x.y>) and xhttp://z"),
            ("https:// alone", "https:// alone"),
        ];
        for (input, expected) in cases {
            assert_eq!(markdown(input), expected, "input {input:?}");
            assert_eq!(rust_doc(input), expected, "input {input:?}");
        }
    }
}
