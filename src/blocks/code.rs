//! `code:` a syntax-highlighted code panel with window dots, its language and an optional caption.

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
        let pad = 36.0 * s;
        let inner = ctx.width - 2.0 * pad;
        let longest =
            self.source.value.lines().map(|l| l.replace('\t', "    ").chars().count()).max().unwrap_or(1).max(1);
        // JetBrains Mono advances 0.6 em per character: shrink to fit the longest line, down to the floor, then wrap.
        let fitting = inner / (longest as f32 * 0.6) * 0.995;
        let size = (30.0 * s * sizes.f).min(fitting).max(26.0 * ctx.fs);
        let palette = &theme.code;
        let lines = highlight::highlight(self.lang, &self.source.value).unwrap_or_default();
        let mut runs = Vec::new();
        for (index, line) in lines.iter().enumerate() {
            if index > 0 {
                runs.push(("\n".to_string(), palette.plain));
            }
            for span in line {
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
                runs.push((span.text.clone(), color));
            }
        }
        let code_style = TextStyle { line_height: 1.45, ..style(theme, Family::Mono, size, palette.plain) };
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

    /// Beside the heading while its longest line fits the column at the code's floor size.
    fn role(&self, column: &Ctx) -> Role {
        let longest = self.source.value.lines().map(|l| l.replace('\t', "    ").chars().count()).max().unwrap_or(0);
        if longest as f32 * 0.6 * 26.0 * column.fs <= column.width - 72.0 * column.s {
            Role::Figure
        } else {
            Role::Spread
        }
    }

    fn words(&self, out: &mut Vec<String>) {
        out.push(format!("Code ({}): {}", self.lang, self.source.value.lines().next().unwrap_or_default()));
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
