//! Diagnostics: what went wrong in a deck, where, and what would be valid.
//!
//! Owns the [`Diagnostic`] value that every stage produces instead of panicking, and its
//! rendering as a compiler-style message. The first line is ours and fixed,
//! `path:line:col: error: ...`, because editors' problem matchers parse it; the source line with the
//! offending value underlined and the `help:` line below it are drawn by `annotate-snippets` (the
//! renderer rustc and cargo use). The command line prints them; the library never prints.

use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::read::yaml::Pos;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Something an author may want to fix; the build goes on.
    Warning,
    /// The deck cannot be built.
    Error,
}

/// A file other than the deck that a diagnostic points into (a theme file, a layout).
#[derive(Debug, Clone, PartialEq)]
pub struct SourceFile {
    /// The file, as it should be named in the message.
    pub path: PathBuf,
    /// Its text, when it could be read, for showing the line at fault.
    pub source: Option<String>,
}

/// One message about a deck.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where, when it is known.
    pub pos: Pos,
    /// What would be valid, or how to fix it.
    pub help: Option<String>,
    /// The file `pos` is in when it is not the deck itself (boxed: rare, and it keeps
    /// `Result<_, Diagnostic>` small).
    pub file: Option<Box<SourceFile>>,
}

/// Characters of a line kept on each side of the mark before the line is handed to the renderer:
/// a 2 MB one-line deck must not cost more than a short line, and the renderer still elides the
/// rest to its width with `...`, so a 5,000-character line stays readable.
const WINDOW_CHARS: usize = 200;
/// The most characters underlined: a 1 MB value is marked by its start, not by a screen of carets.
const MAX_MARK_CHARS: usize = 60;

impl Diagnostic {
    /// An error at `pos`.
    pub fn error(pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Error, message: message.into(), pos, help: None, file: None }
    }

    /// A warning at `pos`.
    pub fn warning(pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, message: message.into(), pos, help: None, file: None }
    }

    /// Adds a hint on what would be valid.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Says that `pos` is in the file at `path` (whose text is `source`), not in the deck.
    pub fn in_file(mut self, path: impl Into<PathBuf>, source: Option<String>) -> Diagnostic {
        self.file = Some(Box::new(SourceFile { path: path.into(), source }));
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the message for `path` whose text is `source`. With `color`, uses ANSI colours.
    ///
    /// When the diagnostic is [in another file](Diagnostic::in_file), that file and its text are
    /// used instead.
    pub fn render(&self, path: &Path, source: Option<&str>, color: bool) -> String {
        let (path, source) = match &self.file {
            Some(file) => (file.path.as_path(), file.source.as_deref()),
            None => (path, source),
        };
        let paint =
            |code: &str, text: &str| if color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() };
        let (word, code, level) = match self.severity {
            Severity::Error => ("error", "1;91", Level::ERROR),
            Severity::Warning => ("warning", "1;93", Level::WARNING),
        };
        let place = if self.pos.is_known() {
            format!("{}:{}:{}", path.display(), self.pos.line, self.pos.column)
        } else {
            path.display().to_string()
        };
        // The first line is written here, not by the crate: its `path:line:col: error: message`
        // form is what editors' problem matchers and the tests parse.
        let mut out = format!("{}: {}: {}\n", paint("1", &place), paint(code, word), paint("1", &self.message));
        let mut group = Group::with_level(level);
        let excerpt = source.filter(|_| self.pos.is_known()).and_then(|s| self.excerpt(s));
        let has_snippet = excerpt.is_some();
        if let Some((text, span)) = &excerpt {
            group = group.element(
                Snippet::source(text.as_str())
                    .line_start(self.pos.line as usize)
                    .fold(false)
                    .annotation(AnnotationKind::Primary.span(span.clone())),
            );
        }
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        if has_snippet || self.help.is_some() {
            let renderer = if color { Renderer::styled() } else { Renderer::plain() };
            out.push_str(&renderer.render(&[group]));
            out.push('\n');
        }
        out
    }

    /// The line at fault, cut to a window around the mark, and the byte range of the mark in it.
    ///
    /// A tab becomes one space (the renderer widens tabs but not the mark under them) and other
    /// control characters become U+FFFD, so that a deck cannot send escape sequences to the
    /// terminal; one character for one keeps the character columns right.
    fn excerpt(&self, source: &str) -> Option<(String, std::ops::Range<usize>)> {
        let line = source.lines().nth((self.pos.line as usize).checked_sub(1)?)?;
        let total = line.chars().count();
        let column = ((self.pos.column.max(1) - 1) as usize).min(total);
        let width = self.pos.len.clamp(1, MAX_MARK_CHARS).min(total - column);
        let start = column.saturating_sub(WINDOW_CHARS);
        let end = (column + width + WINDOW_CHARS).min(total);
        let mut text = String::new();
        let (mut from, mut to) = (0, 0);
        for (index, c) in line.chars().enumerate().skip(start).take(end - start) {
            if index == column {
                from = text.len();
            }
            text.push(match c {
                '\t' => ' ',
                c if c.is_control() => '\u{fffd}',
                c => c,
            });
            if index + 1 == column + width {
                to = text.len();
            }
        }
        if column >= end {
            // The mark is at the end of the line (a value that is missing): an empty span there.
            from = text.len();
        }
        Some((text, from..to.max(from)))
    }
}

/// The closest of `candidates` to `given`, if any is close enough to be a likely typo.
pub fn did_you_mean<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let given = given.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(&given, &candidate.to_lowercase()), candidate))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

/// A help line listing what is valid, with a did-you-mean when one candidate is close.
pub fn valid_help(given: &str, candidates: &[&str]) -> String {
    let list = candidates.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ");
    match did_you_mean(given, candidates.iter().copied()) {
        Some(close) => format!("did you mean `{close}`? valid: {list}"),
        None => format!("valid: {list}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_position_line_and_help() {
        let source = "title: x\nthem: dark\n";
        let pos = Pos { line: 2, column: 1, offset: Some(9), len: 4 };
        let text = Diagnostic::error(pos, "unknown key `them`")
            .with_help(valid_help("them", &["theme", "title"]))
            .render(Path::new("d.yaml"), Some(source), false);
        assert_eq!(
            text,
            "d.yaml:2:1: error: unknown key `them`\n  |\n2 | them: dark\n  | ^^^^\n  |\n  = help: did you mean `theme`? valid: `theme`, `title`\n"
        );
    }

    #[test]
    fn first_line_is_the_same_for_warnings_and_unknown_positions() {
        let warning = Diagnostic::warning(Pos { line: 1, column: 8, offset: Some(7), len: 3 }, "odd").render(
            Path::new("d.yaml"),
            Some("title: abc"),
            false,
        );
        assert!(warning.starts_with("d.yaml:1:8: warning: odd\n"), "{warning}");
        assert!(warning.contains("1 | title: abc\n  |        ^^^\n"), "{warning}");
        let nowhere = Diagnostic::error(Pos::default(), "cannot read the deck").with_help("give a deck").render(
            Path::new("d.yaml"),
            Some("title: abc"),
            false,
        );
        assert_eq!(nowhere.lines().next(), Some("d.yaml: error: cannot read the deck"));
        assert!(nowhere.contains("help: give a deck"), "{nowhere}");
        assert!(!nowhere.contains(" | "), "no position, no snippet: {nowhere}");
        let bare = Diagnostic::error(Pos::default(), "x").render(Path::new("d.yaml"), None, false);
        assert_eq!(bare, "d.yaml: error: x\n");
    }

    #[test]
    fn colour_only_when_asked() {
        let pos = Pos { line: 1, column: 1, offset: Some(0), len: 5 };
        let diagnostic = Diagnostic::error(pos, "bad").with_help("fix it");
        assert!(!diagnostic.render(Path::new("d.yaml"), Some("title: x"), false).contains('\x1b'));
        let coloured = diagnostic.render(Path::new("d.yaml"), Some("title: x"), true);
        assert!(coloured.contains('\x1b'), "{coloured}");
        assert!(coloured.contains("d.yaml:1:1"), "{coloured}");
    }

    #[test]
    fn long_lines_are_windowed_around_the_mark() {
        let line = format!("title: \"{}VALUE{}\"", "a".repeat(2_500), "b".repeat(2_500));
        let column = line.find("VALUE").unwrap() as u32 + 1;
        let pos = Pos { line: 1, column, offset: Some(column as usize - 1), len: 5 };
        let text = Diagnostic::error(pos, "here").render(Path::new("d.yaml"), Some(&line), false);
        assert!(text.lines().all(|l| l.chars().count() < 200), "{text}");
        let shown = text.lines().find(|l| l.starts_with("1 |")).unwrap();
        let marks = text.lines().find(|l| l.contains('^')).unwrap();
        assert!(shown.contains("...") && shown.contains("aVALUEb"), "{shown}");
        assert_eq!(&shown[marks.find('^').unwrap()..][..5], "VALUE", "{text}");
        assert_eq!(marks.matches('^').count(), 5);
        // A value longer than a screen is marked by its start.
        let pos = Pos { line: 1, column: 8, offset: Some(7), len: line.len() - 7 };
        let text = Diagnostic::error(pos, "long").render(Path::new("d.yaml"), Some(&line), false);
        assert!(text.lines().all(|l| l.chars().count() < 200), "{text}");
    }

    #[test]
    fn any_line_renders_without_panicking() {
        let lines =
            ["", "\t- kind: hook", "title: 🚀 émoji 👩🏽‍💻 \u{202e}rtl", "a\x1b[31mred\x07", "x\r", "日本語のタイトル: 値"];
        for line in lines {
            let count = line.chars().count() as u32;
            for column in 0..=count + 2 {
                for len in [0, 1, 3, 1_000] {
                    let pos = Pos { line: 1, column, offset: None, len };
                    let text = Diagnostic::warning(pos, "w").render(Path::new("d.yaml"), Some(line), false);
                    assert!(text.starts_with(&format!("d.yaml:1:{column}: warning: w")), "{text}");
                    assert!(!text.contains('\x1b'), "escape sequences from the deck reach the terminal: {text}");
                }
            }
        }
        let tab = Pos { line: 1, column: 2, offset: None, len: 1 };
        let text = Diagnostic::error(tab, "tab").render(Path::new("d.yaml"), Some("\t- kind: hook"), false);
        assert!(text.contains("1 |  - kind: hook\n  |  ^\n"), "the mark is not under the `-`: {text}");
        let past_the_end = Pos { line: 9, column: 1, offset: None, len: 1 };
        let text = Diagnostic::error(past_the_end, "eof").render(Path::new("d.yaml"), Some("a: b\n"), false);
        assert_eq!(text, "d.yaml:9:1: error: eof\n");
    }

    #[test]
    fn points_into_another_file() {
        let pos = Pos { line: 2, column: 9, offset: Some(18), len: 3 };
        let text = Diagnostic::error(pos, "`accent: red` is not a colour")
            .in_file("themes/mine.yaml", Some("extends: paper\naccent: red\n".to_string()))
            .render(Path::new("deck.yaml"), Some("title: T\n"), false);
        assert!(text.starts_with("themes/mine.yaml:2:9: error: `accent: red`"), "{text}");
        assert!(text.contains("2 | accent: red\n  |         ^^^\n"), "{text}");
    }

    #[test]
    fn suggests_only_close_names() {
        assert_eq!(did_you_mean("tick", ["check", "cross"]), None);
        assert_eq!(did_you_mean("chekc", ["check", "cross"]), Some("check"));
    }
}
