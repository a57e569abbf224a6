//! A helper a program may call, whichever table defines it: the hooks' helpers of the
//! spec (`abi::HELPERS`, generated) or the general helpers ([`crate::general`], which
//! every hook may call). Their IDs do not overlap: general helpers are below
//! `EBPF_MAX_GENERAL_HELPER_FUNCTION` (0xFFFF), the hooks' from there up (`docs/general-helpers-abi.md` §1.5).

use std::ops::Deref;

use ebpf_nethooks_bindings::abi::{self, HelperInfo};

use crate::general;

/// One helper: its row of the generated tables (name, ID, parameters), and whether it
/// is a general helper. Both tables have the same row type, so a `Helper` reads as
/// its row (`helper.name`, `helper.id`).
#[derive(Debug, Clone, Copy)]
pub struct Helper {
    pub info: &'static HelperInfo,
    /// A general helper, which every hook may call; otherwise a hook's helper.
    pub general: bool,
}

impl Deref for Helper {
    type Target = HelperInfo;

    fn deref(&self) -> &HelperInfo {
        self.info
    }
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
            info,
            general: false,
        }
    }

    fn general(info: &'static HelperInfo) -> Helper {
        Helper {
            info,
            general: true,
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
        (!self.general).then_some(self.info.hook)
    }

    pub fn returns(&self) -> &'static str {
        self.info.returns
    }
}
