use ebpf_nethooks::*;

#[bind_hook]
fn program<T: Default>(ctx: &mut bind_md_t) -> bind_action_t {
    let _ = (ctx, T::default());
    bind_action_t::BIND_DENY
}

fn main() {}
