//! The deck schema (`carousel schema`, committed as `docs/deck.schema.json`) against the parser.
//!
//! The schema is generated from the tables the parser reads ([`carousel::format`]), so it cannot
//! list a key the parser refuses or miss one it accepts; these tests check what generation alone
//! cannot: that the committed copy is current, that the schema accepts every deck the parser
//! accepts (bundled decks, every spelling of every name, every key at once) and rejects the bad
//! decks a schema can see. Decks are read with the parser's own YAML reader and validated with
//! the `jsonschema` crate, as an editor would.

use std::path::{Path, PathBuf};
use std::process::Command;

use carousel::author::schema;
use carousel::blocks::{bullets, chart, code, image, metrics};
use carousel::deck;
use carousel::deck::format;
use carousel::read::format::{Mapping, Names};
use carousel::read::yaml::{self, Node, Value};
use serde_json::{json, Value as Json};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&schema::deck_schema()).expect("the schema is a valid draft-07 schema")
}

/// The YAML tree as JSON, the way an editor sees the document.
fn to_json(node: &Node) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Float(f) => json!(f),
        Value::Str(s) => json!(s),
        Value::Seq(items) => Json::Array(items.iter().map(to_json).collect()),
        // JSON keys are strings; a deck's keys are names (anything else fails both readers).
        Value::Map(entries) => {
            Json::Object(entries.iter().map(|(k, v)| (k.as_text().unwrap_or_default(), to_json(v))).collect())
        }
    }
}

/// The schema's complaints about `source`, one line each (empty when it validates).
fn schema_errors(validator: &jsonschema::Validator, source: &str) -> Vec<String> {
    let root = yaml::parse(source).expect("valid YAML");
    let instance = to_json(&root);
    validator.iter_errors(&instance).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

/// The parser's errors for `source`, as if the deck lived in `tests/bad/`.
fn parser_errors(source: &str) -> Vec<String> {
    let loaded = deck::load(&repo().join("tests/bad/deck.yaml"), source);
    loaded.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.message.clone()).collect()
}

fn yaml_files(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_committed_schema_is_up_to_date() {
    let committed = std::fs::read_to_string(repo().join("docs/deck.schema.json")).unwrap_or_default();
    assert!(
        committed == schema::to_text(),
        "docs/deck.schema.json is out of date with the format tables; regenerate it with:\n  {}",
        schema::REGENERATE
    );
    let output = Command::new(env!("CARGO_BIN_EXE_carousel")).arg("schema").output().expect("run carousel");
    assert!(output.status.success());
    assert_eq!(String::from_utf8(output.stdout).unwrap(), committed, "`carousel schema` prints the committed schema");
}

#[test]
fn bundled_and_reference_decks_validate_and_carry_a_modeline() {
    let validator = validator();
    let mut decks = yaml_files(&repo().join("decks"));
    decks.extend(yaml_files(&repo().join("tests/reference")));
    assert!(decks.len() >= 10);
    for path in decks {
        let source = std::fs::read_to_string(&path).unwrap();
        let errors = schema_errors(&validator, &source);
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        // The modeline's path is relative to the deck and must reach the committed schema.
        let first = source.lines().next().unwrap_or_default();
        let target = first
            .strip_prefix("# yaml-language-server: $schema=")
            .unwrap_or_else(|| panic!("{}: the first line is not a yaml-language-server modeline", path.display()));
        let resolved = path.parent().unwrap().join(target);
        assert!(resolved.is_file(), "{}: the modeline points at {}", path.display(), resolved.display());
        assert_eq!(resolved.canonicalize().unwrap(), repo().join("docs/deck.schema.json").canonicalize().unwrap());
    }
}

/// Every bad deck that is YAML at all: the schema rejects it, or it is a mistake no schema can
/// see (a file that is missing or not an image, a slide that does not fit).
#[test]
fn bad_decks_fail_the_schema_where_a_schema_can_tell() {
    const SCHEMA_CANNOT_TELL: &[&str] = &[
        "broken-layout",
        "broken-theme",
        "broken-theme-syntax",
        // A bar chart takes 12 points and a line 30: the schema allows 30 for any type.
        "chart-too-many-points",
        // Whether the highlight names a label, and whether the units agree, are the parser's.
        "chart-highlight",
        "chart-mixed-units",
        "compare-two-picks",
        "device-image",
        "does-not-fit",
        "folder-image",
        "image-bomb",
        // Paths that leave the deck's folder, and SVGs over the render budget: the files decide.
        "image-outside",
        "theme-outside",
        "svg-filter-bomb",
        "svg-filter-region",
        "svg-image-reuse",
        "svg-text-bomb",
        "svg-use-bomb",
        "layout-filter",
        "layout-symlink",
        "theme-unreadable",
        "code-does-not-fit",
        // Read lossily here, it is valid YAML; the parser refuses its bytes.
        "latin1",
        // The mistake is in the deck's layout file, which the schema never sees.
        "layout-inf-max-width",
        "layout-inf-viewbox",
        "layout-inf-width",
        "layout-nan-size",
        "layout-slot-outside",
        "layout-tiny-viewbox",
        "missing-image",
        "not-an-image",
        // Rows as long as the header: a schema cannot compare two lists' lengths.
        "table-ragged-row",
        "steps-does-not-fit",
        "truncated-image",
        // A link's scheme is read out of the markup of any text field.
        "link-scheme",
        // The image files decide: their kind and whether their data is whole.
        "avif-image",
        "heic-image",
        "truncated-jpeg",
        "corrupt-jpeg",
        "corrupt-background",
        // Whether a file is a font, which families it holds, and which characters the fonts draw.
        "fonts-not-a-font",
        "fonts-unknown-family",
        "fonts-missing-file",
        "no-font-for-character",
    ];
    const NOT_YAML: &[&str] =
        &["alias-bomb", "bad-indentation", "binary", "deep-nesting", "duplicate-key", "tabs", "two-documents"];
    let validator = validator();
    let mut rejected = 0;
    for path in yaml_files(&repo().join("tests/bad")) {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let source = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        let Ok(root) = yaml::parse(&source) else {
            assert!(NOT_YAML.contains(&stem.as_str()), "{stem}: not YAML; list it in NOT_YAML");
            continue;
        };
        let instance = to_json(&root);
        let errors: Vec<String> = validator.iter_errors(&instance).map(|e| e.to_string()).collect();
        if SCHEMA_CANNOT_TELL.contains(&stem.as_str()) {
            assert!(errors.is_empty(), "{stem}: the schema rejects it: {errors:?}");
        } else {
            assert!(!errors.is_empty(), "{stem}: the schema accepts a deck the parser rejects");
            rejected += 1;
        }
    }
    assert!(rejected >= 10, "only {rejected} bad decks rejected");
}

/// Every mapping of the format appears in the schema with exactly its keys, closed to others.
#[test]
fn every_key_the_parser_accepts_is_in_the_schema() {
    fn objects<'a>(value: &'a Json, found: &mut Vec<&'a serde_json::Map<String, Json>>) {
        match value {
            Json::Object(map) => {
                if map
                    .get("type")
                    .is_some_and(|t| t == "object" || t.as_array().is_some_and(|a| a.contains(&json!("object"))))
                {
                    found.push(map);
                }
                map.values().for_each(|v| objects(v, found));
            }
            Json::Array(items) => items.iter().for_each(|v| objects(v, found)),
            _ => {}
        }
    }
    let schema = schema::deck_schema();
    let mut found = Vec::new();
    objects(&schema, &mut found);
    for mapping in format::ALL {
        let names = mapping.names();
        let matching = found.iter().find(|object| {
            let keys: Vec<&str> = object["properties"].as_object().unwrap().keys().map(String::as_str).collect();
            keys == names
        });
        let object = matching.unwrap_or_else(|| panic!("{}: no schema object with keys {names:?}", mapping.what));
        assert_eq!(object["additionalProperties"], false, "{}", mapping.what);
        for key in mapping.keys {
            let description = object["properties"][key.name]["description"].as_str().unwrap_or_default();
            assert!(!description.is_empty(), "{}.{} has no description", mapping.what, key.name);
        }
    }
}

/// A deck with every key of every mapping: the parser and the schema both accept it.
#[test]
fn a_deck_with_every_key_passes_both() {
    let source = r##"title: Every key
author: { name: Jane, handle: "@jane", avatar: assets/jane.svg }
brand: assets/kit.yaml
logo: { path: assets/gradient.png, on_dark: assets/jane.svg }
footer: A line
look: editorial
theme: paper
accent: "#e11d48"
size: { width: 1200, height: 1500 }
layouts: assets
caption: { text: "Post text", hashtags: [Rust, "#Performance", 2024], first_comment: "Link: https://example.com" }
publish_at: "2026-12-08T09:00:00+01:00"
language: pt-BR
direction: ltr
fonts: { files: [assets/NotoSansOgham-Regular.ttf], title: Noto Sans Ogham, body: Inter, code: JetBrains Mono }
slides:
  - kind: results
    label: 2024
    title: "A **title**"
    subtitle: Sub
    icon: database
    body: Body
    bullets: [plain, { text: checked, mark: check }, { text: rocket, mark: "🚀" }, { text: i, mark: zap }]
    code: { lang: rs, source: "fn main() {}", caption: Rust }
    metrics:
      - { label: Load, before: 4s, after: 200ms, change: "20x", better: lower }
      - { label: Hits, value: 87 }
    image: { path: assets/gradient.png, alt: A gradient, fit: cover }
    quote: { text: Quoted, by: Someone }
    chart: { type: column, unit: "$", highlight: b, caption: Cost, data: [{ label: a, value: 1 }, { label: b, value: "$2.50" }] }
    table: { columns: [Item, Cost], rows: [[a, "$1"], [b, ""]] }
    compare:
      - { title: A, body: Body, bullets: [plain, { text: cross, mark: cross }] }
      - { title: B, pick: true }
    steps: [plain, { text: Step, note: 1 ms }]
    background: { image: assets/gradient.png, dim: 40 }
    profile: Follow me
    notes: Alt text
  - { kind: cover, title: Short forms, profile: false, image: assets/gradient.png, quote: Quoted, code: ~, background: assets/gradient.png }
  - { kind: cta, title: Caption short form }
"##;
    let short = "title: Short forms\nauthor: Jane Doe\ncaption: Post text\nsize: square\nfonts: assets\ndirection: rtl\nlogo: assets/jane.svg\nslides:\n  - {kind: hook, title: x, profile: true}\n";
    for source in [source, short] {
        assert_eq!(parser_errors(source), Vec::<String>::new(), "{source}");
        assert_eq!(schema_errors(&validator(), source), Vec::<String>::new(), "{source}");
    }
    let used: usize = format::ALL.iter().map(|m: &&Mapping| m.keys.len()).sum();
    assert_eq!(used, 81, "a key was added to the format: add it to this deck too");
}

/// Every spelling of every name the parser accepts (any case, aliases, loose separators) is
/// accepted by the schema too, and a misspelling is rejected by both.
#[test]
fn every_name_the_parser_accepts_the_schema_accepts() {
    let validator = validator();
    /// A deck with the name written where it belongs.
    type DeckWith = fn(&str) -> String;
    let cases: [(&Names, DeckWith); 8] = [
        (&format::KINDS, |v| format!("title: T\nslides:\n  - {{kind: \"{v}\", title: x}}\n")),
        (&bullets::MARKS, |v| {
            format!("title: T\nslides:\n  - {{kind: hook, bullets: [{{text: x, mark: \"{v}\"}}]}}\n")
        }),
        (&format::THEMES, |v| format!("title: T\ntheme: \"{v}\"\nslides:\n  - {{kind: hook, title: x}}\n")),
        (&format::SIZES, |v| format!("title: T\nsize: \"{v}\"\nslides:\n  - {{kind: hook, title: x}}\n")),
        (&code::LANGUAGES, |v| format!("title: T\nslides:\n  - {{kind: hook, code: {{lang: \"{v}\", source: x}}}}\n")),
        (&image::FITS, |v| {
            format!("title: T\nslides:\n  - {{kind: hook, image: {{path: assets/gradient.png, fit: \"{v}\"}}}}\n")
        }),
        (&chart::CHART_TYPES, |v| {
            format!("title: T\nslides:\n  - {{kind: hook, chart: {{type: \"{v}\", data: [{{label: a, value: 1}}, {{label: b, value: 2}}]}}}}\n")
        }),
        (&metrics::DIRECTIONS, |v| {
            format!("title: T\nslides:\n  - {{kind: hook, metrics: [{{label: x, before: 1, after: 2, better: \"{v}\"}}]}}\n")
        }),
    ];
    for (names, deck) in cases {
        let mut spellings: Vec<String> =
            (names.names)().into_iter().chain((names.aliases)()).map(String::from).collect();
        let upper: Vec<String> = spellings.iter().map(|s| format!(" {} ", s.to_uppercase())).collect();
        spellings.extend(upper);
        if names.loose_separators {
            spellings.extend(["Root-Cause", "root_cause", "ROOT  CAUSE"].map(String::from));
        }
        for spelling in &spellings {
            let source = deck(spelling);
            assert_eq!(parser_errors(&source), Vec::<String>::new(), "{spelling:?}");
            assert_eq!(schema_errors(&validator, &source), Vec::<String>::new(), "{spelling:?}");
        }
        let wrong = deck("zzqx");
        assert!(!parser_errors(&wrong).is_empty(), "the parser takes zzqx");
        assert!(!schema_errors(&validator, &wrong).is_empty(), "the schema takes zzqx: {wrong}");
    }
}

/// Every icon name (and every old alias) is accepted by both readers on a slide and as a mark;
/// a misspelt one, or another spelling of a right one, by neither.
#[test]
fn icon_names_agree_between_parser_and_schema() {
    let validator = validator();
    let deck = |icon: &str, mark: &str| {
        format!("title: T\nslides:\n  - {{kind: hook, title: x, icon: \"{icon}\", bullets: [{{text: y, mark: \"{mark}\"}}]}}\n")
    };
    let names: Vec<&str> = carousel::design::icons::names().collect();
    assert!(names.len() > 2_000);
    // Every name through the schema (cheap); a spread of them through the parser too.
    for (index, name) in names.iter().enumerate() {
        let source = deck(name, name);
        assert_eq!(schema_errors(&validator, &source), Vec::<String>::new(), "{name}");
        if index % 97 == 0 {
            assert_eq!(parser_errors(&source), Vec::<String>::new(), "{name}");
        }
    }
    for wrong in ["databse", "Database", "arrow_right", "zzqx"] {
        let source = deck(wrong, "dot");
        assert!(!parser_errors(&source).is_empty(), "the parser takes {wrong}");
        assert!(!schema_errors(&validator, &source).is_empty(), "the schema takes {wrong}");
        let source = deck("database", wrong);
        assert!(!parser_errors(&source).is_empty(), "the parser takes the mark {wrong}");
        assert!(!schema_errors(&validator, &source).is_empty(), "the schema takes the mark {wrong}");
    }
}

/// Mistakes a schema can see, each rejected by both the parser and the schema.
#[test]
fn mistakes_are_rejected_by_both() {
    let validator = validator();
    let slide = |s: &str| format!("title: T\nslides:\n  - {s}\n");
    let cases = [
        "title: T\nslides:\n  - {kind: hook, title: x, colour: red}\n".to_string(),
        "title: T\nauthor: {handle: \"@x\"}\nslides:\n  - {kind: hook, title: x}\n".to_string(),
        "title: T\nsize: {width: 100, height: 1350}\nslides:\n  - {kind: hook, title: x}\n".to_string(),
        "title: T\naccent: \"#12\"\nslides:\n  - {kind: hook, title: x}\n".to_string(),
        "title: T\nlanguage: english\nslides:\n  - {kind: hook, title: x}\n".to_string(),
        "title: T\nlanguage: en_GB\nslides:\n  - {kind: hook, title: x}\n".to_string(),
        "title: T\nlanguage: en-\nslides:\n  - {kind: hook, title: x}\n".to_string(),
        "title: T\ncaption: {hashtags: [\"two words\"]}\nslides:\n  - {kind: hook, title: x}\n".to_string(),
        slide("{kind: hook}"),
        slide(&format!("{{kind: hook, title: x, label: \"{}\"}}", "x".repeat(61))),
        slide("{kind: results, metrics: [{label: x, before: 1s}]}"),
        slide("{kind: results, metrics: [{label: x, value: 1, before: 1s, after: 2s}]}"),
        slide("{kind: hook, bullets: [[a]]}"),
        slide("{kind: hook, code: {lang: rust}}"),
        slide("{kind: hook, image: {alt: x}}"),
        slide("{kind: hook, quote: {by: x}}"),
        slide("{kind: hook, chart: {type: bar, data: [{label: a, value: 1}]}}"),
        slide("{kind: hook, chart: {type: bar, data: [{label: a, value: 1}, {label: b, value: two}]}}"),
        slide("{kind: hook, chart: {type: pie, data: [{label: a, value: 1}, {label: b, value: 2}]}}"),
        slide("{kind: hook, chart: {data: [{label: a, value: 1}, {label: b, value: 2}]}}"),
        slide("{kind: hook, chart: {type: bar, data: [{label: a}, {label: b, value: 2}]}}"),
        slide("{kind: hook, table: {columns: [a, b, c, d, e, f], rows: [[1, 2, 3, 4, 5, 6]]}}"),
        slide("{kind: hook, table: {columns: [a], rows: []}}"),
        slide("{kind: hook, table: {rows: [[a]]}}"),
    ];
    for source in cases {
        assert!(!parser_errors(&source).is_empty(), "the parser takes:\n{source}");
        assert!(!schema_errors(&validator, &source).is_empty(), "the schema takes:\n{source}");
    }
    let bullets = (0..13).map(|i| format!("b{i}")).collect::<Vec<_>>().join(", ");
    let source = slide(&format!("{{kind: hook, bullets: [{bullets}]}}"));
    assert!(!parser_errors(&source).is_empty());
    assert!(!schema_errors(&validator, &source).is_empty());
}

/// `carousel new` writes a modeline that reaches the schema when one is found above the deck,
/// and otherwise says how to get one.
#[test]
fn new_decks_point_at_the_schema_when_there_is_one() {
    let run = |dir: &Path, deck: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_carousel"))
            .args(["new", deck])
            .current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .output()
            .expect("run carousel");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        std::fs::read_to_string(dir.join(deck).with_extension("yaml")).unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let text = run(dir.path(), "talk");
    assert!(text.starts_with("# Editor completion and hover docs: run `carousel schema > deck.schema.json`"), "{text}");
    assert!(!text.lines().any(|l| l.starts_with("# yaml-language-server")), "no modeline to a missing file");
    std::fs::create_dir_all(dir.path().join("docs")).unwrap();
    std::fs::write(dir.path().join("docs/deck.schema.json"), schema::to_text()).unwrap();
    let text = run(dir.path(), "decks/week1/day1");
    assert!(text.starts_with("# yaml-language-server: $schema=../../docs/deck.schema.json\n"), "{text}");
    let text = run(dir.path(), "top");
    assert!(text.starts_with("# yaml-language-server: $schema=docs/deck.schema.json\n"), "{text}");
    // The starter with its modeline is a deck both readers accept.
    assert_eq!(schema_errors(&validator(), &text), Vec::<String>::new());
}
