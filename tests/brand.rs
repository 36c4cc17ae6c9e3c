//! Brand kits (`brand:`), logos, the footer line and the author shown large (`profile:`), run
//! through the binary on the bundled kit `decks/brand/team.yaml` and on kits written here.

use std::path::Path;

mod common;
use common::{carousel, workspace};

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Writes `deck` as `decks/<name>.yaml`, builds it with `--svg` and returns each slide's SVG.
fn build_svgs(dir: &Path, name: &str, deck: &str) -> Vec<String> {
    std::fs::write(dir.join(format!("decks/{name}.yaml")), deck).unwrap();
    let output = carousel(dir, &["build", &format!("decks/{name}.yaml"), "--svg", "--no-cache"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let folder = dir.join("out").join(name);
    let mut svgs = Vec::new();
    for n in 1.. {
        let Ok(svg) = std::fs::read_to_string(folder.join(format!("{n:02}.svg"))) else { break };
        svgs.push(svg);
    }
    svgs
}

const SLIDES: &str = "slides:\n  - kind: hook\n    title: A hook\n  - kind: content\n    title: A content slide\n    \
                      body: Some words.\n  - kind: cta\n    title: Your turn\n";

/// The kit's logo, as it is embedded (an SVG image as a data URI).
fn has_image_of(svg: &str, file: &Path) -> bool {
    use base64::Engine as _;
    let bytes = std::fs::read(file).unwrap();
    svg.contains(&base64::engine::general_purpose::STANDARD.encode(bytes))
}

#[test]
fn a_deck_takes_its_kits_look_author_logo_and_footer() {
    let dir = workspace();
    let svgs = build_svgs(dir.path(), "kit", &format!("title: Kit\nbrand: brand/team.yaml\n{SLIDES}"));
    let logo = dir.path().join("decks/brand/logo.svg");
    // The editorial look's serif titles, the kit's author and footer line, its logo on every slide.
    assert!(svgs[1].contains("Noto Serif Display"), "the kit's look is not used");
    assert!(svgs[1].contains("Jane Doe") && svgs[1].contains("acme.dev/engineering"), "no author or footer line");
    for (n, svg) in svgs.iter().enumerate() {
        assert!(has_image_of(svg, &logo), "slide {} has no logo", n + 1);
    }
}

#[test]
fn the_decks_own_keys_override_the_kits() {
    let dir = workspace();
    let deck =
        format!("title: Kit\nbrand: brand/team.yaml\nlook: minimal\nfooter: my own line\nauthor: Sam Roe\n{SLIDES}");
    let svgs = build_svgs(dir.path(), "own", &deck);
    assert!(!svgs[1].contains("Noto Serif Display"), "the kit's look won over the deck's");
    assert!(svgs[1].contains("my own line") && !svgs[1].contains("acme.dev"), "the kit's footer won");
    assert!(svgs[1].contains("Sam Roe") && !svgs[1].contains("Jane Doe"), "the kit's author won");
    // What the deck does not write still comes from the kit.
    assert!(has_image_of(&svgs[1], &dir.path().join("decks/brand/logo.svg")), "the kit's logo is lost");
}

#[test]
fn a_dark_ground_gets_the_logo_for_dark_grounds() {
    let dir = workspace();
    let svgs = build_svgs(dir.path(), "dark", &format!("title: Kit\nbrand: brand/team.yaml\nlook: bold\n{SLIDES}"));
    let light = dir.path().join("decks/brand/logo.svg");
    let dark = dir.path().join("decks/brand/logo-white.svg");
    // Bold draws its content slides on near-black and its hook on the accent (the kit's rose).
    assert!(has_image_of(&svgs[1], &dark) && !has_image_of(&svgs[1], &light));
    assert!(has_image_of(&svgs[0], &dark), "the rose hook needs the light-on-dark logo");
}

#[test]
fn a_mistake_in_a_kit_is_reported_at_its_line_in_the_kit() {
    let dir = workspace();
    let kit = "look: editorial\naccent: \"#zzzzzz\"\nlogo: missing.svg\nfootr: x\n";
    std::fs::write(dir.path().join("decks/brand/bad.yaml"), kit).unwrap();
    std::fs::write(dir.path().join("decks/bad-kit.yaml"), format!("title: T\nbrand: brand/bad.yaml\n{SLIDES}"))
        .unwrap();
    let output = carousel(dir.path(), &["check", "decks/bad-kit.yaml"]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains("decks/brand/bad.yaml:2:9: error: `accent: #zzzzzz` is not a colour"), "{message}");
    assert!(message.contains("decks/brand/bad.yaml:3:7: error: `logo` `missing.svg`"), "{message}");
    assert!(message.contains("decks/brand/bad.yaml:4:1: error: unknown key `footr` in a brand kit"), "{message}");
    assert!(message.contains("did you mean `footer`?"), "{message}");

    std::fs::write(dir.path().join("decks/no-kit.yaml"), format!("title: T\nbrand: brand/none.yaml\n{SLIDES}"))
        .unwrap();
    let output = carousel(dir.path(), &["check", "decks/no-kit.yaml"]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains("decks/no-kit.yaml:2:8: error: brand kit `brand/none.yaml`"), "{message}");
}

#[test]
fn a_kits_accent_that_cannot_be_read_is_an_error_at_the_kit() {
    let dir = workspace();
    // The kit's rose on tech's near-black is 3.0:1: the error is the kit's line, not the deck's.
    let deck = format!("title: T\nbrand: brand/team.yaml\nlook: tech\n{SLIDES}");
    std::fs::write(dir.path().join("decks/tech-kit.yaml"), deck).unwrap();
    let output = carousel(dir.path(), &["check", "decks/tech-kit.yaml"]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains("decks/brand/team.yaml:5:9: error: accent text"), "{message}");
}

#[test]
fn new_with_a_kit_writes_a_deck_that_builds_in_it() {
    let dir = workspace();
    let output = carousel(dir.path(), &["new", "decks/launch", "--brand", "decks/brand/team.yaml"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = std::fs::read_to_string(dir.path().join("decks/launch.yaml")).unwrap();
    assert!(text.contains("\nbrand: brand/team.yaml"), "{text}");
    // The kit brings the author, the look and the size: the starter does not write its own.
    assert!(!text.contains("\nauthor:") && !text.contains("\nlook:") && !text.contains("\nsize:"), "{text}");
    let output = carousel(dir.path(), &["build", "decks/launch.yaml", "--svg"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let content = std::fs::read_to_string(dir.path().join("out/launch/02.svg")).unwrap();
    assert!(content.contains("Noto Serif Display") && content.contains("acme.dev/engineering"));
}

#[test]
fn new_with_a_broken_kit_says_where_and_writes_nothing() {
    let dir = workspace();
    std::fs::write(dir.path().join("decks/brand/broken.yaml"), "look: shiny\n").unwrap();
    let output = carousel(dir.path(), &["new", "decks/launch", "--brand", "decks/brand/broken.yaml"]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains("broken.yaml:1:7: error: unknown look `shiny`"), "{message}");
    assert!(!dir.path().join("decks/launch.yaml").exists());
}

#[test]
fn covers_and_ctas_show_the_author_large_unless_a_slide_says_no() {
    let dir = workspace();
    let deck = "title: T\nauthor: { name: Ada Lovelace, handle: \"@ada\" }\nslides:\n  - kind: cover\n    title: A cover\n  \
                - kind: content\n    title: Words\n    body: Some words.\n  - kind: cta\n    title: Your turn\n  \
                - kind: cta\n    title: Again\n    profile: false\n  - kind: content\n    title: Me\n    profile: true\n";
    let svgs = build_svgs(dir.path(), "profiles", deck);
    let name_sizes = |svg: &str| -> Vec<f32> {
        // The font size of each text run that draws the name.
        svg.match_indices(">Ada Lovelace<")
            .filter_map(|(at, _)| {
                let start = svg[..at].rfind("<text")?;
                let tag = &svg[start..at];
                let size = tag.split("font-size=\"").nth(1)?.split('"').next()?;
                size.parse().ok()
            })
            .collect()
    };
    // The cover and the first cta draw the name large and not again in the footer.
    for n in [0, 2] {
        let sizes = name_sizes(&svgs[n]);
        assert_eq!(sizes.len(), 1, "slide {}: {sizes:?}", n + 1);
        assert!(sizes[0] > 30.0, "slide {}: the name is not large: {sizes:?}", n + 1);
    }
    assert!(svgs[2].contains(">Follow for more<") && svgs[2].contains(">Save it<"));
    // A content slide keeps the author in its footer only; `profile: false` keeps the cta's off;
    // `profile: true` puts it on any slide.
    assert!(name_sizes(&svgs[1]).iter().all(|&s| s < 30.0), "{:?}", name_sizes(&svgs[1]));
    assert!(!svgs[3].contains("Follow for more") && name_sizes(&svgs[3]).iter().all(|&s| s < 30.0));
    assert!(name_sizes(&svgs[4]).iter().any(|&s| s > 30.0), "{:?}", name_sizes(&svgs[4]));

    // Not in English: no English words on the slide, the author still shown.
    let german = deck.replace("title: T\n", "title: T\nlanguage: de\n");
    let svgs = build_svgs(dir.path(), "profiles-de", &german);
    assert!(!svgs[2].contains("Follow for more") && !svgs[2].contains("Save it"));
    assert!(name_sizes(&svgs[2]).iter().any(|&s| s > 30.0));
}

#[test]
fn a_kit_in_a_sub_folder_is_not_built_as_a_deck() {
    let dir = workspace();
    let output = carousel(dir.path(), &["build", "decks/"]);
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    assert!(!dir.path().join("out/team.pdf").exists(), "{message}");
}
