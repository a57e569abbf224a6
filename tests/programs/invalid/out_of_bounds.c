// Reads 8 bytes past the end of its context (the VM's bounds check must stop it).
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

SEC("sockops") int out_of_bounds(bpf_sock_ops_t* ctx)
{
    volatile uint64_t* past_the_end = (volatile uint64_t*)(ctx + 1);
    return (int)*past_the_end;
}
