//! What the tests that run built objects share: building a crate of the workspace to
//! BPF with `cargo nethooks build`'s library, once per test binary and crate (each
//! caller keeps the result in its own `OnceLock`). A test binary that declares
//! `mod common;` also declares `mod support;` (the runner's test support).

use std::path::PathBuf;

use ebpf_nethooks::maps::{Immutable, IntoBytes};

/// Builds the crate whose manifest is `manifest` (relative to the workspace) into
/// `<CARGO_TARGET_TMPDIR>/<object_name>`; panics with the install hint on failure.
pub fn build_to_bpf(manifest: &str, object_name: &str) -> cargo_nethooks::Built {
    let mut request = cargo_nethooks::Request::new(crate::support::workspace_root().join(manifest));
    request.out = Some(PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(object_name));
    cargo_nethooks::build_crate(&request).unwrap_or_else(|e| {
        panic!(
            "cargo nethooks build {manifest} failed: {e}\n{}",
            crate::support::INSTALL_HINT
        )
    })
}

/// A host map's typed entries as the runner lists a map's: key and value bytes.
#[allow(dead_code)] // Not every test binary that includes this module compares maps.
pub fn entries_as_bytes<K: IntoBytes + Immutable, V: IntoBytes + Immutable>(
    entries: Vec<(K, V)>,
) -> Vec<(Vec<u8>, Vec<u8>)> {
    entries
        .iter()
        .map(|(k, v)| (k.as_bytes().to_vec(), v.as_bytes().to_vec()))
        .collect()
}
