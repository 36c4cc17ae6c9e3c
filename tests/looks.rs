//! Looks (`look:`): every look holds every bundled deck in every shape, and the looks are
//! different designs, not one design in other colours.

use std::path::Path;

use carousel::design::look;

mod common;
use common::{bundled_decks, carousel, repo};

/// A deck's text with its `look:`, `theme:` and `size:` replaced (and its `accent:` dropped).
fn restyled(source: &str, look: &str, theme: Option<&str>, size: &str) -> String {
    let mut out = format!("look: {look}\nsize: {size}\n");
    if let Some(theme) = theme {
        out.push_str(&format!("theme: {theme}\n"));
    }
    let mut skipping = false;
    for line in source.lines() {
        let top = !line.starts_with(' ') && !line.starts_with('\t');
        if top {
            // A deck's own accent was chosen for its own theme's background.
            skipping = ["look:", "size:", "theme:", "accent:"].iter().any(|key| line.starts_with(key));
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[test]
fn every_look_lays_out_every_bundled_deck_in_every_shape() {
    use rayon::prelude::*;
    let mut jobs = Vec::new();
    for deck in bundled_decks() {
        for look in look::ALL {
            for size in ["portrait", "square", "landscape"] {
                jobs.push((deck.clone(), look.name, size));
            }
        }
    }
    let failures: Vec<String> = jobs
        .par_iter()
        .filter_map(|(deck, look, size)| {
            let source = restyled(&std::fs::read_to_string(deck).unwrap(), look, None, size);
            let loaded = carousel::deck::load(deck, &source);
            let errors: Vec<String> = loaded
                .diagnostics
                .iter()
                .filter(|d| d.severity == carousel::read::diag::Severity::Error)
                .map(|d| d.message.clone())
                .collect();
            if !errors.is_empty() {
                return Some(format!("{} in {look}, {size}: {}", deck.display(), errors.join("; ")));
            }
            let deck_read = loaded.deck?;
            match carousel::build::layout_deck(&deck_read) {
                Ok(_) => None,
                Err(errors) => Some(format!(
                    "{} in {look}, {size}: {}",
                    deck.display(),
                    errors.iter().map(|d| d.message.clone()).collect::<Vec<_>>().join("; ")
                )),
            }
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Decodes a PNG into RGB bytes.
fn pixels(path: &Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buffer).unwrap();
    buffer.truncate(info.buffer_size());
    let rgb = match info.color_type {
        png::ColorType::Rgba => buffer.chunks(4).flat_map(|p| [p[0], p[1], p[2]]).collect(),
        _ => buffer,
    };
    (info.width, info.height, rgb)
}

/// The share of pixels that differ by more than a faint shade in some channel.
fn differing_share(a: &Path, b: &Path) -> f64 {
    let (aw, ah, a) = pixels(a);
    let (bw, bh, b) = pixels(b);
    assert_eq!((aw, ah), (bw, bh));
    let differing =
        a.chunks(3).zip(b.chunks(3)).filter(|(x, y)| x.iter().zip(*y).any(|(p, q)| p.abs_diff(*q) > 24)).count();
    differing as f64 / (aw as f64 * ah as f64)
}

#[test]
fn looks_differ_beyond_a_palette() {
    let dir = tempfile::tempdir().unwrap();
    let source = std::fs::read_to_string(repo().join("tests/reference/kinds-portrait.yaml")).unwrap();
    std::fs::create_dir_all(dir.path().join("assets")).unwrap();
    for asset in ["jane.svg", "gradient.png"] {
        std::fs::copy(repo().join("tests/reference/assets").join(asset), dir.path().join("assets").join(asset))
            .unwrap();
    }
    // Each look in its own palette, and in the tech look's palette: what is left is the design.
    for look in look::ALL {
        for (suffix, theme) in [("own", None), ("midnight", Some("midnight"))] {
            let name = format!("{}-{suffix}.yaml", look.name);
            std::fs::write(dir.path().join(&name), restyled(&source, look.name, theme, "portrait")).unwrap();
            let output = carousel(dir.path(), &["build", &name, "--svg", "--no-cache"]);
            assert!(output.status.success(), "{name}: {}", String::from_utf8_lossy(&output.stderr));
        }
    }
    let out = dir.path().join("out");
    let slide = |look: &str, suffix: &str, n: usize| out.join(format!("{look}-{suffix}/{n:02}.png"));
    let svg = |look: &str, n: usize| std::fs::read_to_string(out.join(format!("{look}-own/{n:02}.svg"))).unwrap();

    // Title families: the editorial look's serif, the bold look's League Spartan, Inter elsewhere.
    assert!(svg("editorial", 3).contains("font-family=\"Noto Serif Display\""));
    assert!(svg("bold", 3).contains("font-family=\"League Spartan\""));
    assert!(!svg("tech", 3).contains("Noto Serif Display") && !svg("tech", 3).contains("League Spartan"));
    // The bold look's hook is drawn on the accent: its background is the palette's accent.
    let volt = carousel::design::theme::Theme::built_in("volt").unwrap();
    assert!(svg("bold", 1).contains(&format!(".background{{fill:{}}}", volt.accent)), "bold hook not on the accent");

    // In one palette (midnight), every pair of looks differs on the hook and on a content slide
    // far beyond anti-aliasing (the reference tests allow 0.05%): other decorations, type, places.
    let names: Vec<&str> = look::ALL.iter().map(|l| l.name).collect();
    for (i, a) in names.iter().enumerate() {
        for b in &names[i + 1..] {
            for n in [1, 4] {
                let share = differing_share(&slide(a, "midnight", n), &slide(b, "midnight", n));
                assert!(share > 0.01, "{a} and {b} differ on {share:.4} of slide {n} in one palette");
            }
        }
    }
    // And each look's own palette sets it further apart from tech's (bold is dark too).
    for look in &names[1..] {
        let share = differing_share(&slide("tech", "own", 2), &slide(look, "own", 2));
        let least = if *look == "bold" { 0.05 } else { 0.5 };
        assert!(share > least, "{look} vs tech: {share:.3} of the problem slide differs");
    }
}

#[test]
fn looks_lists_every_look_and_new_starts_a_deck_in_one() {
    let dir = tempfile::tempdir().unwrap();
    let output = carousel(dir.path(), &["looks"]);
    assert!(output.status.success());
    let listed = String::from_utf8_lossy(&output.stdout).into_owned();
    for look in look::ALL {
        assert!(listed.lines().any(|l| l.starts_with(look.name) && l.len() > look.name.len() + 20), "{listed}");
    }
    let output = carousel(dir.path(), &["new", "talk", "--look", "editorial"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let deck = std::fs::read_to_string(dir.path().join("talk.yaml")).unwrap();
    assert!(deck.contains("\nlook: editorial "), "{deck}");
    let output = carousel(dir.path(), &["build", "talk.yaml", "--svg"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(std::fs::read_to_string(dir.path().join("out/talk/02.svg")).unwrap().contains("Noto Serif Display"));
    let output = carousel(dir.path(), &["new", "other", "--look", "fancy"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("`fancy` is not a look"));
}
