//! carousel: YAML deck -> laid-out slides -> SVG -> PNG -> PDF.
pub mod fonts;
pub mod markup;
pub mod text;
pub mod theme;
