//! The raw publisher files that `prepare` reads, keyed by area code.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::ingest::{IngestError, Table};

/// A wide publisher table (one row per area), indexed by its area-code column.
pub struct Wide {
    table: Table,
    rows: HashMap<String, usize>,
}

impl Wide {
    /// Reads a wide CSV, keyed by `key`, rejecting duplicate keys.
    pub fn read(path: &Path, key: &str) -> Result<Wide, IngestError> {
        let table = Table::from_path(path)?;
        table.require(&[key])?;
        let mut rows = HashMap::new();
        for (i, row) in table.rows().enumerate() {
            let code = row.text(key)?.to_owned();
            if rows.insert(code.clone(), i).is_some() {
                return Err(row.error(key, format!("duplicate area {code}")));
            }
        }
        Ok(Wide { table, rows })
    }

    /// Area codes in the table.
    pub fn codes(&self) -> impl Iterator<Item = &String> {
        self.rows.keys()
    }

    /// A number for an area; `Ok(None)` when the cell is blank or the area is absent.
    pub fn number(&self, code: &str, column: &str) -> Result<Option<f64>, IngestError> {
        self.table.require(&[column])?;
        match self.rows.get(code) {
            Some(&i) => self.table.row(i).map_or(Ok(None), |row| row.number(column)),
            None => Ok(None),
        }
    }

    /// The underlying table.
    pub fn table(&self) -> &Table {
        &self.table
    }
}

/// A long Census table (one row per area and category), pivoted to counts and area totals.
pub struct Census {
    file: String,
    counts: HashMap<(String, String), f64>,
    totals: BTreeMap<String, f64>,
}

impl Census {
    /// Reads a long table; `total` names the column of the area total.
    pub fn read(path: &Path, category: &str, count: &str, total: &str) -> Result<Census, IngestError> {
        let table = Table::from_path(path)?;
        table.require(&["lsoa21_code", category, count, total])?;
        let mut counts = HashMap::new();
        let mut totals = BTreeMap::new();
        for row in table.rows() {
            let code = row.text("lsoa21_code")?.to_owned();
            let n = row.required_number(count)?;
            if n < 0.0 {
                return Err(row.error(count, "is negative"));
            }
            let key = (code.clone(), row.text(category)?.to_owned());
            if counts.insert(key, n).is_some() {
                return Err(row.error(category, "repeats a category already given for this area"));
            }
            totals.insert(code, row.required_number(total)?);
        }
        Ok(Census { file: table.file().to_owned(), counts, totals })
    }

    /// Sum of the named categories and the area total, per area, in code order.
    pub fn share(&self, categories: &[&str]) -> Result<Vec<(String, f64, f64)>, IngestError> {
        for category in categories {
            if !self.counts.keys().any(|(_, c)| c == category) {
                return Err(IngestError::file(&self.file, format!("has no category {category:?}")));
            }
        }
        Ok(self
            .totals
            .iter()
            .map(|(code, &total)| {
                let n = categories.iter().filter_map(|c| self.counts.get(&(code.clone(), (*c).to_owned()))).sum();
                (code.clone(), n, total)
            })
            .collect())
    }
}

/// Paths of the raw files, relative to the raw folder.
pub struct RawPaths(pub PathBuf);

impl RawPaths {
    /// A file in the raw folder.
    pub fn file(&self, relative: &str) -> PathBuf {
        self.0.join(relative)
    }
}
