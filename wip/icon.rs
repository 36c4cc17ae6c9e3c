//! `icon:` a Lucide icon drawn large with the slide's title, and the icon marks of bullets.
//!
//! Owns reading an icon name from a deck (an unknown one is an error at the value with a
//! did-you-mean) and the slide icon's look: the icon in the accent on a soft tile of the accent,
//! above the kicker, or centred over a centred title. The names and drawings come from
//! [`crate::icons`]; the heading ([`super::heading`]) places the tile, the bullets
//! ([`super::bullets`]) draw icon marks.

use crate::deck::{Located, Reader};
use crate::icons::{self, Icon};
use crate::scene::Item;
use crate::template::Rect;
use crate::yaml::Node;

use super::{Block, Ctx, Sizes};

/// How `carousel check` tells an author where the names are.
pub fn list_hint() -> String {
    format!("`carousel icons` lists the {} Lucide icon names (`carousel icons arrow`: those with `arrow`)", icons::count())
}

/// Reads a slide's `icon:`; an unknown name is reported at the value.
pub fn parse(reader: &mut Reader, node: &Node) -> Option<Located<Icon>> {
    let Some(name) = node.as_text() else {
        reader.error(node.pos, "`icon` must be a name, like `database`", list_hint());
        return None;
    };
    match icons::lookup(&name) {
        Some(icon) => Some(Located { value: icon, pos: node.pos }),
        None => {
            let help = match icons::suggest(&name) {
                Some(close) => format!("did you mean `{close}`? {}", list_hint()),
                None => list_hint(),
            };
            reader.error(node.pos, format!("unknown icon `{}`", name.trim()), help);
            None
        }
    }
}

/// Side of the slide icon's tile at 1080 wide, px.
const TILE: f32 = 132.0;
/// The icon's share of its tile.
const ICON_SHARE: f32 = 0.56;
/// The tile's fill opacity over the background: a tint of the accent, quieter than the title.
const TILE_OPACITY: f32 = 0.14;
/// The slide icon's stroke, in the icon's 24 units: Lucide's 2 would read heavy at this size.
pub const LARGE_STROKE: f32 = 1.75;

/// The slide icon on its tile, at the origin; shrinks with the type when a slide is full.
pub fn tile(ctx: &Ctx, sizes: &Sizes, icon: &Located<Icon>) -> Block {
    let side = TILE * ctx.s * sizes.f.clamp(0.75, 1.0);
    let inner = side * ICON_SHARE;
    let items = vec![
        Item::Rect {
            rect: Rect { x: 0.0, y: 0.0, width: side, height: side },
            radius: side * 0.26,
            fill: ctx.theme.accent,
            opacity: TILE_OPACITY,
        },
        Item::Icon {
            icon: icon.value,
            x: (side - inner) / 2.0,
            y: (side - inner) / 2.0,
            size: inner,
            color: ctx.theme.accent,
            stroke_width: LARGE_STROKE,
        },
    ];
    Block { name: "icon", pos: icon.pos, items, width: side, height: side, gap_before: 0.0 }
}
