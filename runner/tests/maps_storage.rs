//! The other map structures and the storage contract, against
//! `docs/general-helpers-abi.md`: queue and stack order, ring-buffer space and records,
//! stable value pointers and the memory a program may reach, map handles, and
//! calls that are wrong rather than failing (sizes, operations a type lacks).

use std::ptr::NonNull;

use nethooks_run::maps::{
    BPF_ANY, BPF_EXIST, EBPF_RINGBUF_MAX_RECORD_SIZE, Map, MapDefinition, MapError, MapType, Maps,
};

fn map(map_type: MapType, max_entries: u32) -> Map {
    Map::new(MapDefinition::new("m", map_type, 4, 8, max_entries)).unwrap()
}

fn read_u64(ptr: NonNull<u8>) -> u64 {
    // SAFETY: the pointer is a live (or retired, not yet released) 8-byte value.
    unsafe { ptr.cast::<u64>().as_ptr().read_unaligned() }
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
fn lookups_return_stable_pointers_into_live_storage() {
    // 5.2: "Lookup results are pointers into live storage: writes through them
    // persist"; "Replacing swaps in a fresh copy (old pointers stay readable until
    // the program run ends)".
    let mut maps = Maps::new(vec![
        MapDefinition::new("h", MapType::HASH, 4, 8, 4),
        MapDefinition::new("a", MapType::ARRAY, 4, 8, 4),
    ])
    .unwrap();
    let h = maps.by_name_mut("h").unwrap();
    assert_eq!(
        h.update(&1u32.to_le_bytes(), &5u64.to_le_bytes(), BPF_ANY),
        Ok(0)
    );
    let ptr = h.lookup(&1u32.to_le_bytes()).unwrap().unwrap();
    // SAFETY: an 8-byte live value, as the VM would write it.
    unsafe { ptr.cast::<u64>().as_ptr().write_unaligned(6) };
    assert_eq!(
        h.value(&1u32.to_le_bytes()),
        Ok(Some(6u64.to_le_bytes().to_vec()))
    );
    for k in 2..200u32 {
        assert_eq!(h.update(&k.to_le_bytes(), &[0; 8], BPF_ANY), Ok(0));
    }
    assert_eq!(
        h.lookup(&1u32.to_le_bytes()).unwrap(),
        Some(ptr),
        "inserts move nothing"
    );
    assert_eq!(
        h.update(&1u32.to_le_bytes(), &7u64.to_le_bytes(), BPF_ANY),
        Ok(0)
    );
    assert_eq!(read_u64(ptr), 6, "the replaced value stays readable");
    let start = ptr.as_ptr() as usize;
    assert!(maps.contains(start, start + 8), "until the run ends");
    maps.end_run();
    assert!(
        !maps.contains(start, start + 8),
        "then it is no longer program memory"
    );

    // An array's slots form one range when the value size is a multiple of 8.
    let a = maps.index_of("a").unwrap();
    let slot0 = maps
        .get_mut(a)
        .unwrap()
        .lookup(&0u32.to_le_bytes())
        .unwrap()
        .unwrap();
    let ranges: Vec<_> = maps.memory().into_iter().filter(|r| r.map == a).collect();
    let base = slot0.as_ptr() as usize;
    assert_eq!(ranges.len(), 1);
    assert_eq!(ranges[0].range, base..base + 32);
    // With 4-byte values each slot is its own range (stride 8: padding is not memory).
    let small = Maps::new(vec![MapDefinition::new("s", MapType::ARRAY, 4, 4, 3)]).unwrap();
    assert_eq!(small.memory().len(), 3);
    assert!(small.memory().iter().all(|r| r.range.len() == 4));
}

#[test]
fn maps_are_found_by_name_index_and_handle() {
    let maps = Maps::new(vec![
        MapDefinition::new("first", MapType::HASH, 4, 8, 1),
        MapDefinition::new("second", MapType::ARRAY, 4, 8, 1),
    ])
    .unwrap();
    assert_eq!(maps.len(), 2);
    assert_eq!(maps.index_of("second"), Some(1));
    assert_eq!(maps.get(1).unwrap().name(), "second");
    assert!(maps.by_name("third").is_none());
    let handle = maps.handle(1).unwrap();
    assert_eq!(maps.index_of_handle(handle), Some(1));
    assert_eq!(maps.handle(2), None);
    for bad in [0, handle + 1, maps.handle(0).unwrap() + 2 * 0x1000] {
        assert_eq!(maps.index_of_handle(bad), None, "{bad:#x}");
    }
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
