// A static counter: clang relocates its loads against the `.bss` section's symbol
// (with the variable's offset in the instruction), not against a variable symbol.
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

static uint64_t binds;

SEC("bind") bind_action_t static_counter(bind_md_t* ctx)
{
    (void)ctx;
    binds = binds + 1;
    return binds > 2 ? BIND_DENY : BIND_PERMIT_SOFT;
}
