// Stores a pointer (the context's address) into a map value.
#include "bpf_helpers.h"
#include "ebpf_nethooks.h"

SEC("maps") struct bpf_map_def saved = {
    .type = BPF_MAP_TYPE_ARRAY, .key_size = sizeof(uint32_t), .value_size = sizeof(uint64_t),
    .max_entries = 1};

SEC("bind") bind_action_t pointer_into_map(bind_md_t* ctx)
{
    uint32_t key = 0;
    uint64_t value = (uint64_t)ctx;
    bpf_map_update_elem(&saved, &key, &value, BPF_ANY);
    return BIND_PERMIT_SOFT;
}
