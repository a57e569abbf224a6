// A bind program calling a sock_ops helper, which its hook does not offer.
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

SEC("bind") bind_action_t wrong_hook_helper(bind_md_t* ctx)
{
    return (bind_action_t)bpf_sock_ops_get_flow_id((bpf_sock_ops_t*)ctx);
}
