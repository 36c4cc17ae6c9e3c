//! Media: the image files a deck names, from bytes on disk to pixels and back.
//!
//! Owns everything that knows an image format: checking a file before anything decodes it (its
//! size, its kind, its pixel count from the header: [`asset`]), decoding, scaling and re-encoding
//! ([`pixels`]), and reading SVG with the bundled fonts and the same limits ([`svg`]). It hands
//! the deck a checked [`asset::Asset`] and the later stages the pixels they draw or embed. It
//! knows nothing of decks, slides or outputs.

pub mod asset;
pub mod budget;
pub mod decode;
pub mod pixels;
pub mod svg;

/// Largest image file, in bytes.
pub const MAX_IMAGE_BYTES: u64 = 20 * 1024 * 1024;
/// Most pixels an image may declare in its header (checked before decoding).
pub const MAX_IMAGE_PIXELS: u64 = 40_000_000;

/// How an image fills its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Whole image visible, letterboxed.
    Contain,
    /// Box filled, image cropped.
    Cover,
}
