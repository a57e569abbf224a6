//! The ABI tables crate `ebpf-nethooks-abi` (`generated/abi/`): the table types
//! (`HookInfo`, `HelperInfo`, ...), every hook (`HOOKS`) and every helper's ID and
//! prototype (`HELPERS`) of the release a crate targets, and what each release added
//! (`releases`). Plain `no_std` data, so the bindings (which re-export it as their
//! `abi` module, beside the layouts rustc measures there), the hook attributes and
//! the runner share one definition.
//!
//! Numbers are written as literals: the crate sits below the bindings, whose types
//! it cannot name.

use crate::emit::artifact::{EmitError, banner};
use crate::model::{Enumerator, Helper, Hook, Model, ReleaseKey, Type};

use super::names;
use super::releases;
use super::writer::{RustWriter, string};

/// The crate's package name, and the name the bindings and the macros use it by.
pub const PACKAGE: &str = "ebpf-nethooks-abi";
/// [`PACKAGE`] as a Rust path.
pub const CRATE: &str = "ebpf_nethooks_abi";

/// The table types (`StructLayout`, `HookInfo`, ...): the same for every spec.
pub(super) const TYPES: &str = include_str!("../../../templates/rust/abi_types.rs");

/// The crate's `Cargo.toml`: one cargo feature per release, as the bindings have.
pub fn manifest(model: &Model) -> Result<String, EmitError> {
    let mut toml = format!(
        "# {}\n\
         [package]\n\
         name = \"{PACKAGE}\"\n\
         description = \"Tables of the eBPF-for-Windows network hooks ABI: hooks, helpers and releases\"\n\
         version.workspace = true\n\
         edition.workspace = true\n\
         rust-version.workspace = true\n\
         license.workspace = true\n\
         \n\
         [lib]\n\
         path = \"src/lib.rs\"\n\
         \n\
         [features]\n\
         # The eBPF for Windows release the tables describe: the newest whose feature is\n\
         # on, each enabling the one before it.\n",
        banner(model)
    );
    let all = &model.releases.all;
    let newest = all.last().map(|r| format!("\"{}\"", releases::feature(r)));
    toml.push_str(&format!("default = [{}]\n", newest.unwrap_or_default()));
    for (i, release) in all.iter().enumerate() {
        let before = i
            .checked_sub(1)
            .map(|b| format!("\"{}\"", releases::feature(&all[b])));
        toml.push_str(&format!(
            "{} = [{}]\n",
            releases::feature(release),
            before.unwrap_or_default()
        ));
    }
    Ok(toml)
}

/// Renders `src/lib.rs`, or for a spec with `rust_module` that module's file. It
/// cannot fail; the `Result` is every emitter's signature.
pub fn emit(model: &Model) -> Result<String, EmitError> {
    let mut w = RustWriter::new(model);
    if model.is_root() {
        w.inner_doc(
            "The tables of the eBPF-for-Windows network hooks ABI, as data: every hook and its \
             attach types, every helper's ID and prototype, for the release the crate targets \
             (its cargo features, as the bindings'), and what each release added.\n\n\
             The bindings re-export these in their `abi` module; the hook attributes and the \
             program runner read them.",
        );
        w.line("#![no_std]");
        w.line("#![deny(missing_docs)]");
        w.blank();
        w.lines(TYPES);
    } else {
        w.inner_doc(&format!(
            "The tables of `{}`: its hooks and helpers.",
            model.header.file
        ));
        w.blank();
        w.line("#[allow(unused_imports)] // A spec without hooks or helpers uses none.");
        w.line("use crate::{AttachInfo, HelperInfo, HookInfo, NamedValue, ParamInfo};");
    }
    w.blank();
    w.line("/// Every hook, in spec order, with what the targeted release has.");
    hooks(&mut w, model, "pub const HOOKS: &[HookInfo] = &[", true);
    w.blank();
    w.line("/// Every helper with a prototype, in spec order.");
    let helpers = (model.helpers.iter())
        .map(|h| (releases::item_cfg(model, &h.name), h))
        .collect();
    w.struct_list_cfg(
        "pub const HELPERS: &[HelperInfo] = &[",
        "HelperInfo",
        helpers,
        ";",
        |w, h| helper_info(w, model, h),
    );
    if model.is_root() {
        w.blank();
        release_module(&mut w, model);
        // The other specs of the run, one module each, in rustfmt's order.
        let mut modules: Vec<&str> = (model.header.siblings.iter())
            .filter_map(|s| s.rust_module.as_deref())
            .collect();
        modules.sort_unstable();
        if !modules.is_empty() {
            w.blank();
        }
        for module in modules {
            w.line(format_args!("pub mod {module};"));
        }
    }
    Ok(w.finish())
}

/// `releases`: the releases, the one targeted, what each later release added, and
/// every release's hooks, so the hook attributes can say which release added what.
fn release_module(w: &mut RustWriter, model: &Model) {
    w.line("/// The releases of eBPF for Windows the spec covers and what each added: what the");
    w.line("/// hook attributes need to refuse what the targeted release lacks.");
    w.open("pub mod releases");
    w.line("use super::{AttachInfo, HookInfo, NamedValue};");
    w.blank();
    w.line("/// Every hook, in spec order, with the attach types and verdicts of every release.");
    hooks(w, model, "pub static HOOKS: &[HookInfo] = &[", false);
    release_tables(w, model);
    w.close("");
}

/// `head` (ending in `&[`), then a `HookInfo` per hook in spec order; `targeted`
/// leaves out what the targeted release lacks.
fn hooks(w: &mut RustWriter, model: &Model, head: &str, targeted: bool) {
    let hooks = model.hooks.iter().collect();
    w.struct_list(head, "HookInfo", hooks, ";", |w, h| {
        hook_info(w, model, h, targeted)
    });
}

/// The fields of one `HookInfo`.
fn hook_info(w: &mut RustWriter, model: &Model, h: &Hook, targeted: bool) {
    w.line(format_args!("name: {},", string(&h.name)));
    w.line(format_args!(
        "attribute: {},",
        string(&names::attribute_name(h))
    ));
    w.line(format_args!("program_type: {},", string(&h.program_type)));
    w.line(format_args!(
        "context: {},",
        string(&model.structure(h.context).name)
    ));
    w.line(format_args!(
        "returns: {},",
        string(&h.returns.c_spelling(model))
    ));
    w.line(format_args!(
        "verdict: {},",
        string(&names::verdict_name(model, h))
    ));
    w.line(format_args!(
        "verdict_is_primitive: {},",
        names::verdict_is_primitive(h)
    ));
    let cfg = |key: &ReleaseKey| {
        if targeted {
            releases::cfg(model, key)
        } else {
            None
        }
    };
    let verdicts = match h.returns {
        Type::Enum(e) => {
            let e = model.enum_(e);
            (e.primary_enumerators())
                .map(|v: &Enumerator| {
                    (
                        cfg(&releases::enumerator_key(e, v)),
                        (v.name.as_str(), v.value.to_string()),
                    )
                })
                .collect()
        }
        _ => Vec::new(),
    };
    named_values(w, "verdicts: &[", verdicts, ",");
    let attach = (h.attach_types.iter())
        .map(|a| (cfg(&ReleaseKey::Attach(a.name.clone())), a))
        .collect();
    w.struct_list_cfg("attach_types: &[", "AttachInfo", attach, ",", |w, a| {
        w.line(format_args!("name: {},", string(&a.name)));
        w.line(format_args!("attach_type: {},", string(&a.attach_type)));
        w.line(format_args!("section: {},", string(&a.section)));
        w.line(format_args!("marker: {},", string(&names::marker_name(a))));
    });
}

/// The fields of one `HelperInfo`.
fn helper_info(w: &mut RustWriter, model: &Model, h: &Helper) {
    let id = model.enumerator(h.id);
    w.line(format_args!("name: {},", string(&h.name)));
    w.line(format_args!("id_name: {},", string(&id.name)));
    w.line(format_args!("id: {},", id.value));
    // A general helper belongs to no hook: its `hook` is empty.
    let hook = model.helper_hook(h).map_or("", |hook| hook.name.as_str());
    w.line(format_args!("hook: {},", string(hook)));
    let available: Vec<String> = model.available_at(h).map(|a| string(&a.name)).collect();
    w.list("available_at: &[", &available, ",");
    // The verifier's argument kinds, when the spec gives them (`model.verifier`).
    let prototype =
        (model.verifier.prototypes.iter()).find(|p| model.helpers[p.helper.index()].name == h.name);
    let params = h.params.iter().enumerate().collect();
    w.struct_list("params: &[", "ParamInfo", params, ",", |w, (i, p)| {
        w.line(format_args!("name: {},", string(&p.name)));
        w.line(format_args!("c_type: {},", string(&p.ty.c_spelling(model))));
        let kind = prototype
            .and_then(|proto| proto.args.get(i))
            .map_or("", |k| k.spec_name());
        w.line(format_args!("kind: {},", string(kind)));
    });
    w.line(format_args!(
        "returns: {},",
        string(&h.returns.ty.c_spelling(model))
    ));
}

/// `head`, then a `NamedValue` per `(cfg, (name, value))`, then `tail`.
pub(super) fn named_values(
    w: &mut RustWriter,
    head: &str,
    values: Vec<(Option<String>, (&str, String))>,
    tail: &str,
) {
    w.struct_list_cfg(head, "NamedValue", values, tail, |w, (name, value)| {
        w.line(format_args!("name: {},", string(name)));
        w.line(format_args!("value: {value},"));
    });
}

/// The releases, the one targeted (from the crate's cargo features), and the attach
/// types and items each later release added.
fn release_tables(w: &mut RustWriter, model: &Model) {
    let all = &model.releases.all;
    w.blank();
    w.line("/// Every release of eBPF for Windows the spec covers, oldest first.");
    let names: Vec<String> = all.iter().map(|r| string(&r.name)).collect();
    w.list("pub static RELEASES: &[&str] = &[", &names, ";");
    w.blank();
    w.line("/// The release this crate targets: the newest whose cargo feature is on.");
    if all.is_empty() {
        w.line("pub const TARGET_RELEASE: &str = \"\";");
    } else {
        w.line("pub const TARGET_RELEASE: &str = {");
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
        "pub static ATTACH_SINCE: &[(&str, &str)] = &[",
        &attach,
        ";",
    );
    w.blank();
    w.line("/// Items (helpers, enumerators, structs, ...) a later release than the oldest");
    w.line("/// added, by C name: (name, release).");
    w.list("pub static ITEM_SINCE: &[(&str, &str)] = &[", &items, ";");
}

#[cfg(test)]
mod tests {
    /// A spec without releases, hooks or helpers still makes a crate: no features
    /// but `default`, empty tables, and no targeted release.
    #[test]
    fn a_spec_without_releases_makes_empty_tables() {
        let spec = "[header]\nfile = \"mini.h\"\ndoc = \"Test.\"\n\n\
                    [[struct]]\nname = \"s_t\"\ndoc = \"S.\"\n\
                    [[struct.member]]\nname = \"m\"\ntype = \"int\"\ndoc = \"M.\"\n";
        let model = crate::load_str(spec, "t.toml").unwrap_or_else(|e| panic!("{e}"));
        let manifest = super::manifest(&model).unwrap_or_else(|e| panic!("{e}"));
        assert!(manifest.ends_with("\ndefault = []\n"), "{manifest}");
        let lib = super::emit(&model).unwrap_or_else(|e| panic!("{e}"));
        for line in [
            "pub const HOOKS: &[HookInfo] = &[];",
            "pub const HELPERS: &[HelperInfo] = &[];",
            "    pub const TARGET_RELEASE: &str = \"\";",
        ] {
            assert!(lib.contains(&format!("\n{line}\n")), "{line}\n{lib}");
        }
    }
}
