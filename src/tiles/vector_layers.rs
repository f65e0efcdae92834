//! What each layer of the vector tiles holds: its fields with their meaning and type, and its zooms.
//!
//! One description serves every place that announces the layers: TileJSON (`fields` maps a name to
//! its description, as TileJSON 3.0.0 says) and the PMTiles metadata (`fields` maps a name to its
//! type, `String` or `Number`, as tippecanoe writes it and QGIS and GDAL read it).

use serde_json::{Map, Value, json};

use super::grid::DETAIL_MAX_ZOOM;
use super::mvt::{
    AREA_OUTLINE_MIN_ZOOM, GP_PRACTICE_LAYER, GP_PRACTICE_MIN_ZOOM, LABEL_LAYER, LABEL_MIN_ZOOM, LOCALITY_LAYER,
    LSOA_LAYER, LSOA_NAME_MIN_ZOOM, MSOA_LAYER, WARD_LAYER,
};
use crate::atlas::Atlas;

/// The tileset's name in TileJSON and the archive's metadata: the district's LSOA atlas.
pub fn tileset_name(atlas: &Atlas) -> String {
    format!("{} LSOA atlas", atlas.place().name)
}

/// What the tileset holds, in TileJSON and the archive's metadata, with the boundaries'
/// generalisation.
pub fn tileset_description(atlas: &Atlas) -> String {
    format!(
        "LSOA 2021 boundaries of {} ({} generalisation) with health-inequality indicators, locality outlines, wards, \
         GP practices and labels",
        atlas.place().name,
        atlas.place().generalisation
    )
}

/// The tileset's attribution: the Open Government Licence line and the GP practices' sources.
pub fn tileset_attribution() -> String {
    format!("{} {}", crate::atlas::ATTRIBUTION, crate::atlas::practices::ATTRIBUTION)
}

/// The type of a field's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// Text.
    String,
    /// A number (encoded as a double).
    Number,
}

impl FieldType {
    /// The type's name in tile metadata.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::String => "String",
            FieldType::Number => "Number",
        }
    }
}

/// One property of a layer's features.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The property's key.
    pub name: String,
    /// What it holds, in words.
    pub description: String,
    /// The type of its values.
    pub kind: FieldType,
}

/// One layer of the vector tiles.
#[derive(Debug, Clone, PartialEq)]
pub struct VectorLayer {
    /// The layer's name in the tiles.
    pub id: &'static str,
    /// What the layer is.
    pub description: &'static str,
    /// The shallowest zoom whose tiles carry it.
    pub minzoom: u8,
    /// The deepest zoom with tiles of their own.
    pub maxzoom: u8,
    /// Its features' properties.
    pub fields: Vec<Field>,
}

impl VectorLayer {
    /// The layer as TileJSON 3.0.0 lists it: each field with its description.
    pub fn tilejson(&self) -> Value {
        self.json(|field| json!(field.description))
    }

    /// The layer as the PMTiles (and MBTiles) metadata lists it: each field with its type.
    pub fn typed(&self) -> Value {
        self.json(|field| json!(field.kind.as_str()))
    }

    fn json(&self, value: impl Fn(&Field) -> Value) -> Value {
        let fields: Map<String, Value> = self.fields.iter().map(|f| (f.name.clone(), value(f))).collect();
        json!({
            "id": self.id,
            "description": self.description,
            "minzoom": self.minzoom,
            "maxzoom": self.maxzoom,
            "fields": fields,
        })
    }
}

fn text(name: &str, description: &str) -> Field {
    Field { name: name.to_owned(), description: description.to_owned(), kind: FieldType::String }
}

/// Every layer of the vector tiles over this atlas, in the order the tiles hold them.
pub fn vector_layers(atlas: &Atlas) -> Vec<VectorLayer> {
    let mut lsoa_fields = vec![
        text("code", "LSOA 2021 code"),
        text("name", &format!("LSOA name (from zoom {LSOA_NAME_MIN_ZOOM})")),
        text("ward", &format!("best-fit ward code (from zoom {AREA_OUTLINE_MIN_ZOOM})")),
        text("locality", "locality id, if any"),
    ];
    let mut msoa_fields = vec![
        text("code", "MSOA 2021 code"),
        text("name", "MSOA name"),
        text("neighbourhood", "House of Commons Library name"),
    ];
    for indicator in atlas.catalogue().iter().filter(|i| i.mapped()) {
        let fields = if indicator.is_msoa() { &mut msoa_fields } else { &mut lsoa_fields };
        fields.push(Field {
            name: indicator.id.clone(),
            description: format!(
                "{} ({}, {}); absent when suppressed or unpublished",
                indicator.name, indicator.unit, indicator.period
            ),
            kind: FieldType::Number,
        });
    }
    let layer =
        |id, description, minzoom, fields| VectorLayer { id, description, minzoom, maxzoom: DETAIL_MAX_ZOOM, fields };
    vec![
        layer(LSOA_LAYER, "LSOAs with indicator values", 0, lsoa_fields),
        layer(LOCALITY_LAYER, "locality outlines", 0, vec![text("id", "locality id"), text("name", "locality name")]),
        layer(
            WARD_LAYER,
            "electoral wards",
            AREA_OUTLINE_MIN_ZOOM,
            vec![text("code", "ward code"), text("name", "ward name")],
        ),
        layer(MSOA_LAYER, "MSOAs with the indicators published for MSOAs", AREA_OUTLINE_MIN_ZOOM, msoa_fields),
        layer(
            GP_PRACTICE_LAYER,
            "GP practices (points at the postcode of the main site), open and closed",
            GP_PRACTICE_MIN_ZOOM,
            vec![
                text("code", "NHS organisation code of the practice"),
                text("name", "practice name as registered"),
                text("address", "address lines and postcode of the main site"),
                text("status", "open or closed (closed practices are kept so that maps can show where they were)"),
            ],
        ),
        layer(
            LABEL_LAYER,
            "label points: each ward's and each locality's name at a point inside it",
            LABEL_MIN_ZOOM,
            vec![
                text("kind", "ward or locality"),
                text("code", "ward code or locality id"),
                text("name", "ward or locality name"),
            ],
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atlas::{embedded_files, load};

    #[test]
    fn indicator_fields_are_numbers_on_the_layer_of_their_geography() {
        let atlas = load(&embedded_files()).unwrap();
        let layers = vector_layers(&atlas);
        let field = |layer: &str, name: &str| {
            layers.iter().find(|l| l.id == layer).and_then(|l| l.fields.iter().find(|f| f.name == name)).cloned()
        };
        assert_eq!(field(LSOA_LAYER, "iod25_income_rate").map(|f| f.kind), Some(FieldType::Number));
        assert_eq!(field(LSOA_LAYER, "code").map(|f| f.kind), Some(FieldType::String));
        let msoa_only = atlas.catalogue().iter().find(|i| i.is_msoa()).unwrap();
        assert_eq!(field(MSOA_LAYER, &msoa_only.id).map(|f| f.kind), Some(FieldType::Number));
        assert_eq!(field(LSOA_LAYER, &msoa_only.id), None);
    }

    #[test]
    fn tilejson_gives_descriptions_and_the_archive_gives_types() {
        let layer = VectorLayer {
            id: "wards",
            description: "electoral wards",
            minzoom: 0,
            maxzoom: 12,
            fields: vec![text("code", "ward code")],
        };
        assert_eq!(layer.tilejson()["fields"], json!({ "code": "ward code" }));
        assert_eq!(layer.typed()["fields"], json!({ "code": "String" }));
        assert_eq!(layer.typed()["maxzoom"], 12);
    }
}
