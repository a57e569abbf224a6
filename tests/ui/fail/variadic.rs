use ebpf_nethooks::*;

#[sock_ops_hook]
fn program(ctx: &mut bpf_sock_ops_t, _: ...) -> i32 {
    let _ = ctx;
    0
}

fn main() {}
