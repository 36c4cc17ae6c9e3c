//! Fuzz target: arbitrary bytes through the deck parser, validation, diagnostics, layout, SVG and
//! raster.
//!
//! Run with `cargo +nightly fuzz run deck` from the repository root. Slides are shrunk to the
//! smallest size so that rendering stays cheap per input. Every diagnostic is rendered too, since
//! its snippet is cut from the very line that provoked it (any column, length or character).
#![no_main]

use std::path::Path;

use carousel::deck;
use carousel::geom::Size;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else { return };
    // Decks may name images relative to this folder; the corpus uses none that exist.
    let path = Path::new("fuzz/deck.yaml");
    let loaded = deck::load(path, source);
    for diagnostic in &loaded.diagnostics {
        let _ = diagnostic.render(path, Some(source), false);
    }
    let Some(mut deck) = loaded.deck else { return };
    deck.size = Size { width: 320, height: 400 };
    let scenes = match carousel::build::layout_deck(&deck) {
        Ok(scenes) => scenes,
        Err(errors) => {
            for diagnostic in &errors {
                let _ = diagnostic.render(path, Some(source), true);
            }
            return;
        }
    };
    for scene in scenes.iter().take(3) {
        let svg = carousel::export::svg::to_svg(scene);
        let _ = carousel::media::svg::rasterize(&svg, scene.size.width, scene.size.height);
    }
});
