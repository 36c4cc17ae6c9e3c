//! Integration tests: the `carousel` binary run as a user would, in a temporary folder with a
//! scrubbed environment, on the bundled decks, the reference decks and the bad decks.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::{carousel, repo, workspace};

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{} is not a PNG", path.display());
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    (width, height)
}

fn pdf_pages(path: &Path) -> usize {
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "{} is not a PDF", path.display());
    let text = String::from_utf8_lossy(&bytes);
    text.matches("/Type /Page\n").count()
        + text.matches("/Type /Page ").count()
        + text.matches("/Type /Page>").count()
        + text.matches("/Type/Page/").count()
}

#[test]
fn build_day5_writes_six_pngs_and_a_pdf() {
    let dir = workspace();
    let output = carousel(dir.path(), &["build", "decks/day5.yaml"]);
    assert!(output.status.success(), "{}", stderr(&output));
    for n in 1..=6 {
        let png = dir.path().join(format!("out/day5/{n:02}.png"));
        assert_eq!(png_size(&png), (1080, 1350), "{}", png.display());
    }
    assert!(!dir.path().join("out/day5/07.png").exists());
    let pdf = dir.path().join("out/day5.pdf");
    assert_eq!(pdf_pages(&pdf), 6);
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("/Title"), "PDF has no title");
    assert!(stderr(&output).contains("out/day5.pdf"));
}

#[test]
fn every_size_gives_its_pixel_size() {
    let dir = workspace();
    let output = carousel(dir.path(), &["build", "decks/"]);
    assert!(output.status.success(), "{}", stderr(&output));
    for (deck, size) in
        [("day5", (1080, 1350)), ("day2", (1080, 1080)), ("day7", (1920, 1080)), ("day10", (1200, 1500))]
    {
        assert_eq!(png_size(&dir.path().join(format!("out/{deck}/01.png"))), size, "{deck}");
    }
    assert!(stderr(&output).contains("all fine"));
}

#[test]
fn builds_are_byte_identical_and_batch_equals_single() {
    let dir = workspace();
    assert!(carousel(dir.path(), &["build", "decks/day5.yaml", "-o", "a"]).status.success());
    assert!(carousel(dir.path(), &["build", "decks/day5.yaml", "-o", "b"]).status.success());
    assert!(carousel(dir.path(), &["build", "decks", "-o", "c"]).status.success());
    for name in ["day5.pdf", "day5/01.png", "day5/06.png"] {
        let a = std::fs::read(dir.path().join("a").join(name)).unwrap();
        let b = std::fs::read(dir.path().join("b").join(name)).unwrap();
        let c = std::fs::read(dir.path().join("c").join(name)).unwrap();
        assert!(a == b, "{name} differs between two builds");
        assert!(a == c, "{name} differs between a single and a batch build");
    }
}

#[test]
fn svg_flag_writes_the_rasterised_svg() {
    let dir = workspace();
    let output = carousel(dir.path(), &["build", "decks/day5.yaml", "--svg"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let svg = std::fs::read_to_string(dir.path().join("out/day5/01.svg")).unwrap();
    assert!(svg.starts_with("<svg"));
    assert!(svg.contains("font-family=\"Inter\""));
}

#[test]
fn check_writes_nothing() {
    let dir = workspace();
    let output = carousel(dir.path(), &["check", "decks/"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!dir.path().join("out").exists());
}

#[test]
fn wrong_command_lines_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(carousel(dir.path(), &[]).status.code(), Some(2));
    assert_eq!(carousel(dir.path(), &["build"]).status.code(), Some(2));
    assert_eq!(carousel(dir.path(), &["bild", "x.yaml"]).status.code(), Some(2));
    assert_eq!(carousel(dir.path(), &["build", "--frobnicate", "x.yaml"]).status.code(), Some(2));
}

#[test]
fn a_missing_deck_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let output = carousel(dir.path(), &["build", "nope.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("nope.yaml: error: cannot read the deck"), "{}", stderr(&output));
}

/// Every deck in tests/bad/ fails with exit 1 and the message its first line expects
/// (`# expect: LINE:COL text`, or `<name>.expect` for files that cannot hold a comment).
#[test]
fn bad_decks_get_their_message() {
    let bad = repo().join("tests/bad");
    let mut decks: Vec<PathBuf> = std::fs::read_dir(&bad)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    decks.sort();
    assert!(decks.len() >= 15);
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for deck in decks {
        let name = deck.file_name().unwrap().to_string_lossy().into_owned();
        // Lossily: a deck that is not UTF-8 (one of the mistakes) still has its ASCII first line.
        let text = String::from_utf8_lossy(&std::fs::read(&deck).unwrap()).into_owned();
        let expect = match text.lines().next().and_then(|l| l.strip_prefix("# expect: ").map(str::to_string)) {
            Some(expect) => expect,
            None => std::fs::read_to_string(deck.with_extension("expect")).expect("expectation").trim().to_string(),
        };
        let (position, text) = match expect.split_once(' ') {
            Some((pos, rest)) if pos.contains(':') && pos.chars().next().is_some_and(|c| c.is_ascii_digit()) => {
                (Some(pos.to_string()), rest.to_string())
            }
            _ => (None, expect.clone()),
        };
        let output = carousel(dir.path(), &["build", deck.to_str().unwrap(), "-o", "out"]);
        let message = stderr(&output);
        let ok = output.status.code() == Some(1)
            && message.contains(&text)
            && position.as_ref().is_none_or(|p| message.contains(&format!("{name}:{p}: error")))
            && !message.contains("panicked");
        if !ok {
            failures.push(format!("{name}: expected {expect:?}, exit {:?}:\n{message}", output.status.code()));
        }
        assert!(!dir.path().join("out").join(deck.file_stem().unwrap()).join("01.png").exists(), "{name} wrote output");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn one_bad_deck_does_not_stop_the_batch() {
    let dir = workspace();
    std::fs::write(dir.path().join("decks/broken.yaml"), "title: T\nslides:\n  - kind: nope\n").unwrap();
    let output = carousel(dir.path(), &["build", "decks"]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("broken.yaml:3:11: error: unknown slide kind `nope`"), "{message}");
    assert!(message.contains("1 failed"), "{message}");
    assert!(dir.path().join("out/day5.pdf").exists());
}

#[test]
fn a_failed_build_keeps_the_previous_output() {
    let dir = workspace();
    assert!(carousel(dir.path(), &["build", "decks/day5.yaml"]).status.success());
    let before = std::fs::read(dir.path().join("out/day5.pdf")).unwrap();
    let png_before = std::fs::read(dir.path().join("out/day5/03.png")).unwrap();
    let deck = dir.path().join("decks/day5.yaml");
    let text = std::fs::read_to_string(&deck).unwrap();
    std::fs::write(&deck, text.replace("kind: results", "kind: resluts")).unwrap();
    let output = carousel(dir.path(), &["build", "decks/day5.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("did you mean `results`"), "{}", stderr(&output));
    assert_eq!(std::fs::read(dir.path().join("out/day5.pdf")).unwrap(), before);
    assert_eq!(std::fs::read(dir.path().join("out/day5/03.png")).unwrap(), png_before);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn errors_show_the_line_and_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("d.yaml"),
        "title: T\nslides:\n  - kind: problem\n    bullets:\n      - { text: a, mark: tick }\n",
    )
    .unwrap();
    let output = carousel(dir.path(), &["check", "d.yaml"]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1));
    assert!(message.starts_with("d.yaml:5:26: error: unknown mark `tick`\n"), "{message}");
    assert!(message.contains("5 |       - { text: a, mark: tick }"), "{message}");
    assert!(message.contains("^^^^"), "{message}");
    assert!(message.contains("valid: `check`"), "{message}");
    assert!(!message.contains('\x1b'), "colour when not a terminal");
}

/// Text has documented limits (docs/deck-format.md): a 10 MB title is refused by the deck's size
/// limit before it is parsed, a 1 MB body by the body's limit, each with a short message.
#[test]
fn huge_texts_are_refused_with_their_limit() {
    let dir = tempfile::tempdir().unwrap();
    let title = "t".repeat(10 * 1024 * 1024);
    std::fs::write(
        dir.path().join("title.yaml"),
        format!("title: \"{title}\"\nslides:\n  - {{kind: hook, title: x}}\n"),
    )
    .unwrap();
    let body = "word ".repeat(200_000);
    std::fs::write(
        dir.path().join("body.yaml"),
        format!("title: T\nslides:\n  - kind: content\n    body: \"{body}\"\n"),
    )
    .unwrap();
    let output = carousel(dir.path(), &["check", "title.yaml"]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.starts_with("title.yaml: error: the deck is 1048580"), "{message}");
    assert!(message.contains("bytes; the limit is 2097152 bytes"), "{message}");
    let output = carousel(dir.path(), &["check", "body.yaml"]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(
        message.starts_with("body.yaml:4:11: error: `body` is 1000000 characters long; the limit is 3000\n"),
        "{message}"
    );
    assert!(message.len() < 2_000, "the message quotes the whole body: {} bytes", message.len());
}

/// Mojibake (UTF-8 read as Mac Roman or Windows-1252) is a warning with the repaired text; the
/// deck still builds.
#[test]
fn mojibake_warns_with_the_repair_and_builds() {
    let dir = tempfile::tempdir().unwrap();
    let deck = "title: T\nslides:\n  - kind: hook\n    title: \"Launch day üöÄ\"\n  - kind: content\n    body: \"Fast â€” and cheap\"\n";
    std::fs::write(dir.path().join("d.yaml"), deck).unwrap();
    let output = carousel(dir.path(), &["build", "d.yaml"]);
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    assert!(
        message.contains("d.yaml:4:12: warning: `title` looks like mojibake (UTF-8 read as Mac Roman)"),
        "{message}"
    );
    assert!(message.contains("did you mean: Launch day 🚀"), "{message}");
    assert!(
        message.contains("d.yaml:6:11: warning: `body` looks like mojibake (UTF-8 read as Windows-1252)"),
        "{message}"
    );
    assert!(message.contains("did you mean: Fast — and cheap"), "{message}");
    assert!(dir.path().join("out/d.pdf").exists());
}

#[test]
fn new_writes_a_starter_that_builds_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let output = carousel(dir.path(), &["new", "decks/day14"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let deck = dir.path().join("decks/day14.yaml");
    assert!(deck.exists());
    let output = carousel(dir.path(), &["build", "decks/day14.yaml"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(dir.path().join("out/day14/06.png").exists());
    std::fs::write(&deck, "mine").unwrap();
    assert_eq!(carousel(dir.path(), &["new", "decks/day14.yaml"]).status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&deck).unwrap(), "mine");
}

#[test]
fn captions_and_alt_text_are_written_beside_the_pdf() {
    let dir = workspace();
    assert!(carousel(dir.path(), &["build", "decks/day5.yaml"]).status.success());
    let text = std::fs::read_to_string(dir.path().join("out/day5.txt")).unwrap();
    assert!(text.starts_with("Our dashboard took 4 seconds to load."), "{text}");
    assert!(text.contains("#Performance #Redis"), "{text}");
    assert!(text.contains("\n1. Hook: our dashboard took 4 seconds"), "{text}");
    assert!(text.contains("\n6. "), "{text}");
}

#[test]
fn a_layouts_folder_overrides_built_in_layouts() {
    let dir = workspace();
    let deck = "title: T\nlayouts: mine/\nslides:\n  - {kind: hook, title: Hello}\n  - {kind: cta, title: Bye}\n";
    std::fs::write(dir.path().join("decks/override.yaml"), deck).unwrap();
    std::fs::create_dir_all(dir.path().join("decks/mine")).unwrap();
    let hook = std::fs::read_to_string(repo().join("layouts/hook.svg")).unwrap();
    let marker = "<rect id=\"override-marker\" class=\"bad\" x=\"0\" y=\"0\" width=\"40\" height=\"40\"/>\n  <rect data-slot=\"content\"";
    std::fs::write(dir.path().join("decks/mine/hook.svg"), hook.replacen("  <rect data-slot=\"content\"", marker, 1))
        .unwrap();
    let output = carousel(dir.path(), &["build", "decks/override.yaml", "--svg"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let first = std::fs::read_to_string(dir.path().join("out/override/01.svg")).unwrap();
    let second = std::fs::read_to_string(dir.path().join("out/override/02.svg")).unwrap();
    assert!(first.contains("override-marker"), "hook.svg from the deck's folder was not used");
    assert!(!second.contains("override-marker"));

    std::fs::write(dir.path().join("decks/mine/cta.svg"), "<svg viewBox='0 0 1080 1350'/>").unwrap();
    let output = carousel(dir.path(), &["build", "decks/override.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("needs a `data-slot=\"content\"`"), "{}", stderr(&output));
}

/// Every file of a deck's output, by name: the PDF, the caption and the slides.
fn deck_files(out: &Path, stem: &str) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![
        (format!("{stem}.pdf"), std::fs::read(out.join(format!("{stem}.pdf"))).unwrap_or_default()),
        (format!("{stem}.txt"), std::fs::read(out.join(format!("{stem}.txt"))).unwrap_or_default()),
    ];
    // Not the temporaries a killed build leaves (the next build removes them).
    let mut slides: Vec<_> = std::fs::read_dir(out.join(stem))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    slides.sort();
    for slide in slides {
        let name = format!("{stem}/{}", slide.file_name().unwrap().to_string_lossy());
        files.push((name, std::fs::read(&slide).unwrap()));
    }
    files
}

/// A build killed in the middle leaves every file whole, the previous one or the new one, and the
/// PDF last: when the PDF is the new one, so is every file of the deck (README, "Outputs"). The
/// next build cleans up.
#[test]
fn a_killed_build_keeps_the_previous_output() {
    let dir = tempfile::tempdir().unwrap();
    let deck = |words: &str| {
        let mut text = String::from("title: Big\nslides:\n");
        for i in 0..120 {
            text.push_str(&format!("  - {{kind: content, title: \"Slide {i}\", body: \"{words} to set.\"}}\n"));
        }
        text
    };
    let deck_path = dir.path().join("big.yaml");
    std::fs::write(&deck_path, deck("Other words")).unwrap();
    assert!(carousel(dir.path(), &["build", "big.yaml", "-o", "new", "--no-cache"]).status.success());
    let new = deck_files(&dir.path().join("new"), "big");
    std::fs::write(&deck_path, deck("Some words")).unwrap();
    assert!(carousel(dir.path(), &["build", "big.yaml"]).status.success());
    let old = deck_files(&dir.path().join("out"), "big");
    assert_eq!(old.len(), new.len());
    assert_ne!(old[0].1, new[0].1, "the two builds give different PDFs");
    std::fs::write(&deck_path, deck("Other words")).unwrap();
    for delay in [50, 150, 400, 800] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_carousel"))
            .args(["build", "big.yaml", "--no-cache"])
            .current_dir(dir.path())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        let now = deck_files(&dir.path().join("out"), "big");
        let names = |files: &[(String, Vec<u8>)]| files.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(names(&now), names(&old), "files appeared or vanished after a kill at {delay} ms");
        for ((name, bytes), ((_, before), (_, after))) in now.iter().zip(old.iter().zip(&new)) {
            assert!(bytes == before || bytes == after, "{name} is torn after a kill at {delay} ms");
        }
        if now[0].1 == new[0].1 {
            assert!(now == new, "the new PDF is in place, yet not every file beside it is new ({delay} ms)");
        }
    }
    assert!(carousel(dir.path(), &["build", "big.yaml"]).status.success());
    assert!(deck_files(&dir.path().join("out"), "big") == new);
    for folder in ["out", "out/big"] {
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join(folder))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{folder}: {leftovers:?}");
    }
}

/// A rebuild with fewer slides: slides the deck no longer has are gone before the PDF is renamed
/// into place, so a new PDF never sits beside slides of an older, longer build. A commit that fails
/// in the middle (here a slide's name taken by a folder) leaves the previous PDF and caption.
#[test]
fn the_pdf_is_renamed_last() {
    let dir = tempfile::tempdir().unwrap();
    let deck = |slides: usize, word: &str| {
        let mut text = String::from("title: T\nslides:\n");
        for i in 0..slides {
            text.push_str(&format!("  - {{kind: content, title: \"{word} {i}\", body: \"Words.\"}}\n"));
        }
        text
    };
    std::fs::write(dir.path().join("d.yaml"), deck(5, "First")).unwrap();
    assert!(carousel(dir.path(), &["build", "d.yaml"]).status.success());
    std::fs::write(dir.path().join("d.yaml"), deck(3, "Second")).unwrap();
    let output = carousel(dir.path(), &["build", "d.yaml"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!dir.path().join("out/d/04.png").exists() && !dir.path().join("out/d/05.png").exists());

    let pdf = std::fs::read(dir.path().join("out/d.pdf")).unwrap();
    let caption = std::fs::read(dir.path().join("out/d.txt")).unwrap();
    std::fs::remove_file(dir.path().join("out/d/02.png")).unwrap();
    std::fs::create_dir(dir.path().join("out/d/02.png")).unwrap();
    std::fs::write(dir.path().join("out/d/02.png/keep"), "x").unwrap();
    std::fs::write(dir.path().join("d.yaml"), deck(3, "Third")).unwrap();
    let output = carousel(dir.path(), &["build", "d.yaml", "--no-cache"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("cannot write `out/d/02.png`"), "{}", stderr(&output));
    assert_eq!(std::fs::read(dir.path().join("out/d.pdf")).unwrap(), pdf, "the PDF changed though a slide failed");
    assert_eq!(std::fs::read(dir.path().join("out/d.txt")).unwrap(), caption);
}

/// Decks whose names share a prefix (`x` and `x-b`, `x.v2`, ...) build together in one batch: one
/// deck's cleanup of abandoned temporaries never takes another's in flight. Pairs on their own (two
/// decks start together, one on each thread), then all of them at once.
#[test]
fn decks_whose_names_share_a_prefix_build_together() {
    let dir = tempfile::tempdir().unwrap();
    let write = |folder: &str, stem: &str| {
        let folder = dir.path().join(folder);
        std::fs::create_dir_all(&folder).unwrap();
        let mut text = format!("title: {stem}\nslides:\n");
        for i in 0..6 {
            text.push_str(&format!("  - {{kind: content, title: \"{stem} {i}\", body: \"Words to set.\"}}\n"));
        }
        std::fs::write(folder.join(format!("{stem}.yaml")), text).unwrap();
    };
    let pairs = [("x", "x-b"), ("day", "day-2-final"), ("a", "a-1"), ("n", "n.v2")];
    for (n, (first, second)) in pairs.iter().enumerate() {
        for stem in [first, second] {
            write(&format!("pair{n}"), stem);
            write("all", stem);
        }
    }
    let check = |folder: &str, out: &str, stems: &[&str]| {
        let output = carousel(dir.path(), &["build", folder, "-o", out, "--no-cache"]);
        assert!(output.status.success(), "{folder}: {}", stderr(&output));
        for stem in stems {
            assert_eq!(pdf_pages(&dir.path().join(format!("{out}/{stem}.pdf"))), 6, "{stem}");
            assert_eq!(png_size(&dir.path().join(format!("{out}/{stem}/06.png"))), (1080, 1350), "{stem}");
        }
    };
    for (n, (first, second)) in pairs.iter().enumerate() {
        check(&format!("pair{n}"), &format!("out{n}"), &[first, second]);
    }
    let all: Vec<&str> = pairs.iter().flat_map(|(a, b)| [*a, *b]).collect();
    check("all", "out", &all);
}

/// Two decks of one batch that would write the same files are an error naming both, found before
/// anything is written; the other decks of the batch build. The same deck named twice is built once.
#[test]
fn decks_that_would_write_the_same_files_are_refused_and_repeats_built_once() {
    let dir = tempfile::tempdir().unwrap();
    let deck = "title: T\nslides:\n  - {kind: hook, title: Hello}\n";
    for path in ["a/day.yaml", "b/day.yaml", "c/Notes.yaml", "c/notes.yml", "d/x.yaml", "d/x.pdf.yaml", "ok.yaml"] {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, deck).unwrap();
    }
    let output = carousel(dir.path(), &["build", "a/day.yaml", "b", "c", "d", "ok.yaml"]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    for (this, other) in [
        ("a/day.yaml", "b/day.yaml"),
        ("b/day.yaml", "a/day.yaml"),
        ("c/Notes.yaml", "c/notes.yml"),
        ("c/notes.yml", "c/Notes.yaml"),
        ("d/x.yaml", "d/x.pdf.yaml"),
        ("d/x.pdf.yaml", "d/x.yaml"),
    ] {
        let line = message.lines().find(|l| l.starts_with(&format!("{this}: error: "))).unwrap_or_default();
        assert!(line.contains(&format!("`{other}`")), "{this} should name {other}:\n{message}");
    }
    assert!(message.contains("would both write `out/day.pdf`"), "{message}");
    let written: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    let mut written = written;
    written.sort();
    assert_eq!(written, ["ok", "ok.pdf", "ok.txt"], "{message}");

    let output = carousel(dir.path(), &["build", "ok.yaml", ".", "./ok.yaml", "-o", "again"]);
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    assert_eq!(message.matches("built ok.yaml").count() + message.matches("built ./ok.yaml").count(), 1, "{message}");
}

#[test]
fn check_warns_like_an_editor_and_deny_warnings_fails() {
    let dir = tempfile::tempdir().unwrap();
    let body = vec!["word"; 60].join(" ");
    let deck = format!(
        "title: T\naccent: \"#111111\"\nslides:\n  - kind: hook\n    title: \"one two three four five six seven eight nine ten eleven twelve thirteen\"\n  - kind: content\n    body: \"{body}\"\n"
    );
    std::fs::write(dir.path().join("d.yaml"), &deck).unwrap();
    // An accent at 1.0:1 cannot be read at all: an error at the colour, with the warnings beside it.
    let output = carousel(dir.path(), &["check", "d.yaml"]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains("d.yaml:2:9: error: accent text (kickers, highlights) (accent #111111"), "{message}");
    assert!(message.contains("d.yaml:5:12: warning: the hook's title has 13 words"), "{message}");
    assert!(message.contains("warning: slide 2 has 60 words"), "{message}");
    // Without it, the deck is fine and warns; --deny-warnings makes the warnings errors.
    std::fs::write(dir.path().join("d.yaml"), deck.replace("accent: \"#111111\"\n", "")).unwrap();
    let output = carousel(dir.path(), &["check", "d.yaml"]);
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    assert!(message.contains("d.yaml:3:3: warning: the deck has 2 slides"), "{message}");
    let output = carousel(dir.path(), &["check", "--deny-warnings", "d.yaml"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("d.yaml:4:12: error: the hook's title"), "{}", stderr(&output));
}

#[test]
fn completions_are_printed_for_common_shells() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let output = carousel(dir.path(), &["completions", shell]);
        assert!(output.status.success());
        assert!(String::from_utf8_lossy(&output.stdout).contains("carousel"), "{shell}");
    }
    assert_eq!(carousel(dir.path(), &["completions", "cmd.exe"]).status.code(), Some(2));
}

#[test]
fn icons_lists_names_filters_them_and_suggests_on_no_match() {
    let dir = tempfile::tempdir().unwrap();
    let output = carousel(dir.path(), &["icons"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let all = String::from_utf8_lossy(&output.stdout).into_owned();
    let names: Vec<&str> = all.lines().collect();
    assert_eq!(names.len(), carousel::design::icons::count(), "one canonical name a line");
    assert!(names.contains(&"database") && !names.contains(&"alert-triangle"), "aliases are not listed");
    let output = carousel(dir.path(), &["icons", "chart", "Bar"]);
    let some = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(some.lines().count() >= 3 && some.lines().all(|n| n.contains("chart") && n.contains("bar")), "{some}");
    let output = carousel(dir.path(), &["icons", "databse"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("(did you mean `database`?)"), "{}", stderr(&output));
}

/// Every file of a build, by path relative to `root`, skipping the slide cache.
fn outputs(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n == ".carousel-cache") {
                continue;
            }
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push((path.strip_prefix(root).unwrap().to_path_buf(), std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn rebuilds_reuse_unchanged_slides_and_stay_byte_identical() {
    let dir = workspace();
    let first = carousel(dir.path(), &["build", "decks/day5.yaml", "-o", "cached"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(!stderr(&first).contains("from the cache"), "{}", stderr(&first));
    let again = carousel(dir.path(), &["build", "decks/day5.yaml", "-o", "cached"]);
    assert!(stderr(&again).contains("6 unchanged from the cache"), "{}", stderr(&again));

    // One slide edited: only that slide is rendered again.
    let deck = dir.path().join("decks/day5.yaml");
    let text = std::fs::read_to_string(&deck).unwrap();
    assert!(text.contains("title: Four fixes"), "the test edits slide 4's title");
    std::fs::write(&deck, text.replace("title: Four fixes", "title: Four small fixes")).unwrap();
    let edited = carousel(dir.path(), &["build", "decks/day5.yaml", "-o", "cached"]);
    assert!(stderr(&edited).contains("5 unchanged from the cache"), "{}", stderr(&edited));

    // A damaged cache entry is rendered again, never used.
    let cache = dir.path().join("cached/.carousel-cache/day5");
    let entries: Vec<PathBuf> = std::fs::read_dir(&cache).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(entries.len(), 6, "the cache holds the latest build's slides only");
    let victim = &entries[0];
    let mut bytes = std::fs::read(victim).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(victim, bytes).unwrap();
    let repaired = carousel(dir.path(), &["build", "decks/day5.yaml", "-o", "cached"]);
    assert!(stderr(&repaired).contains("5 unchanged from the cache"), "{}", stderr(&repaired));

    let clean = carousel(dir.path(), &["build", "decks/day5.yaml", "-o", "clean", "--no-cache"]);
    assert!(clean.status.success(), "{}", stderr(&clean));
    assert!(!dir.path().join("clean/.carousel-cache").exists(), "--no-cache writes no cache");
    assert_eq!(outputs(&dir.path().join("cached")), outputs(&dir.path().join("clean")));
}

#[cfg(unix)]
#[test]
fn outputs_get_the_permissions_of_any_new_file() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = workspace();
    let output = carousel(dir.path(), &["build", "decks/day5.yaml"]);
    assert!(output.status.success(), "{}", stderr(&output));
    // A file created the ordinary way under the same umask (the child inherits ours).
    let probe = dir.path().join("probe");
    std::fs::write(&probe, b"").unwrap();
    let ordinary = std::fs::metadata(&probe).unwrap().permissions().mode() & 0o777;
    for file in ["out/day5.pdf", "out/day5.txt", "out/day5/01.png"] {
        let mode = std::fs::metadata(dir.path().join(file)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, ordinary, "{file}: {mode:o}, not {ordinary:o} like any new file (temporaries are 0600)");
    }
}

/// A deck's warnings come with its errors, in source order, so one round of fixes meets them
/// all; an escaped line break inside double quotes is one of them.
#[test]
fn warnings_come_with_errors_in_source_order() {
    let dir = tempfile::tempdir().unwrap();
    let words = vec!["word"; 65].join(" ");
    let deck = format!(
        "title: T\ncaption: \"Drop a link 👇\\\n  I'll try it\"\nslides:\n  - kind: hook\n    title: \"one two three four five six seven eight nine ten eleven twelve thirteen fourteen\"\n  - kind: nope\n    title: x\n  - kind: content\n    body: \"{words}\"\n"
    );
    std::fs::write(dir.path().join("d.yaml"), deck).unwrap();
    let output = common::carousel(dir.path(), &["check", "d.yaml"]);
    let text = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    let firsts: Vec<&str> =
        text.lines().filter(|l| l.starts_with("d.yaml:")).map(|l| l.split(": ").next().unwrap_or(l)).collect();
    assert_eq!(firsts, ["d.yaml:2:24", "d.yaml:6:12", "d.yaml:7:11", "d.yaml:9:5"], "{text}");
    assert!(
        text.contains("joins the next line") && text.contains("unknown slide kind") && text.contains("65 words"),
        "{text}"
    );
}
