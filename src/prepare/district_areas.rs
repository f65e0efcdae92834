//! The `boundaries/` folder of any English district from the national files: the district's LSOAs
//! on ONS's super-generalised (200 m) boundaries, each with its best-fit ward (2024) and its MSOA;
//! the wards and the district outline as unions of those LSOAs; and the localities, from a file
//! or, by default, one per ward.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use geo::{MultiPolygon, unary_union};

use super::areas::{Area, Areas, LocalityRow, slug};
use super::paths;
use crate::atlas::schema;
use crate::ingest::{IngestError, Location, Table, read_boundaries};

/// One of the district's LSOAs as the national lookups describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictLsoa {
    /// LSOA 2021 code.
    pub code: String,
    /// LSOA 2021 name.
    pub name: String,
    /// Best-fit ward (2024) code.
    pub ward: String,
    /// Best-fit ward name.
    pub ward_name: String,
    /// MSOA 2021 code.
    pub msoa: String,
    /// MSOA 2021 name.
    pub msoa_name: String,
    /// Local authority district (2024) code.
    pub district: String,
    /// District name.
    pub district_name: String,
}

/// The confidence of a locality that is a best-fit ward.
pub const WARD_LOCALITY: &str = "best_fit_ward";

/// Every LSOA 2021 boundary of the national (200 m) file, by code.
pub struct NationalShapes {
    /// The file, for messages.
    pub file: String,
    /// Each LSOA's boundary (WGS84).
    pub shapes: BTreeMap<String, MultiPolygon<f64>>,
}

/// Reads the national LSOA boundaries: every feature needs a code, and no code may repeat.
pub fn read_national_shapes(raw: &Path) -> Result<NationalShapes, IngestError> {
    let path = raw.join(paths::NATIONAL_LSOA_BOUNDARIES);
    let file = path.display().to_string();
    let mut shapes = BTreeMap::new();
    for (i, boundary) in read_boundaries(&path)?.into_iter().enumerate() {
        let code = boundary.text("lsoa21_code").ok_or_else(|| {
            IngestError::at(&file, Location::Feature(i + 1), Some("lsoa21_code"), "is missing or empty")
        })?;
        if shapes.insert(code.clone(), boundary.geometry).is_some() {
            let message = format!("LSOA {code} is listed twice");
            return Err(IngestError::at(&file, Location::Feature(i + 1), Some("lsoa21_code"), message));
        }
    }
    Ok(NationalShapes { file, shapes })
}

/// Builds the boundary layers of a district from the national boundaries: `lsoas` are its LSOAs
/// (sorted by code), `district` its code and name. For an atlas of all England (`england`), each
/// LSOA also names its district, the districts' outlines are made, the outline is theirs, and there
/// are no localities unless a file lists them.
pub fn build(
    national: &NationalShapes,
    lsoas: &[DistrictLsoa],
    district: (&str, &str),
    localities: Option<&Path>,
    england: bool,
) -> Result<Areas, IngestError> {
    let mut shapes: BTreeMap<String, MultiPolygon<f64>> = BTreeMap::new();
    for l in lsoas {
        let shape = national.shapes.get(&l.code).ok_or_else(|| {
            IngestError::file(&national.file, format!("has no boundary for the district's LSOA {}", l.code))
        })?;
        shapes.insert(l.code.clone(), shape.clone());
    }
    let lsoa_areas: Vec<Area> = lsoas
        .iter()
        .map(|l| {
            let mut properties = vec![
                ("code", l.code.clone()),
                ("name", l.name.clone()),
                ("ward_code", l.ward.clone()),
                ("ward_name", l.ward_name.clone()),
                ("neighbourhood", l.msoa_name.clone()),
            ];
            if england {
                properties.push((schema::LSOA_DISTRICT_PROPERTY, l.district.clone()));
            }
            Area { code: l.code.clone(), properties, geometry: shapes[&l.code].clone() }
        })
        .collect();
    let mut by_ward: BTreeMap<(&str, &str), Vec<&MultiPolygon<f64>>> = BTreeMap::new();
    for l in lsoas {
        by_ward.entry((l.ward.as_str(), l.ward_name.as_str())).or_default().push(&shapes[&l.code]);
    }
    let wards = unions(by_ward);
    let districts = match england {
        true => {
            let mut by_district: BTreeMap<(&str, &str), Vec<&MultiPolygon<f64>>> = BTreeMap::new();
            for l in lsoas {
                by_district.entry((l.district.as_str(), l.district_name.as_str())).or_default().push(&shapes[&l.code]);
            }
            unions(by_district)
        }
        false => Vec::new(),
    };
    // England's outline is the union of its districts' outlines, each already a union.
    let outline = match england {
        true => union(districts.iter().map(|d| &d.geometry).collect()),
        false => union(shapes.values().collect()),
    };
    let city = Area {
        code: district.0.to_owned(),
        properties: vec![("code", district.0.to_owned()), ("name", district.1.to_owned())],
        geometry: outline,
    };
    let mut msoas: Vec<Vec<String>> =
        lsoas.iter().map(|l| vec![l.msoa.clone(), l.msoa_name.clone(), l.msoa_name.clone(), l.code.clone()]).collect();
    msoas.sort();
    let localities = match (localities, england) {
        (Some(path), _) => read_localities(path, lsoas, district.1)?,
        (None, true) => Vec::new(),
        (None, false) => ward_localities(lsoas),
    };
    Ok(Areas { lsoas: lsoa_areas, msoas, wards, city, districts, localities })
}

/// An area (a ward, a district) for each (code, name), the union of its LSOAs.
fn unions(groups: BTreeMap<(&str, &str), Vec<&MultiPolygon<f64>>>) -> Vec<Area> {
    groups
        .into_iter()
        .map(|((code, name), parts)| Area {
            code: code.to_owned(),
            properties: vec![("code", code.to_owned()), ("name", name.to_owned())],
            geometry: union(parts),
        })
        .collect()
}

/// The union of LSOA boundaries: a ward or the district.
fn union(parts: Vec<&MultiPolygon<f64>>) -> MultiPolygon<f64> {
    let polygons: Vec<_> = parts.into_iter().flat_map(|p| p.0.iter().cloned()).collect();
    unary_union(&polygons)
}

/// One locality per best-fit ward, holding the ward's LSOAs.
pub fn ward_localities(lsoas: &[DistrictLsoa]) -> Vec<LocalityRow> {
    let mut names: BTreeMap<&str, &str> = BTreeMap::new();
    for l in lsoas {
        names.insert(&l.ward, &l.ward_name);
    }
    // Two wards of one name would give one id; such a ward's id carries its code.
    let mut slugs: HashMap<String, usize> = HashMap::new();
    for name in names.values() {
        *slugs.entry(slug(name)).or_default() += 1;
    }
    let mut rows: Vec<LocalityRow> = lsoas
        .iter()
        .map(|l| {
            let id = match slug(&l.ward_name) {
                plain if slugs.get(&plain) == Some(&1) => plain,
                repeated => format!("{repeated}-{}", l.ward.to_ascii_lowercase()),
            };
            LocalityRow {
                id,
                name: l.ward_name.clone(),
                lsoa21_code: l.code.clone(),
                lsoa21_name: l.name.clone(),
                basis: format!(
                    "ONS best-fit LSOA 2021 to ward (2024) lookup: the LSOAs of ward {} (a locality drawn by ward because no locality list was given)",
                    l.ward
                ),
                confidence: WARD_LOCALITY.to_owned(),
            }
        })
        .collect();
    rows.sort_by(|a, b| (&a.name, &a.id, &a.lsoa21_code).cmp(&(&b.name, &b.id, &b.lsoa21_code)));
    rows
}

/// A localities file (`locality, lsoa21_code, basis, confidence`, and optionally `lsoa21_name`):
/// every LSOA must be one of the district's.
pub fn read_localities(path: &Path, lsoas: &[DistrictLsoa], district: &str) -> Result<Vec<LocalityRow>, IngestError> {
    let table = Table::from_path(path)?;
    table.require(&["locality", "lsoa21_code", "basis", "confidence"])?;
    let names: HashMap<&str, &str> = lsoas.iter().map(|l| (l.code.as_str(), l.name.as_str())).collect();
    let named = table.columns().iter().any(|c| c == "lsoa21_name");
    let mut rows = Vec::new();
    // Each locality id's name as first written, and each (locality, LSOA) pair seen.
    let mut named_as: HashMap<String, String> = HashMap::new();
    let mut listed: HashSet<(String, String)> = HashSet::new();
    for row in table.rows() {
        let name = row.text("locality")?.to_owned();
        let code = row.text("lsoa21_code")?;
        let Some(lsoa_name) = names.get(code) else {
            return Err(row.error(
                "lsoa21_code",
                format!(
                    "{code} is not one of {district}'s {} LSOAs (2021); a locality must lie in the district",
                    lsoas.len()
                ),
            ));
        };
        let id = slug(&name);
        if id.is_empty() {
            return Err(row.error("locality", format!("{name:?} has no letter or digit to make an id from")));
        }
        match named_as.get(&id) {
            Some(other) if *other != name => {
                return Err(row.error(
                    "locality",
                    format!("{name:?} makes the id {id:?}, as {other:?} does: spell each locality's name one way"),
                ));
            }
            _ => named_as.insert(id.clone(), name.clone()),
        };
        if !listed.insert((id.clone(), code.to_owned())) {
            return Err(row.error("lsoa21_code", format!("LSOA {code} is listed twice in locality {name:?}")));
        }
        rows.push(LocalityRow {
            id,
            name,
            lsoa21_code: code.to_owned(),
            lsoa21_name: if named { row.text_opt("lsoa21_name")? } else { None }.unwrap_or(lsoa_name).to_owned(),
            basis: row.text_opt("basis")?.unwrap_or_default().to_owned(),
            confidence: row.text("confidence")?.to_owned(),
        });
    }
    if rows.is_empty() {
        return Err(IngestError::file(path.display().to_string(), "lists no LSOA: a locality needs at least one"));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lsoa(code: &str, ward: &str, ward_name: &str) -> DistrictLsoa {
        DistrictLsoa {
            code: code.into(),
            name: format!("Somewhere {code}"),
            ward: ward.into(),
            ward_name: ward_name.into(),
            msoa: "E02000001".into(),
            msoa_name: "Somewhere 001".into(),
            district: "E06000001".into(),
            district_name: "Somewhere".into(),
        }
    }

    #[test]
    fn without_a_list_each_ward_is_a_locality_of_its_best_fit_lsoas() {
        let lsoas = [
            lsoa("E01000003", "E05000002", "Abbey"),
            lsoa("E01000001", "E05000001", "Abbey"),
            lsoa("E01000002", "E05000003", "Bank"),
        ];
        let rows = ward_localities(&lsoas);
        let ids: Vec<(&str, &str)> = rows.iter().map(|r| (r.id.as_str(), r.lsoa21_code.as_str())).collect();
        // Two wards called Abbey: each id carries the ward's code.
        assert_eq!(
            ids,
            vec![("abbey-e05000001", "E01000001"), ("abbey-e05000002", "E01000003"), ("bank", "E01000002")]
        );
        assert!(rows.iter().all(|r| r.confidence == WARD_LOCALITY && r.basis.contains("best-fit")));
    }

    #[test]
    fn a_locality_naming_an_lsoa_outside_the_district_is_refused_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("localities.csv");
        std::fs::write(
            &path,
            "locality,lsoa21_code,basis,confidence\nNorth,E01000001,by hand,core\nNorth,E01009999,by hand,core\n",
        )
        .unwrap();
        let lsoas = [lsoa("E01000001", "E05000001", "Abbey")];
        let error = read_localities(&path, &lsoas, "Somewhere").unwrap_err().to_string();
        assert!(error.ends_with("line 3, field `lsoa21_code`: E01009999 is not one of Somewhere's 1 LSOAs (2021); a locality must lie in the district"), "{error}");
        std::fs::write(&path, "locality,lsoa21_code,basis,confidence\nNorth,E01000001,by hand,core\n").unwrap();
        let rows = read_localities(&path, &lsoas, "Somewhere").unwrap();
        assert_eq!((rows[0].id.as_str(), rows[0].lsoa21_name.as_str()), ("north", "Somewhere E01000001"));
    }

    #[test]
    fn an_lsoa_listed_twice_or_a_locality_spelt_two_ways_is_refused_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("localities.csv");
        let lsoas = [lsoa("E01000001", "E05000001", "Abbey"), lsoa("E01000002", "E05000001", "Abbey")];
        let header = "locality,lsoa21_code,basis,confidence\n";
        std::fs::write(&path, format!("{header}North,E01000001,a,core\nNorth,E01000001,a,core\n")).unwrap();
        let error = read_localities(&path, &lsoas, "Somewhere").unwrap_err().to_string();
        assert!(
            error.ends_with("line 3, field `lsoa21_code`: LSOA E01000001 is listed twice in locality \"North\""),
            "{error}"
        );
        std::fs::write(&path, format!("{header}North End,E01000001,a,core\nnorth-end,E01000002,a,core\n")).unwrap();
        let error = read_localities(&path, &lsoas, "Somewhere").unwrap_err().to_string();
        assert!(
            error.contains("line 3, field `locality`: \"north-end\" makes the id \"north-end\", as \"North End\" does"),
            "{error}"
        );
    }
}
