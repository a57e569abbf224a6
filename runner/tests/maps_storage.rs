//! The runner's map collection, the storage contract against
//! `docs/general-helpers-abi.md`: stable value pointers and the memory a program may
//! reach, and map handles. The semantics of one map are tested with the maps crate
//! (`maps/tests/`).

use std::ptr::NonNull;

use nethooks_run::maps::{BPF_ANY, MapDefinition, MapType, Maps};

fn read_u64(ptr: NonNull<u8>) -> u64 {
    // SAFETY: the pointer is a live (or retired, not yet released) 8-byte value.
    unsafe { ptr.cast::<u64>().as_ptr().read_unaligned() }
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
