//! The PROVENANCE.md files written beside the prepared data: Coventry's, from its own raw files,
//! or a district's, from the national files, filled in with its name, code and what it lacks.

use crate::atlas::schema::Place;

/// Coventry's `data/PROVENANCE.md`.
const DATA: &str = include_str!("provenance_data.md");
/// Coventry's `boundaries/PROVENANCE.md`.
const BOUNDARIES: &str = include_str!("provenance_boundaries.md");
/// A district's `data/PROVENANCE.md`.
const DISTRICT_DATA: &str = include_str!("provenance_district_data.md");
/// A district's `boundaries/PROVENANCE.md`.
const DISTRICT_BOUNDARIES: &str = include_str!("provenance_district_boundaries.md");

/// `data/PROVENANCE.md`; `own_files` is true when the district's own raw files were read (Coventry).
pub fn data(place: &Place, lsoas: usize, own_files: bool) -> String {
    if own_files { DATA.to_owned() } else { fill(DISTRICT_DATA, place, lsoas) }
}

/// `boundaries/PROVENANCE.md`.
pub fn boundaries(place: &Place, lsoas: usize, own_files: bool) -> String {
    if own_files { BOUNDARIES.to_owned() } else { fill(DISTRICT_BOUNDARIES, place, lsoas) }
}

fn fill(template: &str, place: &Place, lsoas: usize) -> String {
    let not_held: Vec<String> =
        place.not_held.iter().map(|n| format!("- `{}` ({}): {}", n.id, n.name, n.reason)).collect();
    template
        .replace("{code}", &place.code)
        .replace("{name}", &place.name)
        .replace("{lsoas}", &lsoas.to_string())
        .replace("{localities}", &place.localities)
        .replace("{not_held}", &not_held.join("\n"))
}
