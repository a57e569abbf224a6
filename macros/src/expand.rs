//! Stage 3: a validated program -> its entry points. Cannot fail: every check that
//! could make the output not compile was done in `validate`.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Attribute, FnArg, Visibility};

use crate::table::{AttachInfo, HookInfo};
use crate::validate::{ContextForm, Program, TYPED_CONTEXT};

/// The facade crate that programs depend on; every path in the output goes through it.
fn krate() -> TokenStream {
    quote! { ::ebpf_nethooks }
}

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

pub fn expand(hook: &HookInfo, program: Program) -> TokenStream {
    let krate = krate();
    let context = ident(hook.context);
    let context = quote! { #krate::#context };
    let verdict = ident(hook.verdict);
    let verdict = if hook.verdict_is_primitive {
        quote! { #verdict }
    } else {
        quote! { #krate::#verdict }
    };
    let typedef = ident(hook.name);
    let typedef = quote! { #krate::#typedef };

    let Program {
        mut func,
        attach,
        form,
    } = program;
    let name = func.sig.ident.clone();
    let vis = func.vis.clone();
    // A `cfg` that removes the program must remove its entry points too.
    let cfgs: Vec<&Attribute> = func
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .collect();
    let cfgs = quote! { #(#cfgs)* };
    let param_span = func
        .sig
        .inputs
        .first()
        .map_or_else(Span::call_site, |arg| match arg {
            FnArg::Typed(t) => t.ty.span(),
            FnArg::Receiver(r) => r.span(),
        });
    // Mixed-site, so no local of the user's can collide with it; the program itself
    // is an item inside the entry point, and an item would shadow a same-named local.
    let ctx = Ident::new(
        if name == "ctx" { "ctx_" } else { "ctx" },
        Span::mixed_site(),
    );
    let safety = quote! {
        #[doc = ""]
        #[doc = " # Safety"]
        #[doc = ""]
        #[doc = " `ctx` must point to a valid context that nothing else accesses during the"]
        #[doc = " call, as the extension guarantees; a host test passes `&mut` a context it built."]
    };

    match attach.as_slice() {
        [only] => {
            let docs: Vec<Attribute> = func
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("doc"))
                .cloned()
                .collect();
            let section = only.section;
            let argument = argument(form, only, &krate, &ctx, param_span);
            // The program lives on inside its entry point, under the same name.
            func.vis = Visibility::Inherited;
            // The entry point's symbol is its name only on BPF: on the host an
            // unmangled `memcpy` or `main` would replace libc's or the runtime's, and a
            // host test calls the entry point by its Rust path.
            let abi_check = abi_check(&typedef, &name);
            quote! {
                #(#docs)*
                #safety
                #cfgs
                #[cfg_attr(target_arch = "bpf", unsafe(no_mangle))]
                #[cfg_attr(not(target_arch = "bpf"), allow(dead_code))]
                #[unsafe(link_section = #section)]
                #vis unsafe extern "C" fn #name(#ctx: *mut #context) -> #verdict {
                    #abi_check
                    {
                        #func
                        #name(#argument)
                    }
                }
            }
        }
        many => {
            let entries = many.iter().map(|at| {
                let entry = format_ident!("{}_{}", name, at.name);
                let section = at.section;
                let argument = argument(form, at, &krate, &ctx, param_span);
                let doc = format!(
                    " Entry point of `{name}` at attach type `{}` (ELF section `{section}`).",
                    at.name
                );
                let abi_check = abi_check(&typedef, &entry);
                quote! {
                    #[doc = #doc]
                    #safety
                    #cfgs
                    #[cfg_attr(target_arch = "bpf", unsafe(no_mangle))]
                    #[cfg_attr(not(target_arch = "bpf"), allow(dead_code))]
                    #[unsafe(link_section = #section)]
                    #vis unsafe extern "C" fn #entry(#ctx: *mut #context) -> #verdict {
                        #abi_check
                        #name(#argument)
                    }
                }
            });
            // Several entry points share the program, which stays an ordinary function.
            quote! {
                #func
                #(#entries)*
            }
        }
    }
}

/// The statement, first in the entry point `entry`, that checks it has exactly the
/// ABI's function type. It names the entry point from inside, where the program (in a
/// block of its own) does not shadow it: that finds a free function, in a module or
/// a block, but not an associated one, so a hook on a function of an `impl` is one
/// error at its name (a proc macro cannot see that it is inside an `impl`).
fn abi_check(typedef: &TokenStream, entry: &Ident) -> TokenStream {
    quote_spanned! {entry.span()=>
        let _: #typedef = #entry;
    }
}

/// The expression that turns the entry point's `ctx` pointer into the program's parameter.
fn argument(
    form: ContextForm,
    at: &AttachInfo,
    krate: &TokenStream,
    ctx: &Ident,
    span: Span,
) -> TokenStream {
    match form {
        ContextForm::Mut => quote_spanned! {span=> unsafe { &mut *#ctx } },
        ContextForm::Shared => quote_spanned! {span=> unsafe { &*#ctx } },
        ContextForm::Typed => {
            let wrapper = ident(TYPED_CONTEXT);
            let marker = ident(at.marker);
            quote_spanned! {span=>
                unsafe { #krate::hooks::#wrapper::<#krate::hooks::#marker>::from_raw(#ctx) }
            }
        }
    }
}
