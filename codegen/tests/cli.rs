//! The `codegen` binary as scripts and CI see it: exit codes, what goes to stdout
//! and stderr, `--message-format json`, and output that is all-or-nothing.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const EXIT_STALE: i32 = 1;
const EXIT_SPEC: i32 = 2;
const EXIT_IO: i32 = 3;
const EXIT_USAGE: i32 = 64;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The codegen package, where cargo runs its tests: the bad-spec fixtures
/// (`tests/bad_specs/`) are named from here in their snapshots.
fn package_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary from `dir`, so spec paths in messages are relative to it.
fn codegen_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_codegen"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the codegen binary runs")
}

/// Runs the binary from the workspace root, as a user runs it.
fn codegen(args: &[&str]) -> Output {
    codegen_in(&workspace_root(), args)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file below `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
            } else {
                let bytes = fs::read(&path).unwrap();
                out.insert(path.strip_prefix(root).unwrap().to_owned(), bytes);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Bad specs fail with exit 2, nothing on stdout, and exactly the checked-in
/// diagnostic on stderr (the snapshots `bad_specs.rs` checks for the library).
#[test]
fn bad_specs_exit_2_with_their_snapshot_on_stderr() {
    let fixtures = [
        "toml_several_syntax_errors",
        "toml_unterminated_string_at_end",
        "not_utf8",
        "unknown_keys_and_semantic_errors",
        "several_mistakes",
        "doc_too_long",
        "helper_id_collision",
    ];
    for name in fixtures {
        let spec = format!("tests/bad_specs/{name}.toml");
        let out = tempfile::tempdir().unwrap();
        let output = codegen_in(
            &package_dir(),
            &["--spec", &spec, "--out", out.path().to_str().unwrap()],
        );
        let expected =
            fs::read_to_string(package_dir().join(format!("tests/bad_specs/{name}.stderr")))
                .unwrap();
        assert_eq!(output.status.code(), Some(EXIT_SPEC), "{name}");
        assert_eq!(text(&output.stderr), expected, "{name}");
        assert_eq!(text(&output.stdout), "", "{name}");
        assert!(
            snapshot(out.path()).is_empty(),
            "{name}: a bad spec wrote files"
        );
    }
}

/// `--message-format json`: one JSON object per diagnostic on stdout, with the
/// same file, line, column, message and help as the human rendering.
#[test]
fn json_messages_are_one_object_per_diagnostic() {
    for name in [
        "several_mistakes",
        "unknown_keys_and_semantic_errors",
        "not_utf8",
    ] {
        let spec = format!("tests/bad_specs/{name}.toml");
        let output = codegen_in(
            &package_dir(),
            &["--spec", &spec, "--message-format", "json", "--check"],
        );
        assert_eq!(output.status.code(), Some(EXIT_SPEC), "{name}");
        let bytes = fs::read(package_dir().join(&spec)).unwrap();
        let errors = codegen::load_bytes(&bytes, &spec).unwrap_err();
        let expected = errors.sorted();
        let lines: Vec<serde_json::Value> = text(&output.stdout)
            .lines()
            .map(|line| serde_json::from_str(line).expect("each line is one JSON object"))
            .collect();
        assert_eq!(lines.len(), expected.len(), "{name}");
        for (json, diagnostic) in lines.iter().zip(expected) {
            let (line, column) = errors.line_column(diagnostic.span.start);
            assert_eq!(json["file"], spec.as_str());
            assert_eq!(json["line"], line, "{name}");
            assert_eq!(json["column"], column, "{name}");
            assert_eq!(json["message"], diagnostic.message.as_str());
            match &diagnostic.help {
                Some(help) => assert_eq!(json["help"], help.as_str()),
                None => assert!(json["help"].is_null()),
            }
        }
    }
}

#[test]
fn exit_codes_for_io_usage_and_stale_output() {
    let missing = codegen(&["--spec", "tests/bad_specs/no_such_spec.toml"]);
    assert_eq!(missing.status.code(), Some(EXIT_IO));
    assert!(text(&missing.stderr).contains("no_such_spec.toml"));

    let usage = codegen(&["--no-such-flag"]);
    assert_eq!(usage.status.code(), Some(EXIT_USAGE));

    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    let stale = codegen(&["--out", dir, "--check"]);
    assert_eq!(stale.status.code(), Some(EXIT_STALE));
    assert_eq!(codegen(&["--out", dir]).status.code(), Some(0));
    assert_eq!(codegen(&["--out", dir, "--check"]).status.code(), Some(0));
}

/// A second run with nothing changed rewrites nothing (builds depending on the
/// files are not invalidated): every file keeps its inode and modification time.
#[test]
fn unchanged_artifacts_are_not_rewritten() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    assert_eq!(codegen(&["--out", dir]).status.code(), Some(0));
    let stamps = |root: &Path| -> Vec<(PathBuf, std::time::SystemTime, u64)> {
        use std::os::unix::fs::MetadataExt;
        snapshot(root)
            .into_keys()
            .map(|p| {
                let meta = fs::metadata(root.join(&p)).unwrap();
                (p, meta.modified().unwrap(), meta.ino())
            })
            .collect()
    };
    let before = stamps(out.path());
    let again = codegen(&["--out", dir]);
    assert_eq!(again.status.code(), Some(0));
    assert!(
        text(&again.stdout).contains("up to date"),
        "{}",
        text(&again.stdout)
    );
    assert_eq!(stamps(out.path()), before);
}

/// The last artifact cannot be written: generation fails with exit 3 and every
/// other file is byte-identical to before, though all of them were stale and
/// would have been rewritten. Tests run as root, which ignores read-only
/// permissions, so something is put in the way instead.
#[test]
fn a_failed_write_leaves_every_file_as_it_was() {
    let spec = workspace_root().join("spec/nethooks.toml");
    let artifacts = codegen::generate(&spec, "spec/nethooks.toml").unwrap();
    let last = artifacts.last().unwrap().path.clone();
    let parent = last
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .expect("artifacts are written below subdirectories of --out");
    // Each case blocks the last artifact in another way.
    type Block = fn(&Path, &Path);
    let cases: [(&str, Block); 2] = [
        ("a directory where the file goes", |root, last| {
            fs::remove_file(root.join(last)).unwrap();
            fs::create_dir(root.join(last)).unwrap();
            fs::write(root.join(last).join("keep"), "mine").unwrap();
        }),
        ("a file where its directory goes", |root, last| {
            let dir = root.join(last.parent().unwrap());
            fs::remove_dir_all(&dir).unwrap();
            fs::write(&dir, "a file, not a directory").unwrap();
        }),
    ];
    for (what, block) in cases {
        let out = tempfile::tempdir().unwrap();
        let dir = out.path().to_str().unwrap();
        assert_eq!(codegen(&["--out", dir]).status.code(), Some(0));
        // Make every file stale, so that every one would be rewritten.
        for artifact in &artifacts {
            let path = out.path().join(&artifact.path);
            fs::write(
                &path,
                format!("stale copy of {}\n", artifact.path.display()),
            )
            .unwrap();
        }
        block(out.path(), &last);
        let before = snapshot(out.path());

        let output = codegen(&["--out", dir]);
        assert_eq!(
            output.status.code(),
            Some(EXIT_IO),
            "{what}: {}",
            text(&output.stderr)
        );
        // The error names the path in the way (the file or its directory).
        let blocked = out.path().join(parent).display().to_string();
        assert!(
            text(&output.stderr).contains(&blocked),
            "{what}: the error names {blocked}: {}",
            text(&output.stderr)
        );
        // Byte-identical, and no temporary file left behind.
        assert_eq!(snapshot(out.path()), before, "{what}");
    }
}

/// `--artifact` renders and writes only the kinds it names, and `--check` with it
/// checks only those: the other files need not exist.
#[test]
fn artifact_selects_what_is_written_and_checked() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    let written = codegen(&["--out", dir, "--artifact", "rust-bindings"]);
    assert_eq!(written.status.code(), Some(0), "{}", text(&written.stderr));
    let files: Vec<PathBuf> = snapshot(out.path()).into_keys().collect();
    assert_eq!(
        files,
        [
            PathBuf::from("rust/src/general.rs"),
            PathBuf::from("rust/src/hooks.rs"),
            PathBuf::from("rust/src/lib.rs")
        ]
    );
    // The same bytes as a full run writes.
    let full = tempfile::tempdir().unwrap();
    codegen(&["--out", full.path().to_str().unwrap()]);
    let full = snapshot(full.path());
    for (path, bytes) in snapshot(out.path()) {
        assert_eq!(full[&path], bytes, "{}", path.display());
    }

    let check = codegen(&["--out", dir, "--check", "--artifact", "rust-bindings"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    let check = codegen(&["--out", dir, "--check", "--artifact", "c-header"]);
    assert_eq!(check.status.code(), Some(EXIT_STALE));

    let bad = codegen(&["--out", dir, "--artifact", "python"]);
    assert_eq!(bad.status.code(), Some(EXIT_USAGE));
    assert!(
        text(&bad.stderr).contains("c-header"),
        "{}",
        text(&bad.stderr)
    );
}
