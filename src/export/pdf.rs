//! PDF: the slides' PNGs bundled as one PDF, one page per slide.
//!
//! Owns the PDF file. Each page is one image at the slide's size (1 px = 0.75 pt, so a
//! 1080x1350 slide is a 810x1012.5 pt page), lossless and opaque RGB. The writer streams: a page
//! is written as soon as it is added and only object offsets stay in memory, so a 300-slide deck
//! needs no more memory than one slide. The image stream is the PNG's own IDAT data, declared as
//! `/FlateDecode` with the PNG predictor, so pixels are compressed once for both outputs; a
//! photographic slide's page is a JPEG instead (`/DCTDecode`, see [`crate::export::pages`]), since a
//! photo's lossless page is ten times larger and a deck of them outgrows LinkedIn's 100 MB.
//!
//! Why not printpdf, which the design named: printpdf 0.12 keeps the whole document in memory
//! until it saves, and takes raw pixels that it compresses again (with default options it even
//! downsamples them). A writer for image-only pages is a hundred lines of well-specified syntax
//! (ISO 32000-1 §7.5), and owning it also gives deterministic bytes: no dates, object numbers in
//! page order and a document ID hashed from the content.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{self, Write};

use crate::export::pdffont::{deflate, FontKey, PdfFonts};
use crate::export::png::EncodedPng;
use crate::geom::num;

/// Points per pixel: slides are 96 dpi.
const PT: f32 = 0.75;

/// Document information shown by viewers and LinkedIn.
#[derive(Debug, Clone, Default)]
pub struct PdfMeta {
    /// The deck's title.
    pub title: String,
    /// The author's name.
    pub author: Option<String>,
    /// A one-line description.
    pub subject: Option<String>,
    /// Keywords (the caption's hashtags).
    pub keywords: Vec<String>,
    /// The program that made it.
    pub creator: String,
    /// The language of its text, a BCP 47 tag (the catalog's `/Lang`); none leaves it unsaid.
    pub language: Option<String>,
}

/// Object numbers fixed in advance: the catalog, the page tree and the info dictionary.
const CATALOG: usize = 1;
const PAGES: usize = 2;
const INFO: usize = 3;
const FIRST_PAGE_OBJECT: usize = 4;

/// One run of a slide's text, in slide pixels, as the PDF's invisible text layer shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// Left edge.
    pub x: f32,
    /// Baseline.
    pub y: f32,
    /// Font size.
    pub size: f32,
    /// The width the run is drawn at, letter spacing included.
    pub advance: f32,
    /// The face it is drawn in.
    pub face: crate::fonts::FaceRef,
    /// The characters, in logical order.
    pub text: String,
    /// Whether the run reads right to left.
    pub rtl: bool,
}

/// What a page carries besides its picture: the slide's words, invisible, over the drawn ones,
/// and its entry in the document's outline.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageText {
    /// The runs, in reading order.
    pub runs: Vec<TextRun>,
    /// The page's bookmark (the slide's title); none leaves the page out of the outline.
    pub bookmark: Option<String>,
    /// Where a click opens a link.
    pub links: Vec<PageLink>,
}

/// A link's box on the page, in slide pixels from the top left.
#[derive(Debug, Clone, PartialEq)]
pub struct PageLink {
    /// The box.
    pub rect: crate::geom::Rect,
    /// The address (`http`, `https` or `mailto`).
    pub url: String,
}

/// Writes a PDF page by page.
pub struct PdfWriter<W: Write> {
    out: CountingWriter<W>,
    meta: PdfMeta,
    /// Byte offset of each object, by object number - 1.
    offsets: Vec<u64>,
    pages: Vec<usize>,
    /// Each page's bookmark, by page index.
    bookmarks: Vec<(usize, String)>,
    hash: Fnv,
    fonts: PdfFonts,
}

impl<W: Write> PdfWriter<W> {
    /// Starts a document on `out`.
    pub fn new(out: W, meta: PdfMeta) -> io::Result<Self> {
        let mut out = CountingWriter { inner: out, written: 0 };
        // The binary comment tells transfer tools that the file is not text.
        out.write_all(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")?;
        let mut hash = Fnv::new();
        hash.update(meta.title.as_bytes());
        Ok(PdfWriter {
            out,
            meta,
            offsets: vec![0; FIRST_PAGE_OBJECT - 1],
            pages: Vec::new(),
            bookmarks: Vec::new(),
            hash,
            fonts: PdfFonts::default(),
        })
    }

    fn begin_object(&mut self, number: usize) -> io::Result<()> {
        if self.offsets.len() < number {
            self.offsets.resize(number, 0);
        }
        self.offsets[number - 1] = self.out.written;
        writeln!(self.out, "{number} 0 obj")
    }

    /// Bytes written so far: the size the file would have without its closing tables.
    pub fn written(&self) -> u64 {
        self.out.written
    }

    /// Adds a page showing `png` at its full size, with `text` over it.
    pub fn add_page(&mut self, png: &EncodedPng, text: &PageText) -> io::Result<()> {
        let data = png.idat_stream();
        let w = png.width;
        let filter =
            format!("/FlateDecode /DecodeParms << /Predictor 15 /Colors 3 /BitsPerComponent 8 /Columns {w} >>");
        self.add_image_page(png.width, png.height, &filter, &data, text)
    }

    /// Adds a page showing a baseline RGB JPEG of `width` x `height` px, as is (`/DCTDecode`):
    /// the form a photographic slide takes, a tenth of its lossless size.
    pub fn add_jpeg_page(&mut self, width: u32, height: u32, jpeg: &[u8], text: &PageText) -> io::Result<()> {
        self.add_image_page(width, height, "/DCTDecode", jpeg, text)
    }

    /// Hands out `n` consecutive object numbers for objects written later.
    fn reserve(offsets: &mut Vec<u64>, n: usize) -> usize {
        let first = offsets.len() + 1;
        offsets.resize(offsets.len() + n, 0);
        first
    }

    /// The operators that show `text` invisibly (render mode 3) on a page `height` px tall, and
    /// the fonts they use.
    fn text_ops(&mut self, text: &PageText, height: u32) -> (String, BTreeSet<FontKey>) {
        let mut ops = String::new();
        let mut used = BTreeSet::new();
        if text.runs.is_empty() {
            return (ops, used);
        }
        ops.push_str("BT 3 Tr\n");
        let offsets = &mut self.offsets;
        let mut reserve = |n| Self::reserve(offsets, n);
        for run in &text.runs {
            let pieces = self.fonts.encode(run.face, &run.text, run.rtl, &mut reserve);
            if pieces.is_empty() {
                continue;
            }
            let size = run.size * PT;
            let natural: f32 = pieces.iter().map(|p| p.width).sum::<f32>() * size / 1000.0;
            // Stretched to the drawn width (letter spacing included), so that selecting a word
            // highlights the word. Spacing as `Tc` would leave gaps that readers take for spaces.
            let scale = if natural > 0.01 && run.advance > 0.0 { run.advance * PT / natural * 100.0 } else { 100.0 };
            let scale = scale.clamp(20.0, 500.0);
            let _ =
                writeln!(ops, "{} Tz 1 0 0 1 {} {} Tm", num(scale), num(run.x * PT), num((height as f32 - run.y) * PT));
            for piece in pieces {
                used.insert(piece.font);
                let _ = writeln!(ops, "/{} {} Tf <{}> Tj", piece.font.resource(), num(size), piece.hex);
            }
        }
        ops.push_str("ET\n");
        (ops, used)
    }

    fn add_image_page(&mut self, w: u32, h: u32, filter: &str, data: &[u8], text: &PageText) -> io::Result<()> {
        let image = self.offsets.len() + 1;
        let content = image + 1;
        let page = image + 2;
        self.offsets.resize(page, 0);
        self.hash.update(data);
        self.begin_object(image)?;
        write!(
            self.out,
            "<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceRGB /BitsPerComponent 8 \
             /Filter {filter} /Length {} >>\nstream\n",
            data.len()
        )?;
        self.out.write_all(data)?;
        self.out.write_all(b"\nendstream\nendobj\n")?;
        let (pw, ph) = (points(w), points(h));
        let (text_ops, fonts) = self.text_ops(text, h);
        let mut ops = format!("q {pw} 0 0 {ph} 0 0 cm /Im0 Do Q\n");
        ops.push_str(&text_ops);
        self.hash.update(ops.as_bytes());
        let stream = deflate(ops.as_bytes());
        self.begin_object(content)?;
        write!(self.out, "<< /Filter /FlateDecode /Length {} >>\nstream\n", stream.len())?;
        self.out.write_all(&stream)?;
        self.out.write_all(b"\nendstream\nendobj\n")?;
        let mut annots = Vec::new();
        for link in &text.links {
            let number = Self::reserve(&mut self.offsets, 1);
            let (x0, x1) = (link.rect.x * PT, link.rect.right() * PT);
            let (y0, y1) = ((h as f32 - link.rect.bottom()) * PT, (h as f32 - link.rect.y) * PT);
            let annot = format!(
                "<< /Type /Annot /Subtype /Link /Rect [{} {} {} {}] /Border [0 0 0] /A << /Type /Action /S /URI /URI {} >> >>",
                num(x0),
                num(y0),
                num(x1),
                num(y1),
                uri(&link.url)
            );
            self.hash.update(annot.as_bytes());
            self.begin_object(number)?;
            write!(self.out, "{annot}\nendobj\n")?;
            annots.push(format!("{number} 0 R"));
        }
        let annots = if annots.is_empty() { String::new() } else { format!(" /Annots [{}]", annots.join(" ")) };
        let mut resources = format!("/XObject << /Im0 {image} 0 R >>");
        if !fonts.is_empty() {
            resources.push_str(" /Font <<");
            for font in fonts {
                let _ = write!(resources, " /{} {} 0 R", font.resource(), self.fonts.object(font));
            }
            resources.push_str(" >>");
        }
        self.begin_object(page)?;
        write!(
            self.out,
            "<< /Type /Page /Parent {PAGES} 0 R /MediaBox [0 0 {pw} {ph}] /Resources << {resources} >> /Contents {content} 0 R{annots} >>\nendobj\n"
        )?;
        if let Some(bookmark) = &text.bookmark {
            self.bookmarks.push((self.pages.len(), bookmark.clone()));
        }
        self.pages.push(page);
        Ok(())
    }

    /// Writes the outline, one bookmark a page that has one (ISO 32000-1 §12.3.3): each opens
    /// its page whole. Returns the outline's object number, if it has items.
    fn write_outline(&mut self) -> io::Result<Option<usize>> {
        if self.bookmarks.is_empty() {
            return Ok(None);
        }
        let root = Self::reserve(&mut self.offsets, 1 + self.bookmarks.len());
        let count = self.bookmarks.len();
        let bookmarks = std::mem::take(&mut self.bookmarks);
        for (index, (page, title)) in bookmarks.iter().enumerate() {
            let item = root + 1 + index;
            let mut entry = format!("<< /Title {} /Parent {root} 0 R", text(title));
            if index > 0 {
                let _ = write!(entry, " /Prev {} 0 R", item - 1);
            }
            if index + 1 < count {
                let _ = write!(entry, " /Next {} 0 R", item + 1);
            }
            let _ = write!(entry, " /Dest [{} 0 R /Fit] >>", self.pages[*page]);
            self.hash.update(entry.as_bytes());
            self.begin_object(item)?;
            write!(self.out, "{entry}\nendobj\n")?;
        }
        self.begin_object(root)?;
        write!(
            self.out,
            "<< /Type /Outlines /First {} 0 R /Last {} 0 R /Count {count} >>\nendobj\n",
            root + 1,
            root + count
        )?;
        Ok(Some(root))
    }

    /// Writes the page tree, catalog, information, cross-reference table and trailer.
    pub fn finish(mut self) -> io::Result<W> {
        let kids: Vec<String> = self.pages.iter().map(|p| format!("{p} 0 R")).collect();
        let font_objects = self.fonts.objects();
        for (number, body) in font_objects {
            self.begin_object(number)?;
            self.out.write_all(&body)?;
        }
        self.begin_object(PAGES)?;
        write!(self.out, "<< /Type /Pages /Kids [{}] /Count {} >>\nendobj\n", kids.join(" "), self.pages.len())?;
        let outline = self.write_outline()?;
        let mut catalog =
            format!("<< /Type /Catalog /Pages {PAGES} 0 R /ViewerPreferences << /DisplayDocTitle true >>");
        if let Some(outline) = outline {
            let _ = write!(catalog, " /Outlines {outline} 0 R");
        }
        if let Some(language) = &self.meta.language {
            // An ASCII string, as readers expect it; a tag is letters, digits and hyphens.
            let tag: String = language.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
            let _ = write!(catalog, " /Lang ({tag})");
        }
        catalog.push_str(" >>");
        self.hash.update(catalog.as_bytes());
        self.begin_object(CATALOG)?;
        write!(self.out, "{catalog}\nendobj\n")?;
        let mut info = format!(
            "<< /Title {} /Creator {} /Producer {}",
            text(&self.meta.title),
            text(&self.meta.creator),
            text(&self.meta.creator)
        );
        if let Some(author) = &self.meta.author {
            info.push_str(&format!(" /Author {}", text(author)));
        }
        if let Some(subject) = &self.meta.subject {
            info.push_str(&format!(" /Subject {}", text(subject)));
        }
        if !self.meta.keywords.is_empty() {
            info.push_str(&format!(" /Keywords {}", text(&self.meta.keywords.join(", "))));
        }
        info.push_str(" >>");
        self.hash.update(info.as_bytes());
        self.begin_object(INFO)?;
        write!(self.out, "{info}\nendobj\n")?;
        let xref = self.out.written;
        write!(self.out, "xref\n0 {}\n0000000000 65535 f \n", self.offsets.len() + 1)?;
        for offset in &self.offsets {
            writeln!(self.out, "{offset:010} 00000 n ")?;
        }
        let id = self.hash.hex();
        write!(
            self.out,
            "trailer\n<< /Size {} /Root {CATALOG} 0 R /Info {INFO} 0 R /ID [<{id}> <{id}>] >>\nstartxref\n{xref}\n%%EOF\n",
            self.offsets.len() + 1
        )?;
        self.out.inner.flush()?;
        Ok(self.out.inner)
    }
}

/// Pixels to points at 96 dpi, written without needless decimals.
fn points(pixels: u32) -> String {
    crate::geom::num(pixels as f32 * 0.75)
}

/// A URI as a PDF string: 7-bit ASCII (ISO 32000-1 §12.6.4.7), anything else percent-encoded as
/// UTF-8, and the string's own delimiters escaped.
fn uri(url: &str) -> String {
    let mut out = String::from("(");
    for byte in url.bytes() {
        match byte {
            b'(' | b')' | b'\\' => {
                out.push('\\');
                out.push(char::from(byte));
            }
            0x21..=0x7e => out.push(char::from(byte)),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out.push(')');
    out
}

/// A PDF text string: UTF-16BE with a byte-order mark, in hex, so any script survives.
fn text(value: &str) -> String {
    let mut hex = String::from("<FEFF");
    for unit in value.encode_utf16() {
        hex.push_str(&format!("{unit:04X}"));
    }
    hex.push('>');
    hex
}

struct CountingWriter<W: Write> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for CountingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Two 64-bit FNV-1a hashes (different offsets) for a 128-bit document ID.
struct Fnv(u64, u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf29ce484222325, 0x84222325cbf29ce4)
    }
    fn update(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x100000001b3);
            self.1 = (self.1 ^ b as u64).wrapping_mul(0x100000001b3).rotate_left(5);
        }
    }
    fn hex(&self) -> String {
        format!("{:016X}{:016X}", self.0, self.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::png::encode_png;

    fn page(width: u32, height: u32, shade: u8) -> EncodedPng {
        let pixels: Vec<u8> = (0..width * height).flat_map(|_| [shade, 100, 50, 255]).collect();
        encode_png(width, height, &pixels).unwrap()
    }

    fn build() -> Vec<u8> {
        let meta = PdfMeta {
            title: "Dashboard 4s → 200ms".into(),
            author: Some("Jane Doe".into()),
            creator: "carousel test".into(),
            ..PdfMeta::default()
        };
        let mut writer = PdfWriter::new(Vec::new(), meta).unwrap();
        writer.add_page(&page(40, 50, 10), &PageText::default()).unwrap();
        writer.add_page(&page(30, 30, 200), &PageText::default()).unwrap();
        writer.finish().unwrap()
    }

    #[test]
    fn xref_offsets_point_at_their_objects() {
        let pdf = build();
        // Offsets are bytes; the tail after the last image is plain ASCII.
        let text = String::from_utf8_lossy(&pdf).into_owned();
        let tail_at = pdf.windows(6).rposition(|w| w == b"\nxref\n").unwrap() + 1;
        let tail = std::str::from_utf8(&pdf[tail_at..]).unwrap();
        let xref_at: usize = tail.rsplit("startxref\n").next().unwrap().lines().next().unwrap().parse().unwrap();
        assert_eq!(xref_at, tail_at);
        let entries: Vec<&str> = tail.lines().skip(3).take_while(|l| l.ends_with(" n ")).collect();
        assert_eq!(entries.len(), 9);
        for (index, entry) in entries.iter().enumerate() {
            let offset: usize = entry[..10].parse().unwrap();
            assert!(pdf[offset..].starts_with(format!("{} 0 obj", index + 1).as_bytes()), "object {}", index + 1);
        }
        assert!(text.contains("/MediaBox [0 0 30 37.5]"));
        assert!(text.contains("/Count 2"));
        assert!(text.ends_with("%%EOF\n"));
    }

    #[test]
    fn same_input_same_bytes() {
        assert_eq!(build(), build());
    }

    #[test]
    fn uris_are_ascii_strings() {
        assert_eq!(uri("https://x.org/a_(b) é"), "(https://x.org/a_\\(b\\)%20%C3%A9)");
    }

    #[test]
    fn metadata_is_utf16() {
        assert_eq!(text("A→"), "<FEFF00412192>");
    }
}
