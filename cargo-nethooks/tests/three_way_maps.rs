//! The three-way differential for programs with maps: each C program of
//! `tests/programs/maps/` (`connect_policy`, `process_counters`, `audit`) compiled by
//! clang, its Rust twin (`tests/programs/maps/twins`, built to BPF by
//! `cargo nethooks build`), both replayed in the VM through the program's scenario
//! file (`tests/programs/maps/<name>.toml`, 10+ runs), and the twin called natively on
//! the host run after run with the scenario's initial maps inserted into its typed
//! maps first. All three must agree on:
//!
//! - the verdict of every run;
//! - the helper calls: C and Rust in the VM, every call (name and recorded
//!   arguments: map names, key and value bytes, format strings) in order; the host
//!   and the VM, every call to a helper that is not a map helper, also by name and
//!   arguments, in order;
//! - the printk lines, the final map contents (hashes entry by entry, arrays their
//!   non-zero slots, queues their values in pop order, ring buffers their records),
//!   compared as bytes, and the scenario's own expectations (for C and Rust in the VM).
//!
//! Not compared, and why:
//! - on the host, the calls of the map helpers (`bpf_map_*`, `bpf_ringbuf_output`):
//!   a typed map there is an in-memory map of `ebpf_nethooks_maps`, reached directly,
//!   not through the helper, so nothing records them; what they did shows in the
//!   final maps, which are compared;
//! - the scenario's settings reach the host through doubles installed here, not
//!   through the runner: `run_native` gives each run a fresh default environment (its
//!   clock restarts, its `pid_tgid` is the default), so the test installs doubles for
//!   `bpf_get_current_pid_tgid`, `bpf_ktime_get_ns`, `bpf_ktime_get_boot_ns` and
//!   `bpf_get_prandom_u32` that answer from a `HostState` with the scenario's
//!   settings, kept across runs, and record through `nethooks_run::helpers::invoke`
//!   as the runner's helpers do;
//! - the queue `recent_ports` of `audit` is no facade map type: the twin pushes to it
//!   with `bpf_map_push_elem`, whose host double here backs it with a queue of
//!   `ebpf_nethooks_maps`, unrecorded like the other map helpers;
//! - global data (`.rodata`, `.data`, `.bss`): the C object's and the twin's differ in
//!   layout (one section against one static per symbol), so only the host statics of
//!   `connect_policy` are checked, against the C object's `.bss` counters.

#[path = "../../runner/tests/support/mod.rs"]
mod support;

mod common;

use common::entries_as_bytes;

use map_twins::{audit, connect_policy, process_counters};

use std::cell::RefCell;
use std::ffi::c_void;
use std::sync::{Mutex, OnceLock};

use ebpf_nethooks::HelperId;
use ebpf_nethooks::general::testing;
use ebpf_nethooks::maps::FromBytes;
use nethooks_run::helpers::{Args, Environment, HostState, Session, invoke};
use nethooks_run::maps::{Map, MapDefinition};
use nethooks_run::scenario::{FinalMap, Prepared, Report, Scenario};
use nethooks_run::{BpfObject, HelperCall, Outcome, RunOptions};

/// The twins' BPF object, built once per test run.
fn twins() -> &'static [u8] {
    static TWINS: OnceLock<Vec<u8>> = OnceLock::new();
    TWINS.get_or_init(|| {
        let built = common::build_to_bpf("tests/programs/maps/twins/Cargo.toml", "map_twins.bpf.o");
        std::fs::read(&built.object).unwrap()
    })
}

/// `tests/programs/maps/<name>.toml`, unchanged: its first run names the program,
/// which later runs keep, so it runs on the twins' object of three programs as on the
/// C object of one.
fn scenario(name: &str) -> Scenario {
    let file = format!("maps/{name}.toml");
    let text = std::fs::read_to_string(support::programs_dir().join(&file)).unwrap();
    let scenario = Scenario::parse(&file, &text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        scenario.runs[0].program.as_deref(),
        Some(name),
        "{file} names its program in its first run"
    );
    scenario
}

fn replay(elf: &[u8], scenario: &Scenario) -> Report {
    let object = BpfObject::parse(elf).unwrap();
    let prepared = Prepared::new(scenario, &object).unwrap_or_else(|e| panic!("{e}"));
    prepared
        .run(None, &RunOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", scenario.file))
}

/// The scenario's initial maps as bytes, as the runner decodes them: the maps after
/// no run at all.
fn initial_maps(elf: &[u8], scenario: &Scenario) -> Vec<FinalMap> {
    let empty = Scenario {
        runs: Vec::new(),
        expect: Default::default(),
        ..scenario.clone()
    };
    replay(elf, &empty).maps
}

// ---------------------------------------------------------------------------
// The host: the scenario's environment, and the twins' maps by name.
// ---------------------------------------------------------------------------

thread_local! {
    /// The environment of the scenario being replayed on the host, kept across runs
    /// as the runner keeps a loaded program's.
    static HOST: RefCell<HostState> = RefCell::new(HostState::default());
    /// The host's `recent_ports` queue.
    static QUEUE: RefCell<Option<Map>> = const { RefCell::new(None) };
}

fn host<R>(f: impl FnOnce(&mut HostState) -> R) -> R {
    HOST.with(|h| f(&mut h.borrow_mut()))
}

fn pid_tgid(_: &Args, _: &mut Session) -> Result<i64, String> {
    Ok(host(|h| h.env.pid_tgid as i64))
}
fn ktime_ns(_: &Args, _: &mut Session) -> Result<i64, String> {
    Ok(host(|h| h.read_clock(false) as i64))
}
fn ktime_boot_ns(_: &Args, _: &mut Session) -> Result<i64, String> {
    Ok(host(|h| h.read_clock(true) as i64))
}
fn prandom(_: &Args, _: &mut Session) -> Result<i64, String> {
    Ok(host(|h| i64::from(h.next_random())))
}

/// Pushes to the host's queue when `map` is the twin's `recent_ports`.
fn push(map: *mut c_void, value: *const c_void, flags: u64) -> i64 {
    assert_eq!(map, audit::recent_ports.handle(), "a push to another map");
    QUEUE.with(|q| {
        let mut q = q.borrow_mut();
        let queue = q.get_or_insert_with(|| {
            let definition =
                MapDefinition::from_in_file("recent_ports", &audit::recent_ports.definition());
            Map::new(definition).unwrap()
        });
        let size = queue.definition().value_size as usize;
        // SAFETY: the twin passes a value of the queue's value size.
        let value = unsafe { std::slice::from_raw_parts(value.cast::<u8>(), size) };
        let r = queue.push(value, flags).unwrap();
        queue.end_run();
        r
    })
}

/// Installs the doubles that answer from [`HOST`] (for every thread: the tests of this
/// file run one at a time). Called inside each `run_native` run; typed doubles win
/// over the runner's dispatcher, which keeps serving printk.
fn install_scenario_doubles() {
    testing::set_bpf_get_current_pid_tgid(Some(|| {
        invoke(HelperId::bpf_get_current_pid_tgid, [0; 5], pid_tgid)
    }));
    testing::set_bpf_ktime_get_ns(Some(|| {
        invoke(HelperId::bpf_ktime_get_ns, [0; 5], ktime_ns)
    }));
    testing::set_bpf_ktime_get_boot_ns(Some(|| {
        invoke(HelperId::bpf_ktime_get_boot_ns, [0; 5], ktime_boot_ns)
    }));
    testing::set_bpf_get_prandom_u32(Some(|| {
        invoke(HelperId::bpf_get_prandom_u32, [0; 5], prandom) as u32
    }));
    testing::set_bpf_map_push_elem(Some(push));
}

/// The host's environment at the start of `scenario`.
fn start_host(scenario: &Scenario) {
    let mut env = Environment::default();
    scenario.settings.apply(&mut env);
    host(|h| *h = HostState::new(env));
    QUEUE.with(|q| *q.borrow_mut() = None);
}

/// A run's settings, applied as the runner applies them.
fn apply_run_settings(settings: &nethooks_run::scenario::Settings) {
    host(|h| {
        settings.apply(&mut h.env);
        if let Some(seed) = settings.seed {
            h.prng = seed;
        }
        if let Some(clock) = settings.clock_ns {
            h.now_ns = clock;
        }
    });
}

fn read<T: FromBytes>(bytes: &[u8]) -> T {
    T::read_from_bytes(bytes).unwrap_or_else(|_| panic!("{} bytes", bytes.len()))
}

/// Map entries as bytes: key, value.
type Entries = Vec<(Vec<u8>, Vec<u8>)>;

/// A twin's map on the host, by the name its C program gives it.
struct HostMap {
    name: &'static str,
    clear: fn(),
    insert: fn(&[u8], &[u8]),
    /// Entries as the runner lists them (arrays: non-zero slots) and ring records.
    contents: fn() -> (Entries, Vec<Vec<u8>>),
}

fn nonzero(entries: Vec<(Vec<u8>, Vec<u8>)>) -> Vec<(Vec<u8>, Vec<u8>)> {
    entries
        .into_iter()
        .filter(|(_, v)| v.iter().any(|&b| b != 0))
        .collect()
}

const CONNECT_POLICY_MAPS: &[HostMap] = &[HostMap {
    name: "policy",
    clear: || connect_policy::policy.clear(),
    insert: |k, v| {
        connect_policy::policy
            .insert(&read(k), &read(v), 0)
            .unwrap()
    },
    contents: || (entries_as_bytes(connect_policy::policy.entries()), vec![]),
}];

const PROCESS_COUNTERS_MAPS: &[HostMap] = &[
    HostMap {
        name: "per_process",
        clear: || process_counters::per_process.clear(),
        insert: |k, v| {
            process_counters::per_process
                .insert(&read(k), &read(v), 0)
                .unwrap()
        },
        contents: || {
            (
                entries_as_bytes(process_counters::per_process.entries()),
                vec![],
            )
        },
    },
    HostMap {
        name: "totals",
        clear: || process_counters::totals.clear(),
        insert: |k, v| process_counters::totals.set(read(k), &read(v), 0).unwrap(),
        contents: || {
            let entries = entries_as_bytes(process_counters::totals.entries());
            (nonzero(entries), vec![])
        },
    },
];

const AUDIT_MAPS: &[HostMap] = &[
    HostMap {
        name: "audit_log",
        clear: || audit::audit_log.clear(),
        insert: |_, _| panic!("the scenario fills a ring buffer"),
        contents: || (vec![], audit::audit_log.records()),
    },
    HostMap {
        name: "recent_ports",
        clear: || QUEUE.with(|q| *q.borrow_mut() = None),
        insert: |_, v| {
            push(
                audit::recent_ports.handle(),
                v.as_ptr().cast(),
                nethooks_run::maps::BPF_ANY,
            );
        },
        contents: || {
            let entries = QUEUE.with(|q| q.borrow().as_ref().map(Map::entries));
            (entries.unwrap_or_default(), vec![])
        },
    },
];

// ---------------------------------------------------------------------------
// The programs.
// ---------------------------------------------------------------------------

fn raw_connect_policy(ctx: *mut u8) -> i32 {
    install_scenario_doubles();
    unsafe { connect_policy::connect_policy(ctx.cast()) }.to_raw()
}
fn raw_process_counters(ctx: *mut u8) -> i32 {
    install_scenario_doubles();
    unsafe { process_counters::process_counters(ctx.cast()) }.to_raw()
}
fn raw_audit(ctx: *mut u8) -> i32 {
    install_scenario_doubles();
    unsafe { audit::audit(ctx.cast()) }
}

struct Twin {
    name: &'static str,
    native: fn(*mut u8) -> i32,
    maps: &'static [HostMap],
}

const TWINS: &[Twin] = &[
    Twin {
        name: "connect_policy",
        native: raw_connect_policy,
        maps: CONNECT_POLICY_MAPS,
    },
    Twin {
        name: "process_counters",
        native: raw_process_counters,
        maps: PROCESS_COUNTERS_MAPS,
    },
    Twin {
        name: "audit",
        native: raw_audit,
        maps: AUDIT_MAPS,
    },
];

/// The tests of this file share the twins' statics and the global doubles.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Maps, helpers and ring buffers that the host records directly, not by a call.
fn is_map_helper(call: &HelperCall) -> bool {
    call.name.starts_with("bpf_map_") || call.name == "bpf_ringbuf_output"
}

/// A map's final contents as compared: name, entries, records.
type Contents = (String, Vec<(Vec<u8>, Vec<u8>)>, Vec<Vec<u8>>);

/// The maps of `twin` in a VM report.
fn vm_maps(report: &Report, twin: &Twin) -> Vec<Contents> {
    twin.maps
        .iter()
        .map(|m| {
            let map = report
                .maps
                .iter()
                .find(|f| f.name == m.name)
                .unwrap_or_else(|| panic!("{}: no map `{}` in the object", twin.name, m.name));
            (m.name.to_owned(), map.entries.clone(), map.records.clone())
        })
        .collect()
}

/// Replays `scenario` on the host: its maps filled, each run called natively.
fn replay_on_the_host(
    twin: &Twin,
    scenario: &Scenario,
    c_elf: &[u8],
) -> (Vec<Outcome>, Vec<Contents>) {
    start_host(scenario);
    for map in twin.maps {
        (map.clear)();
    }
    for initial in initial_maps(c_elf, scenario) {
        let Some(map) = twin.maps.iter().find(|m| m.name == initial.name) else {
            continue;
        };
        for (key, value) in &initial.entries {
            (map.insert)(key, value);
        }
    }
    let program = nethooks_run::load_program(c_elf, Some(twin.name)).unwrap();
    let mut outcomes = Vec::new();
    for (n, run) in scenario.runs.iter().enumerate() {
        apply_run_settings(&run.settings);
        let mut context = nethooks_run::context_for(&program).unwrap();
        match run
            .ctx
            .as_ref()
            .map(|ctx| serde_json::to_value(ctx).unwrap())
        {
            Some(serde_json::Value::String(assignments)) => context.apply_assignments(&assignments),
            Some(serde_json::Value::Object(members)) => context.apply_members(&members),
            Some(other) => panic!("{} run {}: ctx {other}", twin.name, n + 1),
            None => Ok(()),
        }
        .unwrap_or_else(|e| panic!("{} run {}: {e}", twin.name, n + 1));
        let outcome = nethooks_run::run_native(program.hook, program.attach, &context, twin.native)
            .unwrap_or_else(|e| panic!("{} run {} on the host: {e}", twin.name, n + 1));
        outcomes.push(outcome);
    }
    let maps = twin
        .maps
        .iter()
        .map(|m| {
            let (entries, records) = (m.contents)();
            (m.name.to_owned(), entries, records)
        })
        .collect();
    (outcomes, maps)
}

#[test]
fn c_objects_rust_objects_and_rust_on_the_host_agree_over_each_scenario() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    for twin in TWINS {
        let name = twin.name;
        let c_elf = support::compile_with_flags(&format!("maps/{name}.c"), dir.path(), &["-g"]);
        let scenario = scenario(name);
        assert!(
            scenario.runs.len() >= 10,
            "{name}: {} runs",
            scenario.runs.len()
        );
        let c = replay(&c_elf, &scenario);
        let rust = replay(twins(), &scenario);
        assert_eq!(c.differences, Vec::<String>::new(), "{name}: C in the VM");
        assert_eq!(
            rust.differences,
            Vec::<String>::new(),
            "{name}: Rust in the VM"
        );
        let (host, host_maps) = replay_on_the_host(twin, &scenario, &c_elf);

        for (n, ((c_run, rust_run), host_run)) in
            c.runs.iter().zip(&rust.runs).zip(&host).enumerate()
        {
            let run = n + 1;
            let (c_out, rust_out) = (&c_run.outcome, &rust_run.outcome);
            if c_out.verdict != rust_out.verdict || c_out.verdict != host_run.verdict {
                problems.push(format!(
                    "{name} run {run}: verdict C {}, Rust {}, host {}",
                    c_out.verdict, rust_out.verdict, host_run.verdict
                ));
            }
            if c_out.calls != rust_out.calls {
                problems.push(format!(
                    "{name} run {run}: helper calls\n  C:    {:?}\n  Rust: {:?}",
                    c_out.calls, rust_out.calls
                ));
            }
            let unmapped: Vec<&HelperCall> = rust_out
                .calls
                .iter()
                .filter(|c| !is_map_helper(c))
                .collect();
            let host_calls: Vec<&HelperCall> = host_run.calls.iter().collect();
            if unmapped != host_calls {
                problems.push(format!(
                    "{name} run {run}: helper calls other than map helpers\n  VM:   {unmapped:?}\n  host: {host_calls:?}"
                ));
            }
            if c_out.printk != rust_out.printk || c_out.printk != host_run.printk {
                problems.push(format!(
                    "{name} run {run}: printk C {:?}, Rust {:?}, host {:?}",
                    c_out.printk, rust_out.printk, host_run.printk
                ));
            }
        }
        let (c_maps, rust_maps) = (vm_maps(&c, twin), vm_maps(&rust, twin));
        if c_maps != rust_maps {
            problems.push(format!(
                "{name}: final maps\n  C:    {c_maps:?}\n  Rust: {rust_maps:?}"
            ));
        }
        if c_maps != host_maps {
            problems.push(format!(
                "{name}: final maps\n  VM:   {c_maps:?}\n  host: {host_maps:?}"
            ));
        }
        if name == "connect_policy" {
            check_connect_policy_counters(&c, &mut problems);
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The host statics of `connect_policy` hold what the C object's `.bss` holds.
fn check_connect_policy_counters(c: &Report, problems: &mut Vec<String>) {
    use std::sync::atomic::Ordering::Relaxed;
    let bss = c
        .globals
        .iter()
        .find(|(section, _)| section == ".bss")
        .map(|(_, bytes)| bytes.clone())
        .unwrap_or_default();
    let mut host = connect_policy::DECISIONS
        .load(Relaxed)
        .to_le_bytes()
        .to_vec();
    host.extend(connect_policy::REJECTS.load(Relaxed).to_le_bytes());
    if bss != host {
        problems.push(format!(
            "connect_policy: C `.bss` (decisions, rejects) {bss:?}, host statics {host:?}"
        ));
    }
}
