// Times uBPF's interpreter and JIT on one program, for scripts/bench-vs-ubpf.sh:
//   bench CODE.bin CONTEXT_HEX RUNS
// CODE.bin holds the program's instructions (a section without relocations);
// CONTEXT_HEX the context's bytes. Prints two lines:
//   ubpf interpreter: RUNS runs, NS ns/run, r0 R
//   ubpf JIT: RUNS runs, NS ns/run, r0 R
// Each run copies the context afresh, as nethooks-run --repeat does.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ubpf.h"

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static size_t parse_hex(const char* hex, uint8_t* out, size_t max)
{
    size_t n = 0;
    while (hex[0] && hex[1] && n < max) {
        unsigned int byte;
        if (sscanf(hex, "%2x", &byte) != 1) {
            break;
        }
        out[n++] = (uint8_t)byte;
        hex += 2;
    }
    return n;
}

int main(int argc, char** argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s CODE.bin CONTEXT_HEX RUNS\n", argv[0]);
        return 2;
    }
    FILE* f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    static uint8_t code[65536];
    size_t code_len = fread(code, 1, sizeof(code), f);
    fclose(f);
    uint8_t input[256] = {0};
    uint8_t context[256];
    size_t context_len = parse_hex(argv[2], input, sizeof(input));
    long runs = atol(argv[3]);

    struct ubpf_vm* vm = ubpf_create();
    char* error = NULL;
    if (ubpf_load(vm, code, (uint32_t)code_len, &error) < 0) {
        fprintf(stderr, "ubpf_load: %s\n", error);
        return 1;
    }
    uint64_t r0 = 0;
    double start = now_ns();
    for (long i = 0; i < runs; i++) {
        memcpy(context, input, context_len);
        if (ubpf_exec(vm, context, context_len, &r0) < 0) {
            fprintf(stderr, "ubpf_exec failed\n");
            return 1;
        }
    }
    double elapsed = now_ns() - start;
    printf("ubpf interpreter: %ld runs, %.1f ns/run, r0 %llu\n", runs, elapsed / (double)runs,
           (unsigned long long)r0);

    ubpf_jit_fn jitted = ubpf_compile(vm, &error);
    if (!jitted) {
        fprintf(stderr, "ubpf_compile: %s\n", error);
        return 1;
    }
    start = now_ns();
    for (long i = 0; i < runs; i++) {
        memcpy(context, input, context_len);
        r0 = jitted(context, context_len);
    }
    elapsed = now_ns() - start;
    printf("ubpf JIT: %ld runs, %.1f ns/run, r0 %llu\n", runs, elapsed / (double)runs,
           (unsigned long long)r0);
    ubpf_destroy(vm);
    return 0;
}
