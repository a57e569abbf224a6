//! A helper a program may call, whichever table defines it: the hooks' helpers of the
//! spec (`abi::HELPERS`, generated) or the general helpers (`general::abi::HELPERS`,
//! which every hook may call). Their IDs do not overlap: general helpers are below
//! `EBPF_MAX_GENERAL_HELPER_FUNCTION` (0xFFFF), the hooks' from there up (`docs/general-helpers-abi.md` §1.5).

use std::ops::Deref;

use ebpf_nethooks_bindings::HelperId;
use ebpf_nethooks_bindings::abi::{self, HelperInfo};

use ebpf_nethooks_maps::helpers::{HELPERS as GENERAL_HELPERS, by_id};

/// One helper: its row of the generated tables (name, ID, parameters), and whether it
/// is a general helper. Both tables have the same row type, so a `Helper` reads as
/// its row (`helper.name`, `helper.id`).
#[derive(Debug, Clone, Copy)]
pub struct Helper {
    /// Which helper it is, for the one `match` that serves it (`helpers::call`).
    pub which: HelperId,
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
    /// The helper of a row of either table; `None` for a row the bindings' `HelperId`
    /// lacks, which the bindings generate from the same specs.
    fn of(info: &'static HelperInfo, general: bool) -> Option<Helper> {
        let which = HelperId::from_id(u32::try_from(info.id).ok()?)?;
        Some(Helper {
            which,
            info,
            general,
        })
    }

    /// The helper a `call` with immediate `id` names.
    pub fn by_id(id: u32) -> Option<Helper> {
        if let Some(info) = abi::HELPERS.iter().find(|h| h.id == i64::from(id)) {
            return Helper::of(info, false);
        }
        Helper::of(by_id(id)?, true)
    }

    /// The helper named `name`.
    pub fn by_name(name: &str) -> Option<Helper> {
        let id = HelperId::ALL.iter().find(|h| h.name() == name)?.id();
        Helper::by_id(id)
    }

    /// Every helper: the hooks' in spec order, then the general ones by ID.
    pub fn all() -> impl Iterator<Item = Helper> {
        (abi::HELPERS
            .iter()
            .filter_map(|info| Helper::of(info, false)))
        .chain(
            GENERAL_HELPERS
                .iter()
                .filter_map(|info| Helper::of(info, true)),
        )
    }

    /// The hook whose programs may call it; `None` for a general helper (every hook).
    pub fn hook_name(&self) -> Option<&'static str> {
        (!self.general).then_some(self.info.hook)
    }

    pub fn returns(&self) -> &'static str {
        self.info.returns
    }
}
