//! The context tables of the sock_addr connect policies (connect4, connect6,
//! connect authorization, redirect context), as `cases.rs` has those of the others.

use super::case::Effect::{Nothing, Stores};
use super::case::*;
use nethooks_run::Environment;

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

// The network context comes from the host environment, as netebpfext copies it from
// the WFP layer: the interface type is the LUID's IfType (bits 48-63) unless set, the
// tunnel type 0 unless set.
const TUNNEL: Environment = Environment {
    tunnel_type: Some(14),
    ..Environment::DEFAULT
};
const UNKNOWN_TYPE: Environment = Environment {
    interface_type: Some(u32::MAX),
    ..Environment::DEFAULT
};
const UNKNOWN_TUNNELLED: Environment = Environment {
    interface_type: Some(u32::MAX),
    tunnel_type: Some(1),
    ..Environment::DEFAULT
};
const ETHERNET_NEXT_HOP: Environment = Environment {
    interface_type: Some(6),
    next_hop_interface_luid: Some(9),
    sub_interface_index: Some(3),
    ..Environment::DEFAULT
};
const NOT_A_TUNNEL: Environment = Environment {
    interface_type: Some(0xFFFF_FFFE),
    tunnel_type: Some(0),
    ..Environment::DEFAULT
};

pub const CONNECT_AUTHORIZATION_CASES: &[Case] = &[
    case("user_port=net:80", V_HARD, NETWORK_CONTEXT),
    case_in(TUNNEL, "user_port=net:80", V_REJECT, NETWORK_CONTEXT),
    case_in(TUNNEL, "user_port=net:443", V_HARD, NETWORK_CONTEXT),
    case_in(TUNNEL, "user_port=net:0", V_REJECT, NETWORK_CONTEXT),
    // 443 in host order is not port 443.
    case_in(TUNNEL, "user_port=443", V_REJECT, NETWORK_CONTEXT),
    // The source port does not count.
    case_in(
        TUNNEL,
        "msg_src_port=net:443,user_port=net:80",
        V_REJECT,
        NETWORK_CONTEXT,
    ),
    case_in(UNKNOWN_TYPE, "user_port=net:80", V_SOFT, NETWORK_CONTEXT),
    case_in(
        UNKNOWN_TYPE,
        "interface_luid=0xFFFF000000000000,user_port=net:22",
        V_SOFT,
        NETWORK_CONTEXT,
    ),
    case_in(
        UNKNOWN_TUNNELLED,
        "user_port=net:443",
        V_SOFT,
        NETWORK_CONTEXT,
    ),
    case_in(
        UNKNOWN_TUNNELLED,
        "user_port=net:80",
        V_REJECT,
        NETWORK_CONTEXT,
    ),
    // An IfType of all ones (16 bits) is not the unknown type.
    case(
        "interface_luid=0xFFFFFFFFFFFFFFFF,user_port=net:80",
        V_HARD,
        NETWORK_CONTEXT,
    ),
    case(
        "interface_luid=0x0018000000000001,user_port=net:80",
        V_HARD,
        NETWORK_CONTEXT,
    ),
    case_in(
        TUNNEL,
        "interface_luid=0x0083000000000005,user_port=net:443",
        V_HARD,
        NETWORK_CONTEXT,
    ),
    case_in(
        TUNNEL,
        "interface_luid=0x0083000000000005,user_port=net:65535",
        V_REJECT,
        NETWORK_CONTEXT,
    ),
    case(
        "interface_luid=0x10000,user_port=net:443",
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
    case_in(
        TUNNEL,
        "family=23,user_ip6=::1,user_port=net:443",
        V_HARD,
        NETWORK_CONTEXT,
    ),
    case(
        "family=2,user_ip4=255.255.255.255,protocol=6,interface_luid=0x0000000100000000",
        V_HARD,
        NETWORK_CONTEXT,
    ),
    case_in(
        ETHERNET_NEXT_HOP,
        "user_port=net:22",
        V_HARD,
        NETWORK_CONTEXT,
    ),
    case_in(NOT_A_TUNNEL, "user_port=net:80", V_HARD, NETWORK_CONTEXT),
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
