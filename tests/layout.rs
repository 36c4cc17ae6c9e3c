//! Layout properties over real decks: nothing leaves the safe area, long text shrinks to its
//! floor and no further, and what cannot fit is an error that names slide and block.

mod common;

use common::all_decks;
use std::path::{Path, PathBuf};

use carousel::deck::{self, Deck};
use carousel::scene::Item;

fn load(path: &Path, source: &str) -> Deck {
    let loaded = deck::load(path, source);
    let messages: Vec<String> = loaded.diagnostics.iter().map(|d| d.render(path, Some(source), false)).collect();
    loaded.deck.unwrap_or_else(|| panic!("{}", messages.join("")))
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
                // A background photo and its scrim are full-bleed by design.
                if let Item::Image { rect, .. } | Item::Rect { rect, .. } = item {
                    if rect.x <= 0.0 && rect.y <= 0.0 && rect.width >= w && rect.height >= h {
                        continue;
                    }
                }
                let (x0, y0, x1, y1) = match item {
                    Item::Text(s) => (s.x, s.y - s.size, s.x + s.advance, s.y),
                    Item::Rect { rect, .. } | Item::Image { rect, .. } => (rect.x, rect.y, rect.right(), rect.bottom()),
                    Item::Icon { x, y, size, .. } => (*x, *y, x + size, y + size),
                    _ => continue,
                };
                // The translucent panel behind a quote over a photo may reach halfway into the
                // margin: its words keep out of it.
                let margin = match item {
                    Item::Rect { opacity, .. } if *opacity > 0.8 && *opacity < 1.0 => margin / 2.0,
                    _ => margin,
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

/// Every bundled and reference deck, set in `size` (images and layouts still found beside it).
fn all_decks_at(size: carousel::geom::Size) -> Vec<(PathBuf, Deck)> {
    all_decks()
        .into_iter()
        .map(|path| {
            let source = std::fs::read_to_string(&path).unwrap();
            let mut deck = load(&path, &source);
            deck.size = size;
            (path, deck)
        })
        .collect()
}

/// The layout of a slide's kind in `deck`.
fn template_of(deck: &Deck, slide: &carousel::deck::Slide) -> carousel::design::template::Template {
    carousel::design::template::load(slide.kind, deck.layouts.as_deref(), deck.look).unwrap()
}

/// Whether a landscape slide has enough to spread: two blocks or more, or one that is a grid
/// or a diagram by nature.
fn has_enough_to_spread(slide: &carousel::deck::Slide) -> bool {
    use carousel::blocks::Content;
    slide.blocks.len() >= 2
        || slide.blocks.iter().any(|b| match b {
            Content::Metrics(m) => m.items.len() >= 2,
            Content::Compare(_) | Content::Steps(_) | Content::Table(_) => true,
            _ => false,
        })
}

#[test]
fn landscape_slides_use_the_width() {
    let size = carousel::geom::Size::LANDSCAPE;
    let mut measured = 0;
    for (path, deck) in all_decks_at(size) {
        // Decks too dense for a landscape slide are reported as errors; the others must spread.
        let Ok(scenes) = carousel::build::layout_deck(&deck) else { continue };
        for (slide, scene) in deck.slides.iter().zip(&scenes) {
            if !has_enough_to_spread(slide) {
                continue;
            }
            let footer_top = template_of(&deck, slide).footer_on(size).y;
            let (mut left, mut right) = (f32::MAX, f32::MIN);
            for item in &scene.items {
                if let Item::Text(s) = item {
                    if s.y < footer_top {
                        left = left.min(s.x);
                        right = right.max(s.x + s.advance);
                    }
                }
            }
            let spread = (right - left) / size.width as f32;
            assert!(
                spread >= 0.6,
                "{} slide {}: text spans {:.0}% of the width, want 60%",
                path.display(),
                scene.number,
                spread * 100.0
            );
            measured += 1;
        }
    }
    assert!(measured >= 10, "only {measured} slides measured");
}

/// On portrait and square, every content slide of a deck (every kind whose layout puts its title
/// on a line) puts its title on one line, whatever its kind, so a swipe never moves it. (On
/// landscape a slide too tall for the line may keep its own; `tests/composition.rs` bounds that.)
#[test]
fn content_titles_share_the_decks_line() {
    for size in [carousel::geom::Size::PORTRAIT, carousel::geom::Size::SQUARE] {
        for (path, deck) in all_decks_at(size) {
            let Ok(scenes) = carousel::build::layout_deck(&deck) else { continue };
            let mut line = None;
            for (slide, scene) in deck.slides.iter().zip(&scenes) {
                let on_line = template_of(&deck, slide).params.valign == carousel::design::template::VAlign::Line;
                let Some(title) = scene.frame.block("title").filter(|_| on_line) else { continue };
                let top = title.rect.y;
                let line = *line.get_or_insert((top, slide.number));
                assert!(
                    (top - line.0).abs() < 1.5,
                    "{} at {}x{}: slide {} ({}) puts its title at {top:.0}, slide {} at {:.0}",
                    path.display(),
                    size.width,
                    size.height,
                    scene.number,
                    slide.kind.name(),
                    line.1,
                    line.0
                );
            }
        }
    }
}

/// An icon's tile sits above the title line, like the kicker: a slide of a kind with an icon
/// lowers the line for every slide of its kind, so the title does not jump on the swipe.
#[test]
fn an_icon_keeps_the_title_on_its_kinds_line() {
    for size in ["portrait", "square", "landscape"] {
        let source = format!(
            "title: t\nsize: {size}\nslides:\n  - {{ kind: learnings, icon: list-checks, title: Steadyword one, bullets: [a, b, c] }}\n  - {{ kind: learnings, title: Steadyword two, bullets: [a, b, c] }}\n"
        );
        let deck = load(Path::new("steady.yaml"), &source);
        let scenes = carousel::build::layout_deck(&deck).unwrap();
        let (with_icon, without) = (baseline_of(&scenes[0], "Steadyword"), baseline_of(&scenes[1], "Steadyword"));
        assert!((with_icon - without).abs() < 0.5, "{size}: title at {with_icon} with an icon, {without} without");
        let tile_bottom = scenes[0].items.iter().find_map(|item| match item {
            Item::Icon { y, size, .. } => Some(y + size),
            _ => None,
        });
        assert!(tile_bottom.is_some_and(|bottom| bottom < with_icon - 60.0), "{size}: the tile is above the title");
    }
}

#[test]
fn a_narrow_heading_column_never_breaks_a_word() {
    // "p95" binds to "response" (a number keeps its word): the unit is wider than "response".
    let source = "title: t\nsize: landscape\nslides:\n  - kind: results\n    label: The alert that fired\n    title: p95 response time\n    body: A metric caught it before the first support ticket.\n    metrics:\n      - { label: Last hour vs last 5 minutes, before: 245ms, after: 1200ms }\n";
    let deck = load(Path::new("words.yaml"), source);
    let scenes = carousel::build::layout_deck(&deck).unwrap();
    let words = ["p95", "response", "time"];
    for item in &scenes[0].items {
        if let Item::Text(s) = item {
            // The heading column is the left one; the change called out on the right is as heavy.
            if s.face.weight == 800 && s.size > 60.0 && s.x < 800.0 {
                for word in s.text.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()) {
                    assert!(words.contains(&word), "the title was broken inside a word: {:?}", s.text);
                }
            }
        }
    }
}

#[test]
fn six_steps_and_three_options_fit_every_shape() {
    // The format allows 6 steps and 3 compare columns: every shape must hold them, wrapping a
    // flow into rows where a row is too narrow and a column too tall.
    let mut source =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/steps-six.yaml")).unwrap();
    for size in ["portrait", "square", "landscape"] {
        source = source
            .lines()
            .map(|l| if l.starts_with("size:") { format!("size: {size}") } else { l.to_string() })
            .collect::<Vec<_>>()
            .join("\n");
        let deck = load(Path::new("tests/reference/steps-six.yaml"), &source);
        let scenes = carousel::build::layout_deck(&deck);
        assert!(scenes.is_ok(), "{size}: {:?}", scenes.err());
    }
}

#[test]
fn five_steps_with_notes_fit_a_square_slide_by_closing_up_their_boxes() {
    // Five one-line steps with a note each, under a kicker and a title: at the body floor the
    // column needed 806 px of a square slot's 730, because the boxes kept their padding while
    // the gaps between them closed up. A dense slide closes the boxes up too.
    let mut source =
        String::from("title: t\nsize: square\nslides:\n  - kind: solution\n    title: The playbook\n    steps:\n");
    for (text, note) in [
        ("Measure real usage with VPA in recommend mode", "2 weeks"),
        ("Right-size requests to p95 + 20%", "per deployment"),
        ("Scale dev to zero at night", "kube-downscaler"),
        ("Move batch jobs to spot nodes", "-70% price"),
        ("Alert on cost per namespace", "Kubecost"),
    ] {
        source.push_str(&format!("      - {{ text: {text}, note: \"{note}\" }}\n"));
    }
    let deck = load(Path::new("steps.yaml"), &source);
    let scenes = carousel::build::layout_deck(&deck);
    assert!(scenes.is_ok(), "{:?}", scenes.err());
}

#[test]
fn a_tall_column_beside_the_heading_rises_to_the_kicker_not_to_the_icon() {
    // day12's checklist: an icon tile over the kicker, and more beside it than fits under the
    // title line. The column may rise level with the kicker, not into the band of the tile,
    // where layouts draw their corner decorations (learnings: a dot grid, top right).
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("decks/day12.yaml");
    let source = std::fs::read_to_string(&path).unwrap();
    let mut deck = load(&path, &source);
    deck.size = carousel::geom::Size::LANDSCAPE;
    let scenes = carousel::build::layout_deck(&deck).unwrap();
    let scene = scenes.iter().find(|s| baseline_of(s, "LEARNINGS").is_finite()).expect("the checklist slide");
    let top_of = |word: &str| {
        scene
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Text(s) if s.text.contains(word) => Some(s.y - s.size * 0.75),
                _ => None,
            })
            .fold(f32::NAN, f32::min)
    };
    let (kicker, first_bullet) = (top_of("LEARNINGS"), top_of("correct"));
    assert!(first_bullet >= kicker - 2.0, "the first bullet's top {first_bullet} is above the kicker's {kicker}");
}

/// The text runs of a scene containing `needle`, as (x, baseline).
fn runs_with(scene: &carousel::scene::Scene, needle: &str) -> Vec<(f32, f32)> {
    scene
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Text(s) if s.text.contains(needle) => Some((s.x, s.y)),
            _ => None,
        })
        .collect()
}

#[test]
fn three_values_with_long_labels_stack_as_rows_with_each_label_on_one_line() {
    // Three cards across a portrait slide set "login attempts/min per email" in 10-character
    // lines, four of them; as rows, each number leads its label and the numbers align.
    let source = "title: t\nsize: portrait\nslides:\n  - kind: content\n    title: Three tiers, three jobs\n    metrics:\n      - { label: \"requests/min per IP\", value: \"100\" }\n      - { label: \"login attempts/min per email\", value: \"5\" }\n      - { label: \"requests/hour per API key\", value: \"10\" }\n";
    let deck = load(Path::new("rows.yaml"), source);
    let scenes = carousel::build::layout_deck(&deck).unwrap();
    let value = |v: &str| {
        scenes[0].items.iter().find_map(|item| match item {
            Item::Text(s) if s.text.trim() == v => Some((s.x, s.y)),
            _ => None,
        })
    };
    let values: Vec<(f32, f32)> = ["100", "5", "10"].iter().map(|v| value(v).unwrap()).collect();
    assert!(values.windows(2).all(|w| (w[0].0 - w[1].0).abs() < 0.5), "the numbers align in one column: {values:?}");
    assert!(values.windows(2).all(|w| w[1].1 > w[0].1 + 50.0), "one row under the other: {values:?}");
    for label in ["requests/min per IP", "login attempts/min per email", "requests/hour per API key"] {
        let runs = runs_with(&scenes[0], label);
        assert_eq!(runs.len(), 1, "{label:?} is one line beside its number: {runs:?}");
    }
}

#[test]
fn wrapped_code_continues_under_a_hanging_indent_in_every_shape() {
    let source = "title: t\nsize: SIZE\nslides:\n  - kind: solution\n    title: A long line\n    code:\n      lang: python\n      source: |\n        def check(request):\n            if not budget_tracker.allow(request.user_id, cost=estimate_cost(request.payload), burst=True):\n                raise TooManyRequests(retry_after=budget_tracker.retry_after(request.user_id))\n            return handle(request)\n";
    for size in ["portrait", "square", "landscape"] {
        let deck = load(Path::new("wrap.yaml"), &source.replace("SIZE", size));
        let scenes = carousel::build::layout_deck(&deck).unwrap();
        let mono: Vec<(f32, String)> = scenes[0]
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Text(s) if s.face.family.contains("JetBrains") => Some((s.x, s.text.clone())),
                _ => None,
            })
            .collect();
        let left = mono.iter().map(|(x, _)| *x).fold(f32::INFINITY, f32::min);
        let marks: Vec<&(f32, String)> = mono.iter().filter(|(_, t)| t.contains('→')).collect();
        assert!(!marks.is_empty(), "{size}: the long lines wrap with a mark: {mono:?}");
        for (x, text) in &marks {
            assert!(*x > left + 1.0 || text.starts_with(' '), "{size}: a continuation is indented: {text:?}");
        }
        // No run at the left edge starts with what can only continue a statement.
        for (x, text) in &mono {
            if (*x - left).abs() < 0.5 {
                let start = text.trim_start();
                assert!(
                    !["cost=", "burst", "TooMany", "request.", "retry"].iter().any(|p| start.starts_with(p)),
                    "{size}: a continuation at column 0: {text:?}"
                );
            }
        }
    }
}

#[test]
fn code_set_smaller_to_fit_its_longest_line_does_not_wrap_it() {
    // A block shrunk so that its longest line fits the panel keeps that line whole, at every
    // length (rounding once cost the line its last column and a continuation for one token).
    for length in 36..=50 {
        let line = format!("x = [{}]", "1,".repeat((length - 6) / 2));
        let source = format!(
            "title: t\nsize: portrait\nslides:\n  - kind: solution\n    title: Fits\n    code:\n      lang: python\n      source: |\n        {line}\n        y = 1\n"
        );
        let deck = load(Path::new("fit.yaml"), &source);
        let scenes = carousel::build::layout_deck(&deck).unwrap();
        let wrapped = scenes[0].items.iter().any(|item| matches!(item, Item::Text(s) if s.text.contains('→')));
        assert!(!wrapped, "a {}-character line wrapped though the code was set to fit it", line.chars().count());
    }
}

/// The deck at `path` (relative to the crate) laid out in `size`.
fn scenes_at(path: &str, size: carousel::geom::Size) -> (Deck, Vec<carousel::scene::Scene>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let source = std::fs::read_to_string(&path).unwrap();
    let mut deck = load(&path, &source);
    deck.size = size;
    let scenes = carousel::build::layout_deck(&deck).unwrap();
    (deck, scenes)
}

#[test]
fn landscape_tightens_spacing_before_setting_text_under_a_phones_floor() {
    // day5's problem slide, day3's and day11's lists: on 1920 x 1080 they fit at 46 px only with
    // the gaps between items closed up. They were set at 40-42 px with the full gaps.
    for deck in ["decks/day5.yaml", "decks/day3.yaml", "decks/day11.yaml"] {
        let (_, scenes) = scenes_at(deck, carousel::geom::Size::LANDSCAPE);
        for scene in &scenes {
            for placed in &scene.frame.blocks {
                if matches!(placed.name, "body" | "bullets") {
                    let px = placed.reading_text.unwrap_or(f32::MAX);
                    assert!(px >= 45.5, "{deck} slide {}: {} at {px:.1} px", scene.number, placed.name);
                }
            }
        }
    }
}

#[test]
fn a_column_too_tall_for_the_title_line_rises_to_the_slot_and_the_title_keeps_its_line() {
    // day8's problem slide on landscape: a table of seven rows beside its title. The column
    // rises to the top of the content slot, the title stays where every other content slide of
    // the deck has it. (day5's problem slide did until the wide slot grew, 2026-12-07.)
    let (_, scenes) = scenes_at("decks/day8.yaml", carousel::geom::Size::LANDSCAPE);
    let problem = scenes.iter().find(|s| s.frame.block("table").is_some()).expect("a slide with a table");
    let title_top = |scene: &carousel::scene::Scene| scene.frame.block("title").map(|b| b.rect.y);
    let others: Vec<f32> = scenes
        .iter()
        .filter(|s| s.number != problem.number && s.number != 1 && s.number != scenes.len())
        .filter_map(title_top)
        .collect();
    let own = title_top(problem).unwrap();
    assert!(others.iter().all(|y| (y - own).abs() < 1.0), "the title at {own}, the others at {others:?}");
    let column = problem.frame.blocks.iter().filter(|b| b.name != "title").map(|b| b.rect.y).fold(f32::MAX, f32::min);
    assert!(column < own, "the column starts at {column}, under the title's top {own}: it did not need to rise");
    let cells = problem.frame.block("table").and_then(|b| b.reading_text).unwrap_or(0.0);
    assert!(cells >= 40.0, "the table's cells at {cells:.1} px, under a phone's floor");
    assert!(
        column >= problem.frame.slot.y - 1.0,
        "the column starts at {column}, above the slot {}",
        problem.frame.slot.y
    );
}

#[test]
fn a_kicker_longer_than_its_column_is_set_smaller_on_one_line() {
    let source = "title: t\nsize: landscape\nslides:\n  - kind: content\n    label: WHAT THE BENCHMARKS SAID\n    title: Numbers\n    bullets: [One, Two]\n";
    let deck = load(Path::new("kicker.yaml"), source);
    let scenes = carousel::build::layout_deck(&deck).unwrap();
    let lines = runs_with(&scenes[0], "BENCHMARKS").len() + runs_with(&scenes[0], "SAID").len();
    assert_eq!(lines, 2, "the kicker is one run containing every word: {:?}", runs_with(&scenes[0], "SAID"));
    assert_eq!(runs_with(&scenes[0], "BENCHMARKS"), runs_with(&scenes[0], "SAID"), "one line");
}

#[test]
fn a_paragraphs_last_line_is_never_one_word_when_a_narrower_measure_mends_it() {
    // "No dependency cache between / jobs": set a little narrower, "cache" comes down to keep
    // "jobs" company, in as many lines.
    for (name, size) in [
        ("portrait", carousel::geom::Size::PORTRAIT),
        ("square", carousel::geom::Size::SQUARE),
        ("landscape", carousel::geom::Size::LANDSCAPE),
    ] {
        let (_, scenes) = scenes_at("tests/reference/kinds-portrait.yaml", size);
        for (word, sentence) in [("jobs", "No dependency cache"), ("code", "Measure the pipeline")] {
            for scene in &scenes {
                if runs_with(scene, sentence).is_empty() {
                    continue;
                }
                for (_, y) in runs_with(scene, word) {
                    let line: Vec<String> = scene
                        .items
                        .iter()
                        .filter_map(|item| match item {
                            Item::Text(s) if (s.y - y).abs() < 0.5 => Some(s.text.trim().to_string()),
                            _ => None,
                        })
                        .collect();
                    let words = line.join(" ").split_whitespace().count();
                    assert!(words > 1, "{name} slide {}: {word:?} alone on its line", scene.number);
                }
            }
        }
    }
}

#[test]
fn a_decks_own_layout_that_holds_a_slide_only_under_a_phones_floor_gives_way_to_the_built_in() {
    // codecollab's cta.svg with its band deepened to 480 px (drawn for portrait): stretched over
    // 1920 x 1080 it leaves a slot too short for the closing question at a size a phone reads.
    // The built-in cta holds it at full size; the slide is set there and says so. (The layout as
    // shipped holds it at a phone's floor since the wide slot grew, 2026-12-07.)
    // Beside the deck: a deck's layouts may not reach outside its folder.
    let decks = Path::new(env!("CARGO_MANIFEST_DIR")).join("decks");
    let dir = tempfile::Builder::new().prefix(".test-layouts-").tempdir_in(&decks).unwrap();
    let drawn = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("decks/codecollab-layouts/cta.svg"))
        .unwrap();
    let deeper = drawn
        .replace(r#"height="300" data-anchor="stretch""#, r#"height="480" data-anchor="stretch""#)
        .replace(r#"cx="980" cy="300""#, r#"cx="980" cy="480""#)
        .replace(r#"y="380" width="888" height="770""#, r#"y="560" width="888" height="590""#);
    assert_ne!(deeper, drawn, "codecollab's cta.svg changed");
    std::fs::write(dir.path().join("cta.svg"), deeper).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("decks/codecollab.yaml");
    let source = std::fs::read_to_string(&path).unwrap();
    let layouts = format!("layouts: {}/\n", dir.path().file_name().unwrap().to_string_lossy());
    let source = source.replace("layouts: codecollab-layouts/\n", &layouts);
    let at = |size| {
        let mut deck = load(&path, &source);
        deck.size = size;
        carousel::build::layout_deck(&deck).unwrap()
    };
    let scenes = at(carousel::geom::Size::LANDSCAPE);
    let cta = scenes.last().unwrap();
    assert!(
        cta.layout_fallback.as_deref().is_some_and(|origin| origin.ends_with("cta.svg")),
        "the cta kept the deck's layout: {:?}",
        cta.layout_fallback
    );
    assert!(!cta.under_phone_floor, "the built-in cta set it under a phone's floor too");
    let body = cta.frame.block("body").and_then(|b| b.reading_text).unwrap_or(0.0);
    assert!(body >= 45.5, "the cta's body at {body:.1} px");
    // On portrait, the shape it was drawn for, the deck's own layout stays.
    assert_eq!(at(carousel::geom::Size::PORTRAIT).last().unwrap().layout_fallback, None);
}

#[test]
fn a_sparse_slide_still_short_once_grown_is_anchored_low_and_its_title_keeps_the_line() {
    // "Two steps": two one-line steps under a title, on a deck whose other slides hold the line
    // high. Grown as far as they grow they left 46% of the slide empty under them; the steps now
    // move down to the deck's lower band, the title stays where the other slides have theirs.
    for size in [carousel::geom::Size::PORTRAIT, carousel::geom::Size::SQUARE] {
        let (_, scenes) = scenes_at("tests/reference/steps-portrait.yaml", size);
        let sparse = scenes.iter().find(|s| baseline_of(s, "Two").is_finite()).expect("the two-step slide");
        let frame = &sparse.frame;
        let content = frame.content().unwrap();
        let area = frame.footer_top - frame.slot.y;
        let band = (frame.footer_top - content.bottom()) / area;
        assert!(band <= 0.355, "{size:?}: {:.0}% of the slide left empty under the steps", band * 100.0);
        let title = frame.block("title").unwrap().rect;
        let others: Vec<f32> = scenes
            .iter()
            .filter(|s| s.number != sparse.number)
            .filter_map(|s| s.frame.block("title").map(|b| b.rect.y))
            .collect();
        assert!(others.iter().any(|y| (y - title.y).abs() < 1.0), "{size:?}: the title left the deck's line");
    }
}

#[test]
fn a_sparse_landscape_deck_balances_its_title_line_instead_of_leaving_the_lower_half_empty() {
    // Short slides beside their headings on 1920 x 1080: with the title line where the layouts
    // put it (high, for dense slides) each left about 45% of its area empty under the content.
    let source = "title: t\nsize: landscape\nslides:\n  - kind: problem\n    title: One line of text\n    body: Just this.\n  - kind: solution\n    title: A single metric\n    metrics: [{ value: 3x, label: faster }]\n  - kind: learnings\n    title: Three words each\n    bullets: [Measure it first, Cache the reads, Index the filters]\n";
    let deck = load(Path::new("sparse.yaml"), source);
    let scenes = carousel::build::layout_deck(&deck).unwrap();
    let tops: Vec<f32> = scenes.iter().filter_map(|s| s.frame.block("title").map(|b| b.rect.y)).collect();
    assert!(tops.windows(2).all(|w| (w[0] - w[1]).abs() < 1.0), "one title line: {tops:?}");
    for scene in &scenes {
        let frame = &scene.frame;
        let content = frame.content().unwrap();
        let area = frame.footer_top - frame.slot.y;
        let band = (frame.footer_top - content.bottom()) / area;
        assert!(band <= 0.355, "slide {}: {:.0}% of its area empty under the content", scene.number, band * 100.0);
    }
}

#[test]
fn landscape_code_beside_its_title_reads_at_a_phones_floor() {
    // 9-14 lines of code (day2's token queue, day10's Redis counter, codecollab's WebSocket
    // handler) beside their titles on 1920 x 1080 were set at 32-34 px: the column at the
    // layout's heading share wrapped their longest lines and the slot's margins, scaled by area,
    // left 646 px of height. The code now takes the width its longest line needs (the heading
    // column down to a third) and the slot keeps its share of the height: 40 px and up. Code
    // that would wrap beside its title runs whole across the slide under it instead.
    for deck in ["decks/day2.yaml", "decks/day10.yaml", "decks/codecollab.yaml", "decks/day11.yaml"] {
        let (_, scenes) = scenes_at(deck, carousel::geom::Size::LANDSCAPE);
        let mut seen = 0;
        for scene in &scenes {
            let Some(code) = scene.frame.block("code") else { continue };
            seen += 1;
            let px = code.reading_text.unwrap_or(0.0);
            assert!(px >= 39.5, "{deck} slide {}: code at {px:.1} px", scene.number);
            let title = scene.frame.block("title").expect("a title over or beside the code");
            let beside = title.rect.right() <= code.rect.x;
            let whole_under = title.rect.bottom() <= code.rect.y && !code_text(scene).contains('→');
            assert!(
                beside || whole_under,
                "{deck} slide {}: the code is neither beside its title nor whole under it",
                scene.number
            );
        }
        assert!(seen > 0, "{deck} has no code");
    }
}

#[test]
fn a_quote_over_a_photo_sits_on_a_panel_with_its_own_mark_and_leads_the_slide() {
    // day7's quote slide: a background photo covers the layout's quotation mark, and the words
    // sat on a scrim over the whole photo at 1.5 times the body. Now they sit on a translucent
    // panel hugging them (the photo bright around it), with a mark badge on its edge, and the
    // quote is at least 1.6 times the body, in every shape.
    for size in [carousel::geom::Size::PORTRAIT, carousel::geom::Size::SQUARE, carousel::geom::Size::LANDSCAPE] {
        let (_, scenes) = scenes_at("decks/day7.yaml", size);
        let quote = scenes.iter().find(|s| s.frame.block("quote").is_some()).expect("the quote slide");
        let panel = quote.items.iter().find_map(|item| match item {
            Item::Rect { rect, opacity, .. } if *opacity > 0.8 && *opacity < 1.0 && rect.width < size.width as f32 => {
                Some(*rect)
            }
            _ => None,
        });
        let panel = panel.unwrap_or_else(|| panic!("{size:?}: no panel behind the quote"));
        let footer_top = quote.frame.footer_top;
        for block in &quote.frame.blocks {
            let r = block.rect;
            assert!(
                r.y >= panel.y && r.y + r.height <= panel.y + panel.height + 1.0,
                "{size:?}: {} outside the panel",
                block.name
            );
        }
        assert!(panel.y + panel.height <= footer_top, "{size:?}: the panel runs into the footer");
        let badge =
            quote.items.iter().any(|item| matches!(item, Item::Circle { cy, .. } if (cy - panel.y).abs() < 1.0));
        assert!(badge, "{size:?}: no quotation mark on the panel's edge");
        let quote_px = quote
            .items
            .iter()
            .find_map(|item| match item {
                Item::Text(t) if t.text.contains("People") => Some(t.size),
                _ => None,
            })
            .expect("the quote's words");
        let body_px = quote.frame.block("body").and_then(|b| b.reading_text).unwrap();
        assert!(quote_px >= body_px * 1.6 - 0.5, "{size:?}: the quote at {quote_px:.0} px over a {body_px:.0} px body");
    }
}

#[test]
fn a_title_of_two_sentences_gives_each_its_own_lines_where_that_costs_no_line() {
    // On square the balance alone sets "wrong queue / twice. Here is": the second sentence
    // would start mid-line.
    let source = "title: t\nsize: square\nslides:\n  - kind: hook\n    title: We picked the wrong queue twice. Here is what we learned.\n";
    let deck = load(Path::new("sentences.yaml"), source);
    let scenes = carousel::build::layout_deck(&deck).unwrap();
    let lines: Vec<String> = lines_of(&scenes[0], |s| s.face.weight == 800 && s.size > 60.0)
        .iter()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert!(lines.len() >= 2, "{lines:?}");
    let ends = lines.iter().position(|l| l.ends_with("twice.")).unwrap_or_else(|| panic!("{lines:?}"));
    assert!(lines[ends + 1].starts_with("Here"), "{lines:?}");
}

#[test]
fn short_code_that_would_wrap_twice_beside_the_heading_runs_across_under_it() {
    // At the code's floor a 47-character line wraps twice in the column beside the heading
    // ("let queue =" / "→ refresh::Queue::with_capacity(" / "→ xxxx);"): across the slide
    // under the title it fits whole.
    let source = "title: t\nsize: landscape\nslides:\n  - kind: solution\n    title: A token refresh queue for every tenant\n    code:\n      lang: rust\n      source: |\n        let queue = refresh::Queue::with_capacity(xxxx);\n        queue.push(token);\n";
    let deck = load(Path::new("code.yaml"), source);
    let scenes = carousel::build::layout_deck(&deck).unwrap();
    let code = code_text(&scenes[0]);
    assert!(code.contains("with_capacity"), "the code is drawn: {code:?}");
    assert!(!code.contains('→'), "the code wrapped: {code:?}");
    let title = baseline_of(&scenes[0], "tenant");
    let code_top = baseline_of(&scenes[0], "push");
    assert!(code_top > title, "the code runs under the title ({code_top} vs {title})");
}

#[test]
fn a_quote_on_its_own_slide_pairs_a_word_left_alone() {
    // At the quote's leading size on portrait the balance gives "Premature / optimization is /
    // the root of all evil.": set a little smaller, the words pair up.
    let source = "title: t\nsize: portrait\nslides:\n  - kind: quote\n    quote: { text: Premature optimization is the root of all evil., by: Donald Knuth }\n";
    let deck = load(Path::new("quote.yaml"), source);
    let scenes = carousel::build::layout_deck(&deck).unwrap();
    let lines = lines_of(&scenes[0], |s| s.face.italic && s.text.trim() != "");
    assert!(lines.len() >= 2, "{lines:?}");
    assert!(lines.iter().all(|line| line.split_whitespace().count() > 1), "a word alone: {lines:?}");
}

#[test]
fn before_after_pairs_side_by_side_keep_their_changes_on_one_line_and_their_labels_level() {
    // Three pairs across a landscape slide: "2.6x lower" broke into two lines at the called-out
    // size beside "-3%" on one, so the labels and bars of the three columns started at three
    // heights. The changes now share one size at which each keeps to a line, and the columns
    // share their bands.
    let source = "title: t\nsize: landscape\nslides:\n  - kind: results\n    title: Three months later\n    metrics:\n      - { label: Monthly bill, before: \"$48,000\", after: \"$18,200\" }\n      - { label: Node count, before: 212, after: 74, better: lower }\n      - { label: p99 latency, before: 180ms, after: 175ms }\n";
    let deck = load(Path::new("pairs.yaml"), source);
    let scenes = carousel::build::layout_deck(&deck).unwrap();
    for change in ["2.6x lower", "2.9x lower"] {
        assert!(!runs_with(&scenes[0], change).is_empty(), "{change:?} is not on one line");
    }
    let labels: Vec<f32> =
        ["Monthly bill", "Node count", "p99 latency"].iter().map(|l| runs_with(&scenes[0], l)[0].1).collect();
    assert!(labels.iter().all(|y| (y - labels[0]).abs() < 0.5), "the labels' baselines differ: {labels:?}");
}

#[test]
fn code_that_wraps_even_at_its_floor_is_set_at_the_largest_size_that_wraps_it_no_more() {
    // A 76-character SQL line on portrait: the block was set at its 26 px floor, and wrapped
    // there anyway into as many lines as at the designed 30 px.
    let source = "title: t\nsize: portrait\nslides:\n  - kind: solution\n    title: The migration\n    code:\n      lang: sql\n      source: |\n        ALTER TABLE docs ADD COLUMN search tsvector\n          GENERATED ALWAYS AS (to_tsvector('english', title || ' ' || body)) STORED;\n        CREATE INDEX docs_search_idx ON docs USING GIN (search);\n";
    let deck = load(Path::new("sql.yaml"), source);
    let scenes = carousel::build::layout_deck(&deck).unwrap();
    let code = scenes[0].frame.block("code").unwrap();
    let px = code.reading_text.unwrap();
    assert!(px >= 28.5, "the code is set at {px:.1} px");
    assert_eq!(code_text(&scenes[0]).matches('→').count(), 2, "{}", code_text(&scenes[0]));
}

#[test]
fn a_deck_writes_its_own_words_in_its_language() {
    // An Arabic deck had English kickers, "Swipe", "Before", "After" and "20x faster" over
    // Arabic titles. Without `language:`, the deck's letters name it; with it, it decides.
    let slides = "slides:\n  - kind: hook\n    title: x\n  - kind: solution\n    title: y\n    compare:\n      - { title: a, pick: true }\n      - { title: b }\n  - kind: results\n    title: z\n    metrics:\n      - { label: l, before: 4s, after: 200ms }\n";
    let cases = [
        ("title: t\n", "كانت لوحة التحكم تستغرق أربع ثوانٍ", "ar", ["الحل", "اسحب", "قبل", "أسرع", "✓ الاختيار"]),
        (
            "title: t\nlanguage: es\n",
            "Nuestro panel tardaba cuatro segundos",
            "es",
            ["LA SOLUCIÓN", "Desliza", "Antes", "20x más rápido", "✓ ELEGIDA"],
        ),
        (
            "title: t\n",
            "Our dashboard took four seconds",
            "en",
            ["THE SOLUTION", "Swipe", "Before", "20x faster", "✓ PICKED"],
        ),
    ];
    for (head, words, language, expected) in cases {
        let source = format!(
            "{head}{}",
            slides
                .replace("title: x", &format!("title: {words}"))
                .replace("title: y", &format!("title: {words}"))
                .replace("title: z", &format!("title: {words}"))
        );
        let deck = load(Path::new("words.yaml"), &source);
        assert_eq!(deck.language, language);
        let scenes = carousel::build::layout_deck(&deck).unwrap();
        let text: String = scenes
            .iter()
            .flat_map(|scene| &scene.items)
            .filter_map(|item| match item {
                Item::Text(s) => Some(s.text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("|");
        // Runs break at spaces and, in a right-to-left line, where the direction changes.
        for word in expected.iter().flat_map(|phrase| phrase.split(' ')) {
            assert!(text.contains(word), "{language}: no {word:?} in {text}");
        }
    }
}

#[test]
fn a_table_whose_cells_wrap_beside_the_heading_runs_whole_across_under_it() {
    // Three columns of short phrases beside "Where the savings came from" on 1920 x 1080: the
    // text column got a third of the slot and broke "Deleted / orphaned / volumes" into three
    // lines while the slide had the width to set every row on one.
    let source = "title: t\nsize: landscape\nslides:\n  - kind: content\n    title: Where the savings came from\n    table:\n      columns: [Change, Saved per month, Effort]\n      rows:\n        - [Right-sized requests, \"$14,800\", 2 weeks]\n        - [Dev clusters off at night, \"$7,900\", 1 day]\n        - [Spot nodes for batch, \"$5,100\", 3 days]\n        - [Deleted orphaned volumes, \"$2,000\", 1 hour]\n";
    let deck = load(Path::new("table.yaml"), source);
    let scenes = carousel::build::layout_deck(&deck).unwrap();
    let (title, table) = (scenes[0].frame.block("title").unwrap(), scenes[0].frame.block("table").unwrap());
    assert!(title.rect.bottom() <= table.rect.y, "the table is beside its title: {:?} {:?}", title.rect, table.rect);
    let mut baselines: Vec<i64> = scenes[0]
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Text(s) if s.y > table.rect.y && s.y <= table.rect.bottom() + 1.0 => Some(s.y.round() as i64),
            _ => None,
        })
        .collect();
    baselines.sort_unstable();
    baselines.dedup();
    assert_eq!(baselines.len(), 5, "a header and four rows, each on one line: {baselines:?}");
}

#[test]
fn a_title_pairs_its_words_in_another_arrangement_only_where_code_wraps_no_more() {
    // Beside the code the heading column leaves "safely" alone; the heading across the top
    // with the code in the right half pairs the title's words but wraps the code, and across
    // the whole slide under the title the code stays whole.
    let source = "title: t\nsize: landscape\nslides:\n  - kind: solution\n    title: Rotating refresh tokens safely\n    body: Tokens refresh early.\n    code:\n      lang: rust\n      source: |\n        let t = queue.refresh(xxxxxxxxxxxxxx);\n        queue.run(t);\n        queue.wait();\n";
    let deck = load(Path::new("wraps.yaml"), source);
    let scenes = carousel::build::layout_deck(&deck).unwrap();
    let code = code_text(&scenes[0]);
    assert!(code.contains("queue.") || code.contains("refresh"), "the code is drawn: {code:?}");
    assert!(!code.contains('→'), "the code wrapped: {code:?}");
}

/// The text of a slide's code, in drawing order (the monospace runs).
fn code_text(scene: &carousel::scene::Scene) -> String {
    scene
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Text(s) if s.face.family.contains("Mono") => Some(s.text.clone()),
            _ => None,
        })
        .collect()
}

/// The text of the runs `wanted` picks, line by line from the top (the runs on one baseline).
fn lines_of(scene: &carousel::scene::Scene, wanted: impl Fn(&carousel::text::Segment) -> bool) -> Vec<String> {
    let mut lines: Vec<(f32, String)> = Vec::new();
    for item in &scene.items {
        if let Item::Text(s) = item {
            if wanted(s) {
                match lines.iter_mut().find(|(y, _)| (*y - s.y).abs() < 1.0) {
                    Some((_, line)) => line.push_str(&s.text),
                    None => lines.push((s.y, s.text.clone())),
                }
            }
        }
    }
    lines.sort_by(|a, b| a.0.total_cmp(&b.0));
    lines.into_iter().map(|(_, line)| line).collect()
}
