//! carousel: YAML deck -> laid-out slides -> SVG -> PNG -> PDF.
//!
//! One module per pipeline stage, in pipeline order: [`yaml`] and [`deck`] read and validate,
//! [`theme`], [`template`], [`text`] and [`layout`] place everything into a [`scene::Scene`];
//! [`blocks`] holds one file per block (its data, parsing and layout), shared by `deck` and `layout`,
//! and [`backdrop`] a slide's background photo and its scrim;
//! [`svg`] writes it, [`render`] rasterises it, [`png_encode`] and [`pdf`] write the files,
//! [`build`] runs the stages per deck and [`cli`] is the command line.
//! [`watch`] rebuilds a deck on every save and [`serve`] previews it in a browser.
pub mod backdrop;
pub mod blocks;
pub mod build;
pub mod cache;
pub mod cli;
pub mod deck;
pub mod diag;
pub mod fonts;
pub mod highlight;
pub mod icons;
pub mod images;
pub mod layout;
pub mod lint;
pub mod markup;
pub mod mojibake;
pub mod output;
pub mod pages;
pub mod pdf;
pub mod png_encode;
pub mod render;
pub mod scene;
pub mod serve;
pub mod svg;
pub mod template;
pub mod text;
pub mod theme;
pub mod watch;
pub mod yaml;

// The authoring loop (issue #5): the deck format as data (read by `deck`), its JSON Schema for
// editors, and the progress bar of a batch.
pub mod format;
pub mod progress;
pub mod schema;

// Publishing to LinkedIn (issue #12): `carousel publish` and `carousel login`.
pub mod publish;
