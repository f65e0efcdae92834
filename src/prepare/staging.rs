//! Installing a prepared folder only once it loads: `prepare` writes into a hidden folder beside
//! the output's `data/` and `boundaries/`, loads it as the server would, and only then moves it into
//! place. A run that fails, or writes something the atlas refuses, leaves the output as it was, so
//! a folder a server reloads from is never half replaced.

use std::path::{Path, PathBuf};

use super::PrepareError;
use crate::atlas::{self, Atlas, DataFiles, LoadError};
use crate::ingest::IngestError;

/// The folders a prepared output holds.
const FOLDERS: [&str; 2] = ["data", "boundaries"];

/// A hidden folder under the output, removed when dropped.
struct Hidden(PathBuf);

impl Hidden {
    fn new(out: &Path, role: &str) -> Result<Hidden, IngestError> {
        let path = out.join(format!(".prepare-{role}-{}", std::process::id()));
        let fail = |e: std::io::Error| IngestError::file(path.display().to_string(), format!("cannot create: {e}"));
        if path.exists() {
            std::fs::remove_dir_all(&path).map_err(fail)?;
        }
        std::fs::create_dir_all(&path).map_err(fail)?;
        Ok(Hidden(path))
    }
}

impl Drop for Hidden {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `write` into a hidden folder under `out`, loads the result as the server would, and moves
/// its `data/` and `boundaries/` into `out` in place of the old ones; the loaded atlas is returned
/// beside what `write` gave, so that nothing loads the folder again. On any failure `out` keeps
/// what it had and the hidden folder is removed.
pub fn install<T>(
    out: &Path,
    write: impl FnOnce(&Path) -> Result<T, PrepareError>,
) -> Result<(T, Atlas), PrepareError> {
    let staging = Hidden::new(out, "new")?;
    let written = write(&staging.0)?;
    let atlas =
        DataFiles::read_dir(&staging.0).and_then(|files| atlas::load(&files)).map_err(|e| not_usable(out, e))?;
    let old = Hidden::new(out, "old")?;
    for folder in FOLDERS {
        let (current, kept, new) = (out.join(folder), old.0.join(folder), staging.0.join(folder));
        if current.exists() {
            std::fs::rename(&current, &kept).map_err(|e| moved(&current, e))?;
        }
        if let Err(e) = std::fs::rename(&new, &current) {
            // Put the old folder back rather than leave the output without it.
            let _ = std::fs::rename(&kept, &current);
            return Err(moved(&new, e).into());
        }
    }
    Ok((written, atlas))
}

/// The atlas's problems with the written folder, after a first line saying nothing was installed.
fn not_usable(out: &Path, error: LoadError) -> PrepareError {
    let mut problems = vec![IngestError::file(
        out.display().to_string(),
        "the prepared folder would not load, so it was not installed and this folder is as it was",
    )];
    problems.extend(error.problems);
    PrepareError::from(problems)
}

fn moved(path: &Path, e: std::io::Error) -> IngestError {
    IngestError::file(path.display().to_string(), format!("cannot move into place: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Copies a committed data folder (`data/` and `boundaries/`) into `to`.
    fn copy_fixture(from: &Path, to: &Path) {
        for folder in FOLDERS {
            std::fs::create_dir_all(to.join(folder)).unwrap();
            for entry in std::fs::read_dir(from.join(folder)).unwrap() {
                let entry = entry.unwrap();
                std::fs::copy(entry.path(), to.join(folder).join(entry.file_name())).unwrap();
            }
        }
    }

    fn rutland() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/districts/rutland")
    }

    fn scilly() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/districts/scilly")
    }

    fn place(out: &Path) -> String {
        std::fs::read_to_string(out.join("data/place.json")).unwrap()
    }

    fn leftovers(out: &Path) -> Vec<String> {
        let names = std::fs::read_dir(out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned());
        names.filter(|n| n.starts_with(".prepare-")).collect()
    }

    #[test]
    fn a_folder_that_loads_replaces_the_old_one_and_leaves_other_files_alone() {
        let out = tempfile::tempdir().unwrap();
        copy_fixture(&rutland(), out.path());
        std::fs::write(out.path().join("README.md"), "kept").unwrap();
        let written = install(out.path(), |staging| {
            copy_fixture(&scilly(), staging);
            Ok(7)
        });
        assert_eq!(written.map(|(n, atlas)| (n, atlas.lsoas().len())).ok(), Some((7, 1)));
        assert!(place(out.path()).contains("Isles of Scilly"));
        assert_eq!(std::fs::read_to_string(out.path().join("README.md")).unwrap(), "kept");
        assert!(leftovers(out.path()).is_empty(), "{:?}", leftovers(out.path()));
    }

    #[test]
    fn a_folder_that_does_not_load_is_not_installed() {
        let out = tempfile::tempdir().unwrap();
        copy_fixture(&rutland(), out.path());
        let before = place(out.path());
        let written = install(out.path(), |staging| {
            copy_fixture(&scilly(), staging);
            // A values table whose header is not the schema's.
            std::fs::write(staging.join("data/indicators.csv"), "nonsense\n1\n").unwrap();
            Ok(())
        });
        let error = written.err().expect("refused").to_string();
        assert!(error.contains("the prepared folder would not load, so it was not installed"), "{error}");
        assert_eq!(place(out.path()), before, "the old folder is kept");
        assert!(leftovers(out.path()).is_empty(), "{:?}", leftovers(out.path()));
    }

    #[test]
    fn a_run_that_fails_leaves_the_output_as_it_was() {
        let out = tempfile::tempdir().unwrap();
        copy_fixture(&rutland(), out.path());
        let before = place(out.path());
        let written: Result<((), Atlas), PrepareError> =
            install(out.path(), |_| Err(IngestError::file("raw/file.csv", "line 2, field `x`: not a number").into()));
        assert!(written.err().expect("refused").to_string().contains("not a number"));
        assert_eq!(place(out.path()), before);
        assert!(leftovers(out.path()).is_empty());
    }
}
