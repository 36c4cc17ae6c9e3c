//! Layout properties over real decks: nothing leaves the safe area, long text shrinks to its
//! floor and no further, and what cannot fit is an error that names slide and block.

use std::path::{Path, PathBuf};

use carousel::deck::{self, Deck};
use carousel::scene::Item;

fn load(path: &Path, source: &str) -> Deck {
    let loaded = deck::load(path, source);
    let messages: Vec<String> = loaded.diagnostics.iter().map(|d| d.render(path, Some(source), false)).collect();
    loaded.deck.unwrap_or_else(|| panic!("{}", messages.join("")))
}

fn all_decks() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut decks = Vec::new();
    for dir in ["decks", "tests/reference"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "yaml") {
                decks.push(path);
            }
        }
    }
    decks.sort();
    decks
}

#[test]
fn text_stays_inside_the_safe_margins() {
    for path in all_decks() {
        let source = std::fs::read_to_string(&path).unwrap();
        let deck = load(&path, &source);
        let scenes = carousel::build::layout_deck(&deck).unwrap_or_else(|e| panic!("{}: {:?}", path.display(), e));
        let (w, h) = (deck.size.width as f32, deck.size.height as f32);
        // At least 7% of the short side on every edge (the built-ins use about 8.9%).
        let margin = w.min(h) * 0.07;
        for scene in &scenes {
            for item in &scene.items {
                let (x0, y0, x1, y1) = match item {
                    Item::Text(s) => (s.x, s.y - s.size, s.x + s.advance, s.y),
                    Item::Rect { rect, .. } | Item::Image { rect, .. } => (rect.x, rect.y, rect.right(), rect.bottom()),
                    Item::Icon { x, y, size, .. } => (*x, *y, x + size, y + size),
                    _ => continue,
                };
                let inside =
                    x0 >= margin - 1.0 && x1 <= w - margin + 1.0 && y0 >= margin - 1.0 && y1 <= h - margin + 1.0;
                assert!(inside, "{} slide {}: {item:?} outside the safe area", path.display(), scene.number);
            }
        }
    }
}

#[test]
fn body_text_is_readable_on_a_phone() {
    for path in all_decks() {
        let source = std::fs::read_to_string(&path).unwrap();
        let deck = load(&path, &source);
        let scenes = carousel::build::layout_deck(&deck).unwrap();
        let smallest_allowed = 24.0 * deck.size.width.min(deck.size.height) as f32 / 1080.0;
        for scene in &scenes {
            for item in &scene.items {
                if let Item::Text(s) = item {
                    assert!(
                        s.size >= smallest_allowed - 0.01,
                        "{} slide {}: {:?} at {} px",
                        path.display(),
                        scene.number,
                        s.text,
                        s.size
                    );
                }
            }
        }
    }
}

fn body_size(deck: &Deck) -> f32 {
    let scenes = carousel::build::layout_deck(deck).unwrap();
    scenes[0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text(s) if s.face.family == "Inter" && s.face.weight == 400 => Some(s.size),
            _ => None,
        })
        .fold(0.0, f32::max)
}

#[test]
fn long_content_shrinks_down_to_the_floor_and_then_fails() {
    let path = Path::new("mem.yaml");
    let short = load(path, "title: T\nslides:\n  - kind: content\n    title: Short\n    body: A few words.\n");
    let words = |n: usize| vec!["carousel"; n].join(" ");
    let long =
        load(path, &format!("title: T\nslides:\n  - kind: content\n    title: Long\n    body: {}\n", words(110)));
    let (short_size, long_size) = (body_size(&short), body_size(&long));
    assert!(short_size >= 38.0, "a sparse slide is set at least at the base size, got {short_size}");
    assert!(long_size < short_size && long_size >= 30.0, "long body set at {long_size}");

    let too_long =
        load(path, &format!("title: T\nslides:\n  - kind: content\n    title: Too long\n    body: {}\n", words(330)));
    let errors = carousel::build::layout_deck(&too_long).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].message.contains("slide 1 (content) does not fit"), "{}", errors[0].message);
    assert!(errors[0].message.contains("`body`"), "{}", errors[0].message);
    assert_eq!(errors[0].pos.line, 5, "points at the body");
}

/// The lowest baseline of the text runs whose words include `word`.
fn baseline_of(scene: &carousel::scene::Scene, word: &str) -> f32 {
    scene
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Text(s) if s.text.contains(word) => Some(s.y),
            _ => None,
        })
        .fold(f32::NAN, f32::max)
}

#[test]
fn blocks_are_drawn_in_the_order_written() {
    // The results layout once drew a quote first, whatever the author wrote.
    let source = "title: Order\nslides:\n  - kind: results\n    title: Moral last\n    bullets: [Alphaword first]\n    quote: Omegaword after\n  - kind: results\n    title: Moral first\n    quote: Omegaword before\n    bullets: [Alphaword after]\n";
    let deck = load(Path::new("order.yaml"), source);
    let scenes = carousel::build::layout_deck(&deck).unwrap();
    let (bullets, quote) = (baseline_of(&scenes[0], "Alphaword"), baseline_of(&scenes[0], "Omegaword"));
    assert!(bullets < quote, "slide 1: bullets at {bullets}, quote at {quote}");
    let (bullets, quote) = (baseline_of(&scenes[1], "Alphaword"), baseline_of(&scenes[1], "Omegaword"));
    assert!(quote < bullets, "slide 2: quote at {quote}, bullets at {bullets}");
    assert!(scenes[0].alt.find("Alphaword") < scenes[0].alt.find("Omegaword"), "{}", scenes[0].alt);
}
