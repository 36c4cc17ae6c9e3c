//! Brand: the kit a team shares across its decks (`brand: team.yaml`).
//!
//! Owns reading the kit file: finding it (relative to the deck, within what the deck may read),
//! its size limit, its YAML and its keys ([`super::format::BRAND`]: look, theme, accent, fonts,
//! author, logo, footer, size, layouts). It hands the deck reader a [`Layer`]: the kit's entries
//! with a reader of their own, whose base is the kit's folder, so every path in the kit is
//! relative to the kit and every mistake in it is reported at its line in the kit, not at the
//! deck's `brand:` line. The deck takes each key from its own mapping first and from the layer
//! only when it does not write the key itself, so a deck overrides its brand key by key.

use std::path::{Path, PathBuf};

use super::format;
use crate::files::Wanted;
use crate::read::diag::Diagnostic;
use crate::read::limits;
use crate::read::reader::{Fields, Reader};
use crate::read::yaml::{self, Node, Value};

/// A brand kit file, read and parsed.
#[derive(Debug)]
pub struct BrandFile {
    /// The file, as the deck named it (beside the deck).
    pub path: PathBuf,
    /// Its text, for diagnostics that show its lines.
    pub text: String,
    /// Its parsed tree.
    pub root: Node,
}

/// Reads the kit that the deck's `brand:` names; `None`, with the error reported at `brand:`
/// (or, for its YAML, in the kit), when it cannot be read.
pub fn read(r: &mut Reader, node: &Node) -> Option<BrandFile> {
    let text = r.text(node, "`brand`", format::DECK.max_chars("brand"))?;
    let written = text.value.trim().to_string();
    let lower = written.to_lowercase();
    if !(lower.ends_with(".yaml") || lower.ends_with(".yml")) {
        r.error(
            node.pos,
            format!("`brand: {written}` is not a brand kit: its file name ends in .yaml or .yml"),
            "give a YAML file (relative to the deck) with the keys a team shares: look, theme, accent, fonts, \
             author, logo, footer, size, layouts",
        );
        return None;
    }
    let path = r.base().join(&written);
    let canonical = r.resolve(node.pos, &written, "brand kit", Wanted::File)?;
    let source = match crate::files::read_text_at_most(&canonical, limits::MAX_BRAND_BYTES) {
        Ok(source) => source,
        Err(why) => {
            r.error(
                node.pos,
                format!("cannot read brand kit `{written}`: {why}"),
                "the path is relative to the deck file",
            );
            return None;
        }
    };
    let root = match yaml::parse(&source) {
        Ok(root) => root,
        Err(error) => {
            // Its lines are shown only when it reads as YAML; a file that is something else is
            // named, never printed.
            r.push(
                Diagnostic::error(node.pos, format!("brand kit `{written}` is not valid YAML: {}", error.message))
                    .with_help("a brand kit is a YAML mapping like `look: editorial` and `accent: \"#e11d48\"`"),
            );
            return None;
        }
    };
    if !matches!(root.value, Value::Map(_)) {
        r.push(
            Diagnostic::error(
                node.pos,
                format!("brand kit `{written}` must be a mapping of keys, found {}", root.value.type_name()),
            )
            .with_help(format!("keys of a brand kit: {}", format::BRAND.names().join(", "))),
        );
        return None;
    }
    Some(BrandFile { path, text: source, root })
}

/// The kit's entries and the reader that reads them, relative to the kit's folder.
pub struct Layer<'a> {
    /// The kit's keys, checked against [`format::BRAND`].
    pub fields: Fields<'a>,
    /// Reads the kit's values; its diagnostics go into the kit's file.
    pub reader: Reader,
    file: &'a BrandFile,
}

impl<'a> Layer<'a> {
    /// The kit's entries, read by a reader of its own (the deck's `r` lends its access).
    pub fn open(r: &Reader, file: &'a BrandFile) -> Option<Layer<'a>> {
        let folder = file.path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut reader = Reader::new(folder, r.access().clone());
        let fields = reader.map(&file.root, "a brand kit", &format::BRAND)?;
        Some(Layer { fields, reader, file })
    }

    /// The value the kit gives `key`, when the deck does not write it itself.
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.fields.present(key)
    }

    /// The kit file.
    pub fn file(&self) -> &'a BrandFile {
        self.file
    }

    /// Hands the kit's diagnostics to the deck's reader, each pointing into the kit (a theme
    /// file the kit names keeps its own).
    pub fn finish(self, r: &mut Reader) {
        for diagnostic in self.reader.into_diagnostics() {
            let diagnostic = match diagnostic.file {
                Some(_) => diagnostic,
                None => diagnostic.in_file(&self.file.path, Some(self.file.text.clone())),
            };
            r.push(diagnostic);
        }
    }
}
