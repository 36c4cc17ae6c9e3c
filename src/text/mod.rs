//! Text: inline markup, code highlighting, and shaping and line breaking with the bundled fonts.
//!
//! Owns turning what an author wrote into positioned lines: [`markup`] reads `**bold**`,
//! `==highlight==` and `` `code` `` into styled spans, [`highlight`] colours code by token, and
//! the [`Typesetter`] here sets spans at a given size and width. It measures with parley, which
//! shapes with the same engine and the same faces that usvg renders with, so a width measured
//! here is the width drawn. It hands the blocks and the layout stage a [`TextBlock`]: lines of
//! [`Segment`]s, each one run of one face and colour at a known position. Emoji, symbols and
//! prose land in separate segments on purpose: usvg draws each as its own `<text>` element, which
//! avoids its unreliable per-glyph fallback (resvg #861, #732).

pub mod highlight;
pub mod markup;

use parley::{FontFamily, FontStyle, FontWeight, Layout, LayoutContext, LineHeight, OverflowWrap, StyleProperty};

use crate::design::theme::Color;
use crate::fonts::{FaceRef, Fonts, EMOJI, MONO, SANS, SYMBOLS};
use crate::text::markup::Span;

/// Which family a block is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Inter, for prose.
    Sans,
    /// JetBrains Mono, for code.
    Mono,
}

/// Horizontal alignment of lines within their block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Flush left.
    Start,
    /// Centred.
    Center,
}

/// How a block of text is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    /// The family.
    pub family: Family,
    /// Font size in px.
    pub size: f32,
    /// CSS weight of plain text (bold spans use 700, or 800 if this is already 700+).
    pub weight: u16,
    /// Line height as a multiple of the size.
    pub line_height: f32,
    /// Extra space after each letter, in em.
    pub letter_spacing: f32,
    /// Colour of plain text.
    pub color: Color,
    /// Colour of `==highlight==` text.
    pub accent: Color,
    /// Colour of `` `code` `` text.
    pub code: Color,
}

/// One run of text in one face and colour, positioned relative to its block's top left.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Left edge of the run.
    pub x: f32,
    /// Baseline.
    pub y: f32,
    /// The characters.
    pub text: String,
    /// The face that shaped them.
    pub face: FaceRef,
    /// Font size in px.
    pub size: f32,
    /// Extra space after each letter, in px.
    pub letter_spacing: f32,
    /// Fill colour.
    pub color: Color,
    /// Width of the run.
    pub advance: f32,
    /// Whether this run is inline code, drawn on a chip.
    pub chip: bool,
}

/// One line of a block.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The runs of the line, left to right.
    pub segments: Vec<Segment>,
    /// Inked width (trailing spaces excluded).
    pub width: f32,
    /// Top of the line box.
    pub top: f32,
    /// Height of the line box.
    pub height: f32,
}

/// A set paragraph.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TextBlock {
    /// The lines, top to bottom.
    pub lines: Vec<Line>,
    /// Width of the widest line.
    pub width: f32,
    /// Height of all lines.
    pub height: f32,
}

impl TextBlock {
    /// Moves every line so that it is aligned within `width`.
    fn align(&mut self, align: Align, width: f32) {
        if align == Align::Center {
            for line in &mut self.lines {
                let shift = ((width - line.width) / 2.0).max(0.0);
                line.segments.iter_mut().for_each(|s| s.x += shift);
            }
        }
    }

    /// Whether any line is wider than `max_width` (a word that could not be broken).
    pub fn overflows(&self, max_width: f32) -> bool {
        self.width > max_width + 0.5
    }
}

fn push_defaults(builder: &mut parley::RangedBuilder<'_, Ink>, stack: String, style: &TextStyle) {
    builder.push_default(StyleProperty::FontFamily(FontFamily::Source(stack.into())));
    builder.push_default(StyleProperty::FontSize(style.size));
    builder.push_default(StyleProperty::FontWeight(FontWeight::new(style.weight as f32)));
    builder.push_default(StyleProperty::LineHeight(LineHeight::FontSizeRelative(style.line_height)));
    builder.push_default(StyleProperty::LetterSpacing(style.letter_spacing * style.size));
    builder.push_default(StyleProperty::OverflowWrap(OverflowWrap::Anywhere));
    builder.push_default(StyleProperty::Brush(Ink { color: style.color, chip: false }));
}

/// The colour and chip flag parley carries through shaping for each span.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Ink {
    color: Color,
    chip: bool,
}

/// Sets text. Holds parley's contexts, so keep one per thread and reuse it.
pub struct Typesetter {
    fonts: &'static Fonts,
    font_cx: parley::FontContext,
    layout_cx: LayoutContext<Ink>,
}

impl Default for Typesetter {
    fn default() -> Self {
        Self::new()
    }
}

impl Typesetter {
    /// A typesetter over the bundled fonts.
    pub fn new() -> Typesetter {
        let fonts = Fonts::shared();
        Typesetter { fonts, font_cx: fonts.font_context(), layout_cx: LayoutContext::new() }
    }

    /// Sets a paragraph in lines no wider than `max_width`.
    pub fn set(&mut self, spans: &[Span], style: &TextStyle, max_width: f32, align: Align) -> TextBlock {
        let (mut layout, text) = self.shape(spans, style);
        layout.break_all_lines(Some(max_width.max(1.0)));
        let mut block = self.collect(&layout, &text, style);
        block.align(align, max_width);
        block
    }

    /// Sets a paragraph in lines of even length: the narrowest width that keeps the line count
    /// of a greedy break at `max_width`. For titles, so no lone word sits on the last line.
    pub fn set_balanced(&mut self, spans: &[Span], style: &TextStyle, max_width: f32, align: Align) -> TextBlock {
        let (mut layout, text) = self.shape(spans, style);
        layout.break_all_lines(Some(max_width.max(1.0)));
        let lines = layout.len();
        if lines > 1 && !spans.iter().any(|s| s.text.contains('\n')) {
            let (mut low, mut high) = (max_width / 2.0, max_width);
            while high - low > 2.0 {
                let mid = (low + high) / 2.0;
                layout.break_all_lines(Some(mid));
                let fits = layout.len() == lines && layout.width() <= mid + 0.5 && !breaks_a_word(&layout, &text);
                if fits {
                    high = mid
                } else {
                    low = mid
                }
            }
            layout.break_all_lines(Some(high));
        }
        let mut block = self.collect(&layout, &text, style);
        block.align(align, max_width);
        block
    }

    /// The width of text on one line, unbroken.
    pub fn measure(&mut self, spans: &[Span], style: &TextStyle) -> f32 {
        let (mut layout, text) = self.shape(spans, style);
        layout.break_all_lines(None);
        self.collect(&layout, &text, style).width
    }

    /// Sets runs of plain text, each in its own colour (highlighted code), wrapping at
    /// `max_width`; a `\n` inside a run breaks the line.
    pub fn set_runs(&mut self, runs: &[(String, Color)], style: &TextStyle, max_width: f32) -> TextBlock {
        let text: String = runs.iter().map(|(t, _)| t.as_str()).collect();
        let stack = self.family_stack(style.family);
        let mut builder = self.layout_cx.ranged_builder(&mut self.font_cx, &text, 1.0, false);
        push_defaults(&mut builder, stack, style);
        let mut start = 0;
        for (run, color) in runs {
            let range = start..start + run.len();
            start = range.end;
            builder.push(StyleProperty::Brush(Ink { color: *color, chip: false }), range);
        }
        let mut layout = builder.build(&text);
        layout.break_all_lines(Some(max_width.max(1.0)));
        self.collect(&layout, &text, style)
    }

    fn family_stack(&self, family: Family) -> String {
        let primary = match family {
            Family::Sans => SANS,
            Family::Mono => MONO,
        };
        format!("\"{primary}\", \"{EMOJI}\", \"{SYMBOLS}\"")
    }

    fn shape(&mut self, spans: &[Span], style: &TextStyle) -> (Layout<Ink>, String) {
        let text: String = spans.iter().map(|s| s.text.as_str()).collect();
        let stack = self.family_stack(style.family);
        let code_stack = self.family_stack(Family::Mono);
        let mut builder = self.layout_cx.ranged_builder(&mut self.font_cx, &text, 1.0, false);
        push_defaults(&mut builder, stack, style);
        let bold_weight = if style.weight >= 700 { 800.0 } else { 700.0 };
        let mut start = 0;
        for span in spans {
            let range = start..start + span.text.len();
            start = range.end;
            let e = span.emphasis;
            if e.bold {
                builder.push(StyleProperty::FontWeight(FontWeight::new(bold_weight)), range.clone());
            }
            if e.italic && !e.code {
                builder.push(StyleProperty::FontStyle(FontStyle::Italic), range.clone());
            }
            if e.code {
                builder.push(StyleProperty::FontFamily(FontFamily::Source(code_stack.clone().into())), range.clone());
                // Monospace looks larger than Inter at the same size; match x-heights.
                builder.push(StyleProperty::FontSize(style.size * 0.9), range.clone());
                builder.push(StyleProperty::Brush(Ink { color: style.code, chip: true }), range.clone());
            } else if e.highlight {
                builder.push(StyleProperty::Brush(Ink { color: style.accent, chip: false }), range.clone());
            }
        }
        let layout = builder.build(&text);
        (layout, text)
    }

    fn collect(&self, layout: &Layout<Ink>, text: &str, style: &TextStyle) -> TextBlock {
        let mut block = TextBlock::default();
        for line in layout.lines() {
            let metrics = *line.metrics();
            let mut x = metrics.offset;
            let mut segments: Vec<Segment> = Vec::new();
            let mut inked_right = 0.0f32;
            for run in line.runs() {
                let Some(face) = self.fonts.face_of(run.font()) else { continue };
                let size = run.font_size();
                for cluster in run.visual_clusters() {
                    let advance = cluster.advance();
                    let ink = cluster.style().brush;
                    if cluster.is_hard_line_break() {
                        x += advance;
                        continue;
                    }
                    let text = text.get(cluster.text_range()).unwrap_or_default().to_string();
                    let joins = segments.last().is_some_and(|s: &Segment| {
                        s.face == face
                            && s.color == ink.color
                            && s.chip == ink.chip
                            && s.size == size
                            && (s.x + s.advance - x).abs() < 0.01
                    });
                    if joins {
                        if let Some(last) = segments.last_mut() {
                            last.text.push_str(&text);
                            last.advance += advance;
                        }
                    } else {
                        segments.push(Segment {
                            x,
                            y: metrics.baseline,
                            text,
                            face,
                            size,
                            letter_spacing: style.letter_spacing * style.size,
                            color: ink.color,
                            advance,
                            chip: ink.chip,
                        });
                    }
                    x += advance;
                    if !cluster.is_space_or_nbsp() {
                        inked_right = x;
                    }
                }
            }
            segments.retain(|s| !s.text.trim().is_empty() || s.chip);
            let width = (inked_right - metrics.offset).max(0.0);
            block.width = block.width.max(width);
            block.lines.push(Line {
                segments,
                width,
                top: metrics.block_min_coord,
                height: metrics.block_max_coord - metrics.block_min_coord,
            });
        }
        block.height = layout.height();
        block
    }
}

/// Whether a line of `layout` ends inside a word: balancing must narrow a title only as far as
/// its longest word, never split one.
fn breaks_a_word(layout: &Layout<Ink>, text: &str) -> bool {
    layout.lines().any(|line| {
        let end = line.text_range().end;
        let before = text.get(..end).and_then(|t| t.chars().next_back());
        let after = text.get(end..).and_then(|t| t.chars().next());
        matches!((before, after), (Some(b), Some(a)) if b.is_alphanumeric() && a.is_alphanumeric())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::markup::parse_inline;

    fn body(size: f32) -> TextStyle {
        TextStyle {
            family: Family::Sans,
            size,
            weight: 400,
            line_height: 1.4,
            letter_spacing: 0.0,
            color: Color::hex(0xffffff),
            accent: Color::hex(0x22d3ee),
            code: Color::hex(0xa3e635),
        }
    }

    #[test]
    fn wraps_within_the_width() {
        let mut ts = Typesetter::new();
        let text = parse_inline("Users complained about the dashboard for weeks before anyone profiled it.");
        let block = ts.set(&text, &body(40.0), 500.0, Align::Start);
        assert!(block.lines.len() >= 3, "{} lines", block.lines.len());
        assert!(block.lines.iter().all(|l| l.width <= 500.5));
        assert!(!block.overflows(500.0));
    }

    #[test]
    fn long_tokens_break_instead_of_overflowing() {
        let mut ts = Typesetter::new();
        let text = parse_inline("https://example.com/a/very/long/path/that/never/ends/and/has/no/spaces/at/all");
        let block = ts.set(&text, &body(40.0), 400.0, Align::Start);
        assert!(block.lines.len() > 1);
        assert!(!block.overflows(400.0), "widest line {}", block.width);
    }

    #[test]
    fn balanced_titles_avoid_a_lone_last_word() {
        let mut ts = Typesetter::new();
        let text = parse_inline("Our dashboard was taking four seconds to load today");
        let greedy = ts.set(&text, &body(80.0), 900.0, Align::Start);
        let balanced = ts.set_balanced(&text, &body(80.0), 900.0, Align::Start);
        assert_eq!(greedy.lines.len(), balanced.lines.len());
        let last = |b: &TextBlock| b.lines.last().map(|l| l.width).unwrap_or(0.0);
        assert!(last(&balanced) >= last(&greedy));
        assert!(balanced.width <= greedy.width);
        let shortest = balanced.lines.iter().map(|l| l.width).fold(f32::MAX, f32::min);
        assert!(shortest / balanced.width > 0.6, "unbalanced: {shortest} of {}", balanced.width);
    }

    #[test]
    fn emoji_and_symbols_get_their_own_faces() {
        let mut ts = Typesetter::new();
        let text = parse_inline("Ship it 🚀 👩‍💻 🇺🇸 👍🏽 → done");
        let block = ts.set(&text, &body(40.0), 2000.0, Align::Start);
        let families: Vec<&str> = block.lines[0].segments.iter().map(|s| s.face.family).collect();
        assert!(families.contains(&EMOJI), "{families:?}");
        assert!(families.contains(&SANS));
        let emoji: Vec<&str> =
            block.lines[0].segments.iter().filter(|s| s.face.family == EMOJI).map(|s| s.text.as_str()).collect();
        assert!(emoji.iter().any(|t| t.contains("👩\u{200d}💻")), "ZWJ sequence split: {emoji:?}");
    }

    #[test]
    fn inline_code_is_monospace_on_a_chip() {
        let mut ts = Typesetter::new();
        let block = ts.set(&parse_inline("Run `cargo test` now"), &body(40.0), 2000.0, Align::Start);
        let code = block.lines[0].segments.iter().find(|s| s.chip).expect("a chip");
        assert_eq!(code.face.family, MONO);
        assert_eq!(code.text.trim(), "cargo test");
    }

    /// The width parley measures is the width usvg draws: the promise the layout rests on.
    #[test]
    fn measured_width_matches_usvg() {
        let mut ts = Typesetter::new();
        for (text, family, weight) in [
            ("Dashboard loading in 4 seconds", Family::Sans, 400),
            ("Profile before optimizing", Family::Sans, 800),
            ("SELECT COUNT(*) FROM drifts;", Family::Mono, 400),
        ] {
            let style = TextStyle { family, weight, ..body(48.0) };
            let block = ts.set(&parse_inline(text), &style, 5000.0, Align::Start);
            let segment = &block.lines[0].segments[0];
            assert_eq!(block.lines[0].segments.len(), 1);
            let svg = format!(
                "<svg xmlns='http://www.w3.org/2000/svg' width='2000' height='200'><text x='10' y='100' font-family='{}' font-size='48' font-weight='{}'>{}</text></svg>",
                segment.face.family, segment.face.weight, segment.text
            );
            let tree = crate::media::svg::parse_svg(svg.as_bytes()).unwrap();
            let drawn = tree.root().children().first().expect("text node").abs_bounding_box();
            let measured = segment.advance;
            // The ink box lies within the advance, less the side bearings (a few px at 48 px).
            eprintln!("{text}: usvg {} at {} vs parley {measured}", drawn.width(), drawn.x());
            assert!((drawn.width() - measured).abs() < 6.0, "{text}: usvg {} vs parley {measured}", drawn.width());
            assert!((drawn.x() - 10.0).abs() < 6.0);
        }
    }
}
