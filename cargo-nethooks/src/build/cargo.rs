//! The cargo side of a build: which package `cargo metadata` says the manifest is,
//! the `cargo rustc` command every route starts from, and running it with the
//! compiler's messages passed through (plus a hint for the failures with a known fix).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Deserialize;

use super::request::Request;
use crate::error::BuildError;
use crate::target::TARGET;
use crate::toolchain::Toolchain;

/// The package to build, from `cargo metadata`.
pub(super) struct Package {
    pub(super) name: String,
    /// `--lib`, or `--bin NAME` for a crate without a library.
    pub(super) target_args: Vec<String>,
    /// The crate's name as rustc sees it (dashes become underscores).
    pub(super) crate_name: String,
    pub(super) is_lib: bool,
    pub(super) target_directory: PathBuf,
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

pub(super) fn package(toolchain: &Toolchain, manifest: &Path) -> Result<Package, BuildError> {
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

/// One build: the toolchain, what was asked, the package and where cargo builds it.
pub(super) struct Job<'a> {
    pub(super) toolchain: &'a Toolchain,
    pub(super) request: &'a Request,
    pub(super) package: &'a Package,
    pub(super) target_dir: &'a Path,
}

/// `cargo rustc` for the BPF target, with the flags every route shares.
pub(super) fn cargo_rustc(job: &Job<'_>) -> Command {
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

/// Runs cargo with the compiler's messages passed through unchanged, then adds a
/// note for the failures that a hook crate's author can fix in one known way.
pub(super) fn run_compiler(command: &mut Command) -> Result<(), BuildError> {
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
