//! PDF fonts: the bundled faces embedded as subsets, for the PDF's invisible text layer.
//!
//! Owns turning a run of text in one of our faces into the bytes a PDF content stream shows
//! (glyph ids, two bytes each, in a Type0 font with `Identity-H`), and, once the document is
//! done, the font objects themselves: each face that was used becomes a subset holding only its
//! glyphs ([`subsetter`]; Inter's CFF as `FontFile3 /CIDFontType0C`, the TrueType faces as
//! `FontFile2`), with its widths and a `ToUnicode` map, so that search, selection and copy give
//! back the very characters the slide draws. Glyphs are looked up one character at a time in the
//! face's `cmap` (no shaping: the text is never painted, so ligatures and kerning do not matter,
//! and the page's scaling (`Tz`) stretches each run to the width it is drawn at).
//!
//! A grapheme the face has no plain glyph for (the colour emoji, whose face has bitmaps and no
//! outlines to embed, or a character with a variation selector), and any text in a face that is
//! not bundled (a deck's own `fonts:` files, a system CJK face), goes into a Type3 font whose
//! glyphs draw nothing: each code stands for the whole grapheme in the `ToUnicode` map, so
//! `👩‍💻` copies as `👩‍💻`. A Type3 font holds 255 codes; more start another.
//!
//! Everything is in first-use order and keyed by content, so the same deck gives the same bytes.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};
use unicode_segmentation::UnicodeSegmentation;

use crate::fonts::{FaceRef, EMOJI};

/// Object numbers each embedded face takes: Type0 font, CID font, descriptor, font file, ToUnicode.
const FACE_OBJECTS: usize = 5;
/// Codes of one Type3 font (code 0 is left unused).
const TYPE3_CODES: usize = 255;
/// The width of every blank glyph, in 1/1000 em: half an em, the width poppler takes for a
/// Type3 font's glyphs when it guesses the font's size from them (a wider glyph makes it think
/// the text larger, and set the emoji apart from its line). The page's `Tz` stretches the run
/// to its drawn width anyway.
const BLANK_WIDTH: f32 = 500.0;

/// Which PDF font a piece of text is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FontKey {
    /// The embedded subset of a bundled face, by its index among the faces used.
    Face(usize),
    /// A Type3 font of blank glyphs, by its index.
    Blank(usize),
}

impl FontKey {
    /// The font's resource name on a page.
    pub fn resource(self) -> String {
        match self {
            FontKey::Face(i) => format!("F{i}"),
            FontKey::Blank(i) => format!("T{i}"),
        }
    }
}

/// A stretch of a run in one font: the codes to show, in hex, and their natural width in
/// thousandths of an em.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    /// The font.
    pub font: FontKey,
    /// The string operand of `Tj`, hex digits.
    pub hex: String,
    /// Glyphs shown.
    pub glyphs: usize,
    /// Sum of the glyphs' widths, in 1/1000 em.
    pub width: f32,
}

struct Face {
    face: FaceRef,
    font: FontRef<'static>,
    first_object: usize,
    units_per_em: f32,
    remapper: subsetter::GlyphRemapper,
    /// New glyph id -> (the text it stands for, width in 1/1000 em).
    glyphs: BTreeMap<u16, (String, f32)>,
}

struct Blank {
    first_object: usize,
    /// Code - 1 -> the grapheme.
    codes: Vec<String>,
}

/// The fonts of one document: what every page showed so far.
#[derive(Default)]
pub struct PdfFonts {
    faces: Vec<Face>,
    blanks: Vec<Blank>,
    /// Grapheme -> (Type3 font, code).
    blank_codes: HashMap<String, (usize, u8)>,
}

impl PdfFonts {
    /// The object number of `key`'s font dictionary.
    pub fn object(&self, key: FontKey) -> usize {
        match key {
            FontKey::Face(i) => self.faces[i].first_object,
            FontKey::Blank(i) => self.blanks[i].first_object,
        }
    }

    /// The pieces that show `text` set in `face`, left to right: a right-to-left run (`rtl`)
    /// is shown last grapheme first, as it is drawn, so that a reader that orders characters
    /// by position gives them back in their logical order. `reserve(n)` hands out `n`
    /// consecutive new object numbers, for a font seen for the first time.
    pub fn encode(
        &mut self,
        face: FaceRef,
        text: &str,
        rtl: bool,
        reserve: &mut impl FnMut(usize) -> usize,
    ) -> Vec<Piece> {
        let mut pieces: Vec<Piece> = Vec::new();
        let face_index = if face.family == EMOJI { None } else { self.face_index(face, reserve) };
        let mut graphemes: Vec<&str> = text.graphemes(true).collect();
        if rtl {
            graphemes.reverse();
        }
        for grapheme in graphemes {
            if grapheme.chars().all(char::is_control) {
                continue;
            }
            let shown = face_index.and_then(|index| self.face_glyphs(index, grapheme));
            let (font, codes) = match shown {
                Some(codes) => (FontKey::Face(face_index.unwrap_or_default()), codes),
                None => {
                    let (font, code) = self.blank_code(grapheme, reserve);
                    (FontKey::Blank(font), vec![(format!("{code:02X}"), BLANK_WIDTH)])
                }
            };
            match pieces.last_mut() {
                Some(last) if last.font == font => {}
                _ => pieces.push(Piece { font, hex: String::new(), glyphs: 0, width: 0.0 }),
            }
            let piece = pieces.last_mut().expect("pushed above");
            for (hex, width) in codes {
                piece.hex.push_str(&hex);
                piece.glyphs += 1;
                piece.width += width;
            }
        }
        pieces
    }

    fn face_index(&mut self, face: FaceRef, reserve: &mut impl FnMut(usize) -> usize) -> Option<usize> {
        if let Some(index) = self.faces.iter().position(|f| f.face == face) {
            return Some(index);
        }
        let bytes = crate::fonts::bytes_of(face)?;
        let font = FontRef::new(bytes).ok()?;
        let units_per_em = f32::from(font.metrics(Size::unscaled(), LocationRef::default()).units_per_em.max(1));
        self.faces.push(Face {
            face,
            font,
            first_object: reserve(FACE_OBJECTS),
            units_per_em,
            remapper: subsetter::GlyphRemapper::new(),
            glyphs: BTreeMap::new(),
        });
        Some(self.faces.len() - 1)
    }

    /// The new glyph ids (hex) and widths of a grapheme's characters, when the face has a glyph
    /// for each of them.
    fn face_glyphs(&mut self, index: usize, grapheme: &str) -> Option<Vec<(String, f32)>> {
        let face = &mut self.faces[index];
        let charmap = face.font.charmap();
        let metrics = face.font.glyph_metrics(Size::unscaled(), LocationRef::default());
        let mut out = Vec::new();
        for c in grapheme.chars() {
            let gid = charmap.map(c).filter(|g| g.to_u32() != 0)?;
            let old = u16::try_from(gid.to_u32()).ok()?;
            let width = metrics.advance_width(gid).unwrap_or(0.0) * 1000.0 / face.units_per_em;
            let new = face.remapper.remap(old);
            face.glyphs.entry(new).or_insert_with(|| (c.to_string(), width));
            out.push((format!("{new:04X}"), width));
        }
        Some(out)
    }

    fn blank_code(&mut self, grapheme: &str, reserve: &mut impl FnMut(usize) -> usize) -> (usize, u8) {
        if let Some(found) = self.blank_codes.get(grapheme) {
            return *found;
        }
        if self.blanks.last().is_none_or(|b| b.codes.len() >= TYPE3_CODES) {
            // The font dictionary, its ToUnicode map and the one glyph procedure all codes share.
            self.blanks.push(Blank { first_object: reserve(3), codes: Vec::new() });
        }
        let index = self.blanks.len() - 1;
        let blank = &mut self.blanks[index];
        blank.codes.push(grapheme.to_string());
        let code = u8::try_from(blank.codes.len()).unwrap_or(u8::MAX);
        self.blank_codes.insert(grapheme.to_string(), (index, code));
        (index, code)
    }

    /// Every font object, as (object number, bytes of the object's body after `N 0 obj\n`, up to
    /// and including `endobj`).
    pub fn objects(&self) -> Vec<(usize, Vec<u8>)> {
        let mut objects = Vec::new();
        for face in &self.faces {
            face_objects(face, &mut objects);
        }
        for blank in &self.blanks {
            blank_objects(blank, &mut objects);
        }
        objects
    }
}

/// The width of `text` set in `face`, in 1/1000 em, from the face's advances (half an em for a
/// character it has no glyph for): for finding where a part of a run is drawn.
pub fn text_width(face: FaceRef, text: &str) -> f32 {
    let Some(font) = crate::fonts::bytes_of(face).and_then(|bytes| FontRef::new(bytes).ok()) else {
        return text.chars().count() as f32 * BLANK_WIDTH;
    };
    let upem = f32::from(font.metrics(Size::unscaled(), LocationRef::default()).units_per_em.max(1));
    let (charmap, metrics) = (font.charmap(), font.glyph_metrics(Size::unscaled(), LocationRef::default()));
    text.chars()
        .map(|c| charmap.map(c).and_then(|gid| metrics.advance_width(gid)).map_or(BLANK_WIDTH, |w| w * 1000.0 / upem))
        .sum()
}

/// The PostScript-style name of a face (`Inter-BoldItalic`, `JetBrainsMono-Regular`).
fn base_name(face: FaceRef) -> String {
    let family: String = face.family.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let weight = match face.weight {
        w if w >= 800 => "ExtraBold",
        w if w >= 700 => "Bold",
        _ => "",
    };
    let style = match (weight, face.italic) {
        ("", false) => "Regular".to_string(),
        ("", true) => "Italic".to_string(),
        (w, true) => format!("{w}Italic"),
        (w, false) => w.to_string(),
    };
    format!("{family}-{style}")
}

/// Six capital letters naming a subset, from the glyphs it holds (ISO 32000-1 §9.6.4).
fn subset_tag(face: &Face) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for gid in face.remapper.remapped_gids() {
        for byte in gid.to_be_bytes() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3);
        }
    }
    (0..6)
        .map(|i| {
            let letter = (hash >> (i * 10)) % 26;
            char::from(b'A' + letter as u8)
        })
        .collect()
}

fn stream_object(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut out = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream\nendobj\n");
    out
}

/// Deflates `data` (zlib), for a `/FlateDecode` stream.
pub fn deflate(data: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}

/// The table `tag` of an OpenType file.
fn table<'a>(font: &'a [u8], tag: &[u8; 4]) -> Option<&'a [u8]> {
    let count = usize::from(u16::from_be_bytes(font.get(4..6)?.try_into().ok()?));
    (0..count).find_map(|i| {
        let record = font.get(12 + i * 16..28 + i * 16)?;
        if &record[..4] != tag {
            return None;
        }
        let offset = u32::from_be_bytes(record[8..12].try_into().ok()?) as usize;
        let length = u32::from_be_bytes(record[12..16].try_into().ok()?) as usize;
        font.get(offset..offset.checked_add(length)?)
    })
}

fn face_objects(face: &Face, objects: &mut Vec<(usize, Vec<u8>)>) {
    let [type0, cid, descriptor, file, to_unicode] = [0, 1, 2, 3, 4].map(|i| face.first_object + i);
    let name = format!("{}+{}", subset_tag(face), base_name(face.face));
    let bytes = crate::fonts::bytes_of(face.face).unwrap_or_default();
    let subset = subsetter::subset(bytes, 0, &face.remapper).ok();
    let cff = subset.as_deref().and_then(|s| table(s, b"CFF "));
    let (subtype, file_key, file_data, file_dict) = match (cff, &subset) {
        (Some(cff), _) => ("CIDFontType0", "FontFile3", cff.to_vec(), "/Subtype /CIDFontType0C /Filter /FlateDecode"),
        (None, Some(ttf)) => ("CIDFontType2", "FontFile2", ttf.clone(), "/Filter /FlateDecode"),
        // A face the subsetter refuses (none of ours): shown, unembedded, by name.
        (None, None) => ("CIDFontType2", "", Vec::new(), ""),
    };
    objects.push((
        type0,
        format!(
            "<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H /DescendantFonts [{cid} 0 R] \
             /ToUnicode {to_unicode} 0 R >>\nendobj\n"
        )
        .into_bytes(),
    ));
    let mut widths = String::new();
    for (gid, (_, width)) in &face.glyphs {
        let _ = write!(widths, "{gid} [{}] ", crate::geom::num(*width));
    }
    let gid_map = if subtype == "CIDFontType2" { " /CIDToGIDMap /Identity" } else { "" };
    objects.push((
        cid,
        format!(
            "<< /Type /Font /Subtype /{subtype} /BaseFont /{name} /CIDSystemInfo << /Registry (Adobe) /Ordering \
             (Identity) /Supplement 0 >> /FontDescriptor {descriptor} 0 R /DW 0 /W [{}]{gid_map} >>\nendobj\n",
            widths.trim_end()
        )
        .into_bytes(),
    ));
    let metrics = face.font.metrics(Size::unscaled(), LocationRef::default());
    let scale = |v: f32| crate::geom::num(v * 1000.0 / face.units_per_em);
    let bbox = metrics.bounds.map_or_else(
        || "0 0 1000 1000".to_string(),
        |b| format!("{} {} {} {}", scale(b.x_min), scale(b.y_min), scale(b.x_max), scale(b.y_max)),
    );
    // Nonsymbolic (32) with the standard Latin set, italic (64) when it leans.
    let flags = 32 | if face.face.italic { 64 } else { 0 } | if metrics.is_monospace { 1 } else { 0 };
    let file_entry = if file_key.is_empty() { String::new() } else { format!(" /{file_key} {file} 0 R") };
    objects.push((
        descriptor,
        format!(
            "<< /Type /FontDescriptor /FontName /{name} /Flags {flags} /FontBBox [{bbox}] /ItalicAngle {} /Ascent {} \
             /Descent {} /CapHeight {} /StemV 80{file_entry} >>\nendobj\n",
            crate::geom::num(metrics.italic_angle),
            scale(metrics.ascent),
            scale(metrics.descent),
            scale(metrics.cap_height.unwrap_or(metrics.ascent)),
        )
        .into_bytes(),
    ));
    let file_body = if file_key.is_empty() {
        b"null\nendobj\n".to_vec()
    } else {
        let mut dict = file_dict.to_string();
        if file_key == "FontFile2" {
            let _ = write!(dict, " /Length1 {}", file_data.len());
        }
        stream_object(&dict, &deflate(&file_data))
    };
    objects.push((file, file_body));
    let entries = face.glyphs.iter().map(|(gid, (text, _))| (format!("{gid:04X}"), text.as_str()));
    let cmap = to_unicode_cmap("<0000> <FFFF>", entries);
    objects.push((to_unicode, stream_object("/Filter /FlateDecode", &deflate(cmap.as_bytes()))));
}

fn blank_objects(blank: &Blank, objects: &mut Vec<(usize, Vec<u8>)>) {
    let (font, to_unicode, glyph) = (blank.first_object, blank.first_object + 1, blank.first_object + 2);
    let mut procs = String::new();
    let mut names = String::new();
    let mut widths = String::new();
    for index in 1..=blank.codes.len() {
        let _ = write!(procs, "/g{index} {glyph} 0 R ");
        let _ = write!(names, "/g{index} ");
        let _ = write!(widths, "{} ", crate::geom::num(BLANK_WIDTH));
    }
    objects.push((
        font,
        format!(
            "<< /Type /Font /Subtype /Type3 /FontBBox [0 0 0 0] /FontMatrix [0.001 0 0 0.001 0 0] /CharProcs << {}>> \
             /Encoding << /Type /Encoding /Differences [1 {}] >> /FirstChar 1 /LastChar {} /Widths [{}] \
             /Resources << >> /ToUnicode {to_unicode} 0 R >>\nendobj\n",
            procs,
            names.trim_end(),
            blank.codes.len(),
            widths.trim_end()
        )
        .into_bytes(),
    ));
    let entries = blank.codes.iter().enumerate().map(|(i, text)| (format!("{:02X}", i + 1), text.as_str()));
    let cmap = to_unicode_cmap("<00> <FF>", entries);
    objects.push((to_unicode, stream_object("/Filter /FlateDecode", &deflate(cmap.as_bytes()))));
    // A glyph that only sets its width and draws nothing.
    let body = format!("{} 0 d0", crate::geom::num(BLANK_WIDTH));
    objects.push((glyph, stream_object("", body.as_bytes())));
}

/// A ToUnicode CMap (ISO 32000-1 §9.10.3) over `range`, mapping each code (hex) to its text.
fn to_unicode_cmap<'a>(range: &str, entries: impl Iterator<Item = (String, &'a str)>) -> String {
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) \
         /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n",
    );
    let _ = writeln!(out, "1 begincodespacerange\n{range}\nendcodespacerange");
    let entries: Vec<(String, &str)> = entries.collect();
    // At most 100 mappings a block.
    for block in entries.chunks(100) {
        let _ = writeln!(out, "{} beginbfchar", block.len());
        for (code, text) in block {
            let utf16: String = text.encode_utf16().map(|u| format!("{u:04X}")).collect();
            let _ = writeln!(out, "<{code}> <{utf16}>");
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::SANS;

    fn reserve_from(next: &mut usize) -> impl FnMut(usize) -> usize + '_ {
        move |n| {
            let first = *next;
            *next += n;
            first
        }
    }

    #[test]
    fn text_becomes_glyphs_of_the_face_and_emoji_blank_codes() {
        let mut fonts = PdfFonts::default();
        let mut next = 10;
        let sans = FaceRef { family: SANS, weight: 400, italic: false };
        let pieces = fonts.encode(sans, "Hi 👩‍💻", false, &mut reserve_from(&mut next));
        assert_eq!(pieces.len(), 2, "{pieces:?}");
        assert_eq!(pieces[0].font, FontKey::Face(0));
        assert_eq!(pieces[0].glyphs, 3);
        assert_eq!(pieces[0].hex, "000100020003");
        assert_eq!(pieces[1].font, FontKey::Blank(0));
        assert_eq!(pieces[1].hex, "01");
        // The same grapheme again has the same code.
        let again = fonts.encode(sans, "👩‍💻", false, &mut reserve_from(&mut next));
        assert_eq!(again[0].hex, "01");
        assert_eq!(next, 10 + FACE_OBJECTS + 3);
        let objects = fonts.objects();
        let all: Vec<u8> = objects.iter().flat_map(|(_, body)| body.clone()).collect();
        let text = String::from_utf8_lossy(&all);
        assert!(text.contains("/BaseFont /"), "{text}");
        assert!(text.contains("+Inter-Regular"));
        assert!(text.contains("/FontFile3"));
        assert!(text.contains("/Subtype /Type3"));
    }

    #[test]
    fn the_cmap_maps_codes_to_utf16() {
        let cmap = to_unicode_cmap("<00> <FF>", [("01".to_string(), "😀")].into_iter());
        assert!(cmap.contains("1 beginbfchar\n<01> <D83DDE00>\n"), "{cmap}");
    }

    #[test]
    fn names_follow_the_postscript_style() {
        assert_eq!(base_name(FaceRef { family: SANS, weight: 700, italic: true }), "Inter-BoldItalic");
        assert_eq!(
            base_name(FaceRef { family: "JetBrains Mono", weight: 400, italic: false }),
            "JetBrainsMono-Regular"
        );
    }
}
