//! The reader of a YAML node: the helpers every part of the format reads its values with.
//!
//! Owns what a value of the format may be (text within a limit, a list within a limit, a mapping
//! of known keys, an image file) and how a mistake is reported: as a [`Diagnostic`] at the value
//! at fault, with what would be valid, every mistake of a deck collected rather than the first.
//! It hands its callers [`Located`] values, which keep their line and column for later stages.

use std::path::{Path, PathBuf};

use super::diag::{did_you_mean, Diagnostic};
use super::format::Mapping;
use super::mojibake;
use super::yaml::{Node, Pos, Value};
use crate::files::{Access, Wanted};
use crate::media::asset::{read_asset, Asset};

/// A value from the deck with the place it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub pos: Pos,
}

/// Reads a YAML tree into typed values and collects every mistake as a diagnostic. The deck and
/// each block read their values with its helpers.
pub struct Reader {
    base: PathBuf,
    diagnostics: Vec<Diagnostic>,
    /// Images read so far: a file named on many slides is read, checked and scaled once.
    assets: Vec<Asset>,
    /// The folders the file's paths may name.
    access: Access,
}

/// The entries of one mapping, checked against the keys it allows.
pub struct Fields<'a> {
    /// Each key's name, key node and value node, in the order written.
    pub entries: Vec<(&'a str, &'a Node, &'a Node)>,
}

impl<'a> Fields<'a> {
    /// The value under `key`, null or not.
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.entries.iter().find(|(k, _, _)| *k == key).map(|(_, _, v)| *v)
    }

    /// A key that is present with a null value counts as absent.
    pub fn present(&self, key: &str) -> Option<&'a Node> {
        self.get(key).filter(|node| node.value != Value::Null)
    }
}

impl Reader {
    /// A reader of values from a file in `base` (paths in it are relative to `base`), whose
    /// paths may name only what `access` allows.
    pub fn new(base: PathBuf, access: Access) -> Reader {
        Reader { base, diagnostics: Vec::new(), assets: Vec::new(), access }
    }

    /// The file or folder that `written` names, at `pos`, for `what`: `None`, with an error,
    /// when the deck may not read it (outside its folder tree, not a regular file, missing).
    pub fn resolve(&mut self, pos: Pos, written: &str, what: &str, wanted: Wanted) -> Option<PathBuf> {
        match self.access.resolve(&self.base, written, wanted) {
            Ok(path) => Some(path),
            Err(why) => {
                self.error(pos, format!("{what} `{written}`: {why}"), why.help());
                None
            }
        }
    }

    /// The folders the file's paths may name.
    pub fn access(&self) -> &Access {
        &self.access
    }

    /// The folder that paths in the file are relative to.
    pub fn base(&self) -> &Path {
        &self.base
    }

    /// Reports a diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Every diagnostic reported, in the order reported.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }

    /// Reports an error at `pos` with what would be valid.
    pub fn error(&mut self, pos: Pos, message: impl Into<String>, help: impl Into<String>) {
        self.push(Diagnostic::error(pos, message).with_help(help));
    }

    /// The entries of `node` when it is a mapping; keys `mapping` does not list are errors.
    pub fn map<'a>(&mut self, node: &'a Node, what: &str, mapping: &Mapping) -> Option<Fields<'a>> {
        let names = mapping.names();
        let allowed = &names[..];
        let Value::Map(entries) = &node.value else {
            self.error(
                node.pos,
                format!("{what} must be a mapping of keys, found {}", node.value.type_name()),
                format!("valid keys: {}", allowed.join(", ")),
            );
            return None;
        };
        let mut fields = Fields { entries: Vec::new() };
        for (key, value) in entries {
            let Value::Str(name) = &key.value else {
                self.error(
                    key.pos,
                    format!("keys of {what} must be names"),
                    format!("valid keys: {}", allowed.join(", ")),
                );
                continue;
            };
            if !allowed.contains(&name.as_str()) {
                let help = match did_you_mean(name, allowed.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`? valid keys of {what}: {}", allowed.join(", ")),
                    None => format!("valid keys of {what}: {}", allowed.join(", ")),
                };
                self.error(key.pos, format!("unknown key `{name}` in {what}"), help);
                continue;
            }
            fields.entries.push((name.as_str(), key, value));
        }
        Some(fields)
    }

    /// A text value of at most `max` characters; numbers are taken as written.
    pub fn text(&mut self, node: &Node, what: &str, max: usize) -> Option<Located<String>> {
        let Some(text) = node.as_text() else {
            self.error(
                node.pos,
                format!("{what} must be text, found {}", node.value.type_name()),
                "write it as a string, quoted if it contains `: ` or starts with a symbol",
            );
            return None;
        };
        let count = text.chars().count();
        if count > max {
            self.error(
                node.pos,
                format!("{what} is {count} characters long; the limit is {max}"),
                "shorten it or split it across slides",
            );
            return None;
        }
        if let Some(repair) = mojibake::detect(&text) {
            let repaired: String = repair.repaired.chars().take(80).collect();
            self.push(
                Diagnostic::warning(
                    node.pos,
                    format!("{what} looks like mojibake (UTF-8 read as {})", repair.encoding.name()),
                )
                .with_help(format!("did you mean: {repaired}")),
            );
        }
        Some(Located { value: text, pos: node.pos })
    }

    /// The text under `key`, when it is present and not blank.
    pub fn optional_text(&mut self, fields: &Fields, key: &str, what: &str, max: usize) -> Option<Located<String>> {
        let node = fields.present(key)?;
        let text = self.text(node, what, max)?;
        if text.value.trim().is_empty() {
            return None;
        }
        Some(text)
    }

    /// The items of `node` when it is a list of at most `max` items.
    pub fn list<'a>(&mut self, node: &'a Node, what: &str, max: usize) -> Option<&'a [Node]> {
        let Value::Seq(items) = &node.value else {
            self.error(
                node.pos,
                format!("{what} must be a list, found {}", node.value.type_name()),
                "write a list: one `- item` per line, or [a, b]",
            );
            return None;
        };
        if items.len() > max {
            self.error(
                node.pos,
                format!("{what} has {} items; the limit is {max}", items.len()),
                "split it across slides",
            );
            return None;
        }
        Some(items)
    }

    /// How many errors were reported so far.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// An image file named by `node`, checked and read (see [`read_asset`]).
    pub fn asset(&mut self, node: &Node, what: &str, max: usize) -> Option<Asset> {
        let text = self.text(node, what, max)?;
        let written = text.value.trim();
        let path = self.base.join(written);
        if let Some(known) = self.assets.iter().find(|a| a.path == path) {
            return Some(known.clone());
        }
        let canonical = self.resolve(node.pos, written, what, Wanted::File)?;
        match read_asset(&canonical) {
            Ok(mut asset) => {
                // Named as written (beside the deck), read where it really is.
                asset.path = path;
                self.assets.push(asset.clone());
                Some(asset)
            }
            Err(refusal) => {
                self.error(
                    node.pos,
                    format!("{what} `{}`: {}", text.value.trim(), refusal.why),
                    refusal.help.as_deref().unwrap_or(crate::media::decode::ACCEPTED),
                );
                None
            }
        }
    }
}
