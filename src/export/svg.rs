//! SVG: a [`Scene`] written as one standalone SVG document.
//!
//! Owns the output markup: the layout's `<defs>` and decorations (as the scene placed them), the
//! theme as CSS for the template's role classes, then the content. Every text run is its own
//! `<text>` element with one family, weight and style and an absolute position, because usvg does
//! no line breaking and its per-glyph font fallback is unreliable for emoji (resvg #861, #732):
//! the text stage already chose the face of every run. Images are embedded as data URIs, so the
//! document renders the same in resvg and in a browser that has the bundled fonts. The output is
//! deterministic: ids derive from the slide number and the item's index.

use std::fmt::Write as _;

use base64::Engine as _;

use crate::geom::num;
use crate::media::Fit;
use crate::scene::{Item, Scene};

/// Writes the scene as an SVG document.
pub fn to_svg(scene: &Scene) -> String {
    let (width, height) = (scene.size.width, scene.size.height);
    let mut out = String::with_capacity(16 * 1024);
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">"
    );
    let _ = writeln!(out, "<title>{}</title>", escape(&scene.alt.chars().take(300).collect::<String>()));
    let _ = writeln!(out, "<style>{}</style>", scene.theme.css());
    let _ = writeln!(out, "<defs>{}</defs>", scene.defs);
    let _ = writeln!(out, "<rect width=\"{width}\" height=\"{height}\" fill=\"{}\"/>", scene.theme.background);
    for decoration in &scene.decorations {
        let _ = writeln!(out, "<g transform=\"{}\">{}</g>", decoration.transform, decoration.source);
    }
    for (index, item) in scene.items.iter().enumerate() {
        write_item(&mut out, scene.number, index, item);
    }
    out.push_str("</svg>\n");
    out
}

fn write_item(out: &mut String, slide: usize, index: usize, item: &Item) {
    match item {
        Item::Rect { rect, radius, fill, opacity } => {
            let _ = write!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"{fill}\"",
                num(rect.x),
                num(rect.y),
                num(rect.width),
                num(rect.height),
                num(*radius)
            );
            if *opacity < 1.0 {
                let _ = write!(out, " fill-opacity=\"{}\"", num(*opacity));
            }
            out.push_str("/>\n");
        }
        Item::Circle { cx, cy, r, fill } => {
            let _ =
                writeln!(out, "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{fill}\"/>", num(*cx), num(*cy), num(*r));
        }
        Item::Path { d, fill, stroke } => {
            let fill = fill.map(|c| c.to_string()).unwrap_or_else(|| "none".into());
            let _ = write!(out, "<path d=\"{d}\" fill=\"{fill}\"");
            if let Some((color, width)) = stroke {
                let _ = write!(
                    out,
                    " stroke=\"{color}\" stroke-width=\"{}\" stroke-linecap=\"round\" stroke-linejoin=\"round\"",
                    num(*width)
                );
            }
            out.push_str("/>\n");
        }
        Item::Text(segment) => {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" font-family=\"{}\" font-size=\"{}\" font-weight=\"{}\"",
                num(segment.x),
                num(segment.y),
                segment.face.family,
                num(segment.size),
                segment.face.weight
            );
            if segment.face.italic {
                out.push_str(" font-style=\"italic\"");
            }
            if segment.letter_spacing.abs() > 0.001 {
                let _ = write!(out, " letter-spacing=\"{}\"", num(segment.letter_spacing));
            }
            let _ =
                writeln!(out, " fill=\"{}\" xml:space=\"preserve\">{}</text>", segment.color, escape(&segment.text));
        }
        Item::Icon { icon, x, y, size, color, stroke_width } => {
            // Lucide's own attributes on the group; `color` feeds the few `currentColor` dots.
            let _ = writeln!(
                out,
                "<g transform=\"translate({} {}) scale({})\" fill=\"none\" stroke=\"{color}\" color=\"{color}\" stroke-width=\"{}\" stroke-linecap=\"round\" stroke-linejoin=\"round\">{}</g>",
                num(*x),
                num(*y),
                scale(size / crate::design::icons::VIEW_BOX),
                num(*stroke_width),
                icon.body
            );
        }
        Item::Image { asset, rect, fit, radius } => {
            let id = format!("clip-{slide}-{index}");
            let _ = writeln!(
                out,
                "<clipPath id=\"{id}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\"/></clipPath>",
                num(rect.x),
                num(rect.y),
                num(rect.width),
                num(rect.height),
                num(*radius)
            );
            let aspect = match fit {
                Fit::Contain => "xMidYMid meet",
                Fit::Cover => "xMidYMid slice",
            };
            // Scaled to the size it is drawn at, so a phone photo is not embedded whole.
            let rendition = crate::media::pixels::rendition(asset, *rect, *fit);
            let data = base64::engine::general_purpose::STANDARD.encode(rendition.bytes.as_slice());
            let _ = writeln!(
                out,
                "<image clip-path=\"url(#{id})\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" preserveAspectRatio=\"{aspect}\" href=\"data:{};base64,{data}\"/>",
                num(rect.x),
                num(rect.y),
                num(rect.width),
                num(rect.height),
                rendition.mime
            );
        }
    }
}

/// A scale factor with four decimals: `num`'s two would put a 40 px icon 0.1 px off its box.
fn scale(value: f32) -> String {
    let text = format!("{value:.4}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Escapes text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // XML 1.0 forbids most control characters even escaped; they draw nothing anyway.
            c if (c as u32) < 0x20 && c != '\t' => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use resvg::{tiny_skia, usvg};

    use super::*;
    use crate::design::icons;
    use crate::design::theme::Color;

    fn icon_item(icon: icons::Icon, x: f32, y: f32, size: f32) -> Item {
        Item::Icon { icon, x, y, size, color: Color::hex(0x112233), stroke_width: icons::STROKE_WIDTH }
    }

    #[test]
    fn icon_group_carries_lucide_attributes_and_position() {
        let icon = icons::lookup("database").expect("bundled");
        let mut item = icon_item(icon, 10.0, 20.0, 40.0);
        item.translate(5.0, -5.0);
        let mut out = String::new();
        write_item(&mut out, 1, 0, &item);
        assert_eq!(
            out,
            format!(
                "<g transform=\"translate(15 15) scale(1.6667)\" fill=\"none\" stroke=\"#112233\" color=\"#112233\" stroke-width=\"2\" stroke-linecap=\"round\" stroke-linejoin=\"round\">{}</g>\n",
                icon.body
            )
        );
    }

    /// Every icon of the set, each in its own 24 px cell of one sheet: usvg must accept the
    /// document and resvg must put ink in every cell (an element usvg dropped, or a body that
    /// draws nothing, leaves its cell blank).
    #[test]
    fn resvg_draws_every_icon() {
        let names: Vec<&str> = icons::canonical_names().collect();
        let (cell, columns) = (32usize, 48usize);
        let rows = names.len().div_ceil(columns);
        let (width, height) = (cell * columns, cell * rows);
        let mut doc = format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\">");
        for (index, name) in names.iter().enumerate() {
            let icon = icons::lookup(name).expect("canonical names resolve");
            let (x, y) = ((index % columns * cell + 4) as f32, (index / columns * cell + 4) as f32);
            write_item(&mut doc, 1, index, &icon_item(icon, x, y, 24.0));
        }
        doc.push_str("</svg>");
        let tree = usvg::Tree::from_str(&doc, &usvg::Options::default()).expect("usvg parses every icon");
        let mut pixmap = tiny_skia::Pixmap::new(width as u32, height as u32).expect("non-empty sheet");
        resvg::render(&tree, tiny_skia::Transform::identity(), &mut pixmap.as_mut());
        let blank: Vec<&str> = names
            .iter()
            .enumerate()
            .filter(|(index, _)| {
                let (x0, y0) = (index % columns * cell, index / columns * cell);
                !(y0..y0 + cell)
                    .any(|y| (x0..x0 + cell).any(|x| pixmap.pixel(x as u32, y as u32).is_some_and(|p| p.alpha() > 0)))
            })
            .map(|(_, name)| *name)
            .collect();
        assert!(blank.is_empty(), "icons resvg drew nothing for: {blank:?}");
    }
}
