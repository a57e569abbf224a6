//! Hook attributes for ebpf-nethooks: one per hook of the spec.
//!
//! An attribute checks a program's signature against its hook (context, verdict,
//! attach types) and turns it into the `extern "C"` entry point(s) the extension
//! calls, each in the ELF section of its attach type. Which attributes exist and what
//! each accepts comes from `generated/macros/hook_table.rs`, which the generator
//! writes from the spec; this crate names no hook itself.
//!
//! Programs use the attributes through the facade crate `ebpf-nethooks`, whose
//! paths the expansion refers to.

mod expand;
mod hook;
mod parse;
mod release;
mod table;
mod validate;

// What the included table is made of; `NamedValue` goes unused by a spec whose
// hooks all return integers.
#[allow(unused_imports)]
use table::{AttachInfo, HookInfo, NamedValue};

// `HOOKS` and one `#[proc_macro_attribute]` per hook. Proc-macro entries must sit
// at the crate root, hence `include!` rather than a module.
include!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../generated/macros/hook_table.rs"
));

#[cfg(test)]
mod expand_tests;
#[cfg(test)]
mod table_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod validate_tests;
