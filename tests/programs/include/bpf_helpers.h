// A stand-in for eBPF for Windows' `bpf_helpers.h`, written from
// `docs/general-helpers-abi.md` (§1.2, §1.5, §3 and §4.1): what that header
// and `ebpf_structs.h` give a program before they include `bpf_helper_defs.h`. The tests
// include the generated `bpf_helper_defs.h` through it, as programs include upstream's.
#pragma once

#include <stddef.h>
#include <stdint.h>

// ebpf_structs.h (section 1.5): the helper IDs, an anonymous enum with a trailing comma.
typedef enum
{
    BPF_FUNC_map_lookup_elem = 1,
    BPF_FUNC_map_update_elem,
    BPF_FUNC_map_delete_elem,
    BPF_FUNC_map_lookup_and_delete_elem,
    BPF_FUNC_tail_call,
    BPF_FUNC_get_prandom_u32,
    BPF_FUNC_ktime_get_boot_ns,
    BPF_FUNC_get_smp_processor_id,
    BPF_FUNC_ktime_get_ns,
    BPF_FUNC_csum_diff,
    BPF_FUNC_ringbuf_output,
    BPF_FUNC_trace_printk2,
    BPF_FUNC_trace_printk3,
    BPF_FUNC_trace_printk4,
    BPF_FUNC_trace_printk5,
    BPF_FUNC_map_push_elem,
    BPF_FUNC_map_pop_elem,
    BPF_FUNC_map_peek_elem,
    BPF_FUNC_get_current_pid_tgid,
    BPF_FUNC_get_current_logon_id,
    BPF_FUNC_is_current_admin,
    BPF_FUNC_memcpy_s,
    BPF_FUNC_memcmp_s,
    BPF_FUNC_memset,
    BPF_FUNC_memmove_s,
    BPF_FUNC_get_socket_cookie,
    BPF_FUNC_strncpy_s,
    BPF_FUNC_strncat_s,
    BPF_FUNC_strnlen_s,
    BPF_FUNC_ktime_get_boot_ms,
    BPF_FUNC_ktime_get_ms,
    BPF_FUNC_perf_event_output,
    BPF_FUNC_get_current_process_start_key,
    BPF_FUNC_get_current_thread_create_time,
    BPF_FUNC_redirect_map, // from eBPF for Windows 1.4.0 on
} ebpf_helper_id_t;

// ebpf_structs.h (section 3): map types, update flags and the legacy map record.
typedef enum bpf_map_type
{
    BPF_MAP_TYPE_UNSPEC = 0,
    BPF_MAP_TYPE_HASH = 1,
    BPF_MAP_TYPE_ARRAY = 2,
    BPF_MAP_TYPE_PROG_ARRAY = 3,
    BPF_MAP_TYPE_PERCPU_HASH = 4,
    BPF_MAP_TYPE_PERCPU_ARRAY = 5,
    BPF_MAP_TYPE_HASH_OF_MAPS = 6,
    BPF_MAP_TYPE_ARRAY_OF_MAPS = 7,
    BPF_MAP_TYPE_LRU_HASH = 8,
    BPF_MAP_TYPE_LPM_TRIE = 9,
    BPF_MAP_TYPE_QUEUE = 10,
    BPF_MAP_TYPE_LRU_PERCPU_HASH = 11,
    BPF_MAP_TYPE_STACK = 12,
    BPF_MAP_TYPE_RINGBUF = 13,
    BPF_MAP_TYPE_PERF_EVENT_ARRAY = 14,
    BPF_MAP_TYPE_SAMPLE_HASH_MAP = 15,
    BPF_MAP_TYPE_XSKMAP = 16,
    BPF_MAP_TYPE_MAX
} ebpf_map_type_t;

typedef enum ebpf_pin_type
{
    LIBBPF_PIN_NONE = 0,
    LIBBPF_PIN_BY_NAME,
} ebpf_pin_type_t;

typedef struct _ebpf_map_definition_in_file
{
    ebpf_map_type_t type;
    uint32_t key_size;
    uint32_t value_size;
    uint32_t max_entries;
    uint32_t inner_map_idx;
    ebpf_pin_type_t pinning;
    uint32_t id;
    uint32_t inner_id;
} ebpf_map_definition_in_file_t;

#define BPF_ANY 0x0
#define BPF_NOEXIST 0x1
#define BPF_EXIST 0x2
#define MAX_TAIL_CALL_CNT 33

// bpf_helpers.h (sections 1.2 and 4.1): the map declaration macros and SEC.
#define __uint(field_name, field_value) int(*field_name)[field_value]
#define __type(field_name, field_type) typeof(field_type)* field_name
#define __array(field_name, map_template) typeof(map_template)* field_name[]
#define SEC(NAME) __attribute__((section(NAME)))
#define bpf_map_def _ebpf_map_definition_in_file

#if !defined(NULL)
#define NULL ((void*)0)
#endif

#if !defined(__doxygen)
#define EBPF_HELPER(return_type, name, args) typedef return_type(*const name##_t) args
#endif

#include "bpf_helper_defs.h"
