//! Geometry: the plain values every stage measures in.
//!
//! Owns the slide's [`Size`], the [`Rect`] that slots, blocks and images are placed in, and
//! [`num`], the one way a length is written into SVG and PDF (so that the same layout gives the
//! same bytes). It imports nothing of the crate: every stage may use it.

/// Slide size in px.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Size {
    /// Width in px.
    pub width: u32,
    /// Height in px.
    pub height: u32,
}

impl Size {
    /// 1080x1350, the default and LinkedIn's tallest.
    pub const PORTRAIT: Size = Size { width: 1080, height: 1350 };
    /// 1080x1080.
    pub const SQUARE: Size = Size { width: 1080, height: 1080 };
    /// 1920x1080.
    pub const LANDSCAPE: Size = Size { width: 1920, height: 1080 };
}

/// A rectangle in px.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    /// Left.
    pub x: f32,
    /// Top.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
}

impl Rect {
    /// Right edge.
    pub fn right(&self) -> f32 {
        self.x + self.width
    }
    /// Bottom edge.
    pub fn bottom(&self) -> f32 {
        self.y + self.height
    }
    /// The smallest rectangle holding both.
    pub fn union(self, other: Rect) -> Rect {
        let (x, y) = (self.x.min(other.x), self.y.min(other.y));
        Rect { x, y, width: self.right().max(other.right()) - x, height: self.bottom().max(other.bottom()) - y }
    }
}

/// A number for SVG: at most two decimals, no trailing zeros.
pub fn num(value: f32) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let text = format!("{rounded:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}
