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

/// Writes the changed artifacts below `out_dir`, all or nothing.
///
/// Each changed artifact is first written to a temporary file beside its target;
/// only when all are written are they renamed into place. A target that cannot be
/// replaced (a directory in its way, say) is found before anything is renamed, and
/// should a rename still fail, the files already replaced are put back: every
/// existing file ends up either all old or all new. Unchanged files are not touched.
pub fn write_all(out_dir: &Path, artifacts: &[Artifact]) -> Result<WriteReport, Error> {
    let mut report = WriteReport::default();
    let mut staged: Vec<Staged> = Vec::new();
    for artifact in artifacts {
        let target = out_dir.join(&artifact.path);
        let previous = match fs::symlink_metadata(&target) {
            Ok(meta) if meta.is_file() => Some(fs::read(&target).map_err(io_error(&target))?),
            Ok(_) => {
                return Err(Error::Io {
                    source: std::io::Error::other(
                        "not a regular file; move it out of the way and run again",
                    ),
                    path: target,
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(io_error(&target)(e)),
        };
        if previous.as_deref() == Some(artifact.contents.as_bytes()) {
            report.unchanged.push(artifact.path.clone());
            continue;
        }
        let dir = target.parent().unwrap_or(out_dir);
        fs::create_dir_all(dir).map_err(io_error(dir))?;
        let mut temp = tempfile::Builder::new()
            .prefix(".codegen-")
            .tempfile_in(dir)
            .map_err(io_error(dir))?;
        // No fsync: the rename keeps a failed run from leaving half a file, and a
        // file lost to a power cut is regenerated (and flagged by `--check`), as
        // cargo treats its own outputs. Syncing cost more than generating.
        temp.write_all(artifact.contents.as_bytes())
            .map_err(io_error(temp.path()))?;
        staged.push(Staged {
            temp,
            target,
            previous,
        });
        report.written.push(artifact.path.clone());
    }
    commit(staged)?;
    Ok(report)
}

/// One artifact written to a temporary file, waiting to be renamed into place.
struct Staged {
    temp: tempfile::NamedTempFile,
    target: PathBuf,
    /// The target's content before, `None` if it did not exist: for rolling back.
    previous: Option<Vec<u8>>,
}

/// Renames every staged file into place; on the first failure, restores the
/// targets already replaced and returns that failure.
fn commit(staged: Vec<Staged>) -> Result<(), Error> {
    let mut done: Vec<(PathBuf, Option<Vec<u8>>)> = Vec::new();
    for Staged {
        temp,
        target,
        previous,
    } in staged
    {
        if let Err(e) = temp.persist(&target) {
            for (path, previous) in done.into_iter().rev() {
                // Best effort: the original failure is the error to report.
                let _ = match previous {
                    Some(bytes) => fs::write(&path, bytes),
                    None => fs::remove_file(&path),
                };
            }
            return Err(Error::Io {
                path: target,
                source: e.error,
            });
        }
        done.push((target, previous));
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(dir: &Path, name: &str, contents: &str) -> Staged {
        let target = dir.join(name);
        let previous = fs::read(&target).ok();
        let mut temp = tempfile::Builder::new()
            .prefix(".codegen-")
            .tempfile_in(dir)
            .unwrap();
        temp.write_all(contents.as_bytes()).unwrap();
        Staged {
            temp,
            target,
            previous,
        }
    }

    /// The rename phase on its own (past the checks of `write_all`): when a rename
    /// fails, the files already renamed get their old content back, and a file that
    /// did not exist before is removed again.
    #[test]
    fn a_failed_rename_rolls_back_the_renamed_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("old.txt"), "old").unwrap();
        fs::create_dir(root.join("blocked")).unwrap();
        fs::write(root.join("blocked/keep"), "keep").unwrap();
        let staged = vec![
            stage(root, "old.txt", "new"),
            stage(root, "fresh.txt", "fresh"),
            stage(root, "blocked", "cannot replace a non-empty directory"),
        ];
        let error = commit(staged).unwrap_err();
        assert!(matches!(error, Error::Io { path, .. } if path == root.join("blocked")));
        assert_eq!(fs::read_to_string(root.join("old.txt")).unwrap(), "old");
        assert!(!root.join("fresh.txt").exists());
        assert_eq!(
            fs::read_to_string(root.join("blocked/keep")).unwrap(),
            "keep"
        );
        let left: Vec<_> = fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left.len(), 2, "temporary files left behind: {left:?}");
    }

    #[test]
    fn only_changed_artifacts_are_written() {
        let dir = tempfile::tempdir().unwrap();
        let artifact = |path: &str, contents: &str| Artifact {
            path: PathBuf::from(path),
            contents: contents.to_owned(),
        };
        let first = [artifact("a/x.h", "x"), artifact("y.rs", "y")];
        let report = write_all(dir.path(), &first).unwrap();
        assert_eq!(report.written.len(), 2);
        let second = [artifact("a/x.h", "x"), artifact("y.rs", "changed")];
        let report = write_all(dir.path(), &second).unwrap();
        assert_eq!(report.written, [PathBuf::from("y.rs")]);
        assert_eq!(report.unchanged, [PathBuf::from("a/x.h")]);
        assert!(check(dir.path(), &second).is_empty());
        assert_eq!(check(dir.path(), &first).len(), 1);
    }
}
