// Uses a global variable: the runner gives .bss memory that persists across runs.
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

volatile uint64_t connections;

SEC("sockops") int global_variable(bpf_sock_ops_t* ctx)
{
    connections = connections + 1;
    return (int)ctx->op;
}
