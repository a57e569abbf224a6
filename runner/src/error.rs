//! Every way a run can fail, each with a message that says what to fix. Errors of
//! the object and its programs are the object crate's ([`ObjectError`]), wrapped.

use std::path::PathBuf;

use nethooks_obj::ObjectError;
use nethooks_obj::error::list;
pub use nethooks_obj::error::{NAME_LIMIT, cut};

use crate::map_store::MapError;

/// Why a run failed, by layer: the object, the maps, the context, the execution, a
/// helper, a scenario.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RunError {
    #[error("cannot read {}: {why}", cut(&.path.display().to_string()))]
    Io { path: PathBuf, why: String },
    /// The object cannot be read, or the program chosen cannot be found or linked.
    #[error(transparent)]
    Object(#[from] ObjectError),
    /// A map the runner cannot create (see `map_store`).
    #[error(transparent)]
    Map(#[from] MapError),
    /// A context that cannot be built as asked.
    #[error(transparent)]
    Context(#[from] ContextError),
    /// A program that does not run to its end in an engine.
    #[error(transparent)]
    Exec(#[from] ExecError),
    /// A helper call that the helper's double refused (a fault the program made).
    #[error("a helper call failed in the {engine}: {why}")]
    HelperFault { engine: &'static str, why: String },
    /// A scenario that cannot be read, or one of its runs that failed.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
}

/// Why a context cannot be built as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContextError {
    #[error("no struct `{}` in the ABI", cut(.0))]
    NoSuchStruct(String),
    #[error("unknown member `{}` of `{context}`; its members are: {}", cut(.member), list(.known))]
    UnknownMember {
        member: String,
        context: &'static str,
        known: Vec<&'static str>,
    },
    #[error("bad value for `{}`: {why}", cut(.member))]
    BadValue { member: String, why: String },
    #[error("`{}` is not `member=value` (as in --ctx process_id=42)", cut(.0))]
    BadAssignment(String),
    #[error("context file {}: {why}", cut(.file))]
    File { file: String, why: String },
}

/// Why a program does not run to its end in an engine.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExecError {
    /// The program ran `max_insns` instructions without exiting; `before_jit` when
    /// that was the checking interpreter run that precedes a JIT run.
    #[error("{}", budget_message(*.max_insns, *.before_jit))]
    Budget { max_insns: u64, before_jit: bool },
    #[error(
        "instruction {insn} calls helper ID {id:#x}, which no helper of the spec and no general helper has; known helpers: {}",
        list(.known)
    )]
    UnknownHelper {
        id: u32,
        insn: usize,
        known: Vec<String>,
    },
    #[error("instruction {insn} calls `{helper}`, which programs of `{hook}` may not call")]
    HelperNotForHook {
        helper: &'static str,
        hook: &'static str,
        insn: usize,
    },
    #[error("the program failed in the {engine}: {why}")]
    Vm { engine: &'static str, why: String },
    #[error("the interpreter and the JIT disagree: {details}")]
    EnginesDisagree { details: String },
    /// A run left a pointer (a host address) where the output would show it;
    /// `what` completes "`program` ...": "stores a stack pointer into map `SEEN`".
    #[error(
        "`{}` {what}: a pointer is an address in the runner, which changes from run \
         to run and between the engines; store what it points to, or an offset",
        cut(.program)
    )]
    PointerLeak { program: String, what: String },
}

/// Why a scenario cannot be read, or does not run as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    /// A scenario file that cannot be read or does not fit the object.
    #[error("scenario {}: {why}", cut(.file))]
    Invalid { file: String, why: String },
    /// A run of a scenario (counted from 1) that failed.
    #[error("scenario {}: run {run}: {error}", cut(.file))]
    Run {
        file: String,
        run: usize,
        #[source]
        error: Box<RunError>,
    },
}

fn budget_message(max_insns: u64, before_jit: bool) -> String {
    if before_jit {
        format!(
            "the program ran more than {max_insns} instructions without exiting, found by the checking \
             interpreter run that precedes every JIT run (a JIT run cannot be stopped, so it only runs \
             an input the interpreter finished within the budget); raise the budget with --max-insns \
             if it is meant to run that long"
        )
    } else {
        format!(
            "the program ran more than {max_insns} instructions without exiting in the interpreter; \
             raise the budget with --max-insns if it is meant to run that long"
        )
    }
}
