//! The numbers behind a figure, written as CSV with the attribution as header comments.

use std::fmt::Write;

use crate::atlas::ATTRIBUTION;

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, quoted in CSV when it needs to be.
    Text(String),
    /// A number, written in full precision.
    Number(f64),
    /// Nothing: suppressed, not published or not applicable.
    Empty,
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::Text(text.to_owned())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

impl From<f64> for Cell {
    fn from(number: f64) -> Cell {
        if number.is_finite() { Cell::Number(number) } else { Cell::Empty }
    }
}

impl From<Option<f64>> for Cell {
    fn from(number: Option<f64>) -> Cell {
        number.map_or(Cell::Empty, Cell::from)
    }
}

/// A table: notes for the header, column names and rows.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Lines written as `# ` comments before the header: what the table is and how it was made.
    pub notes: Vec<String>,
    /// Column names.
    pub columns: Vec<&'static str>,
    /// Rows, each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// A table with these columns and notes.
    pub fn new(columns: &[&'static str], notes: Vec<String>) -> Table {
        Table { notes, columns: columns.to_vec(), rows: Vec::new() }
    }

    /// Adds a row.
    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }

    /// CSV (RFC 4180) with the notes and the attribution as `#` comment lines first.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        for note in self.notes.iter().map(String::as_str).chain([ATTRIBUTION]) {
            let _ = writeln!(out, "# {}", note.replace(['\r', '\n'], " "));
        }
        out.push_str(&self.columns.iter().map(|c| quote(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
        for row in &self.rows {
            let cells: Vec<String> = row
                .iter()
                .map(|cell| match cell {
                    Cell::Text(text) => quote(text),
                    Cell::Number(number) => number.to_string(),
                    Cell::Empty => String::new(),
                })
                .collect();
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
        out
    }
}

fn quote(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) || text.starts_with(['=', '+', '-', '@']) {
        // A leading formula character is quoted and prefixed so spreadsheets show it as text.
        let guarded = if text.starts_with(['=', '+', '-', '@']) { format!("'{text}") } else { text.to_owned() };
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_commas_and_quotes_and_leaves_suppressed_cells_empty() {
        let mut table = Table::new(&["name", "value"], vec!["Income deprivation".into()]);
        table.push(vec!["Spon End, \"St Michael's\"".into(), Cell::Number(12.5)]);
        table.push(vec!["Coventry 007A".into(), Cell::Empty]);
        let csv = table.to_csv();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "# Income deprivation");
        assert!(lines[1].starts_with("# Contains OS data"));
        assert_eq!(lines[2], "name,value");
        assert_eq!(lines[3], "\"Spon End, \"\"St Michael's\"\"\",12.5");
        assert_eq!(lines[4], "Coventry 007A,");
    }

    #[test]
    fn a_leading_formula_character_is_neutralised() {
        let mut table = Table::new(&["name"], vec![]);
        table.push(vec!["=HYPERLINK(\"x\")".into()]);
        assert!(table.to_csv().ends_with("\"'=HYPERLINK(\"\"x\"\")\"\r\n"));
    }
}
