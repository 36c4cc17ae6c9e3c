//! Highlighting: a code block's source into lines of classified tokens.
//!
//! Owns the languages a deck may name, their aliases, and the mapping from TextMate scopes (the
//! grammars of syntect and two-face, the same ones bat uses) to a small set of [`TokenKind`]s.
//! The layout stage maps each kind to a colour of the theme's code palette, so a theme restyles
//! code without knowing about grammars. HTTP messages have no grammar there and get a small
//! classifier of their own.

use std::sync::OnceLock;

use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};

/// What a token is, as far as colour goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Identifiers, whitespace and anything unclassified.
    Plain,
    /// Keywords, storage modifiers, language constants.
    Keyword,
    /// String and character literals.
    String,
    /// Numeric literals.
    Number,
    /// Comments.
    Comment,
    /// Function names, at definition and call.
    Function,
    /// Type and class names.
    Type,
    /// Operators and punctuation.
    Punctuation,
}

/// A run of source text of one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeSpan {
    /// The text, without newlines; tabs expanded to four spaces.
    pub text: String,
    /// Its kind.
    pub kind: TokenKind,
}

/// A language name that no grammar answers to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown code language `{given}`")]
pub struct UnknownLanguage {
    /// What the deck said.
    pub given: String,
    /// The closest supported name, if one is close.
    pub suggestion: Option<&'static str>,
}

/// Canonical language names, the file token their grammar answers to, and their aliases.
const LANGUAGES: &[(&str, &str, &[&str])] = &[
    ("bash", "sh", &["sh", "shell", "zsh", "console"]),
    ("c", "c", &["h"]),
    ("cpp", "cpp", &["c++", "cc", "hpp"]),
    ("csharp", "cs", &["cs", "c#"]),
    ("css", "css", &[]),
    ("diff", "diff", &["patch"]),
    ("dockerfile", "Dockerfile", &["docker"]),
    ("go", "go", &["golang"]),
    ("html", "html", &["htm", "xml"]),
    ("http", "", &["https", "rest"]),
    ("java", "java", &[]),
    ("javascript", "js", &["js", "jsx", "node", "mjs"]),
    ("json", "json", &["jsonc", "json5"]),
    ("kotlin", "kt", &["kt"]),
    ("markdown", "md", &["md"]),
    ("php", "php", &[]),
    ("python", "py", &["py", "python3"]),
    ("ruby", "rb", &["rb"]),
    ("rust", "rs", &["rs"]),
    ("sql", "sql", &["postgres", "postgresql", "mysql", "sqlite", "psql"]),
    ("swift", "swift", &[]),
    ("text", "", &["plain", "plaintext", "txt", "none"]),
    ("toml", "toml", &[]),
    ("typescript", "ts", &["ts", "tsx"]),
    ("yaml", "yaml", &["yml"]),
];

/// Lines longer than this are not parsed: grammars' regexes can backtrack badly on a huge line,
/// and no slide shows one anyway (the deck limits code to 6,000 characters).
const MAX_PARSED_LINE: usize = 2_000;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// The canonical name of `lang` (case-insensitive, aliases accepted); an empty name is `text`.
pub fn canonical_language(lang: &str) -> Option<&'static str> {
    let lang = lang.trim().to_lowercase();
    if lang.is_empty() {
        return Some("text");
    }
    LANGUAGES
        .iter()
        .find(|(name, _, aliases)| *name == lang || aliases.contains(&lang.as_str()))
        .map(|(name, _, _)| *name)
}

/// Every canonical language name, sorted.
pub fn supported_languages() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| LANGUAGES.iter().map(|(name, _, _)| *name).collect())
}

fn unknown(given: &str) -> UnknownLanguage {
    let candidates =
        LANGUAGES.iter().flat_map(|(name, _, aliases)| std::iter::once(*name).chain(aliases.iter().copied()));
    let suggestion = crate::diag::did_you_mean(given, candidates).and_then(canonical_language);
    UnknownLanguage { given: given.to_string(), suggestion }
}

/// Splits `source` into lines of classified spans.
pub fn highlight(lang: &str, source: &str) -> Result<Vec<Vec<CodeSpan>>, UnknownLanguage> {
    let canonical = canonical_language(lang).ok_or_else(|| unknown(lang))?;
    let source = source.replace("\r\n", "\n").replace('\t', "    ");
    let source = source.strip_suffix('\n').unwrap_or(&source);
    let lines: Vec<&str> = source.split('\n').collect();
    Ok(match canonical {
        "text" => lines.iter().map(|l| plain(l)).collect(),
        "http" => http(&lines),
        _ => {
            let token =
                LANGUAGES.iter().find(|(name, _, _)| *name == canonical).map(|(_, token, _)| *token).unwrap_or("");
            match syntaxes().find_syntax_by_token(token) {
                Some(syntax) => with_grammar(syntax, &lines),
                None => lines.iter().map(|l| plain(l)).collect(),
            }
        }
    })
}

fn plain(line: &str) -> Vec<CodeSpan> {
    if line.is_empty() {
        Vec::new()
    } else {
        vec![CodeSpan { text: line.to_string(), kind: TokenKind::Plain }]
    }
}

/// Scope prefixes in priority order within one scope; the innermost classified scope wins.
fn classify(stack: &ScopeStack) -> TokenKind {
    static RULES: OnceLock<Vec<(Scope, TokenKind)>> = OnceLock::new();
    let rules = RULES.get_or_init(|| {
        [
            ("comment", TokenKind::Comment),
            ("punctuation.definition.comment", TokenKind::Comment),
            ("string", TokenKind::String),
            ("constant.character", TokenKind::String),
            ("constant.numeric", TokenKind::Number),
            ("constant.language", TokenKind::Keyword),
            ("keyword.operator", TokenKind::Punctuation),
            ("keyword", TokenKind::Keyword),
            ("storage.type.function", TokenKind::Keyword),
            ("storage.modifier", TokenKind::Keyword),
            ("storage.type", TokenKind::Type),
            ("entity.name.function", TokenKind::Function),
            ("support.function", TokenKind::Function),
            ("variable.function", TokenKind::Function),
            ("entity.name.type", TokenKind::Type),
            ("entity.name.class", TokenKind::Type),
            ("entity.name.struct", TokenKind::Type),
            ("support.type", TokenKind::Type),
            ("support.class", TokenKind::Type),
            ("entity.name.tag", TokenKind::Keyword),
            ("entity.other.attribute-name", TokenKind::Function),
            ("variable.parameter", TokenKind::Plain),
            ("punctuation", TokenKind::Punctuation),
        ]
        .into_iter()
        .filter_map(|(prefix, kind)| Scope::new(prefix).ok().map(|scope| (scope, kind)))
        .collect()
    });
    for scope in stack.as_slice().iter().rev() {
        if let Some((_, kind)) = rules.iter().find(|(prefix, _)| prefix.is_prefix_of(*scope)) {
            // String punctuation (quotes) belongs to the string, not to punctuation.
            return *kind;
        }
    }
    TokenKind::Plain
}

fn push(spans: &mut Vec<CodeSpan>, text: &str, kind: TokenKind) {
    if text.is_empty() {
        return;
    }
    // Whitespace takes the kind of its neighbour so that runs merge.
    let kind = if text.trim().is_empty() { spans.last().map(|s| s.kind).unwrap_or(TokenKind::Plain) } else { kind };
    match spans.last_mut() {
        Some(last) if last.kind == kind => last.text.push_str(text),
        _ => spans.push(CodeSpan { text: text.to_string(), kind }),
    }
}

fn with_grammar(syntax: &SyntaxReference, lines: &[&str]) -> Vec<Vec<CodeSpan>> {
    let set = syntaxes();
    let mut state = Some(ParseState::new(syntax));
    let mut stack = ScopeStack::new();
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        let Some(parser) = state.as_mut().filter(|_| line.len() <= MAX_PARSED_LINE) else {
            out.push(plain(line));
            continue;
        };
        let with_newline = format!("{line}\n");
        let ops = match parser.parse_line(&with_newline, set) {
            Ok(ops) => ops,
            Err(_) => {
                // A grammar error: the rest of the block is shown plain rather than guessed.
                state = None;
                out.push(plain(line));
                continue;
            }
        };
        let mut spans = Vec::new();
        let mut at = 0;
        for (position, op) in ops {
            let position = position.min(line.len());
            if position > at {
                if let Some(text) = line.get(at..position) {
                    push(&mut spans, text, classify(&stack));
                }
                at = position;
            }
            if stack.apply(&op).is_err() {
                stack = ScopeStack::new();
            }
        }
        if at < line.len() {
            push(&mut spans, line.get(at..).unwrap_or_default(), classify(&stack));
        }
        out.push(spans);
    }
    out
}

/// HTTP requests and responses: start line, headers, then a body (JSON when it looks like JSON).
fn http(lines: &[&str]) -> Vec<Vec<CodeSpan>> {
    let mut out = Vec::with_capacity(lines.len());
    let mut in_body = false;
    let mut body = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if in_body {
            body.push(*line);
            continue;
        }
        if line.trim().is_empty() && index > 0 {
            in_body = true;
            out.push(Vec::new());
            continue;
        }
        let mut spans = Vec::new();
        if index == 0 {
            for (i, word) in line.split(' ').enumerate() {
                if i > 0 {
                    push(&mut spans, " ", TokenKind::Plain);
                }
                let kind = if word.starts_with("HTTP/") {
                    TokenKind::Comment
                } else if word.chars().all(|c| c.is_ascii_digit()) && !word.is_empty() {
                    TokenKind::Number
                } else if i == 0 && word.chars().all(|c| c.is_ascii_uppercase()) {
                    TokenKind::Keyword
                } else if word.starts_with('/') || word.contains("://") {
                    TokenKind::String
                } else {
                    TokenKind::Plain
                };
                push(&mut spans, word, kind);
            }
        } else if let Some((name, value)) = line.split_once(':') {
            push(&mut spans, name, TokenKind::Function);
            push(&mut spans, ":", TokenKind::Punctuation);
            push(&mut spans, value, TokenKind::Plain);
        } else {
            spans = plain(line);
        }
        out.push(spans);
    }
    if !body.is_empty() {
        let looks_like_json =
            body.iter().find(|l| !l.trim().is_empty()).is_some_and(|l| l.trim_start().starts_with(['{', '[']));
        let highlighted = match syntaxes().find_syntax_by_token("json").filter(|_| looks_like_json) {
            Some(json) => with_grammar(json, &body),
            None => body.iter().map(|l| plain(l)).collect(),
        };
        out.extend(highlighted);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(lang: &str, source: &str) -> Vec<TokenKind> {
        let lines = highlight(lang, source).unwrap();
        for (line, spans) in source.trim_end_matches('\n').split('\n').zip(&lines) {
            let joined: String = spans.iter().map(|s| s.text.as_str()).collect();
            assert_eq!(joined, line.replace('\t', "    "), "{lang}: text changed");
        }
        lines.into_iter().flatten().map(|s| s.kind).collect()
    }

    #[test]
    fn every_promised_language_highlights() {
        let samples = [
            ("rust", "fn main() { let x = \"hi\"; }"),
            ("python", "def allow(ip: str) -> bool:\n    return 'x' in ip  # note"),
            ("typescript", "export function f(x: number): string { return `${x}`; }"),
            ("javascript", "const x = require('fs'); // load"),
            ("sql", "SELECT COUNT(*) FROM drifts WHERE status = 'open';"),
            ("bash", "for i in $(seq 5); do echo \"$i\"; done"),
            ("yaml", "alerts:\n  - name: slow-query # x\n    when: 1000"),
            ("json", "{\"level\": \"warn\", \"ms\": 2800}"),
            ("http", "HTTP/1.1 429 Too Many Requests\nRetry-After: 45\n\n{\"error\": \"limited\"}"),
        ];
        for (lang, source) in samples {
            let found = kinds(lang, source);
            assert!(
                found.iter().any(|k| matches!(k, TokenKind::Keyword | TokenKind::String | TokenKind::Function)),
                "{lang}: {found:?}"
            );
        }
    }

    #[test]
    fn aliases_and_suggestions() {
        assert_eq!(canonical_language("TS"), Some("typescript"));
        assert_eq!(canonical_language("postgres"), Some("sql"));
        assert_eq!(canonical_language(""), Some("text"));
        let error = highlight("pyhton", "x").unwrap_err();
        assert_eq!(error.suggestion, Some("python"));
        assert_eq!(highlight("klingon", "x").unwrap_err().suggestion, None);
    }

    #[test]
    fn edge_cases_do_not_break() {
        assert!(highlight("rust", "").unwrap().iter().all(|l| l.is_empty()));
        assert_eq!(highlight("python", "\tx = 1\n").unwrap().len(), 1);
        let long = "x".repeat(10_000);
        assert_eq!(highlight("rust", &long).unwrap()[0][0].text.len(), 10_000);
        assert!(highlight("sql", "'unterminated\nSELECT 1").is_ok());
    }
}

#[cfg(test)]
mod grammar_tests {
    use super::*;

    #[test]
    fn every_listed_language_has_a_grammar() {
        for (name, token, _) in LANGUAGES {
            if token.is_empty() {
                continue;
            }
            assert!(syntaxes().find_syntax_by_token(token).is_some(), "{name} ({token}) has no grammar");
        }
    }
}
