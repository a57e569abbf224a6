//! Putting artifacts on disk: all or nothing, and never touching an unchanged file
//! (so builds that depend on generated files are not invalidated).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use similar::TextDiff;

use crate::Error;
use crate::emit::Artifact;

/// What a write did to each artifact.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct WriteReport {
    pub written: Vec<PathBuf>,
    pub unchanged: Vec<PathBuf>,
}

/// One artifact whose file on disk differs from what the spec generates.
#[derive(Debug)]
pub struct Stale {
    pub path: PathBuf,
    /// Unified diff from the file on disk to the generated text.
    pub diff: String,
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_owned(),
        source,
    }
}

/// Writes the changed artifacts below `out_dir`. Each is first written to a
/// temporary file beside its target; only when all are written are they renamed
/// into place, so a failure leaves every existing file as it was.
pub fn write_all(out_dir: &Path, artifacts: &[Artifact]) -> Result<WriteReport, Error> {
    let mut report = WriteReport::default();
    let mut staged: Vec<(tempfile::NamedTempFile, PathBuf)> = Vec::new();
    for artifact in artifacts {
        let target = out_dir.join(&artifact.path);
        if fs::read(&target).is_ok_and(|old| old == artifact.contents.as_bytes()) {
            report.unchanged.push(artifact.path.clone());
            continue;
        }
        let dir = target.parent().unwrap_or(out_dir);
        fs::create_dir_all(dir).map_err(io_error(dir))?;
        let mut temp = tempfile::Builder::new()
            .prefix(".codegen-")
            .tempfile_in(dir)
            .map_err(io_error(dir))?;
        temp.write_all(artifact.contents.as_bytes())
            .and_then(|()| temp.as_file().sync_all())
            .map_err(io_error(temp.path()))?;
        staged.push((temp, target));
        report.written.push(artifact.path.clone());
    }
    for (temp, target) in staged {
        temp.persist(&target).map_err(|e| Error::Io {
            path: target.clone(),
            source: e.error,
        })?;
    }
    Ok(report)
}

/// Compares artifacts with the files below `out_dir`; returns the stale ones.
pub fn check(out_dir: &Path, artifacts: &[Artifact]) -> Vec<Stale> {
    artifacts
        .iter()
        .filter_map(|artifact| {
            let target = out_dir.join(&artifact.path);
            let on_disk = fs::read_to_string(&target).unwrap_or_default();
            if on_disk == artifact.contents {
                return None;
            }
            let shown = artifact.path.display().to_string();
            let diff = TextDiff::from_lines(&on_disk, &artifact.contents)
                .unified_diff()
                .context_radius(3)
                .header(
                    &format!("a/{shown} (on disk)"),
                    &format!("b/{shown} (generated)"),
                )
                .to_string();
            Some(Stale {
                path: artifact.path.clone(),
                diff,
            })
        })
        .collect()
}
