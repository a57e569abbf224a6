// Never exits: the instruction budget must stop it, in the interpreter and before a
// JIT run (the JIT itself cannot be stopped).
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

SEC("bind") bind_action_t endless_loop(bind_md_t* ctx)
{
    volatile uint64_t spins = ctx->process_id;
    for (;;) {
        spins = spins + 1;
    }
    return BIND_PERMIT_SOFT;
}
