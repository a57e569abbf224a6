//! Every Rust name and type spelling the generator makes from the spec, in one place:
//! the bindings, the `hooks` module and the macros' hook table all ask here, so a
//! rule changed here changes everywhere at once.
//!
//! The naming rules themselves are in [`crate::rust_naming`], which the resolver
//! also reads to refuse specs whose derived names would collide
//! (`resolve::names`), without importing the emitter.
//!
//! Item names need no raw-identifier escaping: the resolver refuses Rust keywords as
//! names, and a C member named after one must state its `rust_name`.

use crate::model::{
    AttachType, EnumUse, Enumeration, Enumerator, Helper, Hook, Member, MemberKind, Model,
    Primitive, Type,
};
use crate::rust_naming;

/// The Rust integer type of a C integer type (C `int` is `i32` on every target the
/// ABI supports; `long` is `i64` and `size_t` `usize`, as on the BPF target).
pub fn primitive(p: Primitive) -> &'static str {
    match p {
        Primitive::U8 => "u8",
        Primitive::U16 => "u16",
        Primitive::U32 => "u32",
        Primitive::U64 => "u64",
        Primitive::I8 => "i8",
        Primitive::I16 => "i16",
        Primitive::I32 | Primitive::Int => "i32",
        Primitive::I64 | Primitive::Long => "i64",
        Primitive::SizeT => "usize",
        Primitive::IntPtr => "isize",
        Primitive::Char => "core::ffi::c_char",
    }
}

/// Each Rust integer type that a C integer type becomes, once, in [`Primitive::ALL`]
/// order.
pub fn rust_primitives() -> impl Iterator<Item = &'static str> {
    // `int` is spelt `i32`, as `int32_t` already is.
    Primitive::ALL
        .into_iter()
        .filter(|&p| p != Primitive::Int)
        .map(primitive)
}

/// The Rust spelling of a type of the spec: enums and structs keep their C typedef
/// names, pointers are `*mut`.
pub fn rust_type(model: &Model, ty: &Type) -> String {
    rust_type_from(model, ty, "")
}

/// [`rust_type`] as a child module of the bindings' (`hooks`) spells it: the spec's
/// enums and structs through `super::`, since they are not in scope there.
pub fn rust_type_in_child(model: &Model, ty: &Type) -> String {
    rust_type_from(model, ty, "super::")
}

fn rust_type_from(model: &Model, ty: &Type, path: &str) -> String {
    match ty {
        Type::Void => "core::ffi::c_void".to_owned(),
        Type::Primitive(p) => primitive(*p).to_owned(),
        Type::Enum(_) | Type::Struct(_) | Type::Alias { .. } => {
            format!("{path}{}", ty.c_spelling(model))
        }
        Type::Pointer(inner) => match &**inner {
            Type::Const(pointee) => format!("*const {}", rust_type_from(model, pointee, path)),
            other => format!("*mut {}", rust_type_from(model, other, path)),
        },
        Type::Const(inner) => rust_type_from(model, inner, path),
    }
}

/// A member's Rust type, with its array length (`[u8; 16]`).
pub fn field_type(model: &Model, ty: &Type, array: Option<u64>) -> String {
    match array {
        Some(n) => format!("[{}; {n}]", rust_type(model, ty)),
        None => rust_type(model, ty),
    }
}

/// The Rust spelling of a hook's return type: its verdict (an enum's typedef name,
/// or `i32`).
pub fn verdict_name(model: &Model, hook: &Hook) -> String {
    rust_type(model, &hook.returns)
}

/// Whether a hook's verdict is a Rust primitive integer rather than a type of the
/// bindings (which the hook attributes must reach through the facade crate).
pub fn verdict_is_primitive(hook: &Hook) -> bool {
    matches!(hook.returns, Type::Primitive(_))
}

/// An enumerator's value read back from its Rust item, as an `i64` expression: a
/// variant of a closed enum, an associated const of an open newtype, or a constant.
pub fn enumerator_value(e: &Enumeration, v: &Enumerator) -> String {
    let (owner, name) = (&e.name, &v.name);
    match e.usage {
        EnumUse::Verdict => format!("{owner}::{name} as i64"),
        EnumUse::Value => format!("{owner}::{name}.0 as i64"),
        EnumUse::Constants => format!("{name} as i64"),
    }
}

/// The attribute that marks a program of `hook`: the typedef name without `_t`
/// (`door_hook_t` -> `door_hook`).
pub fn attribute_name(hook: &Hook) -> String {
    rust_naming::attribute(&hook.name)
}

/// The zero-sized marker type of an attach type in the bindings' `hooks` module.
pub fn marker_name(attach: &AttachType) -> String {
    attach.marker.clone()
}

/// The marker type of the attach type with this short name: the name in
/// UpperCamelCase (`close_quietly6` -> `CloseQuietly6`). The resolver refuses two
/// attach types whose markers would be the same type.
pub fn marker_type_name(attach_name: &str) -> String {
    rust_naming::marker_type(attach_name)
}

/// The trait of the attach types a helper is available at
/// (`bpf_sock_ops_get_flow_id` -> `HasBpfSockOpsGetFlowId`).
pub fn availability_trait(helper: &Helper) -> String {
    rust_naming::availability_trait(&helper.name)
}

/// The type of a helper's host test double in `testing` (`<helper>_double`).
pub fn test_double(helper: &Helper) -> String {
    rust_naming::test_double(&helper.name)
}

/// The static that holds a helper's installed test double (`<HELPER>`).
pub fn test_double_slot(helper: &Helper) -> String {
    rust_naming::test_double_slot(&helper.name)
}

/// The function that calls a helper on the host: `testing::call_<helper>` reaches
/// its test double, `abi::call_<helper>` its binding with BPF registers.
pub fn host_call(helper: &Helper) -> String {
    rust_naming::host_call(&helper.name)
}

/// Rust name of the type generated for an anonymous member of `owner`
/// (`bpf_sock_addr_t`, `source` -> `bpf_sock_addr_source_t`).
pub fn anonymous_type_name(owner: &str, rust_name: &str) -> String {
    rust_naming::anonymous_type(owner, rust_name)
}

/// The Rust field path from a struct to one of its named members, through the
/// anonymous members on the way (`source.source_address.msg_src_ip4`).
pub fn field_path(path: &[&Member], member: &Member) -> String {
    let mut place = String::new();
    for p in path {
        if let MemberKind::Anonymous { rust_name, .. } = &p.kind {
            place.push_str(rust_name);
            place.push('.');
        }
    }
    place.push_str(member.rust_field_name().unwrap_or_default());
    place
}

/// A helper's parameters as Rust: `name: type` of each, the types alone, and the
/// names alone.
pub struct HelperParams {
    pub typed: Vec<String>,
    pub types: Vec<String>,
    pub names: Vec<String>,
}

pub fn helper_params(model: &Model, h: &Helper) -> HelperParams {
    let types: Vec<String> = h.params.iter().map(|p| rust_type(model, &p.ty)).collect();
    let names: Vec<String> = h.params.iter().map(|p| p.name.clone()).collect();
    let typed = names
        .iter()
        .zip(&types)
        .map(|(name, ty)| format!("{name}: {ty}"))
        .collect();
    HelperParams {
        typed,
        types,
        names,
    }
}

/// A member's setter (`set_<member>`); its getter has the member's name.
pub fn setter(field: &str) -> String {
    rust_naming::setter(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_names_are_upper_camel_case() {
        for (short, marker) in [
            ("ring", "Ring"),
            ("open4", "Open4"),
            ("close_quietly6", "CloseQuietly6"),
            ("knock__twice", "KnockTwice"),
            ("_leading", "Leading"),
        ] {
            assert_eq!(marker_type_name(short), marker, "{short}");
        }
    }

    #[test]
    fn every_c_integer_has_one_rust_integer() {
        let all: Vec<&str> = rust_primitives().collect();
        assert_eq!(all, ["u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64"]);
        assert_eq!(primitive(Primitive::Int), "i32");
    }
}
