//! The JIT's helper entries: rbpf calls a helper through a plain function pointer
//! with no way to say which helper or which run, so each slot gets its own entry (on
//! x86_64 naked assembly that also realigns the stack) that finds its helper in the
//! run's session and calls its double.

use crate::exec::probe;
use crate::helpers;
use crate::helpers::session;

/// How many helper entries there are: one per helper a program calls, plus the probe.
pub const SLOT_COUNT: usize = 32;

/// The trampoline slot of the stack probe; slots below it serve the called helpers.
pub const STACK_PROBE_SLOT: usize = SLOT_COUNT - 1;

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
pub const JIT_TRAMPOLINES: [rbpf::ebpf::Helper; SLOT_COUNT] = {
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
pub const JIT_TRAMPOLINES: [rbpf::ebpf::Helper; SLOT_COUNT] = TRAMPOLINES;

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
        return probe::reached(regs);
    }
    let Some(helper) = session::helper_in_slot(slot) else {
        session::fault(format!("helper slot {slot} is not in use"));
        return u64::MAX;
    };
    helpers::dispatch(helper, regs)
}
