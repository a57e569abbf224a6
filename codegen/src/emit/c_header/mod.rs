//! The C header: a drop-in for eBPF for Windows' own, with Doxygen comments on every
//! item and compile-time checks of the layout engine's numbers.
//!
//! The file is written top to bottom through `CWriter`, in the order a reader
//! meets it: banner, file comment, the program types page, includes, constants,
//! enums, structs, hooks, helpers, layout checks.

mod helper;
mod writer;

use std::collections::HashSet;

use crate::emit::artifact::EmitError;
use crate::emit::escape;
use crate::model::{Enumeration, Hook, Member, MemberKind, Model, RetVal, Structure, Type};

use writer::{CWriter, doc_lines};

/// Which header a rendering writes: the spec's own, or the drop-in of a header its
/// items are `defined_in`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part<'m> {
    Main,
    DropIn(&'m str),
}

impl Part<'_> {
    /// Whether an item `defined_in` this header (or in none) is written here.
    fn owns(self, defined_in: &Option<String>) -> bool {
        match self {
            Part::Main => defined_in.is_none(),
            Part::DropIn(file) => defined_in.as_deref() == Some(file),
        }
    }
}

/// Renders the header. It cannot fail; the `Result` is every emitter's signature.
pub fn emit(model: &Model) -> Result<String, EmitError> {
    Ok(render(model, Part::Main))
}

/// Renders the drop-in of `file`, one of the spec's `[[header.include]]`s with
/// `drop_in`: the spec's items `defined_in` it, defined as upstream's copy does.
pub fn emit_drop_in(model: &Model, file: &str) -> Result<String, EmitError> {
    Ok(render(model, Part::DropIn(file)))
}

fn render(model: &Model, part: Part) -> String {
    let mut w = CWriter::new(model);
    let (file, stem) = match part {
        Part::Main => (model.header.file.as_str(), model.header.stem.as_str()),
        Part::DropIn(file) => (file, file.strip_suffix(".h").unwrap_or(file)),
    };
    let prefix = macro_prefix(stem);
    if let Some(spdx) = &model.header.spdx {
        w.line(format_args!("// SPDX-License-Identifier: {spdx}"));
    }
    w.line("#pragma once");
    w.blank();
    let mut file_doc = vec!["@file".to_owned()];
    match part {
        Part::Main => file_doc.extend(doc_lines(&model.header.doc)),
        Part::DropIn(_) => file_doc.extend([
            format!(
                "The part of eBPF for Windows' {file} that {} uses, defined as {file} defines it.",
                model.header.file
            ),
            String::new(),
            format!(
                "With eBPF for Windows' include directory ahead of this one on the include path, its own \
                 {file} is included instead, and nothing is defined twice. Unlike that file, this one \
                 includes what it uses, so {} compiles on its own.",
                model.header.file
            ),
        ]),
    }
    w.comment(&file_doc);
    w.blank();
    if part == Part::Main && !model.hooks.is_empty() {
        w.comment(&program_types_page(model, &prefix));
        w.blank();
    }
    let mut includes: Vec<String> = Vec::new();
    if part == Part::Main {
        // Angle brackets, unlike upstream's quotes: the include path's order decides,
        // so with upstream's directory first its own copy wins over the drop-in
        // beside this header (quotes would always find the one beside it).
        let project = model.header.project_includes.iter();
        includes.extend(project.map(|i| format!("#include <{}>", i.file)));
        let system = model.header.includes.iter();
        includes.extend(system.map(|i| format!("#include <{i}>")));
    } else {
        includes.extend([
            "#include <stddef.h>".to_owned(),
            "#include <stdint.h>".to_owned(),
        ]);
    }
    for include in &includes {
        w.line(include);
    }
    if !includes.is_empty() {
        w.blank();
    }
    let guard = drop_in_guard(model, part);
    match (part, &guard) {
        (Part::Main, _) => external_items(&mut w, model),
        (Part::DropIn(file), Some(guard)) => {
            w.line(format_args!(
                "// eBPF for Windows' own {file}, if included first, defines all that follows"
            ));
            w.line(format_args!(
                "// (and {guard}): then this file defines nothing a second time."
            ));
            w.line(format_args!("#ifndef {guard}"));
            w.blank();
        }
        (Part::DropIn(_), None) => {}
    }
    for c in model.constants.iter().filter(|c| part.owns(&c.defined_in)) {
        w.comment(&doc_lines(&c.doc));
        w.line(format_args!("#define {} {}", c.name, c.spelling));
        w.blank();
    }
    for e in model.enums.iter().filter(|e| part.owns(&e.defined_in)) {
        enumeration(&mut w, model, e);
        w.blank();
    }
    // A typedef follows the struct it names, or comes first when another header
    // defines that struct.
    let typedefs_of = |target: Option<crate::model::StructId>| {
        model.typedefs.iter().filter(move |t| {
            let external = model.structure(t.target).defined_in.is_some();
            part == Part::Main
                && match target {
                    Some(id) => t.target == id && !external,
                    None => external,
                }
        })
    };
    for t in typedefs_of(None) {
        typedef(&mut w, model, t);
        w.blank();
    }
    for (i, s) in model.structs.iter().enumerate() {
        if !part.owns(&s.defined_in) {
            continue;
        }
        structure(&mut w, model, s);
        w.blank();
        for t in typedefs_of(Some(crate::model::StructId::new(i))) {
            typedef(&mut w, model, t);
            w.blank();
        }
    }
    if part != Part::Main {
        macro_blocks_at_end(&mut w, model, part);
        layout_checks(&mut w, model, &prefix, part);
        if let Some(guard) = guard {
            w.blank();
            w.line(format_args!("#endif // {guard}"));
        }
        return finish(w);
    }
    for h in &model.hooks {
        hook(&mut w, model, h);
        w.blank();
    }
    if !model.helpers.is_empty() {
        w.lines(
            "// Helpers are called by ID: each is a constant function pointer of the helper's type, so a
// call compiles to a BPF `call ID`. Doxygen defines __doxygen and sees plain prototypes.
#if !defined(__doxygen) && !defined(EBPF_HELPER)
#define EBPF_HELPER(return_type, name, args) typedef return_type(*const name##_t) args
#endif",
        );
        w.blank();
        for (i, h) in model.helpers.iter().enumerate() {
            helper::helper(&mut w, model, h);
            w.blank();
            helper::blocks_after(&mut w, model, crate::model::HelperId::new(i));
        }
    }
    macro_blocks_at_end(&mut w, model, part);
    layout_checks(&mut w, model, &prefix, part);
    finish(w)
}

fn finish(w: CWriter) -> String {
    let mut text = w.finish();
    // The file ends with its last line's newline, whatever came last.
    while text.ends_with("\n\n") {
        text.pop();
    }
    text
}

/// The macro a drop-in's definitions are guarded by: the last macro its blocks
/// define, which the header it stands in for defines too, so that after that header
/// the drop-in defines nothing. `None` for the main header, or a drop-in of no macro.
fn drop_in_guard(model: &Model, part: Part) -> Option<String> {
    let Part::DropIn(_) = part else {
        return None;
    };
    let blocks = model
        .macro_blocks
        .iter()
        .filter(|b| part.owns(&b.defined_in));
    let last = blocks.flat_map(|b| b.defined_macros()).last()?;
    Some(last.to_owned())
}

/// The macro blocks placed after no helper, in spec order.
fn macro_blocks_at_end(w: &mut CWriter, model: &Model, part: Part) {
    let blocks = model.macro_blocks.iter();
    for block in blocks.filter(|b| b.after.is_none() && part.owns(&b.defined_in)) {
        helper::block(w, block);
    }
}

/// `typedef TARGET NAME;` with its comment.
fn typedef(w: &mut CWriter, model: &Model, t: &crate::model::Typedef) {
    w.comment(&doc_lines(&t.doc));
    w.line(format_args!(
        "typedef {} {};",
        model.structure(t.target).name,
        t.name
    ));
}

/// Width of the comment lines that name items defined by other headers.
const EXTERNAL_LINE_WIDTH: usize = 96;

/// One line per header that defines items of the spec: the C header uses them as
/// that header defines them (its includer includes it first) and defines none.
fn external_items(w: &mut CWriter, model: &Model) {
    let names = (model.constants.iter().map(|c| (&c.defined_in, &c.name)))
        .chain(model.enums.iter().map(|e| (&e.defined_in, &e.name)))
        .chain(model.structs.iter().map(|s| (&s.defined_in, &s.name)));
    let mut by_header: Vec<(&str, Vec<&str>)> = Vec::new();
    for (header, name) in names {
        let Some(header) = header else { continue };
        match by_header.iter_mut().find(|(h, _)| h == header) {
            Some((_, names)) => names.push(name),
            None => by_header.push((header, vec![name])),
        }
    }
    for (header, names) in &by_header {
        let included = (model.header.project_includes.iter()).any(|i| i.file == **header);
        let mut line = if included {
            format!("// Defined in {header}, included above:")
        } else {
            format!("// Defined in {header}, which must be included first:")
        };
        for (i, name) in names.iter().enumerate() {
            let end = if i + 1 == names.len() { "." } else { "," };
            if line.len() + 1 + name.len() + end.len() > EXTERNAL_LINE_WIDTH {
                w.line(&line);
                line = "//".to_owned();
            }
            line.push_str(&format!(" {name}{end}"));
        }
        w.line(&line);
    }
    if !by_header.is_empty() {
        w.blank();
    }
}

/// The header's file stem in upper case, other characters than letters and digits
/// as `_` (`ebpf_nethooks` -> `EBPF_NETHOOKS`): the prefix of its own macros.
fn macro_prefix(stem: &str) -> String {
    crate::c_naming::macro_prefix(stem)
}

/// `typedef enum TAG { ... } NAME;`, each enumerator with its comment.
fn enumeration(w: &mut CWriter, model: &Model, e: &Enumeration) {
    w.comment(&doc_lines(&e.doc));
    w.open(typedef_head("enum", e.tag.as_deref()));
    for v in &e.enumerators {
        let mut lines = doc_lines(&v.doc);
        if let Some(note) = &v.deprecated {
            lines.push(String::new());
            lines.push(format!("@deprecated {}", escape::c_doc(note)));
        }
        w.comment(&lines);
        let value = v.expr.spelling(model).map(|value| format!(" = {value}"));
        w.line(format_args!("{}{},", v.name, value.unwrap_or_default()));
    }
    w.close(&format!(" {};", e.name));
}

/// `typedef struct TAG` (or untagged), the line before the body.
fn typedef_head(keyword: &str, tag: Option<&str>) -> String {
    match tag {
        Some(tag) => format!("typedef {keyword} {tag}"),
        None => format!("typedef {keyword}"),
    }
}

/// `typedef struct TAG { ... } NAME;`, anonymous members nested in place.
fn structure(w: &mut CWriter, model: &Model, s: &Structure) {
    w.comment(&doc_lines(&s.doc));
    w.open(typedef_head("struct", s.tag.as_deref()));
    members(w, model, &s.members);
    w.close(&format!(" {};", s.name));
}

/// Each member with its comment, a blank line between two.
fn members(w: &mut CWriter, model: &Model, list: &[Member]) {
    for (i, m) in list.iter().enumerate() {
        if i > 0 {
            w.blank();
        }
        w.comment(&doc_lines(&m.doc));
        match &m.kind {
            MemberKind::Field {
                name, ty, array, ..
            } => {
                let suffix = array.map(|n| format!("[{n}]")).unwrap_or_default();
                w.line(format_args!("{} {name}{suffix};", ty.c_spelling(model)));
            }
            MemberKind::Anonymous {
                aggregate,
                members: inner,
                ..
            } => {
                w.open(aggregate.c_keyword());
                members(w, model, inner);
                w.close(";");
            }
        }
    }
}

/// Doxygen label of a program type's section on the program types page.
fn program_type_label(program_type: &str) -> String {
    format!("program_type_{program_type}")
}

/// Doxygen label of an attach type's subsection on the program types page.
pub(super) fn attach_type_label(attach_type: &str) -> String {
    format!("attach_type_{attach_type}")
}

/// A Doxygen page with a section per program type and a subsection per attach type,
/// so that hooks and helpers can `\ref` them: these identifiers are defined by eBPF
/// for Windows, not by this header.
fn program_types_page(model: &Model, prefix: &str) -> Vec<String> {
    let page = format!("{}_program_types", prefix.to_lowercase());
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
        lines.push(escape::c_doc(&h.doc.brief));
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
                escape::c_doc(&a.doc.brief),
                escape::c_doc(&a.section)
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
    lines
}

/// `typedef RET NAME(CONTEXT* PARAM);` with its program and attach types.
fn hook(w: &mut CWriter, model: &Model, h: &Hook) {
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
        escape::c_doc(&h.param.doc.brief)
    ));
    for r in &h.retvals {
        lines.push(retval(r));
    }
    w.comment(&lines);
    w.line(format_args!("typedef {}", h.returns.c_spelling(model)));
    w.line(format_args!(
        "{}({}* {});",
        h.name,
        model.structure(h.context).name,
        h.param.name
    ));
}

/// `@retval VALUE text`. The value is Doxygen's first word, where escapes do not
/// work; the resolver only admits names, numbers and `<0`-style conditions.
pub(super) fn retval(r: &RetVal) -> String {
    format!("@retval {} {}", r.value, escape::c_doc(&r.doc.brief))
}

/// `sizeof`/`offsetof` checks of every struct and named member, anonymous ones' too.
fn layout_checks(w: &mut CWriter, model: &Model, prefix: &str, part: Part) {
    // Structs another header defines are checked there.
    if !model.structs.iter().any(|s| part.owns(&s.defined_in)) {
        return;
    }
    // The drop-in's own prefix (`EBPF_WINDOWS_`), as `c_naming` spells it.
    let check = format!("{prefix}_CHECK_LAYOUT");
    w.line("// Layout checks: the sizes and offsets computed by the generator's layout engine.");
    w.line("#if !defined(__doxygen) && (defined(__GNUC__) || defined(__clang__))");
    w.line("#ifdef __cplusplus");
    w.line(format_args!(
        "#define {check}(expr) static_assert(expr, #expr)"
    ));
    w.line("#else");
    w.line(format_args!(
        "#define {check}(expr) _Static_assert(expr, #expr)"
    ));
    w.line("#endif");
    for s in model.structs.iter().filter(|s| part.owns(&s.defined_in)) {
        w.line(format_args!(
            "{check}(sizeof({}) == {});",
            s.name, s.layout.size
        ));
        for (_, member) in s.leaf_fields() {
            if let Some(name) = member.name() {
                w.line(format_args!(
                    "{check}(__builtin_offsetof({}, {name}) == {});",
                    s.name, member.placement.offset
                ));
            }
        }
    }
    w.line(format_args!("#undef {check}"));
    w.line("#endif");
}
