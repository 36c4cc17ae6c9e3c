//! `bullets:` a list of up to 12 bullets, each with a mark (a dot, a tick, a cross, a warning
//! sign, a number, an emoji or a Lucide icon) hung before it.

use unicode_segmentation::UnicodeSegmentation;

use crate::design::theme::Theme;
use crate::read::diag::{did_you_mean, valid_help};
use crate::read::yaml::{Node, Pos};
use crate::read::{
    limits,
    reader::{Located, Reader},
};
use crate::scene::Item;
use crate::text::markup::{self, Span};
use crate::text::{Align, Family, TextStyle, Typesetter};

use super::{icon, inline, path, place_line, push_text, style, Block, Ctx, Element, Role, Sizes};
use crate::read::format::{no_aliases, Key, Mapping, Names, Rule, Shape};

/// The named marks a bullet takes (an emoji or an icon name are the other choices); [`format`]
/// hands them to the schema. They win over the Lucide icons of the same name.
pub const MARK_NAMES: &[&str] = &["check", "cross", "warn", "dot", "number"];

/// A list of bullets, never empty.
#[derive(Debug, Clone)]
pub struct Bullets {
    /// The bullets, in order.
    pub items: Vec<Bullet>,
}

/// One bullet.
#[derive(Debug, Clone)]
pub struct Bullet {
    /// Text with inline markup.
    pub text: Located<String>,
    /// What hangs before it.
    pub mark: Mark,
    /// Where its `mark:` was written, when it has one.
    pub mark_pos: Option<Pos>,
}

/// What hangs before a bullet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    /// A small round dot in the accent colour (the default).
    Dot,
    /// A tick in the "good" colour.
    Check,
    /// A cross in the "bad" colour.
    Cross,
    /// A warning sign in the "warn" colour.
    Warn,
    /// The bullet's position among the numbered bullets, on an accent disc.
    Number,
    /// Any emoji, drawn in colour.
    Emoji(String),
    /// A Lucide icon, drawn in the accent.
    Icon(crate::design::icons::Icon),
}

impl Element for Bullets {
    const KEY: &'static str = "bullets";

    fn parse(reader: &mut Reader, node: &Node) -> Option<Bullets> {
        let items = reader.list(node, "`bullets`", limits::MAX_BULLETS)?;
        let mut bullets = Vec::new();
        for item in items {
            if item.as_text().is_some() {
                if let Some(text) = reader.text(item, "a bullet", BULLET.max_chars("text")) {
                    let (text, mark) = leading_emoji(text);
                    bullets.push(Bullet { text, mark: mark.unwrap_or(Mark::Dot), mark_pos: None });
                }
                continue;
            }
            let Some(fields) = reader.map(item, "a bullet", &BULLET) else { continue };
            let Some(text_node) = fields.present("text") else {
                reader.error(item.pos, "this bullet has no `text`", "write { text: \"...\", mark: check }");
                continue;
            };
            let Some(text) = reader.text(text_node, "a bullet", BULLET.max_chars("text")) else { continue };
            let mark_node = fields.present("mark");
            let (text, mark) = match mark_node {
                None => {
                    let (text, mark) = leading_emoji(text);
                    (text, Some(mark.unwrap_or(Mark::Dot)))
                }
                Some(mark) => (text, parse_mark(reader, mark)),
            };
            if let Some(mark) = mark {
                bullets.push(Bullet { text, mark, mark_pos: mark_node.map(|n| n.pos) });
            }
        }
        (!bullets.is_empty()).then_some(Bullets { items: bullets })
    }

    fn layout(&self, ctx: &Ctx, sizes: &Sizes, ts: &mut Typesetter) -> Block {
        let theme = ctx.theme;
        let size = sizes.body;
        let column = size * 1.55;
        let style = TextStyle { line_height: 1.36, ..style(theme, Family::Sans, size, theme.text) };
        let mut items = Vec::new();
        let mut y = 0.0;
        let mut width: f32 = 0.0;
        let mut number = 0;
        for (index, bullet) in self.items.iter().enumerate() {
            if index > 0 {
                y += size * 0.62 * sizes.spacing;
            }
            let text = ts.set(&inline(&bullet.text.value), &style, ctx.width - column, Align::Start);
            let first = text.lines.first();
            let baseline = first.and_then(|l| l.segments.first()).map(|s| s.y).unwrap_or(size);
            // Marks centre on the x-height of the first line, so they sit with the words.
            let center_y = y + baseline - size * 0.36;
            if bullet.mark == Mark::Number {
                number += 1;
            }
            draw_mark(&mut items, &bullet.mark, number, size * 0.5, center_y, size, theme, ts);
            push_text(&mut items, &text, column, y, Some(theme.surface));
            y += text.height;
            width = width.max(column + text.width);
        }
        let pos = self.items.first().map(|b| b.text.pos).unwrap_or_default();
        Block { name: Self::KEY, pos, items, width, height: y, gap_before: 0.0 }
    }

    fn role(&self, _column: &Ctx) -> Role {
        Role::Prose
    }

    fn words(&self, out: &mut Vec<String>) {
        for bullet in &self.items {
            out.push(markup::plain_text(&bullet.text.value));
        }
    }
}

fn parse_mark(reader: &mut Reader, node: &Node) -> Option<Mark> {
    let text = node.as_text().unwrap_or_default();
    let trimmed = text.trim();
    let mark = match trimmed.to_lowercase().as_str() {
        "check" => Some(Mark::Check),
        "cross" => Some(Mark::Cross),
        "warn" => Some(Mark::Warn),
        "dot" => Some(Mark::Dot),
        "number" => Some(Mark::Number),
        _ if is_single_emoji(trimmed) => Some(Mark::Emoji(trimmed.to_string())),
        // After the built-in names: `check`, `cross` and `dot` are Lucide icons too.
        _ => crate::design::icons::lookup(&text).map(Mark::Icon),
    };
    if mark.is_none() {
        // A near miss of a built-in name is the likelier typo; an icon's only when none is close.
        let brand = crate::design::icons::brand_hint(&text);
        let help =
            match (did_you_mean(trimmed, MARK_NAMES.iter().copied()), crate::design::icons::suggest(&text), brand) {
                (_, _, Some(brand)) => format!("{brand}; {}", valid_help(trimmed, MARK_NAMES)),
                (None, Some(icon), None) => {
                    format!("did you mean the icon `{icon}`? {}", valid_help(trimmed, MARK_NAMES))
                }
                _ => valid_help(trimmed, MARK_NAMES),
            };
        reader.error(
            node.pos,
            format!("unknown mark `{trimmed}`"),
            format!("{help}, one emoji like \"🚀\", or an icon name; {}", icon::list_hint()),
        );
    }
    mark
}

/// A bullet written with an emoji first (`"🚀 Shipped"`) and no mark of its own: the emoji is its
/// mark, hung in the mark's column, rather than a dot beside an emoji.
fn leading_emoji(text: Located<String>) -> (Located<String>, Option<Mark>) {
    let trimmed = text.value.trim_start();
    let Some(first) = trimmed.graphemes(true).next() else { return (text, None) };
    let rest = &trimmed[first.len()..];
    if !is_single_emoji(first) || !rest.starts_with(char::is_whitespace) || rest.trim().is_empty() {
        return (text, None);
    }
    let value = rest.trim_start().to_string();
    (Located { value, pos: text.pos }, Some(Mark::Emoji(first.to_string())))
}

/// Whether `text` is one grapheme that is an emoji (or a symbol drawn like one): a pictograph, a
/// keycap (`1️⃣`, `#️⃣`), or any character asked for in emoji presentation (U+FE0F).
fn is_single_emoji(text: &str) -> bool {
    let mut graphemes = text.graphemes(true);
    let (Some(first), None) = (graphemes.next(), graphemes.next()) else { return false };
    first.chars().any(|c| {
        let c = c as u32;
        // The enclosing keycap and the emoji presentation selector make emoji of digits and symbols.
        c == 0x20E3
            || c == 0xFE0F
            || (0x1F000..=0x1FAFF).contains(&c)
            || (0x2190..=0x2BFF).contains(&c)
            || c == 0x00A9
            || c == 0x00AE
            || c == 0x203C
            || c == 0x2049
    })
}

/// Draws a bullet mark centred on (`cx`, `cy`) for text of `size`.
#[allow(clippy::too_many_arguments)]
fn draw_mark(
    items: &mut Vec<Item>,
    mark: &Mark,
    number: usize,
    cx: f32,
    cy: f32,
    size: f32,
    theme: &Theme,
    ts: &mut Typesetter,
) {
    let r = size * 0.5;
    let ink = theme.background;
    let line = size * 0.1;
    match mark {
        Mark::Dot => items.push(Item::Circle { cx, cy, r: size * 0.15, fill: theme.accent }),
        Mark::Check => {
            items.push(Item::Circle { cx, cy, r, fill: theme.good });
            let d = path(&[
                ('M', cx - r * 0.45, cy + r * 0.02),
                ('L', cx - r * 0.12, cy + r * 0.35),
                ('L', cx + r * 0.48, cy - r * 0.32),
            ]);
            items.push(Item::Path { d, fill: None, stroke: Some((ink, line)) });
        }
        Mark::Cross => {
            items.push(Item::Circle { cx, cy, r, fill: theme.bad });
            let k = r * 0.36;
            let d = path(&[('M', cx - k, cy - k), ('L', cx + k, cy + k), ('M', cx + k, cy - k), ('L', cx - k, cy + k)]);
            items.push(Item::Path { d, fill: None, stroke: Some((ink, line)) });
        }
        Mark::Warn => {
            let d = path(&[
                ('M', cx, cy - r * 1.02),
                ('L', cx + r * 1.1, cy + r * 0.9),
                ('L', cx - r * 1.1, cy + r * 0.9),
                ('Z', 0.0, 0.0),
            ]);
            items.push(Item::Path { d, fill: Some(theme.warn), stroke: Some((theme.warn, line * 0.8)) });
            let bar = path(&[('M', cx, cy - r * 0.38), ('L', cx, cy + r * 0.28)]);
            items.push(Item::Path { d: bar, fill: None, stroke: Some((ink, line)) });
            items.push(Item::Circle { cx, cy: cy + r * 0.6, r: line * 0.62, fill: ink });
        }
        Mark::Number => {
            items.push(Item::Circle { cx, cy, r: r * 1.05, fill: theme.accent });
            let digits = (size * 0.62).max(24.0 * size / 38.0).max(24.0);
            let style =
                TextStyle { weight: 800, line_height: 1.0, ..style(theme, Family::Sans, digits, theme.on_accent) };
            let spans = vec![Span { text: number.to_string(), emphasis: Default::default() }];
            let text = ts.set(&spans, &style, size * 4.0, Align::Start);
            let digits_x = cx - text.width / 2.0;
            // Digits' cap height is about 0.73 em in Inter: centre it on the disc.
            let baseline = cy + digits * 0.365;
            place_line(items, &text, digits_x, baseline);
        }
        Mark::Icon(glyph) => items.push(icon::mark(*glyph, cx, cy, size, theme.accent)),
        Mark::Emoji(emoji) => {
            let style = style(theme, Family::Sans, size * 0.95, theme.text);
            let spans = vec![Span { text: emoji.clone(), emphasis: Default::default() }];
            let text = ts.set(&spans, &style, size * 4.0, Align::Start);
            let baseline = cy + size * 0.95 * 0.36;
            place_line(items, &text, cx - text.width / 2.0, baseline);
        }
    }
}

/// Bullet marks by name (an emoji is the other choice).
pub static MARKS: Names =
    Names { names: || MARK_NAMES.to_vec(), aliases: no_aliases, loose_separators: false, blank_ok: false };

/// One emoji, roughly: a word that starts with a character beyond ASCII. The parser is stricter
/// (one grapheme, an emoji or pictograph); a schema regular expression cannot say "grapheme".
pub const EMOJI_PATTERN: &str = r"^\s*[^\x00-\x7F\s]\S*\s*$";

/// Longest emoji mark the schema lets through, in characters (a family ZWJ sequence is 11;
/// the parser itself counts one grapheme).
const MAX_EMOJI_CHARS: usize = 32;

/// A bullet in its long form.
pub static BULLET: Mapping = Mapping {
    what: "a bullet",
    doc: "A bullet with a mark.",
    keys: &[
        Key {
            name: "text",
            doc: "The bullet, with inline markup.",
            required: true,
            shape: Shape::Text { max: limits::MAX_TEXT_CHARS },
        },
        Key {
            name: "mark",
            doc: "What hangs before it: dot (default), check, cross, warn, number, one emoji like \"🚀\", \
                  or a Lucide icon name like `database` (`carousel icons` lists them; the five names before win).",
            required: false,
            shape: Shape::AnyOf {
                of: &[
                    Shape::Name(&MARKS),
                    Shape::Matching { max: MAX_EMOJI_CHARS, pattern: EMOJI_PATTERN },
                    Shape::Icon,
                ],
            },
        },
    ],
    rule: Rule::None,
};

/// The `bullets:` key of a slide.
pub const SLIDE_KEY: Key = Key {
    name: "bullets",
    doc: "Up to 12 bullets: text, or {text, mark}.",
    required: false,
    shape: Shape::List {
        min: 0,
        max: limits::MAX_BULLETS,
        item: &Shape::AnyOf { of: &[Shape::Text { max: limits::MAX_TEXT_CHARS }, Shape::Map(&BULLET)] },
    },
};

#[cfg(test)]
mod tests {
    use super::*;

    /// An icon mark is the text's size, in the accent, centred where a dot mark is: on the first
    /// line's x-height, in the mark column.
    #[test]
    fn icon_marks_centre_where_a_dot_does() {
        let theme = Theme::built_in("paper").expect("theme");
        let ctx = Ctx::reference(&theme);
        let sizes = Sizes::reference();
        let text = Located { value: "Cache at the edge".to_string(), pos: Pos::default() };
        let gauge = crate::design::icons::lookup("gauge").expect("bundled");
        let bullets = Bullets {
            items: vec![
                Bullet { text: text.clone(), mark: Mark::Dot, mark_pos: None },
                Bullet { text, mark: Mark::Icon(gauge), mark_pos: None },
            ],
        };
        let block = bullets.layout(&ctx, &sizes, &mut Typesetter::new());
        let dot = block.items.iter().find_map(|i| match i {
            Item::Circle { cx, cy, .. } => Some((*cx, *cy)),
            _ => None,
        });
        let icon = block.items.iter().find_map(|i| match i {
            Item::Icon { icon, x, y, size, color, .. } => {
                Some((icon.name, x + size / 2.0, y + size / 2.0, *size, *color))
            }
            _ => None,
        });
        let baselines: Vec<f32> = block
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Text(s) => Some(s.y),
                _ => None,
            })
            .collect();
        let ((dot_x, dot_y), Some((name, x, y, size, color))) = (dot.expect("a dot"), icon) else { panic!("no icon") };
        assert_eq!((name, size, color), ("gauge", 38.0, theme.accent));
        assert!((x - dot_x).abs() < 0.01, "same column: {x} vs {dot_x}");
        let line = baselines[1] - baselines[0];
        assert!((y - line - dot_y).abs() < 0.01, "same height on its line: {y} vs {dot_y} + {line}");
        assert!(y < baselines[1] && y > baselines[1] - 38.0 * 0.6, "on the x-height: {y} vs baseline {}", baselines[1]);
    }

    #[test]
    fn emoji_marks_are_single_graphemes() {
        assert!(is_single_emoji("🚀"));
        assert!(is_single_emoji("👩‍💻"));
        assert!(is_single_emoji("⚙️"));
        assert!(!is_single_emoji("🚀🚀"));
        assert!(!is_single_emoji("x"));
        // Keycaps: a digit or `#` with the emoji selector and the enclosing keycap.
        assert!(is_single_emoji("1️⃣") && is_single_emoji("#️⃣") && is_single_emoji("🔟"));
        assert!(!is_single_emoji("1") && !is_single_emoji("#"));
    }

    #[test]
    fn a_leading_emoji_becomes_the_mark() {
        let at = |value: &str| Located { value: value.to_string(), pos: Default::default() };
        let (text, mark) = leading_emoji(at("🚀 Shipped it"));
        assert_eq!((text.value.as_str(), mark), ("Shipped it", Some(Mark::Emoji("🚀".into()))));
        let (text, mark) = leading_emoji(at("1️⃣ First"));
        assert_eq!((text.value.as_str(), mark), ("First", Some(Mark::Emoji("1️⃣".into()))));
        // Not followed by words, or glued to them: the text stays as written.
        for kept in ["🚀", "🚀launch", "Ship 🚀 it"] {
            assert_eq!(leading_emoji(at(kept)), (at(kept), None), "{kept}");
        }
    }
}
