//! The `table` block: a few rows of a few columns, cells with inline markup.
//!
//! `{columns: [...], rows: [[...], ...]}`: up to 5 columns and 8 rows, every row as long as the
//! header. Owns the table's typed data, its parsing (a ragged row is an error at that row) and
//! its drawing, as `slide-design.md` asks: the header in the muted colour and a heavier weight,
//! hairline rules between rows, no stripes, and numbers right-aligned: a column whose cells are
//! all numbers (`$32`, `45 ms`, `1,200`, or a dash for none) is set flush right, header too.
//! Columns take their natural width; a table too wide for the measure wraps its text columns
//! (numbers never wrap), and one still too wide at the smallest type fails the slide's fitting.

use crate::geom::Rect;
use crate::read::reader::{Located, Reader};
use crate::read::yaml::{Node, Pos, Value};
use crate::scene::Item;
use crate::text::{markup, Align, Family, TextBlock, TextStyle, Typesetter};

use super::chart::number;
use super::{inline, push_text, style, Block, Ctx, Element, Role, Sizes};
use crate::read::format::{Key, Mapping, Rule, Shape};

/// Most columns of a table.
pub const MAX_COLUMNS: usize = 5;
/// Most rows of a table, the header not counted.
pub const MAX_ROWS: usize = 8;
/// Longest header cell, in characters.
pub const MAX_HEADER_CHARS: usize = 60;
/// Longest body cell, in characters.
pub const MAX_CELL_CHARS: usize = 160;
/// The smallest cell text, px at 1080 wide.
const CELL_FLOOR: f32 = 24.0;

/// A table, checked and ready to draw.
#[derive(Debug, Clone)]
pub struct Table {
    /// The header cells.
    pub columns: Vec<Located<String>>,
    /// The rows, each exactly as long as `columns`.
    pub rows: Vec<Vec<Located<String>>>,
    /// Per column: whether it holds numbers (drawn flush right).
    pub numeric: Vec<bool>,
    /// Where the table was written.
    pub pos: Pos,
}

/// Whether a cell reads as a number (or as a dash standing for none) in a numeric column.
fn is_number(cell: &str) -> bool {
    number::parse(&markup::plain_text(cell)).is_ok()
}

fn is_placeholder(cell: &str) -> bool {
    matches!(markup::plain_text(cell).trim(), "" | "-" | "–" | "—" | "n/a" | "N/A")
}

/// Per column: whether every body cell is a number or a placeholder, and at least one a number.
pub fn numeric_columns(columns: usize, rows: &[Vec<String>]) -> Vec<bool> {
    (0..columns)
        .map(|c| {
            let cells: Vec<&str> = rows.iter().filter_map(|r| r.get(c)).map(String::as_str).collect();
            cells.iter().all(|cell| is_number(cell) || is_placeholder(cell)) && cells.iter().any(|cell| is_number(cell))
        })
        .collect()
}

impl Element for Table {
    const KEY: &'static str = "table";

    fn parse(reader: &mut Reader, node: &Node) -> Option<Table> {
        let fields = reader.map(node, "`table`", &TABLE)?;
        let Some(columns_node) = fields.present("columns") else {
            reader.error(
                node.pos,
                "`table` has no `columns`",
                "add `columns: [Service, Before, After]`, the header row",
            );
            return None;
        };
        let header_items = reader.list(columns_node, "`table.columns`", MAX_COLUMNS)?;
        if header_items.is_empty() {
            reader.error(
                columns_node.pos,
                "`table.columns` is empty",
                "name 1 to 5 columns: `columns: [Service, Cost]`",
            );
            return None;
        }
        let mut failed = false;
        let mut columns = Vec::new();
        for item in header_items {
            match reader.text(item, "a column name", MAX_HEADER_CHARS) {
                Some(text) => columns.push(text),
                None => failed = true,
            }
        }
        let Some(rows_node) = fields.present("rows") else {
            reader.error(
                node.pos,
                "`table` has no `rows`",
                "add `rows:` with 1 to 8 rows, each a list like `- [NAT Gateway, $32]`",
            );
            return None;
        };
        let row_items = reader.list(rows_node, "`table.rows`", MAX_ROWS)?;
        if row_items.is_empty() {
            reader.error(
                rows_node.pos,
                "`table.rows` is empty",
                "add 1 to 8 rows, each a list like `- [NAT Gateway, $32]`",
            );
            return None;
        }
        let mut rows = Vec::new();
        for (number, row) in row_items.iter().enumerate() {
            let Value::Seq(cells) = &row.value else {
                reader.error(
                    row.pos,
                    format!("row {} must be a list of cells, found {}", number + 1, row.value.type_name()),
                    format!("write it as a list of {} cells: [a, b, ...]", header_items.len()),
                );
                failed = true;
                continue;
            };
            if cells.len() != header_items.len() {
                reader.error(
                    row.pos,
                    format!(
                        "row {} has {}, but the table has {}",
                        number + 1,
                        count(cells.len(), "cell"),
                        count(header_items.len(), "column")
                    ),
                    format!(
                        "give every row {} cells, in the order of `columns`; write \"\" for an empty cell",
                        header_items.len()
                    ),
                );
                failed = true;
                continue;
            }
            let mut out = Vec::new();
            for cell in cells {
                match reader.text(cell, "a table cell", MAX_CELL_CHARS) {
                    Some(text) => out.push(text),
                    None => failed = true,
                }
            }
            rows.push(out);
        }
        if failed {
            return None;
        }
        let plain: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| c.value.clone()).collect()).collect();
        let numeric = numeric_columns(columns.len(), &plain);
        Some(Table { columns, rows, numeric, pos: node.pos })
    }

    fn layout(&self, ctx: &Ctx, sizes: &Sizes, ts: &mut Typesetter) -> Block {
        let s = ctx.s;
        let theme = ctx.theme;
        let size = (sizes.body * 0.86).max(CELL_FLOOR * ctx.fs);
        let cell = TextStyle { line_height: 1.3, ..style(theme, Family::Sans, size, theme.text) };
        let head = TextStyle {
            weight: 700,
            line_height: 1.25,
            letter_spacing: 0.02,
            ..style(theme, Family::Sans, (size * 0.86).max(CELL_FLOOR * ctx.fs), theme.muted)
        };
        let gutter = 32.0 * s;
        let count = self.columns.len();
        let widths = self.column_widths(ctx.width, gutter, &cell, &head, ts);
        // Rows open up with a sparse slide's wider spacing, so a short table fills its room.
        let pad = size * 0.5 * sizes.spacing;
        let mut items = Vec::new();
        let mut y = 0.0;
        let mut rules = Vec::new();
        let header: Vec<&Located<String>> = self.columns.iter().collect();
        let mut lines: Vec<(Vec<&Located<String>>, &TextStyle)> = vec![(header, &head)];
        for row in &self.rows {
            lines.push((row.iter().collect(), &cell));
        }
        for (index, (cells, style)) in lines.into_iter().enumerate() {
            let top = if index == 0 { 0.0 } else { y + pad };
            let mut tallest: f32 = 0.0;
            let mut x = 0.0;
            for (column, text) in cells.into_iter().enumerate() {
                let width = widths[column];
                let set = right_aligned(
                    ts.set(&inline(&text.value), style, width, Align::Start),
                    width,
                    self.numeric[column],
                );
                push_text(&mut items, &set, x, top, Some(theme.surface));
                tallest = tallest.max(set.height);
                x += width + gutter;
            }
            y = top + tallest + pad;
            if index + 1 < self.rows.len() + 1 {
                rules.push((y, index == 0));
            }
        }
        let full: f32 = widths.iter().sum::<f32>() + gutter * (count.saturating_sub(1)) as f32;
        for (rule_y, under_header) in rules {
            let weight = if under_header { 2.0 } else { 1.5 } * s;
            items.push(Item::Rect {
                rect: Rect { x: 0.0, y: rule_y - weight / 2.0, width: full, height: weight },
                radius: 0.0,
                fill: theme.muted,
                opacity: if under_header { 0.55 } else { 0.28 },
            });
        }
        Block { name: Self::KEY, pos: self.pos, items, width: full, height: y - pad, gap_before: 0.0 }
    }

    /// Up to three columns sit beside the heading, where a long table also has the slide's
    /// height; more need the slide's width.
    fn role(&self, _column: &Ctx) -> Role {
        if self.columns.len() <= 3 {
            Role::Figure
        } else {
            Role::Spread
        }
    }

    fn words(&self, out: &mut Vec<String>) {
        let header: Vec<String> = self.columns.iter().map(|c| markup::plain_text(&c.value)).collect();
        let mut sentence = format!("Table of {} rows; columns: {}", self.rows.len(), header.join(", "));
        for row in &self.rows {
            let cells: Vec<String> = row
                .iter()
                .zip(&header)
                .filter(|(cell, _)| !cell.value.trim().is_empty())
                .enumerate()
                .map(|(i, (cell, name))| {
                    let text = markup::plain_text(&cell.value);
                    if i == 0 {
                        text
                    } else {
                        format!("{name} {text}")
                    }
                })
                .collect();
            sentence.push_str("; ");
            sentence.push_str(&cells.join(", "));
        }
        out.push(sentence);
    }
}

impl Table {
    /// Column widths that fill `width`: each column's natural width, the slack given to the
    /// widest text column; when the natural widths are too wide, text columns share what the
    /// numbers leave, each at least its longest word.
    fn column_widths(
        &self,
        width: f32,
        gutter: f32,
        cell: &TextStyle,
        head: &TextStyle,
        ts: &mut Typesetter,
    ) -> Vec<f32> {
        let count = self.columns.len();
        let mut natural = vec![0.0f32; count];
        let mut longest_word = vec![0.0f32; count];
        let all_rows = std::iter::once((&self.columns, head)).chain(self.rows.iter().map(|r| (r, cell)));
        for (row, style) in all_rows {
            for (c, text) in row.iter().enumerate() {
                let spans = inline(&text.value);
                natural[c] = natural[c].max(ts.measure(&spans, style));
                for word in markup::plain_text(&text.value).split_whitespace() {
                    // Bold words are a little wider than the plain measure.
                    longest_word[c] = longest_word[c].max(ts.word_width(word, style) * 1.06);
                }
            }
        }
        let room = width - gutter * (count.saturating_sub(1)) as f32;
        let total: f32 = natural.iter().sum();
        let text_columns: Vec<usize> = (0..count).filter(|c| !self.numeric[*c]).collect();
        if total <= room {
            let mut widths = natural.clone();
            let slack = room - total;
            let widest_text = text_columns.iter().copied().max_by(|a, b| natural[*a].total_cmp(&natural[*b]));
            match widest_text {
                Some(c) => widths[c] += slack,
                // All numbers: spread evenly, so the columns stay flush right across the width.
                None => widths.iter_mut().for_each(|w| *w += slack / count as f32),
            }
            return widths;
        }
        let numbers: f32 = (0..count).filter(|c| self.numeric[*c]).map(|c| natural[c]).sum();
        let left = (room - numbers).max(0.0);
        let wanted: f32 = text_columns.iter().map(|c| natural[*c]).sum::<f32>().max(1.0);
        let mut widths = natural.clone();
        for &c in &text_columns {
            widths[c] = (natural[c] / wanted * left).max(longest_word[c].min(room));
        }
        // A column raised to its longest word takes from the others, which stay above theirs.
        let over: f32 = widths.iter().sum::<f32>() - room;
        if over > 0.0 {
            let give: Vec<usize> = text_columns.iter().copied().filter(|c| widths[*c] > longest_word[*c]).collect();
            let spare: f32 = give.iter().map(|c| widths[*c] - longest_word[*c]).sum::<f32>().max(1e-3);
            for c in give {
                let share = (widths[c] - longest_word[c]) / spare;
                widths[c] = (widths[c] - over * share).max(longest_word[c]);
            }
        }
        widths
    }
}

/// "1 cell", "3 cells".
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Moves each line of `text` flush right within `width` when `right` is set.
fn right_aligned(mut text: TextBlock, width: f32, right: bool) -> TextBlock {
    if right {
        for line in &mut text.lines {
            let shift = (width - line.width).max(0.0);
            line.segments.iter_mut().for_each(|s| s.x += shift);
        }
    }
    text
}

/// A table.
pub static TABLE: Mapping = Mapping {
    what: "`table`",
    doc: "A header row and up to 8 rows; hairline rules, numbers flush right, no stripes.",
    keys: &[
        Key {
            name: "columns",
            doc: "The header: 1 to 5 column names.",
            required: true,
            shape: Shape::List { min: 1, max: MAX_COLUMNS, item: &Shape::Text { max: MAX_HEADER_CHARS } },
        },
        Key {
            name: "rows",
            doc: "1 to 8 rows, each a list of as many cells as there are columns; cells take inline markup, \
                  \"\" is an empty cell.",
            required: true,
            shape: Shape::List {
                min: 1,
                max: MAX_ROWS,
                item: &Shape::List { min: 1, max: MAX_COLUMNS, item: &TABLE_CELL },
            },
        },
    ],
    rule: Rule::None,
};

/// A table cell: text, or nothing for an empty cell.
static TABLE_CELL: Shape = Shape::Text { max: MAX_CELL_CHARS };

/// The `table:` key of a slide.
pub const SLIDE_KEY: Key = Key {
    name: "table",
    doc: "A table: {columns: [...], rows: [[...], ...]}; up to 5 columns and 8 rows, cells with inline markup; \
          columns of numbers are set flush right.",
    required: false,
    shape: Shape::Map(&TABLE),
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::Content;
    use crate::deck;
    use crate::design::theme::Theme;

    fn load(table: &str) -> deck::Loaded {
        let source = format!("title: T\nslides:\n  - kind: content\n    table:\n{table}");
        deck::load(std::path::Path::new("/nonexistent/deck.yaml"), &source)
    }

    fn errors(table: &str) -> Vec<(u32, u32, String)> {
        load(table)
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| (d.pos.line, d.pos.column, d.message.clone()))
            .collect()
    }

    fn table(body: &str) -> Table {
        let loaded = load(body);
        let deck = loaded.deck.unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
        deck.slides[0]
            .blocks
            .iter()
            .find_map(|b| match b {
                Content::Table(table) => Some(table.clone()),
                _ => None,
            })
            .expect("a table")
    }

    #[test]
    fn mistakes_point_at_the_row_or_list() {
        let e = errors("      columns: [a, b]\n      rows:\n        - [1, 2]\n        - [3]\n");
        assert_eq!(e, [(8, 11, "row 2 has 1 cell, but the table has 2 columns".to_string())]);
        let e = errors("      columns: [a, b, c, d, e, f]\n      rows: [[1, 2, 3, 4, 5, 6]]\n");
        assert_eq!((e[0].0, e[0].1), (5, 16));
        assert!(e[0].2.contains("has 6 items; the limit is 5"), "{e:?}");
        let rows = (0..9).map(|i| format!("[{i}]")).collect::<Vec<_>>().join(", ");
        let e = errors(&format!("      columns: [a]\n      rows: [{rows}]\n"));
        assert!(e[0].2.contains("has 9 items; the limit is 8"), "{e:?}");
        let e = errors("      columns: [a]\n      rows: [a]\n");
        assert!(e[0].2.contains("row 1 must be a list of cells"), "{e:?}");
        let e = errors("      rows: [[a]]\n");
        assert!(e[0].2.contains("has no `columns`"), "{e:?}");
    }

    #[test]
    fn numbers_are_flush_right_and_rules_sit_between_rows() {
        let t = table("      columns: [Service, Cost]\n      rows:\n        - [NAT Gateway, \"$32\"]\n        - [Load balancer, \"$1,016\"]\n        - [Aurora, \"$4\"]\n");
        assert_eq!(t.numeric, [false, true]);
        let theme = Theme::built_in("midnight").expect("theme");
        let ctx = Ctx::reference(&theme);
        let sizes = Sizes::reference();
        let block = t.layout(&ctx, &sizes, &mut Typesetter::new());
        let ends: Vec<f32> = block
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Text(s) if s.text.starts_with('$') || s.text == "Cost" => Some(s.x + s.advance),
                _ => None,
            })
            .collect();
        assert_eq!(ends.len(), 4, "{:?}", block.items);
        assert!(ends.iter().all(|e| (e - ends[0]).abs() < 0.5 && (e - 888.0).abs() < 0.5), "{ends:?}");
        let header = block.items.iter().find_map(|i| match i {
            Item::Text(s) if s.text == "Service" => Some(s.color),
            _ => None,
        });
        assert_eq!(header, Some(theme.muted));
        let rules = block.items.iter().filter(|i| matches!(i, Item::Rect { opacity, .. } if *opacity < 1.0)).count();
        assert_eq!(rules, 3, "under the header and between the three rows, none after the last");
    }

    #[test]
    fn a_wide_table_wraps_its_text_not_its_numbers() {
        let long = "word ".repeat(30);
        let t = table(&format!("      columns: [Item, Note, Cost]\n      rows: [[a, \"{long}\", \"$1,234.50\"]]\n"));
        let theme = Theme::built_in("midnight").expect("theme");
        let ctx = Ctx::reference(&theme);
        let sizes = Sizes::reference();
        let block = t.layout(&ctx, &sizes, &mut Typesetter::new());
        let texts: Vec<_> =
            block.items.iter().filter_map(|i| if let Item::Text(s) = i { Some(s) } else { None }).collect();
        assert!(texts.iter().all(|s| s.x >= -0.5 && s.x + s.advance <= 888.5), "nothing leaves the measure");
        let cost: Vec<_> = texts.iter().filter(|s| s.text.contains("1,234")).collect();
        assert_eq!(cost.len(), 1, "the number is on one line");
        assert!(block.height > 200.0, "the note wrapped onto several lines");
    }

    fn rows(cells: &[&[&str]]) -> Vec<Vec<String>> {
        cells.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    #[test]
    fn numeric_columns_are_all_numbers_or_dashes() {
        let table = rows(&[
            &["NAT Gateway", "$32", "—", "cut"],
            &["Load balancer", "$16", "$0", "12"],
            &["**Total**", "**$48**", "$0.17", ""],
        ]);
        assert_eq!(numeric_columns(4, &table), [false, true, true, false]);
        assert_eq!(numeric_columns(1, &rows(&[&["—"], &[""]])), [false], "dashes alone are not numbers");
    }
}
