// Programs attached together at cgroup/connect4, for a scenario that chains them as
// netebpfext does (tests/programs/chained_policies.toml, after upstream's tests of
// several programs at one hook, tests/socket/socket_tests.cpp:2652-2853 at
// ebpf-for-windows 00053ce6b).
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

// Allows every connection firmly.
SEC("cgroup/connect4") ebpf_sock_addr_verdict_t allow_hard(bpf_sock_addr_t* ctx)
{
    (void)ctx;
    return BPF_SOCK_ADDR_VERDICT_PROCEED_HARD;
}

// Rejects connections to port 8989; allows the rest softly.
SEC("cgroup/connect4") ebpf_sock_addr_verdict_t reject_8989(bpf_sock_addr_t* ctx)
{
    if (ctx->user_port == __builtin_bswap16(8989)) {
        return BPF_SOCK_ADDR_VERDICT_REJECT;
    }
    return BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT;
}

// Redirects every connection to 127.0.0.1.
SEC("cgroup/connect4") ebpf_sock_addr_verdict_t redirect_to_loopback(bpf_sock_addr_t* ctx)
{
    ctx->user_ip4 = __builtin_bswap32(0x7F000001);
    return BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT;
}

// Returns a value that is no verdict.
SEC("cgroup/connect4") int out_of_range(bpf_sock_addr_t* ctx)
{
    (void)ctx;
    return 7;
}
