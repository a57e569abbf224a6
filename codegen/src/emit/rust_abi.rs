//! The `abi` module of the Rust bindings: every struct's and member's layout and every
//! named integer's value, as Rust itself computes them (`size_of`, `offset_of!`).
//!
//! Tools that must address context members by name (a program runner filling a
//! context from `process_id=42`) read it, and the cross-language layout test compares
//! it with a C probe and with the layout engine.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::model::{EnumUse, MemberKind, Model};

use super::rust::{field_type, ident};

pub fn module(model: &Model) -> TokenStream {
    let structs = model.structs.iter().map(|s| {
        let name = ident(&s.name);
        let text = &s.name;
        let members = s.leaf_fields().into_iter().filter_map(|(path, m)| {
            let MemberKind::Field {
                name: field,
                ty,
                array,
            } = &m.kind
            else {
                return None;
            };
            let mut parts: Vec<Ident> = path
                .iter()
                .filter_map(|p| match &p.kind {
                    MemberKind::Anonymous { rust_name, .. } => Some(ident(rust_name)),
                    MemberKind::Field { .. } => None,
                })
                .collect();
            parts.push(ident(field));
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
    let enumerators = model.enums.iter().flat_map(|e| {
        let owner = ident(&e.name);
        e.enumerators.iter().map(move |v| {
            let text = &v.name;
            let vname = Ident::new(&v.name, Span::call_site());
            let value = match e.usage {
                EnumUse::Verdict => quote! { #owner::#vname as i64 },
                EnumUse::Value => quote! { #owner::#vname.0 as i64 },
                EnumUse::Constants => quote! { #vname as i64 },
            };
            quote! { NamedValue { name: #text, value: #value }, }
        })
    });
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
        }
    }
}
