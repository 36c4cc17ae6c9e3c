//! Diagnostics: what went wrong in a deck, where, and what would be valid.
//!
//! Owns the [`Diagnostic`] value that every stage produces instead of panicking, and its
//! rendering as a compiler-style message: `path:line:col: error: ...`, the source line with the
//! offending value marked, and a `help:` line naming what is valid. The command line prints them;
//! the library never prints.

use std::fmt::Write as _;
use std::path::Path;

use crate::yaml::Pos;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Something an author may want to fix; the build goes on.
    Warning,
    /// The deck cannot be built.
    Error,
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
}

impl Diagnostic {
    /// An error at `pos`.
    pub fn error(pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Error, message: message.into(), pos, help: None }
    }

    /// A warning at `pos`.
    pub fn warning(pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, message: message.into(), pos, help: None }
    }

    /// Adds a hint on what would be valid.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the message for `path` whose text is `source`. With `color`, uses ANSI colours.
    pub fn render(&self, path: &Path, source: Option<&str>, color: bool) -> String {
        let paint = |code: &str, text: &str| {
            if color {
                format!("\x1b[{code}m{text}\x1b[0m")
            } else {
                text.to_string()
            }
        };
        let (word, code) = match self.severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
        };
        let mut out = String::new();
        let place = if self.pos.is_known() {
            format!("{}:{}:{}", path.display(), self.pos.line, self.pos.column)
        } else {
            path.display().to_string()
        };
        let _ = writeln!(out, "{}: {}: {}", paint("1", &place), paint(code, word), paint("1", &self.message));
        if let Some(line_text) =
            source.filter(|_| self.pos.is_known()).and_then(|s| s.lines().nth(self.pos.line as usize - 1))
        {
            let number = self.pos.line.to_string();
            let gutter = " ".repeat(number.len());
            let column = (self.pos.column.max(1) - 1) as usize;
            let width = self.marked_width(line_text, column);
            // Long lines are shown as a window around the mark, so a 5,000-character line stays readable.
            let start = column.saturating_sub(40);
            let width = width.min(60);
            let end = column + width + 20;
            let total = line_text.chars().count();
            let mut shown: String =
                line_text.chars().skip(start).take(end - start).map(|c| if c == '\t' { ' ' } else { c }).collect();
            let mut column = column - start;
            if start > 0 {
                shown.insert_str(0, "...");
                column += 3;
            }
            if end < total {
                shown.push_str("...");
            }
            let _ = writeln!(out, "{} |", paint("1;34", &gutter));
            let _ = writeln!(out, "{} | {}", paint("1;34", &number), shown);
            let _ =
                writeln!(out, "{} | {}{}", paint("1;34", &gutter), " ".repeat(column), paint(code, &"^".repeat(width)));
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "  = {}: {}", paint("1", "help"), help);
        }
        out
    }

    /// How many characters of the line the value covers (at least one, at most to the line's end).
    fn marked_width(&self, line_text: &str, column: usize) -> usize {
        let rest = line_text.chars().count().saturating_sub(column);
        let value_chars = self.pos.offset.map(|_| self.pos.len).unwrap_or(0);
        value_chars.clamp(1, rest.max(1))
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
            "d.yaml:2:1: error: unknown key `them`\n  |\n2 | them: dark\n  | ^^^^\n  = help: did you mean `theme`? valid: `theme`, `title`\n"
        );
    }

    #[test]
    fn suggests_only_close_names() {
        assert_eq!(did_you_mean("tick", ["check", "cross"]), None);
        assert_eq!(did_you_mean("chekc", ["check", "cross"]), Some("check"));
    }
}
