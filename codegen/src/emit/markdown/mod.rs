//! `docs/ebpf_nethooks.md`: an API reference in GitHub-flavoured Markdown, readable on
//! a code host without running Doxygen. Every item has a heading (so the table of
//! contents and cross references are plain `#anchor` links), structs list each
//! member's offset and size from the layout engine, and names of items in the prose
//! link to them.

mod anchors;
mod writer;

use crate::emit::artifact::EmitError;
use crate::model::{
    Doc, EnumUse, EnumUser, Enumeration, Enumerator, Helper, Hook, Member, MemberKind, Model,
    Structure, Type, ValueExpr,
};

pub use anchors::Anchors;
use anchors::{SECTIONS, items_by_section};
use writer::{MarkdownWriter, code_cell};

/// Where the reference goes below the output directory: named after the header.
pub fn path(model: &Model) -> std::path::PathBuf {
    std::path::Path::new("docs").join(format!("{}.md", model.header.stem))
}

/// Renders the reference. It cannot fail; the `Result` is every emitter's signature.
pub fn emit(model: &Model) -> Result<String, EmitError> {
    let anchors = Anchors::new(model);
    let mut w = MarkdownWriter::new(model);
    w.heading(1, format_args!("`{}` API reference", model.header.file));
    paragraphs(&mut w, &model.header.doc, &anchors);
    w.heading(2, "Contents");
    for (section, names) in SECTIONS.iter().zip(items_by_section(model)) {
        if names.is_empty() {
            continue;
        }
        w.item(
            0,
            format_args!("[{section}](#{})", anchors.section(section)),
        );
        for name in names {
            w.item(1, anchors.link(name));
        }
    }
    w.end_list();
    if !model.constants.is_empty() {
        w.heading(2, "Constants");
        for c in &model.constants {
            w.heading(3, format_args!("`{}`", c.name));
            w.code_block("c", format_args!("#define {} {}", c.name, c.spelling));
            w.paragraph(format_args!("Value: {}.", c.value));
            paragraphs(&mut w, &c.doc, &anchors);
        }
    }
    if !model.enums.is_empty() {
        w.heading(2, "Enums");
        for e in &model.enums {
            enumeration(&mut w, model, e, &anchors);
        }
    }
    if !model.structs.is_empty() {
        w.heading(2, "Structs");
        for s in &model.structs {
            structure(&mut w, model, s, &anchors);
        }
        for t in &model.typedefs {
            let target = &model.structure(t.target).name;
            w.heading(3, format_args!("`{}`", t.name));
            w.paragraph(format_args!(
                "Declared as `typedef {target} {}`: another name of {}.",
                t.name,
                anchors.link(target)
            ));
            paragraphs(&mut w, &t.doc, &anchors);
        }
    }
    if !model.hooks.is_empty() {
        w.heading(2, "Hooks");
        for h in &model.hooks {
            hook(&mut w, model, h, &anchors);
        }
    }
    if !model.helpers.is_empty() {
        w.heading(2, "Helpers");
        for h in &model.helpers {
            helper(&mut w, model, h, &anchors);
        }
    }
    Ok(w.finish())
}

/// Each paragraph of a doc as escaped prose.
fn paragraphs(w: &mut MarkdownWriter, doc: &Doc, anchors: &Anchors) {
    for p in doc.paragraphs() {
        w.paragraph(anchors.prose(p));
    }
}

/// `typedef enum TAG { ... } NAME` or its untagged form, as code.
fn declared(keyword: &str, tag: Option<&str>, name: &str) -> String {
    match tag {
        Some(tag) => format!("`typedef {keyword} {tag} {{ ... }} {name}`"),
        None => format!("`typedef {keyword} {{ ... }} {name}`"),
    }
}

fn enumeration(w: &mut MarkdownWriter, model: &Model, e: &Enumeration, anchors: &Anchors) {
    w.heading(3, format_args!("`{}`", e.name));
    let declared = declared("enum", e.tag.as_deref(), &e.name);
    w.paragraph(format_args!("Declared as {declared}."));
    paragraphs(w, &e.doc, anchors);
    let uses = enum_uses(model, e, anchors);
    if !uses.is_empty() {
        w.paragraph(format_args!("Used by: {}.", uses.join(", ")));
    }
    let rows: Vec<Vec<String>> = e
        .enumerators
        .iter()
        .map(|v| {
            let mut text = anchors.prose(&v.doc.brief);
            for detail in &v.doc.details {
                text.push_str("<br>");
                text.push_str(&anchors.prose(detail));
            }
            if let Some(note) = &v.deprecated {
                text = format!("**Deprecated:** {} {text}", anchors.prose(note));
            }
            vec![code_cell(&v.name), enumerator_value(model, v), text]
        })
        .collect();
    w.table(&["Enumerator", "Value", "Meaning"], &rows);
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

fn structure(w: &mut MarkdownWriter, model: &Model, s: &Structure, anchors: &Anchors) {
    w.heading(3, format_args!("`{}`", s.name));
    let declared = declared("struct", s.tag.as_deref(), &s.name);
    w.paragraph(format_args!(
        "Declared as {declared}. Size {} bytes, alignment {}.",
        s.layout.size, s.layout.align
    ));
    paragraphs(w, &s.doc, anchors);
    let hooks: Vec<String> = s
        .context_of
        .iter()
        .map(|&h| anchors.link(&model.hook(h).name))
        .collect();
    if !hooks.is_empty() {
        w.paragraph(format_args!(
            "The context that programs of {} receive.",
            hooks.join(", ")
        ));
    }
    let mut rows = Vec::new();
    member_rows(model, &s.members, 0, anchors, &mut rows);
    w.table(&["Offset", "Size", "Member", "Type", "Description"], &rows);
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
        let description = anchors.prose(&m.doc.brief);
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

fn hook(w: &mut MarkdownWriter, model: &Model, h: &Hook, anchors: &Anchors) {
    w.heading(3, format_args!("`{}`", h.name));
    w.code_block(
        "c",
        format_args!(
            "typedef {} {}({}* {});",
            h.returns.c_spelling(model),
            h.name,
            model.structure(h.context).name,
            h.param.name
        ),
    );
    paragraphs(w, &h.doc, anchors);
    w.item(0, format_args!("Program type: `{}`", h.program_type));
    w.item(
        0,
        format_args!(
            "Parameter `{}`: {}, {}",
            h.param.name,
            anchors.ty(model, &Type::Pointer(Box::new(Type::Struct(h.context)))),
            anchors.prose(&h.param.doc.brief)
        ),
    );
    w.item(
        0,
        format_args!("Returns: {}", anchors.ty(model, &h.returns)),
    );
    w.end_list();
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
                anchors.prose(&a.doc.brief),
                if helpers.is_empty() {
                    "none".to_owned()
                } else {
                    helpers.join(", ")
                },
            ]
        })
        .collect();
    w.paragraph("Attach types:");
    w.table(
        &[
            "Attach type",
            "ELF section",
            "Short name",
            "When",
            "Helpers",
        ],
        &attach,
    );
    w.paragraph("Return values:");
    let retvals: Vec<Vec<String>> = h
        .retvals
        .iter()
        .map(|r| {
            let value = match anchors.target(&r.value) {
                Some(anchor) => format!("[{}](#{anchor})", code_cell(&r.value)),
                None => code_cell(&r.value),
            };
            vec![value, anchors.prose(&r.doc.brief)]
        })
        .collect();
    w.table(&["Value", "Meaning"], &retvals);
}

fn helper(w: &mut MarkdownWriter, model: &Model, h: &Helper, anchors: &Anchors) {
    w.heading(3, format_args!("`{}`", h.name));
    let params: Vec<String> = h
        .params
        .iter()
        .map(|p| format!("{} {}", p.ty.c_spelling(model), p.name))
        .collect();
    w.code_block(
        "c",
        format_args!(
            "{} {}({});",
            h.returns.ty.c_spelling(model),
            h.name,
            if params.is_empty() {
                "void".to_owned()
            } else {
                params.join(", ")
            }
        ),
    );
    paragraphs(w, &h.doc, anchors);
    let id = &model.enumerator(h.id).name;
    w.item(0, format_args!("ID: {} = {}", anchors.link(id), h.id_value));
    let at: Vec<String> = model
        .available_at(h)
        .map(|a| format!("`{}` (`{}`)", a.attach_type, a.section))
        .collect();
    match model.helper_hook(h) {
        Some(hook) => w.item(
            0,
            format_args!(
                "Available to programs of {} at: {}",
                anchors.link(&hook.name),
                at.join(", ")
            ),
        ),
        None => w.item(0, "Available to the programs of every hook"),
    }
    w.end_list();
    if !h.params.is_empty() {
        let rows: Vec<Vec<String>> = h
            .params
            .iter()
            .map(|p| {
                vec![
                    code_cell(&p.name),
                    anchors.ty(model, &p.ty),
                    p.direction.as_str().to_owned(),
                    anchors.prose(&p.doc.brief),
                ]
            })
            .collect();
        w.paragraph("Parameters:");
        w.table(&["Parameter", "Type", "Direction", "Description"], &rows);
    }
    let returns = anchors.ty(model, &h.returns.ty);
    match &h.returns.doc {
        Some(doc) => w.paragraph(format_args!(
            "Returns {returns}: {}",
            anchors.prose(&doc.brief)
        )),
        None => w.paragraph(format_args!("Returns {returns}.")),
    }
    if !h.returns.values.is_empty() {
        let rows: Vec<Vec<String>> = h
            .returns
            .values
            .iter()
            .map(|r| vec![code_cell(&r.value), anchors.prose(&r.doc.brief)])
            .collect();
        w.table(&["Value", "Meaning"], &rows);
    }
}
