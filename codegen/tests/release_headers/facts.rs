//! What `docs/efw-releases.md` says of each release, as C that the compilers check,
//! and a stand-in for upstream's own `ebpf_windows.h`.

use super::releases::position;

/// What `docs/efw-releases.md` says of each release, as C the four compilers check: (first
/// release, last release, declaration or assertion).
pub const FACTS: &[(&str, &str, &str)] = &[
    ("1.0.0-rc2", "1.5.0", "CHECK(sizeof(bind_md_t) == 56);"),
    (
        "1.0.0-rc2",
        "1.5.0",
        "CHECK(offsetof(bind_md_t, process_id) == 16);",
    ),
    (
        "1.0.0-rc2",
        "1.5.0",
        "CHECK(offsetof(bind_md_t, operation) == 44);",
    ),
    (
        "1.0.0-rc2",
        "1.5.0",
        "CHECK(offsetof(bind_md_t, protocol) == 48);",
    ),
    (
        "1.0.0-rc2",
        "1.5.0",
        "CHECK(sizeof(bpf_sock_addr_t) == 64);",
    ),
    (
        "1.0.0-rc2",
        "1.5.0",
        "CHECK(offsetof(bpf_sock_addr_t, user_port) == 40);",
    ),
    (
        "1.0.0-rc2",
        "1.5.0",
        "CHECK(offsetof(bpf_sock_addr_t, interface_luid) == 56);",
    ),
    ("1.0.0-rc2", "1.5.0", "CHECK(sizeof(bpf_sock_ops_t) == 64);"),
    (
        "1.0.0-rc2",
        "1.5.0",
        "CHECK(offsetof(bpf_sock_ops_t, protocol) == 48);",
    ),
    (
        "1.0.0-rc2",
        "1.5.0",
        "CHECK(BIND_PERMIT == 0 && BIND_DENY == 1 && BIND_REDIRECT == 2);",
    ),
    (
        "1.0.0-rc2",
        "1.5.0",
        "CHECK(BPF_FUNC_sock_addr_set_redirect_context == 65537);",
    ),
    (
        "1.0.0-rc2",
        "1.5.0",
        "CHECK(BPF_FUNC_sock_addr_get_current_pid_tgid == 65536);",
    ),
    (
        "1.0.0-rc2",
        "1.5.0",
        "CHECK(SOCK_ADDR_EXT_HELPER_FN_BASE == 0xFFFF);",
    ),
    (
        "1.0.0-rc2",
        "1.5.0",
        "extern int (*const check_redirect)(bpf_sock_addr_t*, void*, uint32_t);\n\
         extern bpf_sock_addr_set_redirect_context_t check_redirect;",
    ),
    (
        "1.1.0",
        "1.5.0",
        "CHECK(BIND_PERMIT_SOFT == 0 && BIND_PERMIT_HARD == 3);",
    ),
    (
        "1.2.1",
        "1.5.0",
        "CHECK(SOCK_OPS_EXT_HELPER_FN_BASE == 0xFFFF);",
    ),
    (
        "1.2.1",
        "1.5.0",
        "CHECK(BPF_FUNC_sock_ops_get_flow_id == 65536);",
    ),
    (
        "1.2.1",
        "1.5.0",
        "extern uint64_t (*const check_flow)(bpf_sock_ops_t*);\n\
         extern bpf_sock_ops_get_flow_id_t check_flow;",
    ),
    (
        "1.3.0",
        "1.5.0",
        "CHECK(BPF_FUNC_sock_addr_get_network_context == 65538);",
    ),
    (
        "1.3.0",
        "1.5.0",
        "CHECK(BPF_SOCK_ADDR_NETWORK_CONTEXT_VERSION == 1);",
    ),
    (
        "1.3.0",
        "1.5.0",
        "CHECK(sizeof(bpf_sock_addr_network_context_t) == 32);",
    ),
    (
        "1.3.0",
        "1.5.0",
        "CHECK(offsetof(bpf_sock_addr_network_context_t, tunnel_type) == 8);",
    ),
    (
        "1.3.0",
        "1.5.0",
        "CHECK(offsetof(bpf_sock_addr_network_context_t, next_hop_interface_luid) == 16);",
    ),
    (
        "1.3.0",
        "1.5.0",
        "CHECK(offsetof(bpf_sock_addr_network_context_t, sub_interface_index) == 24);",
    ),
    (
        "1.3.0",
        "1.5.0",
        "extern int (*const check_network)(bpf_sock_addr_t*, void*, uint32_t);\n\
         extern bpf_sock_addr_get_network_context_t check_network;",
    ),
    (
        "1.4.0",
        "1.5.0",
        "CHECK(sizeof(ebpf_extension_header_t) == 24);",
    ),
    (
        "1.4.0",
        "1.5.0",
        "CHECK(offsetof(ebpf_extension_header_t, size) == 8);",
    ),
    (
        "1.4.0",
        "1.5.0",
        "CHECK(offsetof(ebpf_extension_header_t, total_size) == 16);",
    ),
    (
        "1.4.0",
        "1.5.0",
        "CHECK(sizeof(bpf_sock_addr_test_context_t) == 120);",
    ),
    (
        "1.4.0",
        "1.5.0",
        "CHECK(offsetof(bpf_sock_addr_test_context_t, context) == 24);",
    ),
    (
        "1.4.0",
        "1.5.0",
        "CHECK(offsetof(bpf_sock_addr_test_context_t, network_context) == 88);",
    ),
    (
        "1.4.0",
        "1.5.0",
        "CHECK(BPF_SOCK_ADDR_TEST_CONTEXT_VERSION == 1);",
    ),
    (
        "1.4.0",
        "1.5.0",
        "CHECK(BPF_SOCK_ADDR_TEST_CONTEXT_VERSION_SIZE == 120);",
    ),
    (
        "1.4.0",
        "1.5.0",
        "CHECK(BPF_SOCK_ADDR_TEST_CONTEXT_VERSION_TOTAL_SIZE == 120);",
    ),
    (
        "1.4.0",
        "1.5.0",
        "extern const bpf_sock_addr_test_context_header_t check_header;\n\
         const bpf_sock_addr_test_context_header_t check_header =\n    \
         BPF_SOCK_ADDR_TEST_CONTEXT_HEADER_VERSION;",
    ),
    ("1.4.0", "1.5.0", "CHECK(BPF_FUNC_redirect_map == 35);"),
    (
        "1.4.0",
        "1.5.0",
        "extern intptr_t (*const check_redirect_map)(void*, uint64_t, uint64_t);\n\
         extern bpf_redirect_map_t check_redirect_map;",
    ),
    // 1.1.0 made nine general helpers' pointer parameters `const`.
    (
        "1.0.0-rc2",
        "1.0.0-rc2",
        "extern void* (*const check_lookup)(void*, void*);\n\
         extern bpf_map_lookup_elem_t check_lookup;",
    ),
    (
        "1.1.0",
        "1.5.0",
        "extern void* (*const check_lookup)(void*, const void*);\n\
         extern bpf_map_lookup_elem_t check_lookup;",
    ),
    (
        "1.0.0-rc2",
        "1.0.0-rc2",
        "extern int (*const check_output)(void*, void*, uint64_t, void*, uint64_t);\n\
         extern bpf_perf_event_output_t check_output;",
    ),
    (
        "1.1.0",
        "1.5.0",
        "extern int (*const check_output)(const void*, void*, uint64_t, const void*, uint64_t);\n\
         extern bpf_perf_event_output_t check_output;",
    ),
];

/// A translation unit that includes the release's headers as a program does and
/// asserts the release's facts.
pub fn facts_source(release: &str) -> String {
    let at = position(release);
    let mut text = String::from(
        "#include \"bpf_helpers.h\"\n#include \"ebpf_nethooks.h\"\n#include \"bpf_helper_defs.h\"\n\
         #ifdef __cplusplus\n#define CHECK(e) static_assert(e, #e)\n#else\n\
         #define CHECK(e) _Static_assert(e, #e)\n#endif\n",
    );
    for (first, last, fact) in FACTS {
        if (position(first)..=position(last)).contains(&at) {
            text.push_str(fact);
            text.push('\n');
        }
    }
    text
}

/// A stand-in for upstream's own `ebpf_windows.h`, written from `docs/efw-releases.md` (1.4.0):
/// what the drop-in defines, plus a `GUID` type the drop-in does not have.
pub const UPSTREAM_EBPF_WINDOWS_H: &str = "#pragma once
#include <stddef.h>
#include <stdint.h>
typedef uint8_t GUID[16];
typedef struct _ebpf_extension_header
{
    uint16_t version;
    size_t size;
    size_t total_size;
} ebpf_extension_header_t;
#define EBPF_OFFSET_OF(s, m) (((size_t) & ((s*)0)->m))
#define EBPF_FIELD_SIZE(s, m) (sizeof(((s*)0)->m))
#define EBPF_SIZE_INCLUDING_FIELD(s, m) (EBPF_OFFSET_OF(s, m) + EBPF_FIELD_SIZE(s, m))
";
