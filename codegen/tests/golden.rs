//! The committed `generated/` is exactly what the spec generates, and regenerating
//! never rewrites a file whose content is unchanged (so dependent builds stay fresh).
//!
//! A mismatch fails with a unified diff per stale file; `BLESS=1 cargo test -p codegen
//! --test golden` rewrites `generated/` instead (as `cargo run -p codegen` does).
//! Review the diff before committing it.

mod support;

use std::time::SystemTime;

use codegen::output::{check, write_all};
use support::{all_specs, workspace_root};

/// Every artifact of every spec, as one `cargo run -p codegen` writes them.
fn artifacts() -> Vec<codegen::emit::Artifact> {
    codegen::generate_all(&all_specs(), &codegen::emit::Kind::ALL)
        .unwrap_or_else(|errors| panic!("{}", errors[0]))
}

#[test]
fn committed_artifacts_match_the_spec_byte_for_byte() {
    let generated = workspace_root().join("generated");
    if std::env::var_os("BLESS").is_some() {
        let report = write_all(&generated, &artifacts()).unwrap_or_else(|e| panic!("{e}"));
        for path in &report.written {
            eprintln!("blessed generated/{}", path.display());
        }
        return;
    }
    let stale = check(&generated, &artifacts());
    let report: Vec<String> = stale
        .iter()
        .map(|s| format!("{}:\n{}", s.path.display(), s.diff))
        .collect();
    assert!(
        stale.is_empty(),
        "{} generated file(s) differ from what the spec generates (BLESS=1 rewrites them, \
         as `cargo run -p codegen` does):\n{}",
        stale.len(),
        report.join("\n")
    );
}

#[test]
fn generation_into_a_fresh_directory_reproduces_generated_and_is_idempotent() {
    let artifacts = artifacts();
    let dir = tempfile::tempdir().unwrap();
    let first = write_all(dir.path(), &artifacts).unwrap();
    assert_eq!(first.written.len(), artifacts.len());
    for artifact in &artifacts {
        let fresh = std::fs::read(dir.path().join(&artifact.path)).unwrap();
        let committed = std::fs::read(workspace_root().join("generated").join(&artifact.path))
            .unwrap_or_else(|e| panic!("{}: {e}", artifact.path.display()));
        assert!(
            fresh == committed,
            "{} differs from generated/",
            artifact.path.display()
        );
    }

    let modified = |a: &codegen::emit::Artifact| -> SystemTime {
        std::fs::metadata(dir.path().join(&a.path))
            .unwrap()
            .modified()
            .unwrap()
    };
    let before: Vec<SystemTime> = artifacts.iter().map(modified).collect();
    // A second run (and a second generation) must find nothing to write.
    let again = self::artifacts();
    assert_eq!(again, artifacts, "generation is deterministic");
    let second = write_all(dir.path(), &again).unwrap();
    assert!(second.written.is_empty(), "rewrote {:?}", second.written);
    assert_eq!(second.unchanged.len(), artifacts.len());
    let after: Vec<SystemTime> = artifacts.iter().map(modified).collect();
    assert_eq!(before, after, "no file was touched");
}
