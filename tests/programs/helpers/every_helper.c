// Calls every general helper once, in ID order (1 to 34), through the generated
// `bpf_helper_defs.h` as upstream's `bpf_helpers.h` includes it. bpf_printk with zero
// to three numbers stands for IDs 12 to 15. The test checks that the BPF object calls
// exactly IDs 1 to 34, in order, and that it is the same object as with a reference
// header written from `docs/general-helpers-abi.md` §2.1.
#include "bpf_helpers.h"

struct
{
    __uint(type, BPF_MAP_TYPE_HASH);
    __type(key, uint32_t);
    __type(value, uint64_t);
    __uint(max_entries, 16);
} counters SEC(".maps");

SEC("maps") struct bpf_map_def queue = {
    .type = BPF_MAP_TYPE_QUEUE, .key_size = 0, .value_size = sizeof(uint64_t), .max_entries = 8};

SEC("bind") int every_helper(void* ctx)
{
    uint32_t key = 1;
    uint64_t value = 7;
    char text[16] = "alpha";
    char copy[16] = {0};
    long sum = 0;

    uint64_t* found = bpf_map_lookup_elem(&counters, &key);
    sum += found != NULL;
    sum += bpf_map_update_elem(&counters, &key, &value, BPF_ANY);
    sum += bpf_map_delete_elem(&counters, &key);
    sum += bpf_map_lookup_and_delete_elem(&counters, &key) != NULL;
    sum += bpf_tail_call(ctx, &counters, 0);
    sum += bpf_get_prandom_u32();
    sum += bpf_ktime_get_boot_ns();
    sum += bpf_get_smp_processor_id();
    sum += bpf_ktime_get_ns();
    sum += bpf_csum_diff(&key, 4, &value, 4, 0);
    sum += bpf_ringbuf_output(&counters, &value, sizeof(value), 0);
    sum += bpf_printk("none");
    sum += bpf_printk("one %d", 1);
    sum += bpf_printk("two %d %u", 1, 2);
    sum += bpf_printk("three %d %u %x", 1, 2, 3);
    sum += bpf_map_push_elem(&queue, &value, BPF_EXIST);
    sum += bpf_map_pop_elem(&queue, &value);
    sum += bpf_map_peek_elem(&queue, &value);
    sum += bpf_get_current_pid_tgid();
    sum += bpf_get_current_logon_id(ctx);
    sum += bpf_is_current_admin(ctx);
    sum += bpf_memcpy_s(copy, sizeof(copy), text, sizeof(text));
    sum += bpf_memcmp_s(copy, sizeof(copy), text, sizeof(text));
    sum += bpf_memset(copy, sizeof(copy), 0) != 0;
    sum += bpf_memmove_s(copy, sizeof(copy), text, sizeof(text));
    sum += bpf_get_socket_cookie(ctx);
    sum += bpf_strncpy_s(copy, sizeof(copy), text, 6);
    sum += bpf_strncat_s(copy, sizeof(copy), text, 5);
    sum += bpf_strnlen_s(copy, sizeof(copy));
    sum += bpf_ktime_get_boot_ms();
    sum += bpf_ktime_get_ms();
    sum += bpf_perf_event_output(ctx, &counters, 0xFFFFFFFFULL, &value, sizeof(value));
    sum += bpf_get_current_process_start_key();
    sum += bpf_get_current_thread_create_time();
    return (int)sum;
}
