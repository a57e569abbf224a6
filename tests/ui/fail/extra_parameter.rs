use ebpf_nethooks::*;

#[bind_hook]
fn program(ctx: &mut bind_md_t, port: u16) -> bind_action_t {
    let _ = (ctx, port);
    bind_action_t::BIND_DENY
}

fn main() {}
