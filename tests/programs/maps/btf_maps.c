// BTF-defined maps (`SEC(".maps")`, `docs/general-helpers-abi.md` §4.1): every field the samples use, as the
// `__uint`/`__type`/`__array` macros encode them in BTF. Compile with `-g`.
#include "bpf_helpers.h"

typedef struct flow
{
    uint32_t address[4];
    uint16_t port;
    uint16_t protocol;
} flow_t;

struct
{
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __type(key, flow_t);
    __type(value, uint64_t);
    __uint(max_entries, 128);
} flows SEC(".maps");

struct
{
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(key_size, 4);
    __uint(value_size, 24);
    __uint(max_entries, 8);
    __uint(pinning, LIBBPF_PIN_BY_NAME);
} stats SEC(".maps");

struct
{
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 4096);
} events SEC(".maps");

struct inner_map
{
    __uint(type, BPF_MAP_TYPE_HASH);
    __type(key, uint32_t);
    __type(value, uint32_t);
    __uint(max_entries, 4);
} inner SEC(".maps");

struct
{
    __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
    __type(key, uint32_t);
    __uint(max_entries, 2);
    __array(values, struct inner_map);
} outer SEC(".maps") = {.values = {[1] = &inner}};

SEC("sockops") int touch_maps(void* ctx)
{
    return (int)(long)&flows + (int)(long)&stats + (int)(long)&events + (int)(long)&outer;
}
