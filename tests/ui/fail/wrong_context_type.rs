use ebpf_nethooks::*;

#[bind_hook]
fn program(ctx: &mut bpf_sock_ops_t) -> bind_action_t {
    let _ = ctx;
    bind_action_t::BIND_DENY
}

fn main() {}
