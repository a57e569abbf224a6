//! The Rust twins of the C test programs in `tests/programs/`: one policy per C
//! program, same logic, written as a hook author would with the attributes and the
//! typed contexts. Each attribute turns its function into an `extern "C"` entry point
//! in its hook's ELF section, so the same crate runs natively on the host and, built
//! by `cargo nethooks build`, as a BPF object.
#![no_std]

use ebpf_nethooks::hooks::{Bind4, Connect4, ConnectAuthorization4, Context, Sockops};
use ebpf_nethooks::{
    BPF_SOCK_ADDR_NETWORK_CONTEXT_VERSION, bind_action_t, bind_hook, bind_md_t, bind_operation_t,
    bpf_sock_addr_network_context_t, bpf_sock_addr_t, bpf_sock_op_type_t, ebpf_sock_addr_verdict_t,
    sock_addr_hook, sock_ops_hook,
};

use ebpf_sock_addr_verdict_t::{
    BPF_SOCK_ADDR_VERDICT_PROCEED_HARD as HARD, BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT as SOFT,
    BPF_SOCK_ADDR_VERDICT_REJECT as REJECT,
};

#[bind_hook]
pub fn bind_policy(ctx: &mut bind_md_t) -> bind_action_t {
    if ctx.operation() != bind_operation_t::BIND_OPERATION_BIND {
        return bind_action_t::BIND_PERMIT_SOFT;
    }
    let mut address = ctx.socket_address();
    let port = u16::from_be_bytes([address[2], address[3]]);
    if port == 23 || (port == 0 && ctx.protocol() == 17) {
        return bind_action_t::BIND_DENY;
    }
    if port == 8080 {
        address[2..4].copy_from_slice(&80u16.to_be_bytes());
        ctx.set_socket_address(address);
        return bind_action_t::BIND_REDIRECT;
    }
    if ctx.process_id() == 4 {
        return bind_action_t::BIND_PERMIT_HARD;
    }
    bind_action_t::BIND_PERMIT_SOFT
}

#[sock_addr_hook(connect4)]
pub fn connect4_policy(ctx: &mut bpf_sock_addr_t) -> ebpf_sock_addr_verdict_t {
    let ip = u32::from_be(ctx.user_ip4());
    let port = u16::from_be(ctx.user_port());
    let source_port = u16::from_be(ctx.msg_src_port());
    if port == 0 || ip == u32::MAX || (ip >> 24 == 10 && port == 22) {
        return REJECT;
    }
    if port == 443 && source_port < 1024 && ctx.msg_src_ip4() != 0 {
        return HARD;
    }
    SOFT
}

#[sock_addr_hook(connect6)]
pub fn connect6_policy(ctx: &mut bpf_sock_addr_t) -> ebpf_sock_addr_verdict_t {
    let [w0, w1, w2, w3] = ctx.user_ip6().map(u32::from_be);
    let port = u16::from_be(ctx.user_port());
    if (w0 & w1 & w2 & w3) == u32::MAX || port == 65535 || w0 >> 22 == 0xfe80 >> 6 {
        return REJECT;
    }
    if u32::from_be(ctx.msg_src_ip6()[0]) == 0x2001_0db8 {
        return REJECT;
    }
    if w0 == 0 && w1 == 0 && w2 == 0xFFFF && w3 >> 24 == 127 {
        return HARD;
    }
    SOFT
}

#[sock_addr_hook(connect_authorization4)]
pub fn connect_authorization_policy(
    mut ctx: Context<'_, ConnectAuthorization4>,
) -> ebpf_sock_addr_verdict_t {
    let mut network = bpf_sock_addr_network_context_t::default();
    if ctx.bpf_sock_addr_get_network_context(&mut network) < 0
        || network.version() != BPF_SOCK_ADDR_NETWORK_CONTEXT_VERSION as u32
    {
        return REJECT;
    }
    if network.tunnel_type() != 0 && u16::from_be(ctx.user_port()) != 443 {
        return REJECT;
    }
    if network.interface_type() == u32::MAX {
        return SOFT;
    }
    HARD
}

#[sock_addr_hook(connect4)]
pub fn redirect_context_policy(mut ctx: Context<'_, Connect4>) -> ebpf_sock_addr_verdict_t {
    if u16::from_be(ctx.user_port()) != 80 {
        return SOFT;
    }
    // The C program's `original_destination_t`: address, port, two reserved bytes.
    let mut original = [0u8; 8];
    original[..4].copy_from_slice(&ctx.user_ip4().to_ne_bytes());
    original[4..6].copy_from_slice(&ctx.user_port().to_ne_bytes());
    if ctx.bpf_sock_addr_set_redirect_context(&original) != 0 {
        return REJECT;
    }
    HARD
}

#[sock_addr_hook(bind4)]
pub fn bind4_helpers_policy(mut ctx: Context<'_, Bind4>) -> ebpf_sock_addr_verdict_t {
    let mut network = bpf_sock_addr_network_context_t::default();
    if ctx.bpf_sock_addr_get_network_context(&mut network) != 0 {
        return REJECT;
    }
    if network.version() != BPF_SOCK_ADDR_NETWORK_CONTEXT_VERSION as u32
        || network.interface_type() != (ctx.interface_luid() >> 48) as u32
        || network.next_hop_interface_luid() != 0
        || network.sub_interface_index() != 0
    {
        return REJECT;
    }
    if ebpf_nethooks::helpers::socket_cookie(&ctx) != 0 {
        return REJECT;
    }
    if ctx.bpf_sock_addr_set_redirect_context(&[1u8, 2, 3, 4]) != -1 {
        return REJECT;
    }
    if network.interface_type() == 24 {
        return HARD;
    }
    if u16::from_be(ctx.user_port()) < 1024 {
        return REJECT;
    }
    SOFT
}

#[sock_ops_hook]
pub fn sockops_flow(mut ctx: Context<'_, Sockops>) -> i32 {
    match ctx.op() {
        bpf_sock_op_type_t::BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB => {
            (ctx.bpf_sock_ops_get_flow_id() & 1) as i32
        }
        bpf_sock_op_type_t::BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB => {
            i32::from(u32::from_be(ctx.remote_port()) == 22)
        }
        bpf_sock_op_type_t::BPF_SOCK_OPS_CONNECTION_DELETED_CB => 0,
        _ => -1,
    }
}
