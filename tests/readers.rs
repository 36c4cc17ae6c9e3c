//! The PDF opened by real readers, not only by our own byte checks: `qpdf --check` (structure,
//! cross-reference table, streams) and poppler's `pdftoppm`, whose rendering of each page must be
//! the slide's PNG, pixel for pixel within a small tolerance (the page is that PNG, embedded).
//!
//! Without the tools the tests are skipped, except with `CI=true`, where they fail: `.ci/run`
//! installs them (`apt-get install -y qpdf poppler-utils`).

use std::path::Path;
use std::process::Command;

mod common;
use common::{have, workspace};

fn build(dir: &Path, deck: &str) {
    let output = Command::new(env!("CARGO_BIN_EXE_carousel"))
        .args(["build", deck])
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

/// A PNG as RGB pixels: (width, height, pixels).
fn rgb(path: &Path) -> (u32, u32, Vec<u8>) {
    let mut decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    pixels.truncate(info.buffer_size());
    let channels = info.color_type.samples();
    let pixels = match channels {
        3 => pixels,
        4 => pixels.chunks(4).flat_map(|p| [p[0], p[1], p[2]]).collect(),
        1 => pixels.iter().flat_map(|&g| [g, g, g]).collect(),
        n => panic!("{}: {n} channels", path.display()),
    };
    (info.width, info.height, pixels)
}

#[test]
fn qpdf_finds_no_fault_in_the_pdfs() {
    if !have("qpdf", "qpdf") {
        return;
    }
    let dir = workspace();
    build(dir.path(), "decks/");
    for deck in ["day5", "day2", "day7", "day10", "day12", "codecollab"] {
        let pdf = dir.path().join(format!("out/{deck}.pdf"));
        let output = Command::new("qpdf").arg("--check").arg(&pdf).output().unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        // Exit 0: no errors and no warnings (3 is warnings, 2 errors).
        assert_eq!(output.status.code(), Some(0), "{deck}: {text}{}", String::from_utf8_lossy(&output.stderr));
        assert!(text.contains("No syntax or stream encoding errors found"), "{deck}: {text}");
    }
}

/// Renders page `n` of `pdf` with poppler's `tool` (`pdftocairo` or `pdftoppm`) at 96 dpi, the
/// resolution at which a page is its slide's size in pixels; returns the PNG's path.
fn render(tool: &str, pdf: &Path, n: usize, out: &Path) -> std::path::PathBuf {
    let page = n.to_string();
    let output = Command::new(tool)
        .args(["-png", "-singlefile", "-r", "96", "-f", &page, "-l", &page])
        .arg(pdf)
        .arg(out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{tool} page {n}: {}", String::from_utf8_lossy(&output.stderr));
    out.with_extension("png")
}

/// The pages whose slide image is a JPEG (DCT) stream, from `pdfimages -list`.
fn jpeg_pages(pdf: &Path) -> Vec<usize> {
    let output = Command::new("pdfimages").arg("-list").arg(pdf).output().unwrap();
    assert!(output.status.success(), "pdfimages: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .skip(2)
        .filter(|line| line.split_whitespace().nth(8) == Some("jpeg"))
        .filter_map(|line| line.split_whitespace().next()?.parse().ok())
        .collect()
}

/// Per-channel differences of two RGB images of one size: (mean, share over 16, largest).
fn differences(a: &[u8], b: &[u8]) -> (f64, f64, u8) {
    let (mut sum, mut far, mut largest) = (0u64, 0usize, 0u8);
    for (x, y) in a.iter().zip(b) {
        let d = x.abs_diff(*y);
        sum += u64::from(d);
        far += usize::from(d > 16);
        largest = largest.max(d);
    }
    (sum as f64 / a.len() as f64, far as f64 / a.len() as f64, largest)
}

/// Every page, rendered by poppler at the slide's size, is the slide's PNG. Cairo (`pdftocairo`)
/// draws the embedded image pixel for pixel: every channel within 3, as the reference images
/// allow. Splash (`pdftoppm`) smooths images as it draws them, so edges move by up to a couple
/// hundred levels over about 2% of channels: there the page must match on average (a wrong,
/// shifted or blank page is off by 10 or more).
#[test]
fn poppler_draws_each_page_as_its_slide() {
    if !have("pdftoppm", "poppler-utils") || !have("pdftocairo", "poppler-utils") {
        return;
    }
    let dir = workspace();
    for deck in ["day5", "day7", "day12"] {
        build(dir.path(), &format!("decks/{deck}.yaml"));
        let pdf = dir.path().join(format!("out/{deck}.pdf"));
        let slides = std::fs::read_dir(dir.path().join(format!("out/{deck}"))).unwrap().count();
        assert!(slides >= 6, "{deck}: {slides} slides");
        let photographic = jpeg_pages(&pdf);
        for n in 1..=slides {
            let (width, height, expected) = rgb(&dir.path().join(format!("out/{deck}/{n:02}.png")));
            for tool in ["pdftocairo", "pdftoppm"] {
                let page = render(tool, &pdf, n, &dir.path().join(format!("{tool}-{deck}-{n}")));
                let (page_width, page_height, drawn) = rgb(&page);
                assert_eq!((page_width, page_height), (width, height), "{tool}: {deck} page {n}");
                let (mean, far, largest) = differences(&expected, &drawn);
                let close = match (tool, photographic.contains(&n)) {
                    ("pdftocairo", false) => largest <= 3,
                    // A photographic page is a JPEG at q90: close on average, never lossless.
                    ("pdftocairo", true) => mean < 1.5 && far < 0.01,
                    _ => mean < 2.5 && far < 0.05,
                };
                assert!(
                    close,
                    "{tool}: {deck} page {n} is not its slide: mean difference {mean:.3}, {:.2}% of \
                     channels off by more than 16, largest {largest}",
                    far * 100.0
                );
            }
        }
    }
}
