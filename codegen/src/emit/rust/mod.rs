//! The Rust emitters: the ABI tables crate ([`abi_crate`]: its manifest, `lib.rs`
//! and a module per other spec), the bindings crate's `lib.rs` ([`bindings`], with its
//! structs, test doubles and `abi` module) and `hooks.rs` ([`hooks`]), and the
//! macros' entry points ([`hook_table`]).
//!
//! Each writes through one `writer::RustWriter` and takes every Rust name from
//! [`names`]. Imports run one way: `bindings` -> `structs`, `testing`, `seam`, `abi`;
//! `testing` -> `seam`; `abi` -> `abi_crate` (the bindings re-export its tables);
//! every emitter -> `docs`, `names`, `writer`; none of these three imports an emitter.

mod abi;
pub mod abi_crate;
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
