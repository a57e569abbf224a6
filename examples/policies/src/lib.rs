//! Three small network policies written with the hook attributes, and their host
//! tests: the same code that would be compiled for BPF runs here, with the helper
//! it calls answered by a test double.
//!
//! - [`deny_bind_to_port`]: refuse binding to one port.
//! - [`block_connect_to_address`]: refuse IPv4 connects to one address, and allow
//!   every other one firmly.
//! - [`count_established`]: count established connections, told apart by flow ID.
#![cfg_attr(not(test), no_std)]

use core::sync::atomic::{AtomicU64, Ordering};

use ebpf_nethooks::hooks::{Connect4, Context, Sockops};
use ebpf_nethooks::*;

/// The port no process may bind to.
pub const DENIED_PORT: u16 = 8080;

/// Refuses a bind to [`DENIED_PORT`]; lets every other bind go ahead softly.
#[bind_hook]
pub fn deny_bind_to_port(ctx: &mut bind_md_t) -> bind_action_t {
    if ctx.operation() == bind_operation_t::BIND_OPERATION_BIND
        && requested_port(ctx) == Some(DENIED_PORT)
    {
        bind_action_t::BIND_DENY
    } else {
        bind_action_t::BIND_PERMIT_SOFT
    }
}

/// The port a bind asks for: bytes 2 and 3 of the socket address (IPv4 and IPv6
/// alike), in network byte order; `None` when the address is too short to hold one.
pub fn requested_port(ctx: &bind_md_t) -> Option<u16> {
    let address = ctx.socket_address();
    (ctx.socket_address_length() >= 4).then(|| u16::from_be_bytes([address[2], address[3]]))
}

/// The IPv4 address no one may connect to: 192.0.2.1 (documentation range).
pub const BLOCKED_IPV4: [u8; 4] = [192, 0, 2, 1];

/// Refuses an IPv4 connect to [`BLOCKED_IPV4`]; allows every other one with a hard
/// permit, which lower-priority filters cannot override.
#[sock_addr_hook(connect4)]
pub fn block_connect_to_address(ctx: Context<'_, Connect4>) -> ebpf_sock_addr_verdict_t {
    // `user_ip4` is in network byte order: its bytes in memory are the address's.
    if ctx.user_ip4().to_ne_bytes() == BLOCKED_IPV4 {
        ebpf_sock_addr_verdict_t::BPF_SOCK_ADDR_VERDICT_REJECT
    } else {
        ebpf_sock_addr_verdict_t::BPF_SOCK_ADDR_VERDICT_PROCEED_HARD
    }
}

static ESTABLISHED: AtomicU64 = AtomicU64::new(0);
static LAST_FLOW: AtomicU64 = AtomicU64::new(0);

/// Counts established connections, inbound and outbound. A second notice for the
/// flow just counted (same WFP flow ID) is not a new connection.
#[sock_ops_hook]
pub fn count_established(mut ctx: Context<'_, Sockops>) -> i32 {
    let op = ctx.op();
    if op == bpf_sock_op_type_t::BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB
        || op == bpf_sock_op_type_t::BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB
    {
        let flow = ctx.bpf_sock_ops_get_flow_id();
        // Load, then store: BPF has no compare-and-swap, so `core` offers only `load`
        // and `store` on atomics there (no `swap`, no `fetch_add`). eBPF for Windows
        // runs one program invocation at a time per CPU, and counts kept this way may
        // miss a concurrent update, as BPF counters in globals do; a per-CPU map is
        // the exact way (`examples/map_policy` counts its decisions in one).
        if LAST_FLOW.load(Ordering::Relaxed) != flow {
            LAST_FLOW.store(flow, Ordering::Relaxed);
            let counted = ESTABLISHED.load(Ordering::Relaxed);
            ESTABLISHED.store(counted.wrapping_add(1), Ordering::Relaxed);
        }
    }
    0
}

/// How many connections [`count_established`] has counted.
pub fn established_connections() -> u64 {
    ESTABLISHED.load(Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bind_request(operation: bind_operation_t, port: u16, length: u8) -> bind_md_t {
        let mut ctx = bind_md_t::default();
        let mut address = [0u8; 16];
        address[0] = 2; // AF_INET, little-endian as Windows stores it
        address[2..4].copy_from_slice(&port.to_be_bytes());
        ctx.set_socket_address(address);
        ctx.set_socket_address_length(length);
        ctx.set_operation(operation);
        ctx.set_protocol(6);
        ctx
    }

    #[test]
    fn bind_to_the_denied_port_is_refused_and_others_are_allowed() {
        use bind_action_t::*;
        use bind_operation_t as op;
        let cases = [
            (op::BIND_OPERATION_BIND, DENIED_PORT, 16, BIND_DENY),
            (op::BIND_OPERATION_BIND, 80, 16, BIND_PERMIT_SOFT),
            (
                op::BIND_OPERATION_BIND,
                DENIED_PORT.swap_bytes(),
                16,
                BIND_PERMIT_SOFT,
            ),
            // Only the bind itself is judged, not the later steps.
            (
                op::BIND_OPERATION_POST_BIND,
                DENIED_PORT,
                16,
                BIND_PERMIT_SOFT,
            ),
            (op::BIND_OPERATION_UNBIND, DENIED_PORT, 16, BIND_PERMIT_SOFT),
            // Too short to hold a port.
            (op::BIND_OPERATION_BIND, DENIED_PORT, 2, BIND_PERMIT_SOFT),
        ];
        for (operation, port, length, expected) in cases {
            let mut ctx = bind_request(operation, port, length);
            // Through the entry point, as the extension calls it.
            let verdict = unsafe { deny_bind_to_port(&mut ctx) };
            assert_eq!(
                verdict, expected,
                "{operation:?} port {port} length {length}"
            );
        }
    }

    #[test]
    fn connect_to_the_blocked_address_is_rejected_and_others_proceed_hard() {
        use ebpf_sock_addr_verdict_t::*;
        let cases = [
            (BLOCKED_IPV4, 443, BPF_SOCK_ADDR_VERDICT_REJECT),
            (BLOCKED_IPV4, 80, BPF_SOCK_ADDR_VERDICT_REJECT),
            ([192, 0, 2, 2], 443, BPF_SOCK_ADDR_VERDICT_PROCEED_HARD),
            ([1, 2, 0, 192], 443, BPF_SOCK_ADDR_VERDICT_PROCEED_HARD),
            ([127, 0, 0, 1], 443, BPF_SOCK_ADDR_VERDICT_PROCEED_HARD),
        ];
        for (address, port, expected) in cases {
            let mut ctx = bpf_sock_addr_t::default();
            ctx.set_family(2);
            ctx.set_user_ip4(u32::from_ne_bytes(address));
            ctx.set_user_port(u16::to_be(port));
            let verdict = unsafe { block_connect_to_address(&mut ctx) };
            assert_eq!(verdict, expected, "{address:?}:{port}");
            // The verdict is one the extension accepts.
            assert_eq!(
                ebpf_sock_addr_verdict_t::from_raw(verdict.to_raw()),
                Some(verdict)
            );
        }
    }

    /// The flow ID a test double reports: the local port, so each test connection has its own.
    fn flow_id_from_local_port(ctx: *mut bpf_sock_ops_t) -> u64 {
        u64::from(unsafe { (*ctx).local_port() }) + 1000
    }

    #[test]
    fn established_connections_are_counted_once_per_flow() {
        use bpf_sock_op_type_t as op;
        // For this test's thread only: other tests may install their own meanwhile.
        testing::this_thread::set_bpf_sock_ops_get_flow_id(Some(flow_id_from_local_port));
        let events = [
            (op::BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB, 1),
            (op::BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB, 1), // repeated notice: same flow
            (op::BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB, 2),
            (op::BPF_SOCK_OPS_CONNECTION_DELETED_CB, 2),
            (op::BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB, 3),
            (bpf_sock_op_type_t(99), 4), // an event this policy does not know
        ];
        let before = established_connections();
        for (event, port) in events {
            let mut ctx = bpf_sock_ops_t::default();
            ctx.set_op(event);
            ctx.set_local_port(port);
            assert_eq!(unsafe { count_established(&mut ctx) }, 0);
        }
        assert_eq!(established_connections() - before, 3);
        testing::this_thread::set_bpf_sock_ops_get_flow_id(None);
    }

    #[test]
    fn a_thread_double_wins_over_the_global_one_and_stays_on_its_thread() {
        let mut ctx = bpf_sock_ops_t::default();
        let flow = |ctx: &mut bpf_sock_ops_t| unsafe { bpf_sock_ops_get_flow_id(ctx) };
        testing::this_thread::set_bpf_sock_ops_get_flow_id(Some(|_| 7));
        assert_eq!(flow(&mut ctx), 7);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                testing::this_thread::set_bpf_sock_ops_get_flow_id(Some(|_| 9));
                assert_eq!(flow(&mut bpf_sock_ops_t::default()), 9);
            });
        });
        assert_eq!(
            flow(&mut ctx),
            7,
            "another thread's double is not seen here"
        );
        let previous = testing::this_thread::set_bpf_sock_ops_get_flow_id(None);
        assert_eq!(previous.map(|double| double(&mut ctx)), Some(7));
    }
}
