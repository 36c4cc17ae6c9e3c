//! Content is kept clear of a layout's decorations (issue #18): no mark a layout draws (a corner
//! shape, a doodle, an arrow) lies inside the slot the content is set in. Both keep their
//! distance to the slide's edges on every shape, so clear on the drawing means clear on every
//! shape. Textures (paper, grids, grounds larger than half the slide) and watermarks (drawn at
//! a quarter of full strength or less: a glow, a faint ring) lie under everything by design and
//! are left out.

use carousel::design::kind::Kind;
use carousel::design::look;
use carousel::design::template::{self, Anchor};

/// How many pixels of one decoration, drawn alone on the layout's drawing, are inked inside
/// `slot`, and the decoration's bounding box.
fn inked_inside(
    source: &str,
    defs: &str,
    width: f32,
    height: f32,
    slot: (f32, f32, f32, f32),
) -> Option<(usize, String)> {
    // Every element inked opaque, whatever its class: where it draws matters, not its colour.
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}"><style>* {{ fill: black; stroke: black; }}</style><defs>{defs}</defs>{source}</svg>"#
    );
    let svg = svg.replace("fill=\"none\"", "");
    let tree = resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default()).ok()?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width as u32, height as u32)?;
    resvg::render(&tree, resvg::tiny_skia::Transform::identity(), &mut pixmap.as_mut());
    let (left, top, right, bottom) = slot;
    let mut count = 0;
    for y in top as u32..bottom as u32 {
        for x in left as u32..right as u32 {
            if pixmap.pixel(x, y).is_some_and(|p| p.alpha() > 8) {
                count += 1;
            }
        }
    }
    let b = tree.root().abs_stroke_bounding_box();
    Some((count, format!("[{:.0},{:.0} - {:.0},{:.0}]", b.left(), b.top(), b.right(), b.bottom())))
}

/// How strongly a decoration is drawn: the faintest opacity written on it (1 when none is).
fn strength(source: &str) -> f32 {
    let mut faintest = 1.0f32;
    for (index, _) in source.match_indices("opacity=\"") {
        let rest = &source[index + "opacity=\"".len()..];
        if let Some(value) = rest.split('"').next().and_then(|v| v.parse::<f32>().ok()) {
            faintest = faintest.min(value);
        }
    }
    faintest
}

#[test]
fn no_decoration_lies_in_the_content_slot() {
    let mut inside = Vec::new();
    for look in look::ALL {
        for kind in Kind::ALL {
            let layout = template::load(kind, None, look).unwrap();
            let (w, h) = (layout.width, layout.height);
            let slot = layout.content;
            for decoration in &layout.decorations {
                if decoration.anchor == Anchor::Stretch {
                    continue;
                }
                let area = (slot.x, slot.y, slot.right(), slot.bottom());
                let Some((inked, bounds)) = inked_inside(&decoration.source, &layout.defs, w, h, area) else {
                    continue;
                };
                let texture = inked as f32 > slot.width * slot.height * 0.5 || strength(&decoration.source) <= 0.25;
                // A few pixels are an antialiased edge touching the slot.
                if !texture && inked > 60 {
                    inside.push(format!(
                        "{} {}: {bounds} inks {inked} px of the slot [{:.0},{:.0} - {:.0},{:.0}]: {}",
                        look.name,
                        kind.name(),
                        slot.x,
                        slot.y,
                        slot.right(),
                        slot.bottom(),
                        decoration.source.chars().take(90).collect::<String>()
                    ));
                }
            }
        }
    }
    assert!(inside.is_empty(), "{} decorations in the content slot:\n{}", inside.len(), inside.join("\n"));
}
