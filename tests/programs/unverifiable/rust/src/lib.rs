//! Programs the verifier refuses (see `Cargo.toml`). Each is otherwise sound Rust:
//! the mistakes are the verifier's rules, not the language's.
#![cfg_attr(not(test), no_std)]

use ebpf_nethooks::maps::HashMap;
use ebpf_nethooks::*;

ebpf_nethooks::map! {
    /// Process ID -> verdict.
    pub static POLICY: HashMap<u64, u32> = HashMap::with_max_entries(64, 0);
}

/// Reads a lookup's value through `unwrap_unchecked`: the compiler then drops the
/// null check that the verifier needs.
#[bind_hook]
pub fn unchecked_policy(ctx: &mut bind_md_t) -> bind_action_t {
    // SAFETY: not sound when the process has no rule; the verifier refuses it.
    let verdict = unsafe { *POLICY.get_ptr(&ctx.process_id()).unwrap_unchecked() };
    if verdict == 1 {
        bind_action_t::BIND_DENY
    } else {
        bind_action_t::BIND_PERMIT_SOFT
    }
}

/// Loops as many times as the context's port says: no bound the verifier can see.
#[sock_ops_hook]
pub fn port_count_loop(ctx: &mut bpf_sock_ops_t) -> i32 {
    let mut total = 0u32;
    for _ in 0..ctx.local_port() {
        total = total.wrapping_add(helpers::prandom_u32());
    }
    (total & 1) as i32
}

/// Reads the 8 bytes after the context.
#[bind_hook]
pub fn past_the_context(ctx: &mut bind_md_t) -> bind_action_t {
    let past = (ctx as *const bind_md_t).wrapping_add(1).cast::<u64>();
    // SAFETY: not sound; the verifier refuses it.
    if unsafe { past.read_volatile() } == 0 {
        bind_action_t::BIND_DENY
    } else {
        bind_action_t::BIND_PERMIT_SOFT
    }
}

/// Two entry points, `audit_connect_connect4` and `audit_connect_connect6`, that read
/// past the context.
#[sock_addr_hook(connect4, connect6)]
pub fn audit_connect(ctx: &mut bpf_sock_addr_t) -> ebpf_sock_addr_verdict_t {
    let past = (ctx as *const bpf_sock_addr_t)
        .wrapping_add(1)
        .cast::<u32>();
    // SAFETY: not sound; the verifier refuses it.
    if unsafe { past.read_volatile() } == 0 {
        ebpf_sock_addr_verdict_t::BPF_SOCK_ADDR_VERDICT_REJECT
    } else {
        ebpf_sock_addr_verdict_t::BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT
    }
}
