//! locality-atlas: a geospatial engine and web dashboard for place-based health inequalities.
//!
//! Data flows one way: [`ingest`] (publisher files) → [`atlas`] (the validated in-memory model)
//! → [`stats`] (pure statistics) → [`analysis`] (what the figures mean: benchmarks, readings, relative
//! change, clusters) → what users see: [`classify`] (map classes, palettes, choropleth colours), then
//! [`tiles`] (vector and raster map tiles) and [`charts`] (drawing a chart as SVG or PNG), and
//! [`figures`] (a figure is a chart with its table and its words; the report and the board pack sit
//! beside them) → [`api`] (HTTP) and [`cli`] (commands), with [`site`] writing the API's answers
//! and the page as a static site. [`prepare`] turns raw publisher files, Coventry's and England's,
//! into the project's own data folder for Coventry or any English district.

pub mod analysis;
pub mod api;
pub mod atlas;
pub mod charts;
pub mod classify;
pub mod cli;
pub mod figures;
pub mod ingest;
pub mod prepare;
pub mod site;
pub mod stats;
pub mod tiles;
