//! The `hooks` module of the Rust bindings (`generated/rust/src/hooks.rs`): one
//! zero-sized marker type per attach type, a context wrapper typed by attach type,
//! and one trait per helper implemented only for the attach types the spec makes it
//! available at. A safe helper method on the wrapper requires that trait, so calling
//! a helper where it is not available is a compile error.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::Error;
use crate::model::{Direction, EnumUse, Helper, MemberKind, Model, Type};

use super::hook_table::{attribute_name, check_markers, marker_name, upper_camel};
use super::rust::{docs, ident, rust_type};

pub fn emit(model: &Model) -> Result<String, Error> {
    check_markers(model)?;
    let markers = model.hooks.iter().flat_map(|h| {
        let context = ident(&h.context);
        let attribute = attribute_name(h);
        h.attach_types.iter().map(move |a| {
            let marker = format_ident!("{}", marker_name(a));
            let doc = docs(&a.doc);
            let where_ = format!(
                " Attach type `{}` of `{}` (`{}`): programs marked `#[{attribute}]` for it are placed in ELF section `{}`.",
                a.name, h.name, a.attach_type, a.section
            );
            let (name, attach_type, section) = (&a.name, &a.attach_type, &a.section);
            quote! {
                #doc
                #[doc = ""]
                #[doc = #where_]
                #[derive(Debug)]
                pub enum #marker {}

                impl sealed::Sealed for #marker {}

                impl AttachPoint for #marker {
                    type Context = super::#context;
                    const NAME: &'static str = #name;
                    const ATTACH_TYPE: &'static str = #attach_type;
                    const SECTION: &'static str = #section;
                }
            }
        })
    });
    let plain = plain_data_impls(model);
    let helpers = model
        .helpers
        .iter()
        .map(|h| helper(model, h))
        .collect::<Result<Vec<_>, _>>()?;
    let tokens = quote! {
        #![doc = " Typed program contexts: which helpers a program may call, checked at compile time."]
        #![doc = ""]
        #![doc = " Each attach type has a marker type here, and [`Context<'_, A>`](Context) is a"]
        #![doc = " program's context at attach type `A`. It dereferences to the context struct, and"]
        #![doc = " has a safe method per helper that compiles only at the attach types where the"]
        #![doc = " spec makes that helper available. The hook attributes hand it to a program that"]
        #![doc = " takes it instead of the raw `&mut` context."]
        #![cfg_attr(rustfmt, rustfmt::skip)]

        use core::marker::PhantomData;
        use core::ops::{Deref, DerefMut};

        mod sealed {
            /// Only this module's marker types are attach points.
            pub trait Sealed {}
        }

        /// An attach type of a hook, as a type: names it, its context and its ELF section.
        pub trait AttachPoint: sealed::Sealed + 'static {
            /// The context struct a program at this attach type receives.
            type Context;
            /// The short name the hook attributes take (`#[hook(NAME)]`).
            const NAME: &'static str;
            /// eBPF for Windows' identifier of the attach type.
            const ATTACH_TYPE: &'static str;
            /// The ELF section programs of this attach type are placed in.
            const SECTION: &'static str;
        }

        #(#markers)*

        /// Types for which every bit pattern is a valid value, so a helper may fill
        /// them with bytes or read them as bytes.
        ///
        /// # Safety
        ///
        /// Implement only for types without invalid bit patterns (no `bool`, no
        /// references, no closed enums).
        pub unsafe trait PlainData {}

        #plain

        /// The context of a program at attach type `A`: dereferences to the context
        /// struct, and offers the helpers available at `A` as safe methods.
        pub struct Context<'a, A: AttachPoint> {
            context: &'a mut A::Context,
            attach: PhantomData<A>,
        }

        impl<'a, A: AttachPoint> Context<'a, A> {
            /// Wraps a context, as a host test does with one it built.
            #[inline(always)]
            pub fn new(context: &'a mut A::Context) -> Self {
                Self { context, attach: PhantomData }
            }

            /// Wraps the context pointer an entry point receives.
            ///
            /// # Safety
            ///
            /// `context` must be valid, aligned and not accessed through another
            /// pointer for `'a`.
            #[inline(always)]
            pub unsafe fn from_raw(context: *mut A::Context) -> Self {
                Self::new(unsafe { &mut *context })
            }

            /// The context struct itself.
            #[inline(always)]
            pub fn into_inner(self) -> &'a mut A::Context {
                self.context
            }
        }

        impl<A: AttachPoint> Deref for Context<'_, A> {
            type Target = A::Context;
            #[inline(always)]
            fn deref(&self) -> &A::Context {
                self.context
            }
        }

        impl<A: AttachPoint> DerefMut for Context<'_, A> {
            #[inline(always)]
            fn deref_mut(&mut self) -> &mut A::Context {
                self.context
            }
        }

        impl<A: AttachPoint> core::fmt::Debug for Context<'_, A>
        where
            A::Context: core::fmt::Debug,
        {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_struct("Context")
                    .field("attach", &A::NAME)
                    .field("context", &*self.context)
                    .finish()
            }
        }

        #(#helpers)*
    };
    super::rust::print(model, tokens)
}

/// `PlainData` for the integers, arrays and slices of them, open enums, and every
/// struct whose members are all plain data themselves.
fn plain_data_impls(model: &Model) -> TokenStream {
    let primitives = [
        quote!(u8),
        quote!(u16),
        quote!(u32),
        quote!(u64),
        quote!(i8),
        quote!(i16),
        quote!(i32),
        quote!(i64),
    ];
    let open_enums = model
        .enums
        .iter()
        .filter(|e| e.usage == EnumUse::Value)
        .map(|e| ident(&e.name));
    let structs = model
        .structs
        .iter()
        .filter(|s| {
            s.leaf_fields().iter().all(|(_, m)| match &m.kind {
                MemberKind::Field { ty, .. } => is_plain(model, ty),
                MemberKind::Anonymous { .. } => true,
            })
        })
        .map(|s| ident(&s.name));
    quote! {
        #(unsafe impl PlainData for #primitives {})*
        unsafe impl<T: PlainData, const N: usize> PlainData for [T; N] {}
        unsafe impl<T: PlainData> PlainData for [T] {}
        #(unsafe impl PlainData for super::#open_enums {})*
        #(unsafe impl PlainData for super::#structs {})*
    }
}

fn is_plain(model: &Model, ty: &Type) -> bool {
    match ty {
        Type::Primitive(_) | Type::Pointer(_) => true,
        Type::Enum(name) => model
            .find_enum(name)
            .is_some_and(|e| e.usage != EnumUse::Verdict),
        Type::Struct(name) => model.find_struct(name).is_some_and(|s| {
            s.leaf_fields().iter().all(|(_, m)| match &m.kind {
                MemberKind::Field { ty, .. } => is_plain(model, ty),
                MemberKind::Anonymous { .. } => true,
            })
        }),
        Type::Void => false,
    }
}

/// The trait of the attach types a helper is available at, and its safe method.
fn helper(model: &Model, h: &Helper) -> Result<TokenStream, Error> {
    let hook = model.find_hook(&h.hook).ok_or_else(|| {
        Error::Template(format!("helper `{}`: unknown hook `{}`", h.name, h.hook))
    })?;
    let camel = upper_camel(&h.name);
    let has = format_ident!("Has{}", camel);
    let name = ident(&h.name);
    let available = h.available_at.join(", ");
    let message = format!("`{}` cannot be called at attach type `{{Self}}`", h.name);
    let note = if available.is_empty() {
        format!("`{}` is available at no attach type", h.name)
    } else {
        format!("`{}` is available at: {available}", h.name)
    };
    let trait_doc = format!(
        " The attach types at which [`{0}`](super::{0}) may be called: {1}.",
        h.name,
        if available.is_empty() {
            "none"
        } else {
            &available
        }
    );
    let markers: Vec<Ident> = hook
        .attach_types
        .iter()
        .filter(|a| h.available_at.contains(&a.name))
        .map(|a| format_ident!("{}", marker_name(a)))
        .collect();
    let context = ident(&hook.context);

    // When the first parameter is the program's own context, the method passes it
    // itself; any other parameter is the caller's.
    let takes_context = h.params.first().is_some_and(|p| {
        p.ty.pointee()
            .is_some_and(|t| *t == Type::Struct(hook.context.clone()))
    });
    let (mut args, rest) = if takes_context {
        (vec![quote! { &mut *self.context }], &h.params[1..])
    } else {
        (Vec::new(), &h.params[..])
    };
    let mut params = Vec::new();
    let mut setup = Vec::new();
    let mut generics = Vec::new();
    let mut unsafe_method = false;
    let mut i = 0;
    while i < rest.len() {
        let p = &rest[i];
        let pname = ident(&p.name);
        let next_is_size = rest
            .get(i + 1)
            .is_some_and(|n| matches!(n.ty, Type::Primitive(p) if !p.is_signed()));
        match &p.ty {
            // A buffer and its size: one `PlainData` reference, its size computed here.
            Type::Pointer(inner) if **inner == Type::Void && next_is_size => {
                let size = &rest[i + 1];
                let size_name = ident(&size.name);
                let size_ty = rust_type(&size.ty);
                let t = format_ident!("T{}", generics.len());
                generics.push(quote! { #t: PlainData + ?Sized });
                let (reference, pointer) = match p.direction {
                    Direction::In => (quote! { &#t }, quote! { (#pname as *const #t).cast_mut() }),
                    Direction::Out | Direction::InOut => {
                        (quote! { &mut #t }, quote! { (#pname as *mut #t) })
                    }
                };
                params.push(quote! { #pname: #reference });
                setup.push(quote! {
                    // A size beyond the parameter's range is cut: the helper then sees less.
                    let #size_name: #size_ty =
                        core::mem::size_of_val(#pname).try_into().unwrap_or(#size_ty::MAX);
                });
                args.push(quote! { #pointer.cast() });
                args.push(quote! { #size_name });
                i += 2;
            }
            Type::Primitive(_) | Type::Enum(_) => {
                let ty = rust_type(&p.ty);
                params.push(quote! { #pname: #ty });
                args.push(quote! { #pname });
                i += 1;
            }
            _ => {
                // Anything else is passed raw, and the caller vouches for it.
                let ty = rust_type(&p.ty);
                params.push(quote! { #pname: #ty });
                args.push(quote! { #pname });
                unsafe_method = true;
                i += 1;
            }
        }
    }
    let returns = rust_type(&h.returns.ty);
    let method_doc = docs(&h.doc);
    let where_doc = format!(
        " Compiles only at the attach types where the spec makes it available: {}.",
        if available.is_empty() {
            "none"
        } else {
            &available
        }
    );
    let call = quote! { super::#name(#(#args),*) };
    let (unsafety, body, safety_doc) = if unsafe_method {
        (
            quote! { unsafe },
            quote! { unsafe { #call } },
            quote! {
                ///
                /// # Safety
                ///
                /// Every pointer argument must be valid for the access the helper makes.
            },
        )
    } else {
        (
            quote! {},
            quote! {
                // SAFETY: the context is the program's own, and each buffer pointer
                // comes with its exact size.
                unsafe { #call }
            },
            quote! {},
        )
    };
    Ok(quote! {
        #[doc = #trait_doc]
        #[diagnostic::on_unimplemented(
            message = #message,
            label = "not available at this attach type",
            note = #note
        )]
        pub trait #has: AttachPoint {}

        #(impl #has for #markers {})*

        impl<A: AttachPoint<Context = super::#context>> Context<'_, A> {
            #method_doc
            #[doc = ""]
            #[doc = #where_doc]
            #safety_doc
            #[inline(always)]
            pub #unsafety fn #name<#(#generics),*>(&mut self, #(#params),*) -> #returns
            where
                A: #has,
            {
                #(#setup)*
                #body
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{HelperParam, Primitive};

    fn param(name: &str, ty: Type, direction: Direction) -> HelperParam {
        HelperParam {
            name: name.to_owned(),
            ty,
            direction,
            doc: crate::model::Doc {
                brief: "A parameter.".to_owned(),
                details: Vec::new(),
            },
        }
    }

    /// The spec of this repository, with one more helper of the given parameters.
    fn emit_with(params: Vec<HelperParam>) -> String {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/nethooks.toml");
        let mut model = crate::load(std::path::Path::new(root), "spec.toml").unwrap();
        let mut extra = model.helpers[0].clone();
        extra.name = "test_extra_helper".to_owned();
        extra.params = params;
        model.helpers.push(extra);
        let text = emit(&model).unwrap();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn helper_parameters_become_safe_arguments_where_they_can() {
        let context = model_context();
        let ctx = || {
            param(
                "ctx",
                Type::Pointer(Box::new(context.clone())),
                Direction::In,
            )
        };
        let void = || Type::Pointer(Box::new(Type::Void));
        let u32_ = || Type::Primitive(Primitive::U32);
        // (parameters, the method's signature as emitted)
        let cases: Vec<(Vec<HelperParam>, &str)> = vec![
            (
                vec![
                    ctx(),
                    param("data", void(), Direction::In),
                    param("size", u32_(), Direction::In),
                ],
                "pub fn test_extra_helper<T0: PlainData + ?Sized>(&mut self, data: &T0) -> i32",
            ),
            (
                vec![
                    ctx(),
                    param("out", void(), Direction::Out),
                    param("size", u32_(), Direction::In),
                ],
                "pub fn test_extra_helper<T0: PlainData + ?Sized>(&mut self, out: &mut T0) -> i32",
            ),
            (
                vec![ctx(), param("flags", u32_(), Direction::In)],
                "pub fn test_extra_helper(&mut self, flags: u32) -> i32",
            ),
            (
                // A buffer without a size cannot be checked: the caller vouches for it.
                vec![ctx(), param("data", void(), Direction::In)],
                "pub unsafe fn test_extra_helper(&mut self, data: *mut core::ffi::c_void) -> i32",
            ),
            (
                vec![param("flags", u32_(), Direction::In)],
                "pub fn test_extra_helper(&mut self, flags: u32) -> i32",
            ),
        ];
        for (params, signature) in cases {
            let names: Vec<String> = params.iter().map(|p| p.name.clone()).collect();
            let text = emit_with(params);
            assert!(text.contains(signature), "{names:?}: no `{signature}`");
        }
    }

    /// The context struct of the hook of the spec's first helper.
    fn model_context() -> Type {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/nethooks.toml");
        let model = crate::load(std::path::Path::new(root), "spec.toml").unwrap();
        let hook = model.find_hook(&model.helpers[0].hook).unwrap();
        Type::Struct(hook.context.clone())
    }
}
