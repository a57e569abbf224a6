//! Shared by the runner's tests: the external tools, compiling the C test programs
//! with `clang -target bpf`, and the differential harness (`policies`).
#![allow(dead_code)]

pub mod case;
pub mod cases;
pub mod policies;
pub mod sock_addr_cases;
#[path = "../../../tests/support/tools.rs"]
mod tools;

use std::path::{Path, PathBuf};
use std::process::Command;

pub use tools::*;

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("runner/ is inside the workspace")
        .to_owned()
}

pub fn programs_dir() -> PathBuf {
    workspace_root().join("tests/programs")
}

pub fn generated_include_dir() -> PathBuf {
    workspace_root().join("generated/include")
}

/// The clang command that compiles `source` for BPF against headers in `include`.
pub fn clang_bpf(source: &Path, include: &Path, object: &Path, defines: &[&str]) -> Command {
    let mut command = Command::new(require_tool("clang"));
    command
        .args(["-O2", "-target", "bpf", "-Wall", "-Werror", "-c"])
        .arg(format!("-I{}", include.display()))
        // The stand-in `bpf_helpers.h` and the generated `bpf_helper_defs.h` it
        // includes, for programs that use maps and the general helpers.
        .arg(format!("-I{}", programs_dir().join("include").display()))
        .arg(format!("-I{}", generated_include_dir().display()))
        .args(bpf_system_includes())
        .args(defines.iter().map(|d| format!("-D{d}")))
        .arg(source)
        .arg("-o")
        .arg(object);
    command
}

/// Compiles `tests/programs/<name>` against `include`, with `defines` and extra clang
/// `flags`, into `dir`; returns the object's bytes.
fn compile_to(name: &str, include: &Path, dir: &Path, defines: &[&str], flags: &[&str]) -> Vec<u8> {
    let object = dir.join(Path::new(name).with_extension("o").file_name().unwrap());
    let mut command = clang_bpf(&programs_dir().join(name), include, &object, defines);
    run(command.args(flags));
    std::fs::read(&object).unwrap()
}

/// Compiles `tests/programs/<name>` against `include` into `dir`; returns the object's bytes.
pub fn compile_with(name: &str, include: &Path, dir: &Path, defines: &[&str]) -> Vec<u8> {
    compile_to(name, include, dir, defines, &[])
}

/// Compiles `tests/programs/<name>` against the generated header.
pub fn compile(name: &str, dir: &Path) -> Vec<u8> {
    compile_with(name, &generated_include_dir(), dir, &[])
}

/// Compiles `tests/programs/<name>` against the generated header with extra clang
/// flags (such as `-mcpu=v3`).
pub fn compile_with_flags(name: &str, dir: &Path, flags: &[&str]) -> Vec<u8> {
    compile_to(name, &generated_include_dir(), dir, &[], flags)
}

/// Runs `nethooks-run OBJECT ARGS...`, which must exit 0; returns what it printed.
/// Only the runner's own tests have the binary (`cargo-nethooks` includes this file too).
pub fn nethooks_run(object: &Path, args: &[&str]) -> String {
    let Some(binary) = option_env!("CARGO_BIN_EXE_nethooks-run") else {
        panic!("nethooks_run is for the runner package's tests, which build nethooks-run")
    };
    let out = run(Command::new(binary).arg(object).args(args));
    String::from_utf8(out.stdout).unwrap()
}
