//! A checked image file: read within the limits, its kind sniffed from its bytes, its size read
//! from its header before anything decodes it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use super::{MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS};

/// A checked image file, read into memory.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Its path.
    pub path: PathBuf,
    /// Its bytes.
    pub bytes: Arc<Vec<u8>>,
    /// What it is.
    pub format: ImageFormat,
    /// Intrinsic width in px.
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
    /// SVG.
    Svg,
}

impl ImageFormat {
    /// MIME type for a data URI.
    pub fn mime(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
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

/// Reads an image file after checking its size, its kind and, from its header only, its pixel count.
pub fn read_asset(path: &Path) -> Result<Asset, String> {
    let metadata = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        _ => e.to_string(),
    })?;
    if metadata.is_dir() {
        return Err("this is a folder, not an image".to_string());
    }
    if metadata.len() > MAX_IMAGE_BYTES {
        return Err(format!(
            "the file is {} MB; the limit is {} MB",
            metadata.len() / 1_048_576,
            MAX_IMAGE_BYTES / 1_048_576
        ));
    }
    if !metadata.is_file() {
        // A device such as /dev/zero reports 0 bytes and never ends.
        return Err("this is not a regular file".to_string());
    }
    let too_big = || format!("the file is over {} MB, the limit", MAX_IMAGE_BYTES / 1_048_576);
    let bytes = crate::files::read_at_most(path, MAX_IMAGE_BYTES).map_err(|e| e.to_string())?.ok_or_else(too_big)?;
    let format = sniff(&bytes).ok_or("this is not a PNG, JPEG or SVG file")?;
    let (width, height) = match format {
        ImageFormat::Png | ImageFormat::Jpeg => {
            let size = imagesize::blob_size(&bytes).map_err(|_| "the image header is damaged")?;
            let pixels = size.width as u64 * size.height as u64;
            if pixels == 0 {
                return Err("the image has no pixels".to_string());
            }
            if pixels > MAX_IMAGE_PIXELS || size.width > 20_000 || size.height > 20_000 {
                return Err(format!(
                    "the image is {}x{} px; the limit is {} megapixels",
                    size.width,
                    size.height,
                    MAX_IMAGE_PIXELS / 1_000_000
                ));
            }
            check_image_data(&bytes, format)?;
            (size.width as f32, size.height as f32)
        }
        ImageFormat::Svg => {
            let tree = super::svg::parse_svg(&bytes).map_err(|e| match e {
                super::svg::SvgError::OverBudget(why) => format!("the SVG would cost too much to draw: {why}"),
                other => format!("the SVG cannot be read: {other}"),
            })?;
            let size = tree.size();
            (size.width(), size.height())
        }
    };
    let renditions = Arc::default();
    Ok(Asset { path: path.to_path_buf(), bytes: Arc::new(bytes), format, width, height, renditions })
}

/// Refuses a PNG or JPEG whose data is cut short or damaged. The renderer silently skips an
/// image it cannot decode, so without this check a broken file gives a slide with a hole in it.
/// A PNG is decoded row by row (one row in memory; its size was checked from the header); a JPEG
/// must end with its end-of-image marker, which a truncated download lacks.
fn check_image_data(bytes: &[u8], format: ImageFormat) -> Result<(), String> {
    const DAMAGED: &str = "the image is damaged or cut short; export it again";
    match format {
        ImageFormat::Png => {
            let mut reader = png::Decoder::new(std::io::Cursor::new(bytes)).read_info().map_err(|_| DAMAGED)?;
            while reader.next_row().map_err(|_| DAMAGED)?.is_some() {}
            reader.finish().map_err(|_| DAMAGED.to_string())
        }
        ImageFormat::Jpeg => {
            // Some writers pad after the marker; look for it near the end.
            let tail = &bytes[bytes.len().saturating_sub(1024)..];
            match tail.windows(2).any(|w| w == [0xFF, 0xD9]) {
                true => Ok(()),
                false => Err(DAMAGED.to_string()),
            }
        }
        ImageFormat::Svg => Ok(()),
    }
}

fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(ImageFormat::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(ImageFormat::Jpeg);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with('<') && head.contains("<svg") {
        return Some(ImageFormat::Svg);
    }
    None
}
