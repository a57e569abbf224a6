//! `cargo nethooks build`: builds a Rust hook crate (one that uses `#[bind_hook]`,
//! `#[sock_addr_hook(..)]` or `#[sock_ops_hook]` from `ebpf-nethooks`) into a BPF ELF
//! object for eBPF for Windows, on stable Rust where the toolchain allows, and prints
//! one line per program: entry point, section, hook, attach type, size, helpers and
//! the instruction set it needs.

use std::path::PathBuf;
use std::process::ExitCode;

use cargo_nethooks::toolchain::Search;
use cargo_nethooks::verify::{self, Outcome, VerifyError};
use cargo_nethooks::{BuildError, Cpu, Request, Route, build, inspect};
use clap::{Parser, Subcommand};

/// Cargo runs `cargo-nethooks nethooks build ...` for `cargo nethooks build ...`.
#[derive(Parser)]
#[command(name = "cargo", bin_name = "cargo")]
enum Cargo {
    #[command(subcommand)]
    Nethooks(Nethooks),
}

/// Build Rust hook crates for eBPF for Windows.
#[derive(Subcommand)]
#[command(version)]
enum Nethooks {
    /// Build a hook crate into a BPF ELF object.
    #[command(after_help = AFTER_HELP)]
    Build(BuildArgs),
    /// Verify BPF objects as eBPF for Windows would before loading them (PREVAIL).
    #[command(after_help = VERIFY_AFTER_HELP)]
    Verify(VerifyArgs),
}

const VERIFY_AFTER_HELP: &str = "\
Exit status: 0 every program verified; 1 a program was refused or an object could not be read; \
2 bad command line; 3 the verifier is not installed (`bash .ci/install-deps` installs it).";

#[derive(clap::Args)]
struct VerifyArgs {
    /// The BPF ELF objects to verify; every program of each.
    #[arg(required = true, value_name = "OBJECT")]
    objects: Vec<PathBuf>,
    /// Print the verdicts as JSON.
    #[arg(long)]
    json: bool,
}

const AFTER_HELP: &str = "\
Exit status: 0 built; 1 the crate did not build (the compiler's messages are shown), has no \
hook entry point, or can panic; 2 bad command line; 3 no toolchain that builds for BPF.
Toolchains, in order: $RUSTC if set (only it), each `rustc` on PATH with a prebuilt `core` for \
bpfel-unknown-none (Debian: rustc-web and libstd-rust-web-dev-bpf), then rustup's nightly with \
rust-src (-Z build-std=core).";

#[derive(clap::Args)]
struct BuildArgs {
    /// The hook crate's Cargo.toml.
    #[arg(long, value_name = "PATH", default_value = "Cargo.toml")]
    manifest_path: PathBuf,
    /// Where to write the object (default: <target-dir>/nethooks/<crate>.bpf.o).
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
    /// The BPF instruction set to generate code for. v4 is the first on which LLVM
    /// lowers Rust's atomic loads and stores.
    #[arg(long, value_enum, default_value_t = Cpu::V4)]
    cpu: Cpu,
    /// How to make the object; `auto` uses llc when the crate's code is complete and
    /// bpf-linker when it calls into other crates.
    #[arg(long, value_enum, default_value_t = Route::Auto)]
    route: Route,
    /// Show cargo's progress.
    #[arg(long, short)]
    verbose: bool,
    /// Do not verify the programs with PREVAIL after building.
    #[arg(long)]
    no_verify: bool,
}

/// The command line as `cargo nethooks ...` gives it: run directly
/// (`cargo-nethooks build`, `cargo run -p cargo-nethooks -- build`), the word
/// `nethooks` that cargo inserts is missing, so it is added.
fn cargo_style_args() -> Vec<std::ffi::OsString> {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|first| first != "nethooks") {
        args.insert(1, "nethooks".into());
    }
    args
}

fn main() -> ExitCode {
    match Cargo::parse_from(cargo_style_args()) {
        Cargo::Nethooks(Nethooks::Build(args)) => {
            let no_verify = args.no_verify;
            match run(args) {
                Ok(_) if no_verify => ExitCode::SUCCESS,
                Ok((object, lines)) => verify_built(&object, lines),
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(e.exit_code())
                }
            }
        }
        Cargo::Nethooks(Nethooks::Verify(args)) => verify_objects(&args),
    }
}

fn verify_objects(args: &VerifyArgs) -> ExitCode {
    let report = match verify::find_driver().and_then(|d| verify::verify(&d, &args.objects)) {
        Ok(report) => report,
        Err(e) => return verify_failed(&e),
    };
    if args.json {
        match serde_json::to_string_pretty(&report) {
            Ok(json) => println!("{json}"),
            Err(e) => return verify_failed(&VerifyError::Driver(e.to_string())),
        }
    } else {
        print!("{}", report.human());
    }
    if report.all_verified() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn verify_failed(e: &VerifyError) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(e.exit_code())
}

/// Verifies a freshly built object; each program's summary line ends with its verdict.
fn verify_built(object: &std::path::Path, lines: Vec<String>) -> ExitCode {
    let report = match verify::find_driver().and_then(|d| verify::verify(&d, &[object.to_owned()]))
    {
        Ok(report) => report,
        Err(e) => {
            for line in &lines {
                println!("{line}");
            }
            eprintln!("error: {e}\n(or build with --no-verify)");
            return ExitCode::from(e.exit_code());
        }
    };
    for line in &lines {
        let verdict = report
            .programs
            .iter()
            .find(|v| line.starts_with(&format!("program {}:", v.program)));
        match verdict.map(|v| &v.outcome) {
            Some(Outcome::Verified { .. }) => println!("{line}, verified"),
            Some(Outcome::Refused(_)) => println!("{line}, REFUSED by the verifier"),
            None => println!("{line}"),
        }
    }
    if report.all_verified() {
        ExitCode::SUCCESS
    } else {
        eprint!("{}", report.human());
        eprintln!("error: eBPF for Windows' verifier would refuse this object");
        ExitCode::from(1)
    }
}

fn run(args: BuildArgs) -> Result<(PathBuf, Vec<String>), BuildError> {
    let toolchain = Search::from_env().find()?;
    let request = Request {
        manifest_path: args.manifest_path,
        out: args.out,
        cpu: args.cpu,
        route: args.route,
        verbose: args.verbose,
    };
    let built = build::build(&toolchain, &request)?;
    let lines = inspect::summary(&built.object, &built.package)?;
    println!("{}", built.object.display());
    eprintln!(
        "built `{}` with {} for BPF {}, linked by {}",
        built.package,
        toolchain.rustc_version,
        request.cpu.name(),
        built.route
    );
    if args.no_verify {
        for line in &lines {
            println!("{line}");
        }
    }
    Ok((built.object, lines))
}
