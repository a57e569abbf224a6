//! The `abi` module of the Rust bindings: every struct's and member's layout and every
//! named integer's value, as Rust itself computes them (`size_of`, `offset_of!`).
//!
//! Tools that must address context members by name (a program runner filling a
//! context from `process_id=42`) read it, and the cross-language layout test compares
//! it with a C probe and with the layout engine. A program runner also finds there
//! which hook an ELF section belongs to (`HOOKS`) and each helper's ID and a way to
//! call its host binding by ID (`HELPERS`).

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::model::{EnumUse, Enumeration, Enumerator, Hook, MemberKind, Model, Type};
use crate::model::{Helper, Primitive};

use super::rust::{field_path, field_type, ident, rust_type};

pub fn module(model: &Model) -> TokenStream {
    let structs = model.structs.iter().map(|s| {
        let name = ident(&s.name);
        let text = &s.name;
        let members = s.leaf_fields().into_iter().filter_map(|(path, m)| {
            let MemberKind::Field {
                name: field,
                ty,
                array,
                ..
            } = &m.kind
            else {
                return None;
            };
            let parts = field_path(&path, m);
            let ty = field_type(ty, *array);
            Some(quote! {
                MemberLayout {
                    name: #field,
                    offset: core::mem::offset_of!(#name, #(#parts).*),
                    size: core::mem::size_of::<#ty>(),
                },
            })
        });
        quote! {
            StructLayout {
                name: #text,
                size: core::mem::size_of::<#name>(),
                align: core::mem::align_of::<#name>(),
                members: &[#(#members)*],
            },
        }
    });
    let constants = model.constants.iter().map(|c| {
        let name = ident(&c.name);
        let text = &c.name;
        quote! { NamedValue { name: #text, value: #name as i64 }, }
    });
    let enumerators = model
        .enums
        .iter()
        .flat_map(|e| e.enumerators.iter().map(move |v| named_value(e, v)));
    let hooks = model.hooks.iter().map(|h| hook_info(model, h));
    let helpers = model.helpers.iter().map(helper_info);
    let helper_calls = model.helpers.iter().map(|h| helper_call(model, h));
    let struct_count = Literal::usize_unsuffixed(model.structs.len());
    quote! {
        /// Layouts and values as compiled by Rust, for tools that address the ABI by name.
        pub mod abi {
            use super::*;

            /// Where one C member (anonymous members' fields included) lives in its struct.
            #[derive(Clone, Copy, Debug, PartialEq, Eq)]
            pub struct MemberLayout {
                /// The member's C name.
                pub name: &'static str,
                /// Byte offset from the start of the struct.
                pub offset: usize,
                /// Size in bytes.
                pub size: usize,
            }

            /// Size, alignment and members of one struct.
            #[derive(Clone, Copy, Debug, PartialEq, Eq)]
            pub struct StructLayout {
                /// The struct's C typedef name.
                pub name: &'static str,
                /// `size_of` the struct.
                pub size: usize,
                /// `align_of` the struct.
                pub align: usize,
                /// Every named member in declaration order.
                pub members: &'static [MemberLayout],
            }

            /// A constant or enumerator and its value.
            #[derive(Clone, Copy, Debug, PartialEq, Eq)]
            pub struct NamedValue {
                /// The C name.
                pub name: &'static str,
                /// The value.
                pub value: i64,
            }

            /// Every struct of the ABI.
            pub const STRUCTS: [StructLayout; #struct_count] = [#(#structs)*];

            /// Every `#define` constant.
            pub const CONSTANTS: &[NamedValue] = &[#(#constants)*];

            /// Every enumerator of every enum, aliases included.
            #[allow(deprecated)] // Deprecated aliases are listed too.
            pub const ENUMERATORS: &[NamedValue] = &[#(#enumerators)*];

            /// One attach point of a hook and the ELF section its programs are placed in.
            #[derive(Clone, Copy, Debug, PartialEq, Eq)]
            pub struct AttachInfo {
                /// Short name (`connect4`).
                pub name: &'static str,
                /// The eBPF-for-Windows attach type (`EBPF_ATTACH_TYPE_...`).
                pub attach_type: &'static str,
                /// ELF section name of its programs.
                pub section: &'static str,
            }

            /// A hook: its context struct, its verdicts and where its programs attach.
            #[derive(Clone, Copy, Debug, PartialEq, Eq)]
            pub struct HookInfo {
                /// The hook's C typedef name.
                pub name: &'static str,
                /// The eBPF-for-Windows program type (`EBPF_PROGRAM_TYPE_...`).
                pub program_type: &'static str,
                /// Typedef name of the context struct (a name in [`STRUCTS`]).
                pub context: &'static str,
                /// C spelling of the return type.
                pub returns: &'static str,
                /// The named verdicts (aliases left out); empty when the hook returns a plain integer.
                pub verdicts: &'static [NamedValue],
                /// Its attach types, in spec order.
                pub attach_types: &'static [AttachInfo],
            }

            /// One parameter of a helper.
            #[derive(Clone, Copy, Debug, PartialEq, Eq)]
            pub struct ParamInfo {
                /// The parameter's name.
                pub name: &'static str,
                /// Its C type.
                pub c_type: &'static str,
            }

            /// A helper function and how to call its host binding by ID.
            #[derive(Clone, Copy, Debug)]
            pub struct HelperInfo {
                /// The helper's C name.
                pub name: &'static str,
                /// Name of the enumerator holding its ID.
                pub id_name: &'static str,
                /// The ID a BPF `call` instruction names.
                pub id: i64,
                /// The hook whose programs may call it.
                pub hook: &'static str,
                /// Short names of the attach types it may be called at.
                pub available_at: &'static [&'static str],
                /// Its parameters, in order.
                pub params: &'static [ParamInfo],
                /// C spelling of the return type.
                pub returns: &'static str,
                /// Calls the helper's Rust binding with BPF argument registers r1..r5
                /// (pointers as addresses) and returns r0; on the host that reaches the
                /// test double installed in `testing`.
                ///
                /// # Safety
                ///
                /// As for the binding: every pointer argument must be valid for the
                /// access the helper makes.
                pub call: unsafe fn([u64; 5]) -> u64,
            }

            /// Every hook, in spec order.
            pub const HOOKS: &[HookInfo] = &[#(#hooks)*];

            /// Every helper with a prototype, in spec order.
            pub const HELPERS: &[HelperInfo] = &[#(#helpers)*];

            #(#helper_calls)*
        }
    }
}

/// One enumerator as a `NamedValue`, its value read back from the Rust item.
fn named_value(e: &Enumeration, v: &Enumerator) -> TokenStream {
    let owner = ident(&e.name);
    let text = &v.name;
    let vname = Ident::new(&v.name, Span::call_site());
    let value = match e.usage {
        EnumUse::Verdict => quote! { #owner::#vname as i64 },
        EnumUse::Value => quote! { #owner::#vname.0 as i64 },
        EnumUse::Constants => quote! { #vname as i64 },
    };
    quote! { NamedValue { name: #text, value: #value }, }
}

fn hook_info(model: &Model, h: &Hook) -> TokenStream {
    let name = &h.name;
    let program_type = &h.program_type;
    let context = &h.context;
    let returns = h.returns.c_spelling();
    let verdicts: Vec<TokenStream> = match &h.returns {
        Type::Enum(e) => model
            .find_enum(e)
            .map(|e| e.primary_enumerators().map(|v| named_value(e, v)).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let attach = h.attach_types.iter().map(|a| {
        let (name, attach_type, section) = (&a.name, &a.attach_type, &a.section);
        quote! { AttachInfo { name: #name, attach_type: #attach_type, section: #section }, }
    });
    quote! {
        HookInfo {
            name: #name,
            program_type: #program_type,
            context: #context,
            returns: #returns,
            verdicts: &[#(#verdicts)*],
            attach_types: &[#(#attach)*],
        },
    }
}

fn call_fn_name(h: &Helper) -> Ident {
    ident(&format!("call_{}", h.name))
}

fn helper_info(h: &Helper) -> TokenStream {
    let (name, id_name, hook) = (&h.name, &h.id, &h.hook);
    let id = ident(&h.id);
    let available = &h.available_at;
    let params = h.params.iter().map(|p| {
        let (name, c_type) = (&p.name, p.ty.c_spelling());
        quote! { ParamInfo { name: #name, c_type: #c_type }, }
    });
    let returns = h.returns.ty.c_spelling();
    let call = call_fn_name(h);
    quote! {
        HelperInfo {
            name: #name,
            id_name: #id_name,
            id: #id as i64,
            hook: #hook,
            available_at: &[#(#available),*],
            params: &[#(#params)*],
            returns: #returns,
            call: #call,
        },
    }
}

/// `call_<helper>`: BPF registers in, the binding called with typed arguments, r0 out.
fn helper_call(model: &Model, h: &Helper) -> TokenStream {
    let name = ident(&h.name);
    let call = call_fn_name(h);
    let regs = if h.params.is_empty() {
        ident("_regs")
    } else {
        ident("regs")
    };
    let args = h.params.iter().enumerate().map(|(i, p)| {
        let i = Literal::usize_unsuffixed(i);
        let reg = quote! { #regs[#i] };
        let ty = rust_type(&p.ty);
        match &p.ty {
            Type::Pointer(_) => quote! { #reg as usize as #ty },
            // An enum used as a parameter is an open newtype (`EnumUse::Value`).
            Type::Enum(e)
                if model
                    .find_enum(e)
                    .is_some_and(|e| e.usage == EnumUse::Value) =>
            {
                quote! { #ty(#reg as i32) }
            }
            _ => quote! { #reg as #ty },
        }
    });
    let call_binding = quote! { unsafe { super::#name(#(#args),*) } };
    let result = quote! { result };
    // r0 holds a signed result sign-extended to 64 bits, as BPF code expects.
    let r0 = match &h.returns.ty {
        Type::Void => quote! { 0 },
        Type::Primitive(p) if p.is_signed() => quote! { #result as i64 as u64 },
        Type::Primitive(Primitive::U64) => quote! { #result },
        Type::Pointer(_) => quote! { #result as usize as u64 },
        Type::Enum(e)
            if model
                .find_enum(e)
                .is_some_and(|e| e.usage == EnumUse::Value) =>
        {
            quote! { #result.0 as i64 as u64 }
        }
        Type::Enum(_) => quote! { #result as i32 as i64 as u64 },
        _ => quote! { #result as u64 },
    };
    let doc = format!("[`HelperInfo::call`] of `{}`.", h.name);
    quote! {
        #[doc = #doc]
        #[allow(clippy::unnecessary_cast)]
        unsafe fn #call(#regs: [u64; 5]) -> u64 {
            #[allow(clippy::let_unit_value)]
            let result = #call_binding;
            #r0
        }
    }
}
