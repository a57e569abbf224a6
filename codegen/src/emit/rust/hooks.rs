//! The `hooks` module of the Rust bindings (`generated/rust/src/hooks.rs`): one
//! zero-sized marker type per attach type, a context wrapper typed by attach type,
//! and one trait per helper implemented only for the attach types the spec makes it
//! available at. A safe helper method on the wrapper requires that trait, so calling
//! a helper where it is not available is a compile error.

use crate::emit::artifact::EmitError;
use crate::model::{Direction, EnumUse, Helper, MemberKind, Model, ReleaseKey, Structure, Type};

use super::names::{
    attribute_name, availability_trait, marker_name, rust_primitives, rust_type_in_child,
};
use super::releases;
use super::writer::{RustWriter, string};

/// `AttachPoint` and its sealing: the same for every spec.
const PRELUDE: &str = include_str!("../../../templates/rust/hooks_prelude.rs");
/// `Context<'_, A>` and its impls: the same for every spec.
const CONTEXT: &str = include_str!("../../../templates/rust/hooks_context.rs");

/// Renders the module. It cannot fail; the `Result` is every emitter's signature.
pub fn emit(model: &Model) -> Result<String, EmitError> {
    let mut w = RustWriter::new(model);
    w.lines(
        "//! Typed program contexts: which helpers a program may call, checked at compile time.
//!
//! Each attach type has a marker type here, and [`Context<'_, A>`](Context) is a
//! program's context at attach type `A`. It dereferences to the context struct, and
//! has a safe method per helper that compiles only at the attach types where the
//! spec makes that helper available. The hook attributes hand it to a program that
//! takes it instead of the raw `&mut` context.",
    );
    w.blank();
    w.lines(PRELUDE);
    for h in &model.hooks {
        let attribute = attribute_name(h);
        let context = &model.structure(h.context).name;
        for a in &h.attach_types {
            let marker = marker_name(a);
            w.blank();
            let gated = releases::open_key_gate(&mut w, model, &ReleaseKey::Attach(a.name.clone()));
            w.docs(&a.doc);
            w.line("///");
            w.doc(&format!(
                "Attach type `{}` of `{}` (`{}`): programs marked `#[{attribute}]` for it are placed in ELF section `{}`.",
                a.name, h.name, a.attach_type, a.section
            ));
            w.line("#[derive(Debug)]");
            w.line(format_args!("pub enum {marker} {{}}"));
            w.blank();
            w.line(format_args!("impl sealed::Sealed for {marker} {{}}"));
            w.blank();
            w.open(format_args!("impl AttachPoint for {marker}"));
            w.line(format_args!("type Context = super::{context};"));
            w.line(format_args!(
                "const NAME: &'static str = {};",
                string(&a.name)
            ));
            w.line(format_args!(
                "const ATTACH_TYPE: &'static str = {};",
                string(&a.attach_type)
            ));
            w.line(format_args!(
                "const SECTION: &'static str = {};",
                string(&a.section)
            ));
            w.close("");
            releases::close_gate(&mut w, gated);
        }
    }
    w.blank();
    plain_data_impls(&mut w, model);
    w.blank();
    w.lines(CONTEXT);
    // General helpers are plain functions of the bindings: every hook may call them.
    for h in model.helpers.iter().filter(|h| h.hook.is_some()) {
        w.blank();
        let gated = releases::open_gate(&mut w, model, &h.name);
        helper(&mut w, model, h);
        releases::close_gate(&mut w, gated);
    }
    Ok(w.finish())
}

/// `PlainData` for the integers, arrays and slices of them, open enums, and every
/// struct whose members are all plain data themselves.
fn plain_data_impls(w: &mut RustWriter, model: &Model) {
    w.lines(
        "/// Types for which every bit pattern is a valid value, so a helper may fill
/// them with bytes or read them as bytes.
///
/// # Safety
///
/// Implement only for types without invalid bit patterns (no `bool`, no
/// references, no closed enums).
pub unsafe trait PlainData {}
",
    );
    for primitive in rust_primitives() {
        w.line(format_args!("unsafe impl PlainData for {primitive} {{}}"));
    }
    w.line("unsafe impl<T: PlainData, const N: usize> PlainData for [T; N] {}");
    w.line("unsafe impl<T: PlainData> PlainData for [T] {}");
    for e in model.enums.iter().filter(|e| e.usage == EnumUse::Value) {
        w.line(format_args!(
            "unsafe impl PlainData for super::{} {{}}",
            e.name
        ));
    }
    for s in model.structs.iter().filter(|s| is_plain_struct(model, s)) {
        if let Some(cfg) = releases::item_cfg(model, &s.name) {
            w.line(cfg);
        }
        w.line(format_args!(
            "unsafe impl PlainData for super::{} {{}}",
            s.name
        ));
    }
}

fn is_plain_struct(model: &Model, s: &Structure) -> bool {
    s.leaf_fields().iter().all(|(_, m)| match &m.kind {
        MemberKind::Field { ty, .. } => is_plain(model, ty),
        MemberKind::Anonymous { .. } => true,
    })
}

fn is_plain(model: &Model, ty: &Type) -> bool {
    match ty {
        Type::Primitive(_) | Type::Pointer(_) => true,
        Type::Enum(id) => model.enum_(*id).usage != EnumUse::Verdict,
        Type::Struct(id) | Type::Alias { target: id, .. } => {
            is_plain_struct(model, model.structure(*id))
        }
        Type::Void => false,
        Type::Const(inner) => is_plain(model, inner),
    }
}

/// The trait of the attach types a helper is available at, and its safe method.
fn helper(w: &mut RustWriter, model: &Model, h: &Helper) {
    let Some(hook) = model.helper_hook(h) else {
        return;
    };
    let name = &h.name;
    let has = availability_trait(h);
    let available = if h.available_at.is_empty() {
        "none".to_owned()
    } else {
        let names: Vec<&str> = model.available_at(h).map(|a| a.name.as_str()).collect();
        names.join(", ")
    };
    let message = format!("`{name}` cannot be called at attach type `{{Self}}`");
    let note = if h.available_at.is_empty() {
        format!("`{name}` is available at no attach type")
    } else {
        format!("`{name}` is available at: {available}")
    };
    let context = &model.structure(hook.context).name;

    // When the first parameter is the program's own context, the method passes it
    // itself; any other parameter is the caller's.
    let takes_context = h.params.first().is_some_and(|p| {
        p.ty.pointee()
            .is_some_and(|t| *t == Type::Struct(hook.context))
    });
    let (mut args, rest) = if takes_context {
        (vec!["&mut *self.context".to_owned()], &h.params[1..])
    } else {
        (Vec::new(), &h.params[..])
    };
    let mut params = vec!["&mut self".to_owned()];
    let mut setup: Vec<(String, String, Vec<String>)> = Vec::new();
    let mut generics = Vec::new();
    let mut unsafe_method = false;
    let mut i = 0;
    while i < rest.len() {
        let p = &rest[i];
        let pname = &p.name;
        let next_is_size = rest
            .get(i + 1)
            .is_some_and(|n| matches!(n.ty, Type::Primitive(p) if !p.is_signed()));
        match &p.ty {
            // A buffer and its size: one `PlainData` reference, its size computed here.
            Type::Pointer(inner) if **inner == Type::Void && next_is_size => {
                let size = &rest[i + 1];
                let size_ty = rust_type_in_child(model, &size.ty);
                let t = format!("T{}", generics.len());
                generics.push(format!("{t}: PlainData + ?Sized"));
                let (reference, pointer) = match p.direction {
                    Direction::In => (
                        format!("&{t}"),
                        format!("({pname} as *const {t}).cast_mut()"),
                    ),
                    Direction::Out | Direction::InOut => {
                        (format!("&mut {t}"), format!("({pname} as *mut {t})"))
                    }
                };
                params.push(format!("{pname}: {reference}"));
                setup.push((
                    format!("let {}: {size_ty}", size.name),
                    format!("core::mem::size_of_val({pname})"),
                    vec![
                        ".try_into()".to_owned(),
                        format!(".unwrap_or({size_ty}::MAX)"),
                    ],
                ));
                args.push(format!("{pointer}.cast()"));
                args.push(size.name.clone());
                i += 2;
            }
            Type::Primitive(_) | Type::Enum(_) => {
                params.push(format!("{pname}: {}", rust_type_in_child(model, &p.ty)));
                args.push(pname.clone());
                i += 1;
            }
            _ => {
                // Anything else is passed raw, and the caller vouches for it.
                params.push(format!("{pname}: {}", rust_type_in_child(model, &p.ty)));
                args.push(pname.clone());
                unsafe_method = true;
                i += 1;
            }
        }
    }
    let returns = rust_type_in_child(model, &h.returns.ty);

    w.doc(&format!(
        "The attach types at which [`{name}`](super::{name}) may be called: {available}."
    ));
    w.open_bracket("#[diagnostic::on_unimplemented(");
    w.line(format_args!("message = {},", string(&message)));
    w.line("label = \"not available at this attach type\",");
    w.line(format_args!("note = {}", string(&note)));
    w.close_bracket(")]");
    w.line(format_args!("pub trait {has}: AttachPoint {{}}"));
    w.blank();
    for a in model.available_at(h) {
        // A helper added with the attach type needs no `cfg` of its own for it.
        let attach = model.releases.added_in(&ReleaseKey::Attach(a.name.clone()));
        if attach.is_some() && attach != model.releases.item_added_in(&h.name) {
            releases::cfg_line(w, model, &ReleaseKey::Attach(a.name.clone()));
        }
        w.line(format_args!("impl {has} for {} {{}}", marker_name(a)));
    }
    w.blank();
    w.open(format_args!(
        "impl<A: AttachPoint<Context = super::{context}>> Context<'_, A>"
    ));
    w.docs(&h.doc);
    w.line("///");
    w.doc(&format!(
        "Compiles only at the attach types where the spec makes it available: {available}."
    ));
    if unsafe_method {
        w.lines(
            "///
/// # Safety
///
/// Every pointer argument must be valid for the access the helper makes.",
        );
    }
    w.line("#[inline(always)]");
    let unsafety = if unsafe_method { "unsafe " } else { "" };
    let generics = if generics.is_empty() {
        String::new()
    } else {
        format!("<{}>", generics.join(", "))
    };
    w.signature(
        &format!("pub {unsafety}fn {name}{generics}"),
        &params,
        &format!(" -> {returns}"),
    );
    w.line("where");
    w.line(format_args!("    A: {has},"));
    w.open("");
    if !setup.is_empty() {
        w.line("// A size beyond the parameter's range is cut: the helper then sees less.");
    }
    for (binding, receiver, calls) in &setup {
        w.chain(&format!("{binding} = "), receiver, calls, ";");
    }
    if !unsafe_method {
        w.line("// SAFETY: the context is the program's own, and each buffer pointer");
        w.line("// comes with its exact size.");
    }
    w.unsafe_call("", &format!("super::{name}"), &args, "");
    w.close("");
    w.close("");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{HelperParam, Primitive};

    fn param(name: &str, ty: Type, direction: Direction) -> HelperParam {
        HelperParam {
            name: name.to_owned(),
            ty,
            direction,
            doc: crate::model::Doc {
                brief: "A parameter.".to_owned(),
                details: Vec::new(),
            },
        }
    }

    /// The spec of this repository, with one more helper of the given parameters.
    fn emit_with(params: Vec<HelperParam>) -> String {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/nethooks.toml");
        let mut model = crate::load(std::path::Path::new(root), "spec.toml").unwrap();
        let mut extra = model.helpers[0].clone();
        extra.name = "test_extra_helper".to_owned();
        extra.params = params;
        model.helpers.push(extra);
        let text = emit(&model).unwrap();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn helper_parameters_become_safe_arguments_where_they_can() {
        let context = model_context();
        let ctx = || {
            param(
                "ctx",
                Type::Pointer(Box::new(context.clone())),
                Direction::In,
            )
        };
        let void = || Type::Pointer(Box::new(Type::Void));
        let u32_ = || Type::Primitive(Primitive::U32);
        // (parameters, the method's signature as emitted)
        let cases: Vec<(Vec<HelperParam>, &str)> = vec![
            (
                vec![
                    ctx(),
                    param("data", void(), Direction::In),
                    param("size", u32_(), Direction::In),
                ],
                "pub fn test_extra_helper<T0: PlainData + ?Sized>(&mut self, data: &T0) -> i32",
            ),
            (
                vec![
                    ctx(),
                    param("out", void(), Direction::Out),
                    param("size", u32_(), Direction::In),
                ],
                "pub fn test_extra_helper<T0: PlainData + ?Sized>(&mut self, out: &mut T0) -> i32",
            ),
            (
                vec![ctx(), param("flags", u32_(), Direction::In)],
                "pub fn test_extra_helper(&mut self, flags: u32) -> i32",
            ),
            (
                // A buffer without a size cannot be checked: the caller vouches for it.
                vec![ctx(), param("data", void(), Direction::In)],
                "pub unsafe fn test_extra_helper(&mut self, data: *mut core::ffi::c_void) -> i32",
            ),
            (
                vec![param("flags", u32_(), Direction::In)],
                "pub fn test_extra_helper(&mut self, flags: u32) -> i32",
            ),
        ];
        for (params, signature) in cases {
            let names: Vec<String> = params.iter().map(|p| p.name.clone()).collect();
            let text = emit_with(params);
            assert!(text.contains(signature), "{names:?}: no `{signature}`");
        }
    }

    /// The context struct of the hook of the spec's first helper.
    fn model_context() -> Type {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/nethooks.toml");
        let model = crate::load(std::path::Path::new(root), "spec.toml").unwrap();
        let hook = model.helpers[0].hook.expect("a helper of a hook");
        Type::Struct(model.hook(hook).context)
    }
}
