//! The bind hook's contexts (`bind_policy.c`): a `SOCKADDR_IN` and other fields of
//! `bind_md_t`, with the `BIND_*` verdict and the rewrite expected.

use crate::support::policies::Effect::{Nothing, Writes};
use crate::support::policies::{Case, case};

const DENY: &str = "BIND_DENY";
const REDIRECT: &str = "BIND_REDIRECT";
const PERMIT_SOFT: &str = "BIND_PERMIT_SOFT";
const PERMIT_HARD: &str = "BIND_PERMIT_HARD";

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
