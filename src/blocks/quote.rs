//! `quote:` a pull quote with its speaker; on a quote slide it leads, larger and without a rule.

use crate::design::kind::Kind;
use crate::design::template::HAlign;
use crate::design::theme::Color;
use crate::geom::Rect;
use crate::read::reader::{Located, Reader};
use crate::read::yaml::Node;
use crate::scene::Item;
use crate::text::{markup, Family, TextStyle, Typesetter};

use super::{inline, push_text, style, Block, Ctx, Element, Role, Sizes};
use crate::read::format::{Key, Mapping, Rule, Shape};
use crate::read::limits;

/// A pull quote.
#[derive(Debug, Clone)]
pub struct Quote {
    /// The words, with inline markup.
    pub text: Located<String>,
    /// Who said them.
    pub by: Option<Located<String>>,
}

impl Element for Quote {
    const KEY: &'static str = "quote";

    fn parse(reader: &mut Reader, node: &Node) -> Option<Quote> {
        if node.as_text().is_some() {
            return Some(Quote { text: reader.text(node, "`quote`", QUOTE.max_chars("text"))?, by: None });
        }
        let fields = reader.map(node, "`quote`", &QUOTE)?;
        let Some(text) = fields.present("text") else {
            reader.error(node.pos, "`quote` has no `text`", "write { text: \"...\", by: Someone }");
            return None;
        };
        let text = reader.text(text, "`quote.text`", QUOTE.max_chars("text"))?;
        let by = reader.optional_text(&fields, "by", "`quote.by`", QUOTE.max_chars("by"));
        Some(Quote { text, by })
    }

    fn layout(&self, ctx: &Ctx, sizes: &Sizes, ts: &mut Typesetter) -> Block {
        let theme = ctx.theme;
        let s = ctx.s;
        let leading = ctx.kind == Kind::Quote;
        // On its own slide the quote is the headline, well above body size (the layout draws
        // the mark, or on a photo the panel behind it); the fitting shrinks a long one.
        let size = if leading { sizes.body * LEADING_SCALE } else { sizes.body * 1.15 };
        let indent = if leading { 0.0 } else { 36.0 * s };
        let mut spans = inline(&self.text.value);
        for span in &mut spans {
            span.emphasis.italic = true;
        }
        let quote_style = TextStyle { weight: 500, line_height: 1.32, ..style(theme, Family::Sans, size, theme.text) };
        let mut text = ts.set_balanced(&spans, &quote_style, ctx.width - indent, ctx.text_align());
        // A leading quote is set like a title: a word left alone on a line ("Premature /
        // optimization is / the root of all evil.") is paired by setting it up to 12% smaller,
        // where that costs no line.
        if leading && text.stray_lines > 0 {
            for factor in [0.94, 0.88] {
                let smaller = TextStyle { size: size * factor, ..quote_style };
                let candidate = ts.set_balanced(&spans, &smaller, ctx.width - indent, ctx.text_align());
                if candidate.stray_lines == 0 && candidate.lines.len() <= text.lines.len() {
                    text = candidate;
                    break;
                }
            }
        }
        let mut items = Vec::new();
        if !leading {
            items.push(Item::Rect {
                rect: Rect { x: 0.0, y: 0.0, width: 6.0 * s, height: text.height },
                radius: 3.0 * s,
                fill: theme.accent,
                opacity: 1.0,
            });
        }
        push_text(&mut items, &text, indent, 0.0, Some(theme.surface));
        let mut height = text.height;
        let mut width = indent + text.width;
        if let Some(by) = &self.by {
            let by_style = TextStyle {
                weight: 600,
                line_height: 1.3,
                ..style(theme, Family::Sans, (size * 0.6).max(28.0 * s), theme.muted)
            };
            let by_text = ts.set(&inline(&format!("— {}", by.value)), &by_style, ctx.width - indent, ctx.text_align());
            height += 24.0 * s;
            push_text(&mut items, &by_text, indent, height, None);
            height += by_text.height;
            width = width.max(indent + by_text.width);
        }
        if ctx.align == HAlign::Center {
            width = ctx.width;
        }
        Block { name: Self::KEY, pos: self.text.pos, items, width, height, gap_before: 0.0 }
    }

    fn role(&self, _column: &Ctx) -> Role {
        Role::Prose
    }

    fn words(&self, out: &mut Vec<String>) {
        out.push(format!("\u{201c}{}\u{201d}", markup::plain_text(&self.text.value)));
    }
}

/// How much larger than the body a quote that leads its slide is set: between the body and
/// the title, so it reads as the headline and the body under it as the aside.
pub const LEADING_SCALE: f32 = 1.75;

/// The quotation mark the built-in quote layout draws (two filled commas), in a 102 x 72 box,
/// as the scene writes paths: commands and coordinates as separate tokens, absolute x y pairs.
const MARK: &str = "M 0 52 C 0 22 14 6 40 0 L 44 10 C 30 16 24 26 24 36 L 42 36 L 42 72 L 0 72 Z \
                    M 58 52 C 58 22 72 6 98 0 L 102 10 C 88 16 82 26 82 36 L 100 36 L 100 72 L 58 72 Z";

/// A round badge in `fill` carrying the quotation mark in `ink`, centred on (`cx`, `cy`): the
/// mark of a quote set on a panel over a photo, which covers the layout's own mark.
pub fn mark_badge(cx: f32, cy: f32, radius: f32, fill: Color, ink: Color) -> [Item; 2] {
    let scale = radius * 1.1 / 102.0;
    let (left, top) = (cx - 51.0 * scale, cy - 36.0 * scale);
    let mut numbers = 0;
    let tokens: Vec<String> = MARK
        .split_whitespace()
        .map(|token| match token.parse::<f32>() {
            Ok(value) => {
                numbers += 1;
                let origin = if numbers % 2 == 1 { left } else { top };
                crate::geom::num(origin + value * scale)
            }
            Err(_) => token.to_string(),
        })
        .collect();
    let d = tokens.join(" ");
    [Item::Circle { cx, cy, r: radius, fill }, Item::Path { d, fill: Some(ink), stroke: None }]
}

/// A quote in its long form.
pub static QUOTE: Mapping = Mapping {
    what: "`quote`",
    doc: "A pull quote.",
    keys: &[
        Key {
            name: "text",
            doc: "The words, with inline markup.",
            required: true,
            shape: Shape::Text { max: limits::MAX_TEXT_CHARS },
        },
        Key { name: "by", doc: "Who said them.", required: false, shape: Shape::Text { max: limits::MAX_BY_CHARS } },
    ],
    rule: Rule::None,
};

/// The `quote:` key of a slide.
pub const SLIDE_KEY: Key = Key {
    name: "quote",
    doc: "A pull quote: the text, or {text, by}.",
    required: false,
    shape: Shape::AnyOf { of: &[Shape::Text { max: limits::MAX_TEXT_CHARS }, Shape::Map(&QUOTE)] },
};
