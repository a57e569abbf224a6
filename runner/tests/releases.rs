//! The runner knows the sections of every release the spec covers: programs at the
//! listen attach types (eBPF for Windows 1.3.0 on) run, and the network context helper
//! is available there.

mod support;

const LISTEN_POLICY: &str = r#"
#include "ebpf_nethooks.h"

#define SEC(name) __attribute__((section(name), used))

// Refuses to listen on port 22; asks for the network context on the way.
SEC("cgroup/listen4") ebpf_sock_addr_verdict_t no_ssh_listen(bpf_sock_addr_t* ctx)
{
    bpf_sock_addr_network_context_t network = {0};
    if (bpf_sock_addr_get_network_context(ctx, &network, sizeof(network)) < 0) {
        return BPF_SOCK_ADDR_VERDICT_REJECT;
    }
    return ctx->user_port == __builtin_bswap16(22) ? BPF_SOCK_ADDR_VERDICT_REJECT
                                                   : BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT;
}
"#;

use support::nethooks_run;

#[test]
fn a_listen_program_runs_at_its_section() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("listen_policy.c");
    std::fs::write(&source, LISTEN_POLICY).unwrap();
    let object = dir.path().join("listen_policy.o");
    support::run(&mut support::clang_bpf(
        &source,
        &support::generated_include_dir(),
        &object,
        &[],
    ));
    let listed = nethooks_run(&object, &["--list"]);
    assert!(
        listed.contains("cgroup/listen4") && listed.contains("sock_addr_hook_t"),
        "{listed}"
    );
    let ssh = nethooks_run(&object, &["--ctx", "user_port=0x1600"]);
    assert!(
        ssh.contains(
            "section cgroup/listen4 -> sock_addr_hook_t (EBPF_ATTACH_TYPE_CGROUP_INET4_LISTEN)"
        ),
        "{ssh}"
    );
    assert!(
        ssh.contains("verdict: BPF_SOCK_ADDR_VERDICT_REJECT (0)"),
        "{ssh}"
    );
    assert!(ssh.contains("bpf_sock_addr_get_network_context"), "{ssh}");
    let web = nethooks_run(&object, &["--ctx", "user_port=0x5000"]);
    assert!(
        web.contains("verdict: BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT (1)"),
        "{web}"
    );
}
