//! Hook attributes for ebpf-nethooks: one per hook of the spec.
//!
//! An attribute checks a program's signature against its hook (context, verdict,
//! attach types) and turns it into the `extern "C"` entry point(s) the extension
//! calls, each in the ELF section of its attach type. Which attributes exist comes from
//! `generated/macros/hook_table.rs` and what each accepts from the ABI tables crate
//! (`ebpf-nethooks-abi`), both of which the generator writes from the spec; this
//! crate names no hook itself.
//!
//! Programs use the attributes through the facade crate `ebpf-nethooks`, whose
//! paths the expansion refers to.

mod expand;
mod hook;
mod parse;
mod release;
mod table;
mod validate;

// Every hook of every release: the rows the entries below hand their attribute.
use ebpf_nethooks_abi::releases::HOOKS;

// One `#[proc_macro_attribute]` per hook. Proc-macro entries must sit at the crate
// root, hence `include!` rather than a module.
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
