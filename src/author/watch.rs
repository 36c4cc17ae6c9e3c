//! Watch: build a deck, then build it again on every save of the deck or of a file it uses.
//!
//! Owns the authoring loop of `carousel watch`: finding the files a deck depends on (the deck, its
//! images, the author's avatar, a theme file, the `layouts:` folder), noticing when any of them
//! changes, waiting out an editor's burst of writes, and running [`build::run_one`] again. A failed
//! build prints its diagnostics and leaves the last good output in place (the build stage writes
//! atomically); the loop goes on, so fixing the deck recovers. It hands [`crate::author::serve`] a
//! [`Status`] (a build generation and the last error) through [`Shared`], and the command line an
//! exit status or a [`WatchError`]. It prints one line per build on stderr, like `build`.
//!
//! Why polling and not file-system events: editors save in many ways (write in place; write a
//! temporary file and rename it over the deck; delete and recreate; vim's backup dance). An
//! event watch on a file follows its inode, so after a rename-over it silently watches a file
//! that no longer has a name, and a watch on the folder needs per-editor filtering of temporary
//! names. Asking "what is at this path now?" every [`POLL`] handles every one of those the same
//! way, on every platform and on network or container file systems where events do not arrive.
//! It costs a `stat` of a handful of files, and a read of the deck, a theme file and the layouts
//! (a few KB each), ten times a second. Each is read only within the limit the build applies to it
//! (a deck 2 MB, a theme file 64 KB, a layout 1 MB) and never past it: a file over its limit is
//! the build's error to report, not something to read again and again.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash as _, Hasher as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::author::serve::{Outputs, Shared, Status};
use crate::build::{self, DeckReport, Options};
use crate::deck::{self, Deck};
use crate::read::yaml::{self, Node, Value};

/// How often the watched files are looked at. Short enough to feel instant, long enough to cost
/// nothing; a save is built once the files have looked the same for one more interval.
pub const POLL: Duration = Duration::from_millis(100);

/// What `carousel watch` was asked to do.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// The deck file.
    pub deck: PathBuf,
    /// Folders outside the deck's own that its paths may name (`--allow-outside`).
    pub allow_outside: Vec<PathBuf>,
    /// The output folder (as for `build`).
    pub out_dir: PathBuf,
    /// Also write each slide's SVG.
    pub svg: bool,
    /// Serve the preview page on this port of 127.0.0.1 (0: any free port).
    pub serve: Option<u16>,
    /// Log every HTTP request on stderr.
    pub verbose: bool,
}

/// Why watching could not start.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// The deck does not exist (or is a folder) when watching starts.
    #[error("{path}: error: {why}")]
    Deck {
        /// The deck given.
        path: PathBuf,
        /// What is wrong with it.
        why: String,
    },
    /// The preview server could not listen.
    #[error("cannot serve on 127.0.0.1:{port}: {source}")]
    Bind {
        /// The port asked for.
        port: u16,
        /// The system's reason.
        source: std::io::Error,
    },
    /// Ctrl-C could not be caught.
    #[error("cannot handle Ctrl-C: {0}")]
    Signal(#[from] ctrlc::Error),
}

/// Runs `carousel watch` until Ctrl-C (or SIGTERM), then returns `Ok(())`.
pub fn run(options: &WatchOptions) -> Result<(), WatchError> {
    match std::fs::metadata(&options.deck) {
        Ok(m) if m.is_file() => {}
        Ok(_) => {
            return Err(WatchError::Deck {
                path: options.deck.clone(),
                why: "this is a folder; watch takes one deck file".into(),
            })
        }
        Err(e) => {
            return Err(WatchError::Deck { path: options.deck.clone(), why: format!("cannot read the deck: {e}") })
        }
    }
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    ctrlc::set_handler(move || {
        flag.store(true, Ordering::SeqCst);
        // A build in progress stops before its next slide, its outputs as they were.
        build::interrupt(0);
    })?;

    let shared = Arc::new(Shared::default());
    let outputs = Outputs::of(&options.deck, &options.out_dir);
    if let Some(port) = options.serve {
        let address = crate::author::serve::start(port, Arc::clone(&shared), outputs.clone(), options.verbose)
            .map_err(|source| WatchError::Bind { port, source })?;
        eprintln!("serving the slides of {} at http://{address}/", options.deck.display());
    }
    // The slide cache makes a rebuild re-render only the slides a save changed.
    let build_options = Options {
        out_dir: options.out_dir.clone(),
        svg: options.svg,
        check_only: false,
        deny_warnings: false,
        cache: true,
        allow_outside: options.allow_outside.clone(),
        platforms: Vec::new(),
    };
    // As `build`: colour only on a terminal, and never with NO_COLOR set.
    let color = std::io::IsTerminal::is_terminal(&std::io::stderr()) && std::env::var_os("NO_COLOR").is_none();
    let mut watched = Watched::of(&options.deck);
    let mut last = watched.fingerprint();
    let mut first = true;
    let mut reason = String::new();
    loop {
        let report = build::run_one(&options.deck, &build_options);
        watched = Watched::of(&options.deck);
        print_build(&report, &outputs, first, &reason, color);
        if first {
            eprintln!("watching {} {}; Ctrl-C to stop", options.deck.display(), watched.describe());
        }
        shared.update(|status| show(status, &report));
        first = false;
        // The fingerprint taken before the build (with the new set of files): a save that landed
        // while building differs from it and is built next.
        last = Fingerprint { entries: last.entries.into_iter().filter(|(p, _)| watched.paths.contains(p)).collect() };
        for path in &watched.paths {
            if !last.entries.iter().any(|(p, _)| p == path) {
                last.entries.push((path.clone(), watched.stamp(path)));
            }
        }
        match wait_for_change(&watched, &last, &stop) {
            Some((now, changed)) => {
                reason = changed.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ");
                last = now;
            }
            None => return Ok(()),
        }
    }
}

/// Polls until a watched file changes and then stays the same for one more poll (an editor's save
/// is several writes and renames within a few ms). Returns the new fingerprint and which paths
/// changed, or `None` when asked to stop.
fn wait_for_change(watched: &Watched, last: &Fingerprint, stop: &AtomicBool) -> Option<(Fingerprint, Vec<PathBuf>)> {
    let mut pending: Option<Fingerprint> = None;
    loop {
        std::thread::sleep(POLL);
        if stop.load(Ordering::SeqCst) {
            return None;
        }
        let now = watched.fingerprint();
        match pending.take() {
            Some(previous) if previous == now => {
                let changed = now.differs_from(last);
                return Some((now, changed));
            }
            _ if now != *last => pending = Some(now),
            _ => {}
        }
    }
}

/// What the preview shows of a finished build: a new generation, and its error or its slides.
fn show(status: &mut Status, report: &DeckReport) {
    status.generation += 1;
    status.elapsed = report.elapsed;
    if report.failed() {
        let text: String =
            report.diagnostics.iter().map(|d| d.render(&report.path, report.source.as_deref(), false)).collect();
        status.error = Some(text);
    } else {
        status.error = None;
        status.slides = report.slides;
    }
}

fn print_build(report: &DeckReport, outputs: &Outputs, first: bool, reason: &str, color: bool) {
    for diagnostic in &report.diagnostics {
        eprint!("{}", diagnostic.render(&report.path, report.source.as_deref(), color));
    }
    let ms = report.elapsed.as_secs_f64() * 1000.0;
    let why = if first || reason.is_empty() { String::new() } else { format!(" ({reason} changed)") };
    if report.failed() {
        let errors = report.diagnostics.iter().filter(|d| d.is_error()).count();
        let plural = if errors == 1 { "" } else { "s" };
        eprintln!(
            "{} {}{why}: {errors} error{plural}; {} keeps the last good slides",
            if first { "could not build" } else { "could not rebuild" },
            report.path.display(),
            outputs.slide_dir.display()
        );
        return;
    }
    eprintln!(
        "{} {}{why}: {} slides ({} re-rendered) in {ms:.0} ms -> {}",
        if first { "built" } else { "rebuilt" },
        report.path.display(),
        report.slides,
        report.rendered,
        outputs.pdf.display()
    );
}

/// The files a build of the deck reads: the deck first, then what it names.
#[derive(Debug, Clone, PartialEq)]
struct Watched {
    paths: Vec<PathBuf>,
    /// The `layouts:` folder, whose files are fingerprinted by listing (a layout may be added).
    layouts: Option<PathBuf>,
    /// The theme file, whose text is fingerprinted as the deck's is.
    theme: Option<PathBuf>,
}

impl Watched {
    /// The deck and the files it uses, read from the deck as it is now.
    fn of(deck_path: &Path) -> Watched {
        let mut watched = Watched { paths: vec![deck_path.to_path_buf()], layouts: None, theme: None };
        let Ok(source) = deck::read_source(deck_path) else { return watched };
        let loaded = deck::load(deck_path, &source);
        let base = deck_path.parent().unwrap_or(Path::new(""));
        let mut found = match &loaded.deck {
            Some(deck) => Dependencies::of_deck(deck),
            None => Dependencies::default(),
        };
        // The YAML tree as well: a deck with an error has no `Deck` value, yet the fix may be in
        // a file it names (an image not yet there, a broken theme file); and the `Deck` keeps
        // only the resolved colours of a theme file, not its path.
        if let Ok(root) = yaml::parse(&source) {
            found.add_named(&root, base);
        }
        for path in found.files {
            if !watched.paths.contains(&path) {
                watched.paths.push(path);
            }
        }
        watched.layouts = found.layouts;
        watched.theme = found.theme;
        if let Some(dir) = &watched.layouts {
            watched.paths.push(dir.clone());
        }
        watched
    }

    fn describe(&self) -> String {
        let others = self.paths.len() - 1;
        match others {
            0 => "(it uses no other files)".into(),
            1 => "and 1 file it uses".into(),
            n => format!("and {n} files it uses"),
        }
    }

    fn fingerprint(&self) -> Fingerprint {
        Fingerprint { entries: self.paths.iter().map(|p| (p.clone(), self.stamp(p))).collect() }
    }

    fn stamp(&self, path: &Path) -> Stamp {
        if self.layouts.as_deref() == Some(path) {
            return folder_stamp(path);
        }
        let Ok(meta) = std::fs::metadata(path) else { return Stamp::Missing };
        let mut stamp = file_stamp(&meta);
        // The text too of the deck and a theme file: two saves within one tick of the file-system
        // clock, same length, would otherwise look the same. Images are not read: they are large,
        // and saved by tools rather than typed into.
        let limit = if path == self.paths[0] {
            Some(yaml::MAX_SOURCE_BYTES as u64)
        } else if self.theme.as_deref() == Some(path) {
            Some(crate::read::limits::MAX_THEME_BYTES)
        } else {
            None
        };
        if let (Some(limit), Stamp::File { content, .. }) = (limit, &mut stamp) {
            *content = content_hash(path, &meta, limit);
        }
        stamp
    }
}

/// A hash of a regular file's bytes, read only when the file is within `limit` (the limit the
/// build applies to it) and never more than `limit` bytes of it: a deck that grew to a gigabyte is
/// the build's error to report, not a gigabyte to read ten times a second. 0 when not read; its
/// length and time still show every change.
fn content_hash(path: &Path, meta: &std::fs::Metadata, limit: u64) -> u64 {
    use std::io::Read as _;
    // Not a FIFO or a device either: opening a FIFO waits for a writer.
    if !meta.is_file() || meta.len() > limit {
        return 0;
    }
    let mut bytes = Vec::new();
    let read = crate::files::open_regular(path).and_then(|file| file.take(limit).read_to_end(&mut bytes));
    if read.is_err() {
        return 0;
    }
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

/// What a file looked like at one poll.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Stamp {
    Missing,
    File { modified: Option<SystemTime>, len: u64, inode: u64, content: u64 },
    Folder(u64),
}

fn file_stamp(meta: &std::fs::Metadata) -> Stamp {
    // The inode changes when an editor renames a new file over the old one, even within one tick.
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(meta);
    #[cfg(not(unix))]
    let inode = 0;
    Stamp::File { modified: meta.modified().ok(), len: meta.len(), inode, content: 0 }
}

/// A folder's stamp: a hash over its entries' names and stamps (not recursive; layouts are flat),
/// and the text of each layout file the build would read (`<kind>.svg`, within the layouts' limit).
fn folder_stamp(dir: &Path) -> Stamp {
    let Ok(entries) = std::fs::read_dir(dir) else { return Stamp::Missing };
    let mut names: Vec<(String, Stamp)> = entries
        .flatten()
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let is_layout =
                crate::design::kind::Kind::ALL.iter().any(|kind| name == format!("{}.svg", kind.layout_name()));
            let mut stamp = Stamp::Missing;
            // Follows a symlink, as the build does when it reads the layout.
            if let Ok(meta) = std::fs::metadata(e.path()) {
                stamp = file_stamp(&meta);
                if let (true, Stamp::File { content, .. }) = (is_layout, &mut stamp) {
                    *content = content_hash(&e.path(), &meta, crate::design::template::MAX_TEMPLATE_BYTES);
                }
            }
            (name, stamp)
        })
        .collect();
    names.sort_by(|a, b| a.0.cmp(&b.0));
    let mut hasher = DefaultHasher::new();
    for (name, stamp) in &names {
        name.hash(&mut hasher);
        if let Stamp::File { modified, len, inode, content } = stamp {
            modified.hash(&mut hasher);
            len.hash(&mut hasher);
            inode.hash(&mut hasher);
            content.hash(&mut hasher);
        }
    }
    Stamp::Folder(hasher.finish())
}

/// The stamps of every watched path at one poll.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fingerprint {
    entries: Vec<(PathBuf, Stamp)>,
}

impl Fingerprint {
    fn differs_from(&self, before: &Fingerprint) -> Vec<PathBuf> {
        self.entries
            .iter()
            .filter(|(path, stamp)| before.entries.iter().find(|(p, _)| p == path).map(|(_, s)| s) != Some(stamp))
            .map(|(path, _)| path.clone())
            .collect()
    }
}

/// Files named by a deck, relative paths resolved against the deck's folder.
#[derive(Debug, Default, PartialEq)]
pub struct Dependencies {
    /// Images, the avatar and a theme file.
    pub files: Vec<PathBuf>,
    /// The `layouts:` folder.
    pub layouts: Option<PathBuf>,
    /// The theme file (also among `files`).
    pub theme: Option<PathBuf>,
}

impl Dependencies {
    /// The files a valid deck uses, as the deck stage resolved them.
    pub fn of_deck(deck: &Deck) -> Dependencies {
        let mut found = Dependencies::default();
        if let Some(avatar) = deck.author.as_ref().and_then(|a| a.avatar.as_ref()) {
            found.add(avatar.path.clone());
        }
        for slide in &deck.slides {
            for block in &slide.blocks {
                if let crate::blocks::Content::Image(image) = block {
                    found.add(image.asset.path.clone());
                }
            }
        }
        if let Some(logo) = &deck.logo {
            found.add(logo.asset.path.clone());
            if let Some(dark) = &logo.on_dark {
                found.add(dark.path.clone());
            }
        }
        if let Some(brand) = &deck.brand {
            found.add(brand.clone());
        }
        found.layouts = deck.layouts.clone();
        found
    }

    /// Adds the paths the YAML tree names (`theme:` when it is a file, `layouts:`, `author.avatar`,
    /// `brand:`, `logo:`, each slide's `image`), whether or not the deck is valid.
    pub fn add_named(&mut self, root: &Node, base: &Path) {
        let text = |node: Option<&Node>| match node.map(|n| &n.value) {
            Some(Value::Str(s)) if !s.trim().is_empty() => Some(base.join(s.trim())),
            _ => None,
        };
        if let Some(theme) = get(root, "theme").and_then(|n| n.as_text()) {
            let theme = theme.trim();
            // The deck stage's rule: a theme that looks like a path is a theme file.
            if theme.contains('/') || theme.contains('\\') || theme.ends_with(".yaml") || theme.ends_with(".yml") {
                self.add(base.join(theme));
                self.theme = Some(base.join(theme));
            }
        }
        if self.layouts.is_none() {
            self.layouts = text(get(root, "layouts"));
        }
        if let Some(avatar) = text(get(root, "author").and_then(|a| get(a, "avatar"))) {
            self.add(avatar);
        }
        // The brand kit itself; what it names is found through the deck once it reads.
        if let Some(brand) = text(get(root, "brand")) {
            self.add(brand);
        }
        let logo = get(root, "logo");
        for path in [text(logo), text(logo.and_then(|l| get(l, "path"))), text(logo.and_then(|l| get(l, "on_dark")))]
            .into_iter()
            .flatten()
        {
            self.add(path);
        }
        if let Some(Value::Seq(slides)) = get(root, "slides").map(|n| &n.value) {
            for slide in slides {
                let image = get(slide, "image");
                if let Some(path) = text(image).or_else(|| text(image.and_then(|i| get(i, "path")))) {
                    self.add(path);
                }
            }
        }
    }

    fn add(&mut self, path: PathBuf) {
        if !self.files.contains(&path) {
            self.files.push(path);
        }
    }
}

/// The value of `key` in a mapping node.
fn get<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    match &node.value {
        Value::Map(pairs) => pairs.iter().find(|(k, _)| k.as_text().as_deref() == Some(key)).map(|(_, v)| v),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_files_are_found_in_a_deck_with_errors() {
        let source = "title: T\ntheme: themes/brand.yaml\nlayouts: my-layouts\nauthor: {name: A, avatar: a.png}\n\
                      slides:\n  - kind: hook\n    image: chart.png\n  - kind: nonsense\n    image: {path: b.jpg}\n";
        let root = yaml::parse(source).unwrap();
        let mut found = Dependencies::default();
        found.add_named(&root, Path::new("decks"));
        let files: Vec<&str> = found.files.iter().map(|p| p.to_str().unwrap()).collect();
        assert_eq!(files, ["decks/themes/brand.yaml", "decks/a.png", "decks/chart.png", "decks/b.jpg"]);
        assert_eq!(found.layouts, Some(PathBuf::from("decks/my-layouts")));
    }

    #[test]
    fn a_built_in_theme_is_not_a_file() {
        let root = yaml::parse("title: T\ntheme: paper\nslides: []\n").unwrap();
        let mut found = Dependencies::default();
        found.add_named(&root, Path::new(""));
        assert!(found.files.is_empty());
    }

    #[test]
    fn a_rename_over_the_deck_changes_its_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let deck = dir.path().join("d.yaml");
        std::fs::write(&deck, "title: T\n").unwrap();
        let watched = Watched::of(&deck);
        let before = watched.fingerprint();
        let temp = dir.path().join("d.yaml.tmp");
        std::fs::write(&temp, "title: U\n").unwrap();
        std::fs::rename(&temp, &deck).unwrap();
        let after = watched.fingerprint();
        assert_eq!(after.differs_from(&before), vec![deck]);
    }
}
