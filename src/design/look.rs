//! Looks: complete designs a deck picks with one line (`look:`), beyond a palette.
//!
//! A look is data: a set of layouts (one SVG per kind, in `layouts/looks/<look>/`, the default
//! `tech` look in `layouts/` itself), the palette it is drawn for (a built-in theme, which
//! `theme:` may replace), and its title type (family, weight, tracking). It hands the template
//! stage the layout source of a kind and the deck stage the defaults; nothing here draws.

use super::theme::ThemeFonts;
use crate::fonts::{SERIF_DISPLAY, SPARTAN};

/// A built-in look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    /// The name a deck writes (`look: editorial`).
    pub name: &'static str,
    /// One line for `carousel looks`.
    pub description: &'static str,
    /// The built-in theme it is drawn for, used when the deck names none.
    pub theme: &'static str,
    /// Its title type.
    pub fonts: ThemeFonts,
}

/// The default look.
pub const DEFAULT_LOOK: &str = "tech";

/// Every look, in the order `carousel looks` lists them.
pub const ALL: [Look; 5] = [
    Look {
        name: "tech",
        description: "dark: accent glows, rings and dot grids, heavy Inter titles (midnight)",
        theme: "midnight",
        fonts: ThemeFonts { title: None, body: None, code: None, title_weight: None, title_tracking: None },
    },
    Look {
        name: "bold",
        description: "hook and call to action on the full accent, heavy League Spartan titles, chunky bars (volt)",
        theme: "volt",
        fonts: ThemeFonts {
            title: Some(SPARTAN),
            body: None,
            code: None,
            title_weight: Some(800),
            title_tracking: Some(-10),
        },
    },
    Look {
        name: "editorial",
        description: "Noto Serif Display titles over Inter, thin rules, paper tones, generous white space (linen)",
        theme: "linen",
        fonts: ThemeFonts {
            title: Some(SERIF_DISPLAY),
            body: None,
            code: None,
            title_weight: Some(600),
            title_tracking: Some(-5),
        },
    },
    Look {
        name: "notebook",
        description: "squared paper with a margin line, hand-drawn underlines, arrows and tape (notebook)",
        theme: "notebook",
        fonts: ThemeFonts { title: None, body: None, code: None, title_weight: Some(800), title_tracking: None },
    },
    Look {
        name: "minimal",
        description: "light and bare: white, one accent, no decoration; the type does the work (snow)",
        theme: "snow",
        fonts: ThemeFonts { title: None, body: None, code: None, title_weight: Some(700), title_tracking: Some(-30) },
    },
];

/// The layouts of the looks other than `tech`, by look and file stem.
const LAYOUTS: &[(&str, &str, &str)] = &[
    ("bold", "hook", include_str!("../../layouts/looks/bold/hook.svg")),
    ("bold", "problem", include_str!("../../layouts/looks/bold/problem.svg")),
    ("bold", "root-cause", include_str!("../../layouts/looks/bold/root-cause.svg")),
    ("bold", "solution", include_str!("../../layouts/looks/bold/solution.svg")),
    ("bold", "results", include_str!("../../layouts/looks/bold/results.svg")),
    ("bold", "learnings", include_str!("../../layouts/looks/bold/learnings.svg")),
    ("bold", "cover", include_str!("../../layouts/looks/bold/cover.svg")),
    ("bold", "content", include_str!("../../layouts/looks/bold/content.svg")),
    ("bold", "quote", include_str!("../../layouts/looks/bold/quote.svg")),
    ("bold", "cta", include_str!("../../layouts/looks/bold/cta.svg")),
    ("editorial", "hook", include_str!("../../layouts/looks/editorial/hook.svg")),
    ("editorial", "problem", include_str!("../../layouts/looks/editorial/problem.svg")),
    ("editorial", "root-cause", include_str!("../../layouts/looks/editorial/root-cause.svg")),
    ("editorial", "solution", include_str!("../../layouts/looks/editorial/solution.svg")),
    ("editorial", "results", include_str!("../../layouts/looks/editorial/results.svg")),
    ("editorial", "learnings", include_str!("../../layouts/looks/editorial/learnings.svg")),
    ("editorial", "cover", include_str!("../../layouts/looks/editorial/cover.svg")),
    ("editorial", "content", include_str!("../../layouts/looks/editorial/content.svg")),
    ("editorial", "quote", include_str!("../../layouts/looks/editorial/quote.svg")),
    ("editorial", "cta", include_str!("../../layouts/looks/editorial/cta.svg")),
    ("notebook", "hook", include_str!("../../layouts/looks/notebook/hook.svg")),
    ("notebook", "problem", include_str!("../../layouts/looks/notebook/problem.svg")),
    ("notebook", "root-cause", include_str!("../../layouts/looks/notebook/root-cause.svg")),
    ("notebook", "solution", include_str!("../../layouts/looks/notebook/solution.svg")),
    ("notebook", "results", include_str!("../../layouts/looks/notebook/results.svg")),
    ("notebook", "learnings", include_str!("../../layouts/looks/notebook/learnings.svg")),
    ("notebook", "cover", include_str!("../../layouts/looks/notebook/cover.svg")),
    ("notebook", "content", include_str!("../../layouts/looks/notebook/content.svg")),
    ("notebook", "quote", include_str!("../../layouts/looks/notebook/quote.svg")),
    ("notebook", "cta", include_str!("../../layouts/looks/notebook/cta.svg")),
    ("minimal", "hook", include_str!("../../layouts/looks/minimal/hook.svg")),
    ("minimal", "problem", include_str!("../../layouts/looks/minimal/problem.svg")),
    ("minimal", "root-cause", include_str!("../../layouts/looks/minimal/root-cause.svg")),
    ("minimal", "solution", include_str!("../../layouts/looks/minimal/solution.svg")),
    ("minimal", "results", include_str!("../../layouts/looks/minimal/results.svg")),
    ("minimal", "learnings", include_str!("../../layouts/looks/minimal/learnings.svg")),
    ("minimal", "cover", include_str!("../../layouts/looks/minimal/cover.svg")),
    ("minimal", "content", include_str!("../../layouts/looks/minimal/content.svg")),
    ("minimal", "quote", include_str!("../../layouts/looks/minimal/quote.svg")),
    ("minimal", "cta", include_str!("../../layouts/looks/minimal/cta.svg")),
];

impl Look {
    /// A look by (case-insensitive) name.
    pub fn named(name: &str) -> Option<Look> {
        let name = name.trim().to_ascii_lowercase();
        ALL.into_iter().find(|look| look.name == name)
    }

    /// The default look.
    pub fn default_look() -> Look {
        ALL[0]
    }

    /// The built-in layout of the kind whose file stem is `stem`, in this look; `None` for the
    /// `tech` look, whose layouts are `layouts/*.svg`.
    pub fn layout(self, stem: &str) -> Option<&'static str> {
        LAYOUTS.iter().find(|(look, kind, _)| *look == self.name && *kind == stem).map(|(_, _, source)| *source)
    }
}

/// The looks' names, for messages.
pub fn names() -> Vec<&'static str> {
    ALL.iter().map(|look| look.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::kind::Kind;
    use crate::design::theme::Theme;

    #[test]
    fn every_look_has_a_layout_for_every_kind_and_a_theme() {
        for look in ALL {
            assert!(Theme::built_in(look.theme).is_some(), "{}", look.name);
            for kind in Kind::ALL {
                let layout = look.layout(kind.layout_name());
                assert_eq!(layout.is_some(), look.name != DEFAULT_LOOK, "{} {}", look.name, kind.name());
                if let Some(source) = layout {
                    crate::design::template::parse(kind.layout_name(), source)
                        .unwrap_or_else(|e| panic!("{} {}: {}", look.name, kind.name(), e.message));
                }
            }
        }
        assert_eq!(Look::named("Editorial").map(|l| l.name), Some("editorial"));
        assert!(Look::named("fancy").is_none());
    }
}
