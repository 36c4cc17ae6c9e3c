//! Inline markup: `**bold**`, `*italic*`, `` `code` ``, `==highlight==`, `[text](https://…)`
//! for a link (drawn in the accent, like a highlight; the PDF links it), and a trailing
//! backslash for a literal line break.
//!
//! Owns the reading of one text field of a deck into styled spans; the text stage shapes them.
//! Markup never fails: a delimiter without its partner is kept as the literal characters, as an
//! author who typed a lone `*` expects.

/// How one span of text is emphasised.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Emphasis {
    /// `**bold**`
    pub bold: bool,
    /// `*italic*`
    pub italic: bool,
    /// `` `code` ``: monospace on a tinted chip.
    pub code: bool,
    /// `==highlight==`: the theme's accent colour.
    pub highlight: bool,
}

/// A run of text with one emphasis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The text, with markup removed. May contain `\n` for a forced line break.
    pub text: String,
    /// Its emphasis.
    pub emphasis: Emphasis,
}

/// A paragraph: spans that flow and wrap together.
pub type Paragraph = Vec<Span>;

/// Splits a text field into paragraphs (at blank lines) of styled spans.
///
/// Inside a paragraph a single newline is a space, as in Markdown, so YAML block scalars wrap
/// naturally; a backslash at the end of a line keeps the break.
pub fn parse(source: &str) -> Vec<Paragraph> {
    let normalized = source.replace("\r\n", "\n");
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in normalized.split('\n') {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if !current.is_empty() {
                paragraphs.push(parse_inline(&current));
                current.clear();
            }
            continue;
        }
        if !current.is_empty() && !current.ends_with('\n') {
            current.push(' ');
        }
        match trimmed.strip_suffix('\\') {
            Some(kept) => {
                current.push_str(kept.trim_end());
                current.push('\n');
            }
            None => current.push_str(trimmed),
        }
    }
    if !current.is_empty() {
        paragraphs.push(parse_inline(current.trim_end_matches('\n')));
    }
    paragraphs
}

/// The text of a field without markup, paragraphs joined by a blank line: for alt text, word
/// counts and the PDF's metadata.
pub fn plain_text(source: &str) -> String {
    parse(source).iter().map(|p| p.iter().map(|s| s.text.as_str()).collect::<String>()).collect::<Vec<_>>().join("\n\n")
}

/// Reads the markup of one paragraph.
pub fn parse_inline(text: &str) -> Paragraph {
    let chars: Vec<char> = text.chars().collect();
    let mut spans: Paragraph = Vec::new();
    let mut emphasis = Emphasis::default();
    let mut buffer = String::new();
    let mut i = 0;
    let flush = |buffer: &mut String, spans: &mut Paragraph, emphasis: Emphasis| {
        if !buffer.is_empty() {
            spans.push(Span { text: std::mem::take(buffer), emphasis });
        }
    };
    while i < chars.len() {
        let c = chars[i];
        // Code is verbatim: nothing inside backticks is markup.
        if c == '`' {
            if let Some(end) = find(&chars, i + 1, &['`']) {
                flush(&mut buffer, &mut spans, emphasis);
                let code: String = chars[i + 1..end].iter().collect();
                spans.push(Span { text: code, emphasis: Emphasis { code: true, ..emphasis } });
                i = end + 1;
                continue;
            }
        }
        // A link shows its text in the accent; a link of another scheme stays literal (the deck
        // reports it).
        if c == '[' {
            if let Some((end, link)) = link_at(&chars, i) {
                if allowed_link(&link.url) {
                    flush(&mut buffer, &mut spans, emphasis);
                    spans.push(Span { text: link.text, emphasis: Emphasis { highlight: true, ..emphasis } });
                    i = end;
                    continue;
                }
            }
        }
        let toggle = if starts_with(&chars, i, &['*', '*']) {
            Some((2, Toggle::Bold))
        } else if starts_with(&chars, i, &['=', '=']) {
            Some((2, Toggle::Highlight))
        } else if c == '*' {
            Some((1, Toggle::Italic))
        } else {
            None
        };
        if let Some((width, toggle)) = toggle {
            let active = toggle.get(&emphasis);
            // Open only when a partner follows; close only what is open.
            let delimiter = &chars[i..i + width];
            let opens = !active && find(&chars, i + width, delimiter).is_some_and(|e| e > i + width);
            if active || opens {
                flush(&mut buffer, &mut spans, emphasis);
                toggle.set(&mut emphasis, !active);
                i += width;
                continue;
            }
        }
        buffer.push(c);
        i += 1;
    }
    flush(&mut buffer, &mut spans, emphasis);
    spans
}

/// A link written `[text](url)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The text shown.
    pub text: String,
    /// Where it leads.
    pub url: String,
}

/// The schemes a link may have: the web and e-mail.
pub const LINK_SCHEMES: [&str; 3] = ["https://", "http://", "mailto:"];

/// Whether `url` is a link carousel makes: `http`, `https` or `mailto`, with something after it.
pub fn allowed_link(url: &str) -> bool {
    LINK_SCHEMES.iter().any(|scheme| {
        url.get(..scheme.len()).is_some_and(|s| s.eq_ignore_ascii_case(scheme)) && url.len() > scheme.len()
    })
}

/// Every `[text](url)` of a text field, in order, whatever its scheme (inline code excluded).
pub fn links(source: &str) -> Vec<Link> {
    let chars: Vec<char> = source.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '`' {
            if let Some(end) = find(&chars, i + 1, &['`']) {
                i = end + 1;
                continue;
            }
        }
        if chars[i] == '[' {
            if let Some((end, link)) = link_at(&chars, i) {
                found.push(link);
                i = end;
                continue;
            }
        }
        i += 1;
    }
    found
}

/// The link that starts at `at` (a `[`), and the index after its `)`: `[text](target)` with a
/// text on one line and a target without spaces (parentheses inside it balanced).
fn link_at(chars: &[char], at: usize) -> Option<(usize, Link)> {
    let close = (at + 1..chars.len()).find(|&j| chars[j] == ']' || chars[j] == '[' || chars[j] == '\n')?;
    if chars[close] != ']' || close == at + 1 || chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let mut depth = 0usize;
    let mut end = None;
    for (j, &c) in chars.iter().enumerate().skip(close + 2) {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => {
                end = Some(j);
                break;
            }
            ')' => depth -= 1,
            c if c.is_whitespace() => return None,
            _ => {}
        }
    }
    let end = end.filter(|&e| e > close + 2)?;
    let text: String = chars[at + 1..close].iter().collect();
    let url: String = chars[close + 2..end].iter().collect();
    Some((end + 1, Link { text, url }))
}

#[derive(Clone, Copy)]
enum Toggle {
    Bold,
    Italic,
    Highlight,
}

impl Toggle {
    fn get(self, e: &Emphasis) -> bool {
        match self {
            Toggle::Bold => e.bold,
            Toggle::Italic => e.italic,
            Toggle::Highlight => e.highlight,
        }
    }
    fn set(self, e: &mut Emphasis, on: bool) {
        match self {
            Toggle::Bold => e.bold = on,
            Toggle::Italic => e.italic = on,
            Toggle::Highlight => e.highlight = on,
        }
    }
}

fn starts_with(chars: &[char], at: usize, pattern: &[char]) -> bool {
    chars.get(at..at + pattern.len()) == Some(pattern)
}

fn find(chars: &[char], from: usize, pattern: &[char]) -> Option<usize> {
    (from..chars.len()).find(|&j| {
        starts_with(chars, j, pattern)
            // `**` must not be mistaken for the closing `*` of italic.
            && !(pattern == ['*'] && (starts_with(chars, j, &['*', '*']) || (j > 0 && chars[j - 1] == '*')))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn styles(text: &str) -> Vec<(String, Emphasis)> {
        parse_inline(text).into_iter().map(|s| (s.text, s.emphasis)).collect()
    }

    #[test]
    fn bold_italic_code_highlight() {
        let spans = styles("a **b** *c* `d*e` ==f==");
        let texts: Vec<&str> = spans.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["a ", "b", " ", "c", " ", "d*e", " ", "f"]);
        assert!(spans[1].1.bold);
        assert!(spans[3].1.italic);
        assert!(spans[5].1.code);
        assert!(spans[7].1.highlight);
    }

    #[test]
    fn lone_delimiters_are_literal() {
        assert_eq!(styles("5 * 3 = 15")[0].0, "5 * 3 = 15");
        assert_eq!(styles("a ** b")[0].0, "a ** b");
        assert_eq!(styles("`open")[0].0, "`open");
    }

    #[test]
    fn paragraphs_and_breaks() {
        let paragraphs = parse("one\ntwo\n\nthree\\\nfour");
        assert_eq!(paragraphs.len(), 2);
        assert_eq!(paragraphs[0][0].text, "one two");
        assert_eq!(paragraphs[1][0].text, "three\nfour");
    }

    #[test]
    fn links_show_their_text_in_the_accent() {
        let spans = styles("see [the docs](https://example.com/a_(b)) now");
        let texts: Vec<&str> = spans.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["see ", "the docs", " now"]);
        assert!(spans[1].1.highlight);
        assert_eq!(links("[a](https://x.org/a_(b)) `[c](ftp://d)` [e](ftp://f)").len(), 2);
        assert_eq!(links("[e](ftp://f)")[0], Link { text: "e".into(), url: "ftp://f".into() });
        // Another scheme, a space in the target or an empty part: not a link, kept as written.
        for literal in ["[e](ftp://f)", "[a b](http://x y)", "[](https://x)", "[x]()", "a [b] (c)"] {
            assert_eq!(plain_text(literal), literal);
        }
        assert!(allowed_link("mailto:jane@example.com") && allowed_link("HTTPS://x"));
        assert!(!allowed_link("https://") && !allowed_link("javascript:alert(1)"));
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(plain_text("**20x** faster"), "20x faster");
    }
}
