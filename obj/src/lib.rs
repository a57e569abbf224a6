//! Reads eBPF ELF objects of the network hooks, in the manner of aya-obj: no VM, no
//! helpers. [`Object`] parses a file and finds its programs by hook section
//! (`abi::HOOKS`); [`link`] links one as a loader (libbpf) does; [`map_def`] reads
//! the map definitions (legacy `maps` records and BTF `.maps`) and the loads of a
//! map's address; [`isa`] decodes instructions and reports the instruction set a
//! program needs; [`check`] checks linked code instruction by instruction.
//!
//! The runner (`nethooks-run`) loads these programs into its engines;
//! `cargo-nethooks` reads objects through this crate alone.

pub mod check;
pub mod error;
pub mod isa;
pub mod link;
pub mod map_def;
pub mod object;
pub mod program;

pub use error::ObjectError;
pub use map_def::MapReference;
pub use object::{Entry, ListedProgram, Object, hook_for_section, patch_map_loads};
pub use program::LinkedProgram;
