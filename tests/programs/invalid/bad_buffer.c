// Hands the redirect-context helper a buffer address that is neither its context
// nor its stack.
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

SEC("cgroup/connect4") ebpf_sock_addr_verdict_t bad_buffer(bpf_sock_addr_t* ctx)
{
    void* nowhere = (void*)(unsigned long)ctx->interface_luid;
    return bpf_sock_addr_set_redirect_context(ctx, nowhere, 8) == 0
               ? BPF_SOCK_ADDR_VERDICT_PROCEED_HARD
               : BPF_SOCK_ADDR_VERDICT_REJECT;
}
