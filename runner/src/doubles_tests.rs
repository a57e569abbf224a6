//! Tests of the doubles' registry: one entry per helper, each installed and called
//! as its own helper, from the VM and from the bindings.
use super::*;
use crate::context::Context;

#[test]
fn every_helper_of_the_spec_has_exactly_one_double() {
    let mut problems = Vec::new();
    for helper in Helper::all() {
        match DOUBLES.iter().filter(|d| d.name == helper.name).count() {
            1 => {}
            0 => problems.push(format!(
                "helper `{}` ({}) has no test double: add an entry for it to \
                 `DOUBLES` in runner/src/doubles.rs",
                helper.name, helper.id_name
            )),
            n => problems.push(format!(
                "helper `{}` has {n} entries in `DOUBLES`; keep one",
                helper.name
            )),
        }
    }
    for double in DOUBLES {
        if Helper::by_name(double.name).is_none() {
            problems.push(format!(
                "`DOUBLES` has an entry for `{}`, which is no helper of the spec \
                 (`abi::HELPERS`) nor a general helper: remove or rename it",
                double.name
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Registers for a call of `helper` with only its context argument set (to `ctx`),
/// which every double must survive: the VM can pass anything but the context.
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

/// Calls helper `name` (ID `id`) with `regs` through the VM's entry and through its
/// binding (`call`, after `install`), and checks that both reach the double that
/// records that helper, with the same records and the same r0.
///
/// # Safety
/// `regs` must be valid arguments of the binding (see the bindings' `abi::HELPER_CALLS`).
unsafe fn assert_vm_and_binding_agree(
    attach: &'static abi::AttachInfo,
    context: &[u8],
    (name, id): (&str, i64),
    regs: [u64; 5],
    call: unsafe fn([u64; 5]) -> u64,
) {
    let entry = Helper::by_name(name).unwrap();
    let run = session::begin(attach, context, &[entry]);
    let from_vm = call_from_vm(entry, regs);
    let vm = run.end();
    let run = session::begin(attach, context, &[]);
    // SAFETY: as the caller promises.
    let from_binding = unsafe { call(regs) };
    let host = run.end();

    assert_eq!(vm.faults, Vec::<String>::new(), "{name}");
    assert_eq!(
        vm.calls.iter().map(|c| (c.id, c.name)).collect::<Vec<_>>(),
        [(id, entry.name)],
        "the double of `{name}` records another helper"
    );
    assert_eq!(vm, host, "{name}: the VM and the binding differ");
    assert_eq!(from_vm, from_binding, "{name}");
}

/// The bindings' register-level call of `name`, from their `HELPER_CALLS` tables.
fn binding_call(name: &str) -> unsafe fn([u64; 5]) -> u64 {
    (abi::HELPER_CALLS.iter())
        .chain(ebpf_nethooks_bindings::general::abi::HELPER_CALLS)
        .find(|(n, _)| *n == name)
        .map(|(_, call)| *call)
        .unwrap_or_else(|| panic!("no `HELPER_CALLS` entry for `{name}`"))
}

#[test]
fn each_double_is_installed_and_called_as_its_own_helper() {
    install();
    for helper in abi::HELPERS {
        let hook = abi::HOOKS.iter().find(|h| h.name == helper.hook).unwrap();
        let mut context = Context::zeroed(hook.context).unwrap();
        let regs = context_only_args(helper, context.bytes_mut().as_mut_ptr() as u64);
        let attach = &hook.attach_types[0];
        // SAFETY: the context argument is a context of the helper's hook.
        unsafe {
            assert_vm_and_binding_agree(
                attach,
                context.bytes(),
                (helper.name, helper.id),
                regs,
                binding_call(helper.name),
            )
        };
    }
}

#[test]
fn a_context_argument_that_is_not_the_context_is_a_fault() {
    for helper in abi::HELPERS {
        let hook = abi::HOOKS.iter().find(|h| h.name == helper.hook).unwrap();
        let context = Context::zeroed(hook.context).unwrap();
        let elsewhere = context.bytes().as_ptr() as u64 + 8;
        let entry = Helper::by_name(helper.name).unwrap();
        let run = session::begin(&hook.attach_types[0], context.bytes(), &[entry]);
        call_from_vm(entry, context_only_args(helper, elsewhere));
        let recorded = run.end();
        assert!(recorded.calls.is_empty(), "{}", helper.name);
        assert_eq!(recorded.faults.len(), 1, "{}", helper.name);
        assert!(
            recorded.faults[0].contains("which is not the program's context"),
            "{}",
            recorded.faults[0]
        );
    }
}

#[test]
fn each_general_double_is_installed_into_its_own_bindings_slot() {
    // The environment helpers (no arguments), through `general::testing`.
    use ebpf_nethooks_bindings::general::abi::HELPERS as GENERAL;
    install();
    let context = Context::zeroed(abi::HOOKS[0].context).unwrap();
    for helper in GENERAL.iter().filter(|h| h.params.is_empty()) {
        let attach = &abi::HOOKS[0].attach_types[0];
        // SAFETY: the helper takes no arguments.
        unsafe {
            assert_vm_and_binding_agree(
                attach,
                context.bytes(),
                (helper.name, helper.id),
                [0; 5],
                binding_call(helper.name),
            )
        };
    }
}
