// Reads the 8 bytes just past bind_md_t (56 bytes): outside the context.
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

SEC("bind") bind_action_t past_context(bind_md_t* ctx)
{
    return *(volatile uint64_t*)(ctx + 1) ? BIND_DENY : BIND_PERMIT_SOFT;
}
