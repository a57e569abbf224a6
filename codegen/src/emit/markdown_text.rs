//! Markdown text that reads as written: spec prose escaped for CommonMark (which
//! rustdoc reads too), item names linked, code cells and tables.

use super::markdown::Anchors;

/// Spec prose as Markdown: escaped with [`escape`], and every whole word that names
/// an item of the spec turned into a link to it.
pub fn prose(text: &str, anchors: &Anchors) -> String {
    escape_with(
        text,
        Some(&|word| {
            anchors
                .target(word)
                .map(|anchor| format!("[`{word}`](#{anchor})"))
        }),
    )
}

/// Makes text literal in CommonMark and GitHub-flavoured Markdown (rustdoc reads the
/// same): no emphasis, code, links, HTML, entities, math, strikethrough, headings,
/// lists or table cell breaks. The text is one paragraph (the model has no newlines).
pub fn escape(text: &str) -> String {
    if is_plain(text) {
        return text.to_owned();
    }
    escape_with(text, None)
}

/// Whether [`escape`] would return `text` unchanged, decided cheaply and on the
/// safe side (any non-ASCII byte or `http` sends the text through [`escape_with`]):
/// most doc text is plain words and `snake_case` names.
fn is_plain(text: &str) -> bool {
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

/// Given a whole word of prose, the Markdown that replaces it (a link), if any.
type Linker<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// [`escape`], with `link` given the chance to replace each whole word
/// (letters, digits and `_`) with Markdown of its own.
pub(super) fn escape_with(text: &str, link: Option<&Linker<'_>>) -> String {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    // `1.` or `2)` at the start of a paragraph would begin an ordered list.
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let list_number_end =
        (digits > 0 && matches!(text.as_bytes().get(digits), Some(b'.' | b')'))).then_some(digits);
    let mut out = String::with_capacity(text.len() + 8);
    // `i` is a byte offset; `prev` the character before it in `text`.
    let mut prev: Option<char> = None;
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        if let Some(link) = link
            && word(Some(c))
            && !word(prev)
        {
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
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '#' | '|' | '&' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            // `_` only emphasises at a word boundary; inside `bpf_sock_addr_t` it is plain.
            '_' if !(alnum(prev) && alnum(next)) => out.push_str("\\_"),
            // A paragraph starting with these is a list, a heading underline or a rule.
            '-' | '+' | '=' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')' if Some(i) == list_number_end => {
                out.push('\\');
                out.push(c);
            }
            // The resolver refuses control characters; never let one through.
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
        prev = Some(c);
        i += c.len_utf8();
    }
    out
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

/// `text` as a code span inside a table cell: a fence longer than any run of
/// backticks in it, and `|` escaped (GitHub splits cells before reading code spans).
pub(super) fn code_cell(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{}{pad}{fence}", text.replace('|', "\\|"))
}

/// A table: header row, then one row per entry.
pub(super) fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = format!("| {} |\n", header.join(" | "));
    out.push_str(&format!(
        "|{}\n",
        header.iter().map(|_| " --- |").collect::<String>()
    ));
    for row in rows {
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plain_text_shortcut_agrees_with_the_full_escape() {
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
            assert_eq!(escape(text), escape_with(text, None), "{text:?}");
        }
    }

    #[test]
    fn escapes_markup_and_keeps_plain_text() {
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
            assert_eq!(escape(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn code_cells_survive_backticks_and_pipes() {
        let cases = [
            ("name", "`name`"),
            ("a|b", "`a\\|b`"),
            ("x`y", "``x`y``"),
            ("`x", "`` `x ``"),
        ];
        for (input, expected) in cases {
            assert_eq!(code_cell(input), expected, "input {input:?}");
        }
    }
}
