//! Export: a laid-out [`crate::scene::Scene`] turned into the bytes of the files, never re-deciding
//! the layout.
//!
//! Owns the output formats, siblings that read the same scene: [`svg`] writes it as a standalone
//! SVG document, [`raster`] draws that SVG into pixels with resvg, [`png`] encodes the pixels,
//! [`pages`] chooses each PDF page's encoding under the PDF's size limit and [`pdf`] streams the
//! pages into one document, with the slide's words as an invisible text layer in the fonts
//! [`pdffont`] embeds; [`platforms`] turns the built slides into the images and parts other
//! platforms take. It takes scenes and hands the build stage bytes.

pub mod pages;
pub mod pdf;
pub mod pdffont;
pub mod platforms;
pub mod png;
pub mod raster;
pub mod svg;
