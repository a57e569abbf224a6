//! Typed maps: a program declares each map as a `static` with [`map!`](crate::map),
//! and the same code runs on BPF, where the map is eBPF for Windows' map, and on the
//! host, where it is a real in-memory map that a unit test fills and reads back.
//!
//! ```
//! use ebpf_nethooks::maps::{BPF_ANY, BPF_NOEXIST, HashMap, PerCpuArray, result};
//!
//! ebpf_nethooks::map! {
//!     /// Port -> 1 to refuse connections to it.
//!     static DENIED_PORTS: HashMap<u16, u8> = HashMap::with_max_entries(64, 0);
//!     /// Slot 0: connections counted.
//!     static COUNTS: PerCpuArray<u64> = PerCpuArray::with_max_entries(1, 0);
//! }
//!
//! DENIED_PORTS.insert(&22, &1, BPF_ANY).unwrap();
//! assert_eq!(DENIED_PORTS.get(&22), Some(1));
//! // The helper's result, negated `ebpf_result_t`, is the error.
//! assert_eq!(
//!     DENIED_PORTS.insert(&22, &1, BPF_NOEXIST),
//!     Err(-result::EBPF_OBJECT_ALREADY_EXISTS)
//! );
//! if let Some(count) = COUNTS.get_ptr_mut(0) {
//!     // SAFETY: no other program or thread uses COUNTS here (see "Reads" below).
//!     unsafe { *count += 1 };
//! }
//! assert_eq!(COUNTS.get(0), Some(1));
//! # DENIED_PORTS.clear();
//! # COUNTS.clear();
//! ```
//!
//! | type | `ebpf_map_type_t` | key | reads and writes |
//! |---|---|---|---|
//! | [`HashMap<K, V>`] | `BPF_MAP_TYPE_HASH` | `K` | `get`, `get_ptr(_mut)`, `insert`, `remove` |
//! | [`LruHashMap<K, V>`] | `BPF_MAP_TYPE_LRU_HASH` | `K` | the same; full, an insert evicts the least recently used |
//! | [`PerCpuHashMap<K, V>`] | `BPF_MAP_TYPE_PERCPU_HASH` | `K` | the same, one value per CPU |
//! | [`Array<V>`] | `BPF_MAP_TYPE_ARRAY` | `u32` index | `get`, `get_ptr(_mut)`, `set` |
//! | [`PerCpuArray<V>`] | `BPF_MAP_TYPE_PERCPU_ARRAY` | `u32` index | the same, one value per CPU |
//! | [`RingBuf`] | `BPF_MAP_TYPE_RINGBUF` | none | `output` |
//!
//! Results are the map helpers' own: `Ok(())` for 0, `Err(r)` for a negative
//! `ebpf_result_t` `r` ([`result`] names them), exactly as eBPF for Windows documents
//! them per map type (an array refuses [`BPF_NOEXIST`], a hash ignores
//! `max_entries`, an LRU hash evicts, a full ring buffer is `-EBPF_NO_MEMORY`).
//!
//! # Plain data
//!
//! Keys and values are copied to and from map memory as bytes, which other programs
//! and user mode also write, so their types must be plain data:
//! `IntoBytes + FromBytes + Immutable` from [`zerocopy`] (derive them; add
//! `zerocopy = { version = "0.8", features = ["derive"] }` to the crate). The derive
//! refuses a struct with padding, whose uninitialised bytes would make equal keys
//! differ and lookups miss; `bool`, enums and references are not `FromBytes`, as map
//! memory may hold any bytes. So a value that is not plain data, and a key of the
//! wrong type, are compile errors. Values may be aligned to at most 8 bytes (map
//! values are 8-byte aligned), and `flags` must be 0: eBPF for Windows' map
//! definition has no flags member. Both are checked when the static is compiled.
//!
//! # Reads and aliasing
//!
//! A map value lives in memory that is not the program's: another instance of the
//! program on another CPU, another program, and user mode (an application's
//! `bpf_map_update_elem`) can change it at any time, and an `insert` or `remove` of
//! its key replaces or frees it. A `&V` into it would promise that nothing changes
//! the value while the reference lives, which no one can promise; aya's `get`
//! returns such a reference and is `unsafe` for this reason. Here:
//!
//! - `get` **copies** the value out at once and is safe: the copy is the program's
//!   own. Under a concurrent update the copy may mix old and new bytes, as in C; it
//!   is still a valid `V`, since every bit pattern is (`FromBytes`).
//! - `get_ptr` and `get_ptr_mut` return a **raw pointer** to the live value, for
//!   updating it in place (a counter). Getting it is safe; dereferencing it is
//!   `unsafe`, and sound only while no one else writes the value: within the same
//!   run, not after an `insert` or `remove` of the same key (on Windows the old copy
//!   stays readable until the run ends but writes to it are lost; on the host it is
//!   released at once and may be reused by another entry), and not when other CPUs
//!   or user mode may update it at the same time.
//! - There is no API that returns `&V` or `&mut V`.
//!
//! # On BPF: the `maps` section
//!
//! On `target_arch = "bpf"` a map static *is* its definition: the 32-byte
//! `ebpf_map_definition_in_file_t` record of a legacy `maps` section, under the
//! static's name ([`map!`](crate::map) adds `#[unsafe(link_section = "maps")]` and
//! `#[unsafe(no_mangle)]`), all maps in one `maps` section as C programs have it. Its methods pass its address to the map
//! helpers, called by ID. The legacy section, rather than BTF `.maps`, because the
//! record carries all that eBPF for Windows' loaders and `nethooks-run` need (type,
//! key and value sizes, capacity), while a `.maps` map is defined only in `.BTF`,
//! which rustc's BPF output has only with debug info linked by bpf-linker
//! (`--btf`); the fast llc route of `cargo nethooks build` writes no BTF. What BTF
//! would add (typed keys and values in tools, map-in-map templates) is not offered.
//!
//! # On the host
//!
//! Each static creates a real map of the shared crate `ebpf_nethooks_maps` on first
//! use, the same implementation `nethooks-run` uses, so flags, results, capacity and
//! LRU eviction are the runner's. Per-CPU maps run as on one CPU. Host tests read a
//! map back with `entries()` (`records()` for a ring buffer), which leaves LRU order
//! alone (a `get` counts as a program's lookup), and empty it with `clear()`. A static is one map for the whole test process: tests that touch the
//! same static share it, so run them one at a time (a `static Mutex<()>` in the
//! test module) and `clear()` the maps first. A definition that eBPF for Windows
//! would refuse (`max_entries` 0, a ring buffer size that is not a power of two)
//! panics at the first use with the rule it breaks.

mod array;
mod hash;
mod ringbuf;
mod typed;

#[cfg(target_arch = "bpf")]
mod bpf;
#[cfg(target_arch = "bpf")]
use bpf::RawMap;
#[cfg(not(target_arch = "bpf"))]
mod host;
#[cfg(not(target_arch = "bpf"))]
use host::RawMap;

pub use array::{Array, PerCpuArray};
pub use ebpf_nethooks_maps::{BPF_ANY, BPF_EXIST, BPF_NOEXIST, result};
pub use hash::{HashMap, LruHashMap, PerCpuHashMap};
pub use ringbuf::RingBuf;
pub use zerocopy;
pub use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// Declares maps: each `static NAME: Type = Type::with_max_entries(..);` becomes,
/// on `target_arch = "bpf"`, the map's definition in the `maps` section under the
/// symbol `NAME` (`#[unsafe(link_section = "maps")]`, `#[unsafe(no_mangle)]`, which
/// also keeps a map that no program uses), and on the host a plain static holding an in-memory map. This is the
/// way to declare a map on both targets.
///
/// ```
/// use ebpf_nethooks::maps::{Array, RingBuf};
///
/// ebpf_nethooks::map! {
///     /// Slot 0: the last port refused.
///     pub static LAST_REFUSED: Array<u16> = Array::with_max_entries(1, 0);
///     static EVENTS: RingBuf = RingBuf::with_byte_size(4096, 0);
/// }
/// # fn main() {}
/// ```
#[macro_export]
macro_rules! map {
    ($($(#[$attribute:meta])* $visibility:vis static $name:ident : $type:ty = $init:expr ;)+) => {
        $(
            $(#[$attribute])*
            // No `#[used]`: `no_mangle` already keeps the static, and `#[used]` makes
            // LLVM give each static a `maps` section of its own (SHF_GNU_RETAIN),
            // where C objects and loaders have one.
            #[cfg_attr(target_arch = "bpf", unsafe(link_section = "maps"), unsafe(no_mangle))]
            $visibility static $name: $type = $init;
        )+
    };
}
