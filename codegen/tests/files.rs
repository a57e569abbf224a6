//! What the `codegen` binary reads and writes on disk: spec files it refuses before
//! reading (not regular, or over 16 MiB), runs of specs that clash with each other,
//! and the modes of the files it writes (the umask's for new files, their own for
//! regenerated ones).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const EXIT_SPEC: i32 = 2;
const EXIT_IO: i32 = 3;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs the binary from the workspace root under `umask`, through `sh`.
fn codegen_with_umask(umask: &str, args: &[&str]) -> Output {
    codegen_in(&workspace_root(), umask, args)
}

/// Runs the binary from `dir` under `umask`, through `sh`.
fn codegen_in(dir: &Path, umask: &str, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_codegen"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("sh runs the codegen binary")
}

fn codegen(args: &[&str]) -> Output {
    codegen_with_umask("022", args)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Files that are not regular, and files over 16 MiB, are refused before a byte
/// is read: `/dev/zero` would otherwise be read without end, and a FIFO block.
#[cfg(unix)]
#[test]
fn unreadable_specs_are_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("spec.fifo");
    let status = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    let big = dir.path().join("big.toml");
    let file = fs::File::create(&big).unwrap();
    // Sparse: 16 MiB and one byte, without writing them.
    file.set_len(codegen::MAX_SPEC_BYTES + 1).unwrap();
    let out = dir.path().join("out");
    let cases: [(&Path, &str); 4] = [
        (Path::new("/dev/zero"), "not a regular file"),
        (&fifo, "not a regular file"),
        (dir.path(), "not a regular file"),
        (&big, "a spec has at most 16 MiB"),
    ];
    for (spec, reason) in cases {
        let output = codegen(&[
            "--spec",
            spec.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(EXIT_IO), "{spec:?}: {stderr}");
        assert!(
            stderr.contains(&format!("{}: ", spec.display())) && stderr.contains(reason),
            "{spec:?}: {stderr}"
        );
        assert!(!out.exists(), "{spec:?}: something was written");
    }
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// Every file below `dir`.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// New artifacts get 0666 less the umask (0644 under 022, 0600 under 077), as any
/// tool's output does; a regenerated artifact keeps the mode it has.
#[cfg(unix)]
#[test]
fn written_files_honour_the_umask_and_keep_their_mode() {
    use std::os::unix::fs::PermissionsExt;
    for (umask, expected) in [("022", 0o644), ("077", 0o600), ("002", 0o664)] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().to_str().unwrap();
        let output = codegen_with_umask(umask, &["--out", out]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        let written = files(dir.path());
        assert!(written.len() >= 5, "{written:?}");
        for path in &written {
            assert_eq!(mode(path), expected, "umask {umask}: {}", path.display());
        }

        // Regenerating a stale file keeps its mode, even a mode the umask would
        // not give.
        let header = dir.path().join("include/ebpf_nethooks.h");
        fs::write(&header, "stale").unwrap();
        fs::set_permissions(&header, fs::Permissions::from_mode(0o640)).unwrap();
        let output = codegen_with_umask(umask, &["--out", out]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        assert_ne!(fs::read_to_string(&header).unwrap(), "stale");
        assert_eq!(mode(&header), 0o640, "umask {umask}");
    }
}

/// A name declared by two specs of one run is a spec error (exit 2), located in the
/// spec that declares it second: the snapshot `bad_specs.rs` checks (run from this
/// package, which names the fixtures in their snapshots).
#[test]
fn a_name_declared_by_two_specs_exits_2_with_its_snapshot() {
    let run = "tests/bad_specs/run_same_name_in_two_specs";
    let package = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let output = codegen_in(
        package,
        "022",
        &[
            "--spec",
            &format!("{run}/a_first.toml"),
            "--spec",
            &format!("{run}/b_second.toml"),
            "--out",
            out.path().to_str().unwrap(),
        ],
    );
    let expected = fs::read_to_string(package.join(format!("{run}/expected.stderr"))).unwrap();
    assert_eq!(output.status.code(), Some(EXIT_SPEC));
    assert_eq!(text(&output.stderr), expected);
    assert!(files(out.path()).is_empty(), "a bad run wrote files");
}
