// An atomic fetch-and-add (compile with -mcpu=v3): the old value is used, so clang
// emits BPF_ATOMIC with BPF_FETCH, which rbpf's JIT lacks.
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

uint64_t connections;

SEC("sockops") int atomic_counter(bpf_sock_ops_t* ctx)
{
    uint64_t before = __sync_fetch_and_add(&connections, ctx->op + 1);
    return (int)before;
}
