//! The hook table of the macro crate (`generated/macros/hook_table.rs`): every hook's
//! attribute name, context, verdict and attach types, plus one thin
//! `#[proc_macro_attribute]` entry per hook, so `macros/` itself names no hook.
//!
//! The macro crate `include!`s the file into its root and supplies the `HookSpec` and
//! `AttachSpec` types and the `hook::attribute` function the entries call.

use crate::Error;
use crate::model::{AttachType, Hook, Model};

use super::rust::{escape_markdown, rust_type};
use super::rust_writer::{RustWriter, string};

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
    marker_type_name(&attach.name)
}

/// The marker type of the attach type with this short name. The resolver refuses
/// two attach types whose markers would be the same type.
pub fn marker_type_name(attach_name: &str) -> String {
    upper_camel(attach_name)
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
pub fn verdict_name(model: &Model, hook: &Hook) -> String {
    rust_type(model, &hook.returns)
}

/// Renders the table. It cannot fail; the `Result` is every emitter's signature.
pub fn emit(model: &Model) -> Result<String, Error> {
    // An `include!`d file, not a module: `cargo fmt` never sees it, but
    // `tests/rust_format.rs` checks it is laid out as rustfmt would.
    let mut w = RustWriter::new(model);
    w.blank();
    w.line("/// Every hook of the spec, in spec order.");
    let hooks = model.hooks.iter().collect();
    w.struct_list(
        "pub(crate) static HOOKS: &[HookSpec] = &[",
        "HookSpec",
        hooks,
        ";",
        |w, h| {
            w.line(format_args!("attribute: {},", string(&attribute_name(h))));
            w.line(format_args!("typedef: {},", string(&h.name)));
            w.line(format_args!(
                "context: {},",
                string(&model.structure(h.context).name)
            ));
            w.line(format_args!(
                "verdict: {},",
                string(&verdict_name(model, h))
            ));
            let attach = h.attach_types.iter().collect();
            w.struct_list("attach_types: &[", "AttachSpec", attach, ",", |w, a| {
                w.line(format_args!("name: {},", string(&a.name)));
                w.line(format_args!("marker: {},", string(&marker_name(a))));
                w.line(format_args!("section: {},", string(&a.section)));
            });
        },
    );
    for (i, h) in model.hooks.iter().enumerate() {
        w.blank();
        w.doc(&attribute_doc(model, h));
        w.line("#[proc_macro_attribute]");
        w.open_fn(
            &format!("pub fn {}", attribute_name(h)),
            &[
                "args: proc_macro::TokenStream".to_owned(),
                "item: proc_macro::TokenStream".to_owned(),
            ],
            " -> proc_macro::TokenStream",
        );
        w.line(format_args!(
            "crate::hook::attribute(&HOOKS[{i}], args.into(), item.into()).into()"
        ));
        w.close("");
    }
    Ok(w.finish())
}

/// The attribute's rustdoc: the hook's brief, its signatures and its attach types.
fn attribute_doc(model: &Model, h: &Hook) -> String {
    let attribute = attribute_name(h);
    let verdict = verdict_name(model, h);
    let context = &model.structure(h.context).name;
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
    lines.join("\n")
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
            helpers: Vec::new(),
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
