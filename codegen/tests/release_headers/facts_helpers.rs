//! Every helper's signature and ID, per release. The general helpers' IDs 1..34 (and 35,
//! `bpf_redirect_map`, from 1.4.0) and the nine signatures that gained `const` in 1.1.0 are
//! from `docs/efw-releases.md` ("The stable core", "1.1.0", "1.4.0"); the return types of
//! those nine and the other general helpers' signatures (unchanged in every release, the
//! "1.1.0" section says) from `docs/general-helpers-abi.md` (2.1). The extension helpers are
//! from `docs/efw-releases.md` ("The stable core", "1.2.1", "1.3.0").

use super::facts::{Fact, NEWEST, RC2, V1_1, V1_2, V1_3, V1_4};
use super::releases::position;

/// Each helper's `_t` typedef against its exact function pointer type.
pub const HELPER_FACTS: &[Fact] = &[
    // "1.1.0": nine general helpers without `const` in 1.0.0-rc2, with it from 1.1.0.
    (
        RC2,
        RC2,
        "SIGNATURE(bpf_map_lookup_elem, void*, (void*, void*));
SIGNATURE(bpf_map_update_elem, int64_t, (void*, void*, void*, uint64_t));
SIGNATURE(bpf_map_delete_elem, int64_t, (void*, void*));
SIGNATURE(bpf_map_lookup_and_delete_elem, void*, (void*, void*));
SIGNATURE(bpf_tail_call, int64_t, (void*, void*, uint32_t));
SIGNATURE(bpf_csum_diff, int, (void*, int, void*, int, int));
SIGNATURE(bpf_ringbuf_output, int, (void*, void*, uint64_t, uint64_t));
SIGNATURE(bpf_map_push_elem, int64_t, (void*, void*, uint64_t));
SIGNATURE(bpf_perf_event_output, int, (void*, void*, uint64_t, void*, uint64_t));",
    ),
    (
        V1_1,
        NEWEST,
        "SIGNATURE(bpf_map_lookup_elem, void*, (void*, const void*));
SIGNATURE(bpf_map_update_elem, int64_t, (void*, const void*, const void*, uint64_t));
SIGNATURE(bpf_map_delete_elem, int64_t, (void*, const void*));
SIGNATURE(bpf_map_lookup_and_delete_elem, void*, (void*, const void*));
SIGNATURE(bpf_tail_call, int64_t, (const void*, const void*, uint32_t));
SIGNATURE(bpf_csum_diff, int, (const void*, int, const void*, int, int));
SIGNATURE(bpf_ringbuf_output, int, (void*, const void*, uint64_t, uint64_t));
SIGNATURE(bpf_map_push_elem, int64_t, (void*, const void*, uint64_t));
SIGNATURE(bpf_perf_event_output, int, (const void*, void*, uint64_t, const void*, uint64_t));",
    ),
    // The other 25 general helpers, the same in every release.
    (
        RC2,
        NEWEST,
        "SIGNATURE(bpf_get_prandom_u32, uint32_t, ());
SIGNATURE(bpf_ktime_get_boot_ns, uint64_t, ());
SIGNATURE(bpf_get_smp_processor_id, uint64_t, ());
SIGNATURE(bpf_ktime_get_ns, uint64_t, ());
SIGNATURE(bpf_trace_printk2, long, (const char*, uint32_t));
SIGNATURE(bpf_trace_printk3, long, (const char*, uint32_t, uint64_t));
SIGNATURE(bpf_trace_printk4, long, (const char*, uint32_t, uint64_t, uint64_t));
SIGNATURE(bpf_trace_printk5, long, (const char*, uint32_t, uint64_t, uint64_t, uint64_t));
SIGNATURE(bpf_map_pop_elem, int64_t, (void*, void*));
SIGNATURE(bpf_map_peek_elem, int64_t, (void*, void*));
SIGNATURE(bpf_get_current_pid_tgid, uint64_t, ());
SIGNATURE(bpf_get_current_logon_id, uint64_t, (const void*));
SIGNATURE(bpf_is_current_admin, int32_t, (const void*));
SIGNATURE(bpf_memcpy_s, long, (void*, size_t, const void*, size_t));
SIGNATURE(bpf_memcmp_s, int, (const void*, size_t, const void*, size_t));
SIGNATURE(bpf_memset, long, (void*, size_t, int));
SIGNATURE(bpf_memmove_s, long, (void*, size_t, const void*, size_t));
SIGNATURE(bpf_get_socket_cookie, int64_t, (const void*));
SIGNATURE(bpf_strncpy_s, int, (char*, size_t, const char*, size_t));
SIGNATURE(bpf_strncat_s, int, (char*, size_t, const char*, size_t));
SIGNATURE(bpf_strnlen_s, size_t, (const char*, size_t));
SIGNATURE(bpf_ktime_get_boot_ms, uint64_t, ());
SIGNATURE(bpf_ktime_get_ms, uint64_t, ());
SIGNATURE(bpf_get_current_process_start_key, uint64_t, ());
SIGNATURE(bpf_get_current_thread_create_time, int64_t, ());",
    ),
    // "The stable core": `bpf_sock_addr_set_redirect_context`.
    (
        RC2,
        NEWEST,
        "SIGNATURE(bpf_sock_addr_set_redirect_context, int, (bpf_sock_addr_t*, void*, uint32_t));",
    ),
    // "1.2.1": `bpf_sock_ops_get_flow_id`, absent before.
    (
        RC2,
        V1_1,
        "#ifdef bpf_sock_ops_get_flow_id
#error bpf_sock_ops_get_flow_id is new in 1.2.1
#endif
ABSENT_TYPE(bpf_sock_ops_get_flow_id_t);",
    ),
    (
        V1_2,
        NEWEST,
        "SIGNATURE(bpf_sock_ops_get_flow_id, uint64_t, (bpf_sock_ops_t*));",
    ),
    // "1.3.0": `bpf_sock_addr_get_network_context`, absent before.
    (
        RC2,
        V1_2,
        "#ifdef bpf_sock_addr_get_network_context
#error bpf_sock_addr_get_network_context is new in 1.3.0
#endif
ABSENT_TYPE(bpf_sock_addr_get_network_context_t);",
    ),
    (
        V1_3,
        NEWEST,
        "SIGNATURE(bpf_sock_addr_get_network_context, int, (bpf_sock_addr_t*, void*, uint32_t));",
    ),
    // "1.4.0": `bpf_redirect_map` (`intptr_t`), absent before.
    (
        RC2,
        V1_3,
        "#ifdef bpf_redirect_map
#error bpf_redirect_map is new in 1.4.0
#endif
ABSENT_TYPE(bpf_redirect_map_t);",
    ),
    (
        V1_4,
        NEWEST,
        "SIGNATURE(bpf_redirect_map, intptr_t, (void*, uint64_t, uint64_t));",
    ),
];

/// (first release, last release, helper, ID): the ID each helper's macro calls.
pub const HELPER_IDS: &[(&str, &str, &str, u32)] = &[
    // "The stable core": general helper IDs 1..34, the same in every release.
    (RC2, NEWEST, "bpf_map_lookup_elem", 1),
    (RC2, NEWEST, "bpf_map_update_elem", 2),
    (RC2, NEWEST, "bpf_map_delete_elem", 3),
    (RC2, NEWEST, "bpf_map_lookup_and_delete_elem", 4),
    (RC2, NEWEST, "bpf_tail_call", 5),
    (RC2, NEWEST, "bpf_get_prandom_u32", 6),
    (RC2, NEWEST, "bpf_ktime_get_boot_ns", 7),
    (RC2, NEWEST, "bpf_get_smp_processor_id", 8),
    (RC2, NEWEST, "bpf_ktime_get_ns", 9),
    (RC2, NEWEST, "bpf_csum_diff", 10),
    (RC2, NEWEST, "bpf_ringbuf_output", 11),
    (RC2, NEWEST, "bpf_trace_printk2", 12),
    (RC2, NEWEST, "bpf_trace_printk3", 13),
    (RC2, NEWEST, "bpf_trace_printk4", 14),
    (RC2, NEWEST, "bpf_trace_printk5", 15),
    (RC2, NEWEST, "bpf_map_push_elem", 16),
    (RC2, NEWEST, "bpf_map_pop_elem", 17),
    (RC2, NEWEST, "bpf_map_peek_elem", 18),
    (RC2, NEWEST, "bpf_get_current_pid_tgid", 19),
    (RC2, NEWEST, "bpf_get_current_logon_id", 20),
    (RC2, NEWEST, "bpf_is_current_admin", 21),
    (RC2, NEWEST, "bpf_memcpy_s", 22),
    (RC2, NEWEST, "bpf_memcmp_s", 23),
    (RC2, NEWEST, "bpf_memset", 24),
    (RC2, NEWEST, "bpf_memmove_s", 25),
    (RC2, NEWEST, "bpf_get_socket_cookie", 26),
    (RC2, NEWEST, "bpf_strncpy_s", 27),
    (RC2, NEWEST, "bpf_strncat_s", 28),
    (RC2, NEWEST, "bpf_strnlen_s", 29),
    (RC2, NEWEST, "bpf_ktime_get_boot_ms", 30),
    (RC2, NEWEST, "bpf_ktime_get_ms", 31),
    (RC2, NEWEST, "bpf_perf_event_output", 32),
    (RC2, NEWEST, "bpf_get_current_process_start_key", 33),
    (RC2, NEWEST, "bpf_get_current_thread_create_time", 34),
    // "1.4.0": `bpf_redirect_map`, ID 35.
    (V1_4, NEWEST, "bpf_redirect_map", 35),
    // The extension helpers ("The stable core", "1.2.1", "1.3.0").
    (RC2, NEWEST, "bpf_sock_addr_set_redirect_context", 65537),
    (V1_2, NEWEST, "bpf_sock_ops_get_flow_id", 65536),
    (V1_3, NEWEST, "bpf_sock_addr_get_network_context", 65538),
];

/// The checks, at the end of a release's translation unit, that each of its helpers' macros
/// calls its ID: every helper's `_t` typedef name becomes `long` there, so a helper's macro
/// (its typedef cast of its ID enumerator) is an integer constant. The casts' typedef is not
/// always the helper's own (`bpf_map_peek_elem` casts through `bpf_map_pop_elem_t`), so all
/// of the release's are redefined before any is checked.
pub fn helper_id_checks(release: &str) -> String {
    let at = position(release);
    let helpers: Vec<(&str, u32)> = (HELPER_IDS.iter())
        .filter(|(first, last, ..)| (position(first)..=position(last)).contains(&at))
        .map(|(_, _, helper, id)| (*helper, *id))
        .collect();
    let mut text =
        String::from("// Helper IDs: each helper's typedef name is `long` from here on.\n");
    for (helper, _) in &helpers {
        text.push_str(&format!("#define {helper}_t long\n"));
    }
    for (helper, id) in &helpers {
        text.push_str(&format!("CHECK({helper} == {id});\n"));
    }
    text
}
