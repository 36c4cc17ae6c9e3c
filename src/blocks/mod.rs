//! Blocks: what a slide shows, one file per block, as usvg has one file per SVG element.
//!
//! Each block file owns everything about its block: the typed data the deck stage hands on, the
//! parsing and validation of its YAML value (with a diagnostic at the value at fault), and its
//! measuring and placing: it builds a [`Block`] at the origin from the slide's shared [`Ctx`],
//! the fitting step's [`Sizes`] and the [`Typesetter`]. The layout stage ([`crate::layout`])
//! stacks the blocks, fits them into the slot and draws the footer; it knows no block by name.
//! This module holds the pieces the blocks share (the result [`Block`], [`Ctx`], [`Sizes`], the
//! text helpers), the enum [`Content`] of every block a slide may hold, and the dispatch: parse
//! by key ([`Content::parse`]), lay out by variant ([`Content::layout`]).
//!
//! The heading (icon, kicker, title, subtitle, in [`heading`] and [`icon`]) is not a [`Content`]:
//! it always sits on top, above the blocks, which follow in the order the author wrote them.
//!
//! # Adding a block
//!
//! 1. A new file `src/blocks/NAME.rs` with the block's data struct and an `impl Element for
//!    Name`: `KEY` (its key on a slide), `parse(reader, node) -> Option<Self>` (report every
//!    mistake with `reader.error(...)`; `None` when the value is wrong or empty), `layout(&self,
//!    ctx, sizes, ts) -> Block` (items at the origin, `width` and `height`; scale every length by
//!    `ctx.s` and the type by `sizes`, and keep a floor so the fitting step can shrink it) and
//!    `words(&self, out)` (its text for the alt text). Add `pub mod NAME;` below.
//! 2. One variant in [`Content`], and one arm in each `match` of its `impl` (the compiler
//!    lists them): `KEY` in [`Content::parse`], and `key`, `layout`, `words`, `role` (override
//!    [`Element::role`] when the block is running text or needs a wide slide's whole width).
//! 3. Its key in its own file: a `SLIDE_KEY` ([`crate::read::format::Key`]) and, for its long
//!    form, a [`crate::read::format::Mapping`]; then list the key in `SLIDE` in
//!    `src/deck/format.rs`, the mapping in `ALL` there, and its name in `SLIDE_CONTENT`. The
//!    parser accepts only keys listed there, and `carousel schema` reads the same table; then
//!    regenerate `docs/deck.schema.json` with `cargo run -- schema > docs/deck.schema.json`.
//! 4. Docs: `docs/deck-format.md` (the key, its forms, its limits, an example) and a slide in a
//!    reference deck under `tests/reference` (bless it and look at it).

pub mod background;
pub mod body;
pub mod bullets;
pub mod chart;
pub mod code;
pub mod compare;
pub mod heading;
pub mod icon;
pub mod image;
pub mod metrics;
pub mod profile;
pub mod quote;
pub mod steps;
pub mod table;

use crate::design::kind::Kind;
use crate::design::template::HAlign;
use crate::design::theme::{Color, Theme};
use crate::geom::Rect;
use crate::read::reader::Reader;
use crate::read::yaml::{Node, Pos};
use crate::scene::Item;
use crate::text::markup::{self, Span};
use crate::text::{Align, Family, TextBlock, TextStyle, Typesetter};

pub use body::Body;
pub use bullets::{Bullet, Bullets, Mark};
pub use chart::Chart;
pub use code::Code;
pub use compare::Compare;
pub use heading::Heading;
pub use image::Image;
pub use metrics::{Metric, MetricValue, Metrics};
pub use profile::Profile;
pub use quote::Quote;
pub use steps::Steps;
pub use table::Table;

/// What one block implements: its key, its parsing and its layout.
pub trait Element: Sized {
    /// Its key on a slide (`bullets:`), as listed in `deck::format::SLIDE`.
    const KEY: &'static str;

    /// Reads the block from its value. Every mistake is reported through `reader` at the value at
    /// fault; `None` when the value is wrong or empty (an empty block is simply not drawn).
    fn parse(reader: &mut Reader, node: &Node) -> Option<Self>;

    /// Lays the block out at the origin, `ctx.width` wide at most.
    fn layout(&self, ctx: &Ctx, sizes: &Sizes, ts: &mut Typesetter) -> Block;

    /// Adds the block's words to the slide's alt text, one sentence or phrase per entry.
    fn words(&self, out: &mut Vec<String>);

    /// How the block takes part in a wide slide's columns, when laid out at `column` (the
    /// right-hand column's context). A figure unless the block says otherwise.
    fn role(&self, _column: &Ctx) -> Role {
        Role::Figure
    }
}

/// How a block takes part in a wide slide, where the heading may sit in a column of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Running text: it joins the heading's column when a figure takes the other one.
    Prose,
    /// A figure with words of its own (code, numbers, a table): it takes the column beside the
    /// heading, and the prose joins the heading.
    Figure,
    /// A figure without words (a picture): it takes the column beside the heading, and the
    /// prose stays with it as its caption.
    Picture,
    /// Needs the whole width (a grid of cards, options side by side, a flow across): the
    /// heading stays on top and the block runs across the slide.
    Spread,
}

/// One block of a slide, in the order the author wrote them.
#[derive(Debug, Clone)]
pub enum Content {
    /// Paragraphs.
    Body(Body),
    /// A list with marks.
    Bullets(Bullets),
    /// A highlighted code panel.
    Code(Code),
    /// Numbers: big values or before/after bars.
    Metrics(Metrics),
    /// A picture.
    Image(Image),
    /// A pull quote.
    Quote(Quote),
    /// Numbers drawn to scale: bars, columns or a line.
    Chart(Chart),
    /// Rows and columns.
    Table(Table),
    /// Options side by side, one picked.
    Compare(Compare),
    /// A flow of boxes joined by arrows.
    Steps(Steps),
    /// The author, large: a byline or a call to follow.
    Profile(Profile),
}

impl Content {
    /// Reads the block under `key`; `None` when the value is wrong (reported through `reader`) or
    /// empty, or when `key` names no block.
    pub fn parse(key: &str, reader: &mut Reader, node: &Node) -> Option<Content> {
        match key {
            Body::KEY => Body::parse(reader, node).map(Content::Body),
            Bullets::KEY => Bullets::parse(reader, node).map(Content::Bullets),
            Code::KEY => Code::parse(reader, node).map(Content::Code),
            Metrics::KEY => Metrics::parse(reader, node).map(Content::Metrics),
            Image::KEY => Image::parse(reader, node).map(Content::Image),
            Quote::KEY => Quote::parse(reader, node).map(Content::Quote),
            Chart::KEY => Chart::parse(reader, node).map(Content::Chart),
            Table::KEY => Table::parse(reader, node).map(Content::Table),
            Compare::KEY => Compare::parse(reader, node).map(Content::Compare),
            Steps::KEY => Steps::parse(reader, node).map(Content::Steps),
            Profile::KEY => Profile::parse(reader, node).map(Content::Profile),
            _ => None,
        }
    }

    /// The block's key on a slide.
    pub fn key(&self) -> &'static str {
        match self {
            Content::Body(_) => Body::KEY,
            Content::Bullets(_) => Bullets::KEY,
            Content::Code(_) => Code::KEY,
            Content::Metrics(_) => Metrics::KEY,
            Content::Image(_) => Image::KEY,
            Content::Quote(_) => Quote::KEY,
            Content::Chart(_) => Chart::KEY,
            Content::Table(_) => Table::KEY,
            Content::Compare(_) => Compare::KEY,
            Content::Steps(_) => Steps::KEY,
            Content::Profile(_) => Profile::KEY,
        }
    }

    /// How many of what the block is made of (code lines, table rows, bullets, steps, metrics,
    /// chart points), for a "does not fit" message that says how many would.
    pub fn parts(&self) -> Option<(usize, &'static str)> {
        match self {
            Content::Code(code) => Some((code.source.value.lines().count(), "lines")),
            Content::Table(table) => Some((table.rows.len(), "rows")),
            Content::Bullets(bullets) => Some((bullets.items.len(), "bullets")),
            Content::Steps(steps) => Some((steps.items.len(), "steps")),
            Content::Metrics(metrics) => Some((metrics.items.len(), "metrics")),
            Content::Chart(chart) => Some((chart.points.len(), "points")),
            _ => None,
        }
    }

    /// Lays the block out at the origin.
    pub fn layout(&self, ctx: &Ctx, sizes: &Sizes, ts: &mut Typesetter) -> Block {
        match self {
            Content::Body(block) => block.layout(ctx, sizes, ts),
            Content::Bullets(block) => block.layout(ctx, sizes, ts),
            Content::Code(block) => block.layout(ctx, sizes, ts),
            Content::Metrics(block) => block.layout(ctx, sizes, ts),
            Content::Image(block) => block.layout(ctx, sizes, ts),
            Content::Quote(block) => block.layout(ctx, sizes, ts),
            Content::Chart(block) => block.layout(ctx, sizes, ts),
            Content::Table(block) => block.layout(ctx, sizes, ts),
            Content::Compare(block) => block.layout(ctx, sizes, ts),
            Content::Steps(block) => block.layout(ctx, sizes, ts),
            Content::Profile(block) => block.layout(ctx, sizes, ts),
        }
    }

    /// How the block takes part in a wide slide's columns (see [`Element::role`]).
    pub fn role(&self, column: &Ctx) -> Role {
        match self {
            Content::Body(block) => block.role(column),
            Content::Bullets(block) => block.role(column),
            Content::Code(block) => block.role(column),
            Content::Metrics(block) => block.role(column),
            Content::Image(block) => block.role(column),
            Content::Quote(block) => block.role(column),
            Content::Chart(block) => block.role(column),
            Content::Table(block) => block.role(column),
            Content::Compare(block) => block.role(column),
            Content::Steps(block) => block.role(column),
            Content::Profile(block) => block.role(column),
        }
    }

    /// Adds the block's words to the slide's alt text.
    pub fn words(&self, out: &mut Vec<String>) {
        match self {
            Content::Body(block) => block.words(out),
            Content::Bullets(block) => block.words(out),
            Content::Code(block) => block.words(out),
            Content::Metrics(block) => block.words(out),
            Content::Image(block) => block.words(out),
            Content::Quote(block) => block.words(out),
            Content::Chart(block) => block.words(out),
            Content::Table(block) => block.words(out),
            Content::Compare(block) => block.words(out),
            Content::Steps(block) => block.words(out),
            Content::Profile(block) => block.words(out),
        }
    }
}

/// Shared inputs of every block on a slide.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    /// The deck's colours.
    pub theme: &'a Theme,
    /// The type scale on this slide size ([`crate::design::template::Template::text_scale`]): multiply
    /// every designed length of type, gaps and paddings by it.
    pub s: f32,
    /// The scale of the smallest sizes (floors; [`crate::design::template::Template::scale`]): on a wide
    /// slide type grows more than the slide's height, so the floors follow the geometry and dense
    /// content still fits.
    pub fs: f32,
    /// The measure: the widest a block may be.
    pub width: f32,
    /// The kind's alignment.
    pub align: HAlign,
    /// The content slot's height, for blocks sized by the slide (images).
    pub slot_height: f32,
    /// The slide's kind, for blocks drawn differently on one kind (a quote on a quote slide).
    pub kind: Kind,
    /// Whether blocks may set their parts side by side (before/after pairs in columns, steps
    /// left to right): on wide and square slides, not on portrait, the phone's one-column shape.
    pub columns: bool,
    /// The words the slide writes itself ("Before", "✓ PICKED", "20x faster" ...), in the deck's
    /// language.
    pub words: &'static crate::design::words::Words,
}

impl Ctx<'_> {
    /// The text alignment that matches the kind's alignment.
    pub fn text_align(&self) -> Align {
        match self.align {
            HAlign::Start => Align::Start,
            HAlign::Center => Align::Center,
        }
    }
}

#[cfg(test)]
impl<'a> Ctx<'a> {
    /// A portrait content slot at the reference size (an 888 px measure, unscaled), for tests.
    pub fn reference(theme: &'a Theme) -> Ctx<'a> {
        Ctx {
            theme,
            s: 1.0,
            fs: 1.0,
            width: 888.0,
            align: HAlign::Start,
            slot_height: 1000.0,
            kind: Kind::Content,
            columns: false,
            words: crate::design::words::Words::for_language("en"),
        }
    }
}

#[cfg(test)]
impl Sizes {
    /// The reference sizes of a content slide, unshrunk, for tests.
    pub fn reference() -> Sizes {
        Sizes { title: 72.0, body: 38.0, gap: 44.0, f: 1.0, spacing: 1.0 }
    }
}

/// Type sizes at one fitting step.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    /// The title's size, px.
    pub title: f32,
    /// The body text's size, px; other text is set relative to it.
    pub body: f32,
    /// The space between two blocks, px.
    pub gap: f32,
    /// The step's factor, for sizes that are not set by the template (1.0 as designed).
    pub f: f32,
    /// How much wider than designed the space between a block's items is (1.0 as designed): a
    /// sparse slide whose type is as large as it grows opens its lists and paragraphs up, in
    /// proportion with the gaps between its blocks, rather than leaving the room empty.
    pub spacing: f32,
}

/// A block laid out at the origin: its items, its size and the space above it.
#[derive(Debug, Clone)]
pub struct Block {
    /// Its key, for the "does not fit" diagnostic.
    pub name: &'static str,
    /// Where it was written.
    pub pos: Pos,
    /// Its drawing, with (0, 0) at its top left.
    pub items: Vec<Item>,
    /// Its width; centred layouts centre it by this.
    pub width: f32,
    /// Its height.
    pub height: f32,
    /// The space above it; set by the layout stage.
    pub gap_before: f32,
}

/// A text style from the theme with the usual defaults (regular weight, 1.4 line height).
pub fn style(theme: &Theme, family: Family, size: f32, color: Color) -> TextStyle {
    TextStyle {
        family,
        size,
        weight: 400,
        line_height: 1.4,
        letter_spacing: 0.0,
        color,
        accent: theme.accent,
        code: theme.code.string,
    }
}

/// Keeps a number with the word after it ("4 seconds", "2 days"): a line that ends in a bare
/// number and starts with its unit reads badly.
pub fn bind_numbers(spans: &mut [Span]) {
    let mut previous_was_digit = false;
    for span in spans.iter_mut() {
        if span.emphasis.code {
            previous_was_digit = false;
            continue;
        }
        let mut bound = String::with_capacity(span.text.len());
        for c in span.text.chars() {
            if c == ' ' && previous_was_digit {
                bound.push('\u{a0}');
            } else {
                if previous_was_digit && crate::text::is_cjk(c) {
                    // `4秒`, `101回`: a number keeps its counter (a word joiner; never drawn).
                    bound.push('\u{2060}');
                }
                bound.push(c);
            }
            previous_was_digit = c.is_ascii_digit();
        }
        span.text = bound;
    }
}

/// Inline markup of one text field, paragraphs joined with hard breaks.
pub fn inline(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    for (index, paragraph) in markup::parse(text).into_iter().enumerate() {
        if index > 0 {
            spans.push(Span { text: "\n".into(), emphasis: Default::default() });
        }
        spans.extend(paragraph);
    }
    bind_numbers(&mut spans);
    spans
}

/// A block holding one set text.
pub fn text_block(name: &'static str, pos: Pos, text: TextBlock, gap_before: f32) -> Block {
    let mut items = Vec::new();
    push_text(&mut items, &text, 0.0, 0.0, None);
    Block { name, pos, width: text.width, height: text.height, items, gap_before }
}

/// Adds a text block's segments at (`dx`, `dy`), with chips behind inline code.
pub fn push_text(items: &mut Vec<Item>, text: &TextBlock, dx: f32, dy: f32, chip: Option<Color>) {
    for line in &text.lines {
        for segment in &line.segments {
            if segment.chip {
                let pad = segment.size * 0.16;
                items.push(Item::Rect {
                    rect: Rect {
                        x: segment.x + dx - pad,
                        y: line.top + dy + line.height * 0.12,
                        width: segment.advance + 2.0 * pad,
                        height: line.height * 0.76,
                    },
                    radius: segment.size * 0.25,
                    fill: chip.unwrap_or(segment.color),
                    opacity: if chip.is_some() { 1.0 } else { 0.14 },
                });
            }
        }
    }
    for line in &text.lines {
        for segment in &line.segments {
            let mut segment = segment.clone();
            segment.x += dx;
            segment.y += dy;
            items.push(Item::Text(segment));
        }
    }
}

/// Adds a one-line text's runs moved right by `x`, on the baseline `baseline`.
pub fn place_line(items: &mut Vec<Item>, text: &TextBlock, x: f32, baseline: f32) {
    for segment in text.lines.iter().take(1).flat_map(|l| &l.segments) {
        let mut segment = segment.clone();
        segment.x += x;
        segment.y = baseline;
        items.push(Item::Text(segment));
    }
}

/// Path data from absolute commands, in the token form [`Item::translate`] expects.
pub fn path(commands: &[(char, f32, f32)]) -> String {
    let mut d = Vec::new();
    for (command, x, y) in commands {
        d.push(command.to_string());
        if *command != 'Z' {
            d.push(crate::geom::num(*x));
            d.push(crate::geom::num(*y));
        }
    }
    d.join(" ")
}

/// Text on `fill`: the theme's background or text colour, whichever reads better.
pub fn ink_on(theme: &Theme, fill: Color) -> Color {
    if fill.contrast(theme.background) >= fill.contrast(theme.text) {
        theme.background
    } else {
        theme.text
    }
}

/// Sets text with inline markup but no paragraphs, flush left.
pub fn set_plain(ts: &mut Typesetter, text: &str, style: &TextStyle, width: f32) -> TextBlock {
    ts.set(&markup::parse_inline(text), style, width, Align::Start)
}
