//! Building a hook crate into a BPF object by one of two routes:
//!
//! - **llc**: cargo builds the crate's own bitcode (`--emit=obj`, which is bitcode on
//!   this target), and `llc` turns it into an object. Fast (a fraction of a second
//!   after a change), and complete whenever everything the programs call was inlined
//!   into the crate, which is true of the bindings, the facade and generic code.
//! - **bpf-linker**: cargo links the crate as a `cdylib` through bpf-linker, which
//!   links in the bitcode of its dependencies and of `core` (several seconds, most of
//!   it reading `core`). Needed when the llc object calls a function it does not hold.
//!
//! `auto` tries llc first and falls back to bpf-linker only for such a call.

//!
//! `request` holds what is asked, `cargo` runs cargo, `lower` makes the
//! object by either route; [`build`] picks the route.

mod cargo;
mod lower;
mod request;

use crate::error::BuildError;
use crate::inspect;
use crate::toolchain::Toolchain;

use cargo::{Job, package};
use lower::{compile_with_llc, link_with_bpf_linker};
pub use request::{Built, Cpu, Request, Route};

/// Builds the crate of `request` and returns the object's path.
pub fn build(toolchain: &Toolchain, request: &Request) -> Result<Built, BuildError> {
    let package = package(toolchain, &request.manifest_path)?;
    // Its own target directory: another rustc, and a profile we set, would otherwise
    // make cargo rebuild the host artifacts of the workspace.
    let target_dir = package.target_directory.join("nethooks");
    let out = request
        .out
        .clone()
        .unwrap_or_else(|| target_dir.join(format!("{}.bpf.o", package.crate_name)));
    if out.is_dir() {
        return Err(BuildError::Io {
            path: out,
            why: "is a directory; `--out` names the object file to write (such as \
                  `--out target/policy.bpf.o`)"
                .to_owned(),
        });
    }
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| BuildError::Io {
            path: dir.to_owned(),
            why: e.to_string(),
        })?;
    }
    let job = Job {
        toolchain,
        request,
        package: &package,
        target_dir: &target_dir,
    };
    let route = match request.route {
        Route::BpfLinker => {
            link_with_bpf_linker(&job, &out)?;
            "bpf-linker".to_owned()
        }
        Route::Llc => {
            compile_with_llc(&job, &out)?;
            let missing = inspect::undefined_calls(&out)?;
            if !missing.is_empty() {
                return Err(BuildError::Manifest(format!(
                    "the llc route leaves calls to functions outside the crate ({}); build with \
                     `--route bpf-linker` or `--route auto`",
                    missing.join(", ")
                )));
            }
            "llc".to_owned()
        }
        Route::Auto => {
            compile_with_llc(&job, &out)?;
            let missing = inspect::undefined_calls(&out)?;
            if missing.is_empty() {
                "llc".to_owned()
            } else {
                link_with_bpf_linker(&job, &out)?;
                format!(
                    "bpf-linker (the crate calls {} outside itself)",
                    missing.join(", ")
                )
            }
        }
    };
    let sites = inspect::panic_sites(&out)?;
    if !sites.is_empty() {
        return Err(BuildError::CanPanic { sites });
    }
    Ok(Built {
        object: out,
        package: package.name,
        route,
    })
}
