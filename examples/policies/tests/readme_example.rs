//! The README's "Testing a program on the host" example, so its host tests run (as a
//! README doctest they are never built: doctests compile without `cfg(test)`).
//! Everything below this header is the README block byte for byte, which
//! `readme_example_is_verbatim.rs` checks: change both together.

use ebpf_nethooks::hooks::{Context, Sockops};
use ebpf_nethooks::*;

/// Refuses every bind to port 8080; allows the rest softly.
#[bind_hook]
pub fn deny_port_8080(ctx: &mut bind_md_t) -> bind_action_t {
    let address = ctx.socket_address();
    // Bytes 2 and 3 of a socket address hold the port, in network byte order.
    if u16::from_be_bytes([address[2], address[3]]) == 8080 {
        bind_action_t::BIND_DENY
    } else {
        bind_action_t::BIND_PERMIT_SOFT
    }
}

/// Fails on connections without a WFP flow ID.
#[sock_ops_hook]
pub fn require_flow_id(mut ctx: Context<'_, Sockops>) -> i32 {
    if ctx.bpf_sock_ops_get_flow_id() == 0 {
        -1
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn denies_port_8080_only() {
        use bind_action_t::*;
        for (port, expected) in [(8080, BIND_DENY), (80, BIND_PERMIT_SOFT)] {
            let mut ctx = bind_md_t::default();
            let mut address = [0u8; 16];
            address[2..4].copy_from_slice(&u16::to_be_bytes(port));
            ctx.set_socket_address(address);
            ctx.set_socket_address_length(16);
            // Call the entry point as the extension does, with a context built here.
            assert_eq!(unsafe { deny_port_8080(&mut ctx) }, expected);
        }
    }

    #[test]
    fn helpers_are_answered_by_test_doubles() {
        testing::set_bpf_sock_ops_get_flow_id(Some(|_ctx| 0));
        let mut ctx = bpf_sock_ops_t::default();
        assert_eq!(unsafe { require_flow_id(&mut ctx) }, -1);

        testing::set_bpf_sock_ops_get_flow_id(Some(|_ctx| 42));
        assert_eq!(unsafe { require_flow_id(&mut ctx) }, 0);
        testing::set_bpf_sock_ops_get_flow_id(None);
    }
}
