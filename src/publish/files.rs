//! Reading the small files publishing keeps (the token, the publish records) and the PDF, bounded
//! by what is read, not by what the file says it is.
//!
//! A record comes from the output folder, which may be part of a cloned repository: it can be a
//! symlink to `/dev/zero`, a FIFO that never writes, a folder. [`read`] takes regular files only
//! (after following symlinks), opens them without blocking (a FIFO swapped in after the check
//! cannot hang the open), checks the opened file again, and reads at most `max + 1` bytes, so a
//! file that grows or lies about its size is refused rather than read whole.

use std::io::Read as _;
use std::path::Path;

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// Not a regular file: a device, a FIFO, a socket or a folder (said which).
    NotRegular(&'static str),
    /// Larger than the limit, in bytes.
    TooLarge(u64),
    /// The system's error.
    Io(std::io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotRegular(kind) => write!(f, "it is {kind}, not a regular file"),
            ReadError::TooLarge(max) => write!(f, "it is larger than {max} bytes"),
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

fn kind_of(metadata: &std::fs::Metadata) -> Option<&'static str> {
    let file_type = metadata.file_type();
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if file_type.is_fifo() {
            return Some("a FIFO");
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return Some("a device");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

/// `O_NONBLOCK`, so that opening a FIFO returns at once instead of waiting for a writer.
#[cfg(any(target_os = "linux", target_os = "android"))]
const O_NONBLOCK: i32 = 0o4000;
#[cfg(any(target_os = "macos", target_os = "ios", target_os = "freebsd", target_os = "openbsd", target_os = "netbsd"))]
const O_NONBLOCK: i32 = 0x0004;

/// Reads a regular file of at most `max` bytes; `Ok(None)` when there is no file at `path`.
pub fn read(path: &Path, max: u64) -> Result<Option<Vec<u8>>, ReadError> {
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ReadError::Io(e)),
    };
    if let Some(kind) = kind_of(&metadata) {
        return Err(ReadError::NotRegular(kind));
    }
    if metadata.len() > max {
        return Err(ReadError::TooLarge(max));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(any(
        target_os = "linux",
        target_os = "android",
        target_os = "macos",
        target_os = "ios",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd"
    ))]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, O_NONBLOCK);
    let file = match options.open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ReadError::Io(e)),
    };
    // The path may have been swapped between the check and the open.
    let opened = file.metadata().map_err(ReadError::Io)?;
    if let Some(kind) = kind_of(&opened) {
        return Err(ReadError::NotRegular(kind));
    }
    let mut bytes = Vec::with_capacity(opened.len().min(max) as usize);
    file.take(max.saturating_add(1)).read_to_end(&mut bytes).map_err(ReadError::Io)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge(max));
    }
    Ok(Some(bytes))
}

/// [`read`] as UTF-8 text (invalid sequences replaced).
pub fn read_text(path: &Path, max: u64) -> Result<Option<String>, ReadError> {
    Ok(read(path, max)?.map(|bytes| String::from_utf8_lossy(&bytes).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_file_is_read_and_a_missing_one_is_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        assert!(read(&path, 10).unwrap().is_none());
        std::fs::write(&path, "12345").unwrap();
        assert_eq!(read(&path, 10).unwrap().unwrap(), b"12345");
        assert!(matches!(read(&path, 4), Err(ReadError::TooLarge(4))));
    }

    #[cfg(unix)]
    #[test]
    fn devices_fifos_and_folders_are_refused_without_reading() {
        let dir = tempfile::tempdir().unwrap();
        let zero = dir.path().join("zero.json");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        assert!(matches!(read(&zero, 1 << 20), Err(ReadError::NotRegular("a device"))));
        let fifo = dir.path().join("fifo.json");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert!(matches!(read(&fifo, 1 << 20), Err(ReadError::NotRegular("a FIFO"))));
        }
        assert!(matches!(read(dir.path(), 10), Err(ReadError::NotRegular("a folder"))));
    }
}
