//! The boundary layers `prepare` writes, whatever they are built from: Coventry's raw boundaries
//! ([`boundaries`](super::boundaries)) or the national ones ([`district_areas`](super::district_areas)).

use geo::MultiPolygon;

use super::write;

/// An area of a boundary layer: its code, the properties written for it, and its boundary.
pub(super) struct Area {
    pub(super) code: String,
    pub(super) properties: Vec<(&'static str, String)>,
    pub(super) geometry: MultiPolygon<f64>,
}

/// One LSOA's place in a locality, as `boundaries/localities.csv` holds it.
#[derive(Debug)]
pub struct LocalityRow {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) lsoa21_code: String,
    pub(super) lsoa21_name: String,
    pub(super) basis: String,
    pub(super) confidence: String,
}

/// The prepared boundary layers, ready to write.
pub struct Areas {
    pub(super) lsoas: Vec<Area>,
    /// MSOA membership rows: code, name, neighbourhood, LSOA code; sorted.
    pub(super) msoas: Vec<Vec<String>>,
    pub(super) wards: Vec<Area>,
    pub(super) city: Area,
    /// Each district's outline, for an atlas of all England (none otherwise).
    pub(super) districts: Vec<Area>,
    pub(super) localities: Vec<LocalityRow>,
}

impl Areas {
    /// LSOA codes in order.
    pub fn lsoa_codes(&self) -> Vec<String> {
        self.lsoas.iter().map(|a| a.code.clone()).collect()
    }

    /// Each LSOA's code and boundary (WGS84), in code order.
    pub fn lsoa_geometries(&self) -> impl Iterator<Item = (&str, &MultiPolygon<f64>)> {
        self.lsoas.iter().map(|a| (a.code.as_str(), &a.geometry))
    }

    /// `boundaries/lsoa21.geojson`.
    pub fn lsoas_geojson(&self) -> String {
        collection(&self.lsoas)
    }

    /// `boundaries/msoas.csv`: each LSOA with its MSOA.
    pub fn msoas_csv(&self) -> String {
        write::csv(&crate::atlas::schema::MSOA_COLUMNS, self.msoas.iter().cloned())
    }

    /// MSOA codes with the LSOA codes each holds, in code order.
    pub fn msoa_members(&self) -> Vec<(String, Vec<String>)> {
        let mut groups: Vec<(String, Vec<String>)> = Vec::new();
        for row in &self.msoas {
            match groups.iter_mut().find(|(code, _)| *code == row[0]) {
                Some((_, members)) => members.push(row[3].clone()),
                None => groups.push((row[0].clone(), vec![row[3].clone()])),
            }
        }
        groups
    }

    /// `boundaries/wards.geojson`.
    pub fn wards_geojson(&self) -> String {
        collection(&self.wards)
    }

    /// `boundaries/district.geojson`.
    pub fn city_geojson(&self) -> String {
        collection(std::slice::from_ref(&self.city))
    }

    /// `boundaries/districts.geojson`, written for an atlas of all England.
    pub fn districts_geojson(&self) -> Option<String> {
        (!self.districts.is_empty()).then(|| collection(&self.districts))
    }

    /// `boundaries/localities.csv`.
    pub fn localities_csv(&self) -> String {
        let rows = self.localities.iter().map(|l| {
            vec![
                l.id.clone(),
                l.name.clone(),
                l.lsoa21_code.clone(),
                l.lsoa21_name.clone(),
                l.basis.clone(),
                l.confidence.clone(),
            ]
        });
        write::csv(&crate::atlas::schema::LOCALITY_COLUMNS, rows)
    }
}

fn collection(areas: &[Area]) -> String {
    let features = areas.iter().map(|a| {
        let properties =
            a.properties.iter().map(|(k, v)| ((*k).to_owned(), serde_json::Value::String(v.clone()))).collect();
        (properties, &a.geometry)
    });
    write::feature_collection(features)
}

/// A URL-safe id from a locality name: `Spon End/St Michael's` → `spon-end-st-michaels`.
pub fn slug(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| *c != '\'')
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { ' ' })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join("-")
}
