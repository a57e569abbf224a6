//! The workspace as the generator's and the facade's tests see it: where it is, its
//! specs and the model `codegen` loads from them. Included with `#[path]` by
//! `tests/support/mod.rs` (the facade's tests) and `codegen/tests/support/mod.rs`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The workspace root: the including package's directory (the facade) or the one
/// above it (`codegen/`), whichever holds the spec.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|dir| dir.join("spec/nethooks.toml").is_file())
        .expect("the package is inside the workspace")
        .to_owned()
}

pub fn spec_path() -> PathBuf {
    workspace_root().join("spec/nethooks.toml")
}

/// The real spec with one made-up attach type, `connect_redirect4` (section
/// `cgroup/connect_redirect4`), added to the sock_addr hook: what a spec author
/// does to support a new attach type.
pub fn spec_with_added_attach_type() -> String {
    let spec = std::fs::read_to_string(spec_path()).unwrap();
    let next_hook = "[[hook]]\nname = \"sock_ops_hook_t\"";
    assert!(
        spec.contains(next_hook),
        "the spec's layout changed; update this helper"
    );
    let added = "[[hook.attach]]\nname = \"connect_redirect4\"\n\
                 attach_type = \"EBPF_ATTACH_TYPE_CGROUP_INET4_CONNECT_REDIRECT\"\n\
                 section = \"cgroup/connect_redirect4\"\ndoc = \"A made-up attach type.\"\n\n";
    spec.replacen(next_hook, &format!("{added}{next_hook}"), 1)
}

/// The checked-in spec, loaded through the generator's own pipeline.
pub fn model() -> codegen::model::Model {
    codegen::load(&spec_path(), "spec/nethooks.toml").unwrap_or_else(|e| panic!("{e}"))
}

/// Every spec of the workspace (`spec/*.toml`, by file name), as `codegen` reads them.
pub fn all_specs() -> Vec<codegen::SpecFile> {
    let mut names: Vec<String> = std::fs::read_dir(workspace_root().join("spec"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".toml"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| codegen::SpecFile {
            path: workspace_root().join("spec").join(&name),
            source_name: format!("spec/{name}"),
        })
        .collect()
}
