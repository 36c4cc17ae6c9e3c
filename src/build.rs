//! Build: decks in, files out.
//!
//! Owns the orchestration of the stages for `build` and `check`: finding decks in folders,
//! running deck -> layout -> SVG -> raster -> PNG -> PDF for each, in parallel across slides and
//! decks, and writing outputs atomically: everything of a deck is rendered in memory first, each
//! file is written to a temporary file in its destination folder and renamed into place, so a
//! failed or interrupted build leaves the previous good output untouched. It hands the command
//! line a [`DeckReport`] per deck; it never prints.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::deck::{self, Deck};
use crate::diag::Diagnostic;
use crate::layout;
use crate::pdf::{PdfMeta, PdfWriter};
use crate::png_encode::{encode_png, EncodedPng};
use crate::render;
use crate::scene::Scene;
use crate::svg;
use crate::yaml::Pos;

/// What to do with each deck.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where outputs go (`out` by default).
    pub out_dir: PathBuf,
    /// Also write the SVG of each slide.
    pub svg: bool,
    /// Validate and lay out only; write nothing. Also runs the lints of [`crate::lint`].
    pub check_only: bool,
    /// Treat warnings as errors.
    pub deny_warnings: bool,
}

/// The outcome for one deck.
#[derive(Debug)]
pub struct DeckReport {
    /// The deck file.
    pub path: PathBuf,
    /// Its text, for showing source lines in diagnostics.
    pub source: Option<String>,
    /// Errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// Files written.
    pub written: Vec<PathBuf>,
    /// Number of slides.
    pub slides: usize,
    /// Wall time.
    pub elapsed: Duration,
}

impl DeckReport {
    /// Whether the deck had an error.
    pub fn failed(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Expands folders into the `*.yaml` / `*.yml` decks they hold (sorted, not recursive).
/// Returns the decks and, separately, inputs that are neither a deck nor a folder.
pub fn collect_decks(inputs: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut decks = Vec::new();
    let mut problems = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found: Vec<PathBuf> = match std::fs::read_dir(input) {
                Ok(entries) => entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
                    .collect(),
                Err(e) => {
                    problems.push((input.clone(), format!("cannot read the folder: {e}")));
                    continue;
                }
            };
            found.sort();
            if found.is_empty() {
                problems.push((input.clone(), "this folder holds no .yaml or .yml decks".into()));
            }
            decks.extend(found);
        } else {
            decks.push(input.clone());
        }
    }
    (decks, problems)
}

/// Builds (or checks) every deck, decks in parallel. Reports come back in input order.
pub fn run(decks: &[PathBuf], options: &Options) -> Vec<DeckReport> {
    decks.par_iter().map(|path| run_one(path, options)).collect()
}

/// Builds (or checks) one deck.
pub fn run_one(path: &Path, options: &Options) -> DeckReport {
    let started = Instant::now();
    let mut report = DeckReport {
        path: path.to_path_buf(),
        source: None,
        diagnostics: Vec::new(),
        written: Vec::new(),
        slides: 0,
        elapsed: Duration::ZERO,
    };
    let source = match deck::read_source(path) {
        Ok(source) => source,
        Err(message) => {
            report.diagnostics.push(
                Diagnostic::error(Pos::default(), message).with_help("give a .yaml deck file or a folder of decks"),
            );
            report.elapsed = started.elapsed();
            return report;
        }
    };
    let loaded = deck::load(path, &source);
    report.source = Some(source);
    report.diagnostics = loaded.diagnostics;
    let Some(deck) = loaded.deck else {
        report.elapsed = started.elapsed();
        return report;
    };
    report.slides = deck.slides.len();
    if options.check_only {
        match layout::layout_deck(&deck) {
            Ok(scenes) => report.diagnostics.extend(crate::lint::lint(&deck, &scenes)),
            Err(errors) => report.diagnostics.extend(errors),
        }
    } else {
        // Layout and rendering run per slide in parallel; nothing is written until all succeed.
        let keep_svg = options.svg;
        let rendered = layout::map_slides(&deck, |scene| {
            render_scene(&scene, keep_svg)
                .map(|r| (scene, r))
                .map_err(|message| Diagnostic::error(Pos::default(), message))
        });
        match rendered {
            Ok(slides) => match write_outputs(&deck, slides, options) {
                Ok(written) => report.written = written,
                Err(message) => report.diagnostics.push(Diagnostic::error(Pos::default(), message)),
            },
            Err(errors) => report.diagnostics.extend(errors),
        }
    }
    if options.deny_warnings {
        for diagnostic in &mut report.diagnostics {
            diagnostic.severity = crate::diag::Severity::Error;
        }
    }
    report.diagnostics.sort_by_key(|d| (d.pos.line, d.pos.column));
    report.elapsed = started.elapsed();
    report
}

/// One rendered slide, held until every slide of the deck has succeeded.
struct Rendered {
    svg: Option<String>,
    png: EncodedPng,
}

fn render_scene(scene: &Scene, keep_svg: bool) -> Result<Rendered, String> {
    let svg = svg::to_svg(scene);
    let pixmap = render::rasterize(&svg, scene.size.width, scene.size.height)
        .map_err(|e| format!("slide {}: cannot render: {e}", scene.number))?;
    let png = encode_png(scene.size.width, scene.size.height, pixmap.data())
        .map_err(|e| format!("slide {}: cannot encode PNG: {e}", scene.number))?;
    Ok(Rendered { svg: keep_svg.then_some(svg), png })
}

/// Writes the PNGs, SVGs and the PDF through temporary files.
fn write_outputs(deck: &Deck, slides: Vec<(Scene, Rendered)>, options: &Options) -> Result<Vec<PathBuf>, String> {
    let (scenes, rendered): (Vec<Scene>, Vec<Rendered>) = slides.into_iter().unzip();
    let scenes = &scenes[..];
    let slide_dir = options.out_dir.join(&deck.stem);
    std::fs::create_dir_all(&slide_dir).map_err(|e| format!("cannot create `{}`: {e}", slide_dir.display()))?;
    remove_abandoned_temporaries(&slide_dir, &deck.stem);
    remove_abandoned_temporaries(&options.out_dir, &deck.stem);
    let digits = if scenes.len() > 99 { 3 } else { 2 };
    let mut staged = Vec::new();
    for (index, slide) in rendered.iter().enumerate() {
        let name = format!("{:0digits$}", index + 1);
        staged.push(stage(&slide_dir.join(format!("{name}.png")), &slide.png.bytes)?);
        if let Some(svg) = &slide.svg {
            staged.push(stage(&slide_dir.join(format!("{name}.svg")), svg.as_bytes())?);
        }
    }
    let caption_path = options.out_dir.join(format!("{}.txt", deck.stem));
    staged.push(stage(&caption_path, caption_text(deck, scenes).as_bytes())?);
    let pdf_path = options.out_dir.join(format!("{}.pdf", deck.stem));
    staged.push(stage_pdf(deck, &rendered, &pdf_path)?);
    let mut written = Vec::new();
    for (temp, destination) in staged {
        temp.persist(&destination).map_err(|e| format!("cannot write `{}`: {e}", destination.display()))?;
        written.push(destination);
    }
    remove_stale_slides(&slide_dir, scenes.len(), options.svg);
    Ok(written)
}

/// Temporary files are named `.carousel-<stem>-…tmp`. A build that was killed (no destructor
/// runs on SIGKILL) leaves its own behind; the next build of the same deck removes them.
fn remove_abandoned_temporaries(dir: &Path, stem: &str) {
    let prefix = format!(".carousel-{stem}-");
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(&prefix) && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn temporary_in(dir: &Path, destination: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let stem = destination.parent().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned());
    let deck = match destination.extension().and_then(|e| e.to_str()) {
        Some("pdf" | "txt") => destination.file_stem().map(|s| s.to_string_lossy().into_owned()),
        _ => stem,
    };
    tempfile::Builder::new().prefix(&format!(".carousel-{}-", deck.unwrap_or_default())).suffix(".tmp").tempfile_in(dir)
}

fn stage(destination: &Path, bytes: &[u8]) -> Result<(tempfile::NamedTempFile, PathBuf), String> {
    let dir = destination.parent().unwrap_or(Path::new("."));
    let mut temp = temporary_in(dir, destination).map_err(|e| format!("cannot write in `{}`: {e}", dir.display()))?;
    temp.write_all(bytes).map_err(|e| format!("cannot write `{}`: {e}", destination.display()))?;
    Ok((temp, destination.to_path_buf()))
}

fn stage_pdf(
    deck: &Deck,
    rendered: &[Rendered],
    destination: &Path,
) -> Result<(tempfile::NamedTempFile, PathBuf), String> {
    let fail = |e: std::io::Error| format!("cannot write `{}`: {e}", destination.display());
    let dir = destination.parent().unwrap_or(Path::new("."));
    let temp = temporary_in(dir, destination).map_err(fail)?;
    let meta = PdfMeta {
        title: deck.title.clone(),
        author: deck.author.as_ref().map(|a| a.name.value.clone()),
        subject: deck
            .caption
            .as_ref()
            .map(|c| c.text.value.lines().next().unwrap_or_default().to_string())
            .filter(|s| !s.is_empty()),
        keywords: deck.caption.as_ref().map(|c| c.hashtags.clone()).unwrap_or_default(),
        creator: format!("carousel {}", env!("CARGO_PKG_VERSION")),
    };
    let mut writer = PdfWriter::new(std::io::BufWriter::new(temp), meta).map_err(fail)?;
    for slide in rendered {
        writer.add_page(&slide.png).map_err(fail)?;
    }
    let buffered = writer.finish().map_err(fail)?;
    let temp = buffered.into_inner().map_err(|e| fail(e.into_error()))?;
    Ok((temp, destination.to_path_buf()))
}

/// The post text, ready to paste: the caption with its hashtags, then each slide's alt text.
pub fn caption_text(deck: &Deck, scenes: &[Scene]) -> String {
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
    text.push_str(&format!("Alt text for the {} slides of \"{}\":\n", scenes.len(), deck.title));
    for scene in scenes {
        text.push_str(&format!("{}. {}\n", scene.number, scene.alt.split_whitespace().collect::<Vec<_>>().join(" ")));
    }
    text
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
