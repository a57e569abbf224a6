//! The map structures other than hash and array, and calls that are wrong, against
//! the facts file (`general-helpers-abi.md`): queue and stack order, ring-buffer
//! space and records, and calls that are wrong rather than failing (sizes,
//! operations a type lacks). The runner's map collection (stable value pointers, the
//! memory a program may reach, map handles) is tested in
//! `runner/tests/maps_storage.rs`.

use ebpf_nethooks_maps::{
    BPF_ANY, BPF_EXIST, EBPF_RINGBUF_MAX_RECORD_SIZE, Map, MapDefinition, MapError, MapType,
};

fn map(map_type: MapType, max_entries: u32) -> Map {
    Map::new(MapDefinition::new("m", map_type, 4, 8, max_entries)).unwrap()
}

#[test]
fn queue_and_stack_follow_the_map_sample() {
    // 5.2 "QUEUE / STACK", sample tests/sample/undocked/map.c (capacity 10): push
    // 0..9 -> 0; push 10 without BPF_EXIST -> -29, with -> 0; stack peeks 10 and pops
    // 10, 9, ..., 1; queue peeks 1 and pops 1, 2, ..., 10; then peek/pop -> -7.
    for (map_type, order) in [
        (MapType::STACK, (1..=10).rev().collect::<Vec<u32>>()),
        (MapType::QUEUE, (1..=10).collect()),
    ] {
        let mut m = Map::new(MapDefinition::new("q", map_type, 0, 4, 10)).unwrap();
        for v in 0..10u32 {
            assert_eq!(m.push(&v.to_le_bytes(), BPF_ANY), Ok(0));
        }
        assert_eq!(m.push(&10u32.to_le_bytes(), BPF_ANY), Ok(-29), "{map_type}");
        assert_eq!(m.push(&10u32.to_le_bytes(), BPF_EXIST), Ok(0), "{map_type}");
        let mut out = [0u8; 4];
        assert_eq!(m.pop(&mut out, false), Ok(0));
        assert_eq!(u32::from_le_bytes(out), order[0], "{map_type} peek");
        let listed: Vec<u32> = m
            .entries()
            .iter()
            .map(|(_, v)| u32::from_le_bytes(v[..].try_into().unwrap()))
            .collect();
        assert_eq!(listed, order, "{map_type} entries in pop order");
        for &want in &order {
            assert_eq!(m.pop(&mut out, true), Ok(0));
            assert_eq!(u32::from_le_bytes(out), want, "{map_type} pop");
        }
        assert_eq!(m.pop(&mut out, false), Ok(-7));
        assert_eq!(m.pop(&mut out, true), Ok(-7));
    }
}

#[test]
fn ring_buffer_space_and_record_order() {
    // 5.4: "-6 if size is 0, if size >= 2^30 ..., or if the padded record exceeds the
    // capacity; -12 if there is not enough free space now"; records are an 8-byte
    // header plus the data, padded to a multiple of 8; flags are ignored.
    let mut m = Map::new(MapDefinition::new("events", MapType::RINGBUF, 0, 0, 64)).unwrap();
    assert_eq!(m.output(&[], 0), Ok(-6));
    assert_eq!(m.output(&[7; 57], 0), Ok(-6), "57 + 8 rounds to 72 > 64");
    assert_eq!(m.output_check(EBPF_RINGBUF_MAX_RECORD_SIZE + 1), Ok(-6));
    assert_eq!(m.output(&[1], u64::MAX), Ok(0), "16 bytes");
    assert_eq!(m.output(&[2; 40], 0), Ok(0), "48 bytes: the ring is full");
    assert_eq!(m.ring_used(), 64);
    assert_eq!(m.output(&[3], 0), Ok(-12));
    assert_eq!(m.records(), [&[1u8][..], &[2u8; 40][..]]);
    assert_eq!(m.consume(), [vec![1u8], vec![2u8; 40]]);
    assert_eq!(m.output(&[4; 56], 0), Ok(0), "56 + 8 = the whole ring");
    assert_eq!(m.records(), [&[4u8; 56][..]]);

    let big = Map::new(MapDefinition::new("big", MapType::RINGBUF, 0, 0, 1 << 31)).unwrap();
    assert_eq!(big.output_check(EBPF_RINGBUF_MAX_RECORD_SIZE), Ok(0));
    assert_eq!(big.output_check(1 << 30), Ok(-6));
}

#[test]
fn wrong_sizes_and_operations_are_errors_not_results() {
    let mut m = map(MapType::HASH, 4);
    let key_error = m.update(&[1, 2], &[0; 8], BPF_ANY).unwrap_err();
    assert_eq!(
        key_error.to_string(),
        "a key of 2 bytes for map `m`, whose keys have 4 bytes"
    );
    assert!(matches!(
        m.lookup(&[0; 8]),
        Err(MapError::KeySize { got: 8, .. })
    ));
    assert!(matches!(m.value(&[]), Err(MapError::KeySize { .. })));
    assert!(matches!(m.delete(&[0; 5]), Err(MapError::KeySize { .. })));
    let value_error = m.update(&[0; 4], &[0; 4], BPF_ANY).unwrap_err();
    assert_eq!(
        value_error.to_string(),
        "a value of 4 bytes for map `m`, whose values have 8 bytes"
    );
    assert_eq!(
        m.output(&[1], 0).unwrap_err().to_string(),
        "map `m` has type 1 (BPF_MAP_TYPE_HASH), which has no `ringbuf_output`"
    );
    assert!(matches!(
        m.push(&[0; 8], 0),
        Err(MapError::Operation {
            operation: "push",
            ..
        })
    ));
    let mut ring = Map::new(MapDefinition::new("r", MapType::RINGBUF, 0, 0, 64)).unwrap();
    assert!(matches!(
        ring.lookup(&[]),
        Err(MapError::Operation {
            operation: "lookup",
            ..
        })
    ));
    assert!(ring.entries().is_empty());
}
