use ebpf_nethooks::*;

#[bind_hook]
#[bind_hook]
pub fn program(ctx: &mut bind_md_t) -> bind_action_t {
    let _ = ctx;
    bind_action_t::BIND_DENY
}

fn main() {}
