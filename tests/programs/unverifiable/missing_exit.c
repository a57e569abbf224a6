// Falls off its end: no exit instruction.
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

SEC("bind") __attribute__((naked)) bind_action_t missing_exit(bind_md_t* ctx)
{
    asm volatile("r0 = 0\n"
                 "r0 += 1\n");
}
