//! `codegen --check` as CI runs it: silent success when current, a diff and exit 1
//! when stale; and `--spec`/`--out` point it at any spec and directory.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn spec() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/nethooks.toml")
}

fn codegen(args: &[&str], out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(args)
        .arg("--spec")
        .arg(spec())
        .arg("--out")
        .arg(out)
        .output()
        .expect("run codegen")
}

#[test]
fn check_reports_stale_artifacts_with_a_diff_and_passes_silently_when_current() {
    let out = tempfile::tempdir().unwrap();

    let missing = codegen(&["--check"], out.path());
    assert_eq!(
        missing.status.code(),
        Some(1),
        "nothing generated yet is stale"
    );
    assert!(
        std::fs::read_dir(out.path()).unwrap().next().is_none(),
        "--check wrote files"
    );

    let written = codegen(&[], out.path());
    assert!(
        written.status.success(),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );

    let current = codegen(&["--check"], out.path());
    assert_eq!(current.status.code(), Some(0));
    assert!(
        current.stdout.is_empty() && current.stderr.is_empty(),
        "a current check is silent"
    );

    // Edit one generated line: --check shows exactly that change as a unified diff.
    let header = std::fs::read_dir(out.path().join("include"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let text = std::fs::read_to_string(&header).unwrap();
    std::fs::write(&header, text.replacen("#pragma once", "#pragma twice", 1)).unwrap();
    let stale = codegen(&["--check"], out.path());
    assert_eq!(stale.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert!(stderr.contains("-#pragma twice\n+#pragma once"), "{stderr}");
    assert!(stderr.contains("1 artifact(s) out of date"), "{stderr}");
}

#[test]
fn help_lists_every_option() {
    let output = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    for option in [
        "--spec",
        "--out",
        "--check",
        "--artifact",
        "--message-format",
    ] {
        assert!(help.contains(option), "--help lacks {option}:\n{help}");
    }
}
