//! One attribute, any hook: parse -> validate -> expand, driven by the hook's row
//! of the generated table.

use proc_macro2::TokenStream;

use crate::table::HookInfo;
use crate::{expand, parse, release, validate};

/// What `#[hook(args)] item` becomes. On any error: the errors, and the item exactly
/// as written, so the compiler reports nothing else about it.
pub fn attribute(hook: &'static HookInfo, args: TokenStream, item: TokenStream) -> TokenStream {
    let result = parse::parse(hook, args, item.clone())
        .and_then(|input| validate::validate(hook, input))
        .map(|program| expand::expand(hook, program));
    let func = syn::parse2::<syn::ItemFn>(item.clone()).ok();
    let unavailable = func.as_ref().and_then(release::unavailable_items);
    match (result, unavailable, func) {
        (Ok(tokens), None, _) => tokens,
        (Err(error), None, _) => fallback(error, item),
        (Ok(_), Some(error), Some(func)) => fallback(error, release::without_body(func)),
        (Err(mut error), Some(more), Some(func)) => {
            error.combine(more);
            fallback(error, release::without_body(func))
        }
        // A use of an item is found only in a function that parsed.
        (Ok(tokens), Some(_), None) => tokens,
        (Err(error), Some(_), None) => fallback(error, item),
    }
}

fn fallback(error: syn::Error, item: TokenStream) -> TokenStream {
    let errors = error.to_compile_error();
    // A C-variadic Rust fn does not compile by itself; drop the `...` (already
    // reported) so that rustc adds no error of its own.
    let item = match syn::parse2::<syn::ItemFn>(item.clone()) {
        Ok(mut func) if func.sig.variadic.is_some() => {
            func.sig.variadic = None;
            quote::ToTokens::into_token_stream(func)
        }
        _ => item,
    };
    quote::quote! {
        #errors
        #item
    }
}
