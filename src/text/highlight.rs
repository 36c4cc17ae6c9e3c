//! Syntax highlighting: turns a code block's source into lines of classified tokens.
//!
//! This module owns the languages a deck may name (canonical names, aliases, the did-you-mean
//! for a misspelt one), the grammars behind them (syntect's parser with two-face's grammar set,
//! the one `bat` ships, run on Oniguruma, the engine the grammars are written for), the mapping from
//! TextMate scopes to a small set of [`TokenKind`]s, and a small hand-written classifier for
//! HTTP messages. It knows nothing about colours: the layout stage maps each [`TokenKind`] to a
//! colour of the theme's code palette, so a theme restyles code without knowing any grammar.
//!
//! Output shape: one `Vec<CodeSpan>` per source line, split the way [`str::lines`] splits (so a
//! final newline adds no empty line and `\r\n` endings are accepted), tabs expanded to four
//! spaces, no newline characters inside spans, and neighbouring spans of one kind merged.
//! Concatenating a line's spans gives back the line with its tabs expanded.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};

/// What a token is, as far as colour goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Identifiers, whitespace and anything unclassified.
    Plain,
    /// Keywords, declarators (`let`, `fn`, `const`, `class`), modifiers, language constants
    /// (`true`, `null`) and word operators (`and`, `as`, `NOT`).
    Keyword,
    /// String and character literals, quotes included.
    String,
    /// Numeric literals.
    Number,
    /// Comments, their markers included.
    Comment,
    /// Function and macro names, at definition and at call; HTTP header names.
    Function,
    /// Type, class and trait names; tags and keys (YAML and TOML keys, HTML tags).
    Type,
    /// Operators and punctuation.
    Punctuation,
}

/// A run of source text of one kind, within one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeSpan {
    /// The text: never empty, never a newline; tabs already expanded to four spaces.
    pub text: String,
    /// What the text is.
    pub kind: TokenKind,
}

/// A language name that neither a canonical name nor an alias answers to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown code language `{given}`")]
pub struct UnknownLanguage {
    /// The name as the deck gave it.
    pub given: String,
    /// The canonical name of the closest known name or alias (Jaro-Winkler similarity of at
    /// least 0.8), if one is that close.
    pub suggestion: Option<&'static str>,
}

/// How a language is highlighted.
#[derive(Clone, Copy)]
enum Grammar {
    /// No highlighting: every span is [`TokenKind::Plain`].
    Text,
    /// The hand-written classifier in [`http`].
    Http,
    /// The syntax of this name in two-face's set.
    Syntax(&'static str),
}

/// Canonical name, grammar, aliases. Sorted by canonical name: [`supported_languages`] relies
/// on it, and a test checks it against [`NAMES`].
const LANGUAGES: &[(&str, Grammar, &[&str])] = &[
    ("bash", Grammar::Syntax("Bourne Again Shell (bash)"), &["sh", "shell", "zsh", "console", "shellsession"]),
    ("c", Grammar::Syntax("C"), &["h"]),
    ("cpp", Grammar::Syntax("C++"), &["c++", "cc", "cxx", "hpp"]),
    ("csharp", Grammar::Syntax("C#"), &["cs", "c#"]),
    ("css", Grammar::Syntax("CSS"), &[]),
    ("diff", Grammar::Syntax("Diff"), &["patch"]),
    ("dockerfile", Grammar::Syntax("Dockerfile"), &["docker"]),
    ("go", Grammar::Syntax("Go"), &["golang"]),
    ("graphql", Grammar::Syntax("GraphQL"), &["gql"]),
    ("html", Grammar::Syntax("HTML"), &["htm"]),
    ("http", Grammar::Http, &[]),
    ("java", Grammar::Syntax("Java"), &[]),
    ("javascript", Grammar::Syntax("JavaScript"), &["js", "jsx", "node", "mjs", "cjs"]),
    ("json", Grammar::Syntax("JSON"), &["jsonc"]),
    ("kotlin", Grammar::Syntax("Kotlin"), &["kt"]),
    ("markdown", Grammar::Syntax("Markdown"), &["md"]),
    ("php", Grammar::Syntax("PHP"), &[]),
    ("python", Grammar::Syntax("Python"), &["py", "python3"]),
    ("ruby", Grammar::Syntax("Ruby"), &["rb"]),
    ("rust", Grammar::Syntax("Rust"), &["rs"]),
    ("sql", Grammar::Syntax("SQL"), &["postgres", "postgresql", "psql", "mysql", "sqlite"]),
    ("swift", Grammar::Syntax("Swift"), &[]),
    ("terraform", Grammar::Syntax("Terraform"), &["tf", "hcl"]),
    ("text", Grammar::Text, &["plain", "plaintext", "txt", "none"]),
    ("toml", Grammar::Syntax("TOML"), &[]),
    ("typescript", Grammar::Syntax("TypeScript"), &["ts", "tsx", "mts"]),
    ("xml", Grammar::Syntax("XML"), &["svg"]),
    ("yaml", Grammar::Syntax("YAML"), &["yml"]),
];

/// The canonical names of [`LANGUAGES`], in the same (sorted) order.
const NAMES: &[&str] = &[
    "bash",
    "c",
    "cpp",
    "csharp",
    "css",
    "diff",
    "dockerfile",
    "go",
    "graphql",
    "html",
    "http",
    "java",
    "javascript",
    "json",
    "kotlin",
    "markdown",
    "php",
    "python",
    "ruby",
    "rust",
    "sql",
    "swift",
    "terraform",
    "text",
    "toml",
    "typescript",
    "xml",
    "yaml",
];

/// Lines longer than this many bytes are emitted as one [`TokenKind::Plain`] span without
/// being parsed. Oniguruma backtracks, and several grammars (C#, JavaScript, TypeScript) have
/// look-ahead patterns that rescan the rest of the line from every token, so the cost grows with
/// the square of a long unbroken token. The limit keeps minified JSON or a pasted blob from
/// stalling a build, and no slide can show such a line legibly anyway. The parser goes on with
/// the next line as if the long one were absent.
const MAX_PARSED_LINE: usize = 2_000;

/// Two-face's grammar set, deserialised on first use and kept for the process.
///
/// Loading it takes 2–5 ms in a release build (213 grammars, each kept compressed until its
/// first use), so one shared set beats loading grammars per language. A language's first block
/// also compiles its regexes. That cost is why the engine is Oniguruma rather than the pure-Rust
/// `fancy-regex`: measured in release on the same blocks, first use of SQL took 1.8 ms instead
/// of 100 ms, TypeScript 36 ms instead of 450 ms, Rust 7 ms instead of 35 ms, bash 3 ms instead
/// of 60 ms; later blocks take well under a millisecond.
fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// The canonical name for `lang`, matched case-insensitively against canonical names and
/// aliases (`ts` → `typescript`, `Postgres` → `sql`); an empty or blank name is `text`.
/// `None` when nothing matches: [`highlight`] then reports a suggestion.
pub fn canonical_language(lang: &str) -> Option<&'static str> {
    entry(lang).map(|(name, _, _)| *name)
}

/// Every canonical language name, sorted: the names [`canonical_language`] returns.
pub fn supported_languages() -> &'static [&'static str] {
    NAMES
}

/// Every alias [`canonical_language`] accepts besides the canonical names (`ts`, `py`, ...), in
/// table order: the deck schema lists them so editors accept what the parser accepts.
pub fn language_aliases() -> Vec<&'static str> {
    LANGUAGES.iter().flat_map(|(_, _, aliases)| aliases.iter().copied()).collect()
}

fn entry(lang: &str) -> Option<&'static (&'static str, Grammar, &'static [&'static str])> {
    let lang = lang.trim().to_lowercase();
    if lang.is_empty() {
        return LANGUAGES.iter().find(|(name, _, _)| *name == "text");
    }
    LANGUAGES.iter().find(|(name, _, aliases)| *name == lang || aliases.contains(&lang.as_str()))
}

fn unknown(given: &str) -> UnknownLanguage {
    let wanted = given.trim().to_lowercase();
    let suggestion = LANGUAGES
        .iter()
        .flat_map(|(name, _, aliases)| std::iter::once(*name).chain(aliases.iter().copied()).map(move |c| (*name, c)))
        .map(|(name, candidate)| (strsim::jaro_winkler(&wanted, candidate), name))
        .filter(|(score, _)| *score >= 0.8)
        // On a tie the first in table order wins: `max_by` would keep the last.
        .fold(None::<(f64, &'static str)>, |best, (score, name)| match best {
            Some((top, _)) if top >= score => best,
            _ => Some((score, name)),
        })
        .map(|(_, name)| name);
    UnknownLanguage { given: given.to_string(), suggestion }
}

/// Splits `source` into lines of classified spans, highlighted as `lang` (a canonical name or
/// an alias, any case).
///
/// Never panics and never fails on the source: a grammar that errors (or panics) part-way
/// leaves the rest of the block [`TokenKind::Plain`]. The only error is a language that
/// [`canonical_language`] does not know.
pub fn highlight(lang: &str, source: &str) -> Result<Vec<Vec<CodeSpan>>, UnknownLanguage> {
    let (_, grammar, _) = entry(lang).ok_or_else(|| unknown(lang))?;
    let expanded;
    let source = if source.contains('\t') {
        expanded = source.replace('\t', "    ");
        expanded.as_str()
    } else {
        source
    };
    let lines: Vec<&str> = source.lines().collect();
    Ok(match *grammar {
        Grammar::Text => lines.iter().map(|line| plain(line)).collect(),
        Grammar::Http => http(&lines),
        Grammar::Syntax(name) => match syntaxes().find_syntax_by_name(name) {
            Some(syntax) => with_grammar(syntax, &lines),
            None => lines.iter().map(|line| plain(line)).collect(),
        },
    })
}

fn plain(line: &str) -> Vec<CodeSpan> {
    let mut spans = Vec::new();
    push(&mut spans, line, TokenKind::Plain);
    spans
}

/// Appends `text` as `kind`, merging with the previous span when the kinds agree. Blank text
/// takes the previous span's kind, so that `let x` stays three spans rather than four and
/// colour changes fall on token boundaries.
fn push(spans: &mut Vec<CodeSpan>, text: &str, kind: TokenKind) {
    if text.is_empty() {
        return;
    }
    let kind = match spans.last() {
        Some(last) if text.chars().all(char::is_whitespace) => last.kind,
        _ => kind,
    };
    match spans.last_mut() {
        Some(last) if last.kind == kind => last.text.push_str(text),
        _ => spans.push(CodeSpan { text: text.to_string(), kind }),
    }
}

/// What a scope prefix means.
#[derive(Clone, Copy)]
enum Rule {
    /// This kind.
    Kind(TokenKind),
    /// `storage.type`: see [`storage_type`].
    StorageType,
    /// Not a classification of its own: the delimiter of an enclosing literal (a string's
    /// quotes, a comment's `//`, a number's `0x`), which takes the enclosing scope's kind.
    Transparent,
}

/// Scope prefixes and what they mean. For each scope on the stack, innermost first, the first
/// rule whose prefix matches decides; a scope that no rule matches (`meta.*`, `source.*`,
/// `variable.other.*`...) passes the question outwards, and a stack with no match is Plain.
/// Within the table a more specific prefix must come before a shorter one.
///
/// Choices the brief left open:
/// - `storage.type` names both declarators (`let`, `fn`, `const`, `class`, `def` in the Rust,
///   JS/TS and Python grammars) and, in some grammars, types (`u64` in Rust, `Point` in Go);
///   see [`storage_type`] for how the two are told apart.
/// - `meta.function-call` is not mapped: it spans the arguments too, and the grammars already
///   mark the called name itself with `variable.function` or `support.function`.
/// - `entity.name.tag` (YAML and TOML keys, HTML tags) is Type, as the theme's palette says
///   ("types, tags and keys").
/// - Diffs: inserted lines are String, deleted lines Comment, hunk headers Keyword.
/// - Code interpolated into a string stops the walk as Plain, so that its identifiers do not
///   take the colour of the string around them (its punctuation and keywords keep theirs).
const RULES: &[(&str, Rule)] = &[
    ("punctuation.definition.string", Rule::Transparent),
    ("punctuation.definition.comment", Rule::Transparent),
    ("punctuation.definition.numeric", Rule::Transparent),
    ("punctuation.definition.variable", Rule::Transparent),
    ("punctuation.definition.parameter", Rule::Transparent),
    ("punctuation.definition.heading", Rule::Transparent),
    ("punctuation.definition.inserted", Rule::Transparent),
    ("punctuation.definition.deleted", Rule::Transparent),
    ("comment", Rule::Kind(TokenKind::Comment)),
    // Code interpolated into a string (`${n}`, `{x}`, `#{x}`) is code, not string.
    ("meta.interpolation", Rule::Kind(TokenKind::Plain)),
    ("meta.template.expression", Rule::Kind(TokenKind::Plain)),
    ("meta.embedded", Rule::Kind(TokenKind::Plain)),
    ("string", Rule::Kind(TokenKind::String)),
    ("constant.character", Rule::Kind(TokenKind::String)),
    ("constant.numeric", Rule::Kind(TokenKind::Number)),
    ("constant.language", Rule::Kind(TokenKind::Keyword)),
    ("keyword.operator", Rule::Kind(TokenKind::Punctuation)),
    ("keyword", Rule::Kind(TokenKind::Keyword)),
    ("storage.type.string", Rule::Kind(TokenKind::String)),
    ("storage.type.primitive", Rule::Kind(TokenKind::Type)),
    ("storage.type.numeric", Rule::Kind(TokenKind::Type)),
    ("storage.type.builtin", Rule::Kind(TokenKind::Type)),
    ("storage.type", Rule::StorageType),
    ("storage", Rule::Kind(TokenKind::Keyword)),
    ("entity.name.function", Rule::Kind(TokenKind::Function)),
    ("support.function", Rule::Kind(TokenKind::Function)),
    ("variable.function", Rule::Kind(TokenKind::Function)),
    ("support.macro", Rule::Kind(TokenKind::Function)),
    ("variable.annotation", Rule::Kind(TokenKind::Function)),
    ("entity.name.type", Rule::Kind(TokenKind::Type)),
    ("entity.name.class", Rule::Kind(TokenKind::Type)),
    ("entity.name.struct", Rule::Kind(TokenKind::Type)),
    ("entity.name.enum", Rule::Kind(TokenKind::Type)),
    ("entity.name.union", Rule::Kind(TokenKind::Type)),
    ("entity.name.trait", Rule::Kind(TokenKind::Type)),
    ("entity.name.interface", Rule::Kind(TokenKind::Type)),
    ("entity.name.impl", Rule::Kind(TokenKind::Type)),
    ("entity.name.table", Rule::Kind(TokenKind::Type)),
    ("entity.name.section", Rule::Kind(TokenKind::Type)),
    ("entity.name.tag", Rule::Kind(TokenKind::Type)),
    ("entity.other.inherited-class", Rule::Kind(TokenKind::Type)),
    ("entity.other.attribute-name", Rule::Kind(TokenKind::Function)),
    ("support.type", Rule::Kind(TokenKind::Type)),
    ("support.class", Rule::Kind(TokenKind::Type)),
    ("markup.inserted", Rule::Kind(TokenKind::String)),
    ("markup.deleted", Rule::Kind(TokenKind::Comment)),
    ("meta.diff.range", Rule::Kind(TokenKind::Keyword)),
    ("markup.heading", Rule::Kind(TokenKind::Keyword)),
    ("markup.raw", Rule::Kind(TokenKind::String)),
    ("markup.underline.link", Rule::Kind(TokenKind::String)),
    ("punctuation", Rule::Kind(TokenKind::Punctuation)),
];

/// Lower-case type names that grammars scope as a bare `storage.type` (Rust's `u64`, C's
/// `int`), and which read as types, not keywords.
const PRIMITIVE_TYPES: &[&str] = &[
    "bool", "boolean", "byte", "char", "double", "f32", "f64", "float", "i8", "i16", "i32", "i64", "i128", "int",
    "isize", "long", "short", "str", "string", "u8", "u16", "u32", "u64", "u128", "uint", "usize", "void",
];

/// `storage.type` covers declarators (`let`, `fn`, `struct`, `const`, `class`, `def`, `func`),
/// which are keywords, and in some grammars type names (`u64` in Rust, `Point` in Go, `VARCHAR`
/// in SQL), which are types. The scope alone cannot tell them apart (Rust scopes `let` and
/// `u64` alike), so the text decides: a name starting with a capital, or a well-known
/// primitive, is a Type; anything else a Keyword.
fn storage_type(text: &str) -> TokenKind {
    let word = text.trim();
    if word.starts_with(|c: char| c.is_ascii_uppercase()) || PRIMITIVE_TYPES.contains(&word) {
        TokenKind::Type
    } else {
        TokenKind::Keyword
    }
}

fn rules() -> &'static [(Scope, Rule)] {
    static RULES_BY_SCOPE: OnceLock<Vec<(Scope, Rule)>> = OnceLock::new();
    RULES_BY_SCOPE.get_or_init(|| {
        RULES.iter().filter_map(|(prefix, rule)| Scope::new(prefix).ok().map(|scope| (scope, *rule))).collect()
    })
}

/// The kind of `text` under `stack`: the innermost scope that a rule classifies decides.
fn classify(stack: &ScopeStack, text: &str) -> TokenKind {
    let rules = rules();
    for scope in stack.as_slice().iter().rev() {
        match rules.iter().find(|(prefix, _)| prefix.is_prefix_of(*scope)).map(|(_, rule)| *rule) {
            None | Some(Rule::Transparent) => continue,
            Some(Rule::StorageType) => return storage_type(text),
            // Word operators (`and`, `as`, `instanceof`, SQL's `NOT IN`) read as keywords.
            Some(Rule::Kind(TokenKind::Punctuation))
                if text.chars().any(char::is_alphabetic)
                    && text.chars().all(|c| c.is_alphanumeric() || c == '_' || c.is_whitespace()) =>
            {
                return TokenKind::Keyword
            }
            Some(Rule::Kind(kind)) => return kind,
        }
    }
    TokenKind::Plain
}

/// Highlights `lines` with one grammar, carrying the parser's state from line to line. After a
/// parser error or panic (a grammar bug, not something a deck can fix) the rest is Plain.
fn with_grammar(syntax: &SyntaxReference, lines: &[&str]) -> Vec<Vec<CodeSpan>> {
    let set = syntaxes();
    let mut parser = Some(ParseState::new(syntax));
    let mut stack = ScopeStack::new();
    let mut out = Vec::with_capacity(lines.len());
    let mut with_newline = String::new();
    for line in lines {
        let Some(state) = parser.as_mut().filter(|_| line.len() <= MAX_PARSED_LINE) else {
            out.push(plain(line));
            continue;
        };
        // The "newlines" grammars expect each line with its `\n`.
        with_newline.clear();
        with_newline.push_str(line);
        with_newline.push('\n');
        let parsed = catch_unwind(AssertUnwindSafe(|| state.parse_line(&with_newline, set)));
        let Ok(Ok(ops)) = parsed else {
            parser = None;
            out.push(plain(line));
            continue;
        };
        let mut spans = Vec::new();
        let mut at = 0;
        let mut broken = false;
        for (position, op) in ops {
            // Positions are byte offsets on character boundaries; clamp away the `\n` we added.
            let position = position.min(line.len());
            if position > at {
                match line.get(at..position) {
                    Some(text) => push(&mut spans, text, classify(&stack, text)),
                    None => {
                        broken = true;
                        break;
                    }
                }
                at = position;
            }
            if stack.apply(&op).is_err() {
                broken = true;
                break;
            }
        }
        if broken {
            // An offset off a character boundary or an unbalanced pop: give up on the grammar,
            // keeping the text of this line whole.
            parser = None;
            push(&mut spans, &line[at..], TokenKind::Plain);
            out.push(spans);
            continue;
        }
        let rest = &line[at..];
        push(&mut spans, rest, classify(&stack, rest));
        out.push(join_decimal_points(spans));
    }
    out
}

/// Joins `3`, `.`, `5` into one Number: the SQL grammar scopes a decimal's digits but not its
/// point.
fn join_decimal_points(spans: Vec<CodeSpan>) -> Vec<CodeSpan> {
    if !spans.iter().any(|s| s.text == "." && s.kind != TokenKind::Number) {
        return spans;
    }
    let mut out: Vec<CodeSpan> = Vec::with_capacity(spans.len());
    let mut spans = spans.into_iter().peekable();
    while let Some(span) = spans.next() {
        let between_numbers = span.text == "."
            && out
                .last()
                .is_some_and(|s| s.kind == TokenKind::Number && s.text.ends_with(|c: char| c.is_ascii_digit()))
            && spans
                .peek()
                .is_some_and(|s| s.kind == TokenKind::Number && s.text.starts_with(|c: char| c.is_ascii_digit()));
        match (between_numbers, out.last_mut()) {
            (true, Some(last)) => {
                last.text.push('.');
                if let Some(next) = spans.next() {
                    last.text.push_str(&next.text);
                }
            }
            _ => out.push(span),
        }
    }
    out
}

/// HTTP methods recognised at the start of a request line.
const HTTP_METHODS: &[&str] = &["CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE"];

/// Whether `line` starts an HTTP message: a status line (`HTTP/1.1 200 OK`) or a request line
/// (`GET /path HTTP/1.1`).
fn is_start_line(line: &str) -> bool {
    let first = line.split(' ').next().unwrap_or_default();
    first.starts_with("HTTP/") || (HTTP_METHODS.contains(&first) && line.len() > first.len())
}

/// HTTP messages, classified by hand: two-face's HTTP grammar marks header values as strings
/// and leaves a body without a `Content-Type` unparsed, where a slide wants the start line and
/// header names to stand out and the body highlighted whenever it is JSON.
///
/// - Request line: method Keyword, target String, version Comment.
/// - Status line: version Comment, code Number, reason Plain.
/// - Headers: name Function, colon Punctuation, value Plain.
/// - After the first blank line, the body: JSON (through the JSON grammar) when its first
///   non-blank character is `{` or `[`, Plain otherwise. A later line that looks like a start
///   line begins another message, so a request and its response can share a block.
fn http(lines: &[&str]) -> Vec<Vec<CodeSpan>> {
    let mut out = Vec::with_capacity(lines.len());
    let mut index = 0;
    while index < lines.len() {
        // Start line and headers, up to the first blank line.
        let mut first = true;
        while index < lines.len() {
            let line = lines[index];
            index += 1;
            if line.trim().is_empty() {
                out.push(plain(line));
                if !first {
                    break;
                }
                continue;
            }
            out.push(if first { http_start_line(line) } else { http_header(line) });
            first = false;
        }
        // The body, up to the next start line.
        let start = index;
        while index < lines.len() && !is_start_line(lines[index]) {
            index += 1;
        }
        out.extend(http_body(&lines[start..index]));
    }
    out
}

fn http_start_line(line: &str) -> Vec<CodeSpan> {
    let mut spans = Vec::new();
    let status = line.starts_with("HTTP/");
    for (i, word) in line.split(' ').enumerate() {
        if i > 0 {
            push(&mut spans, " ", TokenKind::Plain);
        }
        let kind = if word.starts_with("HTTP/") {
            TokenKind::Comment
        } else if status && i == 1 && !word.is_empty() && word.chars().all(|c| c.is_ascii_digit()) {
            TokenKind::Number
        } else if !status && i == 0 && !word.is_empty() && word.chars().all(|c| c.is_ascii_uppercase()) {
            TokenKind::Keyword
        } else if !status && i == 1 {
            TokenKind::String
        } else {
            TokenKind::Plain
        };
        push(&mut spans, word, kind);
    }
    spans
}

fn http_header(line: &str) -> Vec<CodeSpan> {
    let mut spans = Vec::new();
    match line.split_once(':') {
        Some((name, value)) if !name.trim().is_empty() && !name.contains(' ') => {
            push(&mut spans, name, TokenKind::Function);
            push(&mut spans, ":", TokenKind::Punctuation);
            push(&mut spans, value, TokenKind::Plain);
        }
        _ => push(&mut spans, line, TokenKind::Plain),
    }
    spans
}

fn http_body(lines: &[&str]) -> Vec<Vec<CodeSpan>> {
    let looks_like_json =
        lines.iter().find_map(|line| line.trim_start().chars().next()).is_some_and(|c| c == '{' || c == '[');
    match syntaxes().find_syntax_by_name("JSON").filter(|_| looks_like_json) {
        Some(json) => with_grammar(json, lines),
        None => lines.iter().map(|line| plain(line)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    /// Highlights `source`, checks that every line's spans give back the line (tabs expanded),
    /// that no span is empty or holds a newline and that neighbours differ in kind, and returns
    /// the spans.
    fn checked(lang: &str, source: &str) -> Vec<Vec<CodeSpan>> {
        let lines = highlight(lang, source).unwrap();
        let expected: Vec<String> = source.lines().map(|l| l.replace('\t', "    ")).collect();
        assert_eq!(lines.len(), expected.len(), "{lang}: line count");
        for (spans, line) in lines.iter().zip(&expected) {
            let joined: String = spans.iter().map(|s| s.text.as_str()).collect();
            assert_eq!(&joined, line, "{lang}: text changed");
            for span in spans {
                assert!(!span.text.is_empty() && !span.text.contains(['\n', '\r']), "{lang}: bad span {span:?}");
            }
            for pair in spans.windows(2) {
                assert_ne!(pair[0].kind, pair[1].kind, "{lang}: unmerged spans {pair:?}");
            }
        }
        lines
    }

    /// The kind of the first span of `lines` whose trimmed text is `text`, or that has `text`
    /// as one of its words (blanks merge neighbouring tokens of one kind).
    fn kind_of(lines: &[Vec<CodeSpan>], text: &str) -> Option<TokenKind> {
        let spans = || lines.iter().flatten();
        spans()
            .find(|s| s.text.trim() == text)
            .or_else(|| spans().find(|s| s.text.split_whitespace().any(|w| w == text)))
            .map(|s| s.kind)
    }

    fn has(lines: &[Vec<CodeSpan>], kind: TokenKind) -> bool {
        lines.iter().flatten().any(|s| s.kind == kind)
    }

    const RUST: &str = "use std::collections::HashMap;\n\n/// A cache.\npub struct Cache { hits: u64 }\n\nimpl Cache {\n    pub fn get(&mut self, key: &str) -> Option<String> {\n        let n = 42; // count\n        println!(\"{key} {n}\");\n        None\n    }\n}\n";
    const PYTHON: &str = "@dataclass\nclass Limiter(Base):\n    def allow(self, ip: str, n: int = 10) -> bool:\n        \"\"\"Doc.\"\"\"\n        return len(self.seen.get(ip, [])) < n and True  # note\n";
    const TYPESCRIPT: &str = "import { readFile } from \"fs/promises\";\ninterface User { id: number; name: string }\nexport async function load(path: string): Promise<User[]> {\n  const raw = await readFile(path, \"utf8\"); // read\n  return JSON.parse(raw) as User[];\n}\n";
    const JAVASCRIPT: &str = "const fs = require('fs');\nasync function main(argv) {\n  const res = await fetch(url, { method: \"POST\" }); // go\n  return res.json();\n}\n";
    const SQL: &str = "SELECT u.id, COUNT(*) AS n FROM users u\nLEFT JOIN orders o ON o.user_id = u.id -- join\nWHERE u.score >= 3.5 AND u.name = 'ada'\nGROUP BY u.id;\n";
    const BASH: &str = "#!/usr/bin/env bash\nset -euo pipefail\nfor f in \"$@\"; do\n  if [[ -f \"$f\" ]]; then echo \"file: $f\"; fi # c\ndone\n";
    const YAML: &str =
        "# alerts\nalerts:\n  - name: slow-query\n    when: 1000\n    enabled: true\n    tags: [a, \"b\"]\n";
    const JSON: &str = "{\n  \"level\": \"warn\",\n  \"ms\": 2800,\n  \"ok\": false\n}\n";
    const HTTP: &str = "POST /api/v1/users?x=1 HTTP/1.1\nHost: example.com\nContent-Type: application/json\n\n{\"name\": \"ada\", \"age\": 36}\n";

    #[test]
    fn every_promised_language_gives_keywords_or_strings() {
        let samples = [
            ("rust", RUST),
            ("python", PYTHON),
            ("typescript", TYPESCRIPT),
            ("javascript", JAVASCRIPT),
            ("sql", SQL),
            ("bash", BASH),
            ("yaml", YAML),
            ("json", JSON),
            ("http", HTTP),
        ];
        for (lang, source) in samples {
            let lines = checked(lang, source);
            assert!(has(&lines, TokenKind::Keyword) || has(&lines, TokenKind::String), "{lang}: {lines:?}");
        }
    }

    #[test]
    fn scopes_map_to_the_expected_kinds() {
        let rust = checked("rust", RUST);
        assert_eq!(kind_of(&rust, "use"), Some(TokenKind::Keyword));
        assert_eq!(kind_of(&rust, "let"), Some(TokenKind::Keyword));
        assert_eq!(kind_of(&rust, "get"), Some(TokenKind::Function));
        assert_eq!(kind_of(&rust, "Cache"), Some(TokenKind::Type));
        assert_eq!(kind_of(&rust, "u64"), Some(TokenKind::Type));
        assert_eq!(kind_of(&rust, "42"), Some(TokenKind::Number));
        assert_eq!(kind_of(&rust, "// count"), Some(TokenKind::Comment));
        assert_eq!(kind_of(&rust, "/// A cache."), Some(TokenKind::Comment));
        assert_eq!(kind_of(&rust, ";"), Some(TokenKind::Punctuation));
        // Quotes belong to the string.
        assert!(rust[8].iter().any(|s| s.kind == TokenKind::String && s.text.starts_with('"')), "{:?}", rust[8]);

        let python = checked("python", PYTHON);
        assert_eq!(kind_of(&python, "def"), Some(TokenKind::Keyword));
        assert_eq!(kind_of(&python, "allow"), Some(TokenKind::Function));
        assert_eq!(kind_of(&python, "Limiter"), Some(TokenKind::Type));
        assert_eq!(kind_of(&python, "and"), Some(TokenKind::Keyword));
        assert_eq!(kind_of(&python, "True"), Some(TokenKind::Keyword));
        assert_eq!(kind_of(&python, "# note"), Some(TokenKind::Comment));

        let ts = checked("typescript", TYPESCRIPT);
        assert_eq!(kind_of(&ts, "const"), Some(TokenKind::Keyword));
        assert_eq!(kind_of(&ts, "User"), Some(TokenKind::Type));
        assert_eq!(kind_of(&ts, "load"), Some(TokenKind::Function));
        assert_eq!(kind_of(&ts, "\"utf8\""), Some(TokenKind::String));

        let yaml = checked("yaml", YAML);
        assert_eq!(kind_of(&yaml, "alerts"), Some(TokenKind::Type));
        assert_eq!(kind_of(&yaml, "slow-query"), Some(TokenKind::String));
        assert_eq!(kind_of(&yaml, "1000"), Some(TokenKind::Number));

        let sql = checked("sql", SQL);
        assert_eq!(kind_of(&sql, "SELECT"), Some(TokenKind::Keyword));
        assert_eq!(kind_of(&sql, "AND"), Some(TokenKind::Keyword));
        assert_eq!(kind_of(&sql, "'ada'"), Some(TokenKind::String));
        assert_eq!(kind_of(&sql, "3.5"), Some(TokenKind::Number));

        let template = checked("typescript", "const s = `id ${n}`;");
        assert_eq!(kind_of(&template, "n"), Some(TokenKind::Plain), "{template:?}");
        assert_eq!(kind_of(&template, "`id"), Some(TokenKind::String), "{template:?}");
    }

    #[test]
    fn http_messages_are_classified_by_hand() {
        let lines = checked("http", HTTP);
        let kinds = |i: usize| lines[i].iter().map(|s| (s.text.as_str(), s.kind)).collect::<Vec<_>>();
        assert_eq!(
            kinds(0),
            [
                ("POST ", TokenKind::Keyword),
                ("/api/v1/users?x=1 ", TokenKind::String),
                ("HTTP/1.1", TokenKind::Comment)
            ]
        );
        assert_eq!(
            kinds(1),
            [("Host", TokenKind::Function), (":", TokenKind::Punctuation), (" example.com", TokenKind::Plain)]
        );
        assert!(lines[3].is_empty());
        assert_eq!(kind_of(&lines, "36"), Some(TokenKind::Number));
        assert!(lines[4].iter().any(|s| s.kind == TokenKind::String));

        let response =
            "HTTP/1.1 429 Too Many Requests\nRetry-After: 45\n\n{\"error\": \"limited\"}\nGET /next HTTP/1.1\n";
        let lines = checked("http", response);
        assert_eq!(lines[0][0], CodeSpan { text: "HTTP/1.1 ".into(), kind: TokenKind::Comment });
        assert_eq!(kind_of(&lines, "429"), Some(TokenKind::Number));
        assert_eq!(kind_of(&lines, "Retry-After"), Some(TokenKind::Function));
        assert!(lines[3].iter().any(|s| s.kind == TokenKind::String), "JSON body: {:?}", lines[3]);
        assert_eq!(lines[4][0].kind, TokenKind::Keyword, "a second message: {:?}", lines[4]);

        let text_body = checked("http", "HTTP/1.1 200 OK\n\nhello {\n");
        assert_eq!(text_body[2], [CodeSpan { text: "hello {".into(), kind: TokenKind::Plain }]);
    }

    #[test]
    fn aliases_resolve_case_insensitively() {
        for (given, canonical) in [
            ("rs", "rust"),
            ("PY", "python"),
            ("tsx", "typescript"),
            ("node", "javascript"),
            ("PostgreSQL", "sql"),
            ("zsh", "bash"),
            ("console", "bash"),
            ("yml", "yaml"),
            ("jsonc", "json"),
            ("HTTP", "http"),
            ("C++", "cpp"),
            ("cs", "csharp"),
            ("md", "markdown"),
            (" text ", "text"),
            ("plaintext", "text"),
            ("", "text"),
        ] {
            assert_eq!(canonical_language(given), Some(canonical), "{given}");
        }
        assert_eq!(canonical_language("klingon"), None);
    }

    #[test]
    fn unknown_languages_get_a_suggestion() {
        let error = highlight("pyhton", "x").unwrap_err();
        assert_eq!(error, UnknownLanguage { given: "pyhton".into(), suggestion: Some("python") });
        assert_eq!(error.to_string(), "unknown code language `pyhton`");
        assert_eq!(highlight("TypeScirpt", "").unwrap_err().suggestion, Some("typescript"));
        assert_eq!(highlight("yamll", "").unwrap_err().suggestion, Some("yaml"));
        assert_eq!(highlight("klingon", "x").unwrap_err().suggestion, None);
    }

    #[test]
    fn supported_languages_are_sorted_and_all_have_a_grammar() {
        let names = supported_languages();
        assert!(names.windows(2).all(|w| w[0] < w[1]), "{names:?}");
        assert_eq!(names, LANGUAGES.iter().map(|(name, _, _)| *name).collect::<Vec<_>>());
        for (name, grammar, aliases) in LANGUAGES {
            assert_eq!(canonical_language(name), Some(*name));
            for alias in *aliases {
                assert_eq!(canonical_language(alias), Some(*name), "alias {alias} is taken twice");
            }
            if let Grammar::Syntax(syntax) = grammar {
                assert!(syntaxes().find_syntax_by_name(syntax).is_some(), "{name}: no grammar named {syntax}");
            }
        }
    }

    #[test]
    fn every_language_highlights_a_small_sample() {
        let samples = [
            ("c", "#include <stdio.h>\nint main(void) { return printf(\"%d\", 1); }"),
            ("cpp", "template <typename T> class Box { public: T get() const; }; // x"),
            ("csharp", "public class A { public string Name { get; set; } = \"x\"; }"),
            ("css", ".card { color: #fff; margin: 0 4px; }"),
            ("diff", "@@ -1,2 +1,2 @@\n-old line\n+new line\n context"),
            ("dockerfile", "FROM rust:1.88 AS build\nRUN cargo build --release && echo \"ok\""),
            ("go", "package main\nfunc Add(p Point, n int) int { return p.X + n } // add"),
            ("graphql", "query User($id: ID!) { user(id: $id) { name } }"),
            ("html", "<div class=\"card\"><p>Hi</p></div>"),
            ("java", "public static void main(String[] args) { System.out.println(\"hi\"); }"),
            ("kotlin", "fun greet(name: String): String = \"Hi $name\""),
            ("markdown", "# Title\n\nSome `code` and a [link](https://x.y)."),
            ("php", "<?php function f($x) { return \"x\" . $x; } ?>"),
            ("ruby", "def greet(name)\n  puts \"hi #{name}\" # say\nend"),
            ("swift", "func greet(_ name: String) -> String { return \"Hi\" }"),
            ("terraform", "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"my-bucket\"\n}"),
            ("toml", "[package]\nname = \"x\" # c\nversion = 3"),
            ("xml", "<?xml version=\"1.0\"?>\n<a href=\"x\">text</a>"),
        ];
        for (lang, source) in samples {
            let lines = checked(lang, source);
            let classified = lines.iter().flatten().filter(|s| s.kind != TokenKind::Plain).count();
            assert!(classified > 0, "{lang}: nothing classified: {lines:?}");
        }
        let diff = checked("diff", "-old\n+new");
        assert_eq!(diff[0][0].kind, TokenKind::Comment);
        assert_eq!(diff[1][0].kind, TokenKind::String);
    }

    #[test]
    fn text_is_plain() {
        let lines = checked("text", "fn main() {}\n\n  x");
        assert_eq!(lines[0], [CodeSpan { text: "fn main() {}".into(), kind: TokenKind::Plain }]);
        assert!(lines[1].is_empty());
        assert_eq!(lines[2], [CodeSpan { text: "  x".into(), kind: TokenKind::Plain }]);
    }

    #[test]
    fn empty_source_and_line_endings() {
        for lang in ["rust", "http", "text", "json"] {
            assert!(highlight(lang, "").unwrap().is_empty(), "{lang}");
            assert_eq!(highlight(lang, "\n").unwrap(), vec![Vec::<CodeSpan>::new()], "{lang}");
        }
        // A final newline adds no line; CRLF endings leave no `\r` behind.
        assert_eq!(checked("python", "x = 1\n").len(), 1);
        assert_eq!(checked("python", "x = 1\r\ny = 2\r\n").len(), 2);
        assert_eq!(checked("python", "x = 1\n\n").len(), 2);
    }

    #[test]
    fn tabs_become_four_spaces() {
        let lines = checked("python", "def f():\n\treturn 1\t# one\n");
        let second: String = lines[1].iter().map(|s| s.text.as_str()).collect();
        assert_eq!(second, "    return 1    # one");
        assert_eq!(kind_of(&lines, "return"), Some(TokenKind::Keyword));
        let text = checked("text", "\ta");
        assert_eq!(text[0][0].text, "    a");
    }

    #[test]
    fn huge_lines_are_not_parsed() {
        let started = Instant::now();
        let long = "x".repeat(10_000);
        let lines = checked("rust", &format!("let a = 1;\n{long}\nlet b = 2;"));
        assert_eq!(lines[1], [CodeSpan { text: long.clone(), kind: TokenKind::Plain }]);
        // Parsing goes on after the skipped line.
        assert_eq!(lines[2][0].kind, TokenKind::Keyword);
        for lang in ["typescript", "csharp", "json", "http"] {
            checked(lang, &long);
        }
        // Minified JSON just under the limit is still parsed.
        let minified = format!("{{\"a\": [{}1]}}", "\"aaaa\", ".repeat(240));
        assert!(minified.len() < MAX_PARSED_LINE);
        assert!(checked("json", &minified)[0].len() > 1);
        assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
    }

    #[test]
    fn hostile_lines_never_panic() {
        let hostile = [
            "\"".repeat(300),
            "/*".repeat(150),
            "(".repeat(300),
            "<".repeat(300),
            format!("`{}", "${".repeat(150)),
            "é".repeat(150),
            "'''\n\"\"\"\n/*\n<!--\n".to_string(),
            "}}}}]]]))".to_string(),
        ];
        for lang in supported_languages() {
            for line in &hostile {
                checked(lang, line);
            }
        }
    }

    #[test]
    fn odd_input_never_panics() {
        let inputs = [
            "\u{0}\u{1}\u{7f}",
            "\r",
            "a\rb",
            "'''\n\"\"\"\n/*\n",
            "\u{feff}fn main() {}",
            "日本語 = \"文字列\" # コメント",
            "👩‍👩‍👧 = '🚀'",
            "}}}}]]]))",
            "#!",
            "\\",
        ];
        for lang in supported_languages() {
            for input in inputs {
                // `\r` alone is kept inside spans: only the other checks apply.
                let lines = highlight(lang, input).unwrap();
                let joined: String = lines
                    .iter()
                    .map(|l| l.iter().map(|s| s.text.as_str()).collect::<String>())
                    .collect::<Vec<_>>()
                    .join("\n");
                assert_eq!(joined, input.lines().collect::<Vec<_>>().join("\n"), "{lang}: {input:?}");
            }
        }
    }

    /// Not a check: prints timings, with `cargo test --release -- --ignored --nocapture timings`.
    #[test]
    #[ignore]
    fn timings() {
        let started = Instant::now();
        let set = syntaxes();
        eprintln!("syntax set: {:?} ({} grammars)", started.elapsed(), set.syntaxes().len());
        for (lang, source) in [
            ("rust", RUST),
            ("typescript", TYPESCRIPT),
            ("javascript", JAVASCRIPT),
            ("python", PYTHON),
            ("sql", SQL),
            ("bash", BASH),
            ("yaml", YAML),
            ("json", JSON),
            ("http", HTTP),
        ] {
            let first = Instant::now();
            highlight(lang, source).unwrap();
            let first = first.elapsed();
            let second = Instant::now();
            highlight(lang, source).unwrap();
            eprintln!("{lang}: first block {first:?}, second {:?}", second.elapsed());
        }
    }
}
