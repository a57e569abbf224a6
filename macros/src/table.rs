//! The hook data, and the questions the attribute asks of it.
//!
//! The types and the data are the ABI tables crate's (`ebpf-nethooks-abi`, generated
//! from the spec), whose types the bindings re-export too: a `HookInfo` per hook of
//! every release (`releases::HOOKS`), and what each release added.

use ebpf_nethooks_abi::releases::{ATTACH_SINCE, ITEM_SINCE, RELEASES, TARGET_RELEASE};
pub use ebpf_nethooks_abi::{AttachInfo, HookInfo};

/// Whether the release the crate targets has what `release` added.
fn targeted(release: &str) -> bool {
    let position = |name: &str| RELEASES.iter().position(|r| *r == name);
    position(release) <= position(TARGET_RELEASE)
}

/// The release that added attach type `name`, when the targeted release lacks it.
pub fn attach_needs_release(name: &str) -> Option<&'static str> {
    let (_, release) = ATTACH_SINCE.iter().find(|(a, _)| *a == name)?;
    (!targeted(release)).then_some(*release)
}

/// The release that added the item (helper, enumerator, struct, ...) named `name`,
/// when the targeted release lacks it.
pub fn item_needs_release(name: &str) -> Option<&'static str> {
    let (_, release) = ITEM_SINCE.iter().find(|(i, _)| *i == name)?;
    (!targeted(release)).then_some(*release)
}

/// `needs eBPF for Windows 1.3.0; this crate targets 1.2.1`, after what needs it.
pub fn needs_release_message(what: &str, release: &str) -> String {
    format!(
        "{what} needs eBPF for Windows {release}; this crate targets {}",
        TARGET_RELEASE
    )
}

/// What the attribute asks of a hook's row.
pub trait HookQueries {
    /// A hook with one attach type takes none in its attribute; others need one.
    fn attach_required(&self) -> bool;
    /// The attach type named `name`, of any release.
    fn find_attach(&self, name: &str) -> Option<&'static AttachInfo>;
    /// `a, b, c`: the attach type names of the targeted release, for messages.
    fn attach_list(&self) -> String;
    /// The attach type whose name is closest to a misspelt one, if any is close.
    fn closest_attach(&self, name: &str) -> Option<&'static str>;
}

/// The attach types of the targeted release.
fn targeted_attach(hook: &HookInfo) -> impl Iterator<Item = &'static AttachInfo> {
    (hook.attach_types.iter()).filter(|a| attach_needs_release(a.name).is_none())
}

impl HookQueries for HookInfo {
    fn attach_required(&self) -> bool {
        self.attach_types.len() > 1
    }

    fn find_attach(&self, name: &str) -> Option<&'static AttachInfo> {
        self.attach_types.iter().find(|a| a.name == name)
    }

    fn attach_list(&self) -> String {
        let names: Vec<&str> = targeted_attach(self).map(|a| a.name).collect();
        names.join(", ")
    }

    fn closest_attach(&self, name: &str) -> Option<&'static str> {
        targeted_attach(self)
            .map(|a| (strsim::damerau_levenshtein(name, a.name), a.name))
            .filter(|(distance, candidate)| *distance <= candidate.len().max(name.len()) / 2)
            .min_by_key(|(distance, _)| *distance)
            .map(|(_, candidate)| candidate)
    }
}
