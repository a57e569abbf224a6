//! The structs of the Rust bindings: each C struct as a `#[repr(C)]` struct with
//! the C names, a type per anonymous struct or union, a safe getter and setter per
//! C member (anonymous members' included), `Debug`, and compile-time checks of the
//! layout engine's numbers.

use crate::model::{Aggregate, Member, MemberKind, Model, Structure};

use crate::emit::escape;

use super::docs::{context_notes, item_docs};
use super::names::{anonymous_type_name, field_path, field_type, setter};
use super::writer::{RustWriter, string};

pub(super) fn structure(w: &mut RustWriter, model: &Model, s: &Structure) {
    let name = &s.name;
    item_docs(w, &s.doc, &context_notes(model, s));
    for &hook in &s.context_of {
        super::docs::gated_notes(w, &super::docs::later_helper_notes(model, model.hook(hook)));
    }
    w.line("#[repr(C)]");
    w.line("#[derive(Clone, Copy)]");
    w.open(format_args!("pub struct {name}"));
    fields(w, model, &s.members, name);
    w.close("");
    w.blank();
    w.open(format_args!("impl Default for {name}"));
    w.open("fn default() -> Self");
    w.line("// Every member is an integer, a raw pointer or an open enum newtype,");
    w.line("// for which all zero bits are a valid value.");
    w.line("unsafe { core::mem::zeroed() }");
    w.close("");
    w.close("");
    let leaves = s.leaf_fields();
    w.blank();
    accessors(w, model, name, &leaves);
    w.blank();
    debug_impl(w, name, &leaves);
    anonymous_types(w, model, name, &s.members);
    w.blank();
    layout_asserts(w, name, s, &leaves);
}

/// The fields of one aggregate, as `pub name: type,` lines.
fn fields(w: &mut RustWriter, model: &Model, members: &[Member], owner: &str) {
    for m in members {
        w.docs(&m.doc);
        match &m.kind {
            MemberKind::Field { ty, array, .. } => {
                let name = m.rust_field_name().unwrap_or_default();
                w.line(format_args!(
                    "pub {name}: {},",
                    field_type(model, ty, *array)
                ));
            }
            MemberKind::Anonymous { rust_name, .. } => {
                let type_name = anonymous_type_name(owner, rust_name);
                w.line(format_args!("pub {rust_name}: {type_name},"));
            }
        }
    }
}

/// One type per anonymous member of `owner`, depth first, each after a blank line.
fn anonymous_types(w: &mut RustWriter, model: &Model, owner: &str, members: &[Member]) {
    for m in members {
        let MemberKind::Anonymous {
            aggregate,
            rust_name,
            members,
        } = &m.kind
        else {
            continue;
        };
        anonymous_types(w, model, owner, members);
        w.blank();
        w.docs(&m.doc);
        w.line("///");
        w.doc(&format!(
            "The C anonymous {} that is member `{rust_name}` of [`{owner}`]; its members are reached through [`{owner}`]'s accessors.",
            aggregate.c_keyword()
        ));
        w.line("#[repr(C)]");
        w.line("#[derive(Clone, Copy)]");
        let keyword = match aggregate {
            Aggregate::Struct => "struct",
            Aggregate::Union => "union",
        };
        w.open(format_args!(
            "pub {keyword} {}",
            anonymous_type_name(owner, rust_name)
        ));
        fields(w, model, members, owner);
        w.close("");
    }
}

type Leaf<'a> = (Vec<&'a Member>, &'a Member);

/// Getter and setter of every C member, under its C name, reached through any
/// anonymous members. Reads through a union are sound: every member type is plain
/// data for which any bit pattern is valid.
fn accessors(w: &mut RustWriter, model: &Model, name: &str, leaves: &[Leaf<'_>]) {
    w.open(format_args!("impl {name}"));
    for (path, member) in leaves {
        let MemberKind::Field { ty, array, .. } = &member.kind else {
            continue;
        };
        let Some(field) = member.rust_field_name() else {
            continue;
        };
        let place = field_path(path, member);
        let in_union = path.iter().any(|m| {
            matches!(
                m.kind,
                MemberKind::Anonymous {
                    aggregate: Aggregate::Union,
                    ..
                }
            )
        });
        let ty = field_type(model, ty, *array);
        let brief = escape::rust_doc(&member.doc.brief);
        w.doc(&format!("Reads `{field}`: {brief}"));
        w.line("#[inline]");
        w.open(format_args!("pub fn {field}(&self) -> {ty}"));
        if in_union {
            w.line(format_args!("unsafe {{ self.{place} }}"));
        } else {
            w.line(format_args!("self.{place}"));
        }
        w.close("");
        w.doc(&format!("Writes `{field}`: {brief}"));
        w.line("#[inline]");
        w.open(format_args!(
            "pub fn {}(&mut self, value: {ty})",
            setter(field)
        ));
        w.line(format_args!("self.{place} = value;"));
        w.close("");
    }
    w.close("");
}

fn debug_impl(w: &mut RustWriter, name: &str, leaves: &[Leaf<'_>]) {
    w.open(format_args!("impl core::fmt::Debug for {name}"));
    w.open("fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result");
    let mut calls: Vec<String> = leaves
        .iter()
        .filter_map(|(_, m)| {
            let (c_name, field) = (m.name()?, m.rust_field_name()?);
            Some(format!(".field({}, &self.{field}())", string(c_name)))
        })
        .collect();
    calls.push(".finish()".to_owned());
    w.chain("", &format!("f.debug_struct({})", string(name)), &calls, "");
    w.close("");
    w.close("");
}

/// Size, alignment and every member offset, checked at compile time on 64-bit targets.
fn layout_asserts(w: &mut RustWriter, name: &str, s: &Structure, leaves: &[Leaf<'_>]) {
    w.line("#[cfg(target_pointer_width = \"64\")]");
    w.open("const _: () =");
    let check = |w: &mut RustWriter, what: String, actual: String, expected: u64| {
        w.call(
            "check_layout",
            &[string(&what), actual, expected.to_string()],
            ";",
        );
    };
    check(
        w,
        format!("size of {name}"),
        format!("core::mem::size_of::<{name}>()"),
        s.layout.size,
    );
    check(
        w,
        format!("alignment of {name}"),
        format!("core::mem::align_of::<{name}>()"),
        s.layout.align,
    );
    for (path, m) in leaves {
        check(
            w,
            format!("offset of {name}.{}", m.name().unwrap_or_default()),
            format!("core::mem::offset_of!({name}, {})", field_path(path, m)),
            m.placement.offset,
        );
    }
    w.close(";");
}

/// The compile-time check that the layout assertions call: a function rather than
/// `assert!`, so each check reads as one call with its message first.
pub(super) const LAYOUT_CHECK_FN: &str =
    "/// Stops compilation when Rust lays out a member differently from the
/// generator's layout engine (and so from the C header, which asserts the same).
#[cfg(target_pointer_width = \"64\")]
const fn check_layout(what: &str, actual: usize, expected: usize) {
    if actual != expected {
        panic!(\"{}\", what);
    }
}";
