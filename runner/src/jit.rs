//! rbpf's JIT: which programs it can run, and running one. The JIT checks no memory
//! access and cannot be stopped, so it runs only code it fully supports, and only on
//! an input that the checking interpreter ran cleanly within the budget (see
//! `vm::run`): a deterministic program with deterministic helper doubles then takes
//! the same path, makes the same accesses and ends within the same budget.

use std::cell::{Cell, RefCell};
use std::panic::AssertUnwindSafe;

use ebpf_nethooks_bindings::abi;

use crate::doubles;
use crate::error::RunError;
use crate::isa::{self, CALL, Insn, LD_DW_IMM};

/// Whether rbpf has a JIT for this platform (x86_64, not Windows).
pub const JIT_AVAILABLE: bool = cfg!(all(target_arch = "x86_64", not(windows)));

/// Why rbpf's JIT cannot run `code` (linked, checked, global-data loads patched),
/// or `None`. `called` are the indices in `abi::HELPERS` of the helpers it calls.
pub fn blocker(code: &[u8], called: &[usize]) -> Option<String> {
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

fn with_probe(code: &[u8]) -> Vec<u8> {
    STACK_PROBE.iter().flatten().chain(code).copied().collect()
}

fn register(
    vm: &mut rbpf::EbpfVmRaw<'_>,
    called: &[usize],
    trampolines: [rbpf::ebpf::Helper; SLOT_COUNT],
) -> Result<(), RunError> {
    let vm_error = |e: std::io::Error| RunError::Vm {
        engine: "JIT",
        why: without_probe(e.to_string().trim_start_matches("Error: ")),
    };
    if called.len() > STACK_PROBE_SLOT {
        return Err(RunError::Vm {
            engine: "JIT",
            why: format!(
                "the program calls {} different helpers; the runner routes at most {STACK_PROBE_SLOT}",
                called.len()
            ),
        });
    }
    for (&index, trampoline) in called.iter().zip(trampolines) {
        vm.register_helper(abi::HELPERS[index].id as u32, trampoline)
            .map_err(vm_error)?;
    }
    vm.register_helper(STACK_PROBE_ID as u32, trampolines[STACK_PROBE_SLOT])
        .map_err(vm_error)
}

/// Runs `code` (as in [`blocker`], which must have found nothing) in rbpf's JIT on `mem`.
///
/// # Safety
/// The checking interpreter must have run the same code on the same input (context
/// bytes, global data, helper doubles) cleanly: the JIT checks no access.
pub unsafe fn execute(code: &[u8], called: &[usize], mem: &mut [u8]) -> Result<u64, RunError> {
    let vm_error = |e: std::io::Error| RunError::Vm {
        engine: "JIT",
        why: without_probe(e.to_string().trim_start_matches("Error: ")),
    };
    SLOTS.with(|slots| *slots.borrow_mut() = called.to_vec());
    let code = with_probe(code);
    let mut vm = rbpf::EbpfVmRaw::new(Some(&code)).map_err(vm_error)?;
    register(&mut vm, called, JIT_TRAMPOLINES)?;
    quietly(|| compile(&mut vm))
        .map_err(|why| RunError::Vm { engine: "JIT", why })?
        .map_err(vm_error)?;
    // SAFETY: the caller's guarantee.
    unsafe { run_compiled(&mut vm, mem) }.map_err(vm_error)
}

#[cfg(all(target_arch = "x86_64", not(windows)))]
fn compile(vm: &mut rbpf::EbpfVmRaw<'_>) -> Result<(), std::io::Error> {
    vm.jit_compile()
}

#[cfg(all(target_arch = "x86_64", not(windows)))]
unsafe fn run_compiled<'a>(
    vm: &mut rbpf::EbpfVmRaw<'a>,
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
    _vm: &mut rbpf::EbpfVmRaw<'a>,
    _mem: &'a mut [u8],
) -> Result<u64, std::io::Error> {
    Err(std::io::Error::other("rbpf has no JIT on this platform"))
}

/// Helper ID of the stack probe the runner puts in front of every program.
const STACK_PROBE_ID: i64 = 0x7FFF_FFF0;

/// Put in front of every program: `r2 = r10; call STACK_PROBE; r1 = r0` tells the
/// runner where the stack is (helpers get no r10) and restores r1, the context, which
/// the probe returns; then the stack and r0, r2..r9 are zeroed, as the interpreter
/// starts them, so that code reading them before writing takes the same path in
/// both engines. Jumps and calls are relative, so the program after it needs no change.
const STACK_PROBE: [[u8; 8]; 17] = {
    const fn mov0(reg: u8) -> [u8; 8] {
        [0xb7, reg, 0, 0, 0, 0, 0, 0]
    }
    let id = (STACK_PROBE_ID as i32).to_le_bytes();
    let minus_512 = (-512i32).to_le_bytes();
    [
        [0xbf, 0xa2, 0, 0, 0, 0, 0, 0],
        [CALL, 0, 0, 0, id[0], id[1], id[2], id[3]],
        [0xbf, 0x01, 0, 0, 0, 0, 0, 0],
        // r2 = r10 - 512; do { *(u64 *)r2 = 0; r2 += 8 } while (r2 != r10)
        [0xbf, 0xa2, 0, 0, 0, 0, 0, 0],
        [
            0x07,
            0x02,
            0,
            0,
            minus_512[0],
            minus_512[1],
            minus_512[2],
            minus_512[3],
        ],
        [0x7a, 0x02, 0, 0, 0, 0, 0, 0],
        [0x07, 0x02, 0, 0, 8, 0, 0, 0],
        [0x5d, 0xa2, 0xfd, 0xff, 0, 0, 0, 0],
        mov0(0),
        mov0(2),
        mov0(3),
        mov0(4),
        mov0(5),
        mov0(6),
        mov0(7),
        mov0(8),
        mov0(9),
    ]
};

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

#[cfg(not(all(target_arch = "x86_64", not(windows))))]
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

#[cfg(not(all(target_arch = "x86_64", not(windows))))]
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
    /// Saves the caller's stack pointer and argument registers, aligns the stack,
    /// calls `dispatch` with the slot as a sixth argument, and returns its r0.
    #[unsafe(naked)]
    pub extern "sysv64" fn entry<const SLOT: u64>(_: u64, _: u64, _: u64, _: u64, _: u64) -> u64 {
        // eBPF r1..r5 live in rdi, rsi, rdx, r9, r8: kept across the call, as the
        // interpreter keeps them, so both engines take the same path.
        core::arch::naked_asm!(
            "push rbp",
            "mov rbp, rsp",
            "push rdi",
            "push rsi",
            "push rdx",
            "push r8",
            "push r9",
            "and rsp, -16",
            "mov r9, {slot}",
            "call {dispatch}",
            "lea rsp, [rbp - 40]",
            "pop r9",
            "pop r8",
            "pop rdx",
            "pop rsi",
            "pop rdi",
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
    crate::vm::call_helper(index, regs)
}
