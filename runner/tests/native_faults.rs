//! A helper fault fails a run the same way whichever engine runs the program: a Rust
//! program on the host (`run_native`) that hands a helper a bad buffer gets the same
//! `RunError::HelperFault` as the C program doing so in the VM, engine aside.

mod support;

use ebpf_nethooks::{bpf_sock_addr_t, ebpf_sock_addr_verdict_t, sock_addr_hook};
use nethooks_run::{Engine, RunError};

/// `tests/programs/invalid/bad_buffer.c` in Rust: the interface LUID as the address of
/// the redirect context.
#[sock_addr_hook(connect4)]
pub fn bad_buffer(ctx: &mut bpf_sock_addr_t) -> ebpf_sock_addr_verdict_t {
    let nowhere = ctx.interface_luid() as usize as *mut core::ffi::c_void;
    // SAFETY: none; the test double refuses the buffer before reading it.
    let stored = unsafe {
        ebpf_nethooks::bpf_sock_addr_set_redirect_context(ctx as *mut bpf_sock_addr_t, nowhere, 8)
    };
    if stored == 0 {
        ebpf_sock_addr_verdict_t::BPF_SOCK_ADDR_VERDICT_PROCEED_HARD
    } else {
        ebpf_sock_addr_verdict_t::BPF_SOCK_ADDR_VERDICT_REJECT
    }
}

fn raw_bad_buffer(ctx: *mut u8) -> i32 {
    unsafe { bad_buffer(ctx.cast()) }.to_raw()
}

#[test]
fn a_bad_buffer_fails_a_host_run_with_the_fault_a_vm_run_reports() {
    let dir = tempfile::tempdir().unwrap();
    let program =
        nethooks_run::load_program(&support::compile("invalid/bad_buffer.c", dir.path()), None)
            .unwrap();
    let mut context = nethooks_run::context_for(&program).unwrap();
    // A null buffer: the one bad address a host run can tell (it has no stack bounds).
    context.apply_assignments("interface_luid=0").unwrap();

    let vm = nethooks_run::run(&program, &context, Engine::Interpreter).unwrap_err();
    let host = nethooks_run::run_native(program.hook, program.attach, &context, raw_bad_buffer)
        .unwrap_err();
    let expected = "`bpf_sock_addr_set_redirect_context` got a `data` buffer of 8 bytes at 0x0, \
                    outside the program's context, stack, global data, context data and map values";
    assert_eq!(
        vm,
        RunError::HelperFault {
            engine: "interpreter",
            why: expected.to_owned()
        }
    );
    assert_eq!(
        host,
        RunError::HelperFault {
            engine: "host",
            why: expected.to_owned()
        }
    );
    assert_eq!(
        host.to_string(),
        format!("a helper call failed in the host: {expected}")
    );

    // The checked VM run (interpreter, then JIT) stops at the same fault.
    let checked = nethooks_run::run_checked(&program, &context).unwrap_err();
    assert_eq!(checked, vm);
}
