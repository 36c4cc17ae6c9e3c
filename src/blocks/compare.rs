//! `compare:` two or three options side by side, each a card with a title, a body and bullets;
//! `pick: true` marks the chosen one, drawn with an accent border, a tint and a "✓ PICKED" badge
//! on its top edge while the others stay quiet.
//!
//! Columns share one width and their tops (and titles) align. The block keeps them side by side
//! while each column leaves room for its longest word and a readable measure, and stacks them
//! full width, in order, only when it cannot; the choice is made at each fitting size, so a
//! slide that shrinks to fit may bring its columns back side by side. Column text reuses the
//! body and bullets blocks, set in the column's measure.

use crate::design::template::HAlign;
use crate::geom::Rect;
use crate::read::reader::{Located, Reader};
use crate::read::yaml::{Node, Pos, Value};
use crate::scene::Item;
use crate::text::markup::{self, Span};
use crate::text::{Align, Family, TextBlock, TextStyle, Typesetter};

use super::steps::longest_word;
use super::{inline, place_line, push_text, style, Block, Body, Bullets, Ctx, Element, Role, Sizes};
use crate::read::format::{Key, Mapping, Rule, Shape};
use crate::read::limits;

/// Fewest columns: a comparison needs two sides.
pub const MIN_COLUMNS: usize = 2;
/// Most columns: more do not fit a phone's width.
pub const MAX_COLUMNS: usize = 3;
/// Longest column title, in characters.
pub const MAX_COLUMN_TITLE_CHARS: usize = 120;
/// Most bullets in one column.
pub const MAX_COLUMN_BULLETS: usize = 6;

/// A column narrower than this many body sizes stacks (bullets would break every few words).
const MIN_MEASURE_EMS: f32 = 5.5;

/// Options side by side.
#[derive(Debug, Clone)]
pub struct Compare {
    /// The columns, 2 or 3, in order.
    pub columns: Vec<Column>,
    /// Where `compare:` was written.
    pub pos: Pos,
}

/// One option of a comparison.
#[derive(Debug, Clone)]
pub struct Column {
    /// Its name, with inline markup.
    pub title: Located<String>,
    /// Paragraphs under the title.
    pub body: Option<Body>,
    /// Points under the title (and body).
    pub bullets: Option<Bullets>,
    /// Whether this is the option chosen.
    pub pick: bool,
}

/// How the columns are arranged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrangement {
    /// In a row, one width, one height, tops aligned.
    SideBySide,
    /// One under the other, full width.
    Stacked,
}

impl Element for Compare {
    const KEY: &'static str = "compare";

    fn parse(reader: &mut Reader, node: &Node) -> Option<Compare> {
        let Value::Seq(items) = &node.value else {
            // Not a list: the reader's own message says so.
            reader.list(node, "`compare`", MAX_COLUMNS);
            return None;
        };
        if items.len() > MAX_COLUMNS {
            reader.error(
                items[MAX_COLUMNS].pos,
                format!("`compare` has {} columns; a comparison has {MIN_COLUMNS} or {MAX_COLUMNS}", items.len()),
                "keep the options that matter most, or compare the rest on the next slide",
            );
            return None;
        }
        if items.len() < MIN_COLUMNS {
            reader.error(
                node.pos,
                format!(
                    "`compare` has {} column{}; a comparison has {MIN_COLUMNS} or {MAX_COLUMNS}",
                    items.len(),
                    if items.len() == 1 { "" } else { "s" }
                ),
                "add the option it is weighed against, like { title: Option B, bullets: [...] }",
            );
            return None;
        }
        let mut columns = Vec::new();
        let mut failed = false;
        let mut picked: Option<Pos> = None;
        for item in items {
            let Some((column, pick_pos)) = parse_column(reader, item) else {
                failed = true;
                continue;
            };
            if column.pick {
                if let Some(first) = picked {
                    reader.error(
                        pick_pos,
                        format!(
                            "two columns are picked (the first on line {}); `pick: true` marks the one chosen",
                            first.line
                        ),
                        "keep `pick: true` on one column",
                    );
                    failed = true;
                }
                if picked.is_none() {
                    picked = Some(pick_pos);
                }
            }
            columns.push(column);
        }
        (!failed).then_some(Compare { columns, pos: node.pos })
    }

    fn layout(&self, ctx: &Ctx, sizes: &Sizes, ts: &mut Typesetter) -> Block {
        let theme = ctx.theme;
        let plan = self.plan(ctx, sizes, ts);
        debug_assert_eq!(plan.title_height.is_some(), plan.arrangement == Arrangement::SideBySide);
        let look = &plan.look;
        let mut items = Vec::new();
        for ((rect, card), column) in plan.cards.iter().zip(&plan.contents).zip(&self.columns) {
            if column.pick {
                // A border as an accent card under an inset tinted one: a stroke would need a
                // primitive the scene does not have, and this keeps corners concentric.
                items.push(Item::Rect { rect: *rect, radius: look.radius, fill: theme.accent, opacity: 1.0 });
                let inner = Rect {
                    x: rect.x + look.border,
                    y: rect.y + look.border,
                    width: rect.width - 2.0 * look.border,
                    height: rect.height - 2.0 * look.border,
                };
                let tint = theme.surface.mix(theme.accent, 0.12);
                items.push(Item::Rect { rect: inner, radius: look.radius - look.border, fill: tint, opacity: 1.0 });
            } else {
                items.push(Item::Rect { rect: *rect, radius: look.radius, fill: theme.surface, opacity: 1.0 });
            }
            let x = rect.x + look.pad;
            let mut y = rect.y + look.pad;
            push_text(&mut items, &card.title, x, y, None);
            y += plan.title_height.unwrap_or(card.title.height);
            for part in &card.parts {
                y += look.part_gap;
                for item in &part.items {
                    let mut item = item.clone();
                    item.translate(x, y);
                    items.push(item);
                }
                y += part.height;
            }
            if column.pick {
                draw_badge(&mut items, rect, look, ctx, ts);
            }
        }
        let height = plan.cards.iter().map(Rect::bottom).fold(0.0, f32::max);
        Block { name: Self::KEY, pos: self.pos, items, width: ctx.width, height, gap_before: 0.0 }
    }

    /// Options side by side need the slide's width.
    fn role(&self, _column: &Ctx) -> Role {
        Role::Spread
    }

    fn words(&self, out: &mut Vec<String>) {
        let titles: Vec<String> =
            self.columns.iter().map(|c| markup::plain_text(&c.title.value).trim().to_string()).collect();
        let mut summary = format!("Comparison of {}", join_and(&titles));
        if let Some(picked) = self.columns.iter().position(|c| c.pick) {
            summary.push_str(&format!("; {} picked", titles[picked]));
        }
        out.push(summary);
        for (title, column) in titles.iter().zip(&self.columns) {
            let mut parts = Vec::new();
            if let Some(body) = &column.body {
                body.words(&mut parts);
            }
            if let Some(bullets) = &column.bullets {
                bullets.words(&mut parts);
            }
            let parts: Vec<String> = parts
                .iter()
                .map(|p| p.trim().trim_end_matches(['.', ';']).to_string())
                .filter(|p| !p.is_empty())
                .collect();
            if !parts.is_empty() {
                out.push(format!("{title}: {}", parts.join("; ")));
            }
        }
    }
}

/// A column and where its `pick:` was written.
fn parse_column(reader: &mut Reader, item: &Node) -> Option<(Column, Pos)> {
    let fields = reader.map(item, "a compare column", &COLUMN)?;
    let title = match fields.present("title") {
        Some(node) => reader.text(node, "a column's `title`", COLUMN.max_chars("title")),
        None => {
            reader.error(
                item.pos,
                "this column has no `title`",
                "write { title: Multi-tenant, bullets: [...], pick: true }; body, bullets and pick are optional",
            );
            None
        }
    };
    let body = fields.present("body").and_then(|node| Body::parse(reader, node));
    let bullets = match fields.present("bullets") {
        Some(node) => match &node.value {
            Value::Seq(list) if list.len() > MAX_COLUMN_BULLETS => {
                reader.error(
                    list[MAX_COLUMN_BULLETS].pos,
                    format!("this column has {} bullets; a column holds up to {MAX_COLUMN_BULLETS}", list.len()),
                    "keep the points that decide it; a phone shows a column narrow",
                );
                None
            }
            _ => Bullets::parse(reader, node),
        },
        None => None,
    };
    let (pick, pick_pos) = match fields.present("pick") {
        None => (false, item.pos),
        Some(node) => match node.value {
            Value::Bool(pick) => (pick, node.pos),
            _ => {
                reader.error(
                    node.pos,
                    format!("`pick` must be true or false, found {}", node.value.type_name()),
                    "write `pick: true` on the chosen column and leave it out on the others",
                );
                return None;
            }
        },
    };
    let title = title?;
    if title.value.trim().is_empty() {
        reader.error(title.pos, "this column's `title` is empty", "name the option, like `Multi-tenant`");
        return None;
    }
    Some((Column { title, body, bullets, pick }, pick_pos))
}

/// "A", "A and B", "A, B and C".
fn join_and(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The sizes of a comparison at one fitting step.
struct Look {
    /// Padding inside a card.
    pad: f32,
    /// Between two cards.
    gutter: f32,
    /// Corner radius.
    radius: f32,
    /// The picked card's border.
    border: f32,
    /// Between the title and the body, and the body and the bullets.
    part_gap: f32,
    /// The title's size.
    title: f32,
    /// The badge's height and type size.
    badge: f32,
    badge_text: f32,
}

impl Look {
    fn at(ctx: &Ctx, sizes: &Sizes) -> Look {
        let s = ctx.s;
        let f = sizes.f.clamp(0.7, 1.0);
        Look {
            // A sparse slide's wider spacing opens the cards up too: their items apart, their
            // padding by half as much, up to a fifth wider (more would wrap a card's words).
            pad: 30.0 * s * f * (1.0 + (sizes.spacing.min(1.6) - 1.0) * 0.5),
            gutter: 24.0 * s,
            radius: 24.0 * s,
            border: 3.0 * s,
            part_gap: 14.0 * s * f.max(0.8) * sizes.spacing,
            title: sizes.body * 1.12,
            badge: 46.0 * s,
            badge_text: 24.0 * s,
        }
    }

    fn title_style(&self, ctx: &Ctx) -> TextStyle {
        TextStyle {
            weight: 800,
            line_height: 1.15,
            letter_spacing: -0.01,
            ..style(ctx.theme, Family::Sans, self.title, ctx.theme.text)
        }
    }

    /// The width of one column when `n` share `width` in a row.
    fn column(&self, width: f32, n: usize) -> f32 {
        (width - self.gutter * (n as f32 - 1.0)) / n as f32
    }
}

/// A column's content set for its measure, at the card's origin.
struct Card {
    title: TextBlock,
    parts: Vec<Block>,
}

impl Card {
    fn height(&self, look: &Look, title_height: f32) -> f32 {
        title_height + self.parts.iter().map(|p| look.part_gap + p.height).sum::<f32>()
    }
}

/// A comparison decided at one size.
struct Plan {
    look: Look,
    arrangement: Arrangement,
    /// One card per column, at the block's origin.
    cards: Vec<Rect>,
    contents: Vec<Card>,
    /// Side by side, the tallest title, so body text starts on one line across the row.
    title_height: Option<f32>,
}

impl Compare {
    /// Side by side when every column leaves room for its longest word and a readable measure;
    /// stacked otherwise.
    fn arrangement(&self, ctx: &Ctx, sizes: &Sizes, look: &Look, ts: &mut Typesetter) -> Arrangement {
        let inner = look.column(ctx.width, self.columns.len()) - 2.0 * look.pad;
        if inner < sizes.body * MIN_MEASURE_EMS {
            return Arrangement::Stacked;
        }
        let title_style = look.title_style(ctx);
        let body_style = style(ctx.theme, Family::Sans, sizes.body, ctx.theme.text);
        // Bullets hang their text 1.55 body sizes in, after the mark.
        let bullet_room = inner - sizes.body * 1.55;
        let fits = self.columns.iter().all(|column| {
            longest_word(ts, &column.title.value, &title_style) <= inner
                && column.body.as_ref().is_none_or(|b| longest_word(ts, &b.text.value, &body_style) <= inner)
                && column.bullets.as_ref().is_none_or(|list| {
                    list.items.iter().all(|b| longest_word(ts, &b.text.value, &body_style) <= bullet_room)
                })
        });
        if fits {
            Arrangement::SideBySide
        } else {
            Arrangement::Stacked
        }
    }

    fn plan(&self, ctx: &Ctx, sizes: &Sizes, ts: &mut Typesetter) -> Plan {
        let look = Look::at(ctx, sizes);
        let n = self.columns.len();
        let arrangement = self.arrangement(ctx, sizes, &look, ts);
        let any_pick = self.columns.iter().any(|c| c.pick);
        // The badge straddles the picked card's top edge: room for its upper half above.
        let badge_room = look.badge / 2.0;
        let card_width = match arrangement {
            Arrangement::SideBySide => look.column(ctx.width, n),
            Arrangement::Stacked => ctx.width,
        };
        let inner = card_width - 2.0 * look.pad;
        let contents: Vec<Card> = self.columns.iter().map(|c| card(c, ctx, sizes, &look, inner, ts)).collect();
        let mut cards = Vec::with_capacity(n);
        let title_height;
        match arrangement {
            Arrangement::SideBySide => {
                let tallest_title = contents.iter().map(|c| c.title.height).fold(0.0, f32::max);
                title_height = Some(tallest_title);
                let height =
                    contents.iter().map(|c| c.height(&look, tallest_title)).fold(0.0, f32::max) + 2.0 * look.pad;
                let top = if any_pick { badge_room } else { 0.0 };
                for index in 0..n {
                    let x = index as f32 * (card_width + look.gutter);
                    cards.push(Rect { x, y: top, width: card_width, height });
                }
            }
            Arrangement::Stacked => {
                title_height = None;
                let mut y = 0.0;
                for (index, (column, content)) in self.columns.iter().zip(&contents).enumerate() {
                    if index > 0 {
                        y += look.gutter;
                    }
                    if column.pick {
                        y += badge_room;
                    }
                    let height = content.height(&look, content.title.height) + 2.0 * look.pad;
                    cards.push(Rect { x: 0.0, y, width: card_width, height });
                    y += height;
                }
            }
        }
        Plan { look, arrangement, cards, contents, title_height }
    }
}

/// Sets one column's title, body and bullets in the card's measure.
fn card(column: &Column, ctx: &Ctx, sizes: &Sizes, look: &Look, inner: f32, ts: &mut Typesetter) -> Card {
    let title = ts.set_balanced(&inline(&column.title.value), &look.title_style(ctx), inner, Align::Start);
    // The column is a measure of its own, always flush left: centred bullets would not hang.
    let inside = Ctx { width: inner, align: HAlign::Start, ..*ctx };
    let mut parts = Vec::new();
    if let Some(body) = &column.body {
        parts.push(body.layout(&inside, sizes, ts));
    }
    if let Some(bullets) = &column.bullets {
        parts.push(bullets.layout(&inside, sizes, ts));
    }
    Card { title, parts }
}

/// The "✓ PICKED" pill, straddling the card's top edge at its left padding.
fn draw_badge(items: &mut Vec<Item>, card: &Rect, look: &Look, ctx: &Ctx, ts: &mut Typesetter) {
    let theme = ctx.theme;
    let text_style = TextStyle {
        weight: 800,
        letter_spacing: 0.1,
        line_height: 1.0,
        ..style(theme, Family::Sans, look.badge_text, theme.on_accent)
    };
    let spans = vec![Span { text: ctx.words.picked.to_string(), emphasis: Default::default() }];
    let text = ts.set(&spans, &text_style, card.width, Align::Start);
    let pad = look.badge * 0.42;
    let pill =
        Rect { x: card.x + look.pad, y: card.y - look.badge / 2.0, width: text.width + 2.0 * pad, height: look.badge };
    items.push(Item::Rect { rect: pill, radius: look.badge / 2.0, fill: theme.accent, opacity: 1.0 });
    place_line(items, &text, pill.x + pad, pill.y + look.badge / 2.0 + look.badge_text * 0.36);
}

/// A column of `compare`.
pub static COLUMN: Mapping = Mapping {
    what: "a compare column",
    doc: "One option of a comparison: its name, then a body and bullets.",
    keys: &[
        Key {
            name: "title",
            doc: "The option's name, with inline markup.",
            required: true,
            shape: Shape::Text { max: MAX_COLUMN_TITLE_CHARS },
        },
        Key {
            name: "body",
            doc: "Paragraphs under the title; inline markup.",
            required: false,
            shape: Shape::Text { max: limits::MAX_TEXT_CHARS },
        },
        Key {
            name: "bullets",
            doc: "Up to 6 bullets: text, or {text, mark}.",
            required: false,
            shape: Shape::List {
                min: 0,
                max: MAX_COLUMN_BULLETS,
                item: &Shape::AnyOf {
                    of: &[Shape::Text { max: limits::MAX_TEXT_CHARS }, Shape::Map(&crate::blocks::bullets::BULLET)],
                },
            },
        },
        Key {
            name: "pick",
            doc: "true on the option chosen (at most one): drawn with an accent border, a tint and a ✓ PICKED badge.",
            required: false,
            shape: Shape::Bool,
        },
    ],
    rule: Rule::None,
};

/// The `compare:` key of a slide.
pub const SLIDE_KEY: Key = Key {
    name: "compare",
    doc: "2 or 3 options side by side, each {title, body, bullets, pick}; `pick: true` marks the chosen one, \
          drawn with the accent. Columns stack when they are too narrow for their words.",
    required: false,
    shape: Shape::List { min: MIN_COLUMNS, max: MAX_COLUMNS, item: &Shape::Map(&COLUMN) },
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::theme::Theme;

    fn located(text: &str) -> Located<String> {
        Located { value: text.to_string(), pos: Pos::default() }
    }

    fn column(title: &str, bullets: &[&str], pick: bool) -> Column {
        let items = bullets
            .iter()
            .map(|b| super::super::Bullet { text: located(b), mark: super::super::Mark::Dot, mark_pos: None })
            .collect();
        Column { title: located(title), body: None, bullets: Some(Bullets { items }), pick }
    }

    fn sizes() -> Sizes {
        Sizes::reference()
    }

    fn plan(compare: &Compare, theme: &Theme, width: f32, s: f32) -> Plan {
        let ctx = Ctx {
            theme,
            s,
            fs: s,
            width,
            align: HAlign::Start,
            slot_height: 1000.0,
            kind: crate::design::kind::Kind::Solution,
            columns: false,
            words: crate::design::words::Words::for_language("en"),
        };
        compare.plan(&ctx, &sizes(), &mut Typesetter::new())
    }

    fn two_options() -> Compare {
        Compare {
            columns: vec![
                column("Single-tenant", &["One database per customer", "Expensive on AWS"], false),
                column("Multi-tenant", &["Shared database", "Cost-efficient at scale"], true),
            ],
            pos: Pos::default(),
        }
    }

    #[test]
    fn two_columns_stay_side_by_side_on_portrait_with_one_width_and_aligned_tops() {
        let theme = Theme::built_in("midnight").expect("midnight");
        let plan = plan(&two_options(), &theme, 888.0, 1.0);
        assert_eq!(plan.arrangement, Arrangement::SideBySide);
        let (a, b) = (plan.cards[0], plan.cards[1]);
        assert_eq!((a.width, a.y, a.height), (b.width, b.y, b.height));
        assert!(b.x >= a.right(), "columns overlap");
        assert!((b.right() - 888.0).abs() < 0.01, "the row fills the measure");
        // The badge's upper half sits above the cards, inside the block.
        assert!(a.y > 0.0);
    }

    #[test]
    fn columns_stack_when_a_word_cannot_fit_a_column() {
        let theme = Theme::built_in("midnight").expect("midnight");
        let mut three = two_options();
        three.columns.push(column("Hybrid", &["Partitioning"], false));
        let portrait = plan(&three, &theme, 888.0, 1.0);
        assert_eq!(portrait.arrangement, Arrangement::Stacked);
        assert!(portrait.cards.windows(2).all(|p| p[1].y > p[0].bottom() && p[1].width == 888.0));
        // The same three on a landscape measure have the room.
        let landscape = plan(&three, &theme, 1428.0, 1.19);
        assert_eq!(landscape.arrangement, Arrangement::SideBySide);
        // Three short columns stay side by side even on portrait.
        let short = Compare {
            columns: vec![column("A", &["Fast"], false), column("B", &["Cheap"], true), column("C", &["Good"], false)],
            pos: Pos::default(),
        };
        assert_eq!(plan(&short, &theme, 888.0, 1.0).arrangement, Arrangement::SideBySide);
    }

    #[test]
    fn alt_text_names_the_options_and_the_pick() {
        let mut out = Vec::new();
        two_options().words(&mut out);
        assert_eq!(out[0], "Comparison of Single-tenant and Multi-tenant; Multi-tenant picked");
        assert_eq!(out[2], "Multi-tenant: Shared database; Cost-efficient at scale");
    }
}
