//! A national CSV table as a polars frame: the file (gzip or plain) decompressed into memory,
//! scanned lazily with every cell as text, checked, and the columns a run needs parsed as numbers.
//!
//! Every cell is scanned as text first so that a bad cell can be reported with its line and
//! column: a typed scan would stop at the first bad cell without saying where it is. Each row keeps
//! its file line in the [`LINE`] column (the header is line 1).

use std::path::Path;
use std::sync::Arc;

use polars::prelude::*;

use super::strings;
use crate::ingest::table::{MISSING_MARKERS, file_bytes};
use crate::ingest::{IngestError, Location};

/// The column holding each row's line in its file.
pub const LINE: &str = "line";

/// A checked table: the key column and text columns as text, number columns as `f64` (missing
/// markers and blanks as null), and the line of each row.
#[derive(Debug)]
pub struct Scanned {
    /// The file as named in messages.
    pub file: String,
    /// The table.
    pub frame: DataFrame,
}

/// What to keep of a table.
pub struct Wanted<'a> {
    /// The area-code column, when each area has one row: never blank, never repeated.
    pub key: Option<&'a str>,
    /// Columns kept as text.
    pub text: &'a [&'a str],
    /// Columns parsed as numbers.
    pub numbers: &'a [&'a str],
}

/// Reads `path` and keeps the wanted columns, failing with the file, line and column of the first
/// missing column, blank or repeated key, or cell that is not a number.
pub fn read(path: &Path, wanted: &Wanted<'_>) -> Result<Scanned, IngestError> {
    let file = path.display().to_string();
    let frame = scan(path)?;
    let fail = |e: PolarsError| IngestError::file(&file, format!("not a readable CSV table: {e}"));
    let mut frame = frame;
    let schema = frame.collect_schema().map_err(fail)?;
    let mut columns: Vec<&str> = wanted.key.into_iter().collect();
    columns.extend(wanted.text);
    columns.extend(wanted.numbers);
    columns.sort_unstable();
    columns.dedup();
    let missing: Vec<&str> = columns.iter().copied().filter(|c| schema.get(c).is_none()).collect();
    if let Some(first) = missing.first() {
        let present: Vec<&str> = schema.iter_names().map(|n| n.as_str()).filter(|n| *n != LINE).collect();
        return Err(IngestError::at(
            &file,
            Location::Line(1),
            Some(first),
            format!("missing column(s) {}; the header has {}", missing.join(", "), present.join(", ")),
        ));
    }
    let mut kept = vec![col(LINE)];
    kept.extend(columns.iter().map(|c| col(*c)));
    let frame = frame.select(kept);
    check_cells(&file, &frame, wanted)?;
    if let Some(key) = wanted.key {
        check_key(&file, &frame, key)?;
    }
    let parsed: Vec<Expr> = wanted.numbers.iter().map(|c| col(*c).cast(DataType::Float64)).collect();
    let frame = frame.with_columns(parsed).collect().map_err(fail)?;
    Ok(Scanned { file, frame })
}

/// The lazy scan of a CSV file held in memory, every column as text, with [`LINE`].
fn scan(path: &Path) -> Result<LazyFrame, IngestError> {
    let file = path.display().to_string();
    let bytes = file_bytes(path)?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(IngestError::file(file, "the file is empty: expected a CSV header line"));
    }
    let markers = MISSING_MARKERS.iter().map(|m| PlSmallStr::from(*m)).collect();
    LazyCsvReader::new_with_sources(ScanSources::Buffers(Arc::from([bytes.into()])))
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .with_null_values(Some(NullValues::AllColumns(markers)))
        .with_row_index(Some(RowIndex { name: LINE.into(), offset: 2 }))
        .finish()
        .map_err(|e| IngestError::file(file, format!("not a readable CSV table: {e}")))
}

/// Fails at the first cell of a number column that holds text other than a number.
fn check_cells(file: &str, frame: &LazyFrame, wanted: &Wanted<'_>) -> Result<(), IngestError> {
    if wanted.numbers.is_empty() {
        return Ok(());
    }
    let first_bad: Vec<Expr> = wanted
        .numbers
        .iter()
        .map(|c| {
            let parsed = col(*c).cast(DataType::Float64);
            let bad = col(*c).is_not_null().and(parsed.clone().is_null().or(parsed.is_finite().not()));
            col(LINE).filter(bad).first().alias(*c)
        })
        .collect();
    let found = frame.clone().select(first_bad).collect().map_err(|e| IngestError::file(file, e.to_string()))?;
    let mut problems: Vec<(u32, &str)> = Vec::new();
    for c in wanted.numbers {
        if let Some(line) = found.column(c).ok().and_then(|s| s.as_materialized_series().idx().ok()?.get(0)) {
            problems.push((line, c));
        }
    }
    let Some(&(line, column)) = problems.iter().min() else { return Ok(()) };
    let text = frame
        .clone()
        .filter(col(LINE).eq(lit(line)))
        .select([col(column)])
        .collect()
        .ok()
        .and_then(|f| f.column(column).ok()?.str().ok()?.get(0).map(str::to_owned))
        .unwrap_or_default();
    Err(IngestError::at(
        file,
        Location::Line(line as usize),
        Some(column),
        format!("expected a number, found {text:?}"),
    ))
}

/// Fails at the first blank key, or the second row of a repeated one.
fn check_key(file: &str, frame: &LazyFrame, key: &str) -> Result<(), IngestError> {
    let at = |e: PolarsError| IngestError::file(file, e.to_string());
    let blank = frame.clone().select([col(LINE).filter(col(key).is_null()).first()]).collect().map_err(at)?;
    if let Some(line) = first_line(&blank) {
        return Err(IngestError::at(file, Location::Line(line), Some(key), "is empty; a value is required"));
    }
    let repeated = frame
        .clone()
        .group_by([col(key)])
        .agg([len().alias("rows"), col(LINE).sort(SortOptions::default()).get(lit(1), true).alias(LINE)])
        .filter(col("rows").gt(lit(1)))
        .sort([LINE], SortMultipleOptions::default())
        .select([col(LINE), col(key)])
        .limit(1)
        .collect()
        .map_err(at)?;
    if let (Some(line), Some(code)) = (first_line(&repeated), strings(&repeated, key).into_iter().next()) {
        return Err(IngestError::at(file, Location::Line(line), Some(key), format!("{code} is listed twice")));
    }
    Ok(())
}

/// The line in the first row of a one-column result, when there is one.
fn first_line(frame: &DataFrame) -> Option<usize> {
    let column = frame.columns().first().filter(|c| !c.is_empty())?;
    column.as_materialized_series().idx().ok()?.get(0).map(|line| line as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str, wanted: &Wanted<'_>) -> Result<Scanned, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lsoas.csv");
        std::fs::write(&path, text).unwrap();
        read(&path, wanted)
            .map(|mut s| {
                s.file = "lsoas.csv".into();
                s
            })
            .map_err(|e| e.to_string().replace(&path.display().to_string(), "lsoas.csv"))
    }

    const WANTED: Wanted<'static> = Wanted { key: Some("code"), text: &["name"], numbers: &["n"] };

    #[test]
    fn numbers_are_parsed_and_missing_markers_are_null() {
        let scanned = read_text("code,name,n,other\nE01,A,1.5,x\nE02,B,..,y\nE03,C,,z\n", &WANTED).unwrap();
        let n: Vec<Option<f64>> = scanned.frame.column("n").unwrap().f64().unwrap().iter().collect();
        assert_eq!(n, vec![Some(1.5), None, None]);
        assert!(scanned.frame.column("other").is_err());
        let lines: Vec<Option<IdxSize>> =
            scanned.frame.column(LINE).unwrap().as_materialized_series().idx().unwrap().iter().collect();
        assert_eq!(lines, vec![Some(2), Some(3), Some(4)]);
    }

    #[test]
    fn a_cell_that_is_not_a_number_is_reported_with_its_line_and_column() {
        let error = read_text("code,name,n\nE01,A,1\nE02,B,lots\nE03,C,inf\n", &WANTED).unwrap_err();
        assert_eq!(error, "lsoas.csv: line 3, field `n`: expected a number, found \"lots\"");
    }

    #[test]
    fn a_missing_column_a_blank_key_and_a_repeated_key_are_reported() {
        let error = read_text("code,n\nE01,1\n", &WANTED).unwrap_err();
        assert_eq!(error, "lsoas.csv: line 1, field `name`: missing column(s) name; the header has code, n");
        let error = read_text("code,name,n\nE01,A,1\n,B,2\n", &WANTED).unwrap_err();
        assert_eq!(error, "lsoas.csv: line 3, field `code`: is empty; a value is required");
        let error = read_text("code,name,n\nE01,A,1\nE02,B,2\nE01,C,3\n", &WANTED).unwrap_err();
        assert_eq!(error, "lsoas.csv: line 4, field `code`: E01 is listed twice");
    }
}
