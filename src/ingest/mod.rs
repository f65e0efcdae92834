//! Ingest: publisher and project files (GeoJSON, ESRI Shapefile, CSV) into typed values.
//!
//! Every failure is an [`IngestError`] that names the file, where in it (line, feature or
//! record) and the field, so a council officer can fix the file without reading code.

pub mod boundaries;
pub mod crs;
mod geojson;
mod shapefile;
pub mod table;
pub mod validity;

use std::fmt;

pub use self::geojson::short_position;
pub use boundaries::{Boundary, read_boundaries, read_geojson_str};
pub use crs::Crs;
pub use shapefile::{ShapefileParts, read_parts as read_shapefile_parts};
pub use table::{Column, Row, Table};

/// Where in a file a problem sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A 1-based line of a text file (the header is line 1).
    Line(usize),
    /// A 1-based feature of a GeoJSON FeatureCollection.
    Feature(usize),
    /// A 1-based record (shape) of a Shapefile.
    Record(usize),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line(n) => write!(f, "line {n}"),
            Location::Feature(n) => write!(f, "feature {n}"),
            Location::Record(n) => write!(f, "record {n}"),
        }
    }
}

/// A problem with an input file: which file, where, which field, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestError {
    /// The file as the user named it (a path or a data-folder-relative name).
    pub file: String,
    /// Where in the file, when the problem is not with the file as a whole.
    pub location: Option<Location>,
    /// The column or property concerned, if any.
    pub field: Option<String>,
    /// What is wrong, in words that say what to do.
    pub message: String,
}

impl IngestError {
    /// A problem with the file as a whole.
    pub fn file(file: impl Into<String>, message: impl Into<String>) -> Self {
        IngestError { file: file.into(), location: None, field: None, message: message.into() }
    }

    /// A problem at a place in the file, optionally in one field.
    pub fn at(file: impl Into<String>, location: Location, field: Option<&str>, message: impl Into<String>) -> Self {
        IngestError {
            file: file.into(),
            location: Some(location),
            field: field.map(str::to_owned),
            message: message.into(),
        }
    }
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(location) = &self.location {
            write!(f, ": {location}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for IngestError {}
