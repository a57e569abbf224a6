// cgroup/bind4: what netebpfext's helpers answer at the bind layer, as upstream's
// bind helper test expects (tests/socket/socket_tests.cpp:1095-1231 at
// ebpf-for-windows 00053ce6b). Any other answer rejects the bind; then a loopback
// interface (IfType 24) proceeds hard, a port below 1024 elsewhere is rejected, and
// the rest proceed softly.
#include "ebpf_nethooks.h"
#include "bpf_helpers.h"

SEC("cgroup/bind4") ebpf_sock_addr_verdict_t bind4_helpers_policy(bpf_sock_addr_t* ctx)
{
    bpf_sock_addr_network_context_t network = {0};
    if (bpf_sock_addr_get_network_context(ctx, &network, sizeof(network)) != 0) {
        return BPF_SOCK_ADDR_VERDICT_REJECT;
    }
    // Version 1; the interface type is the LUID's IfType; no next hop or
    // sub-interface at the bind layer.
    if (network.version != BPF_SOCK_ADDR_NETWORK_CONTEXT_VERSION ||
        network.interface_type != (uint32_t)(ctx->interface_luid >> 48) ||
        network.next_hop_interface_luid != 0 || network.sub_interface_index != 0) {
        return BPF_SOCK_ADDR_VERDICT_REJECT;
    }
    // The endpoint handle is 0 at bind, and so is the cookie.
    if (bpf_get_socket_cookie(ctx) != 0) {
        return BPF_SOCK_ADDR_VERDICT_REJECT;
    }
    // Only the connect-redirect hooks take a redirect context.
    uint8_t data[4] = {1, 2, 3, 4};
    if (bpf_sock_addr_set_redirect_context(ctx, data, sizeof(data)) != -1) {
        return BPF_SOCK_ADDR_VERDICT_REJECT;
    }
    if (network.interface_type == 24) {
        return BPF_SOCK_ADDR_VERDICT_PROCEED_HARD;
    }
    if (__builtin_bswap16(ctx->user_port) < 1024) {
        return BPF_SOCK_ADDR_VERDICT_REJECT;
    }
    return BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT;
}
