//! One program per hook and attach type. `tests/hook_sections.rs` expects, for a hook
//! whose attribute is `A`, the entry point `A_program` when the hook has one attach
//! type, and `A_program_<attach type>` for each attach type otherwise; each in its
//! attach type's section and nothing else there. `tests/fixtures_follow_spec.rs` fails,
//! naming the attach types, when the lists here differ from the spec's.
#![no_std]

use ebpf_nethooks::*;

#[bind_hook]
pub fn bind_hook_program(ctx: &mut bind_md_t) -> bind_action_t {
    if ctx.protocol() == 6 {
        bind_action_t::BIND_DENY
    } else {
        bind_action_t::BIND_PERMIT_SOFT
    }
}

#[sock_addr_hook(
    connect4,
    connect6,
    recv_accept4,
    recv_accept6,
    connect_authorization4,
    connect_authorization6,
    bind4,
    bind6,
    listen4,
    listen6
)]
pub fn sock_addr_hook_program(ctx: &mut bpf_sock_addr_t) -> ebpf_sock_addr_verdict_t {
    if ctx.user_port() == 0 {
        ebpf_sock_addr_verdict_t::BPF_SOCK_ADDR_VERDICT_REJECT
    } else {
        ebpf_sock_addr_verdict_t::BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT
    }
}

#[sock_ops_hook]
pub fn sock_ops_hook_program(ctx: &mut bpf_sock_ops_t) -> i32 {
    (ctx.op() == bpf_sock_op_type_t::BPF_SOCK_OPS_CONNECTION_DELETED_CB) as i32
}

/// Not a program: must stay out of every hook section.
#[inline(never)]
pub fn helper_function(x: u32) -> u32 {
    x.wrapping_mul(3)
}
