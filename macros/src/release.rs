//! The targeted release: a program that uses an item a later release of eBPF for
//! Windows added (`BIND_PERMIT_HARD`, `bpf_redirect_map`, a struct) is refused at
//! that item's token, naming the release that added it. The bindings leave such
//! items out too, so a use outside a program fails as well, with rustc's own error.

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;

use crate::table::{item_needs_release, needs_release_message};

/// One error per use, in the program's signature or body, of an item the
/// targeted release lacks; `None` when there is none.
pub fn unavailable_items(func: &syn::ItemFn) -> Option<syn::Error> {
    let mut errors: Option<syn::Error> = None;
    let mut tokens = func.sig.to_token_stream();
    tokens.extend(func.block.to_token_stream());
    visit(tokens, &mut |ident| {
        let name = ident.to_string();
        if let Some(release) = item_needs_release(&name) {
            let error = syn::Error::new(
                ident.span(),
                needs_release_message(&format!("`{name}`"), release),
            );
            match &mut errors {
                Some(all) => all.combine(error),
                None => errors = Some(error),
            }
        }
    });
    errors
}

fn visit(tokens: TokenStream, found: &mut dyn FnMut(&proc_macro2::Ident)) {
    for tree in tokens {
        match tree {
            TokenTree::Ident(ident) => found(&ident),
            TokenTree::Group(group) => visit(group.stream(), found),
            TokenTree::Punct(_) | TokenTree::Literal(_) => {}
        }
    }
}

/// The program with its body replaced, so that rustc reports nothing more about
/// the items already reported.
pub fn without_body(mut func: syn::ItemFn) -> TokenStream {
    func.block = syn::parse_quote!({ ::core::unreachable!() });
    func.attrs
        .push(syn::parse_quote!(#[allow(unused_variables)]));
    func.into_token_stream()
}
