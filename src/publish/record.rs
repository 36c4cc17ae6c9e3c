//! The publish record: what was published from a deck, kept beside its outputs.
//!
//! `out/<stem>.published.json` names the uploaded document as soon as LinkedIn has the PDF, the
//! post once it exists, and its first comment once that exists. `publish` reads it first: a deck
//! with a live post is not posted again (unless `--force`), but gets its missing first comment; a
//! deck with a document but no post (a failure after the upload) resumes with that document; a
//! deck whose post creation got an ambiguous answer (a 5xx, a timeout, a success without an id) is
//! recorded as *possibly sent*, and is not posted again until the author has looked and passed
//! `--force`. `unpublish` marks the post deleted. Written to a temporary file and renamed, so that
//! a crash leaves the previous record whole; read as a regular file of at most 64 KB, bounded by
//! what is read (a symlink to `/dev/zero` or a FIFO in a cloned repository is refused, not read).
//! A deck posted `--as images` records `as: images` and each uploaded image (its file, a hash of
//! its bytes and its URN) as soon as LinkedIn has it, so that a failed publish resumes with the
//! images whose bytes have not changed.
//! A lock file beside it keeps two publishes of one deck (two cron runs) from overlapping.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{safe, token};
use crate::files;

/// Largest record read: a record is a few hundred bytes.
const MAX_RECORD_BYTES: u64 = 64 * 1024;

/// A lock older than this was left by a publish that died: it is taken over.
const STALE_LOCK_SECS: u64 = 2 * 3600;

/// An answer that did not say whether something was created.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    /// When, in seconds since the Unix epoch.
    pub at: u64,
    /// What LinkedIn answered (or did not).
    pub answer: String,
}

/// How a deck was posted: `carousel publish --as`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum PostAs {
    /// The PDF, as a document post (LinkedIn shows it as a carousel).
    #[default]
    Document,
    /// The slides as JPEGs, in a multi-image post (2 to 20 images).
    Images,
}

impl PostAs {
    /// Whether this is the default, left out of the record (records before `--as` are documents).
    pub fn is_document(&self) -> bool {
        *self == PostAs::Document
    }
}

/// One image uploaded for a post `--as images`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageUpload {
    /// The JPEG's name in its folder, `01.jpg`.
    pub file: String,
    /// A hash of its bytes (xxh3, hex): a resumed publish reuses the upload only for the same bytes.
    pub hash: String,
    /// The image, `urn:li:image:...`.
    pub urn: String,
}

/// What was published from one deck.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The deck file, as given on the command line.
    pub deck: String,
    /// The PDF that was uploaded (`--as images`: the folder of the JPEGs).
    pub pdf: String,
    /// A hash of the PDF's bytes (xxh3, hex): a resumed publish reuses the upload only when the
    /// PDF is still the same (`--as images`: a hash of the images' hashes).
    pub pdf_hash: String,
    /// How the deck is posted; left out for a document post.
    #[serde(rename = "as", default, skip_serializing_if = "PostAs::is_document")]
    pub post_as: PostAs,
    /// `--as images`: the images uploaded so far, in the post's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<ImageUpload>,
    /// The uploaded document, `urn:li:document:...`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// The member who uploaded it, `urn:li:person:...`: another member cannot post it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The post, `urn:li:share:...` or `urn:li:ugcPost:...`, once it exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post: Option<String>,
    /// The post's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// When the post was created, in seconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<u64>,
    /// The post may exist though no id came back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_possibly_sent: Option<Attempt>,
    /// The first comment, `urn:li:comment:(...)`, once it exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// When the first comment was posted (its URN may be unknown: LinkedIn said created, without
    /// an id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_at: Option<u64>,
    /// The first comment may exist though LinkedIn's answer did not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_possibly_sent: Option<Attempt>,
    /// When `unpublish` deleted the post, in seconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unpublished_at: Option<u64>,
}

impl Record {
    /// Whether the first comment was posted.
    pub fn has_comment(&self) -> bool {
        self.comment.is_some() || self.comment_at.is_some()
    }

    /// The post, when one is live (created and not unpublished).
    pub fn live_post(&self) -> Option<&str> {
        self.post.as_deref().filter(|_| self.unpublished_at.is_none())
    }
}

/// The record's path for a deck stem: `DIR/<stem>.published.json`.
pub fn path_for(out_dir: &Path, stem: &str) -> PathBuf {
    out_dir.join(format!("{stem}.published.json"))
}

/// The post's address on LinkedIn.
pub fn post_url(urn: &str) -> String {
    format!("https://www.linkedin.com/feed/update/{urn}/")
}

/// Reads a record; `Ok(None)` when there is none. URNs that are not URNs (a record edited by
/// hand or planted in a repository) are refused, so that nothing odd reaches a URL or the
/// terminal.
pub fn read(path: &Path) -> Result<Option<Record>, String> {
    let text = match files::read_text(path, MAX_RECORD_BYTES) {
        Ok(Some(text)) => text,
        Ok(None) => return Ok(None),
        Err(e) => {
            return Err(format!(
                "{}: this is not a publish record ({e}); move it away to publish afresh",
                path.display()
            ))
        }
    };
    let record: Record = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}: this is not a publish record carousel wrote ({}); move it away to publish afresh",
            path.display(),
            safe::clean_line(&e.to_string())
        )
    })?;
    let urns = [&record.document, &record.owner, &record.post, &record.comment];
    let bad_image = record.images.iter().any(|image| {
        !safe::is_urn(&image.urn)
            || image.file.len() > 64
            || !image.file.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.')
            || image.hash.len() > 64
    });
    if bad_image || urns.iter().any(|urn| urn.as_deref().is_some_and(|u| !safe::is_urn(u))) {
        return Err(format!(
            "{}: this publish record names something that is not a LinkedIn URN; move it away to publish afresh",
            path.display()
        ));
    }
    Ok(Some(record))
}

/// Writes a record atomically (temporary file in the same folder, then rename).
pub fn write(path: &Path, record: &Record) -> Result<(), String> {
    let fail = |e: &dyn std::fmt::Display| format!("{}: cannot write the publish record: {e}", path.display());
    let mut text = serde_json::to_string_pretty(record).map_err(|e| fail(&e))?;
    text.push('\n');
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| fail(&e))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| fail(&e))?;
    std::io::Write::write_all(&mut tmp, text.as_bytes()).map_err(|e| fail(&e))?;
    tmp.as_file().sync_all().map_err(|e| fail(&e))?;
    tmp.persist(path).map_err(|e| fail(&e.error))?;
    Ok(())
}

/// A publish in progress for one deck; the lock file goes when it is dropped.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Takes the lock of the deck whose record is `record_path`: `DIR/<stem>.publish.lock`, created
/// only if absent. A lock left by a publish that died hours ago is taken over.
pub fn lock(record_path: &Path) -> Result<Lock, String> {
    let name = record_path.file_name().and_then(|n| n.to_str()).unwrap_or("deck.published.json");
    let path = record_path.with_file_name(name.replace(".published.json", ".publish.lock"));
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        let _ = std::fs::create_dir_all(dir);
    }
    for _ in 0..2 {
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                let _ = std::io::Write::write_all(
                    &mut file,
                    format!("{} {}\n", std::process::id(), token::now()).as_bytes(),
                );
                return Ok(Lock { path });
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let age = std::fs::symlink_metadata(&path)
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .map(|d| d.as_secs());
                if age.is_some_and(|a| a >= STALE_LOCK_SECS) {
                    eprintln!("note: {} was left by a publish that stopped; taking it over", path.display());
                    let _ = std::fs::remove_file(&path);
                    continue;
                }
                return Err(format!(
                    "another `carousel publish` of this deck is running ({} exists); nothing was sent. If none is \
                     running, delete that file.",
                    path.display()
                ));
            }
            Err(e) => return Err(format!("{}: cannot create the lock: {e}", path.display())),
        }
    }
    Err(format!("{}: cannot take the lock", path.display()))
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
            post_possibly_sent: Some(Attempt { at: 5, answer: "HTTP 502".into() }),
            ..Record::default()
        };
        write(&path, &record).unwrap();
        assert_eq!(read(&path).unwrap(), Some(record));
    }

    #[test]
    fn an_images_record_says_so_and_a_document_record_stays_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_for(dir.path(), "day5");
        let record = Record {
            deck: "decks/day5.yaml".into(),
            post_as: PostAs::Images,
            images: vec![ImageUpload { file: "01.jpg".into(), hash: "00ff".into(), urn: "urn:li:image:C1".into() }],
            ..Record::default()
        };
        write(&path, &record).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("\"as\": \"images\""), "{text}");
        assert_eq!(read(&path).unwrap(), Some(record));
        write(&path, &Record::default()).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("\"as\"") && !text.contains("images"), "{text}");
        std::fs::write(
            &path,
            r#"{"deck":"d","pdf":"p","pdf_hash":"h","images":[{"file":"01.jpg","hash":"h","urn":"x"}]}"#,
        )
        .unwrap();
        assert!(read(&path).unwrap_err().contains("not a LinkedIn URN"));
    }

    #[test]
    fn a_foreign_file_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_for(dir.path(), "x");
        std::fs::write(&path, "[1, 2").unwrap();
        assert!(read(&path).unwrap_err().contains("not a publish record"));
        std::fs::write(&path, r#"{"deck":"d","pdf":"p","pdf_hash":"h","post":"urn:li:share:1\u001b[2J"}"#).unwrap();
        assert!(read(&path).unwrap_err().contains("not a LinkedIn URN"));
    }

    #[test]
    fn a_second_lock_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = path_for(dir.path(), "x");
        let first = lock(&path).unwrap();
        assert!(lock(&path).unwrap_err().contains("another `carousel publish`"));
        drop(first);
        assert!(lock(&path).is_ok());
    }
}
