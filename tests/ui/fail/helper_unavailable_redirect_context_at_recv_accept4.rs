use ebpf_nethooks::hooks::{Context, RecvAccept4};
use ebpf_nethooks::*;

#[sock_addr_hook(recv_accept4)]
fn program(mut ctx: Context<'_, RecvAccept4>) -> ebpf_sock_addr_verdict_t {
    ctx.bpf_sock_addr_set_redirect_context(b"proxy:8080");
    ebpf_sock_addr_verdict_t::BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT
}

fn main() {}
