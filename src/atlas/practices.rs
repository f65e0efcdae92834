//! GP practices: the main site of every practice, open or closed, read from
//! [`PRACTICES_FILE`](super::schema::PRACTICES_FILE) and validated row by row.

use std::collections::HashSet;

use geo::Point;
use serde::Serialize;

use super::files::DataFiles;
use super::schema;
use crate::ingest::{IngestError, Row};

/// The attribution the practices' data requires: NHS England's register (ODS) and OS Code-Point
/// Open's postcode coordinates, both under the Open Government Licence v3.0.
pub const ATTRIBUTION: &str = "Contains NHS data (NHS England, ODS), OGL v3.0. Contains OS data © Crown copyright and database right; Contains Royal Mail data © Royal Mail copyright and database right; Contains National Statistics data © Crown copyright and database right (Code-Point Open).";

/// Whether a practice is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PracticeStatus {
    /// Active in NHS England's register.
    Open,
    /// Closed; kept so that maps can show where practices were.
    Closed,
}

impl PracticeStatus {
    /// The word written in the data and the tiles: `open` or `closed`.
    pub fn as_str(self) -> &'static str {
        match self {
            PracticeStatus::Open => "open",
            PracticeStatus::Closed => "closed",
        }
    }
}

/// A GP practice's main site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GpPractice {
    /// NHS organisation code, e.g. `M84012`.
    pub code: String,
    /// Practice name as registered.
    pub name: String,
    /// Address lines, comma-separated, without the postcode.
    pub address: String,
    /// Postcode.
    pub postcode: String,
    /// Open or closed.
    pub status: PracticeStatus,
    /// Date opened, `YYYY-MM-DD`.
    pub opened: String,
    /// Date closed, `YYYY-MM-DD`, for a closed practice.
    pub closed: Option<String>,
    /// British National Grid easting and northing of the postcode, in metres.
    pub grid: Point<f64>,
    /// The same place in WGS84 longitude and latitude.
    pub location: Point<f64>,
}

impl GpPractice {
    /// True for a practice that is open.
    pub fn is_open(&self) -> bool {
        self.status == PracticeStatus::Open
    }
}

/// The four coordinate columns of a practice row: easting, northing, longitude, latitude.
pub type CoordinateColumns = [&'static str; 4];

/// The grid (BNG) and WGS84 points of a row, each a required number within Great Britain's range.
pub fn coordinates(
    row: &Row<'_>,
    [easting, northing, lon, lat]: CoordinateColumns,
) -> Result<(Point, Point), IngestError> {
    let within = |column: &str, low: f64, high: f64, what: &str| -> Result<f64, IngestError> {
        let value = row.required_number(column)?;
        if (low..=high).contains(&value) {
            Ok(value)
        } else {
            Err(row.error(column, format!("{value} is not {what} (expected {low} to {high})")))
        }
    };
    let grid = Point::new(
        within(easting, 0.0, 700_000.0, "a British National Grid easting in metres")?,
        within(northing, 0.0, 1_300_000.0, "a British National Grid northing in metres")?,
    );
    let location = Point::new(
        within(lon, -9.0, 2.0, "a longitude in Great Britain")?,
        within(lat, 49.0, 61.0, "a latitude in Great Britain")?,
    );
    Ok((grid, location))
}

/// Fails unless a date is written `YYYY-MM-DD` with a month 01–12 and a day 01–31.
fn iso_date(row: &Row<'_>, column: &str, date: &str) -> Result<(), IngestError> {
    let parts: Vec<&str> = date.split('-').collect();
    let number = |text: &str, digits: usize| {
        (text.len() == digits && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse::<u32>().ok()).flatten()
    };
    match parts.as_slice() {
        [y, m, d]
            if number(y, 4).is_some()
                && matches!(number(m, 2), Some(1..=12))
                && matches!(number(d, 2), Some(1..=31)) =>
        {
            Ok(())
        }
        _ => Err(row.error(column, format!("{date:?} is not a date written YYYY-MM-DD"))),
    }
}

/// Fails unless an open practice has no closing date and a closed one has one.
pub fn check_closed(
    row: &Row<'_>,
    column: &str,
    status: PracticeStatus,
    closed: Option<&str>,
) -> Result<(), IngestError> {
    match (status, closed) {
        (PracticeStatus::Open, Some(date)) => {
            Err(row.error(column, format!("an open practice has no closing date, but {date:?} is given")))
        }
        (PracticeStatus::Closed, None) => Err(row.error(column, "a closed practice needs its closing date")),
        _ => Ok(()),
    }
}

/// Reads and validates the practices, recording every bad row as a problem; sorted by code.
pub fn read_practices(files: &DataFiles, problems: &mut Vec<IngestError>) -> Vec<GpPractice> {
    let Some(table) = files.table(schema::PRACTICES_FILE, &schema::PRACTICE_COLUMNS, problems) else {
        return Vec::new();
    };
    let mut seen = HashSet::new();
    let mut practices = Vec::with_capacity(table.len());
    for row in table.rows() {
        let parsed = (|| {
            let code = row.text("code")?;
            if !seen.insert(code.to_owned()) {
                return Err(row.error("code", format!("duplicate practice {code}")));
            }
            let status = match row.text("status")? {
                "open" => PracticeStatus::Open,
                "closed" => PracticeStatus::Closed,
                other => return Err(row.error("status", format!("{other:?} is neither \"open\" nor \"closed\""))),
            };
            let opened = row.text("opened")?;
            iso_date(&row, "opened", opened)?;
            let closed = row.text_opt("closed")?;
            if let Some(date) = closed {
                iso_date(&row, "closed", date)?;
            }
            check_closed(&row, "closed", status, closed)?;
            let (grid, location) = coordinates(&row, ["easting", "northing", "lon", "lat"])?;
            Ok(GpPractice {
                code: code.to_owned(),
                name: row.text("name")?.to_owned(),
                address: row.text_opt("address")?.unwrap_or_default().to_owned(),
                postcode: row.text("postcode")?.to_owned(),
                status,
                opened: opened.to_owned(),
                closed: closed.map(str::to_owned),
                grid,
                location,
            })
        })();
        match parsed {
            Ok(practice) => practices.push(practice),
            Err(e) => problems.push(e),
        }
    }
    practices.sort_by(|a, b| a.code.cmp(&b.code));
    practices
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(practices: &str) -> DataFiles {
        DataFiles::in_memory("t", vec![(schema::PRACTICES_FILE, practices.as_bytes().to_vec())])
    }

    const HEADER: &str = "code,name,address,postcode,status,opened,closed,easting,northing,lon,lat\n";

    fn problems_of(rows: &str) -> Vec<String> {
        let mut problems = Vec::new();
        read_practices(&files(&format!("{HEADER}{rows}")), &mut problems);
        problems.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_good_file_gives_open_and_closed_practices_in_code_order() {
        let rows = "M86002,LONGFORD,\"LONGFORD RD, COVENTRY\",CV6 6DR,open,1974-04-01,,435060,283677,-1.48555,52.449933\n\
                    M84012,PARK LEYS,COVENTRY,CV6 2FL,closed,1974-04-01,2020-03-31,431974,282328,-1.531085,52.437994\n";
        let mut problems = Vec::new();
        let practices = read_practices(&files(&format!("{HEADER}{rows}")), &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(practices.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(), ["M84012", "M86002"]);
        assert!(!practices[0].is_open() && practices[1].is_open());
        assert_eq!(practices[1].address, "LONGFORD RD, COVENTRY");
        assert_eq!(practices[1].grid, Point::new(435_060.0, 283_677.0));
        assert_eq!(practices[1].location, Point::new(-1.48555, 52.449933));
    }

    #[test]
    fn bad_rows_are_named_by_line_and_field() {
        let rows = "A1,X,,CV1 1AA,open,1974-04-01,,,283677,-1.48,52.44\n\
                    A2,X,,CV1 1AA,active,1974-04-01,,435060,283677,-1.48,52.44\n\
                    A2,X,,CV1 1AA,open,1974-04-01,,435060,283677,-1.48,52.44\n\
                    A3,X,,CV1 1AA,open,1974-04-01,,435060,north,-1.48,52.44\n\
                    A4,X,,CV1 1AA,closed,1974-04-01,,435060,283677,-1.48,52.44\n\
                    A5,X,,CV1 1AA,open,19740401,,435060,283677,-1.48,52.44\n\
                    A6,X,,CV1 1AA,open,1974-04-01,,435060,283677,52.44,-1.48\n";
        assert_eq!(
            problems_of(rows),
            [
                "t/data/gp_practices.csv: line 2, field `easting`: is empty; a number is required",
                "t/data/gp_practices.csv: line 3, field `status`: \"active\" is neither \"open\" nor \"closed\"",
                "t/data/gp_practices.csv: line 4, field `code`: duplicate practice A2",
                "t/data/gp_practices.csv: line 5, field `northing`: expected a number, found \"north\"",
                "t/data/gp_practices.csv: line 6, field `closed`: a closed practice needs its closing date",
                "t/data/gp_practices.csv: line 7, field `opened`: \"19740401\" is not a date written YYYY-MM-DD",
                "t/data/gp_practices.csv: line 8, field `lon`: 52.44 is not a longitude in Great Britain (expected -9 to 2)",
            ]
        );
    }
}
