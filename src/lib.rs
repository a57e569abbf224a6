//! Rust bindings for the eBPF-for-Windows network hooks ABI (`ebpf_nethooks.h`),
//! generated from `spec/nethooks.toml`: the bind, sock_addr and sock_ops program
//! contexts, their verdicts, the helper functions and the hook signatures.
//!
//! The README follows; its `rust` blocks are compiled and run as doctests. A doctest
//! is built without `cfg(test)`, so the host-test example's `mod tests` runs in
//! `examples/policies/tests/readme_example.rs`, a checked copy of that block.
#![doc = include_str!("../README.md")]
#![no_std]
#![deny(missing_docs)]

// The host's maps are in-memory maps (`maps::HashMap` on the host).
#[cfg(not(target_arch = "bpf"))]
extern crate alloc;

pub mod helpers;
pub mod maps;

pub use ebpf_nethooks_bindings::*;
/// The hook attributes (one per hook of the spec), which turn a Rust function into
/// a program's entry point.
pub use ebpf_nethooks_macros::*;

/// What a BPF build needs and a hook crate should not have to write: BPF cannot
/// unwind, so a reachable panic is a build error (`cargo nethooks build` names the
/// call that can panic); this handler only satisfies the linker.
#[cfg(target_arch = "bpf")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {}
}
