//! The context tables of the differential tests: for each C test program, 20 or more
//! contexts in `--ctx` syntax with the verdict and effect expected (see
//! `policies::Case`).

use super::policies::Effect::{self, Calls, Nothing, Stores, Writes};
use super::policies::{Case, case};

const DENY: &str = "BIND_DENY";
const REDIRECT: &str = "BIND_REDIRECT";
const PERMIT_SOFT: &str = "BIND_PERMIT_SOFT";
const PERMIT_HARD: &str = "BIND_PERMIT_HARD";
const V_REJECT: &str = "BPF_SOCK_ADDR_VERDICT_REJECT";
const V_SOFT: &str = "BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT";
const V_HARD: &str = "BPF_SOCK_ADDR_VERDICT_PROCEED_HARD";
const NETWORK_CONTEXT: Effect = Calls(&["bpf_sock_addr_get_network_context"]);
const FLOW_ID: Effect = Calls(&["bpf_sock_ops_get_flow_id"]);
const BIND_HELPERS: Effect = Calls(&[
    "bpf_sock_addr_get_network_context",
    "bpf_get_socket_cookie",
    "bpf_sock_addr_set_redirect_context",
]);

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

pub const CONNECT4_CASES: &[Case] = &[
    case(
        "family=2,user_ip4=10.1.2.3,user_port=net:22",
        V_REJECT,
        Nothing,
    ),
    case(
        "user_ip4=10.255.255.255,user_port=net:22",
        V_REJECT,
        Nothing,
    ),
    case("user_ip4=10.0.0.0,user_port=net:22", V_REJECT, Nothing),
    case("user_ip4=11.0.0.1,user_port=net:22", V_SOFT, Nothing),
    case("user_ip4=9.255.255.255,user_port=net:22", V_SOFT, Nothing),
    case("user_ip4=10.0.0.1,user_port=net:23", V_SOFT, Nothing),
    case("user_ip4=10.0.0.1,user_port=22", V_SOFT, Nothing),
    case(
        "user_ip4=255.255.255.255,user_port=net:80",
        V_REJECT,
        Nothing,
    ),
    case(
        "user_ip4=255.255.255.255,user_port=net:443",
        V_REJECT,
        Nothing,
    ),
    case("user_ip4=254.255.255.255,user_port=net:80", V_SOFT, Nothing),
    case("user_ip4=1.2.3.4,user_port=net:0", V_REJECT, Nothing),
    case("", V_REJECT, Nothing),
    case("user_ip4=1.2.3.4,user_port=net:65535", V_SOFT, Nothing),
    case(
        "user_ip4=1.1.1.1,user_port=net:443,msg_src_ip4=192.168.1.2,msg_src_port=net:1023",
        V_HARD,
        Nothing,
    ),
    case(
        "user_ip4=1.1.1.1,user_port=net:443,msg_src_ip4=192.168.1.2,msg_src_port=net:1024",
        V_SOFT,
        Nothing,
    ),
    case(
        "user_ip4=1.1.1.1,user_port=net:443,msg_src_ip4=192.168.1.2,msg_src_port=net:0",
        V_HARD,
        Nothing,
    ),
    case(
        "user_ip4=1.1.1.1,user_port=net:443,msg_src_ip4=192.168.1.2,msg_src_port=net:65535",
        V_SOFT,
        Nothing,
    ),
    case(
        "user_ip4=1.1.1.1,user_port=net:443,msg_src_port=net:80",
        V_SOFT,
        Nothing,
    ),
    case(
        "user_ip4=10.0.0.1,user_port=net:443,msg_src_ip4=10.0.0.2,msg_src_port=net:80",
        V_HARD,
        Nothing,
    ),
    // The destination read through the other member of the anonymous union.
    case("user_ip6=a00::1,user_port=net:22", V_REJECT, Nothing),
    case("user_ip6=::ffff:10.0.0.1,user_port=net:22", V_SOFT, Nothing),
    case(
        "family=23,user_ip4=10.0.0.1,user_port=net:22",
        V_REJECT,
        Nothing,
    ),
];

pub const CONNECT6_CASES: &[Case] = &[
    case(
        "family=23,user_ip6=::ffff:127.0.0.1,user_port=net:80",
        V_HARD,
        Nothing,
    ),
    case(
        "user_ip6=::ffff:127.255.255.255,user_port=net:443",
        V_HARD,
        Nothing,
    ),
    case(
        "user_ip6=::ffff:128.0.0.1,user_port=net:80",
        V_SOFT,
        Nothing,
    ),
    case(
        "user_ip6=::ffff:126.255.255.255,user_port=net:80",
        V_SOFT,
        Nothing,
    ),
    case("user_ip6=::ffff:10.0.0.1,user_port=net:80", V_SOFT, Nothing),
    case(
        "user_ip6=::ffff:255.255.255.255,user_port=net:80",
        V_SOFT,
        Nothing,
    ),
    case("user_ip6=::1,user_port=net:80", V_SOFT, Nothing),
    case("user_ip6=::7f00:1,user_port=net:80", V_SOFT, Nothing),
    case("user_ip6=::fffe:7f00:1,user_port=net:80", V_SOFT, Nothing),
    case(
        "user_ip6=ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff,user_port=net:80",
        V_REJECT,
        Nothing,
    ),
    case(
        "user_ip6=ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe,user_port=net:80",
        V_SOFT,
        Nothing,
    ),
    case(
        "user_ip6=::ffff:127.0.0.1,user_port=net:65535",
        V_REJECT,
        Nothing,
    ),
    case("user_port=net:65535", V_REJECT, Nothing),
    case("user_port=net:0", V_SOFT, Nothing),
    case("user_ip6=fe80::1,user_port=net:80", V_REJECT, Nothing),
    case("user_ip6=febf::1,user_port=net:80", V_REJECT, Nothing),
    case("user_ip6=fec0::1,user_port=net:80", V_SOFT, Nothing),
    case("user_ip6=fe7f::1,user_port=net:80", V_SOFT, Nothing),
    case("user_ip6=2001:db8::1,user_port=net:80", V_SOFT, Nothing),
    case(
        "msg_src_ip6=2001:db8::5,user_ip6=::ffff:127.0.0.1,user_port=net:80",
        V_REJECT,
        Nothing,
    ),
    case(
        "msg_src_ip6=2001:db9::,user_ip6=::1,user_port=net:80",
        V_SOFT,
        Nothing,
    ),
    // The source read through the IPv4 member of the anonymous union.
    case(
        "msg_src_ip4=32.1.13.184,user_ip6=::ffff:127.0.0.1,user_port=net:80",
        V_REJECT,
        Nothing,
    ),
    case("user_ip4=127.0.0.1,user_port=net:80", V_SOFT, Nothing),
];

// The network-context double derives the interface type from the LUID's top half
// and the tunnel type from bits 16..32.
pub const CONNECT_AUTHORIZATION_CASES: &[Case] = &[
    case("user_port=net:80", V_HARD, NETWORK_CONTEXT),
    case(
        "interface_luid=0xFFFFFFFFFFFFFFFF,user_port=net:80",
        V_REJECT,
        NETWORK_CONTEXT,
    ),
    case(
        "interface_luid=0xFFFFFFFFFFFFFFFF,user_port=net:443",
        V_SOFT,
        NETWORK_CONTEXT,
    ),
    case(
        "interface_luid=0xFFFFFFFF00000000,user_port=net:80",
        V_SOFT,
        NETWORK_CONTEXT,
    ),
    case(
        "interface_luid=0xFFFFFFFF0000FFFF,user_port=net:80",
        V_SOFT,
        NETWORK_CONTEXT,
    ),
    case(
        "interface_luid=0xFFFFFFFF00010000,user_port=net:443",
        V_SOFT,
        NETWORK_CONTEXT,
    ),
    case(
        "interface_luid=0xFFFFFFFF00010000,user_port=net:0",
        V_REJECT,
        NETWORK_CONTEXT,
    ),
    case(
        "interface_luid=0xFFFFFFFE00000000,user_port=net:80",
        V_HARD,
        NETWORK_CONTEXT,
    ),
    case(
        "interface_luid=0x0000000600000000,user_port=net:80",
        V_HARD,
        NETWORK_CONTEXT,
    ),
    case(
        "interface_luid=0x0000000600010000,user_port=net:443",
        V_HARD,
        NETWORK_CONTEXT,
    ),
    case(
        "interface_luid=0x0000000600010000,user_port=net:80",
        V_REJECT,
        NETWORK_CONTEXT,
    ),
    case(
        "interface_luid=0x0000000600010000,user_port=443",
        V_REJECT,
        NETWORK_CONTEXT,
    ),
    case(
        "interface_luid=0x0000000000830000,user_port=net:0",
        V_REJECT,
        NETWORK_CONTEXT,
    ),
    case(
        "interface_luid=0xFFFF,user_port=net:22",
        V_HARD,
        NETWORK_CONTEXT,
    ),
    case(
        "interface_luid=0x10000,user_port=net:65535",
        V_REJECT,
        NETWORK_CONTEXT,
    ),
    case(
        "interface_luid=0x10000,user_port=net:443",
        V_HARD,
        NETWORK_CONTEXT,
    ),
    case(
        "interface_luid=0x0000004700000000,user_port=net:22",
        V_HARD,
        NETWORK_CONTEXT,
    ),
    case(
        "interface_luid=0x8000000000000000,user_port=net:80",
        V_HARD,
        NETWORK_CONTEXT,
    ),
    case(
        "compartment_id=0xFFFFFFFF,user_port=net:80",
        V_HARD,
        NETWORK_CONTEXT,
    ),
    case(
        "family=23,user_ip6=::1,user_port=net:80",
        V_HARD,
        NETWORK_CONTEXT,
    ),
    case(
        "family=2,user_ip4=255.255.255.255,protocol=6,interface_luid=0x0000000100000000",
        V_HARD,
        NETWORK_CONTEXT,
    ),
];

pub const REDIRECT_CONTEXT_CASES: &[Case] = &[
    case(
        "user_ip4=1.2.3.4,user_port=net:80",
        V_HARD,
        Stores("0102030400500000"),
    ),
    case(
        "user_ip4=0.0.0.0,user_port=net:80",
        V_HARD,
        Stores("0000000000500000"),
    ),
    case(
        "user_ip4=255.255.255.255,user_port=net:80",
        V_HARD,
        Stores("ffffffff00500000"),
    ),
    case(
        "user_ip4=10.0.0.1,user_port=net:80,family=2",
        V_HARD,
        Stores("0a00000100500000"),
    ),
    case(
        "user_ip4=10.0.0.1,user_port=net:80,msg_src_ip4=10.0.0.2,msg_src_port=net:5555",
        V_HARD,
        Stores("0a00000100500000"),
    ),
    case(
        "user_ip6=::ffff:1.2.3.4,user_port=net:80",
        V_HARD,
        Stores("0000000000500000"),
    ),
    case(
        "user_ip6=ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff,user_port=net:80",
        V_HARD,
        Stores("ffffffff00500000"),
    ),
    case(
        "user_ip4=1.2.3.4,user_port=net:80,interface_luid=0xFFFFFFFFFFFFFFFF,compartment_id=0xFFFFFFFF",
        V_HARD,
        Stores("0102030400500000"),
    ),
    case("user_ip4=1.2.3.4,user_port=net:443", V_SOFT, Nothing),
    case("user_ip4=1.2.3.4,user_port=net:0", V_SOFT, Nothing),
    case("user_ip4=1.2.3.4,user_port=net:65535", V_SOFT, Nothing),
    case("user_ip4=1.2.3.4,user_port=80", V_SOFT, Nothing),
    case("user_ip4=1.2.3.4,user_port=net:8080", V_SOFT, Nothing),
    case("user_ip4=1.2.3.4,user_port=net:81", V_SOFT, Nothing),
    case("user_ip4=1.2.3.4,user_port=net:79", V_SOFT, Nothing),
    case(
        "user_ip4=255.255.255.255,user_port=net:65535",
        V_SOFT,
        Nothing,
    ),
    case("", V_SOFT, Nothing),
    case("msg_src_port=net:80", V_SOFT, Nothing),
    case("protocol=17,user_port=net:53", V_SOFT, Nothing),
    case("family=23,user_ip6=::1,user_port=net:443", V_SOFT, Nothing),
    case(
        "family=23,user_ip6=2001:db8::1,user_port=net:80",
        V_HARD,
        Stores("20010db800500000"),
    ),
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
