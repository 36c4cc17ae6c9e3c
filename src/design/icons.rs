//! Icons: the Lucide set, bundled in the binary and looked up by name.
//!
//! Owns `icons/lucide.txt` (generated from the npm package `lucide-static` by `icons/update.sh`;
//! see `icons/README.md`): one line per name, sorted bytewise, `name<TAB>elements` where the
//! elements are the icon's SVG children in its 24x24 box, or `name<TAB>=target` for a deprecated
//! name the package still ships. [`crate::blocks::icon`] resolves a deck's name to an [`Icon`] (or
//! a did-you-mean) and, for the heading and the bullets, places it as a
//! [`crate::scene::Item::Icon`]; the SVG stage wraps its elements in a group carrying Lucide's own
//! stroke attributes. The table is parsed once, on first use, into a sorted index that a lookup
//! binary-searches; nothing is decoded per slide.

use std::sync::OnceLock;

use crate::read::diag::did_you_mean;

/// The generated table (about 380 KB of SVG elements).
const SOURCE: &str = include_str!("../../icons/lucide.txt");

/// The version of `lucide-static` the table was generated from.
pub const LUCIDE_VERSION: &str = include_str!("../../icons/VERSION");

/// Side of the box the icons' coordinates are drawn in.
pub const VIEW_BOX: f32 = 24.0;

/// Lucide's stroke width, in units of the 24-unit box.
pub const STROKE_WIDTH: f32 = 2.0;

/// One icon, ready to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Icon {
    /// Its canonical name (an alias resolves to the icon it names).
    pub name: &'static str,
    /// Its SVG elements, in a 24x24 box, without stroke or fill attributes of their own (but a
    /// few dots carry `fill="currentColor"`, so the group that draws them must set `color`).
    pub body: &'static str,
}

/// One line of the table: the name and either the elements or `=target`.
type Entry = (&'static str, &'static str);

fn table() -> &'static [Entry] {
    static TABLE: OnceLock<Vec<Entry>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut entries: Vec<Entry> = SOURCE.lines().filter_map(|line| line.split_once('\t')).collect();
        // The generator writes it sorted; sorting again keeps a hand-edited table searchable.
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        entries
    })
}

fn entry(name: &str) -> Option<Entry> {
    let table = table();
    table.binary_search_by(|(candidate, _)| (*candidate).cmp(name)).ok().map(|index| table[index])
}

/// Writes a name the way Lucide spells them: trimmed, lower case, words joined by `-`.
pub fn normalize(name: &str) -> String {
    name.trim().to_lowercase().replace(['_', ' '], "-")
}

/// The icon called `name` (surrounding spaces ignored), following an alias to its icon.
///
/// Names are taken exactly as Lucide spells them (`arrow-right`, not `Arrow_Right`): the JSON
/// Schema lists them as an enum for completion and cannot ignore case, and it must never be
/// stricter than the parser. [`suggest`] turns another spelling into the right one.
pub fn lookup(name: &str) -> Option<Icon> {
    let (name, value) = entry(name.trim())?;
    match value.strip_prefix('=') {
        // Aliases point at canonical names only (the generator resolves them), so one hop.
        Some(target) => {
            let (name, body) = entry(target)?;
            (!body.starts_with('=')).then_some(Icon { name, body })
        }
        None => Some(Icon { name, body: value }),
    }
}

/// Every name a deck may use, canonical names and aliases alike, sorted.
pub fn names() -> impl Iterator<Item = &'static str> {
    table().iter().map(|(name, _)| *name)
}

/// The canonical names (no aliases), sorted.
pub fn canonical_names() -> impl Iterator<Item = &'static str> {
    table().iter().filter(|(_, value)| !value.starts_with('=')).map(|(name, _)| *name)
}

/// How many icons the set has (aliases not counted).
pub fn count() -> usize {
    canonical_names().count()
}

/// The longest name [`suggest`] compares (Lucide's longest is under 40 characters): the
/// comparison's cost grows with the length, and a deck may hold a megabyte where a name goes.
const MAX_SUGGEST_CHARS: usize = 64;

/// Brand names an author reaches for, which Lucide does not draw (it has no brand logos), each
/// with an icon that says the same thing.
const BRANDS: &[(&str, &str)] = &[
    ("github", "git-branch"),
    ("gitlab", "git-branch"),
    ("bitbucket", "git-branch"),
    ("git", "git-branch"),
    ("linkedin", "briefcase"),
    ("twitter", "message-circle"),
    ("x", "message-circle"),
    ("threads", "message-circle"),
    ("instagram", "camera"),
    ("facebook", "users"),
    ("youtube", "play"),
    ("tiktok", "play"),
    ("slack", "message-square"),
    ("discord", "message-square"),
    ("docker", "container"),
    ("kubernetes", "container"),
    ("aws", "cloud"),
    ("azure", "cloud"),
    ("gcp", "cloud"),
    ("google", "search"),
    ("figma", "pen-tool"),
    ("npm", "package"),
    ("python", "code"),
    ("rust", "code"),
    ("javascript", "code"),
    ("typescript", "code"),
    ("react", "atom"),
    ("postgres", "database"),
    ("postgresql", "database"),
    ("mysql", "database"),
    ("redis", "database"),
    ("mongodb", "database"),
];

/// When `name` is a brand that the icon set has no logo for: what to say instead, naming an
/// icon that stands for it (only icons the set has).
pub fn brand_hint(name: &str) -> Option<String> {
    let normalized = normalize(name);
    let (brand, instead) = BRANDS.iter().find(|(brand, _)| *brand == normalized)?;
    let instead = lookup(instead).map(|_| format!("an icon like `{instead}`, ")).unwrap_or_default();
    Some(format!(
        "the icon set (Lucide) has no brand logos, so there is no `{brand}`: use {instead}an emoji, or the brand's name in the text"
    ))
}

/// The name closest to a misspelt one, if any is close: the same words in Lucide's spelling
/// first (`Arrow Right` is `arrow-right`), then the nearest canonical name.
pub fn suggest(name: &str) -> Option<&'static str> {
    if name.trim().chars().count() > MAX_SUGGEST_CHARS {
        return None;
    }
    let normalized = normalize(name);
    if let Some((name, _)) = entry(&normalized) {
        return Some(name);
    }
    did_you_mean(&normalized, canonical_names())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_up_names_as_lucide_spells_them() {
        let database = lookup("database").expect("database is a Lucide icon");
        assert_eq!(database.name, "database");
        assert!(database.body.starts_with("<ellipse"), "{}", database.body);
        assert_eq!(lookup(" arrow-right "), lookup("arrow-right"));
        assert!(lookup("arrow-right").is_some());
        assert_eq!(lookup("Arrow_Right"), None);
        assert_eq!(suggest("Arrow_Right"), Some("arrow-right"));
        assert_eq!(lookup("no-such-icon"), None);
        assert_eq!(lookup(""), None);
        assert_eq!(lookup("\t"), None);
    }

    #[test]
    fn aliases_resolve_to_their_icon() {
        let alias = lookup("alert-triangle").expect("a deprecated name still works");
        assert_eq!(alias.name, "triangle-alert");
        assert_eq!(Some(alias), lookup("triangle-alert"));
    }

    #[test]
    fn table_is_sorted_unique_and_complete() {
        let raw: Vec<&str> = SOURCE.lines().map(|line| line.split('\t').next().unwrap_or("")).collect();
        assert!(raw.windows(2).all(|pair| pair[0] < pair[1]), "lucide.txt must be sorted and without duplicates");
        assert_eq!(raw.len(), table().len(), "every line has a tab");
        assert!(count() > 1_500, "{} icons", count());
        for (name, value) in table() {
            assert!(
                !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            );
            match value.strip_prefix('=') {
                Some(target) => assert!(lookup(target).is_some_and(|icon| icon.name == target), "{name} -> {target}"),
                None => assert!(value.starts_with('<') && value.ends_with("/>"), "{name}: {value}"),
            }
        }
    }

    #[test]
    fn a_brand_name_gets_a_hint_with_an_icon_the_set_has() {
        let hint = brand_hint("GitHub").expect("a brand");
        assert!(hint.contains("no brand logos") && hint.contains("`git-branch`"), "{hint}");
        for (_, instead) in BRANDS {
            assert!(lookup(instead).is_some(), "{instead} is not an icon of the set");
        }
        assert!(brand_hint("database").is_none());
    }

    #[test]
    fn suggests_the_closest_name() {
        assert_eq!(suggest("databse"), Some("database"));
        assert_eq!(suggest("Sheild"), Some("shield"));
        assert_eq!(suggest("zzzzzzzzzzzzzzzz"), None);
        // Too long to be a misspelt name: not compared with every icon.
        assert_eq!(suggest(&"database".repeat(100_000)), None);
    }

    #[test]
    fn version_is_one_line() {
        assert!(LUCIDE_VERSION.trim().split('.').count() == 3, "{LUCIDE_VERSION:?}");
    }
}
