//! `codegen`: regenerate `generated/` from `spec/`, or check that it is current.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

/// Generates the C header and Rust bindings of the eBPF-for-Windows network hooks
/// ABI from a TOML spec.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// Spec file to read [default: spec/nethooks.toml of this workspace]
    #[arg(long, value_name = "PATH")]
    spec: Option<PathBuf>,
    /// Directory to write artifacts into [default: generated/ of this workspace]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Do not write: exit 1 and print a diff if any artifact on disk is stale
    #[arg(long)]
    check: bool,
}

/// Exit codes, for scripts and CI.
const EXIT_STALE: u8 = 1;
const EXIT_SPEC: u8 = 2;
const EXIT_IO: u8 = 3;

/// The workspace root: the current directory when it holds the default spec (so a
/// checkout anywhere works), else the one this binary was built in.
fn workspace_root() -> PathBuf {
    if Path::new("spec/nethooks.toml").is_file() {
        PathBuf::from(".")
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = workspace_root();
    let (spec, source_name) = match &cli.spec {
        Some(path) => (path.clone(), path.display().to_string().replace('\\', "/")),
        None => (
            root.join("spec/nethooks.toml"),
            "spec/nethooks.toml".to_owned(),
        ),
    };
    let out = cli.out.clone().unwrap_or_else(|| root.join("generated"));

    let artifacts = match codegen::generate(&spec, &source_name) {
        Ok(artifacts) => artifacts,
        Err(error) => return fail(&error),
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
            for path in &report.written {
                println!("wrote {}", out.join(path).display());
            }
            if report.written.is_empty() {
                println!("all {} artifacts up to date", report.unchanged.len());
            }
            ExitCode::SUCCESS
        }
        Err(error) => fail(&error),
    }
}

fn fail(error: &codegen::Error) -> ExitCode {
    eprint!("{error}");
    if !matches!(error, codegen::Error::Spec(_)) {
        eprintln!();
    }
    ExitCode::from(match error {
        codegen::Error::Spec(_) => EXIT_SPEC,
        codegen::Error::Io { .. } | codegen::Error::Template(_) => EXIT_IO,
    })
}
