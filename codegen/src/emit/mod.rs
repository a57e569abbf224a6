//! Emitters: one module per output language, one function per generated file,
//! each `fn(&Model) -> Result<String, EmitError>` reading only the [`Model`]. Each
//! language has one writer that lays its text out (`rust::writer`, `c_header::writer`,
//! `markdown::writer`); spec prose goes through [`escape`].

mod artifact;
pub mod c_header;
pub mod doxyfile;
pub mod escape;
mod lines;
pub mod markdown;
pub mod rust;
pub mod verifier_tables;

use std::path::PathBuf;

pub use artifact::{Artifact, EmitError, Kind, banner};

use crate::model::Model;

/// Renders every artifact, in a fixed order.
pub fn all(model: &Model) -> Result<Vec<Artifact>, EmitError> {
    render(model, &Kind::ALL)
}

/// Renders the artifacts of the given kinds, in the fixed order of [`Kind::ALL`]
/// whatever the order of `kinds`. Artifacts that all specs of a run share (the
/// bindings crate's root, `hooks.rs`, the ABI tables crate's root, the hook table, the
/// Doxyfile) come from the
/// root spec, the one without `rust_module`; another spec's bindings are its module.
pub fn render(model: &Model, kinds: &[Kind]) -> Result<Vec<Artifact>, EmitError> {
    let mut artifacts = Vec::new();
    for kind in Kind::ALL.into_iter().filter(|k| kinds.contains(k)) {
        match kind {
            Kind::CHeader => {
                artifacts.push(Artifact {
                    path: PathBuf::from("include").join(&model.header.file),
                    contents: c_header::emit(model)?,
                });
                for include in model.header.project_includes.iter().filter(|i| i.drop_in) {
                    artifacts.push(Artifact {
                        path: PathBuf::from("include").join(&include.file),
                        contents: c_header::emit_drop_in(model, &include.file)?,
                    });
                }
            }
            Kind::RustBindings if !model.is_root() => {
                let module = model.header.rust_module.as_deref().unwrap_or_default();
                artifacts.push(Artifact {
                    path: PathBuf::from(format!("rust/src/{module}.rs")),
                    contents: rust::bindings::emit(model)?,
                });
            }
            Kind::AbiTables if !model.is_root() => {
                let module = model.header.rust_module.as_deref().unwrap_or_default();
                artifacts.push(Artifact {
                    path: PathBuf::from(format!("abi/src/{module}.rs")),
                    contents: rust::abi_crate::emit(model)?,
                });
            }
            Kind::HookTable | Kind::Doxyfile if !model.is_root() => {}
            Kind::RustBindings => {
                artifacts.push(Artifact {
                    path: PathBuf::from("rust/src/lib.rs"),
                    contents: rust::bindings::emit(model)?,
                });
                artifacts.push(Artifact {
                    path: PathBuf::from("rust/src/hooks.rs"),
                    contents: rust::hooks::emit(model)?,
                });
            }
            Kind::AbiTables => {
                artifacts.push(Artifact {
                    path: PathBuf::from("abi/Cargo.toml"),
                    contents: rust::abi_crate::manifest(model)?,
                });
                artifacts.push(Artifact {
                    path: PathBuf::from("abi/src/lib.rs"),
                    contents: rust::abi_crate::emit(model)?,
                });
            }
            Kind::HookTable => artifacts.push(Artifact {
                path: PathBuf::from("macros/hook_table.rs"),
                contents: rust::hook_table::emit(model)?,
            }),
            Kind::Doxyfile => artifacts.push(Artifact {
                path: PathBuf::from("docs/Doxyfile"),
                contents: doxyfile::emit(model)?,
            }),
            Kind::Markdown => artifacts.push(Artifact {
                path: markdown::path(model),
                contents: markdown::emit(model)?,
            }),
            Kind::VerifierTables if !verifier_tables::has_tables(model) => {}
            Kind::VerifierTables => artifacts.push(Artifact {
                path: verifier_tables::path(model),
                contents: verifier_tables::emit(model)?,
            }),
        }
    }
    Ok(artifacts)
}

#[cfg(test)]
mod tests {
    /// Every artifact named after the header takes the same stem, even from a file
    /// name with two dots.
    #[test]
    fn artifacts_named_after_the_header_agree_on_its_stem() {
        let spec = "[header]\nfile = \"net.hooks.h\"\ndoc = \"Test.\"\n\n\
                    [[struct]]\nname = \"s_t\"\ndoc = \"S.\"\n\
                    [[struct.member]]\nname = \"m\"\ntype = \"int\"\ndoc = \"M.\"\n";
        let model = crate::load_str(spec, "t.toml").unwrap_or_else(|e| panic!("{e}"));
        let artifacts = super::all(&model).unwrap_or_else(|e| panic!("{e}"));
        let contents = |path: &str| {
            let found = artifacts
                .iter()
                .find(|a| a.path == std::path::Path::new(path));
            found.map_or_else(|| panic!("no {path}"), |a| a.contents.as_str())
        };
        assert!(contents("docs/Doxyfile").contains("PROJECT_NAME          = \"net.hooks\""));
        assert!(contents("docs/net.hooks.md").contains("# `net.hooks.h` API reference"));
        assert!(contents("include/net.hooks.h").contains("NET_HOOKS_CHECK_LAYOUT"));
    }
}
