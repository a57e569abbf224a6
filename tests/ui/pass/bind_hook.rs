//! Every form of a bind program, called on the host like the extension calls it.
use ebpf_nethooks::hooks::{Bind, Context};
use ebpf_nethooks::*;

/// Denies TCP.
#[bind_hook]
pub fn by_mut(ctx: &mut bind_md_t) -> bind_action_t {
    if ctx.protocol() == 6 {
        bind_action_t::BIND_DENY
    } else {
        bind_action_t::BIND_PERMIT_SOFT
    }
}

#[bind_hook]
fn by_ref(ctx: &bind_md_t) -> bind_action_t {
    let _ = ctx.process_id();
    bind_action_t::BIND_PERMIT_HARD
}

#[bind_hook]
fn typed(mut ctx: Context<'_, Bind>) -> ebpf_nethooks::bind_action_t {
    ctx.set_socket_address_length(0);
    bind_action_t::BIND_REDIRECT
}

fn main() {
    let mut ctx = bind_md_t::default();
    ctx.set_protocol(6);
    ctx.set_socket_address_length(16);
    let entries: [bind_hook_t; 3] = [by_mut, by_ref, typed];
    let verdicts = entries.map(|entry| unsafe { entry(&mut ctx) });
    assert_eq!(
        verdicts,
        [
            bind_action_t::BIND_DENY,
            bind_action_t::BIND_PERMIT_HARD,
            bind_action_t::BIND_REDIRECT
        ]
    );
    assert_eq!(ctx.socket_address_length(), 0);
}
