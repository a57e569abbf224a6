use ebpf_nethooks::hooks::{Connect6, Context};
use ebpf_nethooks::*;

#[sock_addr_hook(connect4)]
fn program(ctx: Context<'_, Connect6>) -> ebpf_sock_addr_verdict_t {
    let _ = ctx;
    ebpf_sock_addr_verdict_t::BPF_SOCK_ADDR_VERDICT_REJECT
}

fn main() {}
