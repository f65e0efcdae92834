//! Render: what the figures look like (map classes and palettes; tiles and charts build on them).

pub mod charts;
pub mod choropleth;
pub mod classes;
pub mod cluster_map;
pub mod figures;
pub mod report;
pub mod tiles;

/// The attribution every map, figure and export carries (Open Government Licence v3.0).
pub const ATTRIBUTION: &str = "Contains OS data © Crown copyright and database right 2019–2025. Source: Office for National Statistics and Ministry of Housing, Communities and Local Government, licensed under the Open Government Licence v3.0.";
