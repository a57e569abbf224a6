// Bind policy: deny port 23 (telnet) and UDP port 0, redirect port 8080 to 80 by
// rewriting socket_address, permit the System process (pid 4) firmly.
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

SEC("bind") bind_action_t bind_policy(bind_md_t* ctx)
{
    if (ctx->operation != BIND_OPERATION_BIND) {
        return BIND_PERMIT_SOFT;
    }
    // socket_address is a SOCKADDR_IN: family (2 bytes), port (network order), address.
    uint16_t port = (uint16_t)((ctx->socket_address[2] << 8) | ctx->socket_address[3]);
    if (port == 23) {
        return BIND_DENY;
    }
    if (port == 0 && ctx->protocol == 17) {
        return BIND_DENY;
    }
    if (port == 8080) {
        ctx->socket_address[2] = 0;
        ctx->socket_address[3] = 80;
        return BIND_REDIRECT;
    }
    if (ctx->process_id == 4) {
        return BIND_PERMIT_HARD;
    }
    return BIND_PERMIT_SOFT;
}
