//! The rules for names, one concern per file: what may name an item and C's
//! namespaces (`identifiers.rs`); the names the C header takes for its own macros
//! and prototypes (`c_output.rs`); the names the Rust bindings derive, unique in
//! each Rust scope (`rust_output.rs`); and the clashes between the specs of one run
//! (`across_specs.rs`).

mod across_specs;
mod c_output;
mod identifiers;
mod rust_output;

pub use across_specs::{RunSpec, check_across_specs};
pub(super) use identifiers::{is_c_identifier, is_rust_keyword};
