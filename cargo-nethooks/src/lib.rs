//! `cargo nethooks build` as a library: builds a Rust hook crate (one that uses
//! `#[bind_hook]`, `#[sock_addr_hook(..)]` or `#[sock_ops_hook]` from `ebpf-nethooks`)
//! into a BPF ELF object for eBPF for Windows, on stable Rust where the toolchain
//! allows, and describes each program in it. The binary (`src/main.rs`) is its CLI.
//!
//! Pipeline: [`toolchain`] finds what can build for BPF → [`build`] runs cargo and
//! llc or bpf-linker → [`inspect`] reads the object back (missing calls, panics, and
//! one summary line per program through the runner's loader).

pub mod build;
pub mod error;
pub mod inspect;
pub mod target;
pub mod toolchain;
pub mod verify;

pub use build::{Built, Cpu, Request, Route};
pub use error::BuildError;

/// Builds `request` with the toolchain found from the environment (`RUSTC`, `PATH`).
pub fn build_crate(request: &Request) -> Result<Built, BuildError> {
    let toolchain = toolchain::Search::from_env().find()?;
    build::build(&toolchain, request)
}
