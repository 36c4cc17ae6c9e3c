//! Lints: what `carousel check` warns about beyond what `build` rejects.
//!
//! Owns the advice a carousel author needs and a validator cannot give: text set at its floor,
//! colours below WCAG AA contrast (computed from the theme and accent actually used), slides with
//! more words than a phone reader takes in, a long hook, a deck too short or too long to hold
//! attention, a caption over LinkedIn's limit or hard-wrapped in a `|` block, a list mixing emoji and icon marks. Each warning
//! points at the value it is about. It reads the validated [`Deck`] and the laid-out [`Scene`]s
//! and hands back [`Diagnostic`]s.

use crate::blocks::{Bullet, Bullets, Content, Mark};
use crate::deck::little;
use crate::deck::{Deck, Slide};
use crate::design::kind::Kind;
use crate::read::diag::Diagnostic;
use crate::scene::Scene;
use crate::text::markup;

/// Most words a slide should carry.
pub const MAX_WORDS_PER_SLIDE: usize = 50;
/// Most words in a hook's title.
pub const MAX_HOOK_TITLE_WORDS: usize = 12;
/// The slide counts that hold attention.
pub const GOOD_SLIDE_COUNT: std::ops::RangeInclusive<usize> = 3..=20;
/// LinkedIn's limit on a post's text.
pub const MAX_CAPTION_CHARS: usize = little::MAX_POST_CHARS;

fn words(text: &str) -> usize {
    markup::plain_text(text).split_whitespace().count()
}

fn slide_words(slide: &Slide) -> usize {
    let mut count = 0;
    let heading = &slide.heading;
    for text in [&heading.label, &heading.title, &heading.subtitle].into_iter().flatten() {
        count += words(&text.value);
    }
    for block in &slide.blocks {
        count += match block {
            Content::Body(body) => words(&body.text.value),
            Content::Bullets(bullets) => bullets.items.iter().map(|b| words(&b.text.value)).sum::<usize>(),
            Content::Quote(quote) => words(&quote.text.value),
            Content::Table(table) => table.rows.iter().flatten().map(|cell| words(&cell.value)).sum::<usize>(),
            Content::Compare(compare) => compare
                .columns
                .iter()
                .map(|c| {
                    words(&c.title.value)
                        + c.body.as_ref().map_or(0, |b| words(&b.text.value))
                        + c.bullets.as_ref().map_or(0, |l| l.items.iter().map(|b| words(&b.text.value)).sum())
                })
                .sum(),
            Content::Steps(steps) => {
                steps.items.iter().map(|s| words(&s.text.value) + s.note.as_ref().map_or(0, |n| words(&n.value))).sum()
            }
            _ => 0,
        };
    }
    count
}

/// A list whose marks mix emoji and icons: two drawing styles side by side read as an accident
/// (the built-in marks go with either). Points at the first bullet of the rarer style.
fn mixed_marks(slide: &Slide, bullets: &Bullets) -> Option<Diagnostic> {
    let is_emoji = |b: &&Bullet| matches!(b.mark, Mark::Emoji(_));
    let is_icon = |b: &&Bullet| matches!(b.mark, Mark::Icon(_));
    let emoji: Vec<_> = bullets.items.iter().filter(is_emoji).collect();
    let icons: Vec<_> = bullets.items.iter().filter(is_icon).collect();
    let (Some(first_emoji), Some(first_icon)) = (emoji.first(), icons.first()) else { return None };
    let odd = if emoji.len() < icons.len() { first_emoji } else { first_icon };
    Some(
        Diagnostic::warning(
            odd.mark_pos.unwrap_or(odd.text.pos),
            format!(
                "slide {}'s bullets mix emoji marks ({}) and icon marks ({})",
                slide.number,
                emoji.len(),
                icons.len()
            ),
        )
        .with_help("use one style per list: all icons (in the accent) or all emoji"),
    )
}

/// Every warning for a deck that laid out.
pub fn lint(deck: &Deck, scenes: &[Scene]) -> Vec<Diagnostic> {
    let mut warnings = deck_warnings(deck, true);
    warnings.extend(scene_warnings(deck, scenes));
    warnings
}

/// The warnings a deck's text and colours give, without laying it out: for a deck that laid out,
/// and for what could be read of one with errors (`complete` false: its slide count is not known).
pub fn deck_warnings(deck: &Deck, complete: bool) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let theme = &deck.theme;
    for (role, color, minimum, what) in [
        ("text", theme.text, 4.5, "body text"),
        ("muted", theme.muted, 4.5, "secondary text"),
        ("accent", theme.accent, 3.0, "accent titles and kickers"),
    ] {
        let ratio = color.contrast(theme.background);
        // Under 3:1 the deck is refused (see the deck's reading); up to AA it is a warning.
        if (3.0..minimum).contains(&ratio) {
            warnings.push(
                deck.at_color(
                    role,
                    "background",
                    Diagnostic::warning(
                        deck.colors_pos,
                        format!(
                            "{what} ({role} {color} on {}) has a contrast of {ratio:.1}:1, below WCAG AA {minimum}:1",
                            theme.background
                        ),
                    )
                    .with_help(if role == "accent" {
                        "pick an accent that stands out more from the background"
                    } else {
                        "use a stronger colour for this role"
                    }),
                ),
            );
        }
    }
    let count = deck.slides.len();
    if complete && !GOOD_SLIDE_COUNT.contains(&count) {
        warnings.push(
            Diagnostic::warning(
                deck.slides_pos,
                format!("the deck has {count} slides; carousels that hold attention have 3 to 20"),
            )
            .with_help(if count < 3 {
                "add a hook and a closing slide"
            } else {
                "split it into two posts"
            }),
        );
    }
    warnings.extend(caption_warnings(deck));
    for slide in &deck.slides {
        let n = slide_words(slide);
        if n > MAX_WORDS_PER_SLIDE {
            warnings.push(
                Diagnostic::warning(
                    slide.pos,
                    format!(
                        "slide {} has {n} words; a phone reader takes in about {MAX_WORDS_PER_SLIDE}",
                        slide.number
                    ),
                )
                .with_help("one idea per slide: move some of it to the next slide"),
            );
        }
        if slide.kind == Kind::Hook {
            if let Some(title) = &slide.heading.title {
                let n = words(&title.value);
                if n > MAX_HOOK_TITLE_WORDS {
                    warnings.push(
                        Diagnostic::warning(title.pos, format!("the hook's title has {n} words; hooks that stop the scroll have {MAX_HOOK_TITLE_WORDS} or fewer"))
                            .with_help("move the detail to `body`"),
                    );
                }
            }
        }
        for block in &slide.blocks {
            match block {
                Content::Chart(chart) => warnings.extend(chart.lints(slide.number)),
                Content::Bullets(bullets) => warnings.extend(mixed_marks(slide, bullets)),
                // Each column is a list of its own.
                Content::Compare(compare) => warnings.extend(
                    compare.columns.iter().filter_map(|c| c.bullets.as_ref().and_then(|b| mixed_marks(slide, b))),
                ),
                _ => {}
            }
        }
    }
    warnings
}

/// The warnings only a laid-out slide gives: type at its floor, a layout that gave way.
pub fn scene_warnings(deck: &Deck, scenes: &[Scene]) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (slide, scene) in deck.slides.iter().zip(scenes) {
        if let Some(origin) = &scene.layout_fallback {
            warnings.push(
                Diagnostic::warning(
                    slide.pos,
                    format!("slide {} does not fit the deck's layout `{origin}` on this slide size; it is set in the built-in {} layout", slide.number, slide.kind.name()),
                )
                .with_help("give the layout more room for this shape (its content slot), or shorten the slide"),
            );
        }
        if scene.at_floor {
            warnings.push(
                Diagnostic::warning(
                    slide.pos,
                    format!("slide {} is set at its smallest type size to fit", slide.number),
                )
                .with_help("it reads small on a phone; shorten it or split it"),
            );
        }
    }
    warnings
}

/// The caption as `publish` sends it: its length, its hard wraps, the first comment.
fn caption_warnings(deck: &Deck) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let Some(caption) = &deck.caption else { return warnings };
    let post = little::post_text(&caption.text.value, &caption.hashtags);
    if post.count() > little::MAX_POST_CHARS {
        warnings.push(
            Diagnostic::warning(
                caption.text.pos,
                format!(
                    "the caption is {} characters with its hashtags, counted as LinkedIn may count them; LinkedIn \
                     refuses posts over {} (`carousel publish` will not send it)",
                    post.count(),
                    little::MAX_POST_CHARS
                ),
            )
            .with_help(
                "shorten it; the slides carry the detail (counted in UTF-16 units, an emoji is 2, with a backslash \
                 for each of \\ | { } @ [ ] ( ) < > # * _ ~)",
            ),
        );
    }
    if let Some(lines) = &caption.block_lines {
        if let Some(index) = crate::deck::caption::first_hard_wrap(&caption.text.value) {
            let pos = lines.get(index).copied().unwrap_or(caption.text.pos);
            warnings.push(
                Diagnostic::warning(
                    pos,
                    "the caption's paragraph is broken across lines inside a `|` block: LinkedIn keeps each line \
                     break, so the post breaks here mid-sentence",
                )
                .with_help(
                    "write each paragraph on one line, or use `text: >` (there, a blank line starts a new line; two \
                     blank lines leave a blank line between paragraphs)",
                ),
            );
        }
    }
    if let Some(comment) = &caption.first_comment {
        let count = little::conservative_len(&comment.value);
        if count > little::MAX_COMMENT_CHARS {
            warnings.push(
                Diagnostic::warning(
                    comment.pos,
                    format!(
                        "the first comment is {count} characters, counted as LinkedIn may count them; LinkedIn takes \
                         comments up to {}",
                        little::MAX_COMMENT_CHARS
                    ),
                )
                .with_help("shorten it (an emoji counts 2)"),
            );
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The mixed-marks warning of a one-slide deck with these bullets.
    fn marks_warning(bullets: &str) -> Option<Diagnostic> {
        let source = format!("title: T\nslides:\n  - kind: content\n    bullets:\n{bullets}");
        let loaded = crate::deck::load(std::path::Path::new("/nonexistent/deck.yaml"), &source);
        let deck = loaded.deck.unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
        let slide = &deck.slides[0];
        let Some(Content::Bullets(bullets)) = slide.blocks.first() else { panic!("no bullets: {:?}", slide.blocks) };
        mixed_marks(slide, bullets)
    }

    #[test]
    fn a_list_mixing_emoji_and_icon_marks_is_flagged_at_the_odd_one() {
        let warning = marks_warning(
            "      - { text: a, mark: database }\n      - { text: b, mark: \"🚀\" }\n      - { text: c, mark: zap }\n      - { text: d, mark: check }\n",
        )
        .expect("mixed marks warn");
        assert_eq!((warning.pos.line, warning.pos.column), (6, 26), "at the one emoji bullet's mark");
        assert!(warning.message.contains("mix emoji marks (1) and icon marks (2)"), "{}", warning.message);
        for one_style in [
            "      - { text: a, mark: database }\n      - { text: b, mark: check }\n",
            "      - { text: a, mark: \"🚀\" }\n      - { text: b, mark: \"✅\" }\n      - { text: c, mark: dot }\n",
        ] {
            assert!(marks_warning(one_style).is_none(), "{one_style}");
        }
    }

    fn deck(source: &str) -> Deck {
        let loaded = crate::deck::load(std::path::Path::new("/nonexistent/d.yaml"), source);
        loaded.deck.unwrap_or_else(|| panic!("{:?}", loaded.diagnostics))
    }

    #[test]
    fn a_wrapped_literal_caption_warns_at_its_line_and_a_folded_one_does_not() {
        let text = "    Shipped it!\n\n    After 3 weeks of building, here's what I learned about distributed\n    systems and real-time collaboration.\n";
        let slides = "slides:\n  - kind: hook\n    title: x\n";
        let literal = deck(&format!("title: T\ncaption:\n  text: |\n{text}{slides}"));
        let warnings = caption_warnings(&literal);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!((warnings[0].pos.line, warnings[0].pos.column), (6, 5), "{warnings:?}");
        assert!(warnings[0].message.contains("`|` block"));
        let folded = deck(&format!("title: T\ncaption:\n  text: >\n{text}{slides}"));
        assert!(caption_warnings(&folded).is_empty());
        let quoted = deck(&format!(
            "title: T\ncaption:\n  text: \"a long line of text that goes on and on\\nand on\"\n{slides}"
        ));
        assert!(caption_warnings(&quoted).is_empty());
    }

    #[test]
    fn the_length_warning_counts_like_publish() {
        let slides = "slides:\n  - kind: hook\n    title: x\n";
        // 1,000 emoji: 1,000 characters, 2,000 UTF-16 units; with 600 `(`: 3,200 as sent.
        let text = format!("{}{}", "🎉".repeat(1000), "(".repeat(600));
        let long = deck(&format!("title: T\ncaption: \"{text}\"\n{slides}"));
        let warnings = caption_warnings(&long);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].message.contains("3200") && warnings[0].message.contains("refuses"),
            "{}",
            warnings[0].message
        );
    }
}
