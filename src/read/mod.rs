//! Read: a YAML file into a positioned tree, and the helpers that read typed values from it.
//!
//! Owns the first stage of the pipeline, below every part of the format: the YAML parser that
//! keeps every value's line and column ([`yaml`]), the diagnostics that point at them ([`diag`]),
//! the vocabulary in which the format is written down ([`format`](mod@format)), the limits ([`limits`]), the
//! repair hints for mojibake ([`mojibake`]) and the [`reader::Reader`] that checks values against
//! all of it. It hands the blocks and the deck a tree and a reader; it knows nothing of slides,
//! layouts or outputs.

pub mod diag;
pub mod format;
pub mod limits;
pub mod mojibake;
pub mod reader;
pub mod yaml;
