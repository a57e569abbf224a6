//! `--repeat N`: the same input run N times per engine, timed. The program is
//! prepared once (linked and patched, and for the JIT compiled once), and each run
//! reuses the context buffer, the interpreter's stack and the session, so a run
//! allocates nothing; no outcome is recorded, only the time.
//!
//! The interpreter runs any program, its state (global data, maps, environment)
//! carried from run to run as in N ordinary runs. rbpf's JIT checks no access, so it
//! is timed only where every run is sure to repeat the checked one: a program with
//! no helper calls, maps or writable global data (a context-only program), after the
//! interpreter ran the same input cleanly.

use std::time::Instant;

use crate::context::Context;
use crate::error::{ExecError, RunError};
use crate::exec::interp::{self, Region};
use crate::exec::vm::{
    JIT_AVAILABLE, RunOptions, jit_blocker, lent_globals, map_value_regions, stop_error,
};
use crate::exec::{jit, scan};
use crate::helper::Helper;
use crate::helpers;
use crate::helpers::session::{self, Lent};
use crate::program::Program;
use nethooks_obj::isa::{self, Insn};

/// How one engine did over the repeated runs.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Timing {
    pub runs: u64,
    pub ns_per_run: f64,
}

/// The timings of both engines; the JIT's `Err` says why it was not timed.
#[derive(Debug, Clone, PartialEq)]
pub struct Repeated {
    pub interpreter: Timing,
    pub jit: Result<Timing, String>,
}

/// Runs `context` through `program` `runs` times in each engine and times the runs.
/// The caller has run the same input once, checked (`run_checked_with`).
pub fn repeat(
    program: &Program,
    context: &Context,
    runs: u64,
    options: &RunOptions,
) -> Result<Repeated, RunError> {
    let called = scan::check_calls(&program.code, program.hook, context)?;
    let interpreter = interpreter(program, context, &called, runs, options)?;
    let jit = match jit_refusal(program, context, &called)? {
        Some(why) => Err(why),
        None => Ok(jit(program, context, runs)?),
    };
    Ok(Repeated { interpreter, jit })
}

fn timing(runs: u64, start: Instant) -> Timing {
    let ns = start.elapsed().as_nanos() as f64;
    Timing {
        runs,
        ns_per_run: if runs == 0 { 0.0 } else { ns / runs as f64 },
    }
}

fn interpreter(
    program: &Program,
    context: &Context,
    called: &[Helper],
    runs: u64,
    options: &RunOptions,
) -> Result<Timing, RunError> {
    let mut state = program.lock_state();
    let patched = program.patched_code(&state);
    let mut work = context.clone();
    let data = work.attach_data();
    // The input as each run starts from it: with the pointer members at the data.
    let input = work.bytes().to_vec();
    let len = work.bytes().len();
    let work_ptr = work.bytes_mut().as_mut_ptr();
    // SAFETY: `work` lives until the end of this function and is not moved; each run
    // rewrites it through `work_ptr` only between runs.
    let mut regions = vec![unsafe { Region::raw("the context", work_ptr as usize, len, true) }];
    for (name, range) in &data {
        // SAFETY: the data belongs to `work`, as above.
        regions.push(unsafe {
            Region::raw(format!("`{name}` data"), range.start, range.len(), false)
        });
    }
    for (slot, name, bytes, writable) in program.data_layout() {
        let start = state.globals[slot].words.as_mut_ptr() as usize;
        // SAFETY: the state stays locked, and its global data in place, until the end.
        regions.push(unsafe { Region::raw(format!("`{name}`"), start, bytes, writable) });
    }
    let map_names: Vec<String> = state.maps.iter().map(|m| m.name().to_owned()).collect();
    let lent = Lent {
        globals: lent_globals(program, &state),
        data: data.clone(),
        maps: std::mem::take(&mut state.maps),
        host: state.host,
    };
    let session = session::begin_vm(
        program.attach,
        Some(program.hook),
        work.bytes(),
        called,
        lent,
    );
    let mut helper = |id: u32, args: [u64; 5], stack: std::ops::Range<usize>| {
        session::set_stack(stack);
        match called.iter().find(|h| h.id == i64::from(id)) {
            Some(&helper) => Ok(helpers::dispatch(helper, args)),
            None => Err(format!("helper ID {id:#x} was not checked")),
        }
    };
    let has_maps = !map_names.is_empty();
    let mut memory = || {
        if !has_maps {
            return None;
        }
        map_value_regions(&map_names)
    };
    // Decoded once, as ordinary runs of the program find it, on the program's stack.
    let mut prepared = program.lock_prepared();
    let (code, stack) = prepared.get(&patched);
    let mut result = Ok(());
    let start = Instant::now();
    for _ in 0..runs {
        // SAFETY: `work_ptr` holds `len` bytes (see above), as does the input.
        unsafe { std::ptr::copy_nonoverlapping(input.as_ptr(), work_ptr, len) };
        if has_maps {
            // Map values may have come and gone in the last run.
            session::map_memory_changed();
        }
        let r0 = interp::run_on_stack(
            stack,
            code,
            work_ptr as u64,
            &regions,
            options.max_insns,
            &mut helper,
            &mut memory,
        );
        // Only helpers record, and only map helpers leave values to free.
        if has_maps {
            session::with_maps(|m| m.end_run());
        }
        let fault = if called.is_empty() {
            None
        } else {
            session::take_faults_and_clear()
        };
        match (r0, fault) {
            (Err(stop), _) => {
                result = Err(stop_error(stop));
                break;
            }
            (Ok(_), Some(why)) => {
                result = Err(RunError::HelperFault {
                    engine: "interpreter",
                    why,
                });
                break;
            }
            (Ok(r0), None) => {
                std::hint::black_box(r0);
            }
        }
    }
    let timed = timing(runs, start);
    let (_, mut lent) = session.finish();
    lent.maps.end_run();
    state.maps = lent.maps;
    state.host = lent.host;
    result.map(|()| timed)
}

/// Why the JIT is not timed, or `None` when it is.
fn jit_refusal(
    program: &Program,
    context: &Context,
    called: &[Helper],
) -> Result<Option<String>, RunError> {
    if !JIT_AVAILABLE {
        return Ok(Some("rbpf has no JIT on this platform".to_owned()));
    }
    if let Some(why) = jit_blocker(program, context)? {
        return Ok(Some(why));
    }
    let writable_data = program.data_sections().iter().any(|d| d.writable);
    if !called.is_empty() || program.uses_maps() || writable_data {
        return Ok(Some(
            "--repeat times the JIT only on context-only programs (no helper calls, maps or \
             writable global data), whose every run repeats the checked one"
                .to_owned(),
        ));
    }
    Ok(None)
}

fn jit(program: &Program, context: &Context, runs: u64) -> Result<Timing, RunError> {
    let linked = program.patched_code(&program.lock_state());
    // `jit_blocker` found the calls inlinable.
    let code = crate::exec::inline::inline_calls(&linked).map_err(|why| ExecError::Vm {
        engine: "JIT",
        why: format!("its BPF-to-BPF calls cannot be inlined: {why}"),
    })?;
    // Without helper calls the probe is needed only to zero a stack the code may read.
    // Asked of the code before inlining: the inliner's own stack reads (r6-r9 saved
    // around a call) read only what it wrote just before.
    let code = if reads_stack(&linked) {
        crate::exec::probe::with_probe(&code)
    } else {
        code
    };
    let compiled = jit::Compiled::new(&code, &[])?;
    let mut work = context.clone();
    work.attach_data();
    let input = work.bytes().to_vec();
    let session = session::begin_vm(
        program.attach,
        Some(program.hook),
        work.bytes(),
        &[],
        Lent::default(),
    );
    let mut result = Ok(());
    let start = Instant::now();
    for _ in 0..runs {
        work.bytes_mut().copy_from_slice(&input);
        // SAFETY: the caller ran this input, checked, from the same (empty) state; a
        // context-only program takes the same path on every run.
        match unsafe { compiled.run(work.bytes_mut()) } {
            Ok(r0) => {
                std::hint::black_box(r0);
            }
            Err(e) => {
                result = Err(e);
                break;
            }
        }
    }
    let timed = timing(runs, start);
    drop(session);
    result.map(|()| timed)
}

/// Whether `code` may read its stack: a load or atomic through r10, or r10 copied
/// into another register (a stack pointer that could be read through).
fn reads_stack(code: &[u8]) -> bool {
    let mut index = 0;
    while let Some(insn) = Insn::at(code, index) {
        let stack_read = match insn.class() {
            isa::CLASS_LDX => insn.src == 10,
            isa::CLASS_STX => insn.mode() == isa::MODE_ATOMIC && insn.dst == 10,
            isa::CLASS_ALU | isa::CLASS_ALU64 => insn.uses_reg() && insn.src == 10,
            _ => false,
        };
        if stack_read {
            return true;
        }
        index += if insn.op == isa::LD_DW_IMM { 2 } else { 1 };
    }
    false
}
