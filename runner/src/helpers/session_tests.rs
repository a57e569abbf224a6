//! Tests of the run's session: what it records, and which memory it lets helpers touch.
use super::*;

// The session as a helper sees it, outside a helper call.
fn context() -> Option<Range<usize>> {
    with_session(|s| s.context())
}
fn in_vm_memory(start: usize, end: usize) -> Option<bool> {
    with_session(|s| s.in_vm_memory(start, end))
}
fn placement(start: usize, end: usize, write: bool) -> Option<Placement> {
    with_session(|s| s.placement(start, end, write))
}
fn readable_from(start: usize) -> usize {
    with_session(|s| s.readable_from(start))
}

fn attach() -> &'static AttachInfo {
    &ebpf_nethooks_bindings::abi::HOOKS[0].attach_types[0]
}

#[test]
fn a_run_records_until_it_ends_and_nothing_outside_one() {
    fault("before any run".to_owned());
    assert_eq!(context(), None);
    let bytes = [0u8; 16];
    let helpers = ["bpf_map_lookup_elem", "bpf_sock_ops_get_flow_id"]
        .map(|name| Helper::by_name(name).unwrap());
    let run = begin(attach(), &bytes, &helpers);
    let start = bytes.as_ptr() as usize;
    assert_eq!(context(), Some(start..start + 16));
    assert_eq!(helper_in_slot(1), Some(helpers[1]));
    assert_eq!(helper_in_slot(2), None);
    fault("a bad buffer".to_owned());
    let recorded = run.end();
    assert_eq!(recorded.faults, ["a bad buffer"]);
    assert_eq!(context(), None);
    assert_eq!(begin(attach(), &bytes, &[]).end(), Recorded::default());
}

#[test]
fn memory_is_bounded_only_once_the_vm_stack_is_known() {
    let bytes = [0u8; 16];
    let start = bytes.as_ptr() as usize;
    let run = begin(attach(), &bytes, &[]);
    assert_eq!(in_vm_memory(0, 8), None);
    set_stack(0x1000..0x1200);
    assert_eq!(in_vm_memory(start, start + 16), Some(true));
    assert_eq!(in_vm_memory(0x1100, 0x1200), Some(true));
    assert_eq!(in_vm_memory(0x11ff, 0x1201), Some(false));
    assert_eq!(in_vm_memory(0, 8), Some(false));
    drop(run);
    assert_eq!(in_vm_memory(start, start + 16), None);
}

#[test]
fn global_data_is_memory_and_read_only_sections_refuse_writes() {
    let bytes = [0u8; 16];
    let lent = Lent {
        globals: vec![
            (".data".to_owned(), 0x2000..0x2010, true),
            (".rodata".to_owned(), 0x3000..0x3004, false),
        ],
        ..Lent::default()
    };
    let run = begin_vm(attach(), None, &bytes, &[], lent);
    set_stack(0x1000..0x1200);
    assert_eq!(placement(0x2000, 0x2010, true), Some(Placement::Allowed));
    assert_eq!(placement(0x3000, 0x3004, false), Some(Placement::Allowed));
    assert_eq!(
        placement(0x3000, 0x3004, true),
        Some(Placement::ReadOnly("`.rodata`".to_owned()))
    );
    assert_eq!(placement(0x2008, 0x2018, false), Some(Placement::Outside));
    assert_eq!(readable_from(0x2008), 8);
    assert_eq!(readable_from(0x1100), 0x100);
    assert_eq!(readable_from(0x5000), 0);
    let (_, lent) = run.finish();
    assert_eq!(lent.globals.len(), 2, "what was lent comes back");
}

#[test]
fn the_contexts_data_is_read_only_memory() {
    let bytes = [0u8; 16];
    let lent = Lent {
        data: vec![("app_id".to_owned(), 0x4000..0x4006)],
        ..Lent::default()
    };
    let run = begin_vm(attach(), None, &bytes, &[], lent);
    set_stack(0x1000..0x1200);
    assert_eq!(placement(0x4000, 0x4006, false), Some(Placement::Allowed));
    assert_eq!(placement(0x4002, 0x4004, false), Some(Placement::Allowed));
    assert_eq!(
        placement(0x4000, 0x4002, true),
        Some(Placement::ReadOnly("`app_id` data".to_owned()))
    );
    assert_eq!(placement(0x4004, 0x4008, false), Some(Placement::Outside));
    assert_eq!(readable_from(0x4002), 4);
    drop(run);
}

#[test]
fn a_run_that_unwinds_leaves_no_session_behind() {
    let bytes = [0u8; 8];
    let result = std::panic::catch_unwind(|| {
        let _run = begin(attach(), &bytes, &[]);
        panic!("the program panicked");
    });
    assert!(result.is_err());
    assert_eq!(context(), None);
}
