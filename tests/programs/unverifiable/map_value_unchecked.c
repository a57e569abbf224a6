// Uses a map lookup's result without checking it for NULL.
#include "bpf_helpers.h"
#include "ebpf_nethooks.h"

SEC("maps") struct bpf_map_def ports = {
    .type = BPF_MAP_TYPE_HASH, .key_size = sizeof(uint32_t), .value_size = sizeof(uint64_t),
    .max_entries = 16};

SEC("bind") bind_action_t map_value_unchecked(bind_md_t* ctx)
{
    uint32_t key = (uint32_t)ctx->process_id;
    uint64_t* seen = bpf_map_lookup_elem(&ports, &key);
    return *seen ? BIND_DENY : BIND_PERMIT_SOFT;
}
