//! The compilers every generated case must satisfy: rustc for the host (with and
//! without `std`) and for BPF, gcc, and `clang -target bpf`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::support::{self, bpf_system_includes, require_tool};

/// The compilers a case runs, found once.
struct Compilers {
    /// A rustc with a prebuilt `core` for `bpfel-unknown-none` (Debian's rustc-web).
    bpf_rustc: PathBuf,
    host_rustc: PathBuf,
    gcc: PathBuf,
    clang: PathBuf,
    bpf_includes: Vec<String>,
}

fn compilers() -> &'static Compilers {
    static COMPILERS: OnceLock<Compilers> = OnceLock::new();
    COMPILERS.get_or_init(|| {
        let toolchain = cargo_nethooks::toolchain::Search::from_env()
            .find()
            .unwrap_or_else(|e| panic!("no Rust toolchain for BPF: {e}\n{}", support::INSTALL_HINT));
        assert!(
            !toolchain.build_std,
            "{} has no prebuilt `core` for bpfel-unknown-none (Debian's rustc-web with libstd-rust-web-dev-bpf has): {}",
            toolchain.rustc.display(),
            support::INSTALL_HINT
        );
        Compilers {
            bpf_rustc: toolchain.rustc,
            host_rustc: require_tool("rustc"),
            gcc: require_tool("gcc"),
            clang: require_tool("clang"),
            bpf_includes: bpf_system_includes(),
        }
    })
}

/// Runs a compiler; `Err` holds the command and its output when it fails.
fn compile(command: &mut Command) -> Result<(), String> {
    let out = support::output(command);
    if out.status.success() {
        return Ok(());
    }
    Err(format!(
        "{command:?} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    ))
}

/// Writes `artifacts` below `dir` and compiles the Rust bindings (host with and
/// without feature `std`, and BPF, warnings denied) and a C file that includes every
/// header of `headers` (gcc, and clang for BPF); `Err` holds the first compiler's
/// complaint.
pub fn compile_everything(
    artifacts: &[codegen::emit::Artifact],
    headers: &[&str],
    dir: &Path,
) -> Result<(), String> {
    let tools = compilers();
    codegen::output::write_all(dir, artifacts).map_err(|e| e.to_string())?;
    let lib = dir.join("rust/src/lib.rs");
    let rustc = |rustc: &Path, extra: &[&str], out: &str| {
        // The bindings depend on the ABI tables crate, compiled alike.
        let abi = support::abi_crate(rustc, dir, extra, &format!("abi-for-{out}"))?;
        compile(
            Command::new(rustc)
                .args([
                    "--edition",
                    "2024",
                    "--crate-type",
                    "lib",
                    "--crate-name",
                    "bindings",
                ])
                .args(["--emit=metadata", "-D", "warnings", "-o"])
                .arg(dir.join(out))
                .args(extra)
                .args(abi)
                .arg(&lib),
        )
    };
    rustc(
        &tools.host_rustc,
        &["--cfg", "feature=\"std\""],
        "host.rmeta",
    )?;
    rustc(&tools.host_rustc, &[], "host-no-std.rmeta")?;
    rustc(
        &tools.bpf_rustc,
        &["--target", "bpfel-unknown-none"],
        "bpf.rmeta",
    )?;

    let source = dir.join("uses.c");
    let includes: Vec<String> = (headers.iter())
        .map(|h| format!("#include \"{h}\"\n"))
        .collect();
    std::fs::write(&source, includes.concat()).unwrap();
    let include = dir.join("include");
    compile(
        Command::new(&tools.gcc)
            .args([
                "-std=c11",
                "-Wall",
                "-Wextra",
                "-Werror",
                "-fsyntax-only",
                "-I",
            ])
            .arg(&include)
            .arg(&source),
    )?;
    compile(
        Command::new(&tools.clang)
            .args([
                "-target",
                "bpf",
                "-std=c11",
                "-Wall",
                "-Werror",
                "-fsyntax-only",
            ])
            .args(&tools.bpf_includes)
            .arg("-I")
            .arg(&include)
            .arg(&source),
    )
}
