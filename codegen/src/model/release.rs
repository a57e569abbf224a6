use std::collections::BTreeMap;

use super::{Doc, Model, StructId};

/// One eBPF for Windows release that the spec covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// The version as users name it (`1.4.0`).
    pub name: String,
    /// Upstream's git tag (`v1.4.0`).
    pub tag: String,
    /// The tag's date (`2026-07-23`).
    pub date: String,
}

/// The releases a spec covers and the one a model describes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Releases {
    /// Every release of the spec, oldest first; empty when the spec lists none.
    pub all: Vec<Release>,
    /// The position in `all` of the release this model is of.
    pub target: Option<usize>,
    /// For each [`ReleaseKey`] of every release, the position in `all` of the
    /// first release that has it.
    pub first_seen: BTreeMap<ReleaseKey, usize>,
    /// Each enumerator's value in every release that has it, by position in `all`
    /// (an implicit value moves when a release inserts an enumerator before it).
    pub enumerator_values: BTreeMap<String, BTreeMap<usize, i64>>,
}

/// Something a release has or lacks, by the name an output knows it by.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ReleaseKey {
    /// A constant, enum, enumerator, struct, typedef or helper, by its C name.
    Item(String),
    /// An attach type, by its short name (`listen4`).
    Attach(String),
    /// A value of an enum, whatever its enumerator's name (`bind_action_t`, 0).
    Value(String, i64),
}

impl Model {
    /// Each enumerator's value (aliases left out), by name.
    pub fn enumerator_values(&self) -> Vec<(String, i64)> {
        (self.enums.iter())
            .flat_map(|e| e.enumerators.iter())
            .filter(|x| x.alias_of().is_none())
            .map(|x| (x.name.clone(), x.value))
            .collect()
    }

    /// Every [`ReleaseKey`] this model has.
    pub fn release_keys(&self) -> Vec<ReleaseKey> {
        let mut keys = Vec::new();
        let item = |name: &String| ReleaseKey::Item(name.clone());
        keys.extend(self.constants.iter().map(|c| item(&c.name)));
        for e in &self.enums {
            keys.push(item(&e.name));
            for x in &e.enumerators {
                keys.push(item(&x.name));
                if x.alias_of().is_none() {
                    keys.push(ReleaseKey::Value(e.name.clone(), x.value));
                }
            }
        }
        keys.extend(self.structs.iter().map(|s| item(&s.name)));
        keys.extend(self.typedefs.iter().map(|t| item(&t.name)));
        keys.extend(self.helpers.iter().map(|h| item(&h.name)));
        for hook in &self.hooks {
            let attach = hook.attach_types.iter();
            keys.extend(attach.map(|a| ReleaseKey::Attach(a.name.clone())));
        }
        keys
    }
}

impl Releases {
    /// The release this model is of.
    pub fn target(&self) -> Option<&Release> {
        self.target.map(|i| &self.all[i])
    }

    /// The oldest release of the spec: items since then need no release check.
    pub fn oldest(&self) -> Option<&Release> {
        self.all.first()
    }

    /// The release that added `key`, when that is not the oldest release: an output
    /// for an older release leaves it out.
    pub fn added_in(&self, key: &ReleaseKey) -> Option<&Release> {
        let first = *self.first_seen.get(key)?;
        (first > 0).then(|| &self.all[first])
    }

    /// The stretches of releases over which an enumerator's value stays the same,
    /// each as (first release, first release of the next stretch, value); `None`
    /// when every release that has it gives it one value.
    pub fn value_stretches(&self, enumerator: &str) -> Option<Vec<(usize, Option<usize>, i64)>> {
        let values = self.enumerator_values.get(enumerator)?;
        let mut stretches: Vec<(usize, Option<usize>, i64)> = Vec::new();
        for (&at, &value) in values {
            match stretches.last_mut() {
                Some(last) if last.2 == value => {}
                Some(last) => {
                    last.1 = Some(at);
                    stretches.push((at, None, value));
                }
                None => stretches.push((at, None, value)),
            }
        }
        (stretches.len() > 1).then_some(stretches)
    }

    /// Every item a later release than the oldest added: (C name, release name).
    pub fn items_added_later(&self) -> Vec<(String, String)> {
        (self.first_seen.keys())
            .filter_map(|key| match key {
                ReleaseKey::Item(name) => Some((name.clone(), self.added_in(key)?.name.clone())),
                _ => None,
            })
            .collect()
    }

    /// The release that added the item named `name` (see [`Releases::added_in`]).
    pub fn item_added_in(&self, name: &str) -> Option<&Release> {
        self.added_in(&ReleaseKey::Item(name.to_owned()))
    }
}

/// `typedef TARGET NAME;`: a second name for a struct.
#[derive(Debug, Clone)]
pub struct Typedef {
    pub name: String,
    /// The struct it names.
    pub target: StructId,
    /// The release that added it.
    pub since: Option<String>,
    pub doc: Doc,
}
