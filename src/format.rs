//! The deck format as data: every mapping a deck may hold, its keys, what each key means, the shape
//! of its value and its limits.
//!
//! Owns the one description of the format that two readers share, so they cannot drift apart:
//! [`crate::deck`] consults it for the keys each mapping allows ("unknown key ... did you mean"),
//! the length limit of every text and the keys a slide needs one of, and [`crate::schema`] turns
//! it into the JSON Schema that editors use for completion, hover docs and squiggles. The names
//! a value may take (kinds, marks, themes, sizes, languages ...) stay beside the code that reads
//! them ([`crate::deck`], [`crate::theme`], [`crate::highlight`]); this module only points at them.
//! Adding a key here makes the parser accept it and the schema show it, in one edit.

use crate::blocks::{self, chart, table};
use crate::deck::{self, limits};
use crate::highlight;
use crate::theme;

/// A YAML mapping: the deck itself or one of its nested blocks.
#[derive(Debug)]
pub struct Mapping {
    /// How messages name it: "a deck", "`author`", "a bullet" ...
    pub what: &'static str,
    /// What it is, for hover docs.
    pub doc: &'static str,
    /// Its keys, in the order messages list them.
    pub keys: &'static [Key],
    /// A constraint across keys, beyond each key's own.
    pub rule: Rule,
}

impl Mapping {
    /// The names of its keys, in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.keys.iter().map(|key| key.name).collect()
    }

    /// The key called `name`, if the mapping has one.
    pub fn key(&self, name: &str) -> Option<&'static Key> {
        self.keys.iter().find(|key| key.name == name)
    }

    /// The character limit of the text under `name` (see [`Shape::max_chars`]); 0 when the
    /// mapping has no such text key, which makes every value too long, so a slip shows in tests.
    pub fn max_chars(&self, name: &str) -> usize {
        self.key(name).and_then(|key| key.shape.max_chars()).unwrap_or(0)
    }
}

/// One key of a mapping.
#[derive(Debug)]
pub struct Key {
    /// The key as written in a deck.
    pub name: &'static str,
    /// What it does, for hover docs.
    pub doc: &'static str,
    /// Whether the mapping is incomplete without it. A key written with no value (`key:` or
    /// `key: ~`) counts as absent.
    pub required: bool,
    /// What its value may be.
    pub shape: Shape,
}

/// What a value may be.
#[derive(Debug)]
pub enum Shape {
    /// Text of at most `max` characters. Numbers and true/false are taken as written
    /// (`label: 2024`), so they are text too.
    Text {
        /// Most characters.
        max: usize,
    },
    /// Text of at most `max` characters that matches `pattern`, an ECMA-262 regular expression
    /// (the dialect of JSON Schema) that the parser's own check agrees with.
    Matching {
        /// Most characters.
        max: usize,
        /// The regular expression, unanchored unless it says `^...$`.
        pattern: &'static str,
    },
    /// One of a list of names, in any case, surrounding spaces ignored.
    Name(&'static Names),
    /// A whole number from `min` to `max`.
    Int {
        /// Smallest.
        min: u32,
        /// Largest.
        max: u32,
    },
    /// A list of `min` to `max` items of one shape.
    List {
        /// Fewest items.
        min: usize,
        /// Most items.
        max: usize,
        /// Each item.
        item: &'static Shape,
    },
    /// `true` or `false`.
    Bool,
    /// A name from the bundled icon set ([`crate::icons`]), exactly as Lucide spells it. The
    /// schema lists the ~2,200 names once, as an enum under `definitions` that every such value
    /// refers to: enough for completion and squiggles, at ~55 KB; an enum plus the
    /// case-insensitive pattern [`Shape::Name`] writes would be ~300 KB per use.
    Icon,
    /// A mapping with keys of its own.
    Map(&'static Mapping),
    /// Any of these shapes: a short form (text) and its long form (a mapping), or a name or
    /// something else (a path, an emoji).
    AnyOf {
        /// The shapes, in the order messages offer them.
        of: &'static [Shape],
    },
}

impl Shape {
    /// The character limit of a text value of this shape (for [`Shape::AnyOf`], of its first
    /// text form: the short form of a mapping); `None` when the shape takes no text.
    pub fn max_chars(&self) -> Option<usize> {
        match self {
            Shape::Text { max } | Shape::Matching { max, .. } => Some(*max),
            Shape::AnyOf { of } => of.iter().find_map(Shape::max_chars),
            _ => None,
        }
    }
}

/// A list of names a value may take.
#[derive(Debug)]
pub struct Names {
    /// The names offered for completion and listed in messages.
    pub names: fn() -> Vec<&'static str>,
    /// Other spellings also accepted (`ts` for `typescript`), not offered.
    pub aliases: fn() -> Vec<&'static str>,
    /// Whether `-`, `_` and spaces between and around words are alike (`Root-Cause`).
    pub loose_separators: bool,
    /// Whether an empty or blank value is accepted (and means the default).
    pub blank_ok: bool,
}

/// A constraint across the keys of a mapping.
#[derive(Debug)]
pub enum Rule {
    /// None.
    None,
    /// At least one of these keys must be present.
    AnyOf(&'static [&'static str]),
    /// Exactly one of these groups of keys must be present, each whole, and no key of another.
    OneGroup(&'static [&'static [&'static str]]),
}

fn none() -> Vec<&'static str> {
    Vec::new()
}

/// Slide kinds.
pub static KINDS: Names = Names {
    names: || deck::Kind::ALL.iter().map(|kind| kind.name()).collect(),
    aliases: none,
    loose_separators: true,
    blank_ok: false,
};

/// Bullet marks by name (an emoji is the other choice).
pub static MARKS: Names =
    Names { names: || blocks::bullets::MARK_NAMES.to_vec(), aliases: none, loose_separators: false, blank_ok: false };

/// Built-in themes (a path to a theme file is the other choice).
pub static THEMES: Names =
    Names { names: || theme::BUILT_IN.to_vec(), aliases: none, loose_separators: false, blank_ok: false };

/// Named slide sizes.
pub static SIZES: Names =
    Names { names: || deck::SIZE_NAMES.to_vec(), aliases: none, loose_separators: false, blank_ok: false };

/// Code languages; a blank `lang` means `text`.
pub static LANGUAGES: Names = Names {
    names: || highlight::supported_languages().to_vec(),
    aliases: highlight::language_aliases,
    loose_separators: false,
    blank_ok: true,
};

/// How an image fills its box.
pub static FITS: Names =
    Names { names: || blocks::image::FIT_NAMES.to_vec(), aliases: none, loose_separators: false, blank_ok: false };

/// Chart types.
pub static CHART_TYPES: Names =
    Names { names: || chart::TYPE_NAMES.to_vec(), aliases: none, loose_separators: false, blank_ok: false };

/// Which way a metric improves.
pub static DIRECTIONS: Names = Names {
    names: || blocks::metrics::DIRECTION_NAMES.to_vec(),
    aliases: none,
    loose_separators: false,
    blank_ok: false,
};

/// `#rgb` or `#rrggbb`, the `#` optional, as [`theme::Color::parse`] reads it.
pub const COLOUR_PATTERN: &str = r"^\s*#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\s*$";

/// One word, after any leading `#`s.
pub const HASHTAG_PATTERN: &str = r"^\s*#*[^\s#]\S*\s*$";

/// `publish_at:`: an RFC 3339 date and time with an offset (what [`crate::publish::when`] reads).
pub const PUBLISH_AT_PATTERN: &str =
    r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?([Zz]|[+-][0-9]{2}:[0-9]{2})\s*$";

/// What the parser takes for a theme file rather than a theme name.
pub const THEME_PATH_PATTERN: &str = r"[/\\]|\.ya?ml\s*$";

/// One emoji, roughly: a word that starts with a character beyond ASCII. The parser is stricter
/// (one grapheme, an emoji or pictograph); a schema regular expression cannot say "grapheme".
pub const EMOJI_PATTERN: &str = r"^\s*[^\x00-\x7F\s]\S*\s*$";

/// Longest path to an image, in characters.
const MAX_PATH_CHARS: usize = 1_000;
/// Longest path to a theme file or layouts folder, in characters.
const MAX_FOLDER_CHARS: usize = 400;
/// Longest emoji mark the schema lets through, in characters (a family ZWJ sequence is 11;
/// the parser itself counts one grapheme).
const MAX_EMOJI_CHARS: usize = 32;

/// The deck: the file's top-level mapping.
pub static DECK: Mapping = Mapping {
    what: "a deck",
    doc: "A LinkedIn carousel: one PDF plus one PNG per slide. Reference: docs/deck-format.md.",
    keys: &[
        Key {
            name: "title",
            doc: "The deck's title: the PDF's title metadata.",
            required: true,
            shape: Shape::Text { max: limits::MAX_TITLE_CHARS },
        },
        Key {
            name: "author",
            doc: "The person in every slide's footer: a name, or {name, handle, avatar}.",
            required: false,
            shape: Shape::AnyOf { of: &[Shape::Text { max: limits::MAX_NAME_CHARS }, Shape::Map(&AUTHOR)] },
        },
        Key {
            name: "theme",
            doc: "Colours: a built-in theme (midnight: dark, the default; paper: light; ember: warm dark), \
                  or a path to a theme file (.yaml, relative to the deck).",
            required: false,
            shape: Shape::AnyOf { of: &[
                Shape::Name(&THEMES),
                Shape::Matching { max: MAX_FOLDER_CHARS, pattern: THEME_PATH_PATTERN },
            ] },
        },
        Key {
            name: "accent",
            doc: "Replaces the theme's accent colour: \"#rgb\" or \"#rrggbb\", quoted (a bare # starts a YAML comment).",
            required: false,
            shape: Shape::Matching { max: 40, pattern: COLOUR_PATTERN },
        },
        Key {
            name: "size",
            doc: "Slide size: portrait 1080x1350 (default), square 1080x1080, landscape 1920x1080, \
                  or {width, height} in px.",
            required: false,
            shape: Shape::AnyOf { of: &[Shape::Name(&SIZES), Shape::Map(&SIZE)] },
        },
        Key {
            name: "layouts",
            doc: "A folder (relative to the deck) of SVG layouts named after kinds (hook.svg ...) that override the built-in ones.",
            required: false,
            shape: Shape::Text { max: MAX_FOLDER_CHARS },
        },
        Key {
            name: "publish_at",
            doc: "When `carousel publish --due` may post the deck: an RFC 3339 date and time with its offset \
                  from UTC, quoted, e.g. \"2026-12-08T09:00:00+01:00\" (or ...Z for UTC).",
            required: false,
            shape: Shape::Matching { max: 40, pattern: PUBLISH_AT_PATTERN },
        },
        Key {
            name: "caption",
            doc: "The text of the LinkedIn post that carries the PDF, written beside it as <stem>.txt: \
                  the text, or {text, hashtags, first_comment}.",
            required: false,
            shape: Shape::AnyOf { of: &[Shape::Text { max: limits::MAX_NOTES_CHARS }, Shape::Map(&CAPTION)] },
        },
        Key {
            name: "slides",
            doc: "The slides, in order: 1 to 300.",
            required: true,
            shape: Shape::List { min: 1, max: limits::MAX_SLIDES, item: &Shape::Map(&SLIDE) },
        },
    ],
    rule: Rule::None,
};

/// `author:` in its long form.
pub static AUTHOR: Mapping = Mapping {
    what: "`author`",
    doc: "The person in every slide's footer.",
    keys: &[
        Key { name: "name", doc: "Display name.", required: true, shape: Shape::Text { max: limits::MAX_NAME_CHARS } },
        Key {
            name: "handle",
            doc: "An @handle, shown muted under the name.",
            required: false,
            shape: Shape::Text { max: limits::MAX_NAME_CHARS },
        },
        Key {
            name: "avatar",
            doc: "A PNG, JPEG or SVG (relative to the deck), drawn round; without one, the initials on an accent disc.",
            required: false,
            shape: Shape::Text { max: MAX_PATH_CHARS },
        },
    ],
    rule: Rule::None,
};

/// `size:` in px.
pub static SIZE: Mapping = Mapping {
    what: "`size`",
    doc: "Slide size in px, each side 320 to 4096.",
    keys: &[
        Key {
            name: "width",
            doc: "Width in px (LinkedIn shows 1080).",
            required: true,
            shape: Shape::Int { min: limits::MIN_SIDE, max: limits::MAX_SIDE },
        },
        Key {
            name: "height",
            doc: "Height in px (portrait is 1350).",
            required: true,
            shape: Shape::Int { min: limits::MIN_SIDE, max: limits::MAX_SIDE },
        },
    ],
    rule: Rule::None,
};

/// `caption:` in its long form.
pub static CAPTION: Mapping = Mapping {
    what: "`caption`",
    doc: "The post text and its hashtags.",
    keys: &[
        Key {
            name: "text",
            doc: "The post text, exactly as written (LinkedIn refuses posts over 3,000 characters; `carousel check` \
                  warns). Write paragraphs on one line each in a `|` block, or use `>`: LinkedIn keeps every line break.",
            required: false,
            shape: Shape::Text { max: limits::MAX_NOTES_CHARS },
        },
        Key {
            name: "hashtags",
            doc: "Hashtags, one word each; a leading # is dropped.",
            required: false,
            shape: Shape::List {
                min: 0,
                max: limits::MAX_HASHTAGS,
                item: &Shape::Matching { max: limits::MAX_HASHTAG_CHARS, pattern: HASHTAG_PATTERN },
            },
        },
        Key {
            name: "first_comment",
            doc: "A comment `carousel publish` posts on the new post right after it, as you (authors put links \
                  there); up to 1,250 characters, sent as written.",
            required: false,
            shape: Shape::Text { max: limits::MAX_COMMENT_CHARS },
        },
    ],
    rule: Rule::None,
};

/// The keys of which a slide needs at least one: what it shows.
pub const SLIDE_CONTENT: &[&str] = &[
    "title", "subtitle", "body", "bullets", "code", "metrics", "image", "quote", "chart", "table", "compare", "steps",
];

/// One slide.
pub static SLIDE: Mapping = Mapping {
    what: "slide",
    doc: "One slide: a kind and at least one block. Every kind accepts every block; they are drawn in the order written, under the title.",
    keys: &[
        Key {
            name: "kind",
            doc:
                "The slide's layout: hook, problem, root cause, solution, results, learnings (the before/after story), \
                  cover, content, quote, cta. Any case; `-`, `_` and spaces are alike.",
            required: true,
            shape: Shape::Name(&KINDS),
        },
        Key {
            name: "label",
            doc:
                "The kicker above the title, in letter-spaced capitals; replaces the kind's default (THE PROBLEM ...).",
            required: false,
            shape: Shape::Text { max: limits::MAX_LABEL_CHARS },
        },
        Key {
            name: "title",
            doc: "Inline markup (**bold** is drawn in the accent); broken into balanced lines.",
            required: false,
            shape: Shape::Text { max: limits::MAX_TITLE_CHARS },
        },
        Key {
            name: "subtitle",
            doc: "Inline markup, muted.",
            required: false,
            shape: Shape::Text { max: limits::MAX_TITLE_CHARS },
        },
        Key {
            name: "icon",
            doc: "A Lucide icon drawn large with the title, in the accent: `database`, `shield`, `zap` ... \
                  (`carousel icons` lists them; https://lucide.dev/icons). Decorative: not in the alt text.",
            required: false,
            shape: Shape::Icon,
        },
        Key {
            name: "body",
            doc: "Paragraphs separated by a blank line. Inline markup: **bold**, *italic*, `code`, ==highlight==, \
                  and a backslash at the end of a line for a line break.",
            required: false,
            shape: Shape::Text { max: limits::MAX_TEXT_CHARS },
        },
        Key {
            name: "bullets",
            doc: "Up to 12 bullets: text, or {text, mark}.",
            required: false,
            shape: Shape::List {
                min: 0,
                max: limits::MAX_BULLETS,
                item: &Shape::AnyOf { of: &[Shape::Text { max: limits::MAX_TEXT_CHARS }, Shape::Map(&BULLET)] },
            },
        },
        Key {
            name: "code",
            doc: "A syntax-highlighted code block: {lang, source, caption}; up to 60 lines.",
            required: false,
            shape: Shape::Map(&CODE),
        },
        Key {
            name: "metrics",
            doc: "Up to 4 numbers: {label, before, after} drawn as two bars with the change called out, \
                  or {label, value} drawn as a big number.",
            required: false,
            shape: Shape::List { min: 0, max: limits::MAX_METRICS, item: &Shape::Map(&METRIC) },
        },
        Key {
            name: "image",
            doc: "A PNG, JPEG or SVG (relative to the deck): the path, or {path, alt, fit}.",
            required: false,
            shape: Shape::AnyOf { of: &[Shape::Text { max: MAX_PATH_CHARS }, Shape::Map(&IMAGE)] },
        },
        Key {
            name: "quote",
            doc: "A pull quote: the text, or {text, by}.",
            required: false,
            shape: Shape::AnyOf { of: &[Shape::Text { max: limits::MAX_TEXT_CHARS }, Shape::Map(&QUOTE)] },
        },
        Key {
            name: "chart",
            doc: "A chart drawn to scale, every value labelled: {type: bar | column | line, data: [{label, value}], \
                  unit, highlight, caption}; 2 to 12 points (line: 30).",
            required: false,
            shape: Shape::Map(&CHART),
        },
        Key {
            name: "table",
            doc:
                "A table: {columns: [...], rows: [[...], ...]}; up to 5 columns and 8 rows, cells with inline markup; \
                  columns of numbers are set flush right.",
            required: false,
            shape: Shape::Map(&TABLE),
        },
        Key {
            name: "compare",
            doc: "2 or 3 options side by side, each {title, body, bullets, pick}; `pick: true` marks the chosen one, \
                  drawn with the accent. Columns stack when they are too narrow for their words.",
            required: false,
            shape: Shape::List {
                min: blocks::compare::MIN_COLUMNS,
                max: blocks::compare::MAX_COLUMNS,
                item: &Shape::Map(&COLUMN),
            },
        },
        Key {
            name: "steps",
            doc: "A flow of 2 to 6 steps, drawn as boxes joined by arrows in order (down on portrait, across on \
                  landscape): text, or {text, note}.",
            required: false,
            shape: Shape::List {
                min: blocks::steps::MIN_STEPS,
                max: blocks::steps::MAX_STEPS,
                item: &Shape::AnyOf { of: &[Shape::Text { max: blocks::steps::MAX_STEP_CHARS }, Shape::Map(&STEP)] },
            },
        },
        Key {
            name: "background",
            doc: "A photo behind the whole slide, cropped to fill it, under a scrim in the theme's background \
                  colour that keeps every text at WCAG AA contrast: the path, or {image, dim}.",
            required: false,
            shape: Shape::AnyOf { of: &[Shape::Text { max: MAX_PATH_CHARS }, Shape::Map(&BACKGROUND)] },
        },
        Key {
            name: "notes",
            doc: "Not drawn: the slide's alt text (written to <stem>.txt) and speaker notes.",
            required: false,
            shape: Shape::Text { max: limits::MAX_NOTES_CHARS },
        },
    ],
    rule: Rule::AnyOf(SLIDE_CONTENT),
};

/// A bullet in its long form.
pub static BULLET: Mapping = Mapping {
    what: "a bullet",
    doc: "A bullet with a mark.",
    keys: &[
        Key {
            name: "text",
            doc: "The bullet, with inline markup.",
            required: true,
            shape: Shape::Text { max: limits::MAX_TEXT_CHARS },
        },
        Key {
            name: "mark",
            doc: "What hangs before it: dot (default), check, cross, warn, number, one emoji like \"🚀\", \
                  or a Lucide icon name like `database` (`carousel icons` lists them; the five names before win).",
            required: false,
            shape: Shape::AnyOf {
                of: &[
                    Shape::Name(&MARKS),
                    Shape::Matching { max: MAX_EMOJI_CHARS, pattern: EMOJI_PATTERN },
                    Shape::Icon,
                ],
            },
        },
    ],
    rule: Rule::None,
};

/// A code block.
pub static CODE: Mapping = Mapping {
    what: "`code`",
    doc: "A code block, drawn on a panel without ligatures.",
    keys: &[
        Key {
            name: "lang",
            doc:
                "The language, for highlighting (aliases like ts, py, sh work; any case); text (the default) for none.",
            required: false,
            shape: Shape::Name(&LANGUAGES),
        },
        Key {
            name: "source",
            doc: "The code, usually as a `|` block; up to 60 lines and 6,000 characters.",
            required: true,
            shape: Shape::Text { max: limits::MAX_CODE_CHARS },
        },
        Key {
            name: "caption",
            doc: "A line under the panel.",
            required: false,
            shape: Shape::Text { max: limits::MAX_TITLE_CHARS },
        },
    ],
    rule: Rule::None,
};

/// A metric.
pub static METRIC: Mapping = Mapping {
    what: "a metric",
    doc: "Either {label, value}, or {label, before, after} with optional change and better.",
    keys: &[
        Key {
            name: "label",
            doc: "What was measured.",
            required: true,
            shape: Shape::Text { max: limits::MAX_NAME_CHARS },
        },
        Key {
            name: "value",
            doc: "A big number over its label, as written (\"87%\").",
            required: false,
            shape: Shape::Text { max: limits::MAX_METRIC_CHARS },
        },
        Key {
            name: "before",
            doc: "A number with an optional unit: 4000ms, 4s, 1.5GB, 87%, $1,200. Times and sizes convert.",
            required: false,
            shape: Shape::Text { max: limits::MAX_METRIC_CHARS },
        },
        Key {
            name: "after",
            doc: "A number in the same kind of unit as `before`.",
            required: false,
            shape: Shape::Text { max: limits::MAX_METRIC_CHARS },
        },
        Key {
            name: "change",
            doc: "Your own words for the change, replacing the computed one (\"20x faster\").",
            required: false,
            shape: Shape::Text { max: limits::MAX_CHANGE_CHARS },
        },
        Key {
            name: "better",
            doc: "Which way is an improvement: lower or higher. Times and sizes know (lower); \
                  otherwise the change is drawn in the accent.",
            required: false,
            shape: Shape::Name(&DIRECTIONS),
        },
    ],
    rule: Rule::OneGroup(&[&["value"], &["before", "after"]]),
};

/// A slide's background photo in its long form.
pub static BACKGROUND: Mapping = Mapping {
    what: "`background`",
    doc: "A full-bleed photo behind the slide: PNG, JPEG or SVG; at most 20 MB and 40 megapixels.",
    keys: &[
        Key {
            name: "image",
            doc: "The file, relative to the deck.",
            required: true,
            shape: Shape::Text { max: MAX_PATH_CHARS },
        },
        Key {
            name: "dim",
            doc: "How strongly the scrim dims the photo, in percent: 0 (as much as contrast needs) to 95. \
                  The scrim is never lighter than the text's contrast needs.",
            required: false,
            shape: Shape::Int { min: 0, max: 95 },
        },
    ],
    rule: Rule::None,
};

/// An image in its long form.
pub static IMAGE: Mapping = Mapping {
    what: "`image`",
    doc: "A picture: PNG, JPEG or SVG; at most 20 MB and 40 megapixels.",
    keys: &[
        Key {
            name: "path",
            doc: "The file, relative to the deck.",
            required: true,
            shape: Shape::Text { max: MAX_PATH_CHARS },
        },
        Key { name: "alt", doc: "Alt text.", required: false, shape: Shape::Text { max: limits::MAX_TITLE_CHARS } },
        Key {
            name: "fit",
            doc: "contain (default): the whole image, letterboxed; cover: the box filled, the image cropped.",
            required: false,
            shape: Shape::Name(&FITS),
        },
    ],
    rule: Rule::None,
};

/// A quote in its long form.
pub static QUOTE: Mapping = Mapping {
    what: "`quote`",
    doc: "A pull quote.",
    keys: &[
        Key {
            name: "text",
            doc: "The words, with inline markup.",
            required: true,
            shape: Shape::Text { max: limits::MAX_TEXT_CHARS },
        },
        Key { name: "by", doc: "Who said them.", required: false, shape: Shape::Text { max: limits::MAX_BY_CHARS } },
    ],
    rule: Rule::None,
};

/// A chart.
pub static CHART: Mapping = Mapping {
    what: "`chart`",
    doc: "Numbers drawn to scale from zero, each value labelled on its mark; no legend, no grid.",
    keys: &[
        Key {
            name: "type",
            doc: "bar: horizontal bars, labels beside them; column: vertical columns, labels under them; \
                  line: points joined left to right (a tight axis, labelled, when the values sit far from zero).",
            required: true,
            shape: Shape::Name(&CHART_TYPES),
        },
        Key {
            name: "data",
            doc: "The points, in order: 2 to 12 (a line: 30), each {label, value}.",
            required: true,
            shape: Shape::List { min: 2, max: chart::MAX_LINE_POINTS, item: &Shape::Map(&CHART_POINT) },
        },
        Key {
            name: "unit",
            doc: "Shown with every value: a currency sign before it ($0.12), % right after it (87%), \
                  anything else after a space (45 ms). Values may carry it themselves (\"45ms\").",
            required: false,
            shape: Shape::Text { max: chart::number::MAX_UNIT_CHARS },
        },
        Key {
            name: "highlight",
            doc: "The label of the point drawn in the accent; the others are muted.",
            required: false,
            shape: Shape::Text { max: chart::MAX_LABEL_CHARS },
        },
        Key {
            name: "caption",
            doc: "A line under the chart saying what it measures; inline markup. The alt text names it too.",
            required: false,
            shape: Shape::Text { max: chart::MAX_CAPTION_CHARS },
        },
    ],
    rule: Rule::None,
};

/// One point of a chart.
pub static CHART_POINT: Mapping = Mapping {
    what: "a chart point",
    doc: "A labelled value.",
    keys: &[
        Key {
            name: "label",
            doc: "What the value is (Day 1, Authentication).",
            required: true,
            shape: Shape::Text { max: chart::MAX_LABEL_CHARS },
        },
        Key {
            name: "value",
            doc: "A number (0.12), or text with its unit (\"$0.12\", \"45ms\", \"1,200\", \"87%\"); \
                  one unit per chart.",
            required: true,
            shape: Shape::Matching { max: chart::MAX_VALUE_CHARS, pattern: NUMBER_PATTERN },
        },
    ],
    rule: Rule::None,
};

/// A table.
pub static TABLE: Mapping = Mapping {
    what: "`table`",
    doc: "A header row and up to 8 rows; hairline rules, numbers flush right, no stripes.",
    keys: &[
        Key {
            name: "columns",
            doc: "The header: 1 to 5 column names.",
            required: true,
            shape: Shape::List { min: 1, max: table::MAX_COLUMNS, item: &Shape::Text { max: table::MAX_HEADER_CHARS } },
        },
        Key {
            name: "rows",
            doc: "1 to 8 rows, each a list of as many cells as there are columns; cells take inline markup, \
                  \"\" is an empty cell.",
            required: true,
            shape: Shape::List {
                min: 1,
                max: table::MAX_ROWS,
                item: &Shape::List { min: 1, max: table::MAX_COLUMNS, item: &TABLE_CELL },
            },
        },
    ],
    rule: Rule::None,
};

/// A column of `compare`.
pub static COLUMN: Mapping = Mapping {
    what: "a compare column",
    doc: "One option of a comparison: its name, then a body and bullets.",
    keys: &[
        Key {
            name: "title",
            doc: "The option's name, with inline markup.",
            required: true,
            shape: Shape::Text { max: blocks::compare::MAX_COLUMN_TITLE_CHARS },
        },
        Key {
            name: "body",
            doc: "Paragraphs under the title; inline markup.",
            required: false,
            shape: Shape::Text { max: limits::MAX_TEXT_CHARS },
        },
        Key {
            name: "bullets",
            doc: "Up to 6 bullets: text, or {text, mark}.",
            required: false,
            shape: Shape::List {
                min: 0,
                max: blocks::compare::MAX_COLUMN_BULLETS,
                item: &Shape::AnyOf { of: &[Shape::Text { max: limits::MAX_TEXT_CHARS }, Shape::Map(&BULLET)] },
            },
        },
        Key {
            name: "pick",
            doc: "true on the option chosen (at most one): drawn with an accent border, a tint and a ✓ PICKED badge.",
            required: false,
            shape: Shape::Bool,
        },
    ],
    rule: Rule::None,
};

/// A step of `steps` in its long form.
pub static STEP: Mapping = Mapping {
    what: "a step",
    doc: "One step of a flow.",
    keys: &[
        Key {
            name: "text",
            doc: "What happens, with inline markup.",
            required: true,
            shape: Shape::Text { max: blocks::steps::MAX_STEP_CHARS },
        },
        Key {
            name: "note",
            doc: "A small muted line under the step: a duration, a tool.",
            required: false,
            shape: Shape::Text { max: blocks::steps::MAX_NOTE_CHARS },
        },
    ],
    rule: Rule::None,
};

/// A table cell: text, or nothing for an empty cell.
static TABLE_CELL: Shape = Shape::Text { max: table::MAX_CELL_CHARS };

/// A number as a chart's `value` takes it, when written as text: a sign, a currency sign, digits
/// with `,` or `_` between thousands and a decimal point, and a short unit.
pub const NUMBER_PATTERN: &str =
    r"^\s*[-+−]?\s*[$€£¥₹₩₽]?\s*[-+−]?\s*(?:[0-9][0-9,_]*(?:\.[0-9]*)?|\.[0-9]+)\s*[^\s0-9]{0,12}\s*$";

/// Every mapping, for tests that walk them all.
pub static ALL: &[&Mapping] = &[
    &DECK,
    &AUTHOR,
    &SIZE,
    &CAPTION,
    &SLIDE,
    &BACKGROUND,
    &BULLET,
    &CODE,
    &METRIC,
    &IMAGE,
    &QUOTE,
    &CHART,
    &CHART_POINT,
    &TABLE,
    &COLUMN,
    &STEP,
];
