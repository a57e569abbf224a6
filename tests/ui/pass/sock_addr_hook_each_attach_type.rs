//! One typed program per sock_addr attach type, each calling exactly the helpers
//! available there, and one program placed at every attach type at once
//! (`tests/fixtures_follow_spec.rs` checks these lists against the spec).
use ebpf_nethooks::hooks::*;
use ebpf_nethooks::*;

use ebpf_sock_addr_verdict_t::*;

#[sock_addr_hook(connect4)]
fn at_connect4(mut ctx: Context<'_, Connect4>) -> ebpf_sock_addr_verdict_t {
    ctx.bpf_sock_addr_set_redirect_context(b"proxy");
    BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT
}

#[sock_addr_hook(connect6)]
fn at_connect6(mut ctx: Context<'_, Connect6>) -> ebpf_sock_addr_verdict_t {
    ctx.bpf_sock_addr_set_redirect_context(b"proxy");
    BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT
}

#[sock_addr_hook(recv_accept4)]
fn at_recv_accept4(mut ctx: Context<'_, RecvAccept4>) -> ebpf_sock_addr_verdict_t {
    let mut network = bpf_sock_addr_network_context_t::default();
    ctx.bpf_sock_addr_get_network_context(&mut network);
    BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT
}

#[sock_addr_hook(recv_accept6)]
fn at_recv_accept6(mut ctx: Context<'_, RecvAccept6>) -> ebpf_sock_addr_verdict_t {
    let mut network = bpf_sock_addr_network_context_t::default();
    ctx.bpf_sock_addr_get_network_context(&mut network);
    BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT
}

#[sock_addr_hook(connect_authorization4)]
fn at_connect_authorization4(
    mut ctx: Context<'_, ConnectAuthorization4>,
) -> ebpf_sock_addr_verdict_t {
    let mut network = bpf_sock_addr_network_context_t::default();
    ctx.bpf_sock_addr_get_network_context(&mut network);
    ctx.bpf_sock_addr_set_redirect_context(&[1u8, 2, 3]);
    BPF_SOCK_ADDR_VERDICT_PROCEED_HARD
}

#[sock_addr_hook(connect_authorization6)]
fn at_connect_authorization6(
    mut ctx: Context<'_, ConnectAuthorization6>,
) -> ebpf_sock_addr_verdict_t {
    let mut network = bpf_sock_addr_network_context_t::default();
    ctx.bpf_sock_addr_get_network_context(&mut network);
    ctx.bpf_sock_addr_set_redirect_context(&[1u8, 2, 3]);
    BPF_SOCK_ADDR_VERDICT_PROCEED_HARD
}

#[sock_addr_hook(bind4)]
fn at_bind4(mut ctx: Context<'_, Bind4>) -> ebpf_sock_addr_verdict_t {
    let mut network = bpf_sock_addr_network_context_t::default();
    ctx.bpf_sock_addr_get_network_context(&mut network);
    ctx.bpf_sock_addr_set_redirect_context(&0u32);
    BPF_SOCK_ADDR_VERDICT_REJECT
}

#[sock_addr_hook(bind6)]
fn at_bind6(mut ctx: Context<'_, Bind6>) -> ebpf_sock_addr_verdict_t {
    let mut network = bpf_sock_addr_network_context_t::default();
    ctx.bpf_sock_addr_get_network_context(&mut network);
    ctx.bpf_sock_addr_set_redirect_context(&0u32);
    BPF_SOCK_ADDR_VERDICT_REJECT
}

#[sock_addr_hook(listen4)]
fn at_listen4(mut ctx: Context<'_, Listen4>) -> ebpf_sock_addr_verdict_t {
    let mut network = bpf_sock_addr_network_context_t::default();
    ctx.bpf_sock_addr_get_network_context(&mut network);
    ctx.bpf_sock_addr_set_redirect_context(&0u32);
    BPF_SOCK_ADDR_VERDICT_REJECT
}

#[sock_addr_hook(listen6)]
fn at_listen6(mut ctx: Context<'_, Listen6>) -> ebpf_sock_addr_verdict_t {
    let mut network = bpf_sock_addr_network_context_t::default();
    ctx.bpf_sock_addr_get_network_context(&mut network);
    ctx.bpf_sock_addr_set_redirect_context(&0u32);
    BPF_SOCK_ADDR_VERDICT_REJECT
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
fn everywhere(ctx: &mut bpf_sock_addr_t) -> ebpf_sock_addr_verdict_t {
    if ctx.user_port() == 0 {
        BPF_SOCK_ADDR_VERDICT_REJECT
    } else {
        BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT
    }
}

fn fill_network_context(_: *mut bpf_sock_addr_t, out: *mut core::ffi::c_void, size: u32) -> i32 {
    assert_eq!(
        size as usize,
        core::mem::size_of::<bpf_sock_addr_network_context_t>()
    );
    unsafe { (*out.cast::<bpf_sock_addr_network_context_t>()).set_version(1) };
    0
}

fn accept_redirect(_: *mut bpf_sock_addr_t, _: *mut core::ffi::c_void, size: u32) -> i32 {
    assert!(size <= 5);
    0
}

fn main() {
    testing::set_bpf_sock_addr_get_network_context(Some(fill_network_context));
    testing::set_bpf_sock_addr_set_redirect_context(Some(accept_redirect));
    let mut ctx = bpf_sock_addr_t::default();
    let single: [sock_addr_hook_t; 10] = [
        at_connect4,
        at_connect6,
        at_recv_accept4,
        at_recv_accept6,
        at_connect_authorization4,
        at_connect_authorization6,
        at_bind4,
        at_bind6,
        at_listen4,
        at_listen6,
    ];
    for entry in single {
        let _ = unsafe { entry(&mut ctx) };
    }
    let all: [sock_addr_hook_t; 10] = [
        everywhere_connect4,
        everywhere_connect6,
        everywhere_recv_accept4,
        everywhere_recv_accept6,
        everywhere_connect_authorization4,
        everywhere_connect_authorization6,
        everywhere_bind4,
        everywhere_bind6,
        everywhere_listen4,
        everywhere_listen6,
    ];
    ctx.set_user_port(443u16.to_be());
    for entry in all {
        assert_eq!(
            unsafe { entry(&mut ctx) },
            BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT
        );
    }
    // With several attach types the program stays an ordinary function too.
    assert_eq!(everywhere(&mut ctx), BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT);
}
