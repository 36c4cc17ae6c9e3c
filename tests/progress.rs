//! A batch whose stderr is not a terminal (CI, a pipe, a log file) prints exactly as before the
//! progress bar existed: no bar, no carriage returns, each deck's lines in input order, then the
//! one-line summary. The bar itself is tested in `src/cli/progress.rs`; on a terminal, try
//! `script -qc "carousel build decks/" /dev/null`.

use std::process::Command;

#[test]
fn a_batch_without_a_terminal_prints_plain_lines_in_order_and_the_summary() {
    let repo = env!("CARGO_MANIFEST_DIR");
    let output = Command::new(env!("CARGO_BIN_EXE_carousel"))
        .args(["check", "decks/"])
        .current_dir(repo)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .expect("run carousel");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains('\r') && !stderr.contains('\x1b') && !stderr.contains("decks ["), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    let decks: Vec<&str> = lines.iter().filter_map(|l| l.strip_prefix("ok ")?.split(':').next()).collect();
    let mut sorted = decks.clone();
    sorted.sort();
    assert_eq!(decks, sorted, "decks are reported in input order");
    let bundled = std::fs::read_dir(std::path::Path::new(repo).join("decks"))
        .expect("decks/")
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .count();
    assert!(bundled >= 6);
    assert_eq!(decks.len(), bundled, "{stderr}");
    let summary = format!("checked {bundled} decks, all fine");
    assert_eq!(lines.last(), Some(&summary.as_str()), "{stderr}");
}
