//! The state of the run in progress on this thread, in one place: the run API starts
//! and ends it, lending it the program's maps, global data addresses and host
//! environment (and taking them back at the end); the VM's helper entries set its
//! stack and find its helpers; the doubles record their calls, printk lines,
//! ring-buffer records and faults in it.
//!
//! A helper is a plain function (rbpf calls it through a function pointer, a Rust
//! program through the bindings), so what it needs to know about the run reaches it
//! through this thread-local session rather than through arguments.

use std::cell::RefCell;
use std::marker::PhantomData;
use std::ops::Range;

use ebpf_nethooks_bindings::abi::{AttachInfo, HookInfo};

use crate::general::HostState;
use crate::helper::Helper;
use crate::map_store::Maps;

/// One argument of a recorded helper call.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Arg {
    /// The program's own context.
    Context,
    /// A pointer into the context, at this offset.
    ContextAt(usize),
    /// Some other pointer (its address means nothing across runs).
    Pointer,
    /// A NULL pointer where the helper accepts one.
    Null,
    /// A map, by name.
    Map(String),
    /// An input buffer, by its contents.
    Bytes(Vec<u8>),
    /// An output buffer of this many bytes.
    Out(u32),
    /// An integer.
    Int(u64),
}

/// One helper call: the helper's ID and name, and its arguments.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HelperCall {
    pub id: i64,
    pub name: &'static str,
    pub args: Vec<Arg>,
}

/// One record a program wrote to a ring buffer (`bpf_ringbuf_output`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RingRecord {
    pub map: String,
    pub data: Vec<u8>,
}

/// What the helpers saw during one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recorded {
    pub calls: Vec<HelperCall>,
    /// The bytes last stored by `bpf_sock_addr_set_redirect_context`.
    pub redirect_context: Option<Vec<u8>>,
    /// Lines the trace_printk helpers printed (`bpf_printk`), in order.
    pub printk: Vec<String>,
    /// Records written to ring buffers, in order.
    pub ring_records: Vec<RingRecord>,
    /// Problems a helper met (a bad argument, a helper without a double); each fails
    /// the run.
    pub faults: Vec<String>,
}

/// Memory and state a VM run lends the helpers: its global data (addresses and
/// whether writable, by section name), the maps and the host environment.
#[derive(Debug, Default)]
pub struct Lent {
    pub globals: Vec<(String, Range<usize>, bool)>,
    pub maps: Maps,
    pub host: HostState,
}

/// The run in progress on this thread.
struct Session {
    attach: &'static AttachInfo,
    hook: Option<&'static HookInfo>,
    /// The context's addresses.
    context: Range<usize>,
    /// The VM's stack, once known (a Rust program on the host has no bounds).
    stack: Option<Range<usize>>,
    /// All of the interpreter's stack, every frame (the JIT's is `stack`).
    whole_stack: Option<Range<usize>>,
    /// The helpers the program calls, in the order the JIT's entries serve them.
    helpers: Vec<Helper>,
    lent: Lent,
    /// Whether a map helper may have changed which map values exist since the
    /// interpreter last asked (`map_memory_if_changed`).
    map_memory_changed: bool,
    recorded: Recorded,
}

thread_local! {
    static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
}

/// The session of this thread's run; ends it when dropped (so a panicking run leaves
/// nothing behind). Not `Send`: the session belongs to the thread that began it.
#[must_use = "the run ends when this is dropped; `end` returns what it recorded"]
pub struct Run {
    _thread: PhantomData<*const ()>,
}

/// Begins a run at `attach` on `context`, replacing any session of this thread.
/// `helpers` are the helpers the program calls, by the slot the JIT serves them from
/// (empty for a Rust program on the host). No maps, global data or settings.
#[cfg(test)]
pub fn begin(attach: &'static AttachInfo, context: &[u8], helpers: &[Helper]) -> Run {
    begin_vm(attach, None, context, helpers, Lent::default())
}

/// [`begin`] for a VM run of a program of `hook`, lending it `lent`, which
/// [`Run::finish`] gives back.
pub fn begin_vm(
    attach: &'static AttachInfo,
    hook: Option<&'static HookInfo>,
    context: &[u8],
    helpers: &[Helper],
    lent: Lent,
) -> Run {
    let start = context.as_ptr() as usize;
    let session = Session {
        attach,
        hook,
        context: start..start + context.len(),
        stack: None,
        whole_stack: None,
        helpers: helpers.to_vec(),
        lent,
        map_memory_changed: true,
        recorded: Recorded::default(),
    };
    SESSION.with(|s| *s.borrow_mut() = Some(session));
    Run {
        _thread: PhantomData,
    }
}

impl Run {
    /// Ends the run and returns what it recorded.
    pub fn end(self) -> Recorded {
        self.finish().0
    }

    /// Ends the run; returns what it recorded and what it was lent.
    pub fn finish(self) -> (Recorded, Lent) {
        SESSION
            .with(|s| s.borrow_mut().take())
            .map(|s| (s.recorded, s.lent))
            .unwrap_or_default()
    }
}

impl Drop for Run {
    fn drop(&mut self) {
        SESSION.with(|s| s.borrow_mut().take());
    }
}

/// Runs `f` on the session, if a run is in progress.
fn with<R>(f: impl FnOnce(&mut Session) -> R) -> Option<R> {
    SESSION.with(|s| s.borrow_mut().as_mut().map(f))
}

/// Sets the VM stack of the current run: from then on, a buffer a helper is given
/// must lie in the context, that stack, global data or a map value, as the VM's own
/// memory checks require.
pub fn set_stack(stack: Range<usize>) {
    with(|s| s.stack = Some(stack));
}

/// Sets the whole stack of the interpreter's run (all its frames), for
/// [`pointer_targets`] and [`describe_address`].
pub fn set_whole_stack(stack: Range<usize>) {
    with(|s| s.whole_stack = Some(stack));
}

/// The memory of the current run that a program can hold pointers to.
pub fn pointer_targets() -> crate::pointers::Targets {
    use crate::pointers::Kind;
    with(|s| {
        let mut targets = crate::pointers::Targets::default();
        targets.push(s.context.clone(), Kind::Context);
        if let Some(stack) = s.whole_stack.clone().or_else(|| s.stack.clone()) {
            targets.push(stack, Kind::Stack);
        }
        for (name, range, _) in &s.lent.globals {
            targets.push(range.clone(), Kind::Global(name.clone()));
        }
        for m in s.lent.maps.memory() {
            let name = s.lent.maps.get(m.map).map_or("?", |map| map.name());
            targets.push(m.range, Kind::MapValue(name.to_owned()));
        }
        targets
    })
    .unwrap_or_default()
}

/// `addr` named by its offset in the memory of the current run it is near
/// ([`crate::pointers::describe_address`]), never as a host address.
pub fn describe_address(addr: u64) -> String {
    with(|s| {
        let mut regions: Vec<(String, Range<usize>)> =
            vec![("the context".to_owned(), s.context.clone())];
        if let Some(stack) = s.whole_stack.clone().or_else(|| s.stack.clone()) {
            regions.push((crate::pointers::STACK.to_owned(), stack));
        }
        for (name, range, _) in &s.lent.globals {
            regions.push((format!("`{name}`"), range.clone()));
        }
        for m in s.lent.maps.memory() {
            let name = s.lent.maps.get(m.map).map_or("?", |map| map.name());
            regions.push((format!("a value of map `{name}`"), m.range));
        }
        let borrowed: Vec<(&str, Range<usize>)> = regions
            .iter()
            .map(|(n, r)| (n.as_str(), r.clone()))
            .collect();
        crate::pointers::describe_address(addr, &borrowed)
    })
    .unwrap_or_else(|| crate::pointers::describe_address(addr, &[]))
}

/// The faults recorded so far, emptied (keeping their storage) with the rest of
/// what the run recorded, for the next of many runs in one session (`--repeat`).
pub fn take_faults_and_clear() -> Option<String> {
    with(|s| {
        let fault = s.recorded.faults.first().cloned();
        s.recorded.calls.clear();
        s.recorded.printk.clear();
        s.recorded.ring_records.clear();
        s.recorded.faults.clear();
        s.recorded.redirect_context = None;
        fault
    })
    .flatten()
}

/// Records a problem that makes the current run fail.
pub fn fault(message: String) {
    with(|s| s.recorded.faults.push(message));
}

/// Records a helper call.
pub fn record(call: HelperCall) {
    with(|s| s.recorded.calls.push(call));
}

/// Records the bytes `bpf_sock_addr_set_redirect_context` stored.
pub fn store_redirect_context(bytes: Vec<u8>) {
    with(|s| s.recorded.redirect_context = Some(bytes));
}

/// Records a line a trace_printk helper printed.
pub fn printk(line: String) {
    with(|s| s.recorded.printk.push(line));
}

/// Records a ring-buffer record the program wrote.
pub fn ring_record(record: RingRecord) {
    with(|s| s.recorded.ring_records.push(record));
}

/// The address range of the current context, if a run is in progress.
pub fn context() -> Option<Range<usize>> {
    with(|s| s.context.clone())
}

/// The attach type of the current run, if one is in progress.
pub fn attach() -> Option<&'static AttachInfo> {
    with(|s| s.attach)
}

/// The hook of the current VM run, if known.
pub fn hook() -> Option<&'static HookInfo> {
    with(|s| s.hook).flatten()
}

/// Runs `f` on the maps lent to the current run; `None` without a run.
pub fn with_maps<R>(f: impl FnOnce(&mut Maps) -> R) -> Option<R> {
    with(|s| f(&mut s.lent.maps))
}

/// Notes that a map helper may have added or removed map values.
pub fn map_memory_changed() {
    with(|s| s.map_memory_changed = true);
}

/// The map values' address ranges (map index and range), when they may have
/// changed since the last call.
pub fn map_memory_if_changed() -> Option<Vec<crate::map_store::MemoryRange>> {
    with(|s| std::mem::take(&mut s.map_memory_changed).then(|| s.lent.maps.memory())).flatten()
}

/// Runs `f` on the host environment lent to the current run.
pub fn with_host<R>(f: impl FnOnce(&mut HostState) -> R) -> Option<R> {
    with(|s| f(&mut s.lent.host))
}

/// Where the bytes `start..end` lie, for a helper to touch them (`write` to store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// In the context, the stack, global data or a map value.
    Allowed,
    /// In read-only global data (the section named).
    ReadOnly(String),
    Outside,
}

/// Whether the bytes `start..end` lie in the current context, VM stack, global data
/// or a map value; `None` when no VM stack is known (no run, or a Rust program on
/// the host).
pub fn placement(start: usize, end: usize, write: bool) -> Option<Placement> {
    with(|s| {
        let stack = s.stack.as_ref()?;
        let inside = |r: &Range<usize>| r.start <= start && end <= r.end;
        if inside(&s.context) || inside(stack) || s.lent.maps.contains(start, end) {
            return Some(Placement::Allowed);
        }
        for (name, range, writable) in &s.lent.globals {
            if inside(range) {
                return Some(if write && !writable {
                    Placement::ReadOnly(name.clone())
                } else {
                    Placement::Allowed
                });
            }
        }
        Some(Placement::Outside)
    })
    .flatten()
}

/// Whether the bytes `start..end` lie in the current context, VM stack, global data
/// or a map value; `None` when no VM stack is known.
pub fn in_vm_memory(start: usize, end: usize) -> Option<bool> {
    placement(start, end, false).map(|p| p == Placement::Allowed)
}

/// How many bytes from `start` on lie in one piece of the program's memory (for a
/// string whose length is not known in advance); 0 outside it.
pub fn readable_from(start: usize) -> usize {
    with(|s| {
        let mut ranges: Vec<Range<usize>> = vec![s.context.clone()];
        ranges.extend(s.stack.clone());
        ranges.extend(s.lent.globals.iter().map(|(_, r, _)| r.clone()));
        ranges.extend(s.lent.maps.memory().into_iter().map(|m| m.range));
        ranges
            .iter()
            .filter(|r| r.start <= start && start < r.end)
            .map(|r| r.end - start)
            .max()
            .unwrap_or(0)
    })
    .unwrap_or(0)
}

/// The helper the JIT serves from `slot`.
pub fn helper_in_slot(slot: usize) -> Option<Helper> {
    with(|s| s.helpers.get(slot).copied()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attach() -> &'static AttachInfo {
        &ebpf_nethooks_bindings::abi::HOOKS[0].attach_types[0]
    }

    #[test]
    fn a_run_records_until_it_ends_and_nothing_outside_one() {
        fault("before any run".to_owned());
        assert_eq!(super::context(), None);
        let bytes = [0u8; 16];
        let helpers = ["bpf_map_lookup_elem", "bpf_sock_ops_get_flow_id"]
            .map(|name| Helper::by_name(name).unwrap());
        let run = begin(attach(), &bytes, &helpers);
        let start = bytes.as_ptr() as usize;
        assert_eq!(super::context(), Some(start..start + 16));
        assert_eq!(helper_in_slot(1), Some(helpers[1]));
        assert_eq!(helper_in_slot(2), None);
        fault("a bad buffer".to_owned());
        let recorded = run.end();
        assert_eq!(recorded.faults, ["a bad buffer"]);
        assert_eq!(super::context(), None);
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
            Some(Placement::ReadOnly(".rodata".to_owned()))
        );
        assert_eq!(placement(0x2008, 0x2018, false), Some(Placement::Outside));
        assert_eq!(readable_from(0x2008), 8);
        assert_eq!(readable_from(0x1100), 0x100);
        assert_eq!(readable_from(0x5000), 0);
        let (_, lent) = run.finish();
        assert_eq!(lent.globals.len(), 2, "what was lent comes back");
    }

    #[test]
    fn a_run_that_unwinds_leaves_no_session_behind() {
        let bytes = [0u8; 8];
        let result = std::panic::catch_unwind(|| {
            let _run = begin(attach(), &bytes, &[]);
            panic!("the program panicked");
        });
        assert!(result.is_err());
        assert_eq!(super::context(), None);
    }
}
