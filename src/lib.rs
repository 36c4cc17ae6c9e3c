//! carousel: a YAML deck in, a LinkedIn carousel out (one PDF, one PNG per slide).
//!
//! The stages, each a folder that opens with what it owns, takes and hands on; data flows down
//! this list only (a stage imports the ones above it, never one below; `tests/modules.rs` fails
//! on an import that runs back up):
//!
//! ```text
//! files, fonts, geom      bounded file reads; the faces (bundled, the deck's, the system's); sizes
//! media/                  image files: checked, decoded, scaled, SVG read with the fonts
//! read/                   YAML with positions, diagnostics, the format's vocabulary, the Reader
//! design/                 slide kinds, themes, SVG layouts (templates), icons
//! text/                   markup, code highlighting, shaping and line breaking
//! scene                   the laid-out slide: what layout hands the exporters
//! blocks/                 one file per block: its keys, its reading, measuring and placing
//! deck/                   the deck file read into a typed, located Deck
//! layout/                 Deck + Template -> Scene, every position final
//! export/                 Scene -> SVG -> pixels -> PNG; pages -> PDF
//! build/                  decks in, files out: in parallel, cached, atomically; the lints
//! author/  publish/       watch and preview, the schema; posting to LinkedIn
//! cli/                    the command line: arguments -> options -> a stage -> exit status
//! ```
pub mod author;
pub mod blocks;
pub mod build;
pub mod cli;
pub mod deck;
pub mod design;
pub mod export;
pub mod files;
pub mod fonts;
pub mod geom;
pub mod layout;
pub mod media;
pub mod publish;
pub mod read;
pub mod scene;
pub mod text;
