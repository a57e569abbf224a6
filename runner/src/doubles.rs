//! The helpers' test doubles, shared by the VM runner and host tests of Rust programs.
//!
//! [`install`] puts them into the bindings' `testing` slots. A program in the VM
//! reaches them through `abi::HELPERS[..].call`, a Rust program on the host through
//! the bindings' helper functions: the same code either way. Each call is recorded
//! for the current thread (see [`begin`] and [`end`]) with its arguments in a form
//! that does not depend on where memory is (the context is `Context`, an input
//! buffer its bytes).
//!
//! The doubles are deterministic functions of the context, so a test can predict them:
//! - `bpf_sock_ops_get_flow_id`: [`flow_id_of`] the context;
//! - `bpf_sock_addr_get_network_context`: fills [`network_context_of`] the context,
//!   or returns -1 at an attach type the spec does not list for it, or for a size
//!   smaller than the struct;
//! - `bpf_sock_addr_set_redirect_context`: stores the bytes (see
//!   [`Recorded::redirect_context`]) and returns 0; -1 at an attach type the spec
//!   excludes, or for an empty or larger than [`MAX_REDIRECT_CONTEXT`] buffer.
//!
//! In the VM a buffer argument must lie in the program's context or stack (the
//! runner learns the stack through [`set_stack`]); any other address fails the run
//! instead of being dereferenced.

use std::cell::RefCell;
use std::ffi::c_void;

use ebpf_nethooks_bindings::abi::{self, AttachInfo};
use ebpf_nethooks_bindings::{
    BPF_FUNC_sock_addr_get_network_context, BPF_FUNC_sock_addr_set_redirect_context,
    BPF_FUNC_sock_ops_get_flow_id, BPF_SOCK_ADDR_NETWORK_CONTEXT_VERSION,
    bpf_sock_addr_network_context_t, bpf_sock_addr_t, bpf_sock_ops_t, testing,
};

/// Largest redirect context the double accepts, in bytes.
pub const MAX_REDIRECT_CONTEXT: u32 = 256;

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

/// What the doubles saw during one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recorded {
    pub calls: Vec<HelperCall>,
    /// The bytes last stored by `bpf_sock_addr_set_redirect_context`.
    pub redirect_context: Option<Vec<u8>>,
    /// Problems a helper met (a bad argument, a helper without a double).
    pub faults: Vec<String>,
}

/// The program being run on this thread: its hook, attach type and context.
struct Session {
    attach: &'static AttachInfo,
    context: std::ops::Range<usize>,
    /// The VM's stack, when a program runs in the VM (host code has no bounds).
    stack: Option<std::ops::Range<usize>>,
    recorded: Recorded,
}

thread_local! {
    static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
}

/// Helper names that have a double here.
const COVERED: [&str; 3] = [
    "bpf_sock_ops_get_flow_id",
    "bpf_sock_addr_get_network_context",
    "bpf_sock_addr_set_redirect_context",
];

/// Installs every double into the bindings' `testing` slots (for all threads).
pub fn install() {
    testing::set_bpf_sock_ops_get_flow_id(Some(get_flow_id));
    testing::set_bpf_sock_addr_get_network_context(Some(get_network_context));
    testing::set_bpf_sock_addr_set_redirect_context(Some(set_redirect_context));
}

/// Whether helper `name` has a double.
pub fn covers(name: &str) -> bool {
    COVERED.contains(&name)
}

/// Starts recording for a program at `attach` whose context is `context`.
pub fn begin(attach: &'static AttachInfo, context: &[u8]) {
    install();
    let start = context.as_ptr() as usize;
    SESSION.with(|s| {
        *s.borrow_mut() = Some(Session {
            attach,
            context: start..start + context.len(),
            stack: None,
            recorded: Recorded::default(),
        })
    });
}

/// Stops recording and returns what was recorded.
pub fn end() -> Recorded {
    SESSION
        .with(|s| s.borrow_mut().take())
        .map(|s| s.recorded)
        .unwrap_or_default()
}

/// Records a problem that makes the current run fail.
pub fn fault(message: String) {
    SESSION.with(|s| {
        if let Some(s) = s.borrow_mut().as_mut() {
            s.recorded.faults.push(message)
        }
    });
}

/// Sets the VM stack of the current run: from then on, a buffer a helper is given
/// must lie in the context or that stack, as the VM's own memory checks require.
pub fn set_stack(stack: std::ops::Range<usize>) {
    SESSION.with(|s| {
        if let Some(s) = s.borrow_mut().as_mut() {
            s.stack = Some(stack)
        }
    });
}

/// Whether helper `helper` may touch `len` bytes at `ptr` as its `param`; records a
/// fault (which fails the run) when it may not.
fn buffer_ok(helper: &str, param: &str, ptr: *const c_void, len: usize) -> bool {
    let start = ptr as usize;
    let Some(end) = start.checked_add(len) else {
        fault(format!(
            "`{helper}` got a `{param}` buffer that wraps around"
        ));
        return false;
    };
    let allowed = SESSION.with(|s| match s.borrow().as_ref() {
        Some(Session {
            context,
            stack: Some(stack),
            ..
        }) => [context, stack]
            .iter()
            .any(|r| r.start <= start && end <= r.end),
        _ => !ptr.is_null(),
    });
    if !allowed {
        fault(format!(
            "`{helper}` got a `{param}` buffer of {len} bytes at {start:#x}, outside the program's context and stack"
        ));
    }
    allowed
}

/// The address range of the current context, if a session is running.
pub fn context_range() -> Option<std::ops::Range<usize>> {
    SESSION.with(|s| s.borrow().as_ref().map(|s| s.context.clone()))
}

fn record(id: i32, name: &'static str, args: Vec<Arg>) {
    SESSION.with(|s| {
        if let Some(s) = s.borrow_mut().as_mut() {
            s.recorded.calls.push(HelperCall {
                id: i64::from(id),
                name,
                args,
            })
        }
    });
}

fn pointer_arg<T>(ptr: *mut T) -> Arg {
    let addr = ptr as usize;
    match context_range() {
        Some(range) if addr == range.start => Arg::Context,
        Some(range) if range.contains(&addr) => Arg::ContextAt(addr - range.start),
        _ => Arg::Pointer,
    }
}

/// Whether the spec lists helper `name` at the current attach type.
fn available_here(name: &str) -> bool {
    let attach = SESSION.with(|s| s.borrow().as_ref().map(|s| s.attach.name));
    let Some(attach) = attach else { return true };
    abi::HELPERS
        .iter()
        .find(|h| h.name == name)
        .is_some_and(|h| h.available_at.contains(&attach))
}

/// The flow ID the double reports for a sock_ops context.
pub fn flow_id_of(ctx: &bpf_sock_ops_t) -> u64 {
    0xF10E_0000_0000_0000
        ^ (u64::from(ctx.local_port()) << 32)
        ^ (u64::from(ctx.remote_port()) << 16)
        ^ u64::from(ctx.remote_ip4())
}

/// The network context the double fills in for a sock_addr context.
pub fn network_context_of(ctx: &bpf_sock_addr_t) -> bpf_sock_addr_network_context_t {
    let luid = ctx.interface_luid();
    let mut n = bpf_sock_addr_network_context_t::default();
    n.set_version(BPF_SOCK_ADDR_NETWORK_CONTEXT_VERSION as u32);
    // The LUID's top half as the interface type: all-ones gives UINT32_MAX, "unknown".
    n.set_interface_type((luid >> 32) as u32);
    n.set_tunnel_type(((luid >> 16) & 0xFFFF) as u32);
    n.set_next_hop_interface_luid(luid ^ 0xFF);
    n.set_sub_interface_index(ctx.compartment_id());
    n
}

fn get_flow_id(ctx: *mut bpf_sock_ops_t) -> u64 {
    record(
        BPF_FUNC_sock_ops_get_flow_id,
        "bpf_sock_ops_get_flow_id",
        vec![pointer_arg(ctx)],
    );
    // SAFETY: the caller passes its context (the VM runner checks that it does).
    flow_id_of(unsafe { &*ctx })
}

fn get_network_context(ctx: *mut bpf_sock_addr_t, out: *mut c_void, size: u32) -> i32 {
    let name = "bpf_sock_addr_get_network_context";
    record(
        BPF_FUNC_sock_addr_get_network_context,
        name,
        vec![pointer_arg(ctx), Arg::Out(size), Arg::Int(u64::from(size))],
    );
    let needed = core::mem::size_of::<bpf_sock_addr_network_context_t>();
    let aligned =
        (out as usize).is_multiple_of(core::mem::align_of::<bpf_sock_addr_network_context_t>());
    if !available_here(name)
        || (size as usize) < needed
        || !aligned
        || !buffer_ok(name, "context_ptr", out, needed)
    {
        return -1;
    }
    // SAFETY: the caller passes its context; the buffer was checked above.
    unsafe {
        let value = network_context_of(&*ctx);
        // Zero first so padding bytes are the same on every run.
        out.cast::<u8>().write_bytes(0, needed);
        let target = &mut *out.cast::<bpf_sock_addr_network_context_t>();
        target.set_version(value.version());
        target.set_interface_type(value.interface_type());
        target.set_tunnel_type(value.tunnel_type());
        target.set_next_hop_interface_luid(value.next_hop_interface_luid());
        target.set_sub_interface_index(value.sub_interface_index());
    }
    0
}

fn set_redirect_context(ctx: *mut bpf_sock_addr_t, data: *mut c_void, size: u32) -> i32 {
    let name = "bpf_sock_addr_set_redirect_context";
    let readable =
        size > 0 && size <= MAX_REDIRECT_CONTEXT && buffer_ok(name, "data", data, size as usize);
    let bytes = readable.then(|| {
        // SAFETY: `buffer_ok` checked the buffer (in the VM; host code passes its own).
        unsafe { std::slice::from_raw_parts(data.cast::<u8>(), size as usize) }.to_vec()
    });
    let data_arg = bytes.clone().map_or(Arg::Pointer, Arg::Bytes);
    record(
        BPF_FUNC_sock_addr_set_redirect_context,
        name,
        vec![pointer_arg(ctx), data_arg, Arg::Int(u64::from(size))],
    );
    let Some(bytes) = bytes.filter(|_| available_here(name)) else {
        return -1;
    };
    SESSION.with(|s| {
        if let Some(s) = s.borrow_mut().as_mut() {
            s.recorded.redirect_context = Some(bytes)
        }
    });
    0
}
