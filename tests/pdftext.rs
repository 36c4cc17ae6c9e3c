//! The PDF as a document, read by poppler: `pdftotext` gives each slide's words in reading
//! order (the invisible text layer over the page's picture), emoji included.
//!
//! Without poppler the tests are skipped, except with `CI=true`, where they fail: `.ci/run`
//! installs it (`apt-get install -y poppler-utils`).

use std::path::Path;
use std::process::Command;

mod common;
use common::{carousel, repo, workspace};

use carousel::deck::{self, Deck};
use carousel::scene::Item;

/// Whether `tool` runs; when it does not, skips (false) or, on CI, fails.
fn have(tool: &str, package: &str) -> bool {
    let found = Command::new(tool).arg("-v").output().is_ok();
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but no `{tool}`: .ci/run installs it (apt-get install -y {package})"
        );
        eprintln!("skipped: no `{tool}` (apt-get install -y {package} to run this test)");
    }
    found
}

fn load(path: &Path) -> Deck {
    let source = std::fs::read_to_string(path).unwrap();
    let loaded = deck::load(path, &source);
    let messages: Vec<String> = loaded.diagnostics.iter().map(|d| d.render(path, Some(&source), false)).collect();
    loaded.deck.unwrap_or_else(|| panic!("{}", messages.join("")))
}

/// The bundled decks (`decks/*.yaml`), sorted.
fn bundled_decks() -> Vec<std::path::PathBuf> {
    let mut decks: Vec<_> = std::fs::read_dir(repo().join("decks"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    decks.sort();
    decks
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
