//! The files of a prepared data folder, as bytes, and what is wrong with them.

use std::fmt;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::schema;
use crate::ingest::{IngestError, Table};

/// The raw bytes of every file of a prepared data folder.
#[derive(Clone)]
pub struct DataFiles {
    /// Where the files came from (a folder path, or `embedded`), used in messages.
    pub origin: String,
    /// (schema file name, contents) in a fixed order.
    pub files: Vec<(&'static str, Vec<u8>)>,
}

/// The size of the pieces a large table is read in (see [`Table::pieces`]): small enough that a
/// piece's cells are a few tens of MB, large enough that reading each costs little more.
const PIECE_BYTES: usize = 8 << 20;

/// Every file a prepared data folder must hold.
pub const REQUIRED_FILES: [&str; 15] = [
    schema::PLACE_FILE,
    schema::NEIGHBOURS_FILE,
    schema::NEIGHBOUR_FIGURES_FILE,
    schema::CATALOGUE_FILE,
    schema::VALUES_FILE,
    schema::COMPARATORS_FILE,
    schema::RANGES_FILE,
    schema::POSITIONS_FILE,
    schema::MSOA_FILE,
    schema::MSOA_VALUES_FILE,
    schema::LSOA_FILE,
    schema::WARD_FILE,
    schema::CITY_FILE,
    schema::LOCALITY_FILE,
    schema::PRACTICES_FILE,
];

/// Files a prepared data folder may hold: the districts of an atlas of all England.
pub const OPTIONAL_FILES: [&str; 1] = [schema::DISTRICTS_FILE];

impl DataFiles {
    /// Reads a prepared folder (holding `data/` and `boundaries/`) from disk.
    pub fn read_dir(dir: &Path) -> Result<DataFiles, LoadError> {
        let origin = dir.display().to_string();
        let mut files = Vec::new();
        let mut problems = Vec::new();
        for name in REQUIRED_FILES {
            let path = dir.join(name);
            match std::fs::read(&path) {
                Ok(bytes) => files.push((name, bytes)),
                Err(e) => problems.push(IngestError::file(path.display().to_string(), format!("cannot read: {e}"))),
            }
        }
        for name in OPTIONAL_FILES {
            let path = dir.join(name);
            match std::fs::read(&path) {
                Ok(bytes) => files.push((name, bytes)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => problems.push(IngestError::file(path.display().to_string(), format!("cannot read: {e}"))),
            }
        }
        if problems.is_empty() { Ok(DataFiles { origin, files }) } else { Err(LoadError { problems }) }
    }

    pub(super) fn holds(&self, name: &str) -> bool {
        self.files.iter().any(|(n, _)| *n == name)
    }

    pub(super) fn get(&self, name: &str) -> &[u8] {
        self.files.iter().find(|(n, _)| *n == name).map_or(&[], |(_, b)| b.as_slice())
    }

    pub(super) fn label(&self, name: &str) -> String {
        format!("{}/{name}", self.origin)
    }

    pub(super) fn text(&self, name: &str, problems: &mut Vec<IngestError>) -> Option<&str> {
        match std::str::from_utf8(self.get(name)) {
            Ok(text) => Some(text),
            Err(e) => {
                problems.push(IngestError::file(self.label(name), format!("not UTF-8 text: {e}")));
                None
            }
        }
    }

    /// Reads a CSV of the schema, recording a problem when it cannot be read or lacks columns.
    pub(super) fn table(&self, name: &str, columns: &[&str], problems: &mut Vec<IngestError>) -> Option<Table> {
        let result = Table::from_bytes(self.label(name), self.get(name)).and_then(|t| t.require(columns).map(|()| t));
        result.map_err(|e| problems.push(e)).ok()
    }

    /// Reads a large CSV of the schema in pieces of whole lines (see [`Table::pieces`]), each
    /// checked for the columns.
    pub(super) fn table_pieces<'a>(
        &'a self,
        name: &str,
        columns: &'a [&'a str],
    ) -> impl Iterator<Item = Result<Table, IngestError>> + 'a {
        Table::pieces(self.label(name), self.get(name), PIECE_BYTES)
            .map(move |piece| piece.and_then(|t| t.require(columns).map(|()| t)))
    }

    /// Short content hash of all files, used as the data version.
    pub fn version(&self) -> String {
        let mut hasher = Sha256::new();
        for (name, bytes) in &self.files {
            hasher.update(name.as_bytes());
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(bytes);
        }
        hasher.finalize().iter().take(6).map(|b| format!("{b:02x}")).collect()
    }
}

/// Everything wrong with a data folder.
#[derive(Debug)]
pub struct LoadError {
    /// Every problem found, in file order.
    pub problems: Vec<IngestError>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(f, "{n} problem{} in the data:", if n == 1 { "" } else { "s" })?;
        for problem in &self.problems {
            write!(f, "\n  - {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}
