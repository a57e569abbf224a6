//! Runs eBPF programs of the network hooks end to end: loads an eBPF ELF object,
//! finds a program by its section, maps the section to its hook through the
//! generated hook table (`abi::HOOKS`), builds the hook's context by member name
//! (`abi::STRUCTS`), and runs the program in rbpf with the helpers registered under
//! their generated IDs and backed by the shared test [`doubles`].
//!
//! Nothing here names a hook, struct or helper of the spec except [`doubles`],
//! whose behaviour is per helper by nature.

pub mod context;
pub mod doubles;
pub mod elf;
pub mod error;
pub mod vm;

pub use context::{Context, ContextWrite};
pub use doubles::{Arg, HelperCall};
pub use elf::{BpfObject, Program, hook_for_section};
pub use error::RunError;
pub use vm::{Engine, JIT_AVAILABLE, Outcome, Verdict, run, run_checked, run_native};

/// Loads the program in `section` (or the object's only hook program) from ELF bytes.
pub fn load_program(elf: &[u8], section: Option<&str>) -> Result<Program, RunError> {
    BpfObject::parse(elf)?.program(section)
}

/// A zeroed context for `program`'s hook.
pub fn context_for(program: &Program) -> Result<Context, RunError> {
    Context::zeroed(program.hook.context)
}
