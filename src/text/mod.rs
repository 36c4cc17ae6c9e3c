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
//!
//! Scripts: each character is set in the first face of its family's stack that has it (the
//! bundled Noto faces for Arabic, Hebrew, Indic and Thai, then whatever [`crate::fonts`] found on
//! the system, CJK above all). Paragraphs run in their own direction by the Unicode
//! bidirectional algorithm (parley), and a right-to-left run is handed on in logical order, its
//! edge punctuation split off, so that usvg and a browser, which reorder it again, draw it as it
//! was measured. A right-to-left deck is laid out left to right and mirrored whole at the end
//! (see `layout`); its lines are set mirrored in advance so that the mirror puts their words
//! back in reading order.

pub mod highlight;
pub mod markup;

use std::sync::Arc;

use parley::{
    BaseDirection, FontFamily, FontStyle, FontWeight, Layout, LayoutContext, LineHeight, OverflowWrap, StyleProperty,
};

use crate::design::theme::Color;
use crate::fonts::{FaceRef, FontSet, Fonts, EMOJI, MONO, SANS, SCRIPTS, SYMBOLS};
use crate::text::markup::Span;

/// Which family a block is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Inter, for prose.
    Sans,
    /// The deck's title family (Inter unless the author names one).
    Title,
    /// JetBrains Mono, for code.
    Mono,
}

/// Which way a deck reads, and the families it sets its text in: what the deck stage decides
/// for every typesetter of the deck.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TextSettings {
    /// Whether the deck reads right to left: paragraphs run right to left and lines are set
    /// mirrored for the slide's mirror.
    pub rtl: bool,
    /// Whether the deck forces left to right (`direction: ltr`): no paragraph runs right to left.
    pub force_ltr: bool,
    /// The author's family for prose, tried before Inter.
    pub body: Option<&'static str>,
    /// The author's family for titles, tried before the prose family.
    pub title: Option<&'static str>,
    /// The author's family for code, tried before JetBrains Mono.
    pub code: Option<&'static str>,
    /// Which regional forms of Han characters the deck wants first, when the system's CJK
    /// fonts come as several families (`JP`, `KR`, `SC`, `TC`).
    pub cjk: Option<&'static str>,
    /// The language the deck's letters are mostly written in, where their script names one
    /// (`ar`, `he`, `hi`, `th`, `ja`, `ko`, `zh`): the deck's language when it has no
    /// `language:`. `None` for Latin and for scripts shared by several languages' letters.
    pub script_language: Option<&'static str>,
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
    /// Whether the run reads right to left (its text is in logical order all the same).
    pub rtl: bool,
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
    /// How many of its lines are one word, in a paragraph of several lines
    /// ([`Typesetter::set_balanced`] keeps them as few as it can).
    pub lone_lines: usize,
    /// Of those, the ones a reader takes for an accident: every one when the paragraph's words
    /// are enough for two a line, all but one otherwise ("Cheap and / effective" is a title,
    /// "A token / refresh / queue" a measure too narrow).
    pub stray_lines: usize,
    /// Whether its words, filling each line in turn, leave one word alone on the last line:
    /// a paragraph a hair too long for its lines (a title set a little smaller saves a line).
    pub one_word_over: bool,
    /// How many of its lines have a sentence end before their last word: a new sentence
    /// starting mid-line ("twice. Here is"), which a title set one sentence to a line avoids.
    pub sentences_inside: usize,
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

    /// Puts `below` under this block's lines.
    pub fn append(&mut self, below: TextBlock) {
        let offset = self.height;
        for mut line in below.lines {
            line.top += offset;
            line.segments.iter_mut().for_each(|s| s.y += offset);
            self.lines.push(line);
        }
        self.width = self.width.max(below.width);
        self.height += below.height;
        self.lone_lines += below.lone_lines;
        self.stray_lines += below.stray_lines;
        self.one_word_over |= below.one_word_over;
        self.sentences_inside += below.sentences_inside;
    }

    /// Mirrors each line's runs within the line's own extent (see [`Typesetter::with`]).
    pub fn mirror_lines(&mut self) {
        for line in &mut self.lines {
            let left = line.segments.iter().map(|s| s.x).fold(f32::INFINITY, f32::min);
            let right = line.segments.iter().map(|s| s.x + s.advance).fold(f32::NEG_INFINITY, f32::max);
            for segment in &mut line.segments {
                segment.x = left + right - segment.x - segment.advance;
            }
            line.segments.reverse();
        }
    }

    /// Mirrors every run within `width` (a code panel: its lines stay flush left once the slide
    /// is mirrored).
    pub fn mirror_within(&mut self, width: f32) {
        for line in &mut self.lines {
            for segment in &mut line.segments {
                segment.x = width - segment.x - segment.advance;
            }
            line.segments.reverse();
        }
    }

    /// Whether any line is wider than `max_width` (a word that could not be broken).
    pub fn overflows(&self, max_width: f32) -> bool {
        self.width > max_width + 0.5
    }
}

fn push_defaults(builder: &mut parley::RangedBuilder<'_, Ink>, stack: String, style: &TextStyle, text: &str) {
    builder.push_default(StyleProperty::FontFamily(FontFamily::Source(stack.into())));
    builder.push_default(StyleProperty::FontSize(style.size));
    builder.push_default(StyleProperty::FontWeight(FontWeight::new(style.weight as f32)));
    builder.push_default(StyleProperty::LineHeight(LineHeight::FontSizeRelative(style.line_height)));
    builder.push_default(StyleProperty::LetterSpacing(letter_spacing(style, text)));
    builder.push_default(StyleProperty::OverflowWrap(OverflowWrap::Anywhere));
    if text.chars().any(|c| ('\u{ac00}'..='\u{d7a3}').contains(&c)) {
        // Korean is written in words: lines break at its spaces, not between syllables.
        builder.push_default(StyleProperty::WordBreak(parley::WordBreak::KeepAll));
    }
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
    fonts: Arc<FontSet>,
    font_cx: parley::FontContext,
    layout_cx: LayoutContext<Ink>,
    settings: TextSettings,
}

impl Default for Typesetter {
    fn default() -> Self {
        Self::new()
    }
}

impl Typesetter {
    /// A typesetter over the bundled fonts, for a left-to-right deck.
    pub fn new() -> Typesetter {
        Typesetter::with(TextSettings::default())
    }

    /// A typesetter for a deck: its direction and families, over the fonts as they are now
    /// (after the deck added its own and the system's).
    pub fn with(settings: TextSettings) -> Typesetter {
        let fonts = Fonts::shared().current();
        Typesetter { font_cx: fonts.font_context(), fonts, layout_cx: LayoutContext::new(), settings }
    }

    /// What this typesetter was made with.
    pub fn settings(&self) -> &TextSettings {
        &self.settings
    }

    /// Whether the deck reads right to left (its slides are mirrored).
    pub fn mirrored(&self) -> bool {
        self.settings.rtl
    }

    /// The width of one space-separated word: all of it, or in a script that breaks without
    /// spaces (CJK, Thai), its widest piece between break opportunities.
    pub fn word_width(&mut self, word: &str, style: &TextStyle) -> f32 {
        let spans = [Span { text: word.to_string(), emphasis: Default::default() }];
        if word.chars().any(breaks_inside) {
            self.longest_unit(&spans, style)
        } else {
            self.measure(&spans, style)
        }
    }

    /// The widest piece of `spans` that cannot be broken across lines: a word, a number with its
    /// unit, or one CJK character with the punctuation that may not start or end a line.
    pub fn longest_unit(&mut self, spans: &[Span], style: &TextStyle) -> f32 {
        let (mut layout, _) = self.shape_wrapping(spans, style, OverflowWrap::Normal, false);
        layout.break_all_lines(Some(1.0));
        layout.lines().map(|line| line_ink(&line)).fold(0.0, f32::max)
    }

    /// Sets a paragraph in lines no wider than `max_width`, with no lone word on its last line
    /// (a widow) where a slightly shorter measure gives it company in as many lines.
    pub fn set(&mut self, spans: &[Span], style: &TextStyle, max_width: f32, align: Align) -> TextBlock {
        let (mut layout, text) = self.shape(spans, style);
        let max_width = max_width.max(1.0);
        self.break_keeping_chips(&mut layout, spans, style, max_width);
        if ends_with_a_widow(&layout, &text) {
            let lines = layout.len();
            let mended = WIDOW_MEASURES.iter().any(|share| {
                layout.break_all_lines(Some(max_width * share));
                layout.len() == lines
                    && layout.width() <= max_width * share + 0.5
                    && !ends_with_a_widow(&layout, &text)
                    && !breaks_a_word(&layout, &text)
            });
            if !mended {
                layout.break_all_lines(Some(max_width));
            }
        }
        let mut block = self.collect(&layout, &text, style);
        block.align(align, max_width);
        self.premirror(&mut block);
        block
    }

    /// In a right-to-left deck, mirrors each line's runs within the line, so that the slide's
    /// mirror puts them back in reading order (and the line against the right edge).
    fn premirror(&self, block: &mut TextBlock) {
        if self.settings.rtl {
            block.mirror_lines();
        }
    }

    /// Sets a paragraph in lines of even length, in as few lines as `max_width` allows: for
    /// titles. Words written with spaces are broken where the lines come out with the fewest
    /// one-word lines and then the shortest longest line ("Two weeks / of development.", not
    /// "Two weeks of / development."); other scripts at the narrowest width that keeps the
    /// line count. [`TextBlock::lone_lines`] says how many one-word lines were left.
    pub fn set_balanced(&mut self, spans: &[Span], style: &TextStyle, max_width: f32, align: Align) -> TextBlock {
        // A title never breaks at the hyphen of a compound (`multi-tenant`): set with
        // non-breaking hyphens, written back as hyphens.
        let bound: Vec<Span> =
            spans.iter().map(|s| Span { text: bind_hyphens(&s.text), emphasis: s.emphasis }).collect();
        let spans = &bound[..];
        let parts = split_at_breaks(spans);
        if parts.len() > 1 {
            // Each part of a forced break is balanced on its own, under the one before.
            let mut block = TextBlock::default();
            for part in parts {
                let set = self.set_balanced(&part, style, max_width, align);
                block.append(set);
            }
            return block;
        }
        let (mut layout, text) = self.shape(spans, style);
        self.break_keeping_chips(&mut layout, spans, style, max_width.max(1.0));
        let lines = layout.len();
        let one_word_over = ends_with_a_widow(&layout, &text);
        if lines > 1 && !break_evenly(&mut layout, &text, lines, max_width.max(1.0)) {
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
        block.lone_lines = lone_lines(&layout, &text);
        let few_words = text.split_whitespace().count() < 2 * layout.len();
        block.stray_lines = block.lone_lines.saturating_sub(usize::from(few_words));
        block.one_word_over = one_word_over;
        block.sentences_inside = sentences_inside(&layout, &text);
        block.align(align, max_width);
        self.premirror(&mut block);
        block
    }

    /// The width of text on one line, unbroken.
    pub fn measure(&mut self, spans: &[Span], style: &TextStyle) -> f32 {
        let (mut layout, text) = self.shape(spans, style);
        layout.break_all_lines(None);
        self.collect(&layout, &text, style).width
    }

    /// Sets runs of plain text, each in its own colour (highlighted code), wrapping at
    /// `max_width`; a `\n` inside a run breaks the line. Code reads left to right in every
    /// deck, and is not mirrored here: its block mirrors it whole.
    pub fn set_runs(&mut self, runs: &[(String, Color)], style: &TextStyle, max_width: f32) -> TextBlock {
        let text: String = runs.iter().map(|(t, _)| t.as_str()).collect();
        self.ensure_fonts(&text);
        let stack = self.family_stack(style.family);
        let mut builder = self.layout_cx.ranged_builder(&mut self.font_cx, &text, 1.0, false);
        builder.set_base_direction(BaseDirection::Ltr);
        push_defaults(&mut builder, stack, style, &text);
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

    /// Registers the bundled script faces `text` needs (they are parsed only for a text that
    /// has their letters), and takes the grown set.
    fn ensure_fonts(&mut self, text: &str) {
        if text.chars().any(|c| c as u32 >= 0x0590 && !self.fonts.has_own_face(c)) {
            Fonts::shared().need(text.chars());
            let now = Fonts::shared().current();
            if now.generation() != self.fonts.generation() {
                self.font_cx = now.font_context();
                self.fonts = now;
            }
        }
    }

    /// The families tried for each character, in order: the author's, ours, the emoji, the
    /// bundled scripts, the symbols, then what was found on the system.
    fn family_stack(&self, family: Family) -> String {
        let s = &self.settings;
        let mut stack: Vec<&str> = match family {
            Family::Sans => s.body.into_iter().chain([SANS]).collect(),
            Family::Title => s.title.into_iter().chain(s.body).chain([SANS]).collect(),
            Family::Mono => s.code.into_iter().chain([MONO]).collect(),
        };
        stack.extend([EMOJI, SCRIPTS[0], SCRIPTS[1], SYMBOLS]);
        stack.extend(&SCRIPTS[2..]);
        if family == Family::Mono {
            // A comment in another alphabet is better in Inter than in a symbol font.
            stack.insert(stack.len() - SCRIPTS.len() + 1, SANS);
        }
        let mut fallbacks: Vec<&str> = self.fonts.fallbacks().to_vec();
        if let Some(cjk) = s.cjk {
            // Stable: the deck's regional forms first, the rest as found.
            fallbacks.sort_by_key(|name| !name.ends_with(cjk));
        }
        stack.extend(fallbacks);
        let mut seen: Vec<&str> = Vec::new();
        stack.retain(|f| {
            let new = !seen.contains(f);
            seen.push(f);
            new
        });
        stack.iter().map(|f| format!("\"{f}\"")).collect::<Vec<_>>().join(", ")
    }

    fn direction(&self) -> BaseDirection {
        if self.settings.rtl {
            BaseDirection::Rtl
        } else if self.settings.force_ltr {
            BaseDirection::Ltr
        } else {
            BaseDirection::Auto
        }
    }

    /// `spans` shaped for setting, each inline code chip kept whole on its line.
    fn shape(&mut self, spans: &[Span], style: &TextStyle) -> (Layout<Ink>, String) {
        self.shape_wrapping(spans, style, OverflowWrap::Anywhere, true)
    }

    /// Sets `layout` (shaped by [`Typesetter::shape`]) in lines no wider than `max_width`; a
    /// code chip longer than the line is shaped again without its glue and broken where it must.
    fn break_keeping_chips(&mut self, layout: &mut Layout<Ink>, spans: &[Span], style: &TextStyle, max_width: f32) {
        layout.break_all_lines(Some(max_width));
        if spans.iter().any(|s| s.emphasis.code) && layout.width() > max_width + 0.5 {
            *layout = self.shape_wrapping(spans, style, OverflowWrap::Anywhere, false).0;
            layout.break_all_lines(Some(max_width));
        }
    }

    /// `spans` shaped with `wrap` for words longer than the line; with `glue`, no line breaks
    /// inside an inline code chip (`Retry-After`, `X-Forwarded-For`, `SELECT COUNT(*)`).
    fn shape_wrapping(
        &mut self,
        spans: &[Span],
        style: &TextStyle,
        wrap: OverflowWrap,
        glue: bool,
    ) -> (Layout<Ink>, String) {
        let isolated;
        let spans = if self.settings.rtl || spans.iter().any(|s| s.text.chars().any(is_rtl)) {
            // Code reads left to right inside right-to-left text: `COUNT(*)` keeps its brackets.
            isolated = spans
                .iter()
                .map(|s| match s.emphasis.code {
                    true => Span { text: format!("\u{2066}{}\u{2069}", s.text), emphasis: s.emphasis },
                    false => s.clone(),
                })
                .collect::<Vec<_>>();
            &isolated[..]
        } else {
            spans
        };
        let text: String = spans.iter().map(|s| s.text.as_str()).collect();
        self.ensure_fonts(&text);
        let stack = self.family_stack(style.family);
        let code_stack = self.family_stack(Family::Mono);
        let emoji_stack = format!("\"{EMOJI}\", {stack}");
        let direction = self.direction();
        let mut builder = self.layout_cx.ranged_builder(&mut self.font_cx, &text, 1.0, false);
        builder.set_base_direction(direction);
        push_defaults(&mut builder, stack, style, &text);
        builder.push_default(StyleProperty::OverflowWrap(wrap));
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
                if glue {
                    // Parley breaks before a cluster only when the one before it wraps: the
                    // chip's last character still wraps, so the line may break after the chip.
                    let glued = range.start
                        ..text[range.clone()].char_indices().next_back().map_or(range.end, |(i, _)| range.start + i);
                    builder.push(StyleProperty::TextWrapMode(parley::TextWrapMode::NoWrap), glued);
                }
            } else if e.highlight {
                builder.push(StyleProperty::Brush(Ink { color: style.accent, chip: false }), range.clone());
            }
        }
        // An emoji presentation selector asks for the colour emoji even where Inter has a plain
        // glyph for the character (`⚠️`, `❤️`, `▶️`): the pair, and a keycap's `⃣`, go to the emoji face.
        for (at, c) in text.char_indices() {
            if c != '\u{fe0f}' {
                continue;
            }
            let start = text[..at].char_indices().next_back().map_or(at, |(before, _)| before);
            let mut end = at + c.len_utf8();
            if text[end..].starts_with('\u{20e3}') {
                end += '\u{20e3}'.len_utf8();
            }
            builder.push(StyleProperty::FontFamily(FontFamily::Source(emoji_stack.clone().into())), start..end);
        }
        let layout = builder.build(&text);
        (layout, text)
    }

    fn collect(&self, layout: &Layout<Ink>, text: &str, style: &TextStyle) -> TextBlock {
        let mut block = TextBlock::default();
        let spacing = letter_spacing(style, text);
        for line in layout.lines() {
            let metrics = *line.metrics();
            let mut x = metrics.offset;
            let mut segments: Vec<Segment> = Vec::new();
            let mut inked_right = 0.0f32;
            let mut inked_left: Option<f32> = None;
            for run in line.runs() {
                let Some(face) = self.fonts.face_of(run.font()) else { continue };
                let size = run.font_size();
                let rtl = run.is_rtl();
                // Each cluster with its left edge, in visual order.
                let mut clusters = Vec::new();
                for cluster in run.visual_clusters() {
                    let advance = cluster.advance();
                    if !cluster.is_hard_line_break() {
                        let piece: String = text
                            .get(cluster.text_range())
                            .unwrap_or_default()
                            .chars()
                            .filter(|&c| !is_hidden(c))
                            .map(|c| if c == '\u{2011}' { '-' } else { c })
                            .collect();
                        clusters.push(Piece { x, advance, text: piece, ink: cluster.style().brush });
                        if !cluster.is_space_or_nbsp() {
                            inked_right = x + advance;
                            inked_left.get_or_insert(x);
                        }
                    }
                    x += advance;
                }
                let start = segments.len();
                let make = |x: f32, piece: String, advance: f32, ink: Ink| Segment {
                    x,
                    y: metrics.baseline,
                    text: piece,
                    face,
                    size,
                    letter_spacing: spacing,
                    color: ink.color,
                    advance,
                    chip: ink.chip,
                    rtl,
                };
                if !rtl {
                    for Piece { x, advance, text: piece, ink } in clusters {
                        let joins = segments[start..].last().is_some_and(|s: &Segment| {
                            s.color == ink.color && s.chip == ink.chip && (s.x + s.advance - x).abs() < 0.01
                        });
                        match segments.last_mut() {
                            Some(last) if joins => {
                                last.text.push_str(&piece);
                                last.advance += advance;
                            }
                            _ => segments.push(make(x, piece, advance, ink)),
                        }
                    }
                    continue;
                }
                // Right to left: runs of one ink, each written in logical order (the renderer
                // reorders it), with its neutral edges (spaces, brackets, full stops) split off,
                // which a renderer would otherwise place by the surrounding left-to-right text.
                let mut groups: Vec<Vec<Piece>> = Vec::new();
                for cluster in clusters {
                    match groups.last_mut() {
                        Some(group) if group[0].ink == cluster.ink => group.push(cluster),
                        _ => groups.push(vec![cluster]),
                    }
                }
                for group in groups {
                    // Visual order is the reverse of logical order.
                    let logical: Vec<_> = group.into_iter().rev().collect();
                    let strong = |piece: &str| piece.chars().any(is_strong);
                    let first = logical.iter().position(|c| strong(&c.text));
                    let last = logical.iter().rposition(|c| strong(&c.text));
                    let (Some(first), Some(last)) = (first, last) else {
                        for c in logical {
                            segments.push(make(c.x, mirror_char(&c.text), c.advance, c.ink));
                        }
                        continue;
                    };
                    for (i, c) in logical.iter().enumerate() {
                        if i < first || i > last {
                            segments.push(make(c.x, mirror_char(&c.text), c.advance, c.ink));
                        }
                    }
                    let core = &logical[first..=last];
                    let left = core.iter().map(|c| c.x).fold(f32::INFINITY, f32::min);
                    let right = core.iter().map(|c| c.x + c.advance).fold(f32::NEG_INFINITY, f32::max);
                    let piece: String = core.iter().map(|c| c.text.as_str()).collect();
                    segments.push(make(left, piece, right - left, core[0].ink));
                }
            }
            segments.retain(|s| !s.text.is_empty() && (!s.text.trim().is_empty() || s.chip));
            segments.sort_by(|a, b| a.x.total_cmp(&b.x));
            // A right-to-left line ends on the left: its last space would indent it from the
            // right once aligned. The line starts at its first ink.
            let any_rtl = line.runs().any(|run| run.is_rtl());
            let lead = match any_rtl {
                true => inked_left.map(|left| left - metrics.offset).unwrap_or(0.0).max(0.0),
                false => 0.0,
            };
            if lead > 0.0 {
                segments.iter_mut().for_each(|s| s.x -= lead);
            }
            let width = (inked_right - metrics.offset - lead).max(0.0);
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

/// The characters the typesetter adds to steer breaking and direction, never drawn: the word
/// joiner and the directional isolates.
fn is_hidden(c: char) -> bool {
    matches!(c, '\u{2060}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` is Han, kana or a CJK symbol: text set solid, that may break between any two
/// characters (Hangul, which is written in words, is not).
pub fn is_cjk(c: char) -> bool {
    let u = c as u32;
    (0x2E80..=0x2FDF).contains(&u)
        || (0x3000..=0x30FF).contains(&u)
        || (0x31C0..=0x31FF).contains(&u)
        || (0x3400..=0x4DBF).contains(&u)
        || (0x4E00..=0x9FFF).contains(&u)
        || (0xF900..=0xFAFF).contains(&u)
        || (0xFF00..=0xFFEF).contains(&u)
        || (0x20000..=0x3FFFF).contains(&u)
}

/// Whether a break between `before` and `after` is a break inside a word: not where either side
/// is set solid (CJK) or broken by dictionary (Thai, Lao, Khmer, Myanmar).
fn inside_a_word(before: char, after: char) -> bool {
    before.is_alphanumeric() && after.is_alphanumeric() && !breaks_inside(before) && !breaks_inside(after)
}

/// Whether text in `c`'s script may break between letters without a space: CJK (set solid),
/// Thai, Lao, Khmer and Myanmar (broken by dictionary).
pub fn breaks_inside(c: char) -> bool {
    let u = c as u32;
    is_cjk(c) || (0x0E00..=0x0EFF).contains(&u) || (0x1000..=0x109F).contains(&u) || (0x1780..=0x17FF).contains(&u)
}
/// One shaped cluster of a line, where it was drawn.
struct Piece {
    x: f32,
    advance: f32,
    text: String,
    ink: Ink,
}

/// Whether a character sets the direction of the text around it (a letter of any script).
fn is_strong(c: char) -> bool {
    use unicode_bidi::BidiClass::{AL, AN, EN, L, R};
    matches!(unicode_bidi::bidi_class(c), L | R | AL | EN | AN)
}

/// Whether `c` is a right-to-left letter (Hebrew, Arabic, Syriac, Thaana, N'Ko ...).
pub fn is_rtl(c: char) -> bool {
    use unicode_bidi::BidiClass::{AL, R};
    matches!(unicode_bidi::bidi_class(c), R | AL)
}

/// A neutral drawn in a right-to-left run is drawn mirrored (`(` as `)`); split off from the
/// run, it is written as the character it looks like, so that every renderer draws it so.
fn mirror_char(piece: &str) -> String {
    piece
        .chars()
        .map(|c| match c {
            '(' => ')',
            ')' => '(',
            '[' => ']',
            ']' => '[',
            '{' => '}',
            '}' => '{',
            '<' => '>',
            '>' => '<',
            '«' => '»',
            '»' => '«',
            '‹' => '›',
            '›' => '‹',
            other => other,
        })
        .collect()
}

/// The extra space after each letter: none in scripts whose letters join or stack (Arabic,
/// Indic, Thai) or that are set solid (CJK), where tracking breaks the words apart.
fn letter_spacing(style: &TextStyle, text: &str) -> f32 {
    if style.letter_spacing != 0.0 && text.chars().any(refuses_tracking) {
        0.0
    } else {
        style.letter_spacing * style.size
    }
}

fn refuses_tracking(c: char) -> bool {
    let c = c as u32;
    // Hebrew to Vedic (Arabic, Syriac, Indic, Thai, Lao, Tibetan, Myanmar, Georgian, Hangul
    // Jamo, Ethiopic, Khmer, Mongolian ...), CJK and kana, Hangul, presentation forms.
    (0x0590..=0x1CFF).contains(&c)
        || (0x2E80..=0xA4CF).contains(&c)
        || (0xA840..=0xABFF).contains(&c)
        || (0xAC00..=0xD7FF).contains(&c)
        || (0xF900..=0xFAFF).contains(&c)
        || (0xFB1D..=0xFEFF).contains(&c)
        || (0x20000..=0x3FFFF).contains(&c)
}

/// The inked width of a parley line (its trailing spaces left out).
fn line_ink(line: &parley::layout::Line<'_, Ink>) -> f32 {
    let mut x = 0.0f32;
    let mut right = 0.0f32;
    for run in line.runs() {
        for cluster in run.visual_clusters() {
            x += cluster.advance();
            if !cluster.is_space_or_nbsp() && !cluster.is_hard_line_break() {
                right = x;
            }
        }
    }
    right
}

/// `multi-tenant` with a non-breaking hyphen (U+2011), which the typesetter writes back as
/// `-`: the same glyph, and the text a reader copies.
fn bind_hyphens(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let between = i > 0 && chars[i - 1].is_alphanumeric() && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        out.push(if c == '-' && between { '\u{2011}' } else { c });
    }
    out
}

/// The spans of each line of a text with forced breaks (`\n`), the breaks left out.
fn split_at_breaks(spans: &[Span]) -> Vec<Vec<Span>> {
    let mut parts: Vec<Vec<Span>> = vec![Vec::new()];
    for span in spans {
        for (i, piece) in span.text.split('\n').enumerate() {
            if i > 0 {
                parts.push(Vec::new());
            }
            if !piece.is_empty() {
                if let Some(part) = parts.last_mut() {
                    part.push(Span { text: piece.to_string(), emphasis: span.emphasis });
                }
            }
        }
    }
    parts
}

/// The shorter measures tried, in order, to give a widow company: down to four fifths, since a
/// paragraph much narrower than its column reads as a mistake of its own.
const WIDOW_MEASURES: [f32; 5] = [0.96, 0.92, 0.88, 0.84, 0.80];

/// Whether `c` separates words a line may break between: a space, but not a no-break space
/// (a number bound to its unit, `200 ms`).
fn is_word_space(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}' | '\u{2060}')
}

/// How many lines of `layout` are one word, in a paragraph of several lines (`3 PM`, bound by a
/// no-break space, is two words to a reader); lines in a script that breaks without spaces
/// have no words to count.
fn lone_lines(layout: &Layout<Ink>, text: &str) -> usize {
    let count = layout.len();
    if count < 2 {
        return 0;
    }
    layout
        .lines()
        .enumerate()
        .filter(|(index, line)| {
            let words = text.get(line.text_range()).unwrap_or_default();
            let phrase = index + 1 < count && pause_after(words.trim_end()) > 0;
            !words.chars().any(breaks_inside) && words.split_whitespace().count() == 1 && !phrase
        })
        .count()
}

/// How strong a pause a reader makes after `word`: 2 after the end of a sentence, 1 after a
/// comma, colon, semicolon or dash, 0 otherwise. A line may end there as a phrase ends: a
/// word alone before such a pause ("Sign-ups, / last 30 days") is a phrase, not an accident.
fn pause_after(word: &str) -> u8 {
    let last = word.trim_end_matches(CLOSING_MARKS);
    match last.chars().next_back() {
        Some('.' | '!' | '?' | '…' | '।' | '؟' | '。' | '！' | '？') => 2,
        Some(',' | ';' | ':' | '—' | '–' | '،' | '؛' | '、' | '，') => 1,
        _ => 0,
    }
}

/// What may close a word after its punctuation (`"done."`, `(see below),`, `**fast.**`): the
/// pause is read before them.
const CLOSING_MARKS: [char; 9] = [')', ']', '"', '\'', '”', '’', '»', '*', '_'];

/// [`pause_after`] `word` where `next` follows it: a full stop before a small letter ends an
/// abbreviation ("vs. after", "e.g. a queue"), not a sentence.
fn pause_between(word: &str, next: &str) -> u8 {
    let pause = pause_after(word);
    let abbreviation = word.trim_end_matches(CLOSING_MARKS).ends_with('.')
        && next.chars().find(|c| c.is_alphanumeric()).is_some_and(char::is_lowercase);
    if pause == 2 && abbreviation {
        0
    } else {
        pause
    }
}

/// The lines of `layout` in which a sentence ends before the last word (see
/// [`TextBlock::sentences_inside`]); none in scripts written without spaces.
fn sentences_inside(layout: &Layout<Ink>, text: &str) -> usize {
    if text.chars().any(breaks_inside) {
        return 0;
    }
    layout
        .lines()
        .filter(|line| {
            let words: Vec<&str> = text.get(line.text_range()).unwrap_or_default().split_whitespace().collect();
            words.windows(2).any(|pair| pause_between(pair[0], pair[1]) == 2)
        })
        .count()
}

/// `spans` with a forced break in place of the space after each sentence that another
/// follows, or `None` when the text is one sentence: a title of two sentences is set one
/// sentence to a line (or a few) where that costs it no line.
pub fn break_at_sentences(spans: &[Span]) -> Option<Vec<Span>> {
    let chars: Vec<(char, markup::Emphasis)> =
        spans.iter().flat_map(|span| span.text.chars().map(move |c| (c, span.emphasis))).collect();
    let text: String = chars.iter().map(|&(c, _)| c).collect();
    // Each run of spaces between two words, as char indices, with the words around it.
    let mut breaks = vec![false; chars.len()];
    let mut any = false;
    let mut index = 0;
    while index < chars.len() {
        if !is_word_space(chars[index].0) || chars[index].0 == '\n' {
            index += 1;
            continue;
        }
        let run_end = (index..chars.len()).find(|&i| !is_word_space(chars[i].0)).unwrap_or(chars.len());
        let before: String = chars[..index].iter().map(|&(c, _)| c).collect();
        let after: String = chars[run_end..].iter().map(|&(c, _)| c).collect();
        let word = before.rsplit(char::is_whitespace).next().unwrap_or_default();
        let next = after.split(char::is_whitespace).next().unwrap_or_default();
        let newline_near = chars[index..run_end].iter().any(|&(c, _)| c == '\n');
        if !word.is_empty() && !next.is_empty() && !newline_near && pause_between(word, next) == 2 {
            breaks[index..run_end].iter_mut().for_each(|b| *b = true);
            any = true;
        }
        index = run_end;
    }
    if !any || text.chars().any(breaks_inside) {
        return None;
    }
    let mut out: Vec<Span> = Vec::new();
    let mut last_was_break = false;
    for (&(c, emphasis), &broken) in chars.iter().zip(&breaks) {
        let piece = match (broken, last_was_break) {
            (true, true) => None,
            (true, false) => Some('\n'),
            (false, _) => Some(c),
        };
        last_was_break = broken;
        let Some(piece) = piece else { continue };
        match out.last_mut() {
            Some(span) if span.emphasis == emphasis => span.text.push(piece),
            _ => out.push(Span { text: piece.to_string(), emphasis }),
        }
    }
    Some(out)
}

/// What a line may not break inside, of a paragraph set on one line: where it starts in the
/// text, its width, the width of the space after it, and how many words a reader sees in it
/// (a number bound to its unit is two), and the pause a reader makes after it
/// ([`pause_after`]; none after the last word).
#[derive(Debug, Clone, Copy)]
struct Word {
    start: usize,
    width: f32,
    space_after: f32,
    seen: usize,
    pause: u8,
}

/// The words of `layout` (shaped, broken on one line), in reading order: runs of clusters
/// between spaces, a code chip's spaces kept inside its word.
fn words_of(layout: &Layout<Ink>, text: &str) -> Vec<Word> {
    let mut clusters: Vec<(usize, f32, bool, bool)> = Vec::new();
    for line in layout.lines() {
        for run in line.runs() {
            for cluster in run.clusters() {
                let range = cluster.text_range();
                let piece = text.get(range.clone()).unwrap_or_default();
                let space = !cluster.style().brush.chip && !piece.is_empty() && piece.chars().all(is_word_space);
                let bound = !space && piece.chars().any(char::is_whitespace);
                clusters.push((range.start, cluster.advance(), space, bound));
            }
        }
    }
    clusters.sort_by_key(|c| c.0);
    let mut words: Vec<Word> = Vec::new();
    let mut in_word = false;
    for (start, advance, space, bound) in clusters {
        match (space, words.last_mut()) {
            (true, Some(word)) => {
                word.space_after += advance;
                in_word = false;
            }
            (true, None) => {}
            (false, Some(word)) if in_word => {
                word.width += advance;
                word.seen += usize::from(bound);
            }
            (false, _) => {
                words.push(Word { start, width: advance, space_after: 0.0, seen: 1, pause: 0 });
                in_word = true;
            }
        }
    }
    let ends: Vec<usize> = words.iter().skip(1).map(|w| w.start).chain([text.len()]).collect();
    let last = words.len().saturating_sub(1);
    let pieces: Vec<&str> =
        words.iter().zip(ends).map(|(word, end)| text.get(word.start..end).unwrap_or_default().trim_end()).collect();
    for (index, word) in words.iter_mut().enumerate() {
        word.pause = if index == last { 0 } else { pause_between(pieces[index], pieces[index + 1]) };
    }
    words
}

/// The best way to set `words` in `lines` lines no wider than `max_width`, as a typesetter
/// breaks a title: the fewest lines of one word, then lines that end where a phrase ends
/// (after a full stop, then a comma) as long as no line grows more than [`PHRASE_SLACK`] over
/// the most even setting, then the shortest longest line, then the shortest last line (the
/// fuller lines first, as a reader expects). Each line as (its first word, its width); `None`
/// when no setting fits.
fn even_breaks(words: &[Word], lines: usize, max_width: f32) -> Option<Vec<(usize, f32)>> {
    let evenest = breaks_within(words, lines, max_width, false)?;
    let longest = evenest.iter().map(|&(_, w)| w).fold(0.0, f32::max);
    Some(breaks_within(words, lines, max_width.min(longest * (1.0 + PHRASE_SLACK)), true).unwrap_or(evenest))
}

/// How much longer than the most even setting a title's longest line may grow so that its
/// lines end where its phrases end.
const PHRASE_SLACK: f32 = 0.2;

/// [`even_breaks`] under a measure of `max_width`, with the phrases counted or not. The costs
/// are sums but for the longest line, a maximum that only breaks ties, so the best setting of
/// the first words extends to the best setting of all.
fn breaks_within(words: &[Word], lines: usize, max_width: f32, phrases: bool) -> Option<Vec<(usize, f32)>> {
    let n = words.len();
    if lines < 2 || lines > n {
        return None;
    }
    let width = |from: usize, to: usize| {
        words[from..to].iter().map(|w| w.width + w.space_after).sum::<f32>() - words[to - 1].space_after
    };
    // A line scores the pause it ends on and loses for a sentence that ends inside it (a new
    // sentence starting mid-line).
    let phrase_score = |from: usize, to: usize| -> i32 {
        if !phrases {
            return 0;
        }
        let inside = words[from..to - 1].iter().filter(|w| w.pause == 2).count() as i32;
        i32::from(words[to - 1].pause) - inside
    };
    // best[k][e]: the first `e` words in `k` lines, as (one-word lines, minus the phrase score,
    // longest line, start of the last line).
    type Cost = (usize, i32, f32, usize);
    let mut best: Vec<Vec<Option<Cost>>> = vec![vec![None; n + 1]; lines + 1];
    best[0][0] = Some((0, 0, 0.0, 0));
    for k in 1..=lines {
        for end in k..=n {
            for start in (k - 1)..end {
                let Some((lone, score, longest, _)) = best[k - 1][start] else { continue };
                let w = width(start, end);
                if w > max_width + 0.5 {
                    continue;
                }
                let alone = end - start == 1 && words[start].seen == 1 && words[start].pause == 0;
                let candidate = (lone + usize::from(alone), score - phrase_score(start, end), longest.max(w), start);
                let better = match best[k][end] {
                    None => true,
                    // A longest line within half a pixel is a tie, which the later start (the
                    // shorter last line) wins.
                    Some((l, p, m, _)) => {
                        (candidate.0, candidate.1) < (l, p)
                            || ((candidate.0, candidate.1) == (l, p) && candidate.2 <= m + 0.5)
                    }
                };
                if better {
                    best[k][end] = Some(candidate);
                }
            }
        }
    }
    let mut starts = Vec::with_capacity(lines);
    let mut end = n;
    for k in (1..=lines).rev() {
        let (_, _, _, start) = best[k][end]?;
        starts.push((start, width(start, end)));
        end = start;
    }
    starts.reverse();
    Some(starts)
}

/// Breaks `layout` into `lines` lines by [`even_breaks`], each line given just its own width;
/// false (the layout left for another break) for a script written without spaces, or where
/// no setting fits or the shaper breaks elsewhere.
fn break_evenly(layout: &mut Layout<Ink>, text: &str, lines: usize, max_width: f32) -> bool {
    if text.chars().any(breaks_inside) {
        return false;
    }
    layout.break_all_lines(None);
    let words = words_of(layout, text);
    let Some(plan) = even_breaks(&words, lines, max_width) else { return false };
    // Each line's measure is its own width and a little more: the next word cannot fit in it.
    let slack = 0.75;
    let mut breaker = layout.break_lines();
    breaker.state_mut().set_layout_max_advance(max_width + slack + 0.5);
    for &(_, width) in &plan[..plan.len() - 1] {
        breaker.state_mut().set_line_max_advance(width + slack);
        if breaker.break_next().is_none() {
            break;
        }
    }
    breaker.break_remaining(max_width + slack + 0.5);
    let starts: Vec<usize> = layout.lines().map(|line| line.text_range().start).collect();
    let planned: Vec<usize> = plan.iter().map(|&(first, _)| words[first].start).collect();
    starts == planned && layout.width() <= max_width + slack + 0.5
}

/// Whether the last of several lines is one word after a break at a space. Scripts that break
/// between words without spaces (CJK, Thai) never count: their last line is not a word.
fn ends_with_a_widow(layout: &Layout<Ink>, text: &str) -> bool {
    if layout.len() < 2 {
        return false;
    }
    let Some(last) = layout.lines().last() else { return false };
    let range = last.text_range();
    let after_space = text.get(..range.start).and_then(|t| t.chars().next_back()).is_some_and(char::is_whitespace);
    let words = text.get(range).map_or(0, |line| line.split_whitespace().count());
    after_space && words == 1
}

/// Whether `c` closes what comes before it, so that a line may not start with it.
fn closing_punctuation(c: Option<char>) -> bool {
    c.is_some_and(|c| {
        matches!(c, ',' | '.' | ';' | ':' | '!' | '?' | ')' | ']' | '}' | '%' | '»' | '”' | '’' | '…' | '،' | '؛' | '।')
    })
}

/// Whether a line of `layout` ends inside a word or before closing punctuation: balancing must
/// narrow a title only as far as its longest word, never split one, nor leave a line on a
/// hyphen (`multi- / tenant`) or start one with a comma (`Кириллица / , Tiếng Việt`).
fn breaks_a_word(layout: &Layout<Ink>, text: &str) -> bool {
    layout.lines().any(|line| {
        let end = line.text_range().end;
        let before = text.get(..end).and_then(|t| t.chars().next_back());
        let after = text.get(end..).and_then(|t| t.chars().next());
        let hyphen = text.get(..end).is_some_and(|t| {
            let mut back = t.chars().rev();
            matches!((back.next(), back.next()), (Some('-' | '\u{2010}'), Some(c)) if c.is_alphanumeric())
        }) && after.is_some_and(char::is_alphanumeric);
        closing_punctuation(after) || hyphen || matches!((before, after), (Some(b), Some(a)) if inside_a_word(b, a))
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
    fn paragraphs_give_a_lone_last_word_company_in_as_many_lines() {
        let mut ts = Typesetter::new();
        let text = parse_inline("4 queries on every load, worse under traffic");
        let words = |b: &TextBlock| -> Vec<usize> {
            b.lines
                .iter()
                .map(|l| l.segments.iter().map(|s| s.text.as_str()).collect::<String>().split_whitespace().count())
                .collect()
        };
        let greedy_lines = |ts: &mut Typesetter, width: f32| {
            let (mut layout, _) = ts.shape(&text, &body(46.0));
            layout.break_all_lines(Some(width));
            layout.len()
        };
        // Widths where a greedy break leaves "traffic" alone on the second line.
        let mut widowed = 0;
        for width in (700..1000).step_by(10).map(|w| w as f32) {
            let block = ts.set(&text, &body(46.0), width, Align::Start);
            assert_eq!(block.lines.len(), greedy_lines(&mut ts, width), "{width}: as many lines");
            assert!(block.lines.iter().all(|l| l.width <= width + 0.5));
            if block.lines.len() == 2 {
                widowed += 1;
                assert!(words(&block)[1] >= 2, "{width}: {:?}", words(&block));
            }
        }
        assert!(widowed > 3, "the sweep reaches two-line settings");
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
    fn titles_break_for_pairs_of_words_and_where_phrases_end() {
        let mut ts = Typesetter::new();
        let title = TextStyle { weight: 800, ..body(80.0) };
        let mut set = |text: &str, width: f32| -> Vec<String> {
            let block = ts.set_balanced(&parse_inline(text), &title, width, Align::Start);
            block
                .lines
                .iter()
                .map(|l| l.segments.iter().map(|s| s.text.as_str()).collect::<String>().trim().to_string())
                .collect()
        };
        for width in [560.0, 640.0, 720.0] {
            assert_eq!(set("A token refresh queue", width), ["A token", "refresh queue"], "{width}");
            assert_eq!(set("Sign-ups, last 30 days", width), ["Sign-ups,", "last 30 days"], "{width}");
        }
        for width in [1100.0, 1300.0] {
            let lines = set("It took 14 minutes. Now it takes 90 seconds.", width);
            assert_eq!(lines, ["It took 14 minutes.", "Now it takes 90 seconds."], "{width}");
        }
    }

    #[test]
    fn sentences_are_found_but_not_abbreviations() {
        let text = |spans: Option<Vec<Span>>| spans.map(|s| s.iter().map(|s| s.text.as_str()).collect::<String>());
        assert_eq!(
            text(break_at_sentences(&parse_inline("It took 14 minutes. Now it takes **90 seconds**."))).as_deref(),
            Some("It took 14 minutes.\nNow it takes 90 seconds.")
        );
        assert_eq!(
            text(break_at_sentences(&parse_inline("Ship it! Then **measure.** Done"))).as_deref(),
            Some("Ship it!\nThen measure.\nDone")
        );
        assert_eq!(text(break_at_sentences(&parse_inline("Before vs. after"))), None);
        assert_eq!(text(break_at_sentences(&parse_inline("One sentence, one line."))), None);
        assert_eq!(text(break_at_sentences(&parse_inline("Already.\nBroken."))), None);
        let emphasis = break_at_sentences(&parse_inline("Done. **Fast.**")).unwrap();
        assert!(
            emphasis.iter().any(|s| s.text == "Fast." && s.emphasis != markup::Emphasis::default()),
            "{emphasis:?}"
        );
    }

    #[test]
    fn titles_never_end_a_line_on_a_compounds_hyphen() {
        let mut ts = Typesetter::new();
        let title = TextStyle { weight: 800, ..body(80.0) };
        let text = |b: &TextBlock| -> Vec<String> {
            b.lines
                .iter()
                .map(|l| l.segments.iter().map(|s| s.text.as_str()).collect::<String>().trim().to_string())
                .collect()
        };
        assert!(Fonts::shared().current().family_has(SANS, '\u{2011}'), "Inter draws the non-breaking hyphen");
        for width in [500.0, 560.0, 640.0, 720.0] {
            let block = ts.set_balanced(&parse_inline("Why multi-tenant won"), &title, width, Align::Start);
            assert!(block
                .lines
                .iter()
                .flat_map(|l| &l.segments)
                .all(|s| s.face.family == SANS && !s.text.contains('\u{2011}')));
            assert!(text(&block).iter().all(|l| !l.ends_with('-')), "{width}: {:?}", text(&block));
        }
    }

    #[test]
    fn each_part_of_a_forced_break_is_balanced() {
        let mut ts = Typesetter::new();
        let title = TextStyle { weight: 800, ..body(80.0) };
        let block = ts.set_balanced(
            &parse_inline("Your API is under attack.\nYou don't know it yet."),
            &title,
            900.0,
            Align::Start,
        );
        let lines: Vec<String> = block
            .lines
            .iter()
            .map(|l| l.segments.iter().map(|s| s.text.as_str()).collect::<String>().trim().to_string())
            .collect();
        assert!(lines.iter().all(|l| l.split_whitespace().count() > 1), "{lines:?}");
        assert!(block.lines.windows(2).all(|w| w[1].top > w[0].top), "stacked");
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
    fn the_emoji_selector_asks_for_colour() {
        let mut ts = Typesetter::new();
        for text in ["⚠️ careful", "❤️ love", "▶️ play", "1️⃣ one"] {
            let block = ts.set(&parse_inline(text), &body(40.0), 2000.0, Align::Start);
            let first = &block.lines[0].segments[0];
            assert_eq!(first.face.family, EMOJI, "{text}: {:?}", block.lines[0].segments);
        }
        // Without the selector the text glyph stays.
        let block = ts.set(&parse_inline("⚠ careful"), &body(40.0), 2000.0, Align::Start);
        assert_eq!(block.lines[0].segments[0].face.family, SANS);
    }

    #[test]
    fn inline_code_is_monospace_on_a_chip() {
        let mut ts = Typesetter::new();
        let block = ts.set(&parse_inline("Run `cargo test` now"), &body(40.0), 2000.0, Align::Start);
        let code = block.lines[0].segments.iter().find(|s| s.chip).expect("a chip");
        assert_eq!(code.face.family, MONO);
        assert_eq!(code.text.trim(), "cargo test");
    }

    #[test]
    fn a_code_chip_shorter_than_the_line_is_never_broken() {
        let mut ts = Typesetter::new();
        let spans = parse_inline("Behind a load balancer? Key on `X-Forwarded-For` and `SELECT COUNT(*)` first");
        let style = body(40.0);
        let full = ts.measure(&spans, &style);
        let chips: Vec<String> = vec!["X-Forwarded-For".into(), "SELECT COUNT(*)".into()];
        // Every measure from the chip's own width to the whole line: each chip on one line.
        let widest = ts.measure(&parse_inline("`X-Forwarded-For`"), &style);
        let mut width = widest + 2.0;
        while width < full {
            let block = ts.set(&spans, &style, width, Align::Start);
            let set: Vec<String> = block
                .lines
                .iter()
                .flat_map(|l| &l.segments)
                .filter(|s| s.chip)
                .map(|s| s.text.trim().to_string())
                .collect();
            assert_eq!(set, chips, "at {width:.0} px the chips were set as {set:?}");
            assert!(block.width <= width + 0.5, "at {width:.0} px a line is {:.0} px", block.width);
            width += 17.0;
        }
        // Longer than the line, a chip breaks rather than overflow.
        let block = ts.set(&spans, &style, widest * 0.6, Align::Start);
        assert!(block.width <= widest * 0.6 + 0.5, "a line of {:.0} px in {:.0}", block.width, widest * 0.6);
    }

    fn visual(block: &TextBlock, line: usize) -> Vec<(String, bool)> {
        block.lines[line].segments.iter().map(|s| (s.text.trim().to_string(), s.rtl)).collect()
    }

    #[test]
    fn hebrew_inside_english_keeps_its_place_and_its_logical_order() {
        let mut ts = Typesetter::new();
        let block = ts.set(&parse_inline("abc שלום def"), &body(40.0), 2000.0, Align::Start);
        assert_eq!(
            visual(&block, 0),
            vec![("abc".into(), false), ("שלום".into(), true), ("def".into(), false)],
            "runs left to right, the Hebrew one in logical order for the renderer to reverse"
        );
        let xs: Vec<f32> = block.lines[0].segments.iter().map(|s| s.x).collect();
        assert!(xs.windows(2).all(|w| w[0] < w[1]), "{xs:?}");
    }

    #[test]
    fn numbers_and_latin_inside_arabic_read_from_the_right() {
        let mut ts = Typesetter::new();
        // Auto direction: the first letter is Arabic, so the paragraph runs right to left.
        let block = ts.set(&parse_inline("لدينا 101 استعلام Redis"), &body(40.0), 2000.0, Align::Start);
        let texts: Vec<String> = visual(&block, 0).into_iter().map(|(t, _)| t).collect();
        assert_eq!(texts, vec!["Redis", "استعلام", "101", "لدينا"], "left to right on the slide");
    }

    #[test]
    fn a_code_chip_inside_arabic_keeps_its_brackets() {
        let mut ts = Typesetter::new();
        let block = ts.set(&parse_inline("العدد: `COUNT(*)` فقط"), &body(40.0), 2000.0, Align::Start);
        let chip = block.lines[0].segments.iter().find(|s| s.chip).expect("a chip");
        assert_eq!(chip.text.trim(), "COUNT(*)");
        assert!(block.lines[0].segments.iter().all(|s| !s.text.contains(['\u{2066}', '\u{2069}'])));
    }

    #[test]
    fn a_right_to_left_deck_sets_lines_mirrored_for_the_slide_mirror() {
        let mut ts = Typesetter::with(TextSettings { rtl: true, ..TextSettings::default() });
        let block = ts.set(&parse_inline("שלום abc"), &body(40.0), 2000.0, Align::Start);
        // Set right to left: `abc` is on the left of the line; mirrored in advance it is on the
        // right, so that the slide's mirror puts it back on the left.
        let texts: Vec<String> = visual(&block, 0).into_iter().map(|(t, _)| t).collect();
        assert_eq!(texts, vec!["שלום", "abc"]);
        assert!(block.lines[0].segments[0].x.abs() < 0.5, "the line starts at its first ink");
    }

    #[test]
    fn each_script_is_set_in_its_own_face() {
        let mut ts = Typesetter::new();
        for (text, family) in [
            ("नमस्ते दुनिया", SCRIPTS[2]),
            ("مرحبا بالعالم", SCRIPTS[0]),
            ("שלום עולם", SCRIPTS[1]),
            ("สวัสดีชาวโลก", SCRIPTS[5]),
            ("হ্যালো", SCRIPTS[3]),
            ("வணக்கம்", SCRIPTS[4]),
        ] {
            let block = ts.set(&parse_inline(text), &body(40.0), 2000.0, Align::Start);
            let families: Vec<&str> = block.lines[0].segments.iter().map(|s| s.face.family).collect();
            assert!(families.iter().all(|f| *f == family), "{text}: {families:?}");
        }
    }

    #[test]
    fn joined_scripts_are_never_tracked() {
        let mut ts = Typesetter::new();
        let title = TextStyle { letter_spacing: -0.02, weight: 800, ..body(80.0) };
        let arabic = ts.set(&parse_inline("لوحة التحكم"), &title, 2000.0, Align::Start);
        assert!(arabic.lines[0].segments.iter().all(|s| s.letter_spacing == 0.0));
        let latin = ts.set(&parse_inline("Dashboard"), &title, 2000.0, Align::Start);
        assert!(latin.lines[0].segments[0].letter_spacing < 0.0);
    }

    #[test]
    fn thai_breaks_between_words_and_a_number_keeps_its_cjk_counter() {
        let mut ts = Typesetter::new();
        let thai = "ระบบส่งคำสั่งค้นหาแยกกันสำหรับการคำนวณแต่ละครั้ง";
        let block = ts.set(&parse_inline(thai), &body(40.0), 420.0, Align::Start);
        assert!(block.lines.len() >= 2, "Thai has no spaces, but breaks");
        let first: String = block.lines[0].segments.iter().map(|s| s.text.as_str()).collect();
        // Dictionary breaks: the first line ends at the end of a word of the sentence.
        assert!(
            ["ระบบ", "ส่ง", "คำสั่ง", "ค้นหา", "แยก", "กัน", "สำหรับ", "การ"].iter().any(|w| first.trim_end().ends_with(w)),
            "{first}"
        );
        let mut spans = parse_inline("読み込みに4秒かかっていました");
        crate::blocks::bind_numbers(&mut spans);
        assert!(spans[0].text.contains("4\u{2060}秒"));
    }

    /// Whether the machine has a CJK font: CI installs `fonts-noto-cjk`, so there it must.
    fn cjk_fonts() -> bool {
        let missing = Fonts::shared().find_on_system(&['漢', 'か']);
        if !missing.is_empty() && std::env::var_os("CI").is_some() {
            panic!("CI must have a CJK font (fonts-noto-cjk): {missing:?}");
        }
        missing.is_empty()
    }

    #[test]
    fn cjk_comes_from_the_system_and_breaks_by_its_rules() {
        if !cjk_fonts() {
            eprintln!("skipped: no CJK font on this machine");
            return;
        }
        let mut ts = Typesetter::with(TextSettings { cjk: Some("JP"), ..TextSettings::default() });
        let text = "ユーザーから苦情が来ました。二日で直しました、「本当に」速くなりました。";
        for width in [300.0, 360.0, 420.0, 500.0] {
            let block = ts.set(&parse_inline(text), &body(40.0), width, Align::Start);
            assert!(block.lines.len() > 1);
            for line in &block.lines {
                let first = line.segments.first().and_then(|s| s.text.chars().next()).unwrap();
                assert!(!"、。」）".contains(first), "a line starts with {first} at {width}");
                assert!(
                    line.segments.iter().all(|s| !s.face.family.contains("Inter") && s.face.family != "DejaVu Sans"),
                    "{:?}",
                    line.segments
                );
                assert!(line.width <= width + 0.5);
            }
        }
        let block = ts.set(&parse_inline("漢字"), &body(40.0), 2000.0, Align::Start);
        assert!(block.lines[0].segments[0].face.family.ends_with("JP"), "{:?}", block.lines[0].segments[0].face);
    }

    /// The width parley measures is the width usvg draws: the promise the layout rests on.
    #[test]
    fn measured_width_matches_usvg() {
        let mut ts = Typesetter::new();
        for (text, family, weight) in [
            ("Dashboard loading in 4 seconds", Family::Sans, 400),
            ("Profile before optimizing", Family::Sans, 800),
            ("SELECT COUNT(*) FROM drifts;", Family::Mono, 400),
            ("التحكم", Family::Sans, 700),
            ("הבקרה", Family::Sans, 400),
            ("डैशबोर्ड", Family::Sans, 700),
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
