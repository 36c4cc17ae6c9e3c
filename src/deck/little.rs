//! LinkedIn's "little" text format: the caption as written in, post `commentary` out.
//!
//! The Posts API reads `commentary` as little text, where `\ | { } @ [ ] ( ) < > # * _ ~` are
//! reserved (mentions `@[Name](urn)`, hashtags `#tag`, templates `{hashtag|#|tag}`). LinkedIn's
//! documentation asks for every reserved character to be escaped with a backslash, even where it
//! would not start an element; left bare, the post is silently cut at the first one. This module
//! escapes the author's text so that it reaches the feed exactly as written, and writes the deck's
//! `hashtags:` as hashtag elements (`#Tag`) so that LinkedIn links them. It hands
//! [`super`] the commentary and the number of characters a reader will see.

/// The characters little text reserves (LinkedIn's "little Text Format" page).
pub const RESERVED: [char; 15] = ['\\', '|', '{', '}', '@', '[', ']', '(', ')', '<', '>', '#', '*', '_', '~'];

/// LinkedIn's limit on a post's text, in characters.
pub const MAX_POST_CHARS: usize = 3_000;

/// LinkedIn's limit on a comment's text, in characters.
pub const MAX_COMMENT_CHARS: usize = 1_250;

/// How long LinkedIn may find `text`: it does not document what it counts, so this is the larger
/// of its UTF-16 code units (what a JavaScript or Java `length` gives: an emoji counts 2) and its
/// Unicode scalar values, and the caller counts the text as sent, escapes included.
pub fn conservative_len(text: &str) -> usize {
    text.encode_utf16().count().max(text.chars().count())
}

/// Escapes `text` so that little text shows it as written: a backslash before each reserved
/// character, everything else (line breaks, emoji, any script) unchanged.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        if RESERVED.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether `tag` can be a hashtag element as it is: letters and digits only (a reserved character
/// such as `_` would end it, and a hashtag with punctuation is not linked by LinkedIn anyway).
pub fn is_plain_hashtag(tag: &str) -> bool {
    !tag.is_empty() && tag.chars().all(char::is_alphanumeric)
}

/// The post text a deck's caption makes: what a reader sees, and the little-text `commentary`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostText {
    /// The text as LinkedIn will show it: the caption's text, a blank line, then `#Tag #Tag`.
    pub shown: String,
    /// The same text in little format, for the Posts API's `commentary`.
    pub commentary: String,
    /// Hashtags that are not letters and digits only: shown as written, but not linked.
    pub unlinked: Vec<String>,
}

impl PostText {
    /// Characters a reader sees.
    pub fn chars(&self) -> usize {
        self.shown.chars().count()
    }

    /// The length LinkedIn's limit is checked against, counted conservatively: the commentary
    /// as sent (backslashes of the escapes included), in UTF-16 units (see [`conservative_len`]).
    pub fn count(&self) -> usize {
        conservative_len(&self.commentary)
    }
}

/// Composes the post text from a caption's text and its hashtags (given without their `#`).
pub fn post_text(text: &str, hashtags: &[String]) -> PostText {
    let text = text.trim_end();
    let mut shown = text.to_string();
    let mut commentary = escape(text);
    let mut unlinked = Vec::new();
    if !hashtags.is_empty() {
        if !text.is_empty() {
            shown.push_str("\n\n");
            commentary.push_str("\n\n");
        }
        for (i, tag) in hashtags.iter().enumerate() {
            if i > 0 {
                shown.push(' ');
                commentary.push(' ');
            }
            shown.push('#');
            shown.push_str(tag);
            if is_plain_hashtag(tag) {
                // A bare `#` starts a HashtagElement: LinkedIn links it.
                commentary.push('#');
                commentary.push_str(tag);
            } else {
                commentary.push_str(&escape(&format!("#{tag}")));
                unlinked.push(tag.clone());
            }
        }
    }
    PostText { shown, commentary, unlinked }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reserved_character_gets_a_backslash() {
        assert_eq!(escape(r"a\b|c{d}e@f[g]h(i)j<k>l#m*n_o~p"), r"a\\b\|c\{d\}e\@f\[g\]h\(i\)j\<k\>l\#m\*n\_o\~p");
    }

    #[test]
    fn plain_text_is_unchanged() {
        let text = "Dashboard: 4s -> 200ms. 87% hit rate! \"quoted\", it's $5 & more\n\nÜmlaut 日本語 🎉";
        let escaped = escape(text);
        // `>` is reserved; nothing else in this text is.
        assert_eq!(escaped, text.replace('>', "\\>"));
    }

    #[test]
    fn parentheses_mentions_and_underscores_are_literal() {
        assert_eq!(escape("(see @jane_doe)"), r"\(see \@jane\_doe\)");
    }

    #[test]
    fn hashtags_become_linked_elements_after_a_blank_line() {
        let post = post_text("Shipped it.\n", &["Rust".into(), "Performance".into()]);
        assert_eq!(post.shown, "Shipped it.\n\n#Rust #Performance");
        assert_eq!(post.commentary, "Shipped it.\n\n#Rust #Performance");
        assert!(post.unlinked.is_empty());
    }

    #[test]
    fn a_hash_in_the_text_is_not_a_hashtag() {
        let post = post_text("Issue #12 (done)", &[]);
        assert_eq!(post.commentary, r"Issue \#12 \(done\)");
        assert_eq!(post.shown, "Issue #12 (done)");
    }

    #[test]
    fn a_hashtag_with_punctuation_is_escaped_and_reported() {
        let post = post_text("x", &["node_js".into(), "Go".into()]);
        assert_eq!(post.commentary, "x\n\n\\#node\\_js #Go");
        assert_eq!(post.unlinked, vec!["node_js".to_string()]);
    }

    #[test]
    fn hashtags_alone_have_no_leading_blank_line() {
        let post = post_text("", &["Rust".into()]);
        assert_eq!(post.commentary, "#Rust");
    }

    #[test]
    fn characters_are_counted_not_bytes() {
        let post = post_text("日本語🎉", &[]);
        assert_eq!(post.chars(), 4);
    }

    #[test]
    fn the_limit_counts_escapes_and_utf16_units() {
        // An emoji is two UTF-16 units; `(` is sent as `\(`.
        let post = post_text("🎉(a)", &[]);
        assert_eq!(post.chars(), 4);
        assert_eq!(post.count(), 2 + 2 + 1 + 2);
    }
}
