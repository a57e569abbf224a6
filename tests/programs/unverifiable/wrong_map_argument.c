// Passes a stack buffer where bpf_map_lookup_elem needs a map.
#include "bpf_helpers.h"
#include "ebpf_nethooks.h"

SEC("bind") bind_action_t wrong_map_argument(bind_md_t* ctx)
{
    uint64_t not_a_map[4] = {0};
    uint32_t key = (uint32_t)ctx->process_id;
    return bpf_map_lookup_elem(not_a_map, &key) ? BIND_DENY : BIND_PERMIT_SOFT;
}
