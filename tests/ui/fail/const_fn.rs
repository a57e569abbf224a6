use ebpf_nethooks::*;

#[sock_ops_hook]
const fn program(ctx: &mut bpf_sock_ops_t) -> i32 {
    let _ = ctx;
    0
}

fn main() {}
