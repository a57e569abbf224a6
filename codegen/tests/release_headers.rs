//! Every release of eBPF for Windows the spec covers: each release's headers are the
//! committed goldens (`codegen/tests/releases/<release>/include/`; `BLESS=1 cargo test
//! -p codegen --test release_headers` rewrites them; the newest release's are
//! `generated/include/`),
//! compile under gcc, clang, `clang -target bpf` and g++ with the release's ABI facts
//! asserted, declare exactly the identifiers upstream's headers declare at that tag
//! (counts from `docs/efw-releases.md`), pass Doxygen without a warning, and
//! `--diff-versions` classes each step between two releases.
//!
//! The parts, in `release_headers/`: the releases (`releases`), the facts asserted
//! of each (`facts`, with their tables by topic: `facts_core`, `facts_releases`,
//! `facts_helpers`, and `facts_external` for the enums upstream's `ebpf_structs.h` defines), and the compilers that check them (`harness`).

#[path = "release_headers/facts.rs"]
mod facts;
#[path = "release_headers/facts_core.rs"]
mod facts_core;
#[path = "release_headers/facts_external.rs"]
mod facts_external;
#[path = "release_headers/facts_helpers.rs"]
mod facts_helpers;
#[path = "release_headers/facts_releases.rs"]
mod facts_releases;
#[path = "release_headers/harness.rs"]
mod harness;
#[path = "release_headers/releases.rs"]
mod releases;
mod support;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use codegen::model::Model;
use facts::{UPSTREAM_EBPF_WINDOWS_H, facts_source};
use harness::{bpf_object, compile, compilers};
use releases::{RELEASES, c_headers, golden_dir, models, position};
use support::{require_tool, run, workspace_root};

/// Each release's headers are its goldens; the newest release's are `generated/`'s.
#[test]
fn each_release_s_headers_are_its_goldens() {
    let mut stale = Vec::new();
    for (release, ..) in RELEASES {
        let artifacts = c_headers(release);
        let dir = golden_dir(release);
        let newest = release == RELEASES[RELEASES.len() - 1].0;
        if std::env::var_os("BLESS").is_some() && !newest {
            let _ = std::fs::remove_dir_all(&dir);
            codegen::output::write_all(&dir, &artifacts).unwrap_or_else(|e| panic!("{e}"));
            continue;
        }
        for s in codegen::output::check(&dir, &artifacts) {
            stale.push(format!("{release}: {}:\n{}", s.path.display(), s.diff));
        }
        let on_disk: BTreeSet<String> = std::fs::read_dir(dir.join("include"))
            .unwrap_or_else(|e| panic!("{}: {e} (BLESS=1 writes it)", dir.display()))
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".h"))
            .collect();
        let generated: BTreeSet<String> = (artifacts.iter())
            .map(|a| a.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(on_disk, generated, "{release}: the golden headers");
    }
    assert!(
        stale.is_empty(),
        "golden headers differ (BLESS=1 rewrites them):\n{}",
        stale.join("\n")
    );
}

/// Each release's headers compile under the four compilers with its facts asserted;
/// from 1.4.0 the generated `ebpf_windows.h` drop-in is all they need beside them.
#[test]
fn each_release_compiles_with_its_abi_facts_under_four_compilers() {
    for (release, ..) in RELEASES {
        let dir = tempfile::tempdir().unwrap();
        codegen::output::write_all(dir.path(), &c_headers(release)).unwrap();
        compile(release, &dir.path().join("include"), dir.path());
    }
}

/// gcc's complaints about the facts of `facts` against the headers of `headers`, or
/// `None` if it accepts them.
fn facts_against(facts: &str, headers: &str) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    codegen::output::write_all(dir.path(), &c_headers(headers)).unwrap();
    let source = dir.path().join("facts.c");
    std::fs::write(&source, facts_source(facts)).unwrap();
    let out = support::output(
        Command::new(require_tool("gcc"))
            .args(["-std=c11", "-fsyntax-only", "-I"])
            .arg(dir.path().join("include"))
            .arg("-I")
            .arg(workspace_root().join("tests/programs/include"))
            .arg(&source),
    );
    (!out.status.success()).then(|| String::from_utf8_lossy(&out.stderr).into_owned())
}

/// A fact of a later release fails against an earlier one: the check can fail.
#[test]
fn a_later_release_s_fact_fails_against_an_earlier_release() {
    let stderr = facts_against("1.4.0", "1.3.0").expect("1.3.0's header passed 1.4.0's facts");
    assert!(stderr.contains("bpf_sock_addr_test_context_t"), "{stderr}");
}

/// An earlier release's facts fail against a later one: what is absent from a release,
/// and 1.0.0-rc2's helper signatures without `const`, are checked too.
#[test]
fn an_earlier_release_s_facts_fail_against_a_later_release() {
    let cases = [
        (
            "1.0.0-rc2",
            "1.1.0",
            "redeclaration of enumerator \u{2018}BIND_PERMIT_SOFT",
        ),
        (
            "1.0.0-rc2",
            "1.1.0",
            "conflicting types for \u{2018}bpf_map_lookup_elem_check",
        ),
        ("1.1.0", "1.2.1", "bpf_sock_ops_get_flow_id is new in 1.2.1"),
        ("1.2.1", "1.3.0", "_bpf_sock_addr_network_context"),
        ("1.3.0", "1.4.0", "bpf_redirect_map is new in 1.4.0"),
    ];
    for (facts, headers, complaint) in cases {
        let stderr = facts_against(facts, headers)
            .unwrap_or_else(|| panic!("{headers}'s header passed {facts}'s facts"));
        let plain = stderr.replace(['\u{2018}', '\''], "\u{2018}");
        assert!(plain.contains(complaint), "{facts} vs {headers}: {stderr}");
    }
}

/// The enums the headers use but `ebpf_structs.h` defines (map types, general helper IDs)
/// hold, in each release's model, exactly the enumerators and values of that release.
#[test]
fn each_release_s_external_enums_have_upstream_s_values() {
    for (release, ..) in RELEASES {
        let at = position(release);
        let models = models(release);
        let enums: BTreeSet<&str> = (facts_external::EXTERNAL_ENUMERATORS.iter())
            .map(|(e, ..)| *e)
            .collect();
        for name in enums {
            let expected: Vec<(String, i64)> = (facts_external::EXTERNAL_ENUMERATORS.iter())
                .filter(|(e, first, last, ..)| {
                    *e == name && (position(first)..=position(last)).contains(&at)
                })
                .map(|(.., enumerator, value)| ((*enumerator).to_owned(), *value))
                .collect();
            let found = (models.iter())
                .flat_map(|m| &m.enums)
                .find(|e| e.name == name)
                .unwrap_or_else(|| panic!("{release}: no {name}"));
            let actual: Vec<(String, i64)> = (found.enumerators.iter())
                .map(|e| (e.name.clone(), e.value))
                .collect();
            assert_eq!(actual, expected, "{release}: {name}");
        }
    }
}

/// Every identifier a header declares: typedef names, tags, enumerators and macros of
/// the spec's own items, and the macros its macro blocks define.
fn declared(model: &Model) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let own = |d: &Option<String>| d.is_none();
    names.extend(
        (model.constants.iter())
            .filter(|c| own(&c.defined_in))
            .map(|c| c.name.clone()),
    );
    for e in model.enums.iter().filter(|e| own(&e.defined_in)) {
        names.insert(e.name.clone());
        names.extend(e.tag.clone());
        names.extend(e.enumerators.iter().map(|x| x.name.clone()));
    }
    for s in model.structs.iter().filter(|s| own(&s.defined_in)) {
        names.insert(s.name.clone());
        names.extend(s.tag.clone());
    }
    names.extend(model.typedefs.iter().map(|t| t.name.clone()));
    names.extend(model.hooks.iter().map(|h| h.name.clone()));
    for h in &model.helpers {
        names.insert(h.name.clone());
        names.insert(format!("{}_t", h.name));
    }
    for block in model.macro_blocks.iter().filter(|b| own(&b.defined_in)) {
        names.extend(block.defined_macros().into_iter().map(str::to_owned));
    }
    names
}

/// Each release's headers declare as many identifiers as upstream's at that tag (the
/// `EBPF_HELPER` macro of `ebpf_nethooks.h` aside, which is not a spec item), and
/// none that only later releases have, anywhere in the header.
#[test]
fn each_release_declares_upstream_s_identifiers_and_no_later_ones() {
    let newest: Vec<Model> = models(RELEASES[RELEASES.len() - 1].0);
    for (release, nethooks, helper_defs) in RELEASES {
        let artifacts = c_headers(release);
        for model in models(release) {
            let expected = match model.header.file.as_str() {
                "ebpf_nethooks.h" => nethooks - 1,
                "bpf_helper_defs.h" => helper_defs,
                other => panic!("no facts for {other}"),
            };
            let names = declared(&model);
            // Each is declared in the header itself, not only in the model.
            let header = &artifacts
                .iter()
                .find(|a| a.path.ends_with(&model.header.file))
                .unwrap()
                .contents;
            let helpers: BTreeSet<&str> = model.helpers.iter().map(|h| h.name.as_str()).collect();
            for name in &names {
                // A helper's typedef is declared by `EBPF_HELPER(RET, NAME, (ARGS))`.
                if let Some(helper) = name.strip_suffix("_t").filter(|h| helpers.contains(h)) {
                    assert!(
                        header.contains("EBPF_HELPER(") && header.contains(&format!("{helper},")),
                        "{release}: {} does not declare `{name}`",
                        model.header.file
                    );
                    continue;
                }
                let declarations = [
                    format!("#define {name}"),
                    format!(" {name};"),
                    format!(" {name},"),
                    format!(" {name} ="),
                    format!("typedef struct {name}"),
                    format!("typedef enum {name}"),
                    format!(", {name}, ("),
                    format!("\n{name}("),
                ];
                assert!(
                    declarations.iter().any(|d| header.contains(d.as_str())),
                    "{release}: {} does not declare `{name}`",
                    model.header.file
                );
            }
            assert_eq!(
                names.len(),
                expected,
                "{release}: {}: {names:?}",
                model.header.file
            );
            let later: Vec<String> = (newest.iter())
                .filter(|m| m.source == model.source)
                .flat_map(declared)
                .filter(|name| !names.contains(name))
                .collect();
            let text = &artifacts
                .iter()
                .find(|a| a.path.ends_with(&model.header.file))
                .unwrap()
                .contents;
            for name in later {
                let word = |at: usize| {
                    let before = text[..at].chars().next_back();
                    let after = text[at + name.len()..].chars().next();
                    let inside =
                        |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                    !inside(before) && !inside(after)
                };
                assert!(
                    !text.match_indices(&name).any(|(at, _)| word(at)),
                    "{release}: {} mentions `{name}`, which only a later release has",
                    model.header.file
                );
            }
        }
    }
}

/// The sock_addr hook's attach types per release: four before 1.3.0, ten from it
/// (1.3.0 added connect_authorization, bind and listen, 4 and 6 each).
#[test]
fn each_release_has_its_attach_types() {
    for (release, ..) in RELEASES {
        let models = models(release);
        let nethooks = models
            .iter()
            .find(|m| m.header.file == "ebpf_nethooks.h")
            .unwrap();
        let sock_addr = nethooks
            .hooks
            .iter()
            .find(|h| h.name == "sock_addr_hook_t")
            .unwrap();
        let sections: Vec<&str> = sock_addr
            .attach_types
            .iter()
            .map(|a| a.section.as_str())
            .collect();
        let expected = if position(release) < position("1.3.0") {
            4
        } else {
            10
        };
        assert_eq!(sections.len(), expected, "{release}: {sections:?}");
        assert_eq!(
            sections.contains(&"cgroup/listen4"),
            expected == 10,
            "{release}: {sections:?}"
        );
    }
}

/// Doxygen documents every release's headers, drop-in included, without a warning.
#[test]
fn doxygen_documents_every_release_without_warnings() {
    for (release, ..) in RELEASES {
        let dir = tempfile::tempdir().unwrap();
        let artifacts = codegen::generate_all_release(
            &support::all_specs(),
            &codegen::emit::Kind::ALL,
            Some(release),
        )
        .unwrap_or_else(|errors| panic!("{}", errors[0]));
        codegen::output::write_all(&dir.path().join("generated"), &artifacts).unwrap();
        let doxygen = require_tool("doxygen");
        let out = support::output(
            Command::new(doxygen)
                .arg("generated/docs/Doxyfile")
                .current_dir(dir.path()),
        );
        let printed = String::from_utf8_lossy(&out.stderr).trim().to_owned();
        assert!(
            out.status.success() && printed.is_empty(),
            "{release}:\n{printed}"
        );
    }
}

/// `--diff-versions` over each pair of consecutive releases: what was added, and
/// whether anything breaks. Only 1.2.1 breaks, by moving `BPF_MAP_TYPE_MAX` from 16 to
/// 17 when it inserted `BPF_MAP_TYPE_XSKMAP`; 1.1.0's `const` parameters and its
/// reordered `BIND_PERMIT` keep every value and C call.
#[test]
fn diff_versions_classes_each_step() {
    let expected: [(&str, &str, usize, usize, &[&str]); 5] = [
        (
            "1.0.0-rc2",
            "1.1.0",
            13,
            0,
            &[
                "compatible added   enumerator BIND_PERMIT_HARD",
                "compatible changed helper bpf_map_lookup_elem: parameter `void* key` -> `const void* key`",
            ],
        ),
        (
            "1.1.0",
            "1.2.1",
            6,
            1,
            &[
                "breaking   changed enumerator BPF_MAP_TYPE_MAX: value `16` -> `17`",
                "compatible added   helper bpf_sock_ops_get_flow_id",
            ],
        ),
        (
            "1.2.1",
            "1.3.0",
            15,
            0,
            &[
                "compatible added   attach type listen4",
                "compatible added   struct bpf_sock_addr_network_context_t",
            ],
        ),
        (
            "1.3.0",
            "1.4.0",
            19,
            0,
            &[
                "compatible added   include \"ebpf_windows.h\" in ebpf_nethooks.h",
                "compatible added   helper bpf_redirect_map",
                "compatible added   macro BPF_SOCK_ADDR_TEST_CONTEXT_HEADER_VERSION",
            ],
        ),
        ("1.4.0", "1.5.0", 0, 0, &[]),
    ];
    for (old, new, changes, breaking, lines) in expected {
        let diff = codegen::diff::diff(&models(old), &models(new));
        let text = codegen::diff::render(&diff, old, new);
        assert_eq!(diff.len(), changes, "{old} -> {new}:\n{text}");
        assert_eq!(
            diff.iter().filter(|c| c.breaking).count(),
            breaking,
            "{text}"
        );
        for line in lines {
            assert!(
                text.contains(line),
                "{old} -> {new}: no {line:?} in\n{text}"
            );
        }
    }
    // Going back, `const` removed from a parameter breaks callers that pass one.
    let back = codegen::diff::diff(&models("1.1.0"), &models("1.0.0-rc2"));
    let lookup = back.iter().find(|c| c.item == "helper bpf_map_lookup_elem");
    assert!(lookup.is_some_and(|c| c.breaking), "{back:?}");
}

/// The cargo features of the facade, the bindings, the macros and the maps crate name
/// the spec's releases, each enabling the one before, the newest by default.
#[test]
fn cargo_features_follow_the_spec_s_releases() {
    let features: Vec<String> = RELEASES
        .iter()
        .map(|(name, ..)| format!("efw-{}", name.replace('.', "-")))
        .collect();
    for manifest in [
        "Cargo.toml",
        "generated/rust/Cargo.toml",
        "macros/Cargo.toml",
        "maps/Cargo.toml",
    ] {
        let text = std::fs::read_to_string(workspace_root().join(manifest)).unwrap();
        let table: toml::Table = toml::from_str(&text).unwrap();
        let declared = table["features"].as_table().unwrap();
        let default = declared["default"].as_array().unwrap();
        assert_eq!(default.len(), 1, "{manifest}");
        assert_eq!(
            default[0].as_str(),
            features.last().map(String::as_str),
            "{manifest}"
        );
        for (i, feature) in features.iter().enumerate() {
            let enables: Vec<&str> = declared
                .get(feature)
                .unwrap_or_else(|| panic!("{manifest} has no feature {feature}"))
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            if i > 0 {
                assert!(
                    enables.contains(&features[i - 1].as_str()),
                    "{manifest}: {feature}"
                );
            }
        }
    }
}

/// Programs written for today's header (upstream's 00053ce6b, whose ABI is 1.3.0's)
/// compile to the same bytes under the newest release's header: 1.4.0 and 1.5.0 only
/// add to it. Every C program of `tests/programs` and `tests/programs/maps`.
#[test]
fn programs_for_the_old_header_compile_to_the_same_bytes_under_the_newest() {
    let programs = workspace_root().join("tests/programs");
    let stand_in = programs.join("include");
    let old = golden_dir("1.3.0").join("include");
    let new = workspace_root().join("generated/include");
    let dir = tempfile::tempdir().unwrap();
    let mut sources: Vec<PathBuf> = Vec::new();
    for folder in [programs.clone(), programs.join("maps")] {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "c") {
                sources.push(path);
            }
        }
    }
    sources.sort();
    assert!(sources.len() >= 20, "only {} programs", sources.len());
    for source in &sources {
        let before = bpf_object(source, &[&old, &stand_in], dir.path());
        let after = bpf_object(source, &[&new, &stand_in], dir.path());
        assert!(before == after, "{} compiles differently", source.display());
    }
}

/// Each release's `ebpf_nethooks.h` compiles on its own with only the generated
/// directory on the include path (upstream's 1.4.0 does not: its `ebpf_windows.h`
/// uses `uint8_t` first); with upstream's directory first, upstream's
/// `ebpf_windows.h` is the one included; and with the generated directory first,
/// after an upstream header that includes upstream's own `ebpf_windows.h` (as
/// `ebpf_structs.h` does), the drop-in defines nothing a second time.
#[test]
fn each_release_s_header_compiles_alone_and_after_upstream_s_include_directory() {
    let upstream = tempfile::tempdir().unwrap();
    std::fs::write(
        upstream.path().join("ebpf_structs.h"),
        "#pragma once\n#include \"ebpf_windows.h\"\n",
    )
    .unwrap();
    std::fs::write(
        upstream.path().join("ebpf_windows.h"),
        UPSTREAM_EBPF_WINDOWS_H,
    )
    .unwrap();
    for (release, ..) in RELEASES {
        let dir = tempfile::tempdir().unwrap();
        codegen::output::write_all(dir.path(), &c_headers(release)).unwrap();
        let include = dir.path().join("include");
        for (i, (compiler, args, extension)) in compilers().into_iter().enumerate() {
            let source = dir.path().join(format!("alone.{extension}"));
            let upstream_only = if position(release) >= position("1.4.0") {
                "GUID upstream_only;\n"
            } else {
                ""
            };
            let after_structs = format!("#include \"ebpf_structs.h\"\n{upstream_only}");
            for (includes, before, after) in [
                (vec![include.as_path()], "", ""),
                (vec![upstream.path(), include.as_path()], "", upstream_only),
                (
                    vec![include.as_path(), upstream.path()],
                    after_structs.as_str(),
                    "",
                ),
            ] {
                let text = format!("{before}#include \"ebpf_nethooks.h\"\n{after}");
                std::fs::write(&source, text).unwrap();
                let object = dir.path().join(format!("{i}.o"));
                let mut command = Command::new(require_tool(compiler));
                command.args(&args);
                for include in includes {
                    command.arg("-I").arg(include);
                }
                run(command.arg("-c").arg(&source).arg("-o").arg(&object));
            }
        }
    }
}
