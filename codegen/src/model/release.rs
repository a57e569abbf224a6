use super::{Doc, StructId};

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

    /// Whether `since` (a release name) is later than the oldest release, so that an
    /// output targeting an older release must leave the item out.
    pub fn is_later_than_oldest(&self, since: Option<&str>) -> bool {
        since.is_some_and(|s| self.oldest().is_some_and(|o| o.name != s))
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
