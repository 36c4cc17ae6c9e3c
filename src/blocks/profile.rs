//! `profile:` the author, large: their photo (or initials), name and handle, and on a call to
//! action a "follow" line and the save and repost cues.
//!
//! A look's cover, hook and cta layouts ask for it (`data-profile="byline"` or `"follow"` on
//! their content slot), so those slides carry the author without the deck writing anything; a
//! slide's own `profile:` turns it off (`false`), on (`true`, a byline on any slide), or sets
//! the follow line (`profile: "Follow for a Rust tip every week"`). The layout stage fills in
//! the deck's author ([`Profile::with_author`]) and leaves the author out of that slide's
//! footer, so it is not shown twice.

use unicode_segmentation::UnicodeSegmentation as _;

use crate::design::words::Words;
use crate::geom::Rect;
use crate::media::asset::Asset;
use crate::media::Fit;
use crate::read::format::{Key, Shape};
use crate::read::reader::{Located, Reader};
use crate::read::yaml::{Node, Pos, Value};
use crate::scene::Item;
use crate::text::{Align, Family, TextStyle, Typesetter};

use super::{place_line, set_plain, style, Block, Ctx, Element, Role, Sizes};

/// The key on a slide.
pub const KEY: &str = "profile";

/// The least any of its words is set at, at 1080 wide (scaled with the floors): what a phone
/// still reads, as every other text's floor.
const MIN_TEXT: f32 = 24.0;

/// Longest follow line, in characters.
const MAX_FOLLOW_CHARS: usize = 80;

/// The `profile:` key of a slide.
pub const SLIDE_KEY: Key = Key {
    name: KEY,
    doc: "The author, large (photo or initials, name, handle): `true` on any slide, `false` to leave it off a \
          cover, hook or cta whose look shows it, or the follow line of a cta (\"Follow for more\" by default, \
          in English decks).",
    required: false,
    shape: Shape::AnyOf { of: &[Shape::Bool, Shape::Text { max: MAX_FOLLOW_CHARS }] },
};

/// Who is shown: the deck's author, as the layout stage hands it over.
#[derive(Debug, Clone)]
pub struct Author {
    /// Display name.
    pub name: String,
    /// `@handle`.
    pub handle: Option<String>,
    /// Their photo.
    pub avatar: Option<Asset>,
}

/// How the author is shown: the layout's `data-profile`.
pub use crate::design::template::ProfileStyle as Style;

/// The author, large.
#[derive(Debug, Clone)]
pub struct Profile {
    /// `false` written on the slide: not shown, even where the look shows it.
    pub shown: bool,
    /// The follow line the slide wrote.
    pub follow: Option<Located<String>>,
    /// How it is drawn; a byline unless the layout asks for more.
    pub style: Style,
    /// The deck's author, filled in by the layout stage.
    pub author: Option<Author>,
    /// The words of the deck's language: the default follow line and the cues.
    pub words: &'static Words,
    /// Where it was written (the slide, for one the layout added).
    pub pos: Pos,
}

impl Profile {
    /// The profile a layout adds to a slide that did not write one.
    pub fn from_layout(style: Style, pos: Pos) -> Profile {
        Profile { shown: true, follow: None, style, author: None, words: Words::for_language("en"), pos }
    }

    /// With the deck's author, in the layout's style (a slide's own `profile:` keeps its words).
    pub fn with_author(mut self, author: Author, style: Option<Style>, language: &str) -> Profile {
        self.author = Some(author);
        if let Some(style) = style {
            self.style = style;
        }
        if self.follow.is_some() {
            self.style = Style::Follow;
        }
        self.words = Words::for_language(language);
        self
    }
}

impl Element for Profile {
    const KEY: &'static str = KEY;

    fn parse(reader: &mut Reader, node: &Node) -> Option<Profile> {
        let base = Profile {
            shown: true,
            follow: None,
            style: Style::Byline,
            author: None,
            words: Words::for_language("en"),
            pos: node.pos,
        };
        match &node.value {
            Value::Bool(shown) => Some(Profile { shown: *shown, ..base }),
            _ => {
                let text = reader.text(node, "`profile`", MAX_FOLLOW_CHARS)?;
                if text.value.trim().is_empty() {
                    return Some(base);
                }
                Some(Profile { follow: Some(text), style: Style::Follow, ..base })
            }
        }
    }

    fn layout(&self, ctx: &Ctx, sizes: &Sizes, ts: &mut Typesetter) -> Block {
        let Some(author) = self.author.as_ref().filter(|_| self.shown) else {
            return Block { name: KEY, pos: self.pos, items: Vec::new(), width: 0.0, height: 0.0, gap_before: 0.0 };
        };
        let f = sizes.f.clamp(0.6, 1.2);
        let s = ctx.s;
        let theme = ctx.theme;
        let (name_style, handle_style) = person_styles(ctx, sizes);
        let (name_size, handle_size) = (name_style.size, handle_style.size);
        let mut items = Vec::new();
        match self.style {
            Style::Byline => {
                let diameter = 124.0 * s * f;
                let gap = 28.0 * s;
                let room = (ctx.width - diameter - gap).max(40.0 * s);
                let name = set_plain(ts, &author.name, &name_style, room);
                let handle = author.handle.as_ref().map(|h| set_plain(ts, h, &handle_style, room));
                let text_width = name.width.max(handle.as_ref().map_or(0.0, |h| h.width));
                let width = diameter + gap + text_width;
                avatar(&mut items, author, Rect { x: 0.0, y: 0.0, width: diameter, height: diameter }, ctx, ts);
                let text_height = name.height + handle.as_ref().map_or(0.0, |h| h.height);
                let top = (diameter - text_height) / 2.0;
                let x = diameter + gap;
                place_line(&mut items, &name, x, top + name_size * 0.95);
                if let Some(handle) = &handle {
                    place_line(&mut items, handle, x, top + name.height + handle_size * 0.95);
                }
                Block { name: KEY, pos: self.pos, items, width, height: diameter, gap_before: 0.0 }
            }
            // A wide slide has height for a row, not a column: the photo beside the words.
            Style::Follow if ctx.slot_height < ctx.width * 0.8 => self.follow_row(author, ctx, sizes, ts),
            Style::Follow => {
                let diameter = 168.0 * s * f;
                let width = ctx.width;
                let centre = match ctx.text_align() {
                    Align::Center => width / 2.0,
                    Align::Start => diameter / 2.0,
                };
                let left_of = |w: f32| match ctx.text_align() {
                    Align::Center => (width - w) / 2.0,
                    Align::Start => 0.0,
                };
                avatar(
                    &mut items,
                    author,
                    Rect { x: centre - diameter / 2.0, y: 0.0, width: diameter, height: diameter },
                    ctx,
                    ts,
                );
                let mut y = diameter + 24.0 * s;
                let name = set_plain(ts, &author.name, &name_style, width);
                place_line(&mut items, &name, left_of(name.width), y + name_size * 0.95);
                y += name.height;
                if let Some(handle) = &author.handle {
                    let handle = set_plain(ts, handle, &handle_style, width);
                    place_line(&mut items, &handle, left_of(handle.width), y + handle_size * 0.95);
                    y += handle.height;
                }
                if let Some(follow) = self.follow_line() {
                    y += 32.0 * s;
                    let size = (sizes.body * 0.8).max(MIN_TEXT * ctx.fs);
                    let pill_style = TextStyle {
                        weight: 700,
                        line_height: 1.0,
                        ..style(theme, Family::Sans, size, theme.on_accent)
                    };
                    let text = set_plain(ts, &follow, &pill_style, width - 80.0 * s);
                    let pad = size * 1.1;
                    let height = size * 2.3;
                    let pill = text.width + 2.0 * pad;
                    let x = left_of(pill);
                    items.push(Item::Rect {
                        rect: Rect { x, y, width: pill, height },
                        radius: height / 2.0,
                        fill: theme.accent,
                        opacity: 1.0,
                    });
                    place_line(&mut items, &text, x + pad, y + height / 2.0 + size * 0.36);
                    y += height;
                }
                if let Some(words) = self.words.cues {
                    y += 28.0 * s;
                    y += cues(&mut items, ctx, sizes, ts, y, &left_of, words);
                }
                Block { name: KEY, pos: self.pos, items, width, height: y, gap_before: 0.0 }
            }
        }
    }

    fn words(&self, out: &mut Vec<String>) {
        self.add_words(out);
    }

    fn role(&self, _column: &Ctx) -> Role {
        Role::Prose
    }
}

impl Profile {
    /// The follow line: the slide's own, else the language's default (none in a language the
    /// words table does not hold).
    fn follow_line(&self) -> Option<String> {
        match &self.follow {
            Some(text) => Some(text.value.trim().to_string()),
            None => self.words.follow.map(str::to_string),
        }
    }

    /// The call to follow on a wide slide: the photo, and beside it the name and handle over
    /// the follow pill and the cues.
    fn follow_row(&self, author: &Author, ctx: &Ctx, sizes: &Sizes, ts: &mut Typesetter) -> Block {
        let s = ctx.s;
        let theme = ctx.theme;
        let diameter = 150.0 * s * sizes.f.clamp(0.6, 1.2);
        let gap = 32.0 * s;
        let room = (ctx.width - diameter - gap).max(40.0 * s);
        let (name_style, handle_style) = person_styles(ctx, sizes);
        let (name_size, handle_size) = (name_style.size, handle_style.size);
        let name = set_plain(ts, &author.name, &name_style, room);
        let handle = author.handle.as_ref().map(|h| set_plain(ts, h, &handle_style, room));
        let size = (sizes.body * 0.72).max(MIN_TEXT * ctx.fs);
        let pill_style =
            TextStyle { weight: 700, line_height: 1.0, ..style(theme, Family::Sans, size, theme.on_accent) };
        let pill = self.follow_line().map(|line| set_plain(ts, &line, &pill_style, room));
        let pad = size * 1.1;
        let pill_height = size * 2.3;
        let text_height = name.height
            + handle.as_ref().map_or(0.0, |h| h.height)
            + pill.as_ref().map_or(0.0, |_| 16.0 * s + pill_height);
        let pill_width = pill.as_ref().map_or(0.0, |p| p.width + 2.0 * pad);
        let words_width = name.width.max(handle.as_ref().map_or(0.0, |h| h.width)).max(pill_width);
        let width = diameter + gap + words_width;
        let height = diameter.max(text_height);
        let mut items = Vec::new();
        avatar(
            &mut items,
            author,
            Rect { x: 0.0, y: (height - diameter) / 2.0, width: diameter, height: diameter },
            ctx,
            ts,
        );
        let x = diameter + gap;
        let mut y = (height - text_height) / 2.0;
        place_line(&mut items, &name, x, y + name_size * 0.95);
        y += name.height;
        if let Some(handle) = &handle {
            place_line(&mut items, handle, x, y + handle_size * 0.95);
            y += handle.height;
        }
        if let Some(text) = &pill {
            y += 16.0 * s;
            items.push(Item::Rect {
                rect: Rect { x, y, width: pill_width, height: pill_height },
                radius: pill_height / 2.0,
                fill: theme.accent,
                opacity: 1.0,
            });
            place_line(&mut items, text, x + pad, y + pill_height / 2.0 + size * 0.36);
        }
        Block { name: KEY, pos: self.pos, items, width, height, gap_before: 0.0 }
    }

    fn add_words(&self, out: &mut Vec<String>) {
        if let (true, Some(author)) = (self.shown, &self.author) {
            out.push(author.name.clone());
            if let Some(handle) = &author.handle {
                out.push(handle.clone());
            }
        }
        if let Some(follow) = &self.follow {
            out.push(follow.value.clone());
        }
    }
}

/// The name's style and the handle's, by the body size: the name a little under it, bold; the
/// handle smaller and muted, never under the phone floor.
fn person_styles(ctx: &Ctx, sizes: &Sizes) -> (TextStyle, TextStyle) {
    let theme = ctx.theme;
    let name =
        TextStyle { weight: 700, line_height: 1.15, ..style(theme, Family::Sans, sizes.body * 0.95, theme.text) };
    let handle_size = (sizes.body * 0.78).max(MIN_TEXT * ctx.fs);
    let handle = TextStyle { weight: 500, line_height: 1.15, ..style(theme, Family::Sans, handle_size, theme.muted) };
    (name, handle)
}

/// The save and repost cues, muted, each with its icon; returns their height.
fn cues(
    items: &mut Vec<Item>,
    ctx: &Ctx,
    sizes: &Sizes,
    ts: &mut Typesetter,
    y: f32,
    left_of: &dyn Fn(f32) -> f32,
    words: [&str; 2],
) -> f32 {
    let size = (sizes.body * 0.72).max(MIN_TEXT * ctx.fs);
    let cue_style =
        TextStyle { weight: 600, line_height: 1.0, ..style(ctx.theme, Family::Sans, size, ctx.theme.muted) };
    let parts: Vec<_> = [("bookmark", words[0]), ("repeat-2", words[1])]
        .into_iter()
        .filter_map(|(icon, word)| {
            Some((crate::design::icons::lookup(icon)?, set_plain(ts, word, &cue_style, ctx.width)))
        })
        .collect();
    let icon = size * 1.15;
    let space = size * 0.4;
    let between = size * 1.6;
    let total: f32 =
        parts.iter().map(|(_, t)| icon + space + t.width).sum::<f32>() + between * parts.len().saturating_sub(1) as f32;
    let mut x = left_of(total);
    let row = size * 1.4;
    for (glyph, text) in &parts {
        items.push(super::icon::mark(*glyph, x + icon / 2.0, y + row / 2.0, icon, ctx.theme.muted));
        place_line(items, text, x + icon + space, y + row / 2.0 + size * 0.36);
        x += icon + space + text.width + between;
    }
    row
}

/// The author's photo, round, or their initials on an accent disc.
fn avatar(items: &mut Vec<Item>, author: &Author, rect: Rect, ctx: &Ctx, ts: &mut Typesetter) {
    let diameter = rect.width;
    match &author.avatar {
        Some(asset) => {
            items.push(Item::Image { asset: asset.clone(), rect, fit: Fit::Cover, radius: diameter / 2.0 });
        }
        None => {
            let (cx, cy) = (rect.x + diameter / 2.0, rect.y + diameter / 2.0);
            items.push(Item::Circle { cx, cy, r: diameter / 2.0, fill: ctx.theme.accent });
            let initials: String =
                author.name.split_whitespace().filter_map(|w| w.graphemes(true).next()).take(2).collect();
            let size = diameter * 0.4;
            let style = TextStyle {
                weight: 800,
                line_height: 1.0,
                ..style(ctx.theme, Family::Sans, size, ctx.theme.on_accent)
            };
            let text = set_plain(ts, &initials, &style, diameter * 2.0);
            place_line(items, &text, cx - text.width / 2.0, cy + size * 0.36);
        }
    }
}
