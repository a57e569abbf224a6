//! Shared by the facade's integration tests: where the workspace is, its spec and
//! model (`workspace.rs`), and the external tools that tests run (`tools.rs`). Both
//! files, and `spec_toml.rs`, are also included by other packages' tests
//! (`codegen/tests/support`, `runner/tests/support`), so each exists once.
#![allow(dead_code, unused_imports)] // Each test binary uses a part of it.

mod tools;
mod workspace;

pub use tools::*;
pub use workspace::*;
