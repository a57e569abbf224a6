//! Shared by the generator's integration tests: the workspace, its specs and their
//! models (`tests/support/workspace.rs`, shared with the facade's tests), the
//! external tools that tests run (`tests/support/tools.rs`, shared with the runner's),
//! and checks of the generated Rust.
#![allow(dead_code)]

#[path = "../../../tests/support/tools.rs"]
mod tools;
#[path = "../../../tests/support/workspace.rs"]
mod workspace;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

pub use tools::*;
pub use workspace::*;

/// Every spec of the workspace loaded together, as one `codegen` run loads them.
pub fn all_models() -> Vec<codegen::model::Model> {
    codegen::load_all(&all_specs()).unwrap_or_else(|errors| panic!("{}", errors[0]))
}

/// The model of one spec of the workspace (`bpf_helpers.toml`), loaded with the others.
pub fn model_of(file: &str) -> codegen::model::Model {
    let source = format!("spec/{file}");
    all_models()
        .into_iter()
        .find(|m| m.source == source)
        .unwrap_or_else(|| panic!("no {source}"))
}

/// Like [`model_of`], for one release of eBPF for Windows (`1.3.0`).
pub fn model_of_release(file: &str, release: &str) -> codegen::model::Model {
    let source = format!("spec/{file}");
    codegen::load_all_release(&all_specs(), Some(release))
        .unwrap_or_else(|errors| panic!("{}", errors[0]))
        .into_iter()
        .find(|m| m.source == source)
        .unwrap_or_else(|| panic!("no {source}"))
}

pub fn generated_include_dir() -> PathBuf {
    workspace_root().join("generated/include")
}

/// Checks that rustfmt would leave the generated Rust of `model` as it is: the
/// bindings' `lib.rs` (with its `hooks` module) and the macros' hook table, which
/// rustfmt never sees in a build because it is `include!`d. Panics with rustfmt's
/// diff otherwise.
pub fn assert_rustfmt_clean(model: &codegen::model::Model) {
    let rustfmt = require_tool("rustfmt");
    let dir = tempfile::tempdir().unwrap();
    let artifacts = codegen::emit::render(
        model,
        &[
            codegen::emit::Kind::RustBindings,
            codegen::emit::Kind::AbiTables,
            codegen::emit::Kind::HookTable,
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for artifact in &artifacts {
        let path = dir.path().join(&artifact.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &artifact.contents).unwrap();
    }
    let output = Command::new(rustfmt)
        .args(["--edition", "2024", "--check", "--color", "never"])
        .arg(dir.path().join("rust/src/lib.rs"))
        .arg(dir.path().join("abi/src/lib.rs"))
        .arg(dir.path().join("macros/hook_table.rs"))
        .output()
        .expect("rustfmt runs");
    assert!(
        output.status.success(),
        "rustfmt would reformat the generated Rust of {}:\n{}{}",
        model.source,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Compiles the ABI tables crate that codegen wrote below `generated`
/// (`abi/src/lib.rs`, which the bindings depend on) into directory `generated/<out>`
/// with `rustc` and `args` (target, cfgs), and returns what hands it to a compile of
/// the bindings: `--extern ebpf_nethooks_abi=...`. `Err` holds rustc's complaint.
pub fn abi_crate(
    rustc: &Path,
    generated: &Path,
    args: &[&str],
    out: &str,
) -> Result<[OsString; 2], String> {
    // rustc takes an extern crate only from a file named `lib*.rmeta` (or rlib).
    let rmeta = generated.join(out).join("libebpf_nethooks_abi.rmeta");
    std::fs::create_dir_all(generated.join(out)).map_err(|e| e.to_string())?;
    let output = output(
        Command::new(rustc)
            .args(["--edition", "2024", "--crate-type", "lib"])
            .args(["--crate-name", "ebpf_nethooks_abi", "--emit=metadata", "-o"])
            .arg(&rmeta)
            .args(args)
            .arg(generated.join("abi/src/lib.rs")),
    );
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    let mut extern_arg = OsString::from("ebpf_nethooks_abi=");
    extern_arg.push(&rmeta);
    Ok([OsString::from("--extern"), extern_arg])
}
