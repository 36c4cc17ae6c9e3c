//! Pages: how each slide is stored in the PDF, so that a deck fits LinkedIn's document limit.
//!
//! Owns the choice between a lossless page (the slide's PNG stream, [`crate::export::pdf::PdfWriter::add_page`])
//! and a JPEG page ([`crate::export::pdf::PdfWriter::add_jpeg_page`]), and the PDF size limit. The PNG
//! files are never affected: only the PDF's copy of a slide may be a JPEG.
//!
//! A slide of text and flat shapes is small losslessly (50-200 KB at 1080x1350) and would only
//! blur as a JPEG; a slide showing a photograph is 2-4 MB losslessly, so 150 of them made a 130 MB
//! PDF that LinkedIn refuses. Photographic is decided from the scene, where it is known for sure
//! and costs nothing: the slide draws a JPEG file (the format of photographs; flat art is PNG or
//! SVG) over at least [`PHOTO_AREA`] of its area. Those pages are encoded at JPEG quality 90
//! without chroma subsampling, which looks the same as the PNG side by side, in the parallel
//! render stage ([`photo_page`]). Then, in deck order, [`choose`] also looks at the bytes: any
//! page, photographic or not (a PNG photograph, a noisy gradient), whose stream is larger than its
//! share of the room left under the limit is re-encoded as a JPEG, at lower qualities if need be
//! (80 then 70, with 4:2:0 chroma). A deck that still cannot fit fails with the size it would
//! have, before the PDF replaces the previous one (see the build stage's `output`).

use std::borrow::Cow;

use crate::deck::Slide;
use crate::export::pdf::{PageLink, PageText, TextRun};
use crate::export::png::EncodedPng;
use crate::media::asset::ImageFormat;
use crate::scene::{Item, Scene};

/// LinkedIn's limit for a document post: 100 MB.
pub const MAX_PDF_BYTES: u64 = 100_000_000;

/// Share of the slide's area a JPEG image must cover for the page to be photographic.
pub const PHOTO_AREA: f32 = 0.1;

/// Quality of a photographic page: looks the same as the lossless page.
pub const PAGE_QUALITY: u8 = 90;

/// Lower qualities tried, in turn, for a page larger than its share of the limit.
const FALLBACK_QUALITIES: [u8; 2] = [80, 70];

/// Whether the slide shows a photograph over a significant part of its area.
pub fn is_photographic(scene: &Scene) -> bool {
    let (w, h) = (scene.size.width as f32, scene.size.height as f32);
    let photo_area: f32 = scene
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Image { asset, rect, .. } if asset.format == ImageFormat::Jpeg => {
                // Only the part on the slide counts.
                let width = (rect.right().min(w) - rect.x.max(0.0)).max(0.0);
                let height = (rect.bottom().min(h) - rect.y.max(0.0)).max(0.0);
                Some(width * height)
            }
            _ => None,
        })
        .sum();
    photo_area >= PHOTO_AREA * w * h
}

/// The slide's words as the PDF's text layer shows them, in reading order: the content's runs
/// in the order the slide draws them (the layout places blocks top to bottom, each line left to
/// right), then the footer's (the author, the page number, the swipe cue) from left to right.
pub fn page_text(scene: &Scene, slide: Option<&Slide>) -> PageText {
    let footer_top = scene.frame.footer_top;
    type Placed = Vec<(bool, TextRun)>;
    let (mut footer, mut runs): (Placed, Placed) = scene
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Text(segment) if !segment.text.trim().is_empty() => Some((
                footer_top > 0.0 && segment.y > footer_top,
                TextRun {
                    x: segment.x,
                    y: segment.y,
                    size: segment.size,
                    advance: segment.advance,
                    face: segment.face,
                    text: segment.text.clone(),
                    rtl: segment.rtl,
                },
            )),
            _ => None,
        })
        .partition(|(in_footer, _)| *in_footer);
    // A stable sort: the runs of one line, and lines stacked at one left edge, keep their order.
    footer.sort_by(|a, b| a.1.x.total_cmp(&b.1.x));
    runs.append(&mut footer);
    let written = slide.map_or(&[][..], |s| s.links.as_slice());
    PageText {
        runs: runs.into_iter().map(|(_, run)| run).collect(),
        bookmark: slide.map(bookmark),
        links: links(scene, written),
    }
}

/// The slide's text as one string, for finding links in it: each run's characters with runs of
/// whitespace made one space, runs joined as they are drawn (a word broken at the end of a line
/// is whole again), and a space between runs that are not on neighbouring lines. Each character
/// says where it was drawn: (index of its run in `segments`, character index in the run).
struct Flat<'a> {
    segments: Vec<&'a crate::text::Segment>,
    chars: Vec<char>,
    at: Vec<Option<(usize, usize)>>,
}

impl<'a> Flat<'a> {
    fn new(scene: &'a Scene) -> Flat<'a> {
        let segments: Vec<&crate::text::Segment> = scene
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Text(segment) => Some(segment),
                _ => None,
            })
            .collect();
        let mut flat = Flat { segments: Vec::new(), chars: Vec::new(), at: Vec::new() };
        for (index, segment) in segments.iter().enumerate() {
            if let Some(previous) = index.checked_sub(1).map(|i| segments[i]) {
                let next_line =
                    segment.y > previous.y && segment.y - previous.y < 1.6 * previous.size.max(segment.size);
                let same_line = (segment.y - previous.y).abs() < 0.5;
                if !(same_line || next_line) && flat.chars.last().is_some_and(|c| *c != ' ') {
                    flat.chars.push(' ');
                    flat.at.push(None);
                }
            }
            for (i, c) in segment.text.chars().enumerate() {
                if c.is_whitespace() {
                    if flat.chars.last().is_some_and(|c| *c == ' ') {
                        continue;
                    }
                    flat.chars.push(' ');
                } else {
                    flat.chars.push(c);
                }
                flat.at.push(Some((index, i)));
            }
        }
        flat.segments = segments;
        flat
    }

    /// The boxes the characters `from..to` are drawn in: one a run (joined when on one line).
    fn boxes(&self, from: usize, to: usize) -> Vec<crate::geom::Rect> {
        let mut spans: Vec<(usize, usize, usize)> = Vec::new();
        for (segment, i) in self.at[from..to].iter().flatten() {
            match spans.last_mut() {
                Some((s, _, last)) if s == segment => *last = *i,
                _ => spans.push((*segment, *i, *i)),
            }
        }
        let mut boxes: Vec<(f32, crate::geom::Rect)> = Vec::new();
        for (index, first, last) in spans {
            let segment = self.segments[index];
            let chars: Vec<char> = segment.text.chars().collect();
            let width =
                |part: &[char]| crate::export::pdffont::text_width(segment.face, &part.iter().collect::<String>());
            let whole = width(&chars).max(1.0);
            let x0 = segment.x + segment.advance * width(&chars[..first]) / whole;
            let x1 = segment.x + segment.advance * width(&chars[..=last]) / whole;
            let (top, bottom) = (segment.y - LINK_ASCENT * segment.size, segment.y + LINK_DESCENT * segment.size);
            match boxes.last_mut() {
                Some((y, rect)) if (*y - segment.y).abs() < 0.5 => {
                    let (left, right) = (rect.x.min(x0), rect.right().max(x1));
                    let (up, down) = (rect.y.min(top), rect.bottom().max(bottom));
                    *rect = crate::geom::Rect { x: left, y: up, width: right - left, height: down - up };
                }
                _ => boxes.push((segment.y, crate::geom::Rect { x: x0, y: top, width: x1 - x0, height: bottom - top })),
            }
        }
        boxes.into_iter().map(|(_, rect)| rect).collect()
    }
}

/// How far a link's box reaches above the baseline and below it, in ems: Inter's ascender and
/// descender, so the box covers the drawn letters.
const LINK_ASCENT: f32 = 0.97;
const LINK_DESCENT: f32 = 0.25;

/// The slide's links where they are drawn: each written link (`[text](url)`) over the first
/// drawing of its text after the previous link's, and every address drawn as text
/// (`https://…`, `http://…`, `mailto:…`) over itself, even when the line breaks inside it.
pub fn links(scene: &Scene, written: &[crate::text::markup::Link]) -> Vec<PageLink> {
    let flat = Flat::new(scene);
    let mut found = Vec::new();
    let mut from = 0;
    for link in written {
        let needle: Vec<char> = link.text.split_whitespace().collect::<Vec<_>>().join(" ").chars().collect();
        if needle.is_empty() {
            continue;
        }
        let search = |start: usize| {
            (start..flat.chars.len().saturating_sub(needle.len() - 1))
                .find(|&i| flat.chars[i..i + needle.len()] == needle[..])
        };
        if let Some(at) = search(from).or_else(|| search(0)) {
            from = at + needle.len();
            found.extend(
                flat.boxes(at, at + needle.len()).into_iter().map(|rect| PageLink { rect, url: link.url.clone() }),
            );
        }
    }
    let text: String = flat.chars.iter().collect();
    let mut start = 0;
    while let Some(offset) = crate::text::markup::LINK_SCHEMES.iter().filter_map(|s| text[start..].find(s)).min() {
        let begin = start + offset;
        let token_end = text[begin..].find(' ').map_or(text.len(), |e| begin + e);
        let mut url = &text[begin..token_end];
        // Punctuation after an address ends the sentence, not the address.
        while let Some(last) = url.chars().last() {
            let unbalanced = last == ')' && url.matches('(').count() < url.matches(')').count();
            if ".,;:!?'\"".contains(last) || unbalanced {
                url = &url[..url.len() - last.len_utf8()];
            } else {
                break;
            }
        }
        if crate::text::markup::allowed_link(url) {
            let (from, to) = (text[..begin].chars().count(), text[..begin + url.len()].chars().count());
            let covered = found.iter().any(|l: &PageLink| l.url == url);
            if !covered {
                found.extend(flat.boxes(from, to).into_iter().map(|rect| PageLink { rect, url: url.to_string() }));
            }
        }
        start = token_end.max(begin + 1);
    }
    found
}

/// A slide's entry in the PDF's outline: its title as drawn (markup and line breaks gone), or,
/// for a slide without one, its kind (`Cta`, `Content`).
pub fn bookmark(slide: &Slide) -> String {
    let title = slide.heading.title.as_ref().map(|t| crate::text::markup::plain_text(&t.value)).unwrap_or_default();
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if !title.is_empty() {
        return title;
    }
    let kind = slide.kind.name();
    let mut chars = kind.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The JPEG page of a photographic slide from its rendered RGBA pixels (opaque, so premultiplied
/// or not is the same); `None` for other slides.
pub fn photo_page(scene: &Scene, rgba: &[u8]) -> Option<Vec<u8>> {
    if !is_photographic(scene) {
        return None;
    }
    let (w, h) = (scene.size.width, scene.size.height);
    crate::media::pixels::encode_jpeg(rgba, w, h, PAGE_QUALITY, jpeg_encoder::ColorType::Rgba, false)
}

/// A slide's page as the PDF stores it.
#[derive(Debug, Clone, PartialEq)]
pub enum Page<'a> {
    /// The slide's PNG stream, lossless.
    Png,
    /// A baseline JPEG of the slide.
    Jpeg(Cow<'a, [u8]>),
}

impl Page<'_> {
    /// Bytes the page's image stream takes.
    pub fn len(&self, png: &EncodedPng) -> usize {
        match self {
            Page::Png => png.bytes.len(),
            Page::Jpeg(bytes) => bytes.len(),
        }
    }
}

/// Chooses the page of a slide: the smaller of its PNG and its photographic JPEG (when it has
/// one), and, when that is larger than `share` bytes, JPEGs of lower quality until one fits (or the
/// smallest of them all, which the size check then judges).
pub fn choose<'a>(png: &EncodedPng, photo: Option<&'a [u8]>, share: u64) -> Page<'a> {
    let mut best = match photo {
        Some(jpeg) if jpeg.len() < png.bytes.len() => Page::Jpeg(Cow::Borrowed(jpeg)),
        _ => Page::Png,
    };
    if best.len(png) as u64 <= share {
        return best;
    }
    let Some(rgb) = decode_rgb(png) else { return best };
    let (w, h) = (png.width, png.height);
    let rgb_color = jpeg_encoder::ColorType::Rgb;
    // A page that is not a photograph has not been tried as a JPEG at the photo quality yet.
    let qualities = photo.is_none().then_some(PAGE_QUALITY).into_iter().chain(FALLBACK_QUALITIES);
    for quality in qualities {
        let subsample = quality < PAGE_QUALITY;
        let Some(jpeg) = crate::media::pixels::encode_jpeg(&rgb, w, h, quality, rgb_color, subsample) else { break };
        if jpeg.len() < best.len(png) {
            best = Page::Jpeg(Cow::Owned(jpeg));
        }
        if best.len(png) as u64 <= share {
            break;
        }
    }
    best
}

/// The RGB pixels of a slide's PNG (8-bit RGB, as [`crate::export::png`] writes it).
fn decode_rgb(png: &EncodedPng) -> Option<Vec<u8>> {
    let mut reader = png::Decoder::new(std::io::Cursor::new(&png.bytes)).read_info().ok()?;
    let mut rgb = vec![0; reader.output_buffer_size()?];
    let info = reader.next_frame(&mut rgb).ok()?;
    (info.color_type == png::ColorType::Rgb && info.bit_depth == png::BitDepth::Eight).then_some(rgb)
}

/// Megabytes with one decimal, as the message about the limit shows them.
pub fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::png::encode_png;

    /// A smooth, photo-like picture with grain: hard for PNG, easy for JPEG.
    fn photo(width: u32, height: u32) -> Vec<u8> {
        let mut state = 0x9e37_79b9_u32;
        (0..width * height)
            .flat_map(|i| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                let (x, y) = ((i % width) as f32, (i / width) as f32);
                let grain = (state % 24) as f32;
                let base = 100.0 + 60.0 * (x / 17.0).sin() * (y / 23.0).cos();
                [(base + grain) as u8, (base * 0.8 + grain) as u8, (200.0 - base * 0.5 + grain) as u8, 255]
            })
            .collect()
    }

    #[test]
    fn a_page_over_its_share_becomes_a_smaller_jpeg() {
        let pixels = photo(200, 250);
        let png = encode_png(200, 250, &pixels).unwrap();
        assert_eq!(choose(&png, None, u64::MAX), Page::Png, "room enough: lossless");
        let share = png.bytes.len() as u64 / 4;
        let page = choose(&png, None, share);
        assert!(matches!(page, Page::Jpeg(_)), "{page:?}");
        assert!(page.len(&png) as u64 <= share, "{} > {share}", page.len(&png));
    }

    #[test]
    fn a_photo_page_is_smaller_than_its_png_and_the_same_picture() {
        let pixels = photo(200, 250);
        let png = encode_png(200, 250, &pixels).unwrap();
        let jpeg =
            crate::media::pixels::encode_jpeg(&pixels, 200, 250, PAGE_QUALITY, jpeg_encoder::ColorType::Rgba, false)
                .unwrap();
        assert!(jpeg.len() * 2 < png.bytes.len(), "jpeg {} png {}", jpeg.len(), png.bytes.len());
        let decoded = crate::media::pixels::decode(&jpeg, ImageFormat::Jpeg).unwrap();
        let error: f64 = decoded.rgba.iter().zip(&pixels).map(|(a, b)| (*a as f64 - *b as f64).abs()).sum::<f64>()
            / pixels.len() as f64;
        assert!(error < 4.0, "mean error {error}");
        assert_eq!(choose(&png, Some(&jpeg), u64::MAX), Page::Jpeg(Cow::Borrowed(&jpeg[..])));
    }
}
