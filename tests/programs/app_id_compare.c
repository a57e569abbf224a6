// A bind policy that hands the application's ID to a helper in place: bpf_memcmp_s
// reads the bytes between app_id_start and app_id_end (the context's data) and
// compares them with "cmd" in UTF-16 on the stack. cmd is denied, the rest permitted.
#include "bpf_helpers.h"
#include "ebpf_nethooks.h"

SEC("bind") bind_action_t app_id_compare(bind_md_t* ctx)
{
    const char cmd[6] = {'c', 0, 'm', 0, 'd', 0};
    uint8_t* id = ctx->app_id_start;
    if (id + sizeof(cmd) > ctx->app_id_end) {
        return BIND_PERMIT_SOFT;
    }
    if (bpf_memcmp_s(id, sizeof(cmd), cmd, sizeof(cmd)) == 0) {
        return BIND_DENY;
    }
    return BIND_PERMIT_HARD;
}
