// Calls helper ID 0x12345, which the spec does not define.
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

typedef int (*const unknown_helper_t)(void* ctx);
#define unknown_helper ((unknown_helper_t)0x12345)

SEC("sockops") int unknown_helper_call(bpf_sock_ops_t* ctx)
{
    return unknown_helper(ctx);
}
