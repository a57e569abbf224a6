use ebpf_nethooks::*;

static mut TARGETS: u64 = 0;

// A helper of 1.4.0, an enumerator and a struct of 1.3.0, all in one program.
#[sock_addr_hook(connect4)]
fn redirect(ctx: &mut bpf_sock_addr_t) -> ebpf_sock_addr_verdict_t {
    let _ = ctx;
    let _ = unsafe { general::bpf_redirect_map(core::ptr::addr_of_mut!(TARGETS).cast(), 0, 0) };
    let _ = BPF_FUNC_sock_addr_get_network_context;
    let _ = bpf_sock_addr_network_context_t::default();
    ebpf_sock_addr_verdict_t::BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT
}

fn main() {}
