//! Helpers in the C header: `EBPF_HELPER(...)`, the name as a call by ID, and the
//! macro blocks that follow a helper. With `[header] c_line_width`, a declaration
//! longer than that wraps as clang-format wraps it.

use crate::emit::escape;
use crate::model::{Helper, HelperId, Model};

use super::writer::{CWriter, doc_lines};
use super::{attach_type_label, retval};

/// The helper's comment, `EBPF_HELPER(...)` and its call-by-ID macro.
pub(super) fn helper(w: &mut CWriter, model: &Model, h: &Helper) {
    let mut lines = doc_lines(&h.doc);
    lines.push(String::new());
    let at: Vec<String> = model
        .available_at(h)
        .map(|a| format!("\\ref {}", attach_type_label(&a.attach_type)))
        .collect();
    lines.push(match model.helper_hook(h) {
        Some(hook) => format!(
            "Available to \\ref {} programs at: {}",
            hook.name,
            at.join(" ")
        ),
        None => "Available to the programs of every hook.".to_owned(),
    });
    lines.push(String::new());
    for p in &h.params {
        lines.push(format!(
            "@param[{}] {} {}",
            p.direction.as_str(),
            p.name,
            escape::c_doc(&p.doc.brief)
        ));
    }
    for r in &h.returns.values {
        lines.push(retval(r));
    }
    if let Some(doc) = &h.returns.doc {
        lines.push(format!("@return {}", escape::c_doc(&doc.brief)));
    }
    let params: Vec<String> = h
        .params
        .iter()
        .map(|p| format!("{} {}", p.ty.c_spelling(model), p.name))
        .collect();
    let name = &h.name;
    let width = model.header.c_line_width.unwrap_or(usize::MAX);
    w.comment(&lines);
    let returns = h.returns.ty.c_spelling(model);
    let params = format!("({})", params.join(", "));
    let declaration = format!("EBPF_HELPER({returns}, {name}, {params});");
    if declaration.len() <= width {
        w.line(declaration);
    } else {
        // One argument per line, as clang-format breaks a call that does not fit.
        w.line("EBPF_HELPER(");
        w.line(format_args!("    {returns},"));
        w.line(format_args!("    {name},"));
        w.line(format_args!("    {params});"));
    }
    let typedef = h.cast_as.map_or(name, |other| &model.helper(other).name);
    let id = &model.enumerator(h.id).name;
    w.line("#ifndef __doxygen");
    let define = format!("#define {name} (({typedef}_t){id})");
    if define.len() <= width {
        w.line(define);
    } else {
        w.line(format_args!("#define {name} \\"));
        w.line(format_args!("    (({typedef}_t){id})"));
    }
    w.line("#endif");
}

/// The macro blocks placed after `helper`, each after a plain comment of its doc
/// (Doxygen reads only the comments the block's own text holds).
pub(super) fn blocks_after(w: &mut CWriter, model: &Model, helper: HelperId) {
    for block in model
        .blocks_after(helper)
        .filter(|b| b.defined_in.is_none())
    {
        self::block(w, block);
    }
}

/// One macro block: a plain comment of its doc, then its text.
pub(super) fn block(w: &mut CWriter, block: &crate::model::MacroBlock) {
    let mut lines = Vec::new();
    for paragraph in block.doc.paragraphs() {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(escape::c_doc(paragraph));
    }
    w.plain_comment(&lines);
    w.lines(&block.text);
    w.blank();
}
