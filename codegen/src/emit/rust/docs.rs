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
            if !hook.helpers.is_empty() {
                note.push_str(&format!(" They may call {}.", helper_links(model, hook)));
            }
            note
        })
        .collect()
}

/// Intra-doc links to the helpers programs of `hook` may call. A helper a later
/// release added is named without a link, which would break for a crate that
/// targets an older release.
pub(super) fn helper_links(model: &Model, hook: &Hook) -> String {
    let links: Vec<String> = hook
        .helpers
        .iter()
        .map(|&h| {
            let name = &model.helper(h).name;
            match model.releases.item_added_in(name) {
                Some(release) => format!("`{name}` (from eBPF for Windows {})", release.name),
                None => format!("[`{name}`]"),
            }
        })
        .collect();
    links.join(", ")
}
