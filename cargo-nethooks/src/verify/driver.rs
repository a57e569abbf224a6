//! Running the verifier: finding the driver `nethooks-verifier`, sending it the
//! platform tables, and reading its one line per program into a [`Report`].

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::report::{ObjectError, Outcome, Refusal, Report, Verdict};

/// The generated platform tables, one per spec; the driver reads them on stdin.
pub const TABLES: [&str; 2] = [
    include_str!("../../../generated/verifier/bpf_helper_defs.txt"),
    include_str!("../../../generated/verifier/ebpf_nethooks.txt"),
];

/// The driver's name, on PATH or in cargo's bin directory.
pub const DRIVER: &str = "nethooks-verifier";

/// How to install the driver, for the "not installed" error.
pub const INSTALL_VERIFIER: &str = "install it with `bash .ci/install-deps` in the ebpf-nethooks \
     checkout (it builds PREVAIL and nethooks-verifier once, into $CARGO_HOME/bin), or point \
     NETHOOKS_VERIFIER at a built nethooks-verifier";

#[derive(Debug)]
pub enum VerifyError {
    /// The driver is not installed: where it was looked for.
    NotInstalled { looked: Vec<PathBuf> },
    /// The driver could not run, or answered something unreadable.
    Driver(String),
}

impl VerifyError {
    pub fn exit_code(&self) -> u8 {
        match self {
            VerifyError::NotInstalled { .. } => 3,
            VerifyError::Driver(_) => 1,
        }
    }
}

impl std::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VerifyError::NotInstalled { looked } => {
                let looked: Vec<String> = looked.iter().map(|p| p.display().to_string()).collect();
                write!(
                    f,
                    "the verifier `{DRIVER}` is not installed (looked for {}): {INSTALL_VERIFIER}",
                    looked.join(", ")
                )
            }
            VerifyError::Driver(why) => write!(f, "{DRIVER}: {why}"),
        }
    }
}

impl std::error::Error for VerifyError {}

/// Finds the driver: `$NETHOOKS_VERIFIER`, else `nethooks-verifier` on PATH, else in
/// `$CARGO_HOME/bin` (or `~/.cargo/bin`).
pub fn find_driver() -> Result<PathBuf, VerifyError> {
    let mut looked = Vec::new();
    if let Some(path) = std::env::var_os("NETHOOKS_VERIFIER") {
        let path = PathBuf::from(path);
        if path.is_file() {
            return Ok(path);
        }
        return Err(VerifyError::NotInstalled { looked: vec![path] });
    }
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        dirs.push(PathBuf::from(home).join("bin"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    for dir in dirs {
        let candidate = dir.join(DRIVER);
        if candidate.is_file() {
            return Ok(candidate);
        }
        looked.push(candidate);
    }
    looked.dedup();
    Err(VerifyError::NotInstalled { looked })
}

/// Runs `driver` on every program of every object, sending it the tables, and
/// reads its verdicts as it words them (no Rust names or explanations yet).
pub fn run(driver: &Path, objects: &[PathBuf]) -> Result<Report, VerifyError> {
    let mut child = Command::new(driver)
        .arg("--tables")
        .arg("-")
        .args(objects)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| VerifyError::Driver(format!("cannot run {}: {e}", driver.display())))?;
    if let Some(mut stdin) = child.stdin.take() {
        for table in TABLES {
            stdin
                .write_all(table.as_bytes())
                .map_err(|e| VerifyError::Driver(format!("cannot send the tables: {e}")))?;
        }
    }
    let output = child
        .wait_with_output()
        .map_err(|e| VerifyError::Driver(e.to_string()))?;
    // 0: all verified, 1: some refused; anything else is the driver's own failure.
    if !matches!(output.status.code(), Some(0 | 1)) {
        return Err(VerifyError::Driver(format!(
            "exited with {}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    let mut report = Report::default();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        parse_record(line, &mut report)?;
    }
    Ok(report)
}

fn parse_record(line: &str, report: &mut Report) -> Result<(), VerifyError> {
    let fields: Vec<&str> = line.split('\t').collect();
    let bad = || VerifyError::Driver(format!("unexpected output line: {line:?}"));
    let number = |s: &str| s.parse::<u64>().map_err(|_| bad());
    match fields.as_slice() {
        ["error", object, message] => report.errors.push(ObjectError {
            object: PathBuf::from(object),
            message: (*message).to_owned(),
        }),
        [
            "pass",
            object,
            section,
            program,
            instructions,
            micros,
            loop_bound,
        ] => report.programs.push(Verdict {
            object: PathBuf::from(object),
            section: (*section).to_owned(),
            program: (*program).to_owned(),
            instructions: number(instructions)?,
            micros: number(micros)?,
            outcome: Outcome::Verified {
                loop_bound: number(loop_bound)?,
            },
        }),
        [
            "fail",
            object,
            section,
            program,
            instructions,
            micros,
            pc,
            message,
            file,
            line,
            text,
        ] => {
            let source = (!file.is_empty() && *line != "0").then(|| {
                let mut shown = format!("{file}:{line}");
                if !text.trim().is_empty() {
                    shown.push_str(&format!(": {}", text.trim()));
                }
                shown
            });
            report.programs.push(Verdict {
                object: PathBuf::from(object),
                section: (*section).to_owned(),
                program: (*program).to_owned(),
                instructions: number(instructions)?,
                micros: number(micros)?,
                outcome: Outcome::Refused(Refusal {
                    instruction: pc.parse::<u64>().ok(),
                    message: (*message).to_owned(),
                    source,
                    rust_function: None,
                    explanation: None,
                }),
            })
        }
        _ => return Err(bad()),
    }
    Ok(())
}
