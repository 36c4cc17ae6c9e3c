//! Layout: a validated slide placed into its kind's template.
//!
//! Owns the typographic decisions: the type scale (from the template's sizes and floors), the
//! vertical rhythm, how each block (kicker, title, subtitle, body, bullets, code, metrics, image,
//! quote) is drawn, the footer, and fitting: when the content is taller than its slot, every
//! block is set smaller in steps, each down to its floor; below the floors the slide fails with a
//! diagnostic at the largest block. Blocks are shared by all kinds; a kind only contributes its
//! template (decorations, slot, defaults). It hands the SVG stage a [`Scene`].

use std::collections::HashMap;
use std::sync::Arc;

use crate::backdrop::{self, Backdrops};
use crate::deck::{Bullet, Code, Deck, Image, Kind, Located, Mark, Metric, MetricValue, Quote, Slide};
use crate::diag::Diagnostic;
use crate::highlight::{self, TokenKind};
use crate::markup::{self, Span};
use crate::scene::{Item, Scene};
use crate::template::{self, HAlign, Rect, Template, VAlign, Wide};
use crate::text::{Align, Family, TextBlock, TextStyle, Typesetter};
use crate::theme::{Color, Theme};
use crate::yaml::Pos;

/// Lays out every slide of a deck. Returns one diagnostic per slide that cannot be laid out.
pub fn layout_deck(deck: &Deck) -> Result<Vec<Scene>, Vec<Diagnostic>> {
    map_slides(deck, |scene| Ok(scene))
}

/// Lays out every slide in parallel and hands each scene to `then` on the same thread (the
/// build renders it there, so a slow slide overlaps with the others). Results keep deck order;
/// every slide's error is collected, not only the first.
pub fn map_slides<T: Send>(
    deck: &Deck,
    then: impl Fn(Scene) -> Result<T, Diagnostic> + Sync,
) -> Result<Vec<T>, Vec<Diagnostic>> {
    let mut done = Vec::with_capacity(deck.slides.len());
    stream_slides(deck, deck.slides.len().max(1), then, |value| {
        done.push(value);
        Ok(())
    })?;
    Ok(done)
}

/// Like [`map_slides`], but hands each result to `sink` in deck order as soon as its window of
/// `window` slides is done, so that no more than one window of results is ever held: a
/// 300-slide build keeps a few rendered slides in memory, not all of them.
///
/// After the first error, later slides are still laid out (every error of a deck is reported
/// at once) but no longer handed to `then` or `sink`: their output would be thrown away.
pub fn stream_slides<T: Send>(
    deck: &Deck,
    window: usize,
    then: impl Fn(Scene) -> Result<T, Diagnostic> + Sync,
    mut sink: impl FnMut(T) -> Result<(), Diagnostic>,
) -> Result<(), Vec<Diagnostic>> {
    use rayon::prelude::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    let mut templates = Templates::default();
    let mut errors = Vec::new();
    for slide in &deck.slides {
        if let Err(error) = templates.get(deck, slide.kind) {
            if !errors.contains(&error) {
                errors.push(error);
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let plan = Plan::new(deck, &templates);
    let failed = AtomicBool::new(false);
    for chunk in deck.slides.chunks(window.max(1)) {
        let results: Vec<Result<Option<T>, Diagnostic>> = chunk
            .par_iter()
            .map_init(Typesetter::new, |typesetter, slide| {
                let template = templates
                    .loaded
                    .get(&slide.kind)
                    .cloned()
                    .ok_or_else(|| Diagnostic::error(slide.pos, "no layout"))?;
                let scene = layout_slide(deck, slide, template, &plan, typesetter)?;
                if failed.load(Ordering::Relaxed) {
                    return Ok(None);
                }
                then(scene).map(Some)
            })
            .collect();
        for result in results {
            match result {
                Ok(Some(value)) if errors.is_empty() => {
                    if let Err(error) = sink(value) {
                        errors.push(error);
                    }
                }
                Ok(_) => {}
                Err(error) => errors.push(error),
            }
        }
        if !errors.is_empty() {
            failed.store(true, Ordering::Relaxed);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Templates of one deck, read once per kind.
#[derive(Default)]
pub struct Templates {
    loaded: HashMap<Kind, Arc<Template>>,
}

impl Templates {
    /// The template for `kind` in `deck` (its `layouts:` folder first).
    pub fn get(&mut self, deck: &Deck, kind: Kind) -> Result<Arc<Template>, Diagnostic> {
        if let Some(template) = self.loaded.get(&kind) {
            return Ok(template.clone());
        }
        let template = template::load(kind, deck.layouts.as_deref()).map_err(|e| e.to_diagnostic())?;
        let template = Arc::new(template);
        self.loaded.insert(kind, template.clone());
        Ok(template)
    }
}

/// How much smaller each fitting step sets the content.
const SHRINK_STEP: f32 = 0.06;
/// How much larger each step sets a sparse slide, and how many steps at most.
const GROW_STEP: f32 = 0.08;
const GROW_STEPS: u32 = 4;
/// A slide grows only while its content fills less than this share of the slot.
const SPARSE_SHARE: f32 = 0.6;

/// Deck-wide decisions made before any slide is placed: the title line of every kind whose
/// layout puts its group on a line (`data-valign="line"`), so that a swipe from one slide of a
/// kind to the next does not make the title jump.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    lines: HashMap<Kind, f32>,
    backdrops: Backdrops,
}

impl Plan {
    /// Measures every slide that sits on a title line and keeps, per kind, the highest line any
    /// of them needs (the layout's own line when they all fit under it). Slides that cannot be
    /// laid out are left out: their error is reported when they are laid out for real.
    pub fn new(deck: &Deck, templates: &Templates) -> Plan {
        use rayon::prelude::*;
        let needs: Vec<(Kind, f32)> = deck
            .slides
            .par_iter()
            .map_init(Typesetter::new, |ts, slide| {
                let template = templates.loaded.get(&slide.kind)?;
                if template.params.valign != VAlign::Line {
                    return None;
                }
                let arranged = arrange_fitted(deck, slide, template, ts).ok()?;
                let content = template.content_on(deck.size);
                let preferred = content.y + content.height * template.params.line;
                let lowest = content.bottom() - arranged.below;
                Some((slide.kind, preferred.min(lowest)))
            })
            .flatten()
            .collect();
        let mut lines: HashMap<Kind, f32> = HashMap::new();
        for (kind, line) in needs {
            let entry = lines.entry(kind).or_insert(line);
            *entry = entry.min(line);
        }
        Plan { lines, backdrops: Backdrops::new(deck) }
    }
}

/// Lays out one slide.
pub fn layout_slide(
    deck: &Deck,
    slide: &Slide,
    template: Arc<Template>,
    plan: &Plan,
    ts: &mut Typesetter,
) -> Result<Scene, Diagnostic> {
    let s = template.text_scale(deck.size);
    let content = template.content_on(deck.size);
    let footer = template.footer_on(deck.size);
    let params = &template.params;
    let arranged = arrange_fitted(deck, slide, &template, ts)?;
    let total = arranged.above + arranged.below;
    // `line` is where the title's top goes; the kicker sits above it.
    let line = match params.valign {
        VAlign::Top => content.y + arranged.above,
        // The optical centre sits a little above the geometric one.
        VAlign::Center => content.y + (content.height - total).max(0.0) * 0.45 + arranged.above,
        VAlign::Line => {
            let preferred = content.y + content.height * params.line;
            let line = plan.lines.get(&slide.kind).copied().unwrap_or(preferred);
            line.min(content.bottom() - arranged.below).max(content.y + arranged.above)
        }
    };
    let mut items = Vec::new();
    for (dx, dy, block) in arranged.blocks {
        for mut item in block.items {
            item.translate(content.x + dx, line + dy);
            items.push(item);
        }
    }
    items.extend(footer_items(deck, slide, footer, s, ts));
    if let Some(background) = &slide.background {
        // Type from this size on counts as large for contrast (3:1): titles, big numbers.
        let large = 56.0 * s;
        let pixels = plan.backdrops.get(&background.asset);
        let opacity = backdrop::scrim_opacity(pixels, &items, deck.theme.background, background.dim, large);
        let mut behind = backdrop::items(&background.asset, deck.size, deck.theme.background, opacity).to_vec();
        behind.append(&mut items);
        items = behind;
    }
    let fs = template.scale(deck.size).min(s);
    let at_floor = params.body.0 * s * arranged.fit <= params.body.1 * fs + 0.01;
    Ok(Scene {
        number: slide.number,
        size: deck.size,
        template,
        theme: deck.theme.clone(),
        items,
        alt: alt_text(slide),
        fit: arranged.fit,
        at_floor,
    })
}

/// A slide's blocks divided over the slot and fitted to it, relative to the title line: each
/// block with its offset from the slot's left edge and from the line.
struct Arranged {
    blocks: Vec<(f32, f32, Block)>,
    /// How far the group reaches above the title line (the kicker).
    above: f32,
    /// How far it reaches below.
    below: f32,
    /// The fitting factor the type was set at.
    fit: f32,
}

/// The slide's blocks at the largest type that fits the slot (a sparse slide set a little
/// larger), arranged for the slide's shape; an error names the largest block when nothing fits.
fn arrange_fitted(
    deck: &Deck,
    slide: &Slide,
    template: &Template,
    ts: &mut Typesetter,
) -> Result<Arranged, Diagnostic> {
    let s = template.text_scale(deck.size);
    let fs = template.scale(deck.size).min(s);
    let content = template.content_on(deck.size);
    let params = &template.params;
    let (w, h) = (deck.size.width as f32, deck.size.height as f32);
    // A squarer slide has less height for the same measure: its rhythm tightens, down to 80%.
    let rhythm = if Template::is_wide(deck.size) { 0.9 } else { ((h / w) / 1.25).clamp(0.8, 1.0) };
    // Titles are already large and set in balanced lines: they never grow, only shrink.
    let sizes_at = |f: f32| Sizes {
        title: (params.title.0 * s * f.min(1.0)).max(params.title.1 * fs),
        body: (params.body.0 * s * f).max(params.body.1 * fs),
        gap: (44.0 * s * f * rhythm).max(26.0 * fs),
        f,
    };
    // The arrangements the slide's shape allows, preferred first; at each size the first that
    // fits wins, so a slide is set in the other arrangement rather than smaller.
    let choices: &[Choice] = if Template::is_wide(deck.size) {
        &[Choice::Preferred, Choice::Stack]
    } else if w >= h {
        &[Choice::Preferred, Choice::Columns]
    } else {
        &[Choice::Preferred]
    };
    let mut step = 0u32;
    let (mut arranged, choice) = 'fit: loop {
        let f = 1.0 - SHRINK_STEP * step as f32;
        let sizes = sizes_at(f);
        let mut tallest = None;
        for &choice in choices {
            let mut arranged = arrange(deck, slide, template, &sizes, choice, ts);
            arranged.fit = f;
            if arranged.above + arranged.below <= content.height {
                break 'fit (arranged, choice);
            }
            tallest.get_or_insert(arranged);
        }
        let Some(arranged) = tallest else {
            // `choices` is never empty: this only satisfies the type.
            break 'fit (arrange(deck, slide, template, &sizes, Choice::Preferred, ts), Choice::Preferred);
        };
        let height = arranged.above + arranged.below;
        let at_floor = sizes.title <= params.title.1 * fs + 0.01 && sizes.body <= params.body.1 * fs + 0.01 && f < 0.45;
        if at_floor {
            let largest = arranged.blocks.iter().map(|(_, _, b)| b).max_by(|a, b| a.height.total_cmp(&b.height));
            let (name, pos) = largest.map(|b| (b.name, b.pos)).unwrap_or(("content", slide.pos));
            return Err(Diagnostic::error(
                if pos.is_known() { pos } else { slide.pos },
                format!(
                    "slide {} ({}) does not fit: its content needs {:.0} px but the layout has {:.0} px, even at the smallest type; `{name}` is the largest block",
                    slide.number,
                    slide.kind.name(),
                    height,
                    content.height
                ),
            )
            .with_help(format!("shorten `{name}` or move part of it to another slide")));
        }
        step += 1;
    };
    // A slide that holds little is set larger, so it reads as designed rather than lost in space.
    if step == 0 {
        for grow in 1..=GROW_STEPS {
            let f = 1.0 + GROW_STEP * grow as f32;
            let mut bigger = arrange(deck, slide, template, &sizes_at(f), choice, ts);
            bigger.fit = f;
            if bigger.above + bigger.below > content.height * SPARSE_SHARE {
                break;
            }
            arranged = bigger;
        }
    }
    Ok(arranged)
}

/// An arrangement of a slide's blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    /// What the layout and the shape ask for (`data-landscape` on a wide slide).
    Preferred,
    /// One column: the heading over the blocks.
    Stack,
    /// One column, with blocks setting their parts side by side.
    Columns,
}

/// Blocks that carry running text; on a wide slide they go with the heading when a figure
/// takes the other column (code beside its explanation).
const PROSE: &[&str] = &["body", "bullets", "quote"];
/// Blocks of the heading.
const HEADING: &[&str] = &["label", "title", "subtitle"];

/// Divides the slot for the slide's shape and lays the blocks out at `sizes`.
///
/// Portrait and square, and kinds whose layout says `stack`: one column, the heading over the
/// blocks. Wide slides with a title: the heading in a left column (`data-heading-share` of the
/// slot), the blocks in the right one, the title's top level with the first block's; when the
/// blocks are prose and figures, the prose joins the heading and the figures take the right
/// column. A grid of three or more metric cards, or code too long for the column, needs the
/// whole width: then the heading stays on top and the blocks run across the slide.
fn arrange(
    deck: &Deck,
    slide: &Slide,
    template: &Template,
    sizes: &Sizes,
    choice: Choice,
    ts: &mut Typesetter,
) -> Arranged {
    let s = template.text_scale(deck.size);
    let fs = template.scale(deck.size).min(s);
    let content = template.content_on(deck.size);
    let params = &template.params;
    let measure = content.width.min(params.max_width * s);
    let is_wide = Template::is_wide(deck.size);
    let full = Ctx {
        theme: &deck.theme,
        s,
        fs,
        width: measure,
        align: params.align,
        slot_height: content.height,
        columns: is_wide || choice == Choice::Columns,
    };
    let wide = is_wide && choice == Choice::Preferred && params.wide == Wide::Beside && slide.title.is_some();
    let gutter = content.width * 0.06;
    let left_width = (content.width - gutter) * params.heading_share;
    let right_width = content.width - gutter - left_width;
    let code_fits_column = slide.code.as_ref().is_none_or(|code| {
        let longest = code.source.value.lines().map(|l| l.replace('\t', "    ").chars().count()).max().unwrap_or(0);
        longest as f32 * 0.6 * 26.0 * fs <= right_width - 72.0 * s
    });
    let grid = slide.metrics.iter().filter(|m| matches!(m.value, MetricValue::Single(_))).count() >= 3;
    let has_prose = !slide.bullets.is_empty() || slide.body.is_some() || slide.quote.is_some();
    let has_figure = slide.code.is_some() || slide.image.is_some() || !slide.metrics.is_empty();
    if !wide || grid || !code_fits_column || !(has_prose || has_figure) {
        let blocks = build_blocks(&full, slide, template, sizes, ts, &|_| true);
        return stacked(0.0, full.width, params.align, content.width, blocks, true);
    }
    let left_ctx = Ctx { width: left_width, slot_height: content.height * 1.6, ..full };
    let right_ctx = Ctx { width: right_width.min(params.max_width * s), slot_height: content.height * 1.6, ..full };
    // A picture has no words of its own: the running text stays beside it as its caption, so
    // the words span the slide; code and numbers take the column and the text joins the title.
    let figure_has_words = slide.code.is_some() || !slide.metrics.is_empty();
    let prose_left = has_prose && figure_has_words;
    let in_left = |name: &str| HEADING.contains(&name) || (prose_left && PROSE.contains(&name));
    let left = build_blocks(&left_ctx, slide, template, sizes, ts, &|name| in_left(name));
    let right = build_blocks(&right_ctx, slide, template, sizes, ts, &|name| !in_left(name));
    let mut left = stacked(0.0, left_ctx.width, params.align, left_ctx.width, left, true);
    let mut right = stacked(left_width + gutter, right_ctx.width, params.align, right_width, right, false);
    // The blocks start level with the title; when that leaves them too little room, they start
    // level with the kicker instead.
    if right.below > content.height - left.above && left.above > 0.0 {
        for (_, dy, _) in &mut right.blocks {
            *dy -= left.above;
        }
        right.below -= left.above;
        right.above += left.above;
    }
    left.above = left.above.max(right.above);
    left.below = left.below.max(right.below);
    left.blocks.extend(right.blocks);
    left
}

/// One column of blocks, top to bottom, starting at `x`: the title line is the top of the
/// first block after the kicker (or of the first block when `heading` is false).
fn stacked(x: f32, width: f32, align: HAlign, room: f32, blocks: Vec<Block>, heading: bool) -> Arranged {
    let left = match align {
        HAlign::Start => x,
        HAlign::Center => x + (room - width) / 2.0,
    };
    let mut placed = Vec::with_capacity(blocks.len());
    let mut y = 0.0;
    let mut above = 0.0;
    for (index, block) in blocks.into_iter().enumerate() {
        if index > 0 {
            y += block.gap_before;
        }
        if heading && index == 0 && block.name == "label" {
            // The kicker and its gap sit above the line: measure from the next block.
            above = block.height;
        }
        let dx = match align {
            HAlign::Center => left + (width - block.width) / 2.0,
            HAlign::Start => left,
        };
        let height = block.height;
        placed.push((dx, y, block));
        y += height;
    }
    // Shift so that the line (y = 0) is the top of the block after the kicker.
    let shift = if above > 0.0 { placed.get(1).map(|(_, y, _)| *y).unwrap_or(above) } else { 0.0 };
    for (_, y, _) in &mut placed {
        *y -= shift;
    }
    Arranged { blocks: placed, above: shift, below: y - shift, fit: 1.0 }
}

/// Shared inputs of every block on a slide.
#[derive(Clone, Copy)]
struct Ctx<'a> {
    theme: &'a Theme,
    /// Type scale ([`Template::text_scale`]).
    s: f32,
    /// Scale of the smallest sizes ([`Template::scale`]): on a wide slide type grows more than
    /// the slide's height, so the floors follow the geometry and dense content still fits.
    fs: f32,
    width: f32,
    align: HAlign,
    slot_height: f32,
    /// Whether blocks may set their parts side by side (before/after pairs in columns): on
    /// wide and square slides, not on portrait, the phone's one-column shape.
    columns: bool,
}

/// Type sizes at one fitting step.
struct Sizes {
    title: f32,
    body: f32,
    gap: f32,
    /// The step's factor, for sizes that are not set by the template.
    f: f32,
}

/// A block laid out at the origin: its items, its size and the space above it.
struct Block {
    name: &'static str,
    pos: Pos,
    items: Vec<Item>,
    width: f32,
    height: f32,
    gap_before: f32,
}

/// The slide's blocks whose names `include` accepts, each laid out at the origin.
fn build_blocks(
    ctx: &Ctx,
    slide: &Slide,
    template: &Template,
    sizes: &Sizes,
    ts: &mut Typesetter,
    include: &dyn Fn(&str) -> bool,
) -> Vec<Block> {
    let s = ctx.s;
    let theme = ctx.theme;
    let mut blocks = Vec::new();
    let label = match &slide.label {
        Some(label) => label.value.clone(),
        None => template.params.label.clone(),
    };
    // A kicker that only repeats the title ("THE PROBLEM" over "The Problem") is noise.
    let repeats_title =
        slide.title.as_ref().is_some_and(|t| markup::plain_text(&t.value).trim().eq_ignore_ascii_case(label.trim()));
    if !label.trim().is_empty() && !repeats_title && include("label") {
        let style = TextStyle {
            letter_spacing: 0.14,
            weight: 700,
            line_height: 1.2,
            ..style(theme, Family::Sans, 28.0 * s, theme.accent)
        };
        let spans = vec![Span { text: label.to_uppercase(), emphasis: Default::default() }];
        let text = ts.set(&spans, &style, ctx.width, text_align(ctx));
        blocks.push(text_block("label", slide.label.as_ref().map(|l| l.pos).unwrap_or(slide.pos), text, 0.0));
    }
    if let Some(title) = slide.title.as_ref().filter(|_| include("title")) {
        let style = TextStyle {
            weight: 800,
            line_height: 1.08,
            letter_spacing: -0.02,
            ..style(theme, Family::Sans, sizes.title, theme.text)
        };
        let spans = title_spans(&title.value);
        let floor = template.params.title.1 * ctx.fs;
        // A narrow column (the heading beside the blocks) must not break a word: the title is
        // set smaller, down to its floor, until its longest word fits the measure.
        let widest = markup::plain_text(&title.value)
            .split_whitespace()
            .map(|word| ts.measure(&[Span { text: word.to_string(), emphasis: Default::default() }], &style))
            .fold(0.0, f32::max);
        let style = if widest > ctx.width {
            TextStyle { size: (style.size * ctx.width / widest * 0.98).max(floor), ..style }
        } else {
            style
        };
        // A lone word on a title's last line reads as an accident: set the title a little
        // smaller (at most 18%, never below its floor) when that lets the words pair up.
        let mut text = ts.set_balanced(&spans, &style, ctx.width, text_align(ctx));
        for factor in [0.94, 0.88, 0.82] {
            if !ends_with_lone_word(&text) || style.size * factor < floor {
                break;
            }
            let smaller = TextStyle { size: style.size * factor, ..style };
            let candidate = ts.set_balanced(&spans, &smaller, ctx.width, text_align(ctx));
            if !ends_with_lone_word(&candidate) {
                text = candidate;
                break;
            }
        }
        blocks.push(text_block("title", title.pos, text, 28.0 * s));
    }
    if let Some(subtitle) = slide.subtitle.as_ref().filter(|_| include("subtitle")) {
        let size = (sizes.body * 1.15).max(sizes.body);
        let style = TextStyle { line_height: 1.3, ..style(theme, Family::Sans, size, theme.muted) };
        let text = ts.set_balanced(&inline(&subtitle.value), &style, ctx.width, text_align(ctx));
        blocks.push(text_block("subtitle", subtitle.pos, text, 24.0 * s * sizes.f.max(0.7)));
    }
    for name in template.params.order.iter().filter(|name| include(name)) {
        let block = match name.as_str() {
            "quote" => slide.quote.as_ref().map(|q| quote_block(ctx, q, sizes, slide.kind == Kind::Quote, ts)),
            "body" => slide.body.as_ref().map(|b| body_block(ctx, b, sizes, ts)),
            "bullets" => (!slide.bullets.is_empty()).then(|| bullets_block(ctx, &slide.bullets, sizes, ts)),
            "code" => slide.code.as_ref().map(|c| code_block(ctx, c, sizes, ts)),
            "metrics" => (!slide.metrics.is_empty()).then(|| metrics_block(ctx, &slide.metrics, sizes, ts)),
            "image" => slide.image.as_ref().map(|i| image_block(ctx, i, sizes)),
            _ => None,
        };
        if let Some(mut block) = block {
            block.gap_before = if blocks.is_empty() { 0.0 } else { sizes.gap };
            blocks.push(block);
        }
    }
    // The first content block after a title sits a little further away than the title from its kicker.
    if let Some(first) = blocks.first_mut() {
        first.gap_before = 0.0;
    }
    // Centred text is already centred within the measure by the typesetter.
    if ctx.align == HAlign::Center {
        for block in &mut blocks {
            if matches!(block.name, "label" | "title" | "subtitle" | "body" | "quote") {
                block.width = ctx.width;
            }
        }
    }
    blocks
}

/// Whether a block of several lines ends with a line of one word.
fn ends_with_lone_word(text: &TextBlock) -> bool {
    let Some(last) = text.lines.last() else { return false };
    let words: String = last.segments.iter().map(|s| s.text.as_str()).collect();
    text.lines.len() > 1 && words.split_whitespace().count() == 1
}

fn text_align(ctx: &Ctx) -> Align {
    match ctx.align {
        HAlign::Start => Align::Start,
        HAlign::Center => Align::Center,
    }
}

fn style(theme: &Theme, family: Family, size: f32, color: Color) -> TextStyle {
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
fn bind_numbers(spans: &mut [Span]) {
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
                bound.push(c);
            }
            previous_was_digit = c.is_ascii_digit();
        }
        span.text = bound;
    }
}

/// Inline markup of one text field, paragraphs joined with hard breaks.
fn inline(text: &str) -> Vec<Span> {
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

fn text_block(name: &'static str, pos: Pos, text: TextBlock, gap_before: f32) -> Block {
    let mut items = Vec::new();
    push_text(&mut items, &text, 0.0, 0.0, None);
    Block { name, pos, width: text.width, height: text.height, items, gap_before }
}

/// Adds a text block's segments at (`dx`, `dy`), with chips behind inline code.
fn push_text(items: &mut Vec<Item>, text: &TextBlock, dx: f32, dy: f32, chip: Option<Color>) {
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

fn body_block(ctx: &Ctx, body: &Located<String>, sizes: &Sizes, ts: &mut Typesetter) -> Block {
    let theme = ctx.theme;
    let style = TextStyle { line_height: 1.42, ..style(theme, Family::Sans, sizes.body, theme.text) };
    let mut items = Vec::new();
    let mut y = 0.0;
    let mut width: f32 = 0.0;
    for (index, mut paragraph) in markup::parse(&body.value).into_iter().enumerate() {
        if index > 0 {
            y += sizes.body * 0.6;
        }
        bind_numbers(&mut paragraph);
        let text = ts.set(&paragraph, &style, ctx.width, text_align(ctx));
        push_text(&mut items, &text, 0.0, y, Some(theme.surface));
        y += text.height;
        width = width.max(if ctx.align == HAlign::Center { ctx.width } else { text.width });
    }
    Block { name: "body", pos: body.pos, items, width, height: y, gap_before: 0.0 }
}

fn bullets_block(ctx: &Ctx, bullets: &[Bullet], sizes: &Sizes, ts: &mut Typesetter) -> Block {
    let theme = ctx.theme;
    let size = sizes.body;
    let column = size * 1.55;
    let style = TextStyle { line_height: 1.36, ..style(theme, Family::Sans, size, theme.text) };
    let mut items = Vec::new();
    let mut y = 0.0;
    let mut width: f32 = 0.0;
    let mut number = 0;
    for (index, bullet) in bullets.iter().enumerate() {
        if index > 0 {
            y += size * 0.62;
        }
        let text = ts.set(&inline(&bullet.text.value), &style, ctx.width - column, Align::Start);
        let first = text.lines.first();
        let baseline = first.and_then(|l| l.segments.first()).map(|s| s.y).unwrap_or(size);
        // Marks centre on the x-height of the first line, so they sit with the words.
        let center_y = y + baseline - size * 0.36;
        if bullet.mark == Mark::Number {
            number += 1;
        }
        draw_mark(&mut items, &bullet.mark, number, size * 0.5, center_y, size, theme, ts);
        push_text(&mut items, &text, column, y, Some(theme.surface));
        y += text.height;
        width = width.max(column + text.width);
    }
    Block { name: "bullets", pos: bullets[0].text.pos, items, width, height: y, gap_before: 0.0 }
}

/// Draws a bullet mark centred on (`cx`, `cy`) for text of `size`.
#[allow(clippy::too_many_arguments)]
fn draw_mark(
    items: &mut Vec<Item>,
    mark: &Mark,
    number: usize,
    cx: f32,
    cy: f32,
    size: f32,
    theme: &Theme,
    ts: &mut Typesetter,
) {
    let r = size * 0.5;
    let ink = theme.background;
    let line = size * 0.1;
    match mark {
        Mark::Dot => items.push(Item::Circle { cx, cy, r: size * 0.15, fill: theme.accent }),
        Mark::Check => {
            items.push(Item::Circle { cx, cy, r, fill: theme.good });
            let d = path(&[
                ('M', cx - r * 0.45, cy + r * 0.02),
                ('L', cx - r * 0.12, cy + r * 0.35),
                ('L', cx + r * 0.48, cy - r * 0.32),
            ]);
            items.push(Item::Path { d, fill: None, stroke: Some((ink, line)) });
        }
        Mark::Cross => {
            items.push(Item::Circle { cx, cy, r, fill: theme.bad });
            let k = r * 0.36;
            let d = path(&[('M', cx - k, cy - k), ('L', cx + k, cy + k), ('M', cx + k, cy - k), ('L', cx - k, cy + k)]);
            items.push(Item::Path { d, fill: None, stroke: Some((ink, line)) });
        }
        Mark::Warn => {
            let d = path(&[
                ('M', cx, cy - r * 1.02),
                ('L', cx + r * 1.1, cy + r * 0.9),
                ('L', cx - r * 1.1, cy + r * 0.9),
                ('Z', 0.0, 0.0),
            ]);
            items.push(Item::Path { d, fill: Some(theme.warn), stroke: Some((theme.warn, line * 0.8)) });
            let bar = path(&[('M', cx, cy - r * 0.38), ('L', cx, cy + r * 0.28)]);
            items.push(Item::Path { d: bar, fill: None, stroke: Some((ink, line)) });
            items.push(Item::Circle { cx, cy: cy + r * 0.6, r: line * 0.62, fill: ink });
        }
        Mark::Number => {
            items.push(Item::Circle { cx, cy, r: r * 1.05, fill: theme.accent });
            let digits = (size * 0.62).max(24.0 * size / 38.0).max(24.0);
            let style =
                TextStyle { weight: 800, line_height: 1.0, ..style(theme, Family::Sans, digits, theme.on_accent) };
            let spans = vec![Span { text: number.to_string(), emphasis: Default::default() }];
            let text = ts.set(&spans, &style, size * 4.0, Align::Start);
            let digits_x = cx - text.width / 2.0;
            // Digits' cap height is about 0.73 em in Inter: centre it on the disc.
            let baseline = cy + digits * 0.365;
            place_line(items, &text, digits_x, baseline);
        }
        Mark::Emoji(emoji) => {
            let style = style(theme, Family::Sans, size * 0.95, theme.text);
            let spans = vec![Span { text: emoji.clone(), emphasis: Default::default() }];
            let text = ts.set(&spans, &style, size * 4.0, Align::Start);
            let baseline = cy + size * 0.95 * 0.36;
            place_line(items, &text, cx - text.width / 2.0, baseline);
        }
    }
}

/// Adds a one-line text's runs moved right by `x`, on the baseline `baseline`.
fn place_line(items: &mut Vec<Item>, text: &TextBlock, x: f32, baseline: f32) {
    for segment in text.lines.iter().take(1).flat_map(|l| &l.segments) {
        let mut segment = segment.clone();
        segment.x += x;
        segment.y = baseline;
        items.push(Item::Text(segment));
    }
}

/// Path data from absolute commands, in the token form [`Item::translate`] expects.
fn path(commands: &[(char, f32, f32)]) -> String {
    let mut d = Vec::new();
    for (command, x, y) in commands {
        d.push(command.to_string());
        if *command != 'Z' {
            d.push(template::num(*x));
            d.push(template::num(*y));
        }
    }
    d.join(" ")
}

fn code_block(ctx: &Ctx, code: &Code, sizes: &Sizes, ts: &mut Typesetter) -> Block {
    let s = ctx.s;
    let theme = ctx.theme;
    let pad = 36.0 * s;
    let inner = ctx.width - 2.0 * pad;
    let longest = code.source.value.lines().map(|l| l.replace('\t', "    ").chars().count()).max().unwrap_or(1).max(1);
    // JetBrains Mono advances 0.6 em per character: shrink to fit the longest line, down to the floor, then wrap.
    let fitting = inner / (longest as f32 * 0.6) * 0.995;
    let size = (30.0 * s * sizes.f).min(fitting).max(26.0 * ctx.fs);
    let palette = &theme.code;
    let lines = highlight::highlight(code.lang, &code.source.value).unwrap_or_default();
    let mut runs = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if index > 0 {
            runs.push(("\n".to_string(), palette.plain));
        }
        for span in line {
            let color = match span.kind {
                TokenKind::Plain => palette.plain,
                TokenKind::Keyword => palette.keyword,
                TokenKind::String => palette.string,
                TokenKind::Number => palette.number,
                TokenKind::Comment => palette.comment,
                TokenKind::Function => palette.function,
                TokenKind::Type => palette.r#type,
                TokenKind::Punctuation => palette.punctuation,
            };
            runs.push((span.text.clone(), color));
        }
    }
    let code_style = TextStyle { line_height: 1.45, ..style(theme, Family::Mono, size, palette.plain) };
    let text = ts.set_runs(&runs, &code_style, inner);
    let mut items = Vec::new();
    let bar = 44.0 * s;
    let panel_height = bar + text.height + pad;
    items.push(Item::Rect {
        rect: Rect { x: 0.0, y: 0.0, width: ctx.width, height: panel_height },
        radius: 24.0 * s,
        fill: theme.surface,
        opacity: 1.0,
    });
    // Window dots and the language: the panel reads as code at a glance.
    for (i, color) in [theme.bad, theme.warn, theme.good].into_iter().enumerate() {
        items.push(Item::Circle { cx: pad + i as f32 * 24.0 * s, cy: bar * 0.62, r: 7.0 * s, fill: color });
    }
    if code.lang != "text" {
        let label_style = TextStyle {
            weight: 700,
            letter_spacing: 0.1,
            line_height: 1.0,
            ..style(theme, Family::Sans, 24.0 * s, theme.muted)
        };
        let spans = vec![Span { text: code.lang.to_uppercase(), emphasis: Default::default() }];
        let label = ts.set(&spans, &label_style, inner, Align::Start);
        let x = ctx.width - pad - label.width;
        place_line(&mut items, &label, x, bar * 0.62 + 24.0 * s * 0.36);
    }
    push_text(&mut items, &text, pad, bar + pad * 0.4, None);
    let mut height = panel_height;
    if let Some(caption) = &code.caption {
        let caption_style = TextStyle {
            line_height: 1.3,
            ..style(theme, Family::Sans, (sizes.body * 0.78).max(26.0 * s), theme.muted)
        };
        let caption_text = ts.set(&inline(&caption.value), &caption_style, ctx.width, Align::Start);
        height += 16.0 * s;
        push_text(&mut items, &caption_text, 0.0, height, Some(theme.surface));
        height += caption_text.height;
    }
    Block { name: "code", pos: code.source.pos, items, width: ctx.width, height, gap_before: 0.0 }
}

fn metrics_block(ctx: &Ctx, metrics: &[Metric], sizes: &Sizes, ts: &mut Typesetter) -> Block {
    // Across a wide slide, the before/after pairs and the single values sit side by side.
    let is_compare = |m: &Metric| matches!(m.value, MetricValue::Compare { .. });
    let (pairs, singles): (Vec<Metric>, Vec<Metric>) = metrics.iter().cloned().partition(|m| is_compare(m));
    if ctx.columns && !pairs.is_empty() && !singles.is_empty() && ctx.width >= 1000.0 * ctx.s {
        let gutter = 48.0 * ctx.s;
        let half = (ctx.width - gutter) / 2.0;
        let column = Ctx { width: half, columns: false, ..*ctx };
        let mut left = metrics_block(&column, &pairs, sizes, ts);
        let right = metrics_block(&column, &singles, sizes, ts);
        for mut item in right.items {
            item.translate(half + gutter, 0.0);
            left.items.push(item);
        }
        left.height = left.height.max(right.height);
        left.width = ctx.width;
        return left;
    }
    let mut items = Vec::new();
    let mut y = 0.0;
    let mut index = 0;
    while index < metrics.len() {
        if index > 0 {
            y += sizes.gap * 0.8;
        }
        match &metrics[index].value {
            MetricValue::Compare { .. } => {
                let run =
                    metrics[index..].iter().take_while(|m| matches!(m.value, MetricValue::Compare { .. })).count();
                y += compare_metrics(ctx, &metrics[index..index + run], sizes, ts, &mut items, y);
                index += run;
            }
            MetricValue::Single(_) => {
                let run = metrics[index..].iter().take_while(|m| matches!(m.value, MetricValue::Single(_))).count();
                y += single_metrics(ctx, &metrics[index..index + run], sizes, ts, &mut items, y);
                index += run;
            }
        }
    }
    Block { name: "metrics", pos: metrics[0].pos, items, width: ctx.width, height: y, gap_before: 0.0 }
}

/// Row lengths for `n` items in at most `columns` columns: as few rows as that allows, their
/// lengths differing by at most one, the shorter rows first (three in two columns: one over two).
fn balanced_rows(n: usize, columns: usize) -> Vec<usize> {
    let rows = n.div_ceil(columns.max(1)).max(1);
    let (base, longer) = (n / rows, n % rows);
    (0..rows).map(|r| base + usize::from(r >= rows - longer)).collect()
}

/// Before/after pairs: one under the other on portrait; where the slide allows columns, side by
/// side in balanced rows (each pair's bars on its own scale, as one pair alone), rows centred.
fn compare_metrics(
    ctx: &Ctx,
    metrics: &[Metric],
    sizes: &Sizes,
    ts: &mut Typesetter,
    items: &mut Vec<Item>,
    top: f32,
) -> f32 {
    let gutter = 48.0 * ctx.s;
    let min_column = 340.0 * ctx.s;
    let fit = ((ctx.width + gutter) / (min_column + gutter)).floor().max(1.0) as usize;
    let columns = if ctx.columns { fit.min(metrics.len()).clamp(1, 3) } else { 1 };
    let lengths = balanced_rows(metrics.len(), columns);
    let widest = lengths.iter().copied().max().unwrap_or(1);
    let column_width = (ctx.width - gutter * (widest as f32 - 1.0)) / widest as f32;
    let column = Ctx { width: column_width, ..*ctx };
    let mut y = top;
    let mut rest = metrics;
    for (row, length) in lengths.into_iter().enumerate() {
        if row > 0 {
            y += sizes.gap * 0.8;
        }
        let (these, after) = rest.split_at(length.min(rest.len()));
        rest = after;
        let row_width = these.len() as f32 * column_width + (these.len().max(1) as f32 - 1.0) * gutter;
        let x0 = (ctx.width - row_width) / 2.0;
        let mut height: f32 = 0.0;
        for (i, metric) in these.iter().enumerate() {
            let mut own = Vec::new();
            height = height.max(compare_metric(&column, metric, sizes, ts, &mut own, y));
            for mut item in own {
                item.translate(x0 + i as f32 * (column_width + gutter), 0.0);
                items.push(item);
            }
        }
        y += height;
    }
    y - top
}

/// Text on `fill`: the theme's background or text colour, whichever reads better.
fn ink_on(theme: &Theme, fill: Color) -> Color {
    if fill.contrast(theme.background) >= fill.contrast(theme.text) {
        theme.background
    } else {
        theme.text
    }
}

fn set_plain(ts: &mut Typesetter, text: &str, style: &TextStyle, width: f32) -> TextBlock {
    ts.set(&markup::parse_inline(text), style, width, Align::Start)
}

/// A before/after pair: the change called out large, the label, then two bars on one scale.
fn compare_metric(
    ctx: &Ctx,
    metric: &Metric,
    sizes: &Sizes,
    ts: &mut Typesetter,
    items: &mut Vec<Item>,
    top: f32,
) -> f32 {
    let MetricValue::Compare { before, after, change, bars, better } = &metric.value else { return 0.0 };
    let theme = ctx.theme;
    let s = ctx.s;
    let f = sizes.f.max(0.6);
    let tone = match better {
        Some(true) => theme.good,
        Some(false) => theme.bad,
        None => theme.accent,
    };
    let mut y = top;
    let label_style = TextStyle {
        weight: 600,
        line_height: 1.25,
        ..style(theme, Family::Sans, (sizes.body * 0.9).max(28.0 * s), theme.muted)
    };
    let label = set_plain(ts, &metric.label.value, &label_style, ctx.width);
    if let Some(change) = change {
        let change_style = TextStyle {
            weight: 800,
            line_height: 1.05,
            letter_spacing: -0.02,
            ..style(theme, Family::Sans, 84.0 * s * f, tone)
        };
        let text = set_plain(ts, change, &change_style, ctx.width);
        push_text(items, &text, 0.0, y, None);
        y += text.height + 6.0 * s;
    }
    push_text(items, &label, 0.0, y, None);
    y += label.height + 18.0 * s;
    let caption_style =
        TextStyle { weight: 600, line_height: 1.0, ..style(theme, Family::Sans, 24.0 * s, theme.muted) };
    let caption_width = 120.0 * s;
    let track = ctx.width - caption_width;
    let bar_height = 60.0 * s * f.max(0.85);
    let value_size = (bar_height * 0.5).max(24.0 * s);
    let rows = [
        ("Before", &before.value, bars.0, theme.muted.mix(theme.background, 0.55)),
        ("After", &after.value, bars.1, tone),
    ];
    for (row, (caption, value, fraction, fill)) in rows.into_iter().enumerate() {
        if row > 0 {
            y += 14.0 * s;
        }
        let caption_text = set_plain(ts, caption, &caption_style, caption_width);
        let caption_baseline_shift = bar_height / 2.0 + 24.0 * s * 0.36;
        place_line(items, &caption_text, 0.0, y + caption_baseline_shift);
        let length = (fraction * track).max(bar_height * 0.5);
        items.push(Item::Rect {
            rect: Rect { x: caption_width, y, width: length, height: bar_height },
            radius: bar_height * 0.22,
            fill,
            opacity: 1.0,
        });
        let value_style =
            TextStyle { weight: 800, line_height: 1.0, ..style(theme, Family::Sans, value_size, ink_on(theme, fill)) };
        let mut value_text = set_plain(ts, value, &value_style, track);
        let inside = value_text.width + value_size * 1.2 <= length;
        let x = if inside {
            caption_width + length - value_text.width - value_size * 0.6
        } else {
            value_text = set_plain(ts, value, &TextStyle { color: theme.text, ..value_style }, track);
            caption_width + length + value_size * 0.5
        };
        place_line(items, &value_text, x, y + bar_height / 2.0 + value_size * 0.36);
        y += bar_height;
    }
    y - top
}

/// Single values as cards: a big number over its label, in balanced rows.
///
/// As many columns as the width holds with every value on one line (at most four); the cards
/// are then dealt into rows whose lengths differ by at most one, the shorter rows first and
/// centred: three cards make one row of three or one over two, never two and an orphan.
fn single_metrics(
    ctx: &Ctx,
    metrics: &[Metric],
    sizes: &Sizes,
    ts: &mut Typesetter,
    items: &mut Vec<Item>,
    top: f32,
) -> f32 {
    let theme = ctx.theme;
    let s = ctx.s;
    let f = sizes.f.max(0.6);
    let gutter = 24.0 * s;
    let pad = 32.0 * s;
    let values: Vec<&str> = metrics
        .iter()
        .filter_map(|m| match &m.value {
            MetricValue::Single(v) => Some(v.value.as_str()),
            MetricValue::Compare { .. } => None,
        })
        .collect();
    let n = values.len().max(1);
    let value_style = |columns: usize| TextStyle {
        weight: 800,
        line_height: 1.05,
        letter_spacing: -0.02,
        ..style(theme, Family::Sans, [120.0, 88.0, 76.0, 68.0][columns.clamp(1, 4) - 1] * s * f, theme.accent)
    };
    let card_width_for = |columns: usize| (ctx.width - gutter * (columns as f32 - 1.0)) / columns as f32;
    let min_card = 240.0 * s;
    let mut columns = n.min(4);
    while columns > 1 {
        let inner = card_width_for(columns) - 2.0 * pad;
        let style = value_style(columns);
        let fits = card_width_for(columns) >= min_card
            && values.iter().all(|v| ts.measure(&markup::parse_inline(v), &style) <= inner);
        if fits {
            break;
        }
        columns -= 1;
    }
    let lengths = balanced_rows(n, columns);
    let widest = lengths.iter().copied().max().unwrap_or(1);
    let card_width = card_width_for(widest);
    let value_style = value_style(widest);
    let label_style = TextStyle {
        weight: 500,
        line_height: 1.25,
        ..style(theme, Family::Sans, (sizes.body * 0.8).max(26.0 * s), theme.muted)
    };
    let mut y = top;
    let mut rest = metrics;
    for length in lengths {
        let (row, after) = rest.split_at(length.min(rest.len()));
        rest = after;
        let mut cards = Vec::new();
        for metric in row {
            let MetricValue::Single(value) = &metric.value else { continue };
            let value_text = set_plain(ts, &value.value, &value_style, card_width - 2.0 * pad);
            let label_text = set_plain(ts, &metric.label.value, &label_style, card_width - 2.0 * pad);
            cards.push((value_text, label_text));
        }
        let card_height = cards.iter().map(|(v, l)| v.height + l.height + 10.0 * s).fold(0.0, f32::max) + 2.0 * pad;
        let row_width = cards.len() as f32 * card_width + (cards.len().max(1) as f32 - 1.0) * gutter;
        let x0 = (ctx.width - row_width) / 2.0;
        for (column, (value_text, label_text)) in cards.iter().enumerate() {
            let x = x0 + column as f32 * (card_width + gutter);
            items.push(Item::Rect {
                rect: Rect { x, y, width: card_width, height: card_height },
                radius: 24.0 * s,
                fill: theme.surface,
                opacity: 1.0,
            });
            items.push(Item::Rect {
                rect: Rect { x, y: y + pad, width: 6.0 * s, height: card_height - 2.0 * pad },
                radius: 3.0 * s,
                fill: theme.accent,
                opacity: 1.0,
            });
            push_text(items, value_text, x + pad, y + pad, None);
            push_text(items, label_text, x + pad, y + pad + value_text.height + 10.0 * s, None);
        }
        y += card_height + gutter;
    }
    y - gutter - top
}

fn quote_block(ctx: &Ctx, quote: &Quote, sizes: &Sizes, leading: bool, ts: &mut Typesetter) -> Block {
    let theme = ctx.theme;
    let s = ctx.s;
    let size = if leading { sizes.body } else { sizes.body * 1.15 };
    let indent = if leading { 0.0 } else { 36.0 * s };
    let mut spans = inline(&quote.text.value);
    for span in &mut spans {
        span.emphasis.italic = true;
    }
    let quote_style = TextStyle { weight: 500, line_height: 1.32, ..style(theme, Family::Sans, size, theme.text) };
    let text = ts.set_balanced(&spans, &quote_style, ctx.width - indent, text_align(ctx));
    let mut items = Vec::new();
    if !leading {
        items.push(Item::Rect {
            rect: Rect { x: 0.0, y: 0.0, width: 6.0 * s, height: text.height },
            radius: 3.0 * s,
            fill: theme.accent,
            opacity: 1.0,
        });
    }
    push_text(&mut items, &text, indent, 0.0, Some(theme.surface));
    let mut height = text.height;
    let mut width = indent + text.width;
    if let Some(by) = &quote.by {
        let by_style = TextStyle {
            weight: 600,
            line_height: 1.3,
            ..style(theme, Family::Sans, (size * 0.6).max(28.0 * s), theme.muted)
        };
        let by_text = ts.set(&inline(&format!("— {}", by.value)), &by_style, ctx.width - indent, text_align(ctx));
        height += 24.0 * s;
        push_text(&mut items, &by_text, indent, height, None);
        height += by_text.height;
        width = width.max(indent + by_text.width);
    }
    if ctx.align == HAlign::Center {
        width = ctx.width;
    }
    Block { name: "quote", pos: quote.text.pos, items, width, height, gap_before: 0.0 }
}

fn image_block(ctx: &Ctx, image: &Image, sizes: &Sizes) -> Block {
    let s = ctx.s;
    let slot_height = ctx.slot_height;
    let aspect = image.asset.height / image.asset.width.max(1.0);
    let natural = ctx.width * aspect;
    let cap = slot_height * 0.5 * sizes.f.max(0.5);
    let height = natural.min(cap).max(120.0 * s);
    let rect = Rect { x: 0.0, y: 0.0, width: ctx.width, height };
    let mut items = Vec::new();
    if image.fit == crate::deck::Fit::Contain {
        items.push(Item::Rect { rect, radius: 24.0 * s, fill: ctx.theme.surface, opacity: 1.0 });
        let inset = 16.0 * s;
        let inner = Rect { x: inset, y: inset, width: rect.width - 2.0 * inset, height: rect.height - 2.0 * inset };
        items.push(Item::Image { asset: image.asset.clone(), rect: inner, fit: image.fit, radius: 12.0 * s });
    } else {
        items.push(Item::Image { asset: image.asset.clone(), rect, fit: image.fit, radius: 24.0 * s });
    }
    Block { name: "image", pos: Pos::default(), items, width: ctx.width, height, gap_before: 0.0 }
}

fn footer_items(deck: &Deck, slide: &Slide, footer: Rect, s: f32, ts: &mut Typesetter) -> Vec<Item> {
    let theme = &deck.theme;
    let mut items = Vec::new();
    let total = deck.slides.len();
    let center_y = footer.y + footer.height / 2.0;
    let mut left_edge_of_right = footer.right();
    if total > 1 && slide.number == 1 {
        let style =
            TextStyle { weight: 700, line_height: 1.0, ..style(theme, Family::Sans, 28.0 * s, theme.on_accent) };
        let text = set_plain(ts, "Swipe", &style, footer.width);
        let arrow = 30.0 * s;
        let pad = 26.0 * s;
        let pill_height = 60.0 * s;
        let pill_width = pad + text.width + 14.0 * s + arrow + pad;
        let x = footer.right() - pill_width;
        items.push(Item::Rect {
            rect: Rect { x, y: center_y - pill_height / 2.0, width: pill_width, height: pill_height },
            radius: pill_height / 2.0,
            fill: theme.accent,
            opacity: 1.0,
        });
        place_line(&mut items, &text, x + pad, center_y + 28.0 * s * 0.36);
        let ax = x + pad + text.width + 14.0 * s;
        let d = path(&[
            ('M', ax, center_y),
            ('L', ax + arrow, center_y),
            ('M', ax + arrow * 0.6, center_y - arrow * 0.38),
            ('L', ax + arrow, center_y),
            ('L', ax + arrow * 0.6, center_y + arrow * 0.38),
        ]);
        items.push(Item::Path { d, fill: None, stroke: Some((theme.on_accent, 4.0 * s)) });
        left_edge_of_right = x;
    } else if total > 1 {
        let style = TextStyle { weight: 600, line_height: 1.0, ..style(theme, Family::Sans, 26.0 * s, theme.muted) };
        let text = set_plain(ts, &format!("{}/{}", slide.number, total), &style, footer.width);
        let x = footer.right() - text.width;
        place_line(&mut items, &text, x, center_y + 26.0 * s * 0.36);
        let track_width = 120.0 * s;
        let track_height = 6.0 * s;
        let track_x = x - 20.0 * s - track_width;
        let track = Rect { x: track_x, y: center_y - track_height / 2.0, width: track_width, height: track_height };
        items.push(Item::Rect { rect: track, radius: track_height / 2.0, fill: theme.muted, opacity: 0.3 });
        let done = Rect { width: track_width * slide.number as f32 / total as f32, ..track };
        items.push(Item::Rect { rect: done, radius: track_height / 2.0, fill: theme.accent, opacity: 1.0 });
        left_edge_of_right = track_x;
    }
    if let Some(author) = &deck.author {
        let diameter = footer.height;
        let mut x = footer.x;
        match &author.avatar {
            Some(asset) => {
                let rect = Rect { x, y: footer.y, width: diameter, height: diameter };
                items.push(Item::Image {
                    asset: asset.clone(),
                    rect,
                    fit: crate::deck::Fit::Cover,
                    radius: diameter / 2.0,
                });
            }
            None => {
                items.push(Item::Circle {
                    cx: x + diameter / 2.0,
                    cy: center_y,
                    r: diameter / 2.0,
                    fill: theme.accent,
                });
                let initials: String =
                    author.name.value.split_whitespace().filter_map(|w| w.chars().next()).take(2).collect();
                let style = TextStyle {
                    weight: 800,
                    line_height: 1.0,
                    ..style(theme, Family::Sans, diameter * 0.4, theme.on_accent)
                };
                let text = set_plain(ts, &initials, &style, diameter * 2.0);
                place_line(&mut items, &text, x + (diameter - text.width) / 2.0, center_y + diameter * 0.4 * 0.36);
            }
        }
        x += diameter + 18.0 * s;
        let room = (left_edge_of_right - x - 24.0 * s).max(40.0 * s);
        let name_style =
            TextStyle { weight: 700, line_height: 1.1, ..style(theme, Family::Sans, 27.0 * s, theme.text) };
        let handle_style =
            TextStyle { weight: 400, line_height: 1.1, ..style(theme, Family::Sans, 24.0 * s, theme.muted) };
        let name = fit_line(ts, &author.name.value, &name_style, room);
        let handle = author.handle.as_ref().map(|h| fit_line(ts, &h.value, &handle_style, room));
        let (name_baseline, handle_baseline) = match handle {
            Some(_) => (center_y - 4.0 * s, center_y + 26.0 * s),
            None => (center_y + 27.0 * s * 0.36, 0.0),
        };
        place_line(&mut items, &name, x, name_baseline);
        if let Some(handle) = handle {
            place_line(&mut items, &handle, x, handle_baseline);
        }
    }
    items
}

/// One line of footer text, set smaller when it is too long for the room (never clipped).
fn fit_line(ts: &mut Typesetter, text: &str, style: &TextStyle, room: f32) -> TextBlock {
    let spans = markup::parse_inline(text);
    let width = ts.measure(&spans, style);
    let style = if width > room { TextStyle { size: (style.size * room / width).max(6.0), ..*style } } else { *style };
    ts.set(&spans, &style, f32::MAX / 4.0, Align::Start)
}

/// The slide's alt text: its notes, or the words on it.
pub fn alt_text(slide: &Slide) -> String {
    if let Some(notes) = &slide.notes {
        return notes.trim().to_string();
    }
    let mut parts = Vec::new();
    for text in [&slide.label, &slide.title, &slide.subtitle].into_iter().flatten() {
        parts.push(markup::plain_text(&text.value));
    }
    if let Some(quote) = &slide.quote {
        parts.push(format!("\u{201c}{}\u{201d}", markup::plain_text(&quote.text.value)));
    }
    if let Some(body) = &slide.body {
        parts.push(markup::plain_text(&body.value));
    }
    for bullet in &slide.bullets {
        parts.push(markup::plain_text(&bullet.text.value));
    }
    for metric in &slide.metrics {
        match &metric.value {
            MetricValue::Single(v) => parts.push(format!("{}: {}", metric.label.value, v.value)),
            MetricValue::Compare { before, after, change, .. } => parts.push(format!(
                "{}: {} before, {} after{}",
                metric.label.value,
                before.value,
                after.value,
                change.as_ref().map(|c| format!(" ({c})")).unwrap_or_default()
            )),
        }
    }
    if let Some(code) = &slide.code {
        parts.push(format!("Code ({}): {}", code.lang, code.source.value.lines().next().unwrap_or_default()));
    }
    if let Some(image) = &slide.image {
        parts.push(image.alt.clone().unwrap_or_else(|| "An image.".into()));
    }
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .map(|p| if p.ends_with(['.', '!', '?', ':', '…']) { p.to_string() } else { format!("{p}.") })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::balanced_rows;

    #[test]
    fn grids_balance_without_orphans() {
        assert_eq!(balanced_rows(3, 3), vec![3]);
        assert_eq!(balanced_rows(3, 2), vec![1, 2], "one over two, never two and an orphan");
        assert_eq!(balanced_rows(4, 2), vec![2, 2]);
        assert_eq!(balanced_rows(4, 3), vec![2, 2], "two by two rather than three and one");
        assert_eq!(balanced_rows(4, 4), vec![4]);
        assert_eq!(balanced_rows(5, 4), vec![2, 3]);
        assert_eq!(balanced_rows(1, 4), vec![1]);
    }
}
