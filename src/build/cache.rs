//! Slide cache: slides rendered by an earlier build, reused when nothing that sets their pixels changed.
//!
//! Owns `DIR/.carousel-cache/<stem>/`, one `<key>.png` per slide of the latest build of the deck
//! `<stem>`. The key is a 128-bit hash of the slide's SVG, its size in pixels, the identity of
//! the running program and of the font files beyond the bundled ones that the SVG names (the
//! deck's own and the system's, by content), so a slide is byte-identical wherever the same
//! fonts are found. The SVG is the exact input of the rasteriser and embeds every input of
//! the slide (text, theme colours, the layout's decorations, images as data URIs, the slide's
//! number and the deck's length), and the program carries the fonts and the renderer, so an
//! equal key means equal pixels. The build asks the cache before rasterising a slide and hands it
//! the PNGs of the slides it did render; entries the latest build did not use are removed, so the
//! cache never holds more than one build's slides of a deck.
//!
//! Entries are written like outputs (a temporary file renamed into place) and checked when read
//! (PNG signature, size, every chunk's CRC, a final IEND), so a torn or damaged entry costs a
//! render, never a wrong slide. The encoder is deterministic, so a slide from the cache is
//! byte-identical to the same slide rendered afresh.

use std::collections::HashSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::export::png::EncodedPng;

/// Largest cache entry read back: a 4,096 px square slide of noise, as PNG, with room to spare.
pub const MAX_ENTRY_BYTES: u64 = 128 * 1024 * 1024;

/// Name of the cache folder inside the output folder.
pub const CACHE_DIR: &str = ".carousel-cache";

/// The hash that names a slide in the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SlideKey(u128);

impl SlideKey {
    /// The key of a slide drawn from `svg` at `width` x `height` px by this program.
    pub fn new(svg: &str, width: u32, height: u32) -> SlideKey {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(program_identity().as_bytes());
        hasher.update(&width.to_le_bytes());
        hasher.update(&height.to_le_bytes());
        hasher.update(svg.as_bytes());
        hasher.update(&fonts_named(svg).to_le_bytes());
        SlideKey(hasher.digest128())
    }

    fn file_name(self) -> String {
        format!("{:032x}.png", self.0)
    }
}

/// The fingerprint of the non-bundled faces of the families an SVG names.
fn fonts_named(svg: &str) -> u64 {
    let mut families: Vec<&str> =
        svg.split("font-family=\"").skip(1).filter_map(|rest| rest.split('"').next()).collect();
    families.sort_unstable();
    families.dedup();
    crate::fonts::Fonts::shared().current().fingerprint(&families)
}

/// What changes whenever the renderer, the fonts or the encoder may have changed: the version,
/// and the size and modification time of the executable (a rebuilt binary in development keeps
/// its version but not its timestamp). It only decides hits, never output bytes.
fn program_identity() -> &'static str {
    static IDENTITY: OnceLock<String> = OnceLock::new();
    IDENTITY.get_or_init(|| {
        let exe = std::env::current_exe().ok().and_then(|path| std::fs::metadata(path).ok());
        let stamp = exe
            .map(|m| {
                let modified = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
                format!("{}:{}", m.len(), modified.map(|d| d.as_nanos()).unwrap_or(0))
            })
            .unwrap_or_default();
        format!("carousel {} {stamp}", env!("CARGO_PKG_VERSION"))
    })
}

/// The cached slides of one deck.
#[derive(Debug, Clone)]
pub struct SlideCache {
    dir: PathBuf,
}

impl SlideCache {
    /// The cache of the deck named `stem` whose outputs go to `out_dir`.
    pub fn new(out_dir: &Path, stem: &str) -> SlideCache {
        SlideCache { dir: out_dir.join(CACHE_DIR).join(stem) }
    }

    /// The folder that holds the entries.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The slide stored under `key`, if there is a whole PNG of `width` x `height` px (at most
    /// [`MAX_ENTRY_BYTES`]).
    pub fn get(&self, key: SlideKey, width: u32, height: u32) -> Option<EncodedPng> {
        // Bounded as read, regular files only: an output folder can come with a cloned repository.
        let bytes = crate::files::read(&self.dir.join(key.file_name()), MAX_ENTRY_BYTES).ok()??;
        is_whole_png(&bytes, width, height).then_some(EncodedPng { width, height, bytes })
    }

    /// Stores a freshly rendered slide under `key`. Failures are ignored: the cache only ever
    /// saves time.
    pub fn store(&self, key: SlideKey, png: &EncodedPng) {
        let _ = self.try_store(key, png);
    }

    fn try_store(&self, key: SlideKey, png: &EncodedPng) -> std::io::Result<()> {
        let destination = self.dir.join(key.file_name());
        if destination.exists() {
            return Ok(());
        }
        std::fs::create_dir_all(&self.dir)?;
        let mut temp = tempfile::Builder::new().prefix(".entry-").suffix(".tmp").tempfile_in(&self.dir)?;
        temp.write_all(&png.bytes)?;
        temp.persist(&destination).map_err(|e| e.error)?;
        Ok(())
    }

    /// Removes every entry but those of `keys`, the slides of the latest build.
    pub fn retain(&self, keys: &[SlideKey]) {
        let keep: HashSet<String> = keys.iter().map(|key| key.file_name()).collect();
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !keep.contains(&name) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// Whether `bytes` is a complete PNG of `width` x `height` px whose chunks all check out.
fn is_whole_png(bytes: &[u8], width: u32, height: u32) -> bool {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if !bytes.starts_with(SIGNATURE) {
        return false;
    }
    let mut at = SIGNATURE.len();
    let mut first = true;
    while at + 12 <= bytes.len() {
        let length = u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]) as usize;
        let Some(end) = (at + 8).checked_add(length).filter(|&end| end + 4 <= bytes.len()) else {
            return false;
        };
        let kind = &bytes[at + 4..at + 8];
        let data = &bytes[at + 8..end];
        let stored_crc = u32::from_be_bytes([bytes[end], bytes[end + 1], bytes[end + 2], bytes[end + 3]]);
        if crc32fast::hash(&bytes[at + 4..end]) != stored_crc {
            return false;
        }
        if first {
            if kind != b"IHDR"
                || data.len() < 8
                || data[..4] != width.to_be_bytes()
                || data[4..8] != height.to_be_bytes()
            {
                return false;
            }
            first = false;
        }
        if kind == b"IEND" {
            return end + 4 == bytes.len();
        }
        at = end + 4;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png() -> EncodedPng {
        let pixels: Vec<u8> = (0..8 * 6).flat_map(|i| [i as u8, 40, 200, 255]).collect();
        crate::export::png::encode_png(8, 6, &pixels).unwrap()
    }

    #[test]
    fn keys_follow_every_input() {
        let a = SlideKey::new("<svg/>", 8, 6);
        assert_eq!(a, SlideKey::new("<svg/>", 8, 6));
        assert_ne!(a, SlideKey::new("<svg />", 8, 6));
        assert_ne!(a, SlideKey::new("<svg/>", 6, 8));
    }

    #[test]
    fn stores_reads_and_prunes() {
        let dir = tempfile::tempdir().unwrap();
        let cache = SlideCache::new(dir.path(), "deck");
        let (one, two) = (SlideKey::new("one", 8, 6), SlideKey::new("two", 8, 6));
        let png = png();
        cache.store(one, &png);
        cache.store(two, &png);
        assert_eq!(cache.get(one, 8, 6), Some(png.clone()));
        assert_eq!(cache.get(one, 6, 8), None, "another size is a miss");
        cache.retain(&[two]);
        assert_eq!(cache.get(one, 8, 6), None, "entries the latest build did not use are gone");
        assert_eq!(cache.get(two, 8, 6), Some(png));
        assert_eq!(std::fs::read_dir(cache.dir()).unwrap().count(), 1);
    }

    #[test]
    fn damaged_entries_are_misses() {
        let dir = tempfile::tempdir().unwrap();
        let cache = SlideCache::new(dir.path(), "deck");
        let key = SlideKey::new("one", 8, 6);
        let png = png();
        cache.store(key, &png);
        let path = cache.dir().join(key.file_name());
        std::fs::write(&path, &png.bytes[..png.bytes.len() - 5]).unwrap();
        assert_eq!(cache.get(key, 8, 6), None, "torn");
        let mut flipped = png.bytes.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 0x40;
        std::fs::write(&path, &flipped).unwrap();
        assert_eq!(cache.get(key, 8, 6), None, "a flipped bit");
        assert!(is_whole_png(&png.bytes, 8, 6));
    }
}
