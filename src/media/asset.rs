//! A checked image file: read within the limits, its kind sniffed from its bytes, its size read
//! from its header before anything decodes it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use super::decode::{self, Header, Kind, Raster, Refusal};
use super::MAX_IMAGE_BYTES;

/// A checked image file, read into memory.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Its path.
    pub path: PathBuf,
    /// Its bytes.
    pub bytes: Arc<Vec<u8>>,
    /// What it is.
    pub format: ImageFormat,
    /// What the header of a raster image says (its size as drawn, its orientation, whether it
    /// can be embedded as written); `None` for SVG.
    pub raster: Option<Header>,
    /// Intrinsic width in px (as drawn: after the EXIF orientation).
    pub width: f32,
    /// Intrinsic height in px.
    pub height: f32,
    /// The scaled copies the slides embed, made once per drawn size (see [`crate::media::pixels`]).
    pub renditions: Arc<Renditions>,
}

/// Image formats a deck may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// WebP.
    Webp,
    /// GIF.
    Gif,
    /// SVG.
    Svg,
}

impl ImageFormat {
    /// MIME type for a data URI.
    pub fn mime(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Webp => "image/webp",
            ImageFormat::Gif => "image/gif",
            ImageFormat::Svg => "image/svg+xml",
        }
    }
}

/// The image data to embed for one drawing of an asset.
#[derive(Debug, Clone)]
pub struct Rendition {
    /// MIME type for the data URI.
    pub mime: &'static str,
    /// The encoded file.
    pub bytes: Arc<Vec<u8>>,
}

/// The renditions of one image file, shared by every clone of its [`Asset`] (one per deck load).
#[derive(Default)]
pub struct Renditions {
    /// By drawn size in px. Each entry is made once: a slide that asks while another slide is
    /// making it waits for that one instead of decoding the file again.
    made: Mutex<HashMap<(u32, u32), Arc<Once>>>,
}

/// One rendition, made by the first slide that asks for it.
pub type Once = OnceLock<Rendition>;

impl Renditions {
    /// The cell of the rendition at `size`: made by the first caller that fills it, waited for
    /// by the others. `None` when the store's lock is poisoned.
    pub fn cell(&self, size: (u32, u32)) -> Option<Arc<Once>> {
        Some(self.made.lock().ok()?.entry(size).or_default().clone())
    }
}

impl std::fmt::Debug for Renditions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let count = self.made.lock().map(|made| made.len()).unwrap_or(0);
        write!(f, "Renditions({count})")
    }
}

/// Reads an image file after checking its size, its kind (by its first bytes) and, from its
/// header only, its pixel count; then checks that its data is whole (see [`decode::check`]).
pub fn read_asset(path: &Path) -> Result<Asset, Refusal> {
    let why = |text: String| Refusal { why: text, help: None };
    let metadata = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => why("no such file".to_string()),
        _ => why(e.to_string()),
    })?;
    if metadata.is_dir() {
        return Err(why("this is a folder, not an image".to_string()));
    }
    if metadata.len() > MAX_IMAGE_BYTES {
        return Err(why(format!(
            "the file is {} MB; the limit is {} MB",
            metadata.len() / 1_048_576,
            MAX_IMAGE_BYTES / 1_048_576
        )));
    }
    if !metadata.is_file() {
        // A device such as /dev/zero reports 0 bytes and never ends.
        return Err(why("this is not a regular file".to_string()));
    }
    let too_big = || why(format!("the file is over {} MB, the limit", MAX_IMAGE_BYTES / 1_048_576));
    let bytes =
        crate::files::read_at_most(path, MAX_IMAGE_BYTES).map_err(|e| why(e.to_string()))?.ok_or_else(too_big)?;
    let (format, raster, width, height) = match decode::kind(&bytes)? {
        Kind::Raster(raster) => {
            let header = decode::header(&bytes, raster)?;
            decode::check(&bytes, &header)?;
            let format = match raster {
                Raster::Png => ImageFormat::Png,
                Raster::Jpeg => ImageFormat::Jpeg,
                Raster::Webp => ImageFormat::Webp,
                Raster::Gif => ImageFormat::Gif,
            };
            let (width, height) = (header.width as f32, header.height as f32);
            (format, Some(header), width, height)
        }
        Kind::Svg => {
            let tree = super::svg::parse_svg(&bytes).map_err(|e| match e {
                super::svg::SvgError::OverBudget(reason) => {
                    why(format!("the SVG would cost too much to draw: {reason}"))
                }
                other => why(format!("the SVG cannot be read: {other}")),
            })?;
            let size = tree.size();
            (ImageFormat::Svg, None, size.width(), size.height())
        }
    };
    let renditions = Arc::default();
    Ok(Asset { path: path.to_path_buf(), bytes: Arc::new(bytes), format, raster, width, height, renditions })
}
