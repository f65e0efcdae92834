//! Render: what the figures look like (map classes and palettes; tiles and charts build on them).

pub mod choropleth;
pub mod classes;
pub mod tiles;
