//! Runs eBPF programs of the network hooks end to end: loads an eBPF ELF object,
//! finds a program by its section or entry function, links it as a loader does
//! (BPF-to-BPF calls, global data), maps the section to its hook through the
//! generated hook table (`abi::HOOKS`), builds the hook's context by member name
//! (`abi::STRUCTS`), and runs the program in the runner's checking interpreter and
//! rbpf's JIT with the helpers called by their generated IDs and backed by the shared
//! test [`doubles`].
//!
//! Modules: [`vm`] is the run API; `scan` finds the helpers a program calls before
//! a run; `jit` drives rbpf's JIT, with `probe` (the stack probe in front of JIT code)
//! and `trampolines` (the JIT's helper entries); `session` holds the state of the run
//! in progress that the helpers and the run API share; [`doubles`] is the registry of
//! the helpers' test doubles.
//!
//! Nothing here names a hook, struct or helper of the spec except [`doubles`],
//! whose behaviour is per helper by nature.

pub mod check;
pub mod context;
pub mod doubles;
pub mod elf;
pub mod error;
pub mod interp;
pub mod isa;
mod jit;
pub mod link;
pub mod maps;
mod probe;
pub mod program;
mod scan;
mod session;
mod trampolines;
pub mod vm;

pub use context::{Context, ContextWrite};
pub use doubles::{Arg, Double, HelperCall};
pub use elf::{BpfObject, ListedProgram, hook_for_section};
pub use error::RunError;
pub use isa::{Cpu, Feature, IsaReport};
pub use program::{GlobalWrite, Program};
pub use vm::{
    DEFAULT_MAX_INSNS, Engine, JIT_AVAILABLE, Outcome, RunOptions, Verdict, jit_blocker, run,
    run_checked, run_checked_with, run_native, run_with,
};

/// Loads a program from ELF bytes: the one in section `selector` or with the entry
/// function named `selector`, or with `None` the object's only hook program.
pub fn load_program(elf: &[u8], selector: Option<&str>) -> Result<Program, RunError> {
    BpfObject::parse(elf)?.program(selector)
}

/// A zeroed context for `program`'s hook.
pub fn context_for(program: &Program) -> Result<Context, RunError> {
    Context::zeroed(program.hook.context)
}
