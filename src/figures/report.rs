//! The locality report: one self-contained HTML page with the board pack's figures inline, the
//! profile table, the attention list, the inequality section and the data notes. Also the LSOA
//! GeoJSON export.

use std::collections::HashMap;

use maud::{DOCTYPE, Markup, PreEscaped, html};

use serde_json::{Map, Value, json};

use super::{self as figures, FigureError, FigureKind, FigureRequest, Sources, format_value, row_value};
use crate::analysis::aggregate::Method;
use crate::analysis::attention::RED_RED;
use crate::analysis::clusters::PocketSearch;
use crate::analysis::inequality::scope_name;
use crate::analysis::reading::Benchmark;
use crate::analysis::{Area, Disclosure, Profile, ProfileRow, attention, inequality_in, profile, words};
use crate::atlas::ATTRIBUTION;
use crate::atlas::{Atlas, District};
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

/// What the board pack's scatter (and the page's comparison, when it opens) sets against
/// deprivation, the first the atlas holds: disability (Census 2021 Output Areas, Coventry's own
/// folder), else bad or very bad health (the national Census table every district has).
pub const SCATTER_OUTCOMES: [&str; 2] = ["census21_disabled", "census21_bad_health"];

/// The first of [`SCATTER_OUTCOMES`] the atlas holds.
pub fn scatter_outcome(atlas: &Atlas) -> Option<&'static str> {
    SCATTER_OUTCOMES.into_iter().find(|id| atlas.indicator(id).is_some())
}

/// The figures of a locality's (or, in England's atlas, a district's) board pack, in report
/// order. A figure of an indicator the atlas does not hold (a district's folder lacks the Census
/// Output Area and MSOA outcomes; its `place.not_held` lists them) is left out, not drawn as an
/// error; so are the localities compared when the atlas has none, the cluster map
/// (drawn around a locality) for a district, and GP practices where the atlas holds none.
pub fn board_pack(atlas: &Atlas, locality: &str) -> Vec<FigureRequest> {
    let request = |kind: FigureKind, pairs: &[(&str, &str)]| FigureRequest {
        kind,
        parameters: pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect::<HashMap<_, _>>(),
    };
    let is_locality = atlas.locality(locality).is_some();
    let has_localities = atlas.localities().iter().any(|l| !l.is_context());
    let mut requests = vec![request(FigureKind::Spine, &[("locality", locality)])];
    let mut map = vec![("indicator", "iod25_imd_score"), ("area", locality)];
    if atlas.gp_practices().iter().any(|p| p.is_open()) {
        map.push(("practices", "1"));
    }
    requests.push(request(FigureKind::Map, &map));
    // MSOA figures are mapped over the city, where the locality's MSOAs are seen among their neighbours.
    requests.push(request(FigureKind::Map, &[("indicator", "covid19_deaths_2020_21"), ("area", "district")]));
    if is_locality {
        // Clusters and hidden pockets over the city, with the locality outlined among its neighbours.
        requests.push(request(FigureKind::Clusters, &[("indicator", "iod25_income_rate"), ("locality", locality)]));
    }
    for id in KEY_INDICATORS {
        if has_localities {
            requests.push(request(FigureKind::Localities, &[("indicator", id)]));
        }
        requests
            .push(request(FigureKind::Ranked, &[("indicator", id), ("area", locality), ("comparator", "district")]));
    }
    // Change since 2019 sets the localities beside the district; a district of England's atlas
    // stands beside England alone.
    let change = |id: &'static str| match (has_localities, is_locality) {
        (true, _) => Some(request(FigureKind::Change, &[("indicator", id)])),
        (false, false) => Some(request(FigureKind::Change, &[("indicator", id), ("district", locality)])),
        (false, true) => None,
    };
    for id in ["iod25_income_rate", "iod25_employment_rate"] {
        requests.push(request(FigureKind::Gradient, &[("indicator", id), ("locality", locality)]));
        requests.extend(change(id));
    }
    requests.extend(change("iod25_imd_rank"));
    if let Some(outcome) = scatter_outcome(atlas) {
        requests.push(request(FigureKind::Scatter, &[("x", "iod25_income_rate"), ("y", outcome)]));
    }
    let held = |r: &FigureRequest| {
        ["indicator", "x", "y"].iter().filter_map(|k| r.parameters.get(*k)).all(|id| atlas.indicator(id).is_some())
    };
    requests.retain(held);
    requests
}

/// The report of one locality as a self-contained HTML page. The page is written with `maud`, which
/// escapes every value it is given; only the charts' own SVG and the style sheet go in as they are.
///
/// `pockets` is the hidden-pocket search over the atlas (the server keeps one per data version:
/// over England's LSOAs it takes seconds).
pub fn locality_report(sources: &Sources, id: &str, pockets: &PocketSearch) -> Result<String, FigureError> {
    let atlas = sources.atlas;
    let area = Area::named(atlas, id).ok_or_else(|| FigureError::NotFound {
        what: "locality",
        detail: format!(
            "no locality {id:?}; known: {}",
            atlas.localities().iter().map(|l| l.id.as_str()).collect::<Vec<_>>().join(", ")
        ),
    })?;
    let profile = profile(atlas, &area, sources.disclosure);
    let kind = area_kind(&profile);
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (profile.name) ": " (kind) " board pack" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { (profile.name) }
                    p { (words::capitalise(kind)) " board pack · produced " (sources.produced) }
                }
                main {
                    (attention_section(&profile))
                    (since_2019_section(&profile))
                    (profile_section(&profile))
                    (hidden_pockets(sources, &profile, pockets))
                    (inequality_section(sources, atlas.district(id)))
                    (figures_section(sources, id))
                    (notes_section(sources, &profile))
                }
                footer { p { (ATTRIBUTION) } }
            }
        }
    };
    Ok(page.into_string())
}

/// What the report calls its area: a district of England's atlas is no locality.
fn area_kind(profile: &Profile) -> &'static str {
    if profile.level.is_whole_district() { "district" } else { "locality" }
}

/// The indicators significantly worse than the district or England, red-red first.
fn attention_section(profile: &Profile) -> Markup {
    let flagged = attention(profile);
    // A whole district is read against England alone.
    let whole = profile.level.is_whole_district();
    let against = if whole { "England".to_owned() } else { format!("{} or England", profile.district) };
    html! {
        section id="attention" {
            h2 { "What needs attention" }
            @if flagged.is_empty() {
                p { "No indicator is significantly worse than " (against) "." }
            } @else {
                p {
                    "Indicators significantly worse than " (against) ". \"Since 2019\" is relative: the area's rate as a ratio to England's rate of the same edition; a level difference between IoD2019 and IoD2025 is never read as a change (methods changed)."
                }
                table {
                    thead { tr {
                        th scope="col" { "Indicator" }
                        th scope="col" { "Value" }
                        @if !whole { th scope="col" { "vs " (profile.district) } }
                        th scope="col" { "vs England" }
                        th scope="col" { "Since 2019 (relative to England)" }
                    } }
                    tbody {
                        @for a in &flagged {
                            @let row = profile.indicators.iter().find(|r| r.id == a.id);
                            tr {
                                td { (a.name) @if a.red_red { " " strong { "(" (RED_RED) ")" } } }
                                td { (a.value.zip(row).map_or_else(|| "–".to_owned(), |(v, r)| row_value(v, r))) }
                                @if !whole { td { (row.map_or("", |r| r.district.label.as_str())) } }
                                td { (row.map_or("", |r| r.england.label.as_str())) }
                                td { (a.since_2019.map_or("–", |d| d.label())) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Each indicator's change between IoD2019 and IoD2025, in relative terms.
fn since_2019_section(profile: &Profile) -> Markup {
    html! {
        section id="since-2019" {
            h2 { "What changed since 2019" }
            p {
                "The English Indices of Deprivation 2025 changed their indicators, inputs (Universal Credit in the income and employment domains) and geography, so levels are not comparable with IoD2019: England's own income-deprived share moved from about 13% to 23% through the method alone. Change is therefore read in relative terms: rates as a ratio to England's rate of the same edition, ranks as the share of residents in England's most deprived 10%."
            }
            ul {
                @for change in profile.indicators.iter().filter_map(|r| r.since_2019.as_ref()) {
                    li { (change.words) }
                }
            }
        }
    }
}

/// Every indicator by theme, with its interval, benchmarks and reading.
fn profile_section(profile: &Profile) -> Markup {
    let benchmark = |b: &Benchmark, row: &ProfileRow| {
        let value = b.value.map_or_else(|| "–".to_owned(), |v| row_value(v, row));
        match &b.published {
            Some(p) => format!("{value} ({}; published {})", b.label, row_value(p.value, row)),
            None => format!("{value} ({})", b.label),
        }
    };
    // A whole district has no district around it: its column would repeat its own value, so the
    // publisher's figure for it stands beside its value instead.
    let whole = profile.level.is_whole_district();
    let value = |row: &ProfileRow| match (row.area.value, &row.area.suppressed) {
        (Some(v), _) => match row.district.published.as_ref().filter(|_| whole) {
            Some(p) => format!("{} (published {})", row_value(v, row), row_value(p.value, row)),
            None => row_value(v, row),
        },
        (None, Some(reason)) => format!("suppressed: {reason}"),
        (None, None) if row.area.distribution.is_some() => "by decile (see reading)".to_owned(),
        (None, None) if row.area.method == Method::NotCombinable => "no area ratio (see reading)".to_owned(),
        (None, None) => "–".to_owned(),
    };
    let interval = |row: &ProfileRow| {
        row.area
            .ci95
            .map_or_else(|| "–".to_owned(), |c| format!("{} to {}", row_value(c.lower, row), row_value(c.upper, row)))
    };
    let similar = |row: &ProfileRow| match &row.neighbours {
        Some(n) => format!(
            "{} ({} to {}; {})",
            row_value(n.mean, row),
            row_value(n.lowest, row),
            row_value(n.highest, row),
            n.label
        ),
        None => "–".to_owned(),
    };
    let names: Vec<&str> = profile.neighbours.iter().map(|n| n.name.as_str()).collect();
    let columns = if whole { 7 } else { 8 };
    html! {
        section id="profile" {
            h2 { "Profile" }
            p {
                (profile.comparison_levels)
                ". Published scores and ranks carry no sampling error: their rows place the area in England's distribution instead (descriptive: no interval). Comparisons are written out, not shown by colour alone."
            }
            p { (profile.age_structure.words) " Crude rates of outcomes that depend on age are read beside this." }
            @if !names.is_empty() {
                p {
                    "Similar districts: " (profile.district) "'s " (names.len())
                    " statistical neighbours, the English districts nearest to it in IMD 2025 score, income and employment deprivation, share of residents aged 65 and over, population density and size (each standardised across England's districts; Euclidean distance): "
                    (crate::analysis::words::names(&names))
                    ". Their column gives their average (unweighted), their range and where the area's value sits among them; it describes, it does not test."
                }
                @if let Some(caution) = &profile.neighbours_caution {
                    p { strong { "Caution: " } (caution) }
                }
            }
            table {
                thead { tr {
                    th scope="col" { "Indicator" }
                    th scope="col" { "Period" }
                    th scope="col" { "Value" }
                    th scope="col" { "95% interval" }
                    @if !whole { th scope="col" { (profile.district) } }
                    th scope="col" { "England" }
                    th scope="col" { "Similar districts: average (range)" }
                    th scope="col" { "Reading" }
                } }
                tbody {
                    @for (n, row) in profile.indicators.iter().enumerate() {
                        @if n == 0 || profile.indicators[n - 1].theme != row.theme {
                            tr { th scope="colgroup" colspan=(columns) { (row.theme_name) } }
                        }
                        tr {
                            td { (row.name) " " small { "(" (row.unit) ")" } }
                            td { (row.period) }
                            td { (value(row)) }
                            td { (interval(row)) }
                            @if !whole { td { (benchmark(&row.district, row)) } }
                            td { (benchmark(&row.england, row)) }
                            td { (similar(row)) }
                            td { (row.reading.text) }
                        }
                    }
                }
            }
        }
    }
}

/// The slope index of inequality of income deprivation across the district: the atlas's, or in an
/// atlas of all England the district the board pack is for.
fn inequality_section(sources: &Sources, district: Option<&District>) -> Markup {
    let atlas = sources.atlas;
    let place = scope_name(atlas, district);
    let report = atlas.indicator("iod25_income_rate").map(|i| inequality_in(atlas, i, sources.disclosure, district));
    html! {
        section id="inequality" {
            h2 { "Inequality" }
            @if let Some(sii) = report.as_ref().and_then(|r| r.sii) {
                p {
                    "Across " (place) "'s LSOAs, income deprivation falls by " (format_value(-sii.value, ""))
                    " percentage points from the most to the least deprived end of " (place) " (slope index of inequality, 95% interval "
                    (format_value(-sii.ci95.upper, "")) " to " (format_value(-sii.ci95.lower, "")) ")."
                }
            } @else if let Some(reason) = report.as_ref().and_then(|r| r.sii_unavailable.as_ref()) {
                p { "The slope index of inequality of income deprivation is not computed: " (reason) "." }
            }
        }
    }
}

/// Every board-pack figure as inline SVG, or a note saying why it could not be drawn.
fn figures_section(sources: &Sources, id: &str) -> Markup {
    let drawn = board_pack(sources.atlas, id).into_iter().map(|request| {
        figures::build(sources, &request).and_then(|f| {
            charts::svg(&f.chart).map_err(|e| FigureError::NothingToDraw(format!("the chart cannot be drawn: {e}")))
        })
    });
    html! {
        section id="figures" {
            h2 { "Figures" }
            @for svg in drawn {
                @match svg {
                    // The chart's own SVG (plotters escapes its text), without its XML declaration.
                    Ok(svg) => figure { (PreEscaped(svg.find("<svg").map_or(svg.as_str(), |start| &svg[start..]))) },
                    Err(e) => p class="note" { "Figure not drawn: " (e) },
                }
            }
        }
    }
}

/// The locality's LSOAs with their confidence, and how the figures were made.
fn notes_section(sources: &Sources, profile: &Profile) -> Markup {
    html! {
        section id="notes" {
            h2 { "Data notes" }
            @if profile.level.is_whole_district() {
                p { "The district is made of these LSOAs (2021 boundaries)." }
                table {
                    thead { tr { th scope="col" { "LSOA" } th scope="col" { "Name" } } }
                    tbody {
                        @for lsoa in &profile.lsoas { tr { td { (lsoa.code) } td { (lsoa.name) } } }
                    }
                }
            } @else {
                p {
                    "The locality is made of these LSOAs (2021 boundaries), from " (sources.atlas.place().localities)
                    ". Confidence says how well each LSOA matches the locality; the basis of each is below the table."
                    @if sources.atlas.districts().is_empty() && profile.lsoas.len() == sources.atlas.lsoas().len() {
                        " It holds every LSOA of " (sources.atlas.place().name) ", so its figures are the district's."
                    }
                }
                table {
                    thead { tr {
                        th scope="col" { "LSOA" }
                        th scope="col" { "Name" }
                        th scope="col" { "Confidence" }
                    } }
                    tbody {
                        @for lsoa in &profile.lsoas {
                            tr { td { (lsoa.code) } td { (lsoa.name) } td { (lsoa.confidence.as_deref().unwrap_or("–")) } }
                        }
                    }
                }
                ul class="bases" {
                    @for (confidence, basis) in bases(sources.atlas, &profile.id) {
                        li { strong { (confidence) } ": " (basis) }
                    }
                }
            }
            p {
                "Counts below " (sources.disclosure.threshold)
                " and the values computed from them are suppressed everywhere in this report. Proportions use Wilson score intervals; published scores are combined as means weighted by Census 2021 usual residents and carry no interval. England ranges are across England's local authority districts."
            }
        }
    }
}

/// Each distinct (confidence, basis) of the locality's LSOAs, in the order first met.
fn bases<'a>(atlas: &'a Atlas, id: &str) -> Vec<(&'a str, &'a str)> {
    let mut bases: Vec<(&str, &str)> = Vec::new();
    for member in atlas.locality(id).map_or(&[][..], |l| &l.members) {
        let basis = (member.confidence.as_str(), member.basis.as_str());
        if !bases.contains(&basis) {
            bases.push(basis);
        }
    }
    bases
}

/// The locality's LSOAs that are worse than their neighbours (spatial outliers by local Moran's I),
/// which area averages hide, as a report section.
fn hidden_pockets(sources: &Sources, profile: &Profile, search: &PocketSearch) -> Markup {
    let members: Vec<&str> = profile.lsoas.iter().map(|l| l.code.as_str()).collect();
    let found = search.within(&members);
    let parameters = found.parameters;
    let kind = area_kind(profile);
    // The search runs over every LSOA of the atlas (all England's in England's atlas): its
    // global statistic is the atlas's, not the area's.
    let place = &sources.atlas.place().name;
    let own = format!("of the {kind}'s LSOAs");
    // Indicators the atlas holds but the search could not judge (too few LSOAs, or no direction).
    let unsearched: Vec<(&str, &str)> = found
        .not_searched
        .iter()
        .filter_map(|n| Some((sources.atlas.indicator(&n.indicator)?.name.as_str(), n.reason.as_str())))
        .collect();
    html! {
        section id="hidden-pockets" {
            h2 { "Hidden pockets" }
            p {
                "LSOAs of this " (kind) " whose value is significantly worse than their neighbours' (local Moran's I over every LSOA of " (place) ", queen contiguity, "
                (parameters.permutations) " permutations, seed " (parameters.seed) ", false discovery rate "
                (format!("{:.0}%", parameters.alpha * 100.0))
                "): the spatial outliers an area's average hides. Suppressed values are left out."
            }
            ul {
                @for indicator in &found.indicators {
                    li {
                        strong { (indicator.name) } ": "
                        @if indicator.pockets.is_empty() {
                            "no LSOA worse than its neighbours"
                        } @else {
                            (indicator.pockets.iter().map(|p| format!("{} ({})", p.name, p.code)).collect::<Vec<_>>().join(", "))
                        }
                        "; " (match indicator.in_worse_clusters {
                            0 => format!("none {own} is"),
                            n => words::count_of(n, (&own, &own), ("is", "are")),
                        }) " in a cluster of worse values (Moran's I for " (place) " "
                        (words::number(indicator.global_i, 2)) ")."
                    }
                }
            }
            @if !unsearched.is_empty() {
                p { "Not searched:" }
                ul {
                    @for (name, reason) in &unsearched { li { strong { (name) } ": " (reason) "." } }
                }
            }
            @if !found.indicators.is_empty() && found.indicators.iter().all(|i| i.pockets.is_empty()) {
                p { "No LSOA of the " (kind) " stands out as worse than its neighbours for these indicators." }
            }
        }
    }
}

/// The district's LSOAs as a GeoJSON FeatureCollection with the publishable values of the named
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
