//! The run API: running a program in the runner's checking interpreter, in rbpf's
//! JIT, or (for a Rust program) natively on the host, each producing the same
//! [`Outcome`] and reporting helper faults the same way, so that runs can be compared.

use std::fmt;

use ebpf_nethooks_bindings::abi::{self, AttachInfo, HookInfo};

use crate::context::{Context, ContextWrite};
use crate::doubles::{self, HelperCall};
use crate::error::RunError;
use crate::interp::{self, Region, Stop};
use crate::jit;
use crate::program::{GlobalWrite, Program};
use crate::scan;
use crate::session::{self, Recorded};

pub use crate::jit::JIT_AVAILABLE;

/// Where a program runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Engine {
    Interpreter,
    Jit,
    /// A Rust program called directly on the host.
    Native,
}

impl Engine {
    pub fn describe(self) -> &'static str {
        match self {
            Engine::Interpreter => "interpreter",
            Engine::Jit => "JIT",
            Engine::Native => "host",
        }
    }
}

/// A program's return value, named by the hook's verdict enum when it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Verdict {
    /// One of the hook's verdicts.
    Named { name: &'static str, value: i32 },
    /// A value that is none of the hook's verdicts.
    Unlisted(i32),
    /// The return value of a hook that returns a plain integer.
    Int(i32),
}

impl Verdict {
    /// The verdict of `hook` for the 32-bit return value in `r0`.
    pub fn of(hook: &HookInfo, r0: u64) -> Verdict {
        let value = r0 as u32 as i32;
        if hook.verdicts.is_empty() {
            return Verdict::Int(value);
        }
        match hook.verdicts.iter().find(|v| v.value == i64::from(value)) {
            Some(v) => Verdict::Named {
                name: v.name,
                value,
            },
            None => Verdict::Unlisted(value),
        }
    }

    /// The enumerator name, or the number.
    pub fn name(&self) -> String {
        match self {
            Verdict::Named { name, .. } => (*name).to_owned(),
            Verdict::Unlisted(v) => format!("unlisted value {v}"),
            Verdict::Int(v) => v.to_string(),
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Named { name, value } => write!(f, "{name} ({value})"),
            other => f.write_str(&other.name()),
        }
    }
}

/// Everything a run did that a test can compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub verdict: Verdict,
    pub calls: Vec<HelperCall>,
    pub writes: Vec<ContextWrite>,
    pub redirect_context: Option<Vec<u8>>,
    pub context_after: Context,
    /// Global data the run changed (always empty for a Rust program on the host).
    pub global_writes: Vec<GlobalWrite>,
}

/// Limits of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunOptions {
    /// Instructions the interpreter executes before it stops the run.
    pub max_insns: u64,
}

/// The default instruction budget.
pub const DEFAULT_MAX_INSNS: u64 = 1_000_000;

impl Default for RunOptions {
    fn default() -> RunOptions {
        RunOptions {
            max_insns: DEFAULT_MAX_INSNS,
        }
    }
}

/// Runs `program` on a copy of `context` in one engine, with the default budget.
pub fn run(program: &Program, context: &Context, engine: Engine) -> Result<Outcome, RunError> {
    run_with(program, context, engine, &RunOptions::default())
}

/// Runs `program` on a copy of `context` in one engine. The JIT checks no memory
/// access and cannot be stopped, so before it the checking interpreter runs the same
/// input from the same global data: only if that run ends cleanly within the budget
/// does the JIT run, taking the same path (programs and doubles are deterministic).
pub fn run_with(
    program: &Program,
    context: &Context,
    engine: Engine,
    options: &RunOptions,
) -> Result<Outcome, RunError> {
    if engine != Engine::Jit {
        return run_in(program, context, engine, options);
    }
    if let Some(why) = jit_blocker(program, context)? {
        return Err(RunError::Vm {
            engine: "JIT",
            why: format!("{why}; use --engine interpreter"),
        });
    }
    let start = program.lock_globals().clone();
    let checked = run_in(program, context, Engine::Interpreter, options);
    *program.lock_globals() = start;
    checked.map_err(before_jit)?;
    run_in(program, context, Engine::Jit, options)
}

fn before_jit(e: RunError) -> RunError {
    match e {
        RunError::Budget { max_insns, .. } => RunError::Budget {
            max_insns,
            before_jit: true,
        },
        other => other,
    }
}

/// Why rbpf's JIT cannot run `program` (`None` when it can), computed once.
pub fn jit_blocker(program: &Program, context: &Context) -> Result<Option<String>, RunError> {
    if !JIT_AVAILABLE {
        return Ok(Some("rbpf has no JIT on this platform".to_owned()));
    }
    let called = scan::check_calls(&program.code, program.hook, context)?;
    Ok(program
        .jit_blocker
        .get_or_init(|| {
            // The real addresses: the JIT's code size depends on them.
            let code = program.patched_code(&program.lock_globals());
            jit::blocker(&code, &called)
        })
        .clone())
}

fn run_in(
    program: &Program,
    context: &Context,
    engine: Engine,
    options: &RunOptions,
) -> Result<Outcome, RunError> {
    let called = scan::check_calls(&program.code, program.hook, context)?;
    let mut work = context.clone();
    let mut globals = program.lock_globals();
    let before = globals.clone();
    let code = program.patched_code(&globals);
    let run = session::begin(program.attach, work.bytes(), &called);
    let result = match engine {
        Engine::Interpreter => interpret(program, &code, &called, work.bytes_mut(), &mut globals, options),
        // SAFETY: `run_with` and `run_checked_with` call this only after the checking
        // interpreter ran the same input, from the same global data, cleanly.
        Engine::Jit => unsafe { jit::execute(&code, &called, work.bytes_mut()) },
        Engine::Native => Err(RunError::Vm {
            engine: engine.describe(),
            why: "an eBPF object runs in the interpreter or the JIT; Rust programs run through `run_native`".to_owned(),
        }),
    };
    let recorded = run.end();
    let r0 = result?;
    let global_writes = program.global_writes(&before, &globals);
    finish(
        engine,
        program.hook,
        r0,
        recorded,
        context,
        work,
        global_writes,
    )
}

/// The outcome of a run that returned `r0`, or the first fault a helper recorded.
fn finish(
    engine: Engine,
    hook: &'static HookInfo,
    r0: u64,
    recorded: Recorded,
    context: &Context,
    work: Context,
    global_writes: Vec<GlobalWrite>,
) -> Result<Outcome, RunError> {
    if let Some(why) = recorded.faults.into_iter().next() {
        return Err(RunError::HelperFault {
            engine: engine.describe(),
            why,
        });
    }
    Ok(Outcome {
        verdict: Verdict::of(hook, r0),
        calls: recorded.calls,
        writes: context.writes(&work),
        redirect_context: recorded.redirect_context,
        context_after: work,
        global_writes,
    })
}

fn interpret(
    program: &Program,
    code: &[u8],
    called: &[usize],
    context: &mut [u8],
    globals: &mut [Vec<u64>],
    options: &RunOptions,
) -> Result<u64, RunError> {
    let r1 = context.as_ptr() as u64;
    let mut regions = vec![Region::new("the context", context, true)];
    for ((name, len, writable), words) in program.data_layout().zip(globals.iter_mut()) {
        // SAFETY: u64 words viewed as their first `len` bytes (`len` <= 8 * words).
        let bytes = unsafe { std::slice::from_raw_parts_mut(words.as_mut_ptr().cast::<u8>(), len) };
        regions.push(Region::new(format!("`{name}`"), bytes, writable));
    }
    let mut helper = |id: u32, args: [u64; 5], stack: std::ops::Range<usize>| {
        session::set_stack(stack);
        match called
            .iter()
            .find(|&&i| abi::HELPERS[i].id == i64::from(id))
        {
            Some(&index) => Ok(doubles::call_from_vm(index, args)),
            None => Err(format!("helper ID {id:#x} was not checked")),
        }
    };
    interp::run(code, r1, &regions, options.max_insns, &mut helper).map_err(|stop| match stop {
        Stop::Budget { max_insns } => RunError::Budget {
            max_insns,
            before_jit: false,
        },
        Stop::Fault { insn, why } | Stop::Helper { insn, why } => RunError::Vm {
            engine: "interpreter",
            why: if why.contains("(insn #") {
                why
            } else {
                format!("{why} (insn #{insn})")
            },
        },
    })
}

/// Runs `program` in the interpreter and then, where it can, in the JIT, and checks
/// that both did the same. Returns the outcome and the engines used.
pub fn run_checked(
    program: &Program,
    context: &Context,
) -> Result<(Outcome, Vec<Engine>), RunError> {
    run_checked_with(program, context, &RunOptions::default())
}

/// [`run_checked`] with `options`. Both engines start from the same global data and
/// must end with the same (their outcomes, global writes included, must be equal);
/// the JIT is skipped (see [`jit_blocker`]) for programs rbpf's JIT cannot run.
pub fn run_checked_with(
    program: &Program,
    context: &Context,
    options: &RunOptions,
) -> Result<(Outcome, Vec<Engine>), RunError> {
    let start = program.lock_globals().clone();
    let interpreted = run_in(program, context, Engine::Interpreter, options)?;
    if jit_blocker(program, context)?.is_some() {
        return Ok((interpreted, vec![Engine::Interpreter]));
    }
    // Safe after the interpreter's clean run of the same input (see `run_with`).
    *program.lock_globals() = start;
    let jitted = run_in(program, context, Engine::Jit, options)?;
    if jitted != interpreted {
        return Err(RunError::EnginesDisagree {
            details: format!("interpreter: {interpreted:?}\nJIT: {jitted:?}"),
        });
    }
    Ok((interpreted, vec![Engine::Interpreter, Engine::Jit]))
}

/// Runs a Rust program on the host with the same doubles, recording and fault
/// reporting as the VM: `program` gets a pointer to the context struct (8-byte
/// aligned) and returns the raw verdict; a fault a helper recorded (such as a null
/// buffer) fails the run with [`RunError::HelperFault`] from engine "host".
pub fn run_native(
    hook: &'static HookInfo,
    attach: &'static AttachInfo,
    context: &Context,
    program: impl FnOnce(*mut u8) -> i32,
) -> Result<Outcome, RunError> {
    doubles::install();
    let mut work = context.clone();
    let run = session::begin(attach, work.bytes(), &[]);
    let raw = program(work.bytes_mut().as_mut_ptr());
    let recorded = run.end();
    finish(
        Engine::Native,
        hook,
        raw as u32 as u64,
        recorded,
        context,
        work,
        Vec::new(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hook_of(section: &str) -> &'static HookInfo {
        crate::elf::hook_for_section(section).unwrap().0
    }

    #[test]
    fn verdicts_are_named_by_the_hooks_enum() {
        let table: &[(&str, u64, &str)] = &[
            ("bind", 0, "BIND_PERMIT_SOFT"),
            ("bind", 1, "BIND_DENY"),
            ("bind", 2, "BIND_REDIRECT"),
            ("bind", 3, "BIND_PERMIT_HARD"),
            ("bind", 4, "unlisted value 4"),
            // Only the low 32 bits are the C return value.
            ("bind", 0xFFFF_FFFF_0000_0001, "BIND_DENY"),
            ("bind", 0xFFFF_FFFF, "unlisted value -1"),
            ("cgroup/connect6", 0, "BPF_SOCK_ADDR_VERDICT_REJECT"),
            (
                "cgroup/recv_accept4",
                2,
                "BPF_SOCK_ADDR_VERDICT_PROCEED_HARD",
            ),
            ("cgroup/connect4", 3, "unlisted value 3"),
            ("sockops", 0, "0"),
            ("sockops", 0xFFFF_FFFF, "-1"),
            ("sockops", 0x1_0000_0005, "5"),
        ];
        for (section, r0, name) in table {
            assert_eq!(
                Verdict::of(hook_of(section), *r0).name(),
                *name,
                "{section} {r0:#x}"
            );
        }
    }
}
