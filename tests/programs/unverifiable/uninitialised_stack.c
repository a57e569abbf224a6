// Hands bpf_trace_printk2 a format on the stack that nothing wrote.
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

SEC("bind") __attribute__((naked)) bind_action_t uninitialised_stack(bind_md_t* ctx)
{
    asm volatile("r1 = r10\n"
                 "r1 += -8\n"
                 "r2 = 8\n"
                 "call 12\n"
                 "r0 = 0\n"
                 "exit\n");
}
