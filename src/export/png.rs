//! PNG: a rendered slide's pixels into PNG bytes.
//!
//! Owns the encoding settings: 8-bit RGB (slides are opaque, so alpha would only cost bytes), an
//! sRGB chunk, no time chunk (same input, same bytes), and fast compression (`fdeflate` through
//! the png crate, with the Up filter). It hands the PDF stage the compressed pixel stream as well
//! ([`EncodedPng::idat_stream`]): a PNG's IDAT data is a zlib stream of filtered rows, which PDF's
//! FlateDecode with the PNG predictor reads as is, so the pixels are compressed once for both files.

use std::io::Cursor;

/// A PNG file in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedPng {
    /// Width in px.
    pub width: u32,
    /// Height in px.
    pub height: u32,
    /// The whole PNG file.
    pub bytes: Vec<u8>,
}

/// Why pixels could not be encoded.
#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    /// The buffer does not hold width x height RGBA pixels.
    #[error("{len} bytes is not a {width}x{height} RGBA image")]
    WrongSize {
        /// Width given.
        width: u32,
        /// Height given.
        height: u32,
        /// Bytes given.
        len: usize,
    },
    /// The encoder failed.
    #[error("{0}")]
    Png(#[from] png::EncodingError),
}

impl EncodedPng {
    /// The concatenated payload of the IDAT chunks: one zlib stream of filtered RGB rows.
    pub fn idat_stream(&self) -> Vec<u8> {
        let mut stream = Vec::with_capacity(self.bytes.len());
        let mut at = 8;
        while at + 12 <= self.bytes.len() {
            let length =
                u32::from_be_bytes([self.bytes[at], self.bytes[at + 1], self.bytes[at + 2], self.bytes[at + 3]])
                    as usize;
            let kind = &self.bytes[at + 4..at + 8];
            let end = (at + 8).saturating_add(length).min(self.bytes.len());
            if kind == b"IDAT" {
                stream.extend_from_slice(&self.bytes[at + 8..end]);
            }
            at = end + 4;
        }
        stream
    }
}

/// Encodes premultiplied RGBA pixels (as tiny-skia renders them) as an opaque RGB PNG.
///
/// Slides always paint an opaque background, so every pixel has alpha 255 and premultiplied
/// equals straight colour; a pixel that is not opaque is taken as composited over black.
pub fn encode_png(width: u32, height: u32, rgba_premultiplied: &[u8]) -> Result<EncodedPng, EncodeError> {
    let expected = (width as usize).checked_mul(height as usize).and_then(|n| n.checked_mul(4));
    if expected != Some(rgba_premultiplied.len()) || width == 0 || height == 0 {
        return Err(EncodeError::WrongSize { width, height, len: rgba_premultiplied.len() });
    }
    // The RGB copy is kept per thread and reused by the next slide: a fresh 4.4 MB buffer per
    // slide cost more in page faults than the packing itself. Whole pixels at a time: the
    // iterator chain this replaces (`flat_map` + `collect`) cost ten times the instructions.
    thread_local! {
        static RGB: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let mut bytes = Vec::with_capacity(rgba_premultiplied.len() / 16);
    RGB.with(|buffer| -> Result<(), EncodeError> {
        let mut rgb = buffer.borrow_mut();
        rgb.resize(rgba_premultiplied.len() / 4 * 3, 0);
        for (out, &[r, g, b, _]) in rgb.as_chunks_mut::<3>().0.iter_mut().zip(rgba_premultiplied.as_chunks::<4>().0) {
            *out = [r, g, b];
        }
        let mut encoder = png::Encoder::new(Cursor::new(&mut bytes), width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_source_srgb(png::SrgbRenderingIntent::Perceptual);
        encoder.set_compression(png::Compression::Fast);
        // Slides are flat colour and soft gradients: Up compresses them well and costs little.
        encoder.set_filter(png::Filter::Up);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&rgb)?;
        writer.finish()?;
        Ok(())
    })?;
    Ok(EncodedPng { width, height, bytes })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(width: u32, height: u32) -> Vec<u8> {
        (0..width * height).flat_map(|i| [(i % 251) as u8, (i / width) as u8, 200, 255]).collect()
    }

    #[test]
    fn round_trips_and_is_deterministic() {
        let pixels = image(64, 40);
        let a = encode_png(64, 40, &pixels).unwrap();
        let b = encode_png(64, 40, &pixels).unwrap();
        assert_eq!(a, b);
        let mut reader = png::Decoder::new(Cursor::new(&a.bytes)).read_info().unwrap();
        let mut out = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut out).unwrap();
        assert_eq!((info.width, info.height, info.color_type), (64, 40, png::ColorType::Rgb));
        assert_eq!(&out[..6], &[0, 0, 200, 1, 0, 200]);
    }

    #[test]
    fn idat_is_a_zlib_stream() {
        let png = encode_png(16, 16, &image(16, 16)).unwrap();
        let stream = png.idat_stream();
        assert_eq!(stream[0] & 0x0f, 8, "deflate");
        assert_eq!(((stream[0] as u16) << 8 | stream[1] as u16) % 31, 0, "zlib header check");
    }

    #[test]
    fn wrong_sizes_are_errors() {
        assert!(encode_png(10, 10, &[0; 12]).is_err());
        assert!(encode_png(0, 0, &[]).is_err());
    }
}
