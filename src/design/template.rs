//! Templates: the SVG layouts in `layouts/`, read into slots and decorations.
//!
//! Owns the layout file format (documented in `layouts/README.md`). A layout is a real SVG drawn
//! at a reference size (1080x1350) that a designer can open in a browser or Inkscape. The engine
//! reads three things from it: its `<defs>` and decorative elements, which are copied into every
//! slide verbatim (each moved with its `data-anchor` so the design adapts to other slide sizes);
//! the `data-slot="content"` rectangle, whose `data-*` attributes are the kind's defaults (kicker
//! label, alignment, type sizes and their floors); and the `data-slot="footer"`
//! rectangle. It hands the layout stage a [`Template`]. The built-in layouts are compiled into
//! the binary; a deck's `layouts:` folder overrides any of them by file name.

use std::path::Path;

use crate::design::kind::Kind;
use crate::design::look::Look;
use crate::files::{read_at_most, Access, Refusal, Wanted};
use crate::geom::{num, Rect, Size};
use crate::media::svg::{parse_svg, SvgError};
use crate::read::diag::Diagnostic;
use crate::read::yaml::Pos;

/// The built-in layouts, by file stem.
const BUILT_IN: &[(&str, &str)] = &[
    ("hook", include_str!("../../layouts/hook.svg")),
    ("problem", include_str!("../../layouts/problem.svg")),
    ("root-cause", include_str!("../../layouts/root-cause.svg")),
    ("solution", include_str!("../../layouts/solution.svg")),
    ("results", include_str!("../../layouts/results.svg")),
    ("learnings", include_str!("../../layouts/learnings.svg")),
    ("cover", include_str!("../../layouts/cover.svg")),
    ("content", include_str!("../../layouts/content.svg")),
    ("quote", include_str!("../../layouts/quote.svg")),
    ("cta", include_str!("../../layouts/cta.svg")),
];

/// Largest layout file accepted, in bytes.
pub const MAX_TEMPLATE_BYTES: u64 = 1024 * 1024;

/// How a decoration follows the slide when the slide is not the reference size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Keeps its distance to the top-left corner.
    TopLeft,
    /// Keeps its distance to the top-right corner.
    TopRight,
    /// Keeps its distance to the bottom-left corner.
    BottomLeft,
    /// Keeps its distance to the bottom-right corner.
    BottomRight,
    /// Stays centred horizontally, keeps its distance to the top.
    Top,
    /// Stays centred horizontally, keeps its distance to the bottom.
    Bottom,
    /// Stays centred.
    Center,
    /// Stretches with the slide (backgrounds, full-bleed gradients).
    Stretch,
}

/// A decorative element, copied as written.
#[derive(Debug, Clone)]
pub struct Decoration {
    /// Its SVG source.
    pub source: String,
    /// How it moves.
    pub anchor: Anchor,
}

/// Horizontal alignment of a kind's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HAlign {
    /// Flush left.
    Start,
    /// Centred.
    Center,
}

/// Vertical placement of a kind's content group in its slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VAlign {
    /// At the top.
    Top,
    /// On the optical centre (a little above the middle).
    Center,
    /// On the deck's title line: every slide of the kind puts its title on the same line, the
    /// layout's `data-line` share down the slot, or higher when a slide of the kind needs it.
    Line,
}

/// How a kind divides a wide (landscape) slide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wide {
    /// The heading in a column on the left, the blocks beside it on the right.
    Beside,
    /// The heading over the blocks, both across the slide (as on portrait).
    Stack,
}

/// The kind's defaults, read from the content slot's `data-*` attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// Default kicker (`data-label`); empty for none.
    pub label: String,
    /// `data-align`.
    pub align: HAlign,
    /// `data-valign`.
    pub valign: VAlign,
    /// `data-title-size` and `data-title-floor`, px at the reference size.
    pub title: (f32, f32),
    /// `data-body-size` and `data-body-floor`.
    pub body: (f32, f32),
    /// `data-max-width`: the longest measure for prose, px at the reference size.
    pub max_width: f32,
    /// `data-line`: where the title line sits, as a share of the slot's height from its top.
    pub line: f32,
    /// `data-landscape`: how a wide slide is divided.
    pub wide: Wide,
    /// `data-heading-share`: the heading column's share of the slot's width when beside.
    pub heading_share: f32,
    /// `data-ground`: what the slide is drawn on.
    pub ground: Ground,
    /// `data-profile`: the author shown large on this kind, when the deck has one.
    pub profile: Option<ProfileStyle>,
}

/// How a layout shows the deck's author large (`data-profile`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileStyle {
    /// `byline`: photo, name and handle in a row, under the title.
    Byline,
    /// `follow`: photo above name and handle, a follow line and the save and repost cues.
    Follow,
}

/// What a slide is drawn on (`data-ground`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ground {
    /// The theme's background (`theme`).
    Theme,
    /// The accent (`accent`): every role is taken from [`crate::design::theme::Theme::on_accent_ground`].
    Accent,
}

/// A layout, ready to be fitted to a slide size.
#[derive(Debug, Clone)]
pub struct Template {
    /// File the layout came from (`built-in:hook` for built-ins).
    pub origin: String,
    /// Reference width of the drawing.
    pub width: f32,
    /// Reference height.
    pub height: f32,
    /// `<defs>` content, verbatim.
    pub defs: String,
    /// Decorations in drawing order.
    pub decorations: Vec<Decoration>,
    /// Where the content goes, at the reference size.
    pub content: Rect,
    /// Where the footer goes, at the reference size.
    pub footer: Rect,
    /// Where a deck's logo goes (`data-slot="logo"`), at the reference size, and the corner or
    /// edge it keeps its distance to; a layout without one draws no logo.
    pub logo: Option<(Rect, Anchor)>,
    /// The kind's defaults.
    pub params: Params,
}

/// Why a layout file could not be used.
#[derive(Debug, Clone, thiserror::Error)]
#[error("layout `{origin}`: {message}")]
pub struct TemplateError {
    /// The file.
    pub origin: String,
    /// What is wrong.
    pub message: String,
    /// 1-based line and column in the layout file and the length to mark, when the mistake has a place.
    pub place: Option<(u32, u32, usize)>,
    /// The layout's text, kept to show the line at fault: only of a file that is an SVG document
    /// by its content, so a file that is something else (a symlink to a secret, say) is never shown.
    pub text: Option<String>,
}

impl TemplateError {
    /// The error as a diagnostic. A layout file's mistake points into that file, at the element
    /// or character at fault, so the author is sent to the SVG line to fix, not to the deck.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let help = "see layouts/README.md for the slots and attributes a layout needs";
        let Some((line, column, len)) = self.place.filter(|_| !self.origin.starts_with("built-in:")) else {
            return Diagnostic::error(Pos::default(), self.to_string()).with_help(help);
        };
        Diagnostic::error(Pos { line, column, offset: None, len }, format!("in this layout: {}", self.message))
            .with_help(help)
            .in_file(&self.origin, self.text.clone())
    }
}

/// The layout for `kind`: from `override_dir` when it holds `<kind>.svg`, else the look's
/// built-in one.
pub fn load(kind: Kind, override_dir: Option<&Path>, look: Look) -> Result<Template, TemplateError> {
    let stem = kind.layout_name();
    if let Some(dir) = override_dir {
        let name = format!("{stem}.svg");
        let path = dir.join(&name);
        if std::fs::symlink_metadata(&path).is_ok() {
            let origin = path.display().to_string();
            let fail = |message: String| TemplateError { origin: origin.clone(), message, place: None, text: None };
            // A layout is one of the folder's own files: a symlink out of it, a device or a FIFO is refused.
            Access::only(dir).resolve(dir, &name, Wanted::File).map_err(|why| match why {
                Refusal::Outside(_) => fail(format!(
                    "a layout must be a file of the layouts folder itself; `{name}` links to a file elsewhere"
                )),
                other => fail(other.to_string()),
            })?;
            let bytes = read_at_most(&path, MAX_TEMPLATE_BYTES)
                .map_err(|e| fail(e.to_string()))?
                .ok_or_else(|| fail(format!("larger than {MAX_TEMPLATE_BYTES} bytes")))?;
            let source = String::from_utf8(bytes).map_err(|_| fail("not UTF-8 text".to_string()))?;
            if !looks_like_svg(&source) {
                return Err(fail("not an SVG document (no `<svg` element near its start)".to_string()));
            }
            // Its decorations are drawn on every slide of the kind: measured once, here.
            if let Err(SvgError::OverBudget(why)) = parse_svg(source.as_bytes()) {
                return Err(fail(format!("it would cost too much to draw: {why}")));
            }
            return parse(&origin, &source).map_err(|mut e| {
                e.text = Some(source.clone());
                e
            });
        }
    }
    if let Some(source) = look.layout(stem) {
        return parse(&format!("built-in:{}/{stem}", look.name), source);
    }
    let source = BUILT_IN.iter().find(|(name, _)| *name == stem).map(|(_, source)| *source).unwrap_or_default();
    parse(&format!("built-in:{stem}"), source)
}

/// Whether `source` is an SVG document by its content: an `<svg` element within its first 4 KB
/// (after an XML declaration, comments or a doctype).
pub fn looks_like_svg(source: &str) -> bool {
    let mut end = source.len().min(4096);
    while !source.is_char_boundary(end) {
        end -= 1;
    }
    let head = &source[..end];
    head.trim_start_matches('\u{feff}').trim_start().starts_with('<') && head.contains("<svg")
}

/// Reads a layout from its SVG source.
pub fn parse(origin: &str, source: &str) -> Result<Template, TemplateError> {
    let doc = roxmltree::Document::parse(source).map_err(|e| {
        let at = e.pos();
        // roxmltree ends its message with the position, which the diagnostic shows already.
        let text = e.to_string();
        let text = text.rsplit_once(" at ").map_or(text.as_str(), |(message, _)| message);
        TemplateError {
            origin: origin.to_string(),
            message: format!("not valid SVG: {text}"),
            place: Some((at.row, at.col, 1)),
            text: None,
        }
    })?;
    // Each mistake below points at the start tag of the element at fault, or at the attribute
    // whose value is wrong.
    let fail_at = |node: &roxmltree::Node, message: String| {
        let at = doc.text_pos_at(node.range().start);
        let len = node.tag_name().name().chars().count() + 1;
        TemplateError { origin: origin.to_string(), message, place: Some((at.row, at.col, len)), text: None }
    };
    let fail_attr = |bad: BadAttribute| {
        let attribute = bad.node.attribute_node(bad.name);
        let Some(attribute) = attribute else { return fail_at(&bad.node, bad.message) };
        let range = attribute.range();
        let at = doc.text_pos_at(range.start);
        let len = source.get(range).map_or(1, |text| text.chars().count());
        TemplateError {
            origin: origin.to_string(),
            message: bad.message,
            place: Some((at.row, at.col, len)),
            text: None,
        }
    };
    let root = doc.root_element();
    let fail = |message: String| fail_at(&root, message);
    if root.tag_name().name() != "svg" {
        return Err(fail("the root element is not <svg>".into()));
    }
    let (width, height) = reference_size(root).map_err(fail_attr)?;
    let mut template = Template {
        origin: origin.to_string(),
        width,
        height,
        defs: String::new(),
        decorations: Vec::new(),
        content: Rect::default(),
        footer: Rect::default(),
        logo: None,
        params: default_params(),
    };
    let mut have_content = false;
    let mut have_footer = false;
    for child in root.children().filter(|n| n.is_element()) {
        let name = child.tag_name().name();
        if name == "defs" {
            let inner: String = child.children().map(|c| &source[c.range()]).collect();
            template.defs.push_str(&inner);
            continue;
        }
        if name == "style" || name == "title" || name == "desc" || name == "metadata" {
            continue;
        }
        match child.attribute("data-slot") {
            Some("content") => {
                template.content = slot_rect(child, (width, height), "content").map_err(fail_attr)?;
                template.params = read_params(child).map_err(fail_attr)?;
                have_content = true;
            }
            Some("footer") => {
                template.footer = slot_rect(child, (width, height), "footer").map_err(fail_attr)?;
                have_footer = true;
            }
            Some("logo") => {
                let rect = slot_rect(child, (width, height), "logo").map_err(fail_attr)?;
                template.logo = Some((rect, anchor_of(child).map_err(fail_attr)?));
            }
            Some(other) => {
                return Err(fail_at(
                    &child,
                    format!("unknown slot `{other}`; slots are `content`, `footer` and `logo`"),
                ))
            }
            None => {
                let anchor = anchor_of(child).map_err(fail_attr)?;
                template.decorations.push(Decoration { source: source[child.range()].to_string(), anchor });
            }
        }
    }
    if !have_content || !have_footer {
        return Err(fail("a layout needs a `data-slot=\"content\"` and a `data-slot=\"footer\"` rectangle".into()));
    }
    Ok(template)
}

/// An element's `data-anchor`: the corner or edge it keeps its distance to on other shapes.
fn anchor_of<'a, 'input>(child: roxmltree::Node<'a, 'input>) -> Result<Anchor, BadAttribute<'a, 'input>> {
    Ok(match child.attribute("data-anchor") {
        None | Some("top-left") => Anchor::TopLeft,
        Some("top-right") => Anchor::TopRight,
        Some("bottom-left") => Anchor::BottomLeft,
        Some("bottom-right") => Anchor::BottomRight,
        Some("center") => Anchor::Center,
        Some("top") => Anchor::Top,
        Some("bottom") => Anchor::Bottom,
        Some("stretch") => Anchor::Stretch,
        Some(other) => {
            return Err(bad(
                child,
                "data-anchor",
                format!(
                    "unknown data-anchor `{other}`; valid: top-left, top-right, bottom-left, bottom-right, top, bottom, center, stretch"
                ),
            ))
        }
    })
}

/// A layout attribute whose value cannot be used: the diagnostic points at the attribute, or at
/// its element when the attribute is missing.
struct BadAttribute<'a, 'input> {
    node: roxmltree::Node<'a, 'input>,
    name: &'static str,
    message: String,
}

fn bad<'a, 'input>(node: roxmltree::Node<'a, 'input>, name: &'static str, message: String) -> BadAttribute<'a, 'input> {
    BadAttribute { node, name, message }
}

/// Sides a layout drawing may have, in px. Type sizes, margins and the footer are px at this
/// reference size, so a drawing of `0 0 1e-6 1e-6` (or `inf`) would scale them to nothing or to
/// infinity and give a blank slide; the built-in layouts are 1080x1350.
pub const REFERENCE_SIDES: std::ops::RangeInclusive<f32> = 100.0..=10_000.0;

/// A number written in a layout attribute: finite (Rust also reads `inf` and `NaN`), with an
/// optional `px` unit.
fn number(text: &str) -> Option<f32> {
    let text = text.trim();
    text.strip_suffix("px").unwrap_or(text).trim().parse::<f32>().ok().filter(|v| v.is_finite())
}

fn reference_size<'a, 'input>(root: roxmltree::Node<'a, 'input>) -> Result<(f32, f32), BadAttribute<'a, 'input>> {
    let sides = format!("from {} to {} px", REFERENCE_SIDES.start(), REFERENCE_SIDES.end());
    if let Some(view_box) = root.attribute("viewBox") {
        let words: Vec<&str> = view_box.split([' ', ',']).filter(|s| !s.is_empty()).collect();
        let numbers: Vec<f32> = words.iter().filter_map(|word| number(word)).collect();
        let [min_x, min_y, w, h] = numbers[..] else {
            let message = format!("viewBox `{view_box}` must be four finite numbers, like `0 0 1080 1350`");
            return Err(bad(root, "viewBox", message));
        };
        if words.len() != 4 {
            let message = format!("viewBox `{view_box}` must be four finite numbers, like `0 0 1080 1350`");
            return Err(bad(root, "viewBox", message));
        }
        // Slots and anchors are measured from the drawing's top-left corner.
        if min_x != 0.0 || min_y != 0.0 {
            let message = format!("viewBox `{view_box}` must start at `0 0`, like `0 0 1080 1350`");
            return Err(bad(root, "viewBox", message));
        }
        if !REFERENCE_SIDES.contains(&w) || !REFERENCE_SIDES.contains(&h) {
            let message = format!("viewBox `{view_box}`: its width and height must be {sides}, like `0 0 1080 1350`");
            return Err(bad(root, "viewBox", message));
        }
        return Ok((w, h));
    }
    let side = |name: &'static str| {
        let Some(text) = root.attribute(name) else {
            return Err(bad(root, "viewBox", "the <svg> needs a viewBox, like `0 0 1080 1350`".to_string()));
        };
        number(text).filter(|v| REFERENCE_SIDES.contains(v)).ok_or_else(|| {
            bad(root, name, format!("{name} `{text}` must be {sides}; or give a viewBox like `0 0 1080 1350`"))
        })
    };
    Ok((side("width")?, side("height")?))
}

/// A slot's rectangle: four finite numbers, inside the drawing, and big enough to hold something
/// (a slot outside the drawing, or a sliver, would leave the slide blank).
fn slot_rect<'a, 'input>(
    node: roxmltree::Node<'a, 'input>,
    (width, height): (f32, f32),
    slot: &str,
) -> Result<Rect, BadAttribute<'a, 'input>> {
    let read = |name: &'static str| {
        let text = node.attribute(name).ok_or_else(|| {
            bad(node, name, format!("the {slot} slot needs x, y, width and height; `{name}` is missing"))
        })?;
        number(text).ok_or_else(|| bad(node, name, format!("{name} `{text}` is not a number of px")))
    };
    let rect = Rect { x: read("x")?, y: read("y")?, width: read("width")?, height: read("height")? };
    // Half a pixel of slack for drawings exported with rounding.
    let slack = 0.5;
    if rect.x < -slack || rect.x > width {
        return Err(bad(node, "x", format!("x `{}` is outside the drawing (0 to {})", num(rect.x), num(width))));
    }
    if rect.y < -slack || rect.y > height {
        return Err(bad(node, "y", format!("y `{}` is outside the drawing (0 to {})", num(rect.y), num(height))));
    }
    // The footer holds one line of small type; the content slot a title at least.
    let least = if slot == "content" { 0.1 } else { 0.02 };
    let (min_width, min_height) = ((width * least).max(1.0), (height * least).max(1.0));
    for (attribute, extent, least_extent, room) in
        [("width", rect.width, min_width, width - rect.x), ("height", rect.height, min_height, height - rect.y)]
    {
        if !(least_extent..=room + slack).contains(&extent) {
            let message = format!(
                "the {slot} slot's {attribute} `{}` must be from {} to {} (at least {}% of the drawing, and inside it)",
                num(extent),
                num(least_extent),
                num(room),
                least * 100.0
            );
            return Err(bad(node, attribute, message));
        }
    }
    Ok(rect)
}

fn default_params() -> Params {
    Params {
        label: String::new(),
        align: HAlign::Start,
        valign: VAlign::Center,
        title: (72.0, 48.0),
        body: (38.0, 32.0),
        max_width: 1_200.0,
        line: 0.2,
        wide: Wide::Beside,
        heading_share: 0.4,
        ground: Ground::Theme,
        profile: None,
    }
}

fn read_params<'a, 'input>(node: roxmltree::Node<'a, 'input>) -> Result<Params, BadAttribute<'a, 'input>> {
    let mut params = default_params();
    if let Some(label) = node.attribute("data-label") {
        params.label = label.to_string();
    }
    match node.attribute("data-align") {
        None | Some("start") => {}
        Some("center") => params.align = HAlign::Center,
        Some(other) => return Err(bad(node, "data-align", format!("data-align `{other}`: valid are start, center"))),
    }
    match node.attribute("data-valign") {
        None | Some("center") => {}
        Some("top") => params.valign = VAlign::Top,
        Some("line") => params.valign = VAlign::Line,
        Some(other) => {
            return Err(bad(node, "data-valign", format!("data-valign `{other}`: valid are top, center, line")))
        }
    }
    // Centred kinds read as one centred group: they stay stacked on wide slides unless told.
    if params.align == HAlign::Center {
        params.wide = Wide::Stack;
    }
    match node.attribute("data-ground") {
        None | Some("theme") => {}
        Some("accent") => params.ground = Ground::Accent,
        Some(other) => return Err(bad(node, "data-ground", format!("data-ground `{other}`: valid are theme, accent"))),
    }
    match node.attribute("data-profile") {
        None | Some("none") => {}
        Some("byline") => params.profile = Some(ProfileStyle::Byline),
        Some("follow") => params.profile = Some(ProfileStyle::Follow),
        Some(other) => {
            return Err(bad(node, "data-profile", format!("data-profile `{other}`: valid are none, byline, follow")))
        }
    }
    match node.attribute("data-landscape") {
        None => {}
        Some("beside") => params.wide = Wide::Beside,
        Some("stack") => params.wide = Wide::Stack,
        Some(other) => {
            return Err(bad(node, "data-landscape", format!("data-landscape `{other}`: valid are beside, stack")))
        }
    }
    let share = |name: &'static str,
                 range: std::ops::RangeInclusive<f32>,
                 fallback: f32|
     -> Result<f32, BadAttribute<'a, 'input>> {
        match node.attribute(name) {
            None => Ok(fallback),
            Some(v) => number(v).filter(|v| range.contains(v)).ok_or_else(|| {
                bad(node, name, format!("{name} `{v}` must be a share from {} to {}", range.start(), range.end()))
            }),
        }
    };
    params.line = share("data-line", 0.0..=0.6, params.line)?;
    params.heading_share = share("data-heading-share", 0.2..=0.6, params.heading_share)?;
    let pair = |size: &'static str,
                floor: &'static str,
                default: (f32, f32)|
     -> Result<(f32, f32), BadAttribute<'a, 'input>> {
        let read = |name: &'static str, fallback: f32| match node.attribute(name) {
            None => Ok(fallback),
            Some(v) => number(v)
                .filter(|v| (8.0..=400.0).contains(v))
                .ok_or_else(|| bad(node, name, format!("{name} `{v}` must be a size in px from 8 to 400"))),
        };
        let size = read(size, default.0)?;
        let floor = read(floor, default.1.min(size))?;
        Ok((size, floor.min(size)))
    };
    params.title = pair("data-title-size", "data-title-floor", params.title)?;
    params.body = pair("data-body-size", "data-body-floor", params.body)?;
    // `data-order` once reordered the blocks; blocks now keep the author's order, and a layout
    // that still has the attribute loads as before, the attribute ignored.
    if let Some(width) = node.attribute("data-max-width") {
        params.max_width = number(width).filter(|w| (100.0..=100_000.0).contains(w)).ok_or_else(|| {
            bad(node, "data-max-width", format!("data-max-width `{width}` must be px, from 100 to 100000"))
        })?;
    }
    Ok(params)
}

/// How much more than the short-side ratio text may grow on a wide slide: the phone shows any
/// slide at the same width, so a 1920 px slide would need 1.78 times the pixels to read like a
/// 1080 px one, but its height (1080 px) cannot hold that much; 1.45 gives landscape 55 px body
/// text (about 11 pt on a phone, as portrait's floor), and content still fits.
pub const MAX_TEXT_STRETCH: f32 = 1.45;

/// The share of the reference floors that a slide wider than the reference keeps, by width:
/// the body floor of 30 px at 1080 wide is 46 px at 1920 and code's 26 px is 40 px, the least that
/// reads at about 8 pt on a phone.
pub const PHONE_FLOOR: f32 = 0.8625;

/// Slides at least this much wider than tall are divided into columns (`data-landscape`).
pub const WIDE_ASPECT: f32 = 1.3;

impl Template {
    /// How much the design's geometry (margins, decorations, slots) is scaled for `size`: by
    /// area, but never below the short-side ratio, so a square slide keeps its margins.
    pub fn scale(&self, size: Size) -> f32 {
        let (w, h) = (size.width as f32, size.height as f32);
        let by_area = ((w * h) / (self.width * self.height)).sqrt();
        let by_short_side = w.min(h) / self.width.min(self.height);
        by_area.max(by_short_side)
    }

    /// How much the margins above and below the slots are scaled for `size`: with the geometry,
    /// except on a wide slide, where the height is what a slide is short of: there they keep
    /// their share of the height (a portrait layout's 150 px top margin is 120 px on a 1080 px
    /// tall slide, not 179), so the slot holds what a phone reads at its floors.
    pub fn vertical_scale(&self, size: Size) -> f32 {
        let s = self.scale(size);
        if Template::is_wide(size) {
            s.min(size.height as f32 / self.height)
        } else {
            s
        }
    }

    /// How much the smallest sizes (the floors) are scaled for `size`: with the geometry, and on a
    /// slide wider than the reference never below what a phone shows as the reference's floor
    /// (a phone shows every slide at the same width, so a 1920 px slide needs 1.78 times the
    /// pixels): [`PHONE_FLOOR`] of the width ratio.
    pub fn floor_scale(&self, size: Size) -> f32 {
        let by_width = size.width as f32 / self.width;
        self.scale(size).min(self.text_scale(size)).max(by_width * PHONE_FLOOR)
    }

    /// How much type (and what is measured in type: gaps, paddings, marks) is scaled for `size`.
    /// A phone shows every slide at the same width, so type follows the width ratio, which makes
    /// it read alike on every shape; it stays between the short-side ratio and
    /// [`MAX_TEXT_STRETCH`] times that, so that a wide slide's height still holds its content.
    pub fn text_scale(&self, size: Size) -> f32 {
        let (w, h) = (size.width as f32, size.height as f32);
        let by_width = w / self.width;
        let by_short_side = w.min(h) / self.width.min(self.height);
        by_width.clamp(by_short_side, by_short_side * MAX_TEXT_STRETCH)
    }

    /// Whether a slide of `size` is wide enough to be divided into columns.
    pub fn is_wide(size: Size) -> bool {
        size.width as f32 >= size.height as f32 * WIDE_ASPECT
    }

    /// The content slot on a slide of `size`: each edge keeps its scaled distance to the slide's edge.
    /// It never reaches into the footer's band, which grows with the type.
    pub fn content_on(&self, size: Size) -> Rect {
        let mut rect = self.fit_slot(self.content, size);
        let footer = self.footer_on(size);
        let gap = (self.footer.y - self.content.bottom()).max(0.0) * self.vertical_scale(size);
        let bottom = rect.bottom().min(footer.y - gap);
        rect.height = (bottom - rect.y).max(1.0);
        rect
    }

    /// The footer slot on a slide of `size`: it keeps its distance to the bottom, left and right
    /// edges, and its height follows the type in it.
    pub fn footer_on(&self, size: Size) -> Rect {
        let mut rect = self.fit_slot(self.footer, size);
        rect.height = self.footer.height * self.text_scale(size);
        rect.y = size.height as f32 - (self.height - self.footer.bottom()) * self.vertical_scale(size) - rect.height;
        rect
    }

    /// The logo slot on a slide of `size`: scaled with the geometry, keeping its distance to the
    /// corner or edge it is anchored to.
    pub fn logo_on(&self, size: Size) -> Option<(Rect, Anchor)> {
        let (slot, anchor) = self.logo?;
        let s = self.scale(size);
        let (w, h) = (size.width as f32, size.height as f32);
        let (right, bottom) = (self.width - slot.right(), self.height - slot.bottom());
        let (width, height) = (slot.width * s, slot.height * s);
        let x = match anchor {
            Anchor::TopRight | Anchor::BottomRight => w - right * s - width,
            Anchor::Top | Anchor::Bottom | Anchor::Center => {
                (w - width) / 2.0 + (slot.x + slot.width / 2.0 - self.width / 2.0) * s
            }
            _ => slot.x * s,
        };
        // Its distance to the top or bottom edge follows the slots' margins, so it stays clear of them.
        let sy = self.vertical_scale(size);
        let y = match anchor {
            Anchor::BottomLeft | Anchor::BottomRight | Anchor::Bottom => h - bottom * sy - height,
            Anchor::Center => (h - height) / 2.0 + (slot.y + slot.height / 2.0 - self.height / 2.0) * s,
            _ => slot.y * sy,
        };
        Some((Rect { x, y, width, height }, anchor))
    }

    fn fit_slot(&self, slot: Rect, size: Size) -> Rect {
        let s = self.scale(size);
        let sy = self.vertical_scale(size);
        let left = slot.x * s;
        let top = slot.y * sy;
        let right = (self.width - slot.right()) * s;
        let bottom = (self.height - slot.bottom()) * sy;
        Rect {
            x: left,
            y: top,
            width: (size.width as f32 - left - right).max(1.0),
            height: (size.height as f32 - top - bottom).max(1.0),
        }
    }

    /// The SVG transform that places a decoration with `anchor` on a slide of `size`.
    ///
    /// A mark held to an edge or a corner is scaled as the margins above and below the slots
    /// are (never more than the side margins): clear of the slot on the drawing, it stays clear
    /// of it on every shape. A centred ground scales with the geometry.
    pub fn transform(&self, anchor: Anchor, size: Size) -> String {
        let (w, h) = (size.width as f32, size.height as f32);
        let s = if anchor == Anchor::Center { self.scale(size) } else { self.vertical_scale(size) };
        let (tx, ty) = match anchor {
            Anchor::Stretch => return format!("scale({} {})", num(w / self.width), num(h / self.height)),
            Anchor::TopLeft => (0.0, 0.0),
            Anchor::TopRight => (w - self.width * s, 0.0),
            Anchor::BottomLeft => (0.0, h - self.height * s),
            Anchor::BottomRight => (w - self.width * s, h - self.height * s),
            Anchor::Top => ((w - self.width * s) / 2.0, 0.0),
            Anchor::Bottom => ((w - self.width * s) / 2.0, h - self.height * s),
            Anchor::Center => ((w - self.width * s) / 2.0, (h - self.height * s) / 2.0),
        };
        format!("translate({} {}) scale({})", num(tx), num(ty), num(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_layout_parses() {
        for kind in Kind::ALL {
            let template = load(kind, None, Look::default_look()).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!((template.width, template.height), (1080.0, 1350.0), "{}", kind.name());
            assert!(template.content.bottom() <= template.footer.y, "{}: content overlaps footer", kind.name());
        }
    }

    #[test]
    fn slots_keep_their_margins_on_other_sizes() {
        let template = load(Kind::Content, None, Look::default_look()).unwrap();
        let slot = template.footer_on(Size::LANDSCAPE);
        let s = template.scale(Size::LANDSCAPE);
        let right_margin = 1920.0 - slot.right();
        assert!((right_margin - (1080.0 - template.footer.right()) * s).abs() < 0.01);
        // Above and below, a wide slide's margins keep their share of the height (1080 / 1350).
        let sy = template.vertical_scale(Size::LANDSCAPE);
        assert!((sy - 0.8).abs() < 0.001, "{sy}");
        assert!((slot.bottom() - (1080.0 - (1350.0 - template.footer.bottom()) * sy)).abs() < 0.01);
        let content = template.content_on(Size::LANDSCAPE);
        assert!((content.y - template.content.y * sy).abs() < 0.01, "the slot starts at {}", content.y);
        // Square and portrait keep the geometry's scale.
        assert_eq!(template.vertical_scale(Size::SQUARE), template.scale(Size::SQUARE));
        assert!((slot.height - template.footer.height * template.text_scale(Size::LANDSCAPE)).abs() < 0.01);
        assert!(template.content_on(Size::LANDSCAPE).bottom() < slot.y, "content stops above the footer");
    }

    #[test]
    fn type_follows_the_width_within_limits() {
        let template = load(Kind::Content, None, Look::default_look()).unwrap();
        assert_eq!(template.text_scale(Size::PORTRAIT), 1.0);
        assert_eq!(template.text_scale(Size::SQUARE), 1.0);
        // Landscape: 38 px body becomes about 55 px, not the 45 px the area ratio gives.
        let landscape = template.text_scale(Size::LANDSCAPE);
        assert!((38.0 * landscape - 55.1).abs() < 0.1, "{landscape}");
        let small = template.text_scale(Size { width: 800, height: 1000 });
        assert!((small - 800.0 / 1080.0).abs() < 0.001, "{small}");
    }

    #[test]
    fn bad_layouts_are_errors() {
        assert!(parse("x", "<svg/>").is_err());
        assert!(parse("x", "not xml").is_err());
        assert!(parse("x", "<svg viewBox='0 0 10 10'><rect data-slot='content' x='1' y='1' width='5' height='5' data-title-size='huge'/><rect data-slot='footer' x='1' y='8' width='5' height='1'/></svg>").is_err());
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.345), "12.35");
        assert_eq!(num(-0.001), "0");
    }
}
