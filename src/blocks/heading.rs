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
            // Letter-spaced capitals stand taller than a script without capitals at one size
            // (Arabic, Hebrew, Devanagari, Thai, CJK): such a kicker is set a fifth larger.
            let cased = |c: char| c.is_uppercase() || c.is_lowercase();
            let uncased = label.chars().any(char::is_alphabetic) && !label.chars().any(cased);
            let size = if uncased { 28.0 * s * UNCASED_KICKER } else { 28.0 * s };
            let style = TextStyle {
                letter_spacing: 0.14,
                weight: 700,
                line_height: 1.2,
                ..style(theme, Family::Sans, size, theme.accent)
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
            let text = self.set_title(ctx, sizes.title, defaults.title_floor, ts).unwrap_or_default();
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

    /// The title set in balanced lines in the measure, at `size` or, where a narrow measure
    /// would break a word, as much smaller as its longest word needs (down to `floor`).
    fn fitted_title(&self, ctx: &Ctx, size: f32, floor: f32, ts: &mut Typesetter) -> Option<(TextBlock, f32)> {
        let title = self.title.as_ref()?;
        self.fitted_spans(ctx, &title_spans(&title.value), size, floor, ts)
    }

    /// [`Heading::fitted_title`] for the title's `spans` (as written, or broken at its sentences).
    fn fitted_spans(
        &self,
        ctx: &Ctx,
        spans: &[Span],
        size: f32,
        floor: f32,
        ts: &mut Typesetter,
    ) -> Option<(TextBlock, f32)> {
        let style = title_style(ctx, size);
        // A narrow measure (the heading column beside the blocks on a wide slide) must not
        // break a word: the title is set smaller, down to its floor, until its longest word fits.
        let widest = self.widest_title_word(ctx, style.size, ts);
        let style = if widest > ctx.width {
            TextStyle { size: (style.size * ctx.width / widest * 0.98).max(floor), ..style }
        } else {
            style
        };
        Some((ts.set_balanced(spans, &style, ctx.width, ctx.text_align()), style.size))
    }

    /// The title as drawn: [`Heading::paired_title`], set one sentence to a line (or a few)
    /// where a new sentence would start mid-line ("wrong queue / twice. Here is") and that
    /// costs no line, no stray word and at most 12% of the size.
    fn set_title(&self, ctx: &Ctx, size: f32, floor: f32, ts: &mut Typesetter) -> Option<TextBlock> {
        let (text, size) = self.paired_title(ctx, size, floor, ts)?;
        if text.sentences_inside == 0 {
            return Some(text);
        }
        let title = self.title.as_ref()?;
        let Some(sentences) = crate::text::break_at_sentences(&title_spans(&title.value)) else { return Some(text) };
        for factor in [1.0, 0.94, 0.88] {
            if size * factor < floor {
                break;
            }
            let (candidate, _) = self.fitted_spans(ctx, &sentences, size * factor, floor, ts)?;
            let fits = candidate.lines.len() <= text.lines.len() && candidate.stray_lines <= text.stray_lines;
            if fits && candidate.sentences_inside == 0 {
                return Some(candidate);
            }
        }
        Some(text)
    }

    /// The title at its fitted size, and where a line is left with one word ("The CI /
    /// handbook", "A token / refresh / queue"), a little smaller (at most 18%, never below
    /// `floor`) when that lets the words pair up, or at least leaves none stray (see
    /// [`TextBlock::stray_lines`]); with the size it was fitted at.
    fn paired_title(&self, ctx: &Ctx, size: f32, floor: f32, ts: &mut Typesetter) -> Option<(TextBlock, f32)> {
        let (mut text, size) = self.fitted_title(ctx, size, floor, ts)?;
        // A title a hair too long for its lines (one word over) is set that hair smaller, as a
        // designer nudges a text box: one line fewer is worth 6% of the size.
        if text.one_word_over && size * TIGHTER >= floor {
            let (tighter, _) = self.fitted_title(ctx, size * TIGHTER, floor, ts)?;
            if tighter.lines.len() < text.lines.len() && tighter.lone_lines <= text.lone_lines {
                text = tighter;
            }
        }
        if text.lone_lines == 0 {
            return Some((text, size));
        }
        let mut fewer_strays = None;
        for factor in [0.94, 0.88, 0.82] {
            if size * factor < floor {
                break;
            }
            let (candidate, _) = self.fitted_title(ctx, size * factor, floor, ts)?;
            if candidate.lone_lines == 0 {
                return Some((candidate, size));
            }
            let fewest = fewer_strays.as_ref().map_or(text.stray_lines, |t: &TextBlock| t.stray_lines);
            if candidate.stray_lines < fewest {
                fewer_strays = Some(candidate);
            }
        }
        Some((fewer_strays.unwrap_or(text), size))
    }

    /// The title's lines of one word (all of them, or with `stray` only those a reader takes
    /// for an accident, see [`TextBlock::stray_lines`]) when set at `size` in the measure, and
    /// with `smaller`, once set smaller to avoid them: a wide slide's heading column widens
    /// until there are none.
    pub fn lone_title_lines(
        &self,
        ctx: &Ctx,
        size: f32,
        floor: f32,
        smaller: bool,
        stray: bool,
        ts: &mut Typesetter,
    ) -> usize {
        let text = match smaller {
            true => self.set_title(ctx, size, floor, ts),
            false => self.fitted_title(ctx, size, floor, ts).map(|(text, _)| text),
        };
        text.map_or(0, |text| if stray { text.stray_lines } else { text.lone_lines })
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

/// How much smaller a title is set when that saves it a line.
const TIGHTER: f32 = 0.94;

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

/// How much larger a kicker in a script without capitals is set than one in capitals.
const UNCASED_KICKER: f32 = 1.2;

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
