//! The general helpers of eBPF for Windows (`bpf_helper_defs.h`): their IDs, names,
//! return types and parameters, in [`GENERAL_HELPERS`] (re-exported from
//! `ebpf_nethooks_maps::helpers`), and their deterministic host implementations
//! (`maps`, `printk`, `memory`, `environment`), which the doubles registry
//! (`crate::doubles::DOUBLES`) serves.
//!
//! **A stand-in.** That table stands in for the bindings' table of general helpers
//! until the second spec (`spec/bpf_helpers.toml`) lands and the code generator emits
//! their IDs and prototypes into `ebpf_nethooks_bindings::abi`; it must then be
//! replaced by that table. It lives in the shared crate so that the runner and the
//! facade's maps (which call the map helpers by ID on BPF) share the one stand-in;
//! everything else in the runner finds a helper there by name.
//!
//! Each parameter's [`ParamKind`] says how the runner reads the register: a map
//! handle, the program's context, a key or value of the map's size, a buffer whose
//! size is another parameter, a string, or an integer. [`call::invoke`] decodes and
//! checks the arguments by it (buffers must lie in the program's context, stack,
//! global data or map values), records the call, then runs the implementation.

pub mod call;
pub mod environment;
pub mod maps;
pub mod memory;
pub mod printk;

pub use call::{Args, invoke};
pub use ebpf_nethooks_maps::helpers::{
    GENERAL_HELPERS, GeneralHelper, GeneralParam, ParamKind, by_id, by_name,
};
pub use environment::{Environment, HostState};

#[cfg(test)]
mod tests;
