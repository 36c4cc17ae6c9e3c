//! The bundled fonts: the only fonts carousel ever uses.
//!
//! Every face ships in `fonts/` and is compiled into the binary, so output never depends on the
//! fonts of the machine. This module owns the font bytes and hands out two views of the same
//! faces: a `fontdb::Database` for usvg (rendering) and a parley `FontContext` (measuring and
//! line breaking). Measuring and rendering with the very same faces is what lets the layout stage
//! promise that text never leaves its box.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use parley::fontique::{Blob, Collection, CollectionOptions, SourceCache};
use parley::FontContext;
use resvg::usvg::fontdb;

/// Family name of the sans face used for all prose.
pub const SANS: &str = "Inter";
/// Family name of the monospace face used for code.
pub const MONO: &str = "JetBrains Mono";
/// Family name of the colour emoji face.
pub const EMOJI: &str = "Noto Color Emoji";
/// Family name of the symbol fallback (arrows, check marks, math) that Inter lacks.
pub const SYMBOLS: &str = "DejaVu Sans";

/// One bundled face: its bytes and the SVG attributes that select it again in usvg or a browser.
struct BundledFace {
    bytes: &'static [u8],
    family: &'static str,
    weight: u16,
    italic: bool,
}

const BUNDLED: &[BundledFace] = &[
    face(include_bytes!("../fonts/Inter-Regular.otf"), SANS, 400, false),
    face(include_bytes!("../fonts/Inter-Italic.otf"), SANS, 400, true),
    face(include_bytes!("../fonts/Inter-Bold.otf"), SANS, 700, false),
    face(include_bytes!("../fonts/Inter-BoldItalic.otf"), SANS, 700, true),
    face(include_bytes!("../fonts/Inter-ExtraBold.otf"), SANS, 800, false),
    face(include_bytes!("../fonts/JetBrainsMono-Regular.ttf"), MONO, 400, false),
    face(include_bytes!("../fonts/JetBrainsMono-Bold.ttf"), MONO, 700, false),
    face(include_bytes!("../fonts/DejaVuSans.ttf"), SYMBOLS, 400, false),
    face(include_bytes!("../fonts/NotoColorEmoji.ttf"), EMOJI, 400, false),
];

const fn face(bytes: &'static [u8], family: &'static str, weight: u16, italic: bool) -> BundledFace {
    BundledFace { bytes, family, weight, italic }
}

/// How a shaped run's face is named in SVG (`font-family`, `font-weight`, `font-style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FaceRef {
    /// CSS family name.
    pub family: &'static str,
    /// CSS weight (400 regular, 700 bold, 800 extra bold).
    pub weight: u16,
    /// Whether the face is italic.
    pub italic: bool,
}

/// The bytes of a bundled face (for embedding it in a PDF), if `face` names one.
pub fn bytes_of(face: FaceRef) -> Option<&'static [u8]> {
    BUNDLED
        .iter()
        .find(|b| b.family == face.family && b.weight == face.weight && b.italic == face.italic)
        .map(|b| b.bytes)
}

/// The shared, immutable font set. Cheap to clone; parse once per process.
pub struct Fonts {
    fontdb: Arc<fontdb::Database>,
    collection: Collection,
    faces_by_blob: HashMap<u64, FaceRef>,
}

impl Fonts {
    /// The process-wide font set, built on first use.
    pub fn shared() -> &'static Fonts {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        FONTS.get_or_init(Fonts::load)
    }

    fn load() -> Fonts {
        let mut db = fontdb::Database::new();
        let mut collection = Collection::new(CollectionOptions { shared: false, system_fonts: false });
        let mut faces_by_blob = HashMap::new();
        for bundled in BUNDLED {
            // The bytes are static: hand fontdb a reference rather than a 10 MB copy of the emoji font.
            db.load_font_source(fontdb::Source::Binary(Arc::new(bundled.bytes)));
            let blob = Blob::new(Arc::new(bundled.bytes));
            faces_by_blob
                .insert(blob.id(), FaceRef { family: bundled.family, weight: bundled.weight, italic: bundled.italic });
            collection.register_fonts(blob, None);
        }
        Fonts { fontdb: Arc::new(db), collection, faces_by_blob }
    }

    /// The font database usvg resolves `font-family` against.
    pub fn fontdb(&self) -> Arc<fontdb::Database> {
        Arc::clone(&self.fontdb)
    }

    /// A fresh parley context over the bundled faces (one per thread: parley needs `&mut`).
    pub fn font_context(&self) -> FontContext {
        FontContext { collection: self.collection.clone(), source_cache: SourceCache::default() }
    }

    /// The SVG name of the face parley chose for a run, if it is one of ours (it always is:
    /// no other face is registered).
    pub fn face_of(&self, font: &parley::FontData) -> Option<FaceRef> {
        self.faces_by_blob.get(&font.data.id()).copied()
    }
}
