//! Output: one deck's files, staged in temporaries and renamed into place only when all succeeded.
//!
//! Owns the output names (`DIR/<stem>.pdf`, `DIR/<stem>.txt`, `DIR/<stem>/01.png` …, with three
//! digits past 99 slides), the temporary files beside them, and the order of the final renames.
//! The build hands it slides one at a time, in deck order, as they are rendered: each PNG (and
//! SVG) goes straight to its temporary file and into the PDF, which streams to its own temporary
//! file, so memory holds one slide, not the deck. [`Staging::commit`] writes the caption, closes
//! the PDF and renames everything into place; dropping a [`Staging`] instead (a later slide
//! failed) deletes the temporaries and leaves the previous good output as it was.
//!
//! The renames are one file at a time (no file system swaps a set of files at once), in an order
//! that makes the PDF the deck's commit mark: slides first, then the removal of slides left from
//! a longer earlier build, then the caption, and the PDF last. Each file is always whole (the old
//! one or the new one); when the PDF is the new one, every file of that build is in place. A build
//! killed mid-rename can leave some slides new and the rest old beside the old PDF.
//!
//! It also owns which names a deck claims in the output folder ([`claimed_names`]), so that the
//! command line can refuse, before anything is written, two decks of one batch that would write
//! the same files ([`conflicts`]).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use tempfile::TempPath;

use crate::deck::Deck;
use crate::export::pdf::{PageText, PdfMeta, PdfWriter};
use crate::export::png::EncodedPng;

/// The files of one deck being written.
pub struct Staging {
    out_dir: PathBuf,
    slide_dir: PathBuf,
    stem: String,
    slide_count: usize,
    keep_svg: bool,
    staged: Vec<(TempPath, PathBuf)>,
    pdf: PdfWriter<std::io::BufWriter<tempfile::NamedTempFile>>,
    pdf_path: PathBuf,
    alt_texts: Vec<String>,
    /// The largest PDF allowed ([`crate::export::pages::MAX_PDF_BYTES`]; lowered by tests).
    pdf_limit: u64,
}

/// Bytes kept free under the limit for the PDF's closing tables: the page tree, the
/// cross-reference table (20 bytes an object) and the information dictionary.
fn closing_bytes(slides: usize) -> u64 {
    16 * 1024 + slides as u64 * 80
}

impl Staging {
    /// Prepares the folders and the PDF of `deck` under `out_dir`. `keep_svg` says whether SVGs
    /// are among the outputs (stale ones are removed otherwise).
    pub fn begin(deck: &Deck, out_dir: &Path, keep_svg: bool) -> Result<Staging, String> {
        let slide_dir = out_dir.join(&deck.stem);
        std::fs::create_dir_all(&slide_dir).map_err(|e| format!("cannot create `{}`: {e}", slide_dir.display()))?;
        remove_abandoned_temporaries(&slide_dir, &deck.stem);
        remove_abandoned_temporaries(out_dir, &deck.stem);
        let pdf_path = out_dir.join(format!("{}.pdf", deck.stem));
        let fail = |e: std::io::Error| format!("cannot write `{}`: {e}", pdf_path.display());
        let temp = temporary_in(out_dir, &deck.stem).map_err(fail)?;
        let pdf = PdfWriter::new(std::io::BufWriter::new(temp), pdf_meta(deck)).map_err(fail)?;
        Ok(Staging {
            out_dir: out_dir.to_path_buf(),
            slide_dir,
            stem: deck.stem.clone(),
            slide_count: deck.slides.len(),
            keep_svg,
            staged: Vec::new(),
            pdf,
            pdf_path,
            alt_texts: Vec::new(),
            pdf_limit: crate::export::pages::MAX_PDF_BYTES,
        })
    }

    /// Sets the largest PDF allowed, in bytes, instead of LinkedIn's 100 MB.
    pub fn with_pdf_limit(mut self, bytes: u64) -> Staging {
        self.pdf_limit = bytes;
        self
    }

    /// Says that the PDF is over its limit: the deck cannot be posted, so nothing is written.
    fn too_big(&self, bytes: u64, slides: usize) -> String {
        too_big(&self.pdf_path, self.pdf_limit, bytes, slides, self.slide_count)
    }

    /// Adds the next slide, in deck order: its PNG, its SVG when kept, its PDF page (with `text`
    /// over it), its alt text.
    /// `photo` is the slide as a JPEG when it is photographic ([`crate::export::pages::photo_page`]); the
    /// page is chosen by [`crate::export::pages::choose`] from the room left under the PDF limit.
    pub fn add_slide(
        &mut self,
        png: &EncodedPng,
        photo: Option<&[u8]>,
        svg: Option<&str>,
        alt_text: &str,
        text: &PageText,
    ) -> Result<(), String> {
        let number = self.alt_texts.len() + 1;
        let digits = if self.slide_count > 99 { 3 } else { 2 };
        let name = format!("{number:0digits$}");
        let png_path = self.slide_dir.join(format!("{name}.png"));
        self.staged.push(stage(&self.slide_dir, &self.stem, &png_path, &png.bytes)?);
        if let Some(svg) = svg {
            let svg_path = self.slide_dir.join(format!("{name}.svg"));
            self.staged.push(stage(&self.slide_dir, &self.stem, &svg_path, svg.as_bytes())?);
        }
        let remaining = (self.slide_count.saturating_sub(self.alt_texts.len())).max(1) as u64;
        let used = self.pdf.written() + closing_bytes(self.slide_count);
        let share = self.pdf_limit.saturating_sub(used) / remaining;
        let written = match crate::export::pages::choose(png, photo, share) {
            crate::export::pages::Page::Png => self.pdf.add_page(png, text),
            crate::export::pages::Page::Jpeg(jpeg) => self.pdf.add_jpeg_page(png.width, png.height, &jpeg, text),
        };
        written.map_err(|e| format!("cannot write `{}`: {e}", self.pdf_path.display()))?;
        // Stop at the first page past the limit rather than render the rest for nothing.
        if self.pdf.written() + closing_bytes(self.slide_count) > self.pdf_limit {
            return Err(self.too_big(self.pdf.written(), number));
        }
        self.alt_texts.push(alt_text.split_whitespace().collect::<Vec<_>>().join(" "));
        Ok(())
    }

    /// Writes the caption, finishes the PDF and renames every file into place. Returns the
    /// files written, PNGs first and the PDF last.
    pub fn commit(mut self, deck: &Deck) -> Result<Vec<PathBuf>, String> {
        let caption_path = self.out_dir.join(format!("{}.txt", self.stem));
        let caption = caption_text(deck, &self.alt_texts);
        self.staged.push(stage(&self.out_dir, &self.stem, &caption_path, caption.as_bytes())?);
        let fail = |e: std::io::Error| format!("cannot write `{}`: {e}", self.pdf_path.display());
        let buffered = self.pdf.finish().map_err(fail)?;
        let temp = buffered.into_inner().map_err(|e| fail(e.into_error()))?;
        let size = temp.as_file().metadata().map_err(fail)?.len();
        if size > self.pdf_limit {
            return Err(too_big(&self.pdf_path, self.pdf_limit, size, self.slide_count, self.slide_count));
        }
        self.staged.push((temp.into_temp_path(), self.pdf_path.clone()));
        // Slides first; slides left from a longer earlier build go before the caption and the
        // PDF (last) are renamed in, so that a new PDF means every file beside it is this build's.
        let slides = self.staged.len() - 2;
        let mut written = Vec::with_capacity(self.staged.len());
        for (index, (temp, destination)) in self.staged.into_iter().enumerate() {
            if index == slides {
                remove_stale_slides(&self.slide_dir, self.slide_count, self.keep_svg);
            }
            temp.persist(&destination).map_err(|e| format!("cannot write `{}`: {e}", destination.display()))?;
            written.push(destination);
        }
        Ok(written)
    }
}

/// The message for a PDF of `bytes` after `slides` of `slide_count` slides, over `limit`.
fn too_big(pdf_path: &Path, limit: u64, bytes: u64, slides: usize, slide_count: usize) -> String {
    let size = crate::export::pages::megabytes(bytes);
    let so_far = if slides < slide_count { format!("{size} after {slides} of its {slide_count} slides") } else { size };
    format!(
        "`{}` would be over {} ({so_far}), the largest document LinkedIn takes; nothing was written: \
         use fewer slides, fewer photos or a smaller `size:`",
        pdf_path.display(),
        crate::export::pages::megabytes(limit)
    )
}

/// The names a deck with this stem writes in the output folder: its PDF, its caption and its
/// folder of slides (which holds nothing of any other deck).
pub fn claimed_names(stem: &str) -> [String; 3] {
    [format!("{stem}.pdf"), format!("{stem}.txt"), stem.to_string()]
}

/// The decks of one batch that would write the same files as another deck of it, each with the
/// error that says so, naming the other deck and the file; found before anything is written.
/// `decks` must not hold one file twice (the build drops repeats first).
///
/// Names are compared case-insensitively (`Day5.yaml` and `day5.yaml` clash everywhere): on the
/// file systems of macOS and Windows they are one file, and a batch should not build on one
/// machine and lose a deck on another. `x.pdf.yaml` clashes with `x.yaml` (a folder `x.pdf/`
/// where the PDF `x.pdf` goes); a deck named like the slide cache's folder clashes with the cache.
pub fn conflicts(decks: &[PathBuf], out_dir: &Path) -> Vec<(usize, String)> {
    let cache = crate::build::cache::CACHE_DIR;
    let mut owners: std::collections::HashMap<String, Vec<(usize, String)>> = std::collections::HashMap::new();
    for (index, deck) in decks.iter().enumerate() {
        for name in claimed_names(&crate::deck::stem_of(deck)) {
            owners.entry(name.to_lowercase()).or_default().push((index, name));
        }
    }
    let mut found: Vec<(usize, String)> = Vec::new();
    for (index, deck) in decks.iter().enumerate() {
        let stem = crate::deck::stem_of(deck);
        let mut clash = None;
        for name in claimed_names(&stem) {
            if name.to_lowercase() == cache {
                clash = Some(format!(
                    "its outputs would go in `{}`, the slide cache's folder; give the deck another file name",
                    out_dir.join(&name).display()
                ));
                break;
            }
            let others = owners.get(&name.to_lowercase()).map_or(&[][..], Vec::as_slice);
            if let Some((other, theirs)) = others.iter().find(|(other, _)| *other != index) {
                let same = if *theirs == name {
                    String::new()
                } else {
                    format!(", which is `{theirs}` on a case-insensitive file system")
                };
                clash = Some(format!(
                    "this deck and `{}` would both write `{}`{same}; rename one of them (the file name names the \
                     outputs), or build them into different folders with `-o`",
                    decks[*other].display(),
                    out_dir.join(&name).display()
                ));
                break;
            }
        }
        if let Some(message) = clash {
            found.push((index, message));
        }
    }
    found
}

fn pdf_meta(deck: &Deck) -> PdfMeta {
    PdfMeta {
        title: deck.title.clone(),
        author: deck.author.as_ref().map(|a| a.name.value.clone()),
        subject: deck
            .caption
            .as_ref()
            .map(|c| c.text.value.lines().next().unwrap_or_default().to_string())
            .filter(|s| !s.is_empty()),
        keywords: deck.caption.as_ref().map(|c| c.hashtags.clone()).unwrap_or_default(),
        creator: format!("carousel {}", env!("CARGO_PKG_VERSION")),
        language: Some(deck.language.clone()),
    }
}

/// The post text, ready to paste: the caption with its hashtags, then each slide's alt text.
pub fn caption_text(deck: &Deck, alt_texts: &[String]) -> String {
    let mut text = String::new();
    if let Some(caption) = &deck.caption {
        text.push_str(caption.text.value.trim_end());
        text.push('\n');
        if !caption.hashtags.is_empty() {
            text.push('\n');
            let tags: Vec<String> = caption.hashtags.iter().map(|t| format!("#{t}")).collect();
            text.push_str(&tags.join(" "));
            text.push('\n');
        }
        text.push('\n');
    }
    text.push_str(&format!("Alt text for the {} slides of \"{}\":\n", alt_texts.len(), deck.title));
    for (index, alt) in alt_texts.iter().enumerate() {
        text.push_str(&format!("{}. {alt}\n", index + 1));
    }
    text
}

/// A deck's outputs in a folder, held by one build (see [`lock`]); released when dropped.
#[derive(Debug)]
pub struct OutputLock {
    _file: std::fs::File,
}

/// Takes the lock of the outputs of the deck named `stem` in `out_dir` (the hidden file
/// `.carousel-<stem>.lock`, its name in lower case, so that `Day5` and `day5` share it where the
/// file system does not tell them apart). When another build holds it, says so on stderr and
/// waits for it. The lock is the operating system's (`flock`), so a
/// build that was killed releases it at once.
pub fn lock(out_dir: &Path, stem: &str, deck: &Path) -> Result<OutputLock, String> {
    std::fs::create_dir_all(out_dir).map_err(|e| format!("cannot create `{}`: {e}", out_dir.display()))?;
    let path = out_dir.join(format!(".carousel-{}.lock", stem.to_lowercase()));
    let fail = |e: std::io::Error| format!("cannot lock `{}`: {e}", path.display());
    let file =
        std::fs::OpenOptions::new().create(true).truncate(false).read(true).write(true).open(&path).map_err(fail)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!("waiting for another build of {} into {} to finish", deck.display(), out_dir.display());
            file.lock().map_err(fail)?;
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(fail(e)),
    }
    // The file stays empty: the folder's files are the same bytes after every build.
    Ok(OutputLock { _file: file })
}

/// Random characters in a temporary file's name (ASCII letters and digits, as `tempfile` draws them).
const RANDOM_CHARS: usize = 6;

/// Temporary files are named `.carousel-<stem>-<6 random letters or digits>.tmp`. A build that was
/// killed (no destructor runs on SIGKILL) leaves its own behind; the next build of the same deck
/// removes them, holding the deck's [`lock`], so no live build's temporaries are among them. Only names of exactly that shape count: the temporaries of `x-b` in flight
/// (`.carousel-x-b-Ab12Cd.tmp`) start with `.carousel-x-` as well, and are not `x`'s to remove.
fn remove_abandoned_temporaries(dir: &Path, stem: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        if is_temporary_of(&entry.file_name().to_string_lossy(), stem) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether `name` is a temporary file of the deck named `stem` (see [`remove_abandoned_temporaries`]).
fn is_temporary_of(name: &str, stem: &str) -> bool {
    let random = name
        .strip_prefix(".carousel-")
        .and_then(|rest| rest.strip_prefix(stem))
        .and_then(|rest| rest.strip_prefix('-'))
        .and_then(|rest| rest.strip_suffix(".tmp"));
    random.is_some_and(|r| r.len() == RANDOM_CHARS && r.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn temporary_in(dir: &Path, stem: &str) -> std::io::Result<tempfile::NamedTempFile> {
    let prefix = format!(".carousel-{stem}-");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp").rand_bytes(RANDOM_CHARS);
    // Temporary files are private (0600) by default; outputs are ordinary files (0666 less the
    // umask), readable by a web server or a teammate like any file the author saves.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    builder.tempfile_in(dir)
}

/// Writes `bytes` to a closed temporary file in `dir` (a 300-slide deck must not hold 300 open
/// files) that becomes `destination` on commit.
fn stage(dir: &Path, stem: &str, destination: &Path, bytes: &[u8]) -> Result<(TempPath, PathBuf), String> {
    let mut temp = temporary_in(dir, stem).map_err(|e| format!("cannot write in `{}`: {e}", dir.display()))?;
    temp.write_all(bytes).map_err(|e| format!("cannot write `{}`: {e}", destination.display()))?;
    Ok((temp.into_temp_path(), destination.to_path_buf()))
}

/// Removes `NN.png`/`NN.svg` left from an earlier, longer build of the same deck.
fn remove_stale_slides(dir: &Path, slides: usize, keep_svg: bool) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let (Some(stem), Some(ext)) =
            (path.file_stem().and_then(|s| s.to_str()), path.extension().and_then(|e| e.to_str()))
        else {
            continue;
        };
        if !(ext == "png" || ext == "svg") || !stem.chars().all(|c| c.is_ascii_digit()) || stem.len() < 2 {
            continue;
        }
        let number: usize = stem.parse().unwrap_or(0);
        let expected_digits = if slides > 99 { 3 } else { 2 };
        let stale = number == 0 || number > slides || stem.len() != expected_digits || (ext == "svg" && !keep_svg);
        if stale {
            let _ = std::fs::remove_file(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporaries_are_matched_to_their_own_deck_only() {
        assert!(is_temporary_of(".carousel-x-Ab12Cd.tmp", "x"));
        assert!(is_temporary_of(".carousel-x-b-Ab12Cd.tmp", "x-b"));
        assert!(is_temporary_of(".carousel-x.v2-000000.tmp", "x.v2"));
        for (name, stem) in [
            (".carousel-x-b-Ab12Cd.tmp", "x"),
            (".carousel-x-bAb12Cd.tmp", "x"),
            (".carousel-x-12-Ab12Cd.tmp", "x"),
            (".carousel-x.v2-Ab12Cd.tmp", "x"),
            (".carousel-x-Ab12Cd.tmp", "x-"),
            (".carousel-x-Ab12C.tmp", "x"),
            (".carousel-x-Ab1-Cd.tmp", "x"),
            (".carousel-x-Ab12Cd.png", "x"),
            ("01.png", "x"),
        ] {
            assert!(!is_temporary_of(name, stem), "{name} is not a temporary of {stem}");
        }
    }

    #[test]
    fn a_temporary_name_has_the_shape_the_cleanup_looks_for() {
        let dir = tempfile::tempdir().unwrap();
        let temp = temporary_in(dir.path(), "x-b").unwrap();
        let name = temp.path().file_name().unwrap().to_string_lossy().into_owned();
        assert!(is_temporary_of(&name, "x-b"), "{name}");
        assert!(!is_temporary_of(&name, "x"), "{name}");
    }

    #[test]
    fn decks_that_would_write_the_same_files_are_found() {
        let decks: Vec<PathBuf> = ["a/day.yaml", "b/day.yml", "x.yaml", "x-b.yaml", "notes.v2.yaml", "notes.yaml"]
            .iter()
            .map(PathBuf::from)
            .collect();
        let found = conflicts(&decks, Path::new("out"));
        let indices: Vec<usize> = found.iter().map(|(i, _)| *i).collect();
        assert_eq!(indices, [0, 1], "{found:?}");
        assert!(found[0].1.contains("`b/day.yml` would both write `out/day.pdf`"), "{}", found[0].1);
        assert!(found[1].1.contains("`a/day.yaml`"), "{}", found[1].1);

        let decks: Vec<PathBuf> = ["Day5.yaml", "day5.yaml", "x.yaml", "x.pdf.yaml", ".carousel-cache.yaml"]
            .iter()
            .map(PathBuf::from)
            .collect();
        let found = conflicts(&decks, Path::new("out"));
        assert_eq!(found.len(), 5, "{found:?}");
        assert!(found[0].1.contains("which is `day5.pdf` on a case-insensitive file system"), "{}", found[0].1);
        assert!(found[2].1.contains("`x.pdf.yaml` would both write `out/x.pdf`"), "{}", found[2].1);
        assert!(found[4].1.contains("the slide cache's folder"), "{}", found[4].1);
        assert!(conflicts(&[PathBuf::from("x.yaml")], Path::new("out")).is_empty());
    }
}
