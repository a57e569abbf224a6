//! Twin of `connect_policy.c`: rules keyed by destination address and port, looked up
//! exactly, then for any port of the address, then for the port at any address, in a
//! function of its own (a BPF-to-BPF call); the first rule found decides and counts
//! the hit in its value, else [`DEFAULT_VERDICT`] (`.rodata`) decides. Decisions and
//! rejects are counted in statics (`.bss`); rejects are printed.

use core::ptr::NonNull;
use core::sync::atomic::{AtomicU64, Ordering};

use ebpf_nethooks::general::bpf_trace_printk4;
use ebpf_nethooks::maps::{FromBytes, HashMap, Immutable, IntoBytes, KnownLayout};
use ebpf_nethooks::{bpf_sock_addr_t, ebpf_sock_addr_verdict_t, sock_addr_hook};

/// A rule's key: the address in network order (as `user_ip4`), the port in host
/// order; 0 is any.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout)]
pub struct PolicyKey {
    pub ip: u32,
    pub port: u32,
}

/// A rule: its verdict (an `ebpf_sock_addr_verdict_t` value) and the connections it
/// decided.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout)]
pub struct PolicyRule {
    pub verdict: u32,
    pub hits: u32,
}

ebpf_nethooks::map! {
    /// The rules, filled by user mode. Named as in C: the name is the map's.
    #[allow(non_upper_case_globals)]
    pub static policy: HashMap<PolicyKey, PolicyRule> = HashMap::with_max_entries(64, 0);
}

/// The verdict without a rule; read through a volatile load, as C's `const
/// volatile`, so that it stays in `.rodata` where a loader may change it.
pub static DEFAULT_VERDICT: u32 =
    ebpf_sock_addr_verdict_t::BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT as u32;
/// Connections decided.
pub static DECISIONS: AtomicU64 = AtomicU64::new(0);
/// Connections rejected.
pub static REJECTS: AtomicU64 = AtomicU64::new(0);

/// The rule for `ip`:`port`: exact, then the address's wildcard, then the port's.
#[inline(never)]
fn find_rule(ip: u32, port: u32) -> Option<NonNull<PolicyRule>> {
    let mut key = PolicyKey { ip, port };
    if let Some(rule) = policy.get_ptr_mut(&key) {
        return NonNull::new(rule);
    }
    key.port = 0;
    if let Some(rule) = policy.get_ptr_mut(&key) {
        return NonNull::new(rule);
    }
    key.ip = 0;
    key.port = port;
    policy.get_ptr_mut(&key).and_then(NonNull::new)
}

/// Adds one to `counter`: a load and a store, as BPF has no `fetch_add` here.
fn count(counter: &AtomicU64) {
    counter.store(
        counter.load(Ordering::Relaxed).wrapping_add(1),
        Ordering::Relaxed,
    );
}

/// Decides an IPv4 connect by [`policy`]. A rule whose verdict the hook does not
/// know rejects: the verdict type is closed, where C would return the raw value.
#[sock_addr_hook(connect4)]
pub fn connect_policy(ctx: &mut bpf_sock_addr_t) -> ebpf_sock_addr_verdict_t {
    use ebpf_sock_addr_verdict_t::*;
    // `__builtin_bswap16` of the port in network order.
    let port = u32::from(ctx.user_port().swap_bytes());
    // SAFETY: a plain read of an initialised static.
    let mut verdict = unsafe { core::ptr::read_volatile(&DEFAULT_VERDICT) };
    if let Some(rule) = find_rule(ctx.user_ip4(), port) {
        let rule = rule.as_ptr();
        // SAFETY: the rule is a live value of `policy`; no insert or remove happens
        // in this run, and a concurrent writer loses or mixes a count, as in C.
        unsafe {
            verdict = (*rule).verdict;
            (*rule).hits = (*rule).hits.wrapping_add(1);
        }
    }
    count(&DECISIONS);
    let verdict =
        ebpf_sock_addr_verdict_t::from_raw(verdict as i32).unwrap_or(BPF_SOCK_ADDR_VERDICT_REJECT);
    if verdict == BPF_SOCK_ADDR_VERDICT_REJECT {
        count(&REJECTS);
        // On the stack, as C's `bpf_printk` has it.
        let format = *b"reject %x port %u\0";
        // SAFETY: the format is NUL-terminated and `format.len()` bytes long.
        unsafe {
            bpf_trace_printk4(
                format.as_ptr().cast(),
                format.len() as u32,
                u64::from(ctx.user_ip4().swap_bytes()),
                u64::from(port),
            );
        }
    }
    verdict
}
