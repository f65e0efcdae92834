//! An optional basemap drawn beneath the choropleth: an XYZ raster template or a MapLibre style,
//! from one origin that the page's Content-Security-Policy then admits, and no other.

use std::fmt;

use axum::http::Uri;
use serde::Serialize;

/// What the basemap URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BasemapKind {
    /// An XYZ template of raster tiles, e.g. `https://tiles.example.org/{z}/{x}/{y}.png`.
    Raster,
    /// A MapLibre style document, whose layers are drawn beneath the atlas's.
    Style,
}

/// A basemap as the page receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Basemap {
    /// Raster template or style.
    pub kind: BasemapKind,
    /// The URL as given.
    pub url: String,
    /// Shown in the map's attribution; the tile host's name when none is given.
    pub attribution: String,
    /// `scheme://host[:port]`: the one origin the page may fetch from besides its own.
    #[serde(skip)]
    pub origin: String,
}

/// Why a basemap URL cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasemapError(String);

impl fmt::Display for BasemapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "--basemap: {}", self.0)
    }
}

impl std::error::Error for BasemapError {}

impl From<String> for BasemapError {
    fn from(why: String) -> BasemapError {
        BasemapError(why)
    }
}

impl Basemap {
    /// Reads a basemap URL: a template with `{z}`, `{x}` and `{y}` is raster tiles, anything else a
    /// MapLibre style. Only `http` and `https` URLs with a host and no credentials are accepted.
    pub fn new(url: &str, attribution: Option<&str>) -> Result<Basemap, BasemapError> {
        let fail = |why: String| Err(BasemapError(why));
        if url.contains("{s}") {
            return fail(format!("{url:?} uses {{s}}, which MapLibre does not expand: give one host"));
        }
        // Only the scheme and authority matter here; the template's placeholders are not URI characters.
        let probe = url.replace("{z}", "0").replace("{x}", "0").replace("{y}", "0");
        let parsed = match probe.parse::<Uri>() {
            Ok(parsed) => parsed,
            Err(e) => return fail(format!("{url:?} is not a URL ({e})")),
        };
        let scheme = parsed.scheme_str().map(str::to_ascii_lowercase);
        let Some(default_port) =
            scheme.as_deref().and_then(|s| [("http", 80), ("https", 443)].into_iter().find(|d| d.0 == s))
        else {
            return fail(format!("{url:?} must be an http or https URL"));
        };
        if parsed.authority().is_some_and(|a| a.as_str().contains('@')) {
            return fail(format!("{url:?} carries credentials, which every visitor's browser would see"));
        }
        let Some(host) = parsed.host().filter(|h| !h.is_empty()).map(str::to_ascii_lowercase) else {
            return fail(format!("{url:?} has no host"));
        };
        let origin = match parsed.port_u16() {
            Some(port) if port != default_port.1 => format!("{}://{host}:{port}", default_port.0),
            _ => format!("{}://{host}", default_port.0),
        };
        let placeholders = ["{z}", "{x}", "{y}"].map(|p| url.contains(p));
        let kind = match placeholders {
            [true, true, true] => BasemapKind::Raster,
            [false, false, false] => BasemapKind::Style,
            _ => return fail(format!("{url:?} is an XYZ template only with all of {{z}}, {{x}} and {{y}}")),
        };
        let attribution = attribution.map(str::trim).filter(|a| !a.is_empty());
        Ok(Basemap {
            kind,
            url: url.to_owned(),
            attribution: attribution.map_or_else(|| format!("Basemap: {host}"), str::to_owned),
            origin,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_is_raster_tiles_and_its_origin_is_scheme_host_and_port() {
        let basemap = Basemap::new("https://tiles.example.org:8443/osm/{z}/{x}/{y}.png?key=1", Some("© OSM")).unwrap();
        assert_eq!(basemap.kind, BasemapKind::Raster);
        assert_eq!(basemap.origin, "https://tiles.example.org:8443");
        assert_eq!(basemap.attribution, "© OSM");
        let default_port = Basemap::new("https://tiles.example.org:443/{z}/{x}/{y}.png", None).unwrap();
        assert_eq!(default_port.origin, "https://tiles.example.org");
        assert_eq!(default_port.attribution, "Basemap: tiles.example.org");
    }

    #[test]
    fn a_url_without_placeholders_is_a_style() {
        let basemap = Basemap::new("http://127.0.0.1:9000/styles/light.json", None).unwrap();
        assert_eq!(basemap.kind, BasemapKind::Style);
        assert_eq!(basemap.origin, "http://127.0.0.1:9000");
    }

    #[test]
    fn unusable_urls_are_refused_with_the_reason() {
        for (url, why) in [
            ("tiles/{z}/{x}/{y}.png", "is not a URL"),
            ("ftp://tiles.example.org/{z}/{x}/{y}.png", "http or https"),
            ("https://tiles example.org/{z}/{x}/{y}.png", "is not a URL"),
            ("https://user:secret@tiles.example.org/{z}/{x}/{y}.png", "credentials"),
            ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "{s}"),
            ("https://tiles.example.org/{z}/{x}.png", "all of {z}, {x} and {y}"),
        ] {
            let error = Basemap::new(url, None).unwrap_err().to_string();
            assert!(error.starts_with("--basemap: ") && error.contains(why), "{url}: {error}");
        }
    }
}
