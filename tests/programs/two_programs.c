// Two programs in one section: the runner loads each by its function name (--program).
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

SEC("sockops") int first_program(bpf_sock_ops_t* ctx)
{
    return (int)ctx->op;
}

SEC("sockops") int second_program(bpf_sock_ops_t* ctx)
{
    return (int)ctx->family;
}
