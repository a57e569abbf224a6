// A bind policy on the application's ID, which netebpfext passes as the bytes between
// app_id_start and app_id_end (a UTF-16 name): denies an app whose name starts with
// "c", lets one without an ID go ahead softly and the rest firmly.
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

SEC("bind") bind_action_t app_id_policy(bind_md_t* ctx)
{
    uint8_t* id = ctx->app_id_start;
    if (id + 2 > ctx->app_id_end) {
        return BIND_PERMIT_SOFT;
    }
    if (id[0] == 'c' && id[1] == 0) {
        return BIND_DENY;
    }
    return BIND_PERMIT_HARD;
}
