//! A MapLibre style (version 8) that draws map classes on the vector tiles, for MapLibre, QGIS's
//! vector-tile layer and any other client of the style specification.
//!
//! The fill colour is a `step` expression over the classes' breaks. `step` gives the output of the
//! greatest stop at or below the input, while class j holds lower < value ≤ upper: a value on a
//! break belongs to the class below. So the stop that starts class j + 1 is the smallest double
//! above break j (`f64::next_up`): a value starts the next class exactly when it is greater than
//! the break, and the tiles carry the same doubles the classes were made from.

use serde_json::{Value, json};

/// What a style needs: the classes and where the features are.
#[derive(Debug, Clone)]
pub struct StyleSpec<'a> {
    /// The style's name.
    pub name: &'a str,
    /// The URL of the vector tiles' TileJSON.
    pub tilejson_url: &'a str,
    /// The attribution the map must show.
    pub attribution: &'a str,
    /// The tile layer whose features are coloured (`lsoa`, or `msoa` for an MSOA indicator).
    pub source_layer: &'a str,
    /// The feature property holding the value.
    pub property: &'a str,
    /// Upper bound of each class, ascending.
    pub breaks: &'a [f64],
    /// Colour of each class (`#rrggbb`), one per break.
    pub colours: &'a [String],
    /// Colour of features without a value (suppressed or unpublished).
    pub no_data: &'a str,
    /// The ward layer, outlined above the fill.
    pub ward_layer: &'a str,
    /// The locality layer, outlined above the wards.
    pub locality_layer: &'a str,
    /// Anything a client may want to know beside the layers (the classes' parameters and labels).
    pub metadata: Value,
}

/// The id of the style's one source.
pub const SOURCE: &str = "locality-atlas";

/// The `step` expression colouring `property` by classes: class j's colour for
/// breaks[j−1] < value ≤ breaks[j].
pub fn step_expression(property: &str, breaks: &[f64], colours: &[String]) -> Value {
    let mut step = vec![json!("step"), json!(["get", property]), json!(colours.first())];
    for (upper, colour) in breaks.iter().zip(colours.iter().skip(1)) {
        step.push(json!(upper.next_up()));
        step.push(json!(colour));
    }
    Value::Array(step)
}

/// A line's opacity fading in from `from` (none) to `to` (full) as the zoom grows: zoomed out over a
/// city an LSOA is a pixel or two across and a ward a few, and their outlines would cover the
/// classes' colours there.
pub fn fade_in(from: u8, to: u8) -> Value {
    json!(["interpolate", ["linear"], ["zoom"], from, 0, to, 1])
}

/// A complete MapLibre style: the vector source, a grey fill for every feature of the layer, the
/// classed fill over the features that have a value, thin outlines and wards (each fading in with
/// the zoom, see [`fade_in`]) and localities.
pub fn maplibre_style(spec: &StyleSpec<'_>) -> Value {
    let line = |id: &str, layer: &str, colour: &str, width: f64, opacity: Value| {
        json!({
            "id": id,
            "type": "line",
            "source": SOURCE,
            "source-layer": layer,
            "paint": { "line-color": colour, "line-width": width, "line-opacity": opacity },
        })
    };
    json!({
        "version": 8,
        "name": spec.name,
        "metadata": spec.metadata,
        "sources": {
            SOURCE: { "type": "vector", "url": spec.tilejson_url, "attribution": spec.attribution },
        },
        "layers": [
            {
                "id": "no-data",
                "type": "fill",
                "source": SOURCE,
                "source-layer": spec.source_layer,
                "paint": { "fill-color": spec.no_data },
            },
            {
                "id": "classes",
                "type": "fill",
                "source": SOURCE,
                "source-layer": spec.source_layer,
                "filter": ["has", spec.property],
                "paint": { "fill-color": step_expression(spec.property, spec.breaks, spec.colours) },
            },
            line("outlines", spec.source_layer, "#ffffff", 0.5, fade_in(9, 12)),
            line("wards", spec.ward_layer, "#555555", 1.0, fade_in(9, 11)),
            line("localities", spec.locality_layer, "#111111", 2.5, json!(1)),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The output of a `step` expression for `value`, as the style specification defines it.
    fn evaluate_step(step: &Value, value: f64) -> String {
        let items = step.as_array().unwrap();
        let mut output = &items[2];
        for pair in items[3..].chunks(2) {
            if value >= pair[0].as_f64().unwrap() {
                output = &pair[1];
            }
        }
        output.as_str().unwrap().to_owned()
    }

    fn colours(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("#00000{i}")).collect()
    }

    #[test]
    fn a_value_on_a_break_takes_the_colour_of_the_class_below() {
        let step = step_expression("rate", &[1.0, 2.5, 4.0], &colours(3));
        assert_eq!(evaluate_step(&step, 0.5), "#000000");
        assert_eq!(evaluate_step(&step, 1.0), "#000000");
        assert_eq!(evaluate_step(&step, 1.0f64.next_up()), "#000001");
        assert_eq!(evaluate_step(&step, 2.5), "#000001");
        assert_eq!(evaluate_step(&step, 3.0), "#000002");
        assert_eq!(evaluate_step(&step, 4.0), "#000002");
    }

    #[test]
    fn the_stops_are_the_breaks_but_the_last_and_ascend() {
        let breaks = [0.1, 0.2, 0.30000000000000004, 7.0];
        let step = step_expression("x", &breaks, &colours(4));
        let stops: Vec<f64> = step.as_array().unwrap()[3..].iter().step_by(2).map(|s| s.as_f64().unwrap()).collect();
        assert_eq!(stops.len(), 3);
        assert_eq!(stops.iter().map(|s| s.next_down()).collect::<Vec<_>>(), breaks[..3]);
        assert!(stops.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn the_style_is_version_8_with_the_source_and_the_layers_in_drawing_order() {
        let colours = colours(2);
        let style = maplibre_style(&StyleSpec {
            name: "x",
            tilejson_url: "https://example.org/tiles/lsoa.json",
            attribution: "OGL",
            source_layer: "msoa",
            property: "rate",
            breaks: &[1.0, 2.0],
            colours: &colours,
            no_data: "#bdbdbd",
            ward_layer: "wards",
            locality_layer: "localities",
            metadata: json!({}),
        });
        assert_eq!(style["version"], 8);
        assert_eq!(style["sources"][SOURCE]["url"], "https://example.org/tiles/lsoa.json");
        let ids: Vec<&str> = style["layers"].as_array().unwrap().iter().map(|l| l["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["no-data", "classes", "outlines", "wards", "localities"]);
        assert_eq!(style["layers"][1]["source-layer"], "msoa");
        assert_eq!(style["layers"][1]["filter"], json!(["has", "rate"]));
        assert_eq!(style["layers"][0]["paint"]["fill-color"], "#bdbdbd");
        // Outlines of LSOAs and wards fade in with the zoom; localities are always drawn.
        let opacity = |layer: usize, zoom: f64| evaluate_linear(&style["layers"][layer]["paint"]["line-opacity"], zoom);
        assert_eq!(
            (opacity(2, 8.0), opacity(2, 9.0), opacity(2, 10.5), opacity(2, 12.0), opacity(2, 14.0)),
            (0.0, 0.0, 0.5, 1.0, 1.0)
        );
        assert_eq!((opacity(3, 9.0), opacity(3, 10.0), opacity(3, 11.0)), (0.0, 0.5, 1.0));
        assert_eq!(style["layers"][4]["paint"]["line-opacity"], 1);
    }

    /// The output of a linear `interpolate` expression of the zoom, as the style specification defines it.
    fn evaluate_linear(expression: &Value, zoom: f64) -> f64 {
        let items = expression.as_array().unwrap();
        assert_eq!(items[..3], [json!("interpolate"), json!(["linear"]), json!(["zoom"])]);
        let stops: Vec<(f64, f64)> =
            items[3..].chunks(2).map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap())).collect();
        let (first, last) = (stops[0], stops[stops.len() - 1]);
        if zoom <= first.0 {
            return first.1;
        }
        if zoom >= last.0 {
            return last.1;
        }
        let pair = stops.windows(2).find(|w| zoom <= w[1].0).unwrap();
        pair[0].1 + (zoom - pair[0].0) / (pair[1].0 - pair[0].0) * (pair[1].1 - pair[0].1)
    }
}
