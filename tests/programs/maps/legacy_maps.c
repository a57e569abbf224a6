// Legacy map definitions (`SEC("maps")`, `docs/general-helpers-abi.md` §4.2): one record per map, in the
// in-file layout of §3.4, including a map-in-map pair and a pinned map.
#include "bpf_helpers.h"

SEC("maps") struct bpf_map_def connections = {
    .type = BPF_MAP_TYPE_HASH, .key_size = sizeof(uint64_t), .value_size = 12, .max_entries = 1024};

SEC("maps") struct bpf_map_def counters = {
    .type = BPF_MAP_TYPE_ARRAY,
    .key_size = sizeof(uint32_t),
    .value_size = sizeof(uint64_t),
    .max_entries = 4,
    .pinning = LIBBPF_PIN_BY_NAME};

SEC("maps") struct _ebpf_map_definition_in_file inner_template = {
    .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 1, .id = 7};

SEC("maps") struct _ebpf_map_definition_in_file outer = {
    .type = BPF_MAP_TYPE_ARRAY_OF_MAPS,
    .key_size = 4,
    .value_size = 4,
    .max_entries = 2,
    .inner_map_idx = 2,
    .inner_id = 7};

SEC("sockops") int touch_maps(void* ctx)
{
    // Referencing the maps keeps them and gives the object map relocations.
    return ((volatile struct bpf_map_def*)&connections)->type + ((volatile struct bpf_map_def*)&counters)->type;
}
