//! Build: decks in, files out.
//!
//! Owns the orchestration of the stages for `build` and `check`: finding decks in folders,
//! running deck -> layout -> SVG -> raster -> PNG -> PDF for each, in parallel across slides and
//! decks (the layout stage lays out one slide; the parallelism and the windows of slides are
//! decided here, in [`stream_slides`]), asking the slide cache ([`crate::build::cache`]) before rasterising, and handing slides in deck
//! order to the output stage ([`crate::build::output`]), which stages every file in a temporary beside
//! it and renames them into place only when the whole deck succeeded. It hands the command line
//! a [`DeckReport`] per deck; it never prints.

pub mod cache;
pub mod lint;
pub mod output;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::build::cache::{SlideCache, SlideKey};
use crate::build::output::Staging;
use crate::deck::{self, Deck};
use crate::export::png::{encode_png, EncodedPng};
use crate::export::{raster, svg};
use crate::files::Access;
use crate::layout::{self, Templates};
use crate::read::diag::Diagnostic;
use crate::read::yaml::Pos;
use crate::scene::Scene;
use crate::text::Typesetter;

/// What to do with each deck.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where outputs go (`out` by default).
    pub out_dir: PathBuf,
    /// Also write the SVG of each slide.
    pub svg: bool,
    /// Validate and lay out only; write nothing. Also runs the lints of [`crate::build::lint`].
    pub check_only: bool,
    /// Treat warnings as errors.
    pub deny_warnings: bool,
    /// Reuse slides rendered by an earlier build into the same `out_dir` (see [`crate::build::cache`]).
    pub cache: bool,
    /// Folders outside a deck's own folder tree that its paths may name (`--allow-outside`).
    pub allow_outside: Vec<PathBuf>,
    /// The platforms to write the slides for as well (`--for`), beside the PDF.
    pub platforms: Vec<crate::export::platforms::Platform>,
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
    /// Slides rasterised by this build.
    pub rendered: usize,
    /// Slides taken from the slide cache.
    pub cached: usize,
    /// Wall time.
    pub elapsed: Duration,
}

impl DeckReport {
    /// Whether the deck had an error.
    pub fn failed(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Expands folders into the `*.yaml` / `*.yml` decks they hold (sorted, not recursive), each
/// file once however often it is named (`decks/day5.yaml decks/` builds day5 once). Returns the
/// decks and, separately, inputs that are neither a deck nor a folder.
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
    (first_of_each_file(decks), problems)
}

/// Drops every deck that names a file named before it under the same stem: the same path, or
/// another spelling of it (`./d.yaml`, `D.yaml` on a case-insensitive file system). A link by
/// another name is another deck: its outputs bear that name.
fn first_of_each_file(decks: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut seen = std::collections::HashSet::new();
    decks
        .into_iter()
        .filter(|deck| seen.insert((file_identity(deck), crate::deck::stem_of(deck).to_lowercase())))
        .collect()
}

/// What makes two paths one file: device and inode on Unix, else the canonical path; a path that
/// cannot be read is only itself (the build reports it).
fn file_identity(path: &Path) -> (u64, u64, PathBuf) {
    #[cfg(unix)]
    if let Ok(meta) = std::fs::metadata(path) {
        use std::os::unix::fs::MetadataExt as _;
        return (meta.dev(), meta.ino(), PathBuf::new());
    }
    (0, 0, std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// Builds (or checks) every deck, decks in parallel. Reports come back in input order.
pub fn run(decks: &[PathBuf], options: &Options) -> Vec<DeckReport> {
    run_with(decks, options, |_| {})
}

/// Like [`run`], and hands each report to `on_done` as soon as its deck is finished (in the
/// order decks finish), for a progress display.
pub fn run_with(decks: &[PathBuf], options: &Options, on_done: impl Fn(&DeckReport) + Sync) -> Vec<DeckReport> {
    decks
        .par_iter()
        .map(|path| {
            let report = run_one(path, options);
            on_done(&report);
            report
        })
        .collect()
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
        rendered: 0,
        cached: 0,
        elapsed: Duration::ZERO,
    };
    let source = match deck::read_source(path) {
        Ok(source) => source,
        Err(unreadable) => {
            report.diagnostics.push(
                Diagnostic::error(unreadable.pos, unreadable.message)
                    .with_help("give a .yaml deck file (UTF-8 text) or a folder of decks"),
            );
            report.elapsed = started.elapsed();
            return report;
        }
    };
    let base = path.parent().unwrap_or(Path::new(""));
    let loaded = deck::load_with(path, &source, &Access::new(base, &options.allow_outside));
    report.source = Some(source);
    report.diagnostics = loaded.diagnostics;
    let Some(deck) = loaded.deck else {
        // The warnings of what could be read go with the errors, so that one round of fixes
        // meets them all.
        if let Some(partial) = &loaded.partial {
            report.diagnostics.extend(lint::deck_warnings(partial, false));
        }
        finish(&mut report, options, started);
        return report;
    };
    report.slides = deck.slides.len();
    let refused = platform_checks(&deck, options, report.source.as_deref(), &mut report.diagnostics);
    if refused {
        finish(&mut report, options, started);
        return report;
    }
    if options.check_only {
        match layout_deck(&deck) {
            Ok(scenes) => report.diagnostics.extend(lint::lint(&deck, &scenes)),
            Err(errors) => {
                report.diagnostics.extend(errors);
                report.diagnostics.extend(lint::deck_warnings(&deck, true));
            }
        }
    } else {
        build_slides(&deck, options, &mut report);
    }
    finish(&mut report, options, started);
    report
}

/// The `--for` platforms' rules on a deck: a shape a platform refuses is an error (at `size:`),
/// a caption over its limits a warning. Returns whether the deck is refused.
fn platform_checks(deck: &Deck, options: &Options, source: Option<&str>, out: &mut Vec<Diagnostic>) -> bool {
    let size_line = source.and_then(|s| s.lines().position(|l| l.starts_with("size:"))).map_or(1, |i| i as u32 + 1);
    let at = Pos { line: size_line, column: 1, offset: None, len: 0 };
    let mut refused = false;
    for platform in &options.platforms {
        if let Some(why) = platform.refuses_shape(deck.size.width, deck.size.height) {
            out.push(
                Diagnostic::error(at, format!("these slides cannot go to {}: {why}", platform.label())).with_help(
                    "write `size: portrait` or `size: square` for this deck, or leave this platform out of --for",
                ),
            );
            refused = true;
        }
        if let Some(caption) = &deck.caption {
            for problem in crate::export::platforms::caption_problems(*platform, &post_text(caption)) {
                out.push(
                    Diagnostic::warning(caption.text.pos, format!("{problem} (--for {})", platform.name()))
                        .with_help("shorten the caption; its file for the platform is written as it is"),
                );
            }
        }
    }
    refused
}

/// The text of a post as a reader sees it: the caption and its hashtags.
fn post_text(caption: &deck::Caption) -> String {
    deck::little::post_text(&caption.text.value, &caption.hashtags).shown
}

/// Warnings as errors when asked, every diagnostic in source order, the time taken.
fn finish(report: &mut DeckReport, options: &Options, started: std::time::Instant) {
    if options.deny_warnings {
        for diagnostic in &mut report.diagnostics {
            diagnostic.severity = crate::read::diag::Severity::Error;
        }
    }
    report.diagnostics.sort_by_key(|d| (d.pos.line, d.pos.column));
    report.elapsed = started.elapsed();
}

/// Lays out every slide of a deck (for `check`, tests and benchmarks). Returns one diagnostic per slide that cannot be laid out.
pub fn layout_deck(deck: &Deck) -> Result<Vec<Scene>, Vec<Diagnostic>> {
    map_slides(deck, Ok)
}

/// Lays out every slide in parallel and hands each scene to `then` on the same thread (the
/// build renders it there, so a slow slide overlaps with the others). Results keep deck order;
/// every slide's error is collected, not only the first.
pub fn map_slides<T: Send>(
    deck: &Deck,
    then: impl Fn(Scene) -> Result<T, Diagnostic> + Sync,
) -> Result<Vec<T>, Vec<Diagnostic>> {
    let mut done = Vec::with_capacity(deck.slides.len());
    stream_slides(deck, deck.slides.len().max(1), then, |value| {
        done.push(value);
        Ok(())
    })?;
    Ok(done)
}

/// Like [`map_slides`], but hands each result to `sink` in deck order as soon as its window of
/// `window` slides is done, so that no more than one window of results is ever held: a
/// 300-slide build keeps a few rendered slides in memory, not all of them.
///
/// After the first error, later slides are still laid out (every error of a deck is reported
/// at once) but no longer handed to `then` or `sink`: their output would be thrown away.
/// Set by Ctrl-C (or SIGTERM): builds stop before their next slide.
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Asks every build in progress to stop before its next slide, leaving every output as it was
/// (nothing is renamed into place; the temporaries are removed). A slide renders within the
/// render budget, so that is within a second; should the process still be running `GRACE` later
/// (or be asked a second time), it exits with `exit_code` at once.
pub fn interrupt(exit_code: i32) {
    const GRACE: std::time::Duration = std::time::Duration::from_secs(3);
    if INTERRUPTED.swap(true, std::sync::atomic::Ordering::SeqCst) {
        std::process::exit(exit_code);
    }
    std::thread::spawn(move || {
        std::thread::sleep(GRACE);
        std::process::exit(exit_code);
    });
}

/// Whether [`interrupt`] was called.
pub fn interrupted() -> bool {
    INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst)
}

pub fn stream_slides<T: Send>(
    deck: &Deck,
    window: usize,
    then: impl Fn(Scene) -> Result<T, Diagnostic> + Sync,
    mut sink: impl FnMut(T) -> Result<(), Diagnostic>,
) -> Result<(), Vec<Diagnostic>> {
    use std::sync::atomic::{AtomicBool, Ordering};
    let templates = Templates::for_deck(deck)?;
    let deck = &*layout::profiles::with_profiles(deck, &templates);
    let plan = layout::Plan::new(deck, &templates);
    let mut errors = Vec::new();
    let failed = AtomicBool::new(false);
    for chunk in deck.slides.chunks(window.max(1)) {
        if interrupted() {
            errors.push(Diagnostic::error(deck.slides_pos, "interrupted (Ctrl-C): nothing was written"));
            break;
        }
        let results: Vec<Result<Option<T>, Diagnostic>> = chunk
            .par_iter()
            .map_init(
                || Typesetter::with(deck.text.clone()),
                |typesetter, slide| {
                    let template =
                        templates.loaded(slide.kind).ok_or_else(|| Diagnostic::error(slide.pos, "no layout"))?;
                    if interrupted() {
                        return Ok(None);
                    }
                    let scene = layout::layout_slide(deck, slide, template, &plan, typesetter)?;
                    if failed.load(Ordering::Relaxed) {
                        return Ok(None);
                    }
                    then(scene).map(Some)
                },
            )
            .collect();
        for result in results {
            match result {
                Ok(Some(value)) if errors.is_empty() => {
                    if let Err(error) = sink(value) {
                        errors.push(error);
                    }
                }
                Ok(_) => {}
                Err(error) => errors.push(error),
            }
        }
        if !errors.is_empty() {
            failed.store(true, Ordering::Relaxed);
        }
    }
    if errors.is_empty() && interrupted() {
        errors.push(Diagnostic::error(deck.slides_pos, "interrupted (Ctrl-C): nothing was written"));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// How many slides are rendered between two turns of the writer: enough that every core stays
/// busy while slides of uneven cost finish (and that a short deck is one window), few enough that
/// a 300-slide deck never holds more than a few dozen rendered slides.
fn render_window() -> usize {
    (rayon::current_num_threads() * 4).max(16)
}

/// Lays out, renders and writes every slide of `deck`: slides in parallel, a window at a time,
/// each handed to the output stage in deck order as soon as its window is done. Nothing replaces
/// the previous output until every slide has succeeded.
fn build_slides(deck: &Deck, options: &Options, report: &mut DeckReport) {
    let keep_svg = options.svg;
    // One build of a deck into a folder at a time (a `watch` and a `build`, two scripts): the
    // second waits for the first, and while the lock is held no other writer of these files is
    // alive, so temporaries left under the deck's name are abandoned ones.
    let _lock = match output::lock(&options.out_dir, &deck.stem, &deck.path) {
        Ok(lock) => lock,
        Err(message) => return report.diagnostics.push(Diagnostic::error(Pos::default(), message)),
    };
    let cache = options.cache.then(|| SlideCache::new(&options.out_dir, &deck.stem));
    let mut staging = match Staging::begin(deck, &options.out_dir, keep_svg) {
        Ok(staging) => staging,
        Err(message) => return report.diagnostics.push(Diagnostic::error(Pos::default(), message)),
    };
    let mut keys = Vec::with_capacity(deck.slides.len());
    let mut alts = Vec::with_capacity(deck.slides.len());
    let streamed = stream_slides(
        deck,
        render_window(),
        |scene| {
            render_scene(&scene, keep_svg, cache.as_ref())
                .map(|rendered| {
                    (
                        scene.alt.clone(),
                        crate::export::pages::page_text(&scene, deck.slides.get(scene.number.wrapping_sub(1))),
                        rendered,
                    )
                })
                .map_err(|message| Diagnostic::error(Pos::default(), message))
        },
        |(alt_text, page_text, rendered)| {
            if rendered.from_cache {
                report.cached += 1;
            } else {
                report.rendered += 1;
                if let Some(cache) = &cache {
                    cache.store(rendered.key, &rendered.png);
                }
            }
            keys.push(rendered.key);
            alts.push(alt_text.clone());
            staging
                .add_slide(&rendered.png, rendered.photo.as_deref(), rendered.svg.as_deref(), &alt_text, &page_text)
                .map_err(|message| Diagnostic::error(Pos::default(), message))
        },
    );
    if let Err(errors) = streamed {
        report.diagnostics.extend(errors);
        return report.diagnostics.extend(lint::deck_warnings(deck, true));
    }
    match staging.commit(deck) {
        Ok(written) => {
            report.written = written;
            if let Some(cache) = &cache {
                cache.retain(&keys);
            }
            let pngs: Vec<PathBuf> =
                report.written.iter().filter(|p| p.extension().is_some_and(|e| e == "png")).cloned().collect();
            let text = deck.caption.as_ref().map(post_text).unwrap_or_default();
            for platform in &options.platforms {
                match crate::export::platforms::write(*platform, &options.out_dir, &deck.stem, &pngs, &alts, &text) {
                    Ok(folder) => report.written.push(folder),
                    Err(message) => report.diagnostics.push(Diagnostic::error(Pos::default(), message)),
                }
            }
        }
        Err(message) => report.diagnostics.push(Diagnostic::error(Pos::default(), message)),
    }
}

/// One rendered slide, on its way to the output stage.
struct Rendered {
    svg: Option<String>,
    png: EncodedPng,
    /// The slide as a JPEG, for the PDF, when it is photographic.
    photo: Option<Vec<u8>>,
    key: SlideKey,
    from_cache: bool,
}

fn render_scene(scene: &Scene, keep_svg: bool, cache: Option<&SlideCache>) -> Result<Rendered, String> {
    let svg = svg::to_svg(scene);
    let (width, height) = (scene.size.width, scene.size.height);
    let key = SlideKey::new(&svg, width, height);
    if let Some(png) = cache.and_then(|cache| cache.get(key, width, height)) {
        let photo = crate::export::pages::is_photographic(scene)
            .then(|| crate::media::pixels::decode(&png.bytes, crate::media::asset::ImageFormat::Png))
            .flatten()
            .and_then(|pixels| crate::export::pages::photo_page(scene, &pixels.rgba));
        return Ok(Rendered { svg: keep_svg.then_some(svg), png, photo, key, from_cache: true });
    }
    let (png, photo) = raster::rasterize_with(&svg, width, height, |pixels| {
        (encode_png(width, height, pixels), crate::export::pages::photo_page(scene, pixels))
    })
    .map_err(|e| format!("slide {}: cannot render: {e}", scene.number))?;
    let png = png.map_err(|e| format!("slide {}: cannot encode PNG: {e}", scene.number))?;
    Ok(Rendered { svg: keep_svg.then_some(svg), png, photo, key, from_cache: false })
}
