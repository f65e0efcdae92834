//! The files of a prepared data folder (their bytes, or for the large value tables where to read them a
//! piece at a time), and what is wrong with them.

use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::schema;
use crate::ingest::{IngestError, Table};

/// Every file of a prepared data folder: its bytes, or where to read them.
pub struct DataFiles {
    /// Where the files came from (a folder path, or `embedded`), used in messages.
    pub origin: String,
    /// (schema file name, contents) in a fixed order.
    files: Vec<(&'static str, Content)>,
}

/// A file's content.
enum Content {
    /// Held in memory.
    Held(Vec<u8>),
    /// Left on disk and read a piece at a time when it is read: a folder's value tables, which for
    /// all England hold millions of rows (see [`DataFiles::table_pieces`]).
    OnDisk(PathBuf),
}

/// The files read a piece at a time from a folder (see [`Content::OnDisk`]).
const READ_IN_PIECES: [&str; 2] = [schema::VALUES_FILE, schema::MSOA_VALUES_FILE];

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
    /// Files held in memory (the compiled-in data, or a test's), as (schema file name, contents).
    pub fn in_memory(origin: impl Into<String>, files: Vec<(&'static str, Vec<u8>)>) -> DataFiles {
        let files = files.into_iter().map(|(name, bytes)| (name, Content::Held(bytes))).collect();
        DataFiles { origin: origin.into(), files }
    }

    /// Reads a prepared folder (holding `data/` and `boundaries/`) from disk. The value tables
    /// are only opened here, to be read a piece at a time as the atlas is loaded.
    pub fn read_dir(dir: &Path) -> Result<DataFiles, LoadError> {
        let origin = dir.display().to_string();
        let mut files = Vec::new();
        let mut problems = Vec::new();
        let read = |name: &str| -> std::io::Result<Content> {
            let path = dir.join(name);
            if READ_IN_PIECES.contains(&name) {
                File::open(&path)?;
                Ok(Content::OnDisk(path))
            } else {
                std::fs::read(&path).map(Content::Held)
            }
        };
        for name in REQUIRED_FILES {
            match read(name) {
                Ok(content) => files.push((name, content)),
                Err(e) => {
                    problems.push(IngestError::file(dir.join(name).display().to_string(), format!("cannot read: {e}")))
                }
            }
        }
        for name in OPTIONAL_FILES {
            let path = dir.join(name);
            match read(name) {
                Ok(content) => files.push((name, content)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => problems.push(IngestError::file(path.display().to_string(), format!("cannot read: {e}"))),
            }
        }
        if problems.is_empty() { Ok(DataFiles { origin, files }) } else { Err(LoadError { problems }) }
    }

    pub(super) fn holds(&self, name: &str) -> bool {
        self.files.iter().any(|(n, _)| *n == name)
    }

    /// A file held in memory; empty for one read in pieces, which is read only through
    /// [`DataFiles::table_pieces`].
    pub(super) fn get(&self, name: &str) -> &[u8] {
        match self.files.iter().find(|(n, _)| *n == name) {
            Some((_, Content::Held(bytes))) => bytes,
            _ => &[],
        }
    }

    /// The files held in memory, as (schema file name, contents).
    pub fn held(&self) -> impl Iterator<Item = (&'static str, &[u8])> {
        self.files.iter().filter_map(|(name, content)| match content {
            Content::Held(bytes) => Some((*name, bytes.as_slice())),
            Content::OnDisk(_) => None,
        })
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
    ) -> Box<dyn Iterator<Item = Result<Table, IngestError>> + 'a> {
        let label = self.label(name);
        let check = move |piece: Result<Table, IngestError>| piece.and_then(|t| t.require(columns).map(|()| t));
        match self.files.iter().find(|(n, _)| *n == name) {
            Some((_, Content::OnDisk(path))) => match File::open(path) {
                Ok(file) => Box::new(Table::pieces(label, file, PIECE_BYTES).map(check)),
                Err(e) => Box::new(std::iter::once(Err(IngestError::file(label, format!("cannot read: {e}"))))),
            },
            _ => Box::new(Table::pieces(label, self.get(name), PIECE_BYTES).map(check)),
        }
    }

    /// Short content hash of all files, used as the data version. A file on disk is hashed as
    /// it is read, a block at a time; one that cannot be read is left for the load to report.
    pub fn version(&self) -> String {
        let mut hasher = Sha256::new();
        for (name, content) in &self.files {
            hasher.update(name.as_bytes());
            match content {
                Content::Held(bytes) => {
                    hasher.update((bytes.len() as u64).to_le_bytes());
                    hasher.update(bytes);
                }
                Content::OnDisk(path) => {
                    let Ok(mut file) = File::open(path) else { continue };
                    let length = file.metadata().map_or(0, |m| m.len());
                    hasher.update(length.to_le_bytes());
                    let mut block = vec![0; 1 << 20];
                    while let Ok(n @ 1..) = file.read(&mut block) {
                        hasher.update(&block[..n]);
                    }
                }
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atlas::{embedded_files, load};

    #[test]
    fn a_folder_on_disk_loads_as_the_same_files_held_in_memory() {
        let embedded = embedded_files();
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes) in embedded.held() {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        let on_disk = DataFiles::read_dir(dir.path()).unwrap();
        let on_disk_names: Vec<&str> = on_disk.held().map(|(name, _)| name).collect();
        let expected: Vec<&str> = REQUIRED_FILES.into_iter().filter(|n| !READ_IN_PIECES.contains(n)).collect();
        assert_eq!(on_disk_names, expected, "every file but the value tables is held");
        // The version is the hash of the files as read whole.
        let read_whole: Vec<(&'static str, Vec<u8>)> =
            REQUIRED_FILES.iter().map(|&name| (name, std::fs::read(dir.path().join(name)).unwrap())).collect();
        assert_eq!(on_disk.version(), DataFiles::in_memory("whole", read_whole).version());
        let (from_memory, from_disk) = (load(&embedded).unwrap(), load(&on_disk).unwrap());
        assert_eq!(from_disk.catalogue().len(), from_memory.catalogue().len());
        for indicator in from_memory.catalogue() {
            let id = &indicator.id;
            assert_eq!(from_disk.observations(id), from_memory.observations(id), "{id}");
            assert_eq!(from_disk.msoa_observations(id), from_memory.msoa_observations(id), "{id}");
        }
        assert!(from_memory.observations("iod25_imd_score").unwrap().iter().all(Option::is_some));
    }

    #[test]
    fn a_value_table_that_goes_missing_is_reported_by_name() {
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes) in embedded_files().held() {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        let files = DataFiles::read_dir(dir.path()).unwrap();
        std::fs::remove_file(dir.path().join(schema::VALUES_FILE)).unwrap();
        let problems = load(&files).err().unwrap().problems;
        let named = problems.iter().find(|p| p.file.ends_with(schema::VALUES_FILE)).expect("the value table is named");
        assert!(named.message.starts_with("cannot read"), "{named}");
    }
}
