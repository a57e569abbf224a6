//! `nethooks-run --scenario FILE OBJECT`: the report as text and as JSON (maps
//! included), exit status 0 when all is as expected and 4 when something differs,
//! and scenarios that do not fit their object refused with exit status 1 and a
//! message that names what is wrong.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn compile(name: &str, dir: &Path) -> PathBuf {
    let elf = support::compile_with_flags(name, dir, &["-g"]);
    let path = dir.join(format!("{}.o", name.replace('/', "_")));
    std::fs::write(&path, elf).unwrap();
    path
}

fn scenario(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn nethooks_run(object: &Path, args: &[&str]) -> Output {
    support::output(
        Command::new(env!("CARGO_BIN_EXE_nethooks-run"))
            .arg(object)
            .args(args),
    )
}

fn shipped(name: &str) -> String {
    support::programs_dir()
        .join(format!("maps/{name}.toml"))
        .display()
        .to_string()
}

#[test]
fn a_scenario_as_expected_is_reported_as_text_with_exit_status_0() {
    let dir = tempfile::tempdir().unwrap();
    let object = compile("maps/audit.c", dir.path());
    let out = nethooks_run(&object, &["--scenario", &shipped("audit")]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    let engines = if nethooks_run::JIT_AVAILABLE {
        "interpreter = JIT"
    } else {
        "interpreter"
    };
    let first_run = format!(
        "run 1: audit (sockops): 0, as expected [{engines}]
  map write: recent_ports values [] -> [hex:bb010000]
  ring record: audit_log hex:000000005db8d82250c30000bb010000ae0800005704000040d64477000000002632d7bd00000000
  printk: op 0 port 443 written 0
"
    );
    assert!(text.contains(&first_run), "{text}");
    assert!(
        text.contains(
            "map `recent_ports` (BPF_MAP_TYPE_QUEUE): 4 entries\n  hex:50000000\n  hex:38c70000\n  hex:35000000\n  hex:55030000\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("ring buffer `audit_log`: 10 records\n"),
        "{text}"
    );
    assert!(text.ends_with("result: as expected\n"), "{text}");
}

#[test]
fn json_output_holds_the_runs_maps_and_differences() {
    let dir = tempfile::tempdir().unwrap();
    let object = compile("maps/connect_policy.c", dir.path());
    let out = nethooks_run(
        &object,
        &["--scenario", &shipped("connect_policy"), "--json"],
    );
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["as_expected"], true);
    assert_eq!(json["differences"], serde_json::json!([]));
    assert_eq!(json["runs"].as_array().unwrap().len(), 12);
    assert_eq!(json["runs"][0]["verdict"], "BPF_SOCK_ADDR_VERDICT_REJECT");
    assert_eq!(json["runs"][0]["printk"][0], "reject a000001 port 443");
    assert_eq!(
        json["runs"][0]["map_writes"][0],
        serde_json::json!({"map": "policy", "key": "0a000001bb010000", "before": "0000000000000000", "after": "0000000001000000"})
    );
    let policy = &json["maps"]["policy"];
    assert_eq!(policy["type"], "BPF_MAP_TYPE_HASH");
    assert_eq!(
        (policy["key_size"].as_u64(), policy["value_size"].as_u64()),
        (Some(8), Some(8))
    );
    assert_eq!(
        policy["entries"][1],
        serde_json::json!({"key": "0a00000100000000", "value": "0200000003000000"})
    );
    assert_eq!(json["globals"][".bss"], "0c000000000000000500000000000000");
    assert_eq!(json["printk"].as_array().unwrap().len(), 5);
}

#[test]
fn a_scenario_that_differs_exits_with_status_4_and_says_what() {
    let dir = tempfile::tempdir().unwrap();
    let object = compile("maps/process_counters.c", dir.path());
    let text = std::fs::read_to_string(shipped("process_counters"))
        .unwrap()
        .replace("{ key = 2, value = 13 }", "{ key = 2, value = 12 }");
    let file = scenario(dir.path(), "counters.toml", &text);
    for json in [false, true] {
        let mut args = vec!["--scenario", file.as_str()];
        if json {
            args.push("--json");
        }
        let out = nethooks_run(&object, &args);
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(4), "{stdout}");
        let difference = "map `totals`: key hex:02000000 expected hex:0c00000000000000, got hex:0d00000000000000";
        if json {
            let value: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            assert_eq!(value["differences"], serde_json::json!([difference]));
            assert_eq!(value["as_expected"], false);
        } else {
            assert!(
                stdout.ends_with(&format!("difference: {difference}\nresult: 1 difference\n")),
                "{stdout}"
            );
        }
    }
}

#[test]
fn scenarios_that_do_not_fit_the_object_are_refused_by_name_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let policy = compile("maps/connect_policy.c", dir.path());
    let counters = compile("maps/process_counters.c", dir.path());
    let run = "[[run]]\nctx = { user_port = \"net:80\" }\n";
    // (object, scenario text, the whole message after `error: `)
    let rows: Vec<(PathBuf, String, String)> = vec![
        (
            policy.clone(),
            format!("[maps]\npolicies = [{{ key = 1, value = 1 }}]\n{run}"),
            "scenario S: line 2: no map `policies` in the object; its maps are: `policy`".to_owned(),
        ),
        (
            policy.clone(),
            "[[run]]\nctx = { user_prot = 80, user_ip5 = 1 }\n".to_owned(),
            "scenario S: line 1: run 1: unknown member `user_ip5`, `user_prot` of `bpf_sock_addr_t`; its members are: `family`, `msg_src_ip4`, `msg_src_ip6`, `msg_src_port`, `user_ip4`, `user_ip6`, `user_port`, `protocol`, `compartment_id`, `interface_luid`".to_owned(),
        ),
        (
            policy.clone(),
            format!("[maps]\npolicy = [{{ key = \"hex:0a000001bb01\", value = [0, 0] }}]\n{run}"),
            "scenario S: line 2: map `policy`, entry 1: a key of 6 bytes (`hex:0a000001bb01`), but the map's keys have 8 bytes".to_owned(),
        ),
        (
            counters.clone(),
            "[maps]\nper_process = [{ key = 70000000000, value = 1 }]\n[[run]]\n".to_owned(),
            "scenario S: line 2: map `per_process`, entry 1: key: 70000000000 does not fit in 4 bytes".to_owned(),
        ),
        (
            policy.clone(),
            "[[run]]\nprogram = \"nope\"\n".to_owned(),
            "scenario S: line 1: run 1: no program `nope` in the object; its programs are: `connect_policy (cgroup/connect4)`".to_owned(),
        ),
        (
            policy.clone(),
            "[[run]]\nverdict = \"BIND_DENY\"\n".to_owned(),
            "scenario S: line 1: run 1: verdict `BIND_DENY` is not one of `sock_addr_hook_t`'s verdicts: `BPF_SOCK_ADDR_VERDICT_REJECT`, `BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT`, `BPF_SOCK_ADDR_VERDICT_PROCEED_HARD`".to_owned(),
        ),
        (
            policy.clone(),
            "[[run]]\n[expect.ringbuf]\npolicy = []\n".to_owned(),
            "scenario S: line 3: expect: map `policy` is not a ring buffer (its type is 1 (BPF_MAP_TYPE_HASH))".to_owned(),
        ),
        (
            policy.clone(),
            "[[run]]\nctx = { user_port = \"net:80\" }\n\n[[run]]\n\n[[run]]\nverdict = \"BIND_DENY\"\n".to_owned(),
            "scenario S: line 6: run 3: verdict `BIND_DENY` is not one of `sock_addr_hook_t`'s verdicts: `BPF_SOCK_ADDR_VERDICT_REJECT`, `BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT`, `BPF_SOCK_ADDR_VERDICT_PROCEED_HARD`".to_owned(),
        ),
        (
            policy.clone(),
            "[maps]\npolicy = [\n  { key = [\"10.0.0.1\", 443], value = [0, 0] },\n  { key = [\"10.0.0.1\", 443], value = [2, 0] },\n]\n[[run]]\n".to_owned(),
            "scenario S: line 4: map `policy`, entry 2: its key hex:0a000001bb010000 is the key of entry 1 too; a map holds one value per key".to_owned(),
        ),
        (
            policy.clone(),
            "[[run]]\nverdict = 1\nspeed = 3\n".to_owned(),
            "scenario S: TOML parse error at line 3, column 1".to_owned(),
        ),
        (
            compile("maps/unsupported_map.c", dir.path()),
            "[[run]]\n".to_owned(),
            "map `programs` has type 3 (BPF_MAP_TYPE_PROG_ARRAY), which the runner does not emulate; it emulates `BPF_MAP_TYPE_HASH`, `BPF_MAP_TYPE_ARRAY`, `BPF_MAP_TYPE_PERCPU_HASH`, `BPF_MAP_TYPE_PERCPU_ARRAY`, `BPF_MAP_TYPE_LRU_HASH`, `BPF_MAP_TYPE_QUEUE`, `BPF_MAP_TYPE_LRU_PERCPU_HASH`, `BPF_MAP_TYPE_STACK`, `BPF_MAP_TYPE_RINGBUF`".to_owned(),
        ),
        (
            compile("invalid/undefined_function.c", dir.path()),
            "[[run]]\n".to_owned(),
            "scenario S: line 1: run 1: cannot link `undefined_function`: instruction 1 of section `sockops` refers to `checksum`, an undefined symbol: nothing in the object defines it, and the runner links no other object or library (define it, or make it `static __always_inline`)".to_owned(),
        ),
    ];
    let mut problems = Vec::new();
    for (object, text, message) in rows {
        let file = scenario(dir.path(), "S", &text);
        let out = nethooks_run(&object, &["--scenario", &file]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let message = message.replace("scenario S:", &format!("scenario {file}:"));
        let first_line = stderr.lines().next().unwrap_or("");
        let ok = out.status.code() == Some(1)
            && (first_line == format!("error: {message}")
                || (message.ends_with("column 1")
                    && first_line.starts_with(&format!("error: {message}"))))
            && out.stdout.is_empty()
            && !stderr.contains("panicked");
        if !ok {
            problems.push(format!(
                "expected exit 1 and `error: {message}`; got {}:\n{stderr}",
                out.status
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn settings_on_the_command_line_set_the_environment_of_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let object = compile("maps/audit.c", dir.path());
    let out = nethooks_run(
        &object,
        &[
            "--setting",
            "seed=42",
            "--setting",
            "pid_tgid=0x457_000008ae",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // pid_tgid, then the default boot clock (1 s), then the first nonce of seed 42.
    let record = json["ring_records"][0]["data"].as_str().unwrap();
    assert!(
        record.ends_with("ae0800005704000000ca9a3b000000002632d7bd00000000"),
        "{record}"
    );
    assert_eq!(json["maps"]["audit_log"]["records"][0], record);
    let out = nethooks_run(&object, &["--setting", "sed=1"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.starts_with(
            "error: bad value for `--setting`: unknown field `sed`, expected one of `seed`"
        ),
        "{stderr}"
    );
}

#[test]
fn user_mode_updates_and_deletes_maps_between_runs_and_maps_are_checked_after_each() {
    let dir = tempfile::tempdir().unwrap();
    let policy = compile("maps/connect_policy.c", dir.path());
    let text = std::fs::read_to_string(shipped("connect_policy_user_mode")).unwrap();
    let file = scenario(dir.path(), "user_mode.toml", &text);
    let out = nethooks_run(&policy, &["--scenario", &file]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    // The program's write after user mode's update starts from the updated value.
    assert!(
        stdout.contains(
            "run 2: connect_policy (cgroup/connect4): BPF_SOCK_ADDR_VERDICT_PROCEED_HARD (2), as expected"
        ) && stdout.contains(
            "  map write: policy key hex:0a000001bb010000 hex:0200000000000000 -> hex:0200000001000000\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("map `policy` (BPF_MAP_TYPE_HASH): 0 entries\n"),
        "{stdout}"
    );

    // A map that differs after a run is reported with the run.
    let wrong = scenario(
        dir.path(),
        "wrong.toml",
        &text.replace("value = [2, 1]", "value = [2, 5]"),
    );
    let out = nethooks_run(&policy, &["--scenario", &wrong]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(4), "{stdout}");
    assert!(
        stdout.contains(
            "difference: run 2: map `policy`: key hex:0a000001bb010000 expected hex:0200000005000000, got hex:0200000001000000\n"
        ),
        "{stdout}"
    );
}

#[test]
fn loose_verdict_expectations_accept_several_values() {
    let dir = tempfile::tempdir().unwrap();
    let policy = compile("maps/connect_policy.c", dir.path());
    let text = std::fs::read_to_string(shipped("connect_policy_loose")).unwrap();
    let file = scenario(dir.path(), "loose.toml", &text);
    let out = nethooks_run(&policy, &["--scenario", &file]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.ends_with("result: as expected\n"), "{stdout}");

    // Each form also refuses a verdict outside what it accepts.
    let rows = [
        (
            "min = 0, max = 1",
            "min = 1, max = 2",
            "run 3: verdict BPF_SOCK_ADDR_VERDICT_REJECT (0), expected from 1 to 2",
        ),
        (
            "mask = 0x2, value = 0x2",
            "mask = 0x2, value = 0",
            "run 4: verdict BPF_SOCK_ADDR_VERDICT_PROCEED_HARD (2), expected 0x0 under mask 0x2",
        ),
        (
            "nonzero = true",
            "one_of = [\"BPF_SOCK_ADDR_VERDICT_REJECT\", 2]",
            "run 2: verdict BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT (1), expected one of BPF_SOCK_ADDR_VERDICT_REJECT, 2",
        ),
    ];
    for (from, to, difference) in rows {
        let wrong = scenario(dir.path(), "wrong.toml", &text.replace(from, to));
        let out = nethooks_run(&policy, &["--scenario", &wrong]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(4), "{stdout}");
        assert!(
            stdout.contains(&format!("difference: {difference}\n")),
            "{stdout}"
        );
    }
}

#[test]
fn the_context_after_a_run_is_checked_as_the_extension_sees_it() {
    let dir = tempfile::tempdir().unwrap();
    let object = compile("rewrite_port.c", dir.path());
    let path = support::programs_dir().join("rewrite_port.toml");
    let text = std::fs::read_to_string(path).unwrap();
    let file = scenario(dir.path(), "rewrite.toml", &text);
    let out = nethooks_run(&object, &["--scenario", &file]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.ends_with("result: as expected\n"), "{stdout}");

    // Expecting the rewrite at the authorization layer, where it is discarded.
    let wrong = text.replacen(
        "user_port = \"net:80\", user_ip4",
        "user_port = \"net:8080\", user_ip4",
        1,
    );
    let wrong = scenario(dir.path(), "wrong.toml", &wrong);
    let out = nethooks_run(&object, &["--scenario", &wrong]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(4), "{stdout}");
    assert!(
        stdout.contains(
            "difference: run 1: context member `user_port` expected hex:1f90, got hex:0050\n"
        ),
        "{stdout}"
    );
}

#[test]
fn chained_programs_run_as_ebpf_for_windows_chains_them() {
    let dir = tempfile::tempdir().unwrap();
    let object = compile("chained_policies.c", dir.path());
    let path = support::programs_dir().join("chained_policies.toml");
    let file = path.display().to_string();
    let out = nethooks_run(&object, &["--scenario", &file]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains(
            "run 3: redirect_to_loopback + reject_8989 (cgroup/connect4): BPF_SOCK_ADDR_VERDICT_PROCEED_SOFT (1), as expected"
        ) && stdout.ends_with("result: as expected\n"),
        "{stdout}"
    );

    // A chain of programs of another hook is refused, by line.
    let other = compile("bind_policy.c", dir.path());
    let text = "[[run]]\nchain = [\"bind_policy\"]\n";
    let wrong = scenario(dir.path(), "bind_chain.toml", text);
    let out = nethooks_run(&other, &["--scenario", &wrong]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "line 1: run 1: a chain's programs are sock_addr programs of one hook; `bind_policy` is a program of `bind_hook_t`"
        ),
        "{stderr}"
    );
}

#[test]
fn a_run_can_give_the_network_context_with_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let object = compile("connect_authorization_policy.c", dir.path());
    let path = support::programs_dir().join("connect_authorization_network.toml");
    let out = nethooks_run(&object, &["--scenario", &path.display().to_string()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("run 2: connect_authorization_policy (cgroup/connect_authorization4): BPF_SOCK_ADDR_VERDICT_REJECT (0), as expected")
            && stdout.ends_with("result: as expected\n"),
        "{stdout}"
    );
}

#[test]
fn a_scenario_gives_pointer_members_their_data() {
    let dir = tempfile::tempdir().unwrap();
    let object = compile("app_id_policy.c", dir.path());
    let path = support::programs_dir().join("app_id_policy.toml");
    let out = nethooks_run(&object, &["--scenario", &path.display().to_string()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.ends_with("result: as expected\n"), "{stdout}");
}
