//! The C header: a drop-in for eBPF for Windows' own, with Doxygen comments on every
//! item and compile-time checks of the layout engine's numbers.
//!
//! This module turns the model into display-ready pieces (comment blocks, declarations);
//! the template `templates/c_header.h.tera` lays out the file.

use serde::Serialize;
use tera::{Context, Tera};

use crate::Error;
use crate::model::{
    Doc, EnumUse, Enumeration, Helper, Hook, Member, MemberKind, Model, Structure, Type, ValueExpr,
};

const TEMPLATE: &str = include_str!("../../templates/c_header.h.tera");
/// Comment text is wrapped to keep lines within this many columns.
const WIDTH: usize = 96;

#[derive(Serialize)]
struct View {
    banner: String,
    file_doc: String,
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
        includes: model.header.includes.clone(),
        macro_prefix: macro_prefix(&model.header.file),
        constants: model
            .constants
            .iter()
            .map(|c| Item {
                comment: block(&doc_lines(&c.doc), ""),
                code: format!("#define {} {}", c.name, c.spelling),
            })
            .collect(),
        enums: model.enums.iter().map(enumeration).collect(),
        structs: model.structs.iter().map(structure).collect(),
        hooks: model.hooks.iter().map(|h| hook(model, h)).collect(),
        helpers: model.helpers.iter().map(helper).collect(),
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

fn macro_prefix(file: &str) -> String {
    let stem = file.split('.').next().unwrap_or(file);
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

/// Makes spec prose safe inside a `/* */` comment read by Doxygen: nothing can end
/// the comment or start a Doxygen command or HTML tag.
pub fn escape_doc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '@' | '<' | '>' | '&' | '#' | '%' | '$' => {
                out.push('\\');
                out.push(c);
            }
            // `*/` would close the comment, `/*` would nest one (a -Wcomment warning).
            '*' if chars.peek() == Some(&'/') => out.push_str("*\\/"),
            '/' if chars.peek() == Some(&'*') => out.push_str("/\\*"),
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
fn block(lines: &[String], indent: &str) -> String {
    let mut out = format!("{indent}/**\n");
    let options = textwrap::Options::new(WIDTH.saturating_sub(indent.len() + 3))
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace);
    for line in lines {
        if line.is_empty() {
            out.push_str(&format!("{indent} *\n"));
            continue;
        }
        for (i, piece) in textwrap::wrap(line, &options).iter().enumerate() {
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

fn enumeration(e: &Enumeration) -> Item {
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
        let value = match &v.expr {
            ValueExpr::Implicit => String::new(),
            ValueExpr::Literal(text) => format!(" = {text}"),
            ValueExpr::Offset { constant, offset } if *offset < 0 => {
                format!(" = {constant} - {}", offset.unsigned_abs())
            }
            ValueExpr::Offset { constant, offset } => format!(" = {constant} + {offset}"),
            ValueExpr::Alias(target) => format!(" = {target}"),
        };
        code.push_str(&format!("    {}{value},\n", v.name));
    }
    code.push_str(&format!("}} {};", e.name));
    let _ = EnumUse::Verdict;
    Item {
        comment: block(&doc_lines(&e.doc), ""),
        code,
    }
}

fn structure(s: &Structure) -> Item {
    let mut code = match &s.tag {
        Some(tag) => format!("typedef struct {tag}\n{{\n"),
        None => "typedef struct\n{\n".to_owned(),
    };
    members(&s.members, 1, &mut code);
    code.push_str(&format!("}} {};", s.name));
    Item {
        comment: block(&doc_lines(&s.doc), ""),
        code,
    }
}

fn members(list: &[Member], depth: usize, out: &mut String) {
    let indent = "    ".repeat(depth);
    for (i, m) in list.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&block(&doc_lines(&m.doc), &indent));
        out.push('\n');
        match &m.kind {
            MemberKind::Field { name, ty, array } => {
                let suffix = array.map(|n| format!("[{n}]")).unwrap_or_default();
                out.push_str(&format!("{indent}{} {name}{suffix};\n", ty.c_spelling()));
            }
            MemberKind::Anonymous {
                aggregate,
                members: inner,
                ..
            } => {
                out.push_str(&format!("{indent}{}\n{indent}{{\n", aggregate.c_keyword()));
                members(inner, depth + 1, out);
                out.push_str(&format!("{indent}}};\n"));
            }
        }
    }
}

fn hook(model: &Model, h: &Hook) -> Item {
    let mut lines = doc_lines(&h.doc);
    lines.push(String::new());
    lines.push(format!("Program type: {}", escape_doc(&h.program_type)));
    lines.push(String::new());
    let attach: Vec<&str> = h
        .attach_types
        .iter()
        .map(|a| a.attach_type.as_str())
        .collect();
    lines.push(format!("Attach type(s): {}", attach.join(" ")));
    lines.push(String::new());
    lines.push(format!(
        "@param[in] {} {}",
        h.param.name,
        escape_doc(&h.param.doc.brief)
    ));
    for r in &h.retvals {
        lines.push(format!(
            "@retval {} {}",
            escape_doc(&r.value),
            escape_doc(&r.doc.brief)
        ));
    }
    let _ = model;
    Item {
        comment: block(&lines, ""),
        code: format!(
            "typedef {}\n{}({}* {});",
            h.returns.c_spelling(),
            h.name,
            h.context,
            h.param.name
        ),
    }
}

fn helper(h: &Helper) -> HelperView {
    let mut lines = doc_lines(&h.doc);
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
        lines.push(format!(
            "@retval {} {}",
            escape_doc(&r.value),
            escape_doc(&r.doc.brief)
        ));
    }
    if let Some(doc) = &h.returns.doc {
        lines.push(format!("@return {}", escape_doc(&doc.brief)));
    }
    let params: Vec<String> = h
        .params
        .iter()
        .map(|p| c_declarator(&p.ty, &p.name))
        .collect();
    HelperView {
        comment: block(&lines, ""),
        declaration: format!(
            "EBPF_HELPER({}, {}, ({}));",
            h.returns.ty.c_spelling(),
            h.name,
            params.join(", ")
        ),
        name: h.name.clone(),
        id: h.id.clone(),
    }
}

fn c_declarator(ty: &Type, name: &str) -> String {
    format!("{} {name}", ty.c_spelling())
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
