//! Backdrop: a slide's full-bleed background photo and the scrim that keeps its text legible.
//!
//! Owns two decisions: how the photo is drawn (cropped to cover the slide, as one image item, so
//! that the deck's image store scales it once to the drawn size) and how opaque the scrim over it
//! must be. The scrim is the theme's background colour; its opacity is the least (never below the
//! author's `dim`) at which every text run keeps WCAG AA contrast (4.5:1, large type 3:1) against
//! the pixels actually under it, measured on the photo decoded once per deck at a quarter of the
//! slide's size. It hands the layout stage the two [`Item`]s to draw behind the content.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use base64::Engine as _;

use crate::deck::{Asset, Deck, Fit, Size};
use crate::scene::Item;
use crate::template::Rect;
use crate::theme::Color;

/// The photo is measured at this fraction of the slide's size: a text run covers hundreds of
/// these pixels, and the box filter of the downscale stands for what the eye averages.
const SAMPLE: f32 = 0.25;

/// A background photo as drawn on a slide of the deck's size, at [`SAMPLE`] resolution.
#[derive(Debug)]
pub struct Pixels {
    width: u32,
    height: u32,
    rgb: Vec<Color>,
}

/// Every background photo of a deck, decoded once.
#[derive(Debug, Default, Clone)]
pub struct Backdrops {
    decoded: HashMap<PathBuf, Arc<Pixels>>,
}

impl Backdrops {
    /// Decodes each distinct background of `deck` once, as it is drawn at the deck's size. A
    /// photo that cannot be drawn is left out: its slides get an opaque scrim.
    pub fn new(deck: &Deck) -> Backdrops {
        let mut decoded = HashMap::new();
        for slide in &deck.slides {
            let Some(background) = &slide.background else { continue };
            if decoded.contains_key(&background.asset.path) {
                continue;
            }
            if let Some(pixels) = decode(&background.asset, deck.size) {
                decoded.insert(background.asset.path.clone(), Arc::new(pixels));
            }
        }
        Backdrops { decoded }
    }

    /// The photo decoded for `asset`, if it could be.
    pub fn get(&self, asset: &Asset) -> Option<&Pixels> {
        self.decoded.get(&asset.path).map(|p| p.as_ref())
    }
}

/// The photo cropped to cover a slide of `size`, drawn small.
fn decode(asset: &Asset, size: Size) -> Option<Pixels> {
    let (w, h) = (size.width as f32, size.height as f32);
    let data = base64::engine::general_purpose::STANDARD.encode(asset.bytes.as_slice());
    let mut svg = String::with_capacity(data.len() + 256);
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\"><image width=\"{w}\" height=\"{h}\" preserveAspectRatio=\"xMidYMid slice\" href=\"data:{};base64,{data}\"/></svg>",
        asset.format.mime()
    );
    let (sw, sh) = (((w * SAMPLE).round() as u32).max(1), ((h * SAMPLE).round() as u32).max(1));
    let pixmap = crate::render::rasterize(&svg, sw, sh).ok()?;
    // Premultiplied RGBA over black: transparent parts of the photo show the slide's colour
    // through the scrim, which only makes them closer to it, so black is the cautious guess.
    let rgb = pixmap.data().chunks_exact(4).map(|p| Color { r: p[0], g: p[1], b: p[2] }).collect();
    Some(Pixels { width: sw, height: sh, rgb })
}

/// The least scrim opacity, from `dim` up, at which every text run in `items` reads at WCAG AA
/// against the photo under it with `scrim` laid over it. Text on an opaque panel (a card, a code
/// panel) is not over the photo and is skipped. `large` is the size from which type counts as
/// large (3:1 instead of 4.5:1).
pub fn scrim_opacity(pixels: Option<&Pixels>, items: &[Item], scrim: Color, dim: f32, large: f32) -> f32 {
    let Some(pixels) = pixels else { return 1.0 };
    let panels: Vec<Rect> = items
        .iter()
        .filter_map(|item| match item {
            Item::Rect { rect, opacity, .. } if *opacity >= 1.0 => Some(*rect),
            _ => None,
        })
        .collect();
    // The colours under each run, sampled once; the opacity search then only blends.
    let mut runs: Vec<(Color, f32, Vec<Color>)> = Vec::new();
    for item in items {
        let Item::Text(segment) = item else { continue };
        let (x0, y0) = (segment.x, segment.y - segment.size * 0.75);
        let (x1, y1) = (segment.x + segment.advance, segment.y + segment.size * 0.2);
        let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        if panels.iter().any(|r| cx >= r.x && cx <= r.right() && cy >= r.y && cy <= r.bottom()) {
            continue;
        }
        let to_px = |v: f32, max: u32| ((v * SAMPLE).floor().max(0.0) as u32).min(max.saturating_sub(1));
        let (px0, px1) = (to_px(x0, pixels.width), to_px(x1, pixels.width));
        let (py0, py1) = (to_px(y0, pixels.height), to_px(y1, pixels.height));
        let mut under = Vec::new();
        for py in py0..=py1 {
            for px in px0..=px1 {
                if let Some(c) = pixels.rgb.get((py * pixels.width + px) as usize) {
                    under.push(*c);
                }
            }
        }
        let needed = if segment.size >= large { 3.0 } else { 4.5 };
        runs.push((segment.color, needed, under));
    }
    let mut opacity = dim.clamp(0.0, 1.0);
    while opacity < 1.0 {
        let legible = runs
            .iter()
            .all(|(ink, needed, under)| under.iter().all(|photo| ink.contrast(photo.mix(scrim, opacity)) >= *needed));
        if legible {
            return opacity;
        }
        opacity = (opacity + 0.05).min(1.0);
    }
    1.0
}

/// The photo over the whole slide and the scrim over it, to draw behind everything else.
pub fn items(asset: &Asset, size: Size, scrim: Color, opacity: f32) -> [Item; 2] {
    let rect = Rect { x: 0.0, y: 0.0, width: size.width as f32, height: size.height as f32 };
    [
        Item::Image { asset: asset.clone(), rect, fit: Fit::Cover, radius: 0.0 },
        Item::Rect { rect, radius: 0.0, fill: scrim, opacity: (opacity * 100.0).round() / 100.0 },
    ]
}
