//! A helper a program may call, whichever table defines it: the hooks' helpers of the
//! spec (`abi::HELPERS`, generated) or the general helpers ([`crate::general`], which
//! every hook may call). Their IDs do not overlap: general helpers are below
//! `EBPF_MAX_GENERAL_HELPER_FUNCTION` (0xFFFF), the hooks' from there up (facts 1.5).

use ebpf_nethooks_bindings::abi::{self, HelperInfo};

use crate::general::{self, GeneralHelper};

/// Where a helper is defined.
#[derive(Debug, Clone, Copy)]
pub enum HelperSource {
    /// A hook's helper of the spec.
    Hook(&'static HelperInfo),
    /// A general helper.
    General(&'static GeneralHelper),
}

/// One helper: its name and ID, and where it is defined.
#[derive(Debug, Clone, Copy)]
pub struct Helper {
    pub name: &'static str,
    /// The ID a `call` instruction names.
    pub id: i64,
    /// Its enumerator (`BPF_FUNC_...`).
    pub id_name: &'static str,
    pub source: HelperSource,
}

impl PartialEq for Helper {
    fn eq(&self, other: &Helper) -> bool {
        self.id == other.id
    }
}

impl Eq for Helper {}

impl Helper {
    fn hook(info: &'static HelperInfo) -> Helper {
        Helper {
            name: info.name,
            id: info.id,
            id_name: info.id_name,
            source: HelperSource::Hook(info),
        }
    }

    fn general(info: &'static GeneralHelper) -> Helper {
        Helper {
            name: info.name,
            id: info.id,
            id_name: info.id_name,
            source: HelperSource::General(info),
        }
    }

    /// The helper a `call` with immediate `id` names.
    pub fn by_id(id: u32) -> Option<Helper> {
        if let Some(info) = abi::HELPERS.iter().find(|h| h.id == i64::from(id)) {
            return Some(Helper::hook(info));
        }
        general::by_id(id).map(Helper::general)
    }

    /// The helper named `name`.
    pub fn by_name(name: &str) -> Option<Helper> {
        if let Some(info) = abi::HELPERS.iter().find(|h| h.name == name) {
            return Some(Helper::hook(info));
        }
        general::by_name(name).map(Helper::general)
    }

    /// Every helper: the hooks' in spec order, then the general ones by ID.
    pub fn all() -> impl Iterator<Item = Helper> {
        abi::HELPERS
            .iter()
            .map(Helper::hook)
            .chain(general::GENERAL_HELPERS.iter().map(Helper::general))
    }

    /// The hook whose programs may call it; `None` for a general helper (every hook).
    pub fn hook_name(&self) -> Option<&'static str> {
        match self.source {
            HelperSource::Hook(info) => Some(info.hook),
            HelperSource::General(_) => None,
        }
    }

    pub fn returns(&self) -> &'static str {
        match self.source {
            HelperSource::Hook(info) => info.returns,
            HelperSource::General(info) => info.returns,
        }
    }
}
