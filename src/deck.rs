//! Deck: the YAML file read and validated into a typed [`Deck`].
//!
//! Owns the deck-level part of the format of `docs/deck-format.md` (title, author, size, theme,
//! caption, the slide kinds, reading the file, the limits, the image assets): which keys exist, what values they take, their
//! defaults and their limits. The keys of every mapping and the length limit of every text are
//! read from the tables of [`crate::format`], which `carousel schema` turns into the editors' JSON
//! Schema, so the two cannot disagree. It walks the positioned tree from [`crate::yaml`], collects every
//! mistake as a [`Diagnostic`] at the value at fault (not only the first one), checks that images
//! exist and are what they claim to be before anything decodes them, and hands the layout stage a
//! [`Deck`] in which every text still knows its line and column, so later stages (a block that
//! cannot fit) can point at it too. Each block of a slide (body, bullets, metrics ...) is read by
//! its own file in [`crate::blocks`], through the [`Reader`] helpers here.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::backdrop::{self, Background};
use crate::blocks::{Content, Heading};
use crate::diag::{did_you_mean, valid_help, Diagnostic};
use crate::format::{self, Mapping};
use crate::mojibake;
use crate::theme::{Color, Theme, ThemeFile, BUILT_IN, DEFAULT_THEME};
use crate::yaml::{self, Node, Pos, Value};

/// Limits on everything a deck can make big. Documented in `docs/deck-format.md`.
pub mod limits {
    /// Most slides in a deck (LinkedIn's document limit).
    pub const MAX_SLIDES: usize = 300;
    /// Longest title, subtitle or label, in characters.
    pub const MAX_TITLE_CHARS: usize = 300;
    /// Longest body, quote or bullet, in characters.
    pub const MAX_TEXT_CHARS: usize = 3_000;
    /// Longest `notes` or caption text, in characters.
    pub const MAX_NOTES_CHARS: usize = 10_000;
    /// Most bullets on one slide.
    pub const MAX_BULLETS: usize = 12;
    /// Most metrics on one slide.
    pub const MAX_METRICS: usize = 4;
    /// Most lines in a code block.
    pub const MAX_CODE_LINES: usize = 60;
    /// Most characters in a code block.
    pub const MAX_CODE_CHARS: usize = 6_000;
    /// Most hashtags in a caption.
    pub const MAX_HASHTAGS: usize = 30;
    /// Smallest slide side, in px.
    pub const MIN_SIDE: u32 = 320;
    /// Largest slide side, in px.
    pub const MAX_SIDE: u32 = 4_096;
    /// Largest image file, in bytes.
    pub const MAX_IMAGE_BYTES: u64 = 20 * 1024 * 1024;
    /// Most pixels an image may declare in its header (checked before decoding).
    pub const MAX_IMAGE_PIXELS: u64 = 40_000_000;
    /// Largest theme file, in bytes.
    pub const MAX_THEME_BYTES: u64 = 64 * 1024;
    /// Longest kicker `label`, in characters.
    pub const MAX_LABEL_CHARS: usize = 60;
    /// Longest author name or handle, or metric label, in characters.
    pub const MAX_NAME_CHARS: usize = 80;
    /// Longest `quote.by`, in characters.
    pub const MAX_BY_CHARS: usize = 120;
    /// Longest metric `value`, `before` or `after`, in characters.
    pub const MAX_METRIC_CHARS: usize = 24;
    /// Longest metric `change`, in characters.
    pub const MAX_CHANGE_CHARS: usize = 40;
    /// Longest hashtag, in characters.
    pub const MAX_HASHTAG_CHARS: usize = 100;
    /// Longest `caption.first_comment`, in characters (LinkedIn's limit on a comment).
    pub const MAX_COMMENT_CHARS: usize = 1_250;
}

/// A value from the deck with the place it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub pos: Pos,
}

/// A validated deck, ready for layout.
#[derive(Debug, Clone)]
pub struct Deck {
    /// The deck file.
    pub path: PathBuf,
    /// The file stem that names the outputs.
    pub stem: String,
    /// The deck's title (PDF metadata).
    pub title: String,
    /// The author shown in every footer.
    pub author: Option<Author>,
    /// Colours, after `theme:` and `accent:`.
    pub theme: Theme,
    /// Slide size in px.
    pub size: Size,
    /// A folder of SVG layouts that override the built-in ones.
    pub layouts: Option<PathBuf>,
    /// The post text that carries the PDF.
    pub caption: Option<Caption>,
    /// When `carousel publish --due` may post it (`publish_at:`).
    pub publish_at: Option<Located<crate::publish::when::Moment>>,
    /// The slides, in order.
    pub slides: Vec<Slide>,
    /// Where `accent:` (or else `theme:`) was written, for contrast warnings.
    pub colors_pos: Pos,
    /// Where `slides:` was written.
    pub slides_pos: Pos,
}

/// The person in the footer.
#[derive(Debug, Clone)]
pub struct Author {
    /// Display name.
    pub name: Located<String>,
    /// `@handle`, shown muted after the name.
    pub handle: Option<Located<String>>,
    /// A round picture beside the name.
    pub avatar: Option<Asset>,
}

/// The post text of a carousel.
#[derive(Debug, Clone)]
pub struct Caption {
    /// The text.
    pub text: Located<String>,
    /// Hashtags without their `#`.
    pub hashtags: Vec<String>,
    /// A comment to post on the new post (`caption.first_comment`).
    pub first_comment: Option<Located<String>>,
    /// Where each line of the text starts in the deck, when it was written as a `|` block
    /// (whose line breaks LinkedIn keeps): for the hard-wrap lint.
    pub block_lines: Option<Vec<Pos>>,
}

/// Slide size in px.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Size {
    /// Width in px.
    pub width: u32,
    /// Height in px.
    pub height: u32,
}

impl Size {
    /// 1080x1350, the default and LinkedIn's tallest.
    pub const PORTRAIT: Size = Size { width: 1080, height: 1350 };
    /// 1080x1080.
    pub const SQUARE: Size = Size { width: 1080, height: 1080 };
    /// 1920x1080.
    pub const LANDSCAPE: Size = Size { width: 1920, height: 1080 };
}

/// The ten kinds of slide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Opening statement that stops the scroll.
    Hook,
    /// What hurt.
    Problem,
    /// Why it hurt.
    RootCause,
    /// What we did.
    Solution,
    /// The numbers.
    Results,
    /// What to take away.
    Learnings,
    /// A title page.
    Cover,
    /// Anything else.
    Content,
    /// A pull quote.
    Quote,
    /// Closing call to action.
    Cta,
}

impl Kind {
    /// Every kind, in story order.
    pub const ALL: [Kind; 10] = [
        Kind::Hook,
        Kind::Problem,
        Kind::RootCause,
        Kind::Solution,
        Kind::Results,
        Kind::Learnings,
        Kind::Cover,
        Kind::Content,
        Kind::Quote,
        Kind::Cta,
    ];

    /// The name written in decks.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Hook => "hook",
            Kind::Problem => "problem",
            Kind::RootCause => "root cause",
            Kind::Solution => "solution",
            Kind::Results => "results",
            Kind::Learnings => "learnings",
            Kind::Cover => "cover",
            Kind::Content => "content",
            Kind::Quote => "quote",
            Kind::Cta => "cta",
        }
    }

    /// The file stem of the kind's layout in `layouts/`.
    pub fn layout_name(self) -> &'static str {
        match self {
            Kind::RootCause => "root-cause",
            other => other.name(),
        }
    }

    /// Reads a kind, ignoring case and treating `-`, `_` and spaces alike.
    pub fn parse(text: &str) -> Option<Kind> {
        let normalized = normalize_kind(text);
        Kind::ALL.into_iter().find(|kind| kind.name() == normalized)
    }
}

fn normalize_kind(text: &str) -> String {
    text.trim().to_lowercase().replace(['-', '_'], " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One slide.
#[derive(Debug, Clone)]
pub struct Slide {
    /// 1-based position in the deck.
    pub number: usize,
    /// Its kind.
    pub kind: Kind,
    /// Where the slide starts in the deck.
    pub pos: Pos,
    /// Kicker, title and subtitle, drawn on top.
    pub heading: Heading,
    /// What it shows below the heading, in the order the author wrote it (see [`crate::blocks`]).
    pub blocks: Vec<Content>,
    /// A full-bleed photo behind the slide, under a scrim.
    pub background: Option<Background>,
    /// Alt text and speaker notes; not drawn.
    pub notes: Option<String>,
}

/// The named slide sizes.
pub const SIZE_NAMES: &[&str] = &["portrait", "square", "landscape"];

/// A checked image file, read into memory.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Its path.
    pub path: PathBuf,
    /// Its bytes.
    pub bytes: Arc<Vec<u8>>,
    /// What it is.
    pub format: ImageFormat,
    /// Intrinsic width in px.
    pub width: f32,
    /// Intrinsic height in px.
    pub height: f32,
    /// The scaled copies the slides embed, made once per drawn size (see [`crate::images`]).
    pub renditions: Arc<crate::images::Renditions>,
}

/// Image formats a deck may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// SVG.
    Svg,
}

impl ImageFormat {
    /// MIME type for a data URI.
    pub fn mime(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Svg => "image/svg+xml",
        }
    }
}

/// The outcome of reading a deck: the deck when it has no errors, and every diagnostic.
#[derive(Debug)]
pub struct Loaded {
    /// The deck, when there were no errors.
    pub deck: Option<Deck>,
    /// Errors and warnings, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads and validates the deck at `path` whose text is `source`.
pub fn load(path: &Path, source: &str) -> Loaded {
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut reader = Reader { base, diagnostics: Vec::new(), assets: Vec::new() };
    let deck = match yaml::parse(source) {
        Ok(root) => reader.deck(path, &root),
        Err(error) => {
            reader.diagnostics.push(
                Diagnostic::error(error.pos, format!("this is not valid YAML: {}", error.message))
                    .with_help("a deck is a YAML mapping with `title:` and `slides:`; indent with spaces, not tabs"),
            );
            None
        }
    };
    let mut deck = deck;
    if let Some(caption) = deck.as_mut().and_then(|d| d.caption.as_mut()) {
        caption.block_lines = crate::publish::lint::literal_block_lines(source, caption.text.pos);
    }
    let mut diagnostics = reader.diagnostics;
    diagnostics.sort_by_key(|d| (d.pos.line, d.pos.column));
    let deck = if diagnostics.iter().any(Diagnostic::is_error) { None } else { deck };
    Loaded { deck, diagnostics }
}

/// Why a deck file could not be read as text: what is wrong and, for a file that is not text,
/// where its first offending byte is.
#[derive(Debug, Clone, PartialEq)]
pub struct UnreadableDeck {
    /// The first offending byte's line and column; unknown when the whole file is the problem.
    pub pos: Pos,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl UnreadableDeck {
    fn whole_file(message: String) -> UnreadableDeck {
        UnreadableDeck { pos: Pos::default(), message }
    }

    /// Points at byte `offset` of `bytes`: its line, and its column in characters.
    fn at_byte(bytes: &[u8], offset: usize, message: String) -> UnreadableDeck {
        let before = &bytes[..offset.min(bytes.len())];
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
        let pos = Pos { line: line as u32, column: column as u32, offset: Some(offset), len: 1 };
        UnreadableDeck { pos, message }
    }
}

/// Reads the file at `path` as text, or says why not.
pub fn read_source(path: &Path) -> Result<String, UnreadableDeck> {
    let whole = UnreadableDeck::whole_file;
    let metadata = std::fs::metadata(path).map_err(|e| whole(format!("cannot read the deck: {e}")))?;
    if metadata.is_dir() {
        return Err(whole("this is a folder, not a deck file".to_string()));
    }
    if metadata.len() > yaml::MAX_SOURCE_BYTES as u64 {
        let limit = yaml::MAX_SOURCE_BYTES;
        return Err(whole(format!("the deck is {} bytes; the limit is {limit} bytes", metadata.len())));
    }
    if !metadata.is_file() {
        return Err(whole("this is not a regular file (a device or a pipe?); give a deck file".to_string()));
    }
    let bytes = read_at_most(path, yaml::MAX_SOURCE_BYTES as u64)
        .map_err(|e| whole(format!("cannot read the deck: {e}")))?
        .ok_or_else(|| whole(format!("the deck is over {} bytes, the limit", yaml::MAX_SOURCE_BYTES)))?;
    if let Some(zero) = bytes.iter().position(|&b| b == 0) {
        return Err(UnreadableDeck::at_byte(&bytes, zero, "this is a binary file, not a YAML deck".to_string()));
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let message = format!("the deck is not UTF-8 text (invalid byte at offset {offset}); save it as UTF-8");
        UnreadableDeck::at_byte(e.as_bytes(), offset, message)
    })
}

/// Reads at most `limit` bytes of the regular file at `path`: `None` when it holds more. The
/// metadata checks before it are not enough alone: a file can grow between the two calls.
fn read_at_most(path: &Path, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(limit + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// Reads the YAML tree into typed values and collects every mistake as a diagnostic. The blocks
/// of [`crate::blocks`] read their values with its helpers.
pub struct Reader {
    base: PathBuf,
    diagnostics: Vec<Diagnostic>,
    /// Images read so far: a file named on many slides is read, checked and scaled once.
    assets: Vec<Asset>,
}

/// The entries of one mapping, checked against the keys it allows.
pub struct Fields<'a> {
    /// Each key's name, key node and value node, in the order written.
    pub entries: Vec<(&'a str, &'a Node, &'a Node)>,
}

impl<'a> Fields<'a> {
    /// The value under `key`, null or not.
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.entries.iter().find(|(k, _, _)| *k == key).map(|(_, _, v)| *v)
    }

    /// A key that is present with a null value counts as absent.
    pub fn present(&self, key: &str) -> Option<&'a Node> {
        self.get(key).filter(|node| node.value != Value::Null)
    }
}

impl Reader {
    /// Reports an error at `pos` with what would be valid.
    pub fn error(&mut self, pos: Pos, message: impl Into<String>, help: impl Into<String>) {
        self.diagnostics.push(Diagnostic::error(pos, message).with_help(help));
    }

    /// The entries of `node` when it is a mapping; keys `mapping` does not list are errors.
    pub fn map<'a>(&mut self, node: &'a Node, what: &str, mapping: &Mapping) -> Option<Fields<'a>> {
        let names = mapping.names();
        let allowed = &names[..];
        let Value::Map(entries) = &node.value else {
            self.error(
                node.pos,
                format!("{what} must be a mapping of keys, found {}", node.value.type_name()),
                format!("valid keys: {}", allowed.join(", ")),
            );
            return None;
        };
        let mut fields = Fields { entries: Vec::new() };
        for (key, value) in entries {
            let Value::Str(name) = &key.value else {
                self.error(
                    key.pos,
                    format!("keys of {what} must be names"),
                    format!("valid keys: {}", allowed.join(", ")),
                );
                continue;
            };
            if !allowed.contains(&name.as_str()) {
                let help = match did_you_mean(name, allowed.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`? valid keys of {what}: {}", allowed.join(", ")),
                    None => format!("valid keys of {what}: {}", allowed.join(", ")),
                };
                self.error(key.pos, format!("unknown key `{name}` in {what}"), help);
                continue;
            }
            fields.entries.push((name.as_str(), key, value));
        }
        Some(fields)
    }

    /// A text value of at most `max` characters; numbers are taken as written.
    pub fn text(&mut self, node: &Node, what: &str, max: usize) -> Option<Located<String>> {
        let Some(text) = node.as_text() else {
            self.error(
                node.pos,
                format!("{what} must be text, found {}", node.value.type_name()),
                "write it as a string, quoted if it contains `: ` or starts with a symbol",
            );
            return None;
        };
        let count = text.chars().count();
        if count > max {
            self.error(
                node.pos,
                format!("{what} is {count} characters long; the limit is {max}"),
                "shorten it or split it across slides",
            );
            return None;
        }
        if let Some(repair) = mojibake::detect(&text) {
            let repaired: String = repair.repaired.chars().take(80).collect();
            self.diagnostics.push(
                Diagnostic::warning(
                    node.pos,
                    format!("{what} looks like mojibake (UTF-8 read as {})", repair.encoding.name()),
                )
                .with_help(format!("did you mean: {repaired}")),
            );
        }
        Some(Located { value: text, pos: node.pos })
    }

    /// The text under `key`, when it is present and not blank.
    pub fn optional_text(&mut self, fields: &Fields, key: &str, what: &str, max: usize) -> Option<Located<String>> {
        let node = fields.present(key)?;
        let text = self.text(node, what, max)?;
        if text.value.trim().is_empty() {
            return None;
        }
        Some(text)
    }

    fn deck(&mut self, path: &Path, root: &Node) -> Option<Deck> {
        if root.value == Value::Null {
            self.error(
                root.pos,
                "the deck is empty",
                "a deck needs at least `title:` and `slides:`; run `carousel new` for a starter",
            );
            return None;
        }
        let fields = self.map(root, "a deck", &format::DECK)?;
        let title = match fields.present("title") {
            Some(node) => self.text(node, "`title`", format::DECK.max_chars("title")),
            None => {
                self.error(
                    root.pos,
                    "the deck has no `title`",
                    "add `title: ...` at the top; it becomes the PDF's title",
                );
                None
            }
        };
        let author = fields.present("author").and_then(|node| self.author(node));
        let theme = self.theme(&fields);
        let size = match fields.present("size") {
            Some(node) => self.size(node),
            None => Some(Size::PORTRAIT),
        };
        let layouts = fields.present("layouts").and_then(|node| self.layouts(node));
        let caption = fields.present("caption").and_then(|node| self.caption(node));
        let publish_at = fields.present("publish_at").and_then(|node| self.publish_at(node));
        let slides = match fields.present("slides") {
            Some(node) => self.slides(node),
            None => {
                self.error(
                    root.pos,
                    "the deck has no `slides`",
                    "add `slides:` with a list of 1 to 300 slides, each with a `kind:`",
                );
                None
            }
        };
        Some(Deck {
            path: path.to_path_buf(),
            stem: crate::output::stem_of(path),
            title: title?.value,
            author,
            theme: theme?,
            size: size?,
            layouts,
            caption,
            publish_at,
            slides: slides?,
            colors_pos: fields.present("accent").or(fields.present("theme")).map(|n| n.pos).unwrap_or(root.pos),
            slides_pos: fields.present("slides").map(|n| n.pos).unwrap_or(root.pos),
        })
    }

    fn author(&mut self, node: &Node) -> Option<Author> {
        if node.as_text().is_some() {
            let name = self.text(node, "`author`", format::DECK.max_chars("author"))?;
            return Some(Author { name, handle: None, avatar: None });
        }
        let fields = self.map(node, "`author`", &format::AUTHOR)?;
        let Some(name) = fields.present("name") else {
            self.error(node.pos, "`author` has no `name`", "add `name: Your Name` under `author:`");
            return None;
        };
        let name = self.text(name, "`author.name`", format::AUTHOR.max_chars("name"))?;
        let handle = self.optional_text(&fields, "handle", "`author.handle`", format::AUTHOR.max_chars("handle"));
        let avatar =
            fields.present("avatar").and_then(|n| self.asset(n, "`author.avatar`", format::AUTHOR.max_chars("avatar")));
        Some(Author { name, handle, avatar })
    }

    fn theme(&mut self, fields: &Fields) -> Option<Theme> {
        let mut theme = match fields.present("theme") {
            None => Theme::built_in(DEFAULT_THEME),
            Some(node) => {
                let name = self.text(node, "`theme`", format::DECK.max_chars("theme"))?;
                self.named_theme(&name)
            }
        }?;
        if let Some(node) = fields.present("accent") {
            let text = self.text(node, "`accent`", format::DECK.max_chars("accent"))?;
            match Color::parse(text.value.trim()) {
                Some(color) => theme = theme.with_accent(color),
                None => {
                    self.error(
                        node.pos,
                        format!("`accent: {}` is not a colour", text.value),
                        "write a hex colour in quotes, like \"#22d3ee\" or \"#f90\"",
                    );
                    return None;
                }
            }
        }
        Some(theme)
    }

    fn named_theme(&mut self, name: &Located<String>) -> Option<Theme> {
        let value = name.value.trim();
        if let Some(theme) = Theme::built_in(&value.to_lowercase()) {
            return Some(theme);
        }
        let looks_like_path =
            value.contains('/') || value.contains('\\') || value.ends_with(".yaml") || value.ends_with(".yml");
        if !looks_like_path {
            self.error(
                name.pos,
                format!("unknown theme `{value}`"),
                format!("{}; or a path to a theme file (ending in .yaml)", valid_help(value, BUILT_IN)),
            );
            return None;
        }
        let path = self.base.join(value);
        let text = match std::fs::metadata(&path) {
            Ok(m) if m.is_file() && m.len() <= limits::MAX_THEME_BYTES => {
                match read_at_most(&path, limits::MAX_THEME_BYTES) {
                    Ok(Some(bytes)) => String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string()),
                    Ok(None) => Err(format!("it is larger than {} bytes", limits::MAX_THEME_BYTES)),
                    Err(e) => Err(e.to_string()),
                }
            }
            Ok(m) if m.is_file() => Err(format!("it is larger than {} bytes", limits::MAX_THEME_BYTES)),
            Ok(m) if m.is_dir() => Err("it is a folder".to_string()),
            Ok(_) => Err("it is not a regular file".to_string()),
            Err(e) => Err(e.to_string()),
        };
        let text = match text {
            Ok(text) => text,
            Err(why) => {
                self.error(
                    name.pos,
                    format!("cannot read theme file `{}`: {why}", path.display()),
                    "the path is relative to the deck file",
                );
                return None;
            }
        };
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let errors_before = self.error_count();
        let file = self.theme_file(&path, &text);
        if self.error_count() > errors_before {
            return None;
        }
        // Every colour was checked above with its position, so only an impossible base is left.
        file?.resolve(&stem).ok()
    }

    /// Reads a theme file, reporting each mistake at its place in the theme file itself (not at
    /// the deck's `theme:` line), so the author is sent to the line to fix.
    fn theme_file(&mut self, path: &Path, text: &str) -> Option<ThemeFile> {
        const KEYS: &[&str] =
            &["extends", "background", "surface", "text", "muted", "accent", "on-accent", "good", "bad", "warn"];
        let in_file = |d: Diagnostic| d.in_file(path, Some(text.to_string()));
        let root = match yaml::parse(text) {
            Ok(root) => root,
            Err(error) => {
                self.diagnostics.push(in_file(
                    Diagnostic::error(error.pos, format!("this theme file is not valid YAML: {}", error.message))
                        .with_help("a theme file is a YAML mapping like `extends: paper` and `accent: \"#e11d48\"`"),
                ));
                return None;
            }
        };
        let Value::Map(entries) = &root.value else {
            self.diagnostics.push(in_file(
                Diagnostic::error(
                    root.pos,
                    format!("a theme file must be a mapping of colours, found {}", root.value.type_name()),
                )
                .with_help(format!("keys: {}", KEYS.join(", "))),
            ));
            return None;
        };
        let mut file = ThemeFile::default();
        for (key, value) in entries {
            let name = key.as_text().unwrap_or_default();
            let Some(text_value) = value.as_text() else {
                let message = format!("`{name}` must be text, found {}", value.value.type_name());
                self.diagnostics.push(in_file(Diagnostic::error(value.pos, message).with_help("write it in quotes")));
                continue;
            };
            let slot = match name.as_str() {
                "extends" => {
                    if Theme::built_in(&text_value).is_none() {
                        self.diagnostics.push(in_file(
                            Diagnostic::error(value.pos, format!("`extends: {text_value}` is not a built-in theme"))
                                .with_help(valid_help(&text_value, BUILT_IN)),
                        ));
                    }
                    &mut file.extends
                }
                "background" => &mut file.background,
                "surface" => &mut file.surface,
                "text" => &mut file.text,
                "muted" => &mut file.muted,
                "accent" => &mut file.accent,
                "on-accent" => &mut file.on_accent,
                "good" => &mut file.good,
                "bad" => &mut file.bad,
                "warn" => &mut file.warn,
                _ => {
                    self.diagnostics.push(in_file(
                        Diagnostic::error(key.pos, format!("unknown key `{name}` in a theme file"))
                            .with_help(valid_help(&name, KEYS)),
                    ));
                    continue;
                }
            };
            if name != "extends" && Color::parse(text_value.trim()).is_none() {
                self.diagnostics.push(in_file(
                    Diagnostic::error(value.pos, format!("`{name}: {text_value}` is not a colour"))
                        .with_help("write a hex colour in quotes, like \"#22d3ee\" or \"#f90\""),
                ));
            }
            *slot = Some(text_value.trim().to_string());
        }
        Some(file)
    }

    fn size(&mut self, node: &Node) -> Option<Size> {
        if let Value::Str(name) = &node.value {
            return match name.trim().to_lowercase().as_str() {
                "portrait" => Some(Size::PORTRAIT),
                "square" => Some(Size::SQUARE),
                "landscape" => Some(Size::LANDSCAPE),
                other => {
                    self.error(
                        node.pos,
                        format!("unknown size `{other}`"),
                        format!("{}, or {{width: W, height: H}} in px", valid_help(other, SIZE_NAMES)),
                    );
                    None
                }
            };
        }
        let fields = self.map(node, "`size`", &format::SIZE)?;
        let mut side = |key: &str| -> Option<u32> {
            let Some(value) = fields.present(key) else {
                self.error(node.pos, format!("`size` has no `{key}`"), "write {width: 1080, height: 1350}");
                return None;
            };
            let ok = match value.value {
                Value::Int(n) if (limits::MIN_SIDE as i64..=limits::MAX_SIDE as i64).contains(&n) => Some(n as u32),
                _ => None,
            };
            if ok.is_none() {
                self.error(
                    value.pos,
                    format!("`{key}` must be a whole number of px from {} to {}", limits::MIN_SIDE, limits::MAX_SIDE),
                    "LinkedIn shows 1080 wide; portrait is 1080x1350",
                );
            }
            ok
        };
        let width = side("width");
        let height = side("height");
        Some(Size { width: width?, height: height? })
    }

    fn layouts(&mut self, node: &Node) -> Option<PathBuf> {
        let text = self.text(node, "`layouts`", format::DECK.max_chars("layouts"))?;
        let path = self.base.join(text.value.trim());
        if !path.is_dir() {
            self.error(
                node.pos,
                format!("`layouts: {}` is not a folder", text.value),
                "give a folder (relative to the deck) holding SVG layouts named after kinds, like `hook.svg`",
            );
            return None;
        }
        Some(path)
    }

    fn caption(&mut self, node: &Node) -> Option<Caption> {
        if node.as_text().is_some() {
            let text = self.text(node, "`caption`", format::DECK.max_chars("caption"))?;
            return Some(Caption { text, hashtags: Vec::new(), first_comment: None, block_lines: None });
        }
        let fields = self.map(node, "`caption`", &format::CAPTION)?;
        let text = match fields.present("text") {
            Some(text) => self.text(text, "`caption.text`", format::CAPTION.max_chars("text"))?,
            None => Located { value: String::new(), pos: node.pos },
        };
        let mut hashtags = Vec::new();
        if let Some(list) = fields.present("hashtags") {
            let items = self.list(list, "`caption.hashtags`", limits::MAX_HASHTAGS)?;
            for item in items {
                let tag = self.text(item, "a hashtag", limits::MAX_HASHTAG_CHARS)?;
                let tag = tag.value.trim().trim_start_matches('#').to_string();
                if tag.is_empty() || tag.chars().any(char::is_whitespace) {
                    self.error(item.pos, "a hashtag must be one word", "write `Performance`, not `#Performance tips`");
                    continue;
                }
                hashtags.push(tag);
            }
        }
        let first_comment = fields
            .present("first_comment")
            .and_then(|node| self.text(node, "`caption.first_comment`", format::CAPTION.max_chars("first_comment")))
            .filter(|comment| !comment.value.trim().is_empty());
        Some(Caption { text, hashtags, first_comment, block_lines: None })
    }

    /// `publish_at:`, an RFC 3339 date and time with its offset.
    fn publish_at(&mut self, node: &Node) -> Option<Located<crate::publish::when::Moment>> {
        let text = self.text(node, "`publish_at`", format::DECK.max_chars("publish_at"))?;
        match crate::publish::when::parse_rfc3339(&text.value) {
            Ok(moment) => Some(Located { value: moment, pos: text.pos }),
            Err(message) => {
                self.error(
                    node.pos,
                    format!("`publish_at`: {message}"),
                    "quote it: publish_at: \"2026-12-08T09:00:00+01:00\"",
                );
                None
            }
        }
    }

    /// The items of `node` when it is a list of at most `max` items.
    pub fn list<'a>(&mut self, node: &'a Node, what: &str, max: usize) -> Option<&'a [Node]> {
        let Value::Seq(items) = &node.value else {
            self.error(
                node.pos,
                format!("{what} must be a list, found {}", node.value.type_name()),
                "write a list: one `- item` per line, or [a, b]",
            );
            return None;
        };
        if items.len() > max {
            self.error(
                node.pos,
                format!("{what} has {} items; the limit is {max}", items.len()),
                "split it across slides",
            );
            return None;
        }
        Some(items)
    }

    fn slides(&mut self, node: &Node) -> Option<Vec<Slide>> {
        let items = self.list(node, "`slides`", limits::MAX_SLIDES)?;
        if items.is_empty() {
            self.error(node.pos, "`slides` is empty", "add at least one slide, like `- kind: hook`");
            return None;
        }
        let mut slides = Vec::with_capacity(items.len());
        let mut failed = false;
        for (index, item) in items.iter().enumerate() {
            match self.slide(index + 1, item) {
                Some(slide) => slides.push(slide),
                None => failed = true,
            }
        }
        (!failed).then_some(slides)
    }

    fn slide(&mut self, number: usize, node: &Node) -> Option<Slide> {
        let fields = self.map(node, &format!("slide {number}"), &format::SLIDE)?;
        let errors_before = self.error_count();
        let kind = match fields.present("kind") {
            None => {
                self.error(node.pos, format!("slide {number} has no `kind`"), format!("valid kinds: {}", kind_names()));
                None
            }
            Some(kind) => match kind.as_text() {
                Some(text) => match Kind::parse(&text) {
                    Some(kind) => Some(kind),
                    None => {
                        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
                        let close = did_you_mean(&normalize_kind(&text), names.iter().copied());
                        let help = match close {
                            Some(close) => format!("did you mean `{close}`? valid kinds: {}", kind_names()),
                            None => format!("valid kinds: {}", kind_names()),
                        };
                        self.error(kind.pos, format!("unknown slide kind `{text}`"), help);
                        None
                    }
                },
                None => {
                    self.error(kind.pos, "`kind` must be a name", format!("valid kinds: {}", kind_names()));
                    None
                }
            },
        };
        let heading = Heading::parse(self, &fields);
        let notes = self.optional_text(&fields, "notes", "`notes`", format::SLIDE.max_chars("notes")).map(|n| n.value);
        let background = fields.present("background").and_then(|node| backdrop::parse(self, node));
        // Blocks keep the order the author wrote them in; the heading and `notes` are not blocks.
        let mut blocks = Vec::new();
        for (key, _, value) in &fields.entries {
            if matches!(*key, "kind" | "icon" | "label" | "title" | "subtitle" | "notes" | "background")
                || value.value == Value::Null
            {
                continue;
            }
            if let Some(block) = Content::parse(key, self, value) {
                blocks.push(block);
            }
        }
        if self.error_count() > errors_before {
            return None;
        }
        let slide = Slide { number, kind: kind?, pos: node.pos, heading, blocks, background, notes };
        let empty = !slide.heading.shows_something() && slide.blocks.is_empty();
        if empty {
            self.error(
                node.pos,
                format!("slide {number} has nothing to show"),
                format!("give it at least one of: {}", format::SLIDE_CONTENT.join(", ")),
            );
            return None;
        }
        Some(slide)
    }

    /// How many errors were reported so far.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// An image file named by `node`, checked and read (see [`read_asset`]).
    pub fn asset(&mut self, node: &Node, what: &str, max: usize) -> Option<Asset> {
        let text = self.text(node, what, max)?;
        let path = self.base.join(text.value.trim());
        if let Some(known) = self.assets.iter().find(|a| a.path == path) {
            return Some(known.clone());
        }
        match read_asset(&path) {
            Ok(asset) => {
                self.assets.push(asset.clone());
                Some(asset)
            }
            Err(why) => {
                self.error(
                    node.pos,
                    format!("{what} `{}`: {why}", text.value.trim()),
                    "give a PNG, JPEG or SVG file; the path is relative to the deck file",
                );
                None
            }
        }
    }
}

fn kind_names() -> String {
    Kind::ALL.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ")
}

/// Reads an image file after checking its size, its kind and, from its header only, its pixel count.
pub fn read_asset(path: &Path) -> Result<Asset, String> {
    let metadata = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        _ => e.to_string(),
    })?;
    if metadata.is_dir() {
        return Err("this is a folder, not an image".to_string());
    }
    if metadata.len() > limits::MAX_IMAGE_BYTES {
        return Err(format!(
            "the file is {} MB; the limit is {} MB",
            metadata.len() / 1_048_576,
            limits::MAX_IMAGE_BYTES / 1_048_576
        ));
    }
    if !metadata.is_file() {
        // A device such as /dev/zero reports 0 bytes and never ends.
        return Err("this is not a regular file".to_string());
    }
    let too_big = || format!("the file is over {} MB, the limit", limits::MAX_IMAGE_BYTES / 1_048_576);
    let bytes = read_at_most(path, limits::MAX_IMAGE_BYTES).map_err(|e| e.to_string())?.ok_or_else(too_big)?;
    let format = sniff(&bytes).ok_or("this is not a PNG, JPEG or SVG file")?;
    let (width, height) = match format {
        ImageFormat::Png | ImageFormat::Jpeg => {
            let size = imagesize::blob_size(&bytes).map_err(|_| "the image header is damaged")?;
            let pixels = size.width as u64 * size.height as u64;
            if pixels == 0 {
                return Err("the image has no pixels".to_string());
            }
            if pixels > limits::MAX_IMAGE_PIXELS || size.width > 20_000 || size.height > 20_000 {
                return Err(format!(
                    "the image is {}x{} px; the limit is {} megapixels",
                    size.width,
                    size.height,
                    limits::MAX_IMAGE_PIXELS / 1_000_000
                ));
            }
            check_image_data(&bytes, format)?;
            (size.width as f32, size.height as f32)
        }
        ImageFormat::Svg => {
            let tree = crate::render::parse_svg(&bytes).map_err(|e| format!("the SVG cannot be read: {e}"))?;
            let size = tree.size();
            (size.width(), size.height())
        }
    };
    let renditions = Arc::default();
    Ok(Asset { path: path.to_path_buf(), bytes: Arc::new(bytes), format, width, height, renditions })
}

/// Refuses a PNG or JPEG whose data is cut short or damaged. The renderer silently skips an
/// image it cannot decode, so without this check a broken file gives a slide with a hole in it.
/// A PNG is decoded row by row (one row in memory; its size was checked from the header); a JPEG
/// must end with its end-of-image marker, which a truncated download lacks.
fn check_image_data(bytes: &[u8], format: ImageFormat) -> Result<(), String> {
    const DAMAGED: &str = "the image is damaged or cut short; export it again";
    match format {
        ImageFormat::Png => {
            let mut reader = png::Decoder::new(std::io::Cursor::new(bytes)).read_info().map_err(|_| DAMAGED)?;
            while reader.next_row().map_err(|_| DAMAGED)?.is_some() {}
            reader.finish().map_err(|_| DAMAGED.to_string())
        }
        ImageFormat::Jpeg => {
            // Some writers pad after the marker; look for it near the end.
            let tail = &bytes[bytes.len().saturating_sub(1024)..];
            match tail.windows(2).any(|w| w == [0xFF, 0xD9]) {
                true => Ok(()),
                false => Err(DAMAGED.to_string()),
            }
        }
        ImageFormat::Svg => Ok(()),
    }
}

fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(ImageFormat::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(ImageFormat::Jpeg);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with('<') && head.contains("<svg") {
        return Some(ImageFormat::Svg);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::MetricValue;

    fn load_str(source: &str) -> Loaded {
        load(Path::new("/nonexistent/deck.yaml"), source)
    }

    #[test]
    fn kinds_ignore_case_and_separators() {
        for spelling in ["root cause", "Root-Cause", "root_cause", "ROOT  CAUSE"] {
            assert_eq!(Kind::parse(spelling), Some(Kind::RootCause), "{spelling}");
        }
        assert_eq!(Kind::parse("CTA"), Some(Kind::Cta));
        assert_eq!(Kind::parse("rootcause"), None);
    }

    #[test]
    fn reads_a_minimal_deck_with_defaults() {
        let loaded = load_str("title: T\nslides:\n  - kind: hook\n    title: Hi\n");
        let deck = loaded.deck.expect("deck");
        assert_eq!(deck.size, Size::PORTRAIT);
        assert_eq!(deck.theme.name, "midnight");
        assert_eq!(deck.slides[0].kind, Kind::Hook);
        assert_eq!(deck.slides[0].heading.title.as_ref().unwrap().pos.line, 4);
    }

    #[test]
    fn reports_every_mistake_at_its_value() {
        let loaded = load_str(
            "title: T\nthem: paper\nslides:\n  - kind: hok\n    title: x\n  - kind: problem\n    bullets:\n      - { text: a, mark: tick }\n",
        );
        assert!(loaded.deck.is_none());
        let messages: Vec<_> = loaded
            .diagnostics
            .iter()
            .map(|d| (d.pos.line, d.pos.column, d.message.clone(), d.help.clone().unwrap_or_default()))
            .collect();
        assert_eq!(messages.len(), 3, "{messages:#?}");
        assert_eq!((messages[0].0, messages[0].1), (2, 1));
        assert!(messages[0].3.contains("did you mean `theme`"));
        assert_eq!((messages[1].0, messages[1].1), (4, 11));
        assert!(messages[1].3.contains("did you mean `hook`"), "{:?}", messages[1]);
        assert_eq!(messages[2].0, 8);
        assert!(messages[2].2.contains("unknown mark `tick`"));
    }

    #[test]
    fn limits_are_enforced() {
        let many = (0..301).map(|_| "  - {kind: hook, title: x}\n").collect::<String>();
        let loaded = load_str(&format!("title: T\nslides:\n{many}"));
        assert!(loaded.diagnostics[0].message.contains("limit is 300"));
        let loaded = load_str("title: T\nsize: {width: 0, height: 99999}\nslides:\n  - {kind: hook, title: x}\n");
        assert_eq!(loaded.diagnostics.len(), 2);
        let loaded = load_str("title: T\nslides: []\n");
        assert!(loaded.diagnostics[0].message.contains("empty"));
    }

    #[test]
    fn metrics_compute_the_change() {
        let loaded = load_str("title: T\nslides:\n  - kind: results\n    metrics:\n      - {label: Load, before: 4s, after: 200ms}\n      - {label: Hits, before: 12%, after: 87%}\n");
        let deck = loaded.deck.expect("deck");
        let Some(Content::Metrics(metrics)) = deck.slides[0].blocks.first() else { panic!("no metrics") };
        let MetricValue::Compare { change, bars, better, .. } = &metrics.items[0].value else { panic!() };
        assert_eq!(change.as_deref(), Some("20x faster"));
        assert_eq!(*bars, (1.0, 0.05));
        assert_eq!(*better, Some(true));
        let MetricValue::Compare { change, better, .. } = &metrics.items[1].value else { panic!() };
        assert_eq!(change.as_deref(), Some("7.2x higher"));
        assert_eq!(*better, None);
    }

    #[test]
    fn incompatible_units_are_an_error() {
        let loaded = load_str(
            "title: T\nslides:\n  - kind: results\n    metrics:\n      - {label: Load, before: 4s, after: 20MB}\n",
        );
        assert!(loaded.diagnostics[0].message.contains("different units"));
    }

    #[test]
    fn mojibake_is_a_warning_with_the_repair() {
        let loaded = load_str("title: T\nslides:\n  - kind: hook\n    title: \"Launch day üöÄ\"\n");
        assert!(loaded.deck.is_some());
        assert_eq!(loaded.diagnostics.len(), 1);
        assert!(loaded.diagnostics[0].help.as_ref().unwrap().contains("🚀"));
    }
}
