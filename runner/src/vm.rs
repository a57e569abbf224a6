//! Running a program: in rbpf's interpreter, in its JIT, or (for a Rust program) natively
//! on the host, each producing the same [`Outcome`] so that runs can be compared.

use std::cell::RefCell;
use std::fmt;

use ebpf_nethooks_bindings::abi::{self, AttachInfo, HookInfo};

use crate::context::{Context, ContextWrite};
use crate::doubles::{self, HelperCall};
use crate::elf::Program;
use crate::error::RunError;

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

/// Whether rbpf has a JIT for this platform (x86_64, not Windows).
pub const JIT_AVAILABLE: bool = cfg!(all(target_arch = "x86_64", not(windows)));

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
}

/// Runs `program` on a copy of `context` in one engine. The JIT checks no memory
/// access, so before it the checking interpreter runs the same input: the JIT then
/// takes the same path and makes the same accesses.
pub fn run(program: &Program, context: &Context, engine: Engine) -> Result<Outcome, RunError> {
    if engine == Engine::Jit {
        run_in(program, context, Engine::Interpreter)?;
    }
    run_in(program, context, engine)
}

fn run_in(program: &Program, context: &Context, engine: Engine) -> Result<Outcome, RunError> {
    let called = check_program(program, context)?;
    SLOTS.with(|slots| *slots.borrow_mut() = called.clone());
    let mut work = context.clone();
    doubles::begin(program.attach, work.bytes());
    let result = execute(program, &called, work.bytes_mut(), engine);
    let recorded = doubles::end();
    let r0 = result?;
    if let Some(why) = recorded.faults.first() {
        return Err(RunError::HelperFault {
            engine: engine.describe(),
            why: why.clone(),
        });
    }
    Ok(Outcome {
        verdict: Verdict::of(program.hook, r0),
        calls: recorded.calls,
        writes: context.writes(&work),
        redirect_context: recorded.redirect_context,
        context_after: work,
    })
}

/// Runs `program` in the interpreter and then, where there is one, in the JIT, and
/// checks that both did the same. Returns the outcome and the engines used.
pub fn run_checked(
    program: &Program,
    context: &Context,
) -> Result<(Outcome, Vec<Engine>), RunError> {
    let interpreted = run_in(program, context, Engine::Interpreter)?;
    if !JIT_AVAILABLE {
        return Ok((interpreted, vec![Engine::Interpreter]));
    }
    // Safe after the interpreter's clean run of the same input (see `run`).
    let jitted = run_in(program, context, Engine::Jit)?;
    if jitted != interpreted {
        return Err(RunError::EnginesDisagree {
            details: format!("interpreter: {interpreted:?}\nJIT: {jitted:?}"),
        });
    }
    Ok((interpreted, vec![Engine::Interpreter, Engine::Jit]))
}

/// Runs a Rust program on the host with the same doubles and recording: `program`
/// gets a pointer to the context struct (8-byte aligned) and returns the raw verdict.
pub fn run_native(
    hook: &'static HookInfo,
    attach: &'static AttachInfo,
    context: &Context,
    program: impl FnOnce(*mut u8) -> i32,
) -> Outcome {
    let mut work = context.clone();
    doubles::begin(attach, work.bytes());
    let raw = program(work.bytes_mut().as_mut_ptr());
    let recorded = doubles::end();
    Outcome {
        verdict: Verdict::of(hook, raw as u32 as u64),
        calls: recorded.calls,
        writes: context.writes(&work),
        redirect_context: recorded.redirect_context,
        context_after: work,
    }
}

/// Checks that every helper `call` names a helper of the spec that this hook's programs
/// may call; returns the indices in `abi::HELPERS` of the helpers called, each once.
fn check_program(program: &Program, context: &Context) -> Result<Vec<usize>, RunError> {
    if context.layout().name != program.hook.context {
        return Err(RunError::BadValue {
            member: "(context)".to_owned(),
            why: format!(
                "a `{}` context for a program of `{}`, which takes `{}`",
                context.layout().name,
                program.hook.name,
                program.hook.context
            ),
        });
    }
    if abi::HELPERS.iter().any(|h| h.id == STACK_PROBE_ID) {
        return Err(RunError::BadProgram {
            section: program.section.clone(),
            why: format!(
                "a helper of the spec has ID {STACK_PROBE_ID:#x}, which the runner reserves"
            ),
        });
    }
    let mut called = Vec::new();
    let mut insn = 0;
    while let Some(bytes) = program.code.get(insn * 8..insn * 8 + 8) {
        let (opcode, src, imm) = (
            bytes[0],
            bytes[1] >> 4,
            i32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]),
        );
        match (opcode, src) {
            (CALL, 0) => {
                let id = imm as u32;
                let index = abi::HELPERS
                    .iter()
                    .position(|h| h.id == i64::from(id))
                    .ok_or_else(|| RunError::UnknownHelper {
                        id,
                        insn,
                        known: abi::HELPERS
                            .iter()
                            .map(|h| format!("{} = {:#x}", h.name, h.id))
                            .collect(),
                    })?;
                let helper = &abi::HELPERS[index];
                if helper.hook != program.hook.name {
                    return Err(RunError::HelperNotForHook {
                        helper: helper.name,
                        hook: program.hook.name,
                        insn,
                    });
                }
                if !called.contains(&index) {
                    called.push(index);
                }
            }
            // A 64-bit immediate load takes two slots.
            (LD_DW_IMM, _) => insn += 1,
            _ => {}
        }
        insn += 1;
    }
    if called.len() > STACK_PROBE_SLOT {
        return Err(RunError::BadProgram {
            section: program.section.clone(),
            why: format!(
                "it calls {} different helpers; the runner routes at most {STACK_PROBE_SLOT}",
                called.len()
            ),
        });
    }
    Ok(called)
}

const CALL: u8 = 0x85;
const LD_DW_IMM: u8 = 0x18;

/// Helper ID of the stack probe the runner puts in front of every program.
const STACK_PROBE_ID: i64 = 0x7FFF_FFF0;

/// `r2 = r10; call STACK_PROBE; r1 = r0`: tells the runner where the program's stack
/// is (helpers get no r10) and restores r1, the context, which the probe returns.
/// Jumps and calls are relative, so the program after it needs no change.
const STACK_PROBE: [[u8; 8]; 3] = [
    [0xbf, 0xa2, 0, 0, 0, 0, 0, 0],
    [
        CALL,
        0,
        0,
        0,
        (STACK_PROBE_ID & 0xFF) as u8,
        ((STACK_PROBE_ID >> 8) & 0xFF) as u8,
        ((STACK_PROBE_ID >> 16) & 0xFF) as u8,
        ((STACK_PROBE_ID >> 24) & 0xFF) as u8,
    ],
    [0xbf, 0x01, 0, 0, 0, 0, 0, 0],
];

fn execute(
    program: &Program,
    called: &[usize],
    mem: &mut [u8],
    engine: Engine,
) -> Result<u64, RunError> {
    let vm_error = |e: std::io::Error| RunError::Vm {
        engine: engine.describe(),
        why: without_probe(e.to_string().trim_start_matches("Error: ")),
    };
    let code: Vec<u8> = STACK_PROBE
        .iter()
        .flatten()
        .chain(&program.code)
        .copied()
        .collect();
    let mut vm = rbpf::EbpfVmRaw::new(Some(&code)).map_err(|e| RunError::BadProgram {
        section: program.section.clone(),
        why: without_probe(&e.to_string()),
    })?;
    let trampolines = match engine {
        Engine::Jit => JIT_TRAMPOLINES,
        _ => TRAMPOLINES,
    };
    for (&index, trampoline) in called.iter().zip(trampolines) {
        vm.register_helper(abi::HELPERS[index].id as u32, trampoline)
            .map_err(vm_error)?;
    }
    vm.register_helper(STACK_PROBE_ID as u32, trampolines[STACK_PROBE_SLOT])
        .map_err(vm_error)?;
    let r0 = match engine {
        Engine::Interpreter => vm.execute_program(mem).map_err(vm_error)?,
        Engine::Jit => jit(&mut vm, mem).map_err(vm_error)?,
        Engine::Native => {
            return Err(RunError::Vm {
                engine: engine.describe(),
                why: "an eBPF object runs in the interpreter or the JIT; Rust programs run through `run_native`".to_owned(),
            });
        }
    };
    Ok(r0)
}

/// rbpf's message with instruction numbers of the program as compiled (without the
/// probe). rbpf numbers a bad memory access by the instruction after it; fix that too.
fn without_probe(message: &str) -> String {
    let shift = STACK_PROBE.len() + usize::from(message.contains("out of bounds memory"));
    let mut out = String::new();
    let mut rest = message;
    while let Some(at) = rest.find("insn #") {
        let (before, after) = rest.split_at(at + "insn #".len());
        out.push_str(before);
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        match after[..digits].parse::<usize>() {
            Ok(n) => out.push_str(&n.saturating_sub(shift).to_string()),
            Err(_) => out.push_str(&after[..digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

#[cfg(all(target_arch = "x86_64", not(windows)))]
fn jit<'a>(vm: &mut rbpf::EbpfVmRaw<'a>, mem: &'a mut [u8]) -> Result<u64, std::io::Error> {
    vm.jit_compile()?;
    // SAFETY: the JIT does no memory checks; `run` and `run_checked` run it only on
    // an input that the checking interpreter ran cleanly, so it makes the same accesses.
    unsafe { vm.execute_program_jit(mem) }
}

#[cfg(not(all(target_arch = "x86_64", not(windows))))]
fn jit<'a>(_vm: &mut rbpf::EbpfVmRaw<'a>, _mem: &'a mut [u8]) -> Result<u64, std::io::Error> {
    Err(std::io::Error::other("rbpf has no JIT on this platform"))
}

/// How many helper entries there are: one per helper a program calls, plus the probe.
const SLOT_COUNT: usize = 32;

/// The trampoline slot of the stack probe; slots below it serve the called helpers.
const STACK_PROBE_SLOT: usize = SLOT_COUNT - 1;

thread_local! {
    /// Slot -> index in `abi::HELPERS`, for the program running on this thread.
    static SLOTS: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// Expands to `[$entry(0), ..., $entry(31)]`.
macro_rules! slots {
    ($entry:ident) => {
        slots!($entry; 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
            20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31)
    };
    ($entry:ident; $($slot:literal),*) => {
        [$($entry!($slot)),*]
    };
}

/// rbpf helpers are plain function pointers, so each slot gets its own
/// monomorphised entry that knows its number.
const TRAMPOLINES: [rbpf::ebpf::Helper; SLOT_COUNT] = {
    macro_rules! entry {
        ($slot:literal) => {
            trampoline::<$slot>
        };
    }
    slots!(entry)
};

fn trampoline<const SLOT: usize>(r1: u64, r2: u64, r3: u64, r4: u64, r5: u64) -> u64 {
    dispatch(SLOT, [r1, r2, r3, r4, r5])
}

/// The JIT's helper entries: rbpf's JIT calls a helper with a stack that is not
/// always 16-byte aligned, which the x86_64 ABI requires (Rust code using SSE
/// faults on it), so each entry realigns the stack before calling `dispatch`.
#[cfg(all(target_arch = "x86_64", not(windows)))]
const JIT_TRAMPOLINES: [rbpf::ebpf::Helper; SLOT_COUNT] = {
    type Sysv = extern "sysv64" fn(u64, u64, u64, u64, u64) -> u64;
    // SAFETY (each): the JIT calls a helper's address with r1..r5 in rdi, rsi, rdx,
    // rcx, r8, the System V convention these entries are written for.
    macro_rules! entry {
        ($slot:literal) => {
            unsafe {
                core::mem::transmute::<Sysv, rbpf::ebpf::Helper>(aligned::entry::<$slot> as Sysv)
            }
        };
    }
    slots!(entry)
};

#[cfg(not(all(target_arch = "x86_64", not(windows))))]
const JIT_TRAMPOLINES: [rbpf::ebpf::Helper; SLOT_COUNT] = TRAMPOLINES;

#[cfg(all(target_arch = "x86_64", not(windows)))]
mod aligned {
    /// Saves the caller's stack pointer, aligns the stack, calls `dispatch` with the
    /// slot as a sixth argument, and returns its r0.
    #[unsafe(naked)]
    pub extern "sysv64" fn entry<const SLOT: u64>(_: u64, _: u64, _: u64, _: u64, _: u64) -> u64 {
        core::arch::naked_asm!(
            "push rbp",
            "mov rbp, rsp",
            "and rsp, -16",
            "mov r9, {slot}",
            "call {dispatch}",
            "mov rsp, rbp",
            "pop rbp",
            "ret",
            slot = const SLOT,
            dispatch = sym super::dispatch_sysv,
        )
    }
}

#[cfg(all(target_arch = "x86_64", not(windows)))]
extern "sysv64" fn dispatch_sysv(r1: u64, r2: u64, r3: u64, r4: u64, r5: u64, slot: u64) -> u64 {
    dispatch(slot as usize, [r1, r2, r3, r4, r5])
}

/// Calls the helper in `slot` with the program's argument registers.
fn dispatch(slot: usize, regs: [u64; 5]) -> u64 {
    if slot == STACK_PROBE_SLOT {
        let top = regs[1] as usize;
        doubles::set_stack(top.saturating_sub(rbpf::ebpf::STACK_SIZE)..top);
        return regs[0];
    }
    let Some(index) = SLOTS.with(|slots| slots.borrow().get(slot).copied()) else {
        doubles::fault(format!("helper slot {slot} is not in use"));
        return u64::MAX;
    };
    let info = &abi::HELPERS[index];
    if !doubles::covers(info.name) {
        doubles::fault(format!("`{}` has no test double in the runner", info.name));
        return 0;
    }
    // A context parameter must be the program's own context: the double dereferences it.
    let context = doubles::context_range();
    for (param, value) in info.params.iter().zip(regs) {
        let is_context_param = abi::HOOKS
            .iter()
            .any(|h| h.name == info.hook && param.c_type == format!("{}*", h.context));
        if is_context_param && context.as_ref().map(|c| c.start as u64) != Some(value) {
            doubles::fault(format!(
                "`{}` got {value:#x} as `{}`, which is not the program's context",
                info.name, param.name
            ));
            return u64::MAX;
        }
    }
    // SAFETY: the context argument was checked above; the doubles check that buffer
    // arguments lie in the program's context or stack before touching them.
    unsafe { (info.call)(regs) }
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
