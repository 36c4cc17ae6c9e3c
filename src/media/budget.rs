//! The render budget of an SVG a deck brings (an image, a layout): what it may cost to draw.
//!
//! resvg draws whatever an SVG asks for, and a few hundred bytes can ask for minutes of work or
//! gigabytes of memory: a morphology filter of radius 100 visits every pixel ten thousand times,
//! a filter region twenty times the canvas allocates four hundred canvases, a 36-megapixel image
//! `<use>`d fifty times is decoded fifty times, nested `<use>` chains multiply, and text becomes a
//! path per glyph. So an SVG is measured twice before any slide draws it: its XML (elements after
//! `<use>` expansion, characters of text) before usvg reads it, which bounds parsing and memory,
//! and then the parsed tree (the work of its filters and the pixels of its images), which bounds
//! drawing. Each limit allows far more than a diagram or a designer's layout needs; what exceeds
//! one is refused with the reason, by `check` as by `build`.

use resvg::usvg;

/// Most elements, counting each `<use>` as the elements it copies.
pub const MAX_ELEMENTS: u64 = 50_000;
/// Most characters of text.
pub const MAX_TEXT_CHARS: u64 = 50_000;
/// Most pixel visits of all filters, at the size the SVG is drawn at (about half a second).
pub const MAX_FILTER_WORK: f64 = 1.5e9;
/// Largest filter region, in canvases.
pub const MAX_FILTER_REGION: f64 = 4.0;
/// Most image pixels drawn, every use counted.
pub const MAX_IMAGE_PIXELS_DRAWN: f64 = 80e6;
/// The area an SVG is taken to be drawn at (a landscape slide, 1920x1080), against which its own
/// costs are scaled: one written small and drawn large costs what it is drawn at. A custom slide
/// larger than that can cost a few times more, still bounded.
const DRAWN_AREA: f64 = 1920.0 * 1080.0;

/// Why an SVG is refused before it is drawn.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OverBudget {
    /// Too many elements, after `<use>` copies.
    #[error("it has {0} elements once its `<use>` copies are counted; the limit is {MAX_ELEMENTS}")]
    Elements(u64),
    /// Too much text.
    #[error("it holds {0} characters of text; the limit is {MAX_TEXT_CHARS}")]
    Text(u64),
    /// A filter region far larger than the drawing.
    #[error("a filter's region is {0:.0} times the drawing; the limit is {MAX_FILTER_REGION:.0}")]
    FilterRegion(f64),
    /// Filters that would take too long to draw.
    #[error("its filters would take about {0:.0} s to draw (a `{1}` filter is the costliest); shrink their radius or region, or drop them")]
    FilterWork(f64, &'static str),
    /// Too many image pixels.
    #[error("its images draw {0:.0} megapixels in all (each use counted); the limit is {limit:.0}", limit = MAX_IMAGE_PIXELS_DRAWN / 1e6)]
    Images(f64),
}

/// Checks the XML of an SVG before it is parsed: elements (with `<use>` expanded) and text.
pub fn check_xml(data: &[u8]) -> Result<(), OverBudget> {
    // XML that does not parse is usvg's to report, in its own words.
    let Ok(text) = std::str::from_utf8(data) else { return Ok(()) };
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..roxmltree::ParsingOptions::default() };
    let Ok(doc) = roxmltree::Document::parse_with_options(text, options) else { return Ok(()) };
    let chars: u64 = doc
        .descendants()
        .filter(|n| n.is_text())
        .map(|n| n.text().map_or(0, |t| t.trim().chars().count() as u64))
        .sum();
    if chars > MAX_TEXT_CHARS {
        return Err(OverBudget::Text(chars));
    }
    let ids: std::collections::HashMap<&str, roxmltree::Node> =
        doc.descendants().filter_map(|n| Some((n.attribute("id")?, n))).collect();
    let mut memo = std::collections::HashMap::new();
    let total = expanded(doc.root_element(), &ids, &mut memo, 0);
    if total > MAX_ELEMENTS {
        return Err(OverBudget::Elements(total));
    }
    Ok(())
}

/// Elements under `node` (itself included), each `<use>` counted as what it copies. A `<use>`
/// that reaches itself counts once (usvg refuses the loop).
fn expanded<'a>(
    node: roxmltree::Node<'a, 'a>,
    ids: &std::collections::HashMap<&str, roxmltree::Node<'a, 'a>>,
    memo: &mut std::collections::HashMap<roxmltree::NodeId, u64>,
    depth: usize,
) -> u64 {
    if let Some(&known) = memo.get(&node.id()) {
        return known;
    }
    if depth > 256 {
        return MAX_ELEMENTS + 1;
    }
    // Marks the node as in progress: a loop back to it counts one.
    memo.insert(node.id(), 1);
    let mut count: u64 = 1;
    if node.tag_name().name() == "use" {
        let href = node
            .attribute(("http://www.w3.org/1999/xlink", "href"))
            .or_else(|| node.attribute("href"))
            .and_then(|h| h.strip_prefix('#'));
        if let Some(target) = href.and_then(|id| ids.get(id)) {
            count = count.saturating_add(expanded(*target, ids, memo, depth + 1));
        }
    }
    for child in node.children().filter(|c| c.is_element()) {
        count = count.saturating_add(expanded(child, ids, memo, depth + 1));
        if count > MAX_ELEMENTS {
            break;
        }
    }
    memo.insert(node.id(), count);
    count
}

/// Checks a parsed tree: its filters' regions and work and its images' pixels, at the largest
/// size it may be drawn at.
pub fn check_tree(tree: &usvg::Tree) -> Result<(), OverBudget> {
    let size = tree.size();
    let own_area = (size.width() as f64 * size.height() as f64).max(1.0);
    // Costs grow with the drawn area; an SVG drawn larger than it is written costs more.
    let scale = (DRAWN_AREA / own_area).max(1.0);
    let mut tally = Tally::default();
    walk(tree.root(), own_area, scale, &mut tally)?;
    if tally.image_pixels > MAX_IMAGE_PIXELS_DRAWN {
        return Err(OverBudget::Images(tally.image_pixels / 1e6));
    }
    if tally.filter_work > MAX_FILTER_WORK {
        // About 2.5e9 pixel visits a second on one core.
        return Err(OverBudget::FilterWork(tally.filter_work / 2.5e9, tally.costliest));
    }
    Ok(())
}

#[derive(Default)]
struct Tally {
    filter_work: f64,
    costliest: &'static str,
    costliest_work: f64,
    image_pixels: f64,
}

fn walk(group: &usvg::Group, own_area: f64, scale: f64, tally: &mut Tally) -> Result<(), OverBudget> {
    let transform = group.abs_transform();
    let zoom = ((transform.sx * transform.sy - transform.kx * transform.ky).abs() as f64).max(1e-6);
    for filter in group.filters() {
        let rect = filter.rect();
        let region = rect.width() as f64 * rect.height() as f64 * zoom;
        let canvases = region / own_area;
        if canvases > MAX_FILTER_REGION {
            return Err(OverBudget::FilterRegion(canvases));
        }
        let drawn = region * scale;
        let linear = scale.sqrt() * zoom.sqrt();
        for primitive in filter.primitives() {
            let (name, per_pixel) = cost(primitive.kind(), linear);
            let work = drawn * per_pixel;
            tally.filter_work += work;
            if work > tally.costliest_work {
                tally.costliest_work = work;
                tally.costliest = name;
            }
        }
    }
    for node in group.children() {
        match node {
            usvg::Node::Group(child) => walk(child, own_area, scale, tally)?,
            usvg::Node::Image(image) => match image.kind() {
                usvg::ImageKind::SVG(inner) => {
                    check_tree(inner)?;
                    tally.image_pixels += image.size().width() as f64 * image.size().height() as f64;
                }
                usvg::ImageKind::JPEG(data)
                | usvg::ImageKind::PNG(data)
                | usvg::ImageKind::GIF(data)
                | usvg::ImageKind::WEBP(data) => {
                    let pixels = imagesize::blob_size(data).map_or(0.0, |s| s.width as f64 * s.height as f64);
                    tally.image_pixels += pixels;
                }
            },
            usvg::Node::Path(_) | usvg::Node::Text(_) => {}
        }
        let mut inner = Ok(());
        node.subroots(|sub| {
            if inner.is_ok() {
                inner = walk(sub, own_area, scale, tally);
            }
        });
        inner?;
    }
    Ok(())
}

/// The name of a filter primitive and how many times it visits each pixel of its region.
/// `linear` is how much larger than written a length is drawn (radii scale with it).
fn cost(kind: &usvg::filter::Kind, linear: f64) -> (&'static str, f64) {
    use usvg::filter::Kind;
    match kind {
        Kind::Morphology(m) => {
            let rx = m.radius_x().get() as f64 * linear;
            let ry = m.radius_y().get() as f64 * linear;
            ("feMorphology", (2.0 * rx + 1.0) * (2.0 * ry + 1.0))
        }
        Kind::ConvolveMatrix(c) => ("feConvolveMatrix", (c.matrix().columns() * c.matrix().rows()) as f64),
        Kind::Turbulence(t) => ("feTurbulence", 8.0 * t.num_octaves().min(32) as f64),
        Kind::DiffuseLighting(_) => ("feDiffuseLighting", 16.0),
        Kind::SpecularLighting(_) => ("feSpecularLighting", 16.0),
        Kind::GaussianBlur(_) => ("feGaussianBlur", 6.0),
        Kind::DropShadow(_) => ("feDropShadow", 8.0),
        Kind::DisplacementMap(_) => ("feDisplacementMap", 4.0),
        Kind::Image(_) => ("feImage", 2.0),
        Kind::Tile(_) => ("feTile", 2.0),
        _ => ("filter", 1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(svg: &str) -> usvg::Tree {
        usvg::Tree::from_str(svg, &usvg::Options::default()).unwrap()
    }

    const SMALL: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">"#;

    #[test]
    fn a_plain_drawing_passes() {
        let svg = format!(r#"{SMALL}<rect width="50" height="50"/><text x="5" y="20">Hello</text></svg>"#);
        assert_eq!(check_xml(svg.as_bytes()), Ok(()));
        assert_eq!(check_tree(&parse(&svg)), Ok(()));
    }

    #[test]
    fn a_large_morphology_radius_is_refused() {
        let svg = format!(
            r#"{SMALL}<filter id="f"><feMorphology radius="100"/></filter><rect width="200" height="100" filter="url(#f)"/></svg>"#
        );
        assert!(matches!(check_tree(&parse(&svg)), Err(OverBudget::FilterWork(_, "feMorphology"))));
        // Drawn at a slide's size, radius 2 of a 1000 px drawing is about 4 px: a few hundred
        // million visits.
        let mild = svg
            .replace("radius=\"100\"", "radius=\"2\"")
            .replace(r#"width="200" height="100">"#, r#"width="1000" height="500">"#);
        assert_eq!(check_tree(&parse(&mild)), Ok(()));
    }

    #[test]
    fn a_filter_region_many_times_the_drawing_is_refused() {
        let svg = format!(
            r#"{SMALL}<filter id="f" x="-1000%" y="-1000%" width="2100%" height="2100%"><feGaussianBlur stdDeviation="5"/></filter><rect width="200" height="100" filter="url(#f)"/></svg>"#
        );
        assert!(matches!(check_tree(&parse(&svg)), Err(OverBudget::FilterRegion(_))));
    }

    #[test]
    fn nested_uses_are_counted_as_what_they_copy() {
        let mut svg = format!(r#"{SMALL}<defs><rect id="a0" width="1" height="1"/>"#);
        for level in 1..8 {
            svg.push_str(&format!("<g id=\"a{level}\">"));
            for _ in 0..10 {
                svg.push_str(&format!("<use href=\"#a{}\"/>", level - 1));
            }
            svg.push_str("</g>");
        }
        svg.push_str("</defs><use href=\"#a7\"/></svg>");
        assert!(matches!(check_xml(svg.as_bytes()), Err(OverBudget::Elements(_))));
    }

    #[test]
    fn a_document_of_text_is_refused_before_usvg_reads_it() {
        let line = format!("<text y=\"10\">{}</text>", "x".repeat(1000));
        let svg = format!("{SMALL}{}</svg>", line.repeat(60));
        assert_eq!(check_xml(svg.as_bytes()), Err(OverBudget::Text(60_000)));
    }

    #[test]
    fn an_image_used_many_times_counts_every_use() {
        // A 4000x4000 PNG header is enough: only the header's size is read.
        let png = {
            let mut bytes = Vec::new();
            let mut encoder = png::Encoder::new(&mut bytes, 4000, 4000);
            encoder.set_color(png::ColorType::Grayscale);
            let mut writer = encoder.write_header().unwrap();
            writer.write_image_data(&vec![0; 4000 * 4000]).unwrap();
            drop(writer);
            bytes
        };
        use base64::Engine as _;
        let data = base64::engine::general_purpose::STANDARD.encode(&png);
        let mut svg = format!(
            r#"{SMALL}<defs><image id="i" width="10" height="10" href="data:image/png;base64,{data}"/></defs>"#
        );
        for _ in 0..6 {
            svg.push_str("<use href=\"#i\"/>");
        }
        svg.push_str("</svg>");
        assert!(matches!(check_tree(&parse(&svg)), Err(OverBudget::Images(_))));
    }
}
