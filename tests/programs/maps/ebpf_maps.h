// Map declarations for the runner's map tests, written from the facts file
// (/work/shared/general-helpers-abi.md, sections 3 and 4): eBPF for Windows'
// `ebpf_map_type_t` numbering, its in-file definition struct and the BTF macros of
// `bpf_helpers.h`. A stand-in for upstream's headers, which the tests do not have.
#pragma once

#include <stdint.h>

#define SEC(NAME) __attribute__((section(NAME), used))

// Section 3.1: `typedef enum bpf_map_type { ... } ebpf_map_type_t;`
typedef enum bpf_map_type
{
    BPF_MAP_TYPE_UNSPEC = 0,
    BPF_MAP_TYPE_HASH = 1,
    BPF_MAP_TYPE_ARRAY = 2,
    BPF_MAP_TYPE_PROG_ARRAY = 3,
    BPF_MAP_TYPE_PERCPU_HASH = 4,
    BPF_MAP_TYPE_PERCPU_ARRAY = 5,
    BPF_MAP_TYPE_HASH_OF_MAPS = 6,
    BPF_MAP_TYPE_ARRAY_OF_MAPS = 7,
    BPF_MAP_TYPE_LRU_HASH = 8,
    BPF_MAP_TYPE_LPM_TRIE = 9,
    BPF_MAP_TYPE_QUEUE = 10,
    BPF_MAP_TYPE_LRU_PERCPU_HASH = 11,
    BPF_MAP_TYPE_STACK = 12,
    BPF_MAP_TYPE_RINGBUF = 13,
    BPF_MAP_TYPE_PERF_EVENT_ARRAY = 14,
    BPF_MAP_TYPE_SAMPLE_HASH_MAP = 15,
    BPF_MAP_TYPE_XSKMAP = 16,
    BPF_MAP_TYPE_MAX
} ebpf_map_type_t;

// Section 3.3.
typedef enum ebpf_pin_type
{
    LIBBPF_PIN_NONE = 0,
    LIBBPF_PIN_BY_NAME,
} ebpf_pin_type_t;

// Section 3.4: the record of a legacy `maps` section (32 bytes, all members 4 bytes).
struct _ebpf_map_definition_in_file
{
    ebpf_map_type_t type;
    uint32_t key_size;
    uint32_t value_size;
    uint32_t max_entries;
    uint32_t inner_map_idx;
    ebpf_pin_type_t pinning;
    uint32_t id;
    uint32_t inner_id;
};
#define bpf_map_def _ebpf_map_definition_in_file

// Section 4.1: the BTF map macros.
#define __uint(field_name, field_value) int(*field_name)[field_value]
#define __type(field_name, field_type) typeof(field_type)* field_name
#define __array(field_name, map_template) typeof(map_template)* field_name[]
