//! Shared by the runner's tests: the external tools, compiling the C test programs
//! with `clang -target bpf`, and the differential harness (`policies`).
#![allow(dead_code)]

pub mod policies;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const INSTALL_HINT: &str =
    "install the test tools with `sudo bash .ci/install-deps` (see README, \"Running the tests\")";

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

/// Path of `tool` on PATH; panics with an install hint when it is missing.
pub fn require_tool(tool: &str) -> PathBuf {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(tool))
            .find(|candidate| candidate.is_file())
    });
    found.unwrap_or_else(|| panic!("`{tool}` is not installed: {INSTALL_HINT}"))
}

/// Runs a command and returns its output, whatever its exit status.
pub fn output(command: &mut Command) -> Output {
    command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"))
}

/// Runs a command; panics with its full output unless it exits 0.
pub fn run(command: &mut Command) -> Output {
    let out = output(command);
    assert!(
        out.status.success(),
        "{command:?} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Include directories a BPF-target clang needs for <stdint.h> from the host libc.
pub fn bpf_system_includes() -> Vec<String> {
    let out = run(Command::new(require_tool("gcc")).arg("-print-multiarch"));
    let multiarch = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    vec![format!(
        "-I{}",
        Path::new("/usr/include").join(multiarch).display()
    )]
}

/// The clang command that compiles `source` for BPF against headers in `include`.
pub fn clang_bpf(source: &Path, include: &Path, object: &Path, defines: &[&str]) -> Command {
    let mut command = Command::new(require_tool("clang"));
    command
        .args(["-O2", "-target", "bpf", "-Wall", "-Werror", "-c"])
        .arg(format!("-I{}", include.display()))
        .args(bpf_system_includes())
        .args(defines.iter().map(|d| format!("-D{d}")))
        .arg(source)
        .arg("-o")
        .arg(object);
    command
}

/// Compiles `tests/programs/<name>` against `include` into `dir`; returns the object's bytes.
pub fn compile_with(name: &str, include: &Path, dir: &Path, defines: &[&str]) -> Vec<u8> {
    let object = dir.join(Path::new(name).with_extension("o").file_name().unwrap());
    run(&mut clang_bpf(
        &programs_dir().join(name),
        include,
        &object,
        defines,
    ));
    std::fs::read(&object).unwrap()
}

/// Compiles `tests/programs/<name>` against the generated header.
pub fn compile(name: &str, dir: &Path) -> Vec<u8> {
    compile_with(name, &generated_include_dir(), dir, &[])
}
