// A program array (BPF_MAP_TYPE_PROG_ARRAY, 3): its definition reads, but the runner
// does not emulate the type, so creating the object's maps fails, naming it.
#include "bpf_helpers.h"

SEC("maps") struct bpf_map_def programs = {
    .type = BPF_MAP_TYPE_PROG_ARRAY, .key_size = sizeof(uint32_t), .value_size = sizeof(uint32_t), .max_entries = 8};

SEC("maps") struct bpf_map_def seen = {
    .type = BPF_MAP_TYPE_HASH, .key_size = sizeof(uint32_t), .value_size = sizeof(uint64_t), .max_entries = 8};

SEC("sockops") int use_programs(void* ctx)
{
    return ((volatile struct bpf_map_def*)&programs)->type + ((volatile struct bpf_map_def*)&seen)->type;
}
