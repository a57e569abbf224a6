//! The `abi` module of the Rust bindings: every struct's and member's layout and every
//! named integer's value, as Rust itself computes them (`size_of`, `offset_of!`).
//!
//! Tools that must address context members by name (a program runner filling a
//! context from `process_id=42`) read it, and the cross-language layout test compares
//! it with a C probe and with the layout engine. A program runner also finds there
//! which hook an ELF section belongs to (`HOOKS`) and each helper's ID and a way to
//! call its host binding by ID (`HELPERS`).

use crate::model::{
    EnumId, EnumUse, Enumeration, Enumerator, Helper, Hook, MemberKind, Model, Primitive,
    ReleaseKey, Type,
};

use super::names::{self, enumerator_value, field_path, field_type, rust_type};
use super::releases;
use super::writer::{RustWriter, string};

/// The module's types (`StructLayout`, `HookInfo`, ...): the same for every spec.
/// The hook attributes read the hook data through the same file, so it lives in the
/// macro crate, which is built from its own directory and `generated/` alone.
const TYPES: &str = include_str!("../../../../macros/src/abi_types.rs");

/// The types [`TYPES`] defines, which a sibling spec's module re-exports.
const TYPE_NAMES: [&str; 7] = crate::rust_naming::ABI_TYPES;

pub(super) fn module(w: &mut RustWriter, model: &Model) {
    w.line("/// Layouts and values as compiled by Rust, for tools that address the ABI by name.");
    w.open("pub mod abi");
    let names_nothing = model.constants.is_empty()
        && model.enums.is_empty()
        && model.structs.is_empty()
        && model.helpers.is_empty();
    if names_nothing {
        w.line("#[allow(unused_imports)] // This spec has no items to list.");
    }
    w.line("use super::*;");
    w.blank();
    if model.is_root() {
        w.lines(TYPES);
    } else {
        // A sibling spec's module shares the root's types: one definition, one type.
        w.line("/// The table types, shared with the crate's root [`crate::abi`].");
        // As rustfmt lays out an import list too long for one line.
        w.open_bracket("pub use crate::abi::{");
        w.line(format_args!("{},", TYPE_NAMES.join(", ")));
        w.close_bracket("};");
    }

    w.blank();
    w.line("/// Every struct of the ABI.");
    let structs = (model.structs.iter())
        .map(|s| (releases::item_cfg(model, &s.name), s))
        .collect();
    w.struct_list_cfg(
        "pub const STRUCTS: &[StructLayout] = &[",
        "StructLayout",
        structs,
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
    let constants = (model.constants.iter())
        .map(|c| (c.name.as_str(), format!("{} as i64", c.name)))
        .map(|(name, value)| (releases::item_cfg(model, name), (name, value)))
        .collect();
    named_values(w, "pub const CONSTANTS: &[NamedValue] = &[", constants, ";");

    w.blank();
    w.line("/// Every enumerator of every enum, aliases included.");
    w.line("#[allow(deprecated)] // Deprecated aliases are listed too.");
    let enumerators = (model.enums.iter())
        .flat_map(|e| e.enumerators.iter().map(move |v| named_value(e, v)))
        .map(|(name, value)| (releases::item_cfg(model, name), (name, value)))
        .collect();
    named_values(
        w,
        "pub const ENUMERATORS: &[NamedValue] = &[",
        enumerators,
        ";",
    );

    w.blank();
    enum_members(w, model);

    w.blank();
    w.line("/// Every hook, in spec order.");
    hooks(
        w,
        model,
        "pub const HOOKS: &[HookInfo] = &[",
        VerdictValues::Expressions,
    );

    w.blank();
    w.line("/// Every helper with a prototype, in spec order.");
    let helpers = (model.helpers.iter())
        .map(|h| (releases::item_cfg(model, &h.name), h))
        .collect();
    w.struct_list_cfg(
        "pub const HELPERS: &[HelperInfo] = &[",
        "HelperInfo",
        helpers,
        ";",
        |w, h| helper_info(w, model, h),
    );

    for h in &model.helpers {
        w.blank();
        if let Some(cfg) = releases::item_cfg(model, &h.name) {
            w.line(cfg);
        }
        helper_call(w, model, h);
    }
    w.close("");
}

/// Which enumerators each enum-typed struct member takes, so a tool that fills a
/// member by enumerator name can refuse an enumerator of another enum.
fn enum_members(w: &mut RustWriter, model: &Model) {
    let mut rows = Vec::new();
    for s in &model.structs {
        for (_, m) in s.leaf_fields() {
            if let (
                Some(c_name),
                MemberKind::Field {
                    ty: Type::Enum(id), ..
                },
            ) = (m.name(), &m.kind)
            {
                let e = model.enum_(*id);
                let names: Vec<String> = e.enumerators.iter().map(|v| string(&v.name)).collect();
                rows.push((s.name.clone(), c_name.to_owned(), names));
            }
        }
    }
    w.line("/// Each struct member whose type is an enum: struct, member, and the enumerators");
    w.line("/// (aliases included) that name its values.");
    if rows.is_empty() {
        w.line("pub const ENUM_MEMBERS: &[(&str, &str, &[&str])] = &[];");
        return;
    }
    w.open_bracket("pub const ENUM_MEMBERS: &[(&str, &str, &[&str])] = &[");
    for (struct_name, member, names) in rows {
        // As rustfmt lays them out: a list or tuple on one line when it fits its
        // width (`array_width` and `fn_call_width`, 60 characters), else one item a line.
        let array = format!("&[{}]", names.join(", "));
        let tuple = format!("({}, {}, {array})", string(&struct_name), string(&member));
        if tuple.len() <= 60 {
            w.line(format_args!("{tuple},"));
            continue;
        }
        w.open_bracket("(");
        w.line(format_args!("{},", string(&struct_name)));
        w.line(format_args!("{},", string(&member)));
        if array.len() <= 60 {
            w.line(format_args!("{array},"));
        } else {
            w.open_bracket("&[");
            for n in names {
                w.line(format_args!("{n},"));
            }
            w.close_bracket("],");
        }
        w.close_bracket("),");
    }
    w.close_bracket("];");
}

/// One enumerator's name and its value read back from the Rust item.
fn named_value<'m>(e: &Enumeration, v: &'m Enumerator) -> (&'m str, String) {
    (&v.name, enumerator_value(e, v))
}

fn named_values(
    w: &mut RustWriter,
    head: &str,
    values: Vec<(Option<String>, (&str, String))>,
    tail: &str,
) {
    w.struct_list_cfg(head, "NamedValue", values, tail, |w, (name, value)| {
        w.line(format_args!("name: {},", string(name)));
        w.line(format_args!("value: {value},"));
    });
}

/// How a table of hooks gives each verdict's value.
#[derive(Clone, Copy)]
pub(super) enum VerdictValues {
    /// Read back from the bindings' own items (`bind_action_t::BIND_DENY as i64`).
    Expressions,
    /// As numbers: the macro crate's table, where the bindings' types do not exist.
    Literals,
}

/// `head` (ending in `&[`), then a `HookInfo` per hook in spec order: the bindings'
/// `abi::HOOKS` and the macros' hook table, one definition of the hook data.
pub(super) fn hooks(w: &mut RustWriter, model: &Model, head: &str, values: VerdictValues) {
    let hooks = model.hooks.iter().collect();
    w.struct_list(head, "HookInfo", hooks, ";", |w, h| {
        hook_info(w, model, h, values)
    });
}

/// The fields of one `HookInfo`.
fn hook_info(w: &mut RustWriter, model: &Model, h: &Hook, values: VerdictValues) {
    w.line(format_args!("name: {},", string(&h.name)));
    w.line(format_args!(
        "attribute: {},",
        string(&names::attribute_name(h))
    ));
    w.line(format_args!("program_type: {},", string(&h.program_type)));
    w.line(format_args!(
        "context: {},",
        string(&model.structure(h.context).name)
    ));
    w.line(format_args!(
        "returns: {},",
        string(&h.returns.c_spelling(model))
    ));
    w.line(format_args!(
        "verdict: {},",
        string(&names::verdict_name(model, h))
    ));
    w.line(format_args!(
        "verdict_is_primitive: {},",
        names::verdict_is_primitive(h)
    ));
    // The bindings leave out what the targeted release lacks; the macros' table
    // keeps every release's, to say which release added what.
    let cfg = |key: &ReleaseKey| match values {
        VerdictValues::Expressions => releases::cfg(model, key),
        VerdictValues::Literals => None,
    };
    let verdicts = match h.returns {
        Type::Enum(e) => {
            let e = model.enum_(e);
            let value = |v: &Enumerator| match values {
                VerdictValues::Expressions => enumerator_value(e, v),
                VerdictValues::Literals => v.value.to_string(),
            };
            (e.primary_enumerators())
                .map(|v| {
                    (
                        cfg(&releases::enumerator_key(e, v)),
                        (v.name.as_str(), value(v)),
                    )
                })
                .collect()
        }
        _ => Vec::new(),
    };
    named_values(w, "verdicts: &[", verdicts, ",");
    let attach = (h.attach_types.iter())
        .map(|a| (cfg(&ReleaseKey::Attach(a.name.clone())), a))
        .collect();
    w.struct_list_cfg("attach_types: &[", "AttachInfo", attach, ",", |w, a| {
        w.line(format_args!("name: {},", string(&a.name)));
        w.line(format_args!("attach_type: {},", string(&a.attach_type)));
        w.line(format_args!("section: {},", string(&a.section)));
        w.line(format_args!("marker: {},", string(&names::marker_name(a))));
    });
}

/// The fields of one `HelperInfo`.
fn helper_info(w: &mut RustWriter, model: &Model, h: &Helper) {
    let id = &model.enumerator(h.id).name;
    w.line(format_args!("name: {},", string(&h.name)));
    w.line(format_args!("id_name: {},", string(id)));
    w.line(format_args!("id: {id} as i64,"));
    // A general helper belongs to no hook: its `hook` is empty.
    let hook = model.helper_hook(h).map_or("", |hook| hook.name.as_str());
    w.line(format_args!("hook: {},", string(hook)));
    let available: Vec<String> = model.available_at(h).map(|a| string(&a.name)).collect();
    w.list("available_at: &[", &available, ",");
    // The verifier's argument kinds, when the spec gives them (`model.verifier`).
    let prototype =
        (model.verifier.prototypes.iter()).find(|p| model.helpers[p.helper.index()].name == h.name);
    let params = h.params.iter().enumerate().collect();
    w.struct_list("params: &[", "ParamInfo", params, ",", |w, (i, p)| {
        w.line(format_args!("name: {},", string(&p.name)));
        w.line(format_args!("c_type: {},", string(&p.ty.c_spelling(model))));
        let kind = prototype
            .and_then(|proto| proto.args.get(i))
            .map_or("", |k| k.spec_name());
        w.line(format_args!("kind: {},", string(kind)));
    });
    w.line(format_args!(
        "returns: {},",
        string(&h.returns.ty.c_spelling(model))
    ));
    w.line(format_args!("call: {},", names::host_call(h)));
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
        "unsafe fn {}({regs}: [u64; 5]) -> u64",
        names::host_call(h)
    ));
    w.line("#[allow(clippy::let_unit_value)]");
    // A helper returning nothing leaves r0 at 0; its `c_void` is not kept.
    let binding = match h.returns.ty {
        Type::Void => "let _ = ",
        _ => "let result = ",
    };
    w.unsafe_call(binding, &format!("super::{}", h.name), &args, ";");
    w.line(r0);
    w.close("");
}

#[cfg(test)]
mod type_names_tests {
    use super::{TYPE_NAMES, TYPES};

    #[test]
    fn the_re_exported_names_are_the_types_the_file_defines() {
        let mut defined: Vec<&str> = TYPES
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("pub struct "))
            .filter_map(|rest| rest.split([' ', '{', '<']).next())
            .collect();
        defined.sort_unstable();
        assert_eq!(defined, TYPE_NAMES);
    }
}
