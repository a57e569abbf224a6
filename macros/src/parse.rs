//! Stage 1: tokens -> syntax. Keeps the original nodes so later errors can point at
//! the exact token; checks nothing about meaning.

use proc_macro2::{Span, TokenStream};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Ident, ItemFn, Token};

use crate::table::HookInfo;

/// What the attribute was given: its attach type arguments and the function.
pub struct Input {
    /// The attribute's arguments; empty for `#[hook]`.
    pub attach: Vec<Ident>,
    /// Where the arguments were written, for "none given" errors.
    pub args_span: Span,
    pub func: ItemFn,
}

pub fn parse(hook: &HookInfo, args: TokenStream, item: TokenStream) -> syn::Result<Input> {
    let args_span = args
        .clone()
        .into_iter()
        .next()
        .map_or_else(Span::call_site, |t| t.span());
    // `parse_any` also accepts keywords, should an attach type ever be named like one.
    let names = |input: ParseStream| {
        Punctuated::<Ident, Token![,]>::parse_terminated_with(input, Ident::parse_any)
    };
    let attach = names.parse2(args).map_err(|e| {
        syn::Error::new(
            e.span(),
            format!(
                "{e}: `#[{}(..)]` takes attach type names separated by commas",
                hook.attribute
            ),
        )
    })?;
    let func = syn::parse2::<ItemFn>(item.clone()).map_err(|e| {
        // A trait's function without a body, or an impl's `default fn`: say what
        // is wrong with the place rather than with the syntax.
        let associated = syn::parse2::<syn::TraitItemFn>(item.clone())
            .map(|f| f.sig.ident)
            .or_else(|_| syn::parse2::<syn::ImplItemFn>(item).map(|f| f.sig.ident));
        match associated {
            Ok(name) => syn::Error::new(
                name.span(),
                format!(
                    "a hook must be a free function: `#[{}]` cannot go on a function of a trait or impl",
                    hook.attribute
                ),
            ),
            Err(_) => syn::Error::new(
                e.span(),
                format!("`#[{}]` goes on a function: {e}", hook.attribute),
            ),
        }
    })?;
    Ok(Input {
        attach: attach.into_iter().collect(),
        args_span,
        func,
    })
}
