//! Host tests: fill the maps, call the entry point as the extension does, read the
//! maps back. The map statics are one set of maps for the whole test process, so
//! each test takes [`MAPS`] and starts from empty maps.

use std::sync::{Mutex, MutexGuard};

use ebpf_nethooks::maps::{BPF_ANY, BPF_NOEXIST, result};
use ebpf_sock_addr_verdict_t::*;

use super::*;

static MAPS: Mutex<()> = Mutex::new(());

/// The maps to this test alone, emptied.
fn empty_maps() -> MutexGuard<'static, ()> {
    let guard = MAPS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    POLICY.clear();
    CONNECTS.clear();
    DECISIONS.clear();
    REJECTIONS.clear();
    guard
}

fn endpoint(address: [u8; 4], port: u32) -> Endpoint {
    Endpoint { address, port }
}

fn connect(address: [u8; 4], port: u16) -> ebpf_sock_addr_verdict_t {
    let mut ctx = bpf_sock_addr_t::default();
    ctx.set_family(2);
    ctx.set_user_ip4(u32::from_ne_bytes(address));
    ctx.set_user_port(port.to_be());
    // SAFETY: `ctx` is a valid context for the whole call.
    unsafe { connect_policy(&mut ctx) }
}

const A: [u8; 4] = [10, 0, 0, 1];
const B: [u8; 4] = [192, 0, 2, 7];
const C: [u8; 4] = [198, 51, 100, 1];
const D: [u8; 4] = [203, 0, 113, 5];
const E: [u8; 4] = [10, 0, 0, 2];

fn fill_policy() {
    for (address, port, rule) in [
        (A, 443, ALLOW),
        (A, ANY_PORT, REJECT),
        (B, ANY_PORT, REJECT),
        (C, 22, REJECT),
    ] {
        POLICY
            .insert(&endpoint(address, port), &rule, BPF_NOEXIST)
            .unwrap();
    }
}

#[test]
fn an_exact_rule_wins_over_the_wildcard_and_no_rule_proceeds_softly() {
    let _maps = empty_maps();
    fill_policy();
    let cases = [
        (A, 443, BPF_SOCK_ADDR_VERDICT_PROCEED_HARD),
        (A, 80, BPF_SOCK_ADDR_VERDICT_REJECT),
        (B, 443, BPF_SOCK_ADDR_VERDICT_REJECT),
        (C, 22, BPF_SOCK_ADDR_VERDICT_REJECT),
        (C, 443, BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT),
        (D, 80, BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT),
    ];
    for (address, port, expected) in cases {
        assert_eq!(connect(address, port), expected, "{address:?}:{port}");
    }
    // The program reads the policy and never changes it.
    assert_eq!(POLICY.entries().len(), 4);
    assert_eq!(
        DECISIONS.entries(),
        vec![(ALLOWED, 1), (REJECTED, 3), (UNRULED, 2)]
    );
    let records: Vec<Endpoint> = REJECTIONS
        .records()
        .iter()
        .map(|r| Endpoint::read_from_bytes(r).unwrap())
        .collect();
    assert_eq!(
        records,
        vec![endpoint(A, 80), endpoint(B, 443), endpoint(C, 22)]
    );
}

#[test]
fn a_rule_added_or_removed_by_user_mode_applies_to_the_next_connect() {
    let _maps = empty_maps();
    assert_eq!(connect(D, 80), BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT);
    POLICY.insert(&endpoint(D, 80), &REJECT, BPF_ANY).unwrap();
    assert_eq!(connect(D, 80), BPF_SOCK_ADDR_VERDICT_REJECT);
    POLICY.remove(&endpoint(D, 80)).unwrap();
    assert_eq!(
        POLICY.remove(&endpoint(D, 80)),
        Err(-result::EBPF_KEY_NOT_FOUND)
    );
    assert_eq!(connect(D, 80), BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT);
}

#[test]
fn connects_are_counted_for_the_most_recent_addresses_only() {
    let _maps = empty_maps();
    // Five addresses through a map of four: each new address past the fourth evicts
    // the least recently used one (B, then C, then E).
    for (address, port) in [
        (A, 443),
        (A, 80),
        (B, 443),
        (C, 22),
        (C, 443),
        (D, 80),
        (A, 443),
        (E, 443),
        (B, 53),
        (D, 80),
        (A, 8080),
        (C, 22),
    ] {
        connect(address, port);
    }
    assert_eq!(
        CONNECTS.entries(),
        vec![(A, 4), (B, 1), (C, 1), (D, 2)],
        "sorted by key bytes"
    );
    assert_eq!(
        CONNECTS.insert(&E, &1, BPF_NOEXIST),
        Ok(()),
        "E was evicted"
    );
    assert_eq!(
        CONNECTS.insert(&E, &1, BPF_NOEXIST),
        Err(-result::EBPF_OBJECT_ALREADY_EXISTS)
    );
}

#[test]
fn a_full_ring_loses_records_but_not_decisions() {
    let _maps = empty_maps();
    POLICY
        .insert(&endpoint(B, ANY_PORT), &REJECT, BPF_ANY)
        .unwrap();
    // 4096 bytes hold 256 records of 8 bytes of header and 8 of data.
    for _ in 0..300 {
        assert_eq!(connect(B, 443), BPF_SOCK_ADDR_VERDICT_REJECT);
    }
    assert_eq!(REJECTIONS.records().len(), 256);
    assert_eq!(DECISIONS.get(REJECTED), Some(300));
    assert_eq!(DECISIONS.get(3), None, "past the end");
}
