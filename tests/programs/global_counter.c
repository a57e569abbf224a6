// Global data: a counter in `.bss` that each run increments, a step in `.data`, and
// a table in `.rodata`. The runner keeps the data between runs of one loaded program.
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

uint64_t runs;
uint64_t step = 3;
const volatile uint32_t bonus[4] = {0, 100, 200, 300};

SEC("sockops") int global_counter(bpf_sock_ops_t* ctx)
{
    runs += step;
    return (int)runs + (int)bonus[ctx->op & 3];
}
