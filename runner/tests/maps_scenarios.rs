//! C programs that use maps as real programs do, each run through a scenario of 10+
//! runs (`tests/programs/maps/*.toml`): a connect policy table with fallback lookups,
//! global data and a BPF-to-BPF call; per-process counters keyed by
//! bpf_get_current_pid_tgid in a hash and a per-CPU array, stamped by the clock; an
//! audit ring buffer, a queue and bpf_printk. Verdicts, final maps, ring records and
//! printk lines are as the scenario files expect (worked out by hand from
//! `docs/general-helpers-abi.md`), in the interpreter and, where rbpf's JIT runs the program, in both.

mod support;

use nethooks_run::scenario::{Prepared, Scenario};
use nethooks_run::{BpfObject, Engine, RunOptions};

/// Compiles `tests/programs/maps/<name>.c` with BTF.
fn object(name: &str, dir: &std::path::Path) -> Vec<u8> {
    support::compile_with_flags(&format!("maps/{name}.c"), dir, &["-g"])
}

fn scenario_text(name: &str) -> String {
    std::fs::read_to_string(support::programs_dir().join(format!("maps/{name}.toml"))).unwrap()
}

fn run(elf: &[u8], file: &str, text: &str) -> nethooks_run::scenario::Report {
    let object = BpfObject::parse(elf).unwrap();
    let scenario = Scenario::parse(file, text).unwrap_or_else(|e| panic!("{e}"));
    let prepared = Prepared::new(&scenario, &object).unwrap_or_else(|e| panic!("{e}"));
    prepared
        .run(None, &RunOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_map_programs_scenarios_go_as_expected() {
    let dir = tempfile::tempdir().unwrap();
    /// program, why rbpf's JIT cannot run it (if so), global data after the last run
    type Row<'a> = (&'a str, Option<&'a str>, &'a [(&'a str, &'a str)]);
    let rows: &[Row] = &[
        (
            "connect_policy",
            // Its BPF-to-BPF calls are inlined for the JIT.
            None,
            // 12 decisions and 5 rejects in `.bss`; the default verdict in `.rodata`.
            &[
                (".rodata", "01000000"),
                (".bss", "0c000000000000000500000000000000"),
            ],
        ),
        ("process_counters", None, &[(".data", "0200000000000000")]),
        ("audit", None, &[]),
    ];
    for (name, jit_blocked, globals) in rows {
        let report = run(&object(name, dir.path()), name, &scenario_text(name));
        assert_eq!(report.differences, Vec::<String>::new(), "{name}");
        assert!(
            report.runs.len() >= 10,
            "{name}: {} runs",
            report.runs.len()
        );
        let engines = match (jit_blocked, nethooks_run::JIT_AVAILABLE) {
            (None, true) => vec![Engine::Interpreter, Engine::Jit],
            _ => vec![Engine::Interpreter],
        };
        assert!(
            report.runs.iter().all(|r| r.engines == engines),
            "{name}: engines {:?}",
            report.runs[0].engines
        );
        let got: Vec<(&str, String)> = report
            .globals
            .iter()
            .map(|(s, b)| (s.as_str(), nethooks_run::context::hex(b)))
            .collect();
        let expected: Vec<(&str, String)> =
            globals.iter().map(|(s, h)| (*s, h.to_string())).collect();
        assert_eq!(got, expected, "{name}: global data");
    }
}

#[test]
fn programs_of_one_object_share_its_maps_and_global_data() {
    let dir = tempfile::tempdir().unwrap();
    let elf = object("shared_state", dir.path());
    let text = r#"
[[run]]
program = "recall"
verdict = 0
[[run]]
program = "remember"
ctx = { process_id = 40 }
[[run]]
program = "recall"
verdict = 41
[[run]]
program = "remember"
ctx = { process_id = 1000 }
[[run]]
program = "recall"
verdict = 1002
[expect.maps]
remembered = [{ key = 1, value = 1000 }]
"#;
    let report = run(&elf, "shared.toml", text);
    assert_eq!(report.differences, Vec::<String>::new());
}

#[test]
fn a_scenario_reports_every_difference() {
    let dir = tempfile::tempdir().unwrap();
    let elf = object("connect_policy", dir.path());
    let text = scenario_text("connect_policy")
        // Run 2 is PROCEED_HARD.
        .replacen(
            "verdict = \"BPF_SOCK_ADDR_VERDICT_PROCEED_HARD\"",
            "verdict = \"BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT\"",
            1,
        )
        .replace("value = [2, 3] }", "value = [2, 4] }")
        .replace("{ key = [\"192.168.1.10\", 80], value = [2, 1] },\n]", "]")
        .replace(
            "\"reject c0a8010a port 22\",",
            "\"reject c0a8010a port 23\",\n    \"one more\",",
        );
    let report = run(&elf, "policy.toml", &text);
    assert_eq!(
        report.differences,
        [
            "run 2: verdict BPF_SOCK_ADDR_VERDICT_PROCEED_HARD (2), expected BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT",
            "map `policy`: key hex:0a00000100000000 expected hex:0200000004000000, got hex:0200000003000000",
            "map `policy`: key hex:c0a8010a50000000 not expected, got hex:0200000001000000",
            "printk: line 5 expected `reject c0a8010a port 23`, got `reject c0a8010a port 22`",
            "printk: 5 lines, expected 6; missing: `one more`",
        ]
    );
    let text = report.text();
    let engines = if nethooks_run::JIT_AVAILABLE {
        "interpreter = JIT"
    } else {
        "interpreter"
    };
    assert!(
        text.contains(&format!("run 2: connect_policy (cgroup/connect4): BPF_SOCK_ADDR_VERDICT_PROCEED_HARD (2), expected BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT [{engines}]\n")),
        "{text}"
    );
    assert!(text.ends_with("result: 5 differences\n"), "{text}");
}

#[test]
fn ring_and_queue_differences_are_named_by_record_and_value() {
    let dir = tempfile::tempdir().unwrap();
    let elf = object("audit", dir.path());
    let text = scenario_text("audit")
        .replace(
            "{ value = 53 }, { value = 853 }",
            "{ value = 853 }, { value = 53 }",
        )
        .replace("2632d7bd00000000", "2632d7bd00000001");
    let report = run(&elf, "audit.toml", &text);
    assert_eq!(
        report.differences,
        [
            "map `recent_ports`: value 3 expected hex:55030000, got hex:35000000",
            "map `recent_ports`: value 4 expected hex:35000000, got hex:55030000",
            "ring buffer `audit_log`: record 1 expected hex:000000005db8d82250c30000bb010000ae0800005704000040d64477000000002632d7bd00000001, got hex:000000005db8d82250c30000bb010000ae0800005704000040d64477000000002632d7bd00000000",
        ]
    );
}

#[test]
fn a_loaded_program_keeps_its_maps_across_runs_and_a_clone_gets_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let program =
        nethooks_run::load_program(&object("process_counters", dir.path()), None).unwrap();
    let context = nethooks_run::context_for(&program).unwrap();
    let binds = |p: &nethooks_run::Program| {
        p.with_maps(|maps| {
            let value = maps
                .by_name("per_process")
                .unwrap()
                .value(&1000u32.to_le_bytes());
            value
                .unwrap()
                .map(|v| u64::from_le_bytes(v[..8].try_into().unwrap()))
        })
    };
    // The default environment's process is 1000; the quota is 2.
    let verdicts: Vec<String> = (0..3)
        .map(|_| {
            nethooks_run::run_checked(&program, &context)
                .unwrap()
                .0
                .verdict
                .name()
        })
        .collect();
    assert_eq!(
        verdicts,
        ["BIND_PERMIT_SOFT", "BIND_PERMIT_SOFT", "BIND_DENY"]
    );
    assert_eq!(binds(&program), Some(2));
    let copy = program.clone();
    program.with_maps(|maps| {
        let m = maps.by_name_mut("per_process").unwrap();
        assert_eq!(m.delete(&1000u32.to_le_bytes()), Ok(0));
    });
    assert_eq!((binds(&program), binds(&copy)), (None, Some(2)));
}
