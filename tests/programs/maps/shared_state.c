// Two programs of one object sharing a map and global data: `remember` (bind) stores
// the binding process's ID in an array slot chosen by `.data`'s `slot` and counts in
// `.bss`; `recall` (sockops) returns what was stored plus the count, so a scenario
// shows that runs of different programs see the same state.
#include "ebpf_nethooks.h"
#include "bpf_helpers.h"

SEC("maps") struct bpf_map_def remembered = {
    .type = BPF_MAP_TYPE_ARRAY, .key_size = sizeof(uint32_t), .value_size = sizeof(uint64_t), .max_entries = 2};

static volatile uint32_t slot = 1;
static volatile uint64_t binds;

SEC("bind") int remember(bind_md_t* ctx)
{
    uint32_t key = slot;
    uint64_t pid = ctx->process_id;
    binds++;
    return (int)bpf_map_update_elem(&remembered, &key, &pid, BPF_ANY);
}

SEC("sockops") int recall(bpf_sock_ops_t* ctx)
{
    uint32_t key = slot;
    uint64_t* pid = bpf_map_lookup_elem(&remembered, &key);
    return pid ? (int)(*pid + binds) : -1;
}
