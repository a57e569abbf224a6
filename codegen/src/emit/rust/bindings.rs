//! The Rust bindings: a `#![no_std]` crate of `#[repr(C)]` types with the C names,
//! safe accessors for every C member, helper functions called by ID, and
//! compile-time checks of the layout engine's numbers.
//!
//! Representation rules, from each enum's [`EnumUse`]:
//! - a verdict becomes a closed `#[repr(i32)]` enum: a program cannot return a
//!   value outside the documented set;
//! - a value (a member or parameter type) becomes an open `i32` newtype with
//!   associated constants, since the host may pass numbers this spec does not list
//!   and every bit pattern must be sound to read;
//! - a set of constants becomes an `i32` type alias and top-level `const`s.

use crate::emit::artifact::EmitError;
use crate::emit::escape;
use crate::model::{
    EnumUse, EnumUser, Enumeration, EnumeratorId, Helper, Hook, Model, ReleaseKey, Type, ValueExpr,
};

use super::docs::{helper_links, item_docs};
use super::names::{self, helper_params, rust_type};
use super::releases;
use super::writer::{RustWriter, string};

/// Renders `lib.rs`, or for a spec with `rust_module` that module's file. It cannot
/// fail; the `Result` is every emitter's signature.
pub fn emit(model: &Model) -> Result<String, EmitError> {
    let mut w = RustWriter::new(model);
    let crate_doc: Vec<String> = model
        .header
        .doc
        .paragraphs()
        .map(escape::rust_doc)
        .collect();
    w.inner_doc(&crate_doc.join("\n\n"));
    if model.is_root() {
        w.lines(
            "#![no_std]
#![allow(non_camel_case_types, non_upper_case_globals, non_snake_case)]
#![deny(missing_docs)]

// Only for the thread-local test doubles (`testing::this_thread`).
#[cfg(feature = \"std\")]
extern crate std;",
        );
        if !model.releases.all.is_empty() {
            w.blank();
            w.lines(releases::SINCE_RELEASE_MACRO);
        }
    }
    for c in &model.constants {
        w.blank();
        w.docs(&c.doc);
        releases::cfg_line(&mut w, model, &ReleaseKey::Item(c.name.clone()));
        w.line(format_args!(
            "pub const {}: i32 = {};",
            c.name,
            integer(&c.spelling)
        ));
    }
    for e in &model.enums {
        w.blank();
        let gated = releases::open_gate(&mut w, model, &e.name);
        enumeration(&mut w, model, e);
        releases::close_gate(&mut w, gated);
    }
    // Called by the structs' layout checks only.
    if !model.structs.is_empty() {
        w.blank();
        w.lines(super::structs::LAYOUT_CHECK_FN);
    }
    for s in &model.structs {
        w.blank();
        let gated = releases::open_gate(&mut w, model, &s.name);
        super::structs::structure(&mut w, model, s);
        releases::close_gate(&mut w, gated);
    }
    for t in &model.typedefs {
        w.blank();
        w.docs(&t.doc);
        releases::cfg_line(&mut w, model, &ReleaseKey::Item(t.name.clone()));
        w.line(format_args!(
            "pub type {} = {};",
            t.name,
            model.structure(t.target).name
        ));
    }
    for h in &model.hooks {
        w.blank();
        hook(&mut w, model, h);
    }
    for h in &model.helpers {
        w.blank();
        let gated = releases::open_gate(&mut w, model, &h.name);
        helper(&mut w, model, h);
        releases::close_gate(&mut w, gated);
    }
    if super::seam::has_seam(model) {
        w.blank();
        super::seam::helper_id(&mut w, model);
    }
    w.blank();
    super::testing::test_doubles(&mut w, model);
    w.blank();
    super::abi::module(&mut w, model);
    if model.is_root() {
        w.blank();
        // `hooks`, and the bindings of the other specs of the run, one module each,
        // in rustfmt's order.
        let mut modules: Vec<&str> = (model.header.siblings.iter())
            .filter_map(|s| s.rust_module.as_deref())
            .chain(["hooks"])
            .collect();
        modules.sort_unstable();
        for module in modules {
            w.line(format_args!("pub mod {module};"));
        }
    }
    Ok(w.finish())
}

/// An integer as the spec spells it, keeping `0xFFFF` hexadecimal. The resolver
/// accepts `-`, `0x`/`0X` and digits only; Rust wants a lower-case `0x`.
fn integer(spelling: &str) -> String {
    spelling.replacen("0X", "0x", 1)
}

/// The value of an enumerator as a Rust expression (`SOCK_ADDR_EXT_HELPER_FN_BASE + 1`).
fn value_expr(model: &Model, expr: &ValueExpr, value: i64) -> String {
    match expr {
        ValueExpr::Literal(text) => integer(text),
        ValueExpr::Offset { constant, offset } => model.constant(*constant).offset_by(*offset),
        ValueExpr::Implicit | ValueExpr::Alias(_) => value.to_string(),
    }
}

/// `#[deprecated]` on an enumerator's Rust item. An alias older than its target
/// (`BIND_PERMIT`) is deprecated only from the release that added the target: before
/// it, the alias's name is the only one.
fn deprecated(w: &mut RustWriter, model: &Model, v: &crate::model::Enumerator) {
    let Some(note) = &v.deprecated else {
        return;
    };
    let target = v.alias_of().map(|t| &model.enumerator(t).name);
    let since = (target.filter(|_| alias_outlives_target(model, v)))
        .and_then(|t| model.releases.item_added_in(t));
    match since {
        Some(release) => w.cfg_attr(
            &releases::feature(release),
            &format!("deprecated(note = {})", string(note)),
        ),
        None => w.line(format_args!("#[deprecated(note = {})]", string(note))),
    }
}

/// A paragraph per hook that returns the enum.
fn verdict_notes(model: &Model, e: &Enumeration) -> Vec<String> {
    e.used_by
        .iter()
        .filter_map(|user| match user {
            EnumUser::Verdict(hook) => Some(format!(
                "This is the verdict of [`{}`] programs.",
                model.hook(*hook).name
            )),
            _ => None,
        })
        .collect()
}

/// Whether an alias is older than the enumerator it stands for (`BIND_PERMIT`, a
/// name of 1.0.0-rc2, for `BIND_PERMIT_SOFT` of 1.1.0), so a crate targeting the
/// older release has the alias without its target.
fn alias_outlives_target(model: &Model, v: &crate::model::Enumerator) -> bool {
    let Some(target) = v.alias_of() else {
        return false;
    };
    let first = |name: &str| {
        model
            .releases
            .first_seen
            .get(&ReleaseKey::Item(name.to_owned()))
            .copied()
    };
    first(&model.enumerator(target).name) > first(&v.name)
}

/// Rust name of the enumerator an alias stands for.
fn alias_target(model: &Model, target: EnumeratorId) -> &str {
    &model.enumerator(target).name
}

fn enumeration(w: &mut RustWriter, model: &Model, e: &Enumeration) {
    let name = &e.name;
    let notes = verdict_notes(model, e);
    match e.usage {
        EnumUse::Verdict => {
            item_docs(w, &e.doc, &notes);
            w.line("#[repr(i32)]");
            w.line("#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]");
            w.open(format_args!("pub enum {name}"));
            for v in e.primary_enumerators() {
                w.docs(&v.doc);
                releases::cfg_line(w, model, &releases::enumerator_key(e, v));
                w.line(format_args!("{} = {},", v.name, v.value));
            }
            w.close("");
            w.blank();
            w.open(format_args!("impl {name}"));
            for v in &e.enumerators {
                if let Some(target) = v.alias_of() {
                    w.docs(&v.doc);
                    deprecated(w, model, v);
                    releases::cfg_line(w, model, &ReleaseKey::Item(v.name.clone()));
                    let target = alias_target(model, target);
                    w.line(format_args!("pub const {}: Self = Self::{target};", v.name));
                }
            }
            let keyed: Vec<(String, ReleaseKey)> = (e.primary_enumerators())
                .map(|v| (format!("Self::{}", v.name), releases::enumerator_key(e, v)))
                .collect();
            // The array's length differs between releases that add values.
            for (cfg, all) in releases::stretches(model, &keyed) {
                let all: Vec<String> = all.into_iter().cloned().collect();
                w.line("/// Every value, in declaration order.");
                if let Some(cfg) = cfg {
                    w.line(cfg);
                }
                w.list(
                    &format!("pub const ALL: [Self; {}] = [", all.len()),
                    &all,
                    ";",
                );
            }
            w.lines(
                "/// The value as the C ABI passes it.
pub const fn to_raw(self) -> i32 {
    self as i32
}
/// The variant with this C value, if there is one.",
            );
            w.open("pub const fn from_raw(raw: i32) -> Option<Self>");
            w.open("match raw");
            for v in e.primary_enumerators() {
                releases::cfg_line(w, model, &releases::enumerator_key(e, v));
                let v = &v.name;
                w.arm(
                    &format!("x if x == Self::{v} as i32"),
                    &format!("Some(Self::{v})"),
                );
            }
            w.line("_ => None,");
            w.close("");
            w.close("");
            w.close("");
        }
        EnumUse::Value => {
            item_docs(w, &e.doc, &notes);
            w.line("///");
            w.line("/// An open set: the host may pass values that are not listed here.");
            w.line("#[repr(transparent)]");
            w.line("#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]");
            w.line(format_args!("pub struct {name}(pub i32);"));
            w.blank();
            w.open(format_args!("impl {name}"));
            for v in &e.enumerators {
                if let (None, Some(stretches)) =
                    (v.alias_of(), model.releases.value_stretches(&v.name))
                {
                    // An implicit value that a later release moved: one per stretch.
                    for (i, (since, until, value)) in stretches.into_iter().enumerate() {
                        if i > 0 {
                            w.blank();
                        }
                        w.docs(&v.doc);
                        deprecated(w, model, v);
                        w.line(releases::span_cfg(model, since, until));
                        w.assign(
                            &format!("pub const {}: Self", v.name),
                            &format!("Self({value})"),
                        );
                    }
                    continue;
                }
                w.docs(&v.doc);
                deprecated(w, model, v);
                releases::cfg_line(w, model, &ReleaseKey::Item(v.name.clone()));
                let value = match v.alias_of() {
                    // An older name whose target a later release added: its value.
                    Some(_) if alias_outlives_target(model, v) => format!("Self({})", v.value),
                    Some(target) => format!("Self::{}", alias_target(model, target)),
                    None => format!("Self({})", value_expr(model, &v.expr, v.value)),
                };
                w.assign(&format!("pub const {}: Self", v.name), &value);
            }
            w.close("");
            w.blank();
            w.open(format_args!("impl core::fmt::Debug for {name}"));
            w.open("fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result");
            w.open("match *self");
            for v in e.primary_enumerators() {
                releases::cfg_line(w, model, &ReleaseKey::Item(v.name.clone()));
                w.arm(
                    &format!("Self::{}", v.name),
                    &format!("f.write_str({})", string(&v.name)),
                );
            }
            w.arm(
                "Self(other)",
                &format!("write!(f, {}, other)", string(&format!("{name}({{}})"))),
            );
            w.close("");
            w.close("");
            w.close("");
        }
        EnumUse::Constants => {
            item_docs(w, &e.doc, &notes);
            w.line(format_args!("pub type {name} = i32;"));
            for v in &e.enumerators {
                w.blank();
                w.docs(&v.doc);
                deprecated(w, model, v);
                releases::cfg_line(w, model, &ReleaseKey::Item(v.name.clone()));
                let value = match v.alias_of() {
                    Some(_) if alias_outlives_target(model, v) => v.value.to_string(),
                    Some(target) => alias_target(model, target).to_owned(),
                    None => value_expr(model, &v.expr, v.value),
                };
                w.assign(&format!("pub const {}: {name}", v.name), &value);
            }
        }
    }
}

/// Intra-doc link to a helper ID: a `const` at the crate root, or an associated
/// const or variant of its enum type.
fn enumerator_link(model: &Model, id: EnumeratorId) -> String {
    let name = &model.enumerator(id).name;
    let e = model.enum_(id.enumeration);
    match e.usage {
        EnumUse::Constants => format!("[`{name}`]"),
        EnumUse::Verdict | EnumUse::Value => format!("[`{name}`]({}::{name})", e.name),
    }
}

fn hook(w: &mut RustWriter, model: &Model, h: &Hook) {
    let attach: Vec<String> = h
        .attach_types
        .iter()
        .map(|a| format!("`{}` (section `{}`)", a.attach_type, a.section))
        .collect();
    let returned = match &h.returns {
        Type::Enum(_) => format!("a [`{}`]", h.returns.c_spelling(model)),
        other => format!("`{}`", rust_type(model, other)),
    };
    let context = &model.structure(h.context).name;
    let mut signature =
        format!("A program receives a [`{context}`] context and returns {returned}.");
    let links = helper_links(model, h);
    if !links.is_empty() {
        signature.push_str(&format!(" Helpers it may call: {links}."));
    }
    w.docs(&h.doc);
    w.line("///");
    w.doc(&signature);
    super::docs::gated_notes(w, &super::docs::later_helper_notes(model, h));
    w.line("///");
    w.doc(&format!(
        "Program type: `{}`. Attach types: {}.",
        h.program_type,
        attach.join(", ")
    ));
    w.assign(
        &format!("pub type {}", h.name),
        &format!(
            "unsafe extern \"C\" fn({}: *mut {context}) -> {}",
            h.param.name,
            rust_type(model, &h.returns)
        ),
    );
}

fn helper(w: &mut RustWriter, model: &Model, h: &Helper) {
    let mut notes: Vec<String> = h
        .params
        .iter()
        .map(|p| {
            format!(
                "- `{}` ({}): {}",
                p.name,
                p.direction.as_str(),
                escape::rust_doc(&p.doc.brief)
            )
        })
        .collect();
    notes.extend(h.returns.values.iter().map(|r| {
        format!(
            "- returns `{}`: {}",
            r.value,
            escape::rust_doc(&r.doc.brief)
        )
    }));
    if let Some(doc) = &h.returns.doc {
        notes.push(format!("- returns: {}", escape::rust_doc(&doc.brief)));
    }
    let available: Vec<String> = model
        .available_at(h)
        .map(|a| format!("`{}`", a.name))
        .collect();
    w.docs(&h.doc);
    w.line("///");
    for note in &notes {
        w.doc(note);
    }
    w.line("///");
    w.doc(&match model.helper_hook(h) {
        Some(hook) => format!(
            "Called by ID {} from [`{}`] programs, whose context is [`{}`], at attach types: {}.",
            enumerator_link(model, h.id),
            hook.name,
            model.structure(hook.context).name,
            available.join(", ")
        ),
        None => format!(
            "Called by ID {} from the programs of every hook.",
            enumerator_link(model, h.id)
        ),
    });
    w.lines(
        "///
/// # Safety
///
/// Every pointer argument must be valid for the access the helper makes:
/// the program's own context, and buffers of the stated size.
#[inline(always)]",
    );
    let params = helper_params(model, h);
    let returns = rust_type(model, &h.returns.ty);
    w.open_fn(
        &format!("pub unsafe fn {}", h.name),
        &params.typed,
        &format!(" -> {returns}"),
    );
    w.line("#[cfg(target_arch = \"bpf\")]");
    w.open("");
    w.line("// Helpers are called by ID: the ID, cast to a function pointer,");
    w.line("// compiles to a BPF `call ID` instruction.");
    w.assign_fn_type(
        "let helper: unsafe extern \"C\" fn",
        &params.types,
        &returns,
        &format!(
            "unsafe {{ core::mem::transmute({} as usize) }}",
            model.enumerator(h.id).name
        ),
    );
    w.line(format_args!(
        "unsafe {{ helper({}) }}",
        params.names.join(", ")
    ));
    w.close("");
    w.line("#[cfg(not(target_arch = \"bpf\"))]");
    w.open("");
    w.call(
        &format!("testing::{}", names::host_call(h)),
        &params.names,
        "",
    );
    w.close("");
    w.close("");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_keep_their_spelling_in_rust_syntax() {
        assert_eq!(integer("0xFFFF"), "0xFFFF");
        assert_eq!(integer("0XfF"), "0xfF");
        assert_eq!(integer("-12"), "-12");
    }
}
