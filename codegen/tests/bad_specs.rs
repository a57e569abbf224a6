//! Every spec mistake we can name has a fixture in `codegen/tests/bad_specs/NAME.toml`
//! (its first line says what is wrong) and the exact diagnostic a user sees, checked
//! in beside it as `NAME.stderr`. `BLESS=1 cargo test -p codegen --test bad_specs`
//! rewrites the snapshots; review the diff before committing it.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use codegen::emit::Artifact;

/// How many fixtures there must at least be: one per rule of issue 6 and more.
const MIN_FIXTURES: usize = 30;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_specs")
}

fn fixtures() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = fs::read_dir(fixture_dir())
        .expect("tests/bad_specs exists")
        .map(|entry| entry.expect("readable directory").path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    paths
}

/// The fixture's name in diagnostics: its path from the codegen package (where cargo
/// runs these tests), as the binary names it when run from there with
/// `--spec tests/bad_specs/NAME.toml`.
fn source_name(path: &Path) -> String {
    format!(
        "tests/bad_specs/{}",
        path.file_name().unwrap().to_string_lossy()
    )
}

/// What the loader reports for a fixture; a fixture that loads is a failure.
fn rendered(path: &Path) -> String {
    let bytes = fs::read(path).unwrap();
    match codegen::load_bytes(&bytes, &source_name(path)) {
        Ok(_) => panic!(
            "{} loads without error, but it is a bad spec",
            path.display()
        ),
        Err(errors) => errors.render(),
    }
}

#[test]
fn every_bad_spec_renders_its_snapshot() {
    let fixtures = fixtures();
    assert!(
        fixtures.len() >= MIN_FIXTURES,
        "only {} fixtures in tests/bad_specs",
        fixtures.len()
    );
    let artifacts: Vec<Artifact> = fixtures
        .iter()
        .map(|path| Artifact {
            path: PathBuf::from(path.file_name().unwrap()).with_extension("stderr"),
            contents: rendered(path),
        })
        .collect();
    if std::env::var_os("BLESS").is_some() {
        codegen::output::write_all(&fixture_dir(), &artifacts).unwrap();
        return;
    }
    let stale = codegen::output::check(&fixture_dir(), &artifacts);
    let report: Vec<String> = stale.iter().map(|s| s.diff.clone()).collect();
    assert!(
        stale.is_empty(),
        "{} snapshot(s) differ (BLESS=1 rewrites them):\n{}",
        stale.len(),
        report.join("\n")
    );
}

#[test]
fn every_snapshot_has_its_fixture() {
    for entry in fs::read_dir(fixture_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "stderr") {
            assert!(
                path.with_extension("toml").is_file(),
                "{} has no fixture",
                path.display()
            );
        }
    }
}

/// Each fixture's diagnostics point into the fixture itself, at a line and
/// column, and end with the count: the parts a person needs to act.
#[test]
fn every_diagnostic_names_file_line_and_column() {
    for path in fixtures() {
        let bytes = fs::read(&path).unwrap();
        let errors = codegen::load_bytes(&bytes, &source_name(&path)).unwrap_err();
        assert!(!errors.diagnostics.is_empty(), "{}", path.display());
        let text = errors.render();
        for d in &errors.diagnostics {
            let (line, column) = errors.line_column(d.span.start);
            let location = format!("{}:{line}:{column}", source_name(&path));
            assert!(
                text.contains(&location),
                "{}: no `{location}` in\n{text}",
                path.display()
            );
            assert!(!d.message.is_empty() && !d.label.is_empty());
        }
        assert!(
            text.ends_with(&format!("{}\n", errors.summary())),
            "{}",
            path.display()
        );
    }
}

/// The fixture's first line says what is wrong, so a reader of a snapshot knows
/// which rule it shows.
#[test]
fn every_fixture_starts_with_a_description() {
    for path in fixtures() {
        let bytes = fs::read(&path).unwrap();
        assert!(
            bytes.starts_with(b"# ") && bytes.contains(&b'\n'),
            "{} must start with a `# what is wrong` line",
            path.display()
        );
    }
}

/// Applies every "did you mean `X`?" of a fixture: the unknown name (the first
/// backticked word of the message) is replaced by `X` inside the span.
fn apply_suggestions(text: &str, errors: &codegen::diagnostic::SpecErrors) -> Option<String> {
    let mut edits = Vec::new();
    for d in &errors.diagnostics {
        let suggestion = d.help.as_deref()?.strip_prefix("did you mean `")?;
        let suggestion = suggestion.strip_suffix("`?")?;
        let wrong = d.message.split('`').nth(1)?;
        let spanned = text.get(d.span.clone())?;
        let at = d.span.start + spanned.find(wrong)?;
        edits.push((at..at + wrong.len(), suggestion.to_owned()));
    }
    edits.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
    let mut fixed = text.to_owned();
    for (span, replacement) in edits {
        fixed.replace_range(span, &replacement);
    }
    Some(fixed)
}

/// A "did you mean" is only worth printing if it is right: in every fixture whose
/// errors all come with one, doing what they say makes the spec load.
#[test]
fn following_every_did_you_mean_fixes_the_spec() {
    let mut followed = Vec::new();
    for path in fixtures() {
        let Ok(text) = fs::read_to_string(&path) else {
            continue; // not UTF-8: no suggestion to follow
        };
        let errors = codegen::load_str(&text, &source_name(&path)).unwrap_err();
        let Some(fixed) = apply_suggestions(&text, &errors) else {
            continue;
        };
        if let Err(e) = codegen::load_str(&fixed, &source_name(&path)) {
            panic!("{}: the suggestions do not fix it:\n{e}", path.display());
        }
        followed.push(path);
    }
    assert!(
        followed.len() >= 6,
        "only {} fixtures were fixed by their suggestions: {followed:?}",
        followed.len()
    );
}

/// The other side of `identifier_rust_keyword_member`: with the `rust_name` the
/// help suggests, the spec loads, C keeps the C name and Rust uses the stated one,
/// and the Rust bindings compile.
#[test]
fn a_rust_keyword_member_with_a_stated_rust_name_is_accepted() {
    use std::process::Command;
    let path = fixture_dir().join("identifier_rust_keyword_member.toml");
    let text = fs::read_to_string(&path).unwrap();
    let fixed = text.replacen(
        "name = \"type\"\n",
        "name = \"type\"\nrust_name = \"type_\"\n",
        1,
    );
    let model = codegen::load_str(&fixed, "fixed.toml").unwrap_or_else(|e| panic!("{e}"));
    let artifacts = codegen::emit::all(&model).unwrap();
    let contents = |path: &str| {
        &artifacts
            .iter()
            .find(|a| a.path == Path::new(path))
            .unwrap()
            .contents
    };
    assert!(contents("include/mini.h").contains("uint16_t type;"));
    assert!(contents("rust/src/lib.rs").contains("pub type_: u16,"));

    let dir = tempfile::tempdir().unwrap();
    codegen::output::write_all(dir.path(), &artifacts).unwrap();
    let rustc = support::require_tool("rustc");
    let abi = support::abi_crate(&rustc, dir.path(), &[], "abi").unwrap_or_else(|e| panic!("{e}"));
    support::run(
        Command::new(rustc)
            .args([
                "--edition",
                "2024",
                "--crate-type",
                "lib",
                "--emit=metadata",
                "-o",
            ])
            .arg(dir.path().join("out.rmeta"))
            .args(abi)
            .arg(dir.path().join("rust/src/lib.rs")),
    );
}

/// Mistakes that only a run of several specs shows (a name declared by two specs):
/// each directory `tests/bad_specs/NAME/` holds the specs of one run, loaded in
/// file-name order as `codegen --spec ... --spec ...` loads them, and the run's
/// exact diagnostics in `expected.stderr`.
#[test]
fn every_bad_run_renders_its_snapshot() {
    let mut runs: Vec<PathBuf> = fs::read_dir(fixture_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    runs.sort();
    assert!(
        runs.len() >= 2,
        "only {} runs in tests/bad_specs",
        runs.len()
    );
    let mut artifacts = Vec::new();
    for run in &runs {
        let dir_name = run.file_name().unwrap().to_string_lossy().into_owned();
        let mut specs: Vec<codegen::SpecFile> = fs::read_dir(run)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "toml"))
            .map(|path| codegen::SpecFile {
                source_name: format!(
                    "tests/bad_specs/{dir_name}/{}",
                    path.file_name().unwrap().to_string_lossy()
                ),
                path,
            })
            .collect();
        specs.sort_by(|a, b| a.path.cmp(&b.path));
        assert!(
            specs.len() >= 2,
            "{}: a run has several specs",
            run.display()
        );
        for spec in &specs {
            // Each spec is valid alone: the mistake is the run's.
            let bytes = fs::read(&spec.path).unwrap();
            assert!(bytes.starts_with(b"# "), "{}", spec.path.display());
            if let Err(e) = codegen::load_bytes(&bytes, &spec.source_name) {
                panic!("{} is wrong on its own:\n{e}", spec.path.display());
            }
        }
        let errors = match codegen::load_all(&specs) {
            Ok(_) => panic!("{} loads without error, but it is a bad run", run.display()),
            Err(errors) => errors,
        };
        let mut rendered = String::new();
        for error in &errors {
            let codegen::Error::Spec(spec_errors) = error else {
                panic!("{}: not a spec error: {error}", run.display());
            };
            for d in &spec_errors.diagnostics {
                let (line, column) = spec_errors.line_column(d.span.start);
                let location = format!("{}:{line}:{column}", spec_errors.path);
                assert!(spec_errors.render().contains(&location), "{location}");
            }
            rendered.push_str(&spec_errors.render());
        }
        artifacts.push(Artifact {
            path: PathBuf::from(&dir_name).join("expected.stderr"),
            contents: rendered,
        });
    }
    if std::env::var_os("BLESS").is_some() {
        codegen::output::write_all(&fixture_dir(), &artifacts).unwrap();
        return;
    }
    let stale = codegen::output::check(&fixture_dir(), &artifacts);
    let report: Vec<String> = stale.iter().map(|s| s.diff.clone()).collect();
    assert!(
        stale.is_empty(),
        "{} snapshot(s) differ (BLESS=1 rewrites them):\n{}",
        stale.len(),
        report.join("\n")
    );
}
