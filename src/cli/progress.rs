//! Progress of a batch on a terminal: a one-line bar on stderr while decks build, with each deck's
//! messages printed above it as the deck finishes.
//!
//! Owns the bar's look (`building [#########---------------] 3/8 decks, 1 failed  day5.yaml`) and
//! the order of its updates. The drawing is `indicatif`'s: it asks the terminal itself for its
//! width (shells rarely export `COLUMNS`), cuts the line by display columns (an emoji is two, a
//! combining mark none), so the bar never wraps, and prints text above the bar without tearing it,
//! under one lock, so decks finishing on different threads never interleave. The command line
//! uses it only when stderr is a terminal and there is more than one deck; otherwise it prints as
//! before, in input order. It runs the decks through [`build::run_with`], the same parallel run as
//! [`build::run`], and hands the command line the reports in input order, its own summary left to
//! the caller.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle, TermLike};

use crate::build::{self, DeckReport, Options};

/// Cells of the bar itself, between its brackets.
const BAR_CELLS: usize = 24;

/// Builds (or checks) every deck in parallel, drawing a bar on stderr and printing above it, as
/// each deck finishes, the text `describe` gives for its report. Reports come back in input order.
pub fn run(decks: &[PathBuf], options: &Options, describe: impl Fn(&DeckReport) -> String + Sync) -> Vec<DeckReport> {
    let verb = if options.check_only { "checking" } else { "building" };
    let bar = Bar::new(console::Term::buffered_stderr(), decks.len(), verb);
    let reports = build::run_with(decks, options, |report| bar.done(&report.path, report.failed(), &describe(report)));
    bar.clear();
    reports
}

/// A progress bar drawn on one terminal line.
pub struct Bar {
    bar: ProgressBar,
    failed: Arc<AtomicUsize>,
}

impl Bar {
    /// A bar for `total` decks, drawn on `terminal` (stderr, or a test's terminal) and fitted to
    /// its width; `verb` says what is happening ("building"). Draws it at once.
    pub fn new(terminal: impl TermLike + 'static, total: usize, verb: &'static str) -> Bar {
        let failed = Arc::new(AtomicUsize::new(0));
        let count = Arc::clone(&failed);
        // What the line holds besides the bar and the deck's name, at its longest:
        // `building [] 12/12 decks, 12 failed  `.
        let digits = total.to_string().len();
        let fixed = verb.len() + 3 + (2 * digits + 1) + 6 + (9 + digits) + 2;
        // The bar gives way first on a narrow terminal (the name is cut to fit what is left), and
        // goes altogether when fewer than 8 cells would be left of it.
        let cells = (terminal.width() as usize).saturating_sub(fixed + 12).min(BAR_CELLS);
        let template = if cells >= 8 {
            format!("{{prefix}} [{{bar:{cells}}}] {{pos}}/{{len}} decks{{failed}}  {{wide_msg}}")
        } else {
            "{prefix} {pos}/{len} decks{failed}  {wide_msg}".to_string()
        };
        // The template is made here; were it ever wrong, a plain bar is still a bar.
        let style = ProgressStyle::with_template(&template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("#-")
            .with_key("failed", move |_: &indicatif::ProgressState, out: &mut dyn std::fmt::Write| {
                let failed = count.load(Ordering::SeqCst);
                if failed > 0 {
                    let _ = write!(out, ", {failed} failed");
                }
            });
        let target = ProgressDrawTarget::term_like(Box::new(terminal));
        let bar = ProgressBar::with_draw_target(Some(total as u64), target).with_style(style).with_prefix(verb);
        bar.tick();
        Bar { bar, failed }
    }

    /// Counts one deck as done and prints `text` (its messages, ending in a newline, or nothing)
    /// above the bar.
    pub fn done(&self, path: &Path, failed: bool, text: &str) {
        self.failed.fetch_add(usize::from(failed), Ordering::SeqCst);
        self.bar.set_message(path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        self.bar.inc(1);
        // Printing redraws the bar with the counts above, whatever the rate limit of redraws.
        let text = text.strip_suffix('\n').unwrap_or(text);
        if text.is_empty() {
            self.bar.tick();
        } else {
            self.bar.println(text);
        }
    }

    /// Removes the bar, leaving the cursor at the start of an empty line.
    pub fn clear(&self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// A terminal of a given width that records what is written on it, line by line.
    #[derive(Debug, Clone)]
    struct Screen {
        width: u16,
        written: Arc<Mutex<Vec<String>>>,
    }

    impl Screen {
        fn new(width: u16) -> Screen {
            Screen { width, written: Arc::default() }
        }

        fn lines(&self) -> Vec<String> {
            self.written.lock().unwrap().clone()
        }
    }

    impl indicatif::TermLike for Screen {
        fn width(&self) -> u16 {
            self.width
        }
        fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> std::io::Result<()> {
            self.written.lock().unwrap().push(s.to_string());
            Ok(())
        }
        fn write_str(&self, s: &str) -> std::io::Result<()> {
            self.written.lock().unwrap().push(s.to_string());
            Ok(())
        }
        fn clear_line(&self) -> std::io::Result<()> {
            Ok(())
        }
        fn flush(&self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn columns(text: &str) -> usize {
        unicode_width::UnicodeWidthStr::width(text)
    }

    #[test]
    fn messages_print_above_the_bar_which_counts_and_is_cleared() {
        let screen = Screen::new(100);
        let bar = Bar::new(screen.clone(), 2, "building");
        bar.done(Path::new("decks/a.yaml"), true, "decks/a.yaml:1:1: error: boom\n");
        bar.done(Path::new("decks/b.yaml"), false, "built decks/b.yaml\n");
        bar.clear();
        let lines = screen.lines();
        let first = |needle: &str| lines.iter().position(|l| l.contains(needle));
        let last = |needle: &str| lines.iter().rposition(|l| l.contains(needle));
        assert_eq!(first("building [------------------------] 0/2 decks"), Some(0), "{lines:?}");
        let (boom, built) = (first("error: boom").unwrap(), first("built decks/b.yaml").unwrap());
        assert!(boom < built, "{lines:?}");
        // After each message, the bar is drawn again below it with the deck counted.
        let one = last("building [############------------] 1/2 decks, 1 failed  a.yaml").unwrap();
        let two = last("building [########################] 2/2 decks, 1 failed  b.yaml").unwrap();
        assert!(boom < one && one < built && built < two, "{lines:?}");
    }

    /// The bar fits a narrow terminal by display columns: an emoji is two columns, not one char.
    #[test]
    fn the_bar_fits_the_width_in_columns() {
        for width in [40u16, 50, 56, 60, 80] {
            let screen = Screen::new(width);
            let bar = Bar::new(screen.clone(), 3, "building");
            bar.done(Path::new("decks/🚀🚀🚀🚀🚀🚀-launch-deck-with-a-long-name.yaml"), false, "built it\n");
            bar.done(Path::new("decks/日本語のデッキの名前はとても長いです.yaml"), true, "failed\n");
            let lines = screen.lines();
            let bars: Vec<&String> = lines.iter().filter(|l| l.contains(" decks")).collect();
            assert!(bars.len() >= 2, "{lines:?}");
            for line in bars {
                assert!(
                    columns(line) <= width as usize,
                    "{} columns on a {width}-column terminal: {line}",
                    columns(line)
                );
            }
        }
    }
}
