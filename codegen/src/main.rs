//! `codegen`: regenerate `generated/` from `spec/`, or check that it is current.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, ValueEnum};

/// Generates the C header and Rust bindings of the eBPF-for-Windows network hooks
/// ABI from a TOML spec.
///
/// Exit codes: 0 ok, 1 stale artifacts (`--check`), 2 spec error, 3 I/O error,
/// 4 internal error (a bug in the generator), 64 bad command line.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// Spec file to read; repeat for several [default: every spec/*.toml of this
    /// workspace]
    #[arg(long, value_name = "PATH")]
    spec: Vec<PathBuf>,
    /// Directory to write artifacts into [default: generated/ of this workspace]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Do not write: exit 1 and print a diff if any artifact on disk is stale
    #[arg(long)]
    check: bool,
    /// Generate (or, with --check, check) only artifacts of this kind; repeat for
    /// several [default: all]
    #[arg(long = "artifact", value_enum, value_name = "KIND")]
    artifacts: Vec<codegen::emit::Kind>,
    /// How to report errors: `human` (with source excerpts, on stderr) or `json`
    /// (one JSON object per line on stdout, for editors and CI annotations)
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MessageFormat {
    Human,
    Json,
}

/// Exit codes, for scripts and CI.
const EXIT_STALE: u8 = 1;
const EXIT_SPEC: u8 = 2;
const EXIT_IO: u8 = 3;
const EXIT_INTERNAL: u8 = 4;
/// BSD's EX_USAGE: clap's own code (2) would read as a spec error.
const EXIT_USAGE: u8 = 64;

/// The workspace root: the current directory when it holds the default spec (so a
/// checkout anywhere works), else the one this binary was built in.
fn workspace_root() -> PathBuf {
    if Path::new("spec/nethooks.toml").is_file() {
        PathBuf::from(".")
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }
}

/// Every `spec/*.toml` of the workspace, by file name.
fn workspace_specs(root: &Path) -> Result<Vec<codegen::SpecFile>, codegen::Error> {
    let dir = root.join("spec");
    let io = |source| codegen::Error::Io {
        path: dir.clone(),
        source,
    };
    let mut names: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(&dir).map_err(io)? {
        let name = entry
            .map_err(io)?
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".toml") {
            names.push(name);
        }
    }
    names.sort();
    Ok(names
        .into_iter()
        .map(|name| codegen::SpecFile {
            path: dir.join(&name),
            source_name: format!("spec/{name}"),
        })
        .collect())
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() { EXIT_USAGE } else { 0 };
            // Printing help or a usage error to a closed pipe is not worth a panic.
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    let root = workspace_root();
    let specs = if cli.spec.is_empty() {
        match workspace_specs(&root) {
            Ok(specs) => specs,
            Err(error) => return fail(&error, cli.message_format),
        }
    } else {
        (cli.spec.iter())
            .map(|path| codegen::SpecFile {
                path: path.clone(),
                source_name: path.display().to_string().replace('\\', "/"),
            })
            .collect()
    };
    let out = cli.out.clone().unwrap_or_else(|| root.join("generated"));
    let format = cli.message_format;

    let kinds = if cli.artifacts.is_empty() {
        codegen::emit::Kind::ALL.to_vec()
    } else {
        cli.artifacts.clone()
    };
    let artifacts = match codegen::generate_all(&specs, &kinds) {
        Ok(artifacts) => artifacts,
        Err(errors) => {
            let codes: Vec<ExitCode> = errors.iter().map(|e| fail(e, format)).collect();
            return codes
                .into_iter()
                .next()
                .unwrap_or(ExitCode::from(EXIT_INTERNAL));
        }
    };
    if cli.check {
        let stale = codegen::output::check(&out, &artifacts);
        for s in &stale {
            eprintln!("{} is stale:\n{}", out.join(&s.path).display(), s.diff);
        }
        if stale.is_empty() {
            return ExitCode::SUCCESS;
        }
        eprintln!(
            "{} artifact(s) out of date: run `cargo run -p codegen` and commit the result",
            stale.len()
        );
        return ExitCode::from(EXIT_STALE);
    }
    match codegen::output::write_all(&out, &artifacts) {
        Ok(report) => {
            let mut lines: Vec<String> = report
                .written
                .iter()
                .map(|path| format!("wrote {}", out.join(path).display()))
                .collect();
            if report.written.is_empty() {
                lines.push(format!(
                    "all {} artifacts up to date",
                    report.unchanged.len()
                ));
            }
            for line in lines {
                // In JSON mode stdout carries diagnostics only.
                match format {
                    MessageFormat::Human => println!("{line}"),
                    MessageFormat::Json => eprintln!("{line}"),
                }
            }
            ExitCode::SUCCESS
        }
        Err(error) => fail(&error, format),
    }
}

fn fail(error: &codegen::Error, format: MessageFormat) -> ExitCode {
    match (error, format) {
        (codegen::Error::Spec(errors), MessageFormat::Json) => print!("{}", errors.render_json()),
        (codegen::Error::Spec(errors), MessageFormat::Human) => eprint!("{}", errors.render()),
        (other, MessageFormat::Json) => {
            let file = match other {
                codegen::Error::Io { path, .. } => path.display().to_string(),
                _ => String::new(),
            };
            let json = serde_json::json!({
                "file": file,
                "severity": "error",
                "line": null,
                "column": null,
                "message": other.to_string().trim_start_matches("error: "),
                "help": null,
            });
            println!("{json}");
        }
        (other, MessageFormat::Human) => eprintln!("{other}"),
    }
    ExitCode::from(match error {
        codegen::Error::Spec(_) => EXIT_SPEC,
        codegen::Error::Io { .. } => EXIT_IO,
        codegen::Error::Emit(_) => EXIT_INTERNAL,
        codegen::Error::Conflict { .. } => EXIT_SPEC,
    })
}
