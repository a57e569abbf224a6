//! The helpers' test doubles, shared by the VM runner and host tests of Rust programs,
//! and [`DOUBLES`], the one registry of them that everything reads: whether a helper
//! has a double ([`find`]), installing them all ([`install`]), calling one from the
//! VM (`call_from_vm`).
//!
//! [`install`] puts each double into its bindings' `testing` slot, through which a
//! Rust program on the host reaches it; the VM calls the same function directly
//! through the registry. Each call is recorded in the run's session (`session.rs`) with
//! its arguments in a form that does not depend on where memory is (the context is
//! `Context`, an input buffer its bytes).
//!
//! The doubles are deterministic functions of the context, so a test can predict them:
//! - `bpf_sock_ops_get_flow_id`: the `flow_id` setting, else [`flow_id_of`] the context;
//! - `bpf_sock_addr_get_network_context`: fills [`network_context_of`] the context
//!   and the settings, or returns -1 at an attach type the spec does not list for it,
//!   or for a size smaller than the struct;
//! - `bpf_sock_addr_set_redirect_context`: at cgroup/connect4 and connect6 stores the
//!   bytes (see `Outcome::redirect_context`) and returns 0; -1 at every other attach
//!   type, where netebpfext has no redirect to attach it to
//!   (netebpfext/net_ebpf_ext_sock_addr.c:409-420 at ebpf-for-windows 00053ce6b), and
//!   for an empty or larger than [`MAX_REDIRECT_CONTEXT`] buffer.
//!
//! The general helpers (every hook may call them) have deterministic host
//! implementations in [`crate::general`], registered here by name; `install` puts
//! each into its slot of the bindings' `general::testing` (through
//! [`crate::general::host`]), so a Rust program on the host reaches the same entry.
//!
//! In the VM a buffer argument must lie in the program's context, stack, global data
//! or a map value; on the host (which has no bounds to check) it must not be null.
//! Any other address fails the run with a [`crate::RunError::HelperFault`] instead of
//! being dereferenced.

use std::ffi::c_void;

use ebpf_nethooks_bindings::abi;
use ebpf_nethooks_bindings::{
    BPF_FUNC_sock_addr_get_network_context, BPF_FUNC_sock_addr_set_redirect_context,
    BPF_FUNC_sock_ops_get_flow_id, BPF_SOCK_ADDR_NETWORK_CONTEXT_VERSION,
    bpf_sock_addr_network_context_t, bpf_sock_addr_t, bpf_sock_ops_t, testing,
};

use crate::general::host::{self, HostDouble};
use crate::general::{self, environment as env, maps, memory, printk};
use crate::helper::Helper;
use crate::session;
pub use crate::session::{Arg, HelperCall};
use ebpf_nethooks_bindings::general::testing as general_testing;

/// Largest redirect context the double accepts, in bytes.
pub const MAX_REDIRECT_CONTEXT: u32 = 256;

/// One helper's double: everything the runner needs to know about it.
#[derive(Clone, Copy)]
pub struct Double {
    /// The helper's name in the spec (`abi::HELPERS[..].name`) or in the general
    /// helpers' table (`general::GENERAL_HELPERS`).
    pub name: &'static str,
    /// Puts the double into the bindings' `testing` slot (for all threads): the
    /// hooks' `testing` or, for a general helper, `general::testing`.
    pub install: fn(),
    /// Calls the double with the BPF argument registers r1..r5 (pointers as
    /// addresses), as the helper's binding would, and returns r0.
    ///
    /// # Safety
    /// A context argument must point to a context of the helper's hook; the doubles
    /// check buffer arguments themselves (see the module documentation).
    pub call: unsafe fn([u64; 5]) -> u64,
}

impl std::fmt::Debug for Double {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Double").field("name", &self.name).finish()
    }
}

/// A general helper's entry: its implementation, called through [`general::invoke`],
/// and installed into the bindings' slot `$setter` as the host double of the same
/// entry (`general::host`).
macro_rules! general {
    ($name:literal, $implementation:path, $setter:ident) => {
        Double {
            name: $name,
            install: || {
                general_testing::$setter(Some(<_ as HostDouble<{ host::id_of($name) }>>::DOUBLE))
            },
            call: |r| general::invoke($name, r, $implementation),
        }
    };
}

/// Every helper's double, one entry per helper of `abi::HELPERS` and of
/// `general::GENERAL_HELPERS` (a test checks it). Register conversions are those of
/// the bindings' `abi::HELPER_CALLS`: a register's low 32 bits for a 32-bit
/// parameter, an `int` result sign-extended.
pub const DOUBLES: &[Double] = &[
    Double {
        name: "bpf_sock_ops_get_flow_id",
        install: || testing::set_bpf_sock_ops_get_flow_id(Some(get_flow_id)),
        call: |r| get_flow_id(r[0] as usize as *mut bpf_sock_ops_t),
    },
    Double {
        name: "bpf_sock_addr_get_network_context",
        install: || testing::set_bpf_sock_addr_get_network_context(Some(get_network_context)),
        call: |r| {
            get_network_context(
                r[0] as usize as *mut bpf_sock_addr_t,
                r[1] as usize as *mut c_void,
                r[2] as u32,
            ) as i64 as u64
        },
    },
    Double {
        name: "bpf_sock_addr_set_redirect_context",
        install: || testing::set_bpf_sock_addr_set_redirect_context(Some(set_redirect_context)),
        call: |r| {
            set_redirect_context(
                r[0] as usize as *mut bpf_sock_addr_t,
                r[1] as usize as *mut c_void,
                r[2] as u32,
            ) as i64 as u64
        },
    },
    general!(
        "bpf_map_lookup_elem",
        maps::lookup_elem,
        set_bpf_map_lookup_elem
    ),
    general!(
        "bpf_map_update_elem",
        maps::update_elem,
        set_bpf_map_update_elem
    ),
    general!(
        "bpf_map_delete_elem",
        maps::delete_elem,
        set_bpf_map_delete_elem
    ),
    general!(
        "bpf_map_lookup_and_delete_elem",
        maps::lookup_and_delete_elem,
        set_bpf_map_lookup_and_delete_elem
    ),
    general!("bpf_tail_call", maps::tail_call, set_bpf_tail_call),
    general!(
        "bpf_get_prandom_u32",
        env::get_prandom_u32,
        set_bpf_get_prandom_u32
    ),
    general!(
        "bpf_ktime_get_boot_ns",
        env::ktime_get_boot_ns,
        set_bpf_ktime_get_boot_ns
    ),
    general!(
        "bpf_get_smp_processor_id",
        env::get_smp_processor_id,
        set_bpf_get_smp_processor_id
    ),
    general!("bpf_ktime_get_ns", env::ktime_get_ns, set_bpf_ktime_get_ns),
    general!("bpf_csum_diff", memory::csum_diff, set_bpf_csum_diff),
    general!(
        "bpf_ringbuf_output",
        maps::ringbuf_output,
        set_bpf_ringbuf_output
    ),
    general!(
        "bpf_trace_printk2",
        printk::trace_printk,
        set_bpf_trace_printk2
    ),
    general!(
        "bpf_trace_printk3",
        printk::trace_printk,
        set_bpf_trace_printk3
    ),
    general!(
        "bpf_trace_printk4",
        printk::trace_printk,
        set_bpf_trace_printk4
    ),
    general!(
        "bpf_trace_printk5",
        printk::trace_printk,
        set_bpf_trace_printk5
    ),
    general!("bpf_map_push_elem", maps::push_elem, set_bpf_map_push_elem),
    general!("bpf_map_pop_elem", maps::pop_elem, set_bpf_map_pop_elem),
    general!("bpf_map_peek_elem", maps::peek_elem, set_bpf_map_peek_elem),
    general!(
        "bpf_get_current_pid_tgid",
        env::get_current_pid_tgid,
        set_bpf_get_current_pid_tgid
    ),
    general!(
        "bpf_get_current_logon_id",
        env::get_current_logon_id,
        set_bpf_get_current_logon_id
    ),
    general!(
        "bpf_is_current_admin",
        env::is_current_admin,
        set_bpf_is_current_admin
    ),
    general!("bpf_memcpy_s", memory::memcpy_s, set_bpf_memcpy_s),
    general!("bpf_memcmp_s", memory::memcmp_s, set_bpf_memcmp_s),
    general!("bpf_memset", memory::memset, set_bpf_memset),
    general!("bpf_memmove_s", memory::memmove_s, set_bpf_memmove_s),
    general!(
        "bpf_get_socket_cookie",
        env::get_socket_cookie,
        set_bpf_get_socket_cookie
    ),
    general!("bpf_strncpy_s", memory::strncpy_s, set_bpf_strncpy_s),
    general!("bpf_strncat_s", memory::strncat_s, set_bpf_strncat_s),
    general!("bpf_strnlen_s", memory::strnlen_s, set_bpf_strnlen_s),
    general!(
        "bpf_ktime_get_boot_ms",
        env::ktime_get_boot_ms,
        set_bpf_ktime_get_boot_ms
    ),
    general!("bpf_ktime_get_ms", env::ktime_get_ms, set_bpf_ktime_get_ms),
    general!(
        "bpf_perf_event_output",
        maps::perf_event_output,
        set_bpf_perf_event_output
    ),
    general!(
        "bpf_get_current_process_start_key",
        env::get_current_process_start_key,
        set_bpf_get_current_process_start_key
    ),
    general!(
        "bpf_get_current_thread_create_time",
        env::get_current_thread_create_time,
        set_bpf_get_current_thread_create_time
    ),
    general!("bpf_redirect_map", env::redirect_map, set_bpf_redirect_map),
];

/// The double of helper `name`, if it has one.
pub fn find(name: &str) -> Option<&'static Double> {
    DOUBLES.iter().find(|d| d.name == name)
}

/// Whether helper `name` has a double.
pub fn covers(name: &str) -> bool {
    find(name).is_some()
}

/// Installs every double into the bindings' `testing` slots (for all threads).
pub fn install() {
    for double in DOUBLES {
        (double.install)();
    }
}

/// Calls `helper` from the VM with r1..r5: for a hook's helper, checks that a
/// context argument is the program's own context (the doubles dereference it), then
/// calls its double (a general helper checks its own arguments). A helper without a
/// double, or a bad argument, records a fault.
pub(crate) fn call_from_vm(helper: Helper, regs: [u64; 5]) -> u64 {
    let Some(double) = find(helper.name) else {
        session::fault(format!(
            "`{}` has no test double in the runner",
            helper.name
        ));
        return 0;
    };
    if helper.general {
        // SAFETY: general helpers check every argument before using it.
        return unsafe { (double.call)(regs) };
    }
    let info = helper.info;
    let context = session::context();
    for (param, value) in info.params.iter().zip(regs) {
        let is_context_param = abi::HOOKS
            .iter()
            .any(|h| h.name == info.hook && param.c_type == format!("{}*", h.context));
        if is_context_param && context.as_ref().map(|c| c.start as u64) != Some(value) {
            session::fault(format!(
                "`{}` got {} as `{}`, which is not the program's context",
                info.name,
                session::describe_address(value),
                param.name
            ));
            return u64::MAX;
        }
    }
    // SAFETY: the context argument was checked above; the doubles check that buffer
    // arguments lie in the program's context or stack before touching them.
    unsafe { (double.call)(regs) }
}

/// Whether helper `helper` may touch `len` bytes at `ptr` as its `param`; records a
/// fault (which fails the run) when it may not.
fn buffer_ok(helper: &str, param: &str, ptr: *const c_void, len: usize) -> bool {
    let start = ptr as usize;
    let Some(end) = start.checked_add(len) else {
        session::fault(format!(
            "`{helper}` got a `{param}` buffer that wraps around"
        ));
        return false;
    };
    let allowed = session::in_vm_memory(start, end).unwrap_or(!ptr.is_null());
    if !allowed {
        session::fault(format!(
            "`{helper}` got a `{param}` buffer of {len} bytes at {}, outside the program's context, stack, global data and map values",
            session::describe_address(start as u64)
        ));
    }
    allowed
}

fn record(id: i32, name: &'static str, args: Vec<Arg>) {
    session::record(HelperCall {
        id: i64::from(id),
        name,
        args,
    });
}

fn pointer_arg<T>(ptr: *mut T) -> Arg {
    let addr = ptr as usize;
    match session::context() {
        Some(range) if addr == range.start => Arg::Context,
        Some(range) if range.contains(&addr) => Arg::ContextAt(addr - range.start),
        _ => Arg::Pointer,
    }
}

/// Whether the spec lists helper `name` at the current attach type.
fn available_here(name: &str) -> bool {
    let Some(attach) = session::attach() else {
        return true;
    };
    abi::HELPERS
        .iter()
        .find(|h| h.name == name)
        .is_some_and(|h| h.available_at.contains(&attach.name))
}

/// The flow ID the double reports for a sock_ops context when no `flow_id` setting
/// gives one: non-zero, as WFP's flow handles are.
pub fn flow_id_of(ctx: &bpf_sock_ops_t) -> u64 {
    0xF10E_0000_0000_0000
        ^ (u64::from(ctx.local_port()) << 32)
        ^ (u64::from(ctx.remote_port()) << 16)
        ^ u64::from(ctx.remote_ip4())
}

/// Attach types at which only the connect-redirect layer's helpers succeed.
const REDIRECT_AT: &[&str] = &["connect4", "connect6"];

/// Attach types of the bind layer: no next hop and no sub-interface there, and the
/// interface type is the LUID's IfType (bits 48-63), as upstream's bind helper test
/// expects (tests/socket/socket_tests.cpp:1095-1231 at ebpf-for-windows 00053ce6b).
const BIND_LAYER: &[&str] = &["bind4", "bind6"];

/// The network context the double fills in for a sock_addr context at `attach`,
/// each field a setting of `env` where one is given. Without settings: at the bind
/// layer, the interface type is the LUID's IfType and the tunnel type 0; elsewhere
/// the LUID's top half is the interface type (all-ones gives UINT32_MAX, "unknown"),
/// bits 16..32 the tunnel type, the LUID with its low byte flipped the next hop and
/// the compartment the sub-interface.
pub fn network_context_of(
    ctx: &bpf_sock_addr_t,
    attach: &str,
    env: &general::Environment,
) -> bpf_sock_addr_network_context_t {
    let luid = ctx.interface_luid();
    let mut n = bpf_sock_addr_network_context_t::default();
    n.set_version(BPF_SOCK_ADDR_NETWORK_CONTEXT_VERSION as u32);
    if BIND_LAYER.contains(&attach) {
        n.set_interface_type(env.interface_type.unwrap_or((luid >> 48) as u32));
        n.set_tunnel_type(env.tunnel_type.unwrap_or(0));
        return n;
    }
    n.set_interface_type(env.interface_type.unwrap_or((luid >> 32) as u32));
    n.set_tunnel_type(env.tunnel_type.unwrap_or(((luid >> 16) & 0xFFFF) as u32));
    n.set_next_hop_interface_luid(env.next_hop_interface_luid.unwrap_or(luid ^ 0xFF));
    n.set_sub_interface_index(env.sub_interface_index.unwrap_or(ctx.compartment_id()));
    n
}

/// The host environment of the run in progress (the defaults without one).
fn environment() -> general::Environment {
    session::with_host(|h| h.env).unwrap_or_default()
}

fn get_flow_id(ctx: *mut bpf_sock_ops_t) -> u64 {
    record(
        BPF_FUNC_sock_ops_get_flow_id,
        "bpf_sock_ops_get_flow_id",
        vec![pointer_arg(ctx)],
    );
    // SAFETY: the caller passes its context (the VM runner checks that it does).
    environment()
        .flow_id
        .unwrap_or_else(|| flow_id_of(unsafe { &*ctx }))
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
        let attach = session::attach().map_or("", |a| a.name);
        let value = network_context_of(&*ctx, attach, &environment());
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
    let redirect_layer = session::attach().is_none_or(|a| REDIRECT_AT.contains(&a.name));
    let Some(bytes) = bytes.filter(|_| available_here(name) && redirect_layer) else {
        return -1;
    };
    session::store_redirect_context(bytes);
    0
}

#[cfg(test)]
#[path = "doubles_tests.rs"]
mod tests;
