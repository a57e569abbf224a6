//! The releases of eBPF for Windows the spec covers, and each one's models, headers
//! and golden directory.

use std::path::{Path, PathBuf};

use codegen::model::Model;

use crate::support::{self, workspace_root};

/// The releases, oldest first, with the number of identifiers upstream's
/// `ebpf_nethooks.h` and `bpf_helper_defs.h` declare at each tag (typedef names,
/// tags, enumerators, macros; a helper is its ID enumerator, typedef and macro).
pub const RELEASES: [(&str, usize, usize); 6] = [
    ("1.0.0-rc2", 36, 81),
    ("1.1.0", 38, 81),
    ("1.2.1", 43, 81),
    ("1.3.0", 49, 81),
    ("1.4.0", 56, 83),
    ("1.5.0", 56, 83),
];

pub fn position(release: &str) -> usize {
    (RELEASES.iter())
        .position(|(name, ..)| *name == release)
        .unwrap_or_else(|| panic!("no release {release}"))
}

pub fn models(release: &str) -> Vec<Model> {
    codegen::load_all_release(&support::all_specs(), Some(release))
        .unwrap_or_else(|errors| panic!("{release}: {}", errors[0]))
}

pub fn c_headers(release: &str) -> Vec<codegen::emit::Artifact> {
    codegen::generate_all_release(
        &support::all_specs(),
        &[codegen::emit::Kind::CHeader],
        Some(release),
    )
    .unwrap_or_else(|errors| panic!("{release}: {}", errors[0]))
}

/// Where a release's golden headers are: `generated/` for the newest release (which
/// `golden.rs` keeps current), `codegen/tests/releases/<release>/` for the others.
pub fn golden_dir(release: &str) -> PathBuf {
    if release == RELEASES[RELEASES.len() - 1].0 {
        return workspace_root().join("generated");
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/releases")
        .join(release)
}
