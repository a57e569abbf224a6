//! Twin of `process_counters.c`: per-process bind accounting. Counters in a hash
//! keyed by the process ID (the high half of `bpf_get_current_pid_tgid`), created
//! with `BPF_NOEXIST` at a process's first bind and stamped with `bpf_ktime_get_ns`;
//! totals by operation in a per-CPU array. A process holding [`QUOTA`] (`.data`)
//! bound sockets is denied another until it unbinds.

use core::sync::atomic::{AtomicU64, Ordering};

use ebpf_nethooks::general::{bpf_get_current_pid_tgid, bpf_ktime_get_ns};
use ebpf_nethooks::maps::{
    BPF_NOEXIST, FromBytes, HashMap, Immutable, IntoBytes, KnownLayout, PerCpuArray,
};
use ebpf_nethooks::{bind_action_t, bind_hook, bind_md_t, bind_operation_t};

/// One process's counters.
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout,
)]
pub struct Counters {
    pub binds: u64,
    pub unbinds: u64,
    pub first_ns: u64,
    pub last_ns: u64,
}

ebpf_nethooks::map! {
    /// Process ID -> its counters. Named as in C: the names are the maps'.
    #[allow(non_upper_case_globals)]
    pub static per_process: HashMap<u32, Counters> = HashMap::with_max_entries(128, 0);
    /// Calls by `bind_operation_t` value.
    #[allow(non_upper_case_globals)]
    pub static totals: PerCpuArray<u64> = PerCpuArray::with_max_entries(3, 0);
}

/// Bound sockets a process may hold; not 0, so in `.data`, which a loader may change.
pub static QUOTA: AtomicU64 = AtomicU64::new(2);

/// Counts the call and permits the bind softly unless the process is at its quota.
#[bind_hook]
pub fn process_counters(ctx: &mut bind_md_t) -> bind_action_t {
    use bind_action_t::*;
    // SAFETY: the helper takes no arguments.
    let pid = (unsafe { bpf_get_current_pid_tgid() } >> 32) as u32;
    let op = ctx.operation().0 as u32;
    if let Some(total) = totals.get_ptr_mut(op) {
        // SAFETY: a per-CPU value, written only by programs on this CPU, one at a time.
        unsafe { *total = (*total).wrapping_add(1) };
    }
    let counters = match per_process.get_ptr_mut(&pid) {
        Some(counters) => counters,
        None => {
            let fresh = Counters {
                // SAFETY: the helper takes no arguments.
                first_ns: unsafe { bpf_ktime_get_ns() },
                ..Counters::default()
            };
            if per_process.insert(&pid, &fresh, BPF_NOEXIST).is_err() {
                return BIND_DENY;
            }
            match per_process.get_ptr_mut(&pid) {
                Some(counters) => counters,
                None => return BIND_DENY,
            }
        }
    };
    // SAFETY: `counters` is the live value of `pid`; no insert or remove of it
    // follows in this run, and a concurrent bind of the same process may lose a
    // count, as in C.
    unsafe {
        (*counters).last_ns = bpf_ktime_get_ns();
        if op == bind_operation_t::BIND_OPERATION_UNBIND.0 as u32 {
            (*counters).unbinds = (*counters).unbinds.wrapping_add(1);
            return BIND_PERMIT_SOFT;
        }
        if (*counters).binds.wrapping_sub((*counters).unbinds) >= QUOTA.load(Ordering::Relaxed) {
            return BIND_DENY;
        }
        (*counters).binds = (*counters).binds.wrapping_add(1);
    }
    BIND_PERMIT_SOFT
}
