//! Scene: a laid-out slide as a flat list of drawing primitives.
//!
//! The intermediate between layout and output, as typst's frames are: the layout stage produces
//! a [`Scene`] per slide with every position final, the layout's decorations included (already
//! moved and scaled for the slide's size); the SVG stage writes it out; the build and check
//! commands read its geometry. Nothing here measures or decides.

use crate::design::theme::Theme;
use crate::geom::{Rect, Size};
use crate::media::asset::Asset;
use crate::media::Fit;
use crate::text::Segment;

/// One slide, ready to draw.
#[derive(Debug, Clone)]
pub struct Scene {
    /// 1-based slide number.
    pub number: usize,
    /// Slide size in px.
    pub size: Size,
    /// The layout's `<defs>` (gradients, patterns the decorations use), verbatim.
    pub defs: String,
    /// The layout's decorations, placed for this slide, back to front, behind the content.
    pub decorations: Vec<Decoration>,
    /// The colours (for the template's role classes).
    pub theme: Theme,
    /// Content, back to front.
    pub items: Vec<Item>,
    /// Plain-text description of the slide (alt text): its notes, or its words.
    pub alt: String,
    /// How much the content was scaled to fit (1.0 as designed, below 1.0 shrunk).
    pub fit: f32,
    /// Whether the body text ended at the layout's floor size.
    pub at_floor: bool,
    /// Whether the type went under the floors a phone reads (only where nothing else fit).
    pub under_phone_floor: bool,
    /// Where the layout put the slot and each block: geometry for the lints, the composition
    /// figures of the tests and the PDF's text layer, not drawn.
    pub frame: Frame,
    /// The deck's own layout that could not hold this slide on its shape (it was set in the
    /// built-in layout of its kind instead), for `check`'s warning.
    pub layout_fallback: Option<String>,
}

/// The placed geometry of a slide's content.
#[derive(Debug, Clone, Default)]
pub struct Frame {
    /// The layout's content slot on this slide.
    pub slot: Rect,
    /// The top of the footer's band.
    pub footer_top: f32,
    /// Each block (the kicker, the title, ... then the blocks in author order) where it was placed.
    pub blocks: Vec<Placed>,
}

/// One block as placed on the slide.
#[derive(Debug, Clone)]
pub struct Placed {
    /// Its key (`title`, `body`, `bullets`, `code` ...).
    pub name: &'static str,
    /// Its box in slide coordinates.
    pub rect: Rect,
    /// The size most of its characters are set at, in px: its reading text (none when it sets
    /// no text).
    pub reading_text: Option<f32>,
}

impl Frame {
    /// The box of the block named `name`, the first if several.
    pub fn block(&self, name: &str) -> Option<&Placed> {
        self.blocks.iter().find(|b| b.name == name)
    }

    /// The box around every block.
    pub fn content(&self) -> Option<Rect> {
        let first = self.blocks.first()?.rect;
        Some(self.blocks.iter().fold(first, |all, b| {
            let (x, y) = (all.x.min(b.rect.x), all.y.min(b.rect.y));
            let (r, bottom) = (all.right().max(b.rect.right()), all.bottom().max(b.rect.bottom()));
            Rect { x, y, width: r - x, height: bottom - y }
        }))
    }
}

/// A decoration of the layout, placed on one slide.
#[derive(Debug, Clone)]
pub struct Decoration {
    /// The SVG transform that moves and scales it to its place (its anchor applied).
    pub transform: String,
    /// Its SVG source, verbatim from the layout.
    pub source: String,
}

/// A drawing primitive in slide coordinates.
#[derive(Debug, Clone)]
pub enum Item {
    /// A filled rectangle, optionally rounded.
    Rect {
        /// Where.
        rect: Rect,
        /// Corner radius.
        radius: f32,
        /// Fill.
        fill: crate::design::theme::Color,
        /// Opacity 0..=1.
        opacity: f32,
    },
    /// A filled circle.
    Circle {
        /// Centre x.
        cx: f32,
        /// Centre y.
        cy: f32,
        /// Radius.
        r: f32,
        /// Fill.
        fill: crate::design::theme::Color,
    },
    /// An SVG path, filled or stroked.
    Path {
        /// Path data in slide coordinates.
        d: String,
        /// Fill, if any.
        fill: Option<crate::design::theme::Color>,
        /// Stroke colour and width, if any.
        stroke: Option<(crate::design::theme::Color, f32)>,
    },
    /// A run of text.
    Text(Segment),
    /// A picture clipped to a rounded rectangle (a circle when the radius is half the side).
    Image {
        /// The file.
        asset: Asset,
        /// The box.
        rect: Rect,
        /// How it fills the box.
        fit: Fit,
        /// Corner radius of the clip.
        radius: f32,
    },
    /// A line icon from the bundled set, stroked in one colour.
    Icon {
        /// Its elements, in a [`crate::design::icons::VIEW_BOX`]-unit box.
        icon: crate::design::icons::Icon,
        /// Left edge.
        x: f32,
        /// Top edge.
        y: f32,
        /// Side of the square it is drawn in, in px.
        size: f32,
        /// Stroke (and dot) colour.
        color: crate::design::theme::Color,
        /// Stroke width in the icon's own units ([`crate::design::icons::STROKE_WIDTH`] is Lucide's).
        stroke_width: f32,
    },
}

impl Item {
    /// Moves the item by (`dx`, `dy`).
    pub fn translate(&mut self, dx: f32, dy: f32) {
        match self {
            Item::Rect { rect, .. } | Item::Image { rect, .. } => {
                rect.x += dx;
                rect.y += dy;
            }
            Item::Icon { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
            Item::Circle { cx, cy, .. } => {
                *cx += dx;
                *cy += dy;
            }
            Item::Path { d, .. } => *d = translate_path(d, dx, dy),
            Item::Text(segment) => {
                segment.x += dx;
                segment.y += dy;
            }
        }
    }
}

impl Item {
    /// Mirrors the item's place across a slide `width` wide, for a right-to-left slide: what was
    /// on the left goes to the right. Pictures, icons and text keep their own orientation (a text
    /// run was set mirrored in advance, see `text`); paths, which draw arrows and charts, turn.
    pub fn mirror(&mut self, width: f32) {
        match self {
            Item::Rect { rect, .. } | Item::Image { rect, .. } => rect.x = width - rect.x - rect.width,
            Item::Icon { x, size, .. } => *x = width - *x - *size,
            Item::Circle { cx, .. } => *cx = width - *cx,
            Item::Path { d, .. } => *d = mirror_path(d, width),
            Item::Text(segment) => segment.x = width - segment.x - segment.advance,
        }
    }
}

/// Mirrors the x of every pair of a path (see [`translate_path`] for the form).
fn mirror_path(d: &str, width: f32) -> String {
    map_pairs(d, |x, y| (width - x, y))
}

/// The layout stage writes paths as space-separated tokens of absolute commands (`M`, `L`, `C`,
/// `Z`) and x y pairs, so moving one adds the offset to each pair.
fn translate_path(d: &str, dx: f32, dy: f32) -> String {
    map_pairs(d, |x, y| (x + dx, y + dy))
}

/// Rewrites every x y pair of a path with `f`, the commands kept.
fn map_pairs(d: &str, f: impl Fn(f32, f32) -> (f32, f32)) -> String {
    let mut out = String::new();
    let mut numbers_in_command = 0usize;
    let mut x = 0.0f32;
    for token in d.split_whitespace() {
        if let Ok(value) = token.parse::<f32>() {
            if numbers_in_command.is_multiple_of(2) {
                x = value;
            } else {
                let (nx, ny) = f(x, value);
                out.push_str(&crate::geom::num(nx));
                out.push(' ');
                out.push_str(&crate::geom::num(ny));
                out.push(' ');
            }
            numbers_in_command += 1;
        } else {
            out.push_str(token);
            out.push(' ');
            numbers_in_command = 0;
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mirrored_path_turns_and_a_rect_moves_across() {
        let mut arrow = Item::Path { d: "M 10 5 L 30 5".into(), fill: None, stroke: None };
        arrow.mirror(100.0);
        let Item::Path { d, .. } = &arrow else { unreachable!() };
        assert_eq!(d, "M 90 5 L 70 5");
        let mut rect = Item::Rect {
            rect: Rect { x: 10.0, y: 0.0, width: 20.0, height: 5.0 },
            radius: 0.0,
            fill: crate::design::theme::Color::hex(0),
            opacity: 1.0,
        };
        rect.mirror(100.0);
        let Item::Rect { rect, .. } = rect else { unreachable!() };
        assert_eq!(rect.x, 70.0);
    }
}
