//! `code:` a syntax-highlighted code panel with window dots, its language and an optional caption.

use crate::design::theme::Color;
use crate::geom::Rect;
use crate::read::yaml::Node;
use crate::read::{
    limits,
    reader::{Located, Reader},
};
use crate::scene::Item;
use crate::text::highlight::{self, TokenKind};
use crate::text::markup::Span;
use crate::text::{Align, Family, TextStyle, Typesetter};

use super::{inline, place_line, push_text, style, Block, Ctx, Element, Role, Sizes};
use crate::read::format::{Key, Mapping, Names, Rule, Shape};

/// A code block.
#[derive(Debug, Clone)]
pub struct Code {
    /// Canonical language name (see [`highlight::supported_languages`]).
    pub lang: &'static str,
    /// The code, without its final newline.
    pub source: Located<String>,
    /// A line under the panel.
    pub caption: Option<Located<String>>,
}

impl Code {
    /// The panel's width that sets its longest line unwrapped at the code's floor size (the
    /// smallest a phone reads it at), padding included.
    pub fn width_unwrapped(&self, ctx: &Ctx) -> f32 {
        let longest = self.source.value.lines().map(|l| l.replace('\t', "    ").chars().count()).max().unwrap_or(0);
        longest as f32 * 0.6 * 26.0 * ctx.fs / 0.99 + 72.0 * ctx.s
    }
}

impl Element for Code {
    const KEY: &'static str = "code";

    fn parse(reader: &mut Reader, node: &Node) -> Option<Code> {
        let fields = reader.map(node, "`code`", &CODE)?;
        let lang = match fields.present("lang") {
            None => "text",
            Some(lang_node) => {
                let given = lang_node.as_text().unwrap_or_default();
                match highlight::canonical_language(&given) {
                    Some(lang) => lang,
                    None => {
                        let langs = highlight::supported_languages().join(", ");
                        let help = match highlight::highlight(&given, "").err().and_then(|e| e.suggestion) {
                            Some(close) => format!("did you mean `{close}`? supported: {langs}"),
                            None => format!("supported: {langs}"),
                        };
                        reader.error(lang_node.pos, format!("unknown code language `{given}`"), help);
                        return None;
                    }
                }
            }
        };
        let Some(source_node) = fields.present("source") else {
            reader.error(node.pos, "`code` has no `source`", "add `source: |` followed by the code, indented");
            return None;
        };
        let source = reader.text(source_node, "`code.source`", CODE.max_chars("source"))?;
        let trimmed = source.value.trim_end_matches(['\n', '\r', ' ']).to_string();
        let lines = trimmed.lines().count();
        if lines > limits::MAX_CODE_LINES {
            reader.error(
                source_node.pos,
                format!("the code has {lines} lines; the limit is {}", limits::MAX_CODE_LINES),
                "show the lines that matter; a slide is read on a phone",
            );
            return None;
        }
        let caption = reader.optional_text(&fields, "caption", "`code.caption`", CODE.max_chars("caption"));
        Some(Code { lang, source: Located { value: trimmed, pos: source.pos }, caption })
    }

    fn layout(&self, ctx: &Ctx, sizes: &Sizes, ts: &mut Typesetter) -> Block {
        let s = ctx.s;
        let theme = ctx.theme;
        // A dense slide that closes its spacing up closes the panel's padding and lines too.
        let close = sizes.spacing.min(1.0);
        let pad = 36.0 * s * (0.5 + 0.5 * close);
        let inner = ctx.width - 2.0 * pad;
        let longest =
            self.source.value.lines().map(|l| l.replace('\t', "    ").chars().count()).max().unwrap_or(1).max(1);
        let palette = &theme.code;
        let lines = highlight::highlight(self.lang, &self.source.value).unwrap_or_default();
        let cells_of = |line: &Vec<highlight::CodeSpan>| -> Vec<(char, Color)> {
            line.iter()
                .flat_map(|span| {
                    let color = match span.kind {
                        TokenKind::Plain => palette.plain,
                        TokenKind::Keyword => palette.keyword,
                        TokenKind::String => palette.string,
                        TokenKind::Number => palette.number,
                        TokenKind::Comment => palette.comment,
                        TokenKind::Function => palette.function,
                        TokenKind::Type => palette.r#type,
                        TokenKind::Punctuation => palette.punctuation,
                    };
                    span.text.replace('\t', "    ").chars().map(move |c| (c, color)).collect::<Vec<_>>()
                })
                .collect()
        };
        let cells: Vec<Vec<(char, Color)>> = lines.iter().map(cells_of).collect();
        // Wrapped here, not by the typesetter: a long line breaks where code breaks (after a
        // space or a comma, before a `.`), and continues under a hanging indent after a mark,
        // so it never reads as a new statement at column 0. The size was chosen for the longest
        // line to fit: rounding must not cost it its last column (hence the 0.01).
        let columns_at = |size: f32| ((inner / (size * 0.6)) * 0.995 + 0.01).floor().max(8.0) as usize;
        let pieces_at = |columns: usize| -> usize {
            cells.iter().map(|line| wrap_code_line(line, columns, palette.comment).len()).sum()
        };
        // JetBrains Mono advances 0.6 em per character: shrink to fit the longest line, down to
        // the floor, then wrap. Code that wraps even at the floor wraps at the largest size that
        // breaks it into no more lines: smaller type would cost reading and save no line.
        let (floor, designed) = (26.0 * ctx.fs, (30.0 * s * sizes.f).max(26.0 * ctx.fs));
        let fitting = inner / (longest as f32 * 0.6) * 0.995;
        let mut size = designed.min(fitting).max(floor);
        if fitting < floor {
            let least = pieces_at(columns_at(floor));
            size = designed;
            while size > floor && pieces_at(columns_at(size)) > least {
                size = (size - s).max(floor);
            }
        }
        let columns = columns_at(size);
        let mut runs = Vec::new();
        for (index, cells) in cells.iter().enumerate() {
            for (part, piece) in wrap_code_line(cells, columns, palette.comment).into_iter().enumerate() {
                if index > 0 || part > 0 {
                    runs.push(("\n".to_string(), palette.plain));
                }
                if let Some(indent) = piece.hang {
                    runs.push((format!("{}{CONTINUATION} ", " ".repeat(indent)), palette.comment));
                }
                push_cells(&mut runs, &cells[piece.range]);
            }
        }
        let code_style =
            TextStyle { line_height: 1.45 - (1.0 - close) * 0.5, ..style(theme, Family::Mono, size, palette.plain) };
        let mut text = ts.set_runs(&runs, &code_style, inner);
        if ts.mirrored() {
            // Code reads left to right in every deck: flush left in the panel once mirrored.
            text.mirror_within(inner);
        }
        let mut items = Vec::new();
        let bar = 44.0 * s;
        let panel_height = bar + text.height + pad;
        items.push(Item::Rect {
            rect: Rect { x: 0.0, y: 0.0, width: ctx.width, height: panel_height },
            radius: 24.0 * s,
            fill: theme.surface,
            opacity: 1.0,
        });
        // Window dots and the language: the panel reads as code at a glance.
        for (i, color) in [theme.bad, theme.warn, theme.good].into_iter().enumerate() {
            items.push(Item::Circle { cx: pad + i as f32 * 24.0 * s, cy: bar * 0.62, r: 7.0 * s, fill: color });
        }
        if self.lang != "text" {
            let label_style = TextStyle {
                weight: 700,
                letter_spacing: 0.1,
                line_height: 1.0,
                ..style(theme, Family::Sans, 24.0 * s, theme.muted)
            };
            let spans = vec![Span { text: self.lang.to_uppercase(), emphasis: Default::default() }];
            let label = ts.set(&spans, &label_style, inner, Align::Start);
            let x = ctx.width - pad - label.width;
            place_line(&mut items, &label, x, bar * 0.62 + 24.0 * s * 0.36);
        }
        push_text(&mut items, &text, pad, bar + pad * 0.4, None);
        let mut height = panel_height;
        if let Some(caption) = &self.caption {
            let caption_style = TextStyle {
                line_height: 1.3,
                ..style(theme, Family::Sans, (sizes.body * 0.78).max(26.0 * s), theme.muted)
            };
            let caption_text = ts.set(&inline(&caption.value), &caption_style, ctx.width, Align::Start);
            height += 16.0 * s;
            push_text(&mut items, &caption_text, 0.0, height, Some(theme.surface));
            height += caption_text.height;
        }
        Block { name: Self::KEY, pos: self.source.pos, items, width: ctx.width, height, gap_before: 0.0 }
    }

    /// Beside the heading while its longest line fits the column at the code's floor size, or
    /// wraps there once at most (a continuation reads; three lines for one do not).
    fn role(&self, column: &Ctx) -> Role {
        let room = column.width - 72.0 * column.s;
        let columns = (room / (0.6 * 26.0 * column.fs / 0.99)).floor().max(8.0) as usize;
        let once_at_most = self.source.value.lines().all(|line| {
            let cells: Vec<(char, Color)> = line.replace('\t', "    ").chars().map(|c| (c, Color::default())).collect();
            // The comment colour is one no cell has: a comment is wrapped as code here.
            wrap_code_line(&cells, columns, Color { r: 1, g: 2, b: 3 }).len() <= 2
        });
        if once_at_most && self.width_unwrapped(column) - 72.0 * column.s <= room * WRAPS_BESIDE {
            Role::Figure
        } else {
            Role::Spread
        }
    }

    fn words(&self, out: &mut Vec<String>) {
        out.push(format!("Code ({}): {}", self.lang, self.source.value.lines().next().unwrap_or_default()));
    }
}

/// How much longer than the heading's neighbour column the longest line may be for the code to
/// sit there, wrapped.
const WRAPS_BESIDE: f32 = 1.6;

/// The mark a wrapped code line continues after (JetBrains Mono has it, so columns stay aligned).
const CONTINUATION: char = '→';

/// One visual line of a wrapped code line: its characters, and for a continuation the spaces
/// before the continuation mark.
#[derive(Debug, PartialEq)]
struct Piece {
    range: std::ops::Range<usize>,
    hang: Option<usize>,
}

/// How many columns a character takes in a monospaced face (CJK takes two).
fn cell_width(c: char) -> usize {
    if crate::text::is_cjk(c) {
        2
    } else {
        1
    }
}

/// Breaks one code line into pieces of at most `columns` cells. A continuation starts two
/// columns further in than the line's own indent, after the mark and a space (four in all: a
/// hanging indent); it breaks after a space, a comma or an opening bracket, else before a `.` or
/// an operator, in the last three fifths of the room, and only where none is there inside a token.
fn wrap_code_line(cells: &[(char, Color)], columns: usize, comment: Color) -> Vec<Piece> {
    let indent = cells.iter().take_while(|(c, _)| *c == ' ').count();
    // A line indented so deep that a continuation would have no room continues at a shallower hang.
    let hang_by_indent = (indent + 2).min(columns / 2);
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut first = true;
    while start < cells.len() {
        // A name longer than the hanging indent leaves room for hangs less, rather than being cut.
        let hang = hang_by_indent;
        let token = cells[start..]
            .iter()
            .position(|(c, _)| matches!(c, ' ' | ',' | '(' | '[' | '{' | ';'))
            .map_or(cells.len() - start, |p| p + 1);
        let hang = if token + hang + 2 > columns { columns.saturating_sub(token + 2).min(hang) } else { hang };
        let room = if first { columns } else { columns.saturating_sub(hang + 2).max(4) };
        // The furthest cell that still fits.
        let mut used = 0;
        let mut end = start;
        while end < cells.len() && used + cell_width(cells[end].0) <= room {
            used += cell_width(cells[end].0);
            end += 1;
        }
        if end == cells.len() {
            pieces.push(Piece { range: start..end, hang: (!first).then_some(hang) });
            break;
        }
        let earliest = (start + (end - start) * 2 / 5).max(start + 1);
        // Never between brackets that close at once (`len()`), nor before a closing one.
        let after = |i: usize| {
            matches!(cells[i - 1].0, ' ' | ',' | '(' | '[' | '{' | ';') && !matches!(cells[i].0, ' ' | ')' | ']' | '}')
        };
        // Never inside an operator of two (`::`, `->`, `==`, `..`).
        let operator =
            |c: char| matches!(c, '.' | '=' | '+' | '-' | '*' | '/' | '|' | '&' | '<' | '>' | ':' | '?' | '!');
        let before = |i: usize| operator(cells[i].0) && cells[i - 1].0 != ' ' && !operator(cells[i - 1].0);
        // A trailing comment goes to the next line whole, where it fits there.
        let comment_starts = |i: usize| {
            cells[i].1 == comment
                && cells[i - 1].1 != comment
                && cells[i..].iter().map(|(c, _)| cell_width(*c)).sum::<usize>() <= columns.saturating_sub(hang + 2)
        };
        let last = |from: usize, test: &dyn Fn(usize) -> bool| (from..=end).rev().find(|&i| test(i));
        let at = (indent.max(start) + 1..=end)
            .find(|&i| comment_starts(i))
            .or_else(|| match (last(earliest, &after), last(earliest, &before)) {
                // After a comma or a bracket reads best, unless a `.` much further on keeps
                // more on the line (a chain of calls).
                (Some(strong), Some(weak)) if weak > strong + room / 4 && cells[weak].0 == '.' => Some(weak),
                (Some(strong), _) => Some(strong),
                (None, weak) => weak,
            })
            // Better a short line than a name cut in two.
            .or_else(|| last(start + 1, &after))
            .or_else(|| last(start + 1, &before))
            .unwrap_or(end.max(start + 1));
        // Spaces at a break belong to neither line.
        let mut next = at;
        while next < cells.len() && cells[next].0 == ' ' {
            next += 1;
        }
        let mut line_end = at;
        while line_end > start && cells[line_end - 1].0 == ' ' {
            line_end -= 1;
        }
        pieces.push(Piece { range: start..line_end, hang: (!first).then_some(hang) });
        start = next;
        first = false;
    }
    if pieces.is_empty() {
        pieces.push(Piece { range: 0..0, hang: None });
    }
    pieces
}

/// Appends characters as runs of one colour each.
fn push_cells(runs: &mut Vec<(String, Color)>, cells: &[(char, Color)]) {
    for &(c, color) in cells {
        match runs.last_mut() {
            Some((text, last)) if *last == color && !text.ends_with('\n') => text.push(c),
            _ => runs.push((c.to_string(), color)),
        }
    }
}

/// Code languages; a blank `lang` means `text`.
pub static LANGUAGES: Names = Names {
    names: || crate::text::highlight::supported_languages().to_vec(),
    aliases: crate::text::highlight::language_aliases,
    loose_separators: false,
    blank_ok: true,
};

/// A code block.
pub static CODE: Mapping = Mapping {
    what: "`code`",
    doc: "A code block, drawn on a panel without ligatures.",
    keys: &[
        Key {
            name: "lang",
            doc:
                "The language, for highlighting (aliases like ts, py, sh work; any case); text (the default) for none.",
            required: false,
            shape: Shape::Name(&LANGUAGES),
        },
        Key {
            name: "source",
            doc: "The code, usually as a `|` block; up to 60 lines and 6,000 characters.",
            required: true,
            shape: Shape::Text { max: limits::MAX_CODE_CHARS },
        },
        Key {
            name: "caption",
            doc: "A line under the panel.",
            required: false,
            shape: Shape::Text { max: limits::MAX_TITLE_CHARS },
        },
    ],
    rule: Rule::None,
};

/// The `code:` key of a slide.
pub const SLIDE_KEY: Key = Key {
    name: "code",
    doc: "A syntax-highlighted code block: {lang, source, caption}; up to 60 lines.",
    required: false,
    shape: Shape::Map(&CODE),
};

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(line: &str, columns: usize) -> Vec<String> {
        let cells: Vec<(char, Color)> = line.chars().map(|c| (c, Color::default())).collect();
        wrap_code_line(&cells, columns, Color { r: 1, g: 2, b: 3 })
            .into_iter()
            .map(|piece| {
                let text: String = cells[piece.range].iter().map(|(c, _)| *c).collect();
                match piece.hang {
                    Some(hang) => format!("{}{CONTINUATION} {text}", " ".repeat(hang)),
                    None => text,
                }
            })
            .collect()
    }

    #[test]
    fn a_wrapped_line_continues_under_a_hanging_indent_after_a_mark() {
        let wrapped = pieces("    if not budget_tracker.allow(request.user_id, cost=estimate(request)):", 40);
        assert_eq!(
            wrapped,
            ["    if not budget_tracker.allow(", "      → request.user_id, cost=estimate(", "      → request)):"]
        );
        for line in &wrapped {
            assert!(line.chars().count() <= 40, "{line:?}");
        }
    }

    #[test]
    fn code_breaks_before_a_dot_rather_than_inside_a_name() {
        let wrapped = pieces("TooManyRequests(retry_after=budget_tracker.retry_after_seconds)", 44);
        assert_eq!(wrapped[0], "TooManyRequests(retry_after=budget_tracker");
        assert!(wrapped[1].ends_with("→ .retry_after_seconds)"), "{wrapped:?}");
    }

    #[test]
    fn a_key_stays_with_its_value_after_a_comma() {
        // The `:` further on is no chain of calls: the line breaks after the comma.
        let wrapped = pieces(r#"{"error": "Rate limited", "retryAfter": 45}"#, 38);
        assert_eq!(wrapped, [r#"{"error": "Rate limited","#, r#"  → "retryAfter": 45}"#]);
    }

    #[test]
    fn a_two_character_operator_is_never_split() {
        for columns in 14..40 {
            let wrapped = pieces("let queue = refresh::Queue::with_capacity(); x->y == z", columns);
            for pair in wrapped.windows(2) {
                let (end, next) = (pair[0].chars().last(), pair[1].trim_start_matches([' ', '→']).chars().next());
                let split = |a: char, b: char| matches!((a, b), (':', ':') | ('-', '>') | ('=', '='));
                assert!(!matches!((end, next), (Some(a), Some(b)) if split(a, b)), "{columns}: {wrapped:?}");
            }
        }
    }

    #[test]
    fn an_empty_call_stays_whole() {
        let wrapped = pieces("    tests.chunks(tests.len().div_ceil(n)).collect()", 31);
        assert_eq!(wrapped[0], "    tests.chunks(tests.len()", "{wrapped:?}");
        assert!(wrapped[1].ends_with("→ .div_ceil(n)).collect()"), "{wrapped:?}");
    }

    #[test]
    fn a_token_longer_than_the_line_is_cut_where_it_must_be() {
        let wrapped = pieces(&"x".repeat(30), 12);
        assert_eq!(wrapped[0], "x".repeat(12));
        assert!(wrapped.iter().all(|l| l.chars().count() <= 12), "{wrapped:?}");
        assert_eq!(wrapped.iter().map(|l| l.matches('x').count()).sum::<usize>(), 30);
    }

    #[test]
    fn a_trailing_comment_moves_to_the_next_line_whole() {
        let comment = Color { r: 1, g: 2, b: 3 };
        let line = "SELECT * FROM users WHERE id = 7;  -- +1";
        let mut cells: Vec<(char, Color)> = line.chars().map(|c| (c, Color::default())).collect();
        for cell in &mut cells[35..] {
            cell.1 = comment;
        }
        let pieces = wrap_code_line(&cells, 36, comment);
        assert_eq!(pieces[0].range, 0..33, "{pieces:?}");
        assert_eq!(pieces[1].range, 35..line.len());
    }

    #[test]
    fn a_name_is_never_cut_while_a_space_is_on_the_line() {
        let wrapped = pieces("CREATE INDEX idx_drifts_status_severity", 31);
        assert_eq!(wrapped, ["CREATE INDEX", "  → idx_drifts_status_severity"]);
        let narrower = pieces("CREATE INDEX idx_drifts_status_severity", 28);
        assert_eq!(narrower, ["CREATE INDEX", "→ idx_drifts_status_severity"], "the hang gives way to the name");
    }

    #[test]
    fn short_lines_and_blank_lines_are_kept_as_written() {
        assert_eq!(pieces("    return handle(request)", 40), ["    return handle(request)"]);
        assert_eq!(pieces("", 40), [""]);
    }
}
