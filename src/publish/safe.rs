//! What reaches the terminal: server text stripped of control characters, secrets redacted.
//!
//! Everything `publish`, `login` and the other LinkedIn commands print goes through [`clean`]:
//! escape sequences (CSI, OSC and the rest), C0 and C1 control characters and bidirectional
//! overrides are removed, so that an `error_description`, a post URN or a record from a cloned
//! repository cannot move the cursor, retitle the terminal or hide text. Then every secret this
//! process has seen (the access token, the client secret) is replaced by `<redacted>` in every
//! encoding it may have been sent in: verbatim, percent-encoded with upper or lower hex digits and
//! `%20` or `+` for a space (form bodies), JSON-escaped (`\/`, `\uXXXX`), and base64 (standard or
//! URL-safe, padded or not, alone or as the `id:secret` of HTTP basic auth).

use std::sync::Mutex;

use base64::Engine as _;

/// What replaces a secret.
pub const REDACTED: &str = "<redacted>";

/// The secrets of this process, and their base64 forms.
static SECRETS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Secrets shorter than this are not redacted (they would match ordinary words).
const MIN_SECRET_CHARS: usize = 4;

/// Remembers a secret so that no message shows it. `context` is what it may be sent beside in a
/// base64 `context:secret` pair (a client id), if any.
pub fn remember(secret: &str, context: Option<&str>) {
    let secret = secret.trim();
    if secret.chars().count() < MIN_SECRET_CHARS {
        return;
    }
    let mut forms = vec![secret.to_string()];
    let engines = [
        base64::engine::general_purpose::STANDARD,
        base64::engine::general_purpose::STANDARD_NO_PAD,
        base64::engine::general_purpose::URL_SAFE,
        base64::engine::general_purpose::URL_SAFE_NO_PAD,
    ];
    for engine in engines {
        forms.push(engine.encode(secret));
        if let Some(id) = context {
            forms.push(engine.encode(format!("{id}:{secret}")));
        }
    }
    let mut secrets = SECRETS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    for form in forms {
        if !secrets.contains(&form) {
            secrets.push(form);
        }
    }
    // Longest first, so that `id:secret` in base64 goes before the secret's own base64.
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
}

/// A message made safe to print: controls stripped, secrets redacted.
pub fn clean(text: &str) -> String {
    redact(&strip_controls(text))
}

/// Like [`clean`], for one line: line breaks and tabs become spaces too.
pub fn clean_line(text: &str) -> String {
    clean(&text.replace(['\n', '\t'], " "))
}

/// Replaces every remembered secret, in any encoding `matches_at` knows, by `<redacted>`.
pub fn redact(text: &str) -> String {
    let secrets = SECRETS.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
    redact_with(text, &secrets)
}

fn redact_with(text: &str, secrets: &[String]) -> String {
    if secrets.is_empty() {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        let hit = secrets.iter().find_map(|secret| matches_at(bytes, i, secret.as_bytes()));
        match hit {
            Some(end) if end > i => {
                out.push_str(&text[copied..i]);
                out.push_str(REDACTED);
                i = end;
                copied = end;
            }
            _ => i += 1,
        }
    }
    // `i` only ever stops on a char boundary after a match; the tail is copied whole.
    out.push_str(&text[copied..]);
    out
}

/// Where the encoded `secret` that starts at `text[at]` ends, if one does. Each byte of the
/// secret may appear as itself, as `%XX` (either case), as `+` for a space, or JSON-escaped
/// (`\/`, `\\`, `\"`, `\uXXXX` for an ASCII character).
fn matches_at(text: &[u8], at: usize, secret: &[u8]) -> Option<usize> {
    if !text.is_char_boundary_at(at) {
        return None;
    }
    let mut i = at;
    for &byte in secret {
        i = one_byte(text, i, byte)?;
    }
    text.is_char_boundary_at(i).then_some(i)
}

fn one_byte(text: &[u8], i: usize, byte: u8) -> Option<usize> {
    let next = |offset: usize| text.get(i + offset).copied();
    if next(0) == Some(byte) {
        return Some(i + 1);
    }
    if byte == b' ' && next(0) == Some(b'+') {
        return Some(i + 1);
    }
    let hex = |b: Option<u8>| b.and_then(|b| (b as char).to_digit(16));
    if next(0) == Some(b'%') {
        if let (Some(high), Some(low)) = (hex(next(1)), hex(next(2))) {
            if (high * 16 + low) as u8 == byte {
                return Some(i + 3);
            }
        }
    }
    if next(0) == Some(b'\\') {
        if matches!(byte, b'/' | b'\\' | b'"') && next(1) == Some(byte) {
            return Some(i + 2);
        }
        if byte.is_ascii() && matches!(next(1), Some(b'u' | b'U')) {
            let digits: Option<Vec<u32>> = (2..6).map(|k| hex(next(k))).collect();
            if let Some(digits) = digits {
                let value = digits.iter().fold(0, |acc, d| acc * 16 + d);
                if value == u32::from(byte) {
                    return Some(i + 6);
                }
            }
        }
    }
    None
}

trait CharBoundary {
    fn is_char_boundary_at(&self, i: usize) -> bool;
}

impl CharBoundary for [u8] {
    fn is_char_boundary_at(&self, i: usize) -> bool {
        // UTF-8 continuation bytes are 0b10xxxxxx.
        i >= self.len() || (self[i] as i8) >= -0x40
    }
}

/// Removes terminal escape sequences, control characters (but line breaks and tabs) and
/// bidirectional overrides.
pub fn strip_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.next() {
                // CSI: parameters and intermediates, then one final byte.
                Some('[') => {
                    while let Some(&next) = chars.peek() {
                        chars.next();
                        if ('\u{40}'..='\u{7e}').contains(&next) {
                            break;
                        }
                    }
                }
                // OSC, DCS, SOS, PM, APC: up to BEL or ESC \.
                Some(']' | 'P' | 'X' | '^' | '_') => {
                    while let Some(next) = chars.next() {
                        if next == '\u{7}' {
                            break;
                        }
                        if next == '\u{1b}' {
                            if chars.peek() == Some(&'\\') {
                                chars.next();
                            }
                            break;
                        }
                    }
                }
                // Two-character sequences (ESC c, ESC 7 ...): the second one goes too.
                _ => {}
            },
            // CSI and OSC as single C1 characters.
            '\u{9b}' => {
                while let Some(&next) = chars.peek() {
                    chars.next();
                    if ('\u{40}'..='\u{7e}').contains(&next) {
                        break;
                    }
                }
            }
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether `urn` is a LinkedIn URN that is safe to print and to put in a path or a URL:
/// `urn:li:<type>:<id>` with an id of letters, digits, `_` and `-`, or a parenthesised tuple of
/// such URNs and numbers (a comment's URN), at most 400 characters.
pub fn is_urn(urn: &str) -> bool {
    let Some(rest) = urn.strip_prefix("urn:li:") else { return false };
    let Some((kind, id)) = rest.split_once(':') else { return false };
    urn.len() <= 400
        && !kind.is_empty()
        && kind.chars().all(|c| c.is_ascii_alphanumeric())
        && !id.is_empty()
        && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':' | ',' | '(' | ')'))
        && (!id.contains(['(', ')', ',']) || (id.starts_with('(') && id.ends_with(')')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn escape_sequences_and_controls_are_removed() {
        let text = "a\u{1b}[31mred\u{1b}[0m b\u{1b}]0;title\u{7} c\u{1b}]8;;http://x\u{1b}\\link\r\u{7}\u{9b}2Jd\u{202e}e\nf\tg";
        assert_eq!(strip_controls(text), "ared b clinkde\nf\tg");
    }

    #[test]
    fn a_secret_is_redacted_in_every_encoding() {
        let secret = "WPL_AP1.s3cr/t+k ey==";
        let list = secrets(&[secret]);
        for form in [
            "WPL_AP1.s3cr/t+k ey==",
            "WPL_AP1.s3cr%2Ft%2Bk%20ey%3D%3D",
            "WPL_AP1.s3cr%2ft%2bk%20ey%3d%3d",
            "WPL_AP1.s3cr%2Ft%2Bk+ey%3D%3D",
            "WPL_AP1.s3cr/t%2Bk+ey%3D%3D",
            "WPL_AP1.s3cr\\/t+k ey==",
            "WPL_AP1.s3cr\\u002ft\\u002Bk ey\\u003d\\u003D",
            "%57%50%4C_AP1.s3cr/t+k ey==",
        ] {
            let text = format!("error: bad client_secret={form}&x=1");
            assert_eq!(redact_with(&text, &list), "error: bad client_secret=<redacted>&x=1", "{form}");
        }
    }

    #[test]
    fn base64_forms_are_redacted() {
        remember("tok-EN-123456", Some("client9"));
        let basic = base64::engine::general_purpose::STANDARD.encode("client9:tok-EN-123456");
        let alone = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("tok-EN-123456");
        let cleaned = clean(&format!("Authorization: Basic {basic} and {alone}"));
        assert_eq!(cleaned, "Authorization: Basic <redacted> and <redacted>");
    }

    #[test]
    fn text_around_secrets_and_multibyte_text_survive() {
        let list = secrets(&["abcd"]);
        assert_eq!(redact_with("éabcdé abc abcd", &list), "é<redacted>é abc <redacted>");
        assert_eq!(redact_with("nothing here ✓", &list), "nothing here ✓");
    }

    #[test]
    fn urns_are_checked() {
        assert!(is_urn("urn:li:share:7000000000000000001"));
        assert!(is_urn("urn:li:document:D5610AQ-x_y"));
        assert!(is_urn("urn:li:comment:(urn:li:activity:123,456)"));
        assert!(!is_urn("urn:li:share:70\u{1b}[2J"));
        assert!(!is_urn("urn:li:share:7/../../x"));
        assert!(!is_urn("urn:li:share:"));
        assert!(!is_urn("urn:x:share:1"));
        assert!(!is_urn("urn:li:share:1 2"));
    }
}
