//! Map definitions read from C objects compiled by clang: legacy `maps` records
//! (`docs/general-helpers-abi.md` §4.2, §3.4) and BTF-defined `.maps` (`docs/general-helpers-abi.md` §4.1), the `lddw`s that load
//! a map's address (§4.3), and the refusals: an unsupported type, a definition that
//! cannot be read, damaged BTF (never a panic).

mod support;

use nethooks_run::maps::{MapDefinition, MapType, Maps};
use nethooks_run::{BpfObject, RunError};

/// Compiles `tests/programs/maps/<name>` with BTF (`-g`).
fn object(name: &str, dir: &std::path::Path) -> Vec<u8> {
    support::compile_with_flags(&format!("maps/{name}"), dir, &["-g"])
}

fn maps_of(elf: &[u8]) -> Result<Vec<MapDefinition>, RunError> {
    BpfObject::parse(elf).unwrap().maps()
}

/// name, type, key, value, max_entries, pinning, inner_map_idx, id, inner_id, offset
type Expected = (&'static str, u32, u32, u32, u32, u32, u32, u32, u32, u64);

#[rustfmt::skip]
fn summary(d: &MapDefinition) -> (&str, u32, u32, u32, u32, u32, u32, u32, u32, u64) {
    (&d.name, d.map_type.0, d.key_size, d.value_size, d.max_entries, d.pinning, d.inner_map_idx, d.id, d.inner_id, d.offset)
}

#[test]
fn legacy_maps_are_read_in_the_in_file_layout() {
    let dir = tempfile::tempdir().unwrap();
    let maps = maps_of(&object("legacy_maps.c", dir.path())).unwrap();
    // 4.2: record size = section size / named symbols (32 here); index = value / 32;
    // 3.4: type, key_size, value_size, max_entries, inner_map_idx, pinning, id, inner_id.
    let expected: &[Expected] = &[
        ("connections", 1, 8, 12, 1024, 0, 0, 0, 0, 0),
        ("counters", 2, 4, 8, 4, 1, 0, 0, 0, 32),
        ("inner_template", 2, 4, 4, 1, 0, 0, 7, 0, 64),
        ("outer", 7, 4, 4, 2, 0, 2, 0, 7, 96),
    ];
    assert_eq!(maps.iter().map(summary).collect::<Vec<_>>(), expected);
    assert!(maps.iter().all(|d| d.section == "maps" && d.size == 32));
}

#[test]
fn a_short_legacy_record_is_zero_filled() {
    // 4.2: "Each record is copied into an ebpf_map_definition_in_file_t (zero-filled
    // if shorter)"; here a static 16-byte record, reached through the section symbol.
    let dir = tempfile::tempdir().unwrap();
    let elf = support::compile("invalid/legacy_map.c", dir.path());
    let maps = maps_of(&elf).unwrap();
    assert_eq!(
        maps.iter().map(summary).collect::<Vec<_>>(),
        [("connections", 1, 4, 8, 16, 0, 0, 0, 0, 0)]
    );
    assert_eq!(maps[0].size, 16);
    let refs = BpfObject::parse(&elf).unwrap().map_references().unwrap();
    assert_eq!(refs.len(), 1);
    assert_eq!(
        (refs[0].section.as_str(), refs[0].insn, refs[0].map),
        ("sockops", 0, 0)
    );
}

#[test]
fn btf_maps_are_read_from_the_maps_datasec() {
    let dir = tempfile::tempdir().unwrap();
    let maps = maps_of(&object("btf_maps.c", dir.path())).unwrap();
    let by_name = |n: &str| maps.iter().find(|d| d.name == n).unwrap();
    // 4.1: `__uint` is an array's element count, `__type` the pointed-to type's size;
    // sorted by offset in `.maps` (`inner` is declared before `outer` uses it).
    let names: Vec<&str> = maps.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["inner", "outer", "flows", "stats", "events"]);
    let fields = |d: &MapDefinition| {
        (
            d.map_type,
            d.key_size,
            d.value_size,
            d.max_entries,
            d.pinning,
        )
    };
    assert_eq!(
        fields(by_name("flows")),
        (MapType::LRU_HASH, 20, 8, 128, 0),
        "key: a 20-byte struct"
    );
    assert_eq!(
        fields(by_name("stats")),
        (MapType::PERCPU_ARRAY, 4, 24, 8, 1),
        "key_size, value_size, pinning"
    );
    assert_eq!(fields(by_name("events")), (MapType::RINGBUF, 0, 0, 4096, 0));
    assert_eq!(fields(by_name("inner")), (MapType::HASH, 4, 4, 4, 0));
    // 4.1: "the map's id is its BTF type id, inner_id the inner template's"; the
    // static `values` initialiser of `.rel.maps` gives slot 1 = `inner`.
    let (outer, inner) = (by_name("outer"), by_name("inner"));
    assert_eq!(outer.map_type, MapType::ARRAY_OF_MAPS);
    assert_ne!(inner.id, 0);
    assert_eq!(outer.inner_id, inner.id);
    assert_eq!(outer.initial_values, [(1, "inner".to_owned())]);
    assert!(maps.iter().all(|d| d.section == ".maps"));
}

#[test]
fn map_references_name_each_lddw_of_a_map() {
    let dir = tempfile::tempdir().unwrap();
    let elf = object("btf_maps.c", dir.path());
    let object = BpfObject::parse(&elf).unwrap();
    let maps = object.maps().unwrap();
    let refs = object.map_references().unwrap();
    let named: Vec<(&str, &str)> = refs
        .iter()
        .map(|r| (r.section.as_str(), maps[r.map].name.as_str()))
        .collect();
    // clang loads them in the order it schedules the sum; each map once.
    let mut sorted: Vec<&str> = named.iter().map(|(_, n)| *n).collect();
    sorted.sort_unstable();
    assert_eq!(sorted, ["events", "flows", "outer", "stats"]);
    assert!(named.iter().all(|(s, _)| *s == "sockops"));
    // Loading the program creates the object's maps, and `outer` (a map of maps
    // declared without a value size) breaks a creation rule.
    let refused = object.program(Some("sockops")).unwrap_err().to_string();
    assert!(
        refused.starts_with("map `outer`: `value_size` is 0"),
        "{refused}"
    );
}

#[test]
fn an_unsupported_map_type_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let object_bytes = object("unsupported_map.c", dir.path());
    let object = BpfObject::parse(&object_bytes).unwrap();
    let names: Vec<String> = object.maps().unwrap().into_iter().map(|d| d.name).collect();
    assert_eq!(names, ["programs", "seen"], "the definition itself reads");
    let error = object.create_maps().unwrap_err().to_string();
    assert!(
        error.starts_with("map `programs` has type 3 (BPF_MAP_TYPE_PROG_ARRAY), which the runner does not emulate; it emulates `BPF_MAP_TYPE_HASH`"),
        "{error}"
    );
}

#[test]
fn unreadable_definitions_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let rows: [(Vec<u8>, &str); 2] = [
        (
            object("btf_unknown_field.c", dir.path()),
            "cannot read the map definitions in `.maps`: map `odd` has a field `numa_node` the runner does not read",
        ),
        (
            // 4.1: "The upstream loaders raise an error if .maps exists without .BTF."
            support::compile_with_flags("maps/btf_maps.c", dir.path(), &[]),
            "cannot read the map definitions in `.maps`: the object has no `.BTF` section, where BTF-defined maps are declared; compile with `-g`",
        ),
    ];
    for (elf, message) in rows {
        let error = maps_of(&elf).unwrap_err().to_string();
        assert!(error.starts_with(message), "{error}\nlacks\n{message}");
    }
}

#[test]
fn damaged_btf_gives_errors_never_panics() {
    use object::{Object, ObjectSection};
    let dir = tempfile::tempdir().unwrap();
    let elf = object("btf_maps.c", dir.path());
    let file = object::File::parse(&*elf).unwrap();
    let (start, len) = file.section_by_name(".BTF").unwrap().file_range().unwrap();
    let (start, len) = (start as usize, len as usize);
    let mut errors = 0;
    for at in start..start + len {
        for flip in [0xff, 0x80, 0x01] {
            let mut damaged = elf.clone();
            damaged[at] ^= flip;
            errors += usize::from(maps_of(&damaged).is_err());
        }
    }
    assert!(errors > 0, "some damage must be noticed");
}

#[test]
fn damaged_legacy_objects_give_errors_never_panics() {
    // Every byte of the object (headers, symbols, relocations, records) damaged in
    // turn: reading, resolving and creating its maps must return, not panic.
    let dir = tempfile::tempdir().unwrap();
    let elf = support::compile_with_flags("maps/legacy_maps.c", dir.path(), &[]);
    for at in 0..elf.len() {
        for flip in [0xff, 0x80, 0x01] {
            let mut damaged = elf.clone();
            damaged[at] ^= flip;
            if let Ok(object) = BpfObject::parse(&damaged) {
                let _ = object.map_references();
                let _ = object.create_maps();
            }
        }
    }
}

#[test]
fn an_objects_supported_maps_are_created_and_work() {
    let dir = tempfile::tempdir().unwrap();
    let definitions = maps_of(&object("btf_maps.c", dir.path())).unwrap();
    let supported: Vec<MapDefinition> = definitions
        .into_iter()
        .filter(|d| d.map_type.is_supported())
        .collect();
    let mut maps = Maps::new(supported).unwrap();
    let stats = maps.by_name_mut("stats").unwrap();
    assert_eq!(
        stats.update(
            &3u32.to_le_bytes(),
            &[9; 24],
            nethooks_run::maps::BPF_NOEXIST
        ),
        Ok(0)
    );
    assert_eq!(
        stats.entries()[3],
        (3u32.to_le_bytes().to_vec(), vec![9; 24])
    );
    let events = maps.by_name_mut("events").unwrap();
    assert_eq!(events.output(b"hello", 0), Ok(0));
    assert_eq!(events.records(), [&b"hello"[..]]);
}

#[test]
fn damaged_objects_with_map_helpers_load_and_run_or_fail_never_panic() {
    // Every byte of programs that call map helpers (on legacy maps; on BTF maps with
    // global data and a BPF-to-BPF call) damaged in turn: loading (map relocations,
    // handles), and running in the checking interpreter, must end in an outcome or
    // an error.
    let dir = tempfile::tempdir().unwrap();
    let options = nethooks_run::RunOptions { max_insns: 5_000 };
    let (mut ran, mut refused) = (0, 0);
    let objects = [
        support::compile_with_flags("maps/audit.c", dir.path(), &[]),
        support::compile_with_flags("maps/connect_policy.c", dir.path(), &["-g"]),
    ];
    for (elf, at) in objects
        .iter()
        .flat_map(|elf| (0..elf.len()).map(move |at| (elf, at)))
    {
        for flip in [0xff, 0x01] {
            let mut damaged = elf.clone();
            damaged[at] ^= flip;
            let Ok(object) = BpfObject::parse(&damaged) else {
                continue;
            };
            for program in object.programs().into_iter().flatten() {
                let Ok(context) = nethooks_run::context_for(&program) else {
                    continue;
                };
                match nethooks_run::run_with(
                    &program,
                    &context,
                    nethooks_run::Engine::Interpreter,
                    &options,
                ) {
                    Ok(_) => ran += 1,
                    Err(_) => refused += 1,
                }
            }
        }
    }
    assert!(ran > 0 && refused > 0, "ran {ran}, refused {refused}");
}
