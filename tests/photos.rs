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

// --- Photos as authors have them: every format and oddity goes through the one decoder. ---

use common::images;

/// The raster images embedded in an SVG, decoded (upright sRGB, as the slide draws them).
fn embedded(svg: &str) -> Vec<carousel::media::pixels::Pixels> {
    use base64::Engine;
    let mut found = Vec::new();
    for (mime, format) in [
        ("data:image/jpeg;base64,", carousel::media::asset::ImageFormat::Jpeg),
        ("data:image/png;base64,", carousel::media::asset::ImageFormat::Png),
    ] {
        for piece in svg.split(mime).skip(1) {
            let data = &piece[..piece.find('"').unwrap()];
            let bytes = base64::engine::general_purpose::STANDARD.decode(data).unwrap();
            found.push(carousel::media::pixels::decode(&bytes, format).expect("an image the build wrote"));
        }
    }
    found
}

fn near(got: [u8; 4], want: [u8; 3], tolerance: i32) -> bool {
    (0..3).all(|c| (got[c] as i32 - want[c] as i32).abs() <= tolerance)
}

/// The committed fixtures are what the generator makes (`CAROUSEL_BLESS=1` writes them again).
#[test]
fn damaged_jpeg_fixtures_are_what_the_generator_makes() {
    let fixtures = [
        ("tests/bad/assets/truncated.jpg", images::truncated_jpeg(false)),
        ("tests/bad/assets/corrupt.jpg", images::corrupt_jpeg(false, 3)),
        ("tests/bad/assets/corrupt-progressive.jpg", images::corrupt_jpeg(true, 5)),
    ];
    for (path, bytes) in fixtures {
        let path = common::repo().join(path);
        if std::env::var_os("CAROUSEL_BLESS").is_some() {
            std::fs::write(&path, &bytes).unwrap();
        }
        assert_eq!(std::fs::read(&path).ok(), Some(bytes), "{} differs from the generator's", path.display());
    }
}

#[test]
fn phone_photos_are_drawn_upright_wherever_they_are_used() {
    let dir = tempfile::tempdir().unwrap();
    for orientation in 1..=8 {
        std::fs::write(dir.path().join(format!("o{orientation}.jpg")), images::oriented_jpeg(orientation)).unwrap();
    }
    let mut deck = String::from("title: T\nauthor: {name: Jane Doe, avatar: o6.jpg}\nslides:\n");
    for orientation in 1..=8 {
        deck.push_str(&format!(
            "  - {{kind: content, title: O{orientation}, image: {{path: o{orientation}.jpg, fit: contain}}}}\n"
        ));
    }
    deck.push_str("  - {kind: hook, title: Back, background: o8.jpg}\n");
    std::fs::write(dir.path().join("deck.yaml"), deck).unwrap();
    let output = carousel(dir.path(), &["build", "deck.yaml", "--svg"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    for n in 1..=9 {
        let svg = std::fs::read_to_string(dir.path().join(format!("out/deck/{n:02}.svg"))).unwrap();
        let pictures = embedded(&svg);
        assert!(!pictures.is_empty(), "slide {n} has no picture");
        for picture in pictures {
            // Red top-left, green top-right, grey below; orientations 5 to 8 (and the background) portrait.
            if n >= 5 {
                assert!(
                    picture.height > picture.width,
                    "slide {n}: {}x{} is not portrait",
                    picture.width,
                    picture.height
                );
            }
            let (w, h) = (picture.width, picture.height);
            let at =
                |fx: f32, fy: f32| picture.at(((w as f32 * fx) as u32).min(w - 1), ((h as f32 * fy) as u32).min(h - 1));
            assert!(near(at(0.1, 0.06), images::RED, 40), "slide {n}: top-left is {:?}", at(0.1, 0.06));
            assert!(near(at(0.9, 0.06), images::GREEN, 40), "slide {n}: top-right is {:?}", at(0.9, 0.06));
            assert!(near(at(0.5, 0.94), images::GREY, 30), "slide {n}: bottom is {:?} ({w}x{h})", at(0.5, 0.94));
        }
    }
}

#[test]
fn every_format_builds_in_its_colours() {
    let dir = tempfile::tempdir().unwrap();
    let cyan = images::cmyk_as_rgb([255, 0, 0, 0]);
    let red = [images::RED[0], images::RED[1], images::RED[2]];
    let files: Vec<(&str, Vec<u8>, [u8; 3])> = vec![
        ("cmyk-adobe.jpg", images::cmyk_jpeg([255, 0, 0, 0], true, false), cyan),
        ("cmyk-plain.jpg", images::cmyk_jpeg([255, 0, 0, 0], false, false), cyan),
        ("ycck.jpg", images::cmyk_jpeg([0, 200, 180, 60], true, true), images::cmyk_as_rgb([0, 200, 180, 60])),
        ("p3.png", images::p3_png(), [255, 0, 0]),
        ("p3.jpg", images::p3_jpeg(), [255, 0, 0]),
        ("lossless.webp", images::webp_lossless_alpha(), red),
        ("lossy.webp", std::fs::read(common::repo().join("tests/images/lossy.webp")).unwrap(), red),
        ("lossy-alpha.webp", std::fs::read(common::repo().join("tests/images/lossy-alpha.webp")).unwrap(), red),
        ("animated.gif", images::animated_gif(), red),
        // Named .png, but a WebP: the bytes decide, not the name.
        ("named-wrong.png", images::webp_lossless_alpha(), red),
    ];
    let mut deck = String::from("title: T\nslides:\n");
    for (name, bytes, _) in &files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
        deck.push_str(&format!("  - {{kind: content, title: {name}, image: {{path: {name}, fit: contain}}}}\n"));
    }
    std::fs::write(dir.path().join("deck.yaml"), deck).unwrap();
    let output = carousel(dir.path(), &["build", "deck.yaml", "--svg"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    for (n, (name, _, want)) in files.iter().enumerate() {
        let svg = std::fs::read_to_string(dir.path().join(format!("out/deck/{:02}.svg", n + 1))).unwrap();
        let pictures = embedded(&svg);
        assert_eq!(pictures.len(), 1, "{name}");
        let p = &pictures[0];
        // The colour at the top-left of the picture (where every test picture has its colour).
        let got = p.at(p.width / 10, p.height / 10);
        assert!(near(got, *want, 8), "{name}: {got:?}, want {want:?}");
        assert_eq!(got[3], 255, "{name}");
        if name.contains("alpha") || name.ends_with(".webp") && !name.starts_with("lossy.") {
            assert!(p.at(p.width - 1 - p.width / 10, p.height / 2)[3] < 200, "{name} lost its alpha");
        }
    }
    // The slides' PNGs are drawn from them: the P3 slide shows sRGB red somewhere, never (234, 51, 35).
    let png = std::fs::read(dir.path().join("out/deck/04.png")).unwrap();
    let slide = carousel::media::pixels::decode(&png, carousel::media::asset::ImageFormat::Png).unwrap();
    let reds = slide.rgba.chunks_exact(4).filter(|p| near([p[0], p[1], p[2], 255], [255, 0, 0], 6)).count();
    let dull = slide.rgba.chunks_exact(4).filter(|p| near([p[0], p[1], p[2], 255], images::P3_RED, 6)).count();
    assert!(reds > 100 && dull < 10, "{reds} red pixels, {dull} unconverted");
}

#[test]
fn check_refuses_damaged_and_unreadable_photos_with_where_and_why() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cut.jpg"), images::truncated_jpeg(true)).unwrap();
    std::fs::write(dir.path().join("noise.jpg"), images::corrupt_jpeg(false, 7)).unwrap();
    std::fs::copy(common::repo().join("tests/images/photo.heic"), dir.path().join("iphone.jpg")).unwrap();
    std::fs::write(
        dir.path().join("deck.yaml"),
        "title: T\nauthor: {name: Jane, avatar: iphone.jpg}\nslides:\n  - kind: content\n    image: cut.jpg\n  - kind: hook\n    title: Hi\n    background: noise.jpg\n",
    )
    .unwrap();
    let output = carousel(dir.path(), &["check", "deck.yaml"]);
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(
        message.contains("deck.yaml:2:30: error") && message.contains("`iphone.jpg`: this is a HEIC/HEIF image"),
        "{message}"
    );
    assert!(message.contains("Most Compatible") && message.contains("sips -s format jpeg"), "{message}");
    assert!(
        message.contains("deck.yaml:5:12: error") && message.contains("`cut.jpg`: the JPEG is cut short"),
        "{message}"
    );
    assert!(
        message.contains("deck.yaml:8:17: error") && message.contains("`noise.jpg`: the JPEG is damaged"),
        "{message}"
    );
    assert!(!message.contains("panicked"), "{message}");
}
