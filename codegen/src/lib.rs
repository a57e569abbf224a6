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
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Spec(errors) => write!(f, "{errors}"),
            Error::Io { path, source } => write!(f, "error: {}: {source}", path.display()),
            Error::Emit(error) => write!(f, "error: {error}"),
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
