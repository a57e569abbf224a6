//! Maps end to end: `examples/map_policy` (a connect policy with a hash, an LRU hash,
//! a per-CPU array and a ring buffer, declared with `ebpf_nethooks::map!`) built to
//! BPF by `cargo nethooks build`, its maps read from the object as a loader reads
//! them, its scenario (`examples/map_policy/scenario.toml`) run by `nethooks-run`,
//! and the same sequence run natively on the host: same verdicts, same final maps.

#[path = "../../runner/tests/support/mod.rs"]
mod support;

mod common;

use std::net::Ipv4Addr;
use std::sync::OnceLock;

use ebpf_nethooks::maps::BPF_NOEXIST;
use map_policy::{CONNECTS, DECISIONS, Endpoint, POLICY, REJECTIONS};
use nethooks_run::maps::MapType;
use nethooks_run::scenario::{Prepared, Report, Scenario};
use nethooks_run::{BpfObject, RunOptions};
use object::{Object, ObjectSection};

const SCENARIO: &str = "examples/map_policy/scenario.toml";

/// The object and `cargo nethooks build`'s program lines, built once per test run.
fn built() -> &'static (Vec<u8>, Vec<String>) {
    static BUILT: OnceLock<(Vec<u8>, Vec<String>)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let built = common::build_to_bpf("examples/map_policy/Cargo.toml", "map_policy.bpf.o");
        let lines = cargo_nethooks::inspect::summary(&built.object, &built.package).unwrap();
        (std::fs::read(&built.object).unwrap(), lines)
    })
}

fn scenario() -> Scenario {
    let text = std::fs::read_to_string(support::workspace_root().join(SCENARIO)).unwrap();
    Scenario::parse(SCENARIO, &text).unwrap_or_else(|e| panic!("{e}"))
}

fn run_in_the_runner(scenario: &Scenario) -> Report {
    let object = BpfObject::parse(&built().0).unwrap();
    let prepared = Prepared::new(scenario, &object).unwrap_or_else(|e| panic!("{e}"));
    prepared
        .run(None, &RunOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_object_has_the_maps_in_one_maps_section_and_calls_the_map_helpers_by_id() {
    let (elf, lines) = built();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with(
            "program connect_policy: section `cgroup/connect4`, hook sock_addr_hook_t at connect4, "
        ),
        "{}",
        lines[0]
    );
    assert!(
        lines[0].contains(
            "helpers: bpf_map_lookup_elem (0x1), bpf_map_update_elem (0x2), bpf_ringbuf_output (0xb)"
        ),
        "{}",
        lines[0]
    );
    let maps = BpfObject::parse(elf).unwrap().maps().unwrap();
    let got: Vec<(&str, MapType, u32, u32, u32, &str, u64)> = maps
        .iter()
        .map(|d| {
            let section = d.section.as_str();
            (
                d.name.as_str(),
                d.map_type,
                d.key_size,
                d.value_size,
                d.max_entries,
                section,
                d.size,
            )
        })
        .collect();
    let mut expected = vec![
        ("POLICY", MapType::HASH, 8, 4, 256, "maps", 32),
        ("CONNECTS", MapType::LRU_HASH, 4, 8, 4, "maps", 32),
        ("DECISIONS", MapType::PERCPU_ARRAY, 4, 8, 3, "maps", 32),
        ("REJECTIONS", MapType::RINGBUF, 0, 0, 4096, "maps", 32),
    ];
    // Listed by record index, which is the linker's choice.
    expected.sort_by_key(|e| maps.iter().position(|d| d.name == e.0));
    assert_eq!(got, expected);
    let offsets: Vec<u64> = maps.iter().map(|d| d.offset).collect();
    assert_eq!(
        offsets,
        [0, 32, 64, 96],
        "one `maps` section of 32-byte records"
    );
    // Keys and values, constants included (`&1`), are passed from the stack, never
    // from `.rodata.cst*`, which eBPF for Windows does not load.
    let file = object::File::parse(elf.as_slice()).unwrap();
    let data: Vec<&str> = file
        .sections()
        .filter_map(|s| s.name().ok())
        .filter(|n| n.starts_with(".rodata") || n.starts_with(".data") || n.starts_with(".bss"))
        .collect();
    assert_eq!(data, Vec::<&str>::new(), "global data sections");
}

#[test]
fn the_scenario_goes_as_expected_in_the_runner() {
    let report = run_in_the_runner(&scenario());
    assert_eq!(report.differences, Vec::<String>::new());
    assert!(report.runs.len() >= 10, "{} runs", report.runs.len());
    assert!(
        report.runs.iter().all(|r| r.expected.is_some()),
        "every run says its verdict"
    );
}

/// A scenario key or value, as the test's JSON view of the TOML.
fn json(value: &impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(value).unwrap()
}

/// A POLICY key of the scenario: `["10.0.0.1", 443]`.
fn endpoint(key: &serde_json::Value) -> Endpoint {
    let [address, port] = key.as_array().unwrap().as_slice() else {
        panic!("a POLICY key is [address, port], not {key}");
    };
    let address: Ipv4Addr = address.as_str().unwrap().parse().unwrap();
    Endpoint {
        address: address.octets(),
        port: u32::try_from(port.as_u64().unwrap()).unwrap(),
    }
}

/// Every map's name, entries (arrays: non-zero values only, as the runner lists them)
/// and ring records, sorted by name.
type Maps = Vec<(String, Vec<(Vec<u8>, Vec<u8>)>, Vec<Vec<u8>>)>;

fn host_maps() -> Maps {
    use common::entries_as_bytes as bytes;
    let decisions = DECISIONS.entries().into_iter().filter(|(_, v)| *v != 0);
    vec![
        ("CONNECTS".to_owned(), bytes(CONNECTS.entries()), vec![]),
        ("DECISIONS".to_owned(), bytes(decisions.collect()), vec![]),
        ("POLICY".to_owned(), bytes(POLICY.entries()), vec![]),
        ("REJECTIONS".to_owned(), vec![], REJECTIONS.records()),
    ]
}

#[test]
fn the_host_run_of_the_scenario_gives_the_runners_verdicts_and_final_maps() {
    let scenario = scenario();
    let report = run_in_the_runner(&scenario);
    // The only test of this process that touches the example's maps.
    for (key, value) in scenario.maps["POLICY"]
        .iter()
        .map(|e| (json(e.key.as_ref().unwrap()), json(&e.value)))
    {
        let rule = u32::try_from(value.as_u64().unwrap()).unwrap();
        POLICY.insert(&endpoint(&key), &rule, BPF_NOEXIST).unwrap();
    }
    let program = nethooks_run::load_program(&built().0, None).unwrap();
    for (n, (run, in_runner)) in scenario.runs.iter().zip(&report.runs).enumerate() {
        let mut context = nethooks_run::context_for(&program).unwrap();
        let serde_json::Value::Object(members) = json(run.ctx.as_ref().unwrap()) else {
            panic!("run {}: ctx is a table", n + 1);
        };
        context.apply_members(&members).unwrap();
        // SAFETY: the context holds a whole bpf_sock_addr_t for the call.
        let verdict =
            unsafe { map_policy::connect_policy(context.bytes_mut().as_mut_ptr().cast()) };
        assert_eq!(
            verdict.to_raw(),
            match in_runner.outcome.verdict {
                nethooks_run::outcome::Verdict::Named { value, .. } => value,
                ref other => panic!("run {}: {other}", n + 1),
            },
            "run {}",
            n + 1
        );
    }
    let in_runner: Maps = report
        .maps
        .iter()
        .map(|m| (m.name.clone(), m.entries.clone(), m.records.clone()))
        .collect();
    assert_eq!(host_maps(), in_runner);
    assert_eq!(CONNECTS.entries().len(), 4, "an LRU of 4 after 5 addresses");
}
