//! Limits on everything a deck can make big. Documented in `docs/deck-format.md`; each block
//! keeps the limits of its own values beside its reading code, and [`crate::media`] the image limits.

/// Most slides in a deck (LinkedIn's document limit).
pub const MAX_SLIDES: usize = 300;
/// Longest title, subtitle or label, in characters.
pub const MAX_TITLE_CHARS: usize = 300;
/// Longest body, quote or bullet, in characters.
pub const MAX_TEXT_CHARS: usize = 3_000;
/// Longest `notes` or caption text, in characters.
pub const MAX_NOTES_CHARS: usize = 10_000;
/// Most bullets on one slide.
pub const MAX_BULLETS: usize = 12;
/// Most metrics on one slide.
pub const MAX_METRICS: usize = 4;
/// Most lines in a code block.
pub const MAX_CODE_LINES: usize = 60;
/// Most characters in a code block.
pub const MAX_CODE_CHARS: usize = 6_000;
/// Most hashtags in a caption.
pub const MAX_HASHTAGS: usize = 30;
/// Smallest slide side, in px.
pub const MIN_SIDE: u32 = 320;
/// Largest slide side, in px.
pub const MAX_SIDE: u32 = 4_096;
/// Largest theme file, in bytes.
pub const MAX_THEME_BYTES: u64 = 64 * 1024;
/// Longest kicker `label`, in characters.
pub const MAX_LABEL_CHARS: usize = 60;
/// Longest author name or handle, or metric label, in characters.
pub const MAX_NAME_CHARS: usize = 80;
/// Longest `footer:` line, in characters.
pub const MAX_FOOTER_CHARS: usize = 80;
/// Largest brand kit file, in bytes.
pub const MAX_BRAND_BYTES: u64 = 64 * 1024;
/// Longest `quote.by`, in characters.
pub const MAX_BY_CHARS: usize = 120;
/// Longest metric `value`, `before` or `after`, in characters.
pub const MAX_METRIC_CHARS: usize = 24;
/// Longest metric `change`, in characters.
pub const MAX_CHANGE_CHARS: usize = 40;
/// Longest hashtag, in characters.
pub const MAX_HASHTAG_CHARS: usize = 100;
/// Longest `caption.first_comment`, in characters (LinkedIn's limit on a comment).
pub const MAX_COMMENT_CHARS: usize = 1_250;
/// Longest path to an image, in characters.
pub const MAX_PATH_CHARS: usize = 1_000;
