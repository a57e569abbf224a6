//! The macro crate's entry points (`generated/macros/hook_table.rs`): one thin
//! `#[proc_macro_attribute]` per hook, handing the attribute its row of the ABI
//! tables crate's `releases::HOOKS`, so `macros/` itself names no hook. The macro
//! crate `include!`s the file into its root, where proc-macro entries must be, with
//! `HOOKS` and the `hook::attribute` function the entries call in scope.

use crate::emit::artifact::EmitError;
use crate::emit::escape;
use crate::model::{Hook, Model};

use super::names::{attribute_name, marker_name, verdict_name};
use super::writer::RustWriter;

/// Renders the table. It cannot fail; the `Result` is every emitter's signature.
pub fn emit(model: &Model) -> Result<String, EmitError> {
    // An `include!`d file, not a module: `cargo fmt` never sees it, but
    // `tests/rust_format.rs` checks it is laid out as rustfmt would.
    let mut w = RustWriter::new(model);
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
            escape::rust_doc(&h.doc.brief)
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
