//! Every way a build can fail, each with what to do about it.

use std::fmt;
use std::path::PathBuf;

use crate::target::{INSTALL_HELP, TARGET};

/// A call that can reach the panic handler, which BPF cannot run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanicSite {
    /// The function (demangled, without hash) that makes the call.
    pub caller: String,
    /// The panicking function it calls (demangled, without hash).
    pub callee: String,
}

#[derive(Debug)]
pub enum BuildError {
    /// Nothing here builds for BPF: what was tried.
    NoToolchain {
        tried: Vec<String>,
    },
    /// The manifest does not name one package we can build.
    Manifest(String),
    /// cargo or rustc failed; their messages were printed as they came.
    Compile {
        hint: Option<&'static str>,
    },
    /// A tool other than the compiler failed (llc, bpf-linker, cargo metadata).
    Tool {
        tool: String,
        output: String,
    },
    /// The crate built, but has no hook entry point.
    NoHook {
        package: String,
    },
    /// The crate built, but some program can panic.
    CanPanic {
        sites: Vec<PanicSite>,
    },
    /// The object could not be read back.
    Object {
        path: PathBuf,
        why: String,
    },
    Io {
        path: PathBuf,
        why: String,
    },
}

impl BuildError {
    /// The process exit status: 3 when the toolchain is missing, 1 otherwise
    /// (clap uses 2 for a bad command line).
    pub fn exit_code(&self) -> u8 {
        match self {
            BuildError::NoToolchain { .. } => 3,
            _ => 1,
        }
    }
}

/// What a panic function is reached by, in the words of the Rust code that reaches it.
fn panic_cause(callee: &str) -> &'static str {
    let name = callee.rsplit("::").next().unwrap_or(callee);
    match name {
        "panic_bounds_check" => "an index out of bounds (`a[i]` where `i` is not checked)",
        n if n.starts_with("slice_") || n.contains("index") => {
            "a slice range out of bounds (`&a[i..j]`)"
        }
        n if n.contains("div_by_zero") || n.contains("rem_by_zero") => {
            "a division or remainder by zero"
        }
        n if n.contains("overflow") => "an arithmetic overflow",
        "unwrap_failed" | "expect_failed" => "an `unwrap()` or `expect()` that can fail",
        _ => "a `panic!`, an assertion or another panicking call",
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::NoToolchain { tried } => {
                writeln!(f, "no toolchain here can build Rust for {TARGET}")?;
                for t in tried {
                    writeln!(f, "  tried: {t}")?;
                }
                write!(f, "{INSTALL_HELP}")
            }
            BuildError::Manifest(why) => write!(f, "{why}"),
            BuildError::Compile { hint } => {
                write!(
                    f,
                    "the hook crate did not compile (the compiler's messages are above)"
                )?;
                if let Some(hint) = hint {
                    write!(f, "\n  note: {hint}")?;
                }
                Ok(())
            }
            BuildError::Tool { tool, output } => write!(f, "`{tool}` failed:\n{output}"),
            BuildError::NoHook { package } => write!(
                f,
                "`{package}` has no hook entry point: mark a function with `#[bind_hook]`, \
                 `#[sock_addr_hook(..)]` or `#[sock_ops_hook]` (from `ebpf_nethooks`)"
            ),
            BuildError::CanPanic { sites } => {
                write!(
                    f,
                    "the program can panic, and a BPF program cannot: the verifier rejects the \
                     panic handler's endless loop"
                )?;
                for site in sites {
                    write!(
                        f,
                        "\n  `{}` calls `{}`: {}",
                        site.caller,
                        site.callee,
                        panic_cause(&site.callee)
                    )?;
                }
                write!(
                    f,
                    "\n  help: check before you index or divide (`get(i)`, `checked_div`), or use \
                     `wrapping_*` arithmetic, so that the compiler can remove the panic"
                )
            }
            BuildError::Object { path, why } => {
                write!(f, "cannot read the object {}: {why}", path.display())
            }
            BuildError::Io { path, why } => write!(f, "{}: {why}", path.display()),
        }
    }
}

impl std::error::Error for BuildError {}
