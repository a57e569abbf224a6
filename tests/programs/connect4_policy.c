// IPv4 connect policy over the anonymous-union members: reject SSH into 10.0.0.0/8,
// the broadcast address and port 0; HTTPS from a source port below 1024 is a hard
// permit; everything else a soft one.
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

SEC("cgroup/connect4") ebpf_sock_addr_verdict_t connect4_policy(bpf_sock_addr_t* ctx)
{
    uint32_t ip = __builtin_bswap32(ctx->user_ip4);
    uint16_t port = __builtin_bswap16(ctx->user_port);
    uint16_t source_port = __builtin_bswap16(ctx->msg_src_port);
    if (port == 0 || ip == 0xFFFFFFFF) {
        return BPF_SOCK_ADDR_VERDICT_REJECT;
    }
    if ((ip >> 24) == 10 && port == 22) {
        return BPF_SOCK_ADDR_VERDICT_REJECT;
    }
    if (port == 443 && source_port < 1024 && ctx->msg_src_ip4 != 0) {
        return BPF_SOCK_ADDR_VERDICT_PROCEED_HARD;
    }
    return BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT;
}
