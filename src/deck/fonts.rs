//! The deck's scripts: `direction:`, `fonts:`, and the promise that every character is drawn.
//!
//! Owns the deck-level decisions about writing systems, made once before any slide is set:
//! which way the deck reads (`direction: auto|rtl|ltr`; `auto` goes by which letters the deck's
//! words are mostly written in), the author's font files and the families they name for
//! titles, body and code (`fonts:`), which regional forms of Han characters come first, and the
//! check that no character of the deck's drawn text would come out as a missing-glyph box:
//! what no bundled or named font has is looked for among the installed fonts, and what is
//! still missing is an error at the text that holds it. It hands the layout stage a
//! [`TextSettings`] for every typesetter of the deck.

use std::path::PathBuf;

use crate::design::theme::ThemeFonts;
use crate::files::Wanted;
use crate::fonts::{FaceRef, Fonts};
use crate::read::diag::{did_you_mean, Diagnostic};
use crate::read::format::Mapping;
use crate::read::reader::{Fields, Reader};
use crate::read::yaml::{Node, Pos, Value};
use crate::text::TextSettings;

/// The most font files one deck may name (a folder counts each file in it).
pub const MAX_FONT_FILES: usize = 32;

/// `fonts:` in its long form.
pub static FONTS: Mapping = Mapping {
    what: "`fonts`",
    doc: "The author's own fonts: font files or folders, and the families to set titles, body and code in.",
    keys: &[
        crate::read::format::Key {
            name: "files",
            doc: "A font file (TTF, OTF or TTC) or a folder of them, relative to the deck; or a list of them.",
            required: false,
            shape: crate::read::format::Shape::AnyOf {
                of: &[
                    crate::read::format::Shape::Text { max: crate::read::limits::MAX_PATH_CHARS },
                    crate::read::format::Shape::List {
                        min: 1,
                        max: MAX_FONT_FILES,
                        item: &crate::read::format::Shape::Text { max: crate::read::limits::MAX_PATH_CHARS },
                    },
                ],
            },
        },
        crate::read::format::Key {
            name: "title",
            doc: "The family for titles (one of the files' families, or a bundled one).",
            required: false,
            shape: crate::read::format::Shape::Text { max: 100 },
        },
        crate::read::format::Key {
            name: "body",
            doc: "The family for all other prose.",
            required: false,
            shape: crate::read::format::Shape::Text { max: 100 },
        },
        crate::read::format::Key {
            name: "code",
            doc: "The family for code.",
            required: false,
            shape: crate::read::format::Shape::Text { max: 100 },
        },
    ],
    rule: crate::read::format::Rule::None,
};

/// The keys whose text is never drawn on a slide (paths, names, the post's own text), left out
/// of the check for missing glyphs and of the count of letters.
const NOT_DRAWN: &[&str] = &[
    "notes",
    "caption",
    "alt",
    "image",
    "avatar",
    "logo",
    "brand",
    "background",
    "src",
    "fonts",
    "layouts",
    "theme",
    "publish_at",
    "kind",
    "size",
    "accent",
    "direction",
    "language",
    "lang",
    "layout",
    "icon",
    "mark",
    "first_comment",
    "hashtags",
];

/// Reads `direction:` and `fonts:`, checks the deck's characters, and decides its settings.
pub fn settings(r: &mut Reader, fields: &Fields, root: &Node, theme: ThemeFonts) -> TextSettings {
    // The theme file's families first; the deck's own `fonts:` overrides them.
    let mut settings =
        TextSettings { title: theme.title, body: theme.body, code: theme.code, ..TextSettings::default() };
    let forced = fields.present("direction").and_then(|node| direction(r, node));
    if let Some(node) = fields.present("fonts") {
        families(r, node, &mut settings);
    }
    let mut count = Letters::default();
    walk(root, false, &mut |node, text| count.add(node, text));
    settings.rtl = match forced {
        Some(Direction::Rtl) => true,
        Some(Direction::Ltr) => false,
        _ => count.rtl > count.ltr,
    };
    settings.force_ltr = forced == Some(Direction::Ltr);
    settings.cjk = if count.kana > 0 {
        Some("JP")
    } else if count.hangul > 0 {
        Some("KR")
    } else if count.han > 0 {
        Some("SC")
    } else {
        None
    };
    settings.script_language = count.language();
    // The bundled faces of the deck's scripts, registered before anything is set.
    Fonts::shared().need(count.others.iter().copied());
    check_glyphs(r, &count.places);
    settings
}

/// Registers the faces of the scripts a brand kit's drawn text is written in (its author's name,
/// its footer) and reports, in the kit, a character no face has.
pub fn check_brand_text(r: &mut Reader, root: &Node) {
    let mut count = Letters::default();
    walk(root, false, &mut |node, text| count.add(node, text));
    Fonts::shared().need(count.others.iter().copied());
    check_glyphs(r, &count.places);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Auto,
    Rtl,
    Ltr,
}

fn direction(r: &mut Reader, node: &Node) -> Option<Direction> {
    let text = r.text(node, "`direction`", 10)?;
    match text.value.trim().to_ascii_lowercase().as_str() {
        "auto" | "" => Some(Direction::Auto),
        "rtl" => Some(Direction::Rtl),
        "ltr" => Some(Direction::Ltr),
        other => {
            r.error(
                node.pos,
                format!("`direction` cannot be `{other}`"),
                "write `direction: rtl` (right to left), `ltr` (left to right) or `auto` (the default: by the deck's letters)",
            );
            None
        }
    }
}

/// Reads `fonts:` (a path, a list of paths, or {files, title, body, code}) of a deck or a theme
/// file (`r` reads paths relative to it), adds the files' faces, and checks that the families
/// named exist.
pub fn families(r: &mut Reader, node: &Node, settings: &mut TextSettings) {
    let mut paths: Vec<(Pos, String)> = Vec::new();
    let mut names: Vec<(&'static str, Node)> = Vec::new();
    match &node.value {
        Value::Str(_) | Value::Seq(_) => collect_paths(r, node, &mut paths),
        Value::Map(_) => {
            let Some(fields) = r.map(node, "`fonts`", &FONTS) else { return };
            if let Some(files) = fields.present("files") {
                collect_paths(r, files, &mut paths);
            }
            for role in ["title", "body", "code"] {
                if let Some(name) = fields.present(role) {
                    names.push((role, name.clone()));
                }
            }
        }
        _ => {
            r.error(
                node.pos,
                format!("`fonts` must be a path, a list of paths or a mapping, found {}", node.value.type_name()),
                "write `fonts: brand/` (a folder of .ttf/.otf files) or `fonts: {files: brand/, title: Brand Sans}`",
            );
            return;
        }
    }
    let mut files: Vec<(Pos, PathBuf, String)> = Vec::new();
    for (pos, written) in paths {
        let as_folder = r.access().resolve(r.base(), &written, Wanted::Folder);
        match as_folder {
            Ok(folder) => {
                let Ok(entries) = std::fs::read_dir(&folder) else { continue };
                let mut inside: Vec<PathBuf> = entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| {
                        p.extension()
                            .map(|e| e.to_string_lossy().to_ascii_lowercase())
                            .is_some_and(|e| matches!(e.as_str(), "ttf" | "otf" | "ttc" | "otc"))
                    })
                    .collect();
                inside.sort();
                if inside.is_empty() {
                    r.error(
                        pos,
                        format!("`fonts`: the folder `{written}` holds no .ttf, .otf or .ttc file"),
                        "put the font files in it, or name the files themselves",
                    );
                }
                for path in inside {
                    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
                    files.push((pos, path, format!("{}/{name}", written.trim_end_matches('/'))));
                }
            }
            Err(_) => {
                if let Some(path) = r.resolve(pos, &written, "the font file", Wanted::File) {
                    files.push((pos, path, written.clone()));
                }
            }
        }
    }
    if files.len() > MAX_FONT_FILES {
        r.error(
            node.pos,
            format!("`fonts` names {} font files; a deck may use at most {MAX_FONT_FILES}", files.len()),
            "keep the weights the deck uses (regular and bold are enough)",
        );
        files.truncate(MAX_FONT_FILES);
    }
    let mut loaded: Vec<FaceRef> = Vec::new();
    for (pos, path, shown) in files {
        match Fonts::shared().add_file(&path, &shown) {
            Ok(faces) => loaded.extend(faces),
            Err(why) => {
                r.error(pos, format!("`fonts`: {why}"), "use a TrueType or OpenType font file (.ttf, .otf or .ttc)")
            }
        }
    }
    let set = Fonts::shared().current();
    for (role, name_node) in names {
        let Some(name) = r.text(&name_node, &format!("`fonts.{role}`"), 100) else { continue };
        let wanted = name.value.trim();
        let families = set.families();
        let Some(family) = families.iter().find(|f| f.eq_ignore_ascii_case(wanted)).copied() else {
            let suggestion = did_you_mean(wanted, families.iter().copied());
            let from_files: Vec<&str> = {
                let mut names: Vec<&str> = loaded.iter().map(|f| f.family).collect();
                names.dedup();
                names
            };
            let help = match (suggestion, from_files.is_empty()) {
                (Some(s), _) => format!("did you mean `{s}`?"),
                (None, false) => format!("the files hold: {}", from_files.join(", ")),
                (None, true) => "add the font's file under `fonts: {files: ...}`".to_string(),
            };
            r.error(name_node.pos, format!("`fonts.{role}`: no font family `{wanted}`"), help);
            continue;
        };
        let faces = set.faces_of(family);
        let needs_bold = role == "title";
        if needs_bold && !faces.iter().any(|f| f.weight >= 600) {
            r.push(
                Diagnostic::warning(name_node.pos, format!("`fonts.title`: `{family}` has no bold face"))
                    .with_help("add its bold file (titles are set at weight 800; a regular face is drawn instead)"),
            );
        }
        match role {
            "title" => settings.title = Some(family),
            "body" => settings.body = Some(family),
            _ => settings.code = Some(family),
        }
    }
}

fn collect_paths(r: &mut Reader, node: &Node, paths: &mut Vec<(Pos, String)>) {
    match &node.value {
        Value::Seq(items) => {
            if items.len() > MAX_FONT_FILES {
                r.error(
                    node.pos,
                    format!("`fonts` lists {} paths; a deck may name at most {MAX_FONT_FILES}", items.len()),
                    "name a folder instead, or fewer files",
                );
                return;
            }
            for item in items {
                if let Some(text) = r.text(item, "a font path", crate::read::limits::MAX_PATH_CHARS) {
                    paths.push((item.pos, text.value));
                }
            }
        }
        _ => {
            if let Some(text) = r.text(node, "a font path", crate::read::limits::MAX_PATH_CHARS) {
                paths.push((node.pos, text.value));
            }
        }
    }
}

/// Every drawn text of the deck with its place: the scalars under keys that are drawn.
fn walk<'a>(node: &'a Node, skip: bool, f: &mut dyn FnMut(&'a Node, &str)) {
    match &node.value {
        Value::Str(text) if !skip => f(node, text),
        Value::Seq(items) => items.iter().for_each(|item| walk(item, skip, f)),
        Value::Map(entries) => {
            for (key, value) in entries {
                let name = key.as_text().unwrap_or_default();
                let hidden = skip || NOT_DRAWN.contains(&name.trim().to_ascii_lowercase().as_str());
                walk(value, hidden, f);
            }
        }
        _ => {}
    }
}

/// Letters of the Arabic script that Persian and Urdu use and Arabic does not (پ چ ژ گ ک ی,
/// ٹ ڈ ڑ ں ے ہ).
const PERSIAN_AND_URDU: [char; 12] = [
    '\u{067E}', '\u{0686}', '\u{0698}', '\u{06AF}', '\u{06A9}', '\u{06CC}', '\u{0679}', '\u{0688}', '\u{0691}',
    '\u{06BA}', '\u{06D2}', '\u{06C1}',
];

/// What the deck's words are written in.
#[derive(Default)]
struct Letters {
    ltr: usize,
    rtl: usize,
    kana: usize,
    hangul: usize,
    han: usize,
    /// Letters of the Latin script, and of the scripts that name a language.
    latin: usize,
    arabic: usize,
    hebrew: usize,
    devanagari: usize,
    thai: usize,
    /// Letters of Persian and Urdu that Arabic does not use: an Arabic-script deck with them
    /// is not in Arabic.
    not_arabic: usize,
    /// The characters no face has yet, each with the first text that holds it.
    places: Vec<(char, Pos)>,
    /// The characters of other scripts than Latin, Greek and Cyrillic, once each.
    others: std::collections::BTreeSet<char>,
}

impl Letters {
    /// The language the letters are mostly written in, where their script names it: more of
    /// them than of Latin letters.
    fn language(&self) -> Option<&'static str> {
        let kana_han = if self.kana > 0 { self.kana + self.han } else { 0 };
        let han = if self.kana > 0 { 0 } else { self.han };
        let arabic = if self.not_arabic > 0 { 0 } else { self.arabic };
        let scripts = [
            (arabic, "ar"),
            (self.hebrew, "he"),
            (self.devanagari, "hi"),
            (self.thai, "th"),
            (kana_han, "ja"),
            (self.hangul, "ko"),
            (han, "zh"),
        ];
        let (count, language) = scripts.into_iter().max_by_key(|(count, _)| *count)?;
        (count > self.latin).then_some(language)
    }

    fn add(&mut self, node: &Node, text: &str) {
        use unicode_bidi::BidiClass::{AL, L, R};
        let set = Fonts::shared().current();
        for c in text.chars() {
            match unicode_bidi::bidi_class(c) {
                L => self.ltr += 1,
                R | AL => self.rtl += 1,
                _ => {}
            }
            let u = c as u32;
            if (0x3040..=0x30FF).contains(&u) || (0x31F0..=0x31FF).contains(&u) {
                self.kana += 1;
            } else if (0xAC00..=0xD7AF).contains(&u) || (0x1100..=0x11FF).contains(&u) || (0x3130..=0x318F).contains(&u)
            {
                self.hangul += 1;
            } else if (0x4E00..=0x9FFF).contains(&u) || (0x3400..=0x4DBF).contains(&u) {
                self.han += 1;
            }
            match u {
                0x0041..=0x024F | 0x1E00..=0x1EFF if c.is_alphabetic() => self.latin += 1,
                0x0590..=0x05FF | 0xFB1D..=0xFB4F => self.hebrew += 1,
                0x0600..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
                    self.arabic += 1;
                    if PERSIAN_AND_URDU.contains(&c) {
                        self.not_arabic += 1;
                    }
                }
                0x0900..=0x097F => self.devanagari += 1,
                0x0E00..=0x0E7F => self.thai += 1,
                _ => {}
            }
            if u >= 0x0590 {
                self.others.insert(c);
            }
            if !invisible(c) && !set.any_has(c) && !self.places.iter().any(|(known, _)| *known == c) {
                self.places.push((c, node.pos));
            }
        }
    }
}

/// Characters that draw nothing of their own: spaces, joiners, variation selectors, marks of
/// direction, tags, controls.
fn invisible(c: char) -> bool {
    let u = c as u32;
    c.is_whitespace()
        || c.is_control()
        || matches!(u, 0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180F | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F | 0xFEFF | 0xFFA0 | 0xE0000..=0xE0FFF)
}

/// Looks for installed fonts for the characters nothing has, and reports those still missing
/// at the first text that holds them, grouped by place.
fn check_glyphs(r: &mut Reader, places: &[(char, Pos)]) {
    if places.is_empty() {
        return;
    }
    let chars: Vec<char> = places.iter().map(|(c, _)| *c).collect();
    let missing = Fonts::shared().find_on_system(&chars);
    let mut by_place: Vec<(Pos, Vec<char>)> = Vec::new();
    for (c, pos) in places {
        if !missing.contains(c) {
            continue;
        }
        match by_place.iter_mut().find(|(p, _)| p == pos) {
            Some((_, list)) => list.push(*c),
            None => by_place.push((*pos, vec![*c])),
        }
    }
    for (pos, chars) in by_place.into_iter().take(10) {
        let named: Vec<String> = chars.iter().take(8).map(|&c| describe(c)).collect();
        let more = if chars.len() > 8 { format!(" and {} more", chars.len() - 8) } else { String::new() };
        let scripts: Vec<&str> = {
            let mut s: Vec<&str> = chars.iter().map(|&c| script_of(c)).collect();
            s.dedup();
            s
        };
        r.error(
            pos,
            format!("no font can draw {}{more}: they would print as empty boxes", named.join(", ")),
            format!(
                "install a font for {} (on Debian and Ubuntu the `fonts-noto-core` and `fonts-noto-cjk` packages have most scripts), or add one to the deck with `fonts: [path/to/font.ttf]`",
                scripts.join(", ")
            ),
        );
    }
}

fn describe(c: char) -> String {
    format!("`{c}` (U+{:04X}, {})", c as u32, script_of(c))
}

fn script_of(c: char) -> &'static str {
    use unicode_script::UnicodeScript as _;
    let script = c.script();
    match script {
        unicode_script::Script::Common | unicode_script::Script::Inherited | unicode_script::Script::Unknown => {
            "symbols"
        }
        other => other.full_name(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_not_checked() {
        for c in ['\u{200D}', '\u{FE0F}', ' ', '\u{200F}', '\u{E0067}'] {
            assert!(invisible(c), "{c:?}");
        }
        assert!(!invisible('a'));
    }

    #[test]
    fn scripts_are_named() {
        assert_eq!(script_of('ሰ'), "Ethiopic");
        assert_eq!(script_of('→'), "symbols");
    }
}

#[cfg(test)]
mod theme_tests {
    use std::path::Path;

    fn ogham() -> Vec<u8> {
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad/assets/NotoSansOgham-Regular.ttf")).unwrap()
    }

    #[test]
    fn a_theme_file_brings_its_fonts_and_the_deck_overrides_them() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("brand")).unwrap();
        std::fs::write(dir.path().join("brand/Ogham.ttf"), ogham()).unwrap();
        std::fs::write(
            dir.path().join("brand/brand.yaml"),
            "extends: paper\nfonts: { files: Ogham.ttf, title: Noto Sans Ogham, body: Noto Sans Ogham }\n",
        )
        .unwrap();
        let deck_path = dir.path().join("d.yaml");
        let source = "title: T\ntheme: brand/brand.yaml\nfonts: { body: Inter }\nslides:\n  - {kind: hook, title: x}\n";
        let loaded = crate::deck::load(&deck_path, source);
        let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "{errors:?}");
        let deck = loaded.deck.expect("a deck");
        assert_eq!(deck.text.title, Some("Noto Sans Ogham"), "the theme's title family");
        assert_eq!(deck.text.body, Some("Inter"), "the deck's own wins");
    }

    #[test]
    fn a_theme_files_unknown_family_is_reported_in_the_theme_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Ogham.ttf"), ogham()).unwrap();
        std::fs::write(dir.path().join("brand.yaml"), "fonts:\n  files: Ogham.ttf\n  title: Noto Sans Ogam\n").unwrap();
        let source = "title: T\ntheme: brand.yaml\nslides:\n  - {kind: hook, title: x}\n";
        let loaded = crate::deck::load(&dir.path().join("d.yaml"), source);
        let error = loaded.diagnostics.iter().find(|d| d.is_error()).expect("an error");
        assert!(error.message.contains("no font family `Noto Sans Ogam`"), "{}", error.message);
        assert_eq!(error.pos.line, 3, "at the family's line in the theme file");
        let rendered = error.render(&dir.path().join("d.yaml"), Some(source), false);
        assert!(rendered.contains("brand.yaml:3:"), "{rendered}");
    }
}
