//! The ebpf-nethooks generator: spec (TOML) -> validated, resolved and laid out model
//! -> artifacts.
//!
//! ```text
//! spec/nethooks.toml --load--> RawSpec --resolve (+ LayoutEngine)--> Model
//!                                   \--emit--> C header, Rust bindings, hook table,
//!                                              Doxyfile, Markdown reference
//! ```
//! Every emitter reads the [`model::Model`] only; nothing after `load` sees TOML.

pub mod diagnostic;
pub mod emit;
pub mod layout;
pub mod model;
pub mod output;
pub mod resolve;
pub mod spec;
pub mod spec_verifier;
pub mod synthetic;

use std::path::{Path, PathBuf};

use diagnostic::SpecErrors;
use model::Model;

/// Name and version of this generator, as banners print it.
pub const GENERATOR: &str = concat!("codegen ", env!("CARGO_PKG_VERSION"));

/// Everything that can stop a generation run.
#[derive(Debug)]
pub enum Error {
    /// The spec has mistakes; each is located in the spec file.
    Spec(SpecErrors),
    /// A file could not be read or written.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// An emitter could not write an artifact (a generator bug, not a spec mistake).
    Emit(emit::EmitError),
    /// Two specs of one run would write the same artifact.
    Conflict { path: PathBuf, specs: [String; 2] },
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Spec(errors) => write!(f, "{errors}"),
            Error::Io { path, source } => write!(f, "error: {}: {source}", path.display()),
            Error::Emit(error) => write!(f, "error: {error}"),
            Error::Conflict { path, specs } => write!(
                f,
                "error: {} and {} would both write {}: give each spec its own header file, and `rust_module` to all specs but one",
                specs[0],
                specs[1],
                path.display()
            ),
        }
    }
}

impl std::error::Error for Error {}

impl From<emit::EmitError> for Error {
    fn from(error: emit::EmitError) -> Self {
        Error::Emit(error)
    }
}

/// Parses, validates and lays out a spec given as text. `source_name` is how the
/// spec is named in diagnostics and banners.
pub fn load_str(text: &str, source_name: &str) -> Result<Model, SpecErrors> {
    let errors = |diagnostics| SpecErrors {
        path: source_name.to_owned(),
        source: text.to_owned(),
        diagnostics,
    };
    let (raw, mut diagnostics) = spec::parse(text);
    let raw = raw.ok_or_else(|| errors(std::mem::take(&mut diagnostics)))?;
    // Unknown keys and the meaning of what was read are reported together.
    match resolve::resolve(&raw, source_name) {
        Ok(model) if diagnostics.is_empty() => Ok(model),
        Ok(_) => Err(errors(diagnostics)),
        Err(more) => {
            diagnostics.extend(more);
            Err(errors(diagnostics))
        }
    }
}

/// Like [`load_str`] for a file's raw bytes: text that is not UTF-8 is a spec error.
pub fn load_bytes(bytes: &[u8], source_name: &str) -> Result<Model, SpecErrors> {
    match spec::decode(bytes) {
        Ok(text) => load_str(text, source_name),
        // The valid prefix keeps its byte offsets in the lossy text, so the span holds.
        Err(diagnostic) => Err(SpecErrors {
            path: source_name.to_owned(),
            source: String::from_utf8_lossy(bytes).into_owned(),
            diagnostics: vec![*diagnostic],
        }),
    }
}

/// Reads and loads a spec file.
pub fn load(path: &Path, source_name: &str) -> Result<Model, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    load_bytes(&bytes, source_name).map_err(Error::Spec)
}

/// Loads a spec and renders every artifact in memory.
pub fn generate(path: &Path, source_name: &str) -> Result<Vec<emit::Artifact>, Error> {
    generate_kinds(path, source_name, &emit::Kind::ALL)
}

/// Loads a spec and renders the artifacts of the given kinds in memory.
pub fn generate_kinds(
    path: &Path,
    source_name: &str,
    kinds: &[emit::Kind],
) -> Result<Vec<emit::Artifact>, Error> {
    let model = load(path, source_name)?;
    Ok(emit::render(&model, kinds)?)
}

/// A spec file of a run: where it is, and how diagnostics and banners name it.
#[derive(Debug, Clone)]
pub struct SpecFile {
    pub path: PathBuf,
    pub source_name: String,
}

/// Loads every spec of a run and tells each about the others ([`model::Sibling`]).
/// `Err` holds the error of every spec that failed.
pub fn load_all(specs: &[SpecFile]) -> Result<Vec<Model>, Vec<Error>> {
    let (mut models, mut errors) = (Vec::new(), Vec::new());
    for spec in specs {
        match load(&spec.path, &spec.source_name) {
            Ok(model) => models.push(model),
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let siblings: Vec<model::Sibling> = models
        .iter()
        .map(|m| model::Sibling {
            source: m.source.clone(),
            header_file: m.header.file.clone(),
            rust_module: m.header.rust_module.clone(),
            brief: m.header.doc.brief.clone(),
        })
        .collect();
    for (i, model) in models.iter_mut().enumerate() {
        model.header.siblings = (siblings.iter().enumerate())
            .filter(|&(j, _)| j != i)
            .map(|(_, s)| s.clone())
            .collect();
    }
    Ok(models)
}

/// Loads every spec of a run and renders the artifacts of the given kinds, each
/// spec's in turn. Two specs that would write the same file are an error.
pub fn generate_all(
    specs: &[SpecFile],
    kinds: &[emit::Kind],
) -> Result<Vec<emit::Artifact>, Vec<Error>> {
    let models = load_all(specs)?;
    let mut artifacts: Vec<emit::Artifact> = Vec::new();
    let mut owners: Vec<&str> = Vec::new();
    for model in &models {
        for artifact in emit::render(model, kinds).map_err(|e| vec![Error::Emit(e)])? {
            if let Some(i) = artifacts.iter().position(|a| a.path == artifact.path) {
                return Err(vec![Error::Conflict {
                    path: artifact.path,
                    specs: [owners[i].to_owned(), model.source.clone()],
                }]);
            }
            owners.push(&model.source);
            artifacts.push(artifact);
        }
    }
    Ok(artifacts)
}
