//! Fuzz target: arbitrary bytes through the deck parser and validation only, and every diagnostic
//! rendered.
//!
//! The `deck` target also lays out and rasterises, which holds it to tens of runs a second; this
//! one stops where a deck is accepted or rejected, so it reaches the corners of the YAML reader
//! and of the validation of every key. Run it from the repository root with the bad and bundled
//! decks as seeds (the first folder receives the fuzzer's finds), without AddressSanitizer
//! (`-s none`: carousel has no `unsafe`, and ASan made every input five times slower) and with
//! the inputs capped at 4 KB: `cargo +nightly fuzz run -s none validate fuzz/corpus/validate
//! tests/bad decks -- -max_len=4096`, thousands of inputs a second on one core.
#![no_main]

use std::path::Path;

use carousel::deck;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else { return };
    // In a folder that does not exist: every path a deck names is refused at once, without a
    // read, so the target runs thousands of inputs a second on the reader and the validation
    // (the `deck` target reads, decodes and draws real images).
    let path = Path::new("/nonexistent/carousel-fuzz/deck.yaml");
    let loaded = deck::load(path, source);
    for diagnostic in &loaded.diagnostics {
        let _ = diagnostic.render(path, Some(source), false);
        let _ = diagnostic.render(path, Some(source), true);
    }
});
