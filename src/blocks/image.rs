//! `image:` a PNG, JPEG, WebP, GIF or SVG, contained on a panel or covering its box.

use crate::geom::Rect;
use crate::media::asset::Asset;
use crate::read::diag::valid_help;
use crate::read::reader::Reader;
use crate::read::yaml::{Node, Pos};
use crate::scene::Item;
use crate::text::Typesetter;

use super::{Block, Ctx, Element, Role, Sizes};
use crate::media::Fit;
use crate::read::format::{no_aliases, Key, Mapping, Names, Rule, Shape};
use crate::read::limits;

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

impl Element for Image {
    const KEY: &'static str = "image";

    fn parse(reader: &mut Reader, node: &Node) -> Option<Image> {
        let (path_node, alt, fit) = if node.as_text().is_some() {
            (node, None, Fit::Contain)
        } else {
            let fields = reader.map(node, "`image`", &IMAGE)?;
            let Some(path) = fields.present("path") else {
                reader.error(node.pos, "`image` has no `path`", "write { path: assets/chart.png, fit: contain }");
                return None;
            };
            let alt = reader.optional_text(&fields, "alt", "`image.alt`", IMAGE.max_chars("alt")).map(|a| a.value);
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
        let asset = reader.asset(path_node, "`image.path`", IMAGE.max_chars("path"))?;
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

/// How an image fills its box.
pub static FITS: Names =
    Names { names: || FIT_NAMES.to_vec(), aliases: no_aliases, loose_separators: false, blank_ok: false };

/// An image in its long form.
pub static IMAGE: Mapping = Mapping {
    what: "`image`",
    doc: "A picture: PNG, JPEG, WebP, GIF or SVG; at most 20 MB and 40 megapixels.",
    keys: &[
        Key {
            name: "path",
            doc: "The file, relative to the deck.",
            required: true,
            shape: Shape::Text { max: limits::MAX_PATH_CHARS },
        },
        Key { name: "alt", doc: "Alt text.", required: false, shape: Shape::Text { max: limits::MAX_TITLE_CHARS } },
        Key {
            name: "fit",
            doc: "contain (default): the whole image, letterboxed; cover: the box filled, the image cropped.",
            required: false,
            shape: Shape::Name(&FITS),
        },
    ],
    rule: Rule::None,
};

/// The `image:` key of a slide.
pub const SLIDE_KEY: Key = Key {
    name: "image",
    doc: "A PNG, JPEG, WebP, GIF or SVG (relative to the deck): the path, or {path, alt, fit}.",
    required: false,
    shape: Shape::AnyOf { of: &[Shape::Text { max: limits::MAX_PATH_CHARS }, Shape::Map(&IMAGE)] },
};
