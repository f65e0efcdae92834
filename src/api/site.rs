//! What the server knows about itself beyond the data: the address clients reach it at, whether
//! it logs each request, and its metrics. It outlives a data reload.

use std::fmt;
use std::str::FromStr;

use axum::http::{HeaderMap, header};

use super::metrics::Metrics;

/// The absolute URL the server is reached at from outside, e.g. `https://atlas.example.org/base`:
/// an `http` or `https` URL without query or fragment, kept without a trailing `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    /// The URL, without a trailing `/`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for PublicUrl {
    type Err = String;

    fn from_str(text: &str) -> Result<PublicUrl, String> {
        let usage = "give the absolute URL clients use, such as https://atlas.example.org or https://example.org/atlas";
        let rest = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
            .ok_or_else(|| format!("{text:?} does not start with http:// or https://; {usage}"))?;
        let host = rest.split('/').next().unwrap_or_default();
        if !is_host(host) {
            return Err(format!("{text:?} has no valid host name; {usage}"));
        }
        if rest.contains(['?', '#']) || rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!("{text:?} holds a query, a fragment or spaces; {usage}"));
        }
        Ok(PublicUrl(text.trim_end_matches('/').to_owned()))
    }
}

/// A `host[:port]` as it may stand in a URL: letters, digits, `.`, `-`, `:`, and `[`/`]` round an
/// IPv6 address.
fn is_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
}

/// The server's settings and metrics, shared by every request and kept across reloads.
#[derive(Debug, Default)]
pub struct Site {
    /// Where clients reach the server; when `None`, the request's forwarding headers or `Host` say.
    pub public_url: Option<PublicUrl>,
    /// Log every request at info level.
    pub access_log: bool,
    /// Request, latency and tile counters.
    pub metrics: Metrics,
}

impl Site {
    /// The base URL that links in an answer to this request start with (no trailing `/`): the
    /// public URL when one is set, otherwise `X-Forwarded-Proto` and `X-Forwarded-Host` from a
    /// proxy in front, falling back to `http` and the `Host` header.
    pub fn base_url(&self, headers: &HeaderMap) -> String {
        if let Some(url) = &self.public_url {
            return url.0.clone();
        }
        // A proxy chain lists one value per hop; the first is what the client asked for.
        let first = |name: &str| {
            headers.get(name).and_then(|v| v.to_str().ok()).and_then(|v| v.split(',').next()).map(str::trim)
        };
        let proto = match first("x-forwarded-proto") {
            Some(p) if p.eq_ignore_ascii_case("https") => "https",
            _ => "http",
        };
        let host = first("x-forwarded-host")
            .filter(|h| is_host(h))
            .or_else(|| first(header::HOST.as_str()).filter(|h| is_host(h)))
            .unwrap_or("localhost");
        format!("{proto}://{host}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn a_public_url_is_kept_without_its_trailing_slash_and_wins_over_headers() {
        let url: PublicUrl = "https://atlas.example.org/base/".parse().unwrap();
        assert_eq!(url.as_str(), "https://atlas.example.org/base");
        let site = Site { public_url: Some(url), ..Site::default() };
        let forwarded = headers(&[("x-forwarded-proto", "http"), ("x-forwarded-host", "other.example"), ("host", "x")]);
        assert_eq!(site.base_url(&forwarded), "https://atlas.example.org/base");
    }

    #[test]
    fn a_public_url_must_be_absolute_http_without_query() {
        for bad in ["atlas.example.org", "ftp://atlas.example.org", "https://", "https://a b/", "https://x.org/?q=1"] {
            assert!(bad.parse::<PublicUrl>().is_err(), "{bad}");
        }
        assert!("http://[::1]:8080".parse::<PublicUrl>().is_ok());
    }

    #[test]
    fn forwarding_headers_give_the_scheme_and_host_the_client_used() {
        let site = Site::default();
        let proxied = headers(&[
            ("x-forwarded-proto", "https, http"),
            ("x-forwarded-host", "atlas.example.org, proxy.internal"),
            ("host", "127.0.0.1:8080"),
        ]);
        assert_eq!(site.base_url(&proxied), "https://atlas.example.org");
        assert_eq!(site.base_url(&headers(&[("host", "127.0.0.1:9999")])), "http://127.0.0.1:9999");
        assert_eq!(site.base_url(&headers(&[("x-forwarded-proto", "https"), ("host", "a.org")])), "https://a.org");
    }

    #[test]
    fn a_host_that_is_not_a_host_name_is_not_echoed() {
        let site = Site::default();
        assert_eq!(site.base_url(&headers(&[("host", "evil.org/\"><script>")])), "http://localhost");
        assert_eq!(site.base_url(&HeaderMap::new()), "http://localhost");
    }
}
