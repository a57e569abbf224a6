//! The hook table of the macro crate (`generated/macros/hook_table.rs`): every hook's
//! attribute name, context, verdict and attach types, plus one thin
//! `#[proc_macro_attribute]` entry per hook, so `macros/` itself names no hook.
//!
//! The macro crate `include!`s the file into its root and supplies the `HookSpec` and
//! `AttachSpec` types and the `hook::attribute` function the entries call.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::Error;
use crate::model::{AttachType, Hook, Model};

use super::rust::{escape_markdown, ident, rust_type};

/// The attribute that marks a program of `hook`: the typedef name without `_t`
/// (`door_hook_t` -> `door_hook`).
pub fn attribute_name(hook: &Hook) -> String {
    hook.name
        .strip_suffix("_t")
        .unwrap_or(&hook.name)
        .to_owned()
}

/// The zero-sized marker type of an attach type in the bindings' `hooks` module:
/// its short name in UpperCamelCase (`close_quietly6` -> `CloseQuietly6`).
pub fn marker_name(attach: &AttachType) -> String {
    upper_camel(&attach.name)
}

/// `snake_case` -> `UpperCamelCase`; empty parts (`a__b`) are dropped.
pub fn upper_camel(name: &str) -> String {
    name.split('_')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

/// The Rust spelling of a hook's return type (an enum's typedef name, `i32`).
pub fn verdict_name(hook: &Hook) -> String {
    rust_type(&hook.returns).to_string()
}

pub fn emit(model: &Model) -> Result<String, Error> {
    check_markers(model)?;
    let hooks = model.hooks.iter().map(|h| {
        let attribute = attribute_name(h);
        let typedef = &h.name;
        let context = &h.context;
        let verdict = verdict_name(h);
        let attach = h.attach_types.iter().map(|a| {
            let name = &a.name;
            let marker = marker_name(a);
            let section = &a.section;
            quote! { AttachSpec { name: #name, marker: #marker, section: #section }, }
        });
        quote! {
            HookSpec {
                attribute: #attribute,
                typedef: #typedef,
                context: #context,
                verdict: #verdict,
                attach_types: &[#(#attach)*],
            },
        }
    });
    let entries = model.hooks.iter().enumerate().map(|(i, h)| {
        let name = ident(&attribute_name(h));
        let index = Literal::usize_unsuffixed(i);
        let doc = attribute_doc(h);
        quote! {
            #doc
            #[proc_macro_attribute]
            pub fn #name(
                args: proc_macro::TokenStream,
                item: proc_macro::TokenStream,
            ) -> proc_macro::TokenStream {
                crate::hook::attribute(&HOOKS[#index], args.into(), item.into()).into()
            }
        }
    });
    let tokens = quote! {
        /// Every hook of the spec, in spec order.
        pub(crate) static HOOKS: &[HookSpec] = &[#(#hooks)*];

        #(#entries)*
    };
    // An `include!`d file, not a module, so rustfmt never sees it; `print` lays it out.
    super::rust::print(model, tokens)
}

/// Markers live in one module, so two hooks may not share an attach type's name.
pub(super) fn check_markers(model: &Model) -> Result<(), Error> {
    let mut seen: Vec<(String, &str)> = Vec::new();
    for h in &model.hooks {
        for a in &h.attach_types {
            let marker = marker_name(a);
            if let Some((_, other)) = seen.iter().find(|(m, _)| *m == marker) {
                return Err(Error::Template(format!(
                    "attach type `{}` of `{}` and one of `{other}` both become the Rust marker type `{marker}`; rename one",
                    a.name, h.name
                )));
            }
            seen.push((marker, &h.name));
        }
    }
    Ok(())
}

/// The attribute's rustdoc: the hook's brief, its signatures and its attach types.
fn attribute_doc(h: &Hook) -> TokenStream {
    let attribute = attribute_name(h);
    let verdict = verdict_name(h);
    let context = &h.context;
    let mut lines = vec![
        format!(
            "Marks a program of `{}`: {}",
            h.name,
            escape_markdown(&h.doc.brief)
        ),
        String::new(),
        "The function takes the program's context and returns its verdict:".to_owned(),
        String::new(),
        "```text".to_owned(),
    ];
    let usage = match h.attach_types.as_slice() {
        [only] => {
            lines.push(format!(
                "#[{attribute}] fn NAME(ctx: &mut {context}) -> {verdict}"
            ));
            lines.push(format!(
                "#[{attribute}] fn NAME(ctx: Context<'_, {}>) -> {verdict}",
                marker_name(only)
            ));
            format!(
                "It becomes the `extern \"C\"` entry point `NAME`, placed in ELF section `{}`.",
                only.section
            )
        }
        many => {
            let first = &many[0];
            lines.push(format!(
                "#[{attribute}({})] fn NAME(ctx: &mut {context}) -> {verdict}",
                first.name
            ));
            lines.push(format!(
                "#[{attribute}({})] fn NAME(ctx: Context<'_, {}>) -> {verdict}",
                first.name,
                marker_name(first)
            ));
            lines.push(format!(
                "#[{attribute}({}, {})] fn NAME(ctx: &mut {context}) -> {verdict}",
                first.name, many[1].name
            ));
            "Name one or more attach types. With one, the program becomes the `extern \"C\"` \
             entry point `NAME`; with several, one entry point `NAME_<attach type>` per attach \
             type, and `NAME` stays an ordinary function."
                .to_owned()
        }
    };
    lines.push("```".to_owned());
    lines.push(String::new());
    lines.push(usage);
    lines.push(String::new());
    lines.push("Attach types (marker type in `hooks`: ELF section):".to_owned());
    for a in &h.attach_types {
        lines.push(format!(
            "- `{}` (`{}`): `{}`",
            a.name,
            marker_name(a),
            a.section
        ));
    }
    super::rust::doc_lines(&lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Doc;

    fn attach(name: &str) -> AttachType {
        AttachType {
            name: name.to_owned(),
            attach_type: String::new(),
            section: format!("s/{name}"),
            doc: Doc {
                brief: String::new(),
                details: Vec::new(),
            },
        }
    }

    #[test]
    fn marker_names_are_upper_camel_case() {
        for (short, marker) in [
            ("ring", "Ring"),
            ("open4", "Open4"),
            ("close_quietly6", "CloseQuietly6"),
            ("knock__twice", "KnockTwice"),
            ("_leading", "Leading"),
        ] {
            assert_eq!(marker_name(&attach(short)), marker, "{short}");
        }
    }
}
