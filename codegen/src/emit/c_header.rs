//! The C header: a drop-in for eBPF for Windows' own, with Doxygen comments on every
//! item and compile-time checks of the layout engine's numbers.
//!
//! This module turns the model into display-ready pieces (comment blocks, declarations);
//! the template `templates/c_header.h.tera` lays out the file.

use std::collections::HashSet;

use serde::Serialize;
use tera::{Context, Tera};

use crate::Error;
use crate::model::{
    Doc, Enumeration, Helper, Hook, Member, MemberKind, Model, RetVal, Structure, Type,
};

const TEMPLATE: &str = include_str!("../../templates/c_header.h.tera");
/// Comment text is wrapped to keep lines within this many columns.
const WIDTH: usize = 96;

#[derive(Serialize)]
struct View {
    banner: String,
    file_doc: String,
    /// The Doxygen page that program and attach type references link to.
    program_types: String,
    includes: Vec<String>,
    /// Prefix of the header's own helper macros, from its file name.
    macro_prefix: String,
    constants: Vec<Item>,
    enums: Vec<Item>,
    structs: Vec<Item>,
    hooks: Vec<Item>,
    helpers: Vec<HelperView>,
    asserts: Vec<String>,
}

/// A documented declaration: its comment block and its code, both ready to print.
#[derive(Serialize)]
struct Item {
    comment: String,
    code: String,
}

#[derive(Serialize)]
struct HelperView {
    comment: String,
    declaration: String,
    name: String,
    id: String,
}

pub fn emit(model: &Model) -> Result<String, Error> {
    let view = View {
        banner: super::banner(model),
        file_doc: file_comment(model),
        program_types: program_types_page(model),
        includes: model.header.includes.clone(),
        macro_prefix: macro_prefix(&model.header.stem),
        constants: model
            .constants
            .iter()
            .map(|c| Item {
                comment: block(&doc_lines(&c.doc), ""),
                code: format!("#define {} {}", c.name, c.spelling),
            })
            .collect(),
        enums: model.enums.iter().map(|e| enumeration(model, e)).collect(),
        structs: model.structs.iter().map(|s| structure(model, s)).collect(),
        hooks: model.hooks.iter().map(|h| hook(model, h)).collect(),
        helpers: model.helpers.iter().map(|h| helper(model, h)).collect(),
        asserts: model.structs.iter().flat_map(layout_asserts).collect(),
    };
    let mut tera = Tera::default();
    tera.autoescape_on(vec![]);
    tera.add_raw_template("c_header.h", TEMPLATE)
        .map_err(|e| Error::Template(format!("{e:?}")))?;
    let context = Context::from_serialize(&view).map_err(|e| Error::Template(e.to_string()))?;
    tera.render("c_header.h", &context)
        .map_err(|e| Error::Template(format!("{e:?}")))
}

/// The header's file stem in upper case, other characters than letters and digits
/// as `_` (`ebpf_nethooks` -> `EBPF_NETHOOKS`).
fn macro_prefix(stem: &str) -> String {
    stem.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

fn file_comment(model: &Model) -> String {
    let mut lines = vec!["@file".to_owned()];
    lines.extend(doc_lines(&model.header.doc));
    block(&lines, "")
}

/// Makes spec prose safe inside a `/* */` comment read by Doxygen (with its default
/// Markdown support): nothing can end the comment, nest one, form a trigraph, or start
/// a Doxygen command, an HTML tag or entity, Markdown markup or a list, and Doxygen
/// shows the text as written.
pub fn escape_doc(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    // `1.` or `2)` at the start of a paragraph would begin a numbered list.
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    let list_number_end =
        (digits > 0 && matches!(chars.get(digits), Some('.' | ')'))).then_some(digits);
    let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric());
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|j| chars.get(j));
        let next = chars.get(i + 1);
        match c {
            '\\' | '@' | '<' | '>' | '&' | '#' | '%' | '$' | '"' | '`' | '[' | ']' | '|' => {
                out.push('\\');
                out.push(c);
            }
            // An empty HTML comment keeps `*/` from closing the C comment; Doxygen drops it.
            '*' if next == Some(&'/') => out.push_str("\\*<!---->"),
            // `/*` needs nothing more: the star is escaped, so no `/*` reaches C.
            '*' => out.push_str("\\*"),
            // `_` only emphasises at a word boundary; inside `bpf_sock_addr_t` it is plain.
            '_' if !(word(prev) && word(next)) => out.push_str("\\_"),
            // `\~` is a Doxygen command, and `~~~` opens a code block.
            '~' => out.push_str("&tilde;"),
            // `--` is an en dash to Doxygen, and a leading `-` a list item.
            '-' if i == 0 || prev == Some(&'-') || next == Some(&'-') => out.push_str("\\-"),
            // `??/` and friends are trigraphs in older C dialects.
            '?' if next == Some(&'?') => out.push_str("?<!---->"),
            '+' | '=' if i == 0 => {
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
    }
    out
}

/// `@brief` paragraph and detail paragraphs, separated by blank lines.
fn doc_lines(doc: &Doc) -> Vec<String> {
    let mut lines = vec![format!("@brief {}", escape_doc(&doc.brief))];
    for paragraph in &doc.details {
        lines.push(String::new());
        lines.push(escape_doc(paragraph));
    }
    lines
}

/// A `/** ... */` block at `indent`, each logical line wrapped to [`WIDTH`].
/// Structural lines (`@page`, `@section`, ...) must stay on one line and are not wrapped.
fn block(lines: &[String], indent: &str) -> String {
    let mut out = format!("{indent}/**\n");
    let width = WIDTH.saturating_sub(indent.len() + 3);
    for line in lines {
        if line.is_empty() {
            out.push_str(&format!("{indent} *\n"));
            continue;
        }
        let structural = ["@page ", "@section ", "@subsection "]
            .iter()
            .any(|p| line.starts_with(p));
        let pieces = if structural {
            vec![line.clone()]
        } else {
            wrap(line, width)
        };
        for (i, piece) in pieces.iter().enumerate() {
            // Continuation lines of a @param/@retval are indented to read as one entry.
            let hang = if i > 0 && line.starts_with('@') && !line.starts_with("@brief") {
                "  "
            } else {
                ""
            };
            out.push_str(&format!("{indent} * {hang}{piece}\n"));
        }
    }
    out.push_str(&format!("{indent} */"));
    out
}

/// Greedy word wrap at spaces. A line may only begin with a word that cannot start a
/// list, heading or numbered item (one starting with a letter, an escape or a
/// parenthesis), and a `\ref` stays on one line with its target; other words stay on
/// the line before, even when that makes it longer than `width`.
fn wrap(line: &str, width: usize) -> Vec<String> {
    // Units that must not be split: a word that cannot start a line joins the one
    // before it, as does the target of a `\ref`.
    let mut units: Vec<String> = Vec::new();
    for word in line.split(' ').filter(|w| !w.is_empty()) {
        let can_start = word
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '\\' || c == '(');
        match units.last_mut() {
            Some(last) if !can_start || last == "\\ref" || last.ends_with(" \\ref") => {
                last.push(' ');
                last.push_str(word);
            }
            _ => units.push(word.to_owned()),
        }
    }
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for unit in units {
        if current.is_empty() {
            current = unit;
        } else if current.chars().count() + 1 + unit.chars().count() <= width {
            current.push(' ');
            current.push_str(&unit);
        } else {
            lines.push(std::mem::replace(&mut current, unit));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

fn enumeration(model: &Model, e: &Enumeration) -> Item {
    let mut code = match &e.tag {
        Some(tag) => format!("typedef enum {tag}\n{{\n"),
        None => "typedef enum\n{\n".to_owned(),
    };
    for v in &e.enumerators {
        let mut lines = doc_lines(&v.doc);
        if let Some(note) = &v.deprecated {
            lines.push(String::new());
            lines.push(format!("@deprecated {}", escape_doc(note)));
        }
        code.push_str(&block(&lines, "    "));
        code.push('\n');
        let value = v.expr.spelling(model).map(|value| format!(" = {value}"));
        code.push_str(&format!("    {}{},\n", v.name, value.unwrap_or_default()));
    }
    code.push_str(&format!("}} {};", e.name));
    Item {
        comment: block(&doc_lines(&e.doc), ""),
        code,
    }
}

fn structure(model: &Model, s: &Structure) -> Item {
    let mut code = match &s.tag {
        Some(tag) => format!("typedef struct {tag}\n{{\n"),
        None => "typedef struct\n{\n".to_owned(),
    };
    members(model, &s.members, 1, &mut code);
    code.push_str(&format!("}} {};", s.name));
    Item {
        comment: block(&doc_lines(&s.doc), ""),
        code,
    }
}

fn members(model: &Model, list: &[Member], depth: usize, out: &mut String) {
    let indent = "    ".repeat(depth);
    for (i, m) in list.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&block(&doc_lines(&m.doc), &indent));
        out.push('\n');
        match &m.kind {
            MemberKind::Field {
                name, ty, array, ..
            } => {
                let suffix = array.map(|n| format!("[{n}]")).unwrap_or_default();
                out.push_str(&format!(
                    "{indent}{} {name}{suffix};\n",
                    ty.c_spelling(model)
                ));
            }
            MemberKind::Anonymous {
                aggregate,
                members: inner,
                ..
            } => {
                out.push_str(&format!("{indent}{}\n{indent}{{\n", aggregate.c_keyword()));
                members(model, inner, depth + 1, out);
                out.push_str(&format!("{indent}}};\n"));
            }
        }
    }
}

/// Doxygen label of a program type's section on the program types page.
fn program_type_label(program_type: &str) -> String {
    format!("program_type_{program_type}")
}

/// Doxygen label of an attach type's subsection on the program types page.
fn attach_type_label(attach_type: &str) -> String {
    format!("attach_type_{attach_type}")
}

/// A Doxygen page with a section per program type and a subsection per attach type,
/// so that hooks and helpers can `\ref` them: these identifiers are defined by eBPF
/// for Windows, not by this header.
fn program_types_page(model: &Model) -> String {
    let page = format!(
        "{}_program_types",
        macro_prefix(&model.header.stem).to_lowercase()
    );
    let mut lines = vec![
        format!("@page {page} Program types and attach types"),
        String::new(),
        "Each hook of this header is one eBPF for Windows program type. A program of that type \
         is loaded at one of its attach types, chosen by the ELF section it is placed in."
            .to_owned(),
    ];
    let mut seen_programs: HashSet<&str> = HashSet::new();
    let mut seen_attach: HashSet<&str> = HashSet::new();
    for h in &model.hooks {
        lines.push(String::new());
        // A program type shared by two hooks gets one section; labels must be unique.
        if seen_programs.insert(&h.program_type) {
            lines.push(format!(
                "@section {} {}",
                program_type_label(&h.program_type),
                h.program_type
            ));
            lines.push(String::new());
        }
        lines.push(escape_doc(&h.doc.brief));
        lines.push(format!(
            "Programs of type \\ref {} receive a \\ref {} and return {}.",
            h.name,
            model.structure(h.context).name,
            match &h.returns {
                Type::Enum(_) => format!("a \\ref {}", h.returns.c_spelling(model)),
                other => other.c_spelling(model),
            }
        ));
        for a in &h.attach_types {
            if !seen_attach.insert(&a.attach_type) {
                continue;
            }
            lines.push(String::new());
            lines.push(format!(
                "@subsection {} {}",
                attach_type_label(&a.attach_type),
                a.attach_type
            ));
            lines.push(String::new());
            lines.push(format!(
                "{} ELF section: {}.",
                escape_doc(&a.doc.brief),
                escape_doc(&a.section)
            ));
            let helpers: Vec<String> = a
                .helpers
                .iter()
                .map(|&helper| format!("\\ref {}", model.helper(helper).name))
                .collect();
            if !helpers.is_empty() {
                lines.push(format!("Helpers: {}.", helpers.join(" ")));
            }
        }
    }
    block(&lines, "")
}

fn hook(model: &Model, h: &Hook) -> Item {
    let mut lines = doc_lines(&h.doc);
    lines.push(String::new());
    lines.push(format!(
        "Program type: \\ref {}",
        program_type_label(&h.program_type)
    ));
    lines.push(String::new());
    let attach: Vec<String> = h
        .attach_types
        .iter()
        .map(|a| format!("\\ref {}", attach_type_label(&a.attach_type)))
        .collect();
    lines.push(format!("Attach type(s): {}", attach.join(" ")));
    lines.push(String::new());
    lines.push(format!(
        "@param[in] {} {}",
        h.param.name,
        escape_doc(&h.param.doc.brief)
    ));
    for r in &h.retvals {
        lines.push(retval(r));
    }
    Item {
        comment: block(&lines, ""),
        code: format!(
            "typedef {}\n{}({}* {});",
            h.returns.c_spelling(model),
            h.name,
            model.structure(h.context).name,
            h.param.name
        ),
    }
}

/// `@retval VALUE text`. The value is Doxygen's first word, where escapes do not
/// work; the resolver only admits names, numbers and `<0`-style conditions.
fn retval(r: &RetVal) -> String {
    format!("@retval {} {}", r.value, escape_doc(&r.doc.brief))
}

fn helper(model: &Model, h: &Helper) -> HelperView {
    let mut lines = doc_lines(&h.doc);
    lines.push(String::new());
    let at: Vec<String> = model
        .available_at(h)
        .map(|a| format!("\\ref {}", attach_type_label(&a.attach_type)))
        .collect();
    lines.push(format!(
        "Available to \\ref {} programs at: {}",
        model.hook(h.hook).name,
        at.join(" ")
    ));
    lines.push(String::new());
    for p in &h.params {
        lines.push(format!(
            "@param[{}] {} {}",
            p.direction.as_str(),
            p.name,
            escape_doc(&p.doc.brief)
        ));
    }
    for r in &h.returns.values {
        lines.push(retval(r));
    }
    if let Some(doc) = &h.returns.doc {
        lines.push(format!("@return {}", escape_doc(&doc.brief)));
    }
    let params: Vec<String> = h
        .params
        .iter()
        .map(|p| c_declarator(model, &p.ty, &p.name))
        .collect();
    HelperView {
        comment: block(&lines, ""),
        declaration: format!(
            "EBPF_HELPER({}, {}, ({}));",
            h.returns.ty.c_spelling(model),
            h.name,
            params.join(", ")
        ),
        name: h.name.clone(),
        id: model.enumerator(h.id).name.clone(),
    }
}

fn c_declarator(model: &Model, ty: &Type, name: &str) -> String {
    format!("{} {name}", ty.c_spelling(model))
}

/// `sizeof`/`offsetof` checks of every struct and named member, anonymous ones' too.
fn layout_asserts(s: &Structure) -> Vec<String> {
    let mut out = vec![format!("sizeof({}) == {}", s.name, s.layout.size)];
    for (_, member) in s.leaf_fields() {
        if let Some(name) = member.name() {
            out.push(format!(
                "__builtin_offsetof({}, {name}) == {}",
                s.name, member.placement.offset
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_doc_neutralises_comment_command_and_markup_sequences() {
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
            assert_eq!(escape_doc(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn escaped_text_never_closes_or_opens_a_c_comment() {
        let nasty = "*/ /* **/ //* */*/ ??/ ?? ???/";
        let escaped = escape_doc(nasty);
        for sequence in ["*/", "/*", "??"] {
            assert!(!escaped.contains(sequence), "{sequence:?} in {escaped:?}");
        }
    }

    #[test]
    fn wrap_starts_lines_only_with_safe_words_and_keeps_refs_whole() {
        // (line, width, expected lines)
        let cases: [(&str, usize, &[&str]); 4] = [
            ("aaa bbb ccc", 7, &["aaa bbb", "ccc"]),
            // `-x`, `42.` and `+y` cannot start a line: they stay on the one before.
            ("aaa -x bbb 42. ccc +y", 5, &["aaa -x", "bbb 42.", "ccc +y"]),
            (
                "see \\ref target_name now",
                10,
                &["see", "\\ref target_name", "now"],
            ),
            (
                "averyveryverylongword x",
                5,
                &["averyveryverylongword", "x"],
            ),
        ];
        for (line, width, expected) in cases {
            assert_eq!(
                wrap(line, width),
                expected,
                "line {line:?} at width {width}"
            );
        }
    }
}
