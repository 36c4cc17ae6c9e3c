//! YAML reading: the deck file's text into a tree of values that remember where they were written.
//!
//! Owns the only call into serde-saphyr. Instead of deserialising straight into deck structs, which
//! stops at the first mistake, it reads a generic [`Node`] tree in which every value carries its
//! line and column. The deck stage walks that tree, so it can report every mistake of a deck at
//! once, each at the position of the value at fault. Parser budgets (depth, aliases, nodes, total
//! bytes) are set here so that no document can make the parser hang or eat memory.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Budget, Location, Options, Spanned};

/// The largest deck file accepted, in bytes.
pub const MAX_SOURCE_BYTES: usize = 2 * 1024 * 1024;
/// The deepest nesting of maps and lists accepted.
pub const MAX_DEPTH: usize = 32;
/// The most values a deck may hold once its aliases are expanded (300 full slides need ~20,000).
pub const MAX_NODES: usize = 50_000;

/// A place in the deck source: 1-based line and column plus the byte range of the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// 1-based line (0 when unknown).
    pub line: u32,
    /// 1-based column, in characters (0 when unknown).
    pub column: u32,
    /// Byte offset of the value's start, when known.
    pub offset: Option<usize>,
    /// Length of the value in characters (0 when unknown).
    pub len: usize,
}

impl Pos {
    fn from_location(location: &Location) -> Self {
        let span = location.span();
        Pos {
            line: u32::try_from(location.line()).unwrap_or(0),
            column: u32::try_from(location.column()).unwrap_or(0),
            offset: span.byte_offset().and_then(|o| usize::try_from(o).ok()),
            len: usize::try_from(span.len()).unwrap_or(0),
        }
    }

    /// Whether the position is known.
    pub fn is_known(&self) -> bool {
        self.line > 0
    }
}

/// A YAML value with the position it was written at.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where it was written.
    pub pos: Pos,
}

/// The kinds of YAML value a deck can hold.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `~`, `null` or nothing.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A number with a fraction.
    Float(f64),
    /// Text.
    Str(String),
    /// A list.
    Seq(Vec<Node>),
    /// A mapping, in source order.
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// A short name of the value's type for messages ("a list", "text", ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "true/false",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

impl Node {
    /// The value as text, accepting numbers and booleans as their YAML spelling
    /// (so `label: 2024` or `value: 87` just work).
    pub fn as_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

/// Why a document could not be read as YAML at all.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    /// What went wrong, in the parser's words.
    pub message: String,
    /// Where, when the parser knows.
    pub pos: Pos,
}

/// Reads `source` into a tree of positioned values.
pub fn parse(source: &str) -> Result<Node, SyntaxError> {
    if source.len() > MAX_SOURCE_BYTES {
        return Err(SyntaxError {
            message: format!("the deck is {} bytes; the limit is {} bytes", source.len(), MAX_SOURCE_BYTES),
            pos: Pos { line: 1, column: 1, offset: Some(0), len: 0 },
        });
    }
    if source.trim().is_empty() {
        return Ok(Node { value: Value::Null, pos: Pos { line: 1, column: 1, offset: Some(0), len: 0 } });
    }
    let mut budget = Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_nodes = MAX_NODES;
    budget.max_total_scalar_bytes = 4 * MAX_SOURCE_BYTES;
    budget.max_documents = 1;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.with_snippet = false;
    match serde_saphyr::from_str_with_options::<Spanned<Value>>(source, options) {
        Ok(spanned) => Ok(Node { pos: Pos::from_location(&spanned.referenced), value: spanned.value }),
        Err(error) => {
            let pos = error.location().map(|l| Pos::from_location(&l)).unwrap_or_default();
            Err(SyntaxError { message: clean_message(&error.to_string()), pos })
        }
    }
}

/// serde-saphyr prefixes messages with their position; the diagnostic adds its own.
fn clean_message(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message).trim();
    if first.contains("budget breached: Documents") {
        return "a deck is one YAML document; remove the `---` line that starts a second one".to_string();
    }
    if first.contains("budget breached: Aliases") || first.contains("budget breached: Anchors") {
        return "the deck uses more than 1000 anchors or aliases (`&name`, `*name`)".to_string();
    }
    if first.contains("budget breached") {
        return format!(
            "the deck is too big or nests too deeply once its aliases are expanded (limits: {MAX_NODES} values, depth {MAX_DEPTH})"
        );
    }
    let stripped = match first.find(" at line ") {
        Some(at) => &first[..at],
        None => first,
    };
    // Advice meant for programmers embedding the parser is no help to an author.
    let stripped = stripped.split(", set DuplicateKeyPolicy").next().unwrap_or(stripped);
    stripped.trim_end_matches(':').to_string()
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

fn node(spanned: Spanned<Value>) -> Node {
    Node { pos: Pos::from_location(&spanned.referenced), value: spanned.value }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map(Value::Int).unwrap_or(Value::Float(v as f64)))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map(Value::Int).unwrap_or(Value::Float(v as f64)))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(i64::try_from(v).map(Value::Int).unwrap_or(Value::Float(v as f64)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Value>>()? {
            items.push(node(item));
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some((key, value)) = map.next_entry::<Spanned<Value>, Spanned<Value>>()? {
            entries.push((node(key), node(value)));
        }
        Ok(Value::Map(entries))
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, _data: A) -> Result<Value, A::Error> {
        Err(de::Error::custom("tagged values are not supported in decks"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_positions_of_keys_and_values() {
        let doc = parse("title: Hello\nslides:\n  - kind: hook\n    title: \"x\"\n").unwrap();
        let Value::Map(entries) = &doc.value else { panic!("not a map") };
        assert_eq!(entries[0].0.pos.line, 1);
        assert_eq!(entries[0].1.pos.column, 8);
        let Value::Seq(slides) = &entries[1].1.value else { panic!("not a list") };
        let Value::Map(slide) = &slides[0].value else { panic!() };
        assert_eq!((slide[0].0.pos.line, slide[0].0.pos.column), (3, 5));
        assert_eq!((slide[1].1.pos.line, slide[1].1.pos.column), (4, 12));
        assert_eq!(slide[1].1.pos.offset, Some("title: Hello\nslides:\n  - kind: hook\n    title: ".len()));
    }

    #[test]
    fn syntax_errors_have_positions() {
        let err = parse("title: [unclosed\nslides: 1\n").unwrap_err();
        assert!(err.pos.line >= 1, "{err:?}");
        let err = parse("a: 1\na: 2\n").unwrap_err();
        assert!(err.message.to_lowercase().contains("duplicate"), "{err:?}");
    }

    #[test]
    fn alias_bombs_and_deep_nesting_are_refused() {
        let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        for i in 0..12 {
            let prev = if i == 0 { "a".to_string() } else { format!("l{}", i - 1) };
            bomb.push_str(&format!(
                "l{i}: &l{i} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            ));
        }
        assert!(parse(&bomb).is_err());
        let deep = format!("a: {}{}", "[".repeat(200), "]".repeat(200));
        assert!(parse(&deep).is_err());
    }

    #[test]
    fn budget_messages_name_the_limit() {
        let err = parse("title: T\n---\ntitle: U\n").unwrap_err();
        assert!(err.message.contains("one YAML document"), "{err:?}");
        let many: String = (0..1_100).map(|i| format!("k{i}: &a{i} x\n")).collect();
        let err = parse(&many).unwrap_err();
        assert!(err.message.contains("1000 anchors or aliases"), "{err:?}");
    }

    #[test]
    fn empty_is_null() {
        assert_eq!(parse("").unwrap().value, Value::Null);
        assert_eq!(parse("# only a comment\n").unwrap().value, Value::Null);
    }
}
