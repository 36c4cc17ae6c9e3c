//! The kinds of slide: the names a deck gives its slides, and the layout each one is drawn with.
//! A kind is data (a layout plus its defaults, read by [`super::template`]) over the shared blocks.

/// The ten kinds of slide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Opening statement that stops the scroll.
    Hook,
    /// What hurt.
    Problem,
    /// Why it hurt.
    RootCause,
    /// What we did.
    Solution,
    /// The numbers.
    Results,
    /// What to take away.
    Learnings,
    /// A title page.
    Cover,
    /// Anything else.
    Content,
    /// A pull quote.
    Quote,
    /// Closing call to action.
    Cta,
}

impl Kind {
    /// Every kind, in story order.
    pub const ALL: [Kind; 10] = [
        Kind::Hook,
        Kind::Problem,
        Kind::RootCause,
        Kind::Solution,
        Kind::Results,
        Kind::Learnings,
        Kind::Cover,
        Kind::Content,
        Kind::Quote,
        Kind::Cta,
    ];

    /// The name written in decks.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Hook => "hook",
            Kind::Problem => "problem",
            Kind::RootCause => "root cause",
            Kind::Solution => "solution",
            Kind::Results => "results",
            Kind::Learnings => "learnings",
            Kind::Cover => "cover",
            Kind::Content => "content",
            Kind::Quote => "quote",
            Kind::Cta => "cta",
        }
    }

    /// The file stem of the kind's layout in `layouts/`.
    pub fn layout_name(self) -> &'static str {
        match self {
            Kind::RootCause => "root-cause",
            other => other.name(),
        }
    }

    /// Reads a kind, ignoring case and treating `-`, `_` and spaces alike.
    pub fn parse(text: &str) -> Option<Kind> {
        let normalized = normalize_kind(text);
        Kind::ALL.into_iter().find(|kind| kind.name() == normalized)
    }
}

/// A kind as written, in the form kinds are compared in: lower case, `-` and `_` as spaces, single
/// spaces.
pub fn normalize_kind(text: &str) -> String {
    text.trim().to_lowercase().replace(['-', '_'], " ").split_whitespace().collect::<Vec<_>>().join(" ")
}
