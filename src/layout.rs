//! Layout: a validated slide placed into its kind's template.
//!
//! Owns the typographic decisions that span blocks: the type scale (from the template's sizes and
//! floors), the vertical rhythm, the stacking of the heading and the blocks (each laid out by its
//! own file in [`crate::blocks`]), the footer, and fitting: when the content is taller than its
//! slot, every block is set smaller in steps, each down to its floor; below the floors the slide
//! fails with a diagnostic at the largest block. Blocks are shared by all kinds; a kind only
//! contributes its template (decorations, slot, defaults). It hands the SVG stage a [`Scene`].

use std::collections::HashMap;
use std::sync::Arc;

use crate::blocks::heading::Defaults;
use crate::blocks::Fit;
use crate::blocks::{path, place_line, set_plain, style, Block, Ctx, Sizes};
use crate::deck::{Deck, Kind, Slide};
use crate::diag::Diagnostic;
use crate::markup;
use crate::scene::{Decoration, Item, Scene};
use crate::template::{self, HAlign, Rect, Template, VAlign};
use crate::text::{Align, Family, TextBlock, TextStyle, Typesetter};

/// Templates of one deck, read once per kind.
#[derive(Default)]
pub struct Templates {
    loaded: HashMap<Kind, Arc<Template>>,
}

impl Templates {
    /// Reads the template of every kind `deck` uses; one diagnostic per layout that cannot be read.
    pub fn for_deck(deck: &Deck) -> Result<Templates, Vec<Diagnostic>> {
        let mut templates = Templates::default();
        let mut errors = Vec::new();
        for slide in &deck.slides {
            if let Err(error) = templates.get(deck, slide.kind) {
                if !errors.contains(&error) {
                    errors.push(error);
                }
            }
        }
        if errors.is_empty() {
            Ok(templates)
        } else {
            Err(errors)
        }
    }

    /// The template already read for `kind`, if any.
    pub fn loaded(&self, kind: Kind) -> Option<Arc<Template>> {
        self.loaded.get(&kind).cloned()
    }

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

/// Lays out one slide.
pub fn layout_slide(
    deck: &Deck,
    slide: &Slide,
    template: Arc<Template>,
    ts: &mut Typesetter,
) -> Result<Scene, Diagnostic> {
    let s = template.scale(deck.size);
    let content = template.content_on(deck.size);
    let footer = template.footer_on(deck.size);
    let params = &template.params;
    let width = content.width.min(params.max_width * s);
    let ctx = Ctx { theme: &deck.theme, s, width, align: params.align, slot_height: content.height, kind: slide.kind };

    // Titles are already large and set in balanced lines: they never grow, only shrink.
    let sizes_at = |f: f32| Sizes {
        title: (params.title.0 * s * f.min(1.0)).max(params.title.1 * s),
        body: (params.body.0 * s * f).max(params.body.1 * s),
        gap: (44.0 * s * f).max(26.0 * s),
        f,
    };
    let mut step = 0u32;
    let fit;
    let mut blocks = loop {
        let f = 1.0 - SHRINK_STEP * step as f32;
        let sizes = sizes_at(f);
        let blocks = build_blocks(&ctx, slide, &template, &sizes, ts);
        let height = stack_height(&blocks);
        let at_floor = sizes.title <= params.title.1 * s + 0.01 && sizes.body <= params.body.1 * s + 0.01 && f < 0.45;
        if height <= content.height {
            fit = f;
            break blocks;
        }
        if at_floor {
            let largest = blocks.iter().max_by(|a, b| a.height.total_cmp(&b.height));
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
            let sizes = sizes_at(1.0 + GROW_STEP * grow as f32);
            let bigger = build_blocks(&ctx, slide, &template, &sizes, ts);
            if stack_height(&bigger) > content.height * SPARSE_SHARE {
                break;
            }
            blocks = bigger;
        }
    }

    let total = stack_height(&blocks);
    let top = match params.valign {
        VAlign::Top => content.y,
        // The optical centre sits a little above the geometric one.
        VAlign::Center => content.y + (content.height - total) * 0.45,
    };
    let left = match params.align {
        HAlign::Start => content.x,
        HAlign::Center => content.x + (content.width - width) / 2.0,
    };
    let mut items = Vec::new();
    let mut y = top;
    for (index, block) in blocks.into_iter().enumerate() {
        if index > 0 {
            y += block.gap_before;
        }
        let dx = match params.align {
            HAlign::Center => left + (width - block.width) / 2.0,
            HAlign::Start => left,
        };
        for mut item in block.items {
            item.translate(dx, y);
            items.push(item);
        }
        y += block.height;
    }
    items.extend(footer_items(deck, slide, footer, s, ts));
    let at_floor = params.body.0 * s * fit <= params.body.1 * s + 0.01;
    // The decorations are placed here, so the scene is final and the SVG stage only writes it.
    let decorations = template
        .decorations
        .iter()
        .map(|d| Decoration { transform: template.transform(d.anchor, deck.size), source: d.source.clone() })
        .collect();
    Ok(Scene {
        number: slide.number,
        size: deck.size,
        defs: template.defs.clone(),
        decorations,
        theme: deck.theme.clone(),
        items,
        alt: alt_text(slide),
        fit,
        at_floor,
    })
}

fn stack_height(blocks: &[Block]) -> f32 {
    blocks.iter().enumerate().map(|(i, b)| b.height + if i > 0 { b.gap_before } else { 0.0 }).sum()
}

/// The heading, then the slide's blocks, each at the origin with the space above it.
fn build_blocks(ctx: &Ctx, slide: &Slide, template: &Template, sizes: &Sizes, ts: &mut Typesetter) -> Vec<Block> {
    let defaults =
        Defaults { label: &template.params.label, title_floor: template.params.title.1 * ctx.s, slide_pos: slide.pos };
    let mut blocks = slide.heading.layout(ctx, sizes, defaults, ts);
    for content in &slide.blocks {
        let mut block = content.layout(ctx, sizes, ts);
        block.gap_before = if blocks.is_empty() { 0.0 } else { sizes.gap };
        blocks.push(block);
    }
    if let Some(first) = blocks.first_mut() {
        first.gap_before = 0.0;
    }
    blocks
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
                items.push(Item::Image { asset: asset.clone(), rect, fit: Fit::Cover, radius: diameter / 2.0 });
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
    slide.heading.words(&mut parts);
    for content in &slide.blocks {
        content.words(&mut parts);
    }
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .map(|p| if p.ends_with(['.', '!', '?', ':', '…']) { p.to_string() } else { format!("{p}.") })
        .collect::<Vec<_>>()
        .join(" ")
}
