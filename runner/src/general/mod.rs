//! The general helpers of eBPF for Windows (`bpf_helper_defs.h`): their IDs, names,
//! return types and parameters come from the generated table
//! (`ebpf_nethooks_bindings::general::abi::HELPERS`, re-exported by
//! `ebpf_nethooks_maps::helpers`), and their deterministic host implementations
//! (`maps`, `printk`, `memory`, `environment`) are what the doubles registry
//! (`crate::doubles::DOUBLES`) serves, in the VM and, through the bindings' host
//! doubles (`general::testing`), to Rust programs run natively.
//!
//! Each parameter's [`ParamKind`] (derived from its C type and name by
//! [`params::kind`]) says how the runner reads the register: a map handle, the
//! program's context, a key or value of the map's size, a buffer whose size is
//! another parameter, a string, or an integer. [`call::invoke`] decodes and checks
//! the arguments by it (buffers must lie in the program's context, stack, global
//! data or map values), records the call, then runs the implementation.

pub mod call;
pub mod environment;
pub mod host;
pub mod maps;
pub mod memory;
pub mod params;
pub mod printk;

pub use call::{Args, invoke};
pub use ebpf_nethooks_maps::helpers::{
    HELPERS as GENERAL_HELPERS, HelperInfo, by_id, by_name, returns_int,
};
pub use environment::{Environment, HostState};
pub use params::ParamKind;

#[cfg(test)]
mod tests;
