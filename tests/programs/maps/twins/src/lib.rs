//! The Rust twins of the C map programs in `tests/programs/maps/`: each has the C
//! program's entry point, ELF section, map names, key and value layouts, global data
//! and logic, written with `ebpf_nethooks::map!` maps and the general helpers
//! (`ebpf_nethooks::general`, called by ID on BPF, through test doubles on the host).
//!
//! - [`mod@connect_policy`]: a policy table with fallback lookups in a BPF-to-BPF call,
//!   a default verdict in `.rodata` and counters in `.bss`, rejects printed;
//! - [`mod@process_counters`]: per-process counters keyed by the process ID, stamped by
//!   the clock, totals in a per-CPU array and a quota in `.data`;
//! - [`mod@audit`]: connection events as records in a ring buffer, the last remote ports
//!   in a queue, every event printed.
//!
//! The C scenarios (`tests/programs/maps/<name>.toml`) run unchanged on the twins'
//! object; `cargo-nethooks/tests/three_way_maps.rs` checks that the C object, the
//! twins' object and the twins on the host agree.
#![cfg_attr(not(test), no_std)]

pub mod audit;
pub mod connect_policy;
pub mod process_counters;

pub use audit::audit;
pub use connect_policy::connect_policy;
pub use process_counters::process_counters;
