//! A connect policy kept in maps, which user mode fills and reads:
//!
//! - [`POLICY`]: the rule for a destination, looked up for the exact address and port,
//!   then for the address with [`ANY_PORT`] (the wildcard); no rule lets the
//!   connection proceed softly, so lower-priority filters still decide;
//! - [`CONNECTS`]: connections per destination address, for the most recent
//!   [`TRACKED_ADDRESSES`] addresses (an LRU hash map);
//! - [`DECISIONS`]: how many connections were allowed by a rule, rejected, or had no
//!   rule (a per-CPU array, updated in place);
//! - [`REJECTIONS`]: one [`Endpoint`] record per rejected connection (a ring buffer).
//!
//! The host tests below fill the maps, call the entry point as the extension does and
//! read the maps back; `scenario.toml` runs the BPF object of the same code in
//! `nethooks-run` (`cargo-nethooks/tests/maps_end_to_end.rs` checks both agree).
#![cfg_attr(not(test), no_std)]

use ebpf_nethooks::hooks::{Connect4, Context};
use ebpf_nethooks::maps::{BPF_EXIST, BPF_NOEXIST, HashMap, LruHashMap, PerCpuArray, RingBuf};
use ebpf_nethooks::*;
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// A connection's destination: the IPv4 address's bytes and the port in host byte
/// order, as a 4-byte number so that the key has no padding.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout)]
pub struct Endpoint {
    /// The address's bytes, in network order (`10.0.0.1` is `[10, 0, 0, 1]`).
    pub address: [u8; 4],
    /// The port, or [`ANY_PORT`] in a wildcard rule.
    pub port: u32,
}

/// The port of a rule that holds for every port of its address.
pub const ANY_PORT: u32 = 0;
/// A rule's value: allow the connection, firmly.
pub const ALLOW: u32 = 1;
/// A rule's value: reject the connection.
pub const REJECT: u32 = 2;

/// [`DECISIONS`] slot: connections a rule allowed.
pub const ALLOWED: u32 = 0;
/// [`DECISIONS`] slot: connections a rule rejected.
pub const REJECTED: u32 = 1;
/// [`DECISIONS`] slot: connections no rule named.
pub const UNRULED: u32 = 2;

/// How many destination addresses [`CONNECTS`] keeps.
pub const TRACKED_ADDRESSES: u32 = 4;

ebpf_nethooks::map! {
    /// Destination -> [`ALLOW`] or [`REJECT`]; filled by user mode.
    pub static POLICY: HashMap<Endpoint, u32> = HashMap::with_max_entries(256, 0);
    /// Destination address -> connections to it, for the most recent addresses.
    pub static CONNECTS: LruHashMap<[u8; 4], u64> =
        LruHashMap::with_max_entries(TRACKED_ADDRESSES, 0);
    /// Decisions by kind: [`ALLOWED`], [`REJECTED`], [`UNRULED`].
    pub static DECISIONS: PerCpuArray<u64> = PerCpuArray::with_max_entries(3, 0);
    /// The destination of each rejected connection.
    pub static REJECTIONS: RingBuf = RingBuf::with_byte_size(4096, 0);
}

/// Decides an IPv4 connect by [`POLICY`], and counts it.
#[sock_addr_hook(connect4)]
pub fn connect_policy(ctx: Context<'_, Connect4>) -> ebpf_sock_addr_verdict_t {
    use ebpf_sock_addr_verdict_t::*;
    // `user_ip4` and `user_port` are in network byte order.
    let destination = Endpoint {
        address: ctx.user_ip4().to_ne_bytes(),
        port: u32::from(u16::from_be(ctx.user_port())),
    };
    count_connect(&destination.address);
    let wildcard = Endpoint {
        port: ANY_PORT,
        ..destination
    };
    let rule = POLICY.get(&destination).or_else(|| POLICY.get(&wildcard));
    let (verdict, decision) = match rule {
        Some(REJECT) => {
            // A full ring loses the record, not the decision.
            let _ = REJECTIONS.output(&destination, 0);
            (BPF_SOCK_ADDR_VERDICT_REJECT, REJECTED)
        }
        Some(_) => (BPF_SOCK_ADDR_VERDICT_PROCEED_HARD, ALLOWED),
        None => (BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT, UNRULED),
    };
    if let Some(count) = DECISIONS.get_ptr_mut(decision) {
        // SAFETY: a per-CPU value is written only by programs on this CPU, which
        // run one at a time, and no insert or remove happens between the lookup
        // and this write.
        unsafe { *count = (*count).wrapping_add(1) };
    }
    verdict
}

/// Adds one to the connections to `address`. By copy and insert, not in place: the
/// map is shared by all CPUs, so a concurrent connect may lose a count, as in C,
/// but nothing is written through a pointer another CPU may be writing.
fn count_connect(address: &[u8; 4]) {
    let counted = match CONNECTS.get(address) {
        Some(connects) => CONNECTS.insert(address, &connects.wrapping_add(1), BPF_EXIST),
        None => CONNECTS.insert(address, &1, BPF_NOEXIST),
    };
    // A failed insert (another CPU's insert or eviction in between, no memory) loses
    // a count, not the decision.
    let _ = counted;
}

#[cfg(test)]
mod tests;
