//! The deck's own part of the format as data: the top-level mapping, the author, the size, the
//! caption and the slide, whose keys are the heading's, each block's (declared in its file under
//! `blocks/`) and the slide's own `kind:` and `notes:`.
//!
//! [`super`] reads decks against these tables and `carousel schema` turns them into the editors'
//! JSON Schema, so the two cannot drift apart. The names a value may take stay beside the code
//! that reads them; a table only points at them.

use crate::blocks;
use crate::design::kind::Kind;
use crate::read::format::{no_aliases, Key, Mapping, Names, Rule, Shape};
use crate::read::limits;

/// Slide kinds.
pub static KINDS: Names = Names {
    names: || Kind::ALL.iter().map(|kind| kind.name()).collect(),
    aliases: no_aliases,
    loose_separators: true,
    blank_ok: false,
};

/// Built-in themes (a path to a theme file is the other choice).
pub static THEMES: Names = Names {
    names: || crate::design::theme::BUILT_IN.to_vec(),
    aliases: no_aliases,
    loose_separators: false,
    blank_ok: false,
};

/// Built-in looks.
pub static LOOKS: Names =
    Names { names: crate::design::look::names, aliases: no_aliases, loose_separators: false, blank_ok: false };

/// Named slide sizes.
pub static SIZES: Names =
    Names { names: || super::SIZE_NAMES.to_vec(), aliases: no_aliases, loose_separators: false, blank_ok: false };

/// The directions a deck may read in.
pub static DIRECTIONS: Names =
    Names { names: || vec!["auto", "rtl", "ltr"], aliases: no_aliases, loose_separators: false, blank_ok: false };

/// `#rgb` or `#rrggbb`, the `#` optional, as [`crate::design::theme::Color::parse`] reads it.
pub const COLOUR_PATTERN: &str = r"^\s*#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\s*$";

/// One word, after any leading `#`s.
pub const HASHTAG_PATTERN: &str = r"^\s*#*[^\s#]\S*\s*$";

/// `publish_at:`: an RFC 3339 date and time with an offset (what [`super::when`] reads).
pub const PUBLISH_AT_PATTERN: &str =
    r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?([Zz]|[+-][0-9]{2}:[0-9]{2})\s*$";

/// `language:`: a BCP 47 language tag (RFC 5646's well-formed `langtag`: a language of 2-3
/// letters, then an optional script, region, variants, extensions and private use), checked
/// again by [`super::language_tag`], which says what is wrong.
pub const LANGUAGE_PATTERN: &str = r"^\s*[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*(-[0-9A-WY-Za-wy-z](-[A-Za-z0-9]{2,8})+)*(-[Xx](-[A-Za-z0-9]{1,8})+)?\s*$";

/// A theme file, as the parser takes it: a name ending in `.yaml` or `.yml`.
pub const THEME_PATH_PATTERN: &str = r"\.[yY][aA]?[mM][lL]\s*$";

/// Longest path to a theme file or layouts folder, in characters.
const MAX_FOLDER_CHARS: usize = 400;

/// `author:`, in a deck or a brand kit.
pub const AUTHOR_KEY: Key = Key {
    name: "author",
    doc: "The person in every slide's footer: a name, or {name, handle, avatar}.",
    required: false,
    shape: Shape::AnyOf { of: &[Shape::Text { max: limits::MAX_NAME_CHARS }, Shape::Map(&AUTHOR)] },
};

/// `look:`, in a deck or a brand kit.
pub const LOOK_KEY: Key = Key {
    name: "look",
    doc: "The design: tech (dark, the default), bold, editorial, notebook or minimal; each is a set of \
              layouts with its own palette and title type. `carousel looks` lists them.",
    required: false,
    shape: Shape::Name(&LOOKS),
};

/// `theme:`, in a deck or a brand kit (a theme file is relative to the file that names it).
pub const THEME_KEY: Key = Key {
    name: "theme",
    doc: "Colours: a built-in theme (midnight: dark, tech's; paper: light; ember: warm dark; volt, linen, \
              notebook, snow: the looks'), or a path to a theme file (.yaml, relative to the file that names it). \
              Default: the look's.",
    required: false,
    shape: Shape::AnyOf {
        of: &[Shape::Name(&THEMES), Shape::Matching { max: MAX_FOLDER_CHARS, pattern: THEME_PATH_PATTERN }],
    },
};

/// `accent:`, in a deck or a brand kit.
pub const ACCENT_KEY: Key = Key {
    name: "accent",
    doc: "Replaces the theme's accent colour: \"#rgb\" or \"#rrggbb\", quoted (a bare # starts a YAML comment).",
    required: false,
    shape: Shape::Matching { max: 40, pattern: COLOUR_PATTERN },
};

/// `size:`, in a deck or a brand kit.
pub const SIZE_KEY: Key = Key {
    name: "size",
    doc: "Slide size: portrait 1080x1350 (default), square 1080x1080, landscape 1920x1080, \
              or {width, height} in px.",
    required: false,
    shape: Shape::AnyOf { of: &[Shape::Name(&SIZES), Shape::Map(&SIZE)] },
};

/// `layouts:`, in a deck or a brand kit.
pub const LAYOUTS_KEY: Key = Key {
        name: "layouts",
        doc: "A folder (relative to the file that names it) of SVG layouts named after kinds (hook.svg ...) that override the built-in ones.",
        required: false,
        shape: Shape::Text { max: MAX_FOLDER_CHARS },
    };

/// `fonts:`, in a deck or a brand kit.
pub const FONTS_KEY: Key = Key {
        name: "fonts",
        doc: "The author's own fonts: a font file or folder (TTF, OTF, TTC; relative to the file that names it), a list of them, \
              or {files, title, body, code} naming the families to use.",
        required: false,
        shape: Shape::AnyOf { of: &[
            Shape::Text { max: limits::MAX_PATH_CHARS },
            Shape::List { min: 1, max: super::fonts::MAX_FONT_FILES, item: &Shape::Text { max: limits::MAX_PATH_CHARS } },
            Shape::Map(&super::fonts::FONTS),
        ] },
    };

/// `brand:`: the kit a team shares, read before the deck's own keys.
pub const BRAND_KEY: Key = Key {
    name: "brand",
    doc: "A brand kit file (.yaml, relative to the deck) that a team shares across decks: look, theme, accent, \
          fonts, author, logo, footer, size and layouts. The deck's own keys override the kit's, key by key.",
    required: false,
    shape: Shape::Matching { max: MAX_FOLDER_CHARS, pattern: THEME_PATH_PATTERN },
};

/// `logo:`, in a deck or a brand kit.
pub const LOGO_KEY: Key = Key {
    name: "logo",
    doc: "A logo, SVG or PNG (JPEG, WebP, GIF too; relative to the file that names it), drawn on every slide \
          where the look's layout has a logo slot (a corner, or on the notebook's tape); or {path, on_dark} \
          with a version for dark and accent grounds.",
    required: false,
    shape: Shape::AnyOf { of: &[Shape::Text { max: limits::MAX_PATH_CHARS }, Shape::Map(&LOGO)] },
};

/// `logo:` in its long form.
pub static LOGO: Mapping = Mapping {
    what: "`logo`",
    doc: "A logo and its version for dark grounds.",
    keys: &[
        Key {
            name: "path",
            doc: "The logo, drawn on light grounds (and on every ground without `on_dark`).",
            required: true,
            shape: Shape::Text { max: limits::MAX_PATH_CHARS },
        },
        Key {
            name: "on_dark",
            doc: "The logo drawn where the slide's ground is dark: a dark theme, or a look's accent-coloured hook \
                  and cta (a white or light version).",
            required: false,
            shape: Shape::Text { max: limits::MAX_PATH_CHARS },
        },
    ],
    rule: Rule::None,
};

/// `footer:`, in a deck or a brand kit.
pub const FOOTER_KEY: Key = Key {
    name: "footer",
    doc: "A short line in every slide's footer, after the author's handle (a site, a team, a series name).",
    required: false,
    shape: Shape::Text { max: limits::MAX_FOOTER_CHARS },
};

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
        AUTHOR_KEY,
        BRAND_KEY,
        LOOK_KEY,
        THEME_KEY,
        ACCENT_KEY,
        SIZE_KEY,
        LAYOUTS_KEY,
        LOGO_KEY,
        FOOTER_KEY,
        Key {
            name: "language",
            doc: "The language the slides are written in, as a BCP 47 tag (en, en-GB, de, pt-BR, zh-Hant): \
                  the PDF's language, which screen readers use to pick a voice, and the language of the words \
                  a slide writes itself (kickers, Swipe, Before/After). Default: the language of the script \
                  the deck is mostly written in (ar, he, hi, th, ja, ko, zh), else en.",
            required: false,
            shape: Shape::Matching { max: 35, pattern: LANGUAGE_PATTERN },
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
            name: "direction",
            doc: "Which way the deck reads: auto (the default: right to left when most of its letters are Arabic or \
                  Hebrew), rtl or ltr.",
            required: false,
            shape: Shape::Name(&DIRECTIONS),
        },
        FONTS_KEY,
        Key {
            name: "slides",
            doc: "The slides, in order: 1 to 300.",
            required: true,
            shape: Shape::List { min: 1, max: limits::MAX_SLIDES, item: &Shape::Map(&SLIDE) },
        },
    ],
    rule: Rule::None,
};

/// A brand kit file (`brand: team.yaml`): what a team shares across its decks.
pub static BRAND: Mapping = Mapping {
    what: "a brand kit",
    doc: "A brand kit: the keys a team shares across decks. Paths in it are relative to the kit's file.",
    keys: &[LOOK_KEY, THEME_KEY, ACCENT_KEY, FONTS_KEY, AUTHOR_KEY, LOGO_KEY, FOOTER_KEY, SIZE_KEY, LAYOUTS_KEY],
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
            doc: "A PNG, JPEG, WebP, GIF or SVG (relative to the deck), drawn round; without one, the initials on an accent disc.",
            required: false,
            shape: Shape::Text { max: limits::MAX_PATH_CHARS },
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

/// The `kind:` key of a slide.
pub const KIND_KEY: Key = Key {
    name: "kind",
    doc: "The slide's layout: hook, problem, root cause, solution, results, learnings (the before/after story), \
          cover, content, quote, cta. Any case; `-`, `_` and spaces are alike.",
    required: true,
    shape: Shape::Name(&KINDS),
};

/// The `notes:` key of a slide.
pub const NOTES_KEY: Key = Key {
    name: "notes",
    doc: "Not drawn: the slide's alt text (written to <stem>.txt) and speaker notes.",
    required: false,
    shape: Shape::Text { max: limits::MAX_NOTES_CHARS },
};

/// One slide.
pub static SLIDE: Mapping = Mapping {
    what: "slide",
    doc: "One slide: a kind and at least one block. Every kind accepts every block; they are drawn in the order written, under the title.",
    keys: &[
        KIND_KEY,
        blocks::heading::LABEL_KEY,
        blocks::heading::TITLE_KEY,
        blocks::heading::SUBTITLE_KEY,
        blocks::icon::SLIDE_KEY,
        blocks::body::SLIDE_KEY,
        blocks::bullets::SLIDE_KEY,
        blocks::code::SLIDE_KEY,
        blocks::metrics::SLIDE_KEY,
        blocks::image::SLIDE_KEY,
        blocks::quote::SLIDE_KEY,
        blocks::chart::SLIDE_KEY,
        blocks::table::SLIDE_KEY,
        blocks::compare::SLIDE_KEY,
        blocks::steps::SLIDE_KEY,
        blocks::profile::SLIDE_KEY,
        blocks::background::SLIDE_KEY,
        NOTES_KEY,
    ],
    rule: Rule::AnyOf(SLIDE_CONTENT),
};

/// Every mapping of a deck, for tests that walk them all (a brand kit's [`BRAND`] is a file of
/// its own, whose keys are the deck's).
pub static ALL: &[&Mapping] = &[
    &DECK,
    &LOGO,
    &AUTHOR,
    &SIZE,
    &CAPTION,
    &super::fonts::FONTS,
    &SLIDE,
    &blocks::background::BACKGROUND,
    &blocks::bullets::BULLET,
    &blocks::code::CODE,
    &blocks::metrics::METRIC,
    &blocks::image::IMAGE,
    &blocks::quote::QUOTE,
    &blocks::chart::CHART,
    &blocks::chart::CHART_POINT,
    &blocks::table::TABLE,
    &blocks::compare::COLUMN,
    &blocks::steps::STEP,
];
