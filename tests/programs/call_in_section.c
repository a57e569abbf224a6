// A BPF-to-BPF call inside one section, the entry first: the layout uBPF runs (one
// blob of instructions, from the first), which scripts/bench-vs-ubpf.sh times against
// the runner. Port 0 is rejected, a well-known port gets a hard permit, the rest a
// soft one. The callee takes the context, because a verifier that reads the section
// as eBPF for Windows does also checks it as a program of its own.
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

static int port_class(const bpf_sock_addr_t* ctx);

SEC("cgroup/connect4") ebpf_sock_addr_verdict_t call_in_section(bpf_sock_addr_t* ctx)
{
    int class = port_class(ctx);
    if (class == 0) {
        return BPF_SOCK_ADDR_VERDICT_REJECT;
    }
    return class == 2 ? BPF_SOCK_ADDR_VERDICT_PROCEED_HARD : BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT;
}

// `noinline` keeps it a real call; the section keeps it beside the entry, after it.
static __attribute__((noinline, section("cgroup/connect4"))) int
port_class(const bpf_sock_addr_t* ctx)
{
    uint16_t port = __builtin_bswap16(ctx->user_port);
    if (port == 0) {
        return 0;
    }
    return port < 1024 ? 2 : 1;
}
