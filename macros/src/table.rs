//! The hook data, and the questions the attribute asks of it.
//!
//! The types are the bindings' own `abi` types (`HookInfo`, `AttachInfo`):
//! `abi_types.rs` beside this file defines them for both crates, and the generator
//! copies it into the bindings' `abi` module. The generated hook table
//! (`generated/macros/hook_table.rs`) holds a `HookInfo` per hook, written by the
//! same generator function as the bindings' `abi::HOOKS`.

mod abi {
    // The bindings' tables of structs and helpers come along unused.
    #![allow(dead_code)]
    include!("abi_types.rs");
}

pub use abi::{AttachInfo, HookInfo, NamedValue};

/// Whether the release the crate targets has what `release` added.
fn targeted(release: &str) -> bool {
    let position = |name: &str| crate::RELEASES.iter().position(|r| *r == name);
    position(release) <= position(crate::TARGET_RELEASE)
}

/// The release that added attach type `name`, when the targeted release lacks it.
pub fn attach_needs_release(name: &str) -> Option<&'static str> {
    let (_, release) = crate::ATTACH_SINCE.iter().find(|(a, _)| *a == name)?;
    (!targeted(release)).then_some(*release)
}

/// The release that added the item (helper, enumerator, struct, ...) named `name`,
/// when the targeted release lacks it.
pub fn item_needs_release(name: &str) -> Option<&'static str> {
    let (_, release) = crate::ITEM_SINCE.iter().find(|(i, _)| *i == name)?;
    (!targeted(release)).then_some(*release)
}

/// `needs eBPF for Windows 1.3.0; this crate targets 1.2.1`, after what needs it.
pub fn needs_release_message(what: &str, release: &str) -> String {
    format!(
        "{what} needs eBPF for Windows {release}; this crate targets {}",
        crate::TARGET_RELEASE
    )
}

impl HookInfo {
    /// A hook with one attach type takes none in its attribute; others need one.
    pub fn attach_required(&self) -> bool {
        self.attach_types.len() > 1
    }

    pub fn find_attach(&self, name: &str) -> Option<&'static AttachInfo> {
        self.attach_types.iter().find(|a| a.name == name)
    }

    /// The attach types of the targeted release.
    fn targeted_attach(&self) -> impl Iterator<Item = &'static AttachInfo> {
        (self.attach_types.iter()).filter(|a| attach_needs_release(a.name).is_none())
    }

    /// `a, b, c`: the attach type names of the targeted release, for messages.
    pub fn attach_list(&self) -> String {
        let names: Vec<&str> = self.targeted_attach().map(|a| a.name).collect();
        names.join(", ")
    }

    /// The attach type whose name is closest to a misspelt one, if any is close.
    pub fn closest_attach(&self, name: &str) -> Option<&'static str> {
        self.targeted_attach()
            .map(|a| (strsim::damerau_levenshtein(name, a.name), a.name))
            .filter(|(distance, candidate)| *distance <= candidate.len().max(name.len()) / 2)
            .min_by_key(|(distance, _)| *distance)
            .map(|(_, candidate)| candidate)
    }
}
