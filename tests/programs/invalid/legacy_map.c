// A map in the legacy `maps` section, reached through the section's symbol (the map
// is static): maps are not supported, and the error must name the section.
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

struct map_definition {
    uint32_t type, key_size, value_size, max_entries;
};

static struct map_definition connections SEC("maps") = {1, 4, 8, 16};

SEC("sockops") int legacy_map(bpf_sock_ops_t* ctx)
{
    return ((volatile struct map_definition*)&connections)->max_entries + (int)ctx->op;
}
