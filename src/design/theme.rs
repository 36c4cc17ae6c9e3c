//! Themes: a small set of named colours that every layout refers to by name.
//!
//! Owns colour parsing, the built-in themes and theme files. The layout stage asks a theme for a
//! colour by role (`accent`, `muted`, ...); the SVG stage writes the same roles as CSS classes
//! into each template, so one theme file restyles every kind at once.

use std::fmt;

use serde::Deserialize;

/// An opaque sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Color {
    /// Red.
    pub r: u8,
    /// Green.
    pub g: u8,
    /// Blue.
    pub b: u8,
}

impl Color {
    /// Builds a colour from a `0xRRGGBB` literal.
    pub const fn hex(rgb: u32) -> Color {
        Color { r: (rgb >> 16) as u8, g: (rgb >> 8) as u8, b: rgb as u8 }
    }

    /// Parses `#rgb` or `#rrggbb` (the `#` optional, case-insensitive).
    pub fn parse(text: &str) -> Option<Color> {
        let digits = text.trim().strip_prefix('#').unwrap_or(text.trim());
        if !digits.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let value = u32::from_str_radix(digits, 16).ok()?;
        match digits.len() {
            6 => Some(Color::hex(value)),
            3 => {
                let expand = |n: u32| ((n & 0xf) * 17) as u8;
                Some(Color { r: expand(value >> 8), g: expand(value >> 4), b: expand(value) })
            }
            _ => None,
        }
    }

    /// WCAG relative luminance.
    pub fn luminance(self) -> f32 {
        let channel = |c: u8| {
            let c = c as f32 / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.r) + 0.7152 * channel(self.g) + 0.0722 * channel(self.b)
    }

    /// WCAG contrast ratio between two colours (1 to 21).
    pub fn contrast(self, other: Color) -> f32 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// Linear mix: `t = 0` is `self`, `t = 1` is `other`.
    pub fn mix(self, other: Color, t: f32) -> Color {
        let lerp = |a: u8, b: u8| (a as f32 + (b as f32 - a as f32) * t).round().clamp(0.0, 255.0) as u8;
        Color { r: lerp(self.r, other.r), g: lerp(self.g, other.g), b: lerp(self.b, other.b) }
    }
}

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

/// The colours of a theme, each a role that layouts name.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// The theme's name (built-in name or file stem).
    pub name: String,
    /// Slide background.
    pub background: Color,
    /// Panels: code blocks, quote cards, metric bars' track.
    pub surface: Color,
    /// Primary text.
    pub text: Color,
    /// Secondary text: body copy on busy slides, labels, footer.
    pub muted: Color,
    /// The one accent: kicker, highlights, marks, the "after" bar.
    pub accent: Color,
    /// Text drawn on an accent fill.
    pub on_accent: Color,
    /// Positive marks and results.
    pub good: Color,
    /// Negative marks and the "before" bar.
    pub bad: Color,
    /// Warning marks.
    pub warn: Color,
    /// Colours of highlighted code.
    pub code: CodePalette,
    /// The families a theme file names for titles, body and code (`fonts:` in the file).
    pub fonts: ThemeFonts,
}

/// The families of a theme (each `None` for the bundled one), from its file's `fonts:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ThemeFonts {
    /// For titles.
    pub title: Option<&'static str>,
    /// For the rest of the prose.
    pub body: Option<&'static str>,
    /// For code.
    pub code: Option<&'static str>,
    /// The titles' weight (100 to 900), when not the usual 800.
    pub title_weight: Option<u16>,
    /// The titles' tracking in thousandths of an em, when not the usual -20.
    pub title_tracking: Option<i16>,
}

/// Colours for syntax-highlighted code, per token kind.
#[derive(Debug, Clone, PartialEq)]
pub struct CodePalette {
    /// Plain code text.
    pub plain: Color,
    /// Keywords and storage modifiers.
    pub keyword: Color,
    /// String literals.
    pub string: Color,
    /// Numbers and language constants.
    pub number: Color,
    /// Comments.
    pub comment: Color,
    /// Function names.
    pub function: Color,
    /// Types, tags and keys.
    pub r#type: Color,
    /// Operators and punctuation.
    pub punctuation: Color,
}

/// Names of the built-in themes, for `theme:` and error messages.
pub const BUILT_IN: &[&str] = &["midnight", "paper", "ember", "volt", "linen", "notebook", "snow"];

/// The theme used when a deck names none.
pub const DEFAULT_THEME: &str = "midnight";

impl Theme {
    /// A built-in theme by (case-insensitive) name.
    pub fn built_in(name: &str) -> Option<Theme> {
        match name.to_ascii_lowercase().as_str() {
            "midnight" => Some(Theme {
                name: "midnight".into(),
                fonts: ThemeFonts::default(),
                background: Color::hex(0x0b1120),
                surface: Color::hex(0x162033),
                text: Color::hex(0xf1f5f9),
                muted: Color::hex(0xa3b1c6),
                accent: Color::hex(0x22d3ee),
                on_accent: Color::hex(0x0b1120),
                good: Color::hex(0x34d399),
                bad: Color::hex(0xf87171),
                warn: Color::hex(0xfbbf24),
                code: CodePalette {
                    plain: Color::hex(0xe2e8f0),
                    keyword: Color::hex(0xc792ea),
                    string: Color::hex(0xa5e075),
                    number: Color::hex(0xf78c6c),
                    comment: Color::hex(0x8491a8),
                    function: Color::hex(0x82aaff),
                    r#type: Color::hex(0xffcb6b),
                    punctuation: Color::hex(0x89ddff),
                },
            }),
            "paper" => Some(Theme {
                name: "paper".into(),
                fonts: ThemeFonts::default(),
                background: Color::hex(0xfaf7f2),
                surface: Color::hex(0xefe9df),
                text: Color::hex(0x1c1917),
                muted: Color::hex(0x57534e),
                accent: Color::hex(0x4f46e5),
                on_accent: Color::hex(0xffffff),
                good: Color::hex(0x15803d),
                bad: Color::hex(0xb91c1c),
                warn: Color::hex(0xb45309),
                code: CodePalette {
                    plain: Color::hex(0x292524),
                    keyword: Color::hex(0x7c3aed),
                    string: Color::hex(0x166534),
                    number: Color::hex(0x9a3412),
                    comment: Color::hex(0x625b55),
                    function: Color::hex(0x1d4ed8),
                    r#type: Color::hex(0x854d0e),
                    punctuation: Color::hex(0x57534e),
                },
            }),
            "ember" => Some(Theme {
                name: "ember".into(),
                fonts: ThemeFonts::default(),
                background: Color::hex(0x1a1210),
                surface: Color::hex(0x2a1d19),
                text: Color::hex(0xfbf4ee),
                muted: Color::hex(0xc9b3a6),
                accent: Color::hex(0xfb923c),
                on_accent: Color::hex(0x1a1210),
                good: Color::hex(0x4ade80),
                bad: Color::hex(0xf87171),
                warn: Color::hex(0xfacc15),
                code: CodePalette {
                    plain: Color::hex(0xf5e9e1),
                    keyword: Color::hex(0xf472b6),
                    string: Color::hex(0xa3e635),
                    number: Color::hex(0xfdba74),
                    comment: Color::hex(0x9c877b),
                    function: Color::hex(0x7dd3fc),
                    r#type: Color::hex(0xfde047),
                    punctuation: Color::hex(0xd6c4b8),
                },
            }),
            "volt" => Some(Theme {
                name: "volt".into(),
                fonts: ThemeFonts::default(),
                background: Color::hex(0x0e0e10),
                surface: Color::hex(0x1d1d22),
                text: Color::hex(0xfafafa),
                muted: Color::hex(0xb4b4bd),
                accent: Color::hex(0xfacc15),
                on_accent: Color::hex(0x111111),
                good: Color::hex(0x4ade80),
                bad: Color::hex(0xfb7185),
                warn: Color::hex(0xfb923c),
                code: CodePalette {
                    plain: Color::hex(0xe4e4e7),
                    keyword: Color::hex(0xf9a8d4),
                    string: Color::hex(0xbef264),
                    number: Color::hex(0xfdba74),
                    comment: Color::hex(0x9d9daa),
                    function: Color::hex(0x7dd3fc),
                    r#type: Color::hex(0xfacc15),
                    punctuation: Color::hex(0xd4d4d8),
                },
            }),
            "linen" => Some(Theme {
                name: "linen".into(),
                fonts: ThemeFonts::default(),
                background: Color::hex(0xf6f1e7),
                surface: Color::hex(0xebe3d3),
                text: Color::hex(0x1d1a16),
                muted: Color::hex(0x5a5148),
                accent: Color::hex(0x9f1239),
                on_accent: Color::hex(0xffffff),
                good: Color::hex(0x166534),
                bad: Color::hex(0xb91c1c),
                warn: Color::hex(0x92400e),
                code: CodePalette {
                    plain: Color::hex(0x292524),
                    keyword: Color::hex(0x7e22ce),
                    string: Color::hex(0x166534),
                    number: Color::hex(0x9a3412),
                    comment: Color::hex(0x635b53),
                    function: Color::hex(0x1e40af),
                    r#type: Color::hex(0x854d0e),
                    punctuation: Color::hex(0x44403c),
                },
            }),
            "notebook" => Some(Theme {
                name: "notebook".into(),
                fonts: ThemeFonts::default(),
                background: Color::hex(0xfbfaf4),
                surface: Color::hex(0xefede2),
                text: Color::hex(0x1f2937),
                muted: Color::hex(0x4b5563),
                accent: Color::hex(0x1d4ed8),
                on_accent: Color::hex(0xffffff),
                good: Color::hex(0x15803d),
                bad: Color::hex(0xb91c1c),
                warn: Color::hex(0x92400e),
                code: CodePalette {
                    plain: Color::hex(0x1f2937),
                    keyword: Color::hex(0x6d28d9),
                    string: Color::hex(0x166534),
                    number: Color::hex(0x9a3412),
                    comment: Color::hex(0x57534e),
                    function: Color::hex(0x1d4ed8),
                    r#type: Color::hex(0x854d0e),
                    punctuation: Color::hex(0x374151),
                },
            }),
            "snow" => Some(Theme {
                name: "snow".into(),
                fonts: ThemeFonts::default(),
                background: Color::hex(0xffffff),
                surface: Color::hex(0xf4f4f5),
                text: Color::hex(0x0a0a0a),
                muted: Color::hex(0x52525b),
                accent: Color::hex(0x2563eb),
                on_accent: Color::hex(0xffffff),
                good: Color::hex(0x15803d),
                bad: Color::hex(0xb91c1c),
                warn: Color::hex(0xa16207),
                code: CodePalette {
                    plain: Color::hex(0x18181b),
                    keyword: Color::hex(0x6d28d9),
                    string: Color::hex(0x166534),
                    number: Color::hex(0x9a3412),
                    comment: Color::hex(0x57575f),
                    function: Color::hex(0x1d4ed8),
                    r#type: Color::hex(0x854d0e),
                    punctuation: Color::hex(0x3f3f46),
                },
            }),
            _ => None,
        }
    }

    /// Replaces the accent and picks text that stays readable on it.
    pub fn with_accent(mut self, accent: Color) -> Theme {
        self.accent = accent;
        let dark = Color::hex(0x0b0b0f);
        let light = Color::hex(0xffffff);
        self.on_accent = if accent.contrast(dark) >= accent.contrast(light) { dark } else { light };
        self
    }

    /// The theme of a slide drawn on the accent (a layout's `data-ground="accent"`): the accent
    /// is the background and the text is the text drawn on the accent; panels (code, quote
    /// cards) keep the usual background, so what is drawn on them keeps its colours.
    pub fn on_accent_ground(&self) -> Theme {
        let ink = self.on_accent;
        Theme {
            name: self.name.clone(),
            fonts: self.fonts,
            background: self.accent,
            surface: self.background,
            text: ink,
            muted: ink.mix(self.accent, 0.22),
            accent: ink,
            on_accent: self.accent,
            good: ink,
            bad: ink,
            warn: ink,
            code: self.code.clone(),
        }
    }

    /// Whether text on this theme is light on dark.
    pub fn is_dark(&self) -> bool {
        self.background.luminance() < 0.2
    }

    /// Every role with its colour, in a fixed order: what templates may name as CSS classes.
    pub fn roles(&self) -> [(&'static str, Color); 9] {
        [
            ("background", self.background),
            ("surface", self.surface),
            ("text", self.text),
            ("muted", self.muted),
            ("accent", self.accent),
            ("on-accent", self.on_accent),
            ("good", self.good),
            ("bad", self.bad),
            ("warn", self.warn),
        ]
    }

    /// The CSS that templates' `<style id="theme">` is replaced with: for each role `R`,
    /// `.R` sets fill, `.R-stroke` sets stroke and `.R-stop` sets a gradient stop.
    pub fn css(&self) -> String {
        let mut css = String::new();
        for (role, color) in self.roles() {
            css.push_str(&format!(
                ".{role}{{fill:{color}}}.{role}-stroke{{stroke:{color}}}.{role}-stop{{stop-color:{color}}}"
            ));
        }
        css
    }
}

/// A theme file: any subset of the roles over a built-in base (`extends`, default midnight).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ThemeFile {
    /// The built-in theme this file starts from.
    pub extends: Option<String>,
    /// Where each colour was written in the file, by role, for messages about it.
    #[serde(skip)]
    pub places: Vec<(String, crate::read::yaml::Pos)>,
    /// The families its `fonts:` names (its files already added to the font set).
    #[serde(skip)]
    pub fonts: ThemeFonts,
    /// Whether the file is a theme file by its content (its lines may be shown).
    #[serde(skip)]
    pub is_theme: bool,
    /// Slide background.
    pub background: Option<String>,
    /// Panels.
    pub surface: Option<String>,
    /// Primary text.
    pub text: Option<String>,
    /// Secondary text.
    pub muted: Option<String>,
    /// Accent.
    pub accent: Option<String>,
    /// Text on accent fills.
    pub on_accent: Option<String>,
    /// Positive.
    pub good: Option<String>,
    /// Negative.
    pub bad: Option<String>,
    /// Warning.
    pub warn: Option<String>,
}

impl ThemeFile {
    /// Applies the file over its base. Returns the role name of the first bad colour on failure.
    pub fn resolve(&self, name: &str) -> Result<Theme, ThemeFileError> {
        let base_name = self.extends.as_deref().unwrap_or(DEFAULT_THEME);
        let mut theme = Theme::built_in(base_name).ok_or_else(|| ThemeFileError::UnknownBase(base_name.to_string()))?;
        theme.name = name.to_string();
        theme.fonts = self.fonts;
        let fields: [(&str, &Option<String>, &mut Color); 9] = [
            ("background", &self.background, &mut theme.background),
            ("surface", &self.surface, &mut theme.surface),
            ("text", &self.text, &mut theme.text),
            ("muted", &self.muted, &mut theme.muted),
            ("accent", &self.accent, &mut theme.accent),
            ("on-accent", &self.on_accent, &mut theme.on_accent),
            ("good", &self.good, &mut theme.good),
            ("bad", &self.bad, &mut theme.bad),
            ("warn", &self.warn, &mut theme.warn),
        ];
        for (role, value, slot) in fields {
            if let Some(text) = value {
                *slot = Color::parse(text).ok_or_else(|| ThemeFileError::BadColor { role, value: text.clone() })?;
            }
        }
        Ok(theme)
    }
}

/// Why a theme file could not be applied.
#[derive(Debug, thiserror::Error)]
pub enum ThemeFileError {
    /// `extends:` names no built-in theme.
    #[error("`extends: {name}` is not a built-in theme; valid: {valid}", name = .0, valid = BUILT_IN.join(", "))]
    UnknownBase(String),
    /// A role's value is not a colour.
    #[error("`{role}: {value}` is not a colour; write #rrggbb or #rgb")]
    BadColor {
        /// The role.
        role: &'static str,
        /// What the file said.
        value: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `layouts/theme.css` lets a designer open a layout in a browser with real colours; it must
    /// stay what the engine injects for the default theme. `CAROUSEL_BLESS=1` rewrites it.
    #[test]
    fn layouts_theme_css_is_the_default_theme() {
        let css = Theme::built_in(DEFAULT_THEME).unwrap().css().replace('}', "}\n");
        let expected = format!(
            "/* The default theme's colours, as the engine injects them. Generated: see src/design/theme.rs. */\n{css}"
        );
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/layouts/theme.css");
        if std::env::var_os("CAROUSEL_BLESS").is_some() {
            std::fs::write(path, &expected).unwrap();
        }
        assert_eq!(std::fs::read_to_string(path).unwrap_or_default(), expected, "run with CAROUSEL_BLESS=1");
    }

    #[test]
    fn a_slide_on_the_accent_reads_as_well() {
        for name in BUILT_IN {
            let theme = Theme::built_in(name).unwrap().on_accent_ground();
            assert!(theme.text.contrast(theme.background) >= 4.5, "{name} text on the accent");
            assert!(theme.muted.contrast(theme.background) >= 3.0, "{name} muted on the accent");
        }
    }

    #[test]
    fn parses_colours() {
        assert_eq!(Color::parse("#22d3ee"), Some(Color::hex(0x22d3ee)));
        assert_eq!(Color::parse("#fff"), Some(Color::hex(0xffffff)));
        assert_eq!(Color::parse("red"), None);
        assert_eq!(Color::parse("#12345"), None);
        assert_eq!(Color::parse("#+12345"), None);
    }

    #[test]
    fn built_in_themes_are_readable() {
        for name in BUILT_IN {
            let theme = Theme::built_in(name).unwrap();
            assert!(theme.text.contrast(theme.background) >= 7.0, "{name} text");
            assert!(theme.muted.contrast(theme.background) >= 4.5, "{name} muted");
            assert!(theme.accent.contrast(theme.background) >= 3.0, "{name} accent");
            assert!(theme.on_accent.contrast(theme.accent) >= 4.5, "{name} on accent");
            let code = &theme.code;
            for (role, color) in [
                ("plain", code.plain),
                ("keyword", code.keyword),
                ("string", code.string),
                ("number", code.number),
                ("comment", code.comment),
                ("function", code.function),
                ("type", code.r#type),
                ("punctuation", code.punctuation),
            ] {
                let ratio = color.contrast(theme.surface);
                assert!(ratio >= 4.5, "{name}: code {role} {color} at {ratio:.2}:1 on its panel {}", theme.surface);
            }
        }
    }
}
