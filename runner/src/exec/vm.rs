//! The run API: running a program in the runner's checking interpreter, in rbpf's
//! JIT, or (for a Rust program) natively on the host, each producing the same
//! [`Outcome`] and reporting helper faults the same way, so that runs can be compared.
//!
//! A VM run lends the program's state (global data, maps, host environment) to the
//! helpers through the session and takes it back at the end; then the map values
//! that replaced or deleted entries left readable for the run are freed
//! (`Maps::end_run`).

use std::ops::Range;

use ebpf_nethooks_bindings::abi::{AttachInfo, HookInfo};

use crate::context::Context;
use crate::error::{ExecError, RunError};
use crate::exec::interp::{self, Region, Stop};
use crate::exec::jit;
use crate::exec::outcome::{map_contents, map_writes};
use crate::exec::scan;
use crate::helper::Helper;
use crate::helpers;
use crate::helpers::session::{self, Lent, Recorded};
use crate::helpers::{Environment, HostState};
use crate::program::{GlobalWrite, Program};
use crate::state::ProgramState;

pub use crate::exec::jit::JIT_AVAILABLE;
pub use crate::exec::outcome::{MapChange, MapWrite, Outcome, Verdict};

/// Where an eBPF program runs. A Rust program runs on the host instead, through
/// [`run_native`], which needs no engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Engine {
    Interpreter,
    Jit,
}

impl Engine {
    pub fn describe(self) -> &'static str {
        match self {
            Engine::Interpreter => "interpreter",
            Engine::Jit => "JIT",
        }
    }
}

/// What [`run_native`] reports as its engine in errors.
const HOST: &str = "host";

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
/// input from the same state (global data, maps, environment): only if that run
/// ends cleanly within the budget does the JIT run, from the same state again, taking
/// the same path (programs and doubles are deterministic).
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
        return Err(ExecError::Vm {
            engine: "JIT",
            why: format!("{why}; use --engine interpreter"),
        }
        .into());
    }
    let original = interpret_on_a_copy(program);
    let checked = run_in(program, context, Engine::Interpreter, options);
    let _checked_state = std::mem::replace(&mut *program.lock_state(), original);
    checked.map_err(before_jit)?;
    run_in(program, context, Engine::Jit, options)
}

/// Puts a copy of the program's state in its place and returns the original, for the
/// checking interpreter to run on the copy and the JIT on the original. The JIT then
/// runs at the addresses earlier runs saw, and the interpreter faults on any address
/// a program kept from an earlier run (valid only in the original).
fn interpret_on_a_copy(program: &Program) -> ProgramState {
    let mut state = program.lock_state();
    let copy = state.snapshot();
    std::mem::replace(&mut *state, copy)
}

fn before_jit(e: RunError) -> RunError {
    match e {
        RunError::Exec(ExecError::Budget { max_insns, .. }) => ExecError::Budget {
            max_insns,
            before_jit: true,
        }
        .into(),
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
            let code = program.patched_code(&program.lock_state());
            jit::blocker(&code, &called)
        })
        .clone())
}

/// The program's global sections as the helpers see them: name, addresses, writable.
pub(crate) fn lent_globals(
    program: &Program,
    state: &ProgramState,
) -> Vec<(String, Range<usize>, bool)> {
    program
        .data_layout()
        .map(|(slot, name, len, writable)| {
            let start = state.globals[slot].words.as_ptr() as usize;
            (name.to_owned(), start..start + len, writable)
        })
        .collect()
}

fn run_in(
    program: &Program,
    context: &Context,
    engine: Engine,
    options: &RunOptions,
) -> Result<Outcome, RunError> {
    let called = scan::check_calls(&program.code, program.hook, context)?;
    let mut work = context.clone();
    // Pointer members at the data given for them, for this run only.
    let data = work.attach_data();
    let mut state = program.lock_state();
    let globals_before = program.globals_of(&state);
    let maps_before = map_contents(&state.maps);
    let code = program.patched_code(&state);
    let map_names: Vec<String> = state.maps.iter().map(|m| m.name().to_owned()).collect();
    let lent = Lent {
        globals: lent_globals(program, &state),
        data: data.clone(),
        maps: std::mem::take(&mut state.maps),
        host: state.host,
    };
    let run = session::begin_vm(
        program.attach,
        Some(program.hook),
        work.bytes(),
        &called,
        lent,
    );
    let result = match engine {
        Engine::Interpreter => interpret(
            program,
            &code,
            &called,
            (work.bytes_mut(), &data),
            &mut state,
            &map_names,
            options,
        ),
        // SAFETY: `run_with` and `run_checked_with` call this only after the checking
        // interpreter ran the same input, from the same state, cleanly.
        Engine::Jit => unsafe { jit::execute(&code, &called, work.bytes_mut()) },
    };
    // Before the run ends: the memory a pointer of this run may point into.
    let targets = session::pointer_targets();
    work.detach_data(context, &data);
    let (recorded, mut lent) = run.finish();
    lent.maps.end_run();
    state.maps = lent.maps;
    state.host = lent.host;
    let r0 = result?;
    let global_writes = program.global_writes(&globals_before, &program.globals_of(&state));
    let mut outcome = finish(
        engine.describe(),
        program.hook,
        r0,
        recorded,
        context,
        work,
        global_writes,
    )?;
    outcome.map_writes = map_writes(&maps_before, &map_contents(&state.maps));
    if let Some(what) = targets.leak(r0, &outcome) {
        return Err(ExecError::PointerLeak {
            program: program.name.clone(),
            what,
        }
        .into());
    }
    Ok(outcome)
}

/// The outcome of a run that returned `r0`, or the first fault a helper recorded.
fn finish(
    engine: &'static str,
    hook: &'static HookInfo,
    r0: u64,
    recorded: Recorded,
    context: &Context,
    work: Context,
    global_writes: Vec<GlobalWrite>,
) -> Result<Outcome, RunError> {
    if let Some(why) = recorded.faults.into_iter().next() {
        return Err(RunError::HelperFault { engine, why });
    }
    Ok(Outcome {
        verdict: Verdict::of(hook, r0),
        calls: recorded.calls,
        writes: context.writes(&work),
        redirect_context: recorded.redirect_context,
        context_after: work,
        global_writes,
        map_writes: Vec::new(),
        printk: recorded.printk,
        ring_records: recorded.ring_records,
    })
}

fn interpret(
    program: &Program,
    code: &[u8],
    called: &[Helper],
    // The context's bytes, and the data its pointer members point at.
    (context, data): (&mut [u8], &[(String, Range<usize>)]),
    state: &mut ProgramState,
    map_names: &[String],
    options: &RunOptions,
) -> Result<u64, RunError> {
    let r1 = context.as_ptr() as u64;
    let mut regions = vec![Region::new("the context", context, true)];
    for (name, range) in data {
        // SAFETY: the data belongs to the run's copy of the context, which outlives
        // the run; read-only, as netebpfext's app ID is.
        regions.push(unsafe {
            Region::raw(format!("`{name}` data"), range.start, range.len(), false)
        });
    }
    let layout: Vec<(usize, &str, usize, bool)> = program.data_layout().collect();
    for (slot, section) in state.globals.iter_mut().enumerate() {
        let Some(&(_, name, len, writable)) = layout.iter().find(|l| l.0 == slot) else {
            continue;
        };
        // SAFETY: u64 words viewed as their first `len` bytes (`len` <= 8 * words).
        let bytes =
            unsafe { std::slice::from_raw_parts_mut(section.words.as_mut_ptr().cast::<u8>(), len) };
        regions.push(Region::new(format!("`{name}`"), bytes, writable));
    }
    let mut helper = |id: u32, args: [u64; 5], stack: Range<usize>| {
        session::set_stack(stack);
        match called.iter().find(|h| h.id == i64::from(id)) {
            Some(&helper) => Ok(helpers::dispatch(helper, args)),
            None => Err(format!("helper ID {id:#x} was not checked")),
        }
    };
    // Map values come and go with inserts and deletes: renewed after each helper.
    let mut memory = || map_value_regions(map_names);
    let mut prepared = program.lock_prepared();
    let (code, stack) = prepared.get(code);
    interp::run_on_stack(
        stack,
        code,
        r1,
        &regions,
        options.max_insns,
        &mut helper,
        &mut memory,
    )
    .map_err(stop_error)
}

/// The error of an interpreter run that stopped without returning.
/// The map values a program may access, named by map, when a helper call changed
/// them since the last look; `None` when nothing changed.
pub(crate) fn map_value_regions(map_names: &[String]) -> Option<Vec<Region<'static>>> {
    let ranges = session::map_memory_if_changed()?;
    Some(
        ranges
            .into_iter()
            .map(|r| {
                let name = map_names.get(r.map).map_or("?", String::as_str);
                // SAFETY: a map value stays allocated until a map helper changes the
                // map (after which the caller looks again) or the run ends
                // (`Maps::end_run` frees retired values only then).
                unsafe {
                    Region::raw(
                        format!("map `{name}` values"),
                        r.range.start,
                        r.range.len(),
                        true,
                    )
                }
            })
            .collect(),
    )
}

pub(crate) fn stop_error(stop: Stop) -> RunError {
    match stop {
        Stop::Budget { max_insns } => ExecError::Budget {
            max_insns,
            before_jit: false,
        }
        .into(),
        Stop::Fault { insn, why } | Stop::Helper { insn, why } => ExecError::Vm {
            engine: "interpreter",
            why: if why.contains("(insn #") {
                why
            } else {
                format!("{why} (insn #{insn})")
            },
        }
        .into(),
    }
}

/// Runs `program` in the interpreter and then, where it can, in the JIT, and checks
/// that both did the same. Returns the outcome and the engines used.
pub fn run_checked(
    program: &Program,
    context: &Context,
) -> Result<(Outcome, Vec<Engine>), RunError> {
    run_checked_with(program, context, &RunOptions::default())
}

/// [`run_checked`] with `options`. Both engines start from the same state (global
/// data, maps, environment; the interpreter on a copy) and must end with the same:
/// their outcomes (global and map writes included) and their final states must be
/// equal. The JIT is skipped (see [`jit_blocker`]) for programs rbpf's JIT cannot
/// run. When the interpreter fails, the state is as that run left it.
pub fn run_checked_with(
    program: &Program,
    context: &Context,
    options: &RunOptions,
) -> Result<(Outcome, Vec<Engine>), RunError> {
    if jit_blocker(program, context)?.is_some() {
        let interpreted = run_in(program, context, Engine::Interpreter, options)?;
        return Ok((interpreted, vec![Engine::Interpreter]));
    }
    let original = interpret_on_a_copy(program);
    let interpreted = run_in(program, context, Engine::Interpreter, options)?;
    // Safe after the interpreter's clean run of the same input (see `run_with`).
    let after_interpreter = std::mem::replace(&mut *program.lock_state(), original);
    let jitted = run_in(program, context, Engine::Jit, options)?;
    if jitted != interpreted {
        return Err(ExecError::EnginesDisagree {
            details: crate::exec::outcome::difference(&interpreted, &jitted),
        }
        .into());
    }
    if !program.lock_state().same_contents(&after_interpreter) {
        return Err(ExecError::EnginesDisagree {
            details: "they leave different global data, maps or environment".to_owned(),
        }
        .into());
    }
    Ok((interpreted, vec![Engine::Interpreter, Engine::Jit]))
}

/// Runs a Rust program on the host with the same helpers (the runner's dispatcher,
/// installed as the bindings' raw seam; a typed double a test installed wins),
/// recording and fault reporting as the VM: `program` gets a pointer to the context struct (8-byte
/// aligned) and returns the raw verdict; a fault a helper recorded (such as a null
/// buffer) fails the run with [`RunError::HelperFault`] from engine "host".
pub fn run_native(
    hook: &'static HookInfo,
    attach: &'static AttachInfo,
    context: &Context,
    program: impl FnOnce(*mut u8) -> i32,
) -> Result<Outcome, RunError> {
    run_native_in(hook, attach, context, Environment::default(), program)
}

/// [`run_native`] in the host environment `env` (what `--setting` gives a VM run).
pub fn run_native_in(
    hook: &'static HookInfo,
    attach: &'static AttachInfo,
    context: &Context,
    env: Environment,
    program: impl FnOnce(*mut u8) -> i32,
) -> Result<Outcome, RunError> {
    helpers::install();
    let mut work = context.clone();
    let data = work.attach_data();
    // The hook is known, as in a VM run: helpers that a program type overrides
    // (`bpf_is_current_admin`) answer the same.
    let lent = Lent {
        data: data.clone(),
        host: HostState::new(env),
        ..Lent::default()
    };
    let run = session::begin_vm(attach, Some(hook), work.bytes(), &[], lent);
    let raw = program(work.bytes_mut().as_mut_ptr());
    work.detach_data(context, &data);
    let recorded = run.end();
    finish(
        HOST,
        hook,
        raw as u32 as u64,
        recorded,
        context,
        work,
        Vec::new(),
    )
}
