// Hooks named like libc or runtime symbols: on the host their entry points are not
// exported under those names, so libc's `memcpy` and the program's `main` stay theirs.
use ebpf_nethooks::*;

#[bind_hook]
pub fn memcpy(ctx: &mut bind_md_t) -> bind_action_t {
    if ctx.socket_address()[2..4] == [0, 80] {
        bind_action_t::BIND_DENY
    } else {
        bind_action_t::BIND_PERMIT_SOFT
    }
}

mod runtime {
    use ebpf_nethooks::*;

    #[bind_hook]
    pub fn main(_ctx: &mut bind_md_t) -> bind_action_t {
        bind_action_t::BIND_PERMIT_HARD
    }
}

fn main() {
    // Large copies go through libc's memcpy.
    let bytes: Vec<u8> = (0..=255).cycle().take(1 << 16).collect();
    assert_eq!(bytes.clone(), bytes);
    let mut ctx = bind_md_t::default();
    let mut address = [0u8; 16];
    address[3] = 80;
    ctx.set_socket_address(address);
    assert_eq!(unsafe { memcpy(&mut ctx) }, bind_action_t::BIND_DENY);
    assert_eq!(unsafe { runtime::main(&mut ctx) }, bind_action_t::BIND_PERMIT_HARD);
}
