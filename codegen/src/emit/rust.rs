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
//!
//! Names need no raw-identifier escaping: the resolver refuses Rust keywords as
//! names, and a C member named after one must state its `rust_name`.

use std::collections::HashMap;

use crate::Error;
use crate::model::{
    Aggregate, EnumUse, Enumeration, Helper, Hook, Member, MemberKind, Model, Primitive, Structure,
    Type, ValueExpr,
};

use super::rust_writer::{RustWriter, string};

pub fn emit(model: &Model) -> Result<String, Error> {
    let mut w = RustWriter::new(model);
    let links = Links::new(model);
    let crate_doc: Vec<String> = model.header.doc.paragraphs().map(escape_markdown).collect();
    w.inner_doc(&crate_doc.join("\n\n"));
    w.lines(
        "#![no_std]
#![allow(non_camel_case_types, non_upper_case_globals, non_snake_case)]
#![deny(missing_docs)]

// Only for the thread-local test doubles (`testing::this_thread`).
#[cfg(feature = \"std\")]
extern crate std;",
    );
    for c in &model.constants {
        w.blank();
        w.docs(&c.doc);
        w.line(format_args!(
            "pub const {}: i32 = {};",
            c.name,
            integer(&c.spelling)
        ));
    }
    for e in &model.enums {
        w.blank();
        enumeration(&mut w, &links, e);
    }
    w.blank();
    w.lines(LAYOUT_CHECK_FN);
    for s in &model.structs {
        w.blank();
        structure(&mut w, &links, s);
    }
    for h in &model.hooks {
        w.blank();
        hook(&mut w, &links, h);
    }
    for h in &model.helpers {
        w.blank();
        helper(&mut w, model, h);
    }
    w.blank();
    test_doubles(&mut w, model);
    w.blank();
    super::rust_abi::module(&mut w, model);
    w.blank();
    w.line("pub mod hooks;");
    Ok(w.finish())
}

/// Keeps spec prose literal in rustdoc's Markdown: no accidental links, HTML, code,
/// lists or strikethrough. rustdoc reads CommonMark, as the Markdown reference does.
pub fn escape_markdown(text: &str) -> String {
    super::markdown::escape(text)
}

/// An integer as the spec spells it, keeping `0xFFFF` hexadecimal. The resolver
/// accepts `-`, `0x`/`0X` and digits only; Rust wants a lower-case `0x`.
fn integer(spelling: &str) -> String {
    spelling.replacen("0X", "0x", 1)
}

/// The value of an enumerator as a Rust expression (`SOCK_ADDR_EXT_HELPER_FN_BASE + 1`).
fn value_expr(expr: &ValueExpr, value: i64) -> String {
    match expr {
        ValueExpr::Literal(text) => integer(text),
        ValueExpr::Offset { constant, offset } if *offset < 0 => {
            format!("{constant} - {}", offset.unsigned_abs())
        }
        ValueExpr::Offset { constant, offset } => format!("{constant} + {offset}"),
        ValueExpr::Implicit | ValueExpr::Alias(_) => value.to_string(),
    }
}

fn deprecated(w: &mut RustWriter, note: &Option<String>) {
    if let Some(note) = note {
        w.line(format_args!("#[deprecated(note = {})]", string(note)));
    }
}

/// The item's own docs, then a paragraph per hook it is the context or verdict of.
fn item_docs(w: &mut RustWriter, links: &Links<'_>, doc: &crate::model::Doc, name: &str) {
    w.docs(doc);
    for note in links.notes(name) {
        w.line("///");
        w.doc(note);
    }
}

fn enumeration(w: &mut RustWriter, links: &Links<'_>, e: &Enumeration) {
    let name = &e.name;
    match e.usage {
        EnumUse::Verdict => {
            item_docs(w, links, &e.doc, name);
            w.line("#[repr(i32)]");
            w.line("#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]");
            w.open(format_args!("pub enum {name}"));
            for v in e.primary_enumerators() {
                w.docs(&v.doc);
                w.line(format_args!("{} = {},", v.name, v.value));
            }
            w.close("");
            w.blank();
            w.open(format_args!("impl {name}"));
            for v in &e.enumerators {
                if let Some(target) = v.alias_of() {
                    w.docs(&v.doc);
                    deprecated(w, &v.deprecated);
                    w.line(format_args!("pub const {}: Self = Self::{target};", v.name));
                }
            }
            let all: Vec<String> = e
                .primary_enumerators()
                .map(|v| format!("Self::{}", v.name))
                .collect();
            w.line("/// Every value, in declaration order.");
            w.list(
                &format!("pub const ALL: [Self; {}] = [", all.len()),
                &all,
                ";",
            );
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
            item_docs(w, links, &e.doc, name);
            w.line("///");
            w.line("/// An open set: the host may pass values that are not listed here.");
            w.line("#[repr(transparent)]");
            w.line("#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]");
            w.line(format_args!("pub struct {name}(pub i32);"));
            w.blank();
            w.open(format_args!("impl {name}"));
            for v in &e.enumerators {
                w.docs(&v.doc);
                deprecated(w, &v.deprecated);
                let value = match v.alias_of() {
                    Some(target) => format!("Self::{target}"),
                    None => format!("Self({})", value_expr(&v.expr, v.value)),
                };
                w.assign(&format!("pub const {}: Self", v.name), &value);
            }
            w.close("");
            w.blank();
            w.open(format_args!("impl core::fmt::Debug for {name}"));
            w.open("fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result");
            w.open("match *self");
            for v in e.primary_enumerators() {
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
            item_docs(w, links, &e.doc, name);
            w.line(format_args!("pub type {name} = i32;"));
            for v in &e.enumerators {
                w.blank();
                w.docs(&v.doc);
                deprecated(w, &v.deprecated);
                let value = match v.alias_of() {
                    Some(target) => target.to_owned(),
                    None => value_expr(&v.expr, v.value),
                };
                w.assign(&format!("pub const {}: {name}", v.name), &value);
            }
        }
    }
}

pub(super) fn rust_type(ty: &Type) -> String {
    match ty {
        Type::Void => "core::ffi::c_void".to_owned(),
        Type::Primitive(p) => primitive(*p).to_owned(),
        Type::Enum(name) | Type::Struct(name) => name.clone(),
        Type::Pointer(inner) => format!("*mut {}", rust_type(inner)),
    }
}

fn primitive(p: Primitive) -> &'static str {
    match p {
        Primitive::U8 => "u8",
        Primitive::U16 => "u16",
        Primitive::U32 => "u32",
        Primitive::U64 => "u64",
        Primitive::I8 => "i8",
        Primitive::I16 => "i16",
        Primitive::I32 | Primitive::Int => "i32",
        Primitive::I64 => "i64",
    }
}

pub(super) fn field_type(ty: &Type, array: Option<u64>) -> String {
    match array {
        Some(n) => format!("[{}; {n}]", rust_type(ty)),
        None => rust_type(ty),
    }
}

/// Rust name of the type generated for an anonymous member of `owner`.
fn anonymous_type_name(owner: &str, rust_name: &str) -> String {
    let base = owner.strip_suffix("_t").unwrap_or(owner);
    format!("{base}_{rust_name}_t")
}

fn structure(w: &mut RustWriter, links: &Links<'_>, s: &Structure) {
    let name = &s.name;
    item_docs(w, links, &s.doc, name);
    w.line("#[repr(C)]");
    w.line("#[derive(Clone, Copy)]");
    w.open(format_args!("pub struct {name}"));
    fields(w, &s.members, name);
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
    accessors(w, name, &leaves);
    w.blank();
    debug_impl(w, name, &leaves);
    anonymous_types(w, name, &s.members);
    w.blank();
    layout_asserts(w, name, s, &leaves);
}

/// The fields of one aggregate, as `pub name: type,` lines.
fn fields(w: &mut RustWriter, members: &[Member], owner: &str) {
    for m in members {
        w.docs(&m.doc);
        match &m.kind {
            MemberKind::Field {
                name,
                rust_name,
                ty,
                array,
            } => {
                let name = rust_name.as_deref().unwrap_or(name);
                w.line(format_args!("pub {name}: {},", field_type(ty, *array)));
            }
            MemberKind::Anonymous { rust_name, .. } => {
                let type_name = anonymous_type_name(owner, rust_name);
                w.line(format_args!("pub {rust_name}: {type_name},"));
            }
        }
    }
}

/// One type per anonymous member of `owner`, depth first, each after a blank line.
fn anonymous_types(w: &mut RustWriter, owner: &str, members: &[Member]) {
    for m in members {
        let MemberKind::Anonymous {
            aggregate,
            rust_name,
            members,
        } = &m.kind
        else {
            continue;
        };
        anonymous_types(w, owner, members);
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
        fields(w, members, owner);
        w.close("");
    }
}

type Leaf<'a> = (Vec<&'a Member>, &'a Member);

/// Getter and setter of every C member, under its C name, reached through any
/// anonymous members. Reads through a union are sound: every member type is plain
/// data for which any bit pattern is valid.
fn accessors(w: &mut RustWriter, name: &str, leaves: &[Leaf<'_>]) {
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
        let ty = field_type(ty, *array);
        let brief = escape_markdown(&member.doc.brief);
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
        w.open(format_args!("pub fn set_{field}(&mut self, value: {ty})"));
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

/// The Rust field path from a struct to one of its named members, through the
/// anonymous members on the way (`source.source_address.msg_src_ip4`).
pub(super) fn field_path(path: &[&Member], member: &Member) -> String {
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
const LAYOUT_CHECK_FN: &str =
    "/// Stops compilation when Rust lays out a member differently from the
/// generator's layout engine (and so from the C header, which asserts the same).
#[cfg(target_pointer_width = \"64\")]
const fn check_layout(what: &str, actual: usize, expected: usize) {
    if actual != expected {
        panic!(\"{}\", what);
    }
}";

/// Intra-doc link to a helper ID: a `const` at the crate root, or an associated
/// const or variant of its enum type.
fn enumerator_link(model: &Model, name: &str) -> String {
    match model.find_enumerator(name) {
        Some((e, _)) if e.usage != EnumUse::Constants => format!("[`{name}`]({}::{name})", e.name),
        _ => format!("[`{name}`]"),
    }
}

/// Cross-references between items, worked out in one pass over the model so the
/// emitter stays linear in the spec's size (asking per item would scan every hook
/// or helper each time).
struct Links<'m> {
    /// Intra-doc links to the helpers programs of each hook may call.
    helpers: HashMap<&'m str, Vec<String>>,
    /// Doc paragraphs linking a struct or enum to the hooks it is the context or
    /// the verdict of, and so to their helpers.
    notes: HashMap<&'m str, Vec<String>>,
}

impl<'m> Links<'m> {
    fn new(model: &'m Model) -> Self {
        let mut helpers: HashMap<&str, Vec<String>> = HashMap::new();
        for h in &model.helpers {
            helpers
                .entry(h.hook.as_str())
                .or_default()
                .push(format!("[`{}`]", h.name));
        }
        let mut notes: HashMap<&str, Vec<String>> = HashMap::new();
        for h in &model.hooks {
            let mut context = format!("This is the context of [`{}`] programs.", h.name);
            if let Some(links) = helpers.get(h.name.as_str()) {
                context.push_str(&format!(" They may call {}.", links.join(", ")));
            }
            notes.entry(h.context.as_str()).or_default().push(context);
            if let Type::Enum(verdict) = &h.returns
                && *verdict != h.context
            {
                notes
                    .entry(verdict.as_str())
                    .or_default()
                    .push(format!("This is the verdict of [`{}`] programs.", h.name));
            }
        }
        Links { helpers, notes }
    }

    fn helpers(&self, hook: &str) -> &[String] {
        self.helpers.get(hook).map_or(&[], Vec::as_slice)
    }

    fn notes(&self, item: &str) -> &[String] {
        self.notes.get(item).map_or(&[], Vec::as_slice)
    }
}

fn hook(w: &mut RustWriter, links: &Links<'_>, h: &Hook) {
    let attach: Vec<String> = h
        .attach_types
        .iter()
        .map(|a| format!("`{}` (section `{}`)", a.attach_type, a.section))
        .collect();
    let returned = match &h.returns {
        Type::Enum(verdict) => format!("a [`{verdict}`]"),
        other => format!("`{}`", rust_type(other)),
    };
    let mut signature = format!(
        "A program receives a [`{}`] context and returns {returned}.",
        h.context
    );
    let helpers = links.helpers(&h.name);
    if !helpers.is_empty() {
        signature.push_str(&format!(" Helpers it may call: {}.", helpers.join(", ")));
    }
    w.docs(&h.doc);
    w.line("///");
    w.doc(&signature);
    w.line("///");
    w.doc(&format!(
        "Program type: `{}`. Attach types: {}.",
        h.program_type,
        attach.join(", ")
    ));
    w.assign(
        &format!("pub type {}", h.name),
        &format!(
            "unsafe extern \"C\" fn({}: *mut {}) -> {}",
            h.param.name,
            h.context,
            rust_type(&h.returns)
        ),
    );
}

/// `name: type` of each parameter, and the names alone.
fn params(h: &Helper) -> (Vec<String>, Vec<String>, Vec<String>) {
    let typed = h
        .params
        .iter()
        .map(|p| format!("{}: {}", p.name, rust_type(&p.ty)))
        .collect();
    let types = h.params.iter().map(|p| rust_type(&p.ty)).collect();
    let names = h.params.iter().map(|p| p.name.clone()).collect();
    (typed, types, names)
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
                escape_markdown(&p.doc.brief)
            )
        })
        .collect();
    notes.extend(
        h.returns
            .values
            .iter()
            .map(|r| format!("- returns `{}`: {}", r.value, escape_markdown(&r.doc.brief))),
    );
    if let Some(doc) = &h.returns.doc {
        notes.push(format!("- returns: {}", escape_markdown(&doc.brief)));
    }
    let context = model
        .find_hook(&h.hook)
        .map(|hook| format!(", whose context is [`{}`]", hook.context))
        .unwrap_or_default();
    let available = h
        .available_at
        .iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ");
    w.docs(&h.doc);
    w.line("///");
    for note in &notes {
        w.doc(note);
    }
    w.line("///");
    w.doc(&format!(
        "Called by ID {} from [`{}`] programs{context}, at attach types: {available}.",
        enumerator_link(model, &h.id),
        h.hook,
    ));
    w.lines(
        "///
/// # Safety
///
/// Every pointer argument must be valid for the access the helper makes:
/// the program's own context, and buffers of the stated size.
#[inline(always)]",
    );
    let (typed, types, names) = params(h);
    let returns = rust_type(&h.returns.ty);
    w.open_fn(
        &format!("pub unsafe fn {}", h.name),
        &typed,
        &format!(" -> {returns}"),
    );
    w.line("#[cfg(target_arch = \"bpf\")]");
    w.open("");
    w.line("// Helpers are called by ID: the ID, cast to a function pointer,");
    w.line("// compiles to a BPF `call ID` instruction.");
    w.assign(
        &format!(
            "let helper: unsafe extern \"C\" fn({}) -> {returns}",
            types.join(", ")
        ),
        &format!("unsafe {{ core::mem::transmute({} as usize) }}", h.id),
    );
    w.line(format_args!("unsafe {{ helper({}) }}", names.join(", ")));
    w.close("");
    w.line("#[cfg(not(target_arch = \"bpf\"))]");
    w.open("");
    w.call(&format!("testing::call_{}", h.name), &names, "");
    w.close("");
    w.close("");
}

/// Host test doubles: on targets other than BPF a helper call goes to a function a
/// test has installed, so programs can be unit-tested on a development machine.
fn test_doubles(w: &mut RustWriter, model: &Model) {
    w.lines(
        "/// Test doubles for the helpers, used when a program runs on the host
/// instead of in the BPF virtual machine.
#[cfg(not(target_arch = \"bpf\"))]",
    );
    w.open("pub mod testing");
    w.line("use super::*;");
    w.line("use core::sync::atomic::{AtomicPtr, Ordering};");
    for h in &model.helpers {
        let name = &h.name;
        let slot = name.to_uppercase();
        let (typed, types, names) = params(h);
        let returns = rust_type(&h.returns.ty);
        let double = format!("{name}_double");
        w.blank();
        w.doc(&format!("A host stand-in for [`{name}`]."));
        w.assign(
            &format!("pub type {double}"),
            &format!("fn({}) -> {returns}", types.join(", ")),
        );
        w.blank();
        w.assign(
            &format!("static {slot}: AtomicPtr<()>"),
            "AtomicPtr::new(core::ptr::null_mut())",
        );
        w.blank();
        w.doc(&format!(
            "Installs `double` as [`{name}`] for every thread; `None` removes it."
        ));
        w.open_fn(
            &format!("pub fn set_{name}"),
            &[format!("double: Option<{double}>")],
            "",
        );
        w.line("let raw = double.map_or(core::ptr::null_mut(), |f| f as *mut ());");
        w.line(format_args!("{slot}.store(raw, Ordering::SeqCst);"));
        w.close("");
        w.blank();
        w.open_fn(
            &format!("pub(crate) fn call_{name}"),
            &typed,
            &format!(" -> {returns}"),
        );
        w.line("// A double installed for this thread only wins over the global one.");
        w.line("#[cfg(feature = \"std\")]");
        w.open(format_args!(
            "if let Some(double) = this_thread::get_{name}()"
        ));
        w.line(format_args!("return double({});", names.join(", ")));
        w.close("");
        w.line(format_args!("let raw = {slot}.load(Ordering::SeqCst);"));
        w.open("if raw.is_null()");
        w.call(
            "panic!",
            &[string(&format!(
                "{name} was called on the host with no test double installed; install one with ebpf_nethooks_bindings::testing::set_{name}"
            ))],
            ";",
        );
        w.close("");
        w.line("// Only `set_*` stores here, and only pointers of this exact type.");
        w.assign(
            &format!("let double: {double}"),
            &format!("unsafe {{ core::mem::transmute::<*mut (), {double}>(raw) }}"),
        );
        w.line(format_args!("double({})", names.join(", ")));
        w.close("");
    }
    w.blank();
    w.lines(
        "/// Doubles for the calling thread only (feature `std`). The test harness
/// runs each test on its own thread, so tests that install different
/// doubles this way can run in parallel.
#[cfg(feature = \"std\")]",
    );
    w.open("pub mod this_thread");
    w.line("use core::cell::Cell;");
    for h in &model.helpers {
        let name = &h.name;
        let slot = name.to_uppercase();
        let double = format!("super::{name}_double");
        w.blank();
        w.open("std::thread_local!");
        w.assign(
            &format!("static {slot}: Cell<Option<{double}>>"),
            "const { Cell::new(None) }",
        );
        w.close("");
        w.blank();
        w.doc(&format!(
            "Installs `double` as [`{name}`](super::super::{name}) for the calling thread only, ahead of any global double; `None` removes it. Returns the double it replaces."
        ));
        w.open_fn(
            &format!("pub fn set_{name}"),
            &[format!("double: Option<{double}>")],
            &format!(" -> Option<{double}>"),
        );
        w.line(format_args!("{slot}.replace(double)"));
        w.close("");
        w.blank();
        w.open_fn(
            &format!("pub(super) fn get_{name}"),
            &[],
            &format!(" -> Option<{double}>"),
        );
        w.line(format_args!("{slot}.get()"));
        w.close("");
    }
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
        let offset = |offset| ValueExpr::Offset {
            constant: "BASE".to_owned(),
            offset,
        };
        assert_eq!(value_expr(&offset(3), 0), "BASE + 3");
        assert_eq!(value_expr(&offset(-3), 0), "BASE - 3");
        assert_eq!(value_expr(&ValueExpr::Implicit, 7), "7");
    }
}
