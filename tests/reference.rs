//! Reference-image tests: every deck in `tests/reference/` is built and each slide compared with
//! the PNG stored beside it (`tests/reference/<deck>/NN.png`).
//!
//! Dimensions are checked first; then pixels, with a small per-channel tolerance. On a mismatch
//! the test writes `NN.actual.png` and `NN.diff.png` (changed pixels in red over a faded copy of
//! the reference) next to the reference and fails. After a deliberate change to the look,
//! re-bless every reference with:
//!
//! ```sh
//! CAROUSEL_BLESS=1 cargo test --release --test reference
//! ```

use std::path::{Path, PathBuf};

/// Largest difference allowed in any channel of a pixel.
const CHANNEL_TOLERANCE: u8 = 3;
/// Share of pixels allowed beyond the tolerance (anti-aliasing noise).
const MAX_DIFFERING_SHARE: f64 = 0.0005;

fn decode(path: &Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).expect("open png")));
    let mut reader = decoder.read_info().expect("png header");
    let mut buffer = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buffer).expect("png frame");
    buffer.truncate(info.buffer_size());
    let rgb = match info.color_type {
        png::ColorType::Rgb => buffer,
        png::ColorType::Rgba => buffer.chunks(4).flat_map(|p| [p[0], p[1], p[2]]).collect(),
        other => panic!("{}: unexpected colour type {other:?}", path.display()),
    };
    (info.width, info.height, rgb)
}

fn write_rgb(path: &Path, width: u32, height: u32, rgb: &[u8]) {
    let file = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    let mut encoder = png::Encoder::new(file, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.write_header().expect("header").write_image_data(rgb).expect("data");
}

/// Compares one slide; returns a description of the failure.
fn compare(actual_path: &Path, reference_path: &Path) -> Result<(), String> {
    if !reference_path.exists() {
        return Err(format!("{} has no reference; bless with CAROUSEL_BLESS=1", reference_path.display()));
    }
    let (aw, ah, actual) = decode(actual_path);
    let (rw, rh, reference) = decode(reference_path);
    let stem = reference_path.with_extension("");
    if (aw, ah) != (rw, rh) {
        std::fs::copy(actual_path, stem.with_extension("actual.png")).ok();
        return Err(format!("{}: size {aw}x{ah}, reference {rw}x{rh}", reference_path.display()));
    }
    let mut differing = 0usize;
    let mut diff = Vec::with_capacity(reference.len());
    for (a, r) in actual.chunks(3).zip(reference.chunks(3)) {
        let off = a.iter().zip(r).any(|(x, y)| x.abs_diff(*y) > CHANNEL_TOLERANCE);
        if off {
            differing += 1;
            diff.extend_from_slice(&[255, 0, 0]);
        } else {
            diff.extend(r.iter().map(|v| 128 + v / 2));
        }
    }
    let share = differing as f64 / (aw as f64 * ah as f64);
    if share > MAX_DIFFERING_SHARE {
        std::fs::copy(actual_path, stem.with_extension("actual.png")).ok();
        write_rgb(&stem.with_extension("diff.png"), aw, ah, &diff);
        return Err(format!(
            "{}: {differing} pixels ({:.3}%) differ by more than {CHANNEL_TOLERANCE}; see {}",
            reference_path.display(),
            share * 100.0,
            stem.with_extension("diff.png").display()
        ));
    }
    Ok(())
}

/// Whether the machine has a CJK font for the `cjk-` decks: CI installs `fonts-noto-cjk`, so there
/// it must.
fn cjk_fonts() -> bool {
    let missing = carousel::fonts::Fonts::shared().find_on_system(&['漢', 'か']);
    assert!(missing.is_empty() || std::env::var_os("CI").is_none(), "CI needs a CJK font (fonts-noto-cjk)");
    missing.is_empty()
}

#[test]
fn slides_match_their_reference_images() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference");
    let bless = std::env::var_os("CAROUSEL_BLESS").is_some();
    let out = tempfile::tempdir().expect("tempdir");
    let mut decks: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/reference")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    decks.sort();
    assert!(decks.len() >= 4, "reference decks missing");
    let options = carousel::build::Options {
        out_dir: out.path().to_path_buf(),
        svg: false,
        check_only: false,
        deny_warnings: false,
        cache: false,
        allow_outside: Vec::new(),
        platforms: Vec::new(),
    };
    let mut failures = Vec::new();
    for deck in &decks {
        let name = deck.file_name().unwrap_or_default().to_string_lossy();
        if name.starts_with("cjk-") && !cjk_fonts() {
            eprintln!("skipped {name}: no CJK font on this machine (Debian: fonts-noto-cjk)");
            continue;
        }
        let report = carousel::build::run_one(deck, &options);
        let messages: Vec<String> =
            report.diagnostics.iter().map(|d| d.render(deck, report.source.as_deref(), false)).collect();
        assert!(!report.failed(), "{} failed to build:\n{}", deck.display(), messages.join(""));
        let stem = deck.file_stem().unwrap().to_string_lossy().into_owned();
        let reference_dir = root.join(&stem);
        std::fs::create_dir_all(&reference_dir).unwrap();
        for number in 1..=report.slides {
            let name = format!("{number:02}.png");
            let actual = out.path().join(&stem).join(&name);
            let reference = reference_dir.join(&name);
            if bless {
                std::fs::copy(&actual, &reference).expect("bless");
                continue;
            }
            if let Err(failure) = compare(&actual, &reference) {
                failures.push(failure);
            }
        }
    }
    assert!(failures.is_empty(), "reference images differ:\n{}", failures.join("\n"));
}
