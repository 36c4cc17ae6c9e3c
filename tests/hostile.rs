//! A shared deck, theme or layout gets nothing of the author's machine (issue #25): no file
//! outside the deck's folder is read or printed, whatever path, symlink or extension it tries, and
//! an SVG that would take minutes or gigabytes to draw is refused before anything draws it.

mod common;

use std::path::Path;

use common::scrubbed_carousel;

const SECRET: &str = "AQXsecretTOKENvalue1234";

/// A home holding a stored LinkedIn token and a YAML file of secrets, with a deck folder in it.
fn home() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join(".config/carousel");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("linkedin-token.json"),
        format!("{{\"access_token\": \"{SECRET}\", \"expires_at\": 1}}\n"),
    )
    .unwrap();
    std::fs::write(dir.path().join("secrets.yaml"), format!("access_token: {SECRET}\n")).unwrap();
    std::fs::create_dir_all(dir.path().join("decks")).unwrap();
    dir
}

fn deck(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join("decks").join(name), text).unwrap();
}

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output = scrubbed_carousel(dir)
        .env("LINKEDIN_ACCESS_TOKEN", SECRET)
        .env("XDG_CONFIG_HOME", dir.join(".config"))
        .args(args)
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.code(), text)
}

#[test]
fn a_theme_path_never_prints_a_file_outside_the_deck() {
    let dir = home();
    let d = dir.path();
    let themes = [
        "../.config/carousel/linkedin-token.json",
        "../secrets.yaml",
        "/proc/self/environ",
        "/etc/passwd",
        "link.yaml",
        "inside.yaml",
    ];
    #[cfg(unix)]
    std::os::unix::fs::symlink(d.join("secrets.yaml"), d.join("decks/link.yaml")).unwrap();
    // Inside the deck's folder but not a theme by its content: reported, its lines not shown.
    std::fs::write(d.join("decks/inside.yaml"), format!("access_token: {SECRET}\n")).unwrap();
    for (index, theme) in themes.iter().enumerate() {
        let name = format!("t{index}.yaml");
        deck(d, &name, &format!("title: T\ntheme: {theme}\nslides:\n  - kind: hook\n    title: x\n"));
        let path = format!("decks/{name}");
        for args in
            [vec!["check", path.as_str()], vec!["build", path.as_str()], vec!["publish", path.as_str(), "--dry-run"]]
        {
            let (code, text) = run(d, &args);
            assert_eq!(code, Some(1), "{args:?} with theme {theme}: {text}");
            assert!(!text.contains(SECRET), "{args:?} with theme {theme} printed the secret:\n{text}");
            assert!(!text.contains("root:"), "{args:?} with theme {theme} printed /etc/passwd:\n{text}");
        }
    }
}

#[test]
fn images_outside_the_deck_are_refused_unless_allowed_on_the_command_line() {
    let dir = home();
    let d = dir.path();
    let photo = common::repo().join("tests/reference/assets/photo.jpg");
    std::fs::copy(&photo, d.join("photo.jpg")).unwrap();
    let absolute = d.join("photo.jpg").display().to_string();
    for (index, image) in ["../photo.jpg", absolute.as_str()].iter().enumerate() {
        let name = format!("i{index}.yaml");
        deck(
            d,
            &name,
            &format!("title: T\nauthor: {{ name: A, avatar: {image} }}\nslides:\n  - kind: hook\n    title: x\n    background: {image}\n  - kind: content\n    image: {image}\n"),
        );
        let path = format!("decks/{name}");
        let (code, text) = run(d, &["build", &path]);
        assert_eq!(code, Some(1), "{text}");
        assert_eq!(text.matches("outside the deck's folder").count(), 3, "avatar, background and image:\n{text}");
        assert!(!d.join("out").join(format!("i{index}.pdf")).exists());
        let (code, text) = run(d, &["build", &path, "--allow-outside", d.to_str().unwrap()]);
        assert_eq!(code, Some(0), "allowed on the command line: {text}");
    }
    // A symlink out of the tree is refused like a path that climbs out.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(d.join("photo.jpg"), d.join("decks/photo.jpg")).unwrap();
        deck(d, "s.yaml", "title: T\nslides:\n  - kind: content\n    image: photo.jpg\n");
        let (code, text) = run(d, &["check", "decks/s.yaml"]);
        assert_eq!(code, Some(1), "{text}");
        assert!(text.contains("decks/s.yaml:4:12: error") && text.contains("outside the deck's folder"), "{text}");
    }
}

#[test]
fn an_svg_that_would_render_for_minutes_is_refused_by_check() {
    // Each is named with its position and reason by `check`, which does not draw anything.
    for (deck, reason) in [
        ("svg-filter-bomb.yaml", "would take about"),
        ("svg-filter-region.yaml", "a filter's region is"),
        ("svg-use-bomb.yaml", "`<use>` copies"),
        ("svg-text-bomb.yaml", "characters of text"),
        ("svg-image-reuse.yaml", "each use counted"),
        ("layout-filter.yaml", "would cost too much to draw"),
    ] {
        let path = common::repo().join("tests/bad").join(deck);
        let output = common::carousel(&common::repo(), &["check", path.to_str().unwrap()]);
        let text = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{deck}: {text}");
        assert!(text.contains(reason), "{deck}: {text}");
    }
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_a_build_between_slides_and_leaves_the_outputs_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let mut deck = String::from("title: Big\nsize: {width: 4096, height: 4096}\nslides:\n");
    for i in 0..150 {
        deck.push_str(&format!("  - kind: content\n    title: Slide {i}\n    body: \"Text for slide {i}, long enough to wrap over a few lines.\"\n"));
    }
    std::fs::write(dir.path().join("big.yaml"), deck).unwrap();
    let child = scrubbed_carousel(dir.path())
        .args(["build", "big.yaml", "--no-cache"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(800));
    let _ = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status();
    let output = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&output.stderr);
    // Interrupted (130), or done before the signal came (0); never killed mid-write by it.
    match output.status.code() {
        Some(130) => {
            assert!(text.contains("interrupted (Ctrl-C): nothing was written"), "{text}");
            assert!(!dir.path().join("out/big.pdf").exists());
            let left: Vec<_> = std::fs::read_dir(dir.path().join("out")).unwrap().flatten().map(|e| e.path()).collect();
            let files: Vec<_> =
                left.iter().filter(|p| p.is_file() && !p.to_string_lossy().ends_with(".lock")).collect();
            assert!(files.is_empty(), "temporaries left behind: {files:?}");
        }
        Some(0) => assert!(dir.path().join("out/big.pdf").exists()),
        other => panic!("exit {other:?} (killed by the signal?): {text}"),
    }
}

/// Two builds of one deck into one folder (a `watch` and a `build`, two scripts): the second
/// waits for the first, both succeed, and the files are whole, with no temporary left.
#[test]
fn two_builds_of_one_deck_into_one_folder_both_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let mut deck = String::from("title: Big\nsize: {width: 3000, height: 3000}\nslides:\n");
    for i in 0..40 {
        deck.push_str(&format!("  - kind: content\n    title: Slide {i}\n    body: \"Text for slide {i}.\"\n"));
    }
    std::fs::write(dir.path().join("big.yaml"), deck).unwrap();
    for round in 0..3 {
        let spawn = || {
            scrubbed_carousel(dir.path())
                .args(["build", "big.yaml", "--no-cache"])
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let first = spawn();
        // Start the second once the first has taken the lock.
        let lock = dir.path().join("out/.carousel-big.lock");
        for _ in 0..200 {
            if lock.exists() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let second = spawn();
        for (which, child) in [("first", first), ("second", second)] {
            let output = child.wait_with_output().unwrap();
            let text = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(0), "round {round}, {which} build: {text}");
        }
        let pdf = std::fs::read(dir.path().join("out/big.pdf")).unwrap();
        assert!(pdf.ends_with(b"%%EOF\n") || pdf.ends_with(b"%%EOF"), "the PDF is whole");
        let pngs = std::fs::read_dir(dir.path().join("out/big")).unwrap().count();
        assert_eq!(pngs, 40, "every slide, nothing else");
        let temporaries: Vec<_> = std::fs::read_dir(dir.path().join("out"))
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(temporaries.is_empty(), "{temporaries:?}");
    }
}
