use ebpf_nethooks::*;

// cgroup/listen4 came with 1.3.0; this crate targets 1.2.1.
#[sock_addr_hook(listen4)]
fn on_listen(ctx: &mut bpf_sock_addr_t) -> ebpf_sock_addr_verdict_t {
    let _ = ctx;
    ebpf_sock_addr_verdict_t::BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT
}

fn main() {}
