// The environment helpers and bpf_printk with 0 to 3 arguments, run in the VM by
// runner/tests/native_general.rs, where a Rust program run on the host through the
// bindings' general helpers must record the same calls and get the same results.
#include "ebpf_nethooks.h"
#include "bpf_helpers.h"

SEC("bind") bind_action_t general_helpers(bind_md_t* ctx)
{
    uint64_t pid_tgid = bpf_get_current_pid_tgid();
    uint64_t now = bpf_ktime_get_ns();
    uint32_t nonce = bpf_get_prandom_u32();
    bpf_printk("environment");
    bpf_printk("process %u", (uint32_t)(pid_tgid >> 32));
    bpf_printk("thread %u time %llu", (uint32_t)pid_tgid, now);
    bpf_printk("nonce %x port %u op %d", nonce, ctx->socket_address[3], ctx->operation);
    return (nonce & 1) ? BIND_DENY : BIND_PERMIT_SOFT;
}
