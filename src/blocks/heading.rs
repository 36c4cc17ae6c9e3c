//! The heading: the slide `icon`, the kicker (`label`), the `title` and the `subtitle`, always on
//! top of a slide.
//!
//! Not a [`super::Content`]: it has four keys of the slide itself, is always drawn first, and
//! the kind's layout gives it defaults (the kicker's text, the title's size and floor). The icon
//! heads it as a tile (drawn by [`super::icon`]), aligned as the title is.

use crate::design::icons::Icon;
use crate::design::template::HAlign;
use crate::read::reader::{Fields, Located, Reader};
use crate::read::yaml::Pos;
use crate::text::markup::{self, Span};
use crate::text::{Family, TextBlock, TextStyle, Typesetter};

use super::{icon, inline, style, text_block, Block, Ctx, Sizes};
use crate::read::format::{Key, Shape};
use crate::read::limits;

/// The heading of a slide.
#[derive(Debug, Clone, Default)]
pub struct Heading {
    /// An icon drawn large above the kicker and title; decorative, so not in the alt text.
    pub icon: Option<Located<Icon>>,
    /// Kicker; `None` means the kind's default.
    pub label: Option<Located<String>>,
    /// Title, with inline markup.
    pub title: Option<Located<String>>,
    /// Subtitle, with inline markup.
    pub subtitle: Option<Located<String>>,
}

/// What the kind's layout decides about the heading.
#[derive(Debug, Clone, Copy)]
pub struct Defaults<'a> {
    /// The kicker when the slide has no `label`.
    pub label: &'a str,
    /// The smallest the title may be set, px on this slide.
    pub title_floor: f32,
    /// Where the slide starts, for a kicker that comes from the layout.
    pub slide_pos: Pos,
}

impl Heading {
    /// Reads `icon`, `label`, `title` and `subtitle` from a slide's keys.
    pub fn parse(reader: &mut Reader, fields: &Fields) -> Heading {
        Heading {
            icon: fields.present(icon::KEY).and_then(|node| icon::parse(reader, node)),
            label: reader.optional_text(fields, "label", "`label`", LABEL_KEY.max_chars()),
            title: reader.optional_text(fields, "title", "`title`", TITLE_KEY.max_chars()),
            subtitle: reader.optional_text(fields, "subtitle", "`subtitle`", SUBTITLE_KEY.max_chars()),
        }
    }

    /// Lays out the icon's tile, the kicker, the title and the subtitle (those present), top to
    /// bottom.
    pub fn layout(&self, ctx: &Ctx, sizes: &Sizes, defaults: Defaults, ts: &mut Typesetter) -> Vec<Block> {
        let s = ctx.s;
        let theme = ctx.theme;
        let mut blocks = Vec::new();
        // On a content slide the icon leads the kicker's row, so the title keeps the deck's
        // line; an opening or closing slide (centred, with room) shows it large on its tile.
        let inline_icon = self.icon.as_ref().filter(|_| icon::inline_in_kicker(ctx));
        if let Some(icon) = self.icon.as_ref().filter(|_| inline_icon.is_none()) {
            blocks.push(icon::tile(ctx, sizes, icon));
        }
        // Under the tile, the kicker or the title keeps a little more room than a kicker gives
        // a title: the tile is a picture, and text set tight under it reads as its caption.
        let after_tile = |blocks: &[Block], usual: f32| match blocks.last() {
            Some(block) if block.name == icon::KEY => icon::gap(ctx, sizes),
            _ => usual,
        };
        let label = match &self.label {
            Some(label) => label.value.clone(),
            None => defaults.label.to_string(),
        };
        // A kicker that only repeats the title ("THE PROBLEM" over "The Problem") is noise.
        let repeats_title =
            self.title.as_ref().is_some_and(|t| markup::plain_text(&t.value).trim().eq_ignore_ascii_case(label.trim()));
        let shows_label = !label.trim().is_empty() && !repeats_title;
        if shows_label || inline_icon.is_some() {
            let style = TextStyle {
                letter_spacing: 0.14,
                weight: 700,
                line_height: 1.2,
                ..style(theme, Family::Sans, 28.0 * s, theme.accent)
            };
            let pos = self.label.as_ref().map(|l| l.pos).unwrap_or(defaults.slide_pos);
            let indent = inline_icon.map_or(0.0, |_| icon::inline_advance(style.size));
            let text = if shows_label {
                let spans = vec![Span { text: label.to_uppercase(), emphasis: Default::default() }];
                let room = (ctx.width - indent).max(1.0);
                // A kicker is a label: one line, set up to a fifth smaller to stay one, since a
                // second line would push the title off the deck's line.
                let natural = ts.measure(&spans, &style);
                let style = if natural > room {
                    TextStyle { size: (style.size * room / natural * 0.98).max(style.size * 0.8), ..style }
                } else {
                    style
                };
                ts.set(&spans, &style, room, ctx.text_align())
            } else {
                TextBlock::default()
            };
            let mut block = text_block("label", pos, text, after_tile(&blocks, 0.0));
            if let Some(icon) = inline_icon {
                icon::lead(&mut block, icon, style.size, style.size * style.line_height, theme.accent);
            }
            blocks.push(block);
        }
        if let Some(title) = &self.title {
            let style = title_style(ctx, sizes.title);
            let spans = title_spans(&title.value);
            let floor = defaults.title_floor;
            // A narrow measure (the heading column beside the blocks on a wide slide) must not
            // break a word: the title is set smaller, down to its floor, until its longest word fits.
            let widest = self.widest_title_word(ctx, style.size, ts);
            let style = if widest > ctx.width {
                TextStyle { size: (style.size * ctx.width / widest * 0.98).max(floor), ..style }
            } else {
                style
            };
            // A lone word on a title's last line reads as an accident: set the title a little
            // smaller (at most 18%, never below its floor) when that lets the words pair up.
            let mut text = ts.set_balanced(&spans, &style, ctx.width, ctx.text_align());
            for factor in [0.94, 0.88, 0.82] {
                if !ends_with_lone_word(&text) || style.size * factor < floor {
                    break;
                }
                let smaller = TextStyle { size: style.size * factor, ..style };
                let candidate = ts.set_balanced(&spans, &smaller, ctx.width, ctx.text_align());
                if !ends_with_lone_word(&candidate) {
                    text = candidate;
                    break;
                }
            }
            let gap = after_tile(&blocks, 28.0 * s);
            blocks.push(text_block("title", title.pos, text, gap));
        }
        if let Some(subtitle) = &self.subtitle {
            let size = (sizes.body * 1.15).max(sizes.body);
            let style = TextStyle { line_height: 1.3, ..style(theme, Family::Sans, size, theme.muted) };
            let text = ts.set_balanced(&inline(&subtitle.value), &style, ctx.width, ctx.text_align());
            blocks.push(text_block("subtitle", subtitle.pos, text, 24.0 * s * sizes.f.max(0.7)));
        }
        // Centred text is already centred within the measure by the typesetter; the tile keeps
        // its own width, so the stacking centres it over the title.
        if ctx.align == HAlign::Center {
            for block in blocks.iter_mut().filter(|block| block.name != icon::KEY) {
                block.width = ctx.width;
            }
        }
        blocks
    }

    /// The width of the title's longest word set at `size`: a column narrower than this at the
    /// title's floor would break a word.
    pub fn widest_title_word(&self, ctx: &Ctx, size: f32, ts: &mut Typesetter) -> f32 {
        let Some(title) = &self.title else { return 0.0 };
        let style = title_style(ctx, size);
        // The units a line may not break: words, and a number bound to the word after it.
        let text: String = title_spans(&title.value).into_iter().map(|span| span.text).collect();
        text.split(|c: char| c.is_whitespace() && c != '\u{a0}')
            .filter(|word| !word.is_empty())
            .map(|word| ts.word_width(word, &style))
            .fold(0.0, f32::max)
    }

    /// Adds the heading's words to the slide's alt text (the icon is decorative: it has none).
    pub fn words(&self, out: &mut Vec<String>) {
        for text in [&self.label, &self.title, &self.subtitle].into_iter().flatten() {
            out.push(markup::plain_text(&text.value));
        }
    }

    /// Whether the slide has a title or a subtitle (a kicker or an icon alone says nothing).
    pub fn shows_something(&self) -> bool {
        self.title.is_some() || self.subtitle.is_some()
    }
}

/// The title's type at `size`: heavy, tight, slightly narrowed, in the title family; a look
/// (or a theme file) may give another weight and tracking.
fn title_style(ctx: &Ctx, size: f32) -> TextStyle {
    let fonts = ctx.theme.fonts;
    TextStyle {
        weight: fonts.title_weight.unwrap_or(800),
        line_height: 1.08,
        letter_spacing: fonts.title_tracking.map_or(-0.02, |t| t as f32 / 1000.0),
        ..style(ctx.theme, Family::Title, size, ctx.theme.text)
    }
}

/// In titles, bold is already the base weight, so `**bold**` is carried by the accent colour.
fn title_spans(text: &str) -> Vec<Span> {
    let mut spans = inline(text);
    for span in &mut spans {
        if span.emphasis.bold {
            span.emphasis.highlight = true;
        }
    }
    spans
}

/// Whether a block of several lines ends with a line of one word.
fn ends_with_lone_word(text: &TextBlock) -> bool {
    let Some(last) = text.lines.last() else { return false };
    let words: String = last.segments.iter().map(|s| s.text.as_str()).collect();
    text.lines.len() > 1 && words.split_whitespace().count() == 1
}

/// The `label:` key of a slide: the kicker.
pub const LABEL_KEY: Key = Key {
    name: "label",
    doc: "The kicker above the title, in letter-spaced capitals; replaces the kind's default (THE PROBLEM ...).",
    required: false,
    shape: Shape::Text { max: limits::MAX_LABEL_CHARS },
};

/// The `title:` key of a slide.
pub const TITLE_KEY: Key = Key {
    name: "title",
    doc: "Inline markup (**bold** is drawn in the accent); broken into balanced lines.",
    required: false,
    shape: Shape::Text { max: limits::MAX_TITLE_CHARS },
};

/// The `subtitle:` key of a slide.
pub const SUBTITLE_KEY: Key = Key {
    name: "subtitle",
    doc: "Inline markup, muted.",
    required: false,
    shape: Shape::Text { max: limits::MAX_TITLE_CHARS },
};
