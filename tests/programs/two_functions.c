// Two functions in one hook section: the entry and a static function placed beside
// it, called without a relocation (the call's offset is relative within the section).
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

static __attribute__((noinline, section("cgroup/connect4"))) int is_blocked(uint32_t ip)
{
    // 10.0.0.0/8, in network byte order in the context.
    return (ip & 0xFF) == 10;
}

SEC("cgroup/connect4") ebpf_sock_addr_verdict_t two_functions(bpf_sock_addr_t* ctx)
{
    return is_blocked(ctx->user_ip4) ? BPF_SOCK_ADDR_VERDICT_REJECT
                                     : BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT;
}
