//! `ebpf_map_type_t` as eBPF for Windows numbers it (`docs/general-helpers-abi.md` §3.1), which
//! differs from Linux's `bpf_map_type` after `BPF_MAP_TYPE_PERCPU_ARRAY`; and the
//! results of the map helpers (`ebpf_result_t`, section 5.1). Numbers and names come
//! from the generated bindings (`ebpf_nethooks_bindings::general`).

use core::fmt;

use ebpf_nethooks_bindings::general::{self, ebpf_map_type_t};

/// A map's type, by its `ebpf_map_type_t` number. Open: any number read from an
/// object is representable, and [`MapType::name`] says whether eBPF for Windows has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MapType(pub u32);

/// One enumerator of `ebpf_map_type_t`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MapTypeInfo {
    /// The enumerator's value.
    pub value: u32,
    /// The enumerator, as `_ebpf_map_type_names[]` spells it.
    pub name: &'static str,
    /// The short name of `_ebpf_map_display_names[]`.
    pub display_name: &'static str,
    /// Whether `BPF_MAP_TYPE_PER_CPU(X)` holds.
    pub per_cpu: bool,
    /// Whether this crate emulates maps of this type.
    pub supported: bool,
}

/// Declares [`MAP_TYPES`] and one `MapType` constant per enumerator. Value and name
/// come from the generated `ebpf_map_type_t` (a misspelt enumerator does not
/// compile); what the bindings do not say (display name, per-CPU, emulated) is
/// this crate's.
macro_rules! map_types {
    ($($(#[$release:meta])* $constant:ident = $enumerator:ident, $display:literal, $per_cpu:literal, $supported:literal;)*) => {
        /// Every enumerator below `BPF_MAP_TYPE_MAX`, in value order (section 3.1), of
        /// the release the crate targets.
        pub const MAP_TYPES: &[MapTypeInfo] = &[$(
            $(#[$release])*
            MapTypeInfo {
                value: ebpf_map_type_t::$enumerator.0 as u32,
                name: stringify!($enumerator),
                display_name: $display,
                per_cpu: $per_cpu,
                supported: $supported,
            },
        )*];

        impl MapType {
            $(
                $(#[$release])*
                #[doc = concat!("`", stringify!($enumerator), "`.")]
                pub const $constant: MapType = MapType(ebpf_map_type_t::$enumerator.0 as u32);
            )*
        }
    };
}

map_types! {
    UNSPEC = BPF_MAP_TYPE_UNSPEC, "unspec", false, false;
    HASH = BPF_MAP_TYPE_HASH, "hash", false, true;
    ARRAY = BPF_MAP_TYPE_ARRAY, "array", false, true;
    PROG_ARRAY = BPF_MAP_TYPE_PROG_ARRAY, "prog_array", false, false;
    PERCPU_HASH = BPF_MAP_TYPE_PERCPU_HASH, "percpu_hash", true, true;
    PERCPU_ARRAY = BPF_MAP_TYPE_PERCPU_ARRAY, "percpu_array", true, true;
    HASH_OF_MAPS = BPF_MAP_TYPE_HASH_OF_MAPS, "hash_of_maps", false, false;
    ARRAY_OF_MAPS = BPF_MAP_TYPE_ARRAY_OF_MAPS, "array_of_maps", false, false;
    LRU_HASH = BPF_MAP_TYPE_LRU_HASH, "lru_hash", false, true;
    LPM_TRIE = BPF_MAP_TYPE_LPM_TRIE, "lpm_trie", false, false;
    QUEUE = BPF_MAP_TYPE_QUEUE, "queue", false, true;
    LRU_PERCPU_HASH = BPF_MAP_TYPE_LRU_PERCPU_HASH, "lru_percpu_hash", true, true;
    STACK = BPF_MAP_TYPE_STACK, "stack", false, true;
    RINGBUF = BPF_MAP_TYPE_RINGBUF, "ringbuf", false, true;
    PERF_EVENT_ARRAY = BPF_MAP_TYPE_PERF_EVENT_ARRAY, "perf_event_array", true, false;
    #[cfg(feature = "efw-1-1-0")]
    SAMPLE_HASH_MAP = BPF_MAP_TYPE_SAMPLE_HASH_MAP, "sample_hash_map", false, false;
    #[cfg(feature = "efw-1-2-1")]
    XSKMAP = BPF_MAP_TYPE_XSKMAP, "xskmap", false, false;
}

/// `BPF_MAP_TYPE_MAX`: map creation rejects this type and above. Release 1.0.0-rc2
/// has no such enumerator; its bound is the same, one past the last map type.
pub const BPF_MAP_TYPE_MAX: u32 = MAP_TYPES.len() as u32;

#[cfg(feature = "efw-1-1-0")]
const _: () = assert!(BPF_MAP_TYPE_MAX == ebpf_map_type_t::BPF_MAP_TYPE_MAX.0 as u32);

impl From<ebpf_map_type_t> for MapType {
    fn from(t: ebpf_map_type_t) -> MapType {
        MapType(t.0 as u32)
    }
}

impl MapType {
    /// The enumerator's facts, or `None` for a number eBPF for Windows does not define.
    pub fn info(self) -> Option<&'static MapTypeInfo> {
        MAP_TYPES.get(usize::try_from(self.0).ok()?)
    }

    /// The enumerator's name (`BPF_MAP_TYPE_HASH`), if it has one.
    pub fn name(self) -> Option<&'static str> {
        self.info().map(|i| i.name)
    }

    /// `BPF_MAP_TYPE_PER_CPU(X)`.
    pub fn is_per_cpu(self) -> bool {
        self.info().is_some_and(|i| i.per_cpu)
    }

    /// Whether this crate emulates this type.
    pub fn is_supported(self) -> bool {
        self.info().is_some_and(|i| i.supported)
    }
}

impl fmt::Display for MapType {
    /// `2 (BPF_MAP_TYPE_ARRAY)`, or `42 (not an ebpf_map_type_t)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "{} ({name})", self.0),
            None => write!(f, "{} (not an ebpf_map_type_t)", self.0),
        }
    }
}

/// The update flags of section 3.2 (`BPF_ANY`, `BPF_NOEXIST`, `BPF_EXIST`).
/// `BPF_ANY`: create or overwrite.
pub const BPF_ANY: u64 = general::BPF_ANY as u64;
/// `BPF_NOEXIST`: create only if absent.
pub const BPF_NOEXIST: u64 = general::BPF_NOEXIST as u64;
/// `BPF_EXIST`: overwrite only if present (a push: drop the oldest value when full).
pub const BPF_EXIST: u64 = general::BPF_EXIST as u64;

/// `ebpf_result_t` codes the map helpers return, negated (section 5.1).
pub mod result {
    /// `EBPF_SUCCESS` (0).
    pub const EBPF_SUCCESS: i64 = 0;
    /// `EBPF_INVALID_ARGUMENT` (6).
    pub const EBPF_INVALID_ARGUMENT: i64 = 6;
    /// `EBPF_OBJECT_NOT_FOUND` (7).
    pub const EBPF_OBJECT_NOT_FOUND: i64 = 7;
    /// `EBPF_OBJECT_ALREADY_EXISTS` (8).
    pub const EBPF_OBJECT_ALREADY_EXISTS: i64 = 8;
    /// `EBPF_NO_MEMORY` (12).
    pub const EBPF_NO_MEMORY: i64 = 12;
    /// `EBPF_OPERATION_NOT_SUPPORTED` (18).
    pub const EBPF_OPERATION_NOT_SUPPORTED: i64 = 18;
    /// `EBPF_KEY_NOT_FOUND` (19).
    pub const EBPF_KEY_NOT_FOUND: i64 = 19;
    /// `EBPF_OUT_OF_SPACE` (29).
    pub const EBPF_OUT_OF_SPACE: i64 = 29;
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::*;

    #[test]
    fn map_types_are_listed_in_value_order_and_named_as_the_bindings_debug_them() {
        for (i, info) in MAP_TYPES.iter().enumerate() {
            assert_eq!(info.value as usize, i, "{}", info.name);
            let generated = ebpf_map_type_t(info.value as i32);
            assert_eq!(std::format!("{generated:?}"), info.name);
        }
    }
}
