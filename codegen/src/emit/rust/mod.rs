//! The Rust emitters: the bindings crate's `lib.rs` ([`bindings`], with its
//! structs, test doubles and `abi` module) and `hooks.rs` ([`hooks`]), and the
//! macros' hook table ([`hook_table`]).
//!
//! Each writes through one `writer::RustWriter` and takes every Rust name from
//! [`names`]. Imports run one way: `bindings` -> `structs`, `testing`, `seam`, `abi`;
//! `testing` -> `seam`;
//! `hook_table` -> `abi` (both tables of hooks are written by one function); every
//! emitter -> `docs`, `names`, `writer`; none of these three imports an emitter.

mod abi;
pub mod bindings;
mod docs;
pub mod hook_table;
pub mod hooks;
pub mod names;
pub mod releases;
mod seam;
mod structs;

mod testing;
mod writer;
