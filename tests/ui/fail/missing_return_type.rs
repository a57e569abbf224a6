use ebpf_nethooks::*;

#[sock_addr_hook(connect4)]
fn program(ctx: &mut bpf_sock_addr_t) {
    let _ = ctx;
}

fn main() {}
