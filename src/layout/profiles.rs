//! The author shown large where a look's layout asks for it (`data-profile` on a cover, hook or
//! cta, on a slide of words), or where a slide writes `profile:` itself.
//!
//! Runs once per deck, before the deck's title line is planned, so that the slides are measured
//! with the profile they will be drawn with. It hands the rest of the layout stage the deck with
//! each such slide's [`Profile`] block filled in with the deck's author; a slide whose look
//! shows no profile, or a deck without an author, is left as written.

use std::borrow::Cow;

use super::Templates;
use crate::blocks::profile::{self, Profile};
use crate::blocks::Content;
use crate::deck::{Deck, Slide};

/// The deck with the author in every profile its slides and layouts ask for.
pub fn with_profiles<'a>(deck: &'a Deck, templates: &Templates) -> Cow<'a, Deck> {
    let Some(author) = &deck.author else { return Cow::Borrowed(deck) };
    let person = profile::Author {
        name: author.name.value.clone(),
        handle: author.handle.as_ref().map(|h| h.value.clone()),
        avatar: author.avatar.clone(),
    };
    let wants = |slide: &Slide| templates.loaded(slide.kind).and_then(|t| t.params.profile);
    let touched = deck
        .slides
        .iter()
        .any(|slide| wants(slide).is_some() || slide.blocks.iter().any(|b| matches!(b, Content::Profile(_))));
    if !touched {
        return Cow::Borrowed(deck);
    }
    let mut deck = deck.clone();
    let english = deck.words().language == "en";
    for slide in &mut deck.slides {
        let style = wants(slide);
        // English words only on a slide written in English: a slide in a script the deck's
        // language does not name (a Bengali slide in a deck left in English) gets no "Follow
        // for more"; a deck in another language has its own words.
        let language = if !english || latin_words(slide) { deck.language.clone() } else { "und".to_string() };
        let own = slide.blocks.iter().position(|b| matches!(b, Content::Profile(_)));
        match own {
            Some(index) => {
                if let Content::Profile(written) = &slide.blocks[index] {
                    let filled = written.clone().with_author(person.clone(), style, &language);
                    slide.blocks[index] = Content::Profile(filled);
                }
            }
            None => {
                let Some(style) = style else { continue };
                // The look's profile joins words, not a figure: a cta that shows a comparison
                // or numbers keeps its room for them.
                if slide.blocks.iter().any(|b| !matches!(b, Content::Body(_) | Content::Bullets(_) | Content::Quote(_)))
                {
                    continue;
                }
                let added = Profile::from_layout(style, slide.pos).with_author(person.clone(), None, &language);
                slide.blocks.push(Content::Profile(added));
                slide.block_keys.push(slide.pos);
            }
        }
    }
    Cow::Owned(deck)
}

/// Whether `slide` shows its author large, so its footer leaves the author out.
pub fn shows_author(slide: &Slide) -> bool {
    slide.blocks.iter().any(|b| matches!(b, Content::Profile(p) if p.shown && p.author.is_some()))
}

/// Whether the slide's heading is written in Latin letters (or none at all).
fn latin_words(slide: &Slide) -> bool {
    let mut words = Vec::new();
    slide.heading.words(&mut words);
    words
        .iter()
        .flat_map(|w| w.chars())
        .filter(|c| c.is_alphabetic())
        .all(|c| (c as u32) <= 0x024f || ('\u{1e00}'..='\u{1eff}').contains(&c))
}
