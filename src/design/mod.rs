//! Design: what a slide looks like before anything is written on it.
//!
//! Owns the slide kinds ([`kind`]), the colours ([`theme`]), the looks ([`look`]: layouts, palette
//! and title type chosen with one line), the SVG layouts a designer draws,
//! read into slots, decorations and each kind's defaults ([`template`]), the bundled icon
//! set ([`icons`]), and the words a slide writes itself in the deck's language ([`words`]).
//! It takes nothing but the read stage's positions and diagnostics (a broken
//! layout is reported at its line), and hands the text, blocks and layout stages a [`theme::Theme`]
//! and a [`template::Template`] per kind and shape.

pub mod icons;
pub mod kind;
pub mod look;
pub mod template;
pub mod theme;
pub mod words;
