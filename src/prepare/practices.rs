//! GP practices: NHS England's register of the practices in the city, placed at their postcode's
//! Code-Point Open coordinates, written to [`PRACTICES_FILE`](crate::atlas::schema::PRACTICES_FILE),
//! and each LSOA's access to the open ones (see [`crate::analysis::access`] for the method).

use std::collections::HashSet;
use std::path::Path;

use geo::Point;

use super::areas::Areas;
use super::catalogue::GpMeasure;
use super::comparators::tidy;
use super::write;
use crate::analysis::access::{Access, GRID_SPACING_M, NEAR_RADIUS_M, access};
use crate::atlas::practices::{check_closed, coordinates};
use crate::atlas::schema::PRACTICE_COLUMNS;
use crate::atlas::{GpPractice, Observation, PracticeStatus};
use crate::ingest::{Crs, IngestError, Row, Table};

/// The address columns of the register, joined with ", " in this order.
const ADDRESS_COLUMNS: [&str; 4] = ["address_1", "address_2", "address_3", "address_4"];

/// How far (in metres) the register's WGS84 point may lie from its British National Grid point
/// projected here: both are the same postcode centre, converted by different software, so they agree
/// to a few metres; a wrong or swapped coordinate is kilometres out.
const COORDINATE_AGREEMENT_M: f64 = 25.0;

/// Reads the raw register extract: every practice with its status, dates, address and coordinates.
pub fn read(path: &Path) -> Result<Vec<GpPractice>, IngestError> {
    let table = Table::from_path(path)?;
    let mut columns = vec!["practice_code", "name", "postcode", "status_code", "open_date", "close_date"];
    columns.extend(ADDRESS_COLUMNS);
    columns.extend(["easting", "northing", "lon", "lat"]);
    table.require(&columns)?;
    let mut seen = HashSet::new();
    let mut practices = Vec::with_capacity(table.len());
    for row in table.rows() {
        let code = row.text("practice_code")?;
        if !seen.insert(code.to_owned()) {
            return Err(row.error("practice_code", format!("practice {code} is listed twice")));
        }
        let status = match row.text("status_code")? {
            "A" => PracticeStatus::Open,
            "C" => PracticeStatus::Closed,
            other => {
                return Err(row.error(
                    "status_code",
                    format!("{other:?} is not a status this extract can hold: A (active) or C (closed)"),
                ));
            }
        };
        let opened = register_date(&row, "open_date")?.ok_or_else(|| row.error("open_date", "is empty"))?;
        let closed = register_date(&row, "close_date")?;
        check_closed(&row, "close_date", status, closed.as_deref())?;
        let (grid, location) = coordinates(&row, ["easting", "northing", "lon", "lat"])?;
        check_agreement(&row, grid, location)?;
        let mut address = Vec::new();
        for column in ADDRESS_COLUMNS {
            address.extend(row.text_opt(column)?);
        }
        practices.push(GpPractice {
            code: code.to_owned(),
            name: row.text("name")?.to_owned(),
            address: address.join(", "),
            postcode: row.text("postcode")?.to_owned(),
            status,
            opened,
            closed,
            grid,
            location,
        });
    }
    practices.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(practices)
}

/// A register date `YYYYMMDD` as `YYYY-MM-DD`; `None` when blank.
fn register_date(row: &Row<'_>, column: &str) -> Result<Option<String>, IngestError> {
    let Some(text) = row.text_opt(column)? else { return Ok(None) };
    let digits = text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit());
    let month = text.get(4..6).and_then(|m| m.parse::<u32>().ok()).unwrap_or(0);
    let day = text.get(6..8).and_then(|d| d.parse::<u32>().ok()).unwrap_or(0);
    if !digits || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return Err(row.error(column, format!("{text:?} is not a date written YYYYMMDD")));
    }
    Ok(Some(format!("{}-{}-{}", &text[..4], &text[4..6], &text[6..])))
}

/// Fails when the WGS84 point, projected to British National Grid, is not where the grid point is.
fn check_agreement(row: &Row<'_>, grid: Point<f64>, location: Point<f64>) -> Result<(), IngestError> {
    let mut at = location;
    Crs::BritishNationalGrid.project_wgs84(&mut at).map_err(|e| row.error("lon", e))?;
    let apart = (at.x() - grid.x()).hypot(at.y() - grid.y());
    if apart > COORDINATE_AGREEMENT_M {
        return Err(row.error(
            "lon",
            format!(
                "the longitude and latitude lie {apart:.0} m from the easting and northing; they must describe the same place"
            ),
        ));
    }
    Ok(())
}

/// `data/gp_practices.csv`.
pub fn csv(practices: &[GpPractice]) -> String {
    let number = |x: f64| x.to_string();
    write::csv(
        &PRACTICE_COLUMNS,
        practices.iter().map(|p| {
            vec![
                p.code.clone(),
                p.name.clone(),
                p.address.clone(),
                p.postcode.clone(),
                p.status.as_str().to_owned(),
                p.opened.clone(),
                p.closed.clone().unwrap_or_default(),
                number(p.grid.x()),
                number(p.grid.y()),
                number(p.location.x()),
                number(p.location.y()),
            ]
        }),
    )
}

/// Each LSOA's access to the open practices, by LSOA code in code order.
pub struct GpAccess(Vec<(String, Access)>);

impl GpAccess {
    /// Access from every LSOA to the open practices: each boundary projected to British National
    /// Grid, residents on the grid of [`GRID_SPACING_M`], practices counted within [`NEAR_RADIUS_M`].
    pub fn compute(areas: &Areas, practices: &[GpPractice], file: &str) -> Result<GpAccess, IngestError> {
        let open: Vec<Point<f64>> = practices.iter().filter(|p| p.is_open()).map(|p| p.grid).collect();
        if open.is_empty() {
            return Err(IngestError::file(file, "holds no open practice (status_code A)"));
        }
        let mut found = Vec::new();
        for (code, geometry) in areas.lsoa_geometries() {
            let mut grid = geometry.clone();
            Crs::BritishNationalGrid
                .project_wgs84(&mut grid)
                .map_err(|e| IngestError::file(file, format!("LSOA {code}: {e}")))?;
            let measured = access(&grid, &open, GRID_SPACING_M, NEAR_RADIUS_M)
                .ok_or_else(|| IngestError::file(file, format!("LSOA {code} has an empty boundary")))?;
            found.push((code.to_owned(), measured));
        }
        Ok(GpAccess(found))
    }

    /// One measure's figures on the atlas's LSOAs, in code order.
    pub fn figures(&self, measure: GpMeasure) -> Vec<(String, Observation)> {
        self.0
            .iter()
            .map(|(code, access)| {
                let value = match measure {
                    GpMeasure::NearestKm => access.mean_nearest / 1000.0,
                    GpMeasure::WithinOneKm => access.mean_within,
                };
                (code.clone(), Observation { numerator: None, denominator: None, value: Some(tidy(value)) })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "practice_code,name,address_1,address_2,address_3,address_4,postcode,status_code,open_date,close_date,easting,northing,lon,lat\n";
    const PARK_LEYS: &str = "M84012,PARK LEYS MEDICAL PRACTICE,PARK LEYS MED PRACTICE,KERESLEY GREEN MED CENTRE,COVENTRY,WEST MIDLANDS,CV6 2FL,A,19740401,,431974,282328,-1.531085,52.437994\n";

    fn read_rows(rows: &str) -> Result<Vec<GpPractice>, IngestError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("practices.csv");
        std::fs::write(&path, format!("{HEADER}{rows}")).unwrap();
        read(&path).map_err(|mut e| {
            e.file = "practices.csv".to_owned();
            e
        })
    }

    #[test]
    fn the_register_becomes_the_atlas_schema() {
        let closed = "M86011,THE CROSSLEY PRACTICE,16/18 HENLEY ROAD,BELL GREEN,COVENTRY,,CV2 1LP,C,19740401,20180630,435925,282044,-1.472998,52.435197\n";
        let practices = read_rows(&format!("{PARK_LEYS}{closed}")).unwrap();
        let text = csv(&practices);
        assert_eq!(
            text,
            "code,name,address,postcode,status,opened,closed,easting,northing,lon,lat\n\
             M84012,PARK LEYS MEDICAL PRACTICE,\"PARK LEYS MED PRACTICE, KERESLEY GREEN MED CENTRE, COVENTRY, WEST MIDLANDS\",CV6 2FL,open,1974-04-01,,431974,282328,-1.531085,52.437994\n\
             M86011,THE CROSSLEY PRACTICE,\"16/18 HENLEY ROAD, BELL GREEN, COVENTRY\",CV2 1LP,closed,1974-04-01,2018-06-30,435925,282044,-1.472998,52.435197\n"
        );
    }

    #[test]
    fn bad_rows_name_the_line_and_field() {
        let cases = [
            (PARK_LEYS.replace(",431974,", ",,"), "line 2, field `easting`: is empty; a number is required"),
            (PARK_LEYS.replace(",282328,", ",n/k,"), "line 2, field `northing`: expected a number, found \"n/k\""),
            (PARK_LEYS.replace(",A,", ",P,"), "line 2, field `status_code`: \"P\" is not a status"),
            (format!("{PARK_LEYS}{PARK_LEYS}"), "line 3, field `practice_code`: practice M84012 is listed twice"),
            (PARK_LEYS.replace("19740401", "1974-04-01"), "line 2, field `open_date`: \"1974-04-01\" is not a date"),
            (PARK_LEYS.replace("-1.531085", "-1.631085"), "line 2, field `lon`: the longitude and latitude lie"),
        ];
        for (rows, expected) in cases {
            let error = read_rows(&rows).unwrap_err().to_string();
            assert!(error.starts_with(&format!("practices.csv: {expected}")), "{error}");
        }
    }
}
