// Reads the application ID through app_id_start without checking app_id_end first.
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

SEC("bind") bind_action_t app_id_unchecked(bind_md_t* ctx)
{
    return ctx->app_id_start[3] == 'x' ? BIND_DENY : BIND_PERMIT_SOFT;
}
