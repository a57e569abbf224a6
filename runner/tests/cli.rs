//! `nethooks-run` by hand: a context from --ctx, from a TOML file and from a JSON file
//! gives the same run, reported by verdict name with helper calls and context writes.

mod support;

use std::path::Path;
use std::process::Command;

use support::nethooks_run;

fn object(name: &str, dir: &Path) -> std::path::PathBuf {
    let path = dir.join(Path::new(name).with_extension("o").file_name().unwrap());
    std::fs::write(&path, support::compile(name, dir)).unwrap();
    path
}

#[test]
fn a_bind_redirect_is_reported_from_command_line_toml_and_json_contexts() {
    let dir = tempfile::tempdir().unwrap();
    let bind = object("bind_policy.c", dir.path());
    let toml = dir.path().join("ctx.toml");
    std::fs::write(
        &toml,
        "process_id = 42\nsocket_address = [2, 0, 0x1f, 0x90, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]\n",
    )
    .unwrap();
    let json = dir.path().join("ctx.json");
    std::fs::write(
        &json,
        r#"{"process_id": 42, "socket_address": "hex:02001f907f000001"}"#,
    )
    .unwrap();
    let expected = "\
program: section bind -> bind_hook_t (EBPF_ATTACH_TYPE_BIND), context bind_md_t
entry: bind_policy (20 instructions)
instruction set: v1: base
verdict: BIND_REDIRECT (2)
helper calls: none
context write: socket_address hex:02001f907f0000010000000000000000 -> hex:020000507f0000010000000000000000
";
    let runs = [
        nethooks_run(
            &bind,
            &["--ctx", "process_id=42,socket_address=hex:02001f907f000001"],
        ),
        nethooks_run(&bind, &["--ctx-file", toml.to_str().unwrap()]),
        nethooks_run(&bind, &["--ctx-file", json.to_str().unwrap()]),
    ];
    for run in &runs {
        assert!(run.starts_with(expected), "{run}");
        let engines = if nethooks_run::JIT_AVAILABLE {
            "engines: interpreter = JIT\n"
        } else {
            "engines: interpreter\n"
        };
        assert!(run.ends_with(engines), "{run}");
    }
}

#[test]
fn helper_calls_are_listed_with_their_ids_and_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let redirect = object("redirect_context_policy.c", dir.path());
    let out = nethooks_run(
        &redirect,
        &[
            "--ctx",
            "user_ip4=10.1.2.3",
            "--ctx",
            "user_port=net:80",
            "--engine",
            "interpreter",
        ],
    );
    let id = ebpf_nethooks_bindings::BPF_FUNC_sock_addr_set_redirect_context;
    assert!(
        out.contains("verdict: BPF_SOCK_ADDR_VERDICT_PROCEED_HARD (2)\n"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "helper call: {id:#x} bpf_sock_addr_set_redirect_context(ctx, hex:0a01020300500000, 8)\n"
        )),
        "{out}"
    );
    assert!(
        out.contains("redirect context: hex:0a01020300500000\n"),
        "{out}"
    );
    assert!(out.ends_with("engines: interpreter\n"), "{out}");

    let sockops = object("sockops_flow.c", dir.path());
    let out = nethooks_run(&sockops, &["--ctx", "op=3", "--json"]);
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value["hook"], "sock_ops_hook_t");
    assert_eq!(value["verdict"], "-1");
    assert_eq!(value["context"]["op"], "03000000");
    assert_eq!(value["helper_calls"], serde_json::json!([]));
}

#[test]
fn each_engine_can_be_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let sockops = object("sockops_flow.c", dir.path());
    let ctx = "op=BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB,remote_ip4=1.2.3.4";
    let mut engines = vec![("interpreter", "engines: interpreter\n")];
    if nethooks_run::JIT_AVAILABLE {
        engines.push(("jit", "engines: JIT\n"));
        engines.push(("both", "engines: interpreter = JIT\n"));
    }
    for (engine, last_line) in engines {
        let out = nethooks_run(&sockops, &["--ctx", ctx, "--engine", engine]);
        assert!(out.contains("verdict: 1\n"), "{engine}: {out}");
        assert!(
            out.contains("helper call: 0x10000 bpf_sock_ops_get_flow_id(ctx)\n"),
            "{engine}: {out}"
        );
        assert!(out.ends_with(last_line), "{engine}: {out}");
    }
}

#[test]
fn list_names_each_program_section_and_its_hook() {
    let dir = tempfile::tempdir().unwrap();
    let connect6 = object("connect6_policy.c", dir.path());
    let out = nethooks_run(&connect6, &["--list"]);
    assert!(
        out.starts_with(
            "cgroup/connect6 connect6_policy: sock_addr_hook_t (EBPF_ATTACH_TYPE_CGROUP_INET6_CONNECT), context bpf_sock_addr_t, "
        ),
        "{out}"
    );
    assert!(
        out.ends_with(" instructions, instruction set v1: base\n"),
        "{out}"
    );
    assert_eq!(out.lines().count(), 1, "{out}");

    // One line per program, even when two share a section.
    let two = object("two_programs.c", dir.path());
    let out = nethooks_run(&two, &["--list"]);
    let names: Vec<&str> = out
        .lines()
        .map(|l| l.split(':').next().unwrap_or(""))
        .collect();
    assert_eq!(
        names,
        ["sockops first_program", "sockops second_program"],
        "{out}"
    );
}

#[test]
fn a_program_is_chosen_by_its_function_and_its_section_still_works() {
    let dir = tempfile::tempdir().unwrap();
    let two = object("two_programs.c", dir.path());
    // first_program returns op, second_program family.
    for (args, verdict) in [
        (vec!["--program", "first_program"], "verdict: 4\n"),
        (vec!["--program", "second_program"], "verdict: 2\n"),
        (
            vec!["--section", "sockops", "--program", "second_program"],
            "verdict: 2\n",
        ),
    ] {
        let mut all = args.clone();
        all.extend(["--ctx", "op=4,family=2"]);
        let out = nethooks_run(&two, &all);
        assert!(out.contains(verdict), "{args:?}: {out}");
        assert!(
            out.contains(&format!("entry: {} (", args[args.len() - 1])),
            "{out}"
        );
    }
    let bind = object("bind_policy.c", dir.path());
    let out = nethooks_run(&bind, &["--section", "bind", "--json"]);
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value["program"], "bind_policy");
    assert_eq!(value["instruction_set"]["summary"], "v1: base");
    assert_eq!(value["global_writes"], serde_json::json!([]));
}

#[test]
fn help_documents_the_exit_codes_and_the_budget() {
    let out = support::run(Command::new(env!("CARGO_BIN_EXE_nethooks-run")).arg("--help"));
    let help = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "--max-insns <N>",
        "--program <PROGRAM>",
        "Exit status:",
        "  1  an error",
        "  3  the program ran more than --max-insns instructions",
    ] {
        assert!(help.contains(needle), "no `{needle}` in:\n{help}");
    }
}

/// `engine <name>: N runs, <ns> ns/run`, with the number checked to be one.
fn timing_line<'a>(out: &'a str, engine: &str, runs: u64) -> &'a str {
    let prefix = format!("engine {engine}: {runs} runs, ");
    let line = out
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no `{prefix}` line in:\n{out}"));
    let ns = line[prefix.len()..].strip_suffix(" ns/run").unwrap();
    assert!(ns.parse::<f64>().is_ok_and(|v| v > 0.0), "{line}");
    line
}

#[test]
fn repeat_times_each_engine_over_n_runs_of_the_same_context() {
    let dir = tempfile::tempdir().unwrap();
    let bind = object("bind_policy.c", dir.path());
    let out = nethooks_run(
        &bind,
        &[
            "--ctx",
            "socket_address=hex:02001f907f000001",
            "--repeat",
            "1000",
        ],
    );
    // The ordinary report, then one line per engine.
    assert!(out.contains("verdict: BIND_REDIRECT (2)\n"), "{out}");
    timing_line(&out, "interpreter", 1000);
    if nethooks_run::JIT_AVAILABLE {
        timing_line(&out, "JIT", 1000);
    }

    let json = nethooks_run(&bind, &["--repeat", "50", "--json"]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let repeat = &value["repeat"];
    assert_eq!(repeat["interpreter"]["runs"], 50, "{json}");
    assert!(repeat["interpreter"]["ns_per_run"].as_f64().unwrap() > 0.0);
    if nethooks_run::JIT_AVAILABLE {
        assert_eq!(repeat["jit"]["runs"], 50, "{json}");
        assert!(repeat["jit"]["ns_per_run"].as_f64().unwrap() > 0.0);
    }

    // A program that calls helpers: the JIT is not timed, and says why.
    let redirect = object("redirect_context_policy.c", dir.path());
    let out = nethooks_run(&redirect, &["--ctx", "user_port=net:80", "--repeat", "10"]);
    timing_line(&out, "interpreter", 10);
    assert!(
        out.contains("engine JIT: not timed: --repeat times the JIT only on context-only programs"),
        "{out}"
    );
}

#[test]
fn pointer_members_point_at_the_data_given_for_them() {
    let dir = tempfile::tempdir().unwrap();
    let app = object("app_id_policy.c", dir.path());
    // "cmd" and "notepad" in UTF-16, as netebpfext passes the app ID; none at all.
    let rows = [
        ("app_id=hex:63006d006400", "verdict: BIND_DENY (1)\n"),
        ("app_id=hex:6e006f00", "verdict: BIND_PERMIT_HARD (3)\n"),
        ("process_id=1", "verdict: BIND_PERMIT_SOFT (0)\n"),
    ];
    for (ctx, verdict) in rows {
        let out = nethooks_run(&app, &["--ctx", ctx]);
        assert!(out.contains(verdict), "{ctx}: {out}");
        // The pointers exist only during the run: nothing reports them.
        assert!(out.contains("context writes: none\n"), "{ctx}: {out}");
    }
    let json = nethooks_run(&app, &["--ctx", "app_id=hex:6300", "--json"]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        value["context"]["app_id_start"], "0000000000000000",
        "{json}"
    );
    // The bytes they pointed at are reported instead.
    assert_eq!(value["context_data"]["app_id"], "6300", "{json}");
    let out = nethooks_run(&app, &["--ctx", "app_id=hex:6300"]);
    assert!(out.contains("context data: app_id hex:6300\n"), "{out}");
}

#[test]
fn helpers_read_the_contexts_data_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let app = object("app_id_compare.c", dir.path());
    // bpf_memcmp_s compares the app ID's first 6 bytes, in place, with "cmd".
    let rows = [
        (
            "app_id=hex:63006d006400",
            "verdict: BIND_DENY (1)\nhelper call: 0x17 bpf_memcmp_s(hex:63006d006400, 6, hex:63006d006400, 6)\n",
        ),
        (
            "app_id=hex:6e006f0074006500",
            "verdict: BIND_PERMIT_HARD (3)\nhelper call: 0x17 bpf_memcmp_s(hex:6e006f007400, 6, hex:63006d006400, 6)\n",
        ),
    ];
    for (ctx, expected) in rows {
        let out = nethooks_run(&app, &["--ctx", ctx]);
        assert!(out.contains(expected), "{ctx}: {out}");
        assert!(out.contains("engines: interpreter = JIT\n"), "{ctx}: {out}");
    }
}
