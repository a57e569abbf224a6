// Connect authorization: ask for the network context and reject tunnelled traffic
// except to port 443; an interface of unknown type gets a soft permit, others a
// hard one. No network context at all means reject.
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

// A test places the same code at another attach type with -DPOLICY_SECTION=...
#ifndef POLICY_SECTION
#define POLICY_SECTION "cgroup/connect_authorization4"
#endif

SEC(POLICY_SECTION) ebpf_sock_addr_verdict_t
connect_authorization_policy(bpf_sock_addr_t* ctx)
{
    bpf_sock_addr_network_context_t network = {0};
    if (bpf_sock_addr_get_network_context(ctx, &network, sizeof(network)) < 0) {
        return BPF_SOCK_ADDR_VERDICT_REJECT;
    }
    if (network.version != BPF_SOCK_ADDR_NETWORK_CONTEXT_VERSION) {
        return BPF_SOCK_ADDR_VERDICT_REJECT;
    }
    if (network.tunnel_type != 0 && __builtin_bswap16(ctx->user_port) != 443) {
        return BPF_SOCK_ADDR_VERDICT_REJECT;
    }
    if (network.interface_type == 0xFFFFFFFF) {
        return BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT;
    }
    return BPF_SOCK_ADDR_VERDICT_PROCEED_HARD;
}
