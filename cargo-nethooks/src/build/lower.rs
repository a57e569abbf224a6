//! The BPF side of a build: turning the crate into an object by `llc` (the crate's
//! own bitcode) or by bpf-linker (the crate with its dependencies and `core`), and an
//! `llc` failure said in terms of the Rust that caused it.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::cargo::{Job, cargo_rustc, run_compiler};
use super::request::Cpu;
use crate::error::BuildError;
use crate::target::TARGET;

/// The tool a route needs, or the error that says it is not installed.
fn installed<'a>(tool: &'a Option<PathBuf>, what: &str) -> Result<&'a PathBuf, BuildError> {
    tool.as_ref().ok_or_else(|| BuildError::NoToolchain {
        tried: vec![format!("{what}: not installed")],
    })
}

pub(super) fn compile_with_llc(job: &Job<'_>, out: &Path) -> Result<(), BuildError> {
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

pub(super) fn link_with_bpf_linker(job: &Job<'_>, out: &Path) -> Result<(), BuildError> {
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
