//! Doc-comment paragraphs that tie the bindings' items together with intra-doc
//! links: a context struct names its hooks and their helpers, a hook its helpers.

use crate::model::{Doc, Hook, Model, Structure};

use super::writer::RustWriter;

/// The item's own docs, then a paragraph per note (one per hook it serves).
pub(super) fn item_docs(w: &mut RustWriter, doc: &Doc, notes: &[String]) {
    w.docs(doc);
    for note in notes {
        w.line("///");
        w.doc(note);
    }
}

/// A paragraph per hook whose context the struct is, with the helpers it may call.
pub(super) fn context_notes(model: &Model, s: &Structure) -> Vec<String> {
    s.context_of
        .iter()
        .map(|&hook| {
            let hook = model.hook(hook);
            let mut note = format!("This is the context of [`{}`] programs.", hook.name);
            let links = helper_links(model, hook);
            if !links.is_empty() {
                note.push_str(&format!(" They may call {links}."));
            }
            note
        })
        .collect()
}

/// Intra-doc links to the helpers programs of `hook` may call in every release; see
/// [`later_helper_notes`] for the others.
pub(super) fn helper_links(model: &Model, hook: &Hook) -> String {
    let links: Vec<String> = (hook.helpers.iter())
        .map(|&h| &model.helper(h).name)
        .filter(|name| model.releases.item_added_in(name).is_none())
        .map(|name| format!("[`{name}`]"))
        .collect();
    links.join(", ")
}

/// The helpers of `hook` that a later release added, each as (its release's cargo
/// feature, a doc sentence linking to it): a crate that targets an older release has
/// no such item to link to, so the sentence is documented only with the feature.
pub(super) fn later_helper_notes(model: &Model, hook: &Hook) -> Vec<(String, String)> {
    (hook.helpers.iter())
        .map(|&h| &model.helper(h).name)
        .filter_map(|name| {
            let release = model.releases.item_added_in(name)?;
            Some((
                super::releases::feature(release),
                format!(
                    "Programs may call [`{name}`] too (eBPF for Windows {} and later).",
                    release.name
                ),
            ))
        })
        .collect()
}

/// Each of [`later_helper_notes`] as a paragraph documented only with its feature.
pub(super) fn gated_notes(w: &mut RustWriter, notes: &[(String, String)]) {
    for (feature, text) in notes {
        w.gated_doc(feature, "");
        w.gated_doc(feature, &format!(" {text}"));
    }
}
