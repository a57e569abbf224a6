//! The context tables of the differential tests: for each C test program, 20 or more
//! contexts in `--ctx` syntax with the verdict and effect expected (see
//! `case::Case`). This file has the bind, bind4 helpers and sock_ops policies';
//! `sock_addr_cases.rs` the connect policies'.

use super::case::Effect::{Nothing, Writes};
use super::case::*;

// socket_address holds a SOCKADDR_IN: family 2 (little-endian), port and address in
// network byte order.
pub const BIND_CASES: &[Case] = &[
    case("socket_address=hex:02000017c0a80001", DENY, Nothing),
    case(
        "socket_address=hex:02000017c0a80001,process_id=4",
        DENY,
        Nothing,
    ),
    case("socket_address=hex:02000000,protocol=17", DENY, Nothing),
    case(
        "socket_address=hex:02000000,protocol=6",
        PERMIT_SOFT,
        Nothing,
    ),
    case(
        "socket_address=hex:0200000000000000,protocol=255",
        PERMIT_SOFT,
        Nothing,
    ),
    case(
        "socket_address=hex:02001f90c0a80001",
        REDIRECT,
        Writes("socket_address", "02000050c0a80001"),
    ),
    case(
        "socket_address=hex:02001f907f000001,process_id=4",
        REDIRECT,
        Writes("socket_address", "020000507f000001"),
    ),
    case(
        "socket_address=hex:02001f90ffffffffffffffffffffffff,protocol=17,socket_address_length=16",
        REDIRECT,
        Writes("socket_address", "02000050ffffffffffffffffffffffff"),
    ),
    case(
        "socket_address=hex:02001f90,operation=BIND_OPERATION_POST_BIND",
        PERMIT_SOFT,
        Nothing,
    ),
    case(
        "socket_address=hex:02000017,operation=BIND_OPERATION_UNBIND",
        PERMIT_SOFT,
        Nothing,
    ),
    case(
        "socket_address=hex:02000017,operation=3",
        PERMIT_SOFT,
        Nothing,
    ),
    case("socket_address=hex:0200ffff", PERMIT_SOFT, Nothing),
    case(
        "socket_address=hex:0200ffff,process_id=4",
        PERMIT_HARD,
        Nothing,
    ),
    case(
        "socket_address=hex:02000050,process_id=4",
        PERMIT_HARD,
        Nothing,
    ),
    case(
        "socket_address=hex:02000050,process_id=0xFFFFFFFFFFFFFFFF",
        PERMIT_SOFT,
        Nothing,
    ),
    case(
        "socket_address=hex:ffffffffffffffffffffffffffffffff",
        PERMIT_SOFT,
        Nothing,
    ),
    case(
        "socket_address=hex:ffffffffffffffffffffffffffffffff,process_id=4,protocol=17",
        PERMIT_HARD,
        Nothing,
    ),
    // Byte-swapped ports: a policy reading the port in host order would trip here.
    case("socket_address=hex:02001700", PERMIT_SOFT, Nothing),
    case("socket_address=hex:0200901f", PERMIT_SOFT, Nothing),
    case("socket_address=hex:02000016", PERMIT_SOFT, Nothing),
    case("socket_address=hex:17000017", DENY, Nothing),
    case("process_id=4", PERMIT_HARD, Nothing),
];

// The flow-ID double is odd exactly when the first byte of remote_ip4 is odd.
pub const SOCKOPS_CASES: &[Case] = &[
    case(
        "op=BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB,remote_ip4=1.2.3.4",
        "1",
        FLOW_ID,
    ),
    case(
        "op=BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB,remote_ip4=2.2.3.4",
        "0",
        FLOW_ID,
    ),
    case("op=BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB", "0", FLOW_ID),
    case(
        "op=BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB,remote_ip4=255.255.255.255",
        "1",
        FLOW_ID,
    ),
    case(
        "op=BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB,local_port=net:65535,remote_ip4=3.0.0.0",
        "1",
        FLOW_ID,
    ),
    case(
        "op=BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB,remote_port=net:65535,remote_ip4=4.0.0.1",
        "0",
        FLOW_ID,
    ),
    case(
        "op=BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB,remote_ip6=::1",
        "0",
        FLOW_ID,
    ),
    case(
        "op=BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB,remote_ip6=101::",
        "1",
        FLOW_ID,
    ),
    case(
        "op=BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB,interface_luid=0xFFFFFFFFFFFFFFFF,remote_ip4=9.9.9.9",
        "1",
        FLOW_ID,
    ),
    case(
        "op=BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB,remote_port=net:22",
        "1",
        Nothing,
    ),
    case(
        "op=BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB,remote_port=net:22,remote_ip4=1.2.3.4,protocol=6",
        "1",
        Nothing,
    ),
    case(
        "op=BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB,remote_port=net:23",
        "0",
        Nothing,
    ),
    case(
        "op=BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB,remote_port=22",
        "0",
        Nothing,
    ),
    case(
        "op=BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB,remote_port=net:65535",
        "0",
        Nothing,
    ),
    case(
        "op=BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB,remote_port=net:0",
        "0",
        Nothing,
    ),
    case(
        "op=BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB,local_port=net:22",
        "0",
        Nothing,
    ),
    case("op=BPF_SOCK_OPS_CONNECTION_DELETED_CB", "0", Nothing),
    case(
        "op=BPF_SOCK_OPS_CONNECTION_DELETED_CB,remote_port=net:22",
        "0",
        Nothing,
    ),
    case(
        "op=BPF_SOCK_OPS_CONNECTION_DELETED_CB,remote_ip4=1.1.1.1",
        "0",
        Nothing,
    ),
    case("op=3", "-1", Nothing),
    case("op=-1", "-1", Nothing),
    case("op=0x7FFFFFFF,remote_port=net:22", "-1", Nothing),
];

// At cgroup/bind4 the helpers answer as netebpfext's bind layer does, or the program
// rejects: network context version 1 with the LUID's IfType (bits 48-63) and no next
// hop or sub-interface, socket cookie 0, and -1 from set_redirect_context. Then
// loopback (IfType 24) proceeds hard, a port below 1024 is rejected, the rest soft.
pub const BIND4_HELPERS_CASES: &[Case] = &[
    case(
        "interface_luid=0x0018000000000000,user_ip4=127.0.0.1,user_port=net:8989",
        V_HARD,
        BIND_HELPERS,
    ),
    case(
        "interface_luid=0x0018000000000000,user_port=net:80",
        V_HARD,
        BIND_HELPERS,
    ),
    case(
        "interface_luid=0x0018000000000001,user_port=net:22",
        V_HARD,
        BIND_HELPERS,
    ),
    case(
        "interface_luid=0x0018FFFFFFFFFFFF,user_port=net:0",
        V_HARD,
        BIND_HELPERS,
    ),
    case("user_port=net:80", V_REJECT, BIND_HELPERS),
    case("user_port=net:1023", V_REJECT, BIND_HELPERS),
    case("user_port=net:1024", V_SOFT, BIND_HELPERS),
    case("user_port=net:8080", V_SOFT, BIND_HELPERS),
    case("user_port=net:65535", V_SOFT, BIND_HELPERS),
    case("user_port=0x5000", V_REJECT, BIND_HELPERS),
    case(
        "interface_luid=0x0006000000000001,user_port=net:8080",
        V_SOFT,
        BIND_HELPERS,
    ),
    case(
        "interface_luid=0x0006000000000001,user_port=net:443",
        V_REJECT,
        BIND_HELPERS,
    ),
    case(
        "interface_luid=0x0047000000000000,user_port=net:5555",
        V_SOFT,
        BIND_HELPERS,
    ),
    case(
        "interface_luid=0x0083000000000000,user_port=net:4444",
        V_SOFT,
        BIND_HELPERS,
    ),
    case(
        "interface_luid=0x0083000000000000,user_port=net:53",
        V_REJECT,
        BIND_HELPERS,
    ),
    case(
        "interface_luid=0x0024000000000000,user_port=net:80",
        V_REJECT,
        BIND_HELPERS,
    ),
    case(
        "interface_luid=0x0000000000180000,user_port=net:80",
        V_REJECT,
        BIND_HELPERS,
    ),
    case(
        "interface_luid=0xFFFFFFFFFFFFFFFF,user_port=net:8080",
        V_SOFT,
        BIND_HELPERS,
    ),
    case(
        "interface_luid=0x0018000000000000,compartment_id=2,user_port=net:80",
        V_HARD,
        BIND_HELPERS,
    ),
    case("compartment_id=7,user_port=net:9000", V_SOFT, BIND_HELPERS),
    case(
        "family=2,user_ip4=10.0.0.1,protocol=17,user_port=net:5353",
        V_SOFT,
        BIND_HELPERS,
    ),
    case(
        "family=2,user_ip4=10.0.0.1,protocol=6,user_port=net:25",
        V_REJECT,
        BIND_HELPERS,
    ),
];
