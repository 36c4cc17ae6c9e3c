//! Deck: the YAML file read and validated into a typed [`Deck`].
//!
//! Owns the deck-level part of the format of `docs/deck-format.md` (title, author, size, theme,
//! caption, the slides and their kinds, reading the file): which keys exist, what values they
//! take, their defaults and their limits. The keys of every mapping and the length limit of every
//! text are read from the tables of [`format`](mod@format) (and each block's), which `carousel schema` turns
//! into the editors' JSON Schema, so the two cannot disagree. It walks the positioned tree from
//! [`crate::read::yaml`], collects every mistake as a [`Diagnostic`] at the value at fault (not
//! only the first one), and hands the layout stage a [`Deck`] in which every text still knows its
//! line and column, so later stages (a block that cannot fit) can point at it too. Each block of
//! a slide (body, bullets, metrics ...) is read by its own file in [`crate::blocks`], with the
//! same [`Reader`].

pub mod brand;
pub mod caption;
pub mod fonts;
pub mod format;
pub mod little;
pub mod traps;
pub mod when;

use std::path::{Path, PathBuf};

use crate::blocks::background::{self, Background};
use crate::blocks::{Content, Heading};
use crate::design::kind::{normalize_kind, Kind};
use crate::design::look::Look;
use crate::design::theme::{Color, Theme, ThemeFile, ThemeFonts, BUILT_IN};
use crate::files::{Access, Refusal, Wanted};
use crate::geom::Size;
use crate::media::asset::Asset;
use crate::read::diag::{did_you_mean, valid_help, Diagnostic};
use crate::read::limits;
use crate::read::reader::{Fields, Located, Reader};
use crate::read::yaml::{self, Node, Pos, Value};

/// A validated deck, ready for layout.
#[derive(Debug, Clone)]
pub struct Deck {
    /// The deck file.
    pub path: PathBuf,
    /// The file stem that names the outputs.
    pub stem: String,
    /// The deck's title (PDF metadata).
    pub title: String,
    /// The slides' language, a BCP 47 tag (`language:`; without it the language of the script
    /// the deck's letters are mostly in, else `en`): the PDF's `/Lang` and the slides' own words.
    pub language: String,
    /// The author shown in every footer.
    pub author: Option<Author>,
    /// The brand kit the deck names (`brand:`), for the watcher.
    pub brand: Option<PathBuf>,
    /// The logo drawn where the look's layout has a logo slot (`logo:`).
    pub logo: Option<Logo>,
    /// A short line in every footer, after the author's handle (`footer:`).
    pub footer: Option<Located<String>>,
    /// Colours, after `theme:` and `accent:`, and the title type of the look.
    pub theme: Theme,
    /// The design (`look:`): its layouts, and the palette and title type it brought.
    pub look: Look,
    /// Slide size in px.
    pub size: Size,
    /// A folder of SVG layouts that override the built-in ones.
    pub layouts: Option<PathBuf>,
    /// The post text that carries the PDF.
    pub caption: Option<Caption>,
    /// When `carousel publish --due` may post it (`publish_at:`).
    pub publish_at: Option<Located<when::Moment>>,
    /// The slides, in order.
    pub slides: Vec<Slide>,
    /// Where `accent:` (or else `theme:`) was written, for contrast warnings.
    pub colors_pos: Pos,
    /// Where each colour the deck's theme file or `accent:` set was written.
    pub colors: Vec<ColorPlace>,
    /// Where `slides:` was written.
    pub slides_pos: Pos,
    /// Which way the deck reads and the families it is set in (`direction:`, `fonts:`).
    pub text: crate::text::TextSettings,
}

/// A brand's logo.
#[derive(Debug, Clone)]
pub struct Logo {
    /// The logo, for light grounds (and every ground without `on_dark`).
    pub asset: Asset,
    /// Its version for dark grounds.
    pub on_dark: Option<Asset>,
}

impl Logo {
    /// The version to draw on `ground`.
    pub fn on(&self, ground: Color) -> &Asset {
        match &self.on_dark {
            Some(dark) if ground.luminance() < 0.25 => dark,
            _ => &self.asset,
        }
    }
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
    /// Where each block's key (`code:`, `table:` ...) was written, in the order of `blocks`.
    pub block_keys: Vec<Pos>,
    /// A full-bleed photo behind the slide, under a scrim.
    pub background: Option<Background>,
    /// Alt text and speaker notes; not drawn.
    pub notes: Option<String>,
    /// The links its text draws (`[text](https://…)`), in the order written: the PDF links each
    /// where its text is drawn.
    pub links: Vec<crate::text::markup::Link>,
}

/// The named slide sizes.
pub const SIZE_NAMES: &[&str] = &["portrait", "square", "landscape"];

/// The stem that names a deck's outputs: its file name without the extension
/// (`decks/day5.yaml` -> `day5`; `notes.v2.yaml` -> `notes.v2`).
pub fn stem_of(deck: &Path) -> String {
    deck.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "deck".into())
}

/// The outcome of reading a deck: the deck when it has no errors, and every diagnostic.
#[derive(Debug)]
pub struct Loaded {
    /// The deck, when there were no errors.
    pub deck: Option<Deck>,
    /// When there were errors, what could be read of the deck (the slides without mistakes,
    /// defaults for what was wrong), for the warnings that go with the errors. Never built.
    pub partial: Option<Deck>,
    /// Errors and warnings, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads and validates the deck at `path` whose text is `source`.
pub fn load(path: &Path, source: &str) -> Loaded {
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    load_with(path, source, &Access::new(&base, &[]))
}

/// Reads and validates the deck at `path` from `source`, its paths allowed to name what `access`
/// allows (its folder tree, and folders allowed with `--allow-outside`).
pub fn load_with(path: &Path, source: &str, access: &Access) -> Loaded {
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut reader = Reader::new(base, access.clone());
    let deck = match yaml::parse(source) {
        Ok(root) => deck(&mut reader, path, &root),
        Err(error) => {
            reader.push(
                Diagnostic::error(error.pos, format!("this is not valid YAML: {}", error.message))
                    .with_help("a deck is a YAML mapping with `title:` and `slides:`; indent with spaces, not tabs"),
            );
            None
        }
    };
    let mut deck = deck;
    if let Some(caption) = deck.as_mut().and_then(|d| d.caption.as_mut()) {
        caption.block_lines = caption::literal_block_lines(source, caption.text.pos);
    }
    let mut diagnostics = reader.into_diagnostics();
    diagnostics.extend(traps::escaped_line_breaks(source));
    diagnostics.sort_by_key(|d| (d.pos.line, d.pos.column));
    let complete = !diagnostics.iter().any(Diagnostic::is_error);
    let (deck, partial) = if complete { (deck, None) } else { (None, deck) };
    Loaded { deck, partial, diagnostics }
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
    let bytes = crate::files::read_at_most(path, yaml::MAX_SOURCE_BYTES as u64)
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

fn deck(r: &mut Reader, path: &Path, root: &Node) -> Option<Deck> {
    if root.value == Value::Null {
        r.error(
            root.pos,
            "the deck is empty",
            "a deck needs at least `title:` and `slides:`; run `carousel new` for a starter",
        );
        return None;
    }
    let fields = r.map(root, "a deck", &format::DECK)?;
    let title = match fields.present("title") {
        Some(node) => r.text(node, "`title`", format::DECK.max_chars("title")),
        None => {
            r.error(root.pos, "the deck has no `title`", "add `title: ...` at the top; it becomes the PDF's title");
            None
        }
    };
    // The brand kit first: the deck's own keys override it, key by key.
    let brand_file = fields.present("brand").and_then(|node| brand::read(r, node));
    let mut kit = brand_file.as_ref().and_then(|file| brand::Layer::open(r, file));
    let author = shared(r, &fields, &mut kit, "author", author);
    let look = shared(r, &fields, &mut kit, "look", look).unwrap_or_else(Look::default_look);
    let mut colors = Vec::new();
    let theme_written = fields.present("theme").or(kit.as_ref().and_then(|k| k.get("theme"))).is_some();
    let theme = match shared(r, &fields, &mut kit, "theme", |reader, node| base_theme(reader, node, &mut colors)) {
        Some(theme) => Some(theme),
        None if theme_written => None,
        None => Theme::built_in(look.theme),
    };
    let theme = theme.and_then(|theme| {
        let accent_from_kit = fields.present("accent").is_none();
        let accented = shared(r, &fields, &mut kit, "accent", |reader, node| accent(reader, node, &theme, &mut colors));
        if accent_from_kit && accented.is_some() {
            if let (Some(place), Some(layer)) = (colors.iter_mut().find(|p| p.role == "accent"), kit.as_ref()) {
                place.file = Some((layer.file().path.clone(), Some(layer.file().text.clone())));
            }
        }
        match accented {
            Some(theme) => Some(theme),
            None if fields.present("accent").or(kit.as_ref().and_then(|k| k.get("accent"))).is_some() => None,
            None => Some(theme),
        }
    });
    let theme = theme.map(|theme| with_look_type(theme, look));
    let colors_pos = fields
        .present("accent")
        .or(fields.present("theme"))
        .or(fields.present("brand"))
        .map(|n| n.pos)
        .unwrap_or(root.pos);
    if let Some(theme) = &theme {
        check_readable(r, theme, &colors, colors_pos);
    }
    let size = match shared(r, &fields, &mut kit, "size", size) {
        Some(size) => Some(size),
        None if fields.present("size").or(kit.as_ref().and_then(|k| k.get("size"))).is_some() => None,
        None => Some(Size::PORTRAIT),
    };
    let logo = shared(r, &fields, &mut kit, "logo", logo);
    let footer = shared(r, &fields, &mut kit, "footer", |reader, node| {
        reader.text(node, "`footer`", format::DECK.max_chars("footer")).filter(|t| !t.value.trim().is_empty())
    });
    let kit_fonts = match (fields.present("fonts"), kit.as_mut()) {
        (None, Some(layer)) => layer.get("fonts").map(|node| {
            let mut settings = crate::text::TextSettings::default();
            fonts::families(&mut layer.reader, node, &mut settings);
            settings
        }),
        _ => None,
    };
    if let Some(layer) = kit.as_mut() {
        let root = &layer.file().root;
        fonts::check_brand_text(&mut layer.reader, root);
    }
    let layouts = shared(r, &fields, &mut kit, "layouts", layouts);
    let caption = fields.present("caption").and_then(|node| caption(r, node));
    let publish_at = fields.present("publish_at").and_then(|node| publish_at(r, node));
    let language = fields.present("language").and_then(|node| language(r, node));
    let slides = match fields.present("slides") {
        Some(node) => slides(r, node),
        None => {
            r.error(
                root.pos,
                "the deck has no `slides`",
                "add `slides:` with a list of 1 to 300 slides, each with a `kind:`",
            );
            None
        }
    };
    let mut fonts_under = theme.as_ref().map(|t| t.fonts).unwrap_or_default();
    if let Some(kit) = kit_fonts {
        fonts_under.title = kit.title.or(fonts_under.title);
        fonts_under.body = kit.body.or(fonts_under.body);
        fonts_under.code = kit.code.or(fonts_under.code);
    }
    let text = fonts::settings(r, &fields, root, fonts_under);
    if let Some(layer) = kit {
        layer.finish(r);
    }
    // Whatever failed is reported already; the rest is kept, so that the lints of the parts that
    // were read can be shown with the errors (see [`Loaded::partial`]).
    Some(Deck {
        path: path.to_path_buf(),
        stem: stem_of(path),
        title: title.map(|t| t.value).unwrap_or_default(),
        language: language.unwrap_or_else(|| text.script_language.unwrap_or(DEFAULT_LANGUAGE).to_string()),
        author,
        brand: brand_file.map(|file| file.path),
        logo,
        footer,
        theme: theme.or_else(|| Theme::built_in(look.theme).map(|t| with_look_type(t, look)))?,
        look,
        size: size.unwrap_or(Size::PORTRAIT),
        layouts,
        caption,
        publish_at,
        slides: slides.unwrap_or_default(),
        colors_pos,
        colors,
        slides_pos: fields.present("slides").map(|n| n.pos).unwrap_or(root.pos),
        text,
    })
}

fn author(r: &mut Reader, node: &Node) -> Option<Author> {
    if node.as_text().is_some() {
        let name = r.text(node, "`author`", format::DECK.max_chars("author"))?;
        return Some(Author { name, handle: None, avatar: None });
    }
    let fields = r.map(node, "`author`", &format::AUTHOR)?;
    let Some(name) = fields.present("name") else {
        r.error(node.pos, "`author` has no `name`", "add `name: Your Name` under `author:`");
        return None;
    };
    let name = r.text(name, "`author.name`", format::AUTHOR.max_chars("name"))?;
    let handle = r.optional_text(&fields, "handle", "`author.handle`", format::AUTHOR.max_chars("handle"));
    let avatar =
        fields.present("avatar").and_then(|n| r.asset(n, "`author.avatar`", format::AUTHOR.max_chars("avatar")));
    Some(Author { name, handle, avatar })
}

/// `logo:`: a file, or {path, on_dark}.
fn logo(r: &mut Reader, node: &Node) -> Option<Logo> {
    if node.as_text().is_some() {
        let asset = r.asset(node, "`logo`", format::DECK.max_chars("logo"))?;
        return Some(Logo { asset, on_dark: None });
    }
    let fields = r.map(node, "`logo`", &format::LOGO)?;
    let Some(path) = fields.present("path") else {
        r.error(node.pos, "`logo` has no `path`", "add `path: logo.svg` under `logo:`, or write `logo: logo.svg`");
        return None;
    };
    let asset = r.asset(path, "`logo.path`", format::LOGO.max_chars("path"));
    let on_dark =
        fields.present("on_dark").and_then(|n| r.asset(n, "`logo.on_dark`", format::LOGO.max_chars("on_dark")));
    Some(Logo { asset: asset?, on_dark })
}

/// `look:`: one of the built-in looks.
fn look(r: &mut Reader, node: &Node) -> Option<Look> {
    let text = r.text(node, "`look`", 40)?;
    match Look::named(&text.value) {
        Some(look) => Some(look),
        None => {
            let names = crate::design::look::names();
            r.error(
                node.pos,
                format!("unknown look `{}`", text.value.trim()),
                format!("{}; `carousel looks` describes each", valid_help(text.value.trim(), &names)),
            );
            None
        }
    }
}

/// The look's title type under the theme's own fonts (a theme file's `fonts:` wins), with the
/// look's bundled title faces registered.
fn with_look_type(mut theme: Theme, look: Look) -> Theme {
    let own = theme.fonts;
    theme.fonts = ThemeFonts {
        title: own.title.or(look.fonts.title),
        body: own.body.or(look.fonts.body),
        code: own.code.or(look.fonts.code),
        title_weight: own.title_weight.or(look.fonts.title_weight),
        title_tracking: own.title_tracking.or(look.fonts.title_tracking),
    };
    if let Some(family) = look.fonts.title {
        crate::fonts::Fonts::shared().need_family(family);
    }
    theme
}

/// The value of `key`: the deck's own, else the brand kit's (read relative to the kit, its
/// mistakes reported in the kit).
fn shared<'n, T>(
    r: &mut Reader,
    fields: &Fields<'n>,
    kit: &mut Option<brand::Layer<'n>>,
    key: &str,
    read: impl FnOnce(&mut Reader, &'n Node) -> Option<T>,
) -> Option<T> {
    if let Some(node) = fields.present(key) {
        return read(r, node);
    }
    let layer = kit.as_mut()?;
    let node = layer.get(key)?;
    read(&mut layer.reader, node)
}

/// `theme:`: a built-in palette or a theme file.
fn base_theme(r: &mut Reader, node: &Node, places: &mut Vec<ColorPlace>) -> Option<Theme> {
    let name = r.text(node, "`theme`", format::DECK.max_chars("theme"))?;
    named_theme(r, &name, places)
}

/// `accent:` over `theme`.
fn accent(r: &mut Reader, node: &Node, theme: &Theme, places: &mut Vec<ColorPlace>) -> Option<Theme> {
    let text = r.text(node, "`accent`", format::DECK.max_chars("accent"))?;
    match Color::parse(text.value.trim()) {
        Some(color) => {
            places.retain(|p| p.role != "accent");
            places.push(ColorPlace { role: "accent".into(), pos: node.pos, file: None });
            Some(theme.clone().with_accent(color))
        }
        None => {
            r.error(
                node.pos,
                format!("`accent: {}` is not a colour", text.value),
                "write a hex colour in quotes, like \"#22d3ee\" or \"#f90\"",
            );
            None
        }
    }
}

fn named_theme(r: &mut Reader, name: &Located<String>, places: &mut Vec<ColorPlace>) -> Option<Theme> {
    let value = name.value.trim();
    if let Some(theme) = Theme::built_in(&value.to_lowercase()) {
        return Some(theme);
    }
    let looks_like_path =
        value.contains('/') || value.contains('\\') || value.ends_with(".yaml") || value.ends_with(".yml");
    if !looks_like_path {
        r.error(
            name.pos,
            format!("unknown theme `{value}`"),
            format!("{}; or a path to a theme file (ending in .yaml)", valid_help(value, BUILT_IN)),
        );
        return None;
    }
    let lower = value.to_lowercase();
    if !(lower.ends_with(".yaml") || lower.ends_with(".yml")) {
        r.error(
            name.pos,
            format!("`theme: {value}` is not a theme file: a theme file's name ends in .yaml or .yml"),
            format!("{}; or a path to a theme file (ending in .yaml)", valid_help(value, BUILT_IN)),
        );
        return None;
    }
    let path = r.base().join(value);
    let canonical = r.resolve(name.pos, value, "theme file", Wanted::File)?;
    let text = match crate::files::read_text_at_most(&canonical, limits::MAX_THEME_BYTES) {
        Ok(text) => text,
        Err(why) => {
            r.error(
                name.pos,
                format!("cannot read theme file `{}`: {why}", path.display()),
                "the path is relative to the deck file",
            );
            return None;
        }
    };
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let errors_before = r.error_count();
    let file = theme_file(r, &path, &text);
    if r.error_count() > errors_before {
        return None;
    }
    let file = file?;
    let source = Some(text.clone()).filter(|_| file.is_theme);
    for (role, pos) in &file.places {
        places.push(ColorPlace { role: role.clone(), pos: *pos, file: Some((path.clone(), source.clone())) });
    }
    // Every colour was checked above with its position, so only an impossible base is left.
    file.resolve(&stem).ok()
}

/// Where a theme's colour was written (a theme file's line, or the deck's `accent:`), so that a
/// contrast problem is reported where it can be fixed.
#[derive(Debug, Clone)]
pub struct ColorPlace {
    /// The role: `text`, `muted`, `accent`, `background` ...
    pub role: String,
    /// The value's place.
    pub pos: Pos,
    /// The theme file it is in, with its text when its lines may be shown.
    pub file: Option<(PathBuf, Option<String>)>,
}

impl Deck {
    /// The words the slides write themselves (kickers, "Swipe", "Before" ...), in the deck's
    /// language.
    pub fn words(&self) -> &'static crate::design::words::Words {
        crate::design::words::Words::for_language(&self.language)
    }

    /// A diagnostic about the colour of `role` (or, when that one was not written, `other`), at
    /// the place it was written, else at the deck's `theme:` or `accent:`.
    pub fn at_color(&self, role: &str, other: &str, diagnostic: Diagnostic) -> Diagnostic {
        place_color(&self.colors, self.colors_pos, role, other, diagnostic)
    }
}

fn place_color(places: &[ColorPlace], fallback: Pos, role: &str, other: &str, diagnostic: Diagnostic) -> Diagnostic {
    let place = places.iter().find(|p| p.role == role).or_else(|| places.iter().find(|p| p.role == other));
    match place {
        Some(ColorPlace { pos, file: Some((path, source)), .. }) => {
            Diagnostic { pos: *pos, ..diagnostic }.in_file(path, source.clone())
        }
        Some(ColorPlace { pos, file: None, .. }) => Diagnostic { pos: *pos, ..diagnostic },
        None => Diagnostic { pos: fallback, ..diagnostic },
    }
}

/// Text under 3:1 against what it is drawn on cannot be read at any size: an error, at the colour.
/// (Under WCAG AA but above this is `check`'s warning.)
fn check_readable(r: &mut Reader, theme: &Theme, places: &[ColorPlace], fallback: Pos) {
    for (role, color, on, ground, what) in [
        ("text", theme.text, "background", theme.background, "text"),
        ("muted", theme.muted, "background", theme.background, "secondary text"),
        ("accent", theme.accent, "background", theme.background, "accent text (kickers, highlights)"),
        ("on-accent", theme.on_accent, "accent", theme.accent, "text on the accent"),
    ] {
        let ratio = color.contrast(ground);
        if ratio < UNREADABLE_CONTRAST {
            let diagnostic = Diagnostic::error(
                fallback,
                format!("{what} ({role} {color} on {on} {ground}) has a contrast of {ratio:.1}:1: unreadable"),
            )
            .with_help(format!("text needs at least {UNREADABLE_CONTRAST}:1 to be read at all, 4.5:1 for body text; pick a lighter or darker `{role}`"));
            r.push(place_color(places, fallback, role, on, diagnostic));
        }
    }
}

/// The least contrast at which text can be read at all.
const UNREADABLE_CONTRAST: f32 = 3.0;

/// Reads a theme file, reporting each mistake at its place in the theme file itself (not at
/// the deck's `theme:` line), so the author is sent to the line to fix.
fn theme_file(r: &mut Reader, path: &Path, text: &str) -> Option<ThemeFile> {
    const KEYS: &[&str] =
        &["extends", "background", "surface", "text", "muted", "accent", "on-accent", "good", "bad", "warn", "fonts"];
    // The file's lines are shown only when it is a theme file by its content too (a mapping with
    // a theme's keys): a path to anything else must not print that file.
    let is_theme = yaml::parse(text).is_ok_and(|root| match &root.value {
        Value::Map(entries) => entries.iter().any(|(key, _)| key.as_text().is_some_and(|k| KEYS.contains(&k.as_str()))),
        _ => false,
    });
    let in_file = |d: Diagnostic| d.in_file(path, is_theme.then(|| text.to_string()));
    let root = match yaml::parse(text) {
        Ok(root) => root,
        Err(error) => {
            r.push(in_file(
                Diagnostic::error(error.pos, format!("this theme file is not valid YAML: {}", error.message))
                    .with_help("a theme file is a YAML mapping like `extends: paper` and `accent: \"#e11d48\"`"),
            ));
            return None;
        }
    };
    let Value::Map(entries) = &root.value else {
        r.push(in_file(
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
        if name == "fonts" {
            // The brand's fonts: files relative to the theme file, read like the deck's own.
            let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
            let mut inner = Reader::new(folder, r.access().clone());
            let mut settings = crate::text::TextSettings::default();
            fonts::families(&mut inner, value, &mut settings);
            for diagnostic in inner.into_diagnostics() {
                r.push(in_file(diagnostic));
            }
            file.fonts =
                ThemeFonts { title: settings.title, body: settings.body, code: settings.code, ..ThemeFonts::default() };
            continue;
        }
        let Some(text_value) = value.as_text() else {
            let message = format!("`{name}` must be text, found {}", value.value.type_name());
            r.push(in_file(Diagnostic::error(value.pos, message).with_help("write it in quotes")));
            continue;
        };
        let slot = match name.as_str() {
            "extends" => {
                if Theme::built_in(&text_value).is_none() {
                    r.push(in_file(
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
                r.push(in_file(
                    Diagnostic::error(key.pos, format!("unknown key `{name}` in a theme file"))
                        .with_help(valid_help(&name, KEYS)),
                ));
                continue;
            }
        };
        if name != "extends" && Color::parse(text_value.trim()).is_none() {
            r.push(in_file(
                Diagnostic::error(value.pos, format!("`{name}: {text_value}` is not a colour"))
                    .with_help("write a hex colour in quotes, like \"#22d3ee\" or \"#f90\""),
            ));
        }
        *slot = Some(text_value.trim().to_string());
        if name != "extends" {
            file.places.push((name.clone(), value.pos));
        }
    }
    file.is_theme = is_theme;
    Some(file)
}

fn size(r: &mut Reader, node: &Node) -> Option<Size> {
    if let Value::Str(name) = &node.value {
        return match name.trim().to_lowercase().as_str() {
            "portrait" => Some(Size::PORTRAIT),
            "square" => Some(Size::SQUARE),
            "landscape" => Some(Size::LANDSCAPE),
            other => {
                r.error(
                    node.pos,
                    format!("unknown size `{other}`"),
                    format!("{}, or {{width: W, height: H}} in px", valid_help(other, SIZE_NAMES)),
                );
                None
            }
        };
    }
    let fields = r.map(node, "`size`", &format::SIZE)?;
    let mut side = |key: &str| -> Option<u32> {
        let Some(value) = fields.present(key) else {
            r.error(node.pos, format!("`size` has no `{key}`"), "write {width: 1080, height: 1350}");
            return None;
        };
        let ok = match value.value {
            Value::Int(n) if (limits::MIN_SIDE as i64..=limits::MAX_SIDE as i64).contains(&n) => Some(n as u32),
            _ => None,
        };
        if ok.is_none() {
            r.error(
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

fn layouts(r: &mut Reader, node: &Node) -> Option<PathBuf> {
    let text = r.text(node, "`layouts`", format::DECK.max_chars("layouts"))?;
    let written = text.value.trim();
    let path = r.base().join(written);
    match r.access().resolve(r.base(), written, Wanted::Folder) {
        Ok(_) => Some(path),
        Err(Refusal::NotFolder | Refusal::Missing) => {
            r.error(
                node.pos,
                format!("`layouts: {}` is not a folder", text.value),
                "give a folder (relative to the deck) holding SVG layouts named after kinds, like `hook.svg`",
            );
            None
        }
        Err(why) => {
            r.error(node.pos, format!("`layouts: {written}`: {why}"), why.help());
            None
        }
    }
}

fn caption(r: &mut Reader, node: &Node) -> Option<Caption> {
    if node.as_text().is_some() {
        let text = r.text(node, "`caption`", format::DECK.max_chars("caption"))?;
        return Some(Caption { text, hashtags: Vec::new(), first_comment: None, block_lines: None });
    }
    let fields = r.map(node, "`caption`", &format::CAPTION)?;
    let text = match fields.present("text") {
        Some(text) => r.text(text, "`caption.text`", format::CAPTION.max_chars("text"))?,
        None => Located { value: String::new(), pos: node.pos },
    };
    let mut hashtags = Vec::new();
    if let Some(list) = fields.present("hashtags") {
        let items = r.list(list, "`caption.hashtags`", limits::MAX_HASHTAGS)?;
        for item in items {
            let tag = r.text(item, "a hashtag", limits::MAX_HASHTAG_CHARS)?;
            let tag = tag.value.trim().trim_start_matches('#').to_string();
            if tag.is_empty() || tag.chars().any(char::is_whitespace) {
                r.error(item.pos, "a hashtag must be one word", "write `Performance`, not `#Performance tips`");
                continue;
            }
            hashtags.push(tag);
        }
    }
    let first_comment = fields
        .present("first_comment")
        .and_then(|node| r.text(node, "`caption.first_comment`", format::CAPTION.max_chars("first_comment")))
        .filter(|comment| !comment.value.trim().is_empty());
    Some(Caption { text, hashtags, first_comment, block_lines: None })
}

/// `publish_at:`, an RFC 3339 date and time with its offset.
/// The language of a deck without `language:`.
pub const DEFAULT_LANGUAGE: &str = "en";

fn language(r: &mut Reader, node: &Node) -> Option<String> {
    let text = r.text(node, "`language`", format::DECK.max_chars("language"))?;
    match language_tag(&text.value) {
        Ok(tag) => Some(tag),
        Err(message) => {
            r.error(
                node.pos,
                format!("`language: {}` is not a language tag: {message}", text.value.trim()),
                "write a BCP 47 tag: a language code, then optionally a script and a region, like en, en-GB, \
                 de, pt-BR or zh-Hant-TW",
            );
            None
        }
    }
}

/// A BCP 47 language tag checked for its shape (RFC 5646 §2.1's `langtag`, without the
/// irregular grandfathered tags), trimmed; or what is wrong with it.
pub fn language_tag(text: &str) -> Result<String, String> {
    let tag = text.trim();
    let subtags: Vec<&str> = tag.split('-').collect();
    let alpha = |s: &str| s.bytes().all(|b| b.is_ascii_alphabetic());
    let alnum = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric());
    if let Some(bad) = subtags.iter().find(|s| !alnum(s) || s.len() > 8) {
        return Err(if bad.is_empty() {
            "it has an empty part (two hyphens, or one at an end)".to_string()
        } else {
            format!("`{bad}` is not 1 to 8 letters or digits")
        });
    }
    let language = subtags[0];
    if !(alpha(language) && (2..=3).contains(&language.len())) {
        return Err(format!("it starts with `{language}`, where a language code of 2 or 3 letters goes (en, de, fil)"));
    }
    let mut rest = subtags[1..].iter().peekable();
    // Script (4 letters), region (2 letters or 3 digits), variants (5-8, or a digit and 3).
    rest.next_if(|s| s.len() == 4 && alpha(s));
    rest.next_if(|s| (s.len() == 2 && alpha(s)) || (s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit())));
    while rest.next_if(|s| s.len() >= 5 || (s.len() == 4 && s.as_bytes()[0].is_ascii_digit())).is_some() {}
    // Extensions and private use: a single character, then parts of 2-8 (1-8 after `x`).
    while let Some(singleton) = rest.next() {
        if singleton.len() != 1 {
            return Err(format!("`{singleton}` is out of place (the order is language-script-region-variant)"));
        }
        let private = singleton.eq_ignore_ascii_case("x");
        let min = if private { 1 } else { 2 };
        let mut parts = 0;
        while rest.next_if(|s| s.len() >= min && (private || s.len() > 1)).is_some() {
            parts += 1;
        }
        if parts == 0 {
            return Err(format!("`{singleton}` starts an extension but nothing follows it"));
        }
        if private {
            if let Some(extra) = rest.next() {
                return Err(format!("`{extra}` follows the private part"));
            }
        }
    }
    Ok(tag.to_string())
}

fn publish_at(r: &mut Reader, node: &Node) -> Option<Located<when::Moment>> {
    let text = r.text(node, "`publish_at`", format::DECK.max_chars("publish_at"))?;
    match when::parse_rfc3339(&text.value) {
        Ok(moment) => Some(Located { value: moment, pos: text.pos }),
        Err(message) => {
            r.error(
                node.pos,
                format!("`publish_at`: {message}"),
                "quote it: publish_at: \"2026-12-08T09:00:00+01:00\"",
            );
            None
        }
    }
}

fn slides(r: &mut Reader, node: &Node) -> Option<Vec<Slide>> {
    let items = r.list(node, "`slides`", limits::MAX_SLIDES)?;
    if items.is_empty() {
        r.error(node.pos, "`slides` is empty", "add at least one slide, like `- kind: hook`");
        return None;
    }
    let mut slides = Vec::with_capacity(items.len());
    let mut failed = false;
    for (index, item) in items.iter().enumerate() {
        match slide(r, index + 1, item) {
            Some(slide) => slides.push(slide),
            None => failed = true,
        }
    }
    // A slide with a mistake is left out; the mistake makes the deck invalid.
    let _ = failed;
    Some(slides)
}

fn slide(r: &mut Reader, number: usize, node: &Node) -> Option<Slide> {
    let fields = r.map(node, &format!("slide {number}"), &format::SLIDE)?;
    let errors_before = r.error_count();
    let kind = match fields.present("kind") {
        None => {
            r.error(node.pos, format!("slide {number} has no `kind`"), format!("valid kinds: {}", kind_names()));
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
                    r.error(kind.pos, format!("unknown slide kind `{text}`"), help);
                    None
                }
            },
            None => {
                r.error(kind.pos, "`kind` must be a name", format!("valid kinds: {}", kind_names()));
                None
            }
        },
    };
    let heading = Heading::parse(r, &fields);
    let notes = r.optional_text(&fields, "notes", "`notes`", format::SLIDE.max_chars("notes")).map(|n| n.value);
    let background = fields.present("background").and_then(|node| background::parse(r, node));
    // Blocks keep the order the author wrote them in; the heading and `notes` are not blocks.
    let mut blocks = Vec::new();
    let mut block_keys = Vec::new();
    for (key, key_node, value) in &fields.entries {
        if matches!(*key, "kind" | "icon" | "label" | "title" | "subtitle" | "notes" | "background")
            || value.value == Value::Null
        {
            continue;
        }
        if let Some(block) = Content::parse(key, r, value) {
            blocks.push(block);
            block_keys.push(key_node.pos);
        }
    }
    let mut links = Vec::new();
    markup_links(r, node, &mut links);
    if r.error_count() > errors_before {
        return None;
    }
    let slide = Slide { number, kind: kind?, pos: node.pos, heading, blocks, block_keys, background, notes, links };
    let empty = !slide.heading.shows_something() && slide.blocks.is_empty();
    if empty {
        r.error(
            node.pos,
            format!("slide {number} has nothing to show"),
            format!("give it at least one of: {}", format::SLIDE_CONTENT.join(", ")),
        );
        return None;
    }
    Some(slide)
}

/// Keys whose text is not inline markup: names, paths, code and notes.
const NOT_MARKUP: &[&str] =
    &["kind", "icon", "notes", "source", "lang", "path", "image", "avatar", "background", "alt", "fit", "mark", "type"];

/// The links written in the text of a slide's `node`, each at the value that holds it; a link of
/// another scheme than `http`, `https` or `mailto` is an error there.
fn markup_links(r: &mut Reader, node: &Node, out: &mut Vec<crate::text::markup::Link>) {
    match &node.value {
        Value::Str(text) => {
            for link in crate::text::markup::links(text) {
                if crate::text::markup::allowed_link(&link.url) {
                    out.push(link);
                } else {
                    let shown: String = link.url.chars().take(60).collect();
                    r.error(
                        node.pos,
                        format!("the link `[{}]({shown})` is not a web or e-mail address", link.text),
                        "a link starts with https://, http:// or mailto: (a PDF reader opens nothing else)",
                    );
                }
            }
        }
        Value::Seq(items) => items.iter().for_each(|item| markup_links(r, item, out)),
        Value::Map(entries) => {
            for (key, value) in entries {
                if key.as_text().is_some_and(|k| NOT_MARKUP.contains(&k.as_str())) {
                    continue;
                }
                markup_links(r, value, out);
            }
        }
        _ => {}
    }
}

fn kind_names() -> String {
    Kind::ALL.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_checked_for_their_shape() {
        for good in
            ["en", "en-GB", "de", "pt-BR", "zh-Hant-TW", "sr-Latn-RS", "es-419", "de-CH-1996", "en-x-pirate", " fil "]
        {
            assert_eq!(language_tag(good).as_deref(), Ok(good.trim()), "{good}");
        }
        for bad in ["", "e", "english", "en_GB", "en-", "-en", "en--GB", "en-GB-x", "1en", "en-a", "en-toolongvariant"]
        {
            assert!(language_tag(bad).is_err(), "{bad}");
        }
    }
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
        let en = crate::design::words::Words::for_language("en");
        assert_eq!(change.as_ref().map(|c| c.text(en)).as_deref(), Some("20x faster"));
        assert_eq!(*bars, (1.0, 0.05));
        assert_eq!(*better, Some(true));
        let MetricValue::Compare { change, better, .. } = &metrics.items[1].value else { panic!() };
        assert_eq!(change.as_ref().map(|c| c.text(en)).as_deref(), Some("7.2x higher"));
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
