//! `cargo nethooks build`: builds a Rust hook crate (one that uses `#[bind_hook]`,
//! `#[sock_addr_hook(..)]` or `#[sock_ops_hook]` from `ebpf-nethooks`) into a BPF ELF
//! object for eBPF for Windows, on stable Rust where the toolchain allows, and prints
//! one line per program: entry point, section, hook, attach type, size, helpers and
//! the instruction set it needs.

use std::path::PathBuf;
use std::process::ExitCode;

use cargo_nethooks::toolchain::Search;
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
    let Cargo::Nethooks(Nethooks::Build(args)) = Cargo::parse_from(cargo_style_args());
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

fn run(args: BuildArgs) -> Result<(), BuildError> {
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
    for line in lines {
        println!("{line}");
    }
    Ok(())
}
