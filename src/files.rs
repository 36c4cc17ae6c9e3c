//! Files: which files a deck may name, and reading them within a limit.
//!
//! Owns the one way a file named by a deck, a theme or a layout is found and read (and the small
//! files publishing keeps: the token, the publish records), so that a shared deck cannot reach
//! past its own folder and no read trusts the size a file reports. [`read`] takes regular files
//! only (after following symlinks), opens them without blocking (a FIFO swapped in after the check
//! cannot hang the open), checks the opened file again, and reads at most `max + 1` bytes, so a
//! file that grows or lies about its size is refused rather than read whole. A
//! path written in a deck resolves inside the deck's folder tree (the deck's folder and below),
//! or inside a folder the user allowed on the command line (`--allow-outside`), never from the
//! deck itself; it names a regular file (or, for `layouts:`, a folder), symlinks followed only
//! while they stay inside. It imports nothing of the crate.

use std::io::Read as _;
use std::path::{Component, Path, PathBuf};

/// The UTF-8 text of the file at `path`, read within `limit` bytes; or why not, in words that
/// finish "cannot read ...: " (a theme file, a brand kit).
pub fn read_text_at_most(path: &Path, limit: u64) -> Result<String, String> {
    match read_at_most(path, limit) {
        Ok(Some(bytes)) => String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string()),
        Ok(None) => Err(format!("it is larger than {limit} bytes")),
        Err(e) => Err(e.to_string()),
    }
}

/// Reads at most `limit` bytes of the regular file at `path`: `None` when it holds more (see
/// [`read`]; a missing file is an error here).
pub fn read_at_most(path: &Path, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    match read(path, limit) {
        Ok(Some(bytes)) => Ok(Some(bytes)),
        Ok(None) => Err(std::io::Error::from(std::io::ErrorKind::NotFound)),
        Err(ReadError::TooLarge(_)) => Ok(None),
        Err(ReadError::NotRegular(kind)) => Err(std::io::Error::other(format!("it is {kind}, not a regular file"))),
        Err(ReadError::Io(e)) => Err(e),
    }
}

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
    let file = match open_nonblocking(path) {
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

/// Opens `path` for reading, without waiting for a writer if it is a FIFO.
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
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
    options.open(path)
}

/// Opens `path` for reading only if it is a regular file once opened (symlinks followed), and
/// without blocking on a FIFO: for reads that stream a file (the preview) or bound it themselves.
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let file = open_nonblocking(path)?;
    if let Some(kind) = kind_of(&file.metadata()?) {
        return Err(std::io::Error::other(format!("it is {kind}, not a regular file")));
    }
    Ok(file)
}

/// [`read`] as UTF-8 text (invalid sequences replaced).
pub fn read_text(path: &Path, max: u64) -> Result<Option<String>, ReadError> {
    Ok(read(path, max)?.map(|bytes| String::from_utf8_lossy(&bytes).into_owned()))
}

/// What a path named in a deck must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    /// A regular file.
    File,
    /// A folder.
    Folder,
}

/// Why a path named in a deck is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Nothing is there.
    #[error("no such file")]
    Missing,
    /// The path is absolute.
    #[error("an absolute path reaches outside the deck's folder")]
    Absolute,
    /// The path climbs out of the deck's folder tree (with `..` or through a symlink).
    #[error("it is outside the deck's folder (`{0}` resolves to a place above it)")]
    Outside(String),
    /// A device, a FIFO, a socket, or a file of the system's own.
    #[error("it is not a regular file")]
    NotRegular,
    /// A file where a folder is wanted, or the other way round.
    #[error("it is a folder, not a file")]
    Folder,
    /// A file where a folder is wanted.
    #[error("it is a file, not a folder")]
    NotFolder,
    /// The path cannot be resolved.
    #[error("{0}")]
    Io(String),
}

impl Refusal {
    /// What to do about it, for a diagnostic's help line.
    pub fn help(&self) -> &'static str {
        match self {
            Refusal::Absolute | Refusal::Outside(_) => {
                "keep the file in the deck's folder or below, and name it relative to the deck; to use files \
                 elsewhere, run with `--allow-outside FOLDER` (a deck cannot allow itself)"
            }
            _ => "the path is relative to the deck file",
        }
    }
}

/// The folders a deck may read from: its own folder tree and those the user allowed.
#[derive(Debug, Clone, Default)]
pub struct Access {
    /// Canonical folders, each with everything below it.
    roots: Vec<PathBuf>,
    /// Folders allowed by the user (`--allow-outside`), canonical; absolute paths may name them.
    allowed: Vec<PathBuf>,
    /// The same folders as written, made absolute by their names alone (see [`lexical`]).
    lexical_roots: Vec<PathBuf>,
}

impl Access {
    /// Access for a deck in `deck_dir`, plus the folders in `allowed` (from the command line).
    /// Folders that do not exist are left out.
    pub fn new(deck_dir: &Path, allowed: &[PathBuf]) -> Access {
        let dir = if deck_dir.as_os_str().is_empty() { Path::new(".") } else { deck_dir };
        let allowed: Vec<PathBuf> = allowed.iter().filter_map(|p| p.canonicalize().ok()).collect();
        let mut roots: Vec<PathBuf> = dir.canonicalize().ok().into_iter().collect();
        roots.extend(allowed.iter().cloned());
        let mut lexical_roots = vec![lexical(dir)];
        lexical_roots.extend(roots.iter().cloned());
        Access { roots, allowed, lexical_roots }
    }

    /// Access to nothing but the folder `dir` (a layouts folder's own files, say).
    pub fn only(dir: &Path) -> Access {
        let roots: Vec<PathBuf> = dir.canonicalize().ok().into_iter().collect();
        Access { lexical_roots: vec![lexical(dir)], roots, allowed: Vec::new() }
    }

    /// Resolves `written` (as written in a file in `base`) to the canonical path of what it
    /// names, or says why the deck may not read it.
    pub fn resolve(&self, base: &Path, written: &str, wanted: Wanted) -> Result<PathBuf, Refusal> {
        let written_path = Path::new(written);
        if written_path.is_absolute() || written_path.components().any(|c| matches!(c, Component::Prefix(_))) {
            let canonical = canonical(written_path)?;
            if !self.allowed.iter().any(|root| canonical.starts_with(root)) {
                return Err(Refusal::Absolute);
            }
            return check_kind(&canonical, wanted);
        }
        let joined = base.join(written_path);
        let canonical = match canonical(&joined) {
            // What is not there is still outside when its path climbs out: a deck must not learn
            // which files exist elsewhere either.
            Err(Refusal::Missing) if !self.lexical_roots.iter().any(|root| lexical(&joined).starts_with(root)) => {
                return Err(Refusal::Outside(written.to_string()));
            }
            other => other?,
        };
        if !self.roots.iter().any(|root| canonical.starts_with(root)) || is_system(&canonical) {
            return Err(Refusal::Outside(written.to_string()));
        }
        check_kind(&canonical, wanted)
    }
}

/// `path` made absolute and its `.` and `..` taken away by their names alone, symlinks not followed.
fn lexical(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

fn canonical(path: &Path) -> Result<PathBuf, Refusal> {
    path.canonicalize().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Refusal::Missing,
        _ => Refusal::Io(e.to_string()),
    })
}

/// The system's own trees, never a deck's asset even under an allowed folder.
fn is_system(path: &Path) -> bool {
    ["/proc", "/sys", "/dev"].iter().any(|root| path.starts_with(root))
}

fn check_kind(canonical: &Path, wanted: Wanted) -> Result<PathBuf, Refusal> {
    if is_system(canonical) {
        return Err(Refusal::NotRegular);
    }
    let metadata = std::fs::metadata(canonical).map_err(|e| Refusal::Io(e.to_string()))?;
    match wanted {
        Wanted::File if metadata.is_file() => Ok(canonical.to_path_buf()),
        Wanted::File if metadata.is_dir() => Err(Refusal::Folder),
        Wanted::File => Err(Refusal::NotRegular),
        Wanted::Folder if metadata.is_dir() => Ok(canonical.to_path_buf()),
        Wanted::Folder => Err(Refusal::NotFolder),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("deck/assets")).unwrap();
        std::fs::write(dir.path().join("deck/assets/a.png"), b"x").unwrap();
        std::fs::write(dir.path().join("secret.json"), b"{}").unwrap();
        dir
    }

    #[test]
    fn paths_stay_in_the_decks_folder_tree() {
        let dir = tree();
        let deck = dir.path().join("deck");
        let access = Access::new(&deck, &[]);
        assert!(access.resolve(&deck, "assets/a.png", Wanted::File).is_ok());
        assert!(access.resolve(&deck, "./assets/../assets/a.png", Wanted::File).is_ok());
        assert_eq!(
            access.resolve(&deck, "../secret.json", Wanted::File),
            Err(Refusal::Outside("../secret.json".into()))
        );
        let absolute = dir.path().join("secret.json").display().to_string();
        assert_eq!(access.resolve(&deck, &absolute, Wanted::File), Err(Refusal::Absolute));
        assert_eq!(access.resolve(&deck, "assets", Wanted::File), Err(Refusal::Folder));
        assert!(access.resolve(&deck, "assets", Wanted::Folder).is_ok());
        assert_eq!(access.resolve(&deck, "missing.png", Wanted::File), Err(Refusal::Missing));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_out_of_the_tree_is_refused_and_one_inside_is_followed() {
        let dir = tree();
        let deck = dir.path().join("deck");
        std::os::unix::fs::symlink(dir.path().join("secret.json"), deck.join("theme.yaml")).unwrap();
        std::os::unix::fs::symlink(deck.join("assets/a.png"), deck.join("b.png")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", deck.join("zero.png")).unwrap();
        let access = Access::new(&deck, &[]);
        assert!(matches!(access.resolve(&deck, "theme.yaml", Wanted::File), Err(Refusal::Outside(_))));
        assert!(access.resolve(&deck, "b.png", Wanted::File).is_ok());
        assert!(access.resolve(&deck, "zero.png", Wanted::File).is_err());
    }

    #[test]
    fn an_allowed_folder_may_be_named_absolutely_or_relatively() {
        let dir = tree();
        let deck = dir.path().join("deck");
        let access = Access::new(&deck, &[dir.path().to_path_buf()]);
        let absolute = dir.path().join("secret.json").display().to_string();
        assert!(access.resolve(&deck, &absolute, Wanted::File).is_ok());
        assert!(access.resolve(&deck, "../secret.json", Wanted::File).is_ok());
        assert_eq!(access.resolve(&deck, "/proc/self/environ", Wanted::File), Err(Refusal::Absolute));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_waiting_for_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let status = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !status.is_ok_and(|s| s.success()) {
            return;
        }
        assert!(read_at_most(&fifo, 10).is_err());
        assert_eq!(Access::new(dir.path(), &[]).resolve(dir.path(), "pipe", Wanted::File), Err(Refusal::NotRegular));
    }

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
