//! How the verify tests get what they verify and run the verifier: the installed
//! driver, C test programs compiled with line info, the workspace's Rust hook crates
//! built to BPF (once per test run), and the `cargo nethooks verify` command.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use cargo_nethooks::verify::{self, Report};

/// The installed driver; a missing one fails the test with how to install it.
pub fn driver() -> PathBuf {
    verify::find_driver().unwrap_or_else(|e| panic!("{e}\n{}", crate::support::INSTALL_HINT))
}

pub fn verify_all(objects: &[PathBuf]) -> Report {
    verify::verify(&driver(), objects).unwrap_or_else(|e| panic!("{e}"))
}

/// Compiles `tests/programs/<source>` with line info into the test's scratch directory.
pub fn compile(source: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("verify");
    std::fs::create_dir_all(&dir).unwrap();
    let object = dir.join(source.replace('/', "__")).with_extension("o");
    let mut command = crate::support::clang_bpf(
        &crate::support::programs_dir().join(source),
        &crate::support::generated_include_dir(),
        &object,
        &[],
    );
    crate::support::run(command.arg("-g"));
    object
}

/// The `.c` files of `tests/programs/<dir>`, as paths relative to `tests/programs`.
pub fn sources_in(dir: &str) -> Vec<String> {
    let mut sources: Vec<String> = std::fs::read_dir(crate::support::programs_dir().join(dir))
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.ends_with(".c")
                .then(|| format!("{dir}/{name}").trim_start_matches('/').to_owned())
        })
        .collect();
    sources.sort();
    sources
}

/// Every Rust hook crate of the workspace, built to BPF once per test run.
pub fn rust_objects() -> &'static [PathBuf] {
    static OBJECTS: OnceLock<Vec<PathBuf>> = OnceLock::new();
    OBJECTS.get_or_init(|| {
        [
            ("examples/policies/Cargo.toml", "verify_policies.bpf.o"),
            ("examples/map_policy/Cargo.toml", "verify_map_policy.bpf.o"),
            ("tests/programs/twins/Cargo.toml", "verify_twins.bpf.o"),
            (
                "tests/programs/maps/twins/Cargo.toml",
                "verify_map_twins.bpf.o",
            ),
            (
                "tests/hook_programs/Cargo.toml",
                "verify_hook_programs.bpf.o",
            ),
        ]
        .iter()
        .map(|(manifest, name)| crate::common::build_to_bpf(manifest, name).object)
        .collect()
    })
}

pub fn unverifiable_rust() -> &'static Path {
    static OBJECT: OnceLock<PathBuf> = OnceLock::new();
    OBJECT.get_or_init(|| {
        crate::common::build_to_bpf(
            "tests/programs/unverifiable/rust/Cargo.toml",
            "unverifiable_rust.bpf.o",
        )
        .object
    })
}

pub fn cargo_nethooks_verify(args: &[&str]) -> (Option<i32>, String, String) {
    let out = crate::support::output(
        Command::new(env!("CARGO_BIN_EXE_cargo-nethooks"))
            .args(["nethooks", "verify"])
            .args(args),
    );
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
