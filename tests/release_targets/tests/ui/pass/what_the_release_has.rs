use ebpf_nethooks::hooks::{Context, Sockops};
use ebpf_nethooks::*;

// BIND_PERMIT_HARD came with 1.1.0 and the flow ID helper with 1.2.1: both are here.
#[bind_hook]
fn hard(ctx: &mut bind_md_t) -> bind_action_t {
    let _ = ctx;
    bind_action_t::BIND_PERMIT_HARD
}

#[sock_ops_hook]
fn flows(mut ctx: Context<'_, Sockops>) -> i32 {
    if ctx.bpf_sock_ops_get_flow_id() == 0 { -1 } else { 0 }
}

#[sock_addr_hook(connect4, recv_accept4)]
fn allow(ctx: &mut bpf_sock_addr_t) -> ebpf_sock_addr_verdict_t {
    let _ = ctx;
    ebpf_sock_addr_verdict_t::BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT
}

fn main() {
    testing::set_bpf_sock_ops_get_flow_id(Some(|_| 7));
    assert_eq!(unsafe { hard(&mut bind_md_t::default()) }, bind_action_t::BIND_PERMIT_HARD);
    assert_eq!(unsafe { flows(&mut bpf_sock_ops_t::default()) }, 0);
    let _ = unsafe { allow_connect4(&mut bpf_sock_addr_t::default()) };
    // 1.2.1's sock_addr hook has four attach types.
    let sock_addr = abi::HOOKS.iter().find(|h| h.name == "sock_addr_hook_t").unwrap();
    assert_eq!(sock_addr.attach_types.len(), 4);
}
