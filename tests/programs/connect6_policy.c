// IPv6 connect policy over the anonymous-union members: loopback reached through an
// IPv4-mapped address (::ffff:127.x.x.x) is a hard permit; the all-ones address,
// link-local destinations (fe80::/10), port 65535 and sources in 2001:db8::/32 are
// rejected.
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

SEC("cgroup/connect6") ebpf_sock_addr_verdict_t connect6_policy(bpf_sock_addr_t* ctx)
{
    uint32_t w0 = __builtin_bswap32(ctx->user_ip6[0]);
    uint32_t w1 = __builtin_bswap32(ctx->user_ip6[1]);
    uint32_t w2 = __builtin_bswap32(ctx->user_ip6[2]);
    uint32_t w3 = __builtin_bswap32(ctx->user_ip6[3]);
    uint16_t port = __builtin_bswap16(ctx->user_port);
    if ((w0 & w1 & w2 & w3) == 0xFFFFFFFF || port == 65535) {
        return BPF_SOCK_ADDR_VERDICT_REJECT;
    }
    if ((w0 >> 22) == (0xfe80 >> 6)) {
        return BPF_SOCK_ADDR_VERDICT_REJECT;
    }
    if (__builtin_bswap32(ctx->msg_src_ip6[0]) == 0x20010db8) {
        return BPF_SOCK_ADDR_VERDICT_REJECT;
    }
    if (w0 == 0 && w1 == 0 && w2 == 0xFFFF && (w3 >> 24) == 127) {
        return BPF_SOCK_ADDR_VERDICT_PROCEED_HARD;
    }
    return BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT;
}
