//! Runs eBPF programs of the network hooks end to end: loads an eBPF ELF object,
//! finds a program by its section or entry function, links it as a loader does
//! (BPF-to-BPF calls, global data, map references), maps the section to its hook
//! through the generated hook table (`abi::HOOKS`), builds the hook's context by
//! member name (`abi::STRUCTS`), and runs the program in the runner's checking
//! interpreter and rbpf's JIT with the helpers called by their IDs and served by
//! [`helpers`]: the hooks' helpers of the spec, and the general helpers with
//! deterministic host implementations over the object's [`maps`].
//!
//! Layers, each a folder: the object crate `nethooks_obj` reads, links and checks
//! programs, and [`loader`] loads them into [`program`]s with their state and
//! [`map_store`]; `exec/` runs them ([`vm`] is the run API and [`outcome`] what a
//! run did; `scan` finds the helpers a program calls before a run; [`interp`] is the
//! checking interpreter; `jit` drives rbpf's JIT, with `probe` (the stack probe in
//! front of JIT code) and `trampolines` (the JIT's helper entries)); `helpers/` is
//! the helper environment: every helper in one `match` over the bindings'
//! `HelperId`, the session of the run in progress that the helpers and the run API
//! share, [`state`] (what runs keep: global data, maps, environment) and [`helper`]
//! (a helper of either table); `cli/` holds what the command line reads
//! ([`input`]) and [`scenario`]s, which run a sequence of runs against expected
//! results.
//!
//! Nothing here names a hook, struct or helper of the spec except [`helpers`],
//! whose behaviour is per helper by nature.

mod cli;
pub mod context;
pub mod error;
mod exec;
pub mod helpers;
pub mod loader;
pub mod map_store;
pub mod program;

// The layers' public modules, at the paths users know.
pub use cli::{input, output, scenario, values};
pub use exec::{inline, interp, outcome, pointers, repeat, vm};

// The helper environment's public modules, at the paths users know.
pub use helpers::{helper, state};

pub use context::{Context, ContextWrite};
pub use error::RunError;
pub use helpers::{Arg, Environment, Helper, HelperCall, RingRecord};
pub use loader::{BpfObject, ListedProgram};
pub use map_store::Maps;
pub use nethooks_obj::isa::{Cpu, Feature, IsaReport};
/// The object crate's modules, as the runner exposes them.
pub use nethooks_obj::{ObjectError, check, hook_for_section, isa, link};
pub use program::{GlobalWrite, Program};
pub use state::{ProgramState, SharedState};
pub use vm::{
    DEFAULT_MAX_INSNS, Engine, JIT_AVAILABLE, MapChange, MapWrite, Outcome, RunOptions, Verdict,
    jit_blocker, run, run_checked, run_checked_with, run_native, run_native_in, run_with,
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

/// Maps as users of the runner see them: the map semantics of the shared crate
/// `ebpf_nethooks_maps` and the definitions of `nethooks_obj::map_def`, with the
/// runner's store of a loaded object's maps ([`map_store::Maps`]).
pub mod maps {
    pub use crate::map_store::*;
}
