//! Building a hook crate into a BPF object by one of two routes:
//!
//! - **llc**: cargo builds the crate's own bitcode (`--emit=obj`, which is bitcode on
//!   this target), and `llc` turns it into an object. Fast (a fraction of a second
//!   after a change), and complete whenever everything the programs call was inlined
//!   into the crate, which is true of the bindings, the facade and generic code.
//! - **bpf-linker**: cargo links the crate as a `cdylib` through bpf-linker, which
//!   links in the bitcode of its dependencies and of `core` (several seconds, most of
//!   it reading `core`). Needed when the llc object calls a function it does not hold.
//!
//! `auto` tries llc first and falls back to bpf-linker only for such a call.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Deserialize;

use crate::error::BuildError;
use crate::inspect;
use crate::target::TARGET;
use crate::toolchain::Toolchain;

/// How the object is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Route {
    /// llc when the crate's own code is complete, bpf-linker otherwise.
    Auto,
    /// Only the crate's bitcode, through llc.
    Llc,
    /// The crate with its dependencies and `core`, through bpf-linker.
    BpfLinker,
}

/// The BPF instruction set the code is generated for (LLVM's `-mcpu`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Cpu {
    V1,
    V2,
    V3,
    V4,
}

impl Cpu {
    pub fn name(self) -> &'static str {
        match self {
            Cpu::V1 => "v1",
            Cpu::V2 => "v2",
            Cpu::V3 => "v3",
            Cpu::V4 => "v4",
        }
    }
}

pub struct Request {
    pub manifest_path: PathBuf,
    pub out: Option<PathBuf>,
    pub cpu: Cpu,
    pub route: Route,
    /// Whether cargo's progress lines are shown.
    pub verbose: bool,
}

impl Request {
    /// The defaults of `cargo nethooks build`: cpu v4, route auto, object under the
    /// crate's target directory.
    pub fn new(manifest_path: impl Into<PathBuf>) -> Request {
        Request {
            manifest_path: manifest_path.into(),
            out: None,
            cpu: Cpu::V4,
            route: Route::Auto,
            verbose: false,
        }
    }
}

/// What a build produced.
pub struct Built {
    pub object: PathBuf,
    pub package: String,
    /// The route that made the object, and why when it was a fallback.
    pub route: String,
}

/// The package to build, from `cargo metadata`.
struct Package {
    name: String,
    /// `--lib`, or `--bin NAME` for a crate without a library.
    target_args: Vec<String>,
    /// The crate's name as rustc sees it (dashes become underscores).
    crate_name: String,
    is_lib: bool,
    target_directory: PathBuf,
}

#[derive(Deserialize)]
struct Metadata {
    packages: Vec<MetaPackage>,
    target_directory: PathBuf,
}

#[derive(Deserialize)]
struct MetaPackage {
    name: String,
    manifest_path: PathBuf,
    targets: Vec<MetaTarget>,
}

#[derive(Deserialize)]
struct MetaTarget {
    name: String,
    kind: Vec<String>,
}

fn package(toolchain: &Toolchain, manifest: &Path) -> Result<Package, BuildError> {
    let out = Command::new(&toolchain.cargo)
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--manifest-path",
        ])
        .arg(manifest)
        .env("RUSTC", &toolchain.rustc)
        .output()
        .map_err(|e| BuildError::Tool {
            tool: "cargo metadata".to_owned(),
            output: e.to_string(),
        })?;
    if !out.status.success() {
        return Err(BuildError::Tool {
            tool: "cargo metadata".to_owned(),
            output: String::from_utf8_lossy(&out.stderr).into_owned(),
        });
    }
    let metadata: Metadata = serde_json::from_slice(&out.stdout).map_err(|e| BuildError::Tool {
        tool: "cargo metadata".to_owned(),
        output: e.to_string(),
    })?;
    let manifest = manifest
        .canonicalize()
        .unwrap_or_else(|_| manifest.to_owned());
    let Some(found) = metadata
        .packages
        .into_iter()
        .find(|p| p.manifest_path == manifest)
    else {
        return Err(BuildError::Manifest(format!(
            "{} is not the manifest of a package (a workspace root without [package]?); \
             give --manifest-path the hook crate's own Cargo.toml",
            manifest.display()
        )));
    };
    let lib = found
        .targets
        .iter()
        .find(|t| t.kind.iter().any(|k| k == "lib" || k == "rlib"));
    let bin = found
        .targets
        .iter()
        .find(|t| t.kind.iter().any(|k| k == "bin"));
    let (target_args, crate_name, is_lib) = match (lib, bin) {
        (Some(lib), _) => (vec!["--lib".to_owned()], lib.name.replace('-', "_"), true),
        (None, Some(bin)) => (
            vec!["--bin".to_owned(), bin.name.clone()],
            bin.name.replace('-', "_"),
            false,
        ),
        (None, None) => {
            return Err(BuildError::Manifest(format!(
                "package `{}` has neither a library nor a binary target",
                found.name
            )));
        }
    };
    Ok(Package {
        name: found.name,
        target_args,
        crate_name,
        is_lib,
        target_directory: metadata.target_directory,
    })
}

/// Builds the crate of `request` and returns the object's path.
pub fn build(toolchain: &Toolchain, request: &Request) -> Result<Built, BuildError> {
    let package = package(toolchain, &request.manifest_path)?;
    // Its own target directory: another rustc, and a profile we set, would otherwise
    // make cargo rebuild the host artifacts of the workspace.
    let target_dir = package.target_directory.join("nethooks");
    let out = request
        .out
        .clone()
        .unwrap_or_else(|| target_dir.join(format!("{}.bpf.o", package.crate_name)));
    if out.is_dir() {
        return Err(BuildError::Io {
            path: out,
            why: "is a directory; `--out` names the object file to write (such as \
                  `--out target/policy.bpf.o`)"
                .to_owned(),
        });
    }
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| BuildError::Io {
            path: dir.to_owned(),
            why: e.to_string(),
        })?;
    }
    let job = Job {
        toolchain,
        request,
        package: &package,
        target_dir: &target_dir,
    };
    let route = match request.route {
        Route::BpfLinker => {
            link_with_bpf_linker(&job, &out)?;
            "bpf-linker".to_owned()
        }
        Route::Llc => {
            compile_with_llc(&job, &out)?;
            let missing = inspect::undefined_calls(&out)?;
            if !missing.is_empty() {
                return Err(BuildError::Manifest(format!(
                    "the llc route leaves calls to functions outside the crate ({}); build with \
                     `--route bpf-linker` or `--route auto`",
                    missing.join(", ")
                )));
            }
            "llc".to_owned()
        }
        Route::Auto => {
            compile_with_llc(&job, &out)?;
            let missing = inspect::undefined_calls(&out)?;
            if missing.is_empty() {
                "llc".to_owned()
            } else {
                link_with_bpf_linker(&job, &out)?;
                format!(
                    "bpf-linker (the crate calls {} outside itself)",
                    missing.join(", ")
                )
            }
        }
    };
    let sites = inspect::panic_sites(&out)?;
    if !sites.is_empty() {
        return Err(BuildError::CanPanic { sites });
    }
    Ok(Built {
        object: out,
        package: package.name,
        route,
    })
}

/// One build: the toolchain, what was asked, the package and where cargo builds it.
struct Job<'a> {
    toolchain: &'a Toolchain,
    request: &'a Request,
    package: &'a Package,
    target_dir: &'a Path,
}

/// `cargo rustc` for the BPF target, with the flags every route shares.
fn cargo_rustc(job: &Job<'_>) -> Command {
    let mut command = Command::new(&job.toolchain.cargo);
    command
        .arg("rustc")
        .arg("--manifest-path")
        .arg(&job.request.manifest_path)
        .args(["--release", "--target", TARGET])
        .arg("--target-dir")
        .arg(job.target_dir)
        .args(&job.package.target_args)
        // Every crate of the build, dependencies included, for the same CPU.
        .arg("--config")
        .arg(format!(
            "target.{TARGET}.rustflags = [\"-C\", \"target-cpu={}\"]",
            job.request.cpu.name()
        ))
        .env("RUSTC", &job.toolchain.rustc);
    if job.toolchain.build_std {
        command.args(["-Z", "build-std=core"]);
    }
    if !job.request.verbose {
        command.arg("--quiet");
    }
    command
}

/// The tool a route needs, or the error that says it is not installed.
fn installed<'a>(tool: &'a Option<PathBuf>, what: &str) -> Result<&'a PathBuf, BuildError> {
    tool.as_ref().ok_or_else(|| BuildError::NoToolchain {
        tried: vec![format!("{what}: not installed")],
    })
}

fn compile_with_llc(job: &Job<'_>, out: &Path) -> Result<(), BuildError> {
    let llc = installed(&job.toolchain.llc, "llc of the rustc's LLVM version")?;
    let bitcode = job
        .target_dir
        .join(format!("{}.bc", job.package.crate_name));
    let mut command = cargo_rustc(job);
    // One codegen unit, so rustc writes one bitcode file to the path given.
    command
        .args(["--", "-C", "codegen-units=1"])
        .arg(format!("--emit=obj={}", bitcode.display()));
    run_compiler(&mut command)?;
    let output = Command::new(llc)
        .args(["-march=bpfel", "-filetype=obj", "-O2"])
        .arg(format!("-mcpu={}", job.request.cpu.name()))
        .arg(&bitcode)
        .arg("-o")
        .arg(out)
        .output()
        .map_err(|e| BuildError::Tool {
            tool: llc.display().to_string(),
            output: e.to_string(),
        })?;
    if !output.status.success() {
        return Err(lowering_error(
            &format!("{}` making `{}", llc.display(), out.display()),
            &String::from_utf8_lossy(&output.stderr),
            job.request.cpu,
        ));
    }
    Ok(())
}

fn link_with_bpf_linker(job: &Job<'_>, out: &Path) -> Result<(), BuildError> {
    let linker = installed(&job.toolchain.bpf_linker, "bpf-linker")?;
    let mut command = cargo_rustc(job);
    if job.package.is_lib {
        command.args(["--crate-type", "cdylib"]);
    }
    command
        .args(["--", "-C", "codegen-units=1"])
        .arg(format!("-Clinker={}", linker.display()));
    run_compiler(&mut command)?;
    let built = job
        .target_dir
        .join(TARGET)
        .join("release")
        .join(if job.package.is_lib {
            format!("lib{}.so", job.package.crate_name)
        } else {
            job.package.crate_name.clone()
        });
    std::fs::copy(&built, out).map_err(|e| BuildError::Io {
        path: built.clone(),
        why: e.to_string(),
    })?;
    Ok(())
}

/// Runs cargo with the compiler's messages passed through unchanged, then adds a
/// note for the failures that a hook crate's author can fix in one known way.
fn run_compiler(command: &mut Command) -> Result<(), BuildError> {
    let output = command
        .stdout(Stdio::inherit())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| BuildError::Tool {
            tool: "cargo".to_owned(),
            output: e.to_string(),
        })?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Everything the compiler said, except a failed link's command line, which is
    // the linker's business, not the hook author's.
    for line in stderr.lines() {
        if !line.trim_start().starts_with("= note: \"") {
            eprintln!("{line}");
        }
    }
    if output.status.success() {
        return Ok(());
    }
    let hint = if stderr.contains("can't find crate for `std`") {
        Some(
            "a hook crate is `#![no_std]`: bpfel-unknown-none has only `core` (write \
             `#![cfg_attr(not(test), no_std)]` to keep `std` in host tests)",
        )
    } else if stderr.contains("Cannot select") {
        Some(
            "LLVM could not lower an operation for this BPF CPU; atomics need `--cpu v4` \
             (the default), and BPF has no compare-and-swap, so no `fetch_add` or `swap`",
        )
    } else if stderr.contains("linking with") {
        Some("the BPF link failed; `--route llc` shows which calls leave the crate")
    } else {
        None
    };
    Err(BuildError::Compile { hint })
}

/// An `llc` failure, said in terms of the Rust that caused it where that is known:
/// symbol names demangled, and a note for the limits of BPF that Rust code meets.
fn lowering_error(tool: &str, stderr: &str, cpu: Cpu) -> BuildError {
    let mut output = demangle_words(llvm_summary(stderr).trim());
    if stderr.contains("Cannot select") && stderr.contains("Atomic") {
        output.push_str(&format!(
            "\nnote: an atomic operation cannot be lowered for BPF {}: build with `--cpu v4` \
             (the default), and use only `load` and `store` on atomics",
            cpu.name()
        ));
    }
    if stderr.contains("aggregate returns are not supported") {
        output.push_str(
            "\nnote: BPF functions return one register: a function that returns a struct or \
             tuple larger than 8 bytes by value must be inlined into its caller \
             (`#[inline(always)]`) or write its result through a `&mut` parameter",
        );
    }
    if stderr.contains("too many arguments") || stderr.contains("stack arguments") {
        output.push_str(
            "\nnote: BPF passes at most five arguments, in registers: a function with more \
             must be inlined (`#[inline(always)]`) or take a struct by reference",
        );
    }
    BuildError::Tool {
        tool: tool.to_owned(),
        output,
    }
}

/// LLVM's error without its internals: a "Cannot select" names the operation and
/// what it accesses, not the selection DAG around it (node addresses and operands),
/// and the crash report (bug-report request, stack dump, backtrace) is left out.
fn llvm_summary(stderr: &str) -> String {
    let mut out = Vec::new();
    let mut in_crash_report = false;
    for line in stderr.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("PLEASE submit a bug report") || trimmed.starts_with("Stack dump") {
            in_crash_report = true;
        }
        if in_crash_report {
            continue;
        }
        if let Some(node) = trimmed.strip_prefix("LLVM ERROR: Cannot select: ") {
            out.push(cannot_select(node));
        } else if let Some(function) = trimmed.strip_prefix("In function: ") {
            out.push(format!("in function `{function}`"));
        } else if line.starts_with(char::is_whitespace) && is_dag_node(trimmed) {
            // An operand of the node LLVM could not select.
        } else {
            out.push(line.to_owned());
        }
    }
    out.join("\n")
}

/// `0x55..: i64 = add ...` or `t12: ch = ...`: a line of a selection DAG dump.
fn is_dag_node(line: &str) -> bool {
    let id = line.split(':').next().unwrap_or("");
    let hex = id
        .strip_prefix("0x")
        .is_some_and(|h| h.chars().all(|c| c.is_ascii_hexdigit()));
    let numbered = id
        .strip_prefix('t')
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    (hex || numbered) && line.contains(" = ")
}

/// `0x..: ch = AtomicStore<(store monotonic (s64) into @x)> 0x.., 0x..` as "LLVM cannot
/// select an instruction for `AtomicStore` (store monotonic (s64) into @x)".
fn cannot_select(node: &str) -> String {
    let operation = node.split_once(" = ").map_or(node, |(_, op)| op);
    let name: String = operation
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let access = operation[name.len()..]
        .strip_prefix("<(")
        .and_then(|rest| rest.find(")>").map(|end| format!(" ({})", &rest[..end])))
        .unwrap_or_default();
    format!("LLVM cannot select an instruction for `{name}`{access}")
}

/// `text` with every Rust-mangled symbol (`_ZN...E`, `_R...`) replaced by its
/// demangled name without the hash.
fn demangle_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('_') {
        out.push_str(&rest[..start]);
        let word_end = rest[start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '.'))
            .map_or(rest.len(), |n| start + n);
        let word = &rest[start..word_end];
        match rustc_demangle::try_demangle(word) {
            Ok(name) if word.starts_with("_ZN") || word.starts_with("_R") => {
                out.push_str(&format!("`{name:#}`"))
            }
            _ => out.push_str(word),
        }
        rest = &rest[word_end..];
    }
    out.push_str(rest);
    out
}
