//! Fuzz target: arbitrary bytes through the deck parser, validation, layout, SVG and raster.
//!
//! Run with `cargo +nightly fuzz run deck` from the repository root. Slides are shrunk to the
//! smallest size so that rendering stays cheap per input.
#![no_main]

use std::path::Path;

use carousel::deck::{self, Size};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else { return };
    // Decks may name images relative to this folder; the corpus uses none that exist.
    let loaded = deck::load(Path::new("fuzz/deck.yaml"), source);
    let Some(mut deck) = loaded.deck else { return };
    deck.size = Size { width: 320, height: 400 };
    let Ok(scenes) = carousel::layout::layout_deck(&deck) else { return };
    for scene in scenes.iter().take(3) {
        let svg = carousel::svg::to_svg(scene);
        let _ = carousel::render::rasterize(&svg, scene.size.width, scene.size.height);
    }
});
