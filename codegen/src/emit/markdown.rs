//! `docs/ebpf_nethooks.md`: an API reference in GitHub-flavoured Markdown, readable on
//! a code host without running Doxygen. Every item has a heading (so the table of
//! contents and cross references are plain `#anchor` links), structs list each
//! member's offset and size from the layout engine, and names of items in the prose
//! link to them.

use std::collections::{BTreeMap, HashMap};

use crate::model::{
    Doc, EnumUse, Enumeration, Enumerator, Helper, Hook, Member, MemberKind, Model, Structure,
    Type, ValueExpr,
};

/// The section headings, in document order.
const SECTIONS: [&str; 5] = ["Constants", "Enums", "Structs", "Hooks", "Helpers"];

/// Where the reference goes below the output directory: named after the header.
pub fn path(model: &Model) -> std::path::PathBuf {
    let file = &model.header.file;
    let stem = file
        .rsplit_once('.')
        .map_or(file.as_str(), |(stem, _)| stem);
    std::path::Path::new("docs").join(format!("{stem}.md"))
}

pub fn emit(model: &Model) -> String {
    let anchors = Anchors::new(model);
    let mut out = String::new();
    out.push_str(&format!("<!-- {} -->\n\n", super::banner(model)));
    out.push_str(&format!("# `{}` API reference\n\n", model.header.file));
    out.push_str(&paragraphs(&model.header.doc, &anchors));
    out.push_str("## Contents\n\n");
    for (section, names) in SECTIONS.iter().zip(items_by_section(model)) {
        if names.is_empty() {
            continue;
        }
        out.push_str(&format!("- [{section}](#{})\n", anchors.section(section)));
        for name in names {
            out.push_str(&format!("  - {}\n", anchors.link(name)));
        }
    }
    out.push('\n');
    if !model.constants.is_empty() {
        out.push_str("## Constants\n\n");
        for c in &model.constants {
            out.push_str(&format!("### `{}`\n\n", c.name));
            out.push_str(&format!("```c\n#define {} {}\n```\n\n", c.name, c.spelling));
            out.push_str(&format!("Value: {}.\n\n", c.value));
            out.push_str(&paragraphs(&c.doc, &anchors));
        }
    }
    if !model.enums.is_empty() {
        out.push_str("## Enums\n\n");
        let uses = enum_uses(model, &anchors);
        for e in &model.enums {
            out.push_str(&enumeration(e, &anchors, &uses));
        }
    }
    if !model.structs.is_empty() {
        out.push_str("## Structs\n\n");
        for s in &model.structs {
            out.push_str(&structure(model, s, &anchors));
        }
    }
    if !model.hooks.is_empty() {
        out.push_str("## Hooks\n\n");
        for h in &model.hooks {
            out.push_str(&hook(model, h, &anchors));
        }
    }
    if !model.helpers.is_empty() {
        out.push_str("## Helpers\n\n");
        for h in &model.helpers {
            out.push_str(&helper(model, h, &anchors));
        }
    }
    // One trailing newline, however the last section ended.
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

/// Item names of each of [`SECTIONS`], in spec order.
fn items_by_section(model: &Model) -> [Vec<&str>; 5] {
    [
        model.constants.iter().map(|c| c.name.as_str()).collect(),
        model.enums.iter().map(|e| e.name.as_str()).collect(),
        model.structs.iter().map(|s| s.name.as_str()).collect(),
        model.hooks.iter().map(|h| h.name.as_str()).collect(),
        model.helpers.iter().map(|h| h.name.as_str()).collect(),
    ]
}

/// The anchor of every heading, computed as GitHub does (lower case, punctuation
/// other than `-` and `_` dropped, spaces to `-`, `-1`, `-2` ... for repeats), and
/// what each item name, enumerators included, links to.
pub struct Anchors {
    sections: HashMap<String, String>,
    targets: BTreeMap<String, String>,
}

impl Anchors {
    pub fn new(model: &Model) -> Anchors {
        let mut used: HashMap<String, usize> = HashMap::new();
        let mut slug = |text: &str| {
            let base: String = text
                .to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
                .map(|c| if c == ' ' { '-' } else { c })
                .collect();
            let count = used.entry(base.clone()).or_insert(0);
            let anchor = match *count {
                0 => base.clone(),
                n => format!("{base}-{n}"),
            };
            *count += 1;
            anchor
        };
        // Headings in the order `emit` writes them.
        slug(&format!("{} API reference", model.header.file));
        slug("Contents");
        let mut sections = HashMap::new();
        let mut targets = BTreeMap::new();
        for (section, names) in SECTIONS.iter().zip(items_by_section(model)) {
            if names.is_empty() {
                continue;
            }
            sections.insert((*section).to_owned(), slug(section));
            for name in names {
                targets.insert(name.to_owned(), slug(name));
            }
        }
        // An enumerator links to its enum's heading.
        for e in &model.enums {
            if let Some(anchor) = targets.get(&e.name).cloned() {
                for v in &e.enumerators {
                    targets
                        .entry(v.name.clone())
                        .or_insert_with(|| anchor.clone());
                }
            }
        }
        Anchors { sections, targets }
    }

    fn section(&self, name: &str) -> &str {
        self.sections.get(name).map_or("", String::as_str)
    }

    /// The anchor that `name` (an item or enumerator) links to.
    pub fn target(&self, name: &str) -> Option<&str> {
        self.targets.get(name).map(String::as_str)
    }

    /// `name` as code, linked when it is an item of the spec.
    fn link(&self, name: &str) -> String {
        match self.target(name) {
            Some(anchor) => format!("[`{name}`](#{anchor})"),
            None => format!("`{name}`"),
        }
    }

    /// A type, linked to the spec item it names (through any pointers).
    fn ty(&self, ty: &Type) -> String {
        self.array_ty(ty, None)
    }

    /// A member type with its array length (`uint32_t[4]`), as one code span.
    fn array_ty(&self, ty: &Type, array: Option<u64>) -> String {
        let mut base = ty;
        while let Type::Pointer(inner) = base {
            base = inner;
        }
        let suffix = array.map(|n| format!("[{n}]")).unwrap_or_default();
        let spelling = format!("{}{suffix}", ty.c_spelling());
        match base {
            Type::Enum(name) | Type::Struct(name) => match self.target(name) {
                Some(anchor) => format!("[`{spelling}`](#{anchor})"),
                None => format!("`{spelling}`"),
            },
            _ => format!("`{spelling}`"),
        }
    }
}

/// Each paragraph of a doc as escaped prose, with a blank line after each.
fn paragraphs(doc: &Doc, anchors: &Anchors) -> String {
    doc.paragraphs()
        .map(|p| format!("{}\n\n", prose(p, anchors)))
        .collect()
}

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
fn escape_with(text: &str, link: Option<&Linker<'_>>) -> String {
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
fn code_cell(text: &str) -> String {
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
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
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

fn enumeration(e: &Enumeration, anchors: &Anchors, uses: &HashMap<String, Vec<String>>) -> String {
    let mut out = format!("### `{}`\n\n", e.name);
    let declared = match &e.tag {
        Some(tag) => format!("`typedef enum {tag} {{ ... }} {}`", e.name),
        None => format!("`typedef enum {{ ... }} {}`", e.name),
    };
    out.push_str(&format!("Declared as {declared}.\n\n"));
    out.push_str(&paragraphs(&e.doc, anchors));
    let uses = uses.get(&e.name).cloned().unwrap_or_default();
    if !uses.is_empty() {
        out.push_str(&format!("Used by: {}.\n\n", uses.join(", ")));
    }
    let rows: Vec<Vec<String>> = e
        .enumerators
        .iter()
        .map(|v| {
            let mut text = prose(&v.doc.brief, anchors);
            for detail in &v.doc.details {
                text.push_str("<br>");
                text.push_str(&prose(detail, anchors));
            }
            if let Some(note) = &v.deprecated {
                text = format!("**Deprecated:** {} {text}", prose(note, anchors));
            }
            vec![code_cell(&v.name), enumerator_value(v), text]
        })
        .collect();
    out.push_str(&table(&["Enumerator", "Value", "Meaning"], &rows));
    out
}

/// Where an enum type is used: hooks that return it, members and parameters of it.
/// Where each enum is used, by enum name, listed as its section shows them: helper
/// IDs, then verdicts, struct members and helper parameters, each in spec order.
/// One pass over the model, so the reference stays linear in the spec's size.
fn enum_uses(model: &Model, anchors: &Anchors) -> HashMap<String, Vec<String>> {
    // One list per kind of use, concatenated at the end to keep the order above.
    let mut kinds: [HashMap<String, Vec<String>>; 4] = Default::default();
    let mut add = |kind: usize, ty: &Type, text: String| {
        if let Type::Enum(name) = ty {
            kinds[kind].entry(name.clone()).or_default().push(text);
        }
    };
    for h in &model.helpers {
        if let Some((e, _)) = model.find_enumerator(&h.id)
            && e.usage == EnumUse::Constants
        {
            let text = format!("{} (helper ID)", anchors.link(&h.name));
            add(0, &Type::Enum(e.name.clone()), text);
        }
    }
    for h in &model.hooks {
        add(
            1,
            &h.returns,
            format!("{} (verdict)", anchors.link(&h.name)),
        );
    }
    for s in &model.structs {
        for (_, m) in s.leaf_fields() {
            if let MemberKind::Field { name, ty, .. } = &m.kind {
                add(2, ty, format!("{}`.{name}`", anchors.link(&s.name)));
            }
        }
    }
    for h in &model.helpers {
        for p in &h.params {
            let text = format!("{} parameter `{}`", anchors.link(&h.name), p.name);
            add(3, &p.ty, text);
        }
    }
    let mut uses: HashMap<String, Vec<String>> = HashMap::new();
    for kind in kinds {
        for (name, mut list) in kind {
            uses.entry(name).or_default().append(&mut list);
        }
    }
    uses
}

fn enumerator_value(v: &Enumerator) -> String {
    match &v.expr {
        ValueExpr::Implicit => v.value.to_string(),
        ValueExpr::Literal(text) if *text == v.value.to_string() => text.clone(),
        ValueExpr::Literal(text) => format!("{} ({text})", v.value),
        ValueExpr::Offset { constant, offset } => {
            let sign = if *offset < 0 { '-' } else { '+' };
            format!(
                "{} (`{constant} {sign} {}`)",
                v.value,
                offset.unsigned_abs()
            )
        }
        ValueExpr::Alias(target) => format!("{} (same as `{target}`)", v.value),
    }
}

fn structure(model: &Model, s: &Structure, anchors: &Anchors) -> String {
    let mut out = format!("### `{}`\n\n", s.name);
    let declared = match &s.tag {
        Some(tag) => format!("`typedef struct {tag} {{ ... }} {}`", s.name),
        None => format!("`typedef struct {{ ... }} {}`", s.name),
    };
    out.push_str(&format!(
        "Declared as {declared}. Size {} bytes, alignment {}.\n\n",
        s.layout.size, s.layout.align
    ));
    out.push_str(&paragraphs(&s.doc, anchors));
    let hooks: Vec<String> = model
        .hooks
        .iter()
        .filter(|h| h.context == s.name)
        .map(|h| anchors.link(&h.name))
        .collect();
    if !hooks.is_empty() {
        out.push_str(&format!(
            "The context that programs of {} receive.\n\n",
            hooks.join(", ")
        ));
    }
    let mut rows = Vec::new();
    member_rows(&s.members, 0, anchors, &mut rows);
    out.push_str(&table(
        &["Offset", "Size", "Member", "Type", "Description"],
        &rows,
    ));
    out
}

/// One row per member, anonymous ones included; nesting is shown with `↳`.
fn member_rows(members: &[Member], depth: usize, anchors: &Anchors, rows: &mut Vec<Vec<String>>) {
    let nest = "↳ ".repeat(depth);
    for m in members {
        let description = prose(&m.doc.brief, anchors);
        let (name, ty) = match &m.kind {
            MemberKind::Field {
                name, ty, array, ..
            } => (code_cell(name), anchors.array_ty(ty, *array)),
            MemberKind::Anonymous { aggregate, .. } => (
                format!("*(anonymous {})*", aggregate.c_keyword()),
                String::new(),
            ),
        };
        rows.push(vec![
            m.placement.offset.to_string(),
            m.placement.size.to_string(),
            format!("{nest}{name}"),
            ty,
            description,
        ]);
        if let MemberKind::Anonymous { members, .. } = &m.kind {
            member_rows(members, depth + 1, anchors, rows);
        }
    }
}

fn hook(model: &Model, h: &Hook, anchors: &Anchors) -> String {
    let mut out = format!("### `{}`\n\n", h.name);
    out.push_str(&format!(
        "```c\ntypedef {} {}({}* {});\n```\n\n",
        h.returns.c_spelling(),
        h.name,
        h.context,
        h.param.name
    ));
    out.push_str(&paragraphs(&h.doc, anchors));
    out.push_str(&format!("- Program type: `{}`\n", h.program_type));
    out.push_str(&format!(
        "- Parameter `{}`: {}, {}\n",
        h.param.name,
        anchors.ty(&Type::Pointer(Box::new(Type::Struct(h.context.clone())))),
        prose(&h.param.doc.brief, anchors)
    ));
    out.push_str(&format!("- Returns: {}\n\n", anchors.ty(&h.returns)));
    let attach: Vec<Vec<String>> = h
        .attach_types
        .iter()
        .map(|a| {
            let helpers: Vec<String> = model
                .helpers_at(&h.name, &a.name)
                .map(|helper| anchors.link(&helper.name))
                .collect();
            vec![
                code_cell(&a.attach_type),
                code_cell(&a.section),
                code_cell(&a.name),
                prose(&a.doc.brief, anchors),
                if helpers.is_empty() {
                    "none".to_owned()
                } else {
                    helpers.join(", ")
                },
            ]
        })
        .collect();
    out.push_str("Attach types:\n\n");
    out.push_str(&table(
        &[
            "Attach type",
            "ELF section",
            "Short name",
            "When",
            "Helpers",
        ],
        &attach,
    ));
    out.push_str("Return values:\n\n");
    let retvals: Vec<Vec<String>> = h
        .retvals
        .iter()
        .map(|r| {
            let value = match anchors.target(&r.value) {
                Some(anchor) => format!("[{}](#{anchor})", code_cell(&r.value)),
                None => code_cell(&r.value),
            };
            vec![value, prose(&r.doc.brief, anchors)]
        })
        .collect();
    out.push_str(&table(&["Value", "Meaning"], &retvals));
    out
}

fn helper(model: &Model, h: &Helper, anchors: &Anchors) -> String {
    let mut out = format!("### `{}`\n\n", h.name);
    let params: Vec<String> = h
        .params
        .iter()
        .map(|p| format!("{} {}", p.ty.c_spelling(), p.name))
        .collect();
    out.push_str(&format!(
        "```c\n{} {}({});\n```\n\n",
        h.returns.ty.c_spelling(),
        h.name,
        if params.is_empty() {
            "void".to_owned()
        } else {
            params.join(", ")
        }
    ));
    out.push_str(&paragraphs(&h.doc, anchors));
    out.push_str(&format!("- ID: {} = {}\n", anchors.link(&h.id), h.id_value));
    let at: Vec<String> = model
        .find_hook(&h.hook)
        .map(|hook| {
            hook.attach_types
                .iter()
                .filter(|a| h.available_at.contains(&a.name))
                .map(|a| format!("`{}` (`{}`)", a.attach_type, a.section))
                .collect()
        })
        .unwrap_or_default();
    out.push_str(&format!(
        "- Available to programs of {} at: {}\n\n",
        anchors.link(&h.hook),
        at.join(", ")
    ));
    if !h.params.is_empty() {
        let rows: Vec<Vec<String>> = h
            .params
            .iter()
            .map(|p| {
                vec![
                    code_cell(&p.name),
                    anchors.ty(&p.ty),
                    p.direction.as_str().to_owned(),
                    prose(&p.doc.brief, anchors),
                ]
            })
            .collect();
        out.push_str("Parameters:\n\n");
        out.push_str(&table(
            &["Parameter", "Type", "Direction", "Description"],
            &rows,
        ));
    }
    out.push_str(&format!("Returns {}", anchors.ty(&h.returns.ty)));
    match &h.returns.doc {
        Some(doc) => out.push_str(&format!(": {}\n\n", prose(&doc.brief, anchors))),
        None => out.push_str(".\n\n"),
    }
    if !h.returns.values.is_empty() {
        let rows: Vec<Vec<String>> = h
            .returns
            .values
            .iter()
            .map(|r| vec![code_cell(&r.value), prose(&r.doc.brief, anchors)])
            .collect();
        out.push_str(&table(&["Value", "Meaning"], &rows));
    }
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
