//! The map operations against `docs/general-helpers-abi.md`: every flag
//! and error path of update, delete and lookup per map type, array bounds, capacity,
//! LRU eviction, and the creation rules. Each row cites the rule it checks.

use ebpf_nethooks_maps::{BPF_ANY, BPF_EXIST, BPF_NOEXIST, Map, MapDefinition, MapError, MapType};

/// One operation on a map with 4-byte keys and 8-byte values, and what it returns.
#[derive(Clone, Copy, Debug)]
enum Op {
    /// key, value, flags -> result
    Update(u32, u64, u64, i64),
    /// key -> result
    Delete(u32, i64),
    /// key -> value a program's lookup sees (None = NULL)
    Lookup(u32, Option<u64>),
    /// key -> value `bpf_map_lookup_and_delete_elem` returns
    LookupAndDelete(u32, Option<u64>),
}
use Op::*;

struct Row {
    /// The rule of `docs/general-helpers-abi.md`, quoted or paraphrased, with its section.
    rule: &'static str,
    map_type: MapType,
    ops: &'static [Op],
}

const HASH_TYPES: [MapType; 2] = [MapType::HASH, MapType::LRU_HASH];
const PER_CPU_HASH_TYPES: [MapType; 2] = [MapType::PERCPU_HASH, MapType::LRU_PERCPU_HASH];
const ARRAY_TYPES: [MapType; 2] = [MapType::ARRAY, MapType::PERCPU_ARRAY];

/// Rows for HASH and LRU_HASH (5.2 "HASH / PERCPU_HASH", "LRU_HASH": "like HASH").
#[rustfmt::skip]
const HASH_ROWS: &[(&str, &[Op])] = &[
    // 5.2: "update: BPF_ANY insert-or-replace"; "lookup: pointer or NULL".
    (
        "BPF_ANY inserts, then replaces",
        &[
            Lookup(1, None),
            Update(1, 10, BPF_ANY, 0),
            Lookup(1, Some(10)),
            Update(1, 11, BPF_ANY, 0),
            Lookup(1, Some(11)),
        ],
    ),
    // 5.2: "BPF_NOEXIST on an existing key -> -8 (EBPF_OBJECT_ALREADY_EXISTS)".
    (
        "BPF_NOEXIST creates once, then -8",
        &[
            Update(1, 10, BPF_NOEXIST, 0),
            Update(1, 11, BPF_NOEXIST, -8),
            Lookup(1, Some(10)),
        ],
    ),
    // 5.2: "BPF_EXIST on a missing key -> -19".
    (
        "BPF_EXIST only replaces",
        &[
            Update(1, 10, BPF_EXIST, -19),
            Lookup(1, None),
            Update(1, 10, BPF_ANY, 0),
            Update(1, 12, BPF_EXIST, 0),
            Lookup(1, Some(12)),
        ],
    ),
    // 5.2: "any other flags value -> -6".
    (
        "other flags are -6, new key or not",
        &[
            Update(1, 10, 3, -6),
            Update(1, 10, BPF_ANY, 0),
            Update(1, 11, 4, -6),
            Update(1, 11, 1 << 32, -6),
            Lookup(1, Some(10)),
        ],
    ),
    // 5.2: "delete: 0, or -19 if the key is absent".
    (
        "delete removes, then -19",
        &[
            Delete(1, -19),
            Update(1, 10, BPF_ANY, 0),
            Delete(1, 0),
            Lookup(1, None),
            Delete(1, -19),
        ],
    ),
    // 5.2: "lookup_and_delete: returns the removed value's pointer ..., or NULL if absent".
    (
        "lookup_and_delete takes the value",
        &[
            LookupAndDelete(1, None),
            Update(1, 10, BPF_ANY, 0),
            LookupAndDelete(1, Some(10)),
            Lookup(1, None),
        ],
    ),
];

/// Rows for PERCPU_HASH and LRU_PERCPU_HASH (5.2 "Per-CPU variants").
#[rustfmt::skip]
const PER_CPU_HASH_ROWS: &[(&str, &[Op])] = &[
    // 5.2: "from programs BPF_NOEXIST does not fail on an existing per-CPU hash key".
    (
        "BPF_NOEXIST on an existing key writes",
        &[
            Update(1, 10, BPF_NOEXIST, 0),
            Update(1, 11, BPF_NOEXIST, 0),
            Lookup(1, Some(11)),
        ],
    ),
    // 5.2: "honouring flags only in that creation step": BPF_EXIST on a new key -> -19.
    (
        "BPF_EXIST on a new key is -19",
        &[
            Update(1, 10, BPF_EXIST, -19),
            Lookup(1, None),
            Update(1, 10, BPF_ANY, 0),
            Update(1, 13, BPF_EXIST, 0),
            Lookup(1, Some(13)),
        ],
    ),
    // 5.2: other flags -> -6 when creating; an existing key's slot is written whatever the flags.
    (
        "other flags: -6 creating, written existing",
        &[
            Update(1, 10, 3, -6),
            Update(1, 10, BPF_ANY, 0),
            Update(1, 14, 3, 0),
            Lookup(1, Some(14)),
        ],
    ),
    // 5.2: "delete: 0, or -19 if the key is absent" (as HASH).
    (
        "delete removes, then -19",
        &[
            Delete(1, -19),
            Update(1, 10, BPF_ANY, 0),
            Delete(1, 0),
            Lookup(1, None),
        ],
    ),
];

/// Rows for ARRAY (5.2 "ARRAY"); max_entries 4.
#[rustfmt::skip]
const ARRAY_ROWS: &[(&str, &[Op])] = &[
    // 5.2: "Values start zeroed"; "lookup: pointer to slot index; NULL if index >= max_entries".
    (
        "slots start zeroed; lookups past the end are NULL",
        &[
            Lookup(0, Some(0)),
            Lookup(3, Some(0)),
            Lookup(4, None),
            Lookup(u32::MAX, None),
        ],
    ),
    // 5.2: "BPF_ANY and BPF_EXIST both succeed (any other flag value is accepted too)".
    (
        "BPF_ANY, BPF_EXIST and other flags write",
        &[
            Update(0, 10, BPF_ANY, 0),
            Lookup(0, Some(10)),
            Update(0, 11, BPF_EXIST, 0),
            Lookup(0, Some(11)),
            Update(0, 12, 7, 0),
            Lookup(0, Some(12)),
        ],
    ),
    // 5.2: "-6 if index >= max_entries".
    (
        "updates past the end are -6",
        &[
            Update(4, 10, BPF_ANY, -6),
            Update(u32::MAX, 10, BPF_EXIST, -6),
        ],
    ),
    // 5.2: "delete: allowed; zeroes the slot and returns 0; -6 if out of range".
    (
        "delete zeroes the slot; past the end -6",
        &[
            Update(2, 10, BPF_ANY, 0),
            Delete(2, 0),
            Lookup(2, Some(0)),
            Delete(4, -6),
        ],
    ),
    // 5.2: "lookup_and_delete: unsupported -> NULL".
    (
        "lookup_and_delete is NULL",
        &[
            Update(1, 10, BPF_ANY, 0),
            LookupAndDelete(1, None),
            Lookup(1, Some(10)),
        ],
    ),
];

#[rustfmt::skip]
const ARRAY_ONLY_ROWS: &[(&str, &[Op])] = &[
    // 5.2: "-6 if flags == BPF_NOEXIST".
    (
        "BPF_NOEXIST is -6",
        &[Update(0, 10, BPF_NOEXIST, -6), Lookup(0, Some(0))],
    ),
];

#[rustfmt::skip]
const PER_CPU_ARRAY_ROWS: &[(&str, &[Op])] = &[
    // 5.2: "nor on an in-range per-CPU array index"; out of range stays -6.
    (
        "BPF_NOEXIST writes in range, -6 past the end",
        &[
            Update(0, 10, BPF_NOEXIST, 0),
            Lookup(0, Some(10)),
            Update(4, 10, BPF_NOEXIST, -6),
        ],
    ),
];

fn rows() -> Vec<Row> {
    let mut rows = Vec::new();
    let mut add = |types: &[MapType], table: &'static [(&'static str, &'static [Op])]| {
        for &map_type in types {
            rows.extend(table.iter().map(|&(rule, ops)| Row {
                rule,
                map_type,
                ops,
            }));
        }
    };
    add(&HASH_TYPES, HASH_ROWS);
    add(&PER_CPU_HASH_TYPES, PER_CPU_HASH_ROWS);
    add(&ARRAY_TYPES, ARRAY_ROWS);
    add(&[MapType::ARRAY], ARRAY_ONLY_ROWS);
    add(&[MapType::PERCPU_ARRAY], PER_CPU_ARRAY_ROWS);
    rows
}

fn map(map_type: MapType, max_entries: u32) -> Map {
    Map::new(MapDefinition::new("m", map_type, 4, 8, max_entries)).unwrap()
}

fn read_u64(ptr: std::ptr::NonNull<u8>) -> u64 {
    // SAFETY: the pointer is a live (or retired, not yet released) 8-byte value.
    unsafe { ptr.cast::<u64>().as_ptr().read_unaligned() }
}

#[test]
fn every_flag_and_error_path_per_map_type() {
    let mut failures = Vec::new();
    for row in rows() {
        let mut m = map(row.map_type, 4);
        for (step, op) in row.ops.iter().enumerate() {
            let (got, want) = match *op {
                Update(k, v, flags, want) => {
                    let r = m.update(&k.to_le_bytes(), &v.to_le_bytes(), flags).unwrap();
                    (format!("{r}"), format!("{want}"))
                }
                Delete(k, want) => (
                    format!("{}", m.delete(&k.to_le_bytes()).unwrap()),
                    format!("{want}"),
                ),
                Lookup(k, want) => {
                    let ptr = m.lookup(&k.to_le_bytes()).unwrap();
                    let user = m.value(&k.to_le_bytes()).unwrap();
                    let user = user.map(|b| u64::from_le_bytes(b.try_into().unwrap()));
                    assert_eq!(
                        ptr.map(read_u64),
                        user,
                        "{} {}: pointer and copy",
                        row.map_type,
                        row.rule
                    );
                    (format!("{:?}", ptr.map(read_u64)), format!("{want:?}"))
                }
                LookupAndDelete(k, want) => {
                    let ptr = m.lookup_and_delete(&k.to_le_bytes()).unwrap();
                    (format!("{:?}", ptr.map(read_u64)), format!("{want:?}"))
                }
            };
            if got != want {
                failures.push(format!(
                    "{} / {}: step {step} {op:?} gave {got}",
                    row.map_type, row.rule
                ));
            }
        }
        m.end_run();
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn hash_max_entries_is_not_enforced_but_lru_capacity_is() {
    // 5.2: "max_entries is not enforced for HASH and PERCPU_HASH: ... inserting entry
    // max_entries + 1 [succeeds]"; LRU: "capacity is max_entries".
    for (map_type, kept) in [
        (MapType::HASH, 6),
        (MapType::PERCPU_HASH, 6),
        (MapType::LRU_HASH, 4),
        (MapType::LRU_PERCPU_HASH, 4),
    ] {
        let mut m = map(map_type, 4);
        for k in 0..6u32 {
            assert_eq!(
                m.update(&k.to_le_bytes(), &[1; 8], BPF_ANY),
                Ok(0),
                "{map_type}"
            );
        }
        assert_eq!(m.entries().len(), kept, "{map_type}");
    }
}

#[test]
fn lru_evicts_the_least_recently_used_entry() {
    // 5.2 "LRU_HASH": "when an insert finds the map full, the least-recently-used
    // entry is evicted and the insert retried. Program lookups refresh recency;
    // user-mode lookups do not."
    let key = |k: u32| k.to_le_bytes();
    let mut m = map(MapType::LRU_HASH, 3);
    for k in 1..=3 {
        assert_eq!(m.update(&key(k), &[k as u8; 8], BPF_ANY), Ok(0));
    }
    assert!(m.lookup(&key(1)).unwrap().is_some()); // program lookup: 1 is now newest
    assert!(m.value(&key(2)).unwrap().is_some()); // user-mode read: 2 stays oldest
    assert_eq!(m.update(&key(4), &[4; 8], BPF_ANY), Ok(0));
    assert_eq!(m.value(&key(2)), Ok(None), "2 was least recently used");
    assert_eq!(
        m.recency(),
        [key(3).to_vec(), key(1).to_vec(), key(4).to_vec()]
    );
    // A flag failure on a full map evicts nothing.
    assert_eq!(m.update(&key(3), &[0; 8], BPF_NOEXIST), Ok(-8));
    assert_eq!(m.update(&key(9), &[0; 8], BPF_EXIST), Ok(-19));
    assert_eq!(m.entries().len(), 3);
    // Replacing a value makes its key newest; the next insert evicts 1.
    assert_eq!(m.update(&key(3), &[33; 8], BPF_ANY), Ok(0));
    assert_eq!(m.update(&key(5), &[5; 8], BPF_NOEXIST), Ok(0));
    let keys: Vec<Vec<u8>> = m.entries().into_iter().map(|(k, _)| k).collect();
    assert_eq!(keys, [key(3).to_vec(), key(4).to_vec(), key(5).to_vec()]);
    // A deleted key leaves room: no eviction on the next insert.
    assert_eq!(m.delete(&key(4)), Ok(0));
    assert_eq!(m.update(&key(6), &[6; 8], BPF_ANY), Ok(0));
    assert_eq!(
        m.recency(),
        [key(3).to_vec(), key(5).to_vec(), key(6).to_vec()]
    );
}

#[test]
fn creation_rules_and_unsupported_types_are_refused() {
    let def = |t: u32, key, value, max| MapDefinition::new("m", MapType(t), key, value, max);
    // (definition, message): 3.4 "Creation rules (ebpf_map_create)", and the runner's limits.
    let rows = [
        (def(1, 4, 8, 0), "map `m`: `max_entries` is 0"),
        (
            def(1, 0, 8, 1),
            "`key_size` is 0, which only queues, stacks, ring buffers and perf event arrays may have",
        ),
        (
            def(2, 4, 0, 1),
            "`value_size` is 0, which only ring buffers and perf event arrays may have",
        ),
        (def(13, 4, 0, 64), "a ring buffer needs `key_size` 0, not 4"),
        (
            def(13, 0, 0, 100),
            "a ring buffer's `max_entries` (its bytes) must be a power of two, not 100",
        ),
        (
            def(17, 4, 8, 1),
            "its type 17 (not an ebpf_map_type_t) is at or above BPF_MAP_TYPE_MAX (17)",
        ),
        (def(2, 2, 8, 1), "needs `key_size` of at least 4, not 2"),
        (
            def(2, 4, 8, u32::MAX),
            "more than the runner's 67108864 per map",
        ),
        (
            def(3, 4, 4, 1),
            "map `m` has type 3 (BPF_MAP_TYPE_PROG_ARRAY), which the runner does not emulate; it emulates `BPF_MAP_TYPE_HASH`, `BPF_MAP_TYPE_ARRAY`,",
        ),
    ];
    for (definition, message) in rows {
        let error = Map::new(definition.clone()).unwrap_err().to_string();
        assert!(
            error.contains(message),
            "{definition:?}:\n{error}\nlacks\n{message}"
        );
    }
    // 3.1: the types with no emulation, each named by number and enumerator.
    for (t, name) in [
        (0, "UNSPEC"),
        (3, "PROG_ARRAY"),
        (6, "HASH_OF_MAPS"),
        (7, "ARRAY_OF_MAPS"),
        (9, "LPM_TRIE"),
        (14, "PERF_EVENT_ARRAY"),
        (15, "SAMPLE_HASH_MAP"),
        (16, "XSKMAP"),
    ] {
        let error = Map::new(def(t, 4, 4, 1)).unwrap_err();
        assert_eq!(
            error,
            MapError::Unsupported {
                map: "m".into(),
                map_type: MapType(t)
            }
        );
        assert!(
            error
                .to_string()
                .contains(&format!("type {t} (BPF_MAP_TYPE_{name})")),
            "{error}"
        );
    }
    // 3.4: queues, stacks and ring buffers may have no key; ring buffers no value.
    for d in [def(10, 0, 4, 1), def(12, 0, 4, 1), def(13, 0, 0, 4096)] {
        assert!(Map::new(d.clone()).is_ok(), "{d:?}");
    }
}
