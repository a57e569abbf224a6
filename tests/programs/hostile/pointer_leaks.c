// Programs that leave a pointer (an address in the runner's memory) where the
// runner's output would show it; each must fail with an error naming what it
// stored and where, never print the address. `tests/hostile.rs` in runner/ runs them.
#include "ebpf_nethooks.h"
#include "bpf_helpers.h"

SEC("maps") struct bpf_map_def SEEN = {
    .type = BPF_MAP_TYPE_HASH, .key_size = sizeof(uint32_t), .value_size = sizeof(uint64_t), .max_entries = 4};

volatile uint64_t saved_context;

// Stores the address of a stack slot as a map value.
SEC("cgroup/connect4") int policy(bpf_sock_addr_t* ctx)
{
    uint64_t slot = ctx->user_ip4;
    uint64_t address = (uint64_t)&slot;
    uint32_t key = 1;
    bpf_map_update_elem(&SEEN, &key, &address, BPF_ANY);
    return BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT;
}

// Returns its context pointer as the verdict.
SEC("bind") long returns_context(bind_md_t* ctx) { return (long)ctx; }

// Stores a stack address into a pointer member of the context.
SEC("bind") bind_action_t stack_into_context(bind_md_t* ctx)
{
    uint8_t name[8] = {'a', 0};
    ctx->app_id_start = name;
    ctx->app_id_end = name + 1;
    return BIND_PERMIT_SOFT;
}

// Keeps its context pointer in global data.
SEC("bind") bind_action_t context_into_global(bind_md_t* ctx)
{
    saved_context = (uint64_t)ctx;
    return BIND_PERMIT_SOFT;
}
