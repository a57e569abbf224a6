// A BPF-to-BPF call (src = 1) to instruction 1000, far outside the program.
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

SEC("bind") __attribute__((naked)) bind_action_t bad_call_target(bind_md_t* ctx)
{
    asm volatile(".quad 0x000003e800001085\n"
                 "r0 = 0\n"
                 "exit\n");
}
