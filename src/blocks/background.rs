//! Background: a slide's full-bleed background photo and the scrim that keeps its text legible.
//!
//! Owns the slide key `background:` (its parsing, as a block file owns its key) and two decisions: how the photo is drawn (cropped to cover the slide, as one image item, so
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

use crate::design::theme::Color;
use crate::geom::{Rect, Size};
use crate::media::asset::Asset;
use crate::media::Fit;
use crate::read::format::{Key, Mapping, Rule, Shape};
use crate::read::limits;
use crate::read::reader::Reader;
use crate::read::yaml::{Node, Value};
use crate::scene::Item;

/// A photo behind a whole slide, cropped to cover it, under a scrim.
#[derive(Debug, Clone)]
pub struct Background {
    /// The file.
    pub asset: Asset,
    /// The least opacity of the scrim, 0 to 0.95 (`dim` in percent); the layout raises it as far
    /// as the text's contrast needs.
    pub dim: f32,
}

/// Reads a slide's `background:`: a path, or `{image, dim}`. Every mistake is reported at the
/// value at fault.
pub fn parse(reader: &mut Reader, node: &Node) -> Option<Background> {
    if node.as_text().is_some() {
        let asset = reader.asset(node, "`background`", SLIDE_KEY.max_chars())?;
        return Some(Background { asset, dim: 0.0 });
    }
    let fields = reader.map(node, "`background`", &BACKGROUND)?;
    let Some(path) = fields.present("image") else {
        reader.error(node.pos, "`background` has no `image`", "write { image: assets/photo.jpg, dim: 40 }");
        return None;
    };
    let dim = match fields.present("dim") {
        None => Some(0.0),
        Some(dim) => match dim.value {
            Value::Int(n) if (0..=95).contains(&n) => Some(n as f32 / 100.0),
            _ => {
                reader.error(
                    dim.pos,
                    "`background.dim` must be a whole percentage from 0 to 95",
                    "0 dims the photo only as much as the text's contrast needs; 60 dims it to 60% at least",
                );
                None
            }
        },
    };
    let asset = reader.asset(path, "`background.image`", BACKGROUND.max_chars("image"))?;
    Some(Background { asset, dim: dim? })
}

/// The photo is measured at this fraction of the slide's size: a text run covers hundreds of
/// these pixels, and the box filter of the downscale stands for what the eye averages.
const SAMPLE: f32 = 0.25;

/// A background photo as drawn on a slide of the deck's size, at a quarter of its resolution.
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
    /// Decodes each distinct background once, as it is drawn on a slide of `size`. A
    /// photo that cannot be drawn is left out: its slides get an opaque scrim.
    pub fn new<'a>(backgrounds: impl IntoIterator<Item = &'a Background>, size: Size) -> Backdrops {
        let mut decoded = HashMap::new();
        for background in backgrounds {
            if decoded.contains_key(&background.asset.path) {
                continue;
            }
            if let Some(pixels) = decode(&background.asset, size) {
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
    let (sw, sh) = (((w * SAMPLE).round() as u32).max(1), ((h * SAMPLE).round() as u32).max(1));
    // The photo as the decoder gives it (upright, in sRGB): the rendition the slide draws (the
    // photo covering the slide), made once and shared with the drawing, not the whole file
    // decoded again by the renderer.
    let sample = Rect { x: 0.0, y: 0.0, width: w, height: h };
    let rendition = crate::media::pixels::rendition(asset, sample, Fit::Cover);
    let data = base64::engine::general_purpose::STANDARD.encode(rendition.bytes.as_slice());
    let mut svg = String::with_capacity(data.len() + 256);
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\"><image width=\"{w}\" height=\"{h}\" preserveAspectRatio=\"xMidYMid slice\" href=\"data:{};base64,{data}\"/></svg>",
        rendition.mime
    );
    let pixmap = crate::media::svg::rasterize(&svg, sw, sh).ok()?;
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
    // Text on a panel reads against the panel: an opaque one hides the photo, a translucent
    // one (the quote's, over a photo) is blended over the photo and the scrim.
    let panels: Vec<(Rect, Color, f32)> = items
        .iter()
        .filter_map(|item| match item {
            Item::Rect { rect, fill, opacity, .. } if *opacity >= PANEL_OPACITY - 0.001 => {
                Some((*rect, *fill, *opacity))
            }
            // A disc (an avatar's initials, a mark's badge) is opaque: its square inside holds the letters.
            Item::Circle { cx, cy, r, fill } => {
                let half = r * std::f32::consts::FRAC_1_SQRT_2;
                Some((Rect { x: cx - half, y: cy - half, width: 2.0 * half, height: 2.0 * half }, *fill, 1.0))
            }
            _ => None,
        })
        .collect();
    // The colours under each run, sampled once; the opacity search then only blends.
    let mut runs: Vec<Run> = Vec::new();
    for item in items {
        let Item::Text(segment) = item else { continue };
        let (x0, y0) = (segment.x, segment.y - segment.size * 0.75);
        let (x1, y1) = (segment.x + segment.advance, segment.y + segment.size * 0.2);
        let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        let panel = panels.iter().find(|(r, _, _)| cx >= r.x && cx <= r.right() && cy >= r.y && cy <= r.bottom());
        if panel.is_some_and(|(_, _, opacity)| *opacity >= 1.0) {
            continue;
        }
        let panel = panel.map(|(_, fill, opacity)| (*fill, *opacity));
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
        runs.push(Run { ink: segment.color, needed, panel, under });
    }
    let mut opacity = dim.clamp(0.0, 1.0);
    while opacity < 1.0 {
        let legible = runs.iter().all(|Run { ink, needed, panel, under }| {
            under.iter().all(|photo| {
                let seen = photo.mix(scrim, opacity);
                let seen = panel.map_or(seen, |(fill, strength)| seen.mix(fill, strength));
                ink.contrast(seen) >= *needed
            })
        });
        if legible {
            return opacity;
        }
        opacity = (opacity + 0.05).min(1.0);
    }
    1.0
}

/// A run of text as the scrim sees it: its ink, the contrast it needs, the translucent panel
/// under it (fill and opacity), and the photo's colours under it.
struct Run {
    ink: Color,
    needed: f32,
    panel: Option<(Color, f32)>,
    under: Vec<Color>,
}

/// How opaque the panel behind a quote over a photo is: the photo shows through a little,
/// and the text on it keeps its contrast over any photo (the scrim makes up the rest).
pub const PANEL_OPACITY: f32 = 0.86;

/// A rounded panel in `fill` over the photo and under the words: a quote over a photo sits on
/// it, as on a card, and the photo around it stays bright.
pub fn panel(rect: Rect, fill: Color, radius: f32) -> Item {
    Item::Rect { rect, radius, fill, opacity: PANEL_OPACITY }
}

/// The photo over the whole slide and the scrim over it, to draw behind everything else.
pub fn items(asset: &Asset, size: Size, scrim: Color, opacity: f32) -> [Item; 2] {
    let rect = Rect { x: 0.0, y: 0.0, width: size.width as f32, height: size.height as f32 };
    [
        Item::Image { asset: asset.clone(), rect, fit: Fit::Cover, radius: 0.0 },
        Item::Rect { rect, radius: 0.0, fill: scrim, opacity: (opacity * 100.0).round() / 100.0 },
    ]
}

/// A slide's background photo in its long form.
pub static BACKGROUND: Mapping = Mapping {
    what: "`background`",
    doc: "A full-bleed photo behind the slide: PNG, JPEG, WebP, GIF or SVG; at most 20 MB and 40 megapixels.",
    keys: &[
        Key {
            name: "image",
            doc: "The file, relative to the deck.",
            required: true,
            shape: Shape::Text { max: limits::MAX_PATH_CHARS },
        },
        Key {
            name: "dim",
            doc: "How strongly the scrim dims the photo, in percent: 0 (as much as contrast needs) to 95. \
                  The scrim is never lighter than the text's contrast needs.",
            required: false,
            shape: Shape::Int { min: 0, max: 95 },
        },
    ],
    rule: Rule::None,
};

/// The `background:` key of a slide.
pub const SLIDE_KEY: Key = Key {
    name: "background",
    doc: "A photo behind the whole slide, cropped to fill it, under a scrim in the theme's background \
          colour that keeps every text at WCAG AA contrast: the path, or {image, dim}.",
    required: false,
    shape: Shape::AnyOf { of: &[Shape::Text { max: limits::MAX_PATH_CHARS }, Shape::Map(&BACKGROUND)] },
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::{set_plain, style};
    use crate::design::theme::Theme;
    use crate::text::{Family, Typesetter};

    const WHITE: Color = Color::hex(0xffffff);
    const BLACK: Color = Color::hex(0x000000);

    /// One line of white text at (100, 100), as the layout would place it.
    fn white_line(ts: &mut Typesetter, size: f32) -> Vec<Item> {
        let theme = Theme::built_in("midnight").unwrap();
        let text = set_plain(ts, "Legible over any photo", &style(&theme, Family::Sans, size, WHITE), 2000.0);
        let mut items = Vec::new();
        crate::blocks::place_line(&mut items, &text, 100.0, 100.0);
        items
    }

    fn photo(color: Color) -> Pixels {
        Pixels { width: 480, height: 270, rgb: vec![color; 480 * 270] }
    }

    #[test]
    fn the_scrim_is_as_dark_as_contrast_needs_and_no_darker() {
        let mut ts = Typesetter::new();
        let items = white_line(&mut ts, 40.0);
        let scrim = Color { r: 10, g: 14, b: 26 };
        let light = photo(Color { r: 235, g: 235, b: 225 });
        let opacity = scrim_opacity(Some(&light), &items, scrim, 0.0, 56.0);
        let ink = WHITE;
        assert!(ink.contrast(light.rgb[0].mix(scrim, opacity)) >= 4.5, "AA at {opacity}");
        assert!(ink.contrast(light.rgb[0].mix(scrim, opacity - 0.05)) < 4.5, "{opacity} is darker than needed");
        // A dark photo needs no scrim, but the author's `dim` is kept.
        let dark = photo(Color { r: 20, g: 20, b: 30 });
        assert_eq!(scrim_opacity(Some(&dark), &items, scrim, 0.0, 56.0), 0.0);
        assert_eq!(scrim_opacity(Some(&dark), &items, scrim, 0.4, 56.0), 0.4);
        // Large type needs 3:1 only, so a lighter scrim.
        let large = white_line(&mut ts, 80.0);
        assert!(scrim_opacity(Some(&light), &large, scrim, 0.0, 56.0) < opacity);
        // A photo that could not be decoded gets an opaque scrim.
        assert_eq!(scrim_opacity(None, &items, scrim, 0.0, 56.0), 1.0);
    }

    #[test]
    fn text_on_an_opaque_card_is_not_over_the_photo() {
        let mut ts = Typesetter::new();
        let mut items = vec![Item::Rect {
            rect: Rect { x: 50.0, y: 40.0, width: 900.0, height: 100.0 },
            radius: 0.0,
            fill: BLACK,
            opacity: 1.0,
        }];
        items.extend(white_line(&mut ts, 40.0));
        let light = photo(Color { r: 235, g: 235, b: 225 });
        assert_eq!(scrim_opacity(Some(&light), &items, BLACK, 0.0, 56.0), 0.0);
    }

    #[test]
    fn text_on_a_translucent_panel_or_a_disc_reads_against_it() {
        let mut ts = Typesetter::new();
        let light = photo(Color { r: 235, g: 235, b: 225 });
        // The quote's panel, over a light photo: the words read on it, so the scrim keeps `dim`.
        let mut items = vec![panel(Rect { x: 50.0, y: 40.0, width: 900.0, height: 100.0 }, BLACK, 0.0)];
        items.extend(white_line(&mut ts, 40.0));
        assert_eq!(scrim_opacity(Some(&light), &items, BLACK, 0.3, 56.0), 0.3);
        // Without it, the same words need a dark scrim.
        let bare = white_line(&mut ts, 40.0);
        assert!(scrim_opacity(Some(&light), &bare, BLACK, 0.3, 56.0) > 0.5);
        // Dark initials on a light disc (an avatar without a photo) read on the disc.
        let theme = Theme::built_in("midnight").unwrap();
        let text = set_plain(&mut ts, "JD", &style(&theme, Family::Sans, 26.0, BLACK), 200.0);
        let mut avatar = vec![Item::Circle { cx: 120.0, cy: 92.0, r: 32.0, fill: WHITE }];
        crate::blocks::place_line(&mut avatar, &text, 120.0 - text.width / 2.0, 101.0);
        let dark = photo(Color { r: 20, g: 20, b: 30 });
        assert_eq!(scrim_opacity(Some(&dark), &avatar, BLACK, 0.2, 56.0), 0.2);
    }
}
