//! STUB
pub struct EncodedPng { pub width: u32, pub height: u32, pub bytes: Vec<u8> }
#[derive(Debug, thiserror::Error)]
#[error("png")]
pub struct EncodeError;
pub fn encode_png(width: u32, height: u32, rgba: &[u8]) -> Result<EncodedPng, EncodeError> {
    let mut bytes = Vec::new();
    {
        let mut e = png::Encoder::new(&mut bytes, width, height);
        e.set_color(png::ColorType::Rgba);
        e.set_depth(png::BitDepth::Eight);
        let mut w = e.write_header().map_err(|_| EncodeError)?;
        w.write_image_data(rgba).map_err(|_| EncodeError)?;
    }
    Ok(EncodedPng { width, height, bytes })
}
