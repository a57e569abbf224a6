//! Tests of the two entries into the helpers' `match`: the VM's (`dispatch`) and the
//! host's (`host_dispatch`, reached through the bindings' seam), which must serve
//! each helper as its own, with the same records and the same r0.
use ebpf_nethooks_bindings as bindings;
use ebpf_nethooks_bindings::abi;
use ebpf_nethooks_bindings::general::testing::regs as general_regs;
use ebpf_nethooks_bindings::testing::regs;

use super::*;
use crate::context::Context;

#[test]
fn every_row_of_the_tables_is_a_helper_id_and_back() {
    let rows: Vec<&HelperInfo> = abi::HELPERS.iter().chain(GENERAL_HELPERS).collect();
    for row in &rows {
        let id = HelperId::from_id(row.id as u32).unwrap_or_else(|| panic!("{}", row.name));
        assert_eq!((id.name(), i64::from(id.id())), (row.name, row.id));
        let helper = Helper::by_id(id.id()).unwrap();
        assert_eq!((helper.which, helper.name), (id, row.name));
    }
    assert_eq!(HelperId::ALL.len(), rows.len());
    assert_eq!(Helper::all().count(), rows.len());
}

/// Registers for a call of `helper` with only its context argument set (to `ctx`),
/// which every hook helper must survive: the VM can pass anything but the context.
fn context_only_args(helper: &abi::HelperInfo, ctx: u64) -> [u64; 5] {
    let hook = abi::HOOKS.iter().find(|h| h.name == helper.hook).unwrap();
    let mut regs = [0; 5];
    for (reg, param) in regs.iter_mut().zip(helper.params) {
        if param.c_type == format!("{}*", hook.context) {
            *reg = ctx;
        }
    }
    regs
}

/// Calls helper `id`'s binding as a Rust program on the host does, with its typed
/// arguments read from `r`; `None` for a helper this test does not call so.
///
/// # Safety
/// `r` must hold valid arguments of the binding.
unsafe fn through_binding(id: HelperId, r: [u64; 5]) -> Option<u64> {
    use HelperId as H;
    use bindings::general as g;
    Some(match id {
        H::bpf_sock_ops_get_flow_id => regs::bpf_sock_ops_get_flow_id(r, |ctx| unsafe {
            bindings::bpf_sock_ops_get_flow_id(ctx)
        }),
        H::bpf_sock_addr_get_network_context => {
            regs::bpf_sock_addr_get_network_context(r, |ctx, out, size| unsafe {
                bindings::bpf_sock_addr_get_network_context(ctx, out, size)
            })
        }
        H::bpf_sock_addr_set_redirect_context => {
            regs::bpf_sock_addr_set_redirect_context(r, |ctx, data, size| unsafe {
                bindings::bpf_sock_addr_set_redirect_context(ctx, data, size)
            })
        }
        H::bpf_get_prandom_u32 => {
            general_regs::bpf_get_prandom_u32(r, || unsafe { g::bpf_get_prandom_u32() })
        }
        H::bpf_ktime_get_boot_ns => {
            general_regs::bpf_ktime_get_boot_ns(r, || unsafe { g::bpf_ktime_get_boot_ns() })
        }
        H::bpf_get_smp_processor_id => {
            general_regs::bpf_get_smp_processor_id(r, || unsafe { g::bpf_get_smp_processor_id() })
        }
        H::bpf_ktime_get_ns => {
            general_regs::bpf_ktime_get_ns(r, || unsafe { g::bpf_ktime_get_ns() })
        }
        H::bpf_get_current_pid_tgid => {
            general_regs::bpf_get_current_pid_tgid(r, || unsafe { g::bpf_get_current_pid_tgid() })
        }
        H::bpf_ktime_get_boot_ms => {
            general_regs::bpf_ktime_get_boot_ms(r, || unsafe { g::bpf_ktime_get_boot_ms() })
        }
        H::bpf_ktime_get_ms => {
            general_regs::bpf_ktime_get_ms(r, || unsafe { g::bpf_ktime_get_ms() })
        }
        H::bpf_get_current_process_start_key => {
            general_regs::bpf_get_current_process_start_key(r, || unsafe {
                g::bpf_get_current_process_start_key()
            })
        }
        H::bpf_get_current_thread_create_time => {
            general_regs::bpf_get_current_thread_create_time(r, || unsafe {
                g::bpf_get_current_thread_create_time()
            })
        }
        _ => return None,
    })
}

/// Calls `helper` with `regs` through the VM's entry and through its binding (with
/// the runner's dispatcher installed), and checks that both reach
/// the implementation that records that helper, with the same records and r0.
///
/// # Safety
/// `regs` must be valid arguments of the binding.
unsafe fn assert_vm_and_binding_agree(
    attach: &'static abi::AttachInfo,
    context: &[u8],
    helper: Helper,
    regs: [u64; 5],
) {
    let name = helper.name;
    let run = session::begin(attach, context, &[helper]);
    let from_vm = dispatch(helper, regs);
    let vm = run.end();
    install();
    let run = session::begin(attach, context, &[]);
    // SAFETY: as the caller promises.
    let from_binding = unsafe { through_binding(helper.which, regs) };
    let host = run.end();

    assert_eq!(vm.faults, Vec::<String>::new(), "{name}");
    assert_eq!(
        vm.calls.iter().map(|c| (c.id, c.name)).collect::<Vec<_>>(),
        [(helper.id, name)],
        "the implementation of `{name}` records another helper"
    );
    assert_eq!(vm, host, "{name}: the VM and the binding differ");
    assert_eq!(Some(from_vm), from_binding, "{name}");
}

#[test]
fn each_hook_helper_is_served_as_itself_from_the_vm_and_the_binding() {
    for info in abi::HELPERS {
        let hook = abi::HOOKS.iter().find(|h| h.name == info.hook).unwrap();
        let mut context = Context::zeroed(hook.context).unwrap();
        let regs = context_only_args(info, context.bytes_mut().as_mut_ptr() as u64);
        let helper = Helper::by_name(info.name).unwrap();
        // SAFETY: the context argument is a context of the helper's hook.
        unsafe {
            assert_vm_and_binding_agree(&hook.attach_types[0], context.bytes(), helper, regs)
        };
    }
}

#[test]
fn each_general_helper_without_arguments_is_served_as_itself_through_its_binding() {
    let context = Context::zeroed(abi::HOOKS[0].context).unwrap();
    for info in GENERAL_HELPERS.iter().filter(|h| h.params.is_empty()) {
        let helper = Helper::by_name(info.name).unwrap();
        let attach = &abi::HOOKS[0].attach_types[0];
        // SAFETY: the helper takes no arguments.
        unsafe { assert_vm_and_binding_agree(attach, context.bytes(), helper, [0; 5]) };
    }
}

#[test]
fn a_typed_double_wins_over_the_dispatcher() {
    use bindings::general::{bpf_get_socket_cookie, testing as general};
    install();
    // No other test calls this helper's binding, so its global slot is this test's.
    general::set_bpf_get_socket_cookie(Some(|_| 7));
    let ctx = std::ptr::null_mut();
    // SAFETY: the double does not read the context.
    assert_eq!(unsafe { bpf_get_socket_cookie(ctx) }, 7);
    general::set_bpf_get_socket_cookie(None);
    // Outside a run the runner's implementation finds no context: a fault, r0 all ones (-1).
    // SAFETY: the implementation checks its context argument before reading it.
    assert_eq!(unsafe { bpf_get_socket_cookie(ctx) }, -1);
}

#[test]
fn a_context_argument_that_is_not_the_context_is_a_fault() {
    for info in abi::HELPERS {
        let hook = abi::HOOKS.iter().find(|h| h.name == info.hook).unwrap();
        let context = Context::zeroed(hook.context).unwrap();
        let elsewhere = context.bytes().as_ptr() as u64 + 8;
        let helper = Helper::by_name(info.name).unwrap();
        let run = session::begin(&hook.attach_types[0], context.bytes(), &[helper]);
        dispatch(helper, context_only_args(info, elsewhere));
        let recorded = run.end();
        assert!(recorded.calls.is_empty(), "{}", info.name);
        assert_eq!(recorded.faults.len(), 1, "{}", info.name);
        assert!(
            recorded.faults[0].contains("which is not the program's context"),
            "{}",
            recorded.faults[0]
        );
    }
}
