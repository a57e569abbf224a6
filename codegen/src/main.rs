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
    /// The eBPF for Windows release to generate (see --list-versions) [default:
    /// the newest the specs cover]
    #[arg(long, value_name = "VERSION")]
    efw_version: Option<String>,
    /// Print the releases the specs cover, oldest first, and exit
    #[arg(long, conflicts_with_all = ["check", "efw_version", "diff_versions"])]
    list_versions: bool,
    /// Print what changed in the ABI from release OLD to release NEW, each change
    /// classed as compatible or breaking; exit 1 if any change breaks
    #[arg(long, num_args = 2, value_names = ["OLD", "NEW"], conflicts_with_all = ["check", "efw_version"])]
    diff_versions: Option<Vec<String>>,
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
    if cli.list_versions {
        return list_versions(&specs, format);
    }
    if let Some(versions) = &cli.diff_versions {
        return diff_versions(&specs, &versions[0], &versions[1], format);
    }
    let artifacts = match codegen::generate_all_release(&specs, &kinds, cli.efw_version.as_deref())
    {
        Ok(artifacts) => artifacts,
        Err(errors) => return fail_all(&errors, format),
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
        codegen::Error::ReleasesDiffer { .. } => EXIT_SPEC,
        codegen::Error::UnknownRelease { .. } => EXIT_USAGE,
    })
}

/// The first error's exit code, after printing every error.
fn fail_all(errors: &[codegen::Error], format: MessageFormat) -> ExitCode {
    let codes: Vec<ExitCode> = errors.iter().map(|e| fail(e, format)).collect();
    codes
        .into_iter()
        .next()
        .unwrap_or(ExitCode::from(EXIT_INTERNAL))
}

/// `--list-versions`: one line per release, oldest first, the default marked.
fn list_versions(specs: &[codegen::SpecFile], format: MessageFormat) -> ExitCode {
    let models = match codegen::load_all(specs) {
        Ok(models) => models,
        Err(errors) => return fail_all(&errors, format),
    };
    let Some(model) = models.first().filter(|m| !m.releases.all.is_empty()) else {
        println!("the specs list no releases: they describe one header");
        return ExitCode::SUCCESS;
    };
    let newest = model.releases.all.len() - 1;
    for (i, release) in model.releases.all.iter().enumerate() {
        let default = if i == newest { "  (default)" } else { "" };
        println!(
            "{:<10} {:<16} {}{default}",
            release.name, release.tag, release.date
        );
    }
    ExitCode::SUCCESS
}

/// `--diff-versions OLD NEW`: the ABI changes between two releases.
fn diff_versions(
    specs: &[codegen::SpecFile],
    old: &str,
    new: &str,
    format: MessageFormat,
) -> ExitCode {
    let load = |release| codegen::load_all_release(specs, Some(release));
    let (old_models, new_models) = match (load(old), load(new)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(errors), _) | (_, Err(errors)) => return fail_all(&errors, format),
    };
    let changes = codegen::diff::diff(&old_models, &new_models);
    print!("{}", codegen::diff::render(&changes, old, new));
    if changes.iter().any(|c| c.breaking) {
        ExitCode::from(EXIT_STALE)
    } else {
        ExitCode::SUCCESS
    }
}
