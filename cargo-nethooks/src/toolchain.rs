//! Finding what can build Rust for BPF here: a rustc with a prebuilt `core` for
//! `bpfel-unknown-none` (Debian's `rustc-web` with `libstd-rust-web-dev-bpf`), or a
//! nightly toolchain with `rust-src` (`-Z build-std=core`), and an LLVM code generator
//! (`llc-N`, of the rustc's LLVM major version) or `bpf-linker` to make the object.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::BuildError;

// Still reachable here, where they were first defined.
pub use crate::target::{INSTALL_HELP, TARGET};

/// A toolchain that builds for [`TARGET`].
#[derive(Debug, Clone)]
pub struct Toolchain {
    /// The cargo to run (nightly's for `-Z build-std`).
    pub cargo: PathBuf,
    /// The rustc cargo runs (`RUSTC`).
    pub rustc: PathBuf,
    /// `rustc --version`, for the summary.
    pub rustc_version: String,
    /// Whether `core` is built from source (`-Z build-std=core`): nightly only.
    pub build_std: bool,
    /// `llc` of the rustc's LLVM version: turns the crate's bitcode into an object.
    pub llc: Option<PathBuf>,
    /// `bpf-linker`: links the crate with the bitcode of its dependencies and `core`.
    pub bpf_linker: Option<PathBuf>,
}

/// The search, from the environment: `RUSTC`, `CARGO`, `PATH` and `CARGO_HOME`.
pub struct Search {
    pub rustc_override: Option<PathBuf>,
    pub cargo: Option<PathBuf>,
    pub path: OsString,
    pub cargo_home_bin: Option<PathBuf>,
}

impl Search {
    pub fn from_env() -> Search {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        let cargo_home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| home.map(|h| h.join(".cargo")));
        Search {
            rustc_override: std::env::var_os("RUSTC")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
            cargo: std::env::var_os("CARGO")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
            path: std::env::var_os("PATH").unwrap_or_default(),
            cargo_home_bin: cargo_home.map(|h| h.join("bin")),
        }
    }

    /// Every file called `name` on PATH, in order, then in cargo's bin directory.
    fn all(&self, name: &str) -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = std::env::split_paths(&self.path)
            .chain(self.cargo_home_bin.clone())
            .filter(|dir| !dir.as_os_str().is_empty())
            .map(|dir| dir.join(name))
            .filter(|candidate| candidate.is_file())
            .collect();
        found.dedup();
        found
    }

    fn first(&self, name: &str) -> Option<PathBuf> {
        self.all(name).into_iter().next()
    }

    /// Finds a toolchain; the error lists what was tried and what to install.
    pub fn find(&self) -> Result<Toolchain, BuildError> {
        let mut tried = Vec::new();
        let candidates = match &self.rustc_override {
            // An explicit RUSTC is the only one tried: silently using another would surprise.
            Some(rustc) => vec![rustc.clone()],
            None => self.all("rustc"),
        };
        for rustc in candidates {
            match probe_rustc(&rustc) {
                Ok(probe) if probe.has_bpf_core => {
                    return self.with_codegen(rustc, probe, false);
                }
                Ok(probe) => tried.push(format!(
                    "{} ({}): no prebuilt `core` for {TARGET}",
                    rustc.display(),
                    probe.version
                )),
                Err(why) => tried.push(format!("{}: {why}", rustc.display())),
            }
        }
        if self.rustc_override.is_none()
            && let Some(nightly) = self.nightly()
        {
            return Ok(nightly);
        }
        if self.rustc_override.is_none() {
            tried.push("rustup nightly with rust-src: not installed".to_owned());
        }
        Err(BuildError::NoToolchain { tried })
    }

    fn with_codegen(
        &self,
        rustc: PathBuf,
        probe: RustcProbe,
        build_std: bool,
    ) -> Result<Toolchain, BuildError> {
        let llc = probe
            .llvm_major
            .and_then(|major| self.first(&format!("llc-{major}")));
        let bpf_linker = self.first("bpf-linker");
        if llc.is_none() && bpf_linker.is_none() {
            let llc_name = probe
                .llvm_major
                .map_or_else(|| "llc".to_owned(), |m| format!("llc-{m}"));
            return Err(BuildError::NoToolchain {
                tried: vec![format!(
                    "{} ({}) can build for {TARGET}, but neither `{llc_name}` nor `bpf-linker` is installed to make the object",
                    rustc.display(),
                    probe.version
                )],
            });
        }
        let cargo = match self.cargo.clone().or_else(|| self.first("cargo")) {
            Some(cargo) => cargo,
            None => {
                return Err(BuildError::NoToolchain {
                    tried: vec!["cargo: not on PATH and CARGO is not set".to_owned()],
                });
            }
        };
        Ok(Toolchain {
            cargo,
            rustc,
            rustc_version: probe.version,
            build_std,
            llc,
            bpf_linker,
        })
    }

    /// rustup's nightly with `rust-src`, which builds `core` for any target.
    fn nightly(&self) -> Option<Toolchain> {
        let rustup = self.first("rustup")?;
        let which = |tool: &str| -> Option<PathBuf> {
            let out = Command::new(&rustup)
                .args(["which", "--toolchain", "nightly", tool])
                .env("PATH", &self.path)
                .output()
                .ok()?;
            out.status
                .success()
                .then(|| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
        };
        let rustc = which("rustc")?;
        let cargo = which("cargo")?;
        let probe = probe_rustc(&rustc).ok()?;
        let src = Path::new(&probe.sysroot).join("lib/rustlib/src/rust/library/core");
        if !src.is_dir() {
            return None;
        }
        let search = Search {
            rustc_override: None,
            cargo: Some(cargo),
            path: self.path.clone(),
            cargo_home_bin: self.cargo_home_bin.clone(),
        };
        search.with_codegen(rustc, probe, true).ok()
    }
}

/// What `rustc -vV` and `--print sysroot` say about one rustc.
struct RustcProbe {
    version: String,
    sysroot: String,
    llvm_major: Option<u32>,
    has_bpf_core: bool,
}

fn probe_rustc(rustc: &Path) -> Result<RustcProbe, String> {
    let run = |args: &[&str]| -> Result<String, String> {
        let out = Command::new(rustc)
            .args(args)
            .output()
            .map_err(|e| format!("cannot run it: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "`{}` failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    let verbose = run(&["-vV"])?;
    let sysroot = run(&["--print", "sysroot"])?;
    let version = verbose.lines().next().unwrap_or("rustc").to_owned();
    let llvm_major = verbose
        .lines()
        .find_map(|l| l.strip_prefix("LLVM version: "))
        .and_then(|v| v.split('.').next())
        .and_then(|m| m.parse().ok());
    let libdir = Path::new(&sysroot).join(format!("lib/rustlib/{TARGET}/lib"));
    let has_bpf_core = std::fs::read_dir(&libdir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with("libcore-") && name.ends_with(".rlib")
        })
    });
    Ok(RustcProbe {
        version,
        sysroot,
        llvm_major,
        has_bpf_core,
    })
}
