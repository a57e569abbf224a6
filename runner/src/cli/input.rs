//! Reading the files a user names: each must be a regular file no larger than the
//! cap for its kind, checked before any byte is read, and the read itself stops
//! at the cap, so a file that grows while it is read (or a device that never ends,
//! such as `/dev/zero`) cannot make the runner allocate without bound.

use std::io::Read;
use std::path::Path;

use crate::error::RunError;

/// The largest eBPF object the runner reads. Upstream's largest sample objects
/// are a few hundred KiB; 64 MiB leaves room for debug information.
pub const MAX_OBJECT_BYTES: u64 = 64 << 20;
/// The largest scenario or context file the runner reads.
pub const MAX_TEXT_BYTES: u64 = 16 << 20;

/// The bytes of the regular file at `path`, which must hold at most `limit` bytes.
pub fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, RunError> {
    let io = |why: String| RunError::Io {
        path: path.to_owned(),
        why,
    };
    // Asked of the path before opening it: opening a named pipe would wait for a writer.
    let metadata = std::fs::metadata(path).map_err(|e| io(e.to_string()))?;
    if !metadata.is_file() {
        return Err(io(format!(
            "it is {}, not a regular file",
            kind_of(&metadata.file_type())
        )));
    }
    if metadata.len() > limit {
        return Err(io(too_large(metadata.len(), limit)));
    }
    let file = std::fs::File::open(path).map_err(|e| io(e.to_string()))?;
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io(e.to_string()))?;
    if bytes.len() as u64 > limit {
        return Err(io(format!(
            "it grew while being read; {}",
            too_large(bytes.len() as u64, limit)
        )));
    }
    Ok(bytes)
}

/// [`read_capped`] for text: the file must also be UTF-8.
pub fn read_text_capped(path: &Path, limit: u64) -> Result<String, RunError> {
    String::from_utf8(read_capped(path, limit)?).map_err(|e| RunError::Io {
        path: path.to_owned(),
        why: format!("it is not UTF-8 text: {e}"),
    })
}

fn too_large(len: u64, limit: u64) -> String {
    format!(
        "it holds {len} bytes, more than the {} MiB the runner reads",
        limit >> 20
    )
}

fn kind_of(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a directory"
    } else {
        "not a file"
    }
}
