//! `cargo nethooks verify` against PREVAIL with eBPF for Windows' tables: every test
//! program and every Rust hook crate of the workspace verifies; a table of bad
//! programs, C and Rust, is refused with the expected message and explanation; the
//! command's exit statuses and JSON. Needs `nethooks-verifier` (`bash .ci/install-deps`).

#[path = "../../runner/tests/support/mod.rs"]
mod support;

mod common;
mod verify_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use cargo_nethooks::verify::{Outcome, Refusal, Verdict};
use verify_support::{
    cargo_nethooks_verify, compile, driver, rust_objects, sources_in, unverifiable_rust, verify_all,
};

/// Test programs that are fixtures of the runner's loader, not programs for eBPF for
/// Windows: they are refused by design, each with its message.
/// (source, program, message substring, why)
const LOADER_FIXTURES: &[(&str, &str, &str, &str)] = &[
    (
        "endless_loop.c",
        "endless_loop",
        "Loop counter is too large",
        "never exits, by design",
    ),
    (
        "two_functions.c",
        "is_blocked",
        "Invalid type",
        "a function placed in a hook section is a program of its own on eBPF for Windows",
    ),
    (
        "helpers/every_helper.c",
        "every_helper",
        "Unresolved symbols found",
        "mixes `.maps` and legacy maps: PREVAIL then ignores the legacy `queue`",
    ),
    (
        "maps/btf_maps.c",
        "touch_maps",
        "Invalid type",
        "returns map addresses as numbers",
    ),
    (
        "maps/btf_unknown_field.c",
        "use_odd",
        "Invalid type",
        "returns a map address as a number",
    ),
    (
        "maps/legacy_maps.c",
        "touch_maps",
        "Invalid type",
        "reads map definitions as data",
    ),
    (
        "maps/unsupported_map.c",
        "use_programs",
        "Invalid type",
        "reads map definitions as data",
    ),
];

#[test]
fn every_test_program_verifies_but_the_loader_fixtures() {
    let sources: Vec<String> = ["", "maps", "helpers"]
        .iter()
        .flat_map(|dir| sources_in(dir))
        .collect();
    let objects: Vec<PathBuf> = sources.iter().map(|s| compile(s)).collect();
    let report = verify_all(&objects);
    assert!(report.errors.is_empty(), "{}", report.human());
    let mut verified = 0;
    for verdict in &report.programs {
        let source = sources
            .iter()
            .zip(&objects)
            .find(|(_, o)| **o == verdict.object)
            .map(|(s, _)| s.as_str())
            .unwrap();
        let fixture = LOADER_FIXTURES
            .iter()
            .find(|(s, p, ..)| *s == source && *p == verdict.program);
        match (&verdict.outcome, fixture) {
            (Outcome::Verified { .. }, None) => verified += 1,
            (Outcome::Refused(r), Some((_, _, expected, why))) => assert!(
                r.message.contains(expected),
                "{source}: expected `{expected}` ({why}), got: {}",
                r.message
            ),
            _ => panic!("{source}: unexpected verdict:\n{}", report.human()),
        }
    }
    for (source, program, ..) in LOADER_FIXTURES {
        assert!(
            report.programs.iter().any(|v| v.program == *program
                && objects[sources.iter().position(|s| s == source).unwrap()] == v.object),
            "{source}: no verdict for {program}"
        );
    }
    assert!(
        verified >= 20,
        "only {verified} programs verified:\n{}",
        report.human()
    );
}

#[test]
fn every_rust_example_twin_and_test_hook_crate_verifies() {
    let report = verify_all(rust_objects());
    assert!(report.all_verified(), "{}", report.human());
    // Five crates, 23 programs: none skipped.
    assert!(report.programs.len() >= 23, "{}", report.human());
}

/// A program the verifier must refuse: where it is, and what must be said.
struct Bad {
    /// `tests/programs/<source>` for C, `rust:<program>` for the Rust crate.
    source: &'static str,
    /// What it does wrong.
    mistake: &'static str,
    message: &'static str,
    explanation: &'static str,
}

const BAD: &[Bad] = &[
    Bad {
        source: "unverifiable/past_context.c",
        mistake: "reads past the context",
        message: "Upper bound must be at most 56",
        explanation: "past the end of the context (56 bytes)",
    },
    Bad {
        source: "invalid/out_of_bounds.c",
        mistake: "reads past the sock_ops context",
        message: "Upper bound must be at most 64",
        explanation: "past the end of the context (64 bytes)",
    },
    Bad {
        source: "unverifiable/app_id_unchecked.c",
        mistake: "reads app_id without checking app_id_end",
        message: "Upper bound must be at most packet_size",
        explanation: "app_id_start + n <= app_id_end",
    },
    Bad {
        source: "unverifiable/context_bound_loop.c",
        mistake: "loops as often as the context says",
        message: "Loop counter is too large",
        explanation: "no bound the verifier can see",
    },
    Bad {
        source: "unverifiable/map_value_unchecked.c",
        mistake: "uses a map value without a NULL check",
        message: "Possible null access",
        explanation: "`bpf_map_lookup_elem(&ports, ..)` is used without checking it for NULL",
    },
    Bad {
        source: "unverifiable/other_type_helper.c",
        mistake: "calls a sock_addr helper from bind",
        message: "helper prototype not found: 65537",
        explanation: "`bpf_sock_addr_set_redirect_context` is a helper of `sock_addr` programs",
    },
    Bad {
        source: "invalid/wrong_hook_helper.c",
        mistake: "calls a sockops helper from bind",
        message: "helper prototype not found: 65536",
        explanation: "`bpf_sock_ops_get_flow_id` is a helper of `sockops` programs",
    },
    Bad {
        source: "unverifiable/wrong_map_argument.c",
        mistake: "passes a stack buffer as the map",
        message: "Invalid type (r1.type == map_fd)",
        explanation: "must be a map",
    },
    Bad {
        source: "unverifiable/uninitialised_stack.c",
        mistake: "reads stack bytes never written",
        message: "Stack content is not numeric",
        explanation: "read before it was written",
    },
    Bad {
        source: "unverifiable/pointer_into_map.c",
        mistake: "stores a pointer into a map",
        message: "Illegal map update with a non-numerical value",
        explanation: "holds a pointer",
    },
    Bad {
        source: "unverifiable/bad_call_target.c",
        mistake: "calls instruction 1000",
        message: "Local call target out of section bounds",
        explanation: "a call goes to no function",
    },
    Bad {
        source: "unverifiable/missing_exit.c",
        mistake: "has no exit",
        message: "fallthrough in last instruction",
        explanation: "must end with an exit",
    },
    Bad {
        source: "invalid/foreign_context.c",
        mistake: "passes a copy of the context as the context",
        message: "Invalid type (r1.type == ctx)",
        explanation: "",
    },
    Bad {
        source: "invalid/unknown_section.c",
        mistake: "is in a section of no program type",
        message: "Unspecified program type.",
        explanation: "names no program type",
    },
    Bad {
        source: "rust:unchecked_policy",
        mistake: "Rust: dereferences `POLICY.get_ptr` unchecked",
        message: "Possible null access",
        explanation: "the value from `POLICY.get_ptr` (or `get_ptr_mut`) is used without checking it for null",
    },
    Bad {
        source: "rust:port_count_loop",
        mistake: "Rust: loops over a count from the context",
        message: "Loop counter is too large",
        explanation: "this loop has no bound the verifier can see: bound it by a constant",
    },
    Bad {
        source: "rust:past_the_context",
        mistake: "Rust: reads past the context",
        message: "Upper bound must be at most 56",
        explanation: "past the end of the context",
    },
];

#[test]
fn bad_programs_are_refused_with_the_expected_message() {
    let objects: Vec<PathBuf> = BAD
        .iter()
        .map(|bad| match bad.source.strip_prefix("rust:") {
            Some(_) => unverifiable_rust().to_owned(),
            None => compile(bad.source),
        })
        .collect();
    let mut unique = objects.clone();
    unique.dedup();
    let report = verify_all(&unique);
    let mut failures = Vec::new();
    for (bad, object) in BAD.iter().zip(&objects) {
        let verdict: Option<&Verdict> = report.programs.iter().find(|v| {
            v.object == *object
                && bad
                    .source
                    .strip_prefix("rust:")
                    .is_none_or(|program| v.program == program)
        });
        let refusal: Option<&Refusal> = match verdict.map(|v| &v.outcome) {
            Some(Outcome::Refused(refusal)) => Some(refusal),
            _ => None,
        };
        let rust = bad.source.starts_with("rust:");
        let fine = refusal.is_some_and(|r| {
            r.message.contains(bad.message)
                && r.explanation
                    .as_deref()
                    .unwrap_or_default()
                    .contains(bad.explanation)
                && r.rust_function.is_some() == rust
        });
        if !fine {
            failures.push(format!(
                "{} ({}): expected `{}` / `{}`, got {verdict:#?}",
                bad.source, bad.mistake, bad.message, bad.explanation
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_refusal_names_the_rust_function_of_a_multi_attach_entry_point() {
    let report = verify_all(&[unverifiable_rust().to_owned()]);
    let verdict = report
        .programs
        .iter()
        .find(|v| v.program == "audit_connect_connect6")
        .unwrap_or_else(|| panic!("{}", report.human()));
    let Outcome::Refused(refusal) = &verdict.outcome else {
        panic!("{}", report.human())
    };
    assert_eq!(refusal.rust_function.as_deref(), Some("audit_connect"));
}

#[test]
fn an_unknown_helper_is_a_clear_refusal_not_a_crash() {
    let object = compile("invalid/unknown_helper.c");
    let report = verify_all(std::slice::from_ref(&object));
    let [verdict] = report.programs.as_slice() else {
        panic!("{}", report.human())
    };
    let Outcome::Refused(refusal) = &verdict.outcome else {
        panic!("{}", report.human())
    };
    assert_eq!(refusal.message, "helper prototype not found: 74565");
    // The driver stops before analysis; the instruction is the call's.
    assert_eq!(refusal.instruction, Some(0), "{refusal:?}");
    assert!(
        refusal
            .explanation
            .as_deref()
            .is_some_and(|e| e.contains("no helper has this ID")),
        "{refusal:?}"
    );
}

#[test]
fn the_command_exits_0_1_or_3_and_speaks_json() {
    driver();
    let good = compile("bind_policy.c");
    let bad = compile("unverifiable/map_value_unchecked.c");
    let (good, bad) = (good.to_str().unwrap(), bad.to_str().unwrap());

    let (code, stdout, _) = cargo_nethooks_verify(&[good]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(
        stdout.contains("program bind_policy (section `bind`): verified"),
        "{stdout}"
    );

    let (code, stdout, _) = cargo_nethooks_verify(&[good, bad]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.contains("refused at instruction 7: Possible null access")
            && stdout.contains("map_value_unchecked.c:13"),
        "{stdout}"
    );

    let (code, stdout, _) = cargo_nethooks_verify(&["--json", good, bad]);
    assert_eq!(code, Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let verdicts: Vec<&str> = json["programs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["verified", "refused"]);

    let missing = Command::new(env!("CARGO_BIN_EXE_cargo-nethooks"))
        .args(["nethooks", "verify", good])
        .env("NETHOOKS_VERIFIER", "/nonexistent/nethooks-verifier")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(missing.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("bash .ci/install-deps"), "{stderr}");

    let (code, _, stderr) = cargo_nethooks_verify(&["/nonexistent.o"]);
    assert_eq!(code, Some(1), "{stderr}");
}

/// With line tables (`CARGO_PROFILE_RELEASE_DEBUG=line-tables-only`), the object has
/// BTF line info and a Rust refusal names its source line.
#[test]
fn build_refuses_a_rust_crate_with_its_source_line_given_line_tables() {
    driver();
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("unverifiable_lines.bpf.o");
    let manifest = support::workspace_root().join("tests/programs/unverifiable/rust/Cargo.toml");
    let output = support::output(
        Command::new(env!("CARGO_BIN_EXE_cargo-nethooks"))
            .args(["nethooks", "build", "--manifest-path"])
            .arg(&manifest)
            .arg("--out")
            .arg(&out)
            .env("CARGO_PROFILE_RELEASE_DEBUG", "line-tables-only"),
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("program unchecked_policy: section `bind`")
            && stdout.contains("REFUSED by the verifier"),
        "{stdout}"
    );
    assert!(
        stderr.contains("in Rust function `unchecked_policy`")
            && stderr.contains("unverifiable/rust/src/lib.rs:18")
            && stderr.contains("error: eBPF for Windows' verifier would refuse this object"),
        "{stderr}"
    );
}

/// `cargo nethooks build` without the verifier exits 3 and says how to install it or
/// how to build anyway; with `--no-verify` it builds and claims nothing.
#[test]
fn build_without_the_verifier_exits_3_unless_told_not_to_verify() {
    let manifest = support::workspace_root().join("tests/hook_programs/Cargo.toml");
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("no_verifier.bpf.o");
    let build = |extra: &[&str]| {
        support::output(
            Command::new(env!("CARGO_BIN_EXE_cargo-nethooks"))
                .args(["nethooks", "build", "--manifest-path"])
                .arg(&manifest)
                .arg("--out")
                .arg(&out)
                .args(extra)
                .env("NETHOOKS_VERIFIER", "/nonexistent/nethooks-verifier"),
        )
    };
    let missing = build(&[]);
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(missing.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("bash .ci/install-deps") && stderr.contains("--no-verify"),
        "{stderr}"
    );
    let unverified = build(&["--no-verify"]);
    let stdout = String::from_utf8_lossy(&unverified.stdout);
    assert_eq!(unverified.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("program bind_hook_program: section `bind`")
            && !stdout.contains("verified"),
        "{stdout}"
    );
}
