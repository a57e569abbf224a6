// The same port rewrite at two attach types: at cgroup/connect4 the rewrite takes
// effect; at cgroup/connect_authorization4 netebpfext discards the program's context
// writes. runner/tests/scenario_cli.rs replays both with `expect_ctx`.
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

static __attribute__((always_inline)) ebpf_sock_addr_verdict_t rewrite(bpf_sock_addr_t* ctx)
{
    ctx->user_port = __builtin_bswap16(8080);
    return BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT;
}

SEC("cgroup/connect4") ebpf_sock_addr_verdict_t rewrite_at_connect(bpf_sock_addr_t* ctx) { return rewrite(ctx); }

SEC("cgroup/connect_authorization4") ebpf_sock_addr_verdict_t rewrite_at_authorization(bpf_sock_addr_t* ctx)
{
    return rewrite(ctx);
}
