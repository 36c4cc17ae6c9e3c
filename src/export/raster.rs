//! Render: slide SVG to pixels with resvg.
//!
//! Owns the rasterisation of one slide into a [`tiny_skia::Pixmap`] at the slide's size, with the
//! options of [`crate::media::svg`] (the bundled fonts; no system fonts, no network), so slides
//! are read with the same fonts and limits as the deck's SVG images. It hands the pixels to the
//! PNG stage.

use resvg::{tiny_skia, usvg};

use crate::media::svg::{draw, RenderError};

/// Renders like [`crate::media::svg::rasterize`] and hands the premultiplied RGBA pixels to `use_pixels`.
///
/// The canvas is kept per thread and reused by the next slide of the same size: a fresh 1080x1350
/// canvas is 5.8 MB of newly mapped memory, and the page faults of zeroing it cost more than
/// clearing a warm one.
pub fn rasterize_with<T>(
    svg: &str,
    width: u32,
    height: u32,
    use_pixels: impl FnOnce(&[u8]) -> T,
) -> Result<T, RenderError> {
    thread_local! {
        static CANVAS: std::cell::RefCell<Option<tiny_skia::Pixmap>> = const { std::cell::RefCell::new(None) };
    }
    let tree = usvg::Tree::from_str(svg, &crate::media::svg::options())?;
    CANVAS.with(|cell| {
        let mut slot = cell.borrow_mut();
        let reusable = slot.as_ref().is_some_and(|p| p.width() == width && p.height() == height);
        if reusable {
            if let Some(pixmap) = slot.as_mut() {
                pixmap.fill(tiny_skia::Color::TRANSPARENT);
            }
        } else {
            *slot = Some(tiny_skia::Pixmap::new(width, height).ok_or(RenderError::Canvas(width, height))?);
        }
        let pixmap = slot.as_mut().ok_or(RenderError::Canvas(width, height))?;
        draw(&tree, pixmap);
        Ok(use_pixels(pixmap.data()))
    })
}
