//! Rust bindings for the eBPF-for-Windows network hooks ABI (`ebpf_nethooks.h`),
//! generated from `spec/nethooks.toml`: the bind, sock_addr and sock_ops program
//! contexts, their verdicts, the helper functions and the hook signatures.
//!
#![doc = include_str!("guide.md")]
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

/// The README's `rust` blocks, compiled and run as doctests so the user guide's code
/// keeps working. A doctest is built without `cfg(test)`, so the host-test example's
/// `mod tests` runs in `examples/policies/tests/readme_example.rs`, a checked copy.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
mod readme_doctests {}

/// What a BPF build needs and a hook crate should not have to write: BPF cannot
/// unwind, so a reachable panic is a build error (`cargo nethooks build` names the
/// call that can panic); this handler only satisfies the linker.
#[cfg(target_arch = "bpf")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {}
}
