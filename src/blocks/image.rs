//! `image:` a PNG, JPEG or SVG, contained on a panel or covering its box.

use crate::deck::{Asset, Reader};
use crate::diag::valid_help;
use crate::format;
use crate::scene::Item;
use crate::template::Rect;
use crate::text::Typesetter;
use crate::yaml::{Node, Pos};

use super::{Block, Ctx, Element, Role, Sizes};

/// The values of `image.fit`.
pub const FIT_NAMES: &[&str] = &["contain", "cover"];

/// A picture on a slide.
#[derive(Debug, Clone)]
pub struct Image {
    /// The file.
    pub asset: Asset,
    /// Alt text.
    pub alt: Option<String>,
    /// How it fills its box.
    pub fit: Fit,
}

/// How an image fills its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Whole image visible, letterboxed.
    Contain,
    /// Box filled, image cropped.
    Cover,
}

impl Element for Image {
    const KEY: &'static str = "image";

    fn parse(reader: &mut Reader, node: &Node) -> Option<Image> {
        let (path_node, alt, fit) = if node.as_text().is_some() {
            (node, None, Fit::Contain)
        } else {
            let fields = reader.map(node, "`image`", &format::IMAGE)?;
            let Some(path) = fields.present("path") else {
                reader.error(node.pos, "`image` has no `path`", "write { path: assets/chart.png, fit: contain }");
                return None;
            };
            let alt =
                reader.optional_text(&fields, "alt", "`image.alt`", format::IMAGE.max_chars("alt")).map(|a| a.value);
            let fit = match fields.present("fit") {
                None => Some(Fit::Contain),
                Some(fit) => match fit.as_text().unwrap_or_default().trim().to_lowercase().as_str() {
                    "contain" => Some(Fit::Contain),
                    "cover" => Some(Fit::Cover),
                    other => {
                        reader.error(fit.pos, format!("unknown fit `{other}`"), valid_help(other, FIT_NAMES));
                        None
                    }
                },
            };
            (path, alt, fit?)
        };
        let asset = reader.asset(path_node, "`image.path`", format::IMAGE.max_chars("path"))?;
        Some(Image { asset, alt, fit })
    }

    fn layout(&self, ctx: &Ctx, sizes: &Sizes, _ts: &mut Typesetter) -> Block {
        let s = ctx.s;
        let aspect = self.asset.height / self.asset.width.max(1.0);
        let natural = ctx.width * aspect;
        let cap = ctx.slot_height * 0.5 * sizes.f.max(0.5);
        let height = natural.min(cap).max(120.0 * s);
        let rect = Rect { x: 0.0, y: 0.0, width: ctx.width, height };
        let mut items = Vec::new();
        if self.fit == Fit::Contain {
            items.push(Item::Rect { rect, radius: 24.0 * s, fill: ctx.theme.surface, opacity: 1.0 });
            let inset = 16.0 * s;
            let inner = Rect { x: inset, y: inset, width: rect.width - 2.0 * inset, height: rect.height - 2.0 * inset };
            items.push(Item::Image { asset: self.asset.clone(), rect: inner, fit: self.fit, radius: 12.0 * s });
        } else {
            items.push(Item::Image { asset: self.asset.clone(), rect, fit: self.fit, radius: 24.0 * s });
        }
        Block { name: Self::KEY, pos: Pos::default(), items, width: ctx.width, height, gap_before: 0.0 }
    }

    fn role(&self, _column: &Ctx) -> Role {
        Role::Picture
    }

    fn words(&self, out: &mut Vec<String>) {
        out.push(self.alt.clone().unwrap_or_else(|| "An image.".into()));
    }
}
