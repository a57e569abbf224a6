// Loops as many times as the context says: no bound the verifier can prove.
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

SEC("sockops") int context_bound_loop(bpf_sock_ops_t* ctx)
{
    volatile uint32_t total = 0;
    for (uint32_t i = 0; i < ctx->local_port; i++) {
        total = total + i;
    }
    return (int)total;
}
