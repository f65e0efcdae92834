//! Charts, the CSV behind them, the GeoJSON export, the locality report and the board pack: what a
//! strategy author puts into a paper must carry its title, footer and the right numbers.

use crate::common;

use std::collections::HashMap;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use locality_atlas::analysis::clusters::LsoaWeights;
use locality_atlas::analysis::{Area, Disclosure, Member, aggregate};
use locality_atlas::api::{AppState, router};
use locality_atlas::atlas::{embedded_files, load};
use locality_atlas::figures::Sources;
use roxmltree::Document;
use tower::ServiceExt;

const WOOD_END: &str = "wood-end-henley-green";

/// Significance fills of the bars: better, similar, worse, not compared.
const BAR_FILLS: [&str; 4] = ["#3B82C4", "#F2C12E", "#D55E00", "#BDBDBD"];

async fn fetch(uri: &str) -> (StatusCode, String, Vec<u8>) {
    static STATE: std::sync::OnceLock<std::sync::Arc<AppState>> = std::sync::OnceLock::new();
    let state = STATE
        .get_or_init(|| std::sync::Arc::new(AppState::new(load(&embedded_files()).unwrap(), Disclosure::default(), 0)));
    let response = router(state.clone()).oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let content_type =
        response.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, content_type, response.into_body().collect().await.unwrap().to_bytes().to_vec())
}

fn texts(doc: &Document) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().trim().to_owned())
        .collect()
}

fn png_size(bytes: &[u8]) -> (u32, u32) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let reader = decoder.read_info().expect("a PNG");
    (reader.info().width, reader.info().height)
}

/// Every kind of chart, with parameters that draw it.
fn every_chart() -> Vec<(&'static str, &'static str)> {
    vec![
        ("ranked", "indicator=iod25_income_rate&area=wood-end-henley-green&comparator=coventry"),
        ("localities", "indicator=census21_disabled"),
        ("spine", "locality=canley-tile-hill"),
        ("gradient", "indicator=iod25_income_rate&locality=spon-end-st-michaels"),
        ("scatter", "x=iod25_income_rate&y=census21_disabled"),
        ("change", "indicator=iod25_employment_rate"),
        ("map", "indicator=iod25_imd_score&area=wood-end-henley-green&scheme=jenks&k=5"),
        ("clusters", "indicator=iod25_income_rate&locality=canley-tile-hill"),
    ]
}

#[tokio::test]
async fn every_chart_has_a_title_alt_text_axis_labels_and_a_footer_in_svg_and_png_at_three_sizes() {
    for (kind, query) in every_chart() {
        let (status, content_type, body) = fetch(&format!("/charts/{kind}.svg?{query}")).await;
        assert_eq!(status, StatusCode::OK, "{kind}: {}", String::from_utf8_lossy(&body));
        assert!(content_type.starts_with("image/svg+xml"), "{kind}: {content_type}");
        let svg = String::from_utf8(body).unwrap();
        let doc = Document::parse(&svg).unwrap_or_else(|e| panic!("{kind}: {e}"));
        let root = doc.root_element();
        let first: Vec<_> = root.children().filter(|n| n.is_element()).take(2).collect();
        assert_eq!(first[0].tag_name().name(), "title", "{kind}");
        assert_eq!(first[1].tag_name().name(), "desc", "{kind}");
        assert!(!first[1].text().unwrap_or_default().is_empty(), "{kind}: empty alt text");
        let all = texts(&doc);
        let title = first[0].text().unwrap();
        assert!(all.iter().any(|t| t == title), "{kind}: the visible title is {title:?}");
        // The footer wraps over several lines: everything from "Source:" to the end.
        let start = all.iter().position(|t| t.starts_with("Source:")).unwrap_or_else(|| panic!("{kind}: no footer"));
        let footer = all[start..].join(" ");
        assert!(footer.contains("Open Government Licence v3.0") && footer.contains("Produced"), "{kind}: {footer}");
        if !["map", "spine", "clusters"].contains(&kind) {
            assert!(all.iter().any(|t| t.contains('(') && t.contains(')')), "{kind}: no axis label with a unit");
        }

        for (size, width) in [("screen", None), ("2x", None), ("print", Some(1890))] {
            let (status, content_type, png) = fetch(&format!("/charts/{kind}.png?{query}&size={size}")).await;
            assert_eq!(status, StatusCode::OK, "{kind} {size}");
            assert_eq!(content_type, "image/png");
            let (w, _) = png_size(&png);
            let logical: f64 = root.attribute("width").unwrap().trim_end_matches("px").parse().unwrap();
            let expected = width.unwrap_or(if size == "2x" { 2 * logical as u32 } else { logical as u32 });
            assert_eq!(w, expected, "{kind} {size}");
        }
    }
}

/// A figure's source line names the publishers of what it draws and no others: a strategy author
/// copies it into a publication, and every figure once named MHCLG's Indices and the Census alike.
#[tokio::test]
async fn each_figure_names_the_sources_of_what_it_draws() {
    let iod25 = "MHCLG, English Indices of Deprivation 2025";
    let loneliness = "DCMS Community Life Survey 2020/21 by 2011 Output Area Classification group, averaged to LSOA \
                      (British Red Cross / humaniverse loneliness package)";
    let residents = "ONS, Census 2021 (usual residents)";
    let cases = [
        // Counts summed: the indicator's publisher alone.
        ("ranked", "indicator=iod25_income_rate&area=wood-end-henley-green&comparator=coventry", iod25.to_owned()),
        // Scores combined as means weighted by residents, for the benchmark line.
        (
            "ranked",
            "indicator=iod25_imd_score&area=wood-end-henley-green&comparator=coventry",
            format!("{iod25}; {residents}"),
        ),
        ("localities", "indicator=lonely_cls2020_modelled", format!("{loneliness}; {residents}")),
        ("localities", "indicator=census21_disabled", "ONS, Census 2021".to_owned()),
        ("scatter", "x=iod25_income_rate&y=census21_disabled", format!("{iod25}; ONS, Census 2021")),
        // Grouped by national IMD decile, the slope weighted by residents.
        ("gradient", "indicator=iod25_income_rate&locality=spon-end-st-michaels", format!("{iod25}; {residents}")),
        // Two editions: rates as ratios to England's, from each edition's counts.
        ("change", "indicator=iod25_employment_rate", "MHCLG, English Indices of Deprivation 2019 and 2025".to_owned()),
        // Ranks as shares of residents in England's most deprived 10%.
        (
            "change",
            "indicator=iod25_imd_rank",
            format!("MHCLG, English Indices of Deprivation 2019 and 2025; {residents}"),
        ),
        ("map", "indicator=census21_bad_health&area=coventry", "ONS, Census 2021".to_owned()),
        ("clusters", "indicator=iod25_income_rate&locality=canley-tile-hill", iod25.to_owned()),
    ];
    for (kind, query, expected) in cases {
        let (status, _, body) = fetch(&format!("/charts/{kind}.svg?{query}")).await;
        let svg = String::from_utf8(body).unwrap();
        assert_eq!(status, StatusCode::OK, "{kind}?{query}: {svg}");
        let all = texts(&Document::parse(&svg).unwrap());
        let start = all.iter().position(|t| t.starts_with("Source:")).unwrap();
        let footer = all[start..].join(" ");
        assert!(footer.starts_with(&format!("Source: {expected}. Licence:")), "{kind}?{query}: {footer}");
        // The numbers behind it name the same sources.
        let (_, _, csv) = fetch(&format!("/export/{kind}.csv?{query}")).await;
        let csv = String::from_utf8(csv).unwrap();
        assert!(csv.lines().any(|l| l == format!("# Source: {expected}")), "{kind}?{query}: {csv}");
    }
    // The spine names every publisher of its rows, each series once, and the residents that
    // weight its scores are the Census's own.
    let (_, _, body) = fetch("/charts/spine.svg?locality=canley-tile-hill").await;
    let all = texts(&Document::parse(&String::from_utf8(body).unwrap()).unwrap());
    let footer = all[all.iter().position(|t| t.starts_with("Source:")).unwrap()..].join(" ");
    for source in
        ["MHCLG, English Indices of Deprivation 2019 and 2025", "ONS, Census 2021", "DCMS Community Life Survey"]
    {
        assert_eq!(footer.matches(source).count(), 1, "{source}: {footer}");
    }
    assert!(!footer.contains(residents), "{footer}");
}

/// The localities chart of a score labels its bars as the ranked chart does: "1.4 score", not
/// "1.4score".
#[tokio::test]
async fn value_labels_keep_a_unit_apart_from_the_value() {
    for kind in
        ["localities.svg?indicator=iod25_health_score", "ranked.svg?indicator=iod25_health_score&area=canley-tile-hill"]
    {
        let (status, _, body) = fetch(&format!("/charts/{kind}")).await;
        assert_eq!(status, StatusCode::OK, "{kind}");
        let all = texts(&Document::parse(&String::from_utf8(body).unwrap()).unwrap());
        let labels: Vec<_> = all.iter().filter(|t| t.ends_with("score") && !t.contains('(')).collect();
        assert!(!labels.is_empty(), "{kind}: {all:?}");
        for label in labels {
            let value = label.strip_suffix(" score").unwrap_or_else(|| panic!("{kind}: {label:?}"));
            assert!(value.trim_start_matches('−').parse::<f64>().is_ok(), "{kind}: {label:?}");
        }
    }
}

#[tokio::test]
async fn the_ranked_chart_has_a_bar_for_each_lsoa_with_a_value_and_its_csv_has_the_api_numbers() {
    let atlas = common::atlas();
    let area = Area::locality(atlas, WOOD_END).unwrap();
    let indicator = atlas.indicator("iod25_income_rate").unwrap();
    let query = "indicator=iod25_income_rate&area=wood-end-henley-green&comparator=coventry";
    let (_, _, body) = fetch(&format!("/charts/ranked.svg?{query}")).await;
    let svg = String::from_utf8(body).unwrap();
    let doc = Document::parse(&svg).unwrap();
    let bars = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("fill").is_some_and(|f| BAR_FILLS.contains(&f)))
        .count();
    let with_value = area
        .members
        .iter()
        .filter(|m| {
            aggregate(atlas, indicator, &[Member { lsoa: m.lsoa, share: 1.0 }], &Disclosure::default()).value.is_some()
        })
        .count();
    assert_eq!(bars, with_value);
    assert_eq!(with_value, 6);

    let (status, content_type, csv) = fetch(&format!("/export/ranked.csv?{query}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/csv"));
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.lines().any(|l| l.starts_with("# Contains OS data")), "attribution comment");
    let mut lines = csv.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), area.members.len());
    for row in &rows {
        let code = row[column("lsoa_code")];
        let lsoa = atlas.lsoa_index(code).unwrap();
        let figures = aggregate(atlas, indicator, &[Member { lsoa, share: 1.0 }], &Disclosure::default());
        let value: f64 = row[column("value")].parse().unwrap();
        assert!((value - figures.value.unwrap()).abs() < 1e-9, "{code}");
        let lower: f64 = row[column("lower_95")].parse().unwrap();
        assert!((lower - figures.ci95.unwrap().lower).abs() < 1e-9, "{code}");
        assert!(["Better", "Similar", "Worse"].contains(&row[column("comparison")]), "{code}");
    }
    // Worst first: income deprivation is low-is-good, so values fall down the table.
    let values: Vec<f64> = rows.iter().map(|r| r[column("value")].parse().unwrap()).collect();
    assert!(values.windows(2).all(|w| w[0] >= w[1]), "{values:?}");
}

#[tokio::test]
async fn the_spine_chart_shows_england_ranges_where_published() {
    let (_, _, csv) = fetch("/export/spine.csv?locality=wood-end-henley-green").await;
    let csv = String::from_utf8(csv).unwrap();
    let income = csv.lines().find(|l| l.starts_with("iod25_income_rate,")).expect("income row");
    let cells: Vec<&str> = income.split(',').collect();
    // England's 296 districts, each summed from its LSOAs as the locality is, run from 6% to 41.8%.
    assert!(cells.contains(&"6") && cells.contains(&"41.807949"), "{income}");
    assert!(income.contains(",Worse (99.8%),Worse (99.8%),"), "{income}");
}

#[tokio::test]
async fn every_csv_export_opens_with_its_notes_and_attribution() {
    for (kind, query) in every_chart() {
        let (status, _, csv) = fetch(&format!("/export/{kind}.csv?{query}")).await;
        assert_eq!(status, StatusCode::OK, "{kind}");
        let csv = String::from_utf8(csv).unwrap();
        let comments = csv.lines().take_while(|l| l.starts_with('#')).count();
        assert!(comments >= 2, "{kind}: {comments} comment lines");
        assert!(csv.lines().nth(comments).unwrap().contains(','), "{kind}: header");
        assert!(csv.lines().count() > comments + 1, "{kind}: no rows");
    }
}

#[tokio::test]
async fn the_geojson_export_has_every_lsoa_with_its_published_values() {
    let (status, content_type, body) = fetch("/export/lsoa.geojson?indicator=iod25_income_rate").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "application/geo+json");
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let features = json["features"].as_array().unwrap();
    assert_eq!(features.len(), 203);
    let atlas = common::atlas();
    for feature in features {
        let code = feature["properties"]["code"].as_str().unwrap();
        let expected = atlas.observation("iod25_income_rate", code).and_then(|o| o.value);
        assert_eq!(feature["properties"]["iod25_income_rate"].as_f64(), expected, "{code}");
        assert!(feature["geometry"]["type"].as_str().unwrap().ends_with("Polygon"));
    }
}

#[tokio::test]
async fn bad_chart_requests_get_json_errors() {
    for (uri, status) in [
        ("/charts/pie.svg", StatusCode::NOT_FOUND),
        ("/charts/ranked.gif?indicator=iod25_income_rate", StatusCode::BAD_REQUEST),
        ("/charts/ranked.svg", StatusCode::BAD_REQUEST),
        ("/charts/ranked.svg?indicator=nope", StatusCode::NOT_FOUND),
        ("/charts/ranked.svg?indicator=iod25_income_rate&area=atlantis", StatusCode::NOT_FOUND),
        ("/charts/ranked.png?indicator=iod25_income_rate&size=huge", StatusCode::BAD_REQUEST),
        ("/charts/map.svg?indicator=iod25_income_rate&k=12", StatusCode::BAD_REQUEST),
        ("/charts/change.svg?indicator=census21_disabled", StatusCode::UNPROCESSABLE_ENTITY),
        ("/charts/clusters.svg?indicator=covid19_deaths_2020_21", StatusCode::UNPROCESSABLE_ENTITY),
        ("/charts/clusters.svg?indicator=iod25_income_rate&locality=atlantis", StatusCode::NOT_FOUND),
        ("/charts/clusters.svg?indicator=iod25_income_rate&method=kriging", StatusCode::BAD_REQUEST),
        ("/export/clusters.csv?indicator=iod25_income_rate&alpha=2", StatusCode::BAD_REQUEST),
        ("/export/ranked.xlsx?indicator=iod25_income_rate", StatusCode::BAD_REQUEST),
        ("/api/localities/atlantis/report.html", StatusCode::NOT_FOUND),
    ] {
        let (got, content_type, body) = fetch(uri).await;
        assert_eq!(got, status, "{uri}: {}", String::from_utf8_lossy(&body));
        assert_eq!(content_type, "application/json", "{uri}");
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert!(json["error"].is_string() && json["detail"].is_string(), "{uri}");
    }
}

#[tokio::test]
async fn the_locality_report_has_the_profile_with_words_the_figures_inline_and_the_lsoa_list() {
    let (status, content_type, body) = fetch(&format!("/api/localities/{WOOD_END}/report.html")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/html"));
    let html = String::from_utf8(body).unwrap();
    let (_, profile) = common::get(&format!("/api/localities/{WOOD_END}/profile")).await;
    for lsoa in profile["lsoas"].as_array().unwrap() {
        assert!(html.contains(lsoa["code"].as_str().unwrap()));
    }
    let income = profile["indicators"].as_array().unwrap().iter().find(|r| r["id"] == "iod25_income_rate").unwrap();
    assert_eq!(income["england"]["comparison"], "worst");
    assert!(html.contains("<td>Income deprivation <small>(%)</small></td><td>IoD2025</td><td>52.8%</td>"));
    assert!(html.contains("Worse (99.8%)"));
    let figures = html.matches("<figure><svg").count();
    assert_eq!(figures, locality_atlas::figures::report::board_pack(common::atlas(), WOOD_END).len());
    assert!(!html.contains("<script"), "the report is static");
    // Hidden pockets: each key indicator's spatial outliers within the locality, with the choices behind them.
    let pockets = html.split("<section id=\"hidden-pockets\">").nth(1).expect("a hidden-pockets section");
    assert!(pockets.contains("local Moran's I") && pockets.contains("seed 12345"));
    assert!(pockets.contains("Income deprivation") && pockets.contains("Moran's I for Coventry 0.55"));
    assert!(html.contains("Open Government Licence v3.0"));
    // One LSOA takes the singular (Spon End / St Michael's has one in a cluster of worse employment deprivation).
    let (_, _, body) = fetch("/api/localities/spon-end-st-michaels/report.html").await;
    let html = String::from_utf8(body).unwrap();
    let pockets = html.split("<section id=\"hidden-pockets\">").nth(1).expect("a hidden-pockets section");
    assert!(
        pockets.contains("no LSOA worse than its neighbours; 1 of the locality's LSOAs is in a cluster"),
        "{pockets}"
    );
}

/// Fills of the cluster classes on the map (SVG writes them in capitals).
const WORSE_CLUSTER: &str = "#CA0020";
const WORSE_THAN_NEIGHBOURS: &str = "#F4A582";

#[tokio::test]
async fn the_clusters_figure_colours_every_lsoa_by_its_class_and_outlines_the_locality() {
    let atlas = common::atlas();
    let query = "indicator=iod25_income_rate&locality=spon-end-st-michaels";
    let (status, _, csv) = fetch(&format!("/export/clusters.csv?{query}")).await;
    assert_eq!(status, StatusCode::OK);
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.contains("# method=Lisa weights=Queen permutations=999 seed=12345 correction=Fdr alpha=0.05"));
    let rows = csv_rows(&csv);
    assert_eq!(rows.len(), 203, "every Coventry LSOA");
    let row = |code: &str| rows.iter().find(|r| r["lsoa21_code"] == code).unwrap();
    // Coventry 026B: the city's one LSOA worse than its neighbours, outside the locality.
    let pocket = row("E01009684");
    assert_eq!(pocket["class"], "spatial outlier worse than its neighbours");
    assert_eq!(pocket["quadrant"], "HighLow");
    assert_eq!(pocket["value"], "40.3");
    assert_eq!(pocket["colour"], WORSE_THAN_NEIGHBOURS.to_lowercase());
    assert_eq!(pocket["locality"], "");
    // Coventry 024B: in Spon End, in a cluster of worse values.
    let spon = row("E01009637");
    assert_eq!(spon["class"], "cluster of worse values");
    assert_eq!(spon["colour"], WORSE_CLUSTER.to_lowercase());
    assert_eq!(spon["locality"], "Spon End/St Michael's");
    let count = |class: &str| rows.iter().filter(|r| r["class"] == class).count();
    assert_eq!(count("cluster of worse values"), 23);
    assert_eq!(count("cluster of better values"), 29);
    assert_eq!(count("spatial outlier worse than its neighbours"), 1);
    assert_eq!(count("spatial outlier better than its neighbours"), 1);
    assert_eq!(count("not significant"), 149);
    let locality = atlas.locality("spon-end-st-michaels").unwrap();
    assert_eq!(rows.iter().filter(|r| !r["locality"].is_empty()).count(), locality.members.len());

    let (status, _, svg) = fetch(&format!("/charts/clusters.svg?{query}")).await;
    assert_eq!(status, StatusCode::OK);
    let svg = String::from_utf8(svg).unwrap();
    let doc = Document::parse(&svg).unwrap();
    let filled = |fill: &str| {
        doc.descendants().filter(|n| n.has_tag_name("polygon") && n.attribute("fill") == Some(fill)).count()
    };
    let parts = |codes: &[&str]| codes.iter().map(|c| atlas.lsoa(c).unwrap().geometry.0.len()).sum::<usize>();
    assert_eq!(filled(WORSE_THAN_NEIGHBOURS), parts(&["E01009684"]), "the hidden pocket, drawn once");
    let worse: Vec<&str> =
        rows.iter().filter(|r| r["class"] == "cluster of worse values").map(|r| r["lsoa21_code"].as_str()).collect();
    assert_eq!(filled(WORSE_CLUSTER), parts(&worse));
    let all = texts(&doc);
    for text in [
        "Clusters and hidden pockets: Income deprivation around Spon End/St Michael's",
        "Cluster of worse values (23)",
        "Worse than its neighbours (1)",
        "Left out: no value (0)",
        "Spon End/St Michael's",
        "Locality boundary",
    ] {
        assert!(all.iter().any(|t| t == text), "missing {text:?} in {all:?}");
    }
    assert!(all.iter().any(|t| t.contains(
        "local Moran's I, 999 permutations (seed 12345), queen contiguity, false discovery rate at α = 0.05"
    )));
    let alt = doc.descendants().find(|n| n.has_tag_name("desc")).and_then(|n| n.text()).unwrap();
    assert!(alt.contains("23 LSOAs are in clusters of worse values, 3 of them inside the outline"), "{alt}");
    assert!(alt.contains("1 worse than its neighbours (hidden pockets), 0 of them"), "{alt}");
}

#[test]
fn the_board_pack_writes_every_figure_as_svg_png_and_csv_and_a_report_per_locality() {
    let atlas = load(&embedded_files()).unwrap();
    let disclosure = Disclosure::default();
    let weights = LsoaWeights::build(&atlas).unwrap();
    let sources =
        Sources { atlas: &atlas, disclosure: &disclosure, weights: &weights, produced: "26 November 2026".to_owned() };
    let out = tempfile::tempdir().unwrap();
    let localities = vec![WOOD_END.to_owned(), "canley-tile-hill".to_owned()];
    let summary =
        locality_atlas::figures::board_pack::write_board_pack(&sources, &localities, out.path(), |_, _| {}).unwrap();
    assert!(summary.skipped.is_empty(), "{:?}", summary.skipped);
    for locality in &localities {
        let dir = out.path().join(locality);
        let mut by_extension: HashMap<String, usize> = HashMap::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            *by_extension.entry(path.extension().unwrap().to_string_lossy().into_owned()).or_default() += 1;
        }
        let figures = locality_atlas::figures::report::board_pack(&atlas, locality).len();
        assert_eq!(by_extension["svg"], figures, "{locality}");
        assert_eq!(by_extension["png"], figures, "{locality}");
        assert_eq!(by_extension["csv"], figures, "{locality}");
        assert_eq!(by_extension["html"], 1, "{locality}");
    }
    assert_eq!(summary.files, 2 * (3 * locality_atlas::figures::report::board_pack(&atlas, WOOD_END).len() + 1));
}

/// CSV rows as maps from column name to cell (no quoted commas in these exports' numeric rows).
fn csv_rows(csv: &str) -> Vec<HashMap<String, String>> {
    let mut lines = csv.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<String> = lines.next().unwrap().split(',').map(str::to_owned).collect();
    lines.map(|l| header.iter().cloned().zip(l.split(',').map(str::to_owned)).collect()).collect()
}

#[tokio::test]
async fn counts_below_the_threshold_stay_out_of_every_export_and_chart() {
    let atlas = common::atlas();
    let disclosure = Disclosure::default();
    // Every LSOA figure whose count is below the threshold (overcrowding and social renting).
    let mut small = Vec::new();
    for indicator in atlas.catalogue() {
        for lsoa in atlas.lsoas() {
            if let Some(o) = atlas.observation(&indicator.id, &lsoa.code)
                && o.numerator.is_some_and(|n| n < disclosure.threshold)
            {
                small.push((indicator.id.clone(), lsoa.code.clone(), o.value.unwrap()));
            }
        }
    }
    assert_eq!(small.len(), 10, "the committed data has ten counts below 5");
    for (indicator, code, value) in &small {
        let (_, _, csv) = fetch(&format!("/export/ranked.csv?indicator={indicator}")).await;
        let rows = csv_rows(&String::from_utf8(csv).unwrap());
        let row = rows.iter().find(|r| r["lsoa_code"] == *code).unwrap();
        for column in ["numerator", "value", "lower_95", "upper_95"] {
            assert_eq!(row[column], "", "{indicator} {code} {column} in the ranked CSV");
        }
        assert!(row["note"].contains("below 5"), "{indicator} {code}: {}", row["note"]);

        let (_, _, csv) = fetch(&format!("/export/map.csv?indicator={indicator}")).await;
        let rows = csv_rows(&String::from_utf8(csv).unwrap());
        let row = rows.iter().find(|r| r["area_code"] == *code).unwrap();
        assert_eq!(row["value"], "", "{indicator} {code} in the map CSV");

        let (_, _, csv) = fetch(&format!("/export/clusters.csv?indicator={indicator}")).await;
        let rows = csv_rows(&String::from_utf8(csv).unwrap());
        let row = rows.iter().find(|r| r["lsoa21_code"] == *code).unwrap();
        assert_eq!(row["value"], "", "{indicator} {code} in the clusters CSV");
        assert_eq!(row["class"], "left out: no publishable value", "{indicator} {code}");

        let (_, _, csv) = fetch(&format!("/export/scatter.csv?x={indicator}&y=iod25_income_rate")).await;
        assert!(!String::from_utf8(csv).unwrap().contains(code.as_str()), "{indicator} {code} in the scatter CSV");

        let (_, _, geojson) = fetch(&format!("/export/lsoa.geojson?indicator={indicator}")).await;
        let json: serde_json::Value = serde_json::from_slice(&geojson).unwrap();
        let feature = json["features"].as_array().unwrap().iter().find(|f| f["properties"]["code"] == *code).unwrap();
        assert!(feature["properties"].get(indicator).is_none(), "{indicator} {code} in the GeoJSON");

        // No chart of the indicator prints the suppressed value.
        let printed = format!("{value:.1}%");
        for area in ["coventry", "wood-end-henley-green", "canley-tile-hill", "spon-end-st-michaels"] {
            let (_, _, svg) = fetch(&format!("/charts/ranked.svg?indicator={indicator}&area={area}")).await;
            let svg = String::from_utf8(svg).unwrap();
            let doc = Document::parse(&svg).unwrap();
            let labelled = texts(&doc).iter().any(|t| t.contains(code.as_str()));
            assert!(!labelled || !texts(&doc).contains(&printed), "{indicator} {code} printed {printed} in {area}");
        }
    }
}

#[tokio::test]
async fn exports_download_as_files_and_charts_show_where_they_are_opened() {
    let state = std::sync::Arc::new(AppState::new(load(&embedded_files()).unwrap(), Disclosure::default(), 0));
    let disposition = |uri: &'static str| {
        let state = state.clone();
        async move {
            let response = router(state).oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
            response.headers()[header::CONTENT_DISPOSITION].to_str().unwrap().to_owned()
        }
    };
    let csv = disposition("/export/localities.csv?indicator=iod25_income_rate").await;
    assert_eq!(csv, "attachment; filename=\"localities_iod25_income_rate.csv\"");
    let geojson = disposition("/export/lsoa.geojson?indicator=iod25_income_rate").await;
    assert!(geojson.starts_with("attachment;"), "{geojson}");
    let svg = disposition("/charts/localities.svg?indicator=iod25_income_rate").await;
    assert!(svg.starts_with("inline;"), "{svg}");
}
