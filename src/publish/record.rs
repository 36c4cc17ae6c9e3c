//! The publish record: what was published from a deck, kept beside its outputs.
//!
//! `out/<stem>.published.json` names the uploaded document as soon as LinkedIn has the PDF, and
//! the post once it exists. `publish` reads it first: a deck with a post is not posted again
//! (unless `--force`), and a deck with a document but no post (a failure after the upload) resumes
//! with that document instead of uploading again. Written to a temporary file and renamed, so that
//! a crash leaves the previous record whole.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Largest record read: a record is a few hundred bytes.
const MAX_RECORD_BYTES: u64 = 64 * 1024;

/// What was published from one deck.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The deck file, as given on the command line.
    pub deck: String,
    /// The PDF that was uploaded.
    pub pdf: String,
    /// A hash of the PDF's bytes (xxh3, hex): a resumed publish reuses the upload only when the
    /// PDF is still the same.
    pub pdf_hash: String,
    /// The uploaded document, `urn:li:document:...`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// The post, `urn:li:share:...` or `urn:li:ugcPost:...`, once it exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post: Option<String>,
    /// The post's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// When the post was created, in seconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<u64>,
}

/// The record's path for a deck stem: `DIR/<stem>.published.json`.
pub fn path_for(out_dir: &Path, stem: &str) -> PathBuf {
    out_dir.join(format!("{stem}.published.json"))
}

/// The post's address on LinkedIn.
pub fn post_url(urn: &str) -> String {
    format!("https://www.linkedin.com/feed/update/{urn}/")
}

/// Reads a record; `Ok(None)` when there is none.
pub fn read(path: &Path) -> Result<Option<Record>, String> {
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{}: cannot read the publish record: {e}", path.display())),
    };
    if metadata.len() > MAX_RECORD_BYTES {
        return Err(format!("{}: this is not a publish record (too large); move it away", path.display()));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read the publish record: {e}", path.display()))?;
    serde_json::from_str(&text).map(Some).map_err(|e| {
        format!("{}: this is not a publish record carousel wrote ({e}); move it away to publish afresh", path.display())
    })
}

/// Writes a record atomically (temporary file in the same folder, then rename).
pub fn write(path: &Path, record: &Record) -> Result<(), String> {
    let fail = |e: &dyn std::fmt::Display| format!("{}: cannot write the publish record: {e}", path.display());
    let mut text = serde_json::to_string_pretty(record).map_err(|e| fail(&e))?;
    text.push('\n');
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| fail(&e))?;
    std::io::Write::write_all(&mut tmp, text.as_bytes()).map_err(|e| fail(&e))?;
    tmp.as_file().sync_all().map_err(|e| fail(&e))?;
    tmp.persist(path).map_err(|e| fail(&e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_survives_a_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_for(dir.path(), "day5");
        assert_eq!(read(&path).unwrap(), None);
        let record = Record {
            deck: "decks/day5.yaml".into(),
            pdf: "out/day5.pdf".into(),
            pdf_hash: "00ff".into(),
            document: Some("urn:li:document:D1".into()),
            ..Record::default()
        };
        write(&path, &record).unwrap();
        assert_eq!(read(&path).unwrap(), Some(record));
    }

    #[test]
    fn a_foreign_file_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_for(dir.path(), "x");
        std::fs::write(&path, "[1, 2").unwrap();
        assert!(read(&path).unwrap_err().contains("not a publish record"));
    }
}
