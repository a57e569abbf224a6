//! `ebpf_map_type_t` as eBPF for Windows numbers it (facts file, section 3.1), which
//! differs from Linux's `bpf_map_type` after `BPF_MAP_TYPE_PERCPU_ARRAY`; and the
//! results of the map helpers (`ebpf_result_t`, section 5.1).

use core::fmt;

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

const fn info(
    value: u32,
    name: &'static str,
    display_name: &'static str,
    per_cpu: bool,
    supported: bool,
) -> MapTypeInfo {
    MapTypeInfo {
        value,
        name,
        display_name,
        per_cpu,
        supported,
    }
}

/// Every enumerator below `BPF_MAP_TYPE_MAX` (17), in value order (section 3.1).
#[rustfmt::skip]
pub const MAP_TYPES: [MapTypeInfo; 17] = [
    info(0, "BPF_MAP_TYPE_UNSPEC", "unspec", false, false),
    info(1, "BPF_MAP_TYPE_HASH", "hash", false, true),
    info(2, "BPF_MAP_TYPE_ARRAY", "array", false, true),
    info(3, "BPF_MAP_TYPE_PROG_ARRAY", "prog_array", false, false),
    info(4, "BPF_MAP_TYPE_PERCPU_HASH", "percpu_hash", true, true),
    info(5, "BPF_MAP_TYPE_PERCPU_ARRAY", "percpu_array", true, true),
    info(6, "BPF_MAP_TYPE_HASH_OF_MAPS", "hash_of_maps", false, false),
    info(7, "BPF_MAP_TYPE_ARRAY_OF_MAPS", "array_of_maps", false, false),
    info(8, "BPF_MAP_TYPE_LRU_HASH", "lru_hash", false, true),
    info(9, "BPF_MAP_TYPE_LPM_TRIE", "lpm_trie", false, false),
    info(10, "BPF_MAP_TYPE_QUEUE", "queue", false, true),
    info(11, "BPF_MAP_TYPE_LRU_PERCPU_HASH", "lru_percpu_hash", true, true),
    info(12, "BPF_MAP_TYPE_STACK", "stack", false, true),
    info(13, "BPF_MAP_TYPE_RINGBUF", "ringbuf", false, true),
    info(14, "BPF_MAP_TYPE_PERF_EVENT_ARRAY", "perf_event_array", true, false),
    info(15, "BPF_MAP_TYPE_SAMPLE_HASH_MAP", "sample_hash_map", false, false),
    info(16, "BPF_MAP_TYPE_XSKMAP", "xskmap", false, false),
];

/// `BPF_MAP_TYPE_MAX`: map creation rejects this type and above.
pub const BPF_MAP_TYPE_MAX: u32 = 17;

impl MapType {
    /// `BPF_MAP_TYPE_UNSPEC` (0).
    pub const UNSPEC: MapType = MapType(0);
    /// `BPF_MAP_TYPE_HASH` (1).
    pub const HASH: MapType = MapType(1);
    /// `BPF_MAP_TYPE_ARRAY` (2).
    pub const ARRAY: MapType = MapType(2);
    /// `BPF_MAP_TYPE_PROG_ARRAY` (3).
    pub const PROG_ARRAY: MapType = MapType(3);
    /// `BPF_MAP_TYPE_PERCPU_HASH` (4).
    pub const PERCPU_HASH: MapType = MapType(4);
    /// `BPF_MAP_TYPE_PERCPU_ARRAY` (5).
    pub const PERCPU_ARRAY: MapType = MapType(5);
    /// `BPF_MAP_TYPE_HASH_OF_MAPS` (6).
    pub const HASH_OF_MAPS: MapType = MapType(6);
    /// `BPF_MAP_TYPE_ARRAY_OF_MAPS` (7).
    pub const ARRAY_OF_MAPS: MapType = MapType(7);
    /// `BPF_MAP_TYPE_LRU_HASH` (8).
    pub const LRU_HASH: MapType = MapType(8);
    /// `BPF_MAP_TYPE_LPM_TRIE` (9).
    pub const LPM_TRIE: MapType = MapType(9);
    /// `BPF_MAP_TYPE_QUEUE` (10).
    pub const QUEUE: MapType = MapType(10);
    /// `BPF_MAP_TYPE_LRU_PERCPU_HASH` (11).
    pub const LRU_PERCPU_HASH: MapType = MapType(11);
    /// `BPF_MAP_TYPE_STACK` (12).
    pub const STACK: MapType = MapType(12);
    /// `BPF_MAP_TYPE_RINGBUF` (13).
    pub const RINGBUF: MapType = MapType(13);
    /// `BPF_MAP_TYPE_PERF_EVENT_ARRAY` (14).
    pub const PERF_EVENT_ARRAY: MapType = MapType(14);
    /// `BPF_MAP_TYPE_SAMPLE_HASH_MAP` (15).
    pub const SAMPLE_HASH_MAP: MapType = MapType(15);
    /// `BPF_MAP_TYPE_XSKMAP` (16).
    pub const XSKMAP: MapType = MapType(16);

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
pub const BPF_ANY: u64 = 0;
/// `BPF_NOEXIST`: create only if absent.
pub const BPF_NOEXIST: u64 = 1;
/// `BPF_EXIST`: overwrite only if present (a push: drop the oldest value when full).
pub const BPF_EXIST: u64 = 2;

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
