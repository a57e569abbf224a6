//! Releases in the Rust bindings: one cargo feature per release of eBPF for Windows
//! (`efw-1-4-0`), each enabling the one before it, so a crate targets the newest
//! release whose feature is on. An item a later release added is compiled only with
//! that release's feature: `#[cfg(feature = "efw-1-4-0")]` on one item, or the
//! generated `since_release!` macro around the several items one spec item becomes.

use crate::model::{EnumUse, Enumeration, Enumerator, Model, Release, ReleaseKey};

use super::writer::RustWriter;

/// The cargo feature of a release: `efw-` and its name with `-` for `.`.
pub fn feature(release: &Release) -> String {
    feature_named(&release.name)
}

/// [`feature`] of the release named `name` (`1.4.0`).
pub fn feature_named(name: &str) -> String {
    format!("efw-{}", name.replace('.', "-"))
}

/// `#[cfg(feature = "efw-1-4-0")]` when a later release than the oldest added `key`.
pub(super) fn cfg(model: &Model, key: &ReleaseKey) -> Option<String> {
    let release = model.releases.added_in(key)?;
    Some(format!("#[cfg(feature = \"{}\")]", feature(release)))
}

/// [`cfg`] of an item, by its C name.
pub(super) fn item_cfg(model: &Model, name: &str) -> Option<String> {
    cfg(model, &ReleaseKey::Item(name.to_owned()))
}

/// Writes the `#[cfg]` line of `key`, if it has one.
pub(super) fn cfg_line(w: &mut RustWriter, model: &Model, key: &ReleaseKey) {
    if let Some(cfg) = cfg(model, key) {
        w.line(cfg);
    }
}

/// Opens `since_release! { "efw-1-4-0";` when a later release than the oldest added
/// the item named `name`; returns whether it did, for [`close_gate`].
pub(super) fn open_gate(w: &mut RustWriter, model: &Model, name: &str) -> bool {
    open_key_gate(w, model, &ReleaseKey::Item(name.to_owned()))
}

/// [`open_gate`] for any [`ReleaseKey`].
pub(super) fn open_key_gate(w: &mut RustWriter, model: &Model, key: &ReleaseKey) -> bool {
    let Some(release) = model.releases.added_in(key) else {
        return false;
    };
    w.open("since_release!");
    w.line(format_args!("\"{}\";", feature(release)));
    w.blank();
    true
}

/// Closes what [`open_gate`] opened.
pub(super) fn close_gate(w: &mut RustWriter, opened: bool) {
    if opened {
        w.close("");
    }
}

/// The `since_release!` macro, defined at the crate root before any module.
pub(super) const SINCE_RELEASE_MACRO: &str =
    "/// Compiles the items it holds only with the cargo feature it names: the feature of
/// the eBPF for Windows release that added them.
macro_rules! since_release {
    ($feature:literal; $($item:item)*) => {
        $(#[cfg(feature = $feature)] $item)*
    };
}";

/// The releases at which the set of `keys` present changes, each with the `cfg` of
/// that stretch of releases (`all(feature = "efw-1-1-0", not(feature = ...))`) and
/// the keys present there. One stretch without a `cfg` when nothing changes.
pub(super) fn stretches<'k, T>(
    model: &Model,
    items: &'k [(T, ReleaseKey)],
) -> Vec<(Option<String>, Vec<&'k T>)> {
    let all = &model.releases.all;
    let first = |key: &ReleaseKey| model.releases.first_seen.get(key).copied().unwrap_or(0);
    let mut stretches: Vec<(usize, Vec<&T>)> = Vec::new();
    for at in 0..all.len().max(1) {
        let present: Vec<&T> = (items.iter())
            .filter(|(_, key)| first(key) <= at)
            .map(|(item, _)| item)
            .collect();
        let same = stretches.last().is_some_and(|(_, last)| {
            last.len() == present.len()
                && last.iter().zip(&present).all(|(a, b)| std::ptr::eq(*a, *b))
        });
        if !same {
            stretches.push((at, present));
        }
    }
    if stretches.len() == 1 {
        return vec![(None, stretches.pop().map(|(_, p)| p).unwrap_or_default())];
    }
    let starts: Vec<usize> = stretches.iter().map(|(at, _)| *at).collect();
    (stretches.into_iter().enumerate())
        .map(|(i, (at, present))| {
            (
                Some(span_cfg(model, at, starts.get(i + 1).copied())),
                present,
            )
        })
        .collect()
}

/// The `cfg` of the releases from position `since` up to, not including, `until`.
pub(super) fn span_cfg(model: &Model, since: usize, until: Option<usize>) -> String {
    let all = &model.releases.all;
    let since = (since > 0).then(|| format!("feature = \"{}\"", feature(&all[since])));
    let until = until.map(|next| format!("not(feature = \"{}\")", feature(&all[next])));
    match (since, until) {
        (Some(s), Some(u)) => format!("#[cfg(all({s}, {u}))]"),
        (Some(s), None) => format!("#[cfg({s})]"),
        (None, Some(u)) => format!("#[cfg({u})]"),
        (None, None) => String::new(),
    }
}

/// What an enumerator's Rust item is kept by across releases: a closed enum's
/// variant by its value, whatever its name in each release (one variant per value);
/// anything else by its name.
pub(super) fn enumerator_key(e: &Enumeration, v: &Enumerator) -> ReleaseKey {
    match (e.usage, v.alias_of()) {
        (EnumUse::Verdict, None) => ReleaseKey::Value(e.name.clone(), v.value),
        _ => ReleaseKey::Item(v.name.clone()),
    }
}
