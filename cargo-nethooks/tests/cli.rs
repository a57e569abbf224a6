//! `cargo nethooks build` as a user runs it: each row writes a small hook crate,
//! runs the real binary on it, and checks the exit status and what it printed.
//! Fixture crates share one target directory, each under its own package name.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("cargo-nethooks/ is inside the workspace")
        .to_owned()
}

/// Writes crate `name` with `lib` (or, for a `main.rs`, a bin crate) and returns its manifest.
fn fixture(name: &str, file: &str, source: &str) -> PathBuf {
    fixture_with(name, file, source, "")
}

/// [`fixture`] with more `[dependencies]` lines.
fn fixture_with(name: &str, file: &str, source: &str, dependencies: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("fixtures")
        .join(name);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = dir.join("Cargo.toml");
    std::fs::write(
        &manifest,
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
             [workspace]\n\n[dependencies]\nebpf-nethooks = {{ path = {:?} }}\n{dependencies}",
            workspace_root().display().to_string()
        ),
    )
    .unwrap();
    // The workspace's lock file: the same dependency versions, no resolution needed.
    std::fs::copy(workspace_root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    std::fs::write(dir.join("src").join(file), source).unwrap();
    manifest
}

fn cargo_nethooks(manifest: &Path, out: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-nethooks"));
    command
        .args(["nethooks", "build", "--manifest-path"])
        .arg(manifest)
        .arg("--out")
        .arg(out)
        // One target directory for every fixture: dependencies are built once.
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixtures-target"),
        );
    command
}

fn run(command: &mut Command) -> (Option<i32>, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("cargo-nethooks runs");
    (
        status.code(),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

/// The hook crate of the README's "Build a hook for eBPF for Windows": the Rust block
/// after the marker comment, so the README shows what is built here.
fn readme_hook_crate() -> String {
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).unwrap();
    let marker = "<!-- cargo-nethooks/tests/cli.rs: README hook crate -->\n```rust,ignore\n";
    let start = readme
        .find(marker)
        .expect("the README marks its hook crate")
        + marker.len();
    let end = start + readme[start..].find("```").expect("the block ends");
    readme[start..end].to_owned()
}

#[test]
fn a_hook_crate_builds_to_an_object_that_the_runner_runs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("deny.o");
    let manifest = fixture("fixture-deny-bind", "lib.rs", &readme_hook_crate());
    let (code, stdout, stderr) = run(&mut cargo_nethooks(&manifest, &out));
    assert_eq!(code, Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
    let mut lines = stdout.lines();
    assert_eq!(lines.next(), Some(out.display().to_string().as_str()));
    let program = lines.next().unwrap_or_default();
    assert!(
        program.starts_with("program deny_port_80: section `bind`, hook bind_hook_t at bind, ")
            && program.contains("helpers: none, instruction set: ")
            // Built objects are verified as eBPF for Windows would (PREVAIL).
            && program.ends_with(", verified"),
        "{stdout}"
    );
    assert!(
        stderr.contains("built `fixture-deny-bind` with rustc "),
        "{stderr}"
    );

    let elf = std::fs::read(&out).unwrap();
    let program = nethooks_run::load_program(&elf, None).unwrap();
    let mut ctx = nethooks_run::context_for(&program).unwrap();
    ctx.apply_assignments("socket_address=hex:02000050")
        .unwrap();
    let (outcome, _) = nethooks_run::run_checked(&program, &ctx).unwrap();
    assert_eq!(outcome.verdict.name(), "BIND_DENY");
    ctx.apply_assignments("socket_address=hex:02000051")
        .unwrap();
    let (outcome, _) = nethooks_run::run_checked(&program, &ctx).unwrap();
    assert_eq!(outcome.verdict.name(), "BIND_PERMIT_SOFT");
}

#[test]
fn a_no_main_bin_crate_builds_too() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bin.o");
    let source = format!("#![no_main]\n{}", readme_hook_crate());
    let manifest = fixture("fixture-bin", "main.rs", &source);
    let (code, stdout, stderr) = run(&mut cargo_nethooks(&manifest, &out));
    assert_eq!(code, Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(
        stdout.contains("program deny_port_80: section `bind`"),
        "{stdout}"
    );
}

/// A program that calls a function of another crate, which is not inlined into it.
const CALLS_ANOTHER_CRATE: &str = "#![no_std]
use ebpf_nethooks::*;

#[bind_hook]
pub fn scaled(ctx: &mut bind_md_t) -> bind_action_t {
    if hook_programs::helper_function(u32::from(ctx.protocol())) == 18 {
        bind_action_t::BIND_DENY
    } else {
        bind_action_t::BIND_PERMIT_SOFT
    }
}
";

#[test]
fn a_call_into_another_crate_is_linked_by_bpf_linker_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    let dependency = format!(
        "hook-programs = {{ path = {:?} }}\n",
        workspace_root()
            .join("tests/hook_programs")
            .display()
            .to_string()
    );
    let manifest = fixture_with(
        "fixture-calls-out",
        "lib.rs",
        CALLS_ANOTHER_CRATE,
        &dependency,
    );

    // The llc route alone cannot complete this object, and says why.
    let out = dir.path().join("llc.o");
    let (code, _, stderr) = run(cargo_nethooks(&manifest, &out).args(["--route", "llc"]));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "the llc route leaves calls to functions outside the crate (`hook_programs::helper_function`)"
        ),
        "{stderr}"
    );

    // `auto` falls back to bpf-linker, which links the function in.
    let out = dir.path().join("auto.o");
    let (code, stdout, stderr) = run(&mut cargo_nethooks(&manifest, &out));
    assert_eq!(code, Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(
        stderr.contains(
            "linked by bpf-linker (the crate calls `hook_programs::helper_function` outside itself)"
        ),
        "{stderr}"
    );
    assert!(
        stdout.contains("program scaled: section `bind`"),
        "{stdout}"
    );
    let elf = std::fs::read(&out).unwrap();
    let program = nethooks_run::load_program(&elf, Some("scaled")).unwrap();
    // helper_function(x) is 3x: protocol 6 gives 18.
    for (protocol, verdict) in [(6, "BIND_DENY"), (7, "BIND_PERMIT_SOFT")] {
        let mut ctx = nethooks_run::context_for(&program).unwrap();
        ctx.apply_assignments(&format!("protocol={protocol}"))
            .unwrap();
        let (outcome, _) = nethooks_run::run_checked(&program, &ctx).unwrap();
        assert_eq!(outcome.verdict.name(), verdict, "protocol {protocol}");
    }
    assert!(
        program.features().to_string().contains("BPF-to-BPF calls"),
        "{}",
        program.features()
    );
}

/// A failure: the status, and lines the output must hold.
struct Failure {
    crate_name: &'static str,
    source: &'static str,
    code: i32,
    stderr_has: &'static [&'static str],
}

const FAILURES: &[Failure] = &[
    Failure {
        crate_name: "fixture-no-hook",
        source: "#![no_std]\npub fn not_a_program(x: u32) -> u32 { x + 1 }\n",
        code: 1,
        stderr_has: &[
            "error: `fixture-no-hook` has no hook entry point: mark a function with `#[bind_hook]`",
        ],
    },
    Failure {
        crate_name: "fixture-type-error",
        source: "#![no_std]\nuse ebpf_nethooks::*;\n\n#[bind_hook]\npub fn wrong(ctx: &mut bind_md_t) -> bind_action_t {\n    let port: u16 = ctx.socket_address();\n    bind_action_t::BIND_DENY\n}\n",
        code: 1,
        stderr_has: &[
            // The compiler's own message, unchanged, then ours.
            "error[E0308]: mismatched types",
            "src/lib.rs:6:21",
            "error: the hook crate did not compile (the compiler's messages are above)",
        ],
    },
    Failure {
        crate_name: "fixture-needs-std",
        source: "use ebpf_nethooks::*;\n\n#[bind_hook]\npub fn uses_std(ctx: &mut bind_md_t) -> bind_action_t {\n    let v = std::vec![ctx.protocol()];\n    if v[0] == 6 { bind_action_t::BIND_DENY } else { bind_action_t::BIND_PERMIT_SOFT }\n}\n",
        code: 1,
        stderr_has: &[
            "error[E0463]: can't find crate for `std`",
            "note: a hook crate is `#![no_std]`: bpfel-unknown-none has only `core`",
        ],
    },
    Failure {
        crate_name: "fixture-can-panic",
        source: "#![no_std]\nuse ebpf_nethooks::*;\n\n#[bind_hook]\npub fn indexes(ctx: &mut bind_md_t) -> bind_action_t {\n    let address = ctx.socket_address();\n    if address[ctx.protocol() as usize] == 6 { bind_action_t::BIND_DENY } else { bind_action_t::BIND_PERMIT_SOFT }\n}\n",
        code: 1,
        stderr_has: &[
            "error: the program can panic, and a BPF program cannot",
            "`indexes` calls `core::panicking::panic_bounds_check`: an index out of bounds",
            "help: check before you index or divide (`get(i)`",
        ],
    },
    Failure {
        crate_name: "fixture-aggregate-return",
        source: "#![no_std]\nuse ebpf_nethooks::*;\n\npub struct Triple { pub a: u64, pub b: u64, pub c: u64 }\n\n#[inline(never)]\npub fn triple(x: u64) -> Triple { Triple { a: x, b: x + 1, c: x + 2 } }\n\n#[bind_hook]\npub fn uses_triple(ctx: &mut bind_md_t) -> bind_action_t {\n    if triple(ctx.process_id()).c == 6 { bind_action_t::BIND_DENY } else { bind_action_t::BIND_PERMIT_SOFT }\n}\n",
        code: 1,
        stderr_has: &[
            // LLVM's words, with the function named as Rust names it, then what to do.
            "in function `fixture_aggregate_return::triple`",
            "aggregate returns are not supported",
            "note: BPF functions return one register: a function that returns a struct or tuple larger than 8 bytes by value must be inlined",
        ],
    },
];

#[test]
fn failures_say_what_is_wrong_and_pass_the_compilers_messages_through() {
    let dir = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    for failure in FAILURES {
        let manifest = fixture(failure.crate_name, "lib.rs", failure.source);
        let out = dir.path().join(format!("{}.o", failure.crate_name));
        let (code, stdout, stderr) = run(&mut cargo_nethooks(&manifest, &out));
        let missing: Vec<&&str> = failure
            .stderr_has
            .iter()
            .filter(|line| !stderr.contains(**line))
            .collect();
        if code != Some(failure.code) || !missing.is_empty() || stderr.contains("= note: \"") {
            problems.push(format!(
                "{}: exit {code:?} (expected {}), missing {missing:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
                failure.crate_name, failure.code
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn without_a_toolchain_it_says_what_to_install() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = fixture("fixture-toolchain", "lib.rs", &readme_hook_crate());
    let empty_home = dir.path().join("home");
    std::fs::create_dir_all(&empty_home).unwrap();
    let cases: [(&str, &[(&str, &str)]); 2] = [
        ("an empty PATH", &[("PATH", "")]),
        (
            "a RUSTC that does not exist",
            &[("RUSTC", "/nonexistent/rustc")],
        ),
    ];
    for (what, env) in cases {
        let mut command = cargo_nethooks(&manifest, &dir.path().join("x.o"));
        command
            .env("HOME", &empty_home)
            .env("CARGO_HOME", &empty_home)
            .env_remove("RUSTC");
        for (key, value) in env {
            command.env(key, value);
        }
        let (code, stdout, stderr) = run(&mut command);
        assert_eq!(code, Some(3), "{what}: {stdout}{stderr}");
        for line in [
            "error: no toolchain here can build Rust for bpfel-unknown-none",
            "apt-get install rustc-web libstd-rust-web-dev-bpf llvm-22",
            "rustup toolchain install nightly --component rust-src",
            "cargo install bpf-linker --no-default-features --features llvm-22",
        ] {
            assert!(
                stderr.contains(line),
                "{what}: missing {line:?} in:\n{stderr}"
            );
        }
        assert!(
            !stderr.contains("linking with"),
            "{what}: a raw linker error: {stderr}"
        );
    }
}

#[test]
fn run_directly_it_takes_build_without_the_word_nethooks() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("direct.o");
    let manifest = fixture("fixture-direct", "lib.rs", &readme_hook_crate());
    // As `cargo run -p cargo-nethooks -- build ...` runs it.
    let command = cargo_nethooks(&manifest, &out);
    let args: Vec<_> = command.get_args().skip(1).map(ToOwned::to_owned).collect();
    let mut direct = Command::new(command.get_program());
    direct.args(args).envs(
        command
            .get_envs()
            .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v.to_owned()))),
    );
    let (code, stdout, stderr) = run(&mut direct);
    assert_eq!(code, Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert_eq!(
        stdout.lines().next(),
        Some(out.display().to_string().as_str())
    );
}

#[test]
fn errors_name_the_path_and_show_no_llvm_internals() {
    let dir = tempfile::tempdir().unwrap();
    // `--out` naming a directory: refused before building, naming it.
    let manifest = fixture("fixture-out-dir", "lib.rs", &readme_hook_crate());
    let (code, _, stderr) = run(&mut cargo_nethooks(&manifest, dir.path()));
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        format!(
            "error: {}: is a directory; `--out` names the object file to write (such as \
             `--out target/policy.bpf.o`)",
            dir.path().display()
        )
    );

    // An atomic store below cpu v4: LLVM's "Cannot select" without its DAG dump or
    // crash report, naming the object it was making.
    let source = "#![no_std]\nuse core::sync::atomic::{AtomicU64, Ordering};\nuse ebpf_nethooks::*;\n\n\
                  static COUNT: AtomicU64 = AtomicU64::new(0);\n\n#[bind_hook]\n\
                  pub fn counts(ctx: &mut bind_md_t) -> bind_action_t {\n    \
                  COUNT.store(COUNT.load(Ordering::Relaxed) + ctx.process_id(), Ordering::Relaxed);\n    \
                  bind_action_t::BIND_PERMIT_SOFT\n}\n";
    let manifest = fixture("fixture-atomic-v3", "lib.rs", source);
    let out = dir.path().join("atomic.o");
    let (code, _, stderr) = run(cargo_nethooks(&manifest, &out).args(["--cpu", "v3"]));
    assert_eq!(code, Some(1), "{stderr}");
    let expected = format!(
        "` making `{}` failed:\n\
         LLVM cannot select an instruction for `AtomicStore` (store monotonic (s64) into @`fixture_atomic_v3::COUNT.0`)\n\
         in function `counts`\n\
         note: an atomic operation cannot be lowered for BPF v3: build with `--cpu v4` (the default), \
         and use only `load` and `store` on atomics\n",
        out.display()
    );
    assert!(stderr.ends_with(&expected), "{stderr}");
    for internal in ["0x", "PLEASE submit", "Stack dump", "SelectionDAG"] {
        assert!(!stderr.contains(internal), "{internal} in:\n{stderr}");
    }
}
