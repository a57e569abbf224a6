//! Rust bindings for the eBPF-for-Windows network hooks ABI (`ebpf_nethooks.h`),
//! generated from `spec/nethooks.toml`: the bind, sock_addr and sock_ops program
//! contexts, their verdicts, the helper functions and the hook signatures.
//!
//! The README follows; its Rust example is compiled and run as a doctest.
#![doc = include_str!("../README.md")]
#![no_std]
#![deny(missing_docs)]

pub use ebpf_nethooks_bindings::*;
/// The hook attributes (one per hook of the spec), which turn a Rust function into
/// a program's entry point.
pub use ebpf_nethooks_macros::*;
