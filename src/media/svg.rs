//! SVG read with the bundled fonts and the image limits: the one set of usvg options that deck
//! images, slides and the photo under a scrim are all parsed with. Nothing is read from disk or
//! the network at render time.

use std::sync::{Arc, Mutex};

use resvg::{tiny_skia, usvg};

use crate::fonts::Fonts;

/// The usvg options: the fonts as they are now (the set only grows: a deck adds its own and
/// the system's before it is drawn), no file or network access, raster images inside SVG
/// checked against [`super::MAX_IMAGE_PIXELS`] before they are decoded. Built again only when
/// the font set has grown.
pub fn options() -> Arc<usvg::Options<'static>> {
    static OPTIONS: Mutex<Option<(usize, Arc<usvg::Options<'static>>)>> = Mutex::new(None);
    let fonts = Fonts::shared().current();
    let mut cached = OPTIONS.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((generation, options)) = cached.as_ref() {
        if *generation == fonts.generation() {
            return Arc::clone(options);
        }
    }
    let mut options = usvg::Options {
        fontdb: fonts.fontdb(),
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
            if pixels > super::MAX_IMAGE_PIXELS {
                return None;
            }
        }
        // A raster image that needs turning upright or into sRGB (EXIF orientation, CMYK, an
        // ICC profile, WebP, GIF) goes through the deck's decoder too, and is handed on as PNG.
        use super::decode;
        if let Ok(decode::Kind::Raster(format)) = decode::kind(&data) {
            let header = decode::header(&data, format).ok()?;
            if !header.as_written {
                let pixels = decode::decode(&data, &header).ok()?;
                return Some(usvg::ImageKind::PNG(Arc::new(decode::encode_png(&pixels)?)));
            }
        }
        default_data(mime, data, opts)
    });
    options.resources_dir = None;
    let options = Arc::new(options);
    *cached = Some((fonts.generation(), Arc::clone(&options)));
    options
}

/// Why a deck's SVG cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SvgError {
    /// usvg rejected the document.
    #[error("{0}")]
    Parse(#[from] usvg::Error),
    /// It would cost too much to read or draw.
    #[error("{0}")]
    OverBudget(#[from] super::budget::OverBudget),
}

/// Parses an SVG document a deck brings with the bundled fonts, within the render budget of
/// [`super::budget`]: its XML is measured before usvg reads it, and its tree before anything draws it.
pub fn parse_svg(data: &[u8]) -> Result<usvg::Tree, SvgError> {
    super::budget::check_xml(data)?;
    let tree = usvg::Tree::from_data(data, &options())?;
    super::budget::check_tree(&tree)?;
    Ok(tree)
}

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

/// Renders an SVG document at `width` x `height` px, scaling its viewBox to fit.
pub fn rasterize(svg: &str, width: u32, height: u32) -> Result<tiny_skia::Pixmap, RenderError> {
    let tree = usvg::Tree::from_str(svg, &options())?;
    let mut pixmap = tiny_skia::Pixmap::new(width, height).ok_or(RenderError::Canvas(width, height))?;
    draw(&tree, &mut pixmap);
    Ok(pixmap)
}

/// Draws a parsed tree onto `pixmap`, its viewBox scaled to the pixmap.
pub fn draw(tree: &usvg::Tree, pixmap: &mut tiny_skia::Pixmap) {
    let size = tree.size();
    let transform =
        tiny_skia::Transform::from_scale(pixmap.width() as f32 / size.width(), pixmap.height() as f32 / size.height());
    resvg::render(tree, transform, &mut pixmap.as_mut());
}
