//! The general helpers answer a Rust program run on the host (`run_native`) as they
//! answer the C program in the VM: `run_native` installs the runner's dispatcher as
//! the bindings' raw seam (`testing::set_dispatch`), so the same calls are recorded
//! with the same arguments, and the same results come back (pid/tgid, clock, random numbers,
//! printk lines).

mod support;

use ebpf_nethooks::helpers::{current_pid_tgid, ktime_get_ns, prandom_u32};
use ebpf_nethooks::{bind_action_t, bind_hook, bind_md_t, bpf_printk};
use nethooks_run::Engine;

/// `tests/programs/maps/general_helpers.c` in Rust, with the facade's safe wrappers
/// and `bpf_printk!`.
#[bind_hook]
pub fn general_helpers_twin(ctx: &mut bind_md_t) -> bind_action_t {
    let pid_tgid = current_pid_tgid();
    let now = ktime_get_ns();
    let nonce = prandom_u32();
    bpf_printk!("environment");
    bpf_printk!("process %u", (pid_tgid >> 32) as u32);
    bpf_printk!("thread %u time %llu", pid_tgid as u32, now);
    bpf_printk!(
        "nonce %x port %u op %d",
        nonce,
        ctx.socket_address()[3],
        ctx.operation().0
    );
    if nonce & 1 == 1 {
        bind_action_t::BIND_DENY
    } else {
        bind_action_t::BIND_PERMIT_SOFT
    }
}

fn raw_twin(ctx: *mut u8) -> i32 {
    unsafe { general_helpers_twin(ctx.cast()) }.to_raw()
}

#[test]
fn a_host_program_gets_the_general_helpers_results_and_records_of_the_vm() {
    let dir = tempfile::tempdir().unwrap();
    let elf = support::compile("maps/general_helpers.c", dir.path());
    let program = nethooks_run::load_program(&elf, None).unwrap();
    let mut context = nethooks_run::context_for(&program).unwrap();
    context
        .apply_assignments("socket_address=hex:020000507f000001,operation=2")
        .unwrap_or_else(|e| panic!("{e}"));

    let vm = nethooks_run::run(&program, &context, Engine::Interpreter).unwrap();
    let host = nethooks_run::run_native(program.hook, program.attach, &context, raw_twin).unwrap();

    let names: Vec<&str> = vm.calls.iter().map(|c| c.name).collect();
    assert_eq!(
        names,
        [
            "bpf_get_current_pid_tgid",
            "bpf_ktime_get_ns",
            "bpf_get_prandom_u32",
            "bpf_trace_printk2",
            "bpf_trace_printk3",
            "bpf_trace_printk4",
            "bpf_trace_printk5",
        ]
    );
    assert_eq!(vm.printk.len(), 4, "{:?}", vm.printk);
    assert_eq!(vm.printk[0], "environment");
    assert_eq!(host.calls, vm.calls);
    assert_eq!(host.printk, vm.printk);
    assert_eq!(host, vm);
}
