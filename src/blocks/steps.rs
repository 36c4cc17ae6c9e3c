//! `steps:` a flow of 2 to 6 steps, drawn as numbered boxes of one size joined by arrows in
//! order: left to right where the slot is wide (landscape, a wide column), top to bottom where it
//! is tall (portrait, square), so a pipeline or a request's path reads in one direction.
//!
//! The block decides its direction at each fitting size from the measure: across only when the
//! slot is wide and each box keeps room for its longest word; down otherwise, unless the column
//! of boxes would take most of a short slot while a row fits. Every box takes the size of the
//! largest, and every arrow runs from one box's edge to the next box's edge, so the flow reads
//! as a chain, not as a list.

use crate::geom::Rect;
use crate::read::reader::{Located, Reader};
use crate::read::yaml::{Node, Pos, Value};
use crate::scene::Item;
use crate::text::markup::{self, Span};
use crate::text::{Align, Family, TextBlock, TextStyle, Typesetter};

use super::{inline, path, place_line, push_text, style, Block, Ctx, Element, Role, Sizes};
use crate::read::format::{Key, Mapping, Rule, Shape};

/// Fewest steps in a flow: one step is a point, not a flow.
pub const MIN_STEPS: usize = 2;
/// Most steps in a flow: more do not read on a phone.
pub const MAX_STEPS: usize = 6;
/// Longest step text, in characters.
pub const MAX_STEP_CHARS: usize = 200;
/// Longest step note, in characters.
pub const MAX_NOTE_CHARS: usize = 80;

/// A slot at least this much wider than tall lays a flow out across.
const WIDE_SLOT: f32 = 1.3;
/// The narrowest box of a flow laid across, px at the reference size.
const MIN_BOX_ACROSS: f32 = 200.0;
/// A column of boxes taller than this share of the slot is laid across when a row fits.
const TALL_SHARE: f32 = 0.72;
/// A column of boxes taller than this share of the slot wraps into rows when a row is too narrow.
const OVERFLOW_SHARE: f32 = 0.85;

/// A flow of steps, in order.
#[derive(Debug, Clone)]
pub struct Steps {
    /// The steps, 2 to 6.
    pub items: Vec<Step>,
    /// Where `steps:` was written.
    pub pos: Pos,
}

/// One step of a flow.
#[derive(Debug, Clone)]
pub struct Step {
    /// What happens, with inline markup.
    pub text: Located<String>,
    /// A small line under it (a duration, a tool), with inline markup.
    pub note: Option<Located<String>>,
}

/// Which way a flow runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Left to right, boxes in a row.
    Across,
    /// Top to bottom, boxes in a column.
    Down,
    /// Left to right in rows, each row returning under the last: a flow too long for one row
    /// and too tall for a column. The boxes are wider than in a single row, so the number sits
    /// beside the text, as down.
    Rows,
}

/// Where the boxes and arrows of a flow go, at the block's origin.
#[derive(Debug, Clone)]
pub struct Geometry {
    /// Which way it runs.
    pub direction: Direction,
    /// One box per step, all the same size.
    pub boxes: Vec<Rect>,
    /// One arrow between each pair of boxes: from a point on a box's edge to a point on the
    /// next box's edge (the tip).
    pub arrows: Vec<((f32, f32), (f32, f32))>,
    /// Where a flow across wraps onto a new row: an elbow from the bottom of a row's last box
    /// down, back under the row, and down into the next row's first box, as a line of text
    /// returns (the corners, then the tip).
    pub returns: Vec<[(f32, f32); 4]>,
    /// Boxes per row (across: the first row's length; down: 1).
    pub per_row: usize,
}

impl Element for Steps {
    const KEY: &'static str = "steps";

    fn parse(reader: &mut Reader, node: &Node) -> Option<Steps> {
        let Value::Seq(items) = &node.value else {
            // Not a list: the reader's own message says so.
            reader.list(node, "`steps`", MAX_STEPS);
            return None;
        };
        if items.len() > MAX_STEPS {
            reader.error(
                items[MAX_STEPS].pos,
                format!("`steps` has {} steps; a flow has {MIN_STEPS} to {MAX_STEPS}", items.len()),
                "merge steps that belong together, or split the flow across two slides",
            );
            return None;
        }
        if items.len() < MIN_STEPS {
            reader.error(
                node.pos,
                format!(
                    "`steps` has {} step{}; a flow has {MIN_STEPS} to {MAX_STEPS}",
                    items.len(),
                    plural(items.len())
                ),
                "add the step that comes before or after it, or write a single point as `body`",
            );
            return None;
        }
        let mut steps = Vec::new();
        let mut failed = false;
        for item in items {
            match parse_step(reader, item) {
                Some(step) => steps.push(step),
                None => failed = true,
            }
        }
        (!failed).then_some(Steps { items: steps, pos: node.pos })
    }

    fn layout(&self, ctx: &Ctx, sizes: &Sizes, ts: &mut Typesetter) -> Block {
        let theme = ctx.theme;
        let s = ctx.s;
        let Plan { look, contents, geometry } = self.plan(ctx, sizes, ts);
        let mut items = Vec::new();
        for (index, (rect, content)) in geometry.boxes.iter().zip(&contents).enumerate() {
            items.push(Item::Rect { rect: *rect, radius: 20.0 * s, fill: theme.surface, opacity: 1.0 });
            // The number disc hangs at the box's left; across, above the text, down, beside it.
            let (disc_cx, disc_cy, text_x, text_y) = match geometry.direction {
                Direction::Down | Direction::Rows => {
                    let text_x = rect.x + look.pad + look.disc + look.disc_gap;
                    let first_line = content.text.lines.first().map(|l| l.height).unwrap_or(look.disc);
                    let cy = rect.y + look.pad + first_line / 2.0;
                    (rect.x + look.pad + look.disc / 2.0, cy, text_x, rect.y + look.pad)
                }
                Direction::Across => {
                    let cy = rect.y + look.pad + look.disc / 2.0;
                    (
                        rect.x + look.pad + look.disc / 2.0,
                        cy,
                        rect.x + look.pad,
                        rect.y + look.pad + look.disc + look.disc_gap,
                    )
                }
            };
            items.push(Item::Circle { cx: disc_cx, cy: disc_cy, r: look.disc / 2.0, fill: theme.accent });
            // Never below the 24 px (at 1080) that a phone can read, even on a shrunk slide.
            let digit_size = (look.disc * 0.55).max(24.0 * ctx.fs);
            let digits_style =
                TextStyle { weight: 800, line_height: 1.0, ..style(theme, Family::Sans, digit_size, theme.on_accent) };
            let number = vec![Span { text: (index + 1).to_string(), emphasis: Default::default() }];
            let digits = ts.set(&number, &digits_style, look.disc * 4.0, Align::Start);
            // Digits' cap height is about 0.73 em in Inter: centre it on the disc.
            place_line(&mut items, &digits, disc_cx - digits.width / 2.0, disc_cy + digit_size * 0.365);
            push_text(&mut items, &content.text, text_x, text_y, Some(theme.background));
            if let Some(note) = &content.note {
                push_text(
                    &mut items,
                    note,
                    text_x,
                    text_y + content.text.height + look.note_gap,
                    Some(theme.background),
                );
            }
        }
        for (from, to) in &geometry.arrows {
            draw_arrow(&mut items, *from, *to, &look, theme.accent);
        }
        for [start, down, across, tip] in &geometry.returns {
            items.push(Item::Path {
                d: path(&[('M', start.0, start.1), ('L', down.0, down.1), ('L', across.0, across.1)]),
                fill: None,
                stroke: Some((theme.accent, look.stroke)),
            });
            draw_arrow(&mut items, *across, *tip, &look, theme.accent);
        }
        let height = geometry.boxes.iter().map(Rect::bottom).fold(0.0, f32::max);
        let width = geometry.boxes.iter().map(Rect::right).fold(0.0, f32::max);
        Block { name: Self::KEY, pos: self.pos, items, width, height, gap_before: 0.0 }
    }

    /// A flow runs left to right across the slide's width.
    fn role(&self, _column: &Ctx) -> Role {
        Role::Spread
    }

    fn words(&self, out: &mut Vec<String>) {
        let steps: Vec<String> = self
            .items
            .iter()
            .enumerate()
            .map(|(index, step)| {
                let text = markup::plain_text(&step.text.value);
                let text = text.trim().trim_end_matches(['.', ';']);
                match &step.note {
                    Some(note) => format!("{}. {text} ({})", index + 1, markup::plain_text(&note.value).trim()),
                    None => format!("{}. {text}", index + 1),
                }
            })
            .collect();
        out.push(format!("{} steps: {}", self.items.len(), steps.join("; ")));
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn parse_step(reader: &mut Reader, item: &Node) -> Option<Step> {
    let step = if item.as_text().is_some() {
        Step { text: reader.text(item, "a step", MAX_STEP_CHARS)?, note: None }
    } else {
        let fields = reader.map(item, "a step", &STEP)?;
        let Some(text) = fields.present("text") else {
            reader.error(item.pos, "this step has no `text`", "write { text: Check the cache, note: 1 ms }");
            return None;
        };
        let text = reader.text(text, "a step", MAX_STEP_CHARS)?;
        let note = reader.optional_text(&fields, "note", "a step's `note`", MAX_NOTE_CHARS);
        Step { text, note }
    };
    if step.text.value.trim().is_empty() {
        reader.error(step.text.pos, "this step is empty", "write what happens at this step, or remove it");
        return None;
    }
    Some(step)
}

/// The sizes of a flow at one fitting step.
struct Look {
    /// Step text size.
    text: f32,
    /// Note size.
    note: f32,
    /// Padding inside a box.
    pad: f32,
    /// The number disc's diameter.
    disc: f32,
    /// Between the disc and the text.
    disc_gap: f32,
    /// Between a step's text and its note.
    note_gap: f32,
    /// Between two boxes across (the arrow's length).
    gap_across: f32,
    /// Between two boxes down.
    gap_down: f32,
    /// The arrow's stroke and head.
    stroke: f32,
    head: f32,
    /// The scale, for fixed lengths.
    s: f32,
}

impl Look {
    fn at(ctx: &Ctx, sizes: &Sizes) -> Look {
        let s = ctx.s;
        let f = sizes.f.clamp(0.6, 1.0);
        Look {
            text: sizes.body,
            note: (sizes.body * 0.76).max(24.0 * ctx.fs),
            // A sparse slide's wider spacing opens the boxes up too, half as much; a dense one's
            // closer spacing closes them up as much, before the type goes under its floor.
            pad: 26.0 * s * f.max(0.8) * padding_at(sizes.spacing),
            disc: (sizes.body * 1.15).max(36.0 * ctx.fs),
            disc_gap: 18.0 * s,
            note_gap: 6.0 * s,
            gap_across: 60.0 * s * f.max(0.8),
            gap_down: 46.0 * s * f.max(0.75) * sizes.spacing,
            stroke: 4.0 * s,
            head: 15.0 * s,
            s,
        }
    }

    fn text_style(&self, ctx: &Ctx) -> TextStyle {
        TextStyle { weight: 600, line_height: 1.25, ..style(ctx.theme, Family::Sans, self.text, ctx.theme.text) }
    }

    fn note_style(&self, ctx: &Ctx) -> TextStyle {
        TextStyle { weight: 500, line_height: 1.25, ..style(ctx.theme, Family::Sans, self.note, ctx.theme.muted) }
    }

    /// The width of one box when `n` boxes share `width` in a row.
    fn box_across(&self, width: f32, n: usize) -> f32 {
        (width - self.gap_across * (n as f32 - 1.0)) / n as f32
    }

    /// The room for text in a box `box_width` wide.
    fn text_width(&self, direction: Direction, box_width: f32) -> f32 {
        match direction {
            Direction::Across => box_width - 2.0 * self.pad,
            Direction::Down | Direction::Rows => box_width - 2.0 * self.pad - self.disc - self.disc_gap,
        }
    }
}

/// How much of its designed padding a box keeps at a slide's `spacing`: all of it and up to
/// three tenths more on a sparse slide, as much less as the spacing on a dense one.
fn padding_at(spacing: f32) -> f32 {
    if spacing < 1.0 {
        spacing.max(0.5)
    } else {
        1.0 + (spacing.min(1.6) - 1.0) * 0.5
    }
}

/// A step's text and note, set for its box.
struct Content {
    text: TextBlock,
    note: Option<TextBlock>,
}

impl Content {
    fn height(&self, look: &Look) -> f32 {
        self.text.height + self.note.as_ref().map(|n| look.note_gap + n.height).unwrap_or(0.0)
    }
}

/// A flow decided at one size: its sizes, its set texts and its geometry.
struct Plan {
    look: Look,
    contents: Vec<Content>,
    geometry: Geometry,
}

impl Steps {
    /// Decides the direction and places the boxes: across when the slot is wide and a row
    /// leaves each box room for its longest word, or when a column would take most of a short
    /// slot and a row fits; down otherwise.
    ///
    /// A flow that a row cannot hold and a column would overflow wraps: rows of boxes across,
    /// as few rows as leave each box room for its longest word (six steps: three over three).
    fn plan(&self, ctx: &Ctx, sizes: &Sizes, ts: &mut Typesetter) -> Plan {
        let look = Look::at(ctx, sizes);
        let n = self.items.len();
        let down = self.contents(ctx, &look, Direction::Down, n, ts);
        let down_geometry = geometry(ctx, &look, Direction::Down, n, n, &down);
        let down_height = down_geometry.boxes.last().map(Rect::bottom).unwrap_or(0.0);
        let wide = ctx.width >= ctx.slot_height * WIDE_SLOT;
        let tall = down_height > ctx.slot_height * TALL_SHARE;
        if (wide || tall) && self.across_fits(ctx, &look, n, ts) {
            let contents = self.contents(ctx, &look, Direction::Across, n, ts);
            let geometry = geometry(ctx, &look, Direction::Across, n, n, &contents);
            return Plan { look, contents, geometry };
        }
        // Most of the slot: with the heading above, the column would overflow.
        if down_height > ctx.slot_height * OVERFLOW_SHARE && n >= 4 {
            for rows in 2..=n.div_ceil(2) {
                let per_row = n.div_ceil(rows);
                if self.rows_fit(ctx, &look, per_row, ts) {
                    let contents = self.contents(ctx, &look, Direction::Rows, per_row, ts);
                    let geometry = geometry(ctx, &look, Direction::Rows, n, per_row, &contents);
                    return Plan { look, contents, geometry };
                }
            }
        }
        Plan { look, contents: down, geometry: down_geometry }
    }

    fn contents(
        &self,
        ctx: &Ctx,
        look: &Look,
        direction: Direction,
        per_row: usize,
        ts: &mut Typesetter,
    ) -> Vec<Content> {
        let box_width = match direction {
            Direction::Across | Direction::Rows => look.box_across(ctx.width, per_row),
            Direction::Down => ctx.width,
        };
        let width = look.text_width(direction, box_width).max(1.0);
        let (text_style, note_style) = (look.text_style(ctx), look.note_style(ctx));
        self.items
            .iter()
            .map(|step| Content {
                text: ts.set(&inline(&step.text.value), &text_style, width, Align::Start),
                note: step.note.as_ref().map(|n| ts.set(&inline(&n.value), &note_style, width, Align::Start)),
            })
            .collect()
    }

    /// Whether rows of `per_row` boxes, the number above the text, leave each one room for its
    /// longest word.
    fn across_fits(&self, ctx: &Ctx, look: &Look, per_row: usize, ts: &mut Typesetter) -> bool {
        self.fits_boxes(ctx, look, Direction::Across, per_row, ts)
    }

    /// Whether wrapped rows of `per_row` boxes, the number beside the text, leave each one room
    /// for its longest word.
    fn rows_fit(&self, ctx: &Ctx, look: &Look, per_row: usize, ts: &mut Typesetter) -> bool {
        self.fits_boxes(ctx, look, Direction::Rows, per_row, ts)
    }

    fn fits_boxes(&self, ctx: &Ctx, look: &Look, direction: Direction, per_row: usize, ts: &mut Typesetter) -> bool {
        let box_width = look.box_across(ctx.width, per_row);
        if box_width < MIN_BOX_ACROSS * look.s {
            return false;
        }
        let room = look.text_width(direction, box_width);
        let (text_style, note_style) = (look.text_style(ctx), look.note_style(ctx));
        self.items.iter().all(|step| {
            longest_word(ts, &step.text.value, &text_style) <= room
                && step.note.as_ref().is_none_or(|n| longest_word(ts, &n.value, &note_style) <= room)
        })
    }
}

/// The width of the widest of the longest few words of `text` (measuring every word of a long
/// text at every fitting step would cost more than it tells).
pub(crate) fn longest_word(ts: &mut Typesetter, text: &str, style: &TextStyle) -> f32 {
    let plain = markup::plain_text(text);
    let mut words: Vec<&str> = plain.split_whitespace().collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    words.dedup();
    // Bold runs are a little wider than the regular weight measured here.
    let bold = TextStyle { weight: style.weight.max(700), ..*style };
    words.iter().take(4).map(|word| ts.word_width(word, &bold)).fold(0.0, f32::max)
}

/// Places `n` boxes of one size and the arrows between them; across, `per_row` to a row.
fn geometry(ctx: &Ctx, look: &Look, direction: Direction, n: usize, per_row: usize, contents: &[Content]) -> Geometry {
    let tallest = contents.iter().map(|c| c.height(look)).fold(0.0, f32::max);
    let mut boxes = Vec::with_capacity(n);
    let mut arrows = Vec::with_capacity(n.saturating_sub(1));
    let mut returns = Vec::new();
    let per_row = per_row.clamp(1, n.max(1));
    match direction {
        Direction::Across | Direction::Rows => {
            let width = look.box_across(ctx.width, per_row);
            let height = match direction {
                Direction::Rows => look.pad * 2.0 + tallest.max(look.disc),
                _ => look.pad * 2.0 + look.disc + look.disc_gap + tallest,
            };
            // Rows leave room between them for the return's elbow.
            let row_gap = look.gap_down * 1.4;
            for index in 0..n {
                let (row, column) = (index / per_row, index % per_row);
                let x = column as f32 * (width + look.gap_across);
                let y = row as f32 * (height + row_gap);
                boxes.push(Rect { x, y, width, height });
            }
            for (index, pair) in boxes.windows(2).enumerate() {
                if (index + 1) % per_row == 0 {
                    let (from, to) = (pair[0], pair[1]);
                    let middle = from.bottom() + row_gap / 2.0;
                    let (x0, x1) = (from.x + from.width / 2.0, to.x + to.width / 2.0);
                    returns.push([(x0, from.bottom()), (x0, middle), (x1, middle), (x1, to.y)]);
                } else {
                    let y = pair[0].y + pair[0].height / 2.0;
                    arrows.push(((pair[0].right(), y), (pair[1].x, y)));
                }
            }
        }
        Direction::Down => {
            let height = look.pad * 2.0 + tallest.max(look.disc);
            for index in 0..n {
                let y = index as f32 * (height + look.gap_down);
                boxes.push(Rect { x: 0.0, y, width: ctx.width, height });
            }
            // The arrows run down the line of the number discs, a spine through the flow.
            let x = look.pad + look.disc / 2.0;
            for pair in boxes.windows(2) {
                arrows.push(((x, pair[0].bottom()), (x, pair[1].y)));
            }
        }
    }
    let per_row = if direction == Direction::Down { 1 } else { per_row };
    Geometry { direction, boxes, arrows, returns, per_row }
}

/// A straight arrow from `from` to the tip `to`, its head filled.
fn draw_arrow(
    items: &mut Vec<Item>,
    from: (f32, f32),
    to: (f32, f32),
    look: &Look,
    color: crate::design::theme::Color,
) {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let length = (dx * dx + dy * dy).sqrt().max(0.001);
    let (ux, uy) = (dx / length, dy / length);
    let head = look.head.min(length * 0.6);
    let base = (to.0 - ux * head, to.1 - uy * head);
    // The shaft stops inside the head, so its square end does not poke past the tip.
    let shaft_end = (to.0 - ux * head * 0.8, to.1 - uy * head * 0.8);
    items.push(Item::Path {
        d: path(&[('M', from.0, from.1), ('L', shaft_end.0, shaft_end.1)]),
        fill: None,
        stroke: Some((color, look.stroke)),
    });
    let half = head * 0.62;
    items.push(Item::Path {
        d: path(&[
            ('M', to.0, to.1),
            ('L', base.0 - uy * half, base.1 + ux * half),
            ('L', base.0 + uy * half, base.1 - ux * half),
            ('Z', 0.0, 0.0),
        ]),
        fill: Some(color),
        stroke: None,
    });
}

/// A step of `steps` in its long form.
pub static STEP: Mapping = Mapping {
    what: "a step",
    doc: "One step of a flow.",
    keys: &[
        Key {
            name: "text",
            doc: "What happens, with inline markup.",
            required: true,
            shape: Shape::Text { max: MAX_STEP_CHARS },
        },
        Key {
            name: "note",
            doc: "A small muted line under the step: a duration, a tool.",
            required: false,
            shape: Shape::Text { max: MAX_NOTE_CHARS },
        },
    ],
    rule: Rule::None,
};

/// The `steps:` key of a slide.
pub const SLIDE_KEY: Key = Key {
    name: "steps",
    doc: "A flow of 2 to 6 steps, drawn as boxes joined by arrows in order (down on portrait, across on \
          landscape): text, or {text, note}.",
    required: false,
    shape: Shape::List {
        min: MIN_STEPS,
        max: MAX_STEPS,
        item: &Shape::AnyOf { of: &[Shape::Text { max: MAX_STEP_CHARS }, Shape::Map(&STEP)] },
    },
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::template::HAlign;
    use crate::design::theme::Theme;

    fn steps(texts: &[&str]) -> Steps {
        let located = |t: &str| Located { value: t.to_string(), pos: Pos::default() };
        Steps {
            items: texts.iter().map(|t| Step { text: located(t), note: Some(located("1 ms")) }).collect(),
            pos: Pos::default(),
        }
    }

    fn sizes() -> Sizes {
        Sizes::reference()
    }

    fn lay(steps: &Steps, theme: &Theme, width: f32, slot_height: f32, s: f32) -> (Block, Geometry) {
        let ctx = Ctx {
            theme,
            s,
            fs: s,
            width,
            align: HAlign::Start,
            slot_height,
            kind: crate::design::kind::Kind::Solution,
            columns: false,
            words: crate::design::words::Words::for_language("en"),
        };
        let mut ts = Typesetter::new();
        let block = steps.layout(&ctx, &sizes(), &mut ts);
        (block, steps.plan(&ctx, &sizes(), &mut ts).geometry)
    }

    fn theme() -> Theme {
        Theme::built_in("midnight").expect("midnight")
    }

    #[test]
    fn portrait_runs_down_and_landscape_across() {
        let theme = theme();
        let flow = steps(&["Check Redis", "On a hit, return", "On a miss, query once", "Cache for 5 min"]);
        let (portrait, down) = lay(&flow, &theme, 888.0, 1000.0, 1.0);
        let (landscape, across) = lay(&flow, &theme, 1428.0, 663.0, 1.19);
        assert_eq!(down.direction, Direction::Down);
        assert_eq!(across.direction, Direction::Across);
        // Down, the boxes stack and the block is as tall as the column of them; across, one row.
        assert!(down.boxes.windows(2).all(|p| p[1].y > p[0].bottom() && p[1].x == p[0].x));
        assert!(across.boxes.windows(2).all(|p| p[1].x > p[0].right() && p[1].y == p[0].y));
        assert!((portrait.height - down.boxes[3].bottom()).abs() < 0.01);
        assert!(landscape.height < landscape.width / 3.0, "landscape {}x{}", landscape.width, landscape.height);
        // A square slot: a column of four with notes would take most of it and a row is too
        // narrow, so the flow wraps: two rows of two, the second returning under the first.
        let (square_block, square) = lay(&flow, &theme, 888.0, 730.0, 1.0);
        assert_eq!((square.direction, square.per_row), (Direction::Rows, 2));
        assert_eq!((square.arrows.len(), square.returns.len()), (2, 1));
        assert!(square.boxes[2].y > square.boxes[1].bottom() && square.boxes[2].x == square.boxes[0].x);
        let [start, _, _, tip] = square.returns[0];
        assert!((start.1 - square.boxes[1].bottom()).abs() < 0.01 && (tip.1 - square.boxes[2].y).abs() < 0.01);
        assert!(square_block.height < down.boxes[3].bottom(), "rows are shorter than the column");
        // Two short steps stay a column.
        let (_, two) = lay(&steps(&["Plan", "Ship"]), &theme, 888.0, 730.0, 1.0);
        assert_eq!(two.direction, Direction::Down);
    }

    #[test]
    fn a_word_too_long_for_a_box_keeps_the_flow_down() {
        let theme = theme();
        let ctx = Ctx {
            theme: &theme,
            s: 1.19,
            fs: 1.19,
            width: 1428.0,
            align: HAlign::Start,
            slot_height: 663.0,
            kind: crate::design::kind::Kind::Solution,
            columns: true,
            words: crate::design::words::Words::for_language("en"),
        };
        let look = Look::at(&ctx, &sizes());
        let mut ts = Typesetter::new();
        assert!(steps(&["Plan", "Build", "Ship", "Learn"]).across_fits(&ctx, &look, 4, &mut ts));
        let long = steps(&["Plan", "Internationalisation-and-localisation", "Ship", "Learn"]);
        assert!(!long.across_fits(&ctx, &look, 4, &mut ts));
        let six = steps(&["a", "b", "c", "d", "e", "f"]);
        let narrow = Ctx { width: 888.0, s: 1.0, ..ctx };
        assert!(
            !six.across_fits(&narrow, &Look::at(&narrow, &sizes()), 6, &mut ts),
            "six boxes in 888 px are too narrow"
        );
    }

    #[test]
    fn every_box_has_one_size_and_arrows_touch_both_boxes() {
        let theme = theme();
        let mut flow = steps(&["Short", "A much longer step that wraps onto a second line or a third", "Mid step"]);
        flow.items[0].note = None;
        for (width, slot, s) in [(888.0, 1000.0, 1.0), (1428.0, 663.0, 1.19)] {
            let (_, geometry) = lay(&flow, &theme, width, slot, s);
            let first = geometry.boxes[0];
            for rect in &geometry.boxes {
                assert!((rect.width - first.width).abs() < 0.01 && (rect.height - first.height).abs() < 0.01);
            }
            assert_eq!(geometry.arrows.len(), geometry.boxes.len() - 1);
            for (index, (from, to)) in geometry.arrows.iter().enumerate() {
                let (a, b) = (geometry.boxes[index], geometry.boxes[index + 1]);
                let on_edge = |p: (f32, f32), r: Rect| {
                    let inside_x = p.0 >= r.x - 0.01 && p.0 <= r.right() + 0.01;
                    let inside_y = p.1 >= r.y - 0.01 && p.1 <= r.bottom() + 0.01;
                    let edge = [r.x, r.right()].iter().any(|x| (p.0 - x).abs() < 0.01)
                        || [r.y, r.bottom()].iter().any(|y| (p.1 - y).abs() < 0.01);
                    inside_x && inside_y && edge
                };
                assert!(on_edge(*from, a), "{:?} arrow {index} starts off box {index}", geometry.direction);
                assert!(on_edge(*to, b), "{:?} arrow {index} ends off box {}", geometry.direction, index + 1);
                let length = ((to.0 - from.0).powi(2) + (to.1 - from.1).powi(2)).sqrt();
                assert!(length > 20.0, "arrow {index} is {length} px long");
            }
        }
    }

    #[test]
    fn alt_text_lists_the_steps_in_order() {
        let mut out = Vec::new();
        steps(&["Check **Redis**", "Return"]).words(&mut out);
        assert_eq!(out, vec!["2 steps: 1. Check Redis (1 ms); 2. Return (1 ms)".to_string()]);
    }
}
