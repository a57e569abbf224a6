// A BTF map with a field the runner does not read (`numa_node`): its definition is
// refused, naming the field. Compile with `-g`.
#include "bpf_helpers.h"

struct
{
    __uint(type, BPF_MAP_TYPE_HASH);
    __type(key, uint32_t);
    __type(value, uint32_t);
    __uint(max_entries, 4);
    __uint(numa_node, 1);
} odd SEC(".maps");

SEC("sockops") int use_odd(void* ctx) { return (int)(long)&odd; }
