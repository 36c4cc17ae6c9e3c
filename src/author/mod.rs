//! Author: the loop around a build while a deck is being written.
//!
//! Owns `carousel watch` (rebuild on every save, [`watch`]), its preview page in a browser
//! ([`serve`], which is handed what it shows and knows nothing of watching) and the JSON Schema of
//! the deck format for editors ([`schema`]). It takes decks and the build stage, and hands the
//! author messages, a page and a schema; it writes nothing the build would not.

pub mod schema;
pub mod serve;
pub mod watch;
