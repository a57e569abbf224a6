//! What each release of `docs/efw-releases.md` added to `ebpf_nethooks.h` (sections "1.0.0-rc2"
//! to "1.4.0", and "Per-identifier availability"), and, for the releases before it, that it is
//! absent. 1.5.0 is byte-identical to 1.4.0 ("1.5.0 and main HEAD").

use super::facts::{Fact, NEWEST, RC2, V1_1, V1_2, V1_3, V1_4};

pub const RELEASE_FACTS: &[Fact] = &[
    // "1.0.0-rc2": `bind_action_t` has no soft/hard distinction.
    (
        RC2,
        RC2,
        "ABSENT_ENUMERATOR(BIND_PERMIT_SOFT);
ABSENT_ENUMERATOR(BIND_PERMIT_HARD);",
    ),
    // "1.1.0": BIND_PERMIT_SOFT=0 and BIND_PERMIT_HARD=3 are new; BIND_PERMIT stays 0, an
    // alias of BIND_PERMIT_SOFT.
    (
        V1_1,
        NEWEST,
        "CHECK(BIND_PERMIT_SOFT == 0);
CHECK(BIND_PERMIT_HARD == 3);
CHECK(BIND_PERMIT == BIND_PERMIT_SOFT);
ENUMERATOR_OF(BIND_PERMIT_SOFT, bind_action_t);
ENUMERATOR_OF(BIND_PERMIT_HARD, bind_action_t);",
    ),
    // Before "1.2.1": no sock_ops helper.
    (
        RC2,
        V1_1,
        "#ifdef SOCK_OPS_EXT_HELPER_FN_BASE
#error SOCK_OPS_EXT_HELPER_FN_BASE is new in 1.2.1
#endif
ABSENT_TYPE(ebpf_sock_ops_helper_id_t);
ABSENT_ENUMERATOR(BPF_FUNC_sock_ops_get_flow_id);",
    ),
    // "1.2.1": SOCK_OPS_EXT_HELPER_FN_BASE 0xFFFF (int); `ebpf_sock_ops_helper_id_t` (size 4,
    // unsigned) with BPF_FUNC_sock_ops_get_flow_id = 65536, the same number as
    // BPF_FUNC_sock_addr_get_current_pid_tgid (a separate ID space).
    (
        V1_2,
        NEWEST,
        "CHECK(SOCK_OPS_EXT_HELPER_FN_BASE == 0xFFFF);
TYPE_OF_IS(SOCK_OPS_EXT_HELPER_FN_BASE, int);
ENUM_TYPE(ebpf_sock_ops_helper_id_t, 4);
CHECK(BPF_FUNC_sock_ops_get_flow_id == 65536);
CHECK((long)BPF_FUNC_sock_ops_get_flow_id == (long)BPF_FUNC_sock_addr_get_current_pid_tgid);
ENUMERATOR_OF(BPF_FUNC_sock_ops_get_flow_id, ebpf_sock_ops_helper_id_t);",
    ),
    // Before "1.3.0": no network context.
    (
        RC2,
        V1_2,
        "ABSENT_ENUMERATOR(BPF_FUNC_sock_addr_get_network_context);
ABSENT_TAG(_bpf_sock_addr_network_context);
ABSENT_TYPE(bpf_sock_addr_network_context_t);
#ifdef BPF_SOCK_ADDR_NETWORK_CONTEXT_VERSION
#error BPF_SOCK_ADDR_NETWORK_CONTEXT_VERSION is new in 1.3.0
#endif",
    ),
    // "1.3.0": BPF_FUNC_sock_addr_get_network_context = 65538 (third enumerator of
    // `ebpf_sock_addr_helper_id_t`); the network context struct (size 32, align 8, its
    // member table); BPF_SOCK_ADDR_NETWORK_CONTEXT_VERSION 1 (int).
    (
        V1_3,
        NEWEST,
        "CHECK(BPF_FUNC_sock_addr_get_network_context == 65538);
ENUMERATOR_OF(BPF_FUNC_sock_addr_get_network_context, ebpf_sock_addr_helper_id_t);
LAYOUT(bpf_sock_addr_network_context_t, 32, 8);
CHECK(SAME_TYPE(struct _bpf_sock_addr_network_context, bpf_sock_addr_network_context_t));
MEMBER(bpf_sock_addr_network_context_t, version, uint32_t, 0, 4);
MEMBER(bpf_sock_addr_network_context_t, interface_type, uint32_t, 4, 4);
MEMBER(bpf_sock_addr_network_context_t, tunnel_type, uint32_t, 8, 4);
MEMBER(bpf_sock_addr_network_context_t, next_hop_interface_luid, uint64_t, 16, 8);
MEMBER(bpf_sock_addr_network_context_t, sub_interface_index, uint32_t, 24, 4);
CHECK(BPF_SOCK_ADDR_NETWORK_CONTEXT_VERSION == 1);
TYPE_OF_IS(BPF_SOCK_ADDR_NETWORK_CONTEXT_VERSION, int);",
    ),
    // Before "1.4.0": no `#include "ebpf_windows.h"` (nothing defines its
    // `EBPF_SIZE_INCLUDING_FIELD` or `ebpf_extension_header_t`), no test context.
    (
        RC2,
        V1_3,
        "#ifdef EBPF_SIZE_INCLUDING_FIELD
#error ebpf_windows.h is included from 1.4.0
#endif
ABSENT_TAG(_ebpf_extension_header);
ABSENT_TYPE(ebpf_extension_header_t);
ABSENT_TYPE(bpf_sock_addr_test_context_header_t);
ABSENT_TAG(_bpf_sock_addr_test_context);
ABSENT_TYPE(bpf_sock_addr_test_context_t);
#if defined(BPF_SOCK_ADDR_TEST_CONTEXT_VERSION) || defined(BPF_SOCK_ADDR_TEST_CONTEXT_VERSION_SIZE)
#error the test context macros are new in 1.4.0
#endif
#if defined(BPF_SOCK_ADDR_TEST_CONTEXT_VERSION_TOTAL_SIZE)
#error the test context macros are new in 1.4.0
#endif
#if defined(BPF_SOCK_ADDR_TEST_CONTEXT_HEADER_VERSION)
#error the test context macros are new in 1.4.0
#endif",
    ),
    // "1.4.0": `ebpf_windows.h` is included; its `ebpf_extension_header_t` (tag
    // `_ebpf_extension_header`; 24 / 8 on BPF and x86-64) and `EBPF_SIZE_INCLUDING_FIELD(s, m)`
    // (offset of m plus sizeof m, a size_t), the same in every release.
    (
        V1_4,
        NEWEST,
        "#ifndef EBPF_SIZE_INCLUDING_FIELD
#error ebpf_windows.h is included from 1.4.0
#endif
LAYOUT(ebpf_extension_header_t, 24, 8);
CHECK(SAME_TYPE(struct _ebpf_extension_header, ebpf_extension_header_t));
MEMBER(ebpf_extension_header_t, version, uint16_t, 0, 2);
MEMBER(ebpf_extension_header_t, size, size_t, 8, 8);
MEMBER(ebpf_extension_header_t, total_size, size_t, 16, 8);
CHECK(EBPF_OFFSET_OF(bpf_sock_addr_t, user_port) == 40);
CHECK(EBPF_FIELD_SIZE(bpf_sock_addr_t, user_port) == 2);
CHECK(EBPF_SIZE_INCLUDING_FIELD(bpf_sock_addr_t, user_port) == 42);
CHECK(EBPF_SIZE_INCLUDING_FIELD(bind_md_t, operation) == 48);
TYPE_OF_IS(EBPF_SIZE_INCLUDING_FIELD(bpf_sock_addr_t, user_port), size_t);",
    ),
    // "1.4.0": the test context: the header alias, the struct (size 120, align 8, its member
    // table) and its four macros (1 as int; 120 and 120 as size_t; {1, 120, 120}).
    (
        V1_4,
        NEWEST,
        "CHECK(SAME_TYPE(bpf_sock_addr_test_context_header_t, ebpf_extension_header_t));
LAYOUT(bpf_sock_addr_test_context_t, 120, 8);
CHECK(SAME_TYPE(struct _bpf_sock_addr_test_context, bpf_sock_addr_test_context_t));
MEMBER(bpf_sock_addr_test_context_t, header, bpf_sock_addr_test_context_header_t, 0, 24);
MEMBER(bpf_sock_addr_test_context_t, context, bpf_sock_addr_t, 24, 64);
MEMBER(bpf_sock_addr_test_context_t, network_context, bpf_sock_addr_network_context_t, 88, 32);
CHECK(BPF_SOCK_ADDR_TEST_CONTEXT_VERSION == 1);
TYPE_OF_IS(BPF_SOCK_ADDR_TEST_CONTEXT_VERSION, int);
CHECK(BPF_SOCK_ADDR_TEST_CONTEXT_VERSION_SIZE == 120);
TYPE_OF_IS(BPF_SOCK_ADDR_TEST_CONTEXT_VERSION_SIZE, size_t);
CHECK(BPF_SOCK_ADDR_TEST_CONTEXT_VERSION_TOTAL_SIZE == 120);
TYPE_OF_IS(BPF_SOCK_ADDR_TEST_CONTEXT_VERSION_TOTAL_SIZE, size_t);
extern const bpf_sock_addr_test_context_header_t check_header;
const bpf_sock_addr_test_context_header_t check_header = BPF_SOCK_ADDR_TEST_CONTEXT_HEADER_VERSION;
#ifdef __cplusplus
constexpr bpf_sock_addr_test_context_header_t check_header_values = BPF_SOCK_ADDR_TEST_CONTEXT_HEADER_VERSION;
CHECK(check_header_values.version == 1);
CHECK(check_header_values.size == 120);
CHECK(check_header_values.total_size == 120);
#endif",
    ),
];
