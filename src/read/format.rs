//! The vocabulary of the deck format as data: a mapping, its keys, the shape of each value, the
//! names a value may take.
//!
//! Owns the types in which the format is written down once, so that two readers share it and
//! cannot drift apart: the [`super::reader::Reader`] consults a [`Mapping`] for the keys it allows
//! and the length limit of every text, and `carousel schema` turns the same tables into the
//! editors' JSON Schema. The tables themselves stay beside the code that reads them: each block's
//! in its file under `blocks/`, the deck's own in `deck/`.

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
    /// A name from the bundled icon set ([`crate::design::icons`]), exactly as Lucide spells it. The
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

/// No other spellings: the `aliases` of most [`Names`].
pub fn no_aliases() -> Vec<&'static str> {
    Vec::new()
}

impl Key {
    /// The character limit of the text under this key (see [`Shape::max_chars`]); 0 when it takes
    /// no text, which makes every value too long, so a slip shows in tests.
    pub fn max_chars(&self) -> usize {
        self.shape.max_chars().unwrap_or(0)
    }
}
