// A BPF-to-BPF call: the program calls a function that clang keeps out of line in
// `.text`, so the loader must append it and fix the call (relocation R_BPF_64_32).
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

// Weighs a port: well-known ports count double. `noinline` keeps it a real call.
static __attribute__((noinline)) int port_weight(uint32_t port)
{
    volatile uint32_t scratch[4] = {port, port, port, port};
    return port < 1024 ? (int)(scratch[1] * 2) : (int)scratch[2];
}

SEC("sockops") int bpf_to_bpf_call(bpf_sock_ops_t* ctx)
{
    volatile uint32_t mine[4] = {7, 7, 7, 7};
    int weight = port_weight(ctx->local_port);
    // The callee's stack is its own: `mine` is intact after the call.
    return weight + (int)mine[2];
}
