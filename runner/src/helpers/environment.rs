//! The host environment the general helpers report, fixed by the run's settings so
//! that every run is reproducible (`docs/general-helpers-abi.md` §5.6 for what each helper means):
//!
//! - `bpf_get_prandom_u32`: SplitMix64 seeded with `seed`, the high 32 bits of each
//!   output (upstream uses MT19937; `docs/general-helpers-abi.md` §5.6 says any uniform source is
//!   equivalent);
//! - the clocks: one clock that starts at `clock_ns` and **advances by
//!   `clock_step_ns` at each call** of any clock helper (so two reads in one run
//!   differ, and the next run continues where the last one stopped).
//!   `bpf_ktime_get_ns` reads it, `bpf_ktime_get_boot_ns` reads it plus
//!   `suspended_ns`; both are cut to 100 ns granularity as upstream's are. The `_ms`
//!   helpers read the same clocks in milliseconds;
//! - `bpf_get_smp_processor_id`: 0 (the runner emulates one CPU, CPU 0);
//! - `bpf_get_current_pid_tgid`: `pid_tgid`, `(process_id << 32) | thread_id`;
//! - `bpf_get_current_logon_id`: `logon_id`;
//! - `bpf_is_current_admin`: `is_admin` at a hook whose program type overrides the
//!   helper (sock_addr, `docs/general-helpers-abi.md` §1.5), else -1, as the general implementation returns;
//! - `bpf_get_socket_cookie`: `socket_cookie` at every hook (upstream only the
//!   program types provide it; the runner lets every hook call it, documented choice),
//!   except 0 at cgroup/bind4 and bind6, where netebpfext's endpoint handle is 0
//!   (netebpfext/net_ebpf_ext_sock_addr.c:350-354 and :1752 at ebpf-for-windows
//!   00053ce6b);
//! - `bpf_get_current_process_start_key`, `bpf_get_current_thread_create_time`:
//!   `process_start_key` and `thread_create_time`.
//!
//! The state (the clock's position, the generator's) belongs to the loaded program
//! and persists across its runs like its maps.

use super::args::Args;
use super::host_state::HostState;
use super::session::Session;

/// Program types that override `bpf_is_current_admin` (`docs/general-helpers-abi.md` §1.5: netebpfext, for
/// sock_addr).
const ADMIN_OVERRIDE: &[&str] = &["EBPF_PROGRAM_TYPE_CGROUP_SOCK_ADDR"];

const NS_PER_MS: u64 = 1_000_000;

fn host<R>(s: &mut Session, f: impl FnOnce(&mut HostState) -> R) -> Result<R, String> {
    s.host()
        .map(f)
        .ok_or_else(|| "no run is in progress".to_owned())
}

pub fn get_prandom_u32(_: &Args, s: &mut Session) -> Result<i64, String> {
    host(s, |h| i64::from(h.next_random()))
}

pub fn ktime_get_ns(_: &Args, s: &mut Session) -> Result<i64, String> {
    host(s, |h| h.read_clock(false) as i64)
}

pub fn ktime_get_boot_ns(_: &Args, s: &mut Session) -> Result<i64, String> {
    host(s, |h| h.read_clock(true) as i64)
}

pub fn ktime_get_ms(_: &Args, s: &mut Session) -> Result<i64, String> {
    host(s, |h| (h.read_clock(false) / NS_PER_MS) as i64)
}

pub fn ktime_get_boot_ms(_: &Args, s: &mut Session) -> Result<i64, String> {
    host(s, |h| (h.read_clock(true) / NS_PER_MS) as i64)
}

pub fn get_smp_processor_id(_: &Args, _: &mut Session) -> Result<i64, String> {
    Ok(0)
}

pub fn get_current_pid_tgid(_: &Args, s: &mut Session) -> Result<i64, String> {
    host(s, |h| h.env.pid_tgid as i64)
}

pub fn get_current_logon_id(_: &Args, s: &mut Session) -> Result<i64, String> {
    host(s, |h| h.env.logon_id as i64)
}

pub fn is_current_admin(_: &Args, s: &mut Session) -> Result<i64, String> {
    let overridden = s
        .hook()
        .is_some_and(|h| ADMIN_OVERRIDE.contains(&h.program_type));
    if !overridden {
        return Ok(-1);
    }
    host(s, |h| i64::from(h.env.is_admin))
}

/// Attach types whose endpoint handle, the socket cookie, is 0 (netebpfext's bind
/// layer).
const NO_COOKIE_AT: &[&str] = &["bind4", "bind6"];

pub fn get_socket_cookie(_: &Args, s: &mut Session) -> Result<i64, String> {
    if s.attach().is_some_and(|a| NO_COOKIE_AT.contains(&a.name)) {
        return Ok(0);
    }
    host(s, |h| h.env.socket_cookie as i64)
}

pub fn get_current_process_start_key(_: &Args, s: &mut Session) -> Result<i64, String> {
    host(s, |h| h.env.process_start_key as i64)
}

pub fn get_current_thread_create_time(_: &Args, s: &mut Session) -> Result<i64, String> {
    host(s, |h| h.env.thread_create_time)
}

/// `bpf_redirect_map` (eBPF for Windows 1.4.0 on) redirects packets, which none of
/// the network hooks here handle: no map of theirs holds endpoints, so it fails.
pub fn redirect_map(_: &Args, _: &mut Session) -> Result<i64, String> {
    Ok(-1)
}
