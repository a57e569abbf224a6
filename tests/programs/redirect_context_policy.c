// Leave a redirect context for a user-mode proxy on HTTP connects: the original
// destination address and port. A failed store rejects the connect.
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

typedef struct _original_destination
{
    uint32_t address;
    uint16_t port;
    uint16_t reserved;
} original_destination_t;

SEC("cgroup/connect4") ebpf_sock_addr_verdict_t redirect_context_policy(bpf_sock_addr_t* ctx)
{
    if (__builtin_bswap16(ctx->user_port) != 80) {
        return BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT;
    }
    original_destination_t original = {ctx->user_ip4, ctx->user_port, 0};
    if (bpf_sock_addr_set_redirect_context(ctx, &original, sizeof(original)) != 0) {
        return BPF_SOCK_ADDR_VERDICT_REJECT;
    }
    return BPF_SOCK_ADDR_VERDICT_PROCEED_HARD;
}
