// Under clang, the C library's memory functions become the bounded helpers of
// `bpf_helper_defs.h`: memcpy, memcmp, memset and memmove call IDs 22, 23, 24 and 25.
// Other compilers keep the C library's names, so they call the helpers by name.
#include "bpf_helpers.h"

SEC("bind") int memory_macros(void* ctx)
{
    char source[8] = "abcdefg";
    char destination[8] = {0};
    long sum = ctx == NULL;
#if __clang__
    memcpy(destination, source, sizeof(destination));
    sum += memcmp(destination, source, sizeof(destination));
    memset(destination, 0, sizeof(destination));
    memmove(destination, source, sizeof(destination));
#else
    bpf_memcpy_s(destination, sizeof(destination), source, sizeof(source));
    sum += bpf_memcmp_s(destination, sizeof(destination), source, sizeof(source));
    bpf_memset(destination, sizeof(destination), 0);
    bpf_memmove_s(destination, sizeof(destination), source, sizeof(source));
#endif
    return (int)sum + destination[0];
}
