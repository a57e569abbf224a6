//! Maps as eBPF for Windows defines them (`docs/general-helpers-abi.md`,
//! §2 to §5), in one implementation that the runner (`nethooks-run`) and the
//! facade's typed maps on the host (`ebpf_nethooks::maps`) both use, so a map behaves
//! the same in a host unit test and in the runner: same flags, results, capacity.
//!
//! Always available (constants only, also on `target_arch = "bpf"`):
//!
//! - [`MapType`] and [`MAP_TYPES`]: `ebpf_map_type_t` numbering; the update flags
//!   ([`BPF_ANY`], [`BPF_NOEXIST`], [`BPF_EXIST`]) and the helpers' results ([`result`]);
//! - [`ebpf_map_definition_in_file_t`]: the 32-byte record of a legacy `maps` section;
//! - [`helpers`]: the general helpers' IDs and table (name, ID, parameters, return type).
//!
//! With the `alloc` feature, the in-memory maps:
//!
//! - [`MapDefinition`] and the creation rules of `ebpf_map_create`;
//! - [`Map`]: one map with the operations of the map helpers on byte keys and values;
//!   value slots with stable addresses (`storage`), which a program reaches through
//!   the pointers lookups return; one file per storage kind (`array`, `hash`,
//!   `queue`, `ringbuf`).
//!
//! Emulated: HASH, ARRAY, PERCPU_HASH, PERCPU_ARRAY, LRU_HASH, LRU_PERCPU_HASH,
//! QUEUE, STACK, RINGBUF. The per-CPU types run as on one CPU (CPU 0). Everything is
//! deterministic: no hashing order, no clock; LRU recency is a counter.
//!
//! The numbers and names of map types, the update flags, the in-file definition and
//! the helper table are the bindings' (`ebpf_nethooks_bindings::general`, generated
//! from `spec/bpf_helpers.toml`), re-exported; this crate adds what they do not say:
//! which types it emulates and how each map behaves.
#![no_std]
#![deny(missing_docs)]

#[cfg(feature = "alloc")]
extern crate alloc;

pub mod helpers;
mod in_file;
mod types;

pub use in_file::{
    IN_FILE_SIZE, LIBBPF_PIN_BY_NAME, LIBBPF_PIN_NONE, ebpf_map_definition_in_file_t,
    in_file_definition, in_file_members, read_in_file,
};
pub use types::{
    BPF_ANY, BPF_EXIST, BPF_MAP_TYPE_MAX, BPF_NOEXIST, MAP_TYPES, MapType, MapTypeInfo, result,
};

/// Items that need `alloc`: the in-memory maps.
macro_rules! with_alloc {
    ($($item:item)*) => {
        $(
            #[cfg(feature = "alloc")]
            $item
        )*
    };
}

with_alloc! {
    mod array;
    pub mod definition;
    mod error;
    mod hash;
    mod map;
    mod queue;
    mod ringbuf;
    mod snapshot;
    mod storage;

    pub use definition::MapDefinition;
    pub use error::MapError;
    pub use map::Map;
    pub use ringbuf::{EBPF_RINGBUF_MAX_RECORD_SIZE, RINGBUF_HEADER_SIZE, record_footprint};
    pub use storage::MAX_MAP_BYTES;
}
