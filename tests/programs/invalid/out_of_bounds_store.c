// Writes just past the end of its context (the VM's bounds check must stop it).
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

SEC("cgroup/connect4") ebpf_sock_addr_verdict_t out_of_bounds_store(bpf_sock_addr_t* ctx)
{
    ((volatile uint8_t*)(ctx + 1))[0] = 1;
    return BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT;
}
