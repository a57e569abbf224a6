//! Safe wrappers of the general helpers that network programs use, available to
//! every hook, and [`bpf_printk!`](crate::bpf_printk).
//!
//! Each wrapper calls the generated binding (`ebpf_nethooks::general`), which on
//! `target_arch = "bpf"` compiles to a `call` of the helper's ID. On any other target
//! it calls the test double installed with `ebpf_nethooks::general::testing::set_*`
//! (or `testing::this_thread::set_*` with the `std` feature), and panics naming the
//! setter when none is: a host test installs the doubles its program calls.
//!
//! | wrapper | helper | context |
//! |---|---|---|
//! | [`current_pid_tgid`] | `bpf_get_current_pid_tgid` | none |
//! | [`ktime_get_ns`], [`ktime_get_boot_ns`] | `bpf_ktime_get_ns`, `bpf_ktime_get_boot_ns` | none |
//! | [`ktime_get_ms`], [`ktime_get_boot_ms`] | `bpf_ktime_get_ms`, `bpf_ktime_get_boot_ms` | none |
//! | [`prandom_u32`] | `bpf_get_prandom_u32` | none |
//! | [`smp_processor_id`] | `bpf_get_smp_processor_id` | none |
//! | [`current_logon_id`] | `bpf_get_current_logon_id` | any hook's |
//! | [`is_current_admin`] | `bpf_is_current_admin` | any hook's |
//! | [`socket_cookie`] | `bpf_get_socket_cookie` | sock_addr's |
//!
//! The context helpers take the program's own context (`&bpf_sock_addr_t`, or a
//! typed `Context<'_, A>`), which is what the verifier requires (`PTR_TO_CTX`).
//! `bpf_get_socket_cookie` has no general implementation: only the sock_addr
//! program type provides it (`docs/general-helpers-abi.md` §1.5, §2.4), so [`socket_cookie`] takes only a
//! sock_addr context.
//!
//! ```
//! use ebpf_nethooks::general::testing;
//! use ebpf_nethooks::helpers;
//!
//! // On the host, the test decides what the helpers return.
//! testing::set_bpf_get_current_pid_tgid(Some(|| (1000 << 32) | 1004));
//! testing::set_bpf_get_prandom_u32(Some(|| 7));
//! let pid_tgid = helpers::current_pid_tgid();
//! assert_eq!(pid_tgid >> 32, 1000);
//! assert_eq!(helpers::prandom_u32(), 7);
//! ```

use core::ffi::c_void;

use crate::general;
use crate::hooks::{AttachPoint, Context};
use crate::{bind_md_t, bpf_sock_addr_t, bpf_sock_ops_t};

#[doc(hidden)]
pub use printk::{PrintkArg, check_format, format_bytes};

mod printk;

/// Declares the wrappers of helpers that take no argument.
macro_rules! no_argument_helpers {
    ($($(#[$doc:meta])* $name:ident = $helper:ident -> $ret:ty;)*) => {$(
        $(#[$doc])*
        #[inline(always)]
        pub fn $name() -> $ret {
            // SAFETY: the helper takes no arguments.
            unsafe { general::$helper() }
        }
    )*};
}

no_argument_helpers! {
    /// `bpf_get_current_pid_tgid`: `(process_id << 32) | thread_id` of the current
    /// thread (for sock_addr and sock_ops, of the process that made the request).
    current_pid_tgid = bpf_get_current_pid_tgid -> u64;
    /// `bpf_ktime_get_ns`: nanoseconds since boot, not counting suspended time (100 ns
    /// granularity).
    ktime_get_ns = bpf_ktime_get_ns -> u64;
    /// `bpf_ktime_get_boot_ns`: nanoseconds since boot, counting suspended time
    /// (100 ns granularity).
    ktime_get_boot_ns = bpf_ktime_get_boot_ns -> u64;
    /// `bpf_ktime_get_ms`: milliseconds since boot, not counting suspended time;
    /// coarser and cheaper than [`ktime_get_ns`].
    ktime_get_ms = bpf_ktime_get_ms -> u64;
    /// `bpf_ktime_get_boot_ms`: milliseconds since boot, counting suspended time;
    /// coarser and cheaper than [`ktime_get_boot_ns`].
    ktime_get_boot_ms = bpf_ktime_get_boot_ms -> u64;
    /// `bpf_get_prandom_u32`: a pseudo-random 32-bit number.
    prandom_u32 = bpf_get_prandom_u32 -> u32;
    /// `bpf_get_smp_processor_id`: the 0-based index of the CPU running the program.
    smp_processor_id = bpf_get_smp_processor_id -> u64;
}

mod sealed {
    pub trait Sealed {}
}

/// A program's context, as the context helpers take it: a hook's context struct, or
/// a typed [`Context`] of one. Sealed: the helpers need the pointer the hook passed.
pub trait ProgramContext: sealed::Sealed {
    /// The context struct's address.
    fn context_ptr(&self) -> *const c_void;
}

/// A context whose program type provides `bpf_get_socket_cookie` (sock_addr).
pub trait SocketCookieContext: ProgramContext {}

macro_rules! program_contexts {
    ($($context:ty),*) => {$(
        impl sealed::Sealed for $context {}
        impl ProgramContext for $context {
            #[inline(always)]
            fn context_ptr(&self) -> *const c_void {
                (self as *const $context).cast()
            }
        }
    )*};
}

program_contexts!(bind_md_t, bpf_sock_addr_t, bpf_sock_ops_t);

impl SocketCookieContext for bpf_sock_addr_t {}

impl<A: AttachPoint> sealed::Sealed for Context<'_, A> where A::Context: ProgramContext {}

impl<A: AttachPoint> ProgramContext for Context<'_, A>
where
    A::Context: ProgramContext,
{
    #[inline(always)]
    fn context_ptr(&self) -> *const c_void {
        (**self).context_ptr()
    }
}

impl<A: AttachPoint> SocketCookieContext for Context<'_, A> where A::Context: SocketCookieContext {}

/// `bpf_get_current_logon_id`: the 64-bit logon (authentication) ID of the current
/// thread, or for sock_addr of the application that made the request; 0 when it
/// cannot be found.
#[inline(always)]
pub fn current_logon_id(ctx: &impl ProgramContext) -> u64 {
    // SAFETY: the pointer is the program's own context.
    unsafe { general::bpf_get_current_logon_id(ctx.context_ptr()) }
}

/// `bpf_is_current_admin`: whether the current user (for sock_addr, the requesting
/// application's) is an administrator; `Err` with the helper's negative result when
/// it cannot tell (the general implementation, outside sock_addr, always can't).
#[inline(always)]
pub fn is_current_admin(ctx: &impl ProgramContext) -> Result<bool, i32> {
    // SAFETY: the pointer is the program's own context.
    match unsafe { general::bpf_is_current_admin(ctx.context_ptr()) } {
        0 => Ok(false),
        r if r > 0 => Ok(true),
        r => Err(r),
    }
}

/// `bpf_get_socket_cookie`: the cookie of the socket in a sock_addr context.
#[inline(always)]
pub fn socket_cookie(ctx: &impl SocketCookieContext) -> u64 {
    // SAFETY: the pointer is the program's own context.
    unsafe { general::bpf_get_socket_cookie(ctx.context_ptr()) as u64 }
}
