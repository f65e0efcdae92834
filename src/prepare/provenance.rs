//! The PROVENANCE.md files written beside the prepared data.

/// `data/PROVENANCE.md`.
pub const DATA: &str = include_str!("provenance_data.md");
/// `boundaries/PROVENANCE.md`.
pub const BOUNDARIES: &str = include_str!("provenance_boundaries.md");
