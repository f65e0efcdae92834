//! The `boundaries/` folder: LSOAs with their ward and neighbourhood names, wards, the district
//! outline and the locality definitions: from Coventry's own raw files ([`build`]), or for any
//! English district from the national files ([`district_areas`](super::district_areas)).

use std::collections::HashMap;
use std::path::Path;

use geo::MultiPolygon;

use super::district_areas::{self, DistrictLsoa};
use super::paths;
use super::raw::RawPaths;
use super::write;
use crate::ingest::{Boundary, IngestError, Location, Table, read_boundaries};

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
    pub(super) localities: Vec<LocalityRow>,
}

/// Reads Coventry's raw boundaries and lookups; `localities` replaces the candidate locality lists.
pub fn build(raw: &RawPaths, lsoa_path: &Path, localities: Option<&Path>) -> Result<Areas, IngestError> {
    let wards_by_lsoa = lookup(&raw.file(paths::LSOA_WARD_LOOKUP), "lsoa21_code", &["ward24_code", "ward24_name"])?;
    let msoa_names = lookup(&raw.file(paths::MSOA_NAMES), "msoa11nm", &["msoa11hclnm", "msoa11cd"])?;
    let lsoa_file = lsoa_path.display().to_string();
    let mut lsoas = Vec::new();
    let mut msoas = Vec::new();
    for (i, b) in read_boundaries(lsoa_path)?.into_iter().enumerate() {
        let at = Location::Feature(i + 1);
        let code = required(&b, &lsoa_file, &at, "LSOA21CD")?;
        let name = required(&b, &lsoa_file, &at, "LSOA21NM")?;
        let ward = wards_by_lsoa.get(&code).ok_or_else(|| {
            IngestError::at(
                &lsoa_file,
                at.clone(),
                Some("LSOA21CD"),
                format!("LSOA {code} is not in {}", paths::LSOA_WARD_LOOKUP),
            )
        })?;
        // An LSOA's name is its MSOA's name and a letter; MSOA 2021 codes equal 2011's in Coventry.
        let msoa_name = name.get(..name.len().saturating_sub(1)).unwrap_or(&name).to_owned();
        let msoa = msoa_names.get(&msoa_name).ok_or_else(|| {
            IngestError::at(
                &lsoa_file,
                at.clone(),
                Some("LSOA21NM"),
                format!("no MSOA named {msoa_name:?} in {}", paths::MSOA_NAMES),
            )
        })?;
        let neighbourhood = msoa[0].clone();
        msoas.push(vec![msoa[1].clone(), msoa_name, neighbourhood.clone(), code.clone()]);
        lsoas.push(Area {
            properties: vec![
                ("code", code.clone()),
                ("name", name),
                ("ward_code", ward[0].clone()),
                ("ward_name", ward[1].clone()),
                ("neighbourhood", neighbourhood),
            ],
            code,
            geometry: b.geometry,
        });
    }
    lsoas.sort_by(|a, b| a.code.cmp(&b.code));

    let ward_path = raw.file(paths::WARD_BOUNDARIES);
    let ward_file = ward_path.display().to_string();
    let mut wards = Vec::new();
    for (i, b) in read_boundaries(&ward_path)?.into_iter().enumerate() {
        let at = Location::Feature(i + 1);
        let code = required(&b, &ward_file, &at, "WD19CD")?;
        let name = required(&b, &ward_file, &at, "WD19NM")?;
        wards.push(Area { properties: vec![("code", code.clone()), ("name", name)], code, geometry: b.geometry });
    }
    wards.sort_by(|a, b| a.code.cmp(&b.code));

    let city_path = raw.file(paths::CITY_BOUNDARY);
    let city_file = city_path.display().to_string();
    let mut cities = read_boundaries(&city_path)?;
    if cities.len() != 1 {
        return Err(IngestError::file(
            city_file,
            format!("expected one city outline, found {} features", cities.len()),
        ));
    }
    let city_boundary = cities.remove(0);
    let at = Location::Feature(1);
    let code = required(&city_boundary, &city_file, &at, "LAD24CD")?;
    let name = required(&city_boundary, &city_file, &at, "LAD24NM")?;
    let city_name = name.clone();
    let city =
        Area { properties: vec![("code", code.clone()), ("name", name)], code, geometry: city_boundary.geometry };

    let localities = match localities {
        Some(path) => {
            let district: Vec<DistrictLsoa> = lsoas
                .iter()
                .map(|a| {
                    let text = |key: &str| a.properties.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone());
                    DistrictLsoa {
                        code: a.code.clone(),
                        name: text("name").unwrap_or_default(),
                        ward: text("ward_code").unwrap_or_default(),
                        ward_name: text("ward_name").unwrap_or_default(),
                        msoa: String::new(),
                        msoa_name: String::new(),
                    }
                })
                .collect();
            district_areas::read_localities(path, &district, &city_name)?
        }
        None => read_candidates(&raw.file(paths::LOCALITIES))?,
    };
    msoas.sort();
    Ok(Areas { lsoas, msoas, wards, city, localities })
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

fn required(b: &Boundary, file: &str, at: &Location, key: &str) -> Result<String, IngestError> {
    b.text(key).ok_or_else(|| IngestError::at(file, at.clone(), Some(key), "is missing or empty"))
}

/// A small lookup CSV: key column → the named value columns.
fn lookup(path: &Path, key: &str, values: &[&str]) -> Result<HashMap<String, Vec<String>>, IngestError> {
    let table = Table::from_path(path)?;
    let mut columns = vec![key];
    columns.extend_from_slice(values);
    table.require(&columns)?;
    let mut map = HashMap::new();
    for row in table.rows() {
        let found = values.iter().map(|v| row.text(v).map(str::to_owned)).collect::<Result<Vec<_>, _>>()?;
        map.insert(row.text(key)?.to_owned(), found);
    }
    Ok(map)
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

fn read_candidates(path: &Path) -> Result<Vec<LocalityRow>, IngestError> {
    let table = Table::from_path(path)?;
    table.require(&["locality", "lsoa21_code", "lsoa21_name", "basis", "confidence"])?;
    let mut rows = Vec::new();
    for row in table.rows() {
        let name = row.text("locality")?.to_owned();
        rows.push(LocalityRow {
            id: slug(&name),
            name,
            lsoa21_code: row.text("lsoa21_code")?.to_owned(),
            lsoa21_name: row.text("lsoa21_name")?.to_owned(),
            basis: row.text_opt("basis")?.unwrap_or_default().to_owned(),
            confidence: row.text("confidence")?.to_owned(),
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn locality_names_become_url_safe_ids() {
        assert_eq!(slug("Spon End/St Michael's"), "spon-end-st-michaels");
        assert_eq!(slug("Wood End/Henley Green (Henley ward extent)"), "wood-end-henley-green-henley-ward-extent");
    }
}
