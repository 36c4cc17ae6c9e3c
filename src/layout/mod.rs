//! Layout: a validated slide placed into its kind's template.
//!
//! Owns the decisions that span blocks: the type scale for the slide's shape (type follows the
//! width, see [`Template::text_scale`]), the vertical rhythm (tighter on squarer slides), the
//! arrangement (one column, or on a wide slide the heading beside the blocks), the title line
//! shared by every slide of a kind ([`Plan`]), the background photo's scrim, the footer, and
//! fitting: when the content is taller than its slot, every block is set smaller in steps, each
//! down to its floor; below the floors the slide fails with a diagnostic at the largest block.
//! Each block is laid out by its own file in [`crate::blocks`]; a kind only contributes its
//! template (decorations, slot, defaults). It hands the SVG stage a final [`Scene`].

pub mod profiles;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use unicode_segmentation::UnicodeSegmentation as _;

use crate::blocks::background::{self as backdrop, Backdrops};
use crate::blocks::heading::Defaults;
use crate::blocks::{path, place_line, set_plain, style, Block, Content, Ctx, Role, Sizes};
use crate::deck::{Deck, Slide};
use crate::design::kind::Kind;
use crate::design::template::{self, Anchor, Ground, HAlign, Template, VAlign, Wide};
use crate::design::theme::Theme;
use crate::geom::Rect;
use crate::media::Fit;
use crate::read::diag::Diagnostic;
use crate::scene::{Decoration, Frame, Item, Placed, Scene};

use crate::text::{markup, Align, Family, TextBlock, TextStyle, Typesetter};

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
        let template = template::load(kind, deck.layouts.as_deref(), deck.look).map_err(|e| e.to_diagnostic())?;
        let template = Arc::new(template);
        self.loaded.insert(kind, template.clone());
        Ok(template)
    }
}

/// How much smaller each fitting step sets the content.
const SHRINK_STEP: f32 = 0.06;
/// How much larger each step sets a sparse slide, and how many steps at most.
const GROW_STEP: f32 = 0.06;
const GROW_STEPS: u32 = 8;
/// A slide grows only while its content fills less than this share of its room.
const SPARSE_SHARE: f32 = 0.85;
/// The largest body a sparse slide grows to, px on the reference width (titles grow a little:
/// to [`TITLE_GROWTH`] of their size).
const BODY_MAX: f32 = 48.0;
const TITLE_GROWTH: f32 = 1.0;

/// The room a slide's group has around its title line: above it (the kicker, the icon's tile)
/// and below it (the title and the blocks).
#[derive(Debug, Clone, Copy)]
struct Room {
    above: f32,
    below: f32,
    /// The arrangement to keep, when the slide was arranged already and is only set again.
    keep: Option<Choice>,
    /// Whether a sparse slide grows toward the room: not while the deck's line is chosen, since
    /// a slide grown for the whole slot looks as tall as a dense one and would pull the line up,
    /// leaving the sparse slides an empty band below their content.
    grow: bool,
    /// How much of the slot's height is kept free around the group (a quote's panel over a
    /// photo pads its words).
    inset: f32,
}

impl Room {
    /// The whole slot, the line wherever the slide needs it.
    fn slot(height: f32) -> Room {
        Room { above: height, below: height, keep: None, grow: true, inset: 0.0 }
    }

    /// The whole slot, the slide at the size it is designed at (or smaller when it is tall).
    fn natural(height: f32) -> Room {
        Room { grow: false, ..Room::slot(height) }
    }

    fn holds(&self, arranged: &Arranged, slot: f32) -> bool {
        arranged.above <= self.above + 0.01
            && arranged.below <= self.below + 0.01
            && arranged.above + arranged.below <= slot - self.inset + 0.01
    }
}

/// Deck-wide decisions made before any slide is placed: the title line of every kind whose
/// layout puts its group on a line (`data-valign="line"`), so that a swipe from one slide of a
/// kind to the next does not make the title jump, and the background photos, decoded once.
#[derive(Debug, Default)]
pub struct Plan {
    /// Where the title of every content slide goes (its top), when the deck has any.
    line: Option<f32>,
    backdrops: Backdrops,
    /// The slides measured for the lines, by index, kept so that each is arranged once: the
    /// arrangement does not depend on the line, only its placement does.
    arranged: Mutex<Vec<Option<Arranged>>>,
}

impl Plan {
    /// Measures every slide that sits on a title line (the content slides: every kind whose
    /// layout says `data-valign="line"`) and chooses one line for all of them, so the title
    /// stays put across the deck whatever the kind: where the deck balances (see `deck_line`),
    /// raised as far as the tallest slide needs and lowered as far as the most an icon's tile or
    /// a kicker asks above it. Each slide is measured at its designed size, not grown: grown for
    /// the whole slot, a sparse slide would look dense and hold the line up, over an empty band.
    /// Slides that cannot be laid out are left out: their error is reported when they are laid
    /// out for real.
    pub fn new(deck: &Deck, templates: &Templates) -> Plan {
        use rayon::prelude::*;
        let measured: Vec<Option<(Bounds, Arranged)>> = deck
            .slides
            .par_iter()
            .map_init(
                || Typesetter::with(deck.text.clone()),
                |ts, slide| {
                    let template = templates.loaded(slide.kind)?;
                    if template.params.valign != VAlign::Line {
                        return None;
                    }
                    let content = template.content_on(deck.size);
                    let arranged = arrange_fitted(deck, slide, &template, Room::natural(content.height), ts).ok()?;
                    // Where it balances is where it balances once grown as far as it grows.
                    let grown = arrange_fitted(deck, slide, &template, Room::slot(content.height), ts).ok()?;
                    // A slide set at its designed size or larger may be set a little smaller to
                    // keep a lower line (the second pass below accepts a fifth).
                    let give = if arranged.fit >= 0.99 && !arranged.under_phone_floor { LINE_GIVE } else { 1.0 };
                    let bounds = Bounds {
                        preferred: content.y + content.height * template.params.line,
                        top: content.y,
                        bottom: content.bottom(),
                        grown: (grown.above, grown.below),
                        lowest: content.bottom() - arranged.below,
                        lowest_given: content.bottom() - arranged.below * give,
                        highest: content.y + arranged.above,
                    };
                    Some((bounds, arranged))
                },
            )
            .collect();
        let bounds: Vec<Bounds> = measured.iter().flatten().map(|(b, _)| *b).collect();
        // Wide slides balance too: a sparse landscape deck would otherwise keep its titles high
        // over an empty lower half; a dense one holds the line up as it does on portrait.
        let line = deck_line(&bounds);
        // Each slide is set again for the room the line leaves it: a tall one smaller, so that it
        // keeps the line; a sparse one larger, toward the room below. One that cannot keep the
        // line even at its floors keeps its own arrangement (and line).
        let arranged = measured
            .into_par_iter()
            .enumerate()
            .map_init(
                || Typesetter::with(deck.text.clone()),
                |ts, (index, measured)| {
                    let (_, first) = measured?;
                    let (Some(line), Some(slide)) = (line, deck.slides.get(index)) else { return Some(first) };
                    let template = templates.loaded(slide.kind)?;
                    let content = template.content_on(deck.size);
                    // Set again in the arrangement it was measured in: a slide keeps its shape.
                    let room = Room {
                        above: line - content.y,
                        below: content.bottom() - line,
                        keep: Some(first.choice),
                        grow: true,
                        inset: 0.0,
                    };
                    // Its own line, grown for the whole slot, when it cannot keep the deck's.
                    let own = |ts: &mut Typesetter, first: Arranged| {
                        arrange_fitted(deck, slide, &template, Room::slot(content.height), ts).unwrap_or(first)
                    };
                    if room.above < first.above - 0.5 {
                        // Its heading needs more above the line than the line leaves: its own line.
                        return Some(own(ts, first));
                    }
                    // The body size a fit sets: a phone's floor holds it however far the fit goes.
                    let body = |arranged: &Arranged| {
                        let params = &template.params;
                        (params.body.0 * template.text_scale(deck.size) * arranged.fit)
                            .max(params.body.1 * template.floor_scale(deck.size))
                    };
                    match arrange_fitted(deck, slide, &template, room, ts) {
                        // Kept at nearly its own size, or larger: the line wins.
                        Ok(again)
                            if body(&again) >= body(&first) * 0.8
                                && again.under_phone_floor <= first.under_phone_floor =>
                        {
                            Some(again)
                        }
                        _ => Some(own(ts, first)),
                    }
                },
            )
            .collect();
        Plan {
            line,
            backdrops: Backdrops::new(deck.slides.iter().filter_map(|slide| slide.background.as_ref()), deck.size),
            arranged: Mutex::new(arranged),
        }
    }

    /// The arrangement measured for slide `number` (1-based), once.
    fn take_arranged(&self, number: usize) -> Option<Arranged> {
        let mut arranged = self.arranged.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        arranged.get_mut(number.checked_sub(1)?)?.take()
    }
}

/// The size most of a block's characters are set at: its reading text, not its badges and numbers.
fn reading_size(items: &[Item]) -> Option<f32> {
    let mut by_size: Vec<(f32, usize)> = Vec::new();
    for item in items {
        if let Item::Text(segment) = item {
            let chars = segment.text.chars().filter(|c| !c.is_whitespace()).count();
            match by_size.iter_mut().find(|(size, _)| (*size - segment.size).abs() < 0.01) {
                Some(entry) => entry.1 += chars,
                None => by_size.push((segment.size, chars)),
            }
        }
    }
    by_size.into_iter().max_by_key(|(_, chars)| *chars).map(|(size, _)| size)
}

/// How far below a slide's own lowest line the deck's line may go, as a share of the content
/// under its title: a slide set at its designed size gives up a little of it (well within the
/// fifth the second pass accepts) so that the sparse slides of its deck can balance.
const LINE_GIVE: f32 = 0.87;

/// Where one content slide's title could go, in slide coordinates.
#[derive(Debug, Clone, Copy)]
struct Bounds {
    /// The layout's own line (`data-line`).
    preferred: f32,
    /// The content slot's top and bottom.
    top: f32,
    bottom: f32,
    /// How far the slide's group reaches above and below its title line once grown as far as
    /// it grows.
    grown: (f32, f32),
    /// The lowest it can go with the content still in the slot.
    lowest: f32,
    /// The lowest it can go set a little smaller (see [`LINE_GIVE`]).
    lowest_given: f32,
    /// The highest it can go with the kicker and the icon's tile still in the slot.
    highest: f32,
}

/// The one title line of a deck's content slides: of the lines every slide could keep as it is
/// set, the one the most slides can keep, and of those the nearest to where the deck balances
/// (never above the layouts' preference). A slide that cannot keep it (a tall one under a low
/// line, an icon's tile above a high one) is set again for it if that costs it little, and
/// otherwise keeps a line of its own.
///
/// The deck balances where its emptiest bands are even: the band above the group with the
/// least above its line, and the band below the group with the least under it (the sparsest
/// slide, grown as far as it grows), optically (a little less above than below). When that is
/// lower than the dense slides allow as they are set, they give a little of their size (see
/// [`LINE_GIVE`]) for it, and only for it: a deck without sparse slides keeps its dense slides
/// at their size.
fn deck_line(bounds: &[Bounds]) -> Option<f32> {
    if bounds.is_empty() {
        return None;
    }
    let preferred = bounds.iter().map(|b| b.preferred).fold(f32::INFINITY, f32::min);
    let top = bounds.iter().map(|b| b.top).fold(f32::INFINITY, f32::min);
    let bottom = bounds.iter().map(|b| b.bottom).fold(f32::NEG_INFINITY, f32::max);
    let least_above = bounds.iter().map(|b| b.grown.0).fold(f32::INFINITY, f32::min);
    let least_below = bounds.iter().map(|b| b.grown.1).fold(f32::INFINITY, f32::min);
    let balanced = top + least_above + (bottom - top - least_above - least_below).max(0.0) * 0.45;
    let line = shared_line(bounds, balanced.max(preferred), |b| b.lowest)?;
    if balanced <= line + 0.5 {
        return Some(closest_to_the_tallest(bounds, line));
    }
    let given = shared_line(bounds, balanced, |b| b.lowest_given)?;
    Some(closest_to_the_tallest(bounds, given.clamp(line, balanced)))
}

/// `line`, raised toward the slides too tall to keep it (a table of eight rows sets its title
/// at the slot's top) as far as every slide that keeps it still does: the title then moves
/// less between those swipes, and what is raised is dense, so it gains room.
fn closest_to_the_tallest(bounds: &[Bounds], line: f32) -> f32 {
    let keeps = |b: &&Bounds| b.highest <= line + 0.5 && line <= b.lowest + 0.5;
    let tallest = bounds.iter().filter(|b| b.lowest < line - 0.5).map(|b| b.lowest).fold(f32::NEG_INFINITY, f32::max);
    let highest_kept = bounds.iter().filter(keeps).map(|b| b.highest).fold(f32::NEG_INFINITY, f32::max);
    if tallest.is_finite() && highest_kept.is_finite() {
        line.min(tallest.max(highest_kept))
    } else {
        line
    }
}

/// Of the lines the most slides keep (each between its `highest` and `lowest`), the nearest to
/// `target`.
fn shared_line(bounds: &[Bounds], target: f32, lowest: impl Fn(&Bounds) -> f32) -> Option<f32> {
    let keeps = |line: f32| bounds.iter().filter(|b| b.highest <= line + 0.5 && line <= lowest(b) + 0.5).count();
    let mut candidates: Vec<f32> = bounds.iter().flat_map(|b| [b.highest, lowest(b)]).collect();
    candidates.push(target);
    let best = candidates.iter().map(|&c| keeps(c)).max().unwrap_or(0);
    // Among the lines kept by the most slides, the range [low, high] they share is an interval
    // between consecutive bounds: the target, clamped into the best such interval.
    let mut chosen: Option<f32> = None;
    for &candidate in &candidates {
        if keeps(candidate) != best {
            continue;
        }
        // The widest interval around `candidate` with the same slides keeping it.
        let keepers: Vec<&Bounds> =
            bounds.iter().filter(|b| b.highest <= candidate + 0.5 && candidate <= lowest(b) + 0.5).collect();
        let low = keepers.iter().map(|b| b.highest).fold(f32::NEG_INFINITY, f32::max);
        let high = keepers.iter().map(|b| lowest(b)).fold(f32::INFINITY, f32::min);
        let line = target.clamp(low.min(high), high.max(low));
        if chosen.is_none_or(|c| (line - target).abs() < (c - target).abs()) {
            chosen = Some(line);
        }
    }
    chosen.or(Some(target))
}

/// Lays out one slide, on the deck's `plan`.
pub fn layout_slide(
    deck: &Deck,
    slide: &Slide,
    template: Arc<Template>,
    plan: &Plan,
    ts: &mut Typesetter,
) -> Result<Scene, Diagnostic> {
    let own_layout = !template.origin.starts_with("built-in:");
    let in_built_in = |ts: &mut Typesetter| -> Option<Scene> {
        let built_in = template::load(slide.kind, None, deck.look).ok()?;
        let mut scene = place_slide(deck, slide, Arc::new(built_in), &Plan::default(), ts).ok()?;
        scene.layout_fallback = Some(template.origin.clone());
        Some(scene)
    };
    match place_slide(deck, slide, template.clone(), plan, ts) {
        // A deck's own layout drawn for another shape may leave too little room: the slide is
        // set in the built-in layout of its kind instead, and `check` says so. The same when it
        // holds the slide only under a phone's floors (a portrait band stretched over a
        // landscape slide leaves a short slot) and the built-in layout holds it above them.
        Err(error) if own_layout => in_built_in(ts).ok_or(error),
        Ok(scene) if own_layout && scene.under_phone_floor => {
            Ok(in_built_in(ts).filter(|built_in| !built_in.under_phone_floor).unwrap_or(scene))
        }
        other => other,
    }
}

/// The colours a slide is drawn in: the deck's, or, on a layout drawn on the accent
/// (`data-ground="accent"`), the deck's turned for the accent ground.
fn slide_theme<'a>(deck: &'a Deck, template: &Template) -> std::borrow::Cow<'a, Theme> {
    match template.params.ground {
        Ground::Theme => std::borrow::Cow::Borrowed(&deck.theme),
        Ground::Accent => std::borrow::Cow::Owned(deck.theme.on_accent_ground()),
    }
}

fn place_slide(
    deck: &Deck,
    slide: &Slide,
    template: Arc<Template>,
    plan: &Plan,
    ts: &mut Typesetter,
) -> Result<Scene, Diagnostic> {
    let theme = slide_theme(deck, &template);
    let s = template.text_scale(deck.size);
    let content = template.content_on(deck.size);
    let footer = template.footer_on(deck.size);
    let params = &template.params;
    let arranged = match plan.take_arranged(slide.number) {
        Some(arranged) => arranged,
        None => {
            let inset = if on_panel(slide) { 2.0 * PANEL_PAD * s } else { 0.0 };
            arrange_fitted(deck, slide, &template, Room { inset, ..Room::slot(content.height) }, ts)?
        }
    };
    let total = arranged.above + arranged.below;
    // `line` is where the title's top goes; the kicker sits above it.
    let line = match params.valign {
        VAlign::Top => content.y + arranged.above,
        // The optical centre sits a little above the geometric one.
        VAlign::Center => content.y + (content.height - total).max(0.0) * 0.45 + arranged.above,
        VAlign::Line => {
            let preferred = content.y + content.height * params.line;
            let line = plan.line.unwrap_or(preferred);
            line.min(content.bottom() - arranged.below).max(content.y + arranged.above)
        }
    };
    // Without a title there is no line to keep: the kicker goes down with its blocks.
    let titled = arranged.blocks.iter().any(|(_, _, b)| b.name == "title");
    let anchor = match params.valign {
        VAlign::Line => anchor_drop(&arranged, titled, line, content, footer.y),
        _ => 0.0,
    };
    let mut items = Vec::new();
    let mut placed = Vec::with_capacity(arranged.blocks.len());
    for (dx, mut dy, block) in arranged.blocks {
        if !titled || !is_heading(block.name) {
            dy += anchor;
        }
        let reading_text = reading_size(&block.items);
        let rect = Rect { x: content.x + dx, y: line + dy, width: block.width, height: block.height };
        placed.push(Placed { name: block.name, rect, reading_text });
        for mut item in block.items {
            item.translate(content.x + dx, line + dy);
            items.push(item);
        }
    }
    if on_panel(slide) {
        let behind = quote_panel(&items, deck, &theme, footer.y, s);
        items.splice(0..0, behind);
    }
    items.extend(footer_items(deck, &theme, slide, footer, s, ts));
    items.extend(logo_item(deck, &template, &theme));
    if ts.mirrored() {
        // A right-to-left slide is the left-to-right one seen in a mirror: marks, numbers and
        // columns on the right, reading from the right (its text was set mirrored for this).
        let width = deck.size.width as f32;
        items.iter_mut().for_each(|item| item.mirror(width));
        for block in &mut placed {
            block.rect.x = width - block.rect.x - block.rect.width;
        }
    }
    if let Some(background) = &slide.background {
        // Type from this size on counts as large for contrast (3:1): titles, big numbers.
        let large = 56.0 * s;
        let pixels = plan.backdrops.get(&background.asset);
        let opacity = backdrop::scrim_opacity(pixels, &items, theme.background, background.dim, large);
        let mut behind = backdrop::items(&background.asset, deck.size, theme.background, opacity).to_vec();
        behind.append(&mut items);
        items = behind;
    }
    let fs = template.floor_scale(deck.size);
    let at_floor = params.body.0 * s * arranged.fit <= params.body.1 * fs + 0.01;
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
        theme: theme.into_owned(),
        items,
        alt: alt_text(slide),
        fit: arranged.fit,
        at_floor: at_floor || arranged.under_phone_floor,
        under_phone_floor: arranged.under_phone_floor,
        frame: Frame { slot: content, footer_top: footer.y, blocks: placed },
        layout_fallback: None,
    })
}

/// Whether a slide's words sit on a panel over its photo: a quote's, whose mark the photo covers.
fn on_panel(slide: &Slide) -> bool {
    slide.background.is_some() && slide.kind == Kind::Quote
}

/// The panel behind a quote's words over a photo, and the mark badge on its top edge (the photo
/// covers the layout's mark): hugging the words (the photo stays bright around it), padded,
/// clear of the footer, and at most halfway into the margin a feed may crop (the words stay out
/// of it: only the panel's edge could go). Empty when the slide has no words.
fn quote_panel(items: &[Item], deck: &Deck, theme: &Theme, footer_top: f32, s: f32) -> Vec<Item> {
    let words = items.iter().filter_map(|item| match item {
        Item::Text(t) => Some(Rect { x: t.x, y: t.y - t.size * 0.8, width: t.advance, height: t.size }),
        _ => None,
    });
    let Some(group) = words.reduce(Rect::union) else { return Vec::new() };
    let pad = PANEL_PAD * s;
    let (w, h) = (deck.size.width as f32, deck.size.height as f32);
    let safe = w.min(h) * SAFE_MARGIN / 2.0;
    let (left, top) = ((group.x - pad).max(safe), (group.y - pad).max(safe));
    let right = (group.right() + pad).min(w - safe);
    let bottom = (group.bottom() + pad).min(footer_top - 16.0 * s).min(h - safe);
    let rect = Rect { x: left, y: top, width: right - left, height: bottom - top };
    let radius = 40.0 * s;
    let ink = crate::blocks::ink_on(theme, theme.accent);
    let badge = crate::blocks::quote::mark_badge(group.x + radius, top, radius, theme.accent, ink);
    std::iter::once(backdrop::panel(rect, theme.background, 28.0 * s)).chain(badge).collect()
}

/// The padding of that panel around the words, at the reference size.
const PANEL_PAD: f32 = 56.0;

/// The share of a slide's short side that feeds may crop at each edge: no words are set in it.
const SAFE_MARGIN: f32 = 0.07;

/// The parts of a slide's heading, which stay on the deck's title line.
fn is_heading(name: &str) -> bool {
    matches!(name, crate::blocks::icon::KEY | "label" | "title" | "subtitle")
}

/// How far the blocks under a sparse slide's heading move down, so that what is still short
/// once grown is anchored on the deck's lower band rather than leaving a dead one under it:
/// the band under the content is at most [`ANCHOR_BAND`] of the area from the slot's top to the
/// footer. The heading keeps the deck's line; blocks set beside it (a wide slide's column)
/// stay level with it. A slide without a title that leaves more than that is centred; one that
/// leaves less keeps the deck's line like the others.
fn anchor_drop(arranged: &Arranged, titled: bool, line: f32, content: Rect, footer_top: f32) -> f32 {
    let bottom = line + arranged.below;
    let area = footer_top - content.y;
    let band = footer_top - bottom;
    let room = content.bottom() - bottom;
    if band <= area * ANCHOR_BAND {
        return 0.0;
    }
    if !titled {
        // Without a title there is no line to keep: the group is centred (optically, a little
        // high) on the area, up or down.
        let top = line - arranged.above;
        let empty = (top - content.y) + band;
        return (content.y + empty * 0.48 - top).min(room);
    }
    let heading_bottom = arranged
        .blocks
        .iter()
        .filter(|(_, _, b)| is_heading(b.name))
        .map(|(_, dy, b)| dy + b.height)
        .fold(f32::NEG_INFINITY, f32::max);
    let body_top = arranged
        .blocks
        .iter()
        .filter(|(_, _, b)| !is_heading(b.name))
        .map(|(_, dy, _)| *dy)
        .fold(f32::INFINITY, f32::min);
    if !body_top.is_finite() || body_top < heading_bottom {
        return 0.0;
    }
    (band - area * ANCHOR_BAND).min(room).max(0.0)
}

/// The most of a content slide's area (slot top to footer) left empty under its content.
const ANCHOR_BAND: f32 = 0.3;

/// A slide's blocks divided over the slot and fitted to it, relative to the title line: each
/// block with its offset from the slot's left edge and from the line.
#[derive(Debug)]
struct Arranged {
    blocks: Vec<(f32, f32, Block)>,
    /// How far the group reaches above the title line (the icon's tile and the kicker).
    above: f32,
    /// How far the kicker's top is above the title line (0 without a kicker).
    kicker: f32,
    /// How far it reaches below.
    below: f32,
    /// The fitting factor the type was set at.
    fit: f32,
    /// Whether the type had to go below the floors a phone reads on this shape.
    under_phone_floor: bool,
    /// The arrangement it is set in.
    choice: Choice,
    /// How many lines of its title are left with one word by accident (see
    /// `TextBlock::stray_lines`).
    lone_title: usize,
}

impl Arranged {
    /// How many lines its figures break that are written as one: the lines of its code panels
    /// that continue a wrapped line (after the `→` mark), and the lines its table cells wrap onto.
    fn wrapped_figure_lines(&self, slide: &Slide) -> usize {
        let code = <crate::blocks::code::Code as crate::blocks::Element>::KEY;
        let table = <crate::blocks::table::Table as crate::blocks::Element>::KEY;
        let continuations = self
            .blocks
            .iter()
            .filter(|(_, _, block)| block.name == code)
            .flat_map(|(_, _, block)| &block.items)
            .filter(|item| matches!(item, Item::Text(segment) if segment.text.contains('→')))
            .count();
        // A table's cells start on one baseline per row (the header's included); every other
        // baseline is a line a cell wrapped onto.
        let rows = slide.blocks.iter().filter_map(|content| match content {
            Content::Table(table) => Some(table.rows.len() + 1),
            _ => None,
        });
        let tables = self.blocks.iter().filter(|(_, _, block)| block.name == table);
        let cell_lines: usize = tables
            .zip(rows)
            .map(|((_, _, block), rows)| {
                let mut baselines: Vec<i64> = block
                    .items
                    .iter()
                    .filter_map(|item| match item {
                        Item::Text(segment) => Some((segment.y * 2.0).round() as i64),
                        _ => None,
                    })
                    .collect();
                baselines.sort_unstable();
                baselines.dedup();
                baselines.len().saturating_sub(rows)
            })
            .sum();
        continuations + cell_lines
    }
}

/// The slide's blocks at the largest type that fits the slot (a sparse slide set a little
/// larger), arranged for the slide's shape; an error names the largest block when nothing fits.
fn arrange_fitted(
    deck: &Deck,
    slide: &Slide,
    template: &Template,
    room: Room,
    ts: &mut Typesetter,
) -> Result<Arranged, Diagnostic> {
    let phone = template.floor_scale(deck.size);
    // Where even the phone's floors leave too little room (a landscape slide holds a third of a
    // portrait one's lines at the size a phone reads), the slide is set smaller rather than
    // refused, down to the floors of the slide's geometry, and `check` says so.
    let geometry = template.scale(deck.size).min(template.text_scale(deck.size));
    // The last resort is the reference floors themselves, unscaled: what fits a portrait slide
    // fits a landscape one there (read small on a phone; `check` says so).
    // Before the type goes under a phone's floors, a dense slide closes up: the space between its
    // blocks and items, a table's rows and a code panel's lines, as a designer tightens a slide
    // before setting it smaller than a phone reads.
    let mut tiers = vec![(phone, 1.0)];
    tiers.extend(TIGHT_SPACING.iter().map(|&spacing| (phone, spacing)));
    tiers.extend([(geometry, 1.0), (1.0f32.min(geometry), 1.0)]);
    tiers.dedup_by(|a, b| (a.0 - b.0).abs() < 0.01 && (a.1 - b.1).abs() < 0.01);
    let mut last = None;
    for (fs, spacing) in tiers {
        match fit_with_floors(deck, slide, template, room, fs, spacing, ts) {
            Ok(mut arranged) => {
                arranged.under_phone_floor = fs < phone - 0.01;
                return Ok(arranged);
            }
            Err(error) => last = Some(error),
        }
    }
    Err(last.unwrap_or_else(|| Diagnostic::error(slide.pos, "the slide cannot be laid out")))
}

/// How far a dense slide's spacing closes up, step by step, before its type goes under a phone's
/// floors: to three fifths of the designed space at the most, still open enough to group.
const TIGHT_SPACING: [f32; 2] = [0.8, 0.6];

/// [`arrange_fitted`] with the floors scaled by `fs` and the space between and inside blocks at
/// `spacing` of its designed size.
#[allow(clippy::too_many_arguments)]
fn fit_with_floors(
    deck: &Deck,
    slide: &Slide,
    template: &Template,
    room: Room,
    fs: f32,
    spacing: f32,
    ts: &mut Typesetter,
) -> Result<Arranged, Diagnostic> {
    let s = template.text_scale(deck.size);
    let content = template.content_on(deck.size);
    let params = &template.params;
    let (w, h) = (deck.size.width as f32, deck.size.height as f32);
    // A squarer slide has less height for the same measure: its rhythm tightens, down to 80%.
    let rhythm = if Template::is_wide(deck.size) { 0.9 } else { ((h / w) / 1.25).clamp(0.8, 1.0) };
    // Titles are already large and set in balanced lines: they never grow, only shrink.
    let sizes_at = |f: f32, spacing: f32| Sizes {
        title: (params.title.0 * s * f.min(TITLE_GROWTH)).max(params.title.1 * fs),
        body: (params.body.0 * s * f).max(params.body.1 * fs),
        gap: (44.0 * s * f * rhythm).max(26.0 * fs) * spacing,
        f,
        spacing,
    };
    // The arrangements the slide's shape allows, preferred first; at each size the first that
    // fits wins, so a slide is set in the other arrangement rather than smaller.
    let kept = room.keep.map(|choice| [choice]);
    let choices: &[Choice] = if let Some(kept) = &kept {
        kept
    } else if Template::is_wide(deck.size) && wants_width(slide) {
        &[Choice::Preferred, Choice::Narrow, Choice::Under, Choice::Stack, Choice::Beside]
    } else if Template::is_wide(deck.size) {
        &[Choice::Preferred, Choice::Under, Choice::Stack, Choice::Beside]
    } else if w >= h {
        &[Choice::Preferred, Choice::Columns]
    } else {
        &[Choice::Preferred]
    };
    let mut step = 0u32;
    let (mut arranged, choice) = 'fit: loop {
        let f = 1.0 - SHRINK_STEP * step as f32;
        let sizes = sizes_at(f, spacing);
        let mut tallest = None;
        let mut holding = None;
        for (index, &choice) in choices.iter().enumerate() {
            // A wide slide's own arrangement is worth two steps of type: only then another,
            // or sooner where the heading's column leaves words of the title alone on a line
            // and another arrangement at the same size does not.
            if index > 0 && step < PREFERRED_STEPS && choices.len() > 2 && holding.is_none() {
                continue;
            }
            let mut arranged = arrange(deck, slide, template, &sizes, fs, choice, room, ts);
            arranged.fit = f;
            if room.holds(&arranged, content.height) {
                let wrapped = arranged.wrapped_figure_lines(slide);
                let others_left = index + 1 < choices.len();
                let lone = if choices.len() <= 2 { 0 } else { arranged.lone_title };
                if (lone == 0 && wrapped == 0) || (!others_left && holding.is_none()) {
                    break 'fit (arranged, choice);
                }
                // Another arrangement at the same size may keep the figures' lines whole or the
                // title's words paired: a line of code or a table cell kept whole is worth more
                // than a word alone in the title, and either more than the preferred arrangement.
                let better = |&(_, _, held_wrapped, held_lone): &(Arranged, Choice, usize, usize)| {
                    (wrapped, lone) < (held_wrapped, held_lone)
                };
                if holding.as_ref().is_none_or(better) {
                    holding = Some((arranged, choice, wrapped, lone));
                }
                continue;
            }
            tallest.get_or_insert(arranged);
        }
        if let Some((held, choice, _, _)) = holding {
            break 'fit (held, choice);
        }
        let Some(arranged) = tallest else {
            // `choices` is never empty: this only satisfies the type.
            break 'fit (arrange(deck, slide, template, &sizes, fs, Choice::Preferred, room, ts), Choice::Preferred);
        };
        let height = arranged.above + arranged.below;
        let at_floor = sizes.title <= params.title.1 * fs + 0.01 && sizes.body <= params.body.1 * fs + 0.01 && f < 0.45;
        if at_floor {
            return Err(does_not_fit(slide, &arranged, height, room.below.min(content.height)));
        }
        step += 1;
    };
    // A slide that holds little is set larger, so it reads as designed rather than lost in
    // space: its type first, up to a comfortable size, then the space between its blocks and
    // between the items of each, all in proportion, so it reads as one group that fills its room.
    if step == 0 && room.grow && spacing >= 1.0 {
        let room_below = room.below.min(content.height);
        let fills =
            |a: &Arranged| a.above + a.below > content.height * SPARSE_SHARE || a.below > room_below * SPARSE_SHARE;
        let mut f = 1.0;
        let mut wrapped = arranged.wrapped_figure_lines(slide);
        for grow in 1..=GROW_STEPS {
            let bigger_f = 1.0 + GROW_STEP * grow as f32;
            if params.body.0 * bigger_f > BODY_MAX {
                break;
            }
            let mut bigger = arrange(deck, slide, template, &sizes_at(bigger_f, 1.0), fs, choice, room, ts);
            bigger.fit = bigger_f;
            // Larger type that breaks a line of code or a table cell reads worse, not better.
            let bigger_wrapped = bigger.wrapped_figure_lines(slide);
            if fills(&bigger) || !room.holds(&bigger, content.height) || bigger_wrapped > wrapped {
                break;
            }
            arranged = bigger;
            wrapped = bigger_wrapped;
            f = bigger_f;
        }
        for widen in 1..=SPACING_STEPS {
            let spacing = 1.0 + SPACING_STEP * widen as f32;
            let mut wider = arrange(deck, slide, template, &sizes_at(f, spacing), fs, choice, room, ts);
            wider.fit = f;
            if fills(&wider) || !room.holds(&wider, content.height) {
                break;
            }
            arranged = wider;
        }
    }
    arranged.choice = choice;
    Ok(arranged)
}

/// How many fitting steps a wide slide is set smaller in its preferred arrangement (the
/// heading beside the blocks) before another arrangement may take over.
const PREFERRED_STEPS: u32 = 2;

/// How much wider each step sets a sparse slide's spacing, and how many steps at most: at the
/// most, its gaps are three fifths wider than designed, open but still one group.
const SPACING_STEP: f32 = 0.15;
const SPACING_STEPS: u32 = 8;

/// The heading column's share of a wide slot when code or a table needs the width: a third,
/// which still holds a title of short words in three lines.
const NARROW_SHARE: f32 = 1.0 / 3.0;

/// The widest the heading column beside the blocks grows so that no line of its title is one
/// word: half the slot, past which the blocks beside it would be the narrower column.
const WIDEST_SHARE: f32 = 0.5;

/// The steps by which the heading column widens for its title: a 48th of the slot.
const SHARE_STEP: f32 = 1.0 / 48.0;

/// Whether a slide holds a figure whose lines are as long as they are written (code, a table's
/// rows): beside the heading, it reads larger in a wider column.
fn wants_width(slide: &Slide) -> bool {
    slide.blocks.iter().any(|block| matches!(block, Content::Code(_) | Content::Table(_)))
}

/// Why a slide does not fit even at its floors: how much room it needs and has, and of its
/// largest block how much would fit, pointed at that block's key (`code:`, `table:`) so the author
/// knows what to shorten and by how much.
fn does_not_fit(slide: &Slide, arranged: &Arranged, height: f32, room: f32) -> Diagnostic {
    let largest = arranged.blocks.iter().map(|(_, _, b)| b).max_by(|a, b| a.height.total_cmp(&b.height));
    let Some(largest) = largest else {
        return Diagnostic::error(slide.pos, format!("slide {} does not fit its layout", slide.number));
    };
    let name = largest.name;
    let index = slide.blocks.iter().position(|content| content.key() == name);
    let pos = index
        .and_then(|i| slide.block_keys.get(i).copied())
        .or_else(|| slide.heading.title.as_ref().filter(|_| name == "title").map(|t| t.pos))
        .filter(|p| p.is_known())
        .unwrap_or(slide.pos);
    // The block's share of the room that is left once everything else has its place.
    let others = height - largest.height;
    let share = ((room - others) / largest.height).clamp(0.0, 1.0);
    let would_fit = match index.and_then(|i| slide.blocks[i].parts()) {
        Some((count, what)) => {
            let fits = (count as f32 * share).floor() as usize;
            if fits == 0 {
                format!("; the rest of the slide alone needs {others:.0} px")
            } else {
                format!("; about {fits} of its {count} {what} would fit")
            }
        }
        None => format!("; about {:.0}% of it would fit", share * 100.0),
    };
    Diagnostic::error(
        pos,
        format!(
            "slide {} ({}) does not fit: its content needs {:.0} px but the layout has {:.0} px, even at the smallest type; `{name}` is the largest block{would_fit}",
            slide.number,
            slide.kind.name(),
            height,
            room
        ),
    )
    .with_help(format!("shorten `{name}` or move part of it to another slide"))
}

/// An arrangement of a slide's blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    /// What the layout and the shape ask for (`data-landscape` on a wide slide).
    Preferred,
    /// The heading beside the blocks in a narrower column ([`NARROW_SHARE`] of the slot), so
    /// that code or a table has the width to be read: a wide slide whose figure, beside the
    /// heading at its designed share, would be set under a phone's floors.
    Narrow,
    /// One column: the heading over the blocks.
    Stack,
    /// One column, with blocks setting their parts side by side.
    Columns,
    /// The heading across the top, the blocks in two columns under it (running text left,
    /// figures right): a wide slide whose blocks are too tall for the column beside the heading.
    Under,
    /// The heading beside the blocks even when a block would rather have the whole width: a
    /// wide slide's last resort, since the heading's column gives the blocks the full height.
    Beside,
}

/// Divides the slot for the slide's shape and lays the blocks out at `sizes`.
///
/// Portrait and square, and kinds whose layout says `stack`: one column, the heading over the
/// blocks. Wide slides with a title: the heading in a left column (`data-heading-share` of the
/// slot), the blocks in the right one, the title's top level with the first block's; when the
/// blocks are prose and figures with words of their own (code, numbers, a table), the prose joins
/// the heading and the figures take the right column. A block that needs the whole width (see
/// [`Role::Spread`]) keeps the heading on top and runs across the slide.
#[allow(clippy::too_many_arguments)]
fn arrange(
    deck: &Deck,
    slide: &Slide,
    template: &Template,
    sizes: &Sizes,
    fs: f32,
    choice: Choice,
    room: Room,
    ts: &mut Typesetter,
) -> Arranged {
    let s = template.text_scale(deck.size);
    let content = template.content_on(deck.size);
    let params = &template.params;
    let measure = content.width.min(params.max_width * s);
    let is_wide = Template::is_wide(deck.size);
    let theme = slide_theme(deck, template);
    let full = Ctx {
        theme: &theme,
        s,
        fs,
        width: measure,
        align: params.align,
        slot_height: content.height,
        kind: slide.kind,
        columns: is_wide || choice == Choice::Columns,
        words: deck.words(),
    };
    let gutter = content.width * 0.06;
    let narrowest = params.heading_share.min(NARROW_SHARE);
    // Code whose longest line would wrap beside the heading at the layout's share takes as
    // much more of the width as it needs (down to the narrow share), unwrapped: the heading's
    // share that leaves the code its width.
    let code_share = (choice == Choice::Preferred && is_wide)
        .then(|| {
            slide
                .blocks
                .iter()
                .filter_map(|block| match block {
                    Content::Code(code) => Some(code.width_unwrapped(&full)),
                    _ => None,
                })
                .reduce(f32::max)
        })
        .flatten()
        .map(|code_width| 1.0 - code_width.min(params.max_width * s) / (content.width - gutter));
    let share = match (choice, code_share) {
        (Choice::Narrow, _) => narrowest,
        (Choice::Preferred, Some(code_share)) => code_share.clamp(narrowest, params.heading_share),
        _ => params.heading_share,
    };
    // A title left with one-word lines in its column ("A token / refresh / queue") reads as an
    // accident: the column widens, up to `WIDEST_SHARE` (for code or a table that asked for a
    // narrow one, up to the layout's share; beside code, as far as the code stays unwrapped),
    // so that its words pair up at the deck's title size ("Three problems, / one slow page"),
    // or else none is left stray, at that size or as the title is set a little smaller for it.
    let floor = params.title.1 * fs;
    let share = if is_wide && matches!(choice, Choice::Preferred | Choice::Narrow | Choice::Beside) {
        // Nor does it widen into the width code needs to stay unwrapped: wrapped code costs
        // more than a lone word (code that wraps anyway leaves the column free to widen).
        let widest = match (choice, code_share) {
            (Choice::Narrow, _) => params.heading_share,
            (_, Some(code_share)) if code_share >= narrowest => code_share.clamp(share, WIDEST_SHARE),
            _ => WIDEST_SHARE,
        };
        let lone_at = |share: f32, smaller: bool, stray: bool, ts: &mut Typesetter| {
            let ctx = Ctx { width: (content.width - gutter) * share, ..full };
            slide.heading.lone_title_lines(&ctx, sizes.title, floor, smaller, stray, ts)
        };
        let steps = ((widest - share) / SHARE_STEP).floor().max(0.0) as u32;
        let shares = || (0..=steps).map(|step| share + SHARE_STEP * step as f32);
        if slide.heading.title.is_none() || lone_at(share, false, false, ts) == 0 {
            share
        } else {
            shares()
                .find(|&wider| lone_at(wider, false, false, ts) == 0)
                .or_else(|| shares().find(|&wider| lone_at(wider, false, true, ts) == 0))
                .or_else(|| shares().find(|&wider| lone_at(wider, true, true, ts) == 0))
                .unwrap_or(share)
        }
    } else {
        share
    };
    let left_width = (content.width - gutter) * share;
    // A heading column too narrow for the title's longest word at its floor would break it.
    let wide = is_wide
        && matches!(choice, Choice::Preferred | Choice::Narrow | Choice::Beside)
        && params.wide == Wide::Beside
        && slide.heading.title.is_some()
        && slide.heading.widest_title_word(&full, params.title.1 * fs, ts) <= left_width;
    let right_width = content.width - gutter - left_width;
    let right_ctx = Ctx { width: right_width.min(params.max_width * s), slot_height: content.height * 1.6, ..full };
    let roles: Vec<Role> = slide.blocks.iter().map(|b| b.role(&right_ctx)).collect();
    let has_prose = roles.contains(&Role::Prose);
    let has_figure = roles.iter().any(|r| matches!(r, Role::Figure | Role::Picture));
    let spread = roles.contains(&Role::Spread) && choice != Choice::Beside;
    let mixed = has_prose && roles.iter().any(|r| *r != Role::Prose);
    // Without a title there is no heading column to fill: the blocks share the width in order.
    let headless = slide.heading.title.is_none() && slide.blocks.len() >= 2;
    let splits = match choice {
        Choice::Under => mixed || headless,
        Choice::Preferred => headless && is_wide && params.wide == Wide::Beside,
        _ => false,
    };
    let lone_title = |width: f32, ts: &mut Typesetter| {
        slide.heading.lone_title_lines(&Ctx { width, ..full }, sizes.title, floor, true, true, ts)
    };
    if splits && !spread {
        let mut arranged = under(&full, slide, template, sizes, &roles, content.width, ts);
        arranged.lone_title = lone_title(full.width, ts);
        return arranged;
    }
    if !wide || spread || !(has_prose || has_figure) {
        let blocks = build_blocks(&full, slide, template, sizes, ts, &|_| true);
        let mut arranged = stacked(0.0, full.width, params.align, content.width, blocks, true);
        arranged.lone_title = lone_title(full.width, ts);
        return arranged;
    }
    let left_ctx = Ctx { width: left_width, slot_height: content.height * 1.6, ..full };
    // A picture has no words of its own: the running text stays beside it as its caption, so
    // the words span the slide; code, numbers and tables take the column and the text joins the title.
    let prose_left = has_prose && roles.contains(&Role::Figure);
    let in_left = |part: Part| match part {
        Part::Heading => true,
        Part::Block(index) => prose_left && roles[index] == Role::Prose,
    };
    let left = build_blocks(&left_ctx, slide, template, sizes, ts, &|part| in_left(part));
    let right = build_blocks(&right_ctx, slide, template, sizes, ts, &|part| !in_left(part));
    let mut left = stacked(0.0, left_ctx.width, params.align, left_ctx.width, left, true);
    let mut right = stacked(left_width + gutter, right_ctx.width, params.align, right_width, right, false);
    // The blocks start level with the title; when that leaves them too little room, they start
    // level with the kicker instead, and when that is not enough either, at the slot's top (where
    // the kicker of a slide that has one sits: layouts keep their decorations out of the slot).
    let room_below = room.below.min(content.height - left.above);
    let needed = right.below - room_below;
    if needed > 0.01 {
        let lift = if needed <= left.kicker + 0.01 {
            left.kicker
        } else if room.above < content.height {
            // On the deck's line: the slot's top is a known place, level across the deck.
            room.above.max(needed)
        } else {
            needed
        };
        for (_, dy, _) in &mut right.blocks {
            *dy -= lift;
        }
        right.below -= lift;
        right.above += lift;
    }
    left.above = left.above.max(right.above);
    left.below = left.below.max(right.below);
    left.blocks.extend(right.blocks);
    left.lone_title = lone_title(left_width, ts);
    left
}

/// The heading across the slot, and under it the blocks in two columns of equal width, both
/// starting one gap under the heading: running text in the left column, figures in the right
/// (on a slide without a title, the blocks divided in the order written).
fn under(
    full: &Ctx,
    slide: &Slide,
    template: &Template,
    sizes: &Sizes,
    roles: &[Role],
    width: f32,
    ts: &mut Typesetter,
) -> Arranged {
    let gutter = width * 0.06;
    let column = (width - gutter) / 2.0;
    let ctx = Ctx { width: column, ..*full };
    let mixed = roles.contains(&Role::Prose) && roles.iter().any(|r| *r != Role::Prose);
    let half = slide.blocks.len().div_ceil(2);
    let in_left = |index: usize| if mixed { roles[index] == Role::Prose } else { index < half };
    let heading = build_blocks(full, slide, template, sizes, ts, &|part| part == Part::Heading);
    let mut arranged = stacked(0.0, full.width, template.params.align, width, heading, true);
    let left = build_blocks(&ctx, slide, template, sizes, ts, &|part| matches!(part, Part::Block(i) if in_left(i)));
    let right = build_blocks(&ctx, slide, template, sizes, ts, &|part| matches!(part, Part::Block(i) if !in_left(i)));
    let top = arranged.below + sizes.gap;
    let mut bottom = arranged.below;
    for (x, blocks) in [(0.0, left), (column + gutter, right)] {
        let placed = stacked(x, column, HAlign::Start, column, blocks, false);
        bottom = bottom.max(top + placed.below);
        for (dx, dy, block) in placed.blocks {
            arranged.blocks.push((dx, top + dy, block));
        }
    }
    arranged.below = bottom;
    arranged
}

/// One column of blocks, top to bottom, starting at `x`: the title line is the top of the
/// first block after the icon's tile and the kicker (or of the first block when `heading` is
/// false).
fn stacked(x: f32, width: f32, align: HAlign, room: f32, blocks: Vec<Block>, heading: bool) -> Arranged {
    let left = match align {
        HAlign::Start => x,
        HAlign::Center => x + (room - width) / 2.0,
    };
    let mut placed = Vec::with_capacity(blocks.len());
    let mut y = 0.0;
    // The tile and the kicker, with their gaps, sit above the line: measure from the next block.
    let mut above_line = 0;
    for (index, block) in blocks.into_iter().enumerate() {
        if index > 0 {
            y += block.gap_before;
        }
        if heading && index == above_line && matches!(block.name, crate::blocks::icon::KEY | "label") {
            above_line += 1;
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
    let shift = if above_line > 0 { placed.get(above_line).map(|(_, y, _)| *y).unwrap_or(y) } else { 0.0 };
    let kicker = match placed.get(above_line.wrapping_sub(1)) {
        Some((_, top, block)) if block.name == "label" => shift - top,
        _ => 0.0,
    };
    for (_, y, _) in &mut placed {
        *y -= shift;
    }
    Arranged {
        blocks: placed,
        above: shift,
        kicker,
        below: y - shift,
        fit: 1.0,
        under_phone_floor: false,
        choice: Choice::Preferred,
        lone_title: 0,
    }
}

/// A part of a slide, for choosing the column it goes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// The kicker, title and subtitle.
    Heading,
    /// The block at this index of `slide.blocks`.
    Block(usize),
}

/// The heading, then the slide's blocks in the order written, each at the origin with the space
/// above it; only the parts `include` accepts.
fn build_blocks(
    ctx: &Ctx,
    slide: &Slide,
    template: &Template,
    sizes: &Sizes,
    ts: &mut Typesetter,
    include: &dyn Fn(Part) -> bool,
) -> Vec<Block> {
    let label = ctx.words.kicker(&template.params.label);
    let defaults = Defaults { label: &label, title_floor: template.params.title.1 * ctx.fs, slide_pos: slide.pos };
    let mut blocks = if include(Part::Heading) { slide.heading.layout(ctx, sizes, defaults, ts) } else { Vec::new() };
    for (index, content) in slide.blocks.iter().enumerate() {
        if !include(Part::Block(index)) {
            continue;
        }
        let mut block = content.layout(ctx, sizes, ts);
        block.gap_before = if blocks.is_empty() { 0.0 } else { sizes.gap };
        blocks.push(block);
    }
    if let Some(first) = blocks.first_mut() {
        first.gap_before = 0.0;
    }
    blocks
}

fn footer_items(deck: &Deck, theme: &Theme, slide: &Slide, footer: Rect, s: f32, ts: &mut Typesetter) -> Vec<Item> {
    let mut items = Vec::new();
    let total = deck.slides.len();
    let center_y = footer.y + footer.height / 2.0;
    let mut left_edge_of_right = footer.right();
    if total > 1 && slide.number == 1 {
        let style =
            TextStyle { weight: 700, line_height: 1.0, ..style(theme, Family::Sans, 28.0 * s, theme.on_accent) };
        let text = set_plain(ts, deck.words().swipe, &style, footer.width);
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
    // A slide that shows its author large does not repeat them in the footer.
    let author = deck.author.as_ref().filter(|_| !profiles::shows_author(slide));
    if let Some(author) = author {
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
                    author.name.value.split_whitespace().filter_map(|w| w.graphemes(true).next()).take(2).collect();
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
        // The deck's footer line follows the handle on the second line.
        let second = match (&author.handle, &deck.footer) {
            (Some(handle), Some(line)) => Some(format!("{} · {}", handle.value.trim(), line.value.trim())),
            (Some(handle), None) => Some(handle.value.clone()),
            (None, Some(line)) => Some(line.value.clone()),
            (None, None) => None,
        };
        let handle = second.as_ref().map(|h| fit_line(ts, h, &handle_style, room));
        let (name_baseline, handle_baseline) = match handle {
            Some(_) => (center_y - 4.0 * s, center_y + 26.0 * s),
            None => (center_y + 27.0 * s * 0.36, 0.0),
        };
        place_line(&mut items, &name, x, name_baseline);
        if let Some(handle) = handle {
            place_line(&mut items, &handle, x, handle_baseline);
        }
    } else if let Some(line) = &deck.footer {
        let room = (left_edge_of_right - footer.x - 24.0 * s).max(40.0 * s);
        let line_style =
            TextStyle { weight: 600, line_height: 1.1, ..style(theme, Family::Sans, 26.0 * s, theme.muted) };
        let text = fit_line(ts, &line.value, &line_style, room);
        place_line(&mut items, &text, footer.x, center_y + 26.0 * s * 0.36);
    }
    items
}

/// The deck's logo in the layout's logo slot: as large as the slot holds it, kept to the side
/// the slot is anchored to, centred across the other way.
fn logo_item(deck: &Deck, template: &Template, theme: &Theme) -> Option<Item> {
    let asset = deck.logo.as_ref()?.on(theme.background);
    let (slot, anchor) = template.logo_on(deck.size)?;
    let aspect = (asset.width / asset.height.max(1.0)).clamp(0.05, 20.0);
    let (width, height) = if slot.width / slot.height > aspect {
        (slot.height * aspect, slot.height)
    } else {
        (slot.width, slot.width / aspect)
    };
    let x = match anchor {
        Anchor::TopRight | Anchor::BottomRight => slot.right() - width,
        Anchor::Top | Anchor::Bottom | Anchor::Center => slot.x + (slot.width - width) / 2.0,
        _ => slot.x,
    };
    let rect = Rect { x, y: slot.y + (slot.height - height) / 2.0, width, height };
    Some(Item::Image { asset: asset.clone(), rect, fit: Fit::Contain, radius: 0.0 })
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
