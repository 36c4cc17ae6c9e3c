//! `icon:` a Lucide icon drawn large with the slide's title, and the icon marks of bullets.
//!
//! Owns reading an icon name from a deck (an unknown one is an error at the value, with a
//! did-you-mean and a pointer to `carousel icons`) and the look of icons on a slide: the slide
//! icon in the accent on a soft tile of the accent, and an icon mark at the text's size. The
//! names and drawings come from [`crate::design::icons`]; the heading ([`super::heading`]) places the
//! tile above the kicker (centred over a centred title), the bullets ([`super::bullets`]) hang
//! icon marks. Not a [`super::Content`]: an icon belongs to the heading or to a bullet.

use crate::design::icons::{self, Icon};
use crate::design::theme::Color;
use crate::geom::Rect;
use crate::read::reader::{Located, Reader};
use crate::read::yaml::Node;
use crate::scene::Item;

use super::{Block, Ctx, Sizes};
use crate::read::format::{Key, Shape};

/// Its key on a slide.
pub const KEY: &str = "icon";

/// Where an author finds the names, for the help line of every icon mistake.
pub fn list_hint() -> String {
    format!(
        "`carousel icons` lists the {} Lucide icon names (`carousel icons arrow`: those with `arrow`)",
        icons::count()
    )
}

/// Reads a slide's `icon:`; a value that is not a known name is reported at the value.
pub fn parse(reader: &mut Reader, node: &Node) -> Option<Located<Icon>> {
    let Some(name) = node.as_text() else {
        reader.error(node.pos, "`icon` must be a name, like `database`", list_hint());
        return None;
    };
    if let Some(icon) = icons::lookup(&name) {
        return Some(Located { value: icon, pos: node.pos });
    }
    let help = match (icons::brand_hint(&name), icons::suggest(&name)) {
        (Some(brand), _) => format!("{brand}; {}", list_hint()),
        (None, Some(close)) => format!("did you mean `{close}`? {}", list_hint()),
        (None, None) => list_hint(),
    };
    reader.error(node.pos, format!("unknown icon `{}`", name.trim()), help);
    None
}

/// Side of the slide icon's tile at 1080 wide, px.
const TILE: f32 = 132.0;
/// The icon's share of its tile.
const ICON_SHARE: f32 = 0.56;
/// The tile's fill opacity over the background: a tint of the accent, quieter than the title.
const TILE_OPACITY: f32 = 0.14;
/// The slide icon's stroke, in the icon's 24 units: Lucide's 2 reads heavy at this size, beside
/// a title of weight 800 it would compete with the words.
const LARGE_STROKE: f32 = 1.75;
/// Space between the tile and the kicker or title under it, at 1080 wide.
pub const GAP: f32 = 40.0;
/// The least the tile shrinks to on a full slide: half, a 37 px icon at 1080 wide, still read
/// at a glance. It shrinks as far as the type does, so that on a full slide the decoration
/// gives up its room before the words have to.
const MIN_SHARE: f32 = 0.5;

/// The space above the kicker or title under the tile: shrinks with the type, never tighter
/// than the kicker keeps from the title.
pub fn gap(ctx: &Ctx, sizes: &Sizes) -> f32 {
    (GAP * sizes.f.min(1.0)).max(28.0) * ctx.s
}

/// The slide icon on its tile, at the origin; shrinks with the type when a slide is full.
pub fn tile(ctx: &Ctx, sizes: &Sizes, icon: &Located<Icon>) -> Block {
    let side = TILE * ctx.s * sizes.f.clamp(MIN_SHARE, 1.0);
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
    Block { name: KEY, pos: icon.pos, items, width: side, height: side, gap_before: 0.0 }
}

/// Whether a slide's icon leads its kicker's row rather than standing on its tile: on a content
/// slide (its title on the deck's line) set flush left; the tile stands above a centred heading.
pub fn inline_in_kicker(ctx: &Ctx) -> bool {
    use crate::design::kind::Kind;
    ctx.align == crate::design::template::HAlign::Start
        && !matches!(ctx.kind, Kind::Hook | Kind::Cover | Kind::Quote | Kind::Cta)
}

/// How far an icon leading a row of text of `size` moves the text: the icon and a space.
pub fn inline_advance(size: f32) -> f32 {
    size * (INLINE_SHARE + 0.45)
}

/// The icon's size against the kicker's type: a little larger than its capitals.
const INLINE_SHARE: f32 = 1.3;

/// Puts `icon` at the start of a row of text of `size` in a line box `line` tall, moving the
/// block's text right by [`inline_advance`].
pub fn lead(block: &mut Block, icon: &Located<Icon>, size: f32, line: f32, color: Color) {
    let advance = inline_advance(size);
    for item in &mut block.items {
        item.translate(advance, 0.0);
    }
    let side = size * INLINE_SHARE;
    let row = if block.height > 0.0 { line.min(block.height) } else { line };
    block.items.insert(
        0,
        Item::Icon {
            icon: icon.value,
            x: 0.0,
            y: (row - side) / 2.0,
            size: side,
            color,
            stroke_width: icons::STROKE_WIDTH,
        },
    );
    block.width += advance;
    block.height = block.height.max(row);
}

/// An icon mark centred on (`cx`, `cy`) for text of `size`: the icon as big as the type, in
/// Lucide's own 2-unit stroke, which sits with regular-weight words at that size.
pub fn mark(icon: Icon, cx: f32, cy: f32, size: f32, color: Color) -> Item {
    Item::Icon { icon, x: cx - size * 0.5, y: cy - size * 0.5, size, color, stroke_width: icons::STROKE_WIDTH }
}

/// The `icon:` key of a slide.
pub const SLIDE_KEY: Key = Key {
    name: "icon",
    doc: "A Lucide icon drawn large with the title, in the accent: `database`, `shield`, `zap` ... \
          (`carousel icons` lists them; https://lucide.dev/icons). Decorative: not in the alt text.",
    required: false,
    shape: Shape::Icon,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::heading::Defaults;
    use crate::blocks::{Content, Mark};
    use crate::deck::{self, Slide};
    use crate::design::kind::Kind;
    use crate::design::template::HAlign;
    use crate::design::theme::Theme;
    use crate::text::Typesetter;

    fn load(source: &str) -> deck::Loaded {
        deck::load(std::path::Path::new("/nonexistent/deck.yaml"), source)
    }

    fn slide(source: &str) -> Slide {
        let loaded = load(source);
        let deck = loaded.deck.unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
        deck.slides[0].clone()
    }

    #[test]
    fn icons_on_slides_and_marks_with_built_in_marks_first() {
        let slide = slide(
            "title: T\nslides:\n  - kind: problem\n    icon: database\n    title: Slow\n    bullets:\n      - { text: a, mark: shield }\n      - { text: b, mark: check }\n      - { text: c, mark: alert-triangle }\n",
        );
        let icon = slide.heading.icon.as_ref().expect("icon");
        assert_eq!((icon.value.name, icon.pos.line, icon.pos.column), ("database", 4, 11));
        // The icon belongs to the heading: it is not a block, and it has no words.
        assert_eq!(slide.blocks.len(), 1, "{:?}", slide.blocks);
        let mut words = Vec::new();
        slide.heading.words(&mut words);
        assert_eq!(words, ["Slow"]);
        let Some(Content::Bullets(bullets)) = slide.blocks.first() else { panic!("{:?}", slide.blocks) };
        let marks: Vec<&Mark> = bullets.items.iter().map(|b| &b.mark).collect();
        assert!(matches!(marks[0], Mark::Icon(icon) if icon.name == "shield"));
        // `check` is a Lucide icon too; the built-in mark wins.
        assert_eq!(marks[1], &Mark::Check);
        assert!(matches!(marks[2], Mark::Icon(icon) if icon.name == "triangle-alert"), "aliases resolve");
    }

    #[test]
    fn misspelt_icons_are_located_with_a_suggestion() {
        let loaded = load(
            "title: T\nslides:\n  - kind: problem\n    icon: databse\n    title: Slow\n    bullets: [{ text: a, mark: sheild }]\n",
        );
        assert!(loaded.deck.is_none());
        let errors: Vec<(u32, u32, &str, &str)> = loaded
            .diagnostics
            .iter()
            .map(|d| (d.pos.line, d.pos.column, d.message.as_str(), d.help.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!((errors[0].0, errors[0].1, errors[0].2), (4, 11, "unknown icon `databse`"));
        assert!(errors[0].3.starts_with("did you mean `database`? `carousel icons` lists"), "{}", errors[0].3);
        assert_eq!((errors[1].0, errors[1].1, errors[1].2), (6, 32, "unknown mark `sheild`"));
        assert!(errors[1].3.starts_with("did you mean the icon `shield`?"), "{}", errors[1].3);
        let loaded = load("title: T\nslides:\n  - { kind: hook, title: x, icon: [a] }\n");
        assert_eq!(loaded.diagnostics[0].message, "`icon` must be a name, like `database`");
        // A megabyte where a name goes is an error like any other, without a suggestion.
        let long = "a".repeat(1 << 20);
        let loaded = load(&format!("title: T\nslides:\n  - {{ kind: hook, title: x, icon: {long} }}\n"));
        let help = loaded.diagnostics[0].help.as_deref().unwrap_or("");
        assert!(help.starts_with("`carousel icons` lists"), "{help}");
    }

    /// On a flush-left content slide the icon leads the kicker's row (so the title keeps the
    /// deck's line); over a centred heading it stands on its tile above the kicker.
    #[test]
    fn the_icon_leads_the_kicker_or_stands_on_its_tile_over_a_centred_title() {
        let theme = Theme::built_in("midnight").expect("theme");
        let sizes = Sizes::reference();
        let defaults = Defaults { label: "The problem", title_floor: 40.0, slide_pos: Default::default() };
        let kicked = slide("title: T\nslides:\n  - { kind: problem, icon: zap, title: Slow pages }\n");
        let ctx = |align| Ctx {
            theme: &theme,
            s: 1.0,
            fs: 1.0,
            width: 888.0,
            align,
            slot_height: 1000.0,
            kind: Kind::Problem,
            columns: false,
            words: crate::design::words::Words::for_language("en"),
        };
        // Centred: the tile above the kicker, at its full size.
        let blocks = kicked.heading.layout(&ctx(HAlign::Center), &sizes, defaults, &mut Typesetter::new());
        assert_eq!(blocks.iter().map(|b| b.name).collect::<Vec<_>>(), ["icon", "label", "title"]);
        assert_eq!((blocks[0].width, blocks[0].height), (TILE, TILE));
        assert_eq!(blocks[1].gap_before, GAP, "the kicker keeps its distance from the tile");
        assert!(matches!(blocks[0].items[1], Item::Icon { size, .. } if (size - TILE * ICON_SHARE).abs() < 0.01));
        // Flush left: the icon is the kicker row's first item, the kicker's words after it.
        let blocks = kicked.heading.layout(&ctx(HAlign::Start), &sizes, defaults, &mut Typesetter::new());
        assert_eq!(blocks.iter().map(|b| b.name).collect::<Vec<_>>(), ["label", "title"]);
        let Item::Icon { x, size, .. } = blocks[0].items[0] else { panic!("the icon leads the row") };
        let first_word = blocks[0].items.iter().find_map(|i| match i {
            Item::Text(s) => Some(s.x),
            _ => None,
        });
        assert!(x == 0.0 && first_word.is_some_and(|w| w >= size), "the words follow the icon: {first_word:?}");
        // Without a kicker (one that repeats the title is dropped), the icon keeps the row alone.
        let bare = slide("title: T\nslides:\n  - { kind: problem, icon: zap, title: The problem }\n");
        let blocks = bare.heading.layout(&ctx(HAlign::Start), &sizes, defaults, &mut Typesetter::new());
        assert_eq!(blocks.iter().map(|b| b.name).collect::<Vec<_>>(), ["label", "title"]);
        assert!(matches!(blocks[0].items.as_slice(), [Item::Icon { .. }]));
    }
}
