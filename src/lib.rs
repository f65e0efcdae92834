//! locality-atlas: a geospatial engine and web dashboard for place-based health inequalities.
//!
//! Data flows one way: [`ingest`] (publisher files) → [`atlas`] (the validated in-memory model)
//! → [`stats`] (pure statistics) → [`analysis`] (what the figures mean: benchmarks, readings, relative
//! change) → [`render`] (map classes, tiles, charts, figures, the report) → [`api`] (HTTP) and [`cli`]
//! (commands); [`prepare`] turns raw publisher files, Coventry's and England's, into the project's own
//! data folder.

pub mod analysis;
pub mod api;
pub mod atlas;
pub mod cli;
pub mod export;
pub mod ingest;
pub mod prepare;
pub mod render;
pub mod stats;
