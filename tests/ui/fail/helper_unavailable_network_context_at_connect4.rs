use ebpf_nethooks::hooks::{Connect4, Context};
use ebpf_nethooks::*;

#[sock_addr_hook(connect4)]
fn program(mut ctx: Context<'_, Connect4>) -> ebpf_sock_addr_verdict_t {
    let mut network = bpf_sock_addr_network_context_t::default();
    ctx.bpf_sock_addr_get_network_context(&mut network);
    ebpf_sock_addr_verdict_t::BPF_SOCK_ADDR_VERDICT_REJECT
}

fn main() {}
