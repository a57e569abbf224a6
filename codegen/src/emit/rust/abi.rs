//! The `abi` module of the Rust bindings: every struct's and member's layout and every
//! named integer's value, as Rust itself computes them (`size_of`, `offset_of!`), with
//! the tables of the ABI tables crate (`HOOKS`, `HELPERS` and their types; see
//! [`super::abi_crate`]) re-exported beside them.
//!
//! Tools that must address context members by name (a program runner filling a
//! context from `process_id=42`) read it, and the cross-language layout test compares
//! it with a C probe and with the layout engine. A program runner also finds there
//! which hook an ELF section belongs to (`HOOKS`) and each helper's ID (`HELPERS`); a
//! helper is called with BPF registers through the bindings' one seam
//! (`testing::set_dispatch`).

use crate::model::{Enumeration, Enumerator, MemberKind, Model, Type};

use super::abi_crate::{CRATE, named_values};
use super::names::{enumerator_value, field_path, field_type};
use super::releases;
use super::writer::{RustWriter, string};

/// The table types the ABI tables crate defines, which the module re-exports.
const TYPE_NAMES: [&str; 7] = crate::rust_naming::ABI_TYPES;

/// The tables of the ABI tables crate (of its root or a spec's module) re-exported.
const TABLES: [&str; 2] = ["HELPERS", "HOOKS"];

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
        w.line("/// The table types, and the hooks and helpers, of the ABI tables crate.");
        reexport(w, CRATE, &[&TYPE_NAMES[..], &TABLES].concat());
    } else {
        // A sibling spec's module shares the root's types: one definition, one type.
        w.line("/// The table types, shared with the crate's root [`crate::abi`].");
        reexport(w, "crate::abi", &TYPE_NAMES);
        w.line("/// This spec's hooks and helpers, from the ABI tables crate.");
        let module = model.header.rust_module.as_deref().unwrap_or_default();
        reexport(w, &format!("{CRATE}::{module}"), &TABLES);
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

/// `pub use PATH::{NAMES};`, as rustfmt lays out an import list: sorted as rustfmt
/// sorts (upper case first), on one line when it fits, else as many names a line as fit.
fn reexport(w: &mut RustWriter, path: &str, names: &[&str]) {
    let mut names: Vec<&str> = names.to_vec();
    names.sort_unstable();
    let one_line = format!("pub use {path}::{{{}}};", names.join(", "));
    if w.fits(&one_line) {
        w.line(one_line);
        return;
    }
    w.open_bracket(&format!("pub use {path}::{{"));
    let mut line = String::new();
    for name in names {
        let longer = if line.is_empty() {
            name.to_owned()
        } else {
            format!("{line}, {name}")
        };
        if line.is_empty() || w.fits(&format!("{longer},")) {
            line = longer;
        } else {
            w.line(format_args!("{line},"));
            line = name.to_owned();
        }
    }
    w.line(format_args!("{line},"));
    w.close_bracket("};");
}

#[cfg(test)]
mod type_names_tests {
    use super::super::abi_crate::TYPES;
    use super::TYPE_NAMES;

    #[test]
    fn the_re_exported_names_are_the_types_the_template_defines() {
        let mut defined: Vec<&str> = TYPES
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("pub struct "))
            .filter_map(|rest| rest.split([' ', '{', '<']).next())
            .collect();
        defined.sort_unstable();
        assert_eq!(defined, TYPE_NAMES);
    }
}
