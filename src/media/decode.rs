//! The one raster decoder: every PNG, JPEG, WebP and GIF a deck names (avatar, `image:`,
//! `background:`) is recognised, checked and decoded here, into the straight sRGB RGBA pixels
//! the later stages scale and embed.
//!
//! - **Kind by magic bytes**, never by the file's extension ([`kind`]). HEIC/HEIF, AVIF, TIFF,
//!   BMP and PSD are recognised to be refused with a message that says how to convert them (no
//!   maintained pure-Rust decoder for HEIC or AVIF fits this build).
//! - **Limits before decoding** ([`header`]): the pixel count is read from the header (and the
//!   JPEG's frame header, the WebP's and GIF's own) and checked against
//!   [`super::MAX_IMAGE_PIXELS`] before anything allocates pixels.
//! - **Damage refused** ([`check`]): a PNG is decoded row by row; a JPEG's entropy-coded data is
//!   walked code by code (Huffman codes, block counts, restart markers, the end of every scan),
//!   which is what finds a file cut short and closed with `FF D9`, or corrupted mid-scan, that
//!   a lenient decoder would draw grey or garbled; a WebP or GIF is decoded.
//! - **Pixels as the author saw them** ([`decode`]): the EXIF orientation (1 to 8) applied; CMYK
//!   and YCCK JPEGs (Adobe's inverted or not) converted to RGB, through their embedded CMYK
//!   profile when they carry one; an embedded RGB ICC profile (Display P3, Adobe RGB, ...)
//!   converted to sRGB; PNG of any depth, palette or grey, with or without alpha; a GIF's first
//!   frame.
//!
//! Colour management is `moxcms` without its CPU-specific paths, and nothing here uses threads,
//! so the same file gives the same pixels on every machine.

use std::io::Cursor;

use super::MAX_IMAGE_PIXELS;

/// Longest side of an image, in px.
pub const MAX_SIDE: u32 = 20_000;

/// A raster format the decoder reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Raster {
    /// PNG.
    Png,
    /// JPEG (baseline, extended or progressive Huffman coding).
    Jpeg,
    /// WebP (lossy, lossless, alpha; the first frame of an animation).
    Webp,
    /// GIF (the first frame).
    Gif,
}

impl Raster {
    /// The format's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Raster::Png => "PNG",
            Raster::Jpeg => "JPEG",
            Raster::Webp => "WebP",
            Raster::Gif => "GIF",
        }
    }
}

/// What a file is, by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A raster image this module decodes.
    Raster(Raster),
    /// An SVG document.
    Svg,
}

/// Why a file cannot be used, and what to do instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// What is wrong, as a clause: "the image is damaged: ...".
    pub why: String,
    /// How to fix it, when there is more to say than "give a PNG, JPEG, WebP, GIF or SVG file".
    pub help: Option<String>,
}

impl Refusal {
    fn new(why: impl Into<String>) -> Refusal {
        Refusal { why: why.into(), help: None }
    }

    fn with_help(why: impl Into<String>, help: impl Into<String>) -> Refusal {
        Refusal { why: why.into(), help: Some(help.into()) }
    }
}

/// The formats a deck may use, as the help under a refused image says it.
pub const ACCEPTED: &str = "give a PNG, JPEG, WebP, GIF or SVG file; the path is relative to the deck file";

/// How to turn an iPhone photo into a JPEG.
pub const HEIC_HELP: &str = "export it as JPEG: on an iPhone, Settings > Camera > Formats > Most Compatible; \
     on a Mac, `sips -s format jpeg in.heic --out out.jpg`; elsewhere, `heif-convert in.heic out.jpg`";

/// Recognises a file by its magic bytes.
pub fn kind(bytes: &[u8]) -> Result<Kind, Refusal> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(Kind::Raster(Raster::Png));
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(Kind::Raster(Raster::Jpeg));
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Ok(Kind::Raster(Raster::Webp));
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Ok(Kind::Raster(Raster::Gif));
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        let size = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
        let end = size.clamp(12, bytes.len().min(256));
        // The major brand, then the compatible brands.
        let brands: Vec<&[u8]> =
            std::iter::once(&bytes[8..12]).chain(bytes[16.min(end)..end].chunks_exact(4)).collect();
        let has = |names: &[&[u8]]| brands.iter().any(|b| names.contains(b));
        if has(&[b"avif", b"avis"]) {
            return Err(Refusal::with_help(
                "this is an AVIF image, which carousel cannot decode",
                "export it as JPEG or PNG (for example `avifdec in.avif out.png`, or open it in a browser or \
                 an image editor and save it as JPEG)",
            ));
        }
        if has(&[b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1"]) {
            return Err(Refusal::with_help(
                "this is a HEIC/HEIF image (the iPhone's format), which carousel cannot decode",
                HEIC_HELP,
            ));
        }
    }
    let other = |name: &str| {
        Refusal::with_help(format!("this is a {name} image, which carousel does not read"), "export it as PNG or JPEG")
    };
    if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        return Err(other("TIFF"));
    }
    if bytes.starts_with(b"BM") && bytes.len() > 14 {
        return Err(other("BMP"));
    }
    if bytes.starts_with(b"8BPS") {
        return Err(other("Photoshop (PSD)"));
    }
    if bytes.starts_with(&[0x00, 0x00, 0x00, 0x0C, b'j', b'P']) || bytes.starts_with(&[0xFF, 0x4F, 0xFF, 0x51]) {
        return Err(other("JPEG 2000"));
    }
    if bytes.starts_with(&[0xFF, 0x0A]) || bytes.starts_with(b"\0\0\0\x0cJXL ") {
        return Err(other("JPEG XL"));
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with('<') && head.contains("<svg") {
        return Ok(Kind::Svg);
    }
    Err(Refusal::new("this is not a PNG, JPEG, WebP, GIF or SVG file"))
}

/// What a raster file's header says, read without decoding it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Its format.
    pub format: Raster,
    /// Width in px as drawn (after the EXIF orientation).
    pub width: u32,
    /// Height in px as drawn.
    pub height: u32,
    /// The EXIF orientation, 1 (as stored) to 8.
    pub orientation: u8,
    /// Whether the file can be embedded as written: a PNG or an RGB or grey JPEG stored upright
    /// with no colour profile but sRGB, which any SVG renderer draws as this module would.
    pub as_written: bool,
    /// Whether the source is photographic (a JPEG, a lossy WebP): scaled copies are JPEG.
    pub photographic: bool,
}

/// Reads a raster file's header: its size as drawn, checked against the limits, and what
/// decoding it would involve. Nothing is decoded.
pub fn header(bytes: &[u8], format: Raster) -> Result<Header, Refusal> {
    guarded(format, || header_unguarded(bytes, format))
}

fn header_unguarded(bytes: &[u8], format: Raster) -> Result<Header, Refusal> {
    let (width, height): (u64, u64);
    let mut orientation = 1;
    let mut as_written = false;
    let mut photographic = false;
    match format {
        Raster::Png => {
            let decoder = png::Decoder::new(Cursor::new(bytes));
            let reader = decoder.read_info().map_err(|e| Refusal::new(format!("the PNG header is damaged: {e}")))?;
            let info = reader.info();
            (width, height) = (info.width as u64, info.height as u64);
            orientation = info.exif_metadata.as_deref().and_then(exif_orientation).unwrap_or(1);
            let profile = info.icc_profile.as_deref().filter(|p| !is_srgb_profile(p));
            as_written = orientation == 1 && profile.is_none();
        }
        Raster::Jpeg => {
            let jpeg = JpegInfo::read(bytes)?;
            (width, height) = (jpeg.width as u64, jpeg.height as u64);
            orientation = jpeg.exif.and_then(exif_orientation).unwrap_or(1);
            let profile = (!jpeg.icc.is_empty() && !is_srgb_profile(&jpeg.icc)).then_some(());
            as_written = orientation == 1 && profile.is_none() && jpeg.components.len() != 4;
            photographic = true;
        }
        Raster::Webp => {
            let mut decoder = image_webp::WebPDecoder::new(Cursor::new(bytes))
                .map_err(|e| Refusal::new(format!("the WebP is damaged: {e}")))?;
            let (w, h) = decoder.dimensions();
            (width, height) = (w as u64, h as u64);
            orientation = decoder.exif_metadata().ok().flatten().as_deref().and_then(exif_orientation).unwrap_or(1);
            photographic = decoder.is_lossy() && !decoder.has_alpha();
        }
        Raster::Gif => {
            let size = imagesize::blob_size(bytes).map_err(|_| Refusal::new("the GIF header is damaged"))?;
            (width, height) = (size.width as u64, size.height as u64);
        }
    }
    if width == 0 || height == 0 {
        return Err(Refusal::new("the image has no pixels"));
    }
    if width * height > MAX_IMAGE_PIXELS || width > MAX_SIDE as u64 || height > MAX_SIDE as u64 {
        return Err(Refusal::new(format!(
            "the image is {width}x{height} px; the limit is {} megapixels and {MAX_SIDE} px a side",
            MAX_IMAGE_PIXELS / 1_000_000
        )));
    }
    let (width, height) = (width as u32, height as u32);
    let (width, height) = if orientation >= 5 { (height, width) } else { (width, height) };
    Ok(Header { format, width, height, orientation, as_written, photographic })
}

/// Straight (not premultiplied) 8-bit sRGB RGBA pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Pixels {
    /// Width in px.
    pub width: u32,
    /// Height in px.
    pub height: u32,
    /// Four bytes a pixel, rows top to bottom.
    pub rgba: Vec<u8>,
}

impl Pixels {
    /// Whether every pixel is opaque.
    pub fn opaque(&self) -> bool {
        self.rgba.chunks_exact(4).all(|p| p[3] == 255)
    }

    /// The pixel at (`x`, `y`).
    pub fn at(&self, x: u32, y: u32) -> [u8; 4] {
        let i = (y as usize * self.width as usize + x as usize) * 4;
        [self.rgba[i], self.rgba[i + 1], self.rgba[i + 2], self.rgba[i + 3]]
    }
}

/// Checks that a raster file's data is whole, without keeping its pixels: what a deck's images
/// go through when the deck is read, so that `check` refuses what `build` could not draw.
pub fn check(bytes: &[u8], header: &Header) -> Result<(), Refusal> {
    guarded(header.format, || check_unguarded(bytes, header))
}

/// Runs a decoder on a file a deck brought: the crates are meant not to panic on any input, and
/// if one does anyway the file is refused rather than the build stopped.
fn guarded<T>(format: Raster, run: impl FnOnce() -> Result<T, Refusal>) -> Result<T, Refusal> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)).unwrap_or_else(|_| {
        Err(Refusal::new(format!("the {} decoder failed on this file; export it again", format.name())))
    })
}

fn check_unguarded(bytes: &[u8], header: &Header) -> Result<(), Refusal> {
    match header.format {
        Raster::Png => {
            let damaged =
                |e: png::DecodingError| Refusal::new(format!("the PNG is damaged or cut short ({e}); export it again"));
            let mut reader = png_decoder(bytes).read_info().map_err(damaged)?;
            while reader.next_row().map_err(damaged)?.is_some() {}
            reader.finish().map_err(damaged)
        }
        Raster::Jpeg => check_jpeg(bytes),
        Raster::Webp => decode_webp(bytes).map(|_| ()),
        Raster::Gif => decode_gif(bytes).map(|_| ()),
    }
}

/// Decodes a raster file into upright sRGB pixels. `header` is what [`header`] read from it.
pub fn decode(bytes: &[u8], header: &Header) -> Result<Pixels, Refusal> {
    Ok(orient(decode_as_stored(bytes, header)?, header.orientation))
}

/// Decodes a raster file into sRGB pixels as they are stored, before the EXIF orientation
/// ([`orient`] applies it): a copy scaled down first is turned far faster than the whole photo.
pub fn decode_as_stored(bytes: &[u8], header: &Header) -> Result<Pixels, Refusal> {
    guarded(header.format, || match header.format {
        Raster::Png => decode_png(bytes),
        Raster::Jpeg => decode_jpeg(bytes),
        Raster::Webp => decode_webp(bytes),
        Raster::Gif => decode_gif(bytes),
    })
}

/// Encodes pixels as a PNG: RGB when every pixel is opaque, else RGBA; well compressed, since a
/// rendition is made once and embedded in every slide that draws it.
pub fn encode_png(pixels: &Pixels) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    let opaque = pixels.opaque();
    let mut encoder = png::Encoder::new(&mut bytes, pixels.width, pixels.height);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Balanced);
    let data: std::borrow::Cow<[u8]> = if opaque {
        encoder.set_color(png::ColorType::Rgb);
        pixels.rgba.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect::<Vec<u8>>().into()
    } else {
        encoder.set_color(png::ColorType::Rgba);
        pixels.rgba.as_slice().into()
    };
    let mut writer = encoder.write_header().ok()?;
    writer.write_image_data(&data).ok()?;
    writer.finish().ok()?;
    Some(bytes)
}

fn png_decoder(bytes: &[u8]) -> png::Decoder<Cursor<&[u8]>> {
    // Room for the largest image the limits allow, as 16-bit RGBA, and its metadata.
    let limits = png::Limits { bytes: (MAX_IMAGE_PIXELS as usize) * 8 + (64 << 20) };
    png::Decoder::new_with_limits(Cursor::new(bytes), limits)
}

fn decode_png(bytes: &[u8]) -> Result<Pixels, Refusal> {
    let damaged =
        |e: png::DecodingError| Refusal::new(format!("the PNG is damaged or cut short ({e}); export it again"));
    let mut decoder = png_decoder(bytes);
    decoder.set_transformations(png::Transformations::normalize_to_color8() | png::Transformations::ALPHA);
    let mut reader = decoder.read_info().map_err(damaged)?;
    let profile = reader.info().icc_profile.as_ref().map(|p| p.to_vec());
    let size = reader.output_buffer_size().ok_or_else(|| Refusal::new("the PNG is too large to decode"))?;
    let mut buffer = vec![0; size];
    let info = reader.next_frame(&mut buffer).map_err(damaged)?;
    buffer.truncate(info.buffer_size());
    let (width, height) = (info.width, info.height);
    let mut rgba = match info.color_type {
        png::ColorType::Rgba => buffer,
        png::ColorType::Rgb => buffer.chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect(),
        png::ColorType::GrayscaleAlpha => buffer.chunks_exact(2).flat_map(|p| [p[0], p[0], p[0], p[1]]).collect(),
        png::ColorType::Grayscale => buffer.iter().flat_map(|&g| [g, g, g, 255]).collect(),
        png::ColorType::Indexed => return Err(Refusal::new("the PNG's palette could not be expanded")),
    };
    if rgba.len() != width as usize * height as usize * 4 {
        return Err(Refusal::new("the PNG is damaged or cut short; export it again"));
    }
    let grey = matches!(info.color_type, png::ColorType::Grayscale | png::ColorType::GrayscaleAlpha);
    if let Some(profile) = profile.filter(|_| !grey) {
        to_srgb(&mut rgba, &profile);
    }
    Ok(Pixels { width, height, rgba })
}

fn decode_webp(bytes: &[u8]) -> Result<Pixels, Refusal> {
    let damaged =
        |e: image_webp::DecodingError| Refusal::new(format!("the WebP is damaged or cut short ({e}); export it again"));
    let mut decoder = image_webp::WebPDecoder::new(Cursor::new(bytes)).map_err(damaged)?;
    decoder.set_memory_limit(MAX_IMAGE_PIXELS as usize * 4 + (64 << 20));
    let (width, height) = decoder.dimensions();
    check_size(width as u64, height as u64)?;
    let profile = decoder.icc_profile().ok().flatten();
    let alpha = decoder.has_alpha();
    let size = decoder.output_buffer_size().ok_or_else(|| Refusal::new("the WebP is too large to decode"))?;
    let mut buffer = vec![0; size];
    decoder.read_image(&mut buffer).map_err(damaged)?;
    let mut rgba = match alpha {
        true => buffer,
        false => buffer.chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect(),
    };
    if rgba.len() != width as usize * height as usize * 4 {
        return Err(Refusal::new("the WebP is damaged or cut short; export it again"));
    }
    if let Some(profile) = profile {
        to_srgb(&mut rgba, &profile);
    }
    Ok(Pixels { width, height, rgba })
}

fn decode_gif(bytes: &[u8]) -> Result<Pixels, Refusal> {
    let damaged =
        |e: gif::DecodingError| Refusal::new(format!("the GIF is damaged or cut short ({e}); export it again"));
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    options.set_memory_limit(gif::MemoryLimit::Bytes(
        std::num::NonZeroU64::new(MAX_IMAGE_PIXELS * 4).unwrap_or(std::num::NonZeroU64::MIN),
    ));
    let mut decoder = options.read_info(Cursor::new(bytes)).map_err(damaged)?;
    let (width, height) = (decoder.width() as u32, decoder.height() as u32);
    check_size(width as u64, height as u64)?;
    let frame = decoder.read_next_frame().map_err(damaged)?.ok_or_else(|| Refusal::new("the GIF has no frames"))?;
    // The first frame on a transparent canvas of the GIF's size (a frame may cover part of it).
    let mut rgba = vec![0u8; width as usize * height as usize * 4];
    let (fw, fh) = (frame.width as usize, frame.height as usize);
    if frame.buffer.len() != fw * fh * 4 {
        return Err(Refusal::new("the GIF is damaged or cut short; export it again"));
    }
    for y in 0..fh {
        let ty = frame.top as usize + y;
        if ty >= height as usize {
            break;
        }
        let left = frame.left as usize;
        if left >= width as usize {
            break;
        }
        let run = fw.min(width as usize - left);
        let src = &frame.buffer[y * fw * 4..(y * fw + run) * 4];
        rgba[(ty * width as usize + left) * 4..(ty * width as usize + left + run) * 4].copy_from_slice(src);
    }
    Ok(Pixels { width, height, rgba })
}

fn check_size(width: u64, height: u64) -> Result<(), Refusal> {
    if width == 0 || height == 0 {
        return Err(Refusal::new("the image has no pixels"));
    }
    if width * height > MAX_IMAGE_PIXELS || width > MAX_SIDE as u64 || height > MAX_SIDE as u64 {
        return Err(Refusal::new(format!(
            "the image is {width}x{height} px; the limit is {} megapixels",
            MAX_IMAGE_PIXELS / 1_000_000
        )));
    }
    Ok(())
}

// --- Colour ---

/// Whether an ICC profile is (by its description) sRGB itself, so that nothing needs converting.
fn is_srgb_profile(profile: &[u8]) -> bool {
    match moxcms::ColorProfile::new_from_slice(profile) {
        Ok(parsed) => {
            let text = match &parsed.description {
                Some(moxcms::ProfileText::PlainString(s)) => s.clone(),
                Some(moxcms::ProfileText::Localizable(all)) => all.first().map(|l| l.value.clone()).unwrap_or_default(),
                Some(moxcms::ProfileText::Description(d)) => d.ascii_string.clone(),
                None => String::new(),
            };
            parsed.color_space == moxcms::DataColorSpace::Rgb && text.to_ascii_lowercase().contains("srgb")
        }
        // A profile that does not parse is ignored, as browsers do: the pixels are taken as sRGB.
        Err(_) => true,
    }
}

/// Converts RGBA pixels in the colour space of the RGB ICC `profile` to sRGB, in place. A
/// profile that is not RGB, does not parse or cannot be converted is ignored (sRGB assumed).
fn to_srgb(rgba: &mut [u8], profile: &[u8]) {
    if is_srgb_profile(profile) {
        return;
    }
    let Ok(source) = moxcms::ColorProfile::new_from_slice(profile) else { return };
    if source.color_space != moxcms::DataColorSpace::Rgb {
        return;
    }
    let target = moxcms::ColorProfile::new_srgb();
    let options = moxcms::TransformOptions::default();
    let Ok(transform) = source.create_transform_8bit(moxcms::Layout::Rgba, &target, moxcms::Layout::Rgba, options)
    else {
        return;
    };
    let mut out = vec![0u8; rgba.len()];
    if transform.transform(rgba, &mut out).is_ok() {
        // Alpha passes through unchanged.
        for (o, i) in out.chunks_exact_mut(4).zip(rgba.chunks_exact(4)) {
            o[3] = i[3];
        }
        rgba.copy_from_slice(&out);
    }
}

/// Converts CMYK pixels (four bytes a pixel, 0 = no ink) to opaque sRGB RGBA: through the
/// image's CMYK `profile` when it has one that converts, else by the usual formula
/// (R = (1 - C)(1 - K)), which is what viewers without colour management show.
fn cmyk_to_rgba(cmyk: &[u8], profile: &[u8]) -> Vec<u8> {
    if !profile.is_empty() {
        if let Ok(source) = moxcms::ColorProfile::new_from_slice(profile) {
            if source.color_space == moxcms::DataColorSpace::Cmyk {
                let target = moxcms::ColorProfile::new_srgb();
                let options = moxcms::TransformOptions {
                    rendering_intent: moxcms::RenderingIntent::Perceptual,
                    ..Default::default()
                };
                if let Ok(transform) =
                    source.create_transform_8bit(moxcms::Layout::Rgba, &target, moxcms::Layout::Rgba, options)
                {
                    let mut out = vec![0u8; cmyk.len()];
                    if transform.transform(cmyk, &mut out).is_ok() {
                        out.chunks_exact_mut(4).for_each(|p| p[3] = 255);
                        return out;
                    }
                }
            }
        }
    }
    let mix = |ink: u8, k: u8| ((255 - ink as u32) * (255 - k as u32) + 127) / 255;
    cmyk.chunks_exact(4)
        .flat_map(|p| [mix(p[0], p[3]) as u8, mix(p[1], p[3]) as u8, mix(p[2], p[3]) as u8, 255])
        .collect()
}

// --- Orientation ---

/// Applies an EXIF orientation (1 to 8) to pixels stored as the camera wrote them.
pub fn orient(source: Pixels, orientation: u8) -> Pixels {
    if !(2..=8).contains(&orientation) {
        return source;
    }
    let (w, h) = (source.width as usize, source.height as usize);
    let (ow, oh) = if orientation >= 5 { (h, w) } else { (w, h) };
    let mut rgba = vec![0u8; w * h * 4];
    for y in 0..oh {
        for x in 0..ow {
            // The stored pixel shown at (x, y).
            let (sx, sy) = match orientation {
                2 => (w - 1 - x, y),
                3 => (w - 1 - x, h - 1 - y),
                4 => (x, h - 1 - y),
                5 => (y, x),
                6 => (y, h - 1 - x),
                7 => (w - 1 - y, h - 1 - x),
                _ => (w - 1 - y, x),
            };
            let from = (sy * w + sx) * 4;
            rgba[(y * ow + x) * 4..(y * ow + x) * 4 + 4].copy_from_slice(&source.rgba[from..from + 4]);
        }
    }
    Pixels { width: ow as u32, height: oh as u32, rgba }
}

/// The orientation tag of an EXIF block (a TIFF structure, with or without the `Exif\0\0`
/// prefix a JPEG's APP1 segment carries). `None` when absent or out of range.
pub fn exif_orientation(exif: &[u8]) -> Option<u8> {
    let tiff = exif.strip_prefix(b"Exif\0\0").unwrap_or(exif);
    let big = match tiff.get(..4)? {
        [b'I', b'I', 42, 0] => false,
        [b'M', b'M', 0, 42] => true,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let b = tiff.get(at..at + 2)?;
        Some(if big { u16::from_be_bytes([b[0], b[1]]) } else { u16::from_le_bytes([b[0], b[1]]) })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let b = tiff.get(at..at + 4)?;
        Some(if big {
            u32::from_be_bytes([b[0], b[1], b[2], b[3]])
        } else {
            u32::from_le_bytes([b[0], b[1], b[2], b[3]])
        })
    };
    let ifd = u32_at(4)? as usize;
    let count = u16_at(ifd)? as usize;
    for i in 0..count.min(512) {
        let entry = ifd + 2 + i * 12;
        if u16_at(entry)? == 0x0112 {
            // SHORT (3), one value, stored in the first two bytes of the value field.
            let value = match u16_at(entry + 2)? {
                3 => u16_at(entry + 8)?,
                4 => u32_at(entry + 8)? as u16,
                _ => return None,
            };
            return (1..=8).contains(&value).then_some(value as u8);
        }
    }
    None
}

// --- JPEG ---

/// One component of a JPEG frame.
#[derive(Debug, Clone, Copy)]
struct Component {
    id: u8,
    h: usize,
    v: usize,
}

/// What a JPEG's segments before its first scan say.
#[derive(Debug, Default)]
struct JpegInfo<'a> {
    width: u32,
    height: u32,
    components: Vec<Component>,
    /// Progressive (SOF2) rather than sequential.
    progressive: bool,
    /// The Adobe APP14 segment's colour transform, when there is one (0 = none, 1 = YCbCr, 2 = YCCK).
    adobe: Option<u8>,
    exif: Option<&'a [u8]>,
    /// The embedded ICC profile, its APP2 chunks joined.
    icc: Vec<u8>,
}

fn jpeg_damaged(what: &str) -> Refusal {
    Refusal::new(format!("the JPEG is damaged ({what}); export it again"))
}

/// A segment: its marker and its payload (after the length), and where the next one starts.
fn segment(bytes: &[u8], at: usize) -> Result<(u8, &[u8], usize), Refusal> {
    // Fill bytes (0xFF) may precede a marker.
    let mut at = at;
    if bytes.get(at) != Some(&0xFF) {
        return Err(jpeg_damaged("a segment does not start with a marker"));
    }
    while bytes.get(at) == Some(&0xFF) {
        at += 1;
    }
    let marker = *bytes.get(at).ok_or_else(jpeg_cut)?;
    at += 1;
    if marker == 0xD8 || marker == 0xD9 || (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
        return Ok((marker, &[], at));
    }
    let length = bytes.get(at..at + 2).ok_or_else(jpeg_cut)?;
    let length = u16::from_be_bytes([length[0], length[1]]) as usize;
    if length < 2 {
        return Err(jpeg_damaged("a segment length is wrong"));
    }
    let payload = bytes.get(at + 2..at + length).ok_or_else(jpeg_cut)?;
    Ok((marker, payload, at + length))
}

fn jpeg_cut() -> Refusal {
    Refusal::new("the JPEG is cut short (a download or copy that did not finish?); export it again")
}

impl<'a> JpegInfo<'a> {
    /// Reads the segments up to the first scan.
    fn read(bytes: &'a [u8]) -> Result<JpegInfo<'a>, Refusal> {
        let mut info = JpegInfo::default();
        let mut icc_chunks: Vec<(u8, &[u8])> = Vec::new();
        let mut at = 2;
        loop {
            let (marker, payload, next) = segment(bytes, at)?;
            match marker {
                0xC0..=0xC2 => {
                    info.read_frame(payload)?;
                    info.progressive = marker == 0xC2;
                }
                0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => {
                    return Err(Refusal::with_help(
                        "this JPEG uses lossless, hierarchical or arithmetic coding, which carousel cannot decode",
                        "save it again as a standard (baseline or progressive) JPEG, or as PNG",
                    ))
                }
                0xE1 if payload.starts_with(b"Exif\0\0") && info.exif.is_none() => info.exif = Some(payload),
                0xE2 if payload.starts_with(b"ICC_PROFILE\0") && payload.len() >= 14 => {
                    icc_chunks.push((payload[12], &payload[14..]));
                }
                0xEE if payload.starts_with(b"Adobe") && payload.len() >= 12 => info.adobe = Some(payload[11]),
                0xDA => break,
                0xD9 => return Err(jpeg_damaged("the image ends before its first scan")),
                _ => {}
            }
            at = next;
        }
        if info.components.is_empty() {
            return Err(jpeg_damaged("no frame header before the first scan"));
        }
        icc_chunks.sort_by_key(|(n, _)| *n);
        info.icc = icc_chunks.into_iter().flat_map(|(_, c)| c.iter().copied()).collect();
        Ok(info)
    }

    fn read_frame(&mut self, payload: &[u8]) -> Result<(), Refusal> {
        if !self.components.is_empty() {
            return Err(jpeg_damaged("two frame headers"));
        }
        let bad = || jpeg_damaged("the frame header is wrong");
        let head = payload.get(..6).ok_or_else(bad)?;
        if head[0] != 8 {
            return Err(Refusal::with_help(
                format!("this JPEG has {} bits a sample, which carousel cannot decode", head[0]),
                "save it again as an 8-bit JPEG, or as PNG",
            ));
        }
        self.height = u16::from_be_bytes([head[1], head[2]]) as u32;
        self.width = u16::from_be_bytes([head[3], head[4]]) as u32;
        let count = head[5] as usize;
        if !matches!(count, 1 | 3 | 4) {
            return Err(jpeg_damaged("the frame has an unusual number of channels"));
        }
        for i in 0..count {
            let c = payload.get(6 + i * 3..9 + i * 3).ok_or_else(bad)?;
            let (h, v) = ((c[1] >> 4) as usize, (c[1] & 15) as usize);
            if !(1..=4).contains(&h) || !(1..=4).contains(&v) {
                return Err(bad());
            }
            self.components.push(Component { id: c[0], h, v });
        }
        if self.width == 0 || self.height == 0 {
            return Err(Refusal::new(
                "the JPEG has no pixels (or gives its height only at the end, which carousel does not read)",
            ));
        }
        Ok(())
    }
}

fn decode_jpeg(bytes: &[u8]) -> Result<Pixels, Refusal> {
    use zune_jpeg::zune_core::colorspace::ColorSpace;
    use zune_jpeg::zune_core::options::DecoderOptions;
    let info = JpegInfo::read(bytes)?;
    let four = info.components.len() == 4;
    let out = match (four, info.adobe) {
        (true, Some(2)) => ColorSpace::YCCK,
        (true, _) => ColorSpace::CMYK,
        (false, _) => ColorSpace::RGBA,
    };
    let options = DecoderOptions::default()
        .jpeg_set_out_colorspace(out)
        .set_max_width(MAX_SIDE as usize)
        .set_max_height(MAX_SIDE as usize);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(Cursor::new(bytes), options);
    let failed =
        |e: zune_jpeg::errors::DecodeErrors| Refusal::new(format!("the JPEG cannot be decoded ({e}); export it again"));
    decoder.decode_headers().map_err(failed)?;
    if decoder.output_colorspace() != Some(out) {
        return Err(Refusal::new("the JPEG's colour space is not one carousel decodes; save it again as an RGB JPEG"));
    }
    let raw = decoder.decode().map_err(failed)?;
    let (width, height) =
        decoder.info().map(|i| (i.width as u32, i.height as u32)).unwrap_or((info.width, info.height));
    let count = width as usize * height as usize;
    let rgba = if four {
        if raw.len() != count * 4 {
            return Err(jpeg_damaged("the pixel data is the wrong length"));
        }
        let mut cmyk = raw;
        if out == ColorSpace::YCCK {
            // YCCK is the ink of C, M and Y stored as if it were RGB, as YCbCr, and K stored
            // inverted (as libjpeg reads it): undo the YCbCr step, and bring C, M and Y to the
            // inverted storage of Adobe's CMYK, which the next step undoes for all four.
            for p in cmyk.chunks_exact_mut(4) {
                let [c, m, y] = ycc_to_rgb(p[0], p[1], p[2]);
                p[..3].copy_from_slice(&[255 - c, 255 - m, 255 - y]);
            }
        }
        // Adobe's writers (every YCCK, and CMYK with an APP14 segment) store 255 - ink.
        if info.adobe.is_some() {
            cmyk.iter_mut().for_each(|v| *v = 255 - *v);
        }
        cmyk_to_rgba(&cmyk, &info.icc)
    } else {
        if raw.len() != count * 4 {
            return Err(jpeg_damaged("the pixel data is the wrong length"));
        }
        let mut rgba = raw;
        if !info.icc.is_empty() && info.components.len() == 3 {
            to_srgb(&mut rgba, &info.icc);
        }
        rgba
    };
    Ok(Pixels { width, height, rgba })
}

/// JFIF's YCbCr to RGB.
fn ycc_to_rgb(y: u8, cb: u8, cr: u8) -> [u8; 3] {
    let (y, cb, cr) = (y as f32, cb as f32 - 128.0, cr as f32 - 128.0);
    let c = |v: f32| v.round().clamp(0.0, 255.0) as u8;
    [c(y + 1.402 * cr), c(y - 0.344_136 * cb - 0.714_136 * cr), c(y + 1.772 * cb)]
}

/// Bits looked up at once when walking codes.
const FAST: u32 = 9;

/// A Huffman table, for walking codes (JPEG Annex F.2.2.3), with a lookup of the codes of up to
/// [`FAST`] bits.
#[derive(Clone)]
struct Huffman {
    /// Largest code of each length (1 to 16), -1 when none.
    max_code: [i32; 17],
    /// Index in `symbols` of the first code of each length, less that code.
    offset: [i32; 17],
    symbols: Vec<u8>,
    /// By the next [`FAST`] bits: the code's length (0: longer, or none) and its symbol.
    fast: Vec<(u8, u8)>,
}

impl Huffman {
    fn new(counts: &[u8], symbols: &[u8]) -> Result<Huffman, Refusal> {
        let mut max_code = [-1i32; 17];
        let mut offset = [0i32; 17];
        let mut fast = vec![(0u8, 0u8); 1 << FAST];
        let (mut code, mut k) = (0i32, 0i32);
        for len in 1..=16 {
            let n = counts[len - 1] as i32;
            offset[len] = k - code;
            if n > 0 {
                if code + n > (1 << len) {
                    return Err(jpeg_damaged("a Huffman table is wrong"));
                }
                if len as u32 <= FAST {
                    for i in 0..n {
                        let shift = FAST - len as u32;
                        let first = ((code + i) as usize) << shift;
                        let symbol = symbols[(k + i) as usize];
                        fast[first..first + (1 << shift)].fill((len as u8, symbol));
                    }
                }
                code += n;
                k += n;
                max_code[len] = code - 1;
            }
            code <<= 1;
        }
        Ok(Huffman { max_code, offset, symbols: symbols.to_vec(), fast })
    }
}

/// Reads the bits of one scan's entropy-coded data.
struct Bits<'a> {
    data: &'a [u8],
    /// The next byte to read into `acc`.
    at: usize,
    /// Bits read ahead; the low `count` bits are valid, the next one the highest of them.
    acc: u64,
    count: u32,
    /// The marker that ended the data, once reached (`at` is then on its 0xFF).
    marker: Option<u8>,
    /// The file ended inside the data.
    ended: bool,
}

impl<'a> Bits<'a> {
    fn new(data: &'a [u8], at: usize) -> Bits<'a> {
        Bits { data, at, acc: 0, count: 0, marker: None, ended: false }
    }

    /// Reads bytes ahead until 57 or more bits are held, a marker comes or the file ends.
    fn fill(&mut self) {
        while self.count <= 56 && self.marker.is_none() && !self.ended {
            let Some(&byte) = self.data.get(self.at) else {
                self.ended = true;
                return;
            };
            if byte == 0xFF {
                match self.data.get(self.at + 1) {
                    Some(0x00) => self.at += 2,
                    Some(&next) => {
                        self.marker = Some(next);
                        return;
                    }
                    None => {
                        self.ended = true;
                        return;
                    }
                }
            } else {
                self.at += 1;
            }
            self.acc = (self.acc << 8) | byte as u64;
            self.count += 8;
        }
    }

    /// Why bits were wanted that are not there.
    fn short(&self) -> Refusal {
        match self.ended {
            true => jpeg_cut(),
            false => Refusal::new(
                "the JPEG is cut short or damaged: its image data ends before the picture does; export it again",
            ),
        }
    }

    fn bits(&mut self, n: u32) -> Result<u32, Refusal> {
        if n == 0 {
            return Ok(0);
        }
        if self.count < n {
            self.fill();
            if self.count < n {
                return Err(self.short());
            }
        }
        self.count -= n;
        Ok(((self.acc >> self.count) & ((1u64 << n) - 1)) as u32)
    }

    fn bit(&mut self) -> Result<u32, Refusal> {
        self.bits(1)
    }

    fn symbol(&mut self, table: &Huffman) -> Result<u8, Refusal> {
        if self.count < 16 {
            self.fill();
        }
        // The next 16 bits, zeros past what there is (used only if a code fits in what there is).
        let peek = match self.count >= 16 {
            true => (self.acc >> (self.count - 16)) as u32 & 0xFFFF,
            false => (self.acc << (16 - self.count)) as u32 & 0xFFFF,
        };
        let (len, symbol) = table.fast[(peek >> (16 - FAST)) as usize];
        if len > 0 {
            if len as u32 > self.count {
                return Err(self.short());
            }
            self.count -= len as u32;
            return Ok(symbol);
        }
        for len in FAST as usize + 1..=16 {
            let code = (peek >> (16 - len)) as i32;
            if code <= table.max_code[len] {
                if len as u32 > self.count {
                    return Err(self.short());
                }
                self.count -= len as u32;
                let index = (code + table.offset[len]) as usize;
                return table.symbols.get(index).copied().ok_or_else(|| jpeg_damaged("a Huffman code is wrong"));
            }
        }
        if self.count < 16 {
            return Err(self.short());
        }
        Err(jpeg_damaged("the image data has a code no table defines"))
    }

    /// Drops the bits left in the current byte and finds the next marker: the marker, how many
    /// bytes of data were left unread before it, and the position after it.
    fn finish(&mut self) -> Result<(u8, usize, usize), Refusal> {
        // Whole bytes read ahead are data the scan did not use.
        let mut extra = (self.count / 8) as usize;
        self.count = 0;
        // A marker already met is read again below from its 0xFF (after any fill bytes).
        self.marker = None;
        loop {
            let byte = *self.data.get(self.at).ok_or_else(jpeg_cut)?;
            if byte == 0xFF {
                let mut next_at = self.at + 1;
                while self.data.get(next_at) == Some(&0xFF) {
                    next_at += 1;
                }
                let next = *self.data.get(next_at).ok_or_else(jpeg_cut)?;
                if next != 0x00 {
                    return Ok((next, extra, next_at + 1));
                }
                self.at = next_at + 1;
            } else {
                self.at += 1;
            }
            extra += 1;
        }
    }
}

/// What the walk of a JPEG's scans keeps between scans.
struct Walk {
    dc: [Option<Huffman>; 4],
    ac: [Option<Huffman>; 4],
    restart: usize,
    /// Per frame component: blocks across and down (MCU-padded), and which coefficients of each
    /// block are nonzero so far (progressive refinement reads a bit for each).
    grids: Vec<(usize, usize, Vec<u64>)>,
    /// Per frame component: the coefficients whose last (Al = 0) bits have been read.
    done: Vec<u64>,
}

/// Walks every scan of a JPEG's entropy-coded data without decoding pixels: each Huffman code
/// must be one its table defines, each block must fit in 64 coefficients, restart markers must
/// come in order, and each scan must end where its last block does, at a marker, the whole image
/// covered before `FF D9`. A file cut short and closed with `FF D9`, or damaged mid-scan, fails
/// here where a lenient decoder would fill the rest with grey or noise.
fn check_jpeg(bytes: &[u8]) -> Result<(), Refusal> {
    let info = JpegInfo::read(bytes)?;
    let (hmax, vmax) = info.components.iter().fold((1, 1), |(h, v), c| (h.max(c.h), v.max(c.v)));
    let (width, height) = (info.width as usize, info.height as usize);
    let (mcus_x, mcus_y) = (width.div_ceil(8 * hmax), height.div_ceil(8 * vmax));
    let progressive = info.progressive;
    let grids = info
        .components
        .iter()
        .map(|c| {
            let (bx, by) = (mcus_x * c.h, mcus_y * c.v);
            (bx, by, if progressive { vec![0u64; bx * by] } else { Vec::new() })
        })
        .collect();
    let mut walk = Walk {
        dc: Default::default(),
        ac: Default::default(),
        restart: 0,
        grids,
        done: vec![0; info.components.len()],
    };
    let mut at = 2;
    let mut scans = 0;
    loop {
        let (marker, payload, next) = segment(bytes, at)?;
        match marker {
            0xC4 => read_dht(payload, &mut walk)?,
            0xDD => {
                let b = payload.get(..2).ok_or_else(|| jpeg_damaged("the restart interval is wrong"))?;
                walk.restart = u16::from_be_bytes([b[0], b[1]]) as usize;
            }
            0xDA => {
                scans += 1;
                if scans > 1000 {
                    return Err(jpeg_damaged("too many scans"));
                }
                at = scan(bytes, payload, next, &info, progressive, &mut walk, (mcus_x, mcus_y, hmax, vmax))?;
                continue;
            }
            0xD9 => break,
            _ => {}
        }
        at = next;
    }
    let whole = match progressive {
        true => walk.done.iter().all(|&d| d == u64::MAX),
        false => walk.done.iter().all(|&d| d != 0),
    };
    if !whole {
        return Err(Refusal::new("the JPEG is cut short or damaged: some of its scans are missing; export it again"));
    }
    Ok(())
}

fn read_dht(payload: &[u8], walk: &mut Walk) -> Result<(), Refusal> {
    let mut rest = payload;
    while !rest.is_empty() {
        let bad = || jpeg_damaged("a Huffman table is wrong");
        let class_id = rest[0];
        let counts = rest.get(1..17).ok_or_else(bad)?;
        let total: usize = counts.iter().map(|&c| c as usize).sum();
        let symbols = rest.get(17..17 + total).ok_or_else(bad)?;
        let table = Huffman::new(counts, symbols)?;
        let (class, id) = (class_id >> 4, (class_id & 15) as usize);
        if id > 3 || class > 1 {
            return Err(bad());
        }
        match class {
            0 => walk.dc[id] = Some(table),
            _ => walk.ac[id] = Some(table),
        }
        rest = &rest[17 + total..];
    }
    Ok(())
}

/// Walks one scan whose header is `payload` and whose data starts at `start`; returns where the
/// segment after it starts.
fn scan(
    bytes: &[u8],
    payload: &[u8],
    start: usize,
    info: &JpegInfo,
    progressive: bool,
    walk: &mut Walk,
    (mcus_x, mcus_y, hmax, vmax): (usize, usize, usize, usize),
) -> Result<usize, Refusal> {
    let bad = || jpeg_damaged("a scan header is wrong");
    let count = *payload.first().ok_or_else(bad)? as usize;
    if count == 0 || count > 4 {
        return Err(bad());
    }
    let mut members = Vec::new();
    for i in 0..count {
        let c = payload.get(1 + i * 2..3 + i * 2).ok_or_else(bad)?;
        let index = info.components.iter().position(|k| k.id == c[0]).ok_or_else(bad)?;
        members.push((index, (c[1] >> 4) as usize, (c[1] & 15) as usize));
    }
    let tail = payload.get(1 + count * 2..4 + count * 2).ok_or_else(bad)?;
    let (ss, se, ah, al) = (tail[0] as usize, tail[1] as usize, tail[2] >> 4, tail[2] & 15);
    if progressive {
        if se > 63 || ss > se || (ss == 0 && se != 0) || (ss > 0 && count != 1) || al > 13 {
            return Err(bad());
        }
    } else if ss != 0 || se != 63 || ah != 0 || al != 0 {
        return Err(bad());
    }
    let need =
        |t: &Option<Huffman>| t.clone().ok_or_else(|| jpeg_damaged("a scan uses a Huffman table that is not defined"));
    let mut tables = Vec::new();
    for &(index, td, ta) in &members {
        if td > 3 || ta > 3 {
            return Err(bad());
        }
        let dc = if ss == 0 && ah == 0 { Some(need(&walk.dc[td])?) } else { None };
        let ac = if se > 0 { Some(need(&walk.ac[ta])?) } else { None };
        tables.push((index, dc, ac));
    }
    // The blocks of the scan, in order, as (component, block x, block y) per MCU.
    let interleaved = count > 1;
    let (units_x, units_y) = if interleaved {
        (mcus_x, mcus_y)
    } else {
        let c = info.components[members[0].0];
        let cw = (info.width as usize * c.h).div_ceil(hmax);
        let ch = (info.height as usize * c.v).div_ceil(vmax);
        (cw.div_ceil(8), ch.div_ceil(8))
    };
    let mut bits = Bits::new(bytes, start);
    let mut eobrun = 0u32;
    let mut left = walk.restart;
    let mut next_rst = 0u8;
    let total = units_x * units_y;
    for unit in 0..total {
        if walk.restart > 0 && left == 0 {
            // A restart marker must come here, RST0 to RST7 in turn.
            let (marker, extra, after) = bits.finish()?;
            if marker != 0xD0 + next_rst || extra > 0 {
                return Err(jpeg_damaged("a restart marker is missing or out of order"));
            }
            next_rst = (next_rst + 1) % 8;
            bits = Bits::new(bytes, after);
            eobrun = 0;
            left = walk.restart;
        }
        left = left.saturating_sub(1);
        let (ux, uy) = (unit % units_x, unit / units_x);
        for (index, dc, ac) in &tables {
            let c = info.components[*index];
            let (bw, bh) = if interleaved { (c.h, c.v) } else { (1, 1) };
            for by in 0..bh {
                for bx in 0..bw {
                    let (gx, gy) = if interleaved { (ux * c.h + bx, uy * c.v + by) } else { (ux, uy) };
                    let grid = &mut walk.grids[*index];
                    let slot = gy * grid.0 + gx;
                    if progressive {
                        let nonzero = grid.2.get_mut(slot).ok_or_else(bad)?;
                        block_progressive(&mut bits, dc.as_ref(), ac.as_ref(), (ss, se, ah, al), &mut eobrun, nonzero)?;
                    } else {
                        block_baseline(&mut bits, dc.as_ref().ok_or_else(bad)?, ac.as_ref().ok_or_else(bad)?)?;
                    }
                }
            }
        }
    }
    if eobrun > 0 && !progressive {
        return Err(bad());
    }
    let (marker, extra, after) = bits.finish()?;
    // Encoders end a scan at a byte boundary, right before the next marker; libjpeg tolerates a
    // few stray bytes there, but many mean the codes went out of step (damaged data).
    if extra > 16 {
        return Err(Refusal::new(format!(
            "the JPEG is damaged: {extra} bytes of image data are left over after the picture; export it again"
        )));
    }
    let _ = marker;
    // The coefficients this scan brings in for the first time (refinements only sharpen them).
    for &(index, _, _) in &members {
        let bands = ((1u128 << (se + 1)) - (1u128 << ss)) as u64;
        if ah == 0 {
            walk.done[index] |= bands;
        }
    }
    // `after` is past the marker; the caller reads the segment from its 0xFF.
    Ok(after - 2)
}

fn extend_ok(size: u8, limit: u8) -> Result<u32, Refusal> {
    if size > limit {
        return Err(jpeg_damaged("a coefficient is out of range"));
    }
    Ok(size as u32)
}

fn block_baseline(bits: &mut Bits, dc: &Huffman, ac: &Huffman) -> Result<(), Refusal> {
    let s = extend_ok(bits.symbol(dc)?, 11)?;
    bits.bits(s)?;
    let mut k = 1;
    while k < 64 {
        let rs = bits.symbol(ac)?;
        let (r, s) = ((rs >> 4) as usize, rs & 15);
        if s == 0 {
            if r != 15 {
                return Ok(());
            }
            k += 16;
            continue;
        }
        k += r;
        if k > 63 {
            return Err(jpeg_damaged("a block has more than 64 coefficients"));
        }
        bits.bits(extend_ok(s, 10)?)?;
        k += 1;
    }
    if k > 64 {
        return Err(jpeg_damaged("a block has more than 64 coefficients"));
    }
    Ok(())
}

fn block_progressive(
    bits: &mut Bits,
    dc: Option<&Huffman>,
    ac: Option<&Huffman>,
    (ss, se, ah, _al): (usize, usize, u8, u8),
    eobrun: &mut u32,
    nonzero: &mut u64,
) -> Result<(), Refusal> {
    let bad = || jpeg_damaged("a scan header is wrong");
    if ss == 0 {
        if ah == 0 {
            let s = extend_ok(bits.symbol(dc.ok_or_else(bad)?)?, 11)?;
            bits.bits(s)?;
        } else {
            bits.bit()?;
        }
        return Ok(());
    }
    let ac = ac.ok_or_else(bad)?;
    if ah == 0 {
        if *eobrun > 0 {
            *eobrun -= 1;
            return Ok(());
        }
        let mut k = ss;
        while k <= se {
            let rs = bits.symbol(ac)?;
            let (r, s) = ((rs >> 4) as usize, rs & 15);
            if s == 0 {
                if r < 15 {
                    *eobrun = (1 << r) - 1;
                    if r > 0 {
                        *eobrun += bits.bits(r as u32)?;
                    }
                    return Ok(());
                }
                k += 16;
                continue;
            }
            k += r;
            if k > se {
                return Err(jpeg_damaged("a block has more coefficients than its scan"));
            }
            bits.bits(extend_ok(s, 10)?)?;
            *nonzero |= 1 << k;
            k += 1;
        }
        if k > se + 1 {
            return Err(jpeg_damaged("a block has more coefficients than its scan"));
        }
        return Ok(());
    }
    // Refinement of AC coefficients (libjpeg's decode_mcu_AC_refine).
    let mut k = ss;
    if *eobrun == 0 {
        while k <= se {
            let rs = bits.symbol(ac)?;
            let (mut r, s) = ((rs >> 4) as i32, rs & 15);
            let mut place = false;
            if s != 0 {
                if s != 1 {
                    return Err(jpeg_damaged("a refinement coefficient is out of range"));
                }
                bits.bit()?;
                place = true;
            } else if r != 15 {
                *eobrun = 1 << r;
                if r > 0 {
                    *eobrun += bits.bits(r as u32)?;
                }
                break;
            }
            while k <= se {
                if *nonzero & (1 << k) != 0 {
                    bits.bit()?;
                } else {
                    if r == 0 {
                        break;
                    }
                    r -= 1;
                }
                k += 1;
            }
            if place {
                if k > se {
                    return Err(jpeg_damaged("a block has more coefficients than its scan"));
                }
                *nonzero |= 1 << k;
            }
            k += 1;
        }
    }
    if *eobrun > 0 {
        while k <= se {
            if *nonzero & (1 << k) != 0 {
                bits.bit()?;
            }
            k += 1;
        }
        *eobrun -= 1;
    }
    Ok(())
}

#[cfg(test)]
#[path = "../../tests/common/images.rs"]
mod images;

#[cfg(test)]
mod tests {
    use super::images::{self, Corner};
    use super::*;

    fn read(bytes: &[u8]) -> Result<Pixels, Refusal> {
        let Kind::Raster(format) = kind(bytes)? else { panic!("not raster") };
        let header = header(bytes, format)?;
        check(bytes, &header)?;
        let pixels = decode(bytes, &header)?;
        assert_eq!((pixels.width, pixels.height), (header.width, header.height));
        Ok(pixels)
    }

    fn near(got: [u8; 4], want: [u8; 3], tolerance: i32) -> bool {
        (0..3).all(|c| (got[c] as i32 - want[c] as i32).abs() <= tolerance)
    }

    fn centre(pixels: &Pixels, corner: Corner) -> [u8; 4] {
        let m = images::MARK / 2;
        let (w, h) = (pixels.width, pixels.height);
        match corner {
            Corner::TopLeft => pixels.at(m, m),
            Corner::TopRight => pixels.at(w - 1 - m, m),
            Corner::BottomLeft => pixels.at(m, h - 1 - m),
            Corner::BottomRight => pixels.at(w - 1 - m, h - 1 - m),
        }
    }

    #[test]
    fn every_exif_orientation_comes_out_upright() {
        for orientation in 1..=8u8 {
            let jpeg = images::oriented_jpeg(orientation);
            let Kind::Raster(format) = kind(&jpeg).unwrap() else { panic!() };
            let header = header(&jpeg, format).unwrap();
            assert_eq!(header.orientation, orientation);
            assert_eq!(header.as_written, orientation == 1, "orientation {orientation}");
            let pixels = read(&jpeg).unwrap();
            let (w, h) = images::STORED;
            let size = if orientation >= 5 { (h, w) } else { (w, h) };
            assert_eq!((pixels.width, pixels.height), size, "orientation {orientation}");
            let (tl, tr) = (centre(&pixels, Corner::TopLeft), centre(&pixels, Corner::TopRight));
            assert!(near(tl, images::RED, 12), "orientation {orientation}: top-left is {tl:?}");
            assert!(near(tr, images::GREEN, 12), "orientation {orientation}: top-right is {tr:?}");
            let grey = [centre(&pixels, Corner::BottomLeft), centre(&pixels, Corner::BottomRight)];
            assert!(grey.iter().all(|&p| near(p, images::GREY, 12)), "orientation {orientation}: {grey:?}");
        }
    }

    #[test]
    fn exif_orientation_reads_both_byte_orders_and_ignores_nonsense() {
        assert_eq!(exif_orientation(&images::exif(6, false)), Some(6));
        assert_eq!(exif_orientation(&images::exif(8, true)), Some(8));
        assert_eq!(exif_orientation(&images::exif(0, true)), None);
        assert_eq!(exif_orientation(&images::exif(9, false)), None);
        assert_eq!(exif_orientation(b"Exif\0\0II*\0\xff\xff\xff\xff"), None);
        assert_eq!(exif_orientation(b""), None);
    }

    #[test]
    fn cmyk_and_ycck_jpegs_come_out_in_their_colour() {
        // Full cyan, a dark red, a light grey, black.
        for ink in [[255, 0, 0, 0], [0, 200, 180, 60], [0, 0, 0, 64], [0, 0, 0, 255]] {
            let want = images::cmyk_as_rgb(ink);
            for (adobe, ycck) in [(true, false), (false, false), (true, true)] {
                let jpeg = images::cmyk_jpeg(ink, adobe, ycck);
                let header = header(&jpeg, Raster::Jpeg).unwrap();
                assert!(!header.as_written);
                let pixels = read(&jpeg).unwrap();
                let got = pixels.at(pixels.width / 2, pixels.height / 2);
                assert!(near(got, want, 6), "ink {ink:?} adobe {adobe} ycck {ycck}: {got:?}, want {want:?}");
                // Every pixel alike: no stripes.
                assert!(pixels.rgba.chunks_exact(4).all(|p| near([p[0], p[1], p[2], p[3]], want, 8)), "stripes");
            }
        }
    }

    #[test]
    fn a_display_p3_picture_is_converted_to_srgb() {
        for (name, bytes) in [("PNG", images::p3_png()), ("JPEG", images::p3_jpeg())] {
            let Kind::Raster(format) = kind(&bytes).unwrap() else { panic!() };
            assert!(!header(&bytes, format).unwrap().as_written, "{name}");
            let pixels = read(&bytes).unwrap();
            let got = pixels.at(8, 8);
            // sRGB's red, where drawing the P3 values as sRGB would give (234, 51, 35).
            assert!(near(got, [255, 0, 0], 6), "{name}: {got:?}");
        }
    }

    #[test]
    fn png_of_every_kind() {
        let grey = images::png(&[0, 128, 255, 64], 2, 2, png::ColorType::Grayscale, png::BitDepth::Eight, None);
        assert_eq!(read(&grey).unwrap().at(1, 0), [128, 128, 128, 255]);
        let sixteen: Vec<u8> = [[0xFFu8, 0xFF, 0, 0, 0, 0, 0x80, 0x00]; 4].concat();
        let deep = images::png(&sixteen, 2, 2, png::ColorType::Rgba, png::BitDepth::Sixteen, None);
        assert_eq!(read(&deep).unwrap().at(0, 0), [255, 0, 0, 128]);
        let palette = [255, 0, 0, 0, 0, 255];
        let indexed =
            images::png(&[0b0100_0000], 2, 1, png::ColorType::Indexed, png::BitDepth::Two, Some((&palette, &[255, 0])));
        let pixels = read(&indexed).unwrap();
        assert_eq!((pixels.at(0, 0), pixels.at(1, 0)), ([0, 0, 255, 0], [255, 0, 0, 255]));
        let with_alpha = images::png(&[9, 200], 1, 1, png::ColorType::GrayscaleAlpha, png::BitDepth::Eight, None);
        assert_eq!(read(&with_alpha).unwrap().at(0, 0), [9, 9, 9, 200]);
    }

    #[test]
    fn webp_lossless_with_alpha_and_gif_first_frame() {
        let webp = images::webp_lossless_alpha();
        assert_eq!(kind(&webp).unwrap(), Kind::Raster(Raster::Webp));
        let pixels = read(&webp).unwrap();
        assert_eq!((pixels.width, pixels.height), (20, 10));
        assert_eq!(pixels.at(2, 2), [images::RED[0], images::RED[1], images::RED[2], 255]);
        assert_eq!(pixels.at(17, 2)[3], 128);
        let gif = images::animated_gif();
        assert_eq!(kind(&gif).unwrap(), Kind::Raster(Raster::Gif));
        let pixels = read(&gif).unwrap();
        assert_eq!((pixels.width, pixels.height), (24, 16));
        assert_eq!(pixels.at(10, 10), [images::RED[0], images::RED[1], images::RED[2], 255], "the first frame");
        assert_eq!(pixels.at(22, 14)[3], 0, "its transparent corner");
    }

    #[test]
    fn whole_jpegs_pass_the_walk() {
        for progressive in [false, true] {
            read(&images::whole_jpeg(progressive)).unwrap();
        }
        let rgb = images::detailed(100, 70);
        let how = images::Jpeg { restart_interval: 3, ..images::Jpeg::default() };
        read(&images::jpeg(&rgb, 100, 70, &how)).unwrap();
        // Subsampled (4:2:0, 4:2:2), as phones write them.
        for factor in [jpeg_encoder::SamplingFactor::R_4_2_0, jpeg_encoder::SamplingFactor::R_4_2_2] {
            for progressive in [false, true] {
                let mut out = Vec::new();
                let mut encoder = jpeg_encoder::Encoder::new(&mut out, 80);
                encoder.set_sampling_factor(factor);
                encoder.set_progressive(progressive);
                encoder.encode(&rgb, 100, 70, jpeg_encoder::ColorType::Rgb).unwrap();
                read(&out).unwrap_or_else(|e| panic!("{factor:?} progressive {progressive}: {}", e.why));
            }
        }
        let grey: Vec<u8> = rgb.chunks_exact(3).map(|p| p[1]).collect();
        let mut out = Vec::new();
        jpeg_encoder::Encoder::new(&mut out, 90).encode(&grey, 100, 70, jpeg_encoder::ColorType::Luma).unwrap();
        read(&out).unwrap();
    }

    #[test]
    fn damaged_jpegs_are_refused() {
        for progressive in [false, true] {
            let cut = read(&images::truncated_jpeg(progressive)).unwrap_err();
            assert!(cut.why.contains("cut short"), "progressive {progressive}: {}", cut.why);
            for seed in 0..12 {
                let damaged = read(&images::corrupt_jpeg(progressive, seed));
                assert!(damaged.is_err(), "progressive {progressive}, seed {seed}: drawn as if whole");
                assert!(damaged.unwrap_err().why.contains("JPEG"));
            }
        }
        let whole = images::whole_jpeg(false);
        assert!(read(&whole[..whole.len() - 2]).is_err(), "no end marker");
        assert!(read(&whole[..200]).is_err());
    }

    #[test]
    fn heic_avif_and_others_get_their_own_message() {
        let mut heic = vec![0, 0, 0, 24];
        heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
        let refusal = kind(&heic).unwrap_err();
        assert!(refusal.why.contains("HEIC"), "{}", refusal.why);
        assert!(refusal.help.unwrap().contains("Most Compatible"));
        let mut avif = vec![0, 0, 0, 20];
        avif.extend_from_slice(b"ftypavif\0\0\0\0mif1");
        assert!(kind(&avif).unwrap_err().why.contains("AVIF"));
        assert!(kind(b"II*\0\x08\0\0\0").unwrap_err().why.contains("TIFF"));
        assert!(kind(b"hello").unwrap_err().why.contains("not a PNG, JPEG, WebP, GIF or SVG"));
    }

    #[test]
    fn a_photo_inside_an_svg_is_turned_upright_too() {
        use base64::Engine;
        use resvg::usvg;
        let data = base64::engine::general_purpose::STANDARD.encode(images::oriented_jpeg(6));
        let svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="64" height="96"><image width="64" height="96" xlink:href="data:image/jpeg;base64,{data}"/></svg>"#
        );
        let tree = crate::media::svg::parse_svg(svg.as_bytes()).unwrap();
        fn first_image(group: &usvg::Group) -> Option<usvg::ImageKind> {
            group.children().iter().find_map(|node| match node {
                usvg::Node::Image(image) => Some(image.kind().clone()),
                usvg::Node::Group(inner) => first_image(inner),
                _ => None,
            })
        }
        let Some(usvg::ImageKind::PNG(png)) = first_image(tree.root()) else { panic!("not re-encoded as PNG") };
        let pixels = read(&png).unwrap();
        assert_eq!((pixels.width, pixels.height), (32, 48));
        assert!(near(centre(&pixels, Corner::TopLeft), images::RED, 12));
        assert!(near(centre(&pixels, Corner::TopRight), images::GREEN, 12));
    }

    #[test]
    fn limits_are_checked_from_the_header() {
        // A GIF that says it is 20,000 x 20,000 is refused before anything is decoded.
        let mut gif = b"GIF89a".to_vec();
        gif.extend_from_slice(&20_000u16.to_le_bytes());
        gif.extend_from_slice(&20_000u16.to_le_bytes());
        gif.extend_from_slice(&[0, 0, 0, 0x3B]);
        let refusal = header(&gif, Raster::Gif).unwrap_err();
        assert!(refusal.why.contains("megapixels"), "{}", refusal.why);
    }
}
