//! Files: reading a file from disk within a limit.
//!
//! Owns the one way a file named by a deck, a theme or a layout is read into memory, so that no
//! read trusts the size a file reports. It imports nothing of the crate.

use std::path::Path;

/// Reads at most `limit` bytes of the regular file at `path`: `None` when it holds more. The
/// metadata checks before it are not enough alone: a file can grow between the two calls.
pub fn read_at_most(path: &Path, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(limit + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}
