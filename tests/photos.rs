//! Photographs in decks: a phone photo as avatar or slide image is embedded at the size it is
//! drawn at, and a deck of photo slides makes a PDF that LinkedIn takes (or a clear error).
//! The photos are made here, not committed: a smooth picture with grain, as a camera gives.

use std::path::Path;
use std::process::Command;

#[allow(dead_code)] // the helpers this file does not use
mod common;
use common::carousel;

/// A photo-like RGBA picture: soft shapes, and grain that defeats lossless compression.
fn photo_pixels(width: u32, height: u32) -> Vec<u8> {
    let mut state = 0x9e37_79b9_u32;
    let mut rgba = Vec::with_capacity((width * height * 4) as usize);
    for y in 0..height {
        for x in 0..width {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let grain = (state % 20) as f32;
            let (u, v) = (x as f32 / width as f32, y as f32 / height as f32);
            let base = 110.0 + 70.0 * (u * 9.0).sin() * (v * 7.0).cos();
            rgba.extend_from_slice(&[
                (base + grain) as u8,
                (base * 0.7 + 40.0 * v + grain) as u8,
                (220.0 - base * 0.6 + grain) as u8,
                255,
            ]);
        }
    }
    rgba
}

fn write_photo(path: &Path, width: u32, height: u32) {
    let pixels = photo_pixels(width, height);
    let jpeg = carousel::media::pixels::encode_jpeg(&pixels, width, height, 95, jpeg_encoder::ColorType::Rgba, false)
        .expect("encode the test photo");
    std::fs::write(path, jpeg).unwrap();
}

#[test]
fn a_huge_avatar_is_embedded_small_in_every_svg() {
    let dir = tempfile::tempdir().unwrap();
    write_photo(&dir.path().join("me.jpg"), 3000, 2250);
    let avatar_bytes = std::fs::metadata(dir.path().join("me.jpg")).unwrap().len();
    assert!(avatar_bytes > 1_000_000, "the test photo is {avatar_bytes} bytes");
    std::fs::write(
        dir.path().join("deck.yaml"),
        "title: T\nauthor: {name: Jane Doe, avatar: me.jpg}\nslides:\n  - {kind: hook, title: One}\n  - {kind: content, title: Two, body: Words.}\n  - {kind: cta, title: Three}\n",
    )
    .unwrap();
    let output = carousel(dir.path(), &["build", "deck.yaml", "--svg"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    for n in 1..=3 {
        let svg = std::fs::read_to_string(dir.path().join(format!("out/deck/{n:02}.svg"))).unwrap();
        // The avatar is drawn 64 px wide: a few KB, where the file was over a MB.
        assert!(svg.len() < 60_000, "slide {n}: {} bytes of SVG", svg.len());
        assert!(svg.contains("data:image/jpeg;base64,"), "slide {n} lost its avatar");
    }
}

/// The image streams of a PDF as (filter, width, height, data), in page order.
fn pdf_images(pdf: &[u8]) -> Vec<(String, u32, u32, Vec<u8>)> {
    let mut images = Vec::new();
    let mut at = 0;
    let find = |from: usize, what: &[u8]| pdf[from..].windows(what.len()).position(|w| w == what).map(|i| from + i);
    while let Some(start) = find(at, b"/Subtype /Image") {
        let dict_end = find(start, b">>\nstream\n").unwrap();
        let dict = String::from_utf8_lossy(&pdf[start..dict_end]).into_owned();
        let number = |key: &str| -> u32 {
            let rest = &dict[dict.find(key).unwrap() + key.len()..];
            rest.split_whitespace().next().unwrap().trim_end_matches(">>").parse().unwrap()
        };
        let length = number("/Length ") as usize;
        let filter = dict[dict.find("/Filter /").unwrap() + 9..].split_whitespace().next().unwrap().to_string();
        let data_at = dict_end + 10;
        images.push((filter, number("/Width "), number("/Height "), pdf[data_at..data_at + length].to_vec()));
        at = data_at + length;
    }
    images
}

#[test]
fn a_deck_of_photo_slides_fits_linkedin_and_looks_the_same() {
    let dir = tempfile::tempdir().unwrap();
    write_photo(&dir.path().join("photo.jpg"), 1600, 1200);
    let slides = 8;
    let mut deck = String::from("title: Photos\nsize: {width: 540, height: 675}\nslides:\n");
    for n in 0..slides {
        deck.push_str(&format!("  - {{kind: content, title: Photo {n}, image: {{path: photo.jpg, fit: cover}}}}\n"));
    }
    std::fs::write(dir.path().join("deck.yaml"), deck).unwrap();
    let output = carousel(dir.path(), &["build", "deck.yaml"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let pdf = std::fs::read(dir.path().join("out/deck.pdf")).unwrap();
    let images = pdf_images(&pdf);
    assert_eq!(images.len(), slides);
    // A photographic page is a JPEG, a fraction of its lossless PNG: 300 such slides at full size
    // (four times these pixels) stay well under LinkedIn's 100 MB.
    let png_bytes: usize = (1..=slides)
        .map(|n| std::fs::metadata(dir.path().join(format!("out/deck/{n:02}.png"))).unwrap().len() as usize)
        .sum();
    let per_page = pdf.len() / slides;
    assert!(per_page * 4 * 300 < 60_000_000, "{per_page} bytes a page (the PNGs: {} a slide)", png_bytes / slides);
    assert!(pdf.len() * 3 < png_bytes, "PDF {} bytes, PNGs {png_bytes}", pdf.len());
    for (n, (filter, width, height, data)) in images.iter().enumerate() {
        assert_eq!((filter.as_str(), *width, *height), ("DCTDecode", 540, 675), "page {}", n + 1);
        // The page shows what the slide's PNG shows.
        let page =
            carousel::media::pixels::decode(data, carousel::media::asset::ImageFormat::Jpeg).expect("a baseline JPEG");
        let png = std::fs::read(dir.path().join(format!("out/deck/{:02}.png", n + 1))).unwrap();
        let slide = carousel::media::pixels::decode(&png, carousel::media::asset::ImageFormat::Png).unwrap();
        assert_eq!((page.width, page.height), (slide.width, slide.height));
        let error =
            page.rgba.iter().zip(&slide.rgba).map(|(a, b)| (*a as i32 - *b as i32).unsigned_abs() as u64).sum::<u64>()
                as f64
                / slide.rgba.len() as f64;
        assert!(error < 3.0, "page {}: mean difference {error:.2} from its PNG", n + 1);
    }
    // Viewers read it too, when poppler is installed: its page 1 is the slide.
    let rendered = Command::new("pdftoppm")
        .args(["-png", "-scale-to-x", "540", "-scale-to-y", "675", "-f", "1", "-l", "1", "-singlefile"])
        .args(["out/deck.pdf", "out/page"])
        .current_dir(dir.path())
        .status();
    if let Ok(status) = rendered {
        assert!(status.success(), "pdftoppm cannot read the PDF");
        let page = std::fs::read(dir.path().join("out/page.png")).unwrap();
        let page = carousel::media::pixels::decode(&page, carousel::media::asset::ImageFormat::Png).unwrap();
        let slide = std::fs::read(dir.path().join("out/deck/01.png")).unwrap();
        let slide = carousel::media::pixels::decode(&slide, carousel::media::asset::ImageFormat::Png).unwrap();
        assert_eq!((page.width, page.height), (540, 675));
        let error =
            page.rgba.iter().zip(&slide.rgba).map(|(a, b)| (*a as i32 - *b as i32).unsigned_abs() as u64).sum::<u64>()
                as f64
                / slide.rgba.len() as f64;
        assert!(error < 3.0, "pdftoppm's page 1: mean difference {error:.2} from its PNG");
    }
}

#[test]
fn a_pdf_over_the_limit_is_an_error_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let deck_path = dir.path().join("deck.yaml");
    std::fs::write(&deck_path, "title: T\nslides:\n  - {kind: hook, title: a}\n  - {kind: cta, title: b}\n").unwrap();
    let source = std::fs::read_to_string(&deck_path).unwrap();
    let deck = carousel::deck::load(&deck_path, &source).deck.expect("a valid deck");
    let out = dir.path().join("out");
    // A grainy slide: over 50 KB however it is encoded, the share of each of two slides.
    let pixels = photo_pixels(1000, 1250);
    let png = carousel::export::png::encode_png(1000, 1250, &pixels).unwrap();
    let mut staging = carousel::build::output::Staging::begin(&deck, &out, false).unwrap().with_pdf_limit(100_000);
    let error =
        staging.add_slide(&png, None, None, "one", &Default::default()).expect_err("the first slide is over the limit");
    assert!(error.contains("deck.pdf` would be over 0.1 MB ("), "{error}");
    assert!(error.contains("MB after 1 of its 2 slides), the largest document LinkedIn takes"), "{error}");
    drop(staging);
    assert!(!out.join("deck.pdf").exists());
    assert!(!out.join("deck/01.png").exists());
    let leftovers: Vec<_> = std::fs::read_dir(&out).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(leftovers.iter().all(|name| name == "deck"), "{leftovers:?}");
}
