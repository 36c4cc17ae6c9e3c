//! The caption as LinkedIn keeps it: where a `|` block's lines start in the deck, and which of
//! them is a hard wrap (LinkedIn keeps every line break of a post, so a paragraph wrapped by hand
//! breaks mid-sentence in the feed). Read while the deck's source is at hand; the lint of
//! `carousel check` reports it.

use crate::read::yaml::Pos;

/// Lines shorter than this are not taken for hard wraps (a list, a short line on purpose).
const MIN_WRAPPED_LINE_CHARS: usize = 30;

/// The index of the first line of `text` that is a hard wrap: a line of a paragraph (not its
/// last) at least `MIN_WRAPPED_LINE_CHARS` long, that does not end a sentence or a clause,
/// followed by a line that goes on with the sentence (it starts with a lower-case letter).
pub fn first_hard_wrap(text: &str) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    for (index, pair) in lines.windows(2).enumerate() {
        let (line, next) = (pair[0].trim_end(), pair[1].trim_start());
        if line.trim().is_empty() || next.is_empty() || line.chars().count() < MIN_WRAPPED_LINE_CHARS {
            continue;
        }
        let ends_clause = line.ends_with(['.', '!', '?', ':', ';', '…', '"', ')', '»']) || line.ends_with("\\");
        let ends_in_word = line.chars().last().is_some_and(|c| c.is_alphanumeric() || c == ',' || c == '-');
        let continues = next.chars().next().is_some_and(char::is_lowercase);
        if !ends_clause && ends_in_word && continues {
            return Some(index);
        }
    }
    None
}

/// Where each line of the `|` block scalar whose value starts at `pos` begins, or `None` when the
/// value is not a literal block (quoted, plain or `>`). `pos` may point at the `|` indicator or at
/// the first line of the content, depending on the parser.
pub fn literal_block_lines(source: &str, pos: Pos) -> Option<Vec<Pos>> {
    let offset = pos.offset?;
    if offset > source.len() || !source.is_char_boundary(offset) {
        return None;
    }
    let line_start = |at: usize| source[..at].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let is_indicator = |text: &str| {
        let text = text.split(" #").next().unwrap_or(text).trim_end();
        let token = text.rsplit([' ', '\t']).next().unwrap_or(text);
        token.starts_with('|') && token[1..].chars().all(|c| matches!(c, '-' | '+' | '1'..='9'))
    };
    // The line holding the indicator, as a byte offset of its start.
    let indicator_line = if source[offset..].starts_with('|') {
        line_start(offset)
    } else {
        let this_line = line_start(offset);
        if this_line == 0 {
            return None;
        }
        let previous = line_start(this_line - 1);
        if !is_indicator(&source[previous..this_line - 1]) {
            return None;
        }
        previous
    };
    let indicator_text =
        &source[indicator_line..source[indicator_line..].find('\n').map_or(source.len(), |i| indicator_line + i)];
    if !is_indicator(indicator_text) {
        return None;
    }
    let first_line_number = source[..indicator_line].matches('\n').count() as u32 + 2;
    let mut lines = Vec::new();
    let mut at = source[indicator_line..].find('\n').map(|i| indicator_line + i + 1)?;
    let mut number = first_line_number;
    while at <= source.len() && lines.len() < 10_000 {
        let end = source[at..].find('\n').map_or(source.len(), |i| at + i);
        let line = &source[at..end];
        let indent = line.len() - line.trim_start_matches(' ').len();
        lines.push(Pos {
            line: number,
            column: indent as u32 + 1,
            offset: Some(at + indent),
            len: line[indent..].chars().count(),
        });
        if end >= source.len() {
            break;
        }
        at = end + 1;
        number += 1;
    }
    Some(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hard_wraps_are_found_and_lists_are_not() {
        let wrapped = "Shipped it!\n\nAfter 3 weeks of building, here's what I learned about distributed\nsystems and real-time collaboration.\n";
        assert_eq!(first_hard_wrap(wrapped), Some(2));
        for fine in [
            "One paragraph on one line, however long it is, with no break at all.\n\nAnother.",
            "What we did:\n- cached the query, which was the slow part of it all\n- added an index",
            "A line that ends a sentence and is long enough to count.\nthen lower case.",
            "Short line\ncontinues",
        ] {
            assert_eq!(first_hard_wrap(fine), None, "{fine}");
        }
    }

    #[test]
    fn literal_blocks_are_told_from_other_styles() {
        let source = "caption:\n  text: |\n    line one\n    line two\n";
        let at_indicator = Pos { line: 2, column: 9, offset: Some(17), len: 0 };
        let at_content = Pos { line: 3, column: 5, offset: Some(24), len: 0 };
        for pos in [at_indicator, at_content] {
            let lines = literal_block_lines(source, pos).expect("a literal block");
            assert_eq!((lines[0].line, lines[0].column), (3, 5));
            assert_eq!((lines[1].line, lines[1].column), (4, 5));
        }
        let folded = "caption:\n  text: >\n    line one\n    line two\n";
        assert!(literal_block_lines(folded, Pos { offset: Some(24), ..at_content }).is_none());
        let quoted = "caption:\n  text: \"line one\"\n";
        assert!(literal_block_lines(quoted, Pos { offset: Some(17), ..at_content }).is_none());
        assert!(literal_block_lines(quoted, Pos { offset: Some(999), ..at_content }).is_none());
    }
}
