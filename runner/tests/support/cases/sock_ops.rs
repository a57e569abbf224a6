//! The sock_ops hook's contexts (`sockops_flow.c`), with the value returned and the
//! flow-ID helper call expected.

use crate::support::policies::Effect::{self, Calls, Nothing};
use crate::support::policies::{Case, case};

const FLOW_ID: Effect = Calls(&["bpf_sock_ops_get_flow_id"]);

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
