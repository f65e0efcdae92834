//! Reading and validating a prepared data folder into an [`Atlas`].
//!
//! Validation collects every problem rather than stopping at the first, so `check` can list
//! them all; each names the file, the line or feature, and the field.

use std::collections::{BTreeMap, HashMap, HashSet};

use geo::{BoundingRect, MultiPolygon, unary_union};

use super::files::{DataFiles, LoadError};
use super::practices::read_practices;
use super::schema::{self, BaseGeography, Indicator, Place};
use super::{
    Atlas, BoxIndex, Comparator, ComparatorRole, District, EnglandPosition, EnglandRange, Locality, LocalityMember,
    Lsoa, Msoa, Neighbour, NeighbourFigure, Observation, Ward, interior_point,
};
use crate::ingest::{Boundary, IngestError, Location, Row, Table, read_geojson_str, validity};

/// Validates every file and builds the atlas, or lists every problem found.
///
/// The wards and the district outline, which nothing else read here depends on, are read and
/// checked on a second thread while the LSOAs and the tables are read; that thread then hashes the
/// files for the data version.
pub fn load(files: &DataFiles) -> Result<Atlas, LoadError> {
    std::thread::scope(|scope| {
        let outlines = scope.spawn(|| {
            let mut problems = Vec::new();
            let mut wards = read_wards(files, &mut problems);
            wards.sort_by(|a, b| a.code.cmp(&b.code));
            let city = read_city(files, &mut problems);
            (wards, city, files.version(), problems)
        });
        let mut problems = Vec::new();
        let place = read_place(files, &mut problems);
        let catalogue = read_catalogue(files, &mut problems);
        let mut lsoas = read_lsoas(files, &mut problems);
        lsoas.sort_by(|a, b| a.code.cmp(&b.code));
        let mut later = Vec::new();
        let rest = read_rest(files, lsoas, catalogue, &mut later);
        let (wards, city, version, outline_problems) =
            outlines.join().expect("reading the wards and outline does not panic");
        // In file order, as one thread would have found them.
        problems.extend(outline_problems);
        problems.extend(later);
        assemble(files, version, place, wards, city, rest, problems)
    })
}

/// What is read after the LSOAs, apart from the wards and the outline.
struct Rest {
    lsoas: Vec<Lsoa>,
    lsoa_index: HashMap<String, usize>,
    districts: Vec<District>,
    catalogue: Vec<Indicator>,
    localities: Vec<Locality>,
    values: HashMap<String, Vec<Option<Observation>>>,
    msoas: Vec<Msoa>,
    msoa_of: Vec<Option<usize>>,
    msoa_values: HashMap<String, Vec<Option<Observation>>>,
    comparators: Vec<Comparator>,
    ranges: Vec<EnglandRange>,
    neighbours: HashMap<String, Vec<Neighbour>>,
    neighbour_figures: HashMap<String, Vec<NeighbourFigure>>,
    positions: Vec<EnglandPosition>,
    practices: Vec<super::GpPractice>,
}

/// Reads the districts, localities and every table, given the LSOAs (sorted) and the catalogue.
fn read_rest(files: &DataFiles, lsoas: Vec<Lsoa>, catalogue: Vec<Indicator>, problems: &mut Vec<IngestError>) -> Rest {
    let lsoa_index: HashMap<String, usize> = lsoas.iter().enumerate().map(|(i, l)| (l.code.clone(), i)).collect();
    let districts = read_districts(files, &lsoas, problems);
    let mut localities = read_localities(files, &lsoa_index, problems);
    for locality in &mut localities {
        let members = locality.members.iter().filter_map(|m| lsoa_index.get(&m.lsoa21_code).copied());
        locality.outline = union_of(&lsoas, members);
    }
    let values = read_values(
        files,
        &catalogue,
        &ValueTable {
            name: schema::VALUES_FILE,
            columns: &schema::VALUE_COLUMNS,
            code_column: "lsoa21_code",
            areas: &lsoa_index,
            area_count: lsoas.len(),
            base: BaseGeography::Lsoa,
            areas_file: schema::LSOA_FILE,
        },
        problems,
    );
    let msoas = read_msoas(files, &lsoas, &lsoa_index, problems);
    let mut msoa_of = vec![None; lsoas.len()];
    for (m, msoa) in msoas.iter().enumerate() {
        for &l in &msoa.lsoas {
            msoa_of[l] = Some(m);
        }
    }
    let msoa_index: HashMap<String, usize> = msoas.iter().enumerate().map(|(i, m)| (m.code.clone(), i)).collect();
    let msoa_values = read_values(
        files,
        &catalogue,
        &ValueTable {
            name: schema::MSOA_VALUES_FILE,
            columns: &schema::MSOA_VALUE_COLUMNS,
            code_column: "msoa21_code",
            areas: &msoa_index,
            area_count: msoas.len(),
            base: BaseGeography::Msoa,
            areas_file: schema::MSOA_FILE,
        },
        problems,
    );
    let comparators = read_comparators(files, &catalogue, problems);
    let ranges = read_ranges(files, &catalogue, problems);
    let neighbours = read_neighbours(files, problems);
    let neighbour_figures = read_neighbour_figures(files, &catalogue, problems);
    check_neighbours_districts(files, &neighbours, &neighbour_figures, &districts, problems);
    let positions = read_positions(files, &catalogue, problems);
    let practices = read_practices(files, problems);

    Rest {
        lsoas,
        lsoa_index,
        districts,
        catalogue,
        localities,
        values,
        msoas,
        msoa_of,
        msoa_values,
        comparators,
        ranges,
        neighbours,
        neighbour_figures,
        positions,
        practices,
    }
}

/// Checks the LSOAs' wards and builds the atlas, or lists every problem found.
fn assemble(
    files: &DataFiles,
    version: String,
    place: Place,
    wards: Vec<Ward>,
    city: MultiPolygon<f64>,
    rest: Rest,
    mut problems: Vec<IngestError>,
) -> Result<Atlas, LoadError> {
    let ward_codes: HashSet<&str> = wards.iter().map(|w| w.code.as_str()).collect();
    for lsoa in &rest.lsoas {
        if !ward_codes.is_empty() && !ward_codes.contains(lsoa.ward_code.as_str()) {
            problems.push(IngestError::file(
                files.label(schema::LSOA_FILE),
                format!("LSOA {} names ward {}, which is not in {}", lsoa.code, lsoa.ward_code, schema::WARD_FILE),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(LoadError { problems });
    }
    let tree = BoxIndex::build(rest.lsoas.iter().map(|l| &l.geometry));
    Ok(Atlas {
        version,
        place,
        lsoas: rest.lsoas,
        lsoa_index: rest.lsoa_index,
        tree,
        wards,
        districts: rest.districts,
        city,
        catalogue: rest.catalogue,
        values: rest.values,
        comparators: rest.comparators,
        ranges: rest.ranges,
        neighbours: rest.neighbours,
        neighbour_figures: rest.neighbour_figures,
        positions: rest.positions,
        localities: rest.localities,
        msoas: rest.msoas,
        msoa_of: rest.msoa_of,
        msoa_values: rest.msoa_values,
        practices: rest.practices,
    })
}

/// The district the folder describes: its code must be an English district's.
fn read_place(files: &DataFiles, problems: &mut Vec<IngestError>) -> Place {
    let label = files.label(schema::PLACE_FILE);
    let unknown = || Place {
        code: String::new(),
        name: String::new(),
        boundaries: String::new(),
        generalisation: String::new(),
        localities: String::new(),
        not_held: Vec::new(),
    };
    let Some(text) = files.text(schema::PLACE_FILE, problems) else { return unknown() };
    let place: Place = match serde_json::from_str(text) {
        Ok(place) => place,
        Err(e) => {
            problems.push(IngestError::at(
                label,
                Location::Line(e.line()),
                None,
                format!("not a place description: {e}"),
            ));
            return unknown();
        }
    };
    let england = place.code == schema::ENGLAND_CODE && files.holds(schema::DISTRICTS_FILE);
    if !is_district(&place.code) && !england {
        problems.push(IngestError::file(
            &label,
            format!(
                "code {:?} is not an English local authority district code (E06, E07, E08 or E09 and six digits), nor England's (E92000001, with {})",
                place.code,
                schema::DISTRICTS_FILE
            ),
        ));
    }
    if place.name.trim().is_empty() {
        problems.push(IngestError::file(&label, "name is empty: the district needs a name"));
    }
    place
}

fn read_catalogue(files: &DataFiles, problems: &mut Vec<IngestError>) -> Vec<Indicator> {
    let label = files.label(schema::CATALOGUE_FILE);
    let Some(text) = files.text(schema::CATALOGUE_FILE, problems) else { return Vec::new() };
    let catalogue: Vec<Indicator> = match serde_json::from_str(text) {
        Ok(c) => c,
        Err(e) => {
            problems.push(IngestError::at(&label, Location::Line(e.line()), None, e.to_string()));
            return Vec::new();
        }
    };
    let mut seen = HashSet::new();
    for (i, indicator) in catalogue.iter().enumerate() {
        let at = || Location::Record(i + 1);
        if indicator.id.is_empty() || !indicator.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            problems.push(IngestError::at(
                &label,
                at(),
                Some("id"),
                format!("{:?} is not a valid id (letters, digits, _)", indicator.id),
            ));
        }
        if !seen.insert(indicator.id.as_str()) {
            problems.push(IngestError::at(
                &label,
                at(),
                Some("id"),
                format!("duplicate indicator id {}", indicator.id),
            ));
        }
        if !(indicator.multiplier.is_finite() && indicator.multiplier > 0.0) {
            problems.push(IngestError::at(&label, at(), Some("multiplier"), "must be a positive number"));
        }
    }
    for (i, indicator) in catalogue.iter().enumerate() {
        if let Some(other) = indicator.counterpart.as_ref().filter(|o| !seen.contains(o.as_str())) {
            problems.push(IngestError::at(
                &label,
                Location::Record(i + 1),
                Some("counterpart"),
                format!("names unknown indicator {other}"),
            ));
        }
    }
    catalogue
}

/// Parses a GeoJSON boundary file, recording problems; `None` when unreadable.
fn boundaries(files: &DataFiles, name: &str, problems: &mut Vec<IngestError>) -> Option<Vec<Boundary>> {
    let text = files.text(name, problems)?;
    match read_geojson_str(&files.label(name), text) {
        Ok(b) => Some(b),
        Err(e) => {
            problems.push(e);
            None
        }
    }
}

/// A required text property of a boundary feature.
fn property(
    files: &DataFiles,
    name: &str,
    index: usize,
    boundary: &Boundary,
    key: &str,
    problems: &mut Vec<IngestError>,
) -> String {
    boundary.text(key).unwrap_or_else(|| {
        problems.push(IngestError::at(
            files.label(name),
            Location::Feature(index + 1),
            Some(key),
            "is missing or empty",
        ));
        String::new()
    })
}

/// Records every OGC validity problem of a polygon.
fn check_geometry(
    files: &DataFiles,
    name: &str,
    index: usize,
    geometry: &MultiPolygon<f64>,
    problems: &mut Vec<IngestError>,
) {
    if geometry.0.is_empty() {
        problems.push(IngestError::at(files.label(name), Location::Feature(index + 1), Some("geometry"), "is empty"));
    }
    for error in validity::validation_errors(geometry) {
        problems.push(IngestError::at(
            files.label(name),
            Location::Feature(index + 1),
            Some("geometry"),
            format!("invalid polygon: {error}"),
        ));
    }
}

fn read_lsoas(files: &DataFiles, problems: &mut Vec<IngestError>) -> Vec<Lsoa> {
    let name = schema::LSOA_FILE;
    let Some(features) = boundaries(files, name, problems) else { return Vec::new() };
    let mut seen = HashSet::new();
    let mut lsoas = Vec::with_capacity(features.len());
    for (i, feature) in features.into_iter().enumerate() {
        let code = property(files, name, i, &feature, "code", problems);
        if !code.is_empty() && !is_gss(&code, "E01") {
            problems.push(IngestError::at(
                files.label(name),
                Location::Feature(i + 1),
                Some("code"),
                format!("{code:?} is not an LSOA code (E01 and six digits)"),
            ));
        }
        if !code.is_empty() && !seen.insert(code.clone()) {
            problems.push(IngestError::at(
                files.label(name),
                Location::Feature(i + 1),
                Some("code"),
                format!("duplicate LSOA {code}"),
            ));
        }
        check_geometry(files, name, i, &feature.geometry, problems);
        lsoas.push(Lsoa {
            name: property(files, name, i, &feature, "name", problems),
            ward_code: property(files, name, i, &feature, "ward_code", problems),
            district: feature.text(schema::LSOA_DISTRICT_PROPERTY),
            interior: interior_point(&feature.geometry),
            geometry: feature.geometry,
            code,
        });
    }
    if lsoas.is_empty() && problems.is_empty() {
        problems.push(IngestError::file(files.label(name), "holds no LSOAs"));
    }
    lsoas
}

fn read_wards(files: &DataFiles, problems: &mut Vec<IngestError>) -> Vec<Ward> {
    let name = schema::WARD_FILE;
    let Some(features) = boundaries(files, name, problems) else { return Vec::new() };
    let mut wards = Vec::with_capacity(features.len());
    for (i, feature) in features.into_iter().enumerate() {
        check_geometry(files, name, i, &feature.geometry, problems);
        wards.push(Ward {
            code: property(files, name, i, &feature, "code", problems),
            name: property(files, name, i, &feature, "name", problems),
            geometry: feature.geometry,
        });
    }
    wards
}

/// The districts of an atlas of all England, each holding the LSOAs whose `district_code` names it;
/// none when the folder has no districts file.
fn read_districts(files: &DataFiles, lsoas: &[Lsoa], problems: &mut Vec<IngestError>) -> Vec<District> {
    let name = schema::DISTRICTS_FILE;
    if !files.holds(name) {
        return Vec::new();
    }
    let Some(features) = boundaries(files, name, problems) else { return Vec::new() };
    let mut districts: Vec<District> = Vec::with_capacity(features.len());
    for (i, feature) in features.into_iter().enumerate() {
        let code = property(files, name, i, &feature, "code", problems);
        if !code.is_empty() && !is_district(&code) {
            problems.push(IngestError::at(
                files.label(name),
                Location::Feature(i + 1),
                Some("code"),
                format!("{code:?} is not an English local authority district code"),
            ));
        }
        check_geometry(files, name, i, &feature.geometry, problems);
        let Some(bounds) = feature.geometry.bounding_rect() else { continue };
        districts.push(District {
            name: property(files, name, i, &feature, "name", problems),
            code,
            lsoas: Vec::new(),
            geometry: feature.geometry,
            bounds,
        });
    }
    districts.sort_by(|a, b| a.code.cmp(&b.code));
    if let Some(twice) = districts.windows(2).find(|w| w[0].code == w[1].code) {
        problems.push(IngestError::file(files.label(name), format!("district {} is listed twice", twice[0].code)));
        return Vec::new();
    }
    for (at, lsoa) in lsoas.iter().enumerate() {
        let found =
            lsoa.district.as_deref().and_then(|code| districts.binary_search_by(|d| d.code.as_str().cmp(code)).ok());
        match found {
            Some(d) => districts[d].lsoas.push(at),
            None => problems.push(IngestError::file(
                files.label(schema::LSOA_FILE),
                format!(
                    "LSOA {} names district {:?} ({}), which is not in {name}",
                    lsoa.code,
                    lsoa.district.as_deref().unwrap_or_default(),
                    schema::LSOA_DISTRICT_PROPERTY
                ),
            )),
        }
    }
    if let Some(empty) = districts.iter().find(|d| d.lsoas.is_empty()) {
        problems.push(IngestError::file(files.label(name), format!("district {} holds no LSOA", empty.code)));
    }
    districts
}

fn read_city(files: &DataFiles, problems: &mut Vec<IngestError>) -> MultiPolygon<f64> {
    let name = schema::CITY_FILE;
    let Some(mut features) = boundaries(files, name, problems) else { return MultiPolygon(Vec::new()) };
    if features.len() != 1 {
        problems.push(IngestError::file(
            files.label(name),
            format!("expected exactly 1 feature (the district outline), found {}", features.len()),
        ));
        return MultiPolygon(Vec::new());
    }
    let city = features.remove(0).geometry;
    check_geometry(files, name, 0, &city, problems);
    city
}

fn read_localities(
    files: &DataFiles,
    lsoas: &HashMap<String, usize>,
    problems: &mut Vec<IngestError>,
) -> Vec<Locality> {
    let Some(table) = files.table(schema::LOCALITY_FILE, &schema::LOCALITY_COLUMNS, problems) else {
        return Vec::new();
    };
    let mut localities: Vec<Locality> = Vec::new();
    for row in table.rows() {
        let parsed = (|| {
            let id = row.text("locality_id")?;
            if !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                return Err(row.error("locality_id", format!("{id:?} must use only a-z, 0-9 and -")));
            }
            let name = row.text("locality_name")?;
            let code = row.text("lsoa21_code")?;
            if !lsoas.contains_key(code) {
                return Err(row.error(
                    "lsoa21_code",
                    format!("names LSOA {code}, which does not exist in {}", schema::LSOA_FILE),
                ));
            }
            let member = LocalityMember {
                lsoa21_code: code.to_owned(),
                basis: row.text_opt("basis")?.unwrap_or_default().to_owned(),
                confidence: row.text("confidence")?.to_owned(),
            };
            Ok((id, name, member))
        })();
        let (id, name, member) = match parsed {
            Ok(p) => p,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        match localities.iter_mut().find(|l| l.id == id) {
            Some(locality) if locality.name != name => {
                problems.push(row.error(
                    "locality_name",
                    format!("{name:?} differs from {:?} given earlier for {id}", locality.name),
                ));
            }
            Some(locality) if locality.members.iter().any(|m| m.lsoa21_code == member.lsoa21_code) => {
                problems.push(row.error("lsoa21_code", format!("LSOA {} is listed twice in {id}", member.lsoa21_code)));
            }
            Some(locality) => locality.members.push(member),
            None => localities.push(Locality {
                id: id.to_owned(),
                name: name.to_owned(),
                members: vec![member],
                outline: MultiPolygon(vec![]),
            }),
        }
    }
    localities
}

/// Where an indicator table's rows are keyed: its file, columns, code column, the areas' index
/// and the geography its indicators must be published for.
struct ValueTable<'a> {
    name: &'static str,
    columns: &'a [&'a str],
    code_column: &'static str,
    areas: &'a HashMap<String, usize>,
    area_count: usize,
    base: BaseGeography,
    areas_file: &'static str,
}

fn read_values(
    files: &DataFiles,
    catalogue: &[Indicator],
    spec: &ValueTable,
    problems: &mut Vec<IngestError>,
) -> HashMap<String, Vec<Option<Observation>>> {
    // Sized by the area list, not the index: duplicates make the index shorter.
    let mut values: HashMap<String, Vec<Option<Observation>>> =
        catalogue.iter().filter(|i| i.base == spec.base).map(|i| (i.id.clone(), vec![None; spec.area_count])).collect();
    // A national table has millions of rows: each finds its indicator by a hash, not a search.
    let by_id: HashMap<&str, &Indicator> = catalogue.iter().map(|i| (i.id.as_str(), i)).collect();
    for piece in files.table_pieces(spec.name, spec.columns) {
        match piece {
            Ok(table) => read_value_rows(&table, spec, &by_id, &mut values, problems),
            Err(e) => {
                problems.push(e);
                break;
            }
        }
    }
    values
}

/// Reads the rows of one piece of a value table into `values`.
fn read_value_rows(
    table: &Table,
    spec: &ValueTable,
    by_id: &HashMap<&str, &Indicator>,
    values: &mut HashMap<String, Vec<Option<Observation>>>,
    problems: &mut Vec<IngestError>,
) {
    let columns = (|| {
        Ok::<_, IngestError>([
            table.column("indicator_id")?,
            table.column(spec.code_column)?,
            table.column("period")?,
            table.column("numerator")?,
            table.column("denominator")?,
            table.column("value")?,
        ])
    })();
    let [ids, codes, periods, numerators, denominators, value_cells] = match columns {
        Ok(columns) => columns,
        Err(e) => {
            problems.push(e);
            return;
        }
    };
    for row in table.rows() {
        let parsed = (|| {
            let id = ids.text(&row)?;
            let indicator = *by_id.get(id).ok_or_else(|| {
                row.error("indicator_id", format!("unknown indicator {id}; it is not in {}", schema::CATALOGUE_FILE))
            })?;
            if indicator.base != spec.base {
                return Err(row.error(
                    "indicator_id",
                    format!("{id} is published for another geography; its values belong in the other indicator table"),
                ));
            }
            let code = codes.text(&row)?;
            let index = *spec.areas.get(code).ok_or_else(|| {
                let kind = if spec.base == BaseGeography::Msoa { "MSOA" } else { "LSOA" };
                row.error(spec.code_column, format!("unknown {kind} {code}; it is not in {}", spec.areas_file))
            })?;
            let period = periods.text(&row)?;
            if period != indicator.period {
                return Err(row.error(
                    "period",
                    format!("{period:?} differs from the catalogue's {:?} for {id}", indicator.period),
                ));
            }
            let observation = Observation {
                numerator: numerators.number(&row)?,
                denominator: denominators.number(&row)?,
                value: value_cells.number(&row)?,
            };
            check_counts(&row, indicator, &observation)?;
            Ok((id, index, observation))
        })();
        match parsed {
            Ok((id, index, observation)) => {
                let slot = &mut values.get_mut(id).expect("every catalogue id of this geography has a column")[index];
                if slot.is_some() {
                    problems.push(row.error(
                        spec.code_column,
                        format!(
                            "a second row for area {} and indicator {id}",
                            row.text(spec.code_column).unwrap_or_default()
                        ),
                    ));
                }
                *slot = Some(observation);
            }
            Err(e) => problems.push(e),
        }
    }
}

/// MSOAs from their membership file: each a group of whole LSOAs, its boundary their union.
fn read_msoas(
    files: &DataFiles,
    lsoas: &[Lsoa],
    index: &HashMap<String, usize>,
    problems: &mut Vec<IngestError>,
) -> Vec<Msoa> {
    let Some(table) = files.table(schema::MSOA_FILE, &schema::MSOA_COLUMNS, problems) else {
        return Vec::new();
    };
    // By code: a national file has thousands of MSOAs, and the map keeps them in code order.
    let mut msoas: BTreeMap<String, Msoa> = BTreeMap::new();
    let mut seen = HashSet::new();
    for row in table.rows() {
        let parsed = (|| {
            let code = row.text("msoa21_code")?;
            if !is_gss(code, "E02") {
                return Err(row.error("msoa21_code", format!("{code:?} is not an MSOA code (E02 and six digits)")));
            }
            let lsoa = row.text("lsoa21_code")?;
            let at = *index.get(lsoa).ok_or_else(|| {
                row.error("lsoa21_code", format!("unknown LSOA {lsoa}; it is not in {}", schema::LSOA_FILE))
            })?;
            if !seen.insert(at) {
                return Err(row.error("lsoa21_code", format!("LSOA {lsoa} is listed in a second MSOA")));
            }
            Ok((code.to_owned(), row.text("msoa21_name")?.to_owned(), row.text("neighbourhood")?.to_owned(), at))
        })();
        match parsed {
            Ok((code, name, neighbourhood, at)) => msoas
                .entry(code.clone())
                .or_insert_with(|| Msoa {
                    code,
                    name,
                    neighbourhood,
                    lsoas: Vec::new(),
                    geometry: MultiPolygon(vec![]),
                })
                .lsoas
                .push(at),
            Err(e) => problems.push(e),
        }
    }
    let mut msoas: Vec<Msoa> = msoas.into_values().collect();
    for msoa in &mut msoas {
        msoa.geometry = union_of(lsoas, msoa.lsoas.iter().copied());
    }
    msoas
}

/// The union of some LSOAs' boundaries (by their place in `lsoas`): the outline of a locality or
/// an MSOA.
fn union_of(lsoas: &[Lsoa], members: impl Iterator<Item = usize>) -> MultiPolygon<f64> {
    let parts: Vec<_> = members.flat_map(|i| lsoas[i].geometry.0.iter().cloned()).collect();
    unary_union(&parts)
}

/// Counts are never negative, and a proportion's numerator never exceeds its denominator.
fn check_counts(
    row: &crate::ingest::table::Row<'_>,
    indicator: &Indicator,
    o: &Observation,
) -> Result<(), IngestError> {
    for (field, count) in [("numerator", o.numerator), ("denominator", o.denominator)] {
        if count.is_some_and(|c| c < 0.0) {
            return Err(row.error(field, "is negative; counts cannot be"));
        }
    }
    if let (Some(n), Some(d)) = (o.numerator, o.denominator)
        && indicator.numerator_bounded_by_denominator()
        && n > d
    {
        return Err(row.error(
            "numerator",
            format!("{n} is above the denominator {d}; a proportion's count cannot exceed its population"),
        ));
    }
    Ok(())
}

/// Reads every row of an indicator-keyed table (comparators, ranges, positions): the row's
/// indicator must be in the catalogue, and `parse` builds the rest; each bad row is a problem.
fn read_indicator_rows<T>(
    files: &DataFiles,
    name: &str,
    columns: &[&str],
    catalogue: &[Indicator],
    problems: &mut Vec<IngestError>,
    parse: impl Fn(&Row, &str) -> Result<T, IngestError>,
) -> Vec<T> {
    let Some(table) = files.table(name, columns, problems) else {
        return Vec::new();
    };
    let mut parsed = Vec::new();
    for row in table.rows() {
        let one = row.text("indicator_id").and_then(|id| {
            if catalogue.iter().any(|i| i.id == id) {
                parse(&row, id)
            } else {
                Err(row
                    .error("indicator_id", format!("unknown indicator {id}; it is not in {}", schema::CATALOGUE_FILE)))
            }
        });
        match one {
            Ok(item) => parsed.push(item),
            Err(e) => problems.push(e),
        }
    }
    parsed
}

fn read_comparators(files: &DataFiles, catalogue: &[Indicator], problems: &mut Vec<IngestError>) -> Vec<Comparator> {
    read_indicator_rows(files, schema::COMPARATORS_FILE, &schema::COMPARATOR_COLUMNS, catalogue, problems, |row, id| {
        Ok(Comparator {
            indicator_id: id.to_owned(),
            area_code: row.text("area_code")?.to_owned(),
            area_name: row.text("area_name")?.to_owned(),
            period: row.text("period")?.to_owned(),
            numerator: row.number("numerator")?,
            denominator: row.number("denominator")?,
            value: row.required_number("value")?,
            basis: row.text("basis")?.to_owned(),
            role: match row.text("role")? {
                "benchmark" => ComparatorRole::Benchmark,
                "published" => ComparatorRole::Published,
                other => {
                    return Err(row.error("role", format!("{other:?} is neither \"benchmark\" nor \"published\"")));
                }
            },
        })
    })
}

fn read_ranges(files: &DataFiles, catalogue: &[Indicator], problems: &mut Vec<IngestError>) -> Vec<EnglandRange> {
    read_indicator_rows(files, schema::RANGES_FILE, &schema::RANGE_COLUMNS, catalogue, problems, |row, id| {
        let range = EnglandRange {
            indicator_id: id.to_owned(),
            areas: row.required_number("areas")? as usize,
            lowest: row.required_number("lowest")?,
            q25: row.required_number("q25")?,
            q75: row.required_number("q75")?,
            highest: row.required_number("highest")?,
            basis: row.text("basis")?.to_owned(),
        };
        if !(range.lowest <= range.q25 && range.q25 <= range.q75 && range.q75 <= range.highest) {
            return Err(row.error("q25", "the range must run lowest <= q25 <= q75 <= highest"));
        }
        Ok(range)
    })
}

/// Each district's own row (rank 0) and its statistical neighbours in rank order, by district.
fn read_neighbours(files: &DataFiles, problems: &mut Vec<IngestError>) -> HashMap<String, Vec<Neighbour>> {
    let mut found: HashMap<String, Vec<Neighbour>> = HashMap::new();
    let Some(table) = files.table(schema::NEIGHBOURS_FILE, &schema::NEIGHBOUR_COLUMNS, problems) else {
        return found;
    };
    let mut current = String::new();
    for row in table.rows() {
        let one = (|| -> Result<(&str, Neighbour), IngestError> {
            let of = row.text("of_district")?;
            if !is_district(of) {
                return Err(row.error("of_district", format!("{of:?} is not an English district code")));
            }
            if of != current && found.contains_key(of) {
                return Err(row.error("of_district", format!("{of}'s rows must be together, one block per district")));
            }
            let code = row.text("district_code")?;
            if !is_district(code) {
                return Err(row.error("district_code", format!("{code:?} is not an English district code")));
            }
            let expected = found.get(of).map_or(0, Vec::len);
            let rank = row.required_number("rank")?;
            if rank.fract() != 0.0 || rank < 0.0 || rank as usize != expected {
                return Err(
                    row.error("rank", format!("expected rank {expected}, each district's rows in rank order from 0"))
                );
            }
            if rank == 0.0 && code != of {
                return Err(row.error("district_code", format!("rank 0 is the district itself, {of}, not {code}")));
            }
            let neighbour = Neighbour {
                rank: rank as usize,
                code: code.to_owned(),
                name: row.text("district_name")?.to_owned(),
                distance: row.required_number("distance")?,
                imd_score: row.required_number("imd_score")?,
                income_rate: row.required_number("income_rate")?,
                employment_rate: row.required_number("employment_rate")?,
                aged_65_plus: row.required_number("aged_65_plus")?,
                residents_per_km2: row.required_number("residents_per_km2")?,
                residents: row.required_number("residents")?,
                far_out_fence: row.required_number("far_out_fence")?,
            };
            Ok((of, neighbour))
        })();
        match one {
            Ok((of, neighbour)) => {
                if of != current {
                    current = of.to_owned();
                }
                found.entry(current.clone()).or_default().push(neighbour);
            }
            Err(e) => {
                problems.push(e);
                break;
            }
        }
    }
    found
}

/// Each district's neighbours' average and range of every indicator, by district.
fn read_neighbour_figures(
    files: &DataFiles,
    catalogue: &[Indicator],
    problems: &mut Vec<IngestError>,
) -> HashMap<String, Vec<NeighbourFigure>> {
    let columns = &schema::NEIGHBOUR_FIGURE_COLUMNS;
    let rows = read_indicator_rows(files, schema::NEIGHBOUR_FIGURES_FILE, columns, catalogue, problems, |row, id| {
        let of = row.text("of_district")?;
        if !is_district(of) {
            return Err(row.error("of_district", format!("{of:?} is not an English district code")));
        }
        let figure = NeighbourFigure {
            indicator_id: id.to_owned(),
            neighbours: row.required_number("neighbours")? as usize,
            mean: row.required_number("mean")?,
            lowest: row.required_number("lowest")?,
            highest: row.required_number("highest")?,
            basis: row.text("basis")?.to_owned(),
        };
        if !(figure.lowest <= figure.mean && figure.mean <= figure.highest) {
            return Err(row.error("mean", "the neighbours' mean must lie between their lowest and highest"));
        }
        Ok((of.to_owned(), figure))
    });
    let mut found: HashMap<String, Vec<NeighbourFigure>> = HashMap::new();
    for (of, figure) in rows {
        found.entry(of).or_default().push(figure);
    }
    found
}

/// Neighbours are only of districts the atlas describes: the district of a district's atlas, or one
/// of the districts of England's.
fn check_neighbours_districts(
    files: &DataFiles,
    neighbours: &HashMap<String, Vec<Neighbour>>,
    figures: &HashMap<String, Vec<NeighbourFigure>>,
    districts: &[District],
    problems: &mut Vec<IngestError>,
) {
    let known: HashSet<&str> = districts.iter().map(|d| d.code.as_str()).collect();
    let unknown = |of: &&String| !known.is_empty() && !known.contains(of.as_str());
    let mut codes: Vec<(&str, &String)> = neighbours.keys().map(|of| (schema::NEIGHBOURS_FILE, of)).collect();
    codes.extend(figures.keys().map(|of| (schema::NEIGHBOUR_FIGURES_FILE, of)));
    codes.sort();
    for (file, of) in codes.into_iter().filter(|(_, of)| unknown(of)) {
        problems.push(IngestError::file(
            files.label(file),
            format!("of_district {of} is not one of the atlas's districts in {}", schema::DISTRICTS_FILE),
        ));
    }
}

fn read_positions(files: &DataFiles, catalogue: &[Indicator], problems: &mut Vec<IngestError>) -> Vec<EnglandPosition> {
    read_indicator_rows(files, schema::POSITIONS_FILE, &schema::POSITION_COLUMNS, catalogue, problems, |row, id| {
        let share = |column: &str| -> Result<f64, IngestError> {
            let v = row.required_number(column)?;
            if (0.0..=100.0).contains(&v) {
                Ok(v)
            } else {
                Err(row.error(column, "must be a percentage from 0 to 100"))
            }
        };
        Ok(EnglandPosition {
            indicator_id: id.to_owned(),
            lsoas: row.required_number("lsoas")? as usize,
            worst10: row.required_number("worst10")?,
            worst20: row.required_number("worst20")?,
            england_share10: share("england_share10")?,
            england_share20: share("england_share20")?,
            district_share10: share("district_share10")?,
            district_share20: share("district_share20")?,
            basis: row.text("basis")?.to_owned(),
        })
    })
}

/// True for an English local authority district's GSS code (E06, E07, E08 or E09 and six digits).
fn is_district(code: &str) -> bool {
    ["E06", "E07", "E08", "E09"].iter().any(|p| is_gss(code, p))
}

/// True for a GSS code with the given prefix and six digits, e.g. `E01009577`.
fn is_gss(code: &str, prefix: &str) -> bool {
    code.len() == 9 && code.starts_with(prefix) && code[3..].chars().all(|c| c.is_ascii_digit())
}
