//! The hook table of the macro crate (`generated/macros/hook_table.rs`): every hook's
//! attribute name, context, verdict and attach types, plus one thin
//! `#[proc_macro_attribute]` entry per hook, so `macros/` itself names no hook.
//!
//! The rows are `abi::HookInfo` values written by the same function as the bindings'
//! `abi::HOOKS`, with verdict values as numbers. The macro crate `include!`s the file
//! into its root, with the `abi` types (`macros/src/abi_types.rs`) and the
//! `hook::attribute` function the entries call.

use crate::emit::artifact::EmitError;
use crate::emit::escape;
use crate::model::{Hook, Model, ReleaseKey};

use super::abi::{VerdictValues, hooks};
use super::names::{attribute_name, marker_name, verdict_name};
use super::releases;
use super::writer::{RustWriter, string};

/// Renders the table. It cannot fail; the `Result` is every emitter's signature.
pub fn emit(model: &Model) -> Result<String, EmitError> {
    // An `include!`d file, not a module: `cargo fmt` never sees it, but
    // `tests/rust_format.rs` checks it is laid out as rustfmt would.
    let mut w = RustWriter::new(model);
    w.blank();
    w.line("/// Every hook of the spec, in spec order.");
    hooks(
        &mut w,
        model,
        "pub(crate) static HOOKS: &[HookInfo] = &[",
        VerdictValues::Literals,
    );
    release_tables(&mut w, model);
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

/// What the attributes need to refuse what the targeted release lacks: the
/// releases, the one targeted (from the crate's cargo features), and the attach
/// types and items each later release added.
fn release_tables(w: &mut RustWriter, model: &Model) {
    let all = &model.releases.all;
    w.blank();
    w.line("/// Every release of eBPF for Windows the spec covers, oldest first.");
    let names: Vec<String> = all.iter().map(|r| string(&r.name)).collect();
    w.list("pub(crate) static RELEASES: &[&str] = &[", &names, ";");
    w.blank();
    w.line("/// The release this crate targets: the newest whose cargo feature is on.");
    if all.is_empty() {
        w.line("pub(crate) const TARGET_RELEASE: &str = \"\";");
    } else {
        w.line("pub(crate) const TARGET_RELEASE: &str = {");
        for (i, release) in all.iter().enumerate().rev() {
            let keyword = if i + 1 == all.len() {
                "if"
            } else {
                "} else if"
            };
            if i == 0 {
                w.line("    } else {");
            } else {
                w.line(format_args!(
                    "    {keyword} cfg!(feature = {}) {{",
                    string(&releases::feature(release))
                ));
            }
            w.line(format_args!("        {}", string(&release.name)));
        }
        if all.len() > 1 {
            w.line("    }");
        }
        w.line("};");
    }
    let added = |key: &ReleaseKey| model.releases.added_in(key).map(|r| string(&r.name));
    let mut attach: Vec<String> = Vec::new();
    for key in model.releases.first_seen.keys() {
        if let (ReleaseKey::Attach(name), Some(release)) = (key, added(key)) {
            attach.push(format!("({}, {release})", string(name)));
        }
    }
    // The other specs' items too: a hook may call a general helper.
    let mut items: Vec<(String, String)> = model.releases.items_added_later();
    items.extend(
        model
            .header
            .siblings
            .iter()
            .flat_map(|s| s.added_later.clone()),
    );
    items.sort();
    let items: Vec<String> = (items.iter())
        .map(|(name, release)| format!("({}, {})", string(name), string(release)))
        .collect();
    w.blank();
    w.line("/// Attach types a later release than the oldest added: (name, release).");
    w.list(
        "pub(crate) static ATTACH_SINCE: &[(&str, &str)] = &[",
        &attach,
        ";",
    );
    w.blank();
    w.line("/// Items (helpers, enumerators, structs, ...) a later release than the oldest");
    w.line("/// added, by C name: (name, release).");
    w.list(
        "pub(crate) static ITEM_SINCE: &[(&str, &str)] = &[",
        &items,
        ";",
    );
}
