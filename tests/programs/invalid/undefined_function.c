// Calls `checksum`, which nothing in the object defines (as a libc or another
// object's function would be): the loader must name it as undefined.
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

extern int checksum(const void* data, unsigned long size);

SEC("sockops") int undefined_function(bpf_sock_ops_t* ctx)
{
    return checksum(ctx, sizeof(*ctx));
}
