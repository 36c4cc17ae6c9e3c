//! Render: slide SVG to pixels with resvg.
//!
//! Owns the usvg options (the bundled fonts, shared and parsed once per process; no system fonts,
//! no network) and the rasterisation of one slide into a [`tiny_skia::Pixmap`] at the slide's
//! size. It hands the pixels to the PNG stage. Deck images that are SVG are parsed here too, so
//! that they are read with the same fonts and limits as the slides.

use std::sync::OnceLock;

use resvg::{tiny_skia, usvg};

use crate::fonts::Fonts;

/// Why an SVG could not be turned into pixels.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// usvg rejected the document.
    #[error("{0}")]
    Parse(#[from] usvg::Error),
    /// The size was zero or too big to allocate.
    #[error("cannot allocate a {0}x{1} canvas")]
    Canvas(u32, u32),
}

fn options() -> &'static usvg::Options<'static> {
    static OPTIONS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut options = usvg::Options {
            fontdb: Fonts::shared().fontdb(),
            font_family: crate::fonts::SANS.to_string(),
            ..usvg::Options::default()
        };
        // Deck SVGs may only embed data: images; never read files or follow paths at render time.
        options.image_href_resolver.resolve_string = Box::new(|_, _| None);
        // Raster images inside SVG images are checked like deck images: header first, so a
        // decompression bomb is refused before anything decodes it.
        let default_data = usvg::ImageHrefResolver::default_data_resolver();
        options.image_href_resolver.resolve_data = Box::new(move |mime, data, opts| {
            if let Ok(size) = imagesize::blob_size(&data) {
                let pixels = size.width as u64 * size.height as u64;
                if pixels > crate::deck::limits::MAX_IMAGE_PIXELS {
                    return None;
                }
            }
            default_data(mime, data, opts)
        });
        options.resources_dir = None;
        options
    })
}

/// Parses an SVG document with the bundled fonts.
pub fn parse_svg(data: &[u8]) -> Result<usvg::Tree, RenderError> {
    Ok(usvg::Tree::from_data(data, options())?)
}

/// Renders an SVG document at `width` x `height` px, scaling its viewBox to fit.
pub fn rasterize(svg: &str, width: u32, height: u32) -> Result<tiny_skia::Pixmap, RenderError> {
    let tree = usvg::Tree::from_str(svg, options())?;
    let mut pixmap = tiny_skia::Pixmap::new(width, height).ok_or(RenderError::Canvas(width, height))?;
    draw(&tree, &mut pixmap);
    Ok(pixmap)
}

/// Renders like [`rasterize`] and hands the premultiplied RGBA pixels to `use_pixels`.
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
    let tree = usvg::Tree::from_str(svg, options())?;
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

fn draw(tree: &usvg::Tree, pixmap: &mut tiny_skia::Pixmap) {
    let size = tree.size();
    let transform =
        tiny_skia::Transform::from_scale(pixmap.width() as f32 / size.width(), pixmap.height() as f32 / size.height());
    resvg::render(tree, transform, &mut pixmap.as_mut());
}
