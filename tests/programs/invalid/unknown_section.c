// A program in a section that belongs to no hook of the spec.
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

SEC("xdp") int unknown_section(bpf_sock_ops_t* ctx)
{
    return (int)ctx->op;
}
