//! YAML's traps in a deck's text: what parses, but not as the author meant.
//!
//! Owns one: inside a double-quoted string, a `\` at the end of a line is an escaped line break,
//! which YAML removes, joining the next line to this one with no space and no break
//! (`"Drop a link 👇\` then `I'll try…"` becomes `Drop a link 👇I'll try…`). The warning points at
//! the backslash and says how to write a break. Read from the source text, since the parsed value
//! no longer shows it.

use crate::read::diag::Diagnostic;
use crate::read::yaml::Pos;

/// A warning for every line of a double-quoted string that ends in an escaped line break.
pub fn escaped_line_breaks(source: &str) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let mut in_double = false;
    // The indentation a `|` or `>` block's lines are deeper than, while in one.
    let mut block: Option<usize> = None;
    let mut offset = 0;
    for (index, line) in source.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start().len();
        if let Some(depth) = block {
            if content.trim().is_empty() || indent > depth {
                continue;
            }
            block = None;
        }
        let mut chars = content.char_indices().peekable();
        let mut in_single = false;
        let mut previous = ' ';
        while let Some((at, c)) = chars.next() {
            if in_double {
                match c {
                    '\\' => {
                        if chars.peek().is_none() {
                            let column = content[..at].chars().count() as u32 + 1;
                            let pos = Pos { line: index as u32 + 1, column, offset: Some(start + at), len: 1 };
                            warnings.push(
                                Diagnostic::warning(
                                    pos,
                                    "this `\\` at the end of a line inside double quotes joins the next line to this one, with no space and no line break",
                                )
                                .with_help("to break the line here, write `\\n` before the `\\`; or write the text as a `|` block, which keeps its line breaks"),
                            );
                        } else {
                            chars.next();
                        }
                    }
                    '"' => in_double = false,
                    _ => {}
                }
            } else if in_single {
                if c == '\'' {
                    if chars.peek().is_some_and(|(_, n)| *n == '\'') {
                        chars.next();
                    } else {
                        in_single = false;
                    }
                }
            } else {
                match c {
                    '#' if previous.is_whitespace() => break,
                    '"' => in_double = true,
                    '\'' if previous.is_whitespace() || matches!(previous, ':' | '[' | '{' | ',' | '-') => {
                        in_single = true
                    }
                    _ => {}
                }
            }
            previous = c;
        }
        // A key or item whose value is a block scalar: its lines are text, quotes and all.
        if !in_double {
            let trimmed = content.split(" #").next().unwrap_or(content).trim_end();
            let indicator = trimmed.rsplit([' ', '\t']).next().unwrap_or("");
            let is_block = (indicator.starts_with('|') || indicator.starts_with('>'))
                && indicator[1..].chars().all(|c| matches!(c, '-' | '+' | '1'..='9'))
                && trimmed.len() > indicator.len();
            if is_block {
                block = Some(indent);
            }
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_escaped_line_break_in_double_quotes_is_found_at_its_backslash() {
        let source = "caption: \"Drop a link 👇\\\n  I'll try it\"\n";
        let warnings = escaped_line_breaks(source);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!((warnings[0].pos.line, warnings[0].pos.column), (1, 24));
    }

    #[test]
    fn other_backslashes_and_block_scalars_are_left_alone() {
        for source in [
            "caption: \"a \\\"quoted\\\" word\"\n",
            "caption: \"line one\\nline two\"\n",
            "code:\n  source: |\n    say \"hello \\\n    world\"\n",
            "caption: 'single quoted \\\n  stays'\n",
            "title: x # a \"comment \\\n",
        ] {
            assert!(escaped_line_breaks(source).is_empty(), "{source:?}: {:?}", escaped_line_breaks(source));
        }
    }
}
