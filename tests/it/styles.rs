//! `/styles/{indicator}.json` is a MapLibre style whose colours and breaks are the classes endpoint's.

use crate::common;

use axum::http::StatusCode;
use serde_json::Value;

/// The output of the style's `step` expression for `value`, as the style specification defines
/// it: the output of the greatest stop at or below the input.
fn step(expression: &Value, value: f64) -> String {
    let items = expression.as_array().expect("an expression");
    assert_eq!(items[0], "step");
    let mut output = &items[2];
    for pair in items[3..].chunks(2) {
        if value >= pair[0].as_f64().unwrap() {
            output = &pair[1];
        }
    }
    output.as_str().unwrap().to_owned()
}

/// The colour of `value` by the classes endpoint's legend: lower < value ≤ upper, the first class
/// closed below.
fn class_colour(classes: &Value, value: f64) -> String {
    let legend = classes["classes"].as_array().unwrap();
    let class = legend.iter().position(|c| value <= c["upper"].as_f64().unwrap()).expect("within the classes");
    legend[class]["colour"].as_str().unwrap().to_owned()
}

fn layer<'a>(style: &'a Value, id: &str) -> &'a Value {
    style["layers"].as_array().unwrap().iter().find(|l| l["id"] == id).unwrap_or_else(|| panic!("no layer {id}"))
}

/// Asserts the style for `indicator?query` has the classes endpoint's colours and breaks, and
/// colours every published value as the classes do.
async fn assert_style_equals_classes(indicator: &str, query: &str, source_layer: &str) {
    let (status, style) = common::get(&format!("/styles/{indicator}.json?{query}")).await;
    assert_eq!(status, StatusCode::OK, "{style}");
    let (_, classes) = common::get(&format!("/api/indicators/{indicator}/classes?{query}")).await;
    assert_eq!(style["version"], 8);

    let fill = layer(&style, "classes");
    assert_eq!(fill["source-layer"], source_layer);
    assert_eq!(fill["filter"], serde_json::json!(["has", indicator]));
    let expression = &fill["paint"]["fill-color"];
    assert_eq!(expression[1], serde_json::json!(["get", indicator]));
    let items = expression.as_array().unwrap();
    let colours: Vec<&Value> = std::iter::once(&items[2]).chain(items[3..].iter().skip(1).step_by(2)).collect();
    let legend_colours: Vec<&Value> = classes["classes"].as_array().unwrap().iter().map(|c| &c["colour"]).collect();
    assert_eq!(colours, legend_colours, "{indicator}?{query}");
    // Each stop is the double just above a break: the breaks but the last (the maximum).
    let stops: Vec<f64> = items[3..].iter().step_by(2).map(|s| s.as_f64().unwrap().next_down()).collect();
    let breaks: Vec<f64> = classes["breaks"].as_array().unwrap().iter().map(|b| b.as_f64().unwrap()).collect();
    assert_eq!(stops, breaks[..breaks.len() - 1], "{indicator}?{query}");
    assert_eq!(style["metadata"]["locality-atlas:breaks"], classes["breaks"]);

    let grey = layer(&style, "no-data");
    assert_eq!(grey["paint"]["fill-color"], classes["no_data"]["colour"]);
    assert_eq!(grey["source-layer"], source_layer);

    // Every published value takes the same colour from the style as from the classes, values on
    // a break included.
    let (_, values) = common::get(&format!("/api/indicators/{indicator}/values")).await;
    let values: Vec<f64> = values["values"].as_array().unwrap().iter().filter_map(|v| v["value"].as_f64()).collect();
    assert!(values.len() > 10);
    for value in values {
        assert_eq!(step(expression, value), class_colour(&classes, value), "{indicator}?{query}: {value}");
    }
}

#[tokio::test]
async fn the_style_colours_and_breaks_equal_the_classes_endpoint() {
    assert_style_equals_classes("iod25_income_rate", "", "lsoa").await;
    assert_style_equals_classes("iod25_income_rate", "scheme=jenks&k=7&palette=Blues", "lsoa").await;
    assert_style_equals_classes("iod25_imd_score", "scheme=equal&k=4&palette=viridis", "lsoa").await;
}

#[tokio::test]
async fn deciles_on_their_breaks_take_their_own_class() {
    // Every decile value lies on a break, so this fails unless a value on a break stays below it.
    assert_style_equals_classes("iod25_imd_decile", "", "lsoa").await;
}

#[tokio::test]
async fn an_msoa_indicator_styles_the_msoa_layer() {
    assert_style_equals_classes("covid19_deaths_2020_21", "k=4", "msoa").await;
}

#[tokio::test]
async fn the_style_has_its_source_outlines_wards_and_localities() {
    let (_, style) = common::get_with("/styles/iod25_income_rate.json", &[("host", "maps.test")]).await;
    let sources = style["sources"].as_object().unwrap();
    assert_eq!(sources.len(), 1);
    let (name, source) = sources.iter().next().unwrap();
    assert_eq!(source["type"], "vector");
    assert_eq!(source["url"], "http://maps.test/tiles/lsoa.json");
    assert!(source["attribution"].as_str().unwrap().contains("Open Government Licence"));
    let ids: Vec<&str> = style["layers"].as_array().unwrap().iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["no-data", "classes", "outlines", "wards", "localities"]);
    for layer in style["layers"].as_array().unwrap() {
        assert_eq!(&layer["source"], name);
    }
    assert_eq!(layer(&style, "wards")["source-layer"], "wards");
    assert_eq!(layer(&style, "localities")["source-layer"], "localities");
}

#[tokio::test]
async fn bad_style_requests_get_json_errors() {
    for (uri, status) in [
        ("/styles/iod25_income_rate.xml", StatusCode::BAD_REQUEST),
        ("/styles/iod25_income_rate.json?k=12", StatusCode::BAD_REQUEST),
        ("/styles/iod25_income_rate.json?palette=Rainbow", StatusCode::BAD_REQUEST),
        ("/styles/iod25_income_rate.json?scheme=natural", StatusCode::BAD_REQUEST),
        ("/styles/nothing.json", StatusCode::NOT_FOUND),
        ("/styles/iod25_homelessness_rate.json", StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let (actual, body) = common::get(uri).await;
        assert_eq!(actual, status, "{uri}: {body}");
        assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()), "{uri}: {body}");
    }
}
