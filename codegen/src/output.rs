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
            Ok(meta) if meta.is_file() => Some(Previous {
                contents: fs::read(&target).map_err(io_error(&target))?,
                permissions: meta.permissions(),
            }),
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
        if previous.as_ref().map(|p| p.contents.as_slice()) == Some(artifact.contents.as_bytes()) {
            report.unchanged.push(artifact.path.clone());
            continue;
        }
        let dir = target.parent().unwrap_or(out_dir).to_owned();
        fs::create_dir_all(&dir).map_err(io_error(&dir))?;
        staged.push(stage(&dir, target, artifact.contents.as_bytes(), previous)?);
        report.written.push(artifact.path.clone());
    }
    commit(staged)?;
    Ok(report)
}

/// A target as it was before the write.
struct Previous {
    contents: Vec<u8>,
    permissions: fs::Permissions,
}

/// One artifact written to a temporary file, waiting to be renamed into place.
struct Staged {
    temp: tempfile::NamedTempFile,
    target: PathBuf,
    /// The target's content before, `None` if it did not exist: for rolling back.
    previous: Option<Vec<u8>>,
}

/// Writes `contents` to a temporary file in `dir` with the mode the target is to
/// have: the mode of the file it replaces, or for a new file what any new file
/// gets (0666 less the umask: 0644 under umask 022), never tempfile's 0600.
fn stage(
    dir: &Path,
    target: PathBuf,
    contents: &[u8],
    previous: Option<Previous>,
) -> Result<Staged, Error> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".codegen-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Created with this mode, which the kernel narrows by the umask.
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(dir).map_err(io_error(dir))?;
    // No fsync: the rename keeps a failed run from leaving half a file, and a
    // file lost to a power cut is regenerated (and flagged by `--check`), as
    // cargo treats its own outputs. Syncing cost more than generating.
    temp.write_all(contents).map_err(io_error(temp.path()))?;
    if let Some(previous) = &previous {
        // Exactly the old mode, whatever the umask; a rollback writes the old
        // content back into this file, so it keeps the mode too.
        temp.as_file()
            .set_permissions(previous.permissions.clone())
            .map_err(io_error(temp.path()))?;
    }
    Ok(Staged {
        temp,
        target,
        previous: previous.map(|p| p.contents),
    })
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
        let previous = fs::read(&target).ok().map(|contents| Previous {
            contents,
            permissions: fs::metadata(&target).unwrap().permissions(),
        });
        super::stage(dir, target, contents.as_bytes(), previous).unwrap()
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

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[cfg(unix)]
    fn set_mode(path: &Path, mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    }

    /// A new artifact gets the mode any new file of this process gets (0666 less
    /// the umask; `tests/output_modes.rs` checks 0644 under umask 022), and a
    /// regenerated one keeps its own mode, whatever it is.
    #[cfg(unix)]
    #[test]
    fn written_files_honour_the_umask_and_keep_their_mode() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let reference = root.join("made-by-std");
        fs::File::create(&reference).unwrap();
        for (name, old_mode) in [
            ("a.h", 0o644),
            ("b.rs", 0o640),
            ("c.md", 0o755),
            ("d", 0o600),
        ] {
            fs::write(root.join(name), "old").unwrap();
            set_mode(&root.join(name), old_mode);
        }
        let artifact = |path: &str| Artifact {
            path: PathBuf::from(path),
            contents: "new".to_owned(),
        };
        let names = ["a.h", "b.rs", "c.md", "d", "fresh.h"];
        let artifacts: Vec<Artifact> = names.iter().map(|n| artifact(n)).collect();
        write_all(root, &artifacts).unwrap();
        for (name, expected) in [
            ("a.h", 0o644),
            ("b.rs", 0o640),
            ("c.md", 0o755),
            ("d", 0o600),
            ("fresh.h", mode(&reference)),
        ] {
            assert_eq!(fs::read_to_string(root.join(name)).unwrap(), "new");
            assert_eq!(
                mode(&root.join(name)),
                expected,
                "{name}: mode {:o}",
                mode(&root.join(name))
            );
        }
    }

    /// A rolled-back write leaves each replaced file with its old content and mode.
    #[cfg(unix)]
    #[test]
    fn a_rolled_back_write_keeps_the_old_modes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (name, old_mode) in [("a.h", 0o644), ("b.rs", 0o640)] {
            fs::write(root.join(name), "old").unwrap();
            set_mode(&root.join(name), old_mode);
        }
        fs::create_dir(root.join("blocked")).unwrap();
        fs::write(root.join("blocked/keep"), "keep").unwrap();
        let staged = vec![
            stage(root, "a.h", "new"),
            stage(root, "b.rs", "new"),
            stage(root, "blocked", "cannot replace a non-empty directory"),
        ];
        commit(staged).unwrap_err();
        for (name, expected) in [("a.h", 0o644), ("b.rs", 0o640)] {
            assert_eq!(fs::read_to_string(root.join(name)).unwrap(), "old");
            assert_eq!(mode(&root.join(name)), expected, "{name}");
        }
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
