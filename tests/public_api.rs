//! The public API of the facade and of the generated bindings, as committed
//! snapshots (`tests/public_api/*.txt`), so an API change shows up in review as a
//! change of those files. A mismatch fails with a unified diff; `BLESS=1 cargo test
//! -p ebpf-nethooks --test public_api` rewrites the snapshots.
//!
//! The lines are listed from source with `syn` (`list.rs` says why and what that
//! sees): cargo-public-api needs rustdoc JSON, which the stable toolchain gives only
//! to nightly or with `RUSTC_BOOTSTRAP`.

#[path = "public_api/list.rs"]
mod list;
#[path = "public_api/tokens.rs"]
mod tokens;

use std::path::Path;

use similar::TextDiff;

/// Compares the API of the crate rooted at `root` with `snapshot`, or rewrites it.
fn check(root: &str, snapshot: &str) {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"));
    let api = list::crate_api(&workspace.join(root));
    let header = format!(
        "# The public API of {root}, listed by tests/public_api.rs; BLESS=1 cargo test -p ebpf-nethooks --test public_api rewrites it.\n"
    );
    let actual = header + &api.join("\n") + "\n";
    let path = workspace.join("tests/public_api").join(snapshot);
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, &actual).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != actual {
        let diff = TextDiff::from_lines(&expected, &actual);
        panic!(
            "the public API of {root} differs from tests/public_api/{snapshot}; if the change \
             is meant, BLESS=1 cargo test -p ebpf-nethooks --test public_api rewrites it:\n{}",
            diff.unified_diff().header(snapshot, "now")
        );
    }
}

#[test]
fn facade_api_is_the_snapshot() {
    check("src/lib.rs", "ebpf-nethooks.txt");
}

#[test]
fn bindings_api_is_the_snapshot() {
    check("generated/rust/src/lib.rs", "ebpf-nethooks-bindings.txt");
}
