//! Every program of `tests/hook_programs` (one per hook and attach type) lands in
//! the ELF section the spec names for its attach type, and nothing else lands in
//! those sections, in the real BPF object that `cargo nethooks build` makes; and an
//! attach type added to the spec is, once regenerated, accepted by its attribute and
//! placed in its section with no edit to `macros/` (that crate is built for the host
//! and its rlib read with `object`).

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use object::read::archive::ArchiveFile;
use object::{Object, ObjectSection, ObjectSymbol, SymbolKind};
use support::{model, run, workspace_root};

/// Entry point symbol -> section, as `tests/hook_programs/src/lib.rs` names them.
fn expected_entries() -> BTreeMap<String, String> {
    let mut expected = BTreeMap::new();
    for hook in &model().hooks {
        let attribute = codegen::emit::rust::names::attribute_name(hook);
        match hook.attach_types.as_slice() {
            [only] => {
                expected.insert(format!("{attribute}_program"), only.section.clone());
            }
            many => {
                for at in many {
                    expected.insert(
                        format!("{attribute}_program_{}", at.name),
                        at.section.clone(),
                    );
                }
            }
        }
    }
    expected
}

/// A target directory of the tests' own (the outer `cargo test` holds the
/// workspace's). Each workspace gets its own: cargo names a path package's artifacts
/// by its path relative to the workspace root, so the copy's macro crate and the real
/// one would overwrite each other's artifacts in a shared directory.
fn target_dir(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name)
}

/// Builds package `package` of the workspace at `root`; returns the rlib's bytes.
fn build_rlib(root: &Path, package: &str, offline: bool) -> Vec<u8> {
    let target = target_dir(if offline {
        "extended_spec_target"
    } else {
        "hook_programs"
    });
    let mut cargo = Command::new(env!("CARGO"));
    cargo
        .current_dir(root)
        .args(["build", "--quiet", "-p", package, "--target-dir"])
        .arg(&target);
    if offline {
        cargo.arg("--offline");
    }
    run(&mut cargo);
    let rlib = target
        .join("debug")
        .join(format!("lib{}.rlib", package.replace('-', "_")));
    fs::read(&rlib).unwrap_or_else(|e| panic!("{}: {e}", rlib.display()))
}

/// Every function symbol defined in the rlib's objects, with its section's name.
fn function_sections(rlib: &[u8]) -> Vec<(String, String)> {
    let archive = ArchiveFile::parse(rlib).expect("an rlib is an archive");
    let mut found = Vec::new();
    for member in archive.members() {
        let member = member.unwrap();
        let name = String::from_utf8_lossy(member.name()).into_owned();
        if !name.ends_with(".o") {
            continue; // lib.rmeta: Rust metadata, not code
        }
        let data = member.data(rlib).unwrap();
        let file = object::File::parse(data).unwrap_or_else(|e| panic!("{name}: {e}"));
        for symbol in file.symbols() {
            if symbol.kind() != SymbolKind::Text || symbol.is_undefined() {
                continue;
            }
            let Some(index) = symbol.section_index() else {
                continue;
            };
            let section = file.section_by_index(index).unwrap();
            found.push((
                symbol.name().unwrap().to_owned(),
                section.name().unwrap().to_owned(),
            ));
        }
    }
    found
}

/// Every function symbol defined in a BPF object, with its section's name.
fn object_function_sections(object: &[u8]) -> Vec<(String, String)> {
    let file = object::File::parse(object).expect("an ELF object");
    assert_eq!(file.architecture(), object::Architecture::Bpf);
    file.symbols()
        .filter(|s| s.kind() == SymbolKind::Text && !s.is_undefined())
        .filter_map(|s| {
            let section = file.section_by_index(s.section_index()?).ok()?;
            Some((s.name().ok()?.to_owned(), section.name().ok()?.to_owned()))
        })
        .collect()
}

#[test]
fn each_entry_point_is_in_its_attach_types_section_and_nothing_else_is() {
    let expected = expected_entries();
    assert!(expected.len() >= model().hooks.len());
    let out = tempfile::tempdir().unwrap();
    let mut request =
        cargo_nethooks::Request::new(workspace_root().join("tests/hook_programs/Cargo.toml"));
    request.out = Some(out.path().join("hook_programs.o"));
    let built = cargo_nethooks::build_crate(&request).unwrap_or_else(|e| {
        panic!(
            "cargo nethooks build failed: {e}\n{}",
            support::INSTALL_HINT
        )
    });
    let functions = object_function_sections(&fs::read(&built.object).unwrap());

    let hook_sections: BTreeSet<&String> = expected.values().collect();
    let mut placed: BTreeMap<String, String> = BTreeMap::new();
    for (symbol, section) in &functions {
        if expected.contains_key(symbol) || hook_sections.contains(section) {
            placed.insert(symbol.clone(), section.clone());
        }
    }
    assert_eq!(
        placed, expected,
        "left: function symbols that are entry points or sit in a hook section; right: what the spec asks for"
    );
    // The test would pass vacuously if no helper function were seen at all.
    assert!(
        functions
            .iter()
            .any(|(s, section)| s.contains("helper_function") && !hook_sections.contains(section)),
        "the ordinary function should be in the object, outside every hook section: {functions:#?}"
    );
}

/// Every file below `dir` (relative to `root`), as paths relative to `root`.
fn files_under(root: &Path, dir: &Path) -> Vec<String> {
    let mut files = Vec::new();
    for entry in fs::read_dir(root.join(dir)).unwrap() {
        let path = dir.join(entry.unwrap().file_name());
        if root.join(&path).is_dir() {
            files.extend(files_under(root, &path));
        } else {
            files.push(path.to_string_lossy().into_owned());
        }
    }
    files
}

/// Writes `contents` to `path`, creating its directory.
fn write(path: &Path, contents: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

/// The workspace manifest of a copy: the real one with only the crates a program
/// needs (the facade, the bindings, the macro crate, the maps) and the program as
/// members, and no dev-dependencies (the copy builds no tests).
fn extended_workspace(root: &Path) -> String {
    let text = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let mut manifest: toml::Table = text.parse().unwrap();
    manifest.remove("dev-dependencies");
    let workspace = manifest["workspace"].as_table_mut().unwrap();
    workspace.insert(
        "members".to_owned(),
        toml::Value::from(vec!["macros", "generated/rust", "maps", "program"]),
    );
    manifest.to_string()
}

const EXTENDED_PROGRAM: &str = r#"#![no_std]
use ebpf_nethooks::hooks::{ConnectRedirect4, Context};
use ebpf_nethooks::*;

#[sock_addr_hook(connect_redirect4)]
pub fn redirect(mut ctx: Context<'_, ConnectRedirect4>) -> ebpf_sock_addr_verdict_t {
    ctx.bpf_sock_addr_set_redirect_context(b"proxy");
    ebpf_sock_addr_verdict_t::BPF_SOCK_ADDR_VERDICT_PROCEED_HARD
}
"#;

#[test]
fn an_attach_type_added_to_the_spec_is_accepted_by_its_attribute_after_regenerating() {
    let root = workspace_root();
    let spec = support::spec_with_added_attach_type();

    // A copy of the workspace whose generated/ comes from the extended spec; every
    // hand-written file (macros/, the bindings' manifest, the facade) is copied as is.
    // A new directory each run: a copy at a fixed path was sometimes built from the
    // previous run's stale macro crate (same package path, same target directory).
    let tree_dir = tempfile::Builder::new()
        .prefix("extended_spec")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .unwrap();
    let tree = tree_dir.path().to_path_buf();
    // Generated from the extended spec together with the workspace's other specs, as
    // `cargo run -p codegen` does (the bindings' root declares their modules).
    let extended = tree.join("spec/nethooks.toml");
    write(&extended, &spec);
    let mut specs = vec![codegen::SpecFile {
        path: extended,
        source_name: "spec/nethooks.toml".to_owned(),
    }];
    specs.extend(
        support::all_specs()
            .into_iter()
            .filter(|s| s.source_name != "spec/nethooks.toml"),
    );
    let artifacts = codegen::generate_all(&specs, &codegen::emit::Kind::ALL)
        .unwrap_or_else(|errors| panic!("{errors:?}"));
    codegen::output::write_all(&tree.join("generated"), &artifacts).unwrap();
    // The hand-written crates as they are: the macros, the facade and the maps.
    let sources = ["macros/src", "src", "maps/src"]
        .into_iter()
        .flat_map(|dir| files_under(&root, Path::new(dir)));
    let others = [
        "macros/Cargo.toml",
        "maps/Cargo.toml",
        "generated/rust/Cargo.toml",
        "README.md",
        "Cargo.lock",
    ];
    for file in sources.chain(others.map(String::from)) {
        write(
            &tree.join(&file),
            &fs::read_to_string(root.join(&file)).unwrap(),
        );
    }
    write(&tree.join("Cargo.toml"), &extended_workspace(&root));
    write(
        &tree.join("program/Cargo.toml"),
        "[package]\nname = \"extended-program\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
         [dependencies]\nebpf-nethooks = { path = \"..\" }\n",
    );
    write(&tree.join("program/src/lib.rs"), EXTENDED_PROGRAM);

    // Offline: every dependency is the workspace's, already fetched.
    let rlib = build_rlib(&tree, "extended-program", true);
    // On the host the entry point keeps its Rust (mangled) symbol: it is exported
    // under its own name only on BPF.
    let placed: Vec<(String, String)> = function_sections(&rlib)
        .into_iter()
        .filter(|(_, section)| section == "cgroup/connect_redirect4")
        .collect();
    assert!(
        placed.len() == 1 && placed[0].0.contains("8redirect"),
        "{placed:?}"
    );
}
