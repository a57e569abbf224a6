//! Shared by the integration tests: where the workspace is, and the external tools
//! (compilers, doxygen) that tests run. A missing tool fails the test with a message
//! naming it and the command that installs it; nothing is silently skipped.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The command in the README that installs every tool the tests use.
pub const INSTALL_HINT: &str =
    "install the test tools with `sudo bash .ci/install-deps` (see README, \"Running the tests\")";

pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn spec_path() -> PathBuf {
    workspace_root().join("spec/nethooks.toml")
}

/// The checked-in spec, loaded through the generator's own pipeline.
pub fn model() -> codegen::model::Model {
    codegen::load(&spec_path(), "spec/nethooks.toml").unwrap_or_else(|e| panic!("{e}"))
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

/// Runs a command; panics with its full output unless it exits 0.
pub fn run(command: &mut Command) -> Output {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Include directories a BPF-target clang needs for <stdint.h> from the host libc:
/// glibc keeps its arch-specific headers under the multiarch directory.
pub fn bpf_system_includes() -> Vec<String> {
    let output = run(Command::new(require_tool("gcc")).arg("-print-multiarch"));
    let multiarch = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let dir = Path::new("/usr/include").join(multiarch);
    vec![format!("-I{}", dir.display())]
}
