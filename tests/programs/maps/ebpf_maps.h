// Map and general-helper declarations for the runner's map tests, written from the
// facts file (/work/shared/general-helpers-abi.md, sections 1 to 4): eBPF for Windows'
// `ebpf_map_type_t` numbering, its in-file definition struct, the BTF macros of
// `bpf_helpers.h`, the general helpers' IDs and prototypes and the `bpf_printk`
// macros of `bpf_helper_defs.h`. A stand-in for upstream's headers, which the tests
// do not have.
#pragma once

#include <stddef.h>
#include <stdint.h>

#define SEC(NAME) __attribute__((section(NAME), used))

// Section 3.1: `typedef enum bpf_map_type { ... } ebpf_map_type_t;`
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

// Section 3.3.
typedef enum ebpf_pin_type
{
    LIBBPF_PIN_NONE = 0,
    LIBBPF_PIN_BY_NAME,
} ebpf_pin_type_t;

// Section 3.4: the record of a legacy `maps` section (32 bytes, all members 4 bytes).
struct _ebpf_map_definition_in_file
{
    ebpf_map_type_t type;
    uint32_t key_size;
    uint32_t value_size;
    uint32_t max_entries;
    uint32_t inner_map_idx;
    ebpf_pin_type_t pinning;
    uint32_t id;
    uint32_t inner_id;
};
#define bpf_map_def _ebpf_map_definition_in_file

// Section 4.1: the BTF map macros.
#define __uint(field_name, field_value) int(*field_name)[field_value]
#define __type(field_name, field_type) typeof(field_type)* field_name
#define __array(field_name, map_template) typeof(map_template)* field_name[]

// Section 3.2: update flags.
#define BPF_ANY 0x0
#define BPF_NOEXIST 0x1
#define BPF_EXIST 0x2

// Sections 1.5 and 2.1: the general helpers' IDs, as `ebpf_structs.h` defines them.
typedef enum
{
    BPF_FUNC_map_lookup_elem = 1,
    BPF_FUNC_map_update_elem = 2,
    BPF_FUNC_map_delete_elem = 3,
    BPF_FUNC_map_lookup_and_delete_elem = 4,
    BPF_FUNC_tail_call = 5,
    BPF_FUNC_get_prandom_u32 = 6,
    BPF_FUNC_ktime_get_boot_ns = 7,
    BPF_FUNC_get_smp_processor_id = 8,
    BPF_FUNC_ktime_get_ns = 9,
    BPF_FUNC_csum_diff = 10,
    BPF_FUNC_ringbuf_output = 11,
    BPF_FUNC_trace_printk2 = 12,
    BPF_FUNC_trace_printk3 = 13,
    BPF_FUNC_trace_printk4 = 14,
    BPF_FUNC_trace_printk5 = 15,
    BPF_FUNC_map_push_elem = 16,
    BPF_FUNC_map_pop_elem = 17,
    BPF_FUNC_map_peek_elem = 18,
    BPF_FUNC_get_current_pid_tgid = 19,
    BPF_FUNC_get_current_logon_id = 20,
    BPF_FUNC_is_current_admin = 21,
    BPF_FUNC_memcpy_s = 22,
    BPF_FUNC_memcmp_s = 23,
    BPF_FUNC_memset = 24,
    BPF_FUNC_memmove_s = 25,
    BPF_FUNC_get_socket_cookie = 26,
    BPF_FUNC_strncpy_s = 27,
    BPF_FUNC_strncat_s = 28,
    BPF_FUNC_strnlen_s = 29,
    BPF_FUNC_ktime_get_boot_ms = 30,
    BPF_FUNC_ktime_get_ms = 31,
    BPF_FUNC_perf_event_output = 32,
    BPF_FUNC_get_current_process_start_key = 33,
    BPF_FUNC_get_current_thread_create_time = 34,
} ebpf_helper_id_t;

// Section 1.3: each helper is a const function-pointer typedef and a macro that casts
// its ID to it, so clang emits `call <ID>`.
#if !defined(EBPF_HELPER)
#define EBPF_HELPER(return_type, name, args) typedef return_type(*const name##_t) args
#endif

EBPF_HELPER(void*, bpf_map_lookup_elem, (void* map, const void* key));
#define bpf_map_lookup_elem ((bpf_map_lookup_elem_t)BPF_FUNC_map_lookup_elem)
EBPF_HELPER(int64_t, bpf_map_update_elem, (void* map, const void* key, const void* value, uint64_t flags));
#define bpf_map_update_elem ((bpf_map_update_elem_t)BPF_FUNC_map_update_elem)
EBPF_HELPER(int64_t, bpf_map_delete_elem, (void* map, const void* key));
#define bpf_map_delete_elem ((bpf_map_delete_elem_t)BPF_FUNC_map_delete_elem)
EBPF_HELPER(void*, bpf_map_lookup_and_delete_elem, (void* map, const void* key));
#define bpf_map_lookup_and_delete_elem ((bpf_map_lookup_and_delete_elem_t)BPF_FUNC_map_lookup_and_delete_elem)
EBPF_HELPER(int64_t, bpf_tail_call, (const void* ctx, const void* prog_array_map, uint32_t index));
#define bpf_tail_call ((bpf_tail_call_t)BPF_FUNC_tail_call)
EBPF_HELPER(uint32_t, bpf_get_prandom_u32, ());
#define bpf_get_prandom_u32 ((bpf_get_prandom_u32_t)BPF_FUNC_get_prandom_u32)
EBPF_HELPER(uint64_t, bpf_ktime_get_boot_ns, ());
#define bpf_ktime_get_boot_ns ((bpf_ktime_get_boot_ns_t)BPF_FUNC_ktime_get_boot_ns)
EBPF_HELPER(uint64_t, bpf_get_smp_processor_id, ());
#define bpf_get_smp_processor_id ((bpf_get_smp_processor_id_t)BPF_FUNC_get_smp_processor_id)
EBPF_HELPER(uint64_t, bpf_ktime_get_ns, ());
#define bpf_ktime_get_ns ((bpf_ktime_get_ns_t)BPF_FUNC_ktime_get_ns)
EBPF_HELPER(int, bpf_csum_diff, (const void* from, int from_size, const void* to, int to_size, int seed));
#define bpf_csum_diff ((bpf_csum_diff_t)BPF_FUNC_csum_diff)
EBPF_HELPER(int, bpf_ringbuf_output, (void* ring_buffer, const void* data, uint64_t size, uint64_t flags));
#define bpf_ringbuf_output ((bpf_ringbuf_output_t)BPF_FUNC_ringbuf_output)
EBPF_HELPER(long, bpf_trace_printk2, (const char* fmt, uint32_t fmt_size));
#define bpf_trace_printk2 ((bpf_trace_printk2_t)BPF_FUNC_trace_printk2)
EBPF_HELPER(long, bpf_trace_printk3, (const char* fmt, uint32_t fmt_size, uint64_t arg3));
#define bpf_trace_printk3 ((bpf_trace_printk3_t)BPF_FUNC_trace_printk3)
EBPF_HELPER(long, bpf_trace_printk4, (const char* fmt, uint32_t fmt_size, uint64_t arg3, uint64_t arg4));
#define bpf_trace_printk4 ((bpf_trace_printk4_t)BPF_FUNC_trace_printk4)
EBPF_HELPER(long, bpf_trace_printk5, (const char* fmt, uint32_t fmt_size, uint64_t arg3, uint64_t arg4, uint64_t arg5));
#define bpf_trace_printk5 ((bpf_trace_printk5_t)BPF_FUNC_trace_printk5)

// Section 1.4: the printk block.
#define EBPF_CONCATENATE(X, Y) X##Y
#define EBPF_MAKE_HELPER_NAME(PREFIX, ARG_COUNT) EBPF_CONCATENATE(PREFIX, ARG_COUNT)
#define EBPF_GET_NTH_ARG(_1, _2, _3, _4, _5, N, ...) N
#define EBPF_COUNT_VA_ARGS(...) EBPF_GET_NTH_ARG(__VA_ARGS__, 5, 4, 3, 2, 1)
#define EBPF_VA_ARGS_HELPER(PREFIX, ...) \
    EBPF_MAKE_HELPER_NAME(PREFIX, EBPF_COUNT_VA_ARGS(__VA_ARGS__))(__VA_ARGS__)
#undef bpf_trace_printk
#define bpf_trace_printk(fmt, size, ...) ({ EBPF_VA_ARGS_HELPER(bpf_trace_printk, fmt, size, ##__VA_ARGS__); })
#undef bpf_printk
#define bpf_printk(fmt, ...)                                     \
    ({                                                           \
        char ____fmt[] = fmt;                                    \
        bpf_trace_printk(____fmt, sizeof(____fmt), ##__VA_ARGS__); \
    })

EBPF_HELPER(int64_t, bpf_map_push_elem, (void* map, const void* value, uint64_t flags));
#define bpf_map_push_elem ((bpf_map_push_elem_t)BPF_FUNC_map_push_elem)
EBPF_HELPER(int64_t, bpf_map_pop_elem, (void* map, void* value));
#define bpf_map_pop_elem ((bpf_map_pop_elem_t)BPF_FUNC_map_pop_elem)
EBPF_HELPER(int64_t, bpf_map_peek_elem, (void* map, void* value));
#define bpf_map_peek_elem ((bpf_map_pop_elem_t)BPF_FUNC_map_peek_elem)
EBPF_HELPER(uint64_t, bpf_get_current_pid_tgid, ());
#define bpf_get_current_pid_tgid ((bpf_get_current_pid_tgid_t)BPF_FUNC_get_current_pid_tgid)
EBPF_HELPER(uint64_t, bpf_get_current_logon_id, (const void* ctx));
#define bpf_get_current_logon_id ((bpf_get_current_logon_id_t)BPF_FUNC_get_current_logon_id)
EBPF_HELPER(int32_t, bpf_is_current_admin, (const void* ctx));
#define bpf_is_current_admin ((bpf_is_current_admin_t)BPF_FUNC_is_current_admin)
EBPF_HELPER(long, bpf_memcpy_s, (void* destination, size_t destination_size, const void* source, size_t source_size));
#define bpf_memcpy_s ((bpf_memcpy_s_t)BPF_FUNC_memcpy_s)
EBPF_HELPER(int, bpf_memcmp_s, (const void* memory1, size_t memory1_size, const void* memory2, size_t memory2_size));
#define bpf_memcmp_s ((bpf_memcmp_s_t)BPF_FUNC_memcmp_s)
EBPF_HELPER(long, bpf_memset, (void* memory, size_t size, int value));
#define bpf_memset ((bpf_memset_t)BPF_FUNC_memset)
EBPF_HELPER(long, bpf_memmove_s, (void* destination, size_t destination_size, const void* source, size_t source_size));
#define bpf_memmove_s ((bpf_memmove_s_t)BPF_FUNC_memmove_s)
EBPF_HELPER(int64_t, bpf_get_socket_cookie, (const void* ctx));
#define bpf_get_socket_cookie ((bpf_get_socket_cookie_t)BPF_FUNC_get_socket_cookie)
EBPF_HELPER(int, bpf_strncpy_s, (char* dest, size_t dest_size, const char* src, size_t count));
#define bpf_strncpy_s ((bpf_strncpy_s_t)BPF_FUNC_strncpy_s)
EBPF_HELPER(int, bpf_strncat_s, (char* dest, size_t dest_size, const char* src, size_t count));
#define bpf_strncat_s ((bpf_strncat_s_t)BPF_FUNC_strncat_s)
EBPF_HELPER(size_t, bpf_strnlen_s, (const char* str, size_t str_size));
#define bpf_strnlen_s ((bpf_strnlen_s_t)BPF_FUNC_strnlen_s)
EBPF_HELPER(uint64_t, bpf_ktime_get_boot_ms, ());
#define bpf_ktime_get_boot_ms ((bpf_ktime_get_boot_ms_t)BPF_FUNC_ktime_get_boot_ms)
EBPF_HELPER(uint64_t, bpf_ktime_get_ms, ());
#define bpf_ktime_get_ms ((bpf_ktime_get_ms_t)BPF_FUNC_ktime_get_ms)
EBPF_HELPER(
    int,
    bpf_perf_event_output,
    (const void* ctx, void* perf_event_array, uint64_t flags, const void* data, uint64_t size));
#define bpf_perf_event_output ((bpf_perf_event_output_t)BPF_FUNC_perf_event_output)
EBPF_HELPER(uint64_t, bpf_get_current_process_start_key, ());
#define bpf_get_current_process_start_key ((bpf_get_current_process_start_key_t)BPF_FUNC_get_current_process_start_key)
EBPF_HELPER(int64_t, bpf_get_current_thread_create_time, ());
#define bpf_get_current_thread_create_time \
    ((bpf_get_current_thread_create_time_t)BPF_FUNC_get_current_thread_create_time)
