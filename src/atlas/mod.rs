//! The atlas: an immutable in-memory model of the prepared data.
//!
//! LSOA geometries with an R-tree, wards, the city outline, the indicator catalogue, the
//! tidy indicator table (indexed by indicator and LSOA), comparators, localities and GP practices. It is
//! built once by [`load`] after every file has been validated, and shared read-only.

mod embedded;
mod files;
mod load;
pub mod practices;
pub mod schema;
pub mod spatial;
pub mod themes;

use std::collections::HashMap;

use geo::{BoundingRect, InteriorPoint, Intersects, MultiPolygon, Point, Rect};
use serde::Serialize;

pub use embedded::embedded_files;
pub use files::{DataFiles, LoadError, OPTIONAL_FILES, REQUIRED_FILES};
pub use load::load;
pub use practices::{GpPractice, PracticeStatus};
pub use schema::{
    BaseGeography, ComparatorRole, Indicator, IntervalMethod, NotHeld, Place, Polarity, Theme, ValueType,
};
pub use spatial::BoxIndex;

/// A Lower Layer Super Output Area (2021).
#[derive(Debug, Clone)]
pub struct Lsoa {
    /// GSS code, e.g. `E01009577`.
    pub code: String,
    /// ONS name, e.g. `Coventry 007A`.
    pub name: String,
    /// Best-fit electoral ward code.
    pub ward_code: String,
    /// Its district, in an atlas of all England.
    pub district: Option<String>,
    /// Boundary in WGS84.
    pub geometry: MultiPolygon<f64>,
    /// A point guaranteed inside the boundary, for labels and tests.
    pub interior: Point<f64>,
}

/// A Middle Layer Super Output Area (2021): a group of whole LSOAs.
#[derive(Debug, Clone)]
pub struct Msoa {
    /// GSS code, e.g. `E02001964`.
    pub code: String,
    /// ONS name, e.g. `Coventry 007`.
    pub name: String,
    /// House of Commons Library neighbourhood name, e.g. `Henley Green & Wood End`.
    pub neighbourhood: String,
    /// Its LSOAs, by position in [`Atlas::lsoas`].
    pub lsoas: Vec<usize>,
    /// Boundary in WGS84: the union of its LSOAs, so it nests exactly.
    pub geometry: MultiPolygon<f64>,
}

/// An electoral ward.
#[derive(Debug, Clone)]
pub struct Ward {
    /// GSS code, e.g. `E05001223`.
    pub code: String,
    /// Ward name.
    pub name: String,
    /// Boundary in WGS84.
    pub geometry: MultiPolygon<f64>,
}

/// A local authority district in an atlas of all England: an area with its profile.
#[derive(Debug, Clone)]
pub struct District {
    /// GSS code, e.g. `E08000026`.
    pub code: String,
    /// Name, e.g. `Coventry`.
    pub name: String,
    /// Its LSOAs, by position in [`Atlas::lsoas`].
    pub lsoas: Vec<usize>,
    /// Outline in WGS84: the union of its LSOAs.
    pub geometry: MultiPolygon<f64>,
    /// The outline's bounds (WGS84), to zoom to.
    pub bounds: Rect<f64>,
}

/// One LSOA's place in a locality, with how sure the definition is.
#[derive(Debug, Clone, Serialize)]
pub struct LocalityMember {
    /// LSOA 2021 code.
    pub lsoa21_code: String,
    /// Why the LSOA is in the locality.
    pub basis: String,
    /// How settled that is (`core`, `inferred_needs_confirmation`, ...).
    pub confidence: String,
}

/// A named group of LSOAs, as defined in `boundaries/localities.csv`.
#[derive(Debug, Clone, Serialize)]
pub struct Locality {
    /// URL-safe identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Member LSOAs in file order.
    pub members: Vec<LocalityMember>,
    /// The union of the members' boundaries (WGS84), made once at load: the outline every map,
    /// tile and figure draws.
    #[serde(skip)]
    pub outline: MultiPolygon<f64>,
}

/// The attribution every map, figure and export carries (Open Government Licence v3.0).
pub const ATTRIBUTION: &str = "Contains OS data © Crown copyright and database right 2019–2025. Source: Office for National Statistics and Ministry of Housing, Communities and Local Government, licensed under the Open Government Licence v3.0.";

/// Confidence of an LSOA listed only to show the wider ward around a locality.
pub const WARD_CONTEXT: &str = "ward_context";

impl Locality {
    /// True for a context area (a whole ward drawn around a locality for reference), which is not
    /// one of the prototype localities and is left out of comparisons between them.
    pub fn is_context(&self) -> bool {
        !self.members.is_empty() && self.members.iter().all(|m| m.confidence == WARD_CONTEXT)
    }
}

/// One LSOA's figures for one indicator.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Observation {
    /// Count of people or events, where published or derived.
    pub numerator: Option<f64>,
    /// Population at risk, where published or derived.
    pub denominator: Option<f64>,
    /// The indicator value in the catalogue's unit.
    pub value: Option<f64>,
}

/// A published comparator value (England or Coventry) for an indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparator {
    /// Indicator id.
    pub indicator_id: String,
    /// GSS code of the area.
    pub area_code: String,
    /// Area name.
    pub area_name: String,
    /// Period.
    pub period: String,
    /// Count, where known.
    pub numerator: Option<f64>,
    /// Denominator, where known.
    pub denominator: Option<f64>,
    /// Value in the indicator's unit.
    pub value: f64,
    /// How the value was obtained from the publisher's figures.
    pub basis: String,
    /// Whether comparisons use it, or it is the publisher's own figure kept beside the benchmark.
    pub role: ComparatorRole,
}

/// Where England's most deprived 10% and 20% of LSOAs begin for an indicator, so that an area's
/// published scores (which carry no sampling error) can be placed in England's distribution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnglandPosition {
    /// Indicator id.
    pub indicator_id: String,
    /// England LSOAs with a value.
    pub lsoas: usize,
    /// An LSOA is in England's most deprived (worst) 10% when its value is this or worse.
    pub worst10: f64,
    /// The same for the worst 20%.
    pub worst20: f64,
    /// Share of England's Census 2021 usual residents living in those LSOAs, in %.
    pub england_share10: f64,
    /// The same for the worst 20%.
    pub england_share20: f64,
    /// Share of Coventry's residents living in England's worst 10%, in %.
    pub district_share10: f64,
    /// The same for the worst 20%.
    pub district_share20: f64,
    /// How the cut-points and shares were computed.
    pub basis: String,
}

impl EnglandPosition {
    /// True when a value lies in England's worst 10% (`tenth` = 1) or 20% (`tenth` = 2).
    pub fn is_worst(&self, value: f64, tenths: u8, polarity: Polarity) -> bool {
        let cut = if tenths <= 1 { self.worst10 } else { self.worst20 };
        match polarity {
            Polarity::HighIsGood => value <= cut,
            _ => value >= cut,
        }
    }
}

/// How an indicator spreads across England's areas (e.g. its 296 local authority districts).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnglandRange {
    /// Indicator id.
    pub indicator_id: String,
    /// Number of areas the range is taken over.
    pub areas: usize,
    /// Lowest area value.
    pub lowest: f64,
    /// 25th percentile (linear interpolation between order statistics).
    pub q25: f64,
    /// 75th percentile.
    pub q75: f64,
    /// Highest area value.
    pub highest: f64,
    /// Which areas and figures the range is taken over.
    pub basis: String,
}

/// One of the district's statistical neighbours: an English district similar in deprivation, age,
/// density and size.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Neighbour {
    /// 1 for the most similar district.
    pub rank: usize,
    /// District code.
    pub code: String,
    /// District name.
    pub name: String,
    /// Distance from the district in standardised units.
    pub distance: f64,
    /// Its IMD 2025 score (mean weighted by residents).
    pub imd_score: f64,
    /// Its income deprivation rate (IoD2025), %.
    pub income_rate: f64,
    /// Its employment deprivation rate (IoD2025), %.
    pub employment_rate: f64,
    /// Its share of residents aged 65 and over (Census 2021), %.
    pub aged_65_plus: f64,
    /// Census 2021 usual residents per km².
    pub residents_per_km2: f64,
    /// Census 2021 usual residents.
    pub residents: f64,
    /// Tukey's far-out fence of England's districts' distances to their nearest neighbour (the same
    /// in every row): a district whose nearest neighbour is farther is unlike every other.
    pub far_out_fence: f64,
}

/// The statistical neighbours' average and range of an indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NeighbourFigure {
    /// Indicator id.
    pub indicator_id: String,
    /// Neighbours with a figure.
    pub neighbours: usize,
    /// Unweighted mean of their figures.
    pub mean: f64,
    /// The lowest of them.
    pub lowest: f64,
    /// The highest.
    pub highest: f64,
    /// How the figures were computed.
    pub basis: String,
}

impl NeighbourFigure {
    /// "the 15 similar districts", for labels.
    pub fn districts_words(&self) -> String {
        match self.neighbours {
            1 => "the one similar district".to_owned(),
            n => format!("the {n} similar districts"),
        }
    }
}

/// The loaded, validated, immutable model.
pub struct Atlas {
    /// Short hash of every data file: changes whenever the data changes.
    pub version: String,
    place: Place,
    lsoas: Vec<Lsoa>,
    lsoa_index: HashMap<String, usize>,
    tree: BoxIndex,
    wards: Vec<Ward>,
    districts: Vec<District>,
    city: MultiPolygon<f64>,
    catalogue: Vec<Indicator>,
    values: HashMap<String, Vec<Option<Observation>>>,
    comparators: Vec<Comparator>,
    ranges: Vec<EnglandRange>,
    neighbours: HashMap<String, Vec<Neighbour>>,
    neighbour_figures: HashMap<String, Vec<NeighbourFigure>>,
    positions: Vec<EnglandPosition>,
    localities: Vec<Locality>,
    msoas: Vec<Msoa>,
    msoa_of: Vec<Option<usize>>,
    msoa_values: HashMap<String, Vec<Option<Observation>>>,
    practices: Vec<GpPractice>,
}

impl Atlas {
    /// The district the atlas describes.
    pub fn place(&self) -> &Place {
        &self.place
    }

    /// All LSOAs, sorted by code.
    pub fn lsoas(&self) -> &[Lsoa] {
        &self.lsoas
    }

    /// One LSOA by code.
    pub fn lsoa(&self, code: &str) -> Option<&Lsoa> {
        self.lsoa_index.get(code).map(|&i| &self.lsoas[i])
    }

    /// The position of an LSOA in [`Atlas::lsoas`].
    pub fn lsoa_index(&self, code: &str) -> Option<usize> {
        self.lsoa_index.get(code).copied()
    }

    /// The LSOA whose boundary contains (or touches) a WGS84 point, through the R-tree.
    pub fn lsoa_at(&self, lon: f64, lat: f64) -> Option<&Lsoa> {
        let point = Point::new(lon, lat);
        self.tree
            .at_point(lon, lat)
            .map(|i| &self.lsoas[i])
            .filter(|lsoa| lsoa.geometry.intersects(&point))
            .min_by(|a, b| a.code.cmp(&b.code))
    }

    /// The R-tree over LSOA bounding boxes (positions as in [`Atlas::lsoas`]).
    pub fn spatial_index(&self) -> &BoxIndex {
        &self.tree
    }

    /// Wards, sorted by code.
    pub fn wards(&self) -> &[Ward] {
        &self.wards
    }

    /// The city outline.
    pub fn city(&self) -> &MultiPolygon<f64> {
        &self.city
    }

    /// The bounding box of the city, as (west, south, east, north).
    pub fn bounds(&self) -> Option<Rect<f64>> {
        self.city.bounding_rect()
    }

    /// The indicator catalogue in catalogue order.
    pub fn catalogue(&self) -> &[Indicator] {
        &self.catalogue
    }

    /// One indicator's metadata.
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.catalogue.iter().find(|i| i.id == id)
    }

    /// An indicator's observations, aligned with [`Atlas::lsoas`].
    pub fn observations(&self, indicator_id: &str) -> Option<&[Option<Observation>]> {
        self.values.get(indicator_id).map(Vec::as_slice)
    }

    /// One LSOA's observation of one indicator.
    pub fn observation(&self, indicator_id: &str, lsoa_code: &str) -> Option<Observation> {
        let index = *self.lsoa_index.get(lsoa_code)?;
        self.values.get(indicator_id)?.get(index).copied().flatten()
    }

    /// The spread of an indicator across England's areas, where one is published.
    pub fn england_range(&self, indicator_id: &str) -> Option<&EnglandRange> {
        self.ranges.iter().find(|r| r.indicator_id == indicator_id)
    }

    /// A district's statistical neighbours, most similar first (the district itself excluded);
    /// empty where the folder has none for it (England, or a district of a folder without them).
    pub fn neighbours(&self, district: &str) -> &[Neighbour] {
        // Each block starts with the district itself (rank 0): the load checks the ranks.
        self.neighbours.get(district).and_then(|rows| rows.get(1..)).unwrap_or(&[])
    }

    /// The district itself as its neighbour table describes it (rank 0), when the folder has one.
    pub fn neighbour_profile(&self, district: &str) -> Option<&Neighbour> {
        self.neighbours.get(district)?.first()
    }

    /// A district's statistical neighbours' average and range of an indicator.
    pub fn neighbour_figure(&self, district: &str, indicator_id: &str) -> Option<&NeighbourFigure> {
        self.neighbour_figures.get(district)?.iter().find(|f| f.indicator_id == indicator_id)
    }

    /// Comparators (England, the district; benchmarks and published figures) of an indicator.
    pub fn comparators(&self, indicator_id: &str) -> impl Iterator<Item = &Comparator> {
        self.comparators.iter().filter(move |c| c.indicator_id == indicator_id)
    }

    /// The comparator of an indicator for an area (GSS code) in the given role.
    pub fn comparator(&self, indicator_id: &str, area_code: &str, role: ComparatorRole) -> Option<&Comparator> {
        self.comparators(indicator_id).find(|c| c.area_code == area_code && c.role == role)
    }

    /// Where England's most deprived 10% and 20% of LSOAs begin for an indicator.
    pub fn england_position(&self, indicator_id: &str) -> Option<&EnglandPosition> {
        self.positions.iter().find(|p| p.indicator_id == indicator_id)
    }

    /// MSOAs, sorted by code.
    pub fn msoas(&self) -> &[Msoa] {
        &self.msoas
    }

    /// The MSOA (position in [`Atlas::msoas`]) an LSOA (position in [`Atlas::lsoas`]) belongs to.
    pub fn msoa_of(&self, lsoa: usize) -> Option<usize> {
        self.msoa_of.get(lsoa).copied().flatten()
    }

    /// An MSOA indicator's observations, aligned with [`Atlas::msoas`].
    pub fn msoa_observations(&self, indicator_id: &str) -> Option<&[Option<Observation>]> {
        self.msoa_values.get(indicator_id).map(Vec::as_slice)
    }

    /// Locality definitions in file order.
    pub fn localities(&self) -> &[Locality] {
        &self.localities
    }

    /// One locality by id.
    pub fn locality(&self, id: &str) -> Option<&Locality> {
        self.localities.iter().find(|l| l.id == id)
    }

    /// The localities an LSOA belongs to.
    pub fn localities_of(&self, lsoa_code: &str) -> impl Iterator<Item = &Locality> {
        self.localities.iter().filter(move |l| l.members.iter().any(|m| m.lsoa21_code == lsoa_code))
    }

    /// GP practices, open and closed, sorted by code.
    pub fn gp_practices(&self) -> &[GpPractice] {
        &self.practices
    }

    /// The ward with this code.
    pub fn ward(&self, code: &str) -> Option<&Ward> {
        self.wards.iter().find(|w| w.code == code)
    }

    /// The districts of an atlas of all England, sorted by code (none in a district's atlas).
    pub fn districts(&self) -> &[District] {
        &self.districts
    }

    /// One district of an atlas of all England, by code.
    pub fn district(&self, code: &str) -> Option<&District> {
        self.districts.binary_search_by(|d| d.code.as_str().cmp(code)).ok().map(|i| &self.districts[i])
    }
}

/// A point inside an LSOA (falls back to the first vertex of an empty-interior geometry).
fn interior_point(geometry: &MultiPolygon<f64>) -> Point<f64> {
    geometry
        .interior_point()
        .or_else(|| geometry.0.first().and_then(|p| p.exterior().0.first()).map(|&c| c.into()))
        .unwrap_or_else(|| Point::new(0.0, 0.0))
}
