//! `docs/ebpf_nethooks.md`: an API reference in GitHub-flavoured Markdown, readable on
//! a code host without running Doxygen. Every item has a heading (so the table of
//! contents and cross references are plain `#anchor` links), structs list each
//! member's offset and size from the layout engine, and names of items in the prose
//! link to them.

use std::collections::{BTreeMap, HashMap};

use crate::model::{
    Doc, EnumUse, EnumUser, Enumeration, Enumerator, Helper, Hook, Member, MemberKind, Model,
    Structure, Type, ValueExpr,
};

use super::markdown_text::{code_cell, table};
pub use super::markdown_text::{escape, prose};

/// The section headings, in document order.
const SECTIONS: [&str; 5] = ["Constants", "Enums", "Structs", "Hooks", "Helpers"];

/// Where the reference goes below the output directory: named after the header.
pub fn path(model: &Model) -> std::path::PathBuf {
    std::path::Path::new("docs").join(format!("{}.md", model.header.stem))
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
        for e in &model.enums {
            out.push_str(&enumeration(model, e, &anchors));
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
    fn ty(&self, model: &Model, ty: &Type) -> String {
        self.array_ty(model, ty, None)
    }

    /// A member type with its array length (`uint32_t[4]`), as one code span.
    fn array_ty(&self, model: &Model, ty: &Type, array: Option<u64>) -> String {
        let suffix = array.map(|n| format!("[{n}]")).unwrap_or_default();
        let spelling = format!("{}{suffix}", ty.c_spelling(model));
        match ty
            .base()
            .item_name(model)
            .and_then(|name| self.target(name))
        {
            Some(anchor) => format!("[`{spelling}`](#{anchor})"),
            None => format!("`{spelling}`"),
        }
    }
}

/// Each paragraph of a doc as escaped prose, with a blank line after each.
fn paragraphs(doc: &Doc, anchors: &Anchors) -> String {
    doc.paragraphs()
        .map(|p| format!("{}\n\n", prose(p, anchors)))
        .collect()
}

fn enumeration(model: &Model, e: &Enumeration, anchors: &Anchors) -> String {
    let mut out = format!("### `{}`\n\n", e.name);
    let declared = match &e.tag {
        Some(tag) => format!("`typedef enum {tag} {{ ... }} {}`", e.name),
        None => format!("`typedef enum {{ ... }} {}`", e.name),
    };
    out.push_str(&format!("Declared as {declared}.\n\n"));
    out.push_str(&paragraphs(&e.doc, anchors));
    let uses = enum_uses(model, e, anchors);
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
            vec![code_cell(&v.name), enumerator_value(model, v), text]
        })
        .collect();
    out.push_str(&table(&["Enumerator", "Value", "Meaning"], &rows));
    out
}

/// Where an enum is used, as its section lists them: helper IDs (of an enum used
/// only for its constants), then verdicts, struct members and helper parameters.
fn enum_uses(model: &Model, e: &Enumeration, anchors: &Anchors) -> Vec<String> {
    e.used_by
        .iter()
        .filter_map(|user| match user {
            EnumUser::HelperId(h) => (e.usage == EnumUse::Constants)
                .then(|| format!("{} (helper ID)", anchors.link(&model.helper(*h).name))),
            EnumUser::Verdict(h) => {
                Some(format!("{} (verdict)", anchors.link(&model.hook(*h).name)))
            }
            EnumUser::Member { structure, member } => Some(format!(
                "{}`.{member}`",
                anchors.link(&model.structure(*structure).name)
            )),
            EnumUser::Param { helper, param } => {
                let helper = model.helper(*helper);
                Some(format!(
                    "{} parameter `{}`",
                    anchors.link(&helper.name),
                    helper.params[*param].name
                ))
            }
        })
        .collect()
}

fn enumerator_value(model: &Model, v: &Enumerator) -> String {
    match &v.expr {
        ValueExpr::Implicit => v.value.to_string(),
        ValueExpr::Literal(text) if *text == v.value.to_string() => text.clone(),
        ValueExpr::Literal(text) => format!("{} ({text})", v.value),
        ValueExpr::Offset { constant, offset } => {
            let spelling = model.constant(*constant).offset_by(*offset);
            format!("{} (`{spelling}`)", v.value)
        }
        ValueExpr::Alias(target) => {
            format!("{} (same as `{}`)", v.value, model.enumerator(*target).name)
        }
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
    let hooks: Vec<String> = s
        .context_of
        .iter()
        .map(|&h| anchors.link(&model.hook(h).name))
        .collect();
    if !hooks.is_empty() {
        out.push_str(&format!(
            "The context that programs of {} receive.\n\n",
            hooks.join(", ")
        ));
    }
    let mut rows = Vec::new();
    member_rows(model, &s.members, 0, anchors, &mut rows);
    out.push_str(&table(
        &["Offset", "Size", "Member", "Type", "Description"],
        &rows,
    ));
    out
}

/// One row per member, anonymous ones included; nesting is shown with `↳`.
fn member_rows(
    model: &Model,
    members: &[Member],
    depth: usize,
    anchors: &Anchors,
    rows: &mut Vec<Vec<String>>,
) {
    let nest = "↳ ".repeat(depth);
    for m in members {
        let description = prose(&m.doc.brief, anchors);
        let (name, ty) = match &m.kind {
            MemberKind::Field {
                name, ty, array, ..
            } => (code_cell(name), anchors.array_ty(model, ty, *array)),
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
            member_rows(model, members, depth + 1, anchors, rows);
        }
    }
}

fn hook(model: &Model, h: &Hook, anchors: &Anchors) -> String {
    let mut out = format!("### `{}`\n\n", h.name);
    out.push_str(&format!(
        "```c\ntypedef {} {}({}* {});\n```\n\n",
        h.returns.c_spelling(model),
        h.name,
        model.structure(h.context).name,
        h.param.name
    ));
    out.push_str(&paragraphs(&h.doc, anchors));
    out.push_str(&format!("- Program type: `{}`\n", h.program_type));
    out.push_str(&format!(
        "- Parameter `{}`: {}, {}\n",
        h.param.name,
        anchors.ty(model, &Type::Pointer(Box::new(Type::Struct(h.context)))),
        prose(&h.param.doc.brief, anchors)
    ));
    out.push_str(&format!("- Returns: {}\n\n", anchors.ty(model, &h.returns)));
    let attach: Vec<Vec<String>> = h
        .attach_types
        .iter()
        .map(|a| {
            let helpers: Vec<String> = a
                .helpers
                .iter()
                .map(|&helper| anchors.link(&model.helper(helper).name))
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
        .map(|p| format!("{} {}", p.ty.c_spelling(model), p.name))
        .collect();
    out.push_str(&format!(
        "```c\n{} {}({});\n```\n\n",
        h.returns.ty.c_spelling(model),
        h.name,
        if params.is_empty() {
            "void".to_owned()
        } else {
            params.join(", ")
        }
    ));
    out.push_str(&paragraphs(&h.doc, anchors));
    let id = &model.enumerator(h.id).name;
    out.push_str(&format!("- ID: {} = {}\n", anchors.link(id), h.id_value));
    let at: Vec<String> = model
        .available_at(h)
        .map(|a| format!("`{}` (`{}`)", a.attach_type, a.section))
        .collect();
    out.push_str(&format!(
        "- Available to programs of {} at: {}\n\n",
        anchors.link(&model.hook(h.hook).name),
        at.join(", ")
    ));
    if !h.params.is_empty() {
        let rows: Vec<Vec<String>> = h
            .params
            .iter()
            .map(|p| {
                vec![
                    code_cell(&p.name),
                    anchors.ty(model, &p.ty),
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
    out.push_str(&format!("Returns {}", anchors.ty(model, &h.returns.ty)));
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
