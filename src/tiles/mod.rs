//! Tiles: the Web Mercator grid, polygon and point preparation, and MVT encoding.

pub mod archive;
pub mod cache;
pub mod clip;
pub mod grid;
pub mod layer;
pub mod mvt;
pub mod plane;
pub mod png;
pub mod points;
pub mod protobuf;
pub mod shape;
pub mod simple;
pub mod tags;
pub mod vector_layers;

pub use cache::{TileCache, TileKey};
pub use grid::{BUFFER, DETAIL_MAX_ZOOM, EXTENT, MAX_ZOOM, TileId};
pub use layer::FeatureLayer;
pub use mvt::{
    AREA_OUTLINE_MIN_ZOOM, FieldChoice, GP_PRACTICE_LAYER, GP_PRACTICE_MIN_ZOOM, LABEL_LAYER, LABEL_MIN_ZOOM,
    LOCALITY_LAYER, LSOA_LAYER, LSOA_NAME_MIN_ZOOM, MSOA_LAYER, TileContext, TileSizes, WARD_LAYER, encode,
    encode_choosing, encode_layers,
};
pub use points::PointLayer;
pub use tags::TagValue;
pub use vector_layers::{
    FieldType, VectorLayer, tileset_attribution, tileset_description, tileset_name, vector_layers,
};
