//! The ebpf-nethooks generator: spec (TOML) -> validated, resolved and laid out model
//! -> artifacts.
//!
//! ```text
//! spec/nethooks.toml --load--> RawSpec --resolve (+ LayoutEngine)--> Model
//!                                   \--emit--> C header, Rust bindings, hook table,
//!                                              Doxyfile, Markdown reference
//! ```
//! Every emitter reads the [`model::Model`] only; nothing after `load` sees TOML.

pub mod c_naming;
pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod layout;
pub mod model;
pub mod output;
pub mod release;
pub mod resolve;
pub mod rust_naming;
pub mod spec;
pub mod suggest;
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
    /// The release asked for is not one the spec covers.
    UnknownRelease {
        /// The spec, as diagnostics name it.
        spec: String,
        asked: String,
        /// The releases the spec covers, oldest first.
        known: Vec<String>,
    },
    /// The specs of one run list different releases.
    ReleasesDiffer { specs: [String; 2] },
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
            Error::UnknownRelease { spec, asked, known } if known.is_empty() => write!(
                f,
                "error: {spec} lists no releases, so there is no release `{}` to generate: run without `--efw-version`",
                shortened(asked)
            ),
            Error::UnknownRelease { spec, asked, known } => write!(
                f,
                "error: {spec} does not cover eBPF for Windows `{}`: it covers {}",
                shortened(asked),
                known.join(", ")
            ),
            Error::ReleasesDiffer { specs } => write!(
                f,
                "error: {} and {} list different `[[release]]`s: every spec of a run covers the same releases",
                specs[0], specs[1]
            ),
        }
    }
}

impl std::error::Error for Error {}

/// A name from the command line as messages show it: at most 40 characters, escaped.
fn shortened(name: &str) -> String {
    const SHOWN: usize = 40;
    let escaped = name.escape_debug().to_string();
    match escaped.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}... ({} bytes)", &escaped[..cut], name.len()),
        None => escaped,
    }
}

impl From<emit::EmitError> for Error {
    fn from(error: emit::EmitError) -> Self {
        Error::Emit(error)
    }
}

/// Parses, validates and lays out a spec given as text, for its newest release.
/// `source_name` is how the spec is named in diagnostics and banners.
pub fn load_str(text: &str, source_name: &str) -> Result<Model, SpecErrors> {
    match load_str_release(text, source_name, None) {
        Ok(model) => Ok(model),
        Err(Error::Spec(errors)) => Err(errors),
        // Only an asked-for release can be unknown.
        Err(other) => unreachable!("{other}"),
    }
}

/// Like [`load_str`], for the release named `release` (`None`: the newest). Every
/// release of the spec is resolved, so a mistake that only one release shows is
/// still found; the model is the asked-for release's.
pub fn load_str_release(
    text: &str,
    source_name: &str,
    release: Option<&str>,
) -> Result<Model, Error> {
    load_text(text, source_name, release).map(|(model, _)| model)
}

/// [`load_str_release`], with the spec as written (for checks across the specs of a
/// run, which need the places of names).
fn load_text(
    text: &str,
    source_name: &str,
    release: Option<&str>,
) -> Result<(Model, spec::RawSpec), Error> {
    let errors = |diagnostics| {
        Error::Spec(SpecErrors {
            path: source_name.to_owned(),
            source: text.to_owned(),
            diagnostics,
        })
    };
    let (raw, mut diagnostics) = spec::parse(text);
    let raw = raw.ok_or_else(|| errors(std::mem::take(&mut diagnostics)))?;
    let release_problems = release::check(&raw);
    if !release_problems.is_empty() {
        diagnostics.extend(release_problems);
        return Err(errors(diagnostics));
    }
    let known: Vec<String> = release::names(&raw)
        .into_iter()
        .map(str::to_owned)
        .collect();
    let target =
        match release {
            Some(asked) => Some(known.iter().position(|k| k == asked).ok_or_else(|| {
                Error::UnknownRelease {
                    spec: source_name.to_owned(),
                    asked: asked.to_owned(),
                    known: known.clone(),
                }
            })?),
            None => known.len().checked_sub(1),
        };
    let Some(target) = target else {
        // A spec without releases describes one header. Unknown keys and the
        // meaning of what was read are reported together.
        return match resolve::resolve(&raw, source_name) {
            Ok(model) if diagnostics.is_empty() => Ok((model, raw)),
            Ok(_) => Err(errors(diagnostics)),
            Err(more) => {
                diagnostics.extend(more);
                Err(errors(diagnostics))
            }
        };
    };
    // Newest first: a mistake of every release is reported once, as the newest
    // shows it; one that only an older release shows says which release.
    let mut chosen = None;
    let mut first_seen = std::collections::BTreeMap::new();
    let mut values = std::collections::BTreeMap::new();
    for at in (0..known.len()).rev() {
        match resolve::resolve_checking(&release::select(&raw, at), source_name, at == target) {
            Ok(model) => {
                for key in model.release_keys() {
                    first_seen.insert(key, at);
                }
                for (name, value) in model.enumerator_values() {
                    values
                        .entry(name)
                        .or_insert_with(std::collections::BTreeMap::new)
                        .insert(at, value);
                }
                if at == target {
                    chosen = Some(model);
                }
            }
            Err(found) => {
                for mut diagnostic in found {
                    let seen = diagnostics.iter().any(|d| {
                        d.span == diagnostic.span && d.message.starts_with(&diagnostic.message)
                    });
                    if !seen {
                        if at + 1 != known.len() {
                            diagnostic.message =
                                format!("{} (in release {})", diagnostic.message, known[at]);
                        }
                        diagnostics.push(diagnostic);
                    }
                }
            }
        }
    }
    match chosen {
        Some(mut model) if diagnostics.is_empty() => {
            model.releases = model::Releases {
                all: release_list(&raw),
                target: Some(target),
                first_seen,
                enumerator_values: values,
            };
            Ok((model, raw))
        }
        _ => Err(errors(diagnostics)),
    }
}

/// The `[[release]]` list of a checked spec.
fn release_list(raw: &spec::RawSpec) -> Vec<model::Release> {
    (raw.releases.iter())
        .map(|r| model::Release {
            name: r.name.get_ref().clone(),
            tag: r.tag.get_ref().clone(),
            date: r.date.get_ref().clone(),
        })
        .collect()
}

/// Like [`load_str`] for a file's raw bytes: text that is not UTF-8 is a spec error.
pub fn load_bytes(bytes: &[u8], source_name: &str) -> Result<Model, SpecErrors> {
    match load_bytes_release(bytes, source_name, None) {
        Ok(model) => Ok(model),
        Err(Error::Spec(errors)) => Err(errors),
        Err(other) => unreachable!("{other}"),
    }
}

/// Like [`load_str_release`] for a file's raw bytes.
pub fn load_bytes_release(
    bytes: &[u8],
    source_name: &str,
    release: Option<&str>,
) -> Result<Model, Error> {
    load_str_release(decode(bytes, source_name)?, source_name, release)
}

/// A spec file's bytes as text; bytes that are not UTF-8 are a spec error.
fn decode<'b>(bytes: &'b [u8], source_name: &str) -> Result<&'b str, Error> {
    spec::decode(bytes).map_err(|diagnostic| {
        // The valid prefix keeps its byte offsets in the lossy text, so the span holds.
        Error::Spec(SpecErrors {
            path: source_name.to_owned(),
            source: String::from_utf8_lossy(bytes).into_owned(),
            diagnostics: vec![*diagnostic],
        })
    })
}

/// Reads and loads a spec file, for its newest release.
pub fn load(path: &Path, source_name: &str) -> Result<Model, Error> {
    load_release(path, source_name, None)
}

/// Reads and loads a spec file, for the release named `release` (`None`: newest).
pub fn load_release(path: &Path, source_name: &str, release: Option<&str>) -> Result<Model, Error> {
    let bytes = read_spec(path)?;
    load_bytes_release(&bytes, source_name, release)
}

/// Largest spec file read: the real specs are some tens of KiB, and every release
/// in one spec stays far below this.
pub const MAX_SPEC_BYTES: u64 = 16 << 20;

/// Reads a spec file: a regular file (after symlinks) of at most [`MAX_SPEC_BYTES`],
/// refused before reading otherwise, so `--spec /dev/zero` or a FIFO cannot make
/// the generator read without bound or block.
pub fn read_spec(path: &Path) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let refuse = |why: String| io(std::io::Error::new(std::io::ErrorKind::InvalidInput, why));
    let check = |meta: std::fs::Metadata| {
        if !meta.is_file() {
            return Err(refuse(
                "not a regular file; a spec is read from a TOML file".to_owned(),
            ));
        }
        if meta.len() > MAX_SPEC_BYTES {
            return Err(refuse(format!(
                "the file has {} bytes; a spec has at most {} MiB",
                meta.len(),
                MAX_SPEC_BYTES >> 20
            )));
        }
        Ok(())
    };
    // Checked before opening (opening a FIFO blocks), and again on what was opened.
    check(std::fs::metadata(path).map_err(io)?)?;
    let file = std::fs::File::open(path).map_err(io)?;
    check(file.metadata().map_err(io)?)?;
    let mut bytes = Vec::new();
    // A file that grew since: read no more than the limit allows, and say so.
    file.take(MAX_SPEC_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_SPEC_BYTES {
        return Err(refuse(format!(
            "the file has more than {} MiB; a spec has at most that",
            MAX_SPEC_BYTES >> 20
        )));
    }
    Ok(bytes)
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

/// Loads every spec of a run for its newest release and tells each about the others
/// ([`model::Sibling`]). `Err` holds the error of every spec that failed.
pub fn load_all(specs: &[SpecFile]) -> Result<Vec<Model>, Vec<Error>> {
    load_all_release(specs, None)
}

/// Like [`load_all`], for the release named `release` (`None`: the newest). Every
/// spec must list the same releases, and names must be unique across the specs
/// ([`resolve::check_across_specs`]).
pub fn load_all_release(
    specs: &[SpecFile],
    release: Option<&str>,
) -> Result<Vec<Model>, Vec<Error>> {
    let (mut models, mut texts, mut raws, mut errors) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for spec in specs {
        let loaded = read_spec(&spec.path).and_then(|bytes| {
            let text = decode(&bytes, &spec.source_name)?;
            let (model, raw) = load_text(text, &spec.source_name, release)?;
            Ok((model, raw, text.to_owned()))
        });
        match loaded {
            Ok((model, raw, text)) => {
                models.push(model);
                raws.push(raw);
                texts.push(text);
            }
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        // Every spec lacks an unknown release alike: say it once.
        if let Some(i) = errors
            .iter()
            .position(|e| matches!(e, Error::UnknownRelease { .. }))
        {
            return Err(vec![errors.swap_remove(i)]);
        }
        return Err(errors);
    }
    if let Some(other) = models
        .iter()
        .find(|m| m.releases.all != models[0].releases.all)
    {
        return Err(vec![Error::ReleasesDiffer {
            specs: [models[0].source.clone(), other.source.clone()],
        }]);
    }
    let run: Vec<resolve::RunSpec<'_>> = (specs.iter().zip(&texts).zip(&raws))
        .map(|((spec, text), raw)| resolve::RunSpec {
            source_name: &spec.source_name,
            text,
            raw,
        })
        .collect();
    let clashes = resolve::check_across_specs(&run);
    if !clashes.is_empty() {
        return Err(clashes.into_iter().map(Error::Spec).collect());
    }
    let siblings: Vec<model::Sibling> = models
        .iter()
        .map(|m| model::Sibling {
            source: m.source.clone(),
            header_file: m.header.file.clone(),
            rust_module: m.header.rust_module.clone(),
            brief: m.header.doc.brief.clone(),
            added_later: m.releases.items_added_later(),
            helpers: (m.helpers.iter())
                .map(|h| (h.name.clone(), m.enumerator(h.id).name.clone()))
                .collect(),
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
    generate_all_release(specs, kinds, None)
}

/// Like [`generate_all`], for the release named `release` (`None`: the newest).
pub fn generate_all_release(
    specs: &[SpecFile],
    kinds: &[emit::Kind],
    release: Option<&str>,
) -> Result<Vec<emit::Artifact>, Vec<Error>> {
    let models = load_all_release(specs, release)?;
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
