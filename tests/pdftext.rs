//! The PDF as a document, read by poppler: `pdftotext` gives each slide's words in reading
//! order (the invisible text layer over the page's picture), emoji included.
//!
//! Without poppler the tests are skipped, except with `CI=true`, where they fail: `.ci/run`
//! installs it (`apt-get install -y poppler-utils`).

use std::path::Path;
use std::process::Command;

mod common;
use common::{bundled_decks, carousel, have, repo, workspace};

use carousel::deck::{self, Deck};
use carousel::scene::Item;

fn load(path: &Path) -> Deck {
    let source = std::fs::read_to_string(path).unwrap();
    let loaded = deck::load(path, &source);
    let messages: Vec<String> = loaded.diagnostics.iter().map(|d| d.render(path, Some(&source), false)).collect();
    loaded.deck.unwrap_or_else(|| panic!("{}", messages.join("")))
}

/// `pdftotext`'s text of `pdf`, pages ended by form feeds; `raw` in content-stream order.
fn pdftotext(pdf: &Path, raw: bool) -> String {
    let mut command = Command::new("pdftotext");
    if raw {
        command.arg("-raw");
    }
    let output = command.arg(pdf).arg("-").output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_string).collect()
}

/// Whether every word of `expected` is found in `found`, in order (other words may come between).
fn in_order(expected: &[String], found: &[String]) -> Result<(), String> {
    let mut rest = found.iter();
    for (index, word) in expected.iter().enumerate() {
        if !rest.any(|w| w == word) {
            return Err(format!("word {index} `{word}` of {expected:?} is missing or out of order"));
        }
    }
    Ok(())
}

#[test]
fn pdftotext_gives_each_slides_words_in_order() {
    if !have("pdftotext", "poppler-utils") {
        return;
    }
    let dir = workspace();
    let output = carousel(dir.path(), &["build", "decks/"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let mut emoji = 0;
    for path in bundled_decks() {
        let deck = load(&path);
        let scenes = carousel::build::layout_deck(&deck).unwrap();
        let pdf = dir.path().join(format!("out/{}.pdf", deck.stem));
        // `-raw` keeps the order of the content stream, the order a screen reader follows; the
        // default reorders by its own reading of the layout (a grid of figures row by row).
        let (raw, laid_out) = (pdftotext(&pdf, true), pdftotext(&pdf, false));
        let (raw, laid_out): (Vec<&str>, Vec<&str>) = (raw.split('\u{c}').collect(), laid_out.split('\u{c}').collect());
        // One form feed after each page.
        assert_eq!(raw.len(), scenes.len() + 1, "{}: {} pages", deck.stem, raw.len() - 1);
        assert_eq!(laid_out.len(), scenes.len() + 1, "{}: {} pages", deck.stem, laid_out.len() - 1);
        for (((scene, slide), page), shown) in scenes.iter().zip(&deck.slides).zip(&raw).zip(&laid_out) {
            // The content in the order it is drawn; the footer's words (author, page number,
            // swipe cue, in their own corners) anywhere.
            let (mut content, mut footer, mut every) = (String::new(), String::new(), String::new());
            for item in &scene.items {
                if let Item::Text(segment) = item {
                    if segment.y > scene.frame.footer_top {
                        footer.push_str(&segment.text);
                        footer.push(' ');
                    } else {
                        content.push_str(&segment.text);
                    }
                    every.push_str(&segment.text);
                    every.push(' ');
                }
            }
            // Spaces aside (segments carry their own; a reader adds some where runs part), the
            // content's characters come out as one stretch, in order.
            let squeeze = |text: &str| text.split_whitespace().collect::<String>();
            let content = squeeze(&content);
            assert!(!content.is_empty(), "{} slide {}: no text drawn", deck.stem, scene.number);
            assert!(
                squeeze(page).contains(&content),
                "{} slide {}: the words are not in the order drawn:\n{content}\npdftotext gave:\n{}",
                deck.stem,
                scene.number,
                squeeze(page)
            );
            let found = words(page);
            // Hyphens aside: this mode joins a word broken at a hyphen at the end of a line.
            let shown = squeeze(shown).replace('-', "");
            for word in &words(&every) {
                assert!(
                    shown.contains(&word.replace('-', "")),
                    "{} slide {}: `{word}` missing from pdftotext's text:\n{shown}",
                    deck.stem,
                    scene.number
                );
            }
            for word in words(&footer) {
                assert!(
                    found.contains(&word),
                    "{} slide {}: footer word `{word}` missing: {page}",
                    deck.stem,
                    scene.number
                );
            }
            if let Some(title) = &slide.heading.title {
                let title = words(&carousel::text::markup::plain_text(&title.value));
                if let Err(e) = in_order(&title, &found) {
                    panic!("{} slide {} title: {e}\npdftotext gave: {page}", deck.stem, scene.number);
                }
            }
            emoji += page.chars().filter(|c| ('\u{1F300}'..='\u{1FAFF}').contains(c)).count();
        }
    }
    assert!(emoji > 0, "the bundled decks draw emoji; pdftotext gave none");
}

/// The same deck gives the same PDF, text layer and fonts included.
#[test]
fn the_pdf_is_the_same_bytes_each_build() {
    let dir = workspace();
    let first = carousel(dir.path(), &["build", "decks/day12.yaml", "-o", "a", "--no-cache"]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let second = carousel(dir.path(), &["build", "decks/day12.yaml", "-o", "b", "--no-cache"]);
    assert!(second.status.success(), "{}", String::from_utf8_lossy(&second.stderr));
    let (a, b) = (
        std::fs::read(dir.path().join("a/day12.pdf")).unwrap(),
        std::fs::read(dir.path().join("b/day12.pdf")).unwrap(),
    );
    assert!(a == b, "two builds of day12 gave different PDFs");
}

/// The document's title, language and outline, as poppler and qpdf read them: `pdfinfo` shows
/// the deck's title, the catalog carries `language:` as `/Lang`, and the outline has one
/// bookmark a slide, its title (or its kind), opening its page.
#[test]
fn readers_show_the_title_language_and_outline() {
    if !have("pdfinfo", "poppler-utils") || !have("qpdf", "qpdf") {
        return;
    }
    let dir = workspace();
    let deck_path = dir.path().join("decks/day5.yaml");
    let source = std::fs::read_to_string(&deck_path).unwrap();
    std::fs::write(&deck_path, format!("language: en-GB\n{source}")).unwrap();
    let output = carousel(dir.path(), &["build", "decks/day5.yaml", "decks/day7.yaml"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    for (stem, language) in [("day5", "en-GB"), ("day7", "en")] {
        let deck = load(&dir.path().join(format!("decks/{stem}.yaml")));
        let pdf = dir.path().join(format!("out/{stem}.pdf"));
        let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
        let info = String::from_utf8(info.stdout).unwrap();
        let title = info.lines().find_map(|l| l.strip_prefix("Title:")).map(str::trim);
        assert_eq!(title, Some(deck.title.as_str()), "{stem}: {info}");
        let catalog = Command::new("qpdf").arg("--show-object=1").arg(&pdf).output().unwrap();
        let catalog = String::from_utf8(catalog.stdout).unwrap();
        assert!(catalog.contains(&format!("/Lang ({language})")), "{stem}: {catalog}");
        assert!(catalog.contains("/Outlines"), "{stem}: {catalog}");
        let json = Command::new("qpdf").arg("--json").arg(&pdf).output().unwrap();
        let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        let outlines = json["outlines"].as_array().unwrap();
        assert_eq!(outlines.len(), deck.slides.len(), "{stem}: one bookmark a slide");
        for (index, (item, slide)) in outlines.iter().zip(&deck.slides).enumerate() {
            assert_eq!(item["destpageposfrom1"], index + 1, "{stem}: bookmark {index} opens its page");
            let expected = carousel::export::pages::bookmark(slide);
            assert_eq!(item["title"], expected.as_str(), "{stem}: bookmark {index}");
            assert!(!expected.is_empty());
        }
    }
}

/// The link annotations of `pdf`: (page index from 0, URI, rect in pixels from the top left as
/// x0, y0, x1, y1), read with `qpdf --json`.
fn link_annotations(pdf: &Path, page_height: f64) -> Vec<(usize, String, [f64; 4])> {
    let output = Command::new("qpdf").arg("--json").arg(pdf).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let objects = &json["qpdf"][1];
    let mut found = Vec::new();
    for (index, page) in json["pages"].as_array().unwrap().iter().enumerate() {
        let page = &objects[format!("obj:{}", page["object"].as_str().unwrap())]["value"];
        for annot in page["/Annots"].as_array().into_iter().flatten() {
            let annot = &objects[format!("obj:{}", annot.as_str().unwrap())]["value"];
            assert_eq!(annot["/Subtype"], "/Link");
            let uri = annot["/A"]["/URI"].as_str().unwrap().trim_start_matches("u:").to_string();
            let r: Vec<f64> = annot["/Rect"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
            let px = |pt: f64| pt / 0.75;
            found.push((index, uri, [px(r[0]), page_height - px(r[3]), px(r[2]), page_height - px(r[1])]));
        }
    }
    found
}

/// Where the slide's ink is in the rows of `rect`, from `margin` px left of it to 1 px right of
/// it (punctuation may follow closely): (leftmost, rightmost) column that differs from the
/// background.
fn ink_columns(png: &Path, rect: [f64; 4], margin: f64) -> Option<(f64, f64)> {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let channels = info.color_type.samples();
    let at = |x: usize, y: usize| &pixels[(y * info.width as usize + x) * channels..][..3];
    let (x0, x1) = ((rect[0] - margin).max(0.0) as usize, ((rect[2] + 1.0) as usize).min(info.width as usize - 1));
    let (y0, y1) = (rect[1].max(0.0) as usize, (rect[3] as usize).min(info.height as usize - 1));
    let background = at(x0, y0).to_vec();
    let ink: Vec<usize> = (x0..=x1)
        .filter(|&x| (y0..=y1).any(|y| at(x, y).iter().zip(&background).any(|(a, b)| a.abs_diff(*b) > 60)))
        .collect();
    Some((*ink.first()? as f64, *ink.last()? as f64))
}

/// `[text](url)` is drawn in the accent and linked where it is drawn; an address drawn as text is
/// linked over each of its lines; each link's box covers its drawn words within a few pixels (the
/// box is the letters' advances, which reach a side bearing past the ink).
#[test]
fn links_cover_their_drawn_words() {
    if !have("qpdf", "qpdf") {
        return;
    }
    let dir = workspace();
    let deck = "title: Links\nslides:\n  - kind: content\n    title: \"Read [the docs](https://example.com/docs) first\"\n    \
                body: \"Everything is at https://example.com/a/very/long/path/that/wraps/over/the/end/of/a/line/for/sure, \
                or mail mailto:jane@example.com.\"\n  - kind: cta\n    title: Bye\n";
    std::fs::write(dir.path().join("decks/links.yaml"), deck).unwrap();
    let output = carousel(dir.path(), &["build", "decks/links.yaml"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let links = link_annotations(&dir.path().join("out/links.pdf"), 1350.0);
    let uris: Vec<&str> = links.iter().map(|(_, uri, _)| uri.as_str()).collect();
    let long = "https://example.com/a/very/long/path/that/wraps/over/the/end/of/a/line/for/sure";
    assert_eq!(uris[0], "https://example.com/docs", "{links:?}");
    assert!(uris.len() >= 4, "the long address is on several lines: {links:?}");
    assert!(uris[1..uris.len() - 1].iter().all(|u| *u == long), "{links:?}");
    assert_eq!(uris.last(), Some(&"mailto:jane@example.com"));
    assert!(links.iter().all(|(page, _, _)| *page == 0), "{links:?}");
    for (_, uri, rect) in &links {
        let (left, right) = ink_columns(&dir.path().join("out/links/01.png"), *rect, 10.0).expect("ink under the link");
        assert!(
            (left - rect[0]).abs() <= 6.0 && (right - rect[2]).abs() <= 6.0,
            "{uri}: link box {rect:?}, drawn from x {left} to {right}"
        );
    }
}

/// Slides in other scripts copy as written: Arabic and Hebrew (set right to left) in their
/// logical order, Devanagari and Thai whole, each slide's title found in `pdftotext`'s text.
#[test]
fn other_scripts_copy_in_their_logical_order() {
    if !have("pdftotext", "poppler-utils") {
        return;
    }
    let dir = workspace();
    common::copy_dir(&repo().join("tests/reference"), &dir.path().join("reference"));
    let decks =
        ["scripts-arabic-portrait", "scripts-hebrew-portrait", "scripts-hindi-portrait", "scripts-thai-portrait"];
    let paths: Vec<String> = decks.iter().map(|d| format!("reference/{d}.yaml")).collect();
    let mut args = vec!["build"];
    args.extend(paths.iter().map(String::as_str));
    let output = carousel(dir.path(), &args);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    for stem in decks {
        let deck = load(&dir.path().join(format!("reference/{stem}.yaml")));
        let text = pdftotext(&dir.path().join(format!("out/{stem}.pdf")), false);
        let pages: Vec<&str> = text.split('\u{c}').collect();
        for (slide, page) in deck.slides.iter().zip(&pages) {
            let Some(title) = &slide.heading.title else { continue };
            // Bidi marks aside, which poppler puts around right-to-left lines.
            let clean = |t: &str| {
                t.chars()
                    .filter(|c| !('\u{200e}'..='\u{200f}').contains(c) && !('\u{202a}'..='\u{202e}').contains(c))
                    .collect::<String>()
            };
            // Spaces aside too: poppler puts the space beside a number in right-to-left text on
            // the number's other side.
            let squeeze = |t: &str| t.split_whitespace().collect::<String>();
            let (found, title) = (squeeze(&clean(page)), squeeze(&carousel::text::markup::plain_text(&title.value)));
            assert!(found.contains(&title), "{stem} slide {}: title `{title}` not in order in:\n{page}", slide.number);
        }
    }
}
