//! The `abi` module of the Rust bindings: every struct's and member's layout and every
//! named integer's value, as Rust itself computes them (`size_of`, `offset_of!`).
//!
//! Tools that must address context members by name (a program runner filling a
//! context from `process_id=42`) read it, and the cross-language layout test compares
//! it with a C probe and with the layout engine. A program runner also finds there
//! which hook an ELF section belongs to (`HOOKS`) and each helper's ID and a way to
//! call its host binding by ID (`HELPERS`).

use crate::model::{
    EnumId, EnumUse, Enumeration, Enumerator, Helper, Hook, MemberKind, Model, Primitive, Type,
};

use super::rust::{field_type, rust_type};
use super::rust_structs::field_path;
use super::rust_writer::{RustWriter, string};

/// The module's types (`StructLayout`, `HookInfo`, ...): the same for every spec.
const TYPES: &str = include_str!("../../templates/rust/abi_types.rs");

pub(super) fn module(w: &mut RustWriter, model: &Model) {
    w.line("/// Layouts and values as compiled by Rust, for tools that address the ABI by name.");
    w.open("pub mod abi");
    w.line("use super::*;");
    w.blank();
    w.lines(TYPES);

    w.blank();
    w.line("/// Every struct of the ABI.");
    let head = format!(
        "pub const STRUCTS: [StructLayout; {}] = [",
        model.structs.len()
    );
    w.struct_list(
        &head,
        "StructLayout",
        model.structs.iter().collect(),
        ";",
        |w, s| {
            let name = &s.name;
            w.line(format_args!("name: {},", string(name)));
            w.line(format_args!("size: core::mem::size_of::<{name}>(),"));
            w.line(format_args!("align: core::mem::align_of::<{name}>(),"));
            let members: Vec<_> = s
                .leaf_fields()
                .into_iter()
                .filter_map(|(path, m)| match (m.name(), &m.kind) {
                    (Some(c_name), MemberKind::Field { ty, array, .. }) => {
                        Some((c_name, field_path(&path, m), field_type(model, ty, *array)))
                    }
                    _ => None,
                })
                .collect();
            w.struct_list(
                "members: &[",
                "MemberLayout",
                members,
                ",",
                |w, (c_name, path, ty)| {
                    w.line(format_args!("name: {},", string(c_name)));
                    w.call("offset: core::mem::offset_of!", &[name.clone(), path], ",");
                    w.line(format_args!("size: core::mem::size_of::<{ty}>(),"));
                },
            );
        },
    );

    w.blank();
    w.line("/// Every `#define` constant.");
    let constants = model
        .constants
        .iter()
        .map(|c| (c.name.as_str(), format!("{} as i64", c.name)))
        .collect();
    named_values(w, "pub const CONSTANTS: &[NamedValue] = &[", constants, ";");

    w.blank();
    w.line("/// Every enumerator of every enum, aliases included.");
    w.line("#[allow(deprecated)] // Deprecated aliases are listed too.");
    let enumerators = model
        .enums
        .iter()
        .flat_map(|e| e.enumerators.iter().map(move |v| named_value(e, v)))
        .collect();
    named_values(
        w,
        "pub const ENUMERATORS: &[NamedValue] = &[",
        enumerators,
        ";",
    );

    w.blank();
    w.line("/// Every hook, in spec order.");
    let hooks = model.hooks.iter().collect();
    w.struct_list(
        "pub const HOOKS: &[HookInfo] = &[",
        "HookInfo",
        hooks,
        ";",
        |w, h| hook_info(w, model, h),
    );

    w.blank();
    w.line("/// Every helper with a prototype, in spec order.");
    let helpers = model.helpers.iter().collect();
    w.struct_list(
        "pub const HELPERS: &[HelperInfo] = &[",
        "HelperInfo",
        helpers,
        ";",
        |w, h| helper_info(w, model, h),
    );

    for h in &model.helpers {
        w.blank();
        helper_call(w, model, h);
    }
    w.close("");
}

/// One enumerator's name and its value read back from the Rust item.
fn named_value<'m>(e: &Enumeration, v: &'m Enumerator) -> (&'m str, String) {
    let (owner, name) = (&e.name, &v.name);
    let value = match e.usage {
        EnumUse::Verdict => format!("{owner}::{name} as i64"),
        EnumUse::Value => format!("{owner}::{name}.0 as i64"),
        EnumUse::Constants => format!("{name} as i64"),
    };
    (name, value)
}

fn named_values(w: &mut RustWriter, head: &str, values: Vec<(&str, String)>, tail: &str) {
    w.struct_list(head, "NamedValue", values, tail, |w, (name, value)| {
        w.line(format_args!("name: {},", string(name)));
        w.line(format_args!("value: {value},"));
    });
}

/// The fields of one `HookInfo`.
fn hook_info(w: &mut RustWriter, model: &Model, h: &Hook) {
    w.line(format_args!("name: {},", string(&h.name)));
    w.line(format_args!("program_type: {},", string(&h.program_type)));
    w.line(format_args!(
        "context: {},",
        string(&model.structure(h.context).name)
    ));
    w.line(format_args!(
        "returns: {},",
        string(&h.returns.c_spelling(model))
    ));
    let verdicts = match h.returns {
        Type::Enum(e) => {
            let e = model.enum_(e);
            e.primary_enumerators().map(|v| named_value(e, v)).collect()
        }
        _ => Vec::new(),
    };
    named_values(w, "verdicts: &[", verdicts, ",");
    let attach = h.attach_types.iter().collect();
    w.struct_list("attach_types: &[", "AttachInfo", attach, ",", |w, a| {
        w.line(format_args!("name: {},", string(&a.name)));
        w.line(format_args!("attach_type: {},", string(&a.attach_type)));
        w.line(format_args!("section: {},", string(&a.section)));
    });
}

/// The fields of one `HelperInfo`.
fn helper_info(w: &mut RustWriter, model: &Model, h: &Helper) {
    let id = &model.enumerator(h.id).name;
    w.line(format_args!("name: {},", string(&h.name)));
    w.line(format_args!("id_name: {},", string(id)));
    w.line(format_args!("id: {id} as i64,"));
    w.line(format_args!("hook: {},", string(&model.hook(h.hook).name)));
    let available: Vec<String> = model.available_at(h).map(|a| string(&a.name)).collect();
    w.list("available_at: &[", &available, ",");
    let params = h.params.iter().collect();
    w.struct_list("params: &[", "ParamInfo", params, ",", |w, p| {
        w.line(format_args!("name: {},", string(&p.name)));
        w.line(format_args!("c_type: {},", string(&p.ty.c_spelling(model))));
    });
    w.line(format_args!(
        "returns: {},",
        string(&h.returns.ty.c_spelling(model))
    ));
    w.line(format_args!("call: call_{},", h.name));
}

/// `call_<helper>`: BPF registers in, the binding called with typed arguments, r0 out.
fn helper_call(w: &mut RustWriter, model: &Model, h: &Helper) {
    let regs = if h.params.is_empty() { "_regs" } else { "regs" };
    let is_open_enum = |e: &EnumId| model.enum_(*e).usage == EnumUse::Value;
    let args: Vec<String> = h
        .params
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let ty = rust_type(model, &p.ty);
            match &p.ty {
                Type::Pointer(_) => format!("{regs}[{i}] as usize as {ty}"),
                // An enum used as a parameter is an open newtype (`EnumUse::Value`).
                Type::Enum(e) if is_open_enum(e) => format!("{ty}({regs}[{i}] as i32)"),
                _ => format!("{regs}[{i}] as {ty}"),
            }
        })
        .collect();
    // r0 holds a signed result sign-extended to 64 bits, as BPF code expects.
    let r0 = match &h.returns.ty {
        Type::Void => "0",
        Type::Primitive(p) if p.is_signed() => "result as i64 as u64",
        Type::Primitive(Primitive::U64) => "result",
        Type::Pointer(_) => "result as usize as u64",
        Type::Enum(e) if is_open_enum(e) => "result.0 as i64 as u64",
        Type::Enum(_) => "result as i32 as i64 as u64",
        _ => "result as u64",
    };
    w.line(format_args!("/// [`HelperInfo::call`] of `{}`.", h.name));
    w.line("#[allow(clippy::unnecessary_cast)]");
    w.open(format_args!(
        "unsafe fn call_{}({regs}: [u64; 5]) -> u64",
        h.name
    ));
    w.line("#[allow(clippy::let_unit_value)]");
    w.unsafe_call("let result = ", &format!("super::{}", h.name), &args, ";");
    w.line(r0);
    w.close("");
}
