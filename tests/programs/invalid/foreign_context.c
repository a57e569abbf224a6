// Passes a copy of its context, on the stack, where the helper expects the context.
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

SEC("sockops") int foreign_context(bpf_sock_ops_t* ctx)
{
    bpf_sock_ops_t copy = *ctx;
    return (int)bpf_sock_ops_get_flow_id(&copy);
}
