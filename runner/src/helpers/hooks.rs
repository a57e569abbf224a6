//! The hooks' helpers of the spec, as the runner implements them for the VM and,
//! through the bindings' seam, for Rust programs on the host (`helpers::call`
//! serves both). Each call is recorded in the run's session (`session.rs`) with its
//! arguments in a form that does not depend on where memory is (the context is
//! `Context`, an input buffer its bytes).
//!
//! The helpers are deterministic functions of the context, so a test can predict them:
//! - `bpf_sock_ops_get_flow_id`: the `flow_id` setting, else [`flow_id_of`] the context;
//! - `bpf_sock_addr_get_network_context`: zeroes the buffer and copies as much of
//!   [`network_context_of`] the context and the settings as fits; -1 for no buffer,
//!   and (after zeroing it) at an attach type the spec does not list for it;
//! - `bpf_sock_addr_set_redirect_context`: at cgroup/connect4 and connect6 stores the
//!   bytes (see `Outcome::redirect_context`) and returns 0; -1 at every other attach
//!   type, where netebpfext has no redirect to attach it to
//!   (netebpfext/net_ebpf_ext_sock_addr.c:409-420 at ebpf-for-windows 00053ce6b), and
//!   for an empty or larger than [`MAX_REDIRECT_CONTEXT`] buffer.
//!
//! In the VM a buffer argument must lie in the program's context, stack, global data
//! or a map value; on the host (which has no bounds to check) it must not be null.
//! Any other address fails the run with a [`crate::RunError::HelperFault`] instead of
//! being dereferenced.

use std::ffi::c_void;

use ebpf_nethooks_bindings::abi;
use ebpf_nethooks_bindings::{
    BPF_SOCK_ADDR_NETWORK_CONTEXT_VERSION, HelperId, bpf_sock_addr_network_context_t,
    bpf_sock_addr_t, bpf_sock_ops_t,
};

use super::host_state::Environment;
use super::session::{Arg, HelperCall, Session};

/// Largest redirect context the helper accepts, in bytes.
pub const MAX_REDIRECT_CONTEXT: u32 = 256;

/// Whether every context argument of hook helper `info` in `regs` is the program's
/// own context (the implementations dereference it); records a fault when not.
pub(super) fn context_args_ok(s: &mut Session, info: &abi::HelperInfo, regs: [u64; 5]) -> bool {
    let context = s.context();
    for (param, value) in info.params.iter().zip(regs) {
        let is_context_param = abi::HOOKS
            .iter()
            .any(|h| h.name == info.hook && param.c_type == format!("{}*", h.context));
        if is_context_param && context.as_ref().map(|c| c.start as u64) != Some(value) {
            s.fault(format!(
                "`{}` got {} as `{}`, which is not the program's context",
                info.name,
                s.describe_address(value),
                param.name
            ));
            return false;
        }
    }
    true
}

/// Whether helper `helper` may touch `len` bytes at `ptr` as its `param`; records a
/// fault (which fails the run) when it may not.
fn buffer_ok(s: &mut Session, helper: &str, param: &str, ptr: *const c_void, len: usize) -> bool {
    let start = ptr as usize;
    let Some(end) = start.checked_add(len) else {
        s.fault(format!(
            "`{helper}` got a `{param}` buffer that wraps around"
        ));
        return false;
    };
    let allowed = s.in_vm_memory(start, end).unwrap_or(!ptr.is_null());
    if !allowed {
        s.fault(format!(
            "`{helper}` got a `{param}` buffer of {len} bytes at {}, outside the program's context, stack, global data, context data and map values",
            s.describe_address(start as u64)
        ));
    }
    allowed
}

fn record(s: &mut Session, id: HelperId, args: Vec<Arg>) {
    s.record(HelperCall {
        id: i64::from(id.id()),
        name: id.name(),
        args,
    });
}

fn pointer_arg<T>(s: &Session, ptr: *mut T) -> Arg {
    let addr = ptr as usize;
    match s.context() {
        Some(range) if addr == range.start => Arg::Context,
        Some(range) if range.contains(&addr) => Arg::ContextAt(addr - range.start),
        _ => Arg::Pointer,
    }
}

/// Whether the spec lists helper `name` at the current attach type.
fn available_here(s: &Session, name: &str) -> bool {
    let Some(attach) = s.attach() else {
        return true;
    };
    abi::HELPERS
        .iter()
        .find(|h| h.name == name)
        .is_some_and(|h| h.available_at.contains(&attach.name))
}

/// The flow ID the helper reports for a sock_ops context when no `flow_id` setting
/// gives one: non-zero, as WFP's flow handles are.
pub fn flow_id_of(ctx: &bpf_sock_ops_t) -> u64 {
    0xF10E_0000_0000_0000
        ^ (u64::from(ctx.local_port()) << 32)
        ^ (u64::from(ctx.remote_port()) << 16)
        ^ u64::from(ctx.remote_ip4())
}

/// Attach types at which only the connect-redirect layer's helpers succeed.
const REDIRECT_AT: &[&str] = &["connect4", "connect6"];

/// Attach types whose WFP layer has no next hop and no sub-interface (resource
/// assignment for bind, auth-listen for listen): the helper reports 0 for both there
/// (netebpfext/net_ebpf_ext_sock_addr.c:1883-1889 and :1960-1970 at ebpf-for-windows
/// v1.5.0).
const NO_NEXT_HOP: &[&str] = &["bind4", "bind6", "listen4", "listen6"];

/// The network context the helper fills in for a sock_addr context at `attach`, as
/// netebpfext copies it from the WFP layer's fields (:1768-1784 at v1.5.0), each field
/// a setting of `env` where one is given. Without settings the interface type is the
/// interface LUID's IfType (bits 48-63, the IANA type WFP reports) and the tunnel type
/// 0 (TUNNEL_TYPE_NONE). Where the layer has a next hop, it defaults to the
/// interface's own LUID and the sub-interface to 0 (NET_IFINDEX_UNSPECIFIED); at
/// bind and listen layers (no next hop there) both are 0 whatever the settings say.
pub fn network_context_of(
    ctx: &bpf_sock_addr_t,
    attach: &str,
    env: &Environment,
) -> bpf_sock_addr_network_context_t {
    let luid = ctx.interface_luid();
    let mut n = bpf_sock_addr_network_context_t::default();
    n.set_version(BPF_SOCK_ADDR_NETWORK_CONTEXT_VERSION as u32);
    n.set_interface_type(env.interface_type.unwrap_or((luid >> 48) as u32));
    n.set_tunnel_type(env.tunnel_type.unwrap_or(0));
    if !NO_NEXT_HOP.contains(&attach) {
        n.set_next_hop_interface_luid(env.next_hop_interface_luid.unwrap_or(luid));
        n.set_sub_interface_index(env.sub_interface_index.unwrap_or(0));
    }
    n
}

/// The host environment of the run in progress (the defaults without one).
fn environment(s: &mut Session) -> Environment {
    s.host().map(|h| h.env).unwrap_or_default()
}

pub(super) fn get_flow_id(s: &mut Session, ctx: *mut bpf_sock_ops_t) -> u64 {
    let arg = pointer_arg(s, ctx);
    record(s, HelperId::bpf_sock_ops_get_flow_id, vec![arg]);
    // SAFETY: the caller passes its context (the VM runner checks that it does).
    environment(s)
        .flow_id
        .unwrap_or_else(|| flow_id_of(unsafe { &*ctx }))
}

pub(super) fn get_network_context(
    s: &mut Session,
    ctx: *mut bpf_sock_addr_t,
    out: *mut c_void,
    size: u32,
) -> i32 {
    let id = HelperId::bpf_sock_addr_get_network_context;
    let name = id.name();
    let ctx_arg = pointer_arg(s, ctx);
    record(
        s,
        id,
        vec![ctx_arg, Arg::Out(size), Arg::Int(u64::from(size))],
    );
    // netebpfext refuses only a missing buffer, then zeroes all of it, and copies as
    // much of the struct as fits, so a program built against a smaller version of
    // it still works (:357-398 at v1.5.0).
    if size == 0 || out.is_null() || !buffer_ok(s, name, "context_ptr", out, size as usize) {
        return -1;
    }
    // SAFETY: `buffer_ok` checked the buffer (in the VM; host code passes its own).
    unsafe { out.cast::<u8>().write_bytes(0, size as usize) };
    if !available_here(s, name) {
        return -1;
    }
    let attach = s.attach().map_or("", |a| a.name);
    // SAFETY: the caller passes its context (the VM runner checks that it does).
    let value = network_context_of(unsafe { &*ctx }, attach, &environment(s));
    // The members at their offsets, little-endian; the padding stays 0.
    type N = bpf_sock_addr_network_context_t;
    let mut bytes = [0u8; core::mem::size_of::<N>()];
    let mut put = |offset: usize, field: &[u8]| {
        bytes[offset..offset + field.len()].copy_from_slice(field);
    };
    put(
        core::mem::offset_of!(N, version),
        &value.version.to_le_bytes(),
    );
    put(
        core::mem::offset_of!(N, interface_type),
        &value.interface_type.to_le_bytes(),
    );
    put(
        core::mem::offset_of!(N, tunnel_type),
        &value.tunnel_type.to_le_bytes(),
    );
    put(
        core::mem::offset_of!(N, next_hop_interface_luid),
        &value.next_hop_interface_luid.to_le_bytes(),
    );
    put(
        core::mem::offset_of!(N, sub_interface_index),
        &value.sub_interface_index.to_le_bytes(),
    );
    let copied = bytes.len().min(size as usize);
    // SAFETY: as above; `copied` is at most `size`.
    unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), out.cast::<u8>(), copied) };
    0
}

pub(super) fn set_redirect_context(
    s: &mut Session,
    ctx: *mut bpf_sock_addr_t,
    data: *mut c_void,
    size: u32,
) -> i32 {
    let id = HelperId::bpf_sock_addr_set_redirect_context;
    let name = id.name();
    let readable =
        size > 0 && size <= MAX_REDIRECT_CONTEXT && buffer_ok(s, name, "data", data, size as usize);
    let bytes = readable.then(|| {
        // SAFETY: `buffer_ok` checked the buffer (in the VM; host code passes its own).
        unsafe { std::slice::from_raw_parts(data.cast::<u8>(), size as usize) }.to_vec()
    });
    let data_arg = bytes.clone().map_or(Arg::Pointer, Arg::Bytes);
    let ctx_arg = pointer_arg(s, ctx);
    record(s, id, vec![ctx_arg, data_arg, Arg::Int(u64::from(size))]);
    let redirect_layer = s.attach().is_none_or(|a| REDIRECT_AT.contains(&a.name));
    let Some(bytes) = bytes.filter(|_| available_here(s, name) && redirect_layer) else {
        return -1;
    };
    s.store_redirect_context(bytes);
    0
}
