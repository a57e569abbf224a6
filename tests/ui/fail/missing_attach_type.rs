use ebpf_nethooks::*;

#[sock_addr_hook]
fn program(ctx: &mut bpf_sock_addr_t) -> ebpf_sock_addr_verdict_t {
    let _ = ctx;
    ebpf_sock_addr_verdict_t::BPF_SOCK_ADDR_VERDICT_REJECT
}

fn main() {}
