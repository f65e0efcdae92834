//! What the page asks the API for, and the file of a static site that holds each answer.
//!
//! A file is named after its URL so that the page finds it with one small function
//! (`siteUrl` in `web/util.js`): the path without its leading `/`, then, when there are
//! parameters, a folder of that name holding `name=value&name=value` sorted by name; the URL's own
//! extension, or `.json`. A POST body of names and values names its file the same way.
//!
//! ```
//! use locality_atlas::site::SiteRequest;
//!
//! let classes = SiteRequest::get("/api/indicators/iod25_imd_score/classes", &[("scheme", "quantile"), ("k", "5")]);
//! assert_eq!(classes.file().unwrap(), "api/indicators/iod25_imd_score/classes/k=5&scheme=quantile.json");
//! assert_eq!(SiteRequest::get("/charts/spine.svg", &[("locality", "canley-tile-hill")]).file().unwrap(),
//!            "charts/spine/locality=canley-tile-hill.svg");
//! assert_eq!(SiteRequest::get("/api/lsoa/E01009577", &[]).file().unwrap(), "api/lsoa/E01009577.json");
//! ```

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::SiteError;
use crate::analysis::clusters::Method;
use crate::atlas::Atlas;
use crate::classify::{MAX_CLASSES, MIN_CLASSES, Scheme};
use crate::figures::report::{board_pack, scatter_outcome};
use crate::figures::{FigureKind, FigureRequest};

/// The indicator the page draws when it opens (`DEFAULTS` in `web/app.js`): the charts it then shows
/// for a locality are precomputed as well as the board pack's.
pub const PAGE_INDICATOR: &str = "iod25_imd_score";

/// Extensions a URL keeps in its file name; any other answer is JSON.
const EXTENSIONS: [&str; 4] = [".json", ".html", ".svg", ".csv"];

/// One answer the page asks for: a GET of `path?parameters`, or a POST of a JSON body whose
/// names and values are the parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteRequest {
    /// The URL path, from `/`.
    pub path: String,
    /// The query's (or the body's) names and values, in any order.
    pub parameters: Vec<(String, String)>,
    /// The JSON body of a POST.
    pub body: Option<Value>,
    /// A chart or its CSV: the page asks whether the site holds it, so `site.json` lists it.
    pub figure: bool,
}

impl SiteRequest {
    /// A GET of `path` with these query parameters.
    pub fn get(path: &str, parameters: &[(&str, &str)]) -> SiteRequest {
        SiteRequest {
            path: path.to_owned(),
            parameters: parameters.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
            body: None,
            figure: false,
        }
    }

    /// The request's URI: the path and, for a GET, its query.
    pub fn uri(&self) -> String {
        if self.body.is_some() || self.parameters.is_empty() {
            return self.path.clone();
        }
        let query: Vec<String> = self.parameters.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!("{}?{}", self.path, query.join("&"))
    }

    /// The file that holds the answer, relative to the site's folder. Every part of the name must
    /// be a plain file name on any host (letters, digits, `-`, `_`, `.` and `,`), so an id from an
    /// edited data folder can neither escape the folder nor need escaping in a URL.
    pub fn file(&self) -> Result<String, SiteError> {
        let path = self.path.trim_start_matches('/');
        for segment in path.split('/') {
            plain("path segment", segment)?;
        }
        let mut parameters = self.parameters.clone();
        parameters.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, value) in &parameters {
            plain("parameter name", name)?;
            plain("parameter value", value)?;
        }
        let extension = EXTENSIONS.iter().copied().find(|e| path.ends_with(e)).unwrap_or("");
        let stem = &path[..path.len() - extension.len()];
        let extension = if extension.is_empty() { ".json" } else { extension };
        if parameters.is_empty() {
            return Ok(format!("{stem}{extension}"));
        }
        let query: Vec<String> = parameters.iter().map(|(k, v)| format!("{k}={v}")).collect();
        Ok(format!("{stem}/{}{extension}", query.join("&")))
    }
}

/// Refuses a name that is not a plain file name.
fn plain(what: &'static str, name: &str) -> Result<(), SiteError> {
    let fine = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ',');
    if name.is_empty() || name == "." || name == ".." || !name.chars().all(fine) {
        return Err(SiteError::Name { what, name: name.to_owned() });
    }
    Ok(())
}

/// Everything the page asks the API for, once each: the catalogue and localities; every
/// indicator's values, inequality, cluster map (each method, default parameters) and classes
/// (every scheme and number of classes, in the default palette); every LSOA and its profile (the LSOA panel's comparisons); every locality's, ward's
/// and the city's profile and attention list (and in an atlas of all England each district's); each locality's report; and the charts, with their
/// CSV, of each locality's board pack and of the page's opening view. Requests the API refuses
/// (a scheme an indicator cannot use, say) are left out of the site, as the server refuses them.
pub fn page_requests(atlas: &Atlas) -> Vec<SiteRequest> {
    let mut requests = vec![
        SiteRequest::get("/api/indicators", &[]),
        SiteRequest::get("/api/localities", &[]),
        SiteRequest::get("/api/districts", &[]),
    ];
    for indicator in atlas.catalogue() {
        let id = indicator.id.as_str();
        requests.push(SiteRequest::get(&format!("/api/indicators/{id}/values"), &[]));
        requests.push(SiteRequest::get(&format!("/api/inequality/{id}"), &[]));
        // The cluster map, each method with its default parameters (422 without LSOA values).
        for method in Method::ALL {
            requests.push(SiteRequest::get(&format!("/api/indicators/{id}/clusters"), &[("method", method.as_str())]));
        }
        // The page offers every indicator but the district figures, which have no map.
        if indicator.district_figure {
            continue;
        }
        for scheme in Scheme::ALL {
            for k in MIN_CLASSES..=MAX_CLASSES {
                let k = k.to_string();
                requests.push(SiteRequest::get(
                    &format!("/api/indicators/{id}/classes"),
                    &[("scheme", scheme.as_str()), ("k", &k)],
                ));
            }
        }
    }
    for lsoa in atlas.lsoas() {
        requests.push(SiteRequest::get(&format!("/api/lsoa/{}", lsoa.code), &[]));
        requests.push(SiteRequest {
            path: "/api/custom-area".to_owned(),
            parameters: vec![("lsoas".to_owned(), lsoa.code.clone())],
            body: Some(json!({ "lsoas": [lsoa.code] })),
            figure: false,
        });
    }
    // In an atlas of all England, districts are picked as localities are, by id alone, and each
    // draws its inequality view across its own LSOAs.
    for district in atlas.districts() {
        for indicator in atlas.catalogue() {
            requests
                .push(SiteRequest::get(&format!("/api/inequality/{}", indicator.id), &[("district", &district.code)]));
        }
    }
    let districts = atlas.districts().iter().map(|d| d.code.as_str());
    for id in atlas.localities().iter().map(|l| l.id.as_str()).chain(districts) {
        requests.push(SiteRequest::get(&format!("/api/localities/{id}/profile"), &[]));
        requests.push(SiteRequest::get(&format!("/api/localities/{id}/attention"), &[]));
        requests.push(SiteRequest::get(&format!("/api/localities/{id}/report.html"), &[]));
    }
    let wards = atlas.wards().iter().map(|w| (w.code.as_str(), "ward"));
    for (id, level) in wards.chain([("district", "city")]) {
        requests.push(SiteRequest::get(&format!("/api/localities/{id}/profile"), &[("level", level)]));
        requests.push(SiteRequest::get(&format!("/api/localities/{id}/attention"), &[("level", level)]));
    }
    for locality in atlas.localities().iter().filter(|l| !l.is_context()) {
        for figure in board_pack(atlas, &locality.id).into_iter().chain(opening_figures(atlas, &locality.id)) {
            requests.extend(figure_requests(&figure));
        }
    }
    let mut seen = BTreeSet::new();
    requests.retain(|r| seen.insert((r.path.clone(), sorted(&r.parameters))));
    requests
}

fn sorted(parameters: &[(String, String)]) -> Vec<(String, String)> {
    let mut parameters = parameters.to_vec();
    parameters.sort();
    parameters
}

/// The charts the page shows for a locality, and in its comparison, when it opens on
/// [`PAGE_INDICATOR`] (`renderLocality` and `renderScatter` in `web/panels.js`).
fn opening_figures(atlas: &Atlas, locality: &str) -> Vec<FigureRequest> {
    let request = |kind: FigureKind, pairs: &[(&str, &str)]| FigureRequest {
        kind,
        parameters: pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
    };
    let mut figures = vec![
        request(FigureKind::Gradient, &[("indicator", PAGE_INDICATOR), ("locality", locality)]),
        request(FigureKind::Ranked, &[("indicator", PAGE_INDICATOR), ("area", locality), ("comparator", "district")]),
        // Shown for an indicator with an IoD2019 counterpart; the API refuses it for any other.
        request(FigureKind::Change, &[("indicator", PAGE_INDICATOR)]),
        request(FigureKind::Localities, &[("indicator", PAGE_INDICATOR)]),
    ];
    if let Some(outcome) = scatter_outcome(atlas) {
        figures.push(request(FigureKind::Scatter, &[("x", PAGE_INDICATOR), ("y", outcome)]));
    }
    figures
}

/// A figure's SVG and its CSV, as `/charts/{kind}.svg` and `/export/{kind}.csv` serve them.
fn figure_requests(figure: &FigureRequest) -> [SiteRequest; 2] {
    let parameters: Vec<(String, String)> = sorted(&figure.parameters.clone().into_iter().collect::<Vec<_>>());
    let kind = figure.kind.as_str();
    [format!("/charts/{kind}.svg"), format!("/export/{kind}.csv")].map(|path| SiteRequest {
        path,
        parameters: parameters.clone(),
        body: None,
        figure: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::report::SCATTER_OUTCOMES;

    #[test]
    fn a_post_body_names_its_file_like_a_query() {
        let request = SiteRequest {
            path: "/api/custom-area".into(),
            parameters: vec![("lsoas".into(), "E01009577".into())],
            body: Some(json!({ "lsoas": ["E01009577"] })),
            figure: false,
        };
        assert_eq!(request.file().unwrap(), "api/custom-area/lsoas=E01009577.json");
        assert_eq!(request.uri(), "/api/custom-area");
    }

    #[test]
    fn parameters_are_sorted_by_name_and_the_extension_moves_to_the_end() {
        let ranked = SiteRequest::get(
            "/export/ranked.csv",
            &[("indicator", "iod25_income_rate"), ("area", "canley-tile-hill"), ("comparator", "district")],
        );
        assert_eq!(
            ranked.file().unwrap(),
            "export/ranked/area=canley-tile-hill&comparator=district&indicator=iod25_income_rate.csv"
        );
        assert_eq!(
            ranked.uri(),
            "/export/ranked.csv?indicator=iod25_income_rate&area=canley-tile-hill&comparator=district"
        );
        let report = SiteRequest::get("/api/localities/canley-tile-hill/report.html", &[]);
        assert_eq!(report.file().unwrap(), "api/localities/canley-tile-hill/report.html");
        let tilejson = SiteRequest::get("/tiles/lsoa.json", &[]);
        assert_eq!(tilejson.file().unwrap(), "tiles/lsoa.json");
    }

    #[test]
    fn a_name_that_is_not_a_plain_file_name_is_refused() {
        for (path, parameters) in [
            ("/api/localities/../../etc/profile", vec![]),
            ("/api/localities/st michaels/profile", vec![]),
            ("/api/localities/x/profile", vec![("level", "a/b")]),
            ("/api/localities//profile", vec![]),
        ] {
            let error = SiteRequest::get(path, &parameters).file().unwrap_err();
            assert!(matches!(error, SiteError::Name { .. }), "{path} {parameters:?}: {error}");
        }
    }

    #[test]
    fn the_opening_indicator_is_the_one_the_page_opens_on() {
        let page = include_str!("../../web/app.js");
        assert!(page.contains(&format!("indicator: '{PAGE_INDICATOR}'")), "web/app.js DEFAULTS");
        let outcomes = SCATTER_OUTCOMES.map(|id| format!("'{id}'")).join(", ");
        assert!(page.contains(&format!("const OPENING_COMPARED_WITH = [{outcomes}];")), "web/app.js compare-y");
    }

    #[test]
    fn every_answer_is_asked_for_once_and_has_a_file() {
        let atlas = crate::atlas::load(&crate::atlas::embedded_files()).unwrap();
        let requests = page_requests(&atlas);
        let files: BTreeSet<String> = requests.iter().map(|r| r.file().unwrap()).collect();
        assert_eq!(files.len(), requests.len());
        // The opening view's charts and the board pack's, for each of the three localities.
        assert!(files.contains("charts/spine/locality=wood-end-henley-green.svg"));
        assert!(files.contains("charts/gradient/indicator=iod25_imd_score&locality=canley-tile-hill.svg"));
        assert!(files.contains("export/scatter/x=iod25_imd_score&y=census21_disabled.csv"));
        assert!(files.contains("api/indicators/iod25_imd_score/classes/k=5&scheme=quantile.json"));
        assert!(files.contains("api/localities/district/profile/level=city.json"));
        assert!(files.contains("api/indicators/iod25_income_rate/clusters/method=gi.json"));
        let lsoas = files.iter().filter(|f| f.starts_with("api/lsoa/")).count();
        assert_eq!(lsoas, atlas.lsoas().len());
    }
}
