//! The `abi` module of the Rust bindings: every struct's and member's layout and every
//! named integer's value, as Rust itself computes them (`size_of`, `offset_of!`).
//!
//! Tools that must address context members by name (a program runner filling a
//! context from `process_id=42`) read it, and the cross-language layout test compares
//! it with a C probe and with the layout engine. A program runner also finds there
//! which hook an ELF section belongs to (`HOOKS`) and each helper's ID and a way to
//! call its host binding by ID (`HELPERS`).

use crate::model::{EnumUse, Enumeration, Enumerator, Helper, Hook, Model, Primitive, Type};

use super::rust::{field_path, field_type, rust_type};
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
    w.open_bracket(&format!(
        "pub const STRUCTS: [StructLayout; {}] = [",
        model.structs.len()
    ));
    for s in &model.structs {
        let name = &s.name;
        w.open("StructLayout");
        w.line(format_args!("name: {},", string(name)));
        w.line(format_args!("size: core::mem::size_of::<{name}>(),"));
        w.line(format_args!("align: core::mem::align_of::<{name}>(),"));
        w.open_bracket("members: &[");
        for (path, m) in s.leaf_fields() {
            let (Some(c_name), crate::model::MemberKind::Field { ty, array, .. }) =
                (m.name(), &m.kind)
            else {
                continue;
            };
            w.open("MemberLayout");
            w.line(format_args!("name: {},", string(c_name)));
            w.call(
                "offset: core::mem::offset_of!",
                &[name.clone(), field_path(&path, m)],
                ",",
            );
            w.line(format_args!(
                "size: core::mem::size_of::<{}>(),",
                field_type(ty, *array)
            ));
            w.close(",");
        }
        w.close_bracket("],");
        w.close(",");
    }
    w.close_bracket("];");

    w.blank();
    w.line("/// Every `#define` constant.");
    w.open_bracket("pub const CONSTANTS: &[NamedValue] = &[");
    for c in &model.constants {
        named_value_line(w, &c.name, &format!("{} as i64", c.name));
    }
    w.close_bracket("];");

    w.blank();
    w.line("/// Every enumerator of every enum, aliases included.");
    w.line("#[allow(deprecated)] // Deprecated aliases are listed too.");
    w.open_bracket("pub const ENUMERATORS: &[NamedValue] = &[");
    for e in &model.enums {
        for v in &e.enumerators {
            named_value(w, e, v);
        }
    }
    w.close_bracket("];");

    w.blank();
    w.line("/// Every hook, in spec order.");
    w.open_bracket("pub const HOOKS: &[HookInfo] = &[");
    for h in &model.hooks {
        hook_info(w, model, h);
    }
    w.close_bracket("];");

    w.blank();
    w.line("/// Every helper with a prototype, in spec order.");
    w.open_bracket("pub const HELPERS: &[HelperInfo] = &[");
    for h in &model.helpers {
        helper_info(w, h);
    }
    w.close_bracket("];");

    for h in &model.helpers {
        w.blank();
        helper_call(w, model, h);
    }
    w.close("");
}

/// One enumerator as a `NamedValue`, its value read back from the Rust item.
fn named_value(w: &mut RustWriter, e: &Enumeration, v: &Enumerator) {
    let (owner, name) = (&e.name, &v.name);
    let value = match e.usage {
        EnumUse::Verdict => format!("{owner}::{name} as i64"),
        EnumUse::Value => format!("{owner}::{name}.0 as i64"),
        EnumUse::Constants => format!("{name} as i64"),
    };
    named_value_line(w, name, &value);
}

fn named_value_line(w: &mut RustWriter, name: &str, value: &str) {
    let line = format!("NamedValue {{ name: {}, value: {value} }},", string(name));
    if w.fits(&line) {
        w.line(line);
    } else {
        w.open("NamedValue");
        w.line(format_args!("name: {},", string(name)));
        w.line(format_args!("value: {value},"));
        w.close(",");
    }
}

fn hook_info(w: &mut RustWriter, model: &Model, h: &Hook) {
    w.open("HookInfo");
    w.line(format_args!("name: {},", string(&h.name)));
    w.line(format_args!("program_type: {},", string(&h.program_type)));
    w.line(format_args!("context: {},", string(&h.context)));
    w.line(format_args!(
        "returns: {},",
        string(&h.returns.c_spelling())
    ));
    let verdict = match &h.returns {
        Type::Enum(e) => model.find_enum(e),
        _ => None,
    };
    match verdict {
        Some(e) => {
            w.open_bracket("verdicts: &[");
            for v in e.primary_enumerators() {
                named_value(w, e, v);
            }
            w.close_bracket("],");
        }
        None => w.line("verdicts: &[],"),
    }
    w.open_bracket("attach_types: &[");
    for a in &h.attach_types {
        w.open("AttachInfo");
        w.line(format_args!("name: {},", string(&a.name)));
        w.line(format_args!("attach_type: {},", string(&a.attach_type)));
        w.line(format_args!("section: {},", string(&a.section)));
        w.close(",");
    }
    w.close_bracket("],");
    w.close(",");
}

fn helper_info(w: &mut RustWriter, h: &Helper) {
    w.open("HelperInfo");
    w.line(format_args!("name: {},", string(&h.name)));
    w.line(format_args!("id_name: {},", string(&h.id)));
    w.line(format_args!("id: {} as i64,", h.id));
    w.line(format_args!("hook: {},", string(&h.hook)));
    let available: Vec<String> = h.available_at.iter().map(|a| string(a)).collect();
    w.list("available_at: &[", &available, ",");
    w.open_bracket("params: &[");
    for p in &h.params {
        w.line(format_args!(
            "ParamInfo {{ name: {}, c_type: {} }},",
            string(&p.name),
            string(&p.ty.c_spelling())
        ));
    }
    w.close_bracket("],");
    w.line(format_args!(
        "returns: {},",
        string(&h.returns.ty.c_spelling())
    ));
    w.line(format_args!("call: call_{},", h.name));
    w.close(",");
}

/// `call_<helper>`: BPF registers in, the binding called with typed arguments, r0 out.
fn helper_call(w: &mut RustWriter, model: &Model, h: &Helper) {
    let regs = if h.params.is_empty() { "_regs" } else { "regs" };
    let is_open_enum = |e: &str| {
        model
            .find_enum(e)
            .is_some_and(|e| e.usage == EnumUse::Value)
    };
    let args: Vec<String> = h
        .params
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let ty = rust_type(&p.ty);
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
    let binding = format!("super::{}", h.name);
    let one_line = format!("let result = unsafe {{ {binding}({}) }};", args.join(", "));
    if w.fits(&one_line) {
        w.line(one_line);
    } else {
        w.open("let result = unsafe");
        w.call(&binding, &args, "");
        w.close(";");
    }
    w.line(r0);
    w.close("");
}
