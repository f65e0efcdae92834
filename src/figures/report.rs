//! The locality report: one self-contained HTML page with the board pack's figures inline, the
//! profile table, the attention list, the inequality section and the data notes. Also the LSOA
//! GeoJSON export.

use std::collections::HashMap;
use std::fmt::Write;

use serde_json::{Map, Value, json};

use super::{self as figures, FigureError, FigureKind, FigureRequest, Sources, format_value};
use crate::analysis::attention::RED_RED;
use crate::analysis::{Area, Disclosure, ProfileRow, attention, inequality, profile, words};
use crate::atlas::ATTRIBUTION;
use crate::atlas::Atlas;
use crate::charts;

/// Indicators a board pack charts one by one: income, work, health as residents report it,
/// disability, heavy unpaid care, household deprivation, overcrowding and the health domain.
pub const KEY_INDICATORS: [&str; 8] = [
    "iod25_income_rate",
    "iod25_employment_rate",
    "census21_bad_health",
    "census21_disabled",
    "census21_unpaid_care_50plus",
    "census21_hh_deprived_2plus",
    "census21_overcrowded",
    "iod25_health_score",
];

/// The figures of a locality's board pack, in report order.
pub fn board_pack(locality: &str) -> Vec<FigureRequest> {
    let request = |kind: FigureKind, pairs: &[(&str, &str)]| FigureRequest {
        kind,
        parameters: pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect::<HashMap<_, _>>(),
    };
    let mut requests = vec![request(FigureKind::Spine, &[("locality", locality)])];
    requests
        .push(request(FigureKind::Map, &[("indicator", "iod25_imd_score"), ("area", locality), ("practices", "1")]));
    // MSOA figures are mapped over the city, where the locality's MSOAs are seen among their neighbours.
    requests.push(request(FigureKind::Map, &[("indicator", "covid19_deaths_2020_21"), ("area", "coventry")]));
    for id in KEY_INDICATORS {
        requests.push(request(FigureKind::Localities, &[("indicator", id)]));
        requests
            .push(request(FigureKind::Ranked, &[("indicator", id), ("area", locality), ("comparator", "coventry")]));
    }
    for id in ["iod25_income_rate", "iod25_employment_rate"] {
        requests.push(request(FigureKind::Gradient, &[("indicator", id), ("locality", locality)]));
        requests.push(request(FigureKind::Change, &[("indicator", id)]));
    }
    requests.push(request(FigureKind::Change, &[("indicator", "iod25_imd_rank")]));
    requests.push(request(FigureKind::Scatter, &[("x", "iod25_income_rate"), ("y", "census21_disabled")]));
    requests
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The report of one locality as a self-contained HTML page.
pub fn locality_report(sources: &Sources, id: &str) -> Result<String, FigureError> {
    let atlas = sources.atlas;
    let area = Area::locality(atlas, id).ok_or_else(|| FigureError::NotFound {
        what: "locality",
        detail: format!(
            "no locality {id:?}; known: {}",
            atlas.localities().iter().map(|l| l.id.as_str()).collect::<Vec<_>>().join(", ")
        ),
    })?;
    let profile = profile(atlas, &area, sources.disclosure);
    let mut html = String::new();
    let name = escape(&profile.name);
    let _ = write!(
        html,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{name}: locality board pack</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header><h1>{name}</h1><p>Locality board pack · produced {}</p></header>\n<main>\n",
        escape(&sources.produced)
    );

    html.push_str("<section id=\"attention\"><h2>What needs attention</h2>\n");
    let flagged = attention(&profile);
    if flagged.is_empty() {
        html.push_str("<p>No indicator is significantly worse than Coventry or England.</p>\n");
    } else {
        html.push_str("<p>Indicators significantly worse than Coventry or England. \"Since 2019\" is relative: the area's rate as a ratio to England's rate of the same edition; a level difference between IoD2019 and IoD2025 is never read as a change (methods changed).</p>\n");
        html.push_str("<table><thead><tr><th scope=\"col\">Indicator</th><th scope=\"col\">Value</th><th scope=\"col\">vs Coventry</th><th scope=\"col\">vs England</th><th scope=\"col\">Since 2019 (relative to England)</th></tr></thead><tbody>\n");
        for a in &flagged {
            let row = profile.indicators.iter().find(|r| r.id == a.id);
            let _ = writeln!(
                html,
                "<tr><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&a.name),
                if a.red_red { format!(" <strong>({})</strong>", escape(RED_RED)) } else { String::new() },
                a.value.zip(row).map_or_else(|| "–".to_owned(), |(v, r)| escape(&row_figure(v, r))),
                escape(&row.map_or_else(String::new, |r| r.coventry.label.clone())),
                escape(&row.map_or_else(String::new, |r| r.england.label.clone())),
                a.since_2019.map_or_else(|| "–".to_owned(), |d| escape(d.label())),
            );
        }
        html.push_str("</tbody></table>\n");
    }
    html.push_str("</section>\n");

    html.push_str("<section id=\"since-2019\"><h2>What changed since 2019</h2>\n<p>The English Indices of Deprivation 2025 changed their indicators, inputs (Universal Credit in the income and employment domains) and geography, so levels are not comparable with IoD2019: England's own income-deprived share moved from about 13% to 23% through the method alone. Change is therefore read in relative terms: rates as a ratio to England's rate of the same edition, ranks as the share of residents in England's most deprived 10%.</p>\n<ul>\n");
    for change in profile.indicators.iter().filter_map(|r| r.since_2019.as_ref()) {
        let _ = writeln!(html, "<li>{}</li>", escape(&change.words));
    }
    html.push_str("</ul>\n</section>\n");

    html.push_str("<section id=\"profile\"><h2>Profile</h2>\n<p>");
    html.push_str(&escape(profile.comparison_levels));
    html.push_str(". Published scores and ranks carry no sampling error: their rows place the area in England's distribution instead (descriptive: no interval). Comparisons are written out, not shown by colour alone.</p>\n<p>");
    html.push_str(&escape(&profile.age_structure.words));
    html.push_str(" Crude rates of outcomes that depend on age are read beside this.</p>\n<table><thead><tr><th scope=\"col\">Indicator</th><th scope=\"col\">Period</th><th scope=\"col\">Value</th><th scope=\"col\">95% interval</th><th scope=\"col\">Coventry</th><th scope=\"col\">England</th><th scope=\"col\">Reading</th></tr></thead><tbody>\n");
    let mut theme = None;
    for row in &profile.indicators {
        if theme != Some(row.theme) {
            theme = Some(row.theme);
            let _ = writeln!(html, "<tr><th scope=\"colgroup\" colspan=\"7\">{}</th></tr>", escape(row.theme_name));
        }
        let value = match (row.area.value, &row.area.suppressed) {
            (Some(v), _) => row_figure(v, row),
            (None, Some(reason)) => format!("suppressed: {reason}"),
            (None, None) if row.area.distribution.is_some() => "by decile (see reading)".to_owned(),
            (None, None) => "–".to_owned(),
        };
        let interval = row.area.ci95.map_or_else(
            || "–".to_owned(),
            |c| format!("{} to {}", row_figure(c.lower, row), row_figure(c.upper, row)),
        );
        let benchmark = |b: &crate::analysis::profile::Benchmark| {
            let value = b.value.map_or_else(|| "–".to_owned(), |v| row_figure(v, row));
            match &b.published {
                Some(p) => format!("{value} ({}; published {})", b.label, row_figure(p.value, row)),
                None => format!("{value} ({})", b.label),
            }
        };
        let _ = writeln!(
            html,
            "<tr><td>{} <small>({})</small></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&row.name),
            escape(&row.unit),
            escape(&row.period),
            escape(&value),
            escape(&interval),
            escape(&benchmark(&row.coventry)),
            escape(&benchmark(&row.england)),
            escape(&row.reading.text),
        );
    }
    html.push_str("</tbody></table>\n</section>\n");

    html.push_str(&hidden_pockets(sources, &profile));

    let report = atlas.indicator("iod25_income_rate").map(|i| inequality(atlas, i, sources.disclosure));
    html.push_str("<section id=\"inequality\"><h2>Inequality</h2>\n");
    if let Some(sii) = report.as_ref().and_then(|r| r.sii) {
        let _ = writeln!(
            html,
            "<p>Across Coventry's LSOAs, income deprivation falls by {} percentage points from the most to the least deprived end of the city (slope index of inequality, 95% interval {} to {}).</p>",
            format_value(-sii.value, ""),
            format_value(-sii.ci95.upper, ""),
            format_value(-sii.ci95.lower, "")
        );
    }
    html.push_str("</section>\n");

    html.push_str("<section id=\"figures\"><h2>Figures</h2>\n");
    for request in board_pack(id) {
        match figures::build(sources, &request).and_then(|f| {
            charts::svg(&f.chart).map_err(|e| FigureError::NothingToDraw(format!("the chart cannot be drawn: {e}")))
        }) {
            Ok(svg) => {
                let body = svg.find("<svg").map_or(svg.as_str(), |start| &svg[start..]);
                let _ = writeln!(html, "<figure>{body}</figure>");
            }
            Err(e) => {
                let _ = writeln!(html, "<p class=\"note\">{}: {}</p>", escape(&request.stem()), escape(&e.to_string()));
            }
        }
    }
    html.push_str("</section>\n");

    html.push_str("<section id=\"notes\"><h2>Data notes</h2>\n<p>The locality is made of these LSOAs (2021 boundaries). Confidence says how well each LSOA matches the locality as the council describes it.</p>\n<table><thead><tr><th scope=\"col\">LSOA</th><th scope=\"col\">Name</th><th scope=\"col\">Confidence</th></tr></thead><tbody>\n");
    for lsoa in &profile.lsoas {
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&lsoa.code),
            escape(&lsoa.name),
            escape(lsoa.confidence.as_deref().unwrap_or("–"))
        );
    }
    let _ = write!(
        html,
        "</tbody></table>\n<p>Counts below {} and the values computed from them are suppressed everywhere in this report. Proportions use Wilson score intervals; published scores are combined as means weighted by Census 2021 usual residents and carry no interval. England ranges are across England's local authority districts.</p>\n</section>\n</main>\n<footer><p>{}</p></footer>\n</body>\n</html>\n",
        sources.disclosure.threshold,
        escape(ATTRIBUTION)
    );
    Ok(html)
}

/// Indicators whose hidden pockets the report looks for.
const POCKET_INDICATORS: [&str; 4] =
    ["iod25_income_rate", "iod25_employment_rate", "census21_bad_health", "iod25_imd_score"];

/// The locality's LSOAs that are worse than their neighbours (spatial outliers by local Moran's I),
/// which area averages hide, as a report section.
fn hidden_pockets(sources: &Sources, profile: &crate::analysis::Profile) -> String {
    use crate::analysis::clusters::{Class, ClusterParameters, LsoaWeights, indicator_clusters};
    let atlas = sources.atlas;
    let mut html = String::from("<section id=\"hidden-pockets\"><h2>Hidden pockets</h2>\n");
    let Ok(weights) = LsoaWeights::build(atlas) else {
        html.push_str(
            "<p class=\"note\">The LSOA boundaries give no neighbours, so no pockets can be found.</p>\n</section>\n",
        );
        return html;
    };
    let parameters = ClusterParameters::default();
    let _ = writeln!(
        html,
        "<p>LSOAs of this locality whose value is significantly worse than their neighbours' (local Moran's I, queen contiguity, {} permutations, seed {}, false discovery rate {:.0}%): the spatial outliers a locality or city average hides. Suppressed values are left out.</p>\n<ul>",
        parameters.permutations,
        parameters.seed,
        parameters.alpha * 100.0
    );
    let members: Vec<&str> = profile.lsoas.iter().map(|l| l.code.as_str()).collect();
    let mut found = 0;
    for indicator in POCKET_INDICATORS.iter().filter_map(|id| atlas.indicator(id)) {
        let Ok(report) = indicator_clusters(atlas, indicator, sources.disclosure, &weights, parameters) else {
            continue;
        };
        let pockets: Vec<String> = report
            .lsoas
            .iter()
            .filter(|l| members.contains(&l.code.as_str()) && l.local.class == Class::WorseThanNeighbours)
            .map(|l| format!("{} ({})", l.name, l.code))
            .collect();
        let clustered = report
            .lsoas
            .iter()
            .filter(|l| members.contains(&l.code.as_str()) && l.local.class == Class::WorseCluster)
            .count();
        found += pockets.len();
        let _ = writeln!(
            html,
            "<li><strong>{}</strong>: {}; {} of the locality's LSOAs are in a cluster of worse values (Moran's I for Coventry {:.2}).</li>",
            escape(&indicator.name),
            if pockets.is_empty() {
                "no LSOA worse than its neighbours".to_owned()
            } else {
                escape(&pockets.join(", "))
            },
            clustered,
            report.global.i
        );
    }
    html.push_str("</ul>\n");
    if found == 0 {
        html.push_str("<p>No LSOA of the locality stands out as worse than its neighbours for these indicators.</p>\n");
    }
    html.push_str("</section>\n");
    html
}

/// A profile row's value in its unit, with whole numbers for counts and ranks.
fn row_figure(value: f64, row: &ProfileRow) -> String {
    let n = words::number(value, words::decimals_for(row.value_type, &row.unit));
    if row.unit == "%" { format!("{n}%") } else { n }
}

/// Coventry's LSOAs as a GeoJSON FeatureCollection with the publishable values of the named
/// indicators (all indicators when none are named); suppressed values are absent.
pub fn lsoa_geojson(atlas: &Atlas, disclosure: &Disclosure, ids: &[&str]) -> Result<String, FigureError> {
    let indicators: Vec<_> = if ids.is_empty() {
        atlas.catalogue().iter().collect()
    } else {
        ids.iter()
            .map(|id| {
                atlas
                    .indicator(id)
                    .ok_or_else(|| FigureError::NotFound { what: "indicator", detail: format!("no indicator {id:?}") })
            })
            .collect::<Result<_, _>>()?
    };
    let features: Vec<Value> = atlas
        .lsoas()
        .iter()
        .map(|lsoa| {
            let mut properties = Map::new();
            properties.insert("code".into(), json!(lsoa.code));
            properties.insert("name".into(), json!(lsoa.name));
            properties.insert("ward".into(), json!(lsoa.ward_code));
            for indicator in &indicators {
                if let Some(value) =
                    atlas.observation(&indicator.id, &lsoa.code).and_then(|o| disclosure.publish(indicator, &o).value)
                {
                    properties.insert(indicator.id.clone(), json!(value));
                }
            }
            json!({
                "type": "Feature",
                "properties": properties,
                "geometry": geojson::Geometry::from(&geo::Geometry::MultiPolygon(lsoa.geometry.clone())),
            })
        })
        .collect();
    Ok(json!({ "type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features }).to_string())
}

const STYLE: &str = "body{font-family:'DejaVu Sans',system-ui,sans-serif;color:#1b1b1b;max-width:62rem;margin:0 auto;padding:1rem 1.5rem;line-height:1.45}h1{margin-bottom:.2rem}table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0 1.5rem}th,td{border-bottom:1px solid #d0d0d0;padding:.3rem .4rem;text-align:left;vertical-align:top}th{background:#f2f2f2}figure{margin:1.5rem 0;page-break-inside:avoid}figure svg{max-width:100%;height:auto}.note{color:#555}footer{margin-top:2rem;font-size:.8rem;color:#444;border-top:1px solid #d0d0d0;padding-top:.5rem}small{color:#555}";
