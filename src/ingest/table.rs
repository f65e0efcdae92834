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
    /// read under the file's header, so that only one piece is held at a time: a national table
    /// holds millions of rows, and its cells as text take several times the file's size. The
    /// text is read from `reader` as the pieces are asked for, so a file on disk is never held
    /// whole either. Rows keep their line numbers in the file, and a piece ends only at a line end
    /// outside quotes, so a quoted cell that runs over lines stays whole.
    pub fn pieces<'a>(
        file: String,
        reader: impl Read + 'a,
        piece_bytes: usize,
    ) -> impl Iterator<Item = Result<Table, IngestError>> + 'a {
        let mut pieces = Pieces {
            file,
            reader,
            piece_bytes: piece_bytes.max(1),
            header: None,
            pending: Vec::new(),
            first_line: 2,
            read_all: false,
            done: false,
        };
        std::iter::from_fn(move || pieces.next_piece().transpose())
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

/// The state of [`Table::pieces`].
struct Pieces<R> {
    file: String,
    reader: R,
    piece_bytes: usize,
    /// The header line, once read.
    header: Option<Vec<u8>>,
    /// Text read and not yet given in a piece; it starts at a line end outside quotes.
    pending: Vec<u8>,
    /// The line of the file on which the pending text starts.
    first_line: usize,
    /// True once the reader has given all it holds.
    read_all: bool,
    /// True once the last piece has been given, or an error.
    done: bool,
}

impl<R: Read> Pieces<R> {
    /// The next piece, `None` after the last; after an error, nothing more.
    fn next_piece(&mut self) -> Result<Option<Table>, IngestError> {
        let piece = self.read_piece();
        if piece.is_err() {
            self.done = true;
        }
        piece
    }

    fn read_piece(&mut self) -> Result<Option<Table>, IngestError> {
        if self.done {
            return Ok(None);
        }
        // The header is held from the first piece on: before it, nothing has been given.
        let first = self.header.is_none();
        let header = match self.header.take() {
            Some(header) => header,
            None => {
                let end = self.line_end(1)?;
                let header: Vec<u8> = self.pending.drain(..end).collect();
                if header.iter().all(u8::is_ascii_whitespace) {
                    // No header on the first line: the whole text is read as one table, which
                    // says what is wrong with it.
                    self.done = true;
                    self.read_more(usize::MAX)?;
                    let mut text = header;
                    text.append(&mut self.pending);
                    return Table::from_bytes(self.file.clone(), text).map(Some);
                }
                header
            }
        };
        let end = self.line_end(self.piece_bytes)?;
        // A file of only a header is one table with no rows; after that, no lines is the end.
        if end == 0 && !first {
            self.done = true;
            return Ok(None);
        }
        let lines = &self.pending[..end];
        let mut text = Vec::with_capacity(header.len() + lines.len());
        text.extend_from_slice(&header);
        text.extend_from_slice(lines);
        let line_count = memchr::memchr_iter(b'\n', lines).count();
        self.pending.drain(..end);
        let first_line = self.first_line;
        self.first_line += line_count;
        self.header = Some(header);
        let table = Table::from_bytes(self.file.clone(), text).map_err(|e| {
            let last = first_line + line_count.saturating_sub(1);
            IngestError::file(&self.file, format!("lines {first_line}-{last}: {}", e.message))
        })?;
        Ok(Some(Table { first_line, ..table }))
    }

    /// Reads up to `n` more bytes into the pending text.
    fn read_more(&mut self, n: usize) -> Result<(), IngestError> {
        if self.read_all {
            return Ok(());
        }
        let want = u64::try_from(n).unwrap_or(u64::MAX);
        let got = (&mut self.reader)
            .take(want)
            .read_to_end(&mut self.pending)
            .map_err(|e| IngestError::file(&self.file, format!("cannot read the file: {e}")))?;
        if (got as u64) < want {
            self.read_all = true;
        }
        Ok(())
    }

    /// The length of the pending text up to the first line end, outside quotes, at least
    /// `at_least` bytes in (reading on until there is one); all of it at the end of the file.
    fn line_end(&mut self, at_least: usize) -> Result<usize, IngestError> {
        self.read_more(at_least.saturating_sub(self.pending.len()))?;
        let mut quoted = false;
        let mut at = 0;
        loop {
            while let Some(found) = memchr::memchr2(b'"', b'\n', &self.pending[at..]) {
                at += found + 1;
                if self.pending[at - 1] == b'"' {
                    quoted = !quoted;
                } else if !quoted && at >= at_least {
                    return Ok(at);
                }
            }
            at = self.pending.len();
            if self.read_all {
                return Ok(at);
            }
            self.read_more(self.piece_bytes.max(1 << 16))?;
        }
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
    fn a_quoted_cell_over_lines_stays_in_one_piece() {
        // The cut after 5 bytes would fall inside the quoted name, which holds a line end.
        let csv = "code,name,n\nA,\"two\nlines\",1\nB,\"\"\"x\"\"\",2\nC,c,3\n";
        let mut names = Vec::new();
        let mut pieces = 0;
        for table in Table::pieces("t.csv".to_owned(), csv.as_bytes(), 5) {
            let table = table.unwrap();
            pieces += 1;
            names.extend(table.rows().map(|row| row.text("name").unwrap().to_owned()));
        }
        assert_eq!(names, ["two\nlines", "\"x\"", "c"]);
        assert_eq!(pieces, 3);
    }

    #[test]
    fn a_header_alone_is_one_empty_piece_and_a_blank_file_is_refused() {
        assert_eq!(rows_of_pieces("code,n\n", 1), (1, vec![]));
        assert_eq!(rows_of_pieces("code,n", 1), (1, vec![]));
        let empty = Table::pieces("t.csv".to_owned(), &b" \n"[..], 1).map(|t| t.err().unwrap().to_string());
        assert_eq!(empty.collect::<Vec<_>>(), ["t.csv: the file is empty: expected a CSV header line"]);
    }

    #[test]
    fn an_unreadable_piece_names_its_lines() {
        let errors: Vec<String> = Table::pieces("t.csv".to_owned(), &b"code,n\nA,1\nB,2,3,4\n"[..], 1)
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
