//! The external tools (compilers, doxygen, rustfmt) that tests run, shared by the
//! facade's, the generator's and the runner's tests (`codegen/tests/support` and
//! `runner/tests/support` include this file).
//! A missing tool fails the test with a message naming it and the command that
//! installs it; nothing is silently skipped.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The command in the README that installs every tool the tests use.
pub const INSTALL_HINT: &str =
    "install the test tools with `bash .ci/install-deps` (see README, \"Running the tests\")";

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

/// Include directories a BPF-target clang needs for <stdint.h> from the host libc:
/// glibc keeps its arch-specific headers under the multiarch directory.
pub fn bpf_system_includes() -> Vec<String> {
    let out = run(Command::new(require_tool("gcc")).arg("-print-multiarch"));
    let multiarch = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let dir = Path::new("/usr/include").join(multiarch);
    vec![format!("-I{}", dir.display())]
}

/// The four compilers a user of the generated headers has, each as (compiler,
/// arguments, source extension): gcc and clang in C11, clang for BPF, g++ in C++17,
/// all with warnings as errors.
#[allow(dead_code)] // Not every test binary that includes this file compiles C.
pub fn c_compilers() -> Vec<(&'static str, Vec<String>, &'static str)> {
    let strict = ["-Wall", "-Wextra", "-Werror"].map(String::from).to_vec();
    let mut bpf: Vec<String> = ["-O2", "-target", "bpf", "-Wall", "-Werror"]
        .map(String::from)
        .to_vec();
    bpf.extend(bpf_system_includes());
    vec![
        (
            "gcc",
            [vec!["-std=c11".into()], strict.clone()].concat(),
            "c",
        ),
        (
            "clang",
            [vec!["-std=c11".into()], strict.clone()].concat(),
            "c",
        ),
        ("clang", bpf, "c"),
        ("g++", [vec!["-std=c++17".into()], strict].concat(), "cpp"),
    ]
}
