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

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

use crate::Error;
use crate::model::{
    Aggregate, Doc, EnumUse, Enumeration, Helper, Hook, Member, MemberKind, Model, Primitive,
    Structure, Type, ValueExpr,
};

pub fn emit(model: &Model) -> Result<String, Error> {
    let crate_doc = model
        .header
        .doc
        .paragraphs()
        .map(escape_markdown)
        .collect::<Vec<_>>()
        .join("\n\n");
    let crate_doc = crate_doc.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote! { #![doc = #line] }
    });
    let constants = model.constants.iter().map(|c| {
        let name = ident(&c.name);
        let doc = docs(&c.doc);
        let value = literal(&c.spelling);
        quote! { #doc pub const #name: i32 = #value; }
    });
    let enums = model.enums.iter().map(|e| enumeration(model, e));
    let structs = model.structs.iter().map(|s| structure(model, s));
    let hooks = model.hooks.iter().map(|h| hook(model, h));
    let helpers = model.helpers.iter().map(|h| helper(model, h));
    let doubles = test_doubles(model);
    let layout_check = layout_check_fn();
    let abi = super::rust_abi::module(model);
    let tokens = quote! {
        #(#crate_doc)*
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #![no_std]
        #![allow(non_camel_case_types, non_upper_case_globals, non_snake_case)]
        #![deny(missing_docs)]

        // Only for the thread-local test doubles (`testing::this_thread`).
        #[cfg(feature = "std")]
        extern crate std;

        #(#constants)*
        #(#enums)*
        #layout_check
        #(#structs)*
        #(#hooks)*
        #(#helpers)*
        #doubles
        #abi
        pub mod hooks;
    };
    print(model, tokens)
}

/// Prints generated Rust the way a person lays it out: prettyplease formats each item
/// and a blank line separates items. The file tells rustfmt to leave it alone
/// (`#![cfg_attr(rustfmt, rustfmt::skip)]`), so `cargo fmt --check` accepts it as
/// it is and generation needs no rustfmt process (it would triple the run time).
pub(super) fn print(model: &Model, tokens: TokenStream) -> Result<String, Error> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Template(e.to_string()))?;
    let mut text = format!("// {}\n", super::banner(model));
    let syn::File { attrs, items, .. } = file;
    text.push_str(&prettyplease::unparse(&syn::File {
        shebang: None,
        attrs,
        items: Vec::new(),
    }));
    for item in items {
        text.push('\n');
        text.push_str(&prettyplease::unparse(&syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: vec![item],
        }));
    }
    Ok(text)
}

/// `#[doc]` attributes: brief, then each further paragraph after a blank line.
pub(super) fn docs(doc: &Doc) -> TokenStream {
    let paragraphs: Vec<String> = doc.paragraphs().map(escape_markdown).collect();
    doc_lines(&paragraphs.join("\n\n"))
}

/// One `#[doc = " line"]` per line, so the output reads as `/// line` comments.
pub(super) fn doc_lines(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote! { #[doc = #line] }
    });
    quote! { #(#lines)* }
}

/// Keeps spec prose literal in rustdoc's Markdown: no accidental links, HTML, code,
/// lists or strikethrough. rustdoc reads CommonMark, as the Markdown reference does.
pub fn escape_markdown(text: &str) -> String {
    super::markdown::escape(text)
}

/// An identifier, raw (`r#type`) when it is a Rust keyword.
pub(super) fn ident(name: &str) -> Ident {
    syn::parse_str::<Ident>(name).unwrap_or_else(|_| Ident::new_raw(name, Span::call_site()))
}

/// An integer literal as the spec spells it (keeps `0xFFFF` hexadecimal).
fn literal(spelling: &str) -> TokenStream {
    spelling
        .parse::<TokenStream>()
        .unwrap_or_else(|_| quote! { 0 })
}

fn int_literal(value: i64) -> Literal {
    Literal::i64_unsuffixed(value)
}

/// The value of an enumerator as a Rust expression (`SOCK_ADDR_EXT_HELPER_FN_BASE + 1`).
fn value_expr(expr: &ValueExpr, value: i64) -> TokenStream {
    match expr {
        ValueExpr::Literal(text) => literal(text),
        ValueExpr::Offset { constant, offset } => {
            let constant = ident(constant);
            let magnitude = int_literal(offset.abs());
            if *offset < 0 {
                quote! { #constant - #magnitude }
            } else {
                quote! { #constant + #magnitude }
            }
        }
        ValueExpr::Implicit | ValueExpr::Alias(_) => {
            let v = int_literal(value);
            quote! { #v }
        }
    }
}

fn deprecated(note: &Option<String>) -> TokenStream {
    match note {
        Some(note) => quote! { #[deprecated(note = #note)] },
        None => quote! {},
    }
}

fn enumeration(model: &Model, e: &Enumeration) -> TokenStream {
    let name = ident(&e.name);
    let doc = docs(&e.doc);
    let notes = uses(model, &e.name);
    let doc = quote! { #doc #(#[doc = ""] #[doc = #notes])* };
    match e.usage {
        EnumUse::Verdict => {
            let variants = e.primary_enumerators().map(|v| {
                let vname = ident(&v.name);
                let vdoc = docs(&v.doc);
                let value = int_literal(v.value);
                quote! { #vdoc #vname = #value, }
            });
            let aliases = e.enumerators.iter().filter_map(|v| {
                let target = ident(v.alias_of()?);
                let vname = ident(&v.name);
                let vdoc = docs(&v.doc);
                let dep = deprecated(&v.deprecated);
                Some(quote! { #vdoc #dep pub const #vname: Self = Self::#target; })
            });
            let all: Vec<Ident> = e.primary_enumerators().map(|v| ident(&v.name)).collect();
            let count = all.len();
            let arms = all
                .iter()
                .map(|v| quote! { x if x == Self::#v as i32 => Some(Self::#v), });
            quote! {
                #doc
                #[repr(i32)]
                #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
                pub enum #name { #(#variants)* }

                impl #name {
                    #(#aliases)*
                    /// Every value, in declaration order.
                    pub const ALL: [Self; #count] = [#(Self::#all),*];

                    /// The value as the C ABI passes it.
                    pub const fn to_raw(self) -> i32 {
                        self as i32
                    }

                    /// The variant with this C value, if there is one.
                    pub const fn from_raw(raw: i32) -> Option<Self> {
                        match raw {
                            #(#arms)*
                            _ => None,
                        }
                    }
                }
            }
        }
        EnumUse::Value => {
            let consts = e.enumerators.iter().map(|v| {
                let vname = ident(&v.name);
                let vdoc = docs(&v.doc);
                let dep = deprecated(&v.deprecated);
                let value = match v.alias_of() {
                    Some(target) => {
                        let target = ident(target);
                        quote! { Self::#target }
                    }
                    None => {
                        let expr = value_expr(&v.expr, v.value);
                        quote! { Self(#expr) }
                    }
                };
                quote! { #vdoc #dep pub const #vname: Self = #value; }
            });
            let arms = e.primary_enumerators().map(|v| {
                let vname = ident(&v.name);
                let text = &v.name;
                quote! { Self::#vname => f.write_str(#text), }
            });
            let unlisted = format!("{}({{}})", e.name);
            quote! {
                #doc
                ///
                /// An open set: the host may pass values that are not listed here.
                #[repr(transparent)]
                #[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
                pub struct #name(pub i32);

                impl #name {
                    #(#consts)*
                }

                impl core::fmt::Debug for #name {
                    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                        match *self {
                            #(#arms)*
                            Self(other) => write!(f, #unlisted, other),
                        }
                    }
                }
            }
        }
        EnumUse::Constants => {
            let consts = e.enumerators.iter().map(|v| {
                let vname = ident(&v.name);
                let vdoc = docs(&v.doc);
                let dep = deprecated(&v.deprecated);
                let value = match v.alias_of() {
                    Some(target) => {
                        let target = ident(target);
                        quote! { #target }
                    }
                    None => value_expr(&v.expr, v.value),
                };
                quote! { #vdoc #dep pub const #vname: #name = #value; }
            });
            quote! {
                #doc
                pub type #name = i32;
                #(#consts)*
            }
        }
    }
}

pub(super) fn rust_type(ty: &Type) -> TokenStream {
    match ty {
        Type::Void => quote! { core::ffi::c_void },
        Type::Primitive(p) => match p {
            Primitive::U8 => quote! { u8 },
            Primitive::U16 => quote! { u16 },
            Primitive::U32 => quote! { u32 },
            Primitive::U64 => quote! { u64 },
            Primitive::I8 => quote! { i8 },
            Primitive::I16 => quote! { i16 },
            Primitive::I32 | Primitive::Int => quote! { i32 },
            Primitive::I64 => quote! { i64 },
        },
        Type::Enum(name) | Type::Struct(name) => {
            let name = ident(name);
            quote! { #name }
        }
        Type::Pointer(inner) => {
            let inner = rust_type(inner);
            quote! { *mut #inner }
        }
    }
}

pub(super) fn field_type(ty: &Type, array: Option<u64>) -> TokenStream {
    let ty = rust_type(ty);
    match array {
        Some(n) => {
            let n = Literal::usize_unsuffixed(n as usize);
            quote! { [#ty; #n] }
        }
        None => ty,
    }
}

/// Rust name of the type generated for an anonymous member of `owner`.
fn anonymous_type_name(owner: &str, rust_name: &str) -> Ident {
    let base = owner.strip_suffix("_t").unwrap_or(owner);
    format_ident!("{}_{}_t", base, rust_name)
}

fn structure(model: &Model, s: &Structure) -> TokenStream {
    let mut items = Vec::new();
    let fields = aggregate_fields(&s.name, &s.members, &mut items);
    let name = ident(&s.name);
    let doc = docs(&s.doc);
    let notes = uses(model, &s.name);
    let doc = quote! { #doc #(#[doc = ""] #[doc = #notes])* };
    let accessors = accessors(s);
    let debug = debug_impl(s);
    let asserts = layout_asserts(s);
    quote! {
        #doc
        #[repr(C)]
        #[derive(Clone, Copy)]
        pub struct #name { #(#fields)* }

        impl Default for #name {
            fn default() -> Self {
                // Every member is an integer, a raw pointer or an open enum newtype,
                // for which all zero bits are a valid value.
                unsafe { core::mem::zeroed() }
            }
        }

        #accessors
        #debug
        #(#items)*
        #asserts
    }
}

/// The fields of one aggregate; anonymous members add their own types to `items`.
fn aggregate_fields(
    owner: &str,
    members: &[Member],
    items: &mut Vec<TokenStream>,
) -> Vec<TokenStream> {
    members
        .iter()
        .map(|m| {
            let doc = docs(&m.doc);
            match &m.kind {
                MemberKind::Field {
                    name,
                    rust_name,
                    ty,
                    array,
                } => {
                    let name = ident(rust_name.as_deref().unwrap_or(name));
                    let ty = field_type(ty, *array);
                    quote! { #doc pub #name: #ty, }
                }
                MemberKind::Anonymous { aggregate, rust_name, members } => {
                    let type_name = anonymous_type_name(owner, rust_name);
                    let inner = aggregate_fields(owner, members, items);
                    let keyword = match aggregate {
                        Aggregate::Struct => quote! { struct },
                        Aggregate::Union => quote! { union },
                    };
                    let note = format!(
                        "The C anonymous {} that is member `{rust_name}` of [`{owner}`]; its members are reached through [`{owner}`]'s accessors.",
                        aggregate.c_keyword()
                    );
                    items.push(quote! {
                        #doc
                        #[doc = ""]
                        #[doc = #note]
                        #[repr(C)]
                        #[derive(Clone, Copy)]
                        pub #keyword #type_name { #(#inner)* }
                    });
                    let field = ident(rust_name);
                    quote! { #doc pub #field: #type_name, }
                }
            }
        })
        .collect()
}

/// Getter and setter of every C member, under its C name, reached through any
/// anonymous members. Reads through a union are sound: every member type is plain
/// data for which any bit pattern is valid.
fn accessors(s: &Structure) -> TokenStream {
    let name = ident(&s.name);
    let methods = s.leaf_fields().into_iter().map(|(path, member)| {
        let MemberKind::Field {
            name: c_name,
            rust_name,
            ty,
            array,
        } = &member.kind
        else {
            unreachable!("leaf_fields yields named fields only")
        };
        // Accessors go by the Rust name when the spec states one.
        let field = rust_name.as_deref().unwrap_or(c_name);
        let through: Vec<Ident> = path
            .iter()
            .map(|m| match &m.kind {
                MemberKind::Anonymous { rust_name, .. } => ident(rust_name),
                MemberKind::Field { name, .. } => ident(name),
            })
            .collect();
        let in_union = path.iter().any(|m| {
            matches!(
                m.kind,
                MemberKind::Anonymous {
                    aggregate: Aggregate::Union,
                    ..
                }
            )
        });
        let field_ident = ident(field);
        let setter = format_ident!("set_{}", field);
        let ty = field_type(ty, *array);
        let brief = escape_markdown(&member.doc.brief);
        let get_doc = format!("Reads `{field}`: {brief}");
        let set_doc = format!("Writes `{field}`: {brief}");
        let read = if in_union {
            quote! { unsafe { self.#(#through.)*#field_ident } }
        } else {
            quote! { self.#(#through.)*#field_ident }
        };
        quote! {
            #[doc = #get_doc]
            #[inline]
            pub fn #field_ident(&self) -> #ty { #read }

            #[doc = #set_doc]
            #[inline]
            pub fn #setter(&mut self, value: #ty) { self.#(#through.)*#field_ident = value; }
        }
    });
    quote! { impl #name { #(#methods)* } }
}

fn debug_impl(s: &Structure) -> TokenStream {
    let name = ident(&s.name);
    let text = &s.name;
    let fields = s.leaf_fields().into_iter().filter_map(|(_, m)| {
        let field = m.name()?;
        let accessor = ident(m.rust_field_name()?);
        Some(quote! { .field(#field, &self.#accessor()) })
    });
    quote! {
        impl core::fmt::Debug for #name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_struct(#text) #(#fields)* .finish()
            }
        }
    }
}

/// The Rust field path from a struct to one of its named members, through the
/// anonymous members on the way (`source.source_address.msg_src_ip4`).
pub(super) fn field_path(path: &[&Member], member: &Member) -> Vec<Ident> {
    path.iter()
        .filter_map(|p| match &p.kind {
            MemberKind::Anonymous { rust_name, .. } => Some(ident(rust_name)),
            MemberKind::Field { .. } => None,
        })
        .chain(member.rust_field_name().map(ident))
        .collect()
}

/// Size, alignment and every member offset, checked at compile time on 64-bit targets.
fn layout_asserts(s: &Structure) -> TokenStream {
    let name = ident(&s.name);
    let size = Literal::u64_unsuffixed(s.layout.size);
    let align = Literal::u64_unsuffixed(s.layout.align);
    let offsets = s.leaf_fields().into_iter().map(|(path, m)| {
        let parts = field_path(&path, m);
        let offset = Literal::u64_unsuffixed(m.placement.offset);
        let what = format!("offset of {}.{}", s.name, m.name().unwrap_or_default());
        quote! { check_layout(#what, core::mem::offset_of!(#name, #(#parts).*), #offset); }
    });
    let size_what = format!("size of {}", s.name);
    let align_what = format!("alignment of {}", s.name);
    quote! {
        #[cfg(target_pointer_width = "64")]
        const _: () = {
            check_layout(#size_what, core::mem::size_of::<#name>(), #size);
            check_layout(#align_what, core::mem::align_of::<#name>(), #align);
            #(#offsets)*
        };
    }
}

/// The compile-time check that the layout assertions call. A function rather than
/// `assert!` so that prettyplease lays the calls out as code.
fn layout_check_fn() -> TokenStream {
    quote! {
        /// Stops compilation when Rust lays out a member differently from the
        /// generator's layout engine (and so from the C header, which asserts the same).
        #[cfg(target_pointer_width = "64")]
        const fn check_layout(what: &str, actual: usize, expected: usize) {
            if actual != expected {
                panic!("{}", what);
            }
        }
    }
}

/// Intra-doc link to a helper ID: a `const` at the crate root, or an associated
/// const or variant of its enum type.
fn enumerator_link(model: &Model, name: &str) -> String {
    match model.find_enumerator(name) {
        Some((e, _)) if e.usage != EnumUse::Constants => format!("[`{name}`]({}::{name})", e.name),
        _ => format!("[`{name}`]"),
    }
}

/// Intra-doc links to the helpers programs of `hook` may call.
fn helper_links(model: &Model, hook: &str) -> Vec<String> {
    model
        .helpers
        .iter()
        .filter(|h| h.hook == hook)
        .map(|h| format!("[`{}`]", h.name))
        .collect()
}

/// Doc paragraphs linking a struct or enum to the hooks it is the context or the
/// verdict of, and so to their helpers.
fn uses(model: &Model, name: &str) -> Vec<String> {
    let mut notes = Vec::new();
    for h in &model.hooks {
        let role = if h.context == name {
            "the context"
        } else if matches!(&h.returns, Type::Enum(e) if e == name) {
            "the verdict"
        } else {
            continue;
        };
        let mut note = format!(" This is {role} of [`{}`] programs.", h.name);
        let helpers = helper_links(model, &h.name);
        if role == "the context" && !helpers.is_empty() {
            note.push_str(&format!(" They may call {}.", helpers.join(", ")));
        }
        notes.push(note);
    }
    notes
}

fn hook(model: &Model, h: &Hook) -> TokenStream {
    let name = ident(&h.name);
    let doc = docs(&h.doc);
    let context = ident(&h.context);
    let returns = rust_type(&h.returns);
    let param = ident(&h.param.name);
    let attach: Vec<String> = h
        .attach_types
        .iter()
        .map(|a| format!("`{}` (section `{}`)", a.attach_type, a.section))
        .collect();
    let program = format!(
        " Program type: `{}`. Attach types: {}.",
        h.program_type,
        attach.join(", ")
    );
    let returned = match &h.returns {
        Type::Enum(verdict) => format!("a [`{verdict}`]"),
        other => format!("`{}`", rust_type(other)),
    };
    let mut signature = format!(
        " A program receives a [`{}`] context and returns {returned}.",
        h.context
    );
    let helpers = helper_links(model, &h.name);
    if !helpers.is_empty() {
        signature.push_str(&format!(" Helpers it may call: {}.", helpers.join(", ")));
    }
    quote! {
        #doc
        #[doc = ""]
        #[doc = #signature]
        #[doc = ""]
        #[doc = #program]
        pub type #name = unsafe extern "C" fn(#param: *mut #context) -> #returns;
    }
}

fn helper(model: &Model, h: &Helper) -> TokenStream {
    let name = ident(&h.name);
    let doc = docs(&h.doc);
    let id = ident(&h.id);
    let params: Vec<Ident> = h.params.iter().map(|p| ident(&p.name)).collect();
    let types: Vec<TokenStream> = h.params.iter().map(|p| rust_type(&p.ty)).collect();
    let returns = rust_type(&h.returns.ty);
    let mut notes: Vec<String> = h
        .params
        .iter()
        .map(|p| {
            format!(
                " - `{}` ({}): {}",
                p.name,
                p.direction.as_str(),
                escape_markdown(&p.doc.brief)
            )
        })
        .collect();
    notes.extend(h.returns.values.iter().map(|r| {
        format!(
            " - returns `{}`: {}",
            r.value,
            escape_markdown(&r.doc.brief)
        )
    }));
    if let Some(doc) = &h.returns.doc {
        notes.push(format!(" - returns: {}", escape_markdown(&doc.brief)));
    }
    let context = model
        .find_hook(&h.hook)
        .map(|hook| format!(", whose context is [`{}`]", hook.context))
        .unwrap_or_default();
    let available = format!(
        " Called by ID {} from [`{}`] programs{context}, at attach types: {}.",
        enumerator_link(model, &h.id),
        h.hook,
        h.available_at
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let double = format_ident!("call_{}", h.name);
    quote! {
        #doc
        #[doc = ""]
        #(#[doc = #notes])*
        #[doc = ""]
        #[doc = #available]
        ///
        /// # Safety
        ///
        /// Every pointer argument must be valid for the access the helper makes:
        /// the program's own context, and buffers of the stated size.
        #[inline(always)]
        pub unsafe fn #name(#(#params: #types),*) -> #returns {
            #[cfg(target_arch = "bpf")]
            {
                // Helpers are called by ID: the ID, cast to a function pointer,
                // compiles to a BPF `call ID` instruction.
                let helper: unsafe extern "C" fn(#(#types),*) -> #returns =
                    unsafe { core::mem::transmute(#id as usize) };
                unsafe { helper(#(#params),*) }
            }
            #[cfg(not(target_arch = "bpf"))]
            {
                testing::#double(#(#params),*)
            }
        }
    }
}

/// Host test doubles: on targets other than BPF a helper call goes to a function a
/// test has installed, so programs can be unit-tested on a development machine.
fn test_doubles(model: &Model) -> TokenStream {
    let slots = model.helpers.iter().map(|h| {
        let types: Vec<TokenStream> = h.params.iter().map(|p| rust_type(&p.ty)).collect();
        let params: Vec<Ident> = h.params.iter().map(|p| ident(&p.name)).collect();
        let returns = rust_type(&h.returns.ty);
        let slot = format_ident!("{}", h.name.to_uppercase());
        let set = format_ident!("set_{}", h.name);
        let call = format_ident!("call_{}", h.name);
        let double = format_ident!("{}_double", h.name);
        let get_local = format_ident!("get_{}", h.name);
        let double_doc = format!(" A host stand-in for [`{}`].", h.name);
        let set_doc = format!(" Installs `double` as [`{}`] for every thread; `None` removes it.", h.name);
        let missing = format!(
            "{} was called on the host with no test double installed; install one with ebpf_nethooks_bindings::testing::{}",
            h.name, set
        );
        quote! {
            #[doc = #double_doc]
            pub type #double = fn(#(#types),*) -> #returns;

            static #slot: AtomicPtr<()> = AtomicPtr::new(core::ptr::null_mut());

            #[doc = #set_doc]
            pub fn #set(double: Option<#double>) {
                let raw = double.map_or(core::ptr::null_mut(), |f| f as *mut ());
                #slot.store(raw, Ordering::SeqCst);
            }

            pub(crate) fn #call(#(#params: #types),*) -> #returns {
                // A double installed for this thread only wins over the global one.
                #[cfg(feature = "std")]
                if let Some(double) = this_thread::#get_local() {
                    return double(#(#params),*);
                }
                let raw = #slot.load(Ordering::SeqCst);
                if raw.is_null() {
                    panic!(#missing);
                }
                // Only `set_*` stores here, and only pointers of this exact type.
                let double: #double = unsafe { core::mem::transmute::<*mut (), #double>(raw) };
                double(#(#params),*)
            }
        }
    });
    let locals = model.helpers.iter().map(|h| {
        let double = format_ident!("{}_double", h.name);
        let slot = format_ident!("{}", h.name.to_uppercase());
        let set = format_ident!("set_{}", h.name);
        let get = format_ident!("get_{}", h.name);
        let set_doc = format!(
            " Installs `double` as [`{0}`](super::super::{0}) for the calling thread only, ahead of any global double; `None` removes it. Returns the double it replaces.",
            h.name
        );
        quote! {
            std::thread_local! {
                static #slot: Cell<Option<super::#double>> = const { Cell::new(None) };
            }

            #[doc = #set_doc]
            pub fn #set(double: Option<super::#double>) -> Option<super::#double> {
                #slot.replace(double)
            }

            pub(super) fn #get() -> Option<super::#double> {
                #slot.get()
            }
        }
    });
    quote! {
        /// Test doubles for the helpers, used when a program runs on the host
        /// instead of in the BPF virtual machine.
        #[cfg(not(target_arch = "bpf"))]
        pub mod testing {
            use super::*;
            use core::sync::atomic::{AtomicPtr, Ordering};
            #(#slots)*

            /// Doubles for the calling thread only (feature `std`). The test harness
            /// runs each test on its own thread, so tests that install different
            /// doubles this way can run in parallel.
            #[cfg(feature = "std")]
            pub mod this_thread {
                use core::cell::Cell;
                #(#locals)*
            }
        }
    }
}
