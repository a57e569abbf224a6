//! The state of the run in progress on this thread, in one place: the run API starts
//! and ends it, the VM's helper entries set its stack and find its helpers, the
//! doubles record their calls and faults in it.
//!
//! A helper is a plain function (rbpf calls it through a function pointer, a Rust
//! program through the bindings), so what it needs to know about the run reaches it
//! through this thread-local session rather than through arguments.

use std::cell::RefCell;
use std::marker::PhantomData;
use std::ops::Range;

use ebpf_nethooks_bindings::abi::AttachInfo;

/// One argument of a recorded helper call.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Arg {
    /// The program's own context.
    Context,
    /// A pointer into the context, at this offset.
    ContextAt(usize),
    /// Some other pointer (its address means nothing across runs).
    Pointer,
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

/// What the helpers saw during one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recorded {
    pub calls: Vec<HelperCall>,
    /// The bytes last stored by `bpf_sock_addr_set_redirect_context`.
    pub redirect_context: Option<Vec<u8>>,
    /// Problems a helper met (a bad argument, a helper without a double); each fails
    /// the run.
    pub faults: Vec<String>,
}

/// The run in progress on this thread.
struct Session {
    attach: &'static AttachInfo,
    /// The context's addresses.
    context: Range<usize>,
    /// The VM's stack, once known (a Rust program on the host has no bounds).
    stack: Option<Range<usize>>,
    /// Slot -> index in `abi::HELPERS`: the helpers the program calls, in the order
    /// the JIT's entries serve them.
    helpers: Vec<usize>,
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
/// `helpers` are the indices in `abi::HELPERS` of the helpers the program calls, by
/// the slot the JIT serves them from (empty for a Rust program on the host).
pub fn begin(attach: &'static AttachInfo, context: &[u8], helpers: &[usize]) -> Run {
    let start = context.as_ptr() as usize;
    let session = Session {
        attach,
        context: start..start + context.len(),
        stack: None,
        helpers: helpers.to_vec(),
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
        SESSION
            .with(|s| s.borrow_mut().take())
            .map(|s| s.recorded)
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
/// must lie in the context or that stack, as the VM's own memory checks require.
pub fn set_stack(stack: Range<usize>) {
    with(|s| s.stack = Some(stack));
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

/// The address range of the current context, if a run is in progress.
pub fn context() -> Option<Range<usize>> {
    with(|s| s.context.clone())
}

/// The attach type of the current run, if one is in progress.
pub fn attach() -> Option<&'static AttachInfo> {
    with(|s| s.attach)
}

/// Whether the bytes `start..end` lie in the current context or VM stack; `None`
/// when no VM stack is known (no run, or a Rust program on the host).
pub fn in_vm_memory(start: usize, end: usize) -> Option<bool> {
    with(|s| {
        let stack = s.stack.as_ref()?;
        Some(
            [&s.context, stack]
                .iter()
                .any(|r| r.start <= start && end <= r.end),
        )
    })
    .flatten()
}

/// The index in `abi::HELPERS` of the helper the JIT serves from `slot`.
pub fn helper_in_slot(slot: usize) -> Option<usize> {
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
        let run = begin(attach(), &bytes, &[7, 3]);
        let start = bytes.as_ptr() as usize;
        assert_eq!(super::context(), Some(start..start + 16));
        assert_eq!(helper_in_slot(1), Some(3));
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
