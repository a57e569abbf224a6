//! The state of the run in progress on this thread, in one place: the run API starts
//! and ends it, lending it the program's maps, global data addresses and host
//! environment (and taking them back at the end); the VM's helper entries set its
//! stack and find its helpers; the helpers record their calls, printk lines,
//! ring-buffer records and faults in it.
//!
//! A helper is a plain function (rbpf calls it through a function pointer, a Rust
//! program through the bindings), so what it needs to know about the run reaches it
//! through this thread-local session rather than through arguments.

use std::cell::RefCell;
use std::marker::PhantomData;
use std::ops::Range;

use ebpf_nethooks_bindings::abi::{AttachInfo, HookInfo};

use super::helper::Helper;
use super::host_state::HostState;
pub use super::record::{Arg, HelperCall, Recorded, RingRecord};
use crate::map_store::Maps;

/// Memory and state a VM run lends the helpers: its global data (addresses and
/// whether writable, by section name), the read-only data the context's pointer
/// members point at (by the pair's name, `app_id`), the maps and the host environment.
#[derive(Debug, Default)]
pub struct Lent {
    pub globals: Vec<(String, Range<usize>, bool)>,
    pub data: Vec<(String, Range<usize>)>,
    pub maps: Maps,
    pub host: HostState,
}

/// The run in progress on this thread, which the helpers are handed (`&mut`) for
/// each call: what they read of the run and what they record go through it.
#[derive(Debug)]
pub struct Session {
    /// Whether a run is in progress: an idle session (a helper called on the host
    /// outside any run) has no context, attach type, maps or environment.
    running: bool,
    attach: Option<&'static AttachInfo>,
    hook: Option<&'static HookInfo>,
    /// The context's addresses.
    context: Option<Range<usize>>,
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
        running: true,
        attach: Some(attach),
        hook,
        context: Some(start..start + context.len()),
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

/// Runs `f` on the session of the run in progress, or outside any run on an idle
/// one, whose records are dropped: what a helper entry hands each helper.
pub fn with_session<R>(f: impl FnOnce(&mut Session) -> R) -> R {
    let mut f = Some(f);
    if let Some(r) = with(|s| (f.take().expect("called once"))(s)) {
        return r;
    }
    let mut idle = Session {
        running: false,
        attach: None,
        hook: None,
        context: None,
        stack: None,
        whole_stack: None,
        helpers: Vec::new(),
        lent: Lent::default(),
        map_memory_changed: false,
        recorded: Recorded::default(),
    };
    (f.take().expect("not called yet"))(&mut idle)
}

/// Sets the VM stack of the current run: from then on, a buffer a helper is given
/// must lie in the context, that stack, global data or a map value, as the VM's own
/// memory checks require.
pub fn set_stack(stack: Range<usize>) {
    with(|s| s.stack = Some(stack));
}

/// Sets the whole stack of the interpreter's run (all its frames), for
/// [`pointer_targets`] and [`Session::describe_address`].
pub fn set_whole_stack(stack: Range<usize>) {
    with(|s| s.whole_stack = Some(stack));
}

/// The memory of the current run that a program can hold pointers to.
pub fn pointer_targets() -> crate::pointers::Targets {
    use crate::pointers::Kind;
    with(|s| {
        let mut targets = crate::pointers::Targets::default();
        if let Some(context) = s.context.clone() {
            targets.push(context, Kind::Context);
        }
        if let Some(stack) = s.whole_stack.clone().or_else(|| s.stack.clone()) {
            targets.push(stack, Kind::Stack);
        }
        for (name, range, _) in &s.lent.globals {
            targets.push(range.clone(), Kind::Global(name.clone()));
        }
        for (name, range) in &s.lent.data {
            targets.push(range.clone(), Kind::Data(name.clone()));
        }
        for m in s.lent.maps.memory() {
            let name = s.lent.maps.get(m.map).map_or("?", |map| map.name());
            targets.push(m.range, Kind::MapValue(name.to_owned()));
        }
        targets
    })
    .unwrap_or_default()
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
    with(|s| s.fault(message));
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

/// Where the bytes `start..end` lie, for a helper to touch them (`write` to store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// In the context, the stack, global data, the context's data or a map value.
    Allowed,
    /// In read-only memory, as messages name it (`` `.rodata` ``, `` `app_id` data ``).
    ReadOnly(String),
    Outside,
}

/// What the helpers read of the run and record in it.
impl Session {
    /// Records a problem that makes the run fail.
    pub fn fault(&mut self, message: String) {
        self.recorded.faults.push(message);
    }

    /// Records a helper call.
    pub fn record(&mut self, call: HelperCall) {
        self.recorded.calls.push(call);
    }

    /// Records the bytes `bpf_sock_addr_set_redirect_context` stored.
    pub fn store_redirect_context(&mut self, bytes: Vec<u8>) {
        self.recorded.redirect_context = Some(bytes);
    }

    /// Records a line a trace_printk helper printed.
    pub fn printk(&mut self, line: String) {
        self.recorded.printk.push(line);
    }

    /// Records a ring-buffer record the program wrote.
    pub fn ring_record(&mut self, record: RingRecord) {
        self.recorded.ring_records.push(record);
    }

    /// The context's address range, if a run is in progress.
    pub fn context(&self) -> Option<Range<usize>> {
        self.context.clone()
    }

    /// The attach type of the run, if one is in progress.
    pub fn attach(&self) -> Option<&'static AttachInfo> {
        self.attach
    }

    /// The hook of the VM run, if known.
    pub fn hook(&self) -> Option<&'static HookInfo> {
        self.hook
    }

    /// The maps lent to the run; `None` without a run.
    pub fn maps(&mut self) -> Option<&mut Maps> {
        self.running.then_some(&mut self.lent.maps)
    }

    /// Notes that a map helper may have added or removed map values.
    pub fn map_memory_changed(&mut self) {
        self.map_memory_changed = true;
    }

    /// The host environment lent to the run; `None` without a run.
    pub fn host(&mut self) -> Option<&mut HostState> {
        self.running.then_some(&mut self.lent.host)
    }

    /// `addr` named by its offset in the memory of the run it is near
    /// ([`crate::pointers::describe_address`]), never as a host address.
    pub fn describe_address(&self, addr: u64) -> String {
        let mut regions: Vec<(String, Range<usize>)> = Vec::new();
        regions.extend(self.context.clone().map(|c| ("the context".to_owned(), c)));
        if let Some(stack) = self.whole_stack.clone().or_else(|| self.stack.clone()) {
            regions.push((crate::pointers::STACK.to_owned(), stack));
        }
        for (name, range, _) in &self.lent.globals {
            regions.push((format!("`{name}`"), range.clone()));
        }
        for (name, range) in &self.lent.data {
            regions.push((data_name(name), range.clone()));
        }
        for m in self.lent.maps.memory() {
            let name = self.lent.maps.get(m.map).map_or("?", |map| map.name());
            regions.push((format!("a value of map `{name}`"), m.range));
        }
        let borrowed: Vec<(&str, Range<usize>)> = regions
            .iter()
            .map(|(n, r)| (n.as_str(), r.clone()))
            .collect();
        crate::pointers::describe_address(addr, &borrowed)
    }

    /// Whether the bytes `start..end` lie in the context, VM stack, global data, the
    /// context's data or a map value; `None` when no VM stack is known (no run, or a
    /// Rust program on the host).
    pub fn placement(&self, start: usize, end: usize, write: bool) -> Option<Placement> {
        let stack = self.stack.as_ref()?;
        let inside = |r: &Range<usize>| r.start <= start && end <= r.end;
        if self.context.as_ref().is_some_and(inside)
            || inside(stack)
            || self.lent.maps.contains(start, end)
        {
            return Some(Placement::Allowed);
        }
        for (name, range, writable) in &self.lent.globals {
            if inside(range) {
                return Some(if write && !writable {
                    Placement::ReadOnly(format!("`{name}`"))
                } else {
                    Placement::Allowed
                });
            }
        }
        for (name, range) in &self.lent.data {
            if inside(range) {
                return Some(if write {
                    Placement::ReadOnly(data_name(name))
                } else {
                    Placement::Allowed
                });
            }
        }
        Some(Placement::Outside)
    }

    /// Whether the bytes `start..end` lie in the context, VM stack, global data or a
    /// map value; `None` when no VM stack is known.
    pub fn in_vm_memory(&self, start: usize, end: usize) -> Option<bool> {
        self.placement(start, end, false)
            .map(|p| p == Placement::Allowed)
    }

    /// How many bytes from `start` on lie in one piece of the program's memory (for
    /// a string whose length is not known in advance); 0 outside it.
    pub fn readable_from(&self, start: usize) -> usize {
        let mut ranges: Vec<Range<usize>> = self.context.clone().into_iter().collect();
        ranges.extend(self.stack.clone());
        ranges.extend(self.lent.globals.iter().map(|(_, r, _)| r.clone()));
        ranges.extend(self.lent.data.iter().map(|(_, r)| r.clone()));
        ranges.extend(self.lent.maps.memory().into_iter().map(|m| m.range));
        ranges
            .iter()
            .filter(|r| r.start <= start && start < r.end)
            .map(|r| r.end - start)
            .max()
            .unwrap_or(0)
    }
}

/// Data of the context's pointer members as messages name it: `` `app_id` data ``.
fn data_name(name: &str) -> String {
    format!("`{name}` data")
}

/// The helper the JIT serves from `slot`.
pub fn helper_in_slot(slot: usize) -> Option<Helper> {
    with(|s| s.helpers.get(slot).copied()).flatten()
}

#[cfg(test)]
#[path = "session_tests.rs"]
mod tests;
