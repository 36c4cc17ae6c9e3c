//! Test images made from nothing (no photos of anyone): the pictures the decoder's unit tests
//! and the photo integration tests feed to carousel. Each is a flat picture with marks whose
//! colour and place after decoding are known, written the way cameras, stock sites, design
//! tools and browsers write them: EXIF orientations, CMYK (Adobe-inverted or not), YCCK, a
//! Display P3 profile, WebP, an animated GIF, and damaged JPEGs.
//!
//! Only external crates are used here (no `carousel::` or `crate::`), so the library's unit
//! tests include this file by path and the integration tests as `common::images`.
//! Lossy WebP, HEIC and AVIF need encoders this build has no pure-Rust crate for; those few
//! small files are made by `tests/images/make.sh` and committed in `tests/images/`.
#![allow(dead_code)]

/// A colour of the marks.
pub const RED: [u8; 3] = [230, 20, 30];
/// The second mark.
pub const GREEN: [u8; 3] = [20, 200, 40];
/// The background.
pub const GREY: [u8; 3] = [128, 128, 128];

/// Width and height of the stored orientation pictures (landscape, as a phone stores them).
pub const STORED: (u32, u32) = (48, 32);
/// The side of a corner mark.
pub const MARK: u32 = 12;

/// A corner of a picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corner {
    TopLeft,
    TopRight,
    BottomLeft,
    BottomRight,
}

/// An RGB picture of `width` x `height` on grey, with a `MARK`-sized square of each colour in its corner.
pub fn marked(width: u32, height: u32, marks: &[(Corner, [u8; 3])]) -> Vec<u8> {
    let mut rgb = GREY.repeat((width * height) as usize);
    for &(corner, colour) in marks {
        let (x0, y0) = match corner {
            Corner::TopLeft => (0, 0),
            Corner::TopRight => (width - MARK, 0),
            Corner::BottomLeft => (0, height - MARK),
            Corner::BottomRight => (width - MARK, height - MARK),
        };
        for y in y0..y0 + MARK {
            for x in x0..x0 + MARK {
                let i = ((y * width + x) * 3) as usize;
                rgb[i..i + 3].copy_from_slice(&colour);
            }
        }
    }
    rgb
}

/// Where the stored picture must carry the red and the green mark for EXIF `orientation` to
/// show red top-left and green top-right. Taken from the EXIF table of what the stored 0th row
/// and 0th column become (1: top, left; 2: top, right; 3: bottom, right; 4: bottom, left;
/// 5: left, top; 6: right, top; 7: right, bottom; 8: left, bottom), worked out by hand.
pub fn stored_marks(orientation: u8) -> (Corner, Corner) {
    use Corner::*;
    match orientation {
        1 => (TopLeft, TopRight),
        2 => (TopRight, TopLeft),
        3 => (BottomRight, BottomLeft),
        4 => (BottomLeft, BottomRight),
        5 => (TopLeft, BottomLeft),
        6 => (BottomLeft, TopLeft),
        7 => (BottomRight, TopRight),
        8 => (TopRight, BottomRight),
        _ => panic!("orientation {orientation}"),
    }
}

/// An EXIF block (as a JPEG's APP1 segment holds it, `Exif\0\0` first) with one tag: the
/// orientation. Big-endian when `big`, as some cameras write it.
pub fn exif(orientation: u8, big: bool) -> Vec<u8> {
    let u16b = |v: u16| if big { v.to_be_bytes() } else { v.to_le_bytes() };
    let u32b = |v: u32| if big { v.to_be_bytes() } else { v.to_le_bytes() };
    let mut tiff = Vec::new();
    tiff.extend_from_slice(if big { b"MM" } else { b"II" });
    tiff.extend_from_slice(&u16b(42));
    tiff.extend_from_slice(&u32b(8));
    tiff.extend_from_slice(&u16b(1));
    tiff.extend_from_slice(&u16b(0x0112));
    tiff.extend_from_slice(&u16b(3));
    tiff.extend_from_slice(&u32b(1));
    tiff.extend_from_slice(&u16b(orientation as u16));
    tiff.extend_from_slice(&[0, 0]);
    tiff.extend_from_slice(&u32b(0));
    let mut block = b"Exif\0\0".to_vec();
    block.extend_from_slice(&tiff);
    block
}

/// How to write a JPEG.
#[derive(Debug, Clone, Default)]
pub struct Jpeg {
    pub progressive: bool,
    pub orientation: Option<u8>,
    pub big_endian_exif: bool,
    pub icc: Option<Vec<u8>>,
    pub restart_interval: u16,
}

/// Encodes RGB pixels as a JPEG (quality 95, no chroma subsampling).
pub fn jpeg(rgb: &[u8], width: u32, height: u32, how: &Jpeg) -> Vec<u8> {
    encode(rgb, width, height, jpeg_encoder::ColorType::Rgb, how)
}

fn encode(data: &[u8], width: u32, height: u32, color: jpeg_encoder::ColorType, how: &Jpeg) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 95);
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_4_4);
    encoder.set_progressive(how.progressive);
    if how.restart_interval > 0 {
        encoder.set_restart_interval(how.restart_interval);
    }
    if let Some(orientation) = how.orientation {
        encoder.add_app_segment(1, exif(orientation, how.big_endian_exif)).unwrap();
    }
    if let Some(icc) = &how.icc {
        encoder.add_icc_profile(icc).unwrap();
    }
    encoder.encode(data, width as u16, height as u16, color).unwrap();
    out
}

/// The stored picture for EXIF `orientation` (48 x 32, marks where [`stored_marks`] says), as a
/// JPEG carrying that orientation.
pub fn oriented_jpeg(orientation: u8) -> Vec<u8> {
    let (red, green) = stored_marks(orientation);
    let (w, h) = STORED;
    let how =
        Jpeg { orientation: Some(orientation), big_endian_exif: orientation.is_multiple_of(2), ..Jpeg::default() };
    jpeg(&marked(w, h, &[(red, RED), (green, GREEN)]), w, h, &how)
}

/// A flat CMYK picture as a JPEG. `adobe`: written as Adobe's tools write it (an APP14 segment,
/// values stored inverted, 255 - ink); else plain CMYK, ink as stored, no APP14. `ycck`: Adobe's
/// YCCK (always inverted). Ink is 0 (none) to 255 (full).
pub fn cmyk_jpeg(ink: [u8; 4], adobe: bool, ycck: bool) -> Vec<u8> {
    let (w, h) = (32u32, 24u32);
    // jpeg-encoder takes ink values and stores them inverted under an Adobe segment.
    let pixels = ink.repeat((w * h) as usize);
    if ycck {
        return encode(&pixels, w, h, jpeg_encoder::ColorType::CmykAsYcck, &Jpeg::default());
    }
    if adobe {
        return encode(&pixels, w, h, jpeg_encoder::ColorType::Cmyk, &Jpeg::default());
    }
    // Plain CMYK: hand the encoder inverted ink so that it stores the ink itself, then drop its
    // APP14 segment.
    let inverted: Vec<u8> = pixels.iter().map(|v| 255 - v).collect();
    let with_adobe = encode(&inverted, w, h, jpeg_encoder::ColorType::Cmyk, &Jpeg::default());
    strip_segment(&with_adobe, 0xEE)
}

/// A JPEG without its segments of marker `marker` (before the first scan).
pub fn strip_segment(jpeg: &[u8], marker: u8) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    let mut at = 2;
    while at + 4 <= jpeg.len() {
        let m = jpeg[at + 1];
        if m == 0xDA {
            break;
        }
        let length = u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]) as usize;
        if m != marker {
            out.extend_from_slice(&jpeg[at..at + 2 + length]);
        }
        at += 2 + length;
    }
    out.extend_from_slice(&jpeg[at..]);
    out
}

/// The colour that CMYK `ink` is drawn in without a profile: (1 - C)(1 - K) and so on.
pub fn cmyk_as_rgb(ink: [u8; 4]) -> [u8; 3] {
    let mix = |v: u8| ((255 - v as u32) * (255 - ink[3] as u32) / 255) as u8;
    [mix(ink[0]), mix(ink[1]), mix(ink[2])]
}

/// The Display P3 ICC profile (D65, the sRGB curve), as an iPhone or a Mac tags its pictures.
pub fn display_p3_profile() -> Vec<u8> {
    moxcms::ColorProfile::new_display_p3().encode().expect("encode the Display P3 profile")
}

/// sRGB's pure red, (255, 0, 0), as Display P3 writes it: (234, 51, 35). Converted back with
/// the image's profile it is sRGB red again; drawn as if it were sRGB it is a duller red.
pub const P3_RED: [u8; 3] = [234, 51, 35];

/// A flat picture of [`P3_RED`] tagged Display P3, as PNG.
pub fn p3_png() -> Vec<u8> {
    let (w, h) = (16u32, 16u32);
    let rgb = P3_RED.repeat((w * h) as usize);
    let mut info = png::Info::with_size(w, h);
    info.color_type = png::ColorType::Rgb;
    info.bit_depth = png::BitDepth::Eight;
    info.icc_profile = Some(display_p3_profile().into());
    let mut out = Vec::new();
    {
        let encoder = png::Encoder::with_info(&mut out, info).unwrap();
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(&rgb).unwrap();
    }
    out
}

/// The same as a JPEG.
pub fn p3_jpeg() -> Vec<u8> {
    let rgb = P3_RED.repeat(16 * 16);
    jpeg(&rgb, 16, 16, &Jpeg { icc: Some(display_p3_profile()), ..Jpeg::default() })
}

/// A PNG of `color` with `depth` bits (one of each kind a design tool writes).
pub fn png(
    data: &[u8],
    width: u32,
    height: u32,
    color: png::ColorType,
    depth: png::BitDepth,
    palette: Option<(&[u8], &[u8])>,
) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(color);
        encoder.set_depth(depth);
        if let Some((palette, trns)) = palette {
            encoder.set_palette(palette.to_vec());
            if !trns.is_empty() {
                encoder.set_trns(trns.to_vec());
            }
        }
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(data).unwrap();
    }
    out
}

/// A lossless WebP, 20 x 10: its left half opaque red, its right half half-transparent green.
pub fn webp_lossless_alpha() -> Vec<u8> {
    let (w, h) = (20u32, 10u32);
    let mut rgba = Vec::new();
    for _ in 0..h {
        for x in 0..w {
            rgba.extend_from_slice(&if x < w / 2 {
                [RED[0], RED[1], RED[2], 255]
            } else {
                [GREEN[0], GREEN[1], GREEN[2], 128]
            });
        }
    }
    let mut out = Vec::new();
    image_webp::WebPEncoder::new(&mut out).encode(&rgba, w, h, image_webp::ColorType::Rgba8).unwrap();
    out
}

/// An animated GIF, 24 x 16, two frames: the first red with a transparent bottom-right block,
/// the second green. Only the first should be drawn.
pub fn animated_gif() -> Vec<u8> {
    let (w, h) = (24u16, 16u16);
    let palette = [RED[0], RED[1], RED[2], GREEN[0], GREEN[1], GREEN[2], 0, 0, 0, 255, 255, 255];
    let mut out = Vec::new();
    {
        let mut encoder = gif::Encoder::new(&mut out, w, h, &palette).unwrap();
        encoder.set_repeat(gif::Repeat::Infinite).unwrap();
        let mut first: Vec<u8> = vec![0; w as usize * h as usize];
        for y in 12..16 {
            for x in 20..24 {
                first[y * w as usize + x] = 2;
            }
        }
        let frame = gif::Frame {
            width: w,
            height: h,
            buffer: first.into(),
            transparent: Some(2),
            delay: 50,
            ..Default::default()
        };
        encoder.write_frame(&frame).unwrap();
        let second = vec![1u8; w as usize * h as usize];
        let frame = gif::Frame { width: w, height: h, buffer: second.into(), delay: 50, ..Default::default() };
        encoder.write_frame(&frame).unwrap();
    }
    out
}

/// A picture with some detail (smooth shapes and grain), as a photo has: damage to its data shows.
pub fn detailed(width: u32, height: u32) -> Vec<u8> {
    let mut state = 0x9e37_79b9_u32;
    let mut rgb = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let grain = (state % 24) as f32;
            let (u, v) = (x as f32 / width as f32, y as f32 / height as f32);
            let base = 110.0 + 70.0 * (u * 9.0).sin() * (v * 7.0).cos();
            rgb.extend_from_slice(&[
                (base + grain) as u8,
                (base * 0.7 + 40.0 * v + grain) as u8,
                (220.0 - base * 0.6 + grain) as u8,
            ]);
        }
    }
    rgb
}

/// A whole JPEG with detail, 160 x 120 (progressive if asked).
pub fn whole_jpeg(progressive: bool) -> Vec<u8> {
    jpeg(&detailed(160, 120), 160, 120, &Jpeg { progressive, ..Jpeg::default() })
}

/// A JPEG cut at half its length and closed with `FF D9`, as a download that stopped and a tool
/// that "repaired" it leave it.
pub fn truncated_jpeg(progressive: bool) -> Vec<u8> {
    let whole = whole_jpeg(progressive);
    let mut cut = whole[..whole.len() / 2].to_vec();
    cut.extend_from_slice(&[0xFF, 0xD9]);
    cut
}

/// A JPEG with 16 bytes of its scan data overwritten with noise a third of the way in (a bad
/// sector, a flipped transfer), its length and end marker intact. `seed` picks the noise.
pub fn corrupt_jpeg(progressive: bool, seed: u32) -> Vec<u8> {
    let mut jpeg = whole_jpeg(progressive);
    let n = jpeg.len();
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(7) | 1;
    for k in 0..16 {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let at = n / 3 + k * 37 + (state as usize % 50);
        // Never write a marker: the damage is inside the data.
        let byte = (state >> 8) as u8;
        jpeg[at] = if byte == 0xFF { 0xFE } else { byte };
    }
    jpeg
}
