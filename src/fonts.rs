//! The fonts: the bundled faces, the author's own, and the system's for scripts we do not bundle.
//!
//! Every bundled face ships in `fonts/` and is compiled into the binary: Latin, Greek and Cyrillic
//! (Inter), code (JetBrains Mono), emoji, symbols, and the scripts of Arabic, Hebrew, Devanagari,
//! Bengali, Tamil and Thai (Noto). Two more sources join on demand, never for a deck that does
//! not need them: the font files a deck names (`fonts:`), and, for characters no bundled face
//! has (CJK above all: its fonts are tens of megabytes), the installed fonts of the machine.
//!
//! This module owns the font bytes and hands out two views of the same faces: a
//! `fontdb::Database` for usvg (rendering) and a parley `FontContext` (measuring and line
//! breaking). Measuring and rendering with the very same faces is what lets the layout stage
//! promise that text never leaves its box. The set only grows (faces are added, never replaced),
//! so a deck that does not name a face is set exactly as it would be without it.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::SystemTime;

use parley::fontique::{Blob, CharmapIndex, Collection, CollectionOptions, SourceCache};
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
/// The bundled families for scripts Inter lacks, tried in this order after the emoji. Arabic and
/// Hebrew come before DejaVu Sans, which has a few of their letters but not their shaping.
pub const SCRIPTS: [&str; 6] = [
    "Noto Sans Arabic",
    "Noto Sans Hebrew",
    "Noto Sans Devanagari",
    "Noto Sans Bengali",
    "Noto Sans Tamil",
    "Noto Sans Thai",
];

/// The largest font file read, bundled or not (a CJK collection is about 20 MB).
pub const MAX_FONT_BYTES: u64 = 64 * 1024 * 1024;
/// The most font files one scan of the system's font folders opens.
const MAX_SCANNED_FILES: usize = 4000;

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

/// The bundled faces of other scripts, registered only when a text needs them: a deck in
/// English parses none of them.
const SCRIPT_FACES: &[BundledFace] = &[
    face(include_bytes!("../fonts/NotoSansArabic-Regular.ttf"), SCRIPTS[0], 400, false),
    face(include_bytes!("../fonts/NotoSansArabic-Bold.ttf"), SCRIPTS[0], 700, false),
    face(include_bytes!("../fonts/NotoSansHebrew-Regular.ttf"), SCRIPTS[1], 400, false),
    face(include_bytes!("../fonts/NotoSansHebrew-Bold.ttf"), SCRIPTS[1], 700, false),
    face(include_bytes!("../fonts/NotoSansDevanagari-Regular.ttf"), SCRIPTS[2], 400, false),
    face(include_bytes!("../fonts/NotoSansDevanagari-Bold.ttf"), SCRIPTS[2], 700, false),
    face(include_bytes!("../fonts/NotoSansBengali-Regular.ttf"), SCRIPTS[3], 400, false),
    face(include_bytes!("../fonts/NotoSansBengali-Bold.ttf"), SCRIPTS[3], 700, false),
    face(include_bytes!("../fonts/NotoSansTamil-Regular.ttf"), SCRIPTS[4], 400, false),
    face(include_bytes!("../fonts/NotoSansTamil-Bold.ttf"), SCRIPTS[4], 700, false),
    face(include_bytes!("../fonts/NotoSansThai-Regular.ttf"), SCRIPTS[5], 400, false),
    face(include_bytes!("../fonts/NotoSansThai-Bold.ttf"), SCRIPTS[5], 700, false),
];

/// Family of the editorial look's serif titles.
pub const SERIF_DISPLAY: &str = "Noto Serif Display";
/// Family of the bold look's heavy titles.
pub const SPARTAN: &str = "League Spartan";

/// The title faces of the looks (`look:`), registered only for a deck in a look that names
/// them: a deck in the default look parses none of them.
const LOOK_FACES: &[BundledFace] = &[
    face(include_bytes!("../fonts/NotoSerifDisplay-SemiBold.ttf"), SERIF_DISPLAY, 600, false),
    face(include_bytes!("../fonts/LeagueSpartan-Bold.otf"), SPARTAN, 700, false),
    face(include_bytes!("../fonts/LeagueSpartan-ExtraBold.otf"), SPARTAN, 800, false),
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
        .chain(SCRIPT_FACES)
        .chain(LOOK_FACES)
        .find(|b| b.family == face.family && b.weight == face.weight && b.italic == face.italic)
        .map(|b| b.bytes)
}

/// Why a font file could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FontError {
    /// The file could not be read.
    #[error("cannot read {path}: {why}")]
    Unreadable {
        /// The file.
        path: String,
        /// What went wrong.
        why: String,
    },
    /// The file is larger than [`MAX_FONT_BYTES`].
    #[error("{path} is larger than {max} bytes, the most a font file may be")]
    TooLarge {
        /// The file.
        path: String,
        /// The limit.
        max: u64,
    },
    /// The bytes are not a TrueType, OpenType or collection font.
    #[error("{path} is not a TrueType or OpenType font (TTF, OTF or TTC)")]
    NotAFont {
        /// The file.
        path: String,
    },
}

/// One face of the set, with what is needed to ask which characters it has.
#[derive(Clone)]
struct Face {
    face: FaceRef,
    data: Blob<u8>,
    charmap: CharmapIndex,
}

impl Face {
    fn has(&self, c: char) -> bool {
        self.charmap.charmap(self.data.as_ref()).and_then(|map| map.map(c)).is_some_and(|glyph| glyph != 0)
    }
}

/// A state of the font set: everything registered so far. Immutable once built; a typesetter
/// and a render hold the state they started with.
pub struct FontSet {
    fontdb: Arc<fontdb::Database>,
    collection: Collection,
    faces: Vec<Face>,
    by_blob: HashMap<(u64, u32), usize>,
    /// Families found on the system for characters nothing bundled has, in the order found.
    fallbacks: Vec<&'static str>,
    /// What the faces added beyond the bundled ones are, for cache keys: (family, weight,
    /// italic, xxh3 of the file).
    extra: Vec<(&'static str, u16, bool, u64)>,
}

impl FontSet {
    /// The font database usvg resolves `font-family` against.
    pub fn fontdb(&self) -> Arc<fontdb::Database> {
        Arc::clone(&self.fontdb)
    }

    /// A fresh parley context over these faces (one per thread: parley needs `&mut`).
    pub fn font_context(&self) -> FontContext {
        FontContext { collection: self.collection.clone(), source_cache: SourceCache::default() }
    }

    /// The SVG name of the face parley chose for a run, if it is one of ours (it always is:
    /// no other face is registered).
    pub fn face_of(&self, font: &parley::FontData) -> Option<FaceRef> {
        self.by_blob.get(&(font.data.id(), font.index)).map(|&i| self.faces[i].face)
    }

    /// Whether a face of `family` has a glyph for `c`.
    pub fn family_has(&self, family: &str, c: char) -> bool {
        self.faces.iter().any(|f| f.face.family.eq_ignore_ascii_case(family) && f.has(c))
    }

    /// Whether a face other than the symbol fallback has `c`: DejaVu Sans has some Arabic and
    /// Hebrew letters, but the script's own face is loaded for them all the same.
    pub fn has_own_face(&self, c: char) -> bool {
        self.faces.iter().any(|f| f.face.family != SYMBOLS && f.has(c))
    }

    /// Whether any face of the set has a glyph for `c`.
    pub fn any_has(&self, c: char) -> bool {
        self.faces.iter().any(|f| f.has(c))
    }

    /// Grows whenever a face or a fallback is added: a cache of anything built from the set
    /// (usvg's options) is stale when it differs.
    pub fn generation(&self) -> usize {
        self.faces.len() * 1024 + self.fallbacks.len()
    }

    /// The families found on the system for characters no bundled face has.
    pub fn fallbacks(&self) -> &[&'static str] {
        &self.fallbacks
    }

    /// Every family of the set, for did-you-mean.
    pub fn families(&self) -> Vec<&'static str> {
        let mut seen = Vec::new();
        for face in &self.faces {
            if !seen.contains(&face.face.family) {
                seen.push(face.face.family);
            }
        }
        seen
    }

    /// The weights (and italics) a family has.
    pub fn faces_of(&self, family: &str) -> Vec<FaceRef> {
        self.faces.iter().filter(|f| f.face.family.eq_ignore_ascii_case(family)).map(|f| f.face).collect()
    }

    /// A fingerprint of the faces beyond the bundled ones that `families` can reach, for the
    /// slide cache: output is byte-identical wherever the same fonts are found.
    pub fn fingerprint(&self, families: &[&str]) -> u64 {
        let mut key = String::new();
        for (family, weight, italic, hash) in &self.extra {
            if families.iter().any(|f| f.eq_ignore_ascii_case(family)) {
                key.push_str(&format!("{family}/{weight}/{italic}/{hash:x};"));
            }
        }
        xxhash_rust::xxh3::xxh3_64(key.as_bytes())
    }
}

/// The process-wide font set. Append-only: a deck that needs more faces adds them, and the
/// typesetters and renders started after that see them.
pub struct Fonts {
    state: RwLock<Arc<FontSet>>,
    /// Files already added, by content hash, with the faces they gave.
    added: Mutex<HashMap<u64, Vec<FaceRef>>>,
    /// Files of the system already opened in the search for a character, found or not.
    searched: Mutex<HashSet<PathBuf>>,
    /// The last walk of the system's font folders, reused while none of its folders changed.
    scan: Mutex<Option<FolderScan>>,
    /// Which of [`SCRIPT_FACES`] are registered.
    scripts_loaded: Mutex<Vec<bool>>,
    /// Which of [`LOOK_FACES`] are registered.
    looks_loaded: Mutex<Vec<bool>>,
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
        let mut faces = Vec::new();
        let mut by_blob = HashMap::new();
        for bundled in BUNDLED {
            register_static(bundled, &mut db, &mut collection, &mut faces, &mut by_blob);
        }
        let set =
            FontSet { fontdb: Arc::new(db), collection, faces, by_blob, fallbacks: Vec::new(), extra: Vec::new() };
        Fonts {
            state: RwLock::new(Arc::new(set)),
            added: Mutex::default(),
            searched: Mutex::default(),
            scan: Mutex::default(),
            scripts_loaded: Mutex::new(vec![false; SCRIPT_FACES.len()]),
            looks_loaded: Mutex::new(vec![false; LOOK_FACES.len()]),
        }
    }

    /// Registers the bundled faces of `family` (a look's title family) that are not registered
    /// yet; nothing for a family that is not one of the bundled look faces.
    pub fn need_family(&self, family: &str) {
        let mut loaded = self.looks_loaded.lock().unwrap_or_else(|p| p.into_inner());
        let wanted: Vec<usize> =
            (0..LOOK_FACES.len()).filter(|&i| !loaded[i] && LOOK_FACES[i].family == family).collect();
        if wanted.is_empty() {
            return;
        }
        for &i in &wanted {
            loaded[i] = true;
        }
        self.register_bundled(wanted.iter().map(|&i| &LOOK_FACES[i]));
    }

    /// Adds bundled faces to a new generation of the set (the set only grows: readers holding
    /// the old one keep it).
    fn register_bundled<'b>(&self, bundled: impl Iterator<Item = &'b BundledFace>) {
        let mut guard = self.state.write().unwrap_or_else(|p| p.into_inner());
        let old = &**guard;
        let mut db = (*old.fontdb).clone();
        let mut collection = old.collection.clone();
        let mut faces = old.faces.clone();
        let mut by_blob = old.by_blob.clone();
        for face in bundled {
            register_static(face, &mut db, &mut collection, &mut faces, &mut by_blob);
        }
        let set = FontSet {
            fontdb: Arc::new(db),
            collection,
            faces,
            by_blob,
            fallbacks: old.fallbacks.clone(),
            extra: old.extra.clone(),
        };
        *guard = Arc::new(set);
    }

    /// Registers the bundled script faces (both weights of a family) that draw one of `chars`
    /// and are not registered yet. Cheap when there is nothing to do: the characters are
    /// checked against the set first, and only a character none of it has opens a script face.
    pub fn need(&self, chars: impl IntoIterator<Item = char>) {
        let set = self.current();
        let missing: Vec<char> = chars.into_iter().filter(|&c| c as u32 >= 0x0590 && !set.has_own_face(c)).collect();
        if missing.is_empty() {
            return;
        }
        let mut loaded = self.scripts_loaded.lock().unwrap_or_else(|p| p.into_inner());
        let mut wanted: Vec<&'static str> = Vec::new();
        for (i, bundled) in SCRIPT_FACES.iter().enumerate() {
            if !loaded[i] && !wanted.contains(&bundled.family) && script_face_draws_any(i, &missing) {
                wanted.push(bundled.family);
            }
        }
        if wanted.is_empty() {
            return;
        }
        let mut picked = Vec::new();
        for (i, bundled) in SCRIPT_FACES.iter().enumerate() {
            if !loaded[i] && wanted.contains(&bundled.family) {
                loaded[i] = true;
                picked.push(bundled);
            }
        }
        self.register_bundled(picked.into_iter());
    }

    /// The set as it is now.
    pub fn current(&self) -> Arc<FontSet> {
        Arc::clone(&self.state.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// The font database usvg resolves `font-family` against, as it is now.
    pub fn fontdb(&self) -> Arc<fontdb::Database> {
        self.current().fontdb()
    }

    /// Adds the faces of one font file (TTF, OTF or a TTC collection), read within
    /// [`MAX_FONT_BYTES`]; adding the same bytes twice is free. Returns the faces it holds.
    /// `shown` is how the file is named in messages (as the deck wrote it).
    pub fn add_file(&self, path: &Path, shown: &str) -> Result<Vec<FaceRef>, FontError> {
        let shown = shown.to_string();
        let bytes = match crate::files::read(path, MAX_FONT_BYTES) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Err(FontError::Unreadable { path: shown, why: "there is no such file".into() }),
            Err(crate::files::ReadError::TooLarge(max)) => return Err(FontError::TooLarge { path: shown, max }),
            Err(other) => return Err(FontError::Unreadable { path: shown, why: other.to_string() }),
        };
        self.add_bytes(bytes, &shown, false)
    }

    fn add_bytes(&self, bytes: Vec<u8>, shown: &str, fallback: bool) -> Result<Vec<FaceRef>, FontError> {
        let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
        let mut added = self.added.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(faces) = added.get(&hash) {
            if fallback {
                self.mark_fallback(faces);
            }
            return Ok(faces.clone());
        }
        let data = Arc::new(bytes);
        // fontdb parses the names and styles; fontique registers the same bytes for shaping.
        let mut probe = fontdb::Database::new();
        let ids = probe.load_font_source(fontdb::Source::Binary(data.clone()));
        if ids.is_empty() {
            return Err(FontError::NotAFont { path: shown.to_string() });
        }
        let mut guard = self.state.write().unwrap_or_else(|p| p.into_inner());
        let old = &**guard;
        let mut db = (*old.fontdb).clone();
        db.load_font_source(fontdb::Source::Binary(data.clone()));
        let mut collection = old.collection.clone();
        let mut faces = old.faces.clone();
        let mut by_blob = old.by_blob.clone();
        let mut extra = old.extra.clone();
        let blob = Blob::new(data.clone());
        let mut found = Vec::new();
        let mut styles: HashMap<u32, (u16, bool)> = HashMap::new();
        for id in &ids {
            if let Some(info) = probe.face(*id) {
                styles.insert(info.index, (info.weight.0, info.style != fontdb::Style::Normal));
            }
        }
        // fontique hands the families back in no fixed order: the faces go in in the file's
        // own order, so the set (and the fallback order) is the same on every run.
        let mut registered: Vec<(u32, &'static str, parley::fontique::FontInfo)> = Vec::new();
        for (family_id, infos) in collection.register_fonts(blob.clone(), None) {
            let Some(name) = collection.family_name(family_id).map(intern) else { continue };
            registered.extend(infos.into_iter().map(|info| (info.index(), name, info)));
        }
        registered.sort_by_key(|(index, name, _)| (*index, *name));
        for (index, name, info) in registered {
            let (weight, italic) = styles.get(&index).copied().unwrap_or((info.weight().value() as u16, false));
            let face = FaceRef { family: name, weight, italic };
            by_blob.insert((blob.id(), index), faces.len());
            faces.push(Face { face, data: blob.clone(), charmap: info.charmap_index() });
            extra.push((name, weight, italic, hash));
            found.push(face);
        }
        if found.is_empty() {
            return Err(FontError::NotAFont { path: shown.to_string() });
        }
        let mut fallbacks = old.fallbacks.clone();
        if fallback {
            // Proportional faces before a collection's monospaced ones: the fallback sets prose.
            let mut families: Vec<&'static str> = found.iter().map(|f| f.family).collect();
            families.sort_by_key(|family| family.contains("Mono"));
            for family in families {
                if !fallbacks.contains(&family) {
                    fallbacks.push(family);
                }
            }
        }
        *guard = Arc::new(FontSet { fontdb: Arc::new(db), collection, faces, by_blob, fallbacks, extra });
        added.insert(hash, found.clone());
        Ok(found)
    }

    fn mark_fallback(&self, faces: &[FaceRef]) {
        let mut guard = self.state.write().unwrap_or_else(|p| p.into_inner());
        if faces.iter().all(|f| guard.fallbacks.contains(&f.family)) {
            return;
        }
        let old = &**guard;
        let mut fallbacks = old.fallbacks.clone();
        for face in faces {
            if !fallbacks.contains(&face.family) {
                fallbacks.push(face.family);
            }
        }
        let set = FontSet {
            fontdb: Arc::clone(&old.fontdb),
            collection: old.collection.clone(),
            faces: old.faces.clone(),
            by_blob: old.by_blob.clone(),
            fallbacks,
            extra: old.extra.clone(),
        };
        *guard = Arc::new(set);
    }

    /// Looks for installed fonts that draw `missing` (characters no face of the set has): first
    /// the usual places of the CJK fonts on Linux, macOS and Windows, then every font folder of
    /// the system. Each file that draws one of them is added as a fallback, with its sibling
    /// weights. Returns the characters still missing.
    pub fn find_on_system(&self, missing: &[char]) -> Vec<char> {
        self.need(missing.iter().copied());
        let mut missing: Vec<char> = missing.iter().copied().filter(|&c| !self.current().any_has(c)).collect();
        if missing.is_empty() {
            return missing;
        }
        let known = KNOWN_FALLBACKS.iter().map(PathBuf::from);
        let mut candidates: Vec<PathBuf> = known.filter(|p| p.is_file()).collect();
        candidates.extend(self.font_folder_files());
        for path in candidates {
            if missing.is_empty() {
                break;
            }
            if !self.searched.lock().unwrap_or_else(|p| p.into_inner()).insert(path.clone()) {
                continue;
            }
            let Ok(Some(bytes)) = crate::files::read(&path, MAX_FONT_BYTES) else { continue };
            if !draws_any(&bytes, &missing) {
                continue;
            }
            if self.add_bytes(bytes, &path.display().to_string(), true).is_err() {
                continue;
            }
            for sibling in siblings(&path) {
                if self.searched.lock().unwrap_or_else(|p| p.into_inner()).insert(sibling.clone()) {
                    if let Ok(Some(bytes)) = crate::files::read(&sibling, MAX_FONT_BYTES) {
                        let _ = self.add_bytes(bytes, &sibling.display().to_string(), true);
                    }
                }
            }
            let set = self.current();
            missing.retain(|&c| !set.any_has(c));
        }
        missing
    }
}

impl Fonts {
    /// The font files under the system's font folders, as [`scan_font_folders`] finds them. The
    /// walk is done again only when one of the folders it looked at has changed since (a file
    /// added, removed or renamed in a folder changes the folder's time), so a deck with a
    /// character no font draws does not list every font folder again at each check.
    fn font_folder_files(&self) -> Vec<PathBuf> {
        let roots = font_folder_roots();
        let mut scan = self.scan.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(last) = scan.as_ref().filter(|last| last.is_current(&roots)) {
            return last.found.clone();
        }
        let fresh = scan_font_folders(roots);
        let found = fresh.found.clone();
        *scan = Some(fresh);
        found
    }
}

/// Registers a face compiled into the binary with both views of the set.
fn register_static(
    bundled: &BundledFace,
    db: &mut fontdb::Database,
    collection: &mut Collection,
    faces: &mut Vec<Face>,
    by_blob: &mut HashMap<(u64, u32), usize>,
) {
    // The bytes are static: hand fontdb a reference rather than a 10 MB copy of the emoji font.
    db.load_font_source(fontdb::Source::Binary(Arc::new(bundled.bytes)));
    let blob = Blob::new(Arc::new(bundled.bytes));
    let face = FaceRef { family: bundled.family, weight: bundled.weight, italic: bundled.italic };
    for (_, infos) in collection.register_fonts(blob.clone(), None) {
        for info in infos {
            by_blob.insert((blob.id(), info.index()), faces.len());
            faces.push(Face { face, data: blob.clone(), charmap: info.charmap_index() });
        }
    }
}

/// Where the CJK fonts usually are, most common first: Debian and Ubuntu (`fonts-noto-cjk`),
/// Fedora and Arch, macOS, Windows.
const KNOWN_FALLBACKS: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "/System/Library/Fonts/ヒラギノ角ゴシック W3.ttc",
    "/System/Library/Fonts/AppleSDGothicNeo.ttc",
    "C:\\Windows\\Fonts\\YuGothR.ttc",
    "C:\\Windows\\Fonts\\msyh.ttc",
    "C:\\Windows\\Fonts\\malgun.ttf",
];

/// The folders the system keeps fonts in (most do not exist on any one machine).
fn font_folder_roots() -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> =
        ["/usr/share/fonts", "/usr/local/share/fonts", "/System/Library/Fonts", "/Library/Fonts", "C:\\Windows\\Fonts"]
            .iter()
            .map(PathBuf::from)
            .collect();
    if let Some(home) = std::env::var_os("HOME") {
        let home = PathBuf::from(home);
        roots.push(home.join(".fonts"));
        roots.push(home.join(".local/share/fonts"));
        roots.push(home.join("Library/Fonts"));
    }
    roots
}

/// How a folder looked when a walk listed it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Seen {
    /// It did not exist (or could not be looked at).
    Missing,
    /// It was listed, and was last modified then.
    Listed(SystemTime),
    /// Anything else (not listable, or no modification time): never taken as unchanged.
    Unsure,
}

/// `None` when `dir` cannot be looked at; else its modification time, if the system keeps one.
fn modified(dir: &Path) -> Option<Option<SystemTime>> {
    match std::fs::metadata(dir) {
        Err(_) => None,
        Ok(metadata) => Some(metadata.modified().ok()),
    }
}

/// One walk of the font folders: what it found, from which roots, and every folder it looked at.
#[derive(Debug, Clone)]
struct FolderScan {
    roots: Vec<PathBuf>,
    folders: Vec<(PathBuf, Seen)>,
    found: Vec<PathBuf>,
}

impl FolderScan {
    /// Whether a walk from `roots` now would find the same files: the same roots, and none of
    /// the folders looked at has appeared, gone or changed.
    fn is_current(&self, roots: &[PathBuf]) -> bool {
        self.roots == roots
            && self.folders.iter().all(|(dir, seen)| match (seen, modified(dir)) {
                (Seen::Missing, None) => true,
                (Seen::Listed(then), Some(Some(now))) => *then == now,
                _ => false,
            })
    }
}

/// Every font file under the font folders `roots` (bounded), sorted so the search is the same
/// on every run.
fn scan_font_folders(roots: Vec<PathBuf>) -> FolderScan {
    let mut found = Vec::new();
    let mut folders = Vec::new();
    let mut stack = roots.clone();
    let mut visited = 0usize;
    while let Some(dir) = stack.pop() {
        visited += 1;
        if visited > 10_000 || found.len() >= MAX_SCANNED_FILES {
            break;
        }
        // Its time before its listing: a change made during the walk is seen by the next one.
        let time = modified(&dir);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            folders.push((dir, if time.is_none() { Seen::Missing } else { Seen::Unsure }));
            continue;
        };
        folders.push((dir, time.flatten().map_or(Seen::Unsure, Seen::Listed)));
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                stack.push(path);
            } else if is_font_file(&path) {
                found.push(path);
            }
        }
    }
    // Sans before serif, regular before the rest: the first face found becomes the fallback.
    found.sort_by_key(|p| {
        let name = p.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
        (!name.contains("sans"), !name.contains("regular"), name.contains("mono"), p.clone())
    });
    FolderScan { roots, folders, found }
}

fn is_font_file(path: &Path) -> bool {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .is_some_and(|e| matches!(e.as_str(), "ttf" | "otf" | "ttc" | "otc"))
}

/// The other weights of a font file: `NotoSansCJK-Regular.ttc` -> `NotoSansCJK-Bold.ttc`.
fn siblings(path: &Path) -> Vec<PathBuf> {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name().map(|n| n.to_string_lossy().to_string())) else {
        return Vec::new();
    };
    let Some(stem) = name.split_once('-').map(|(s, _)| s.to_string()) else { return Vec::new() };
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p != path && is_font_file(p))
        .filter(|p| {
            p.file_name().map(|n| n.to_string_lossy().to_string()).is_some_and(|n| {
                n.starts_with(&format!("{stem}-"))
                    && (n.contains("Bold") && !n.contains("Semi") && !n.contains("Extra"))
            })
        })
        .collect();
    out.sort();
    out
}

/// Whether a font file (any face of a collection) has a glyph for one of `chars`.
fn draws_any(bytes: &[u8], chars: &[char]) -> bool {
    maps_any(bytes, &charmaps(Blob::new(Arc::new(bytes.to_vec()))), chars)
}

/// Whether the bundled face `SCRIPT_FACES[index]` has a glyph for one of `chars`. The faces'
/// character maps are found once: the question is asked again for every deck with a character
/// that no registered face draws, and parsing a copy of each face every time was most of the
/// cost of checking such a deck.
fn script_face_draws_any(index: usize, chars: &[char]) -> bool {
    static CHARMAPS: OnceLock<Vec<Vec<CharmapIndex>>> = OnceLock::new();
    let all =
        CHARMAPS.get_or_init(|| SCRIPT_FACES.iter().map(|face| charmaps(Blob::new(Arc::new(face.bytes)))).collect());
    maps_any(SCRIPT_FACES[index].bytes, &all[index], chars)
}

/// The character map of each face in a font file, as the typesetter reads them.
fn charmaps(blob: Blob<u8>) -> Vec<CharmapIndex> {
    let mut probe = Collection::new(CollectionOptions { shared: false, system_fonts: false });
    probe.register_fonts(blob, None).iter().flat_map(|(_, infos)| infos).map(|info| info.charmap_index()).collect()
}

/// Whether one of the character maps `charmaps` of the font file `bytes` has one of `chars`.
fn maps_any(bytes: &[u8], charmaps: &[CharmapIndex], chars: &[char]) -> bool {
    charmaps
        .iter()
        .any(|index| index.charmap(bytes).is_some_and(|map| chars.iter().any(|&c| map.map(c).is_some_and(|g| g != 0))))
}

/// A family name that lives as long as the process: names come from a bounded set of files.
fn intern(name: &str) -> &'static str {
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut names = NAMES.get_or_init(Mutex::default).lock().unwrap_or_else(|p| p.into_inner());
    if let Some(known) = names.get(name) {
        return known;
    }
    let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
    names.insert(leaked);
    leaked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_scripts_are_covered() {
        Fonts::shared().need("שعकকதก".chars());
        let set = Fonts::shared().current();
        for (c, family) in [
            ('ש', SCRIPTS[1]),
            ('ع', SCRIPTS[0]),
            ('क', SCRIPTS[2]),
            ('ক', SCRIPTS[3]),
            ('த', SCRIPTS[4]),
            ('ก', SCRIPTS[5]),
        ] {
            assert!(set.family_has(family, c), "{family} lacks {c}");
            assert!(!set.family_has(SANS, c), "Inter has {c}?");
        }
        assert!(set.family_has(SANS, 'é'));
    }

    #[test]
    fn a_file_that_is_not_a_font_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fake.ttf");
        std::fs::write(&path, b"definitely not a font").unwrap();
        assert!(matches!(Fonts::shared().add_file(&path, "fake.ttf"), Err(FontError::NotAFont { .. })));
    }

    #[test]
    fn siblings_are_the_bold_of_the_same_family() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["FooSans-Regular.ttf", "FooSans-Bold.ttf", "FooSans-ExtraBold.ttf", "Other-Bold.ttf"] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        let found = siblings(&dir.path().join("FooSans-Regular.ttf"));
        let names: Vec<String> = found.iter().map(|p| p.file_name().unwrap().to_string_lossy().to_string()).collect();
        assert_eq!(names, vec!["FooSans-Bold.ttf"]);
    }

    #[test]
    fn script_faces_answer_as_their_files_do() {
        for (i, face) in SCRIPT_FACES.iter().enumerate() {
            for chars in [&['ש'][..], &['ع', 'x'], &['क'], &['ক'], &['த'], &['ก'], &['\u{10FFFD}'], &['中', '한']]
            {
                assert_eq!(script_face_draws_any(i, chars), draws_any(face.bytes, chars), "{} {chars:?}", face.family);
            }
        }
        let devanagari = SCRIPT_FACES.iter().position(|face| face.family == SCRIPTS[2]).unwrap();
        assert!(script_face_draws_any(devanagari, &['क']));
        assert!(!script_face_draws_any(devanagari, &['ש', '\u{10FFFD}']));
    }

    #[test]
    fn a_folder_scan_is_reused_until_a_folder_changes() {
        let dir = tempfile::tempdir().unwrap();
        let fonts = dir.path().join("fonts");
        let sub = fonts.join("truetype");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join("A-Regular.ttf"), b"x").unwrap();
        std::fs::write(fonts.join("notes.txt"), b"x").unwrap();
        let roots = vec![fonts.clone(), dir.path().join("absent")];
        let scan = scan_font_folders(roots.clone());
        assert_eq!(scan.found, vec![sub.join("A-Regular.ttf")]);
        assert!(scan.is_current(&roots));
        assert!(!scan.is_current(&roots[..1]), "other roots, another walk");

        // A font added to a folder it listed (the folder's time moves on).
        let added = |scan: &FolderScan, path: PathBuf| {
            std::thread::sleep(std::time::Duration::from_millis(20));
            std::fs::write(&path, b"x").unwrap();
            assert!(!scan.is_current(&roots), "{} is not seen", path.display());
            let again = scan_font_folders(roots.clone());
            assert!(again.found.contains(&path), "{:?}", again.found);
            assert!(again.is_current(&roots));
            again
        };
        let scan = added(&scan, sub.join("B-Regular.otf"));
        // A root that did not exist, created since.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::create_dir(dir.path().join("absent")).unwrap();
        assert!(!scan.is_current(&roots));
        let scan = scan_font_folders(roots.clone());
        added(&scan, dir.path().join("absent/C-Regular.ttc"));
    }
}
