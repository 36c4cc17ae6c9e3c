//! `body:` paragraphs with inline markup, separated by a blank line.

use crate::design::template::HAlign;
use crate::read::reader::{Located, Reader};
use crate::read::yaml::Node;
use crate::text::{markup, Family, TextStyle, Typesetter};

use super::{bind_numbers, push_text, style, Block, Ctx, Element, Role, Sizes};
use crate::read::format::{Key, Shape};
use crate::read::limits;

/// Paragraphs with inline markup.
#[derive(Debug, Clone)]
pub struct Body {
    /// The text as written.
    pub text: Located<String>,
}

impl Element for Body {
    const KEY: &'static str = "body";

    fn parse(reader: &mut Reader, node: &Node) -> Option<Body> {
        let text = reader.text(node, "`body`", SLIDE_KEY.max_chars())?;
        (!text.value.trim().is_empty()).then_some(Body { text })
    }

    fn layout(&self, ctx: &Ctx, sizes: &Sizes, ts: &mut Typesetter) -> Block {
        let theme = ctx.theme;
        let style = TextStyle { line_height: 1.42, ..style(theme, Family::Sans, sizes.body, theme.text) };
        let mut items = Vec::new();
        let mut y = 0.0;
        let mut width: f32 = 0.0;
        for (index, mut paragraph) in markup::parse(&self.text.value).into_iter().enumerate() {
            if index > 0 {
                y += sizes.body * 0.6 * sizes.spacing;
            }
            bind_numbers(&mut paragraph);
            let text = ts.set(&paragraph, &style, ctx.width, ctx.text_align());
            push_text(&mut items, &text, 0.0, y, Some(theme.surface));
            y += text.height;
            width = width.max(if ctx.align == HAlign::Center { ctx.width } else { text.width });
        }
        Block { name: Self::KEY, pos: self.text.pos, items, width, height: y, gap_before: 0.0 }
    }

    fn role(&self, _column: &Ctx) -> Role {
        Role::Prose
    }

    fn words(&self, out: &mut Vec<String>) {
        out.push(markup::plain_text(&self.text.value));
    }
}

/// The `body:` key of a slide.
pub const SLIDE_KEY: Key = Key {
    name: "body",
    doc: "Paragraphs separated by a blank line. Inline markup: **bold**, *italic*, `code`, ==highlight==, \
          [text](https://…) for a link, and a backslash at the end of a line for a line break.",
    required: false,
    shape: Shape::Text { max: limits::MAX_TEXT_CHARS },
};
