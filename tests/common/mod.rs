//! Helpers shared by the integration tests that run the binary: the repository, and a temporary
//! folder holding a copy of the bundled decks to build, edit and break.

use std::path::{Path, PathBuf};

pub mod images;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temp folder holding a copy of the bundled decks and their assets.
#[allow(dead_code)]
pub fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("decks"), &dir.path().join("decks"));
    dir
}

/// Copies a folder and everything in it.
#[allow(dead_code)]
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target)
        } else {
            std::fs::copy(&path, &target).map(|_| ()).unwrap()
        }
    }
}

/// The binary, run in `dir` with a scrubbed environment: only `PATH`, and `HOME` pointing at
/// `dir`, so that no setting, token or proxy of the machine running the tests reaches it.
#[allow(dead_code)]
pub fn scrubbed_carousel(dir: &Path) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_carousel"));
    command
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir)
        .stdin(std::process::Stdio::null());
    command
}

/// Runs the binary in `dir` with the scrubbed environment of [`scrubbed_carousel`] and returns
/// what it did.
#[allow(dead_code)]
pub fn carousel(dir: &Path, args: &[&str]) -> std::process::Output {
    scrubbed_carousel(dir).args(args).output().expect("run carousel")
}

/// The bundled decks (`decks/*.yaml`), sorted.
#[allow(dead_code)]
pub fn bundled_decks() -> Vec<PathBuf> {
    decks_in(&["decks"])
}

/// Every bundled and reference deck, sorted.
#[allow(dead_code)]
pub fn all_decks() -> Vec<PathBuf> {
    decks_in(&["decks", "tests/reference"])
}

/// The decks (`*.yaml`) directly in each of `dirs` (relative to the repository), sorted.
fn decks_in(dirs: &[&str]) -> Vec<PathBuf> {
    let mut decks = Vec::new();
    for dir in dirs {
        for entry in std::fs::read_dir(repo().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "yaml") {
                decks.push(path);
            }
        }
    }
    decks.sort();
    decks
}

/// Whether `tool` runs; when it does not, skips (false) or, on CI, fails.
#[allow(dead_code)]
pub fn have(tool: &str, package: &str) -> bool {
    let found = std::process::Command::new(tool).arg("-v").output().is_ok();
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but no `{tool}`: .ci/run installs it (apt-get install -y {package})"
        );
        eprintln!("skipped: no `{tool}` (apt-get install -y {package} to run this test)");
    }
    found
}
