//! Mojibake: text that was UTF-8 but was read as Mac Roman or Windows-1252 somewhere on the way.
//!
//! Owns the detection and repair of the two garblings authors paste most: `üöÄ` for 🚀 (UTF-8
//! read as Mac Roman, as in the seed plans) and `â€”` for — (read as Windows-1252 or Latin-1).
//! The deck stage turns a hit into a warning that shows the repaired text. Detection is strict:
//! a run counts only when its characters map back to bytes that form valid multi-byte UTF-8, so
//! real accented text ("café", "Größe") is never flagged.

/// The encoding a text was wrongly read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Classic Mac OS Roman.
    MacRoman,
    /// Windows-1252 (and Latin-1, whose C1 controls fill its five gaps).
    Windows1252,
}

impl Encoding {
    /// Its usual name.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::MacRoman => "Mac Roman",
            Encoding::Windows1252 => "Windows-1252",
        }
    }

    fn table(self) -> &'static [char; 128] {
        match self {
            Encoding::MacRoman => &MAC_ROMAN,
            Encoding::Windows1252 => &WINDOWS_1252,
        }
    }

    /// The byte this encoding writes for `c`, if it has one.
    fn byte_of(self, c: char) -> Option<u8> {
        if c.is_ascii() {
            return Some(c as u8);
        }
        self.table().iter().position(|&t| t == c).map(|i| 0x80 + i as u8)
    }
}

/// A proposed repair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// The encoding the text was read as.
    pub encoding: Encoding,
    /// The text as it was meant.
    pub repaired: String,
}

/// Whether `text` looks like mojibake, and what it should have been.
pub fn detect(text: &str) -> Option<Repair> {
    if text.is_ascii() {
        return None;
    }
    [Encoding::MacRoman, Encoding::Windows1252]
        .into_iter()
        .filter_map(|encoding| repair(text, encoding).map(|(repaired, fixed)| (fixed, Repair { encoding, repaired })))
        .max_by_key(|(fixed, _)| *fixed)
        .map(|(_, repair)| repair)
}

/// Repairs every sequence of characters that map back to one valid UTF-8 multi-byte character.
/// Returns the text and how many characters were repaired, or `None` when none were.
fn repair(text: &str, encoding: Encoding) -> Option<(String, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut fixed = 0;
    let mut i = 0;
    while i < chars.len() {
        if let Some((decoded, used)) = decode_at(&chars[i..], encoding) {
            out.push(decoded);
            fixed += 1;
            i += used;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    (fixed > 0).then_some((out, fixed))
}

/// Decodes one UTF-8 character from the bytes the next characters stand for.
fn decode_at(chars: &[char], encoding: Encoding) -> Option<(char, usize)> {
    let lead = encoding.byte_of(*chars.first()?)?;
    // Mac Roman reads 0xF0, the lead byte of most emoji, as the Apple logo (U+F8FF), a private
    // character that copy and paste usually drops: `üöÄ` is 🚀 without it. Restore it.
    if encoding == Encoding::MacRoman && lead == 0x9F && chars.len() >= 3 {
        let rest: Option<Vec<u8>> =
            chars[1..3].iter().map(|&c| encoding.byte_of(c).filter(|b| (0x80..=0xBF).contains(b))).collect();
        if let Some(rest) = rest {
            let bytes = [0xF0, 0x9F, rest[0], rest[1]];
            if let Some(decoded) = std::str::from_utf8(&bytes).ok().and_then(|s| s.chars().next()) {
                return Some((decoded, 3));
            }
        }
    }
    let length = match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    if chars.len() < length {
        return None;
    }
    let mut bytes = [0u8; 4];
    bytes[0] = lead;
    for k in 1..length {
        let byte = encoding.byte_of(chars[k])?;
        if !(0x80..=0xBF).contains(&byte) {
            return None;
        }
        bytes[k] = byte;
    }
    let decoded = std::str::from_utf8(&bytes[..length]).ok()?.chars().next()?;
    Some((decoded, length))
}

const MAC_ROMAN: [char; 128] = [
    '\u{00c4}', '\u{00c5}', '\u{00c7}', '\u{00c9}', '\u{00d1}', '\u{00d6}', '\u{00dc}', '\u{00e1}', '\u{00e0}',
    '\u{00e2}', '\u{00e4}', '\u{00e3}', '\u{00e5}', '\u{00e7}', '\u{00e9}', '\u{00e8}', '\u{00ea}', '\u{00eb}',
    '\u{00ed}', '\u{00ec}', '\u{00ee}', '\u{00ef}', '\u{00f1}', '\u{00f3}', '\u{00f2}', '\u{00f4}', '\u{00f6}',
    '\u{00f5}', '\u{00fa}', '\u{00f9}', '\u{00fb}', '\u{00fc}', '\u{2020}', '\u{00b0}', '\u{00a2}', '\u{00a3}',
    '\u{00a7}', '\u{2022}', '\u{00b6}', '\u{00df}', '\u{00ae}', '\u{00a9}', '\u{2122}', '\u{00b4}', '\u{00a8}',
    '\u{2260}', '\u{00c6}', '\u{00d8}', '\u{221e}', '\u{00b1}', '\u{2264}', '\u{2265}', '\u{00a5}', '\u{00b5}',
    '\u{2202}', '\u{2211}', '\u{220f}', '\u{03c0}', '\u{222b}', '\u{00aa}', '\u{00ba}', '\u{03a9}', '\u{00e6}',
    '\u{00f8}', '\u{00bf}', '\u{00a1}', '\u{00ac}', '\u{221a}', '\u{0192}', '\u{2248}', '\u{2206}', '\u{00ab}',
    '\u{00bb}', '\u{2026}', '\u{00a0}', '\u{00c0}', '\u{00c3}', '\u{00d5}', '\u{0152}', '\u{0153}', '\u{2013}',
    '\u{2014}', '\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}', '\u{00f7}', '\u{25ca}', '\u{00ff}', '\u{0178}',
    '\u{2044}', '\u{20ac}', '\u{2039}', '\u{203a}', '\u{fb01}', '\u{fb02}', '\u{2021}', '\u{00b7}', '\u{201a}',
    '\u{201e}', '\u{2030}', '\u{00c2}', '\u{00ca}', '\u{00c1}', '\u{00cb}', '\u{00c8}', '\u{00cd}', '\u{00ce}',
    '\u{00cf}', '\u{00cc}', '\u{00d3}', '\u{00d4}', '\u{f8ff}', '\u{00d2}', '\u{00da}', '\u{00db}', '\u{00d9}',
    '\u{0131}', '\u{02c6}', '\u{02dc}', '\u{00af}', '\u{02d8}', '\u{02d9}', '\u{02da}', '\u{00b8}', '\u{02dd}',
    '\u{02db}', '\u{02c7}',
];

const WINDOWS_1252: [char; 128] = [
    '\u{20ac}', '\u{0081}', '\u{201a}', '\u{0192}', '\u{201e}', '\u{2026}', '\u{2020}', '\u{2021}', '\u{02c6}',
    '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008d}', '\u{017d}', '\u{008f}', '\u{0090}', '\u{2018}',
    '\u{2019}', '\u{201c}', '\u{201d}', '\u{2022}', '\u{2013}', '\u{2014}', '\u{02dc}', '\u{2122}', '\u{0161}',
    '\u{203a}', '\u{0153}', '\u{009d}', '\u{017e}', '\u{0178}', '\u{00a0}', '\u{00a1}', '\u{00a2}', '\u{00a3}',
    '\u{00a4}', '\u{00a5}', '\u{00a6}', '\u{00a7}', '\u{00a8}', '\u{00a9}', '\u{00aa}', '\u{00ab}', '\u{00ac}',
    '\u{00ad}', '\u{00ae}', '\u{00af}', '\u{00b0}', '\u{00b1}', '\u{00b2}', '\u{00b3}', '\u{00b4}', '\u{00b5}',
    '\u{00b6}', '\u{00b7}', '\u{00b8}', '\u{00b9}', '\u{00ba}', '\u{00bb}', '\u{00bc}', '\u{00bd}', '\u{00be}',
    '\u{00bf}', '\u{00c0}', '\u{00c1}', '\u{00c2}', '\u{00c3}', '\u{00c4}', '\u{00c5}', '\u{00c6}', '\u{00c7}',
    '\u{00c8}', '\u{00c9}', '\u{00ca}', '\u{00cb}', '\u{00cc}', '\u{00cd}', '\u{00ce}', '\u{00cf}', '\u{00d0}',
    '\u{00d1}', '\u{00d2}', '\u{00d3}', '\u{00d4}', '\u{00d5}', '\u{00d6}', '\u{00d7}', '\u{00d8}', '\u{00d9}',
    '\u{00da}', '\u{00db}', '\u{00dc}', '\u{00dd}', '\u{00de}', '\u{00df}', '\u{00e0}', '\u{00e1}', '\u{00e2}',
    '\u{00e3}', '\u{00e4}', '\u{00e5}', '\u{00e6}', '\u{00e7}', '\u{00e8}', '\u{00e9}', '\u{00ea}', '\u{00eb}',
    '\u{00ec}', '\u{00ed}', '\u{00ee}', '\u{00ef}', '\u{00f0}', '\u{00f1}', '\u{00f2}', '\u{00f3}', '\u{00f4}',
    '\u{00f5}', '\u{00f6}', '\u{00f7}', '\u{00f8}', '\u{00f9}', '\u{00fa}', '\u{00fb}', '\u{00fc}', '\u{00fd}',
    '\u{00fe}', '\u{00ff}',
];

#[cfg(test)]
mod tests {
    use super::*;

    fn garble(text: &str, encoding: Encoding) -> String {
        text.bytes().map(|b| if b < 0x80 { b as char } else { encoding.table()[(b - 0x80) as usize] }).collect()
    }

    #[test]
    fn tables_are_complete_and_unique() {
        for encoding in [Encoding::MacRoman, Encoding::Windows1252] {
            let mut seen: Vec<char> = encoding.table().to_vec();
            seen.sort();
            seen.dedup();
            assert_eq!(seen.len(), 128, "{}", encoding.name());
        }
    }

    #[test]
    fn repairs_the_seed_examples() {
        assert_eq!(detect("Launch üöÄ").unwrap().repaired, "Launch 🚀");
        assert_eq!(detect("Done ‚úÖ").unwrap().repaired, "Done ✅");
        assert_eq!(detect("4s ‚Üí 200ms").unwrap().repaired, "4s → 200ms");
        assert_eq!(detect("wait ‚Äî what").unwrap().repaired, "wait — what");
        let cp = detect("itâ€™s â€” ðŸš€").unwrap();
        assert_eq!((cp.encoding, cp.repaired.as_str()), (Encoding::Windows1252, "it’s — 🚀"));
        assert_eq!(detect("cafÃ©").unwrap().repaired, "café");
    }

    #[test]
    fn round_trips() {
        for text in ["🚀 ✅ → — “quoted” • café naïve 👩‍💻 🇺🇸", "Größe ça", "日本語 العربية"]
        {
            for encoding in [Encoding::MacRoman, Encoding::Windows1252] {
                let garbled = garble(text, encoding);
                assert_eq!(
                    detect(&garbled).map(|r| r.repaired),
                    Some(text.to_string()),
                    "{} {garbled}",
                    encoding.name()
                );
            }
        }
    }

    #[test]
    fn real_text_is_left_alone() {
        for text in
            ["café", "naïve", "Ünïcödé", "Größe", "ça va", "—", "→", "🚀", "日本語", "العربية", "señor ¿qué?", "plain"]
        {
            assert_eq!(detect(text), None, "{text}");
        }
    }
}
