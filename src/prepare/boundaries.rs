//! The `boundaries/` folder: LSOAs with their ward and neighbourhood names, wards, the district
//! outline and the locality definitions: from Coventry's own raw files ([`build`]), or for any
//! English district from the national files ([`district_areas`](super::district_areas)).

use std::collections::HashMap;
use std::path::Path;

use super::areas::{Area, Areas, LocalityRow, slug};
use super::district_areas::{self, DistrictLsoa};
use super::paths;
use super::raw::RawPaths;
use crate::ingest::{Boundary, IngestError, Location, Table, read_boundaries};

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
                        district: String::new(),
                        district_name: String::new(),
                    }
                })
                .collect();
            district_areas::read_localities(path, &district, &city_name)?
        }
        None => read_candidates(&raw.file(paths::LOCALITIES))?,
    };
    msoas.sort();
    Ok(Areas { lsoas, msoas, wards, city, districts: Vec::new(), localities })
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
