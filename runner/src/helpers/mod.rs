//! The helper environment: every helper a program may call, implemented once and
//! reached through one exhaustive `match` over the bindings' [`HelperId`]
//! (`call`), so a helper the spec adds and nobody implements does not compile.
//! Two entries lead there: the VM's (`dispatch`, for the interpreter and the
//! JIT's trampolines) and the host's ([`host_dispatch`], which [`install`] puts into
//! the bindings' raw seam, `testing::set_dispatch`, for a Rust program run natively).
//!
//! - [`hooks`]: the hooks' helpers of the spec (flow ID, network context, redirect
//!   context);
//! - the general helpers of eBPF for Windows (`bpf_helper_defs.h`), whose IDs, names
//!   and parameters come from the generated table
//!   (`ebpf_nethooks_bindings::general::abi::HELPERS`, re-exported by
//!   `ebpf_nethooks_maps::helpers`): [`map_helpers`], [`memory`], [`environment`],
//!   [`printk`], with the environment's data in [`host_state`]. Each parameter's [`ParamKind`] ([`params`]) says how [`args`]
//!   reads its register; [`args::invoke`] decodes and checks the arguments (buffers
//!   must lie in the program's context, stack, global data or map values), records
//!   the call, then runs the implementation;
//! - `session`: the run in progress, which the one entry hands each helper as a
//!   [`Session`] and the helpers record into ([`record`]); [`state`]: what runs of a
//!   loaded program keep; [`helper`]: a helper of either table, by its row.

pub mod args;
pub mod environment;
pub mod helper;
pub mod hooks;
pub mod host_state;
pub mod map_helpers;
pub mod memory;
pub mod params;
pub mod printk;
pub mod record;
pub(crate) mod session;
pub mod state;

pub use ebpf_nethooks_bindings::HelperId;
use ebpf_nethooks_bindings::testing::{self, regs};

pub use args::{Args, Implementation};
pub use ebpf_nethooks_maps::helpers::{
    HELPERS as GENERAL_HELPERS, HelperInfo, by_id, by_name, returns_int,
};
pub use helper::Helper;
pub use host_state::{Environment, HostState};
pub use params::ParamKind;
pub use record::{Arg, HelperCall, RingRecord};
pub use session::Session;

use environment as env;
use map_helpers as maps;

/// Calls helper `id` with r1..r5 and returns r0: the one place that says which
/// implementation serves which helper. No `_` arm: a new helper must be served here.
pub(crate) fn call(s: &mut Session, id: HelperId, r: [u64; 5]) -> u64 {
    use HelperId as H;
    let invoke =
        |s: &mut Session, implementation: Implementation| args::invoke(s, id, r, implementation);
    match id {
        H::bpf_sock_addr_set_redirect_context => {
            regs::bpf_sock_addr_set_redirect_context(r, |ctx, data, size| {
                hooks::set_redirect_context(s, ctx, data, size)
            })
        }
        H::bpf_sock_addr_get_network_context => {
            regs::bpf_sock_addr_get_network_context(r, |ctx, out, size| {
                hooks::get_network_context(s, ctx, out, size)
            })
        }
        H::bpf_sock_ops_get_flow_id => {
            regs::bpf_sock_ops_get_flow_id(r, |ctx| hooks::get_flow_id(s, ctx))
        }
        H::bpf_map_lookup_elem => invoke(s, maps::lookup_elem),
        H::bpf_map_update_elem => invoke(s, maps::update_elem),
        H::bpf_map_delete_elem => invoke(s, maps::delete_elem),
        H::bpf_map_lookup_and_delete_elem => invoke(s, maps::lookup_and_delete_elem),
        H::bpf_tail_call => invoke(s, maps::tail_call),
        H::bpf_get_prandom_u32 => invoke(s, env::get_prandom_u32),
        H::bpf_ktime_get_boot_ns => invoke(s, env::ktime_get_boot_ns),
        H::bpf_get_smp_processor_id => invoke(s, env::get_smp_processor_id),
        H::bpf_ktime_get_ns => invoke(s, env::ktime_get_ns),
        H::bpf_csum_diff => invoke(s, memory::csum_diff),
        H::bpf_ringbuf_output => invoke(s, maps::ringbuf_output),
        H::bpf_trace_printk2
        | H::bpf_trace_printk3
        | H::bpf_trace_printk4
        | H::bpf_trace_printk5 => invoke(s, printk::trace_printk),
        H::bpf_map_push_elem => invoke(s, maps::push_elem),
        H::bpf_map_pop_elem => invoke(s, maps::pop_elem),
        H::bpf_map_peek_elem => invoke(s, maps::peek_elem),
        H::bpf_get_current_pid_tgid => invoke(s, env::get_current_pid_tgid),
        H::bpf_get_current_logon_id => invoke(s, env::get_current_logon_id),
        H::bpf_is_current_admin => invoke(s, env::is_current_admin),
        H::bpf_memcpy_s => invoke(s, memory::memcpy_s),
        H::bpf_memcmp_s => invoke(s, memory::memcmp_s),
        H::bpf_memset => invoke(s, memory::memset),
        H::bpf_memmove_s => invoke(s, memory::memmove_s),
        H::bpf_get_socket_cookie => invoke(s, env::get_socket_cookie),
        H::bpf_strncpy_s => invoke(s, memory::strncpy_s),
        H::bpf_strncat_s => invoke(s, memory::strncat_s),
        H::bpf_strnlen_s => invoke(s, memory::strnlen_s),
        H::bpf_ktime_get_boot_ms => invoke(s, env::ktime_get_boot_ms),
        H::bpf_ktime_get_ms => invoke(s, env::ktime_get_ms),
        H::bpf_perf_event_output => invoke(s, maps::perf_event_output),
        H::bpf_get_current_process_start_key => invoke(s, env::get_current_process_start_key),
        H::bpf_get_current_thread_create_time => invoke(s, env::get_current_thread_create_time),
        H::bpf_redirect_map => invoke(s, env::redirect_map),
    }
}

/// Calls `helper` from the VM with r1..r5: for a hook's helper, first checks that a
/// context argument is the program's own context (its implementation dereferences
/// it); a general helper checks its own arguments. A bad argument records a fault.
pub(crate) fn dispatch(helper: Helper, regs: [u64; 5]) -> u64 {
    session::with_session(|s| {
        if !helper.general && !hooks::context_args_ok(s, helper.info, regs) {
            return u64::MAX;
        }
        call(s, helper.which, regs)
    })
}

/// The host's entry: a Rust program run natively calls each helper's binding, which
/// without a typed double comes here through the bindings' seam. No context check:
/// the program passes its own context by construction.
pub fn host_dispatch(id: HelperId, regs: [u64; 5]) -> u64 {
    session::with_session(|s| call(s, id, regs))
}

/// Calls general helper `id` with r1..r5 through `implementation` on this thread's
/// run, recording it as the runner's own helpers do: for a host test's typed double
/// that stands in for one of them.
pub fn invoke(id: HelperId, regs: [u64; 5], implementation: Implementation) -> u64 {
    session::with_session(|s| args::invoke(s, id, regs, implementation))
}

/// Installs [`host_dispatch`] as the bindings' raw seam for every thread, so a Rust
/// program run on the host reaches the same implementations as the VM.
pub fn install() {
    testing::set_dispatch(Some(host_dispatch));
}

#[cfg(test)]
mod dispatch_tests;
#[cfg(test)]
mod general_tests;
