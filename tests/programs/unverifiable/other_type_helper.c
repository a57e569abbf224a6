// Calls a sock_addr helper from a bind program.
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

SEC("bind") bind_action_t other_type_helper(bind_md_t* ctx)
{
    char data[8] = {0};
    return bpf_sock_addr_set_redirect_context((bpf_sock_addr_t*)ctx, data, sizeof data) == 0
               ? BIND_DENY
               : BIND_PERMIT_SOFT;
}
