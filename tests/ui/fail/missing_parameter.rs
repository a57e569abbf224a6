use ebpf_nethooks::*;

#[bind_hook]
fn program() -> bind_action_t {
    bind_action_t::BIND_DENY
}

fn main() {}
