//! The map helpers and the faults of bad arguments, through the harness of
//! `general_tests.rs`.

use super::*;

fn map(name: &str, map_type: MapType, key: u32, value: u32, max: u32) -> MapDefinition {
    MapDefinition::new(name, map_type, key, value, max)
}

#[test]
fn map_helpers_reach_the_maps_and_record_them_by_name() {
    use R::*;
    let maps = || {
        Maps::new(vec![
            map("h", MapType::HASH, 4, 4, 8),
            map("q", MapType::QUEUE, 0, 4, 2),
            map("ring", MapType::RINGBUF, 0, 0, 64),
        ])
        .unwrap()
    };
    let env = Environment::default();
    let update = call_at(
        "bind",
        "bpf_map_update_elem",
        b"\x01\0\0\0\x07\0\0\0",
        &[Map(0), At(0), At(4), N(0)],
        maps(),
        env,
    );
    assert_eq!(update.r0, 0);
    assert_eq!(
        update.recorded.calls[0].args,
        [
            Arg::Map("h".to_owned()),
            Arg::Bytes(vec![1, 0, 0, 0]),
            Arg::Bytes(vec![7, 0, 0, 0]),
            Arg::Int(0)
        ]
    );
    let lookup = call_at(
        "bind",
        "bpf_map_lookup_elem",
        b"\x01\0\0\0",
        &[Map(0), At(0)],
        update.maps,
        env,
    );
    let value = lookup.maps.get(0).unwrap().memory()[0].start as u64;
    assert_eq!(lookup.r0, value, "a pointer into the live value");
    let missing = call_at(
        "bind",
        "bpf_map_delete_elem",
        b"\x02\0\0\0",
        &[Map(0), At(0)],
        lookup.maps,
        env,
    );
    assert_eq!(
        missing.r0,
        neg(-19),
        "5.2: hash delete of an absent key -> -19"
    );
    // 5.2 queue: push to capacity, then -29 without BPF_EXIST; pop oldest; -7 when empty.
    let mut m = maps();
    for (value, flags, r0) in [(1u8, 0, 0), (2, 0, 0), (3, 0, neg(-29)), (3, BPF_EXIST, 0)] {
        let c = call_at(
            "bind",
            "bpf_map_push_elem",
            &[value, 0, 0, 0],
            &[Map(1), At(0), N(flags)],
            m,
            env,
        );
        assert_eq!(c.r0, r0, "push {value}");
        m = c.maps;
    }
    for expected in [Some(2u8), Some(3), None] {
        let c = call_at("bind", "bpf_map_pop_elem", &[], &[Map(1), At(0)], m, env);
        match expected {
            Some(v) => assert_eq!((c.r0, c.stack[0]), (0, v)),
            None => assert_eq!(c.r0, neg(-7)),
        }
        m = c.maps;
    }
    // 5.4: a record appended and captured; size 0 -> -6.
    let c = call_at(
        "bind",
        "bpf_ringbuf_output",
        b"abc",
        &[Map(2), At(0), N(3), N(0)],
        m,
        env,
    );
    assert_eq!(c.r0, 0);
    assert_eq!(c.maps.get(2).unwrap().records(), [b"abc"]);
    assert_eq!(c.recorded.ring_records[0].data, b"abc");
    let c = call_at(
        "bind",
        "bpf_ringbuf_output",
        b"abc",
        &[Map(2), At(0), N(0), N(0)],
        c.maps,
        env,
    );
    assert_eq!(c.r0, neg(-6));
    // 5.3: no program array exists, so a tail call fails and the caller goes on.
    let c = call_at(
        "bind",
        "bpf_tail_call",
        b"",
        &[Ctx, Map(0), N(0)],
        maps(),
        env,
    );
    assert_eq!(c.r0, neg(-6));
    // 5.2: a map helper the map's type lacks is a fault (the verifier refuses it).
    let c = call_at(
        "bind",
        "bpf_map_lookup_elem",
        b"",
        &[Map(2), At(0)],
        maps(),
        env,
    );
    assert_eq!(
        c.recorded.faults,
        [
            "`bpf_map_lookup_elem`: map `ring` has type 13 (BPF_MAP_TYPE_RINGBUF), which has no `lookup`"
        ]
    );
}

#[test]
fn bad_arguments_are_faults_that_say_what_is_wrong() {
    use R::*;
    let rows: &[(&str, &[R], &str)] = &[
        (
            "bpf_memset",
            &[N(0x1000), N(4), N(0)],
            "`bpf_memset` got an output `memory` buffer of 4 bytes at 0x1000, outside the program's context, stack, global data, context data and map values",
        ),
        (
            "bpf_memcpy_s",
            &[At(0), N(8), At(60), N(8)],
            "`bpf_memcpy_s` got a `source` buffer of 8 bytes at offset -4 from the top of the stack, outside",
        ),
        (
            "bpf_map_lookup_elem",
            &[N(0x1234), At(0)],
            "`bpf_map_lookup_elem` got 0x1234 as `map`, which is no map's address",
        ),
        (
            "bpf_csum_diff",
            &[N(0), N(0), At(0), N(0xFFFF_FFFC), N(0)],
            "`bpf_csum_diff` got a negative `to_size` (-4)",
        ),
        (
            "bpf_get_current_logon_id",
            &[N(8)],
            "`bpf_get_current_logon_id` got 0x8 as `ctx`, which is not the program's context",
        ),
    ];
    for (name, regs, message) in rows {
        let c = call(name, b"", regs);
        assert_eq!(c.recorded.faults.len(), 1, "{name}");
        assert!(
            c.recorded.faults[0].starts_with(message),
            "{name}: {}",
            c.recorded.faults[0]
        );
        assert_eq!(
            c.recorded.calls.len(),
            1,
            "{name}: the call is recorded still"
        );
    }
}
