//! Images: every raster picture a slide draws, decoded once and scaled to the size it is drawn at.
//!
//! Owns the pixels of deck images between the deck (which checked the files and keeps their
//! bytes) and the SVG stage (which embeds them). A phone photo is 12 megapixels and several MB;
//! drawn as a 64 px avatar it used to be embedded whole in every slide's SVG, then decoded and
//! downsampled by the renderer once per slide: a 60-slide deck decoded it 60 times and `--svg`
//! wrote 60 copies. Here each [`Asset`] carries a shared store of its [`Rendition`]s, keyed by the
//! pixel size the image is drawn at (the slide's pixel density: one SVG unit is one output pixel),
//! made once per deck build by whichever slide asks first, and handed to the SVG stage as a small
//! PNG (sources that are PNG: alpha and flat art stay lossless) or JPEG (sources that are JPEG:
//! photographs, quality 90, no chroma subsampling). SVG images stay vector and are embedded as
//! written; a raster image already at or below its drawn size is embedded as written.
//!
//! Downsampling is a separable Lanczos-3 filter over premultiplied colour, the filter that keeps a
//! photo sharp without the moiré and shimmer of sampling a large image at a few points (which is
//! what the renderer's own bicubic pattern does at a 30:1 reduction). It is plain `f32` code with
//! no threads and no CPU-specific paths, so the same file gives the same bytes every time. This
//! module also owns the JPEG encoding of photographic PDF pages ([`encode_jpeg`]).

use std::sync::Arc;

use crate::geom::Rect;
use crate::media::asset::{Asset, ImageFormat, Rendition};
use crate::media::Fit;

/// JPEG quality of scaled photographs: at 90 without chroma subsampling a photo looks the same as
/// its source, at a tenth of the bytes of a PNG.
pub const PHOTO_QUALITY: u8 = 90;

/// The pixel size at which `asset` is drawn into `rect` with `fit`: the whole image scaled as the
/// SVG `preserveAspectRatio` will scale it (`meet` for contain, `slice` for cover), rounded up.
pub fn drawn_size(asset: &Asset, rect: Rect, fit: Fit) -> (u32, u32) {
    let (w, h) = (asset.width.max(1.0), asset.height.max(1.0));
    let (sx, sy) = (rect.width.max(1.0) / w, rect.height.max(1.0) / h);
    let scale = match fit {
        Fit::Contain => sx.min(sy),
        Fit::Cover => sx.max(sy),
    };
    let side = |v: f32| (v * scale).ceil().clamp(1.0, 65_535.0) as u32;
    (side(w), side(h))
}

/// What to embed for `asset` drawn into `rect` with `fit`.
pub fn rendition(asset: &Asset, rect: Rect, fit: Fit) -> Rendition {
    let original = || Rendition { mime: asset.format.mime(), bytes: asset.bytes.clone() };
    let Some(header) = &asset.raster else { return original() };
    let (width, height) = (asset.width as u32, asset.height as u32);
    let (target_w, target_h) = drawn_size(asset, rect, fit);
    let shrinks = target_w < width || target_h < height;
    // A file larger than its raw pixels carries only metadata (previews, profiles, padding):
    // worth re-encoding even when drawn at full size.
    let bloated = asset.bytes.len() as u64 > width as u64 * height as u64 * 3 + 65_536;
    if !shrinks && !bloated && header.as_written {
        return original();
    }
    let (target_w, target_h) = if shrinks { (target_w.min(width), target_h.min(height)) } else { (width, height) };
    let Some(cell) = asset.renditions.cell((target_w, target_h)) else { return original() };
    // A file the deck checked but that still fails to decode is embedded as it is (the deck
    // refuses damaged files, so this does not happen in practice).
    cell.get_or_init(|| make(asset, target_w, target_h).unwrap_or_else(original)).clone()
}

fn make(asset: &Asset, width: u32, height: u32) -> Option<Rendition> {
    // Scaled as stored, then turned upright: turning a 12-megapixel photo a quarter turn reads
    // it column by column (a cache miss a pixel, most of a second); its small copy costs nothing.
    let header = asset.raster.as_ref()?;
    let stored = crate::media::decode::decode_as_stored(&asset.bytes, header).ok()?;
    let (stored_w, stored_h) = if header.orientation >= 5 { (height, width) } else { (width, height) };
    let pixels = crate::media::decode::orient(resize(&stored, stored_w, stored_h), header.orientation);
    let photographic = asset.raster.as_ref().is_some_and(|h| h.photographic) && pixels.opaque();
    match photographic {
        true => {
            let bytes = encode_jpeg(&pixels.rgba, width, height, PHOTO_QUALITY, jpeg_encoder::ColorType::Rgba, false)?;
            Some(Rendition { mime: "image/jpeg", bytes: Arc::new(bytes) })
        }
        false => Some(Rendition { mime: "image/png", bytes: Arc::new(encode_png(&pixels)?) }),
    }
}

pub use crate::media::decode::Pixels;

/// Decodes a PNG or JPEG (as this program writes them) into RGBA.
pub fn decode(bytes: &[u8], format: ImageFormat) -> Option<Pixels> {
    use crate::media::decode::Raster;
    let raster = match format {
        ImageFormat::Png => Raster::Png,
        ImageFormat::Jpeg => Raster::Jpeg,
        ImageFormat::Webp => Raster::Webp,
        ImageFormat::Gif => Raster::Gif,
        ImageFormat::Svg => return None,
    };
    let header = crate::media::decode::header(bytes, raster).ok()?;
    crate::media::decode::decode(bytes, &header).ok()
}

/// Lanczos-3, the windowed sinc.
fn lanczos3(x: f32) -> f32 {
    let x = x.abs();
    if x < 1e-6 {
        return 1.0;
    }
    if x >= 3.0 {
        return 0.0;
    }
    let px = std::f32::consts::PI * x;
    3.0 * px.sin() * (px / 3.0).sin() / (px * px)
}

/// For each output position along one axis, the first source index and the normalised weights.
fn weights(source: u32, target: u32) -> Vec<(usize, Vec<f32>)> {
    let ratio = source as f32 / target as f32;
    // Widen the filter when shrinking so that every source pixel contributes (no aliasing).
    let scale = ratio.max(1.0);
    let support = 3.0 * scale;
    (0..target)
        .map(|i| {
            let center = (i as f32 + 0.5) * ratio;
            let first = ((center - support).floor().max(0.0)) as usize;
            let last = ((center + support).ceil() as usize).min(source as usize);
            let mut taps: Vec<f32> = (first..last).map(|j| lanczos3((j as f32 + 0.5 - center) / scale)).collect();
            let sum: f32 = taps.iter().sum();
            if sum.abs() > 1e-6 {
                taps.iter_mut().for_each(|w| *w /= sum);
            }
            (first, taps)
        })
        .collect()
}

/// Averages each `kx` x `ky` block of pixels into one (alpha-weighted, so transparent pixels lend
/// no colour). A cheap first step for a large reduction: a 4000 px photo drawn at 86 px is first
/// boxed down to a few hundred px, and the Lanczos filter then has a few taps a pixel, not 280.
fn box_shrink(source: &Pixels, kx: usize, ky: usize) -> Pixels {
    let (sw, sh) = (source.width as usize, source.height as usize);
    let (tw, th) = (sw / kx, sh / ky);
    let mut rgba = vec![0u8; tw * th * 4];
    let mut sums = vec![0u64; tw * 4];
    for ty in 0..th {
        sums.iter_mut().for_each(|v| *v = 0);
        for y in ty * ky..(ty + 1) * ky {
            let row = &source.rgba[y * sw * 4..(y * sw + tw * kx) * 4];
            for (tx, block) in row.chunks_exact(kx * 4).enumerate() {
                let sum = &mut sums[tx * 4..tx * 4 + 4];
                for p in block.chunks_exact(4) {
                    let a = p[3] as u64;
                    sum[0] += p[0] as u64 * a;
                    sum[1] += p[1] as u64 * a;
                    sum[2] += p[2] as u64 * a;
                    sum[3] += a;
                }
            }
        }
        let out = &mut rgba[ty * tw * 4..(ty + 1) * tw * 4];
        for (pixel, sum) in out.chunks_exact_mut(4).zip(sums.chunks_exact(4)) {
            if sum[3] == 0 {
                continue;
            }
            for c in 0..3 {
                pixel[c] = ((sum[c] + sum[3] / 2) / sum[3]) as u8;
            }
            pixel[3] = ((sum[3] + (kx * ky / 2) as u64) / (kx * ky) as u64) as u8;
        }
    }
    Pixels { width: tw as u32, height: th as u32, rgba }
}

/// Scales `source` to `width` x `height` (either way, though the store only shrinks).
pub fn resize(source: &Pixels, width: u32, height: u32) -> Pixels {
    let (tw, th) = (width.max(1) as usize, height.max(1) as usize);
    if (source.width as usize, source.height as usize) == (tw, th) {
        return source.clone();
    }
    // Box down to no less than three times the target, then filter the rest of the way.
    let (kx, ky) = (source.width as usize / (tw * 3), source.height as usize / (th * 3));
    let boxed;
    let source = if kx >= 2 || ky >= 2 {
        boxed = box_shrink(source, kx.max(1), ky.max(1));
        &boxed
    } else {
        source
    };
    let (sw, sh) = (source.width as usize, source.height as usize);
    // Horizontal pass into premultiplied floats, one source row at a time: the intermediate is
    // target width x source height, a few MB even for a 12-megapixel photo.
    let across = weights(source.width, tw as u32);
    let mut middle = vec![0f32; tw * sh * 4];
    for y in 0..sh {
        let row = &source.rgba[y * sw * 4..(y + 1) * sw * 4];
        let out = &mut middle[y * tw * 4..(y + 1) * tw * 4];
        for (x, (first, taps)) in across.iter().enumerate() {
            let mut sum = [0f32; 4];
            for (k, w) in taps.iter().enumerate() {
                let p = &row[(first + k) * 4..(first + k) * 4 + 4];
                let a = p[3] as f32 * (1.0 / 255.0);
                let wa = w * a;
                sum[0] += p[0] as f32 * wa;
                sum[1] += p[1] as f32 * wa;
                sum[2] += p[2] as f32 * wa;
                sum[3] += wa;
            }
            out[x * 4..x * 4 + 4].copy_from_slice(&sum);
        }
    }
    let down = weights(source.height, th as u32);
    let mut rgba = vec![0u8; tw * th * 4];
    let mut sum = vec![0f32; tw * 4];
    for (y, (first, taps)) in down.iter().enumerate() {
        sum.iter_mut().for_each(|v| *v = 0.0);
        for (k, w) in taps.iter().enumerate() {
            let row = &middle[(first + k) * tw * 4..(first + k + 1) * tw * 4];
            for (s, v) in sum.iter_mut().zip(row) {
                *s += v * w;
            }
        }
        let out = &mut rgba[y * tw * 4..(y + 1) * tw * 4];
        for (pixel, s) in out.chunks_exact_mut(4).zip(sum.chunks_exact(4)) {
            let alpha = s[3].clamp(0.0, 1.0);
            if alpha <= 1e-4 {
                pixel.copy_from_slice(&[0, 0, 0, 0]);
                continue;
            }
            for c in 0..3 {
                pixel[c] = (s[c] / alpha).round().clamp(0.0, 255.0) as u8;
            }
            pixel[3] = (alpha * 255.0).round() as u8;
        }
    }
    Pixels { width: tw as u32, height: th as u32, rgba }
}

pub use crate::media::decode::encode_png;

/// Encodes RGB or RGBA pixels (alpha ignored) as a baseline JPEG at `quality` (1 to 100) with
/// the standard Huffman tables (one interleaved scan); without chroma subsampling (coloured text and thin lines keep their
/// edges) unless `subsample` asks for 4:2:0. `None` when the size is beyond JPEG's 65,535 px or
/// the buffer is the wrong length.
pub fn encode_jpeg(
    pixels: &[u8],
    width: u32,
    height: u32,
    quality: u8,
    color: jpeg_encoder::ColorType,
    subsample: bool,
) -> Option<Vec<u8>> {
    let (w, h) = (u16::try_from(width).ok()?, u16::try_from(height).ok()?);
    let channels = match color {
        jpeg_encoder::ColorType::Rgb => 3,
        jpeg_encoder::ColorType::Rgba => 4,
        _ => return None,
    };
    if pixels.len() != width as usize * height as usize * channels || w == 0 || h == 0 {
        return None;
    }
    let mut bytes = Vec::with_capacity(pixels.len() / 10);
    let mut encoder = jpeg_encoder::Encoder::new(&mut bytes, quality.clamp(1, 100));
    encoder.set_sampling_factor(match subsample {
        true => jpeg_encoder::SamplingFactor::R_4_2_0,
        false => jpeg_encoder::SamplingFactor::R_4_4_4,
    });
    // Standard Huffman tables, so that the scan is interleaved: jpeg-encoder writes optimised
    // tables as one scan per channel, which zune-jpeg 0.5 (the decoder inside resvg, which draws
    // the slides) decodes wrongly at many sizes (a 32 x 48 avatar lost its bottom third).
    encoder.set_optimized_huffman_tables(false);
    encoder.encode(pixels, w, h, color).ok()?;
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noise(width: u32, height: u32) -> Pixels {
        let mut state = 0x2545_f491_u32;
        let rgba = (0..width * height)
            .flat_map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                let [r, g, b, _] = state.to_le_bytes();
                [r, g, b, 255]
            })
            .collect();
        Pixels { width, height, rgba }
    }

    fn asset(format: ImageFormat, bytes: Vec<u8>, width: u32, height: u32) -> Asset {
        let raster = match format {
            ImageFormat::Png => crate::media::decode::Raster::Png,
            _ => crate::media::decode::Raster::Jpeg,
        };
        let raster = Some(crate::media::decode::header(&bytes, raster).unwrap());
        Asset {
            path: "photo".into(),
            bytes: Arc::new(bytes),
            format,
            raster,
            width: width as f32,
            height: height as f32,
            renditions: Arc::default(),
        }
    }

    #[test]
    fn a_flat_colour_stays_flat_and_edges_keep_their_alpha() {
        let flat = Pixels { width: 40, height: 30, rgba: [200, 10, 30, 255].repeat(1200) };
        let small = resize(&flat, 7, 5);
        assert_eq!((small.width, small.height), (7, 5));
        assert!(small.rgba.chunks_exact(4).all(|p| p == [200, 10, 30, 255]), "{:?}", &small.rgba[..8]);
        // Transparent pixels' colour must not bleed into the opaque ones (premultiplied filtering).
        let mut half = flat.clone();
        for y in 0..30 {
            for x in 20..40 {
                half.rgba[(y * 40 + x) * 4..(y * 40 + x) * 4 + 4].copy_from_slice(&[0, 255, 0, 0]);
            }
        }
        let small = resize(&half, 8, 6);
        let left = &small.rgba[..4];
        assert_eq!(left, [200, 10, 30, 255]);
        assert!(small.rgba.chunks_exact(4).all(|p| p[3] < 8 || p[1] < 40), "green bled in");
    }

    #[test]
    fn a_large_photo_is_drawn_from_a_small_jpeg() {
        let photo = noise(1200, 900);
        let jpeg = encode_jpeg(&photo.rgba, 1200, 900, 95, jpeg_encoder::ColorType::Rgba, false).unwrap();
        let asset = asset(ImageFormat::Jpeg, jpeg.clone(), 1200, 900);
        let rect = Rect { x: 10.5, y: 3.0, width: 64.0, height: 64.0 };
        assert_eq!(drawn_size(&asset, rect, Fit::Cover), (86, 64));
        assert_eq!(drawn_size(&asset, rect, Fit::Contain), (64, 48));
        let made = rendition(&asset, rect, Fit::Cover);
        assert_eq!(made.mime, "image/jpeg");
        assert!(made.bytes.len() < 40_000, "{} bytes", made.bytes.len());
        let decoded = decode(&made.bytes, ImageFormat::Jpeg).unwrap();
        assert_eq!((decoded.width, decoded.height), (86, 64));
        // Made once: the second drawing shares the first one's bytes.
        assert!(Arc::ptr_eq(&made.bytes, &rendition(&asset, rect, Fit::Cover).bytes));
        // Drawn at its own size or larger, the file is embedded as written.
        let big = Rect { x: 0.0, y: 0.0, width: 1200.0, height: 900.0 };
        assert!(Arc::ptr_eq(&rendition(&asset, big, Fit::Contain).bytes, &asset.bytes));
    }

    #[test]
    fn png_sources_stay_png_with_their_alpha() {
        let mut pixels = noise(300, 300);
        pixels.rgba.chunks_exact_mut(4).step_by(7).for_each(|p| p[3] = 0);
        let png = encode_png(&pixels).unwrap();
        let asset = asset(ImageFormat::Png, png, 300, 300);
        let made = rendition(&asset, Rect { x: 0.0, y: 0.0, width: 30.0, height: 30.0 }, Fit::Contain);
        assert_eq!(made.mime, "image/png");
        let decoded = decode(&made.bytes, ImageFormat::Png).unwrap();
        assert_eq!((decoded.width, decoded.height), (30, 30));
        assert!(decoded.rgba.chunks_exact(4).any(|p| p[3] < 255), "alpha kept");
    }

    #[test]
    fn same_pixels_same_bytes() {
        let photo = noise(500, 400);
        let a = encode_jpeg(&resize(&photo, 50, 40).rgba, 50, 40, 90, jpeg_encoder::ColorType::Rgba, false);
        let b = encode_jpeg(&resize(&photo, 50, 40).rgba, 50, 40, 90, jpeg_encoder::ColorType::Rgba, false);
        assert!(a.is_some());
        assert_eq!(a, b);
    }

    #[test]
    fn jpegs_we_write_decode_right_at_any_size() {
        // Optimised tables (one scan per channel) decoded wrong at these sizes.
        for (w, h) in [(32, 48), (48, 32), (8, 16), (16, 24), (40, 48)] {
            let pixels: Vec<u8> = (0..w * h).flat_map(|i| [(i / w * 5 % 256) as u8, 100, 50, 255]).collect();
            let jpeg = encode_jpeg(&pixels, w, h, 90, jpeg_encoder::ColorType::Rgba, false).unwrap();
            let decoded = decode(&jpeg, ImageFormat::Jpeg).unwrap();
            let error =
                decoded.rgba.iter().zip(&pixels).map(|(a, b)| a.abs_diff(*b) as u64).sum::<u64>() / pixels.len() as u64;
            assert!(error <= 3, "{w}x{h}: mean error {error}");
        }
    }
}
