//! CSV tables, read with polars, with cell access that reports file, line and column.
//!
//! Every column is read as text and parsed here, because publisher files mix quoted numbers
//! with thousands separators (`"1,395"`), blanks and suppression markers in numeric columns,
//! and a user needs the exact line of a bad cell, which a typed bulk parse cannot give.

use std::io::{Cursor, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;
use polars::prelude::{CsvReadOptions, DataFrame, SerReader, StringChunked};

use super::{IngestError, Location};

/// Cell texts that publishers use for "no value" (blank, NA, ONS suppression markers).
pub const MISSING_MARKERS: [&str; 9] = ["", "NA", "N/A", "n/a", "..", ":", "-", "x", "c"];

/// A CSV file held as text columns.
pub struct Table {
    file: String,
    frame: DataFrame,
    /// The line of the file its first row came from (2, under the header, unless the table is a
    /// piece of a larger file: see [`Table::pieces`]).
    first_line: usize,
}

impl Table {
    /// Reads a CSV file from disk, decompressing it when its name ends in `.gz`; the error names
    /// the path.
    pub fn from_path(path: &Path) -> Result<Table, IngestError> {
        Table::from_bytes(path.display().to_string(), file_bytes(path)?)
    }

    /// Reads CSV text held in memory (borrowed, not copied: the frame holds its own cells); `file`
    /// is the name used in error messages.
    pub fn from_bytes(file: impl Into<String>, bytes: impl AsRef<[u8]> + Send + Sync) -> Result<Table, IngestError> {
        let file = file.into();
        if bytes.as_ref().iter().all(u8::is_ascii_whitespace) {
            return Err(IngestError::file(file, "the file is empty: expected a CSV header line"));
        }
        let mut frame = CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(Some(0))
            .into_reader_with_file_handle(Cursor::new(bytes))
            .finish()
            .map_err(|e| IngestError::file(&file, format!("not a readable CSV table: {e}")))?;
        // One chunk a column, so that a cell is found by its index alone (a large file is read in
        // parallel chunks, and each cell would otherwise search for its chunk).
        frame.rechunk_mut();
        Ok(Table { file, frame, first_line: 2 })
    }

    /// Reads CSV text as consecutive tables of whole lines, each about `piece_bytes` long and
    /// read under the file's header, so that only one piece's cells are held at a time: a
    /// national table holds millions of rows, and its cells as text take several times the
    /// file's size. Rows keep their line numbers in the file.
    ///
    /// Text holding a quote is read as one table, because a quoted cell may run over lines.
    pub fn pieces(
        file: String,
        bytes: &[u8],
        piece_bytes: usize,
    ) -> impl Iterator<Item = Result<Table, IngestError>> + '_ {
        let header_end = bytes.iter().position(|&b| b == b'\n').map(|i| i + 1);
        let whole = header_end.is_none() || bytes.contains(&b'"') || bytes.iter().all(u8::is_ascii_whitespace);
        let header = &bytes[..header_end.unwrap_or(bytes.len())];
        let mut start = if whole { 0 } else { header.len() };
        let mut first_line = 2;
        let mut first = true;
        std::iter::from_fn(move || {
            if whole {
                return std::mem::take(&mut first).then(|| Table::from_bytes(file.clone(), bytes));
            }
            // A file of only a header is one table with no rows.
            if start == bytes.len() && !std::mem::take(&mut first) {
                return None;
            }
            first = false;
            let mut end = (start + piece_bytes.max(1)).min(bytes.len());
            end = bytes[end..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| end + i + 1);
            let lines = &bytes[start..end];
            let mut piece = Vec::with_capacity(header.len() + lines.len());
            piece.extend_from_slice(header);
            piece.extend_from_slice(lines);
            let table = Table::from_bytes(file.clone(), piece).map(|table| Table { first_line, ..table });
            let line_count = lines.iter().filter(|&&b| b == b'\n').count();
            let table = table.map_err(|e| {
                let last = first_line + line_count.saturating_sub(1);
                IngestError::file(&file, format!("lines {first_line}-{last}: {}", e.message))
            });
            first_line += line_count;
            start = end;
            Some(table)
        })
    }

    /// The file name used in messages.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Number of data rows (the header excluded).
    pub fn len(&self) -> usize {
        self.frame.height()
    }

    /// True when the table has a header but no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The column names in file order.
    pub fn columns(&self) -> Vec<String> {
        self.frame.get_column_names().iter().map(|c| c.to_string()).collect()
    }

    /// Fails with a message listing what is missing when any named column is absent.
    pub fn require(&self, names: &[&str]) -> Result<(), IngestError> {
        let present = self.columns();
        let missing: Vec<&str> = names.iter().copied().filter(|n| !present.iter().any(|p| p == n)).collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(IngestError::at(
            &self.file,
            Location::Line(1),
            Some(missing[0]),
            format!("missing column(s) {}; the header has {}", missing.join(", "), present.join(", ")),
        ))
    }

    /// The rows, each able to parse its own cells.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        (0..self.len()).map(move |index| Row { table: self, index })
    }

    /// One data row by 0-based index.
    pub fn row(&self, index: usize) -> Option<Row<'_>> {
        (index < self.len()).then_some(Row { table: self, index })
    }

    fn cell(&self, index: usize, column: &str) -> Result<Option<&str>, IngestError> {
        Ok(self.cells(column)?.get(index))
    }

    /// A column's cells as text.
    fn cells(&self, name: &str) -> Result<&StringChunked, IngestError> {
        let series = self
            .frame
            .column(name)
            .map_err(|_| IngestError::at(&self.file, Location::Line(1), Some(name), "no such column"))?;
        series.str().map_err(|e| IngestError::at(&self.file, Location::Line(1), Some(name), e.to_string()))
    }

    /// One column, found once: a large table is read faster through its columns than by name in
    /// every row.
    pub fn column<'a>(&'a self, name: &'a str) -> Result<Column<'a>, IngestError> {
        Ok(Column { name, cells: self.cells(name)? })
    }
}

/// One column of a [`Table`], read row by row with the same rules as [`Row`].
#[derive(Clone, Copy)]
pub struct Column<'a> {
    name: &'a str,
    cells: &'a StringChunked,
}

impl<'a> Column<'a> {
    /// The trimmed text of the row's cell, which must not be blank.
    pub fn text(&self, row: &Row<'_>) -> Result<&'a str, IngestError> {
        let text = self.cells.get(row.index).map(str::trim).filter(|s| !s.is_empty());
        text.ok_or_else(|| row.error(self.name, "is empty; a value is required"))
    }

    /// The row's cell as a number (see [`parse_number`]).
    pub fn number(&self, row: &Row<'_>) -> Result<Option<f64>, IngestError> {
        parse_number(self.cells.get(row.index).unwrap_or("")).map_err(|message| row.error(self.name, message))
    }
}

/// The content of a file, decompressed when its name ends in `.gz`; the error names the path.
pub fn file_bytes(path: &Path) -> Result<Vec<u8>, IngestError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| IngestError::file(&file, format!("cannot read the file: {e}")))?;
    if file.ends_with(".gz") { gunzip(&file, &bytes) } else { Ok(bytes) }
}

/// The decompressed content of a gzip file (all members, as `gzip -d` gives them).
fn gunzip(file: &str, compressed: &[u8]) -> Result<Vec<u8>, IngestError> {
    let mut bytes = Vec::new();
    MultiGzDecoder::new(compressed)
        .read_to_end(&mut bytes)
        .map_err(|e| IngestError::file(file, format!("cannot decompress the gzip file: {e}")))?;
    Ok(bytes)
}

/// One data row of a [`Table`].
#[derive(Clone, Copy)]
pub struct Row<'a> {
    table: &'a Table,
    index: usize,
}

impl<'a> Row<'a> {
    /// The 1-based line of the file this row came from (the header is line 1).
    pub fn line(&self) -> usize {
        self.table.first_line + self.index
    }

    /// An error at this row, in one column.
    pub fn error(&self, column: &str, message: impl Into<String>) -> IngestError {
        IngestError::at(&self.table.file, Location::Line(self.line()), Some(column), message)
    }

    /// The trimmed text of a cell, `None` when blank.
    pub fn text_opt(&self, column: &str) -> Result<Option<&'a str>, IngestError> {
        Ok(self.table.cell(self.index, column)?.map(str::trim).filter(|s| !s.is_empty()))
    }

    /// The trimmed text of a cell that must not be blank.
    pub fn text(&self, column: &str) -> Result<&'a str, IngestError> {
        self.text_opt(column)?.ok_or_else(|| self.error(column, "is empty; a value is required"))
    }

    /// A numeric cell: thousands separators are removed and missing-value markers give `None`.
    pub fn number(&self, column: &str) -> Result<Option<f64>, IngestError> {
        let raw = self.table.cell(self.index, column)?.unwrap_or("");
        parse_number(raw).map_err(|message| self.error(column, message))
    }

    /// A numeric cell that must hold a value.
    pub fn required_number(&self, column: &str) -> Result<f64, IngestError> {
        self.number(column)?.ok_or_else(|| self.error(column, "is empty; a number is required"))
    }
}

/// Parses a publisher's number: `"1,395"` → 1395, blank or a missing marker → `None`.
pub fn parse_number(raw: &str) -> Result<Option<f64>, String> {
    let text = raw.trim().trim_matches('"').trim();
    if MISSING_MARKERS.contains(&text) {
        return Ok(None);
    }
    let plain = if text.contains(',') { std::borrow::Cow::Owned(text.replace(',', "")) } else { text.into() };
    match plain.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(Some(value)),
        _ => Err(format!("expected a number, found {raw:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators_and_missing_markers_are_understood() {
        assert_eq!(parse_number("\"1,395\""), Ok(Some(1395.0)));
        assert_eq!(parse_number(" 12.5 "), Ok(Some(12.5)));
        assert_eq!(parse_number(""), Ok(None));
        assert_eq!(parse_number(".."), Ok(None));
        assert!(parse_number("twelve").is_err());
        assert!(parse_number("inf").is_err());
    }

    #[test]
    fn a_bad_cell_is_reported_with_its_line_and_column() {
        let table = Table::from_bytes("t.csv", b"code,n\nA,1\nB,lots\n".to_vec()).unwrap();
        let rows: Vec<Row> = table.rows().collect();
        assert_eq!(rows[0].number("n").unwrap(), Some(1.0));
        let err = rows[1].number("n").unwrap_err();
        assert_eq!(err.to_string(), "t.csv: line 3, field `n`: expected a number, found \"lots\"");
    }

    /// The rows of every piece, as (line, code, number or error).
    fn rows_of_pieces(csv: &str, piece_bytes: usize) -> (usize, Vec<String>) {
        let mut pieces = 0;
        let mut rows = Vec::new();
        for table in Table::pieces("t.csv".to_owned(), csv.as_bytes(), piece_bytes) {
            let table = table.unwrap();
            pieces += 1;
            for row in table.rows() {
                let n = row.number("n").map_or_else(|e| e.to_string(), |n| format!("{n:?}"));
                rows.push(format!("{} {} {n}", row.line(), row.text("code").unwrap()));
            }
        }
        (pieces, rows)
    }

    #[test]
    fn a_table_read_in_pieces_keeps_every_row_and_its_line() {
        let csv = "code,n\nA,1\nB,2\nC,lots\nD,4\n";
        let (pieces, rows) = rows_of_pieces(csv, 5);
        assert_eq!(pieces, 3, "a piece ends at the first line end 5 bytes or more after its start: {rows:?}");
        assert_eq!(
            rows,
            [
                "2 A Some(1.0)",
                "3 B Some(2.0)",
                "4 C t.csv: line 4, field `n`: expected a number, found \"lots\"",
                "5 D Some(4.0)"
            ]
        );
        assert_eq!(rows_of_pieces(csv, 1 << 20), (1, rows.clone()));
        // Without a line end after the last row, and with Windows line ends.
        assert_eq!(rows_of_pieces(csv.trim_end(), 5).1, rows);
        assert_eq!(rows_of_pieces(&csv.replace('\n', "\r\n"), 5).1, rows);
    }

    #[test]
    fn a_table_with_a_quote_or_only_a_header_is_one_piece() {
        let quoted = "code,n\nA,\"1,395\"\nB,2\n";
        assert_eq!(rows_of_pieces(quoted, 1), (1, vec!["2 A Some(1395.0)".to_owned(), "3 B Some(2.0)".to_owned()]));
        assert_eq!(rows_of_pieces("code,n\n", 1), (1, vec![]));
        let empty = Table::pieces("t.csv".to_owned(), b" \n", 1).map(|t| t.err().unwrap().to_string());
        assert_eq!(empty.collect::<Vec<_>>(), ["t.csv: the file is empty: expected a CSV header line"]);
    }

    #[test]
    fn an_unreadable_piece_names_its_lines() {
        let errors: Vec<String> = Table::pieces("t.csv".to_owned(), b"code,n\nA,1\nB,2,3,4\n", 1)
            .filter_map(|t| t.err().map(|e| e.to_string()))
            .collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("t.csv: lines 3-3: not a readable CSV table"), "{errors:?}");
    }

    #[test]
    fn a_gzip_file_is_read_as_the_csv_inside_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lsoas.csv.gz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, b"code,n\nE01009522,\"1,395\"\n").unwrap();
        std::fs::write(&path, gz.finish().unwrap()).unwrap();
        let table = Table::from_path(&path).unwrap();
        assert_eq!(table.rows().next().unwrap().required_number("n").unwrap(), 1395.0);
    }

    #[test]
    fn a_damaged_gzip_file_is_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("broken.csv.gz");
        std::fs::write(&path, b"\x1f\x8b not really gzip").unwrap();
        let err = Table::from_path(&path).err().unwrap().to_string();
        assert!(err.contains("broken.csv.gz") && err.contains("cannot decompress"), "{err}");
    }

    #[test]
    fn a_quoted_number_with_a_comma_is_one_cell() {
        let csv = b"code,total\nE01009522,\"1,395\"\n".to_vec();
        let table = Table::from_bytes("f6.csv", csv).unwrap();
        let row = table.rows().next().unwrap();
        assert_eq!(row.required_number("total").unwrap(), 1395.0);
    }
}
