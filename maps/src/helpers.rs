//! The general helpers of eBPF for Windows (`bpf_helper_defs.h`), as the bindings
//! generate them from `spec/bpf_helpers.toml`: each ID as its enumerator
//! ([`BPF_FUNC_map_lookup_elem`]...), which the facade's maps call on
//! `target_arch = "bpf"`, and [`HELPERS`], every helper's name, ID, parameters (with
//! their C types) and return type, in ID order. Re-exported here so that the crates
//! built on this one (the runner, the facade) need no second table.

pub use ebpf_nethooks_bindings::general::abi::{HELPERS, HelperInfo, ParamInfo};
// Every ID enumerator (and the rest of the general bindings) by a glob, so no list
// is kept by hand: the IDs follow the spec with each regeneration.
pub use ebpf_nethooks_bindings::general::*;

/// The general helper a `call` instruction with immediate `id` names.
pub fn by_id(id: u32) -> Option<&'static HelperInfo> {
    HELPERS.iter().find(|h| h.id == i64::from(id))
}

/// The general helper named `name` (`bpf_map_lookup_elem`).
pub fn by_name(name: &str) -> Option<&'static HelperInfo> {
    HELPERS.iter().find(|h| h.name == name)
}

/// Whether r0 carries a 32-bit `int` result, which clang reads from the low 32 bits
/// and an emulator sign-extends (`docs/general-helpers-abi.md` §2.4).
pub fn returns_int(helper: &HelperInfo) -> bool {
    matches!(helper.returns, "int" | "int32_t")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_run_from_1_without_a_gap_and_names_follow_the_enumerators() {
        // 34 general helpers in every release, and `bpf_redirect_map` (35) from 1.4.0.
        let count = if cfg!(feature = "efw-1-4-0") { 35 } else { 34 };
        assert_eq!(HELPERS.len(), count);
        for (i, helper) in HELPERS.iter().enumerate() {
            assert_eq!(helper.id as usize, i + 1, "{}", helper.name);
            // 1.3: "`<id>` is the name without the `bpf_` prefix".
            assert_eq!(
                helper.id_name.strip_prefix("BPF_FUNC_"),
                helper.name.strip_prefix("bpf_"),
                "{}",
                helper.name
            );
            assert_eq!(by_id(i as u32 + 1).map(|h| h.name), Some(helper.name));
            assert_eq!(by_name(helper.name).map(|h| h.id), Some(helper.id));
        }
    }
}
