// sock_ops: on an outbound connection, fail (return 1) for flows whose ID is odd;
// on an inbound one, fail for remote port 22; connection deletion is always fine;
// an unknown event is an error (-1).
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

SEC("sockops") int sockops_flow(bpf_sock_ops_t* ctx)
{
    switch (ctx->op) {
    case BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB:
        return (int)(bpf_sock_ops_get_flow_id(ctx) & 1);
    case BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB:
        return __builtin_bswap32(ctx->remote_port) == 22 ? 1 : 0;
    case BPF_SOCK_OPS_CONNECTION_DELETED_CB:
        return 0;
    default:
        return -1;
    }
}
