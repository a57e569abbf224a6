// Per-process bind accounting: counters in a hash keyed by the process ID (the high
// half of bpf_get_current_pid_tgid), created with BPF_NOEXIST at a process's first
// bind and stamped with bpf_ktime_get_ns; totals by operation in a per-CPU array. A
// process holding `quota` (`.data`) bound sockets is denied another until it unbinds.
#include "ebpf_nethooks.h"
#include "bpf_helpers.h"

typedef struct counters
{
    uint64_t binds;
    uint64_t unbinds;
    uint64_t first_ns;
    uint64_t last_ns;
} counters_t;

struct
{
    __uint(type, BPF_MAP_TYPE_HASH);
    __type(key, uint32_t);
    __type(value, counters_t);
    __uint(max_entries, 128);
} per_process SEC(".maps");

struct
{
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __type(key, uint32_t);
    __type(value, uint64_t);
    __uint(max_entries, 3);
} totals SEC(".maps");

static volatile uint64_t quota = 2;

SEC("bind") bind_action_t process_counters(bind_md_t* ctx)
{
    uint32_t pid = bpf_get_current_pid_tgid() >> 32;
    uint32_t op = ctx->operation;
    uint64_t* total = bpf_map_lookup_elem(&totals, &op);
    if (total) {
        *total += 1;
    }
    counters_t* c = bpf_map_lookup_elem(&per_process, &pid);
    if (!c) {
        counters_t fresh = {0, 0, bpf_ktime_get_ns(), 0};
        if (bpf_map_update_elem(&per_process, &pid, &fresh, BPF_NOEXIST) != 0) {
            return BIND_DENY;
        }
        c = bpf_map_lookup_elem(&per_process, &pid);
        if (!c) {
            return BIND_DENY;
        }
    }
    c->last_ns = bpf_ktime_get_ns();
    if (op == BIND_OPERATION_UNBIND) {
        c->unbinds++;
        return BIND_PERMIT_SOFT;
    }
    if (c->binds - c->unbinds >= quota) {
        return BIND_DENY;
    }
    c->binds++;
    return BIND_PERMIT_SOFT;
}
