//! `build --for` and `check --for`: the slides as Instagram, Threads, X and LinkedIn's image
//! posts take them, checked for format, size, count per part, alt text and caption limits.

use std::path::Path;

mod common;
use common::{carousel, workspace};

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A baseline JPEG's size and components, read from its SOF0 segment.
fn jpeg_frame(path: &Path) -> (u32, u32, u8) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[..3], b"\xff\xd8\xff", "{} is not a JPEG", path.display());
    let mut at = 2;
    while at + 9 < bytes.len() {
        assert_eq!(bytes[at], 0xff, "{}: lost the marker chain", path.display());
        let marker = bytes[at + 1];
        let length = u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]) as usize;
        if marker == 0xc0 {
            let height = u16::from_be_bytes([bytes[at + 5], bytes[at + 6]]) as u32;
            let width = u16::from_be_bytes([bytes[at + 7], bytes[at + 8]]) as u32;
            return (width, height, bytes[at + 9]);
        }
        at += 2 + length;
    }
    panic!("{}: no baseline frame", path.display());
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn build_for_writes_each_platforms_folder_in_its_parts() {
    let dir = workspace();
    let output = carousel(dir.path(), &["build", "decks/day5.yaml", "--for", "instagram,x", "--for", "threads"]);
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    assert!(message.contains("for instagram, x, threads"), "{message}");
    let out = dir.path().join("out");

    // Instagram: one part of six JPEGs, 1080 wide, three components (sRGB, no alpha).
    let instagram = out.join("day5.instagram");
    assert_eq!(names(&instagram), ["caption.txt", "part-1"]);
    assert_eq!(
        names(&instagram.join("part-1")),
        ["01.jpg", "02.jpg", "03.jpg", "04.jpg", "05.jpg", "06.jpg", "alt.txt"]
    );
    for n in 1..=6 {
        let jpeg = instagram.join(format!("part-1/{n:02}.jpg"));
        assert_eq!(jpeg_frame(&jpeg), (1080, 1350, 3), "{}", jpeg.display());
        assert!(std::fs::metadata(&jpeg).unwrap().len() < 8 * 1024 * 1024);
    }

    // X: four images a post, so 4 + 2, numbered through.
    let x = out.join("day5.x");
    assert_eq!(names(&x.join("part-1")), ["01.jpg", "02.jpg", "03.jpg", "04.jpg", "alt.txt"]);
    assert_eq!(names(&x.join("part-2")), ["05.jpg", "06.jpg", "alt.txt"]);
    let alt = std::fs::read_to_string(x.join("part-2/alt.txt")).unwrap();
    assert!(alt.starts_with("05.jpg: Results:"), "{alt}");
    assert_eq!(alt.lines().count(), 2, "{alt}");

    // The caption, as the post shows it, with its hashtags; X warns it is over 280.
    let caption = std::fs::read_to_string(x.join("caption.txt")).unwrap();
    assert!(caption.starts_with("Our dashboard took 4 seconds to load."), "{caption}");
    assert!(caption.contains("#"), "{caption}");
    assert!(message.contains("decks/day5.yaml:12:5: warning: the caption has"), "{message}");
    assert!(message.contains("X takes at most 280 (--for x)"), "{message}");
    assert!(!message.contains("Threads takes"), "{message}");

    // Nothing is left half-written beside them, and a rebuild gives the same bytes.
    let leftovers: Vec<String> = names(&out).into_iter().filter(|n| n.starts_with(".day5.")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let first = std::fs::read(x.join("part-1/03.jpg")).unwrap();
    let again = carousel(dir.path(), &["build", "decks/day5.yaml", "--for", "x", "--no-cache"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(std::fs::read(x.join("part-1/03.jpg")).unwrap(), first);
}

#[test]
fn instagram_refuses_a_landscape_deck_with_the_reason() {
    let dir = workspace();
    let output = carousel(dir.path(), &["build", "decks/day7.yaml", "--for", "instagram"]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains("decks/day7.yaml:10:1: error: these slides cannot go to Instagram"), "{message}");
    assert!(message.contains("1920x1080"), "{message}");
    assert!(message.contains("size: portrait"), "{message}");
    assert!(!dir.path().join("out/day7.instagram").exists());
    // X takes any shape.
    let output = carousel(dir.path(), &["build", "decks/day7.yaml", "--for", "x"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(jpeg_frame(&dir.path().join("out/day7.x/part-1/01.jpg")).0, 1920);
}

#[test]
fn check_for_lints_each_platforms_caption_limits() {
    let dir = tempfile::tempdir().unwrap();
    // 25 in `hashtags:` (the deck takes 30) and 7 more written in the text: 32 in the post.
    let tags: String = (0..25).map(|i| format!("tag{i}, ")).collect();
    let deck = format!(
        "title: T\ncaption:\n  text: \"{}\"\n  hashtags: [{}]\nslides:\n  - kind: hook\n    title: Short\n  - kind: content\n    title: Two\n    body: Words\n  - kind: cta\n    title: Follow\n",
        "Ten words here to make this caption long enough to count. ".repeat(6) + "#a #b #c #d #e #f #g",
        tags.trim_end_matches(", ")
    );
    std::fs::write(dir.path().join("d.yaml"), deck).unwrap();
    let output = carousel(dir.path(), &["check", "d.yaml", "--for", "x,instagram,threads"]);
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    assert!(message.contains("d.yaml:3:9: warning: the caption has"), "{message}");
    assert!(message.contains("X takes at most 280"), "{message}");
    assert!(message.contains("Threads takes at most 500"), "{message}");
    assert!(message.contains("32 hashtags; Instagram takes at most 30"), "{message}");
    assert!(!dir.path().join("out").exists(), "check wrote something");
    // Without --for, none of it.
    let output = carousel(dir.path(), &["check", "d.yaml"]);
    assert!(!stderr(&output).contains("X takes"), "{}", stderr(&output));
}

#[test]
fn an_unknown_platform_is_a_command_line_error() {
    let dir = workspace();
    let output = carousel(dir.path(), &["build", "decks/day5.yaml", "--for", "tiktok"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("`tiktok` is not a platform; use one of: instagram, threads, x, linkedin-images"),
        "{message}"
    );
}
