//! Progress of a batch on a terminal: a one-line bar on stderr while decks build, with each deck's
//! messages printed above it as the deck finishes.
//!
//! Owns the bar: drawing it, and printing text above it without tearing it (the bar line is
//! cleared, the text printed, the bar drawn again, all under one lock, so decks finishing on
//! different threads never interleave). The command line uses it only when stderr is a terminal
//! and there is more than one deck; otherwise it prints as before, in input order. It runs the
//! decks through [`build::run_with`], the same parallel run as [`build::run`], and hands the command line
//! the reports in input order, its own summary left to the caller.
//!
//! Hand-written rather than a crate: a bar that moves only when a deck finishes needs no timer
//! thread, and the drawing stays a pure function that a test can check.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::build::{self, DeckReport, Options};

/// Clears the terminal line the cursor is on and returns to its start.
const CLEAR_LINE: &str = "\r\x1b[2K";

/// Cells of the bar itself, between its brackets.
const BAR_CELLS: usize = 24;

/// Builds (or checks) every deck in parallel, drawing a bar on stderr and printing above it, as
/// each deck finishes, the text `describe` gives for its report. Reports come back in input order.
pub fn run(decks: &[PathBuf], options: &Options, describe: impl Fn(&DeckReport) -> String + Sync) -> Vec<DeckReport> {
    let verb = if options.check_only { "checking" } else { "building" };
    let bar = Bar::new(Box::new(std::io::stderr()), decks.len(), verb, terminal_width());
    bar.draw();
    let reports = build::run_with(decks, options, |report| bar.done(&report.path, report.failed(), &describe(report)));
    bar.clear();
    reports
}

/// The terminal's width in columns: `COLUMNS` when the shell exports it, else 80.
fn terminal_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse().ok()).filter(|&c| c >= 20).unwrap_or(80)
}

/// A progress bar drawn on one terminal line.
pub struct Bar {
    state: Mutex<State>,
}

struct State {
    out: Box<dyn Write + Send>,
    total: usize,
    done: usize,
    failed: usize,
    verb: &'static str,
    width: usize,
    last: String,
}

impl Bar {
    /// A bar for `total` decks, drawn on `out` (stderr, or a buffer in tests) within `width`
    /// columns; `verb` says what is happening ("building").
    pub fn new(out: Box<dyn Write + Send>, total: usize, verb: &'static str, width: usize) -> Bar {
        Bar { state: Mutex::new(State { out, total, done: 0, failed: 0, verb, width, last: String::new() }) }
    }

    /// Draws the bar in its current state.
    pub fn draw(&self) {
        self.with_state(|state| state.redraw(""));
    }

    /// Counts one deck as done and prints `text` (its messages, ending in a newline, or nothing)
    /// above the bar.
    pub fn done(&self, path: &Path, failed: bool, text: &str) {
        self.with_state(|state| {
            state.done += 1;
            state.failed += usize::from(failed);
            state.last = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            state.redraw(text);
        });
    }

    /// Removes the bar, leaving the cursor at the start of an empty line.
    pub fn clear(&self) {
        self.with_state(|state| {
            // A terminal that went away is no reason to stop the build.
            let _ = write!(state.out, "{CLEAR_LINE}");
            let _ = state.out.flush();
        });
    }

    fn with_state(&self, f: impl FnOnce(&mut State)) {
        // A panic while drawing poisons the lock; drawing on is still safe, the state is counters.
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut state);
    }
}

impl State {
    fn redraw(&mut self, above: &str) {
        let bar = line(self.verb, self.done, self.total, self.failed, &self.last, self.width);
        let _ = write!(self.out, "{CLEAR_LINE}{above}{bar}");
        let _ = self.out.flush();
    }
}

/// The bar's line: `building [#########---------------] 3/8 decks, 1 failed  day5.yaml`, cut to
/// fit in `width - 1` columns (a line that fills the last column wraps on some terminals, and
/// then the next redraw cannot clear it).
pub fn line(verb: &str, done: usize, total: usize, failed: usize, last: &str, width: usize) -> String {
    // No decks at all is a full bar, not a division by zero.
    let filled = (done.min(total) * BAR_CELLS).checked_div(total).unwrap_or(BAR_CELLS);
    let mut text = format!("{verb} [{}{}] {done}/{total} decks", "#".repeat(filled), "-".repeat(BAR_CELLS - filled));
    if failed > 0 {
        text.push_str(&format!(", {failed} failed"));
    }
    if !last.is_empty() {
        text.push_str("  ");
        text.push_str(last);
    }
    text.chars().take(width.saturating_sub(1)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn the_line_fills_with_progress_and_fits_the_width() {
        assert_eq!(line("building", 0, 4, 0, "", 80), "building [------------------------] 0/4 decks");
        assert_eq!(
            line("checking", 1, 4, 0, "day5.yaml", 80),
            "checking [######------------------] 1/4 decks  day5.yaml"
        );
        assert_eq!(
            line("building", 4, 4, 1, "day7.yaml", 80),
            "building [########################] 4/4 decks, 1 failed  day7.yaml"
        );
        assert_eq!(line("building", 2, 4, 0, "a-very-long-deck-name.yaml", 40).chars().count(), 39);
    }

    /// A writer the test can read after the bar has written to it.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn messages_print_above_the_bar_which_is_cleared_at_the_end() {
        let out = Shared::default();
        let bar = Bar::new(Box::new(out.clone()), 2, "building", 80);
        bar.draw();
        bar.done(Path::new("decks/a.yaml"), true, "decks/a.yaml:1:1: error: boom\n");
        bar.done(Path::new("decks/b.yaml"), false, "built decks/b.yaml\n");
        bar.clear();
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        assert_eq!(
            text,
            "\r\x1b[2Kbuilding [------------------------] 0/2 decks\
             \r\x1b[2Kdecks/a.yaml:1:1: error: boom\nbuilding [############------------] 1/2 decks, 1 failed  a.yaml\
             \r\x1b[2Kbuilt decks/b.yaml\nbuilding [########################] 2/2 decks, 1 failed  b.yaml\
             \r\x1b[2K"
        );
    }
}
