//! rbpf's JIT: which programs it can run, and running one. The JIT checks no memory
//! access and cannot be stopped, so it runs only code it fully supports, and only on
//! an input that the checking interpreter ran cleanly within the budget (see
//! `vm::run_with`): a deterministic program with deterministic helper doubles then takes
//! the same path, makes the same accesses and ends within the same budget.

use std::cell::Cell;
use std::panic::AssertUnwindSafe;

use crate::error::{ExecError, RunError};
use crate::exec::probe::{STACK_PROBE_ID, with_probe, without_probe};
use crate::exec::trampolines::{JIT_TRAMPOLINES, SLOT_COUNT, STACK_PROBE_SLOT};
use crate::helper::Helper;
use nethooks_obj::isa::{self, Insn, LD_DW_IMM};

/// Whether rbpf has a JIT for this platform (x86_64, not Windows).
pub const JIT_AVAILABLE: bool = cfg!(all(target_arch = "x86_64", not(windows)));

/// Why rbpf's JIT cannot run `code` (linked, checked, global-data loads patched),
/// or `None`. `called` are the helpers it calls.
pub fn blocker(code: &[u8], called: &[Helper]) -> Option<String> {
    let code = match crate::exec::inline::inline_calls(code) {
        Ok(code) => code,
        Err(why) => {
            return Some(format!(
                "the program makes BPF-to-BPF calls, which rbpf's JIT runs in the caller's \
                 stack frame, and they cannot be inlined: {why}"
            ));
        }
    };
    let code = &code[..];
    let mut index = 0;
    while let Some(insn) = Insn::at(code, index) {
        if let Some(why) = unsupported(insn) {
            return Some(why);
        }
        index += if insn.op == LD_DW_IMM { 2 } else { 1 };
    }
    // The verifier rbpf runs first refuses some valid code (a jump to itself): ask it,
    // then compile for real, since the JIT asserts (panics) when its one page of
    // machine code overflows.
    let code = with_probe(code);
    let mut vm = match rbpf::EbpfVmRaw::new(Some(&code)) {
        Ok(vm) => vm,
        Err(e) => {
            return Some(format!(
                "rbpf refuses it: {}",
                without_probe(&e.to_string())
            ));
        }
    };
    if let Err(e) = register(&mut vm, called, JIT_TRAMPOLINES) {
        return Some(e.to_string());
    }
    match quietly(|| compile(&mut vm)) {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(format!("rbpf's JIT cannot compile it: {e}")),
        Err(why) => Some(format!("rbpf's JIT cannot compile it: {why}")),
    }
}

/// What rbpf's JIT lacks or gets wrong, for one instruction.
fn unsupported(insn: Insn) -> Option<String> {
    use isa::Feature;
    if isa::is_local_call(insn) {
        return Some(
            "the program makes BPF-to-BPF calls, which rbpf's JIT runs in the caller's stack frame"
                .to_owned(),
        );
    }
    match isa::feature_of(insn) {
        Some(Feature::Atomics) => {
            return Some("the program uses atomic instructions, which rbpf's JIT lacks".to_owned());
        }
        Some(f) if f.cpu() == isa::Cpu::V4 => {
            return Some(format!(
                "the program uses {} (cpu v4), which rbpf's JIT lacks",
                f.name()
            ));
        }
        _ => {}
    }
    // Where rbpf's JIT departs from the eBPF semantics the interpreter implements.
    // A difference could send the JIT down a path the interpreter did not check.
    match insn.op {
        0xd4 if insn.imm != 64 => Some(format!(
            "the program uses le{}, which rbpf's JIT does not truncate",
            insn.imm
        )),
        0xbc => Some(
            "the program uses 32-bit register moves, which rbpf's JIT does not zero-extend"
                .to_owned(),
        ),
        0x9c | 0x94 => Some(
            "the program uses 32-bit modulo, which rbpf's JIT gets wrong for a zero divisor"
                .to_owned(),
        ),
        _ => None,
    }
}

thread_local! {
    /// Set while compiling a trial JIT: its panics are expected and not printed.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, turning a panic into an error without printing it.
fn quietly<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info)
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = std::panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "it panicked".to_owned())
    })
}

fn register(
    vm: &mut rbpf::EbpfVmRaw<'_>,
    called: &[Helper],
    trampolines: [rbpf::ebpf::Helper; SLOT_COUNT],
) -> Result<(), RunError> {
    let vm_error = |e: std::io::Error| -> RunError {
        ExecError::Vm {
            engine: "JIT",
            why: without_probe(e.to_string().trim_start_matches("Error: ")),
        }
        .into()
    };
    if called.len() > STACK_PROBE_SLOT {
        return Err(ExecError::Vm {
            engine: "JIT",
            why: format!(
                "the program calls {} different helpers; the runner routes at most {STACK_PROBE_SLOT}",
                called.len()
            ),
        }.into());
    }
    for (helper, trampoline) in called.iter().zip(trampolines) {
        vm.register_helper(helper.id as u32, trampoline)
            .map_err(vm_error)?;
    }
    vm.register_helper(STACK_PROBE_ID as u32, trampolines[STACK_PROBE_SLOT])
        .map_err(vm_error)
}

/// Runs `code` (as in [`blocker`], which must have found nothing) in rbpf's JIT on `mem`,
/// within a session (`session::begin`) that serves `called` by slot.
///
/// # Safety
/// The checking interpreter must have run the same code on the same input (context
/// bytes, global data, helper doubles) cleanly: the JIT checks no access.
pub unsafe fn execute(code: &[u8], called: &[Helper], mem: &mut [u8]) -> Result<u64, RunError> {
    let vm_error = |e: std::io::Error| -> RunError {
        ExecError::Vm {
            engine: "JIT",
            why: without_probe(e.to_string().trim_start_matches("Error: ")),
        }
        .into()
    };
    let code = crate::exec::inline::inline_calls(code).map_err(|why| ExecError::Vm {
        engine: "JIT",
        why: format!("its BPF-to-BPF calls cannot be inlined: {why}"),
    })?;
    let code = with_probe(&code);
    let mut vm = rbpf::EbpfVmRaw::new(Some(&code)).map_err(vm_error)?;
    register(&mut vm, called, JIT_TRAMPOLINES)?;
    quietly(|| compile(&mut vm))
        .map_err(|why| ExecError::Vm { engine: "JIT", why })?
        .map_err(vm_error)?;
    // SAFETY: the caller's guarantee.
    unsafe { run_compiled(&vm, mem) }.map_err(vm_error)
}

/// A program compiled once by rbpf's JIT, to run many times (`--repeat`).
pub struct Compiled<'c> {
    vm: rbpf::EbpfVmRaw<'c>,
}

impl<'c> Compiled<'c> {
    /// Compiles `code` as it is (with the stack probe in front when it calls helpers or
    /// may read its stack, see [`with_probe`]); `called` are the helpers it calls.
    pub fn new(code: &'c [u8], called: &[Helper]) -> Result<Compiled<'c>, RunError> {
        let vm_error = |e: std::io::Error| -> RunError {
            ExecError::Vm {
                engine: "JIT",
                why: without_probe(e.to_string().trim_start_matches("Error: ")),
            }
            .into()
        };
        let mut vm = rbpf::EbpfVmRaw::new(Some(code)).map_err(vm_error)?;
        register(&mut vm, called, JIT_TRAMPOLINES)?;
        quietly(|| compile(&mut vm))
            .map_err(|why| ExecError::Vm { engine: "JIT", why })?
            .map_err(vm_error)?;
        Ok(Compiled { vm })
    }

    /// Runs the compiled code on `mem`.
    ///
    /// # Safety
    /// As for [`execute`]: the checking interpreter ran the same code on the same input
    /// cleanly.
    pub unsafe fn run(&self, mem: &mut [u8]) -> Result<u64, RunError> {
        // rbpf ties the memory's borrow to the VM's lifetime; each run lends it anew.
        // SAFETY: `mem` is valid for this call, and the compiled code keeps no pointer
        // to it after returning.
        let mem = unsafe { std::slice::from_raw_parts_mut(mem.as_mut_ptr(), mem.len()) };
        unsafe { run_compiled(&self.vm, mem) }.map_err(|e| {
            ExecError::Vm {
                engine: "JIT",
                why: without_probe(e.to_string().trim_start_matches("Error: ")),
            }
            .into()
        })
    }
}

#[cfg(all(target_arch = "x86_64", not(windows)))]
fn compile(vm: &mut rbpf::EbpfVmRaw<'_>) -> Result<(), std::io::Error> {
    vm.jit_compile()
}

#[cfg(all(target_arch = "x86_64", not(windows)))]
unsafe fn run_compiled<'a>(
    vm: &rbpf::EbpfVmRaw<'a>,
    mem: &'a mut [u8],
) -> Result<u64, std::io::Error> {
    // SAFETY: see `execute`.
    unsafe { vm.execute_program_jit(mem) }
}

#[cfg(not(all(target_arch = "x86_64", not(windows))))]
fn compile(_vm: &mut rbpf::EbpfVmRaw<'_>) -> Result<(), std::io::Error> {
    Err(std::io::Error::other("rbpf has no JIT on this platform"))
}

#[cfg(not(all(target_arch = "x86_64", not(windows))))]
unsafe fn run_compiled<'a>(
    _vm: &rbpf::EbpfVmRaw<'a>,
    _mem: &'a mut [u8],
) -> Result<u64, std::io::Error> {
    Err(std::io::Error::other("rbpf has no JIT on this platform"))
}
