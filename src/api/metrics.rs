//! Metrics in the Prometheus text format (version 0.0.4): requests by route template and status, a
//! latency histogram per route, the tile cache's hits, misses and bytes, and tile render time.
//!
//! Every figure is an atomic counter in a table laid out when the router is built, so recording a
//! request is a lookup of its route and a few relaxed additions: no lock and no allocation on the
//! tile path. The text is written only when `/metrics` is asked for.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds (seconds) of the latency and render-time buckets: a cached tile takes tens of
/// microseconds, a print-size chart seconds, and the guard answers 408 at 30 s.
pub const BUCKETS: [f64; 17] =
    [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// The `route` label of requests that matched no route.
pub const UNMATCHED: &str = "unmatched";

/// Statuses counted: 100 to 599, one counter each.
const STATUSES: usize = 500;

/// A histogram of durations: counts per bucket (not cumulative; made so when written), the count
/// and the sum.
#[derive(Debug)]
struct Histogram {
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_nanos: AtomicU64,
}

impl Histogram {
    fn new() -> Histogram {
        Histogram {
            buckets: std::array::from_fn(|_| AtomicU64::new(0)),
            count: AtomicU64::new(0),
            sum_nanos: AtomicU64::new(0),
        }
    }

    fn observe(&self, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        // The first bucket whose bound is at least the value; beyond the last, only `+Inf` counts it.
        if let Some(bucket) = self.buckets.get(BUCKETS.partition_point(|&bound| bound < seconds)) {
            bucket.fetch_add(1, Ordering::Relaxed);
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_nanos.fetch_add(u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    /// Writes `name_bucket`, `name_sum` and `name_count` with `labels` (`key="value",` pairs, each
    /// ending in a comma, or empty).
    fn write(&self, out: &mut String, name: &str, labels: &str) {
        let mut cumulative = 0;
        for (bound, bucket) in BUCKETS.iter().zip(&self.buckets) {
            cumulative += bucket.load(Ordering::Relaxed);
            let _ = writeln!(out, "{name}_bucket{{{labels}le=\"{bound}\"}} {cumulative}");
        }
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{{labels}le=\"+Inf\"}} {count}");
        let sum = self.sum_nanos.load(Ordering::Relaxed) as f64 / 1e9;
        let labels = labels.trim_end_matches(',');
        let _ = writeln!(out, "{name}_sum{{{labels}}} {sum}");
        let _ = writeln!(out, "{name}_count{{{labels}}} {count}");
    }
}

/// The counters of one route.
#[derive(Debug)]
struct RouteMetrics {
    template: &'static str,
    statuses: Box<[AtomicU64]>,
    latency: Histogram,
}

/// The two kinds of tile the server renders and caches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TileKind {
    /// Mapbox Vector Tiles.
    Vector,
    /// Server-rendered choropleth PNGs.
    Png,
}

impl TileKind {
    const ALL: [TileKind; 2] = [TileKind::Vector, TileKind::Png];

    fn label(self) -> &'static str {
        match self {
            TileKind::Vector => "vector",
            TileKind::Png => "png",
        }
    }
}

/// Cache and render counters of one kind of tile.
#[derive(Debug)]
struct TileMetrics {
    hits: AtomicU64,
    misses: AtomicU64,
    render: Histogram,
}

/// The server's counters.
#[derive(Debug)]
pub struct Metrics {
    /// Route index by template.
    index: HashMap<&'static str, usize>,
    /// One entry per route, then one for requests that matched none.
    routes: Box<[RouteMetrics]>,
    tiles: [TileMetrics; 2],
}

impl Default for Metrics {
    /// Counters with no routes: every request counts as unmatched.
    fn default() -> Metrics {
        Metrics::new([])
    }
}

/// What `/metrics` reports beside the counters, read from the state being served.
#[derive(Debug, Clone, Copy)]
pub struct Gauges<'a> {
    /// Bytes the tile cache holds now.
    pub tile_cache_bytes: usize,
    /// The tile cache's capacity in bytes.
    pub tile_cache_capacity: usize,
    /// The data version being served.
    pub data_version: &'a str,
}

impl Metrics {
    /// Counters for the routes with these templates (as the router writes them, e.g.
    /// `/tiles/lsoa/{z}/{x}/{file}`).
    pub fn new(templates: impl IntoIterator<Item = &'static str>) -> Metrics {
        let route = |template| RouteMetrics {
            template,
            statuses: (0..STATUSES).map(|_| AtomicU64::new(0)).collect(),
            latency: Histogram::new(),
        };
        let mut routes: Vec<RouteMetrics> = templates.into_iter().map(route).collect();
        let index = routes.iter().enumerate().map(|(i, r)| (r.template, i)).collect();
        routes.push(route(UNMATCHED));
        let tile = || TileMetrics { hits: AtomicU64::new(0), misses: AtomicU64::new(0), render: Histogram::new() };
        Metrics { index, routes: routes.into_boxed_slice(), tiles: [tile(), tile()] }
    }

    /// The position of a route template in the table; unknown templates count as unmatched.
    pub fn route(&self, template: Option<&str>) -> usize {
        template.and_then(|t| self.index.get(t).copied()).unwrap_or(self.routes.len() - 1)
    }

    /// Counts an answered request of route `route` (from [`Metrics::route`]).
    pub fn record(&self, route: usize, status: u16, elapsed: Duration) {
        let Some(metrics) = self.routes.get(route) else { return };
        if let Some(counter) = usize::from(status).checked_sub(100).and_then(|i| metrics.statuses.get(i)) {
            counter.fetch_add(1, Ordering::Relaxed);
        }
        metrics.latency.observe(elapsed);
    }

    /// Counts a tile found in the cache (`hit`) or not.
    pub fn tile_lookup(&self, kind: TileKind, hit: bool) {
        let tile = &self.tiles[kind as usize];
        if hit { &tile.hits } else { &tile.misses }.fetch_add(1, Ordering::Relaxed);
    }

    /// Records the time taken to render a tile that was not cached.
    pub fn tile_rendered(&self, kind: TileKind, elapsed: Duration) {
        self.tiles[kind as usize].render.observe(elapsed);
    }

    /// Every metric in the Prometheus text format.
    pub fn render(&self, gauges: Gauges<'_>) -> String {
        let mut out = String::with_capacity(16 * 1024);
        out.push_str("# HELP locality_atlas_http_requests_total Requests answered, by route template and status.\n");
        out.push_str("# TYPE locality_atlas_http_requests_total counter\n");
        for route in self.routes.iter() {
            for (i, counter) in route.statuses.iter().enumerate() {
                let count = counter.load(Ordering::Relaxed);
                if count > 0 {
                    let (template, status) = (escape(route.template), i + 100);
                    let _ = writeln!(
                        out,
                        "locality_atlas_http_requests_total{{route=\"{template}\",status=\"{status}\"}} {count}"
                    );
                }
            }
        }
        out.push_str(
            "# HELP locality_atlas_http_request_duration_seconds Time from a request's arrival to its answer, by route template.\n",
        );
        out.push_str("# TYPE locality_atlas_http_request_duration_seconds histogram\n");
        for route in self.routes.iter().filter(|r| r.latency.count.load(Ordering::Relaxed) > 0) {
            let labels = format!("route=\"{}\",", escape(route.template));
            route.latency.write(&mut out, "locality_atlas_http_request_duration_seconds", &labels);
        }
        let lookups = [
            ("hits", "Tiles answered from the cache, by kind.", self.tiles.each_ref().map(|t| &t.hits)),
            (
                "misses",
                "Tiles not in the cache (rendered, then cached if they fit), by kind.",
                self.tiles.each_ref().map(|t| &t.misses),
            ),
        ];
        for (name, help, counters) in lookups {
            let _ = writeln!(out, "# HELP locality_atlas_tile_cache_{name}_total {help}");
            let _ = writeln!(out, "# TYPE locality_atlas_tile_cache_{name}_total counter");
            for (kind, counter) in TileKind::ALL.iter().zip(counters) {
                let count = counter.load(Ordering::Relaxed);
                let _ = writeln!(out, "locality_atlas_tile_cache_{name}_total{{kind=\"{}\"}} {count}", kind.label());
            }
        }
        out.push_str("# HELP locality_atlas_tile_cache_bytes Bytes the tile cache holds.\n");
        out.push_str("# TYPE locality_atlas_tile_cache_bytes gauge\n");
        let _ = writeln!(out, "locality_atlas_tile_cache_bytes {}", gauges.tile_cache_bytes);
        out.push_str("# HELP locality_atlas_tile_cache_capacity_bytes The tile cache's capacity (0: off).\n");
        out.push_str("# TYPE locality_atlas_tile_cache_capacity_bytes gauge\n");
        let _ = writeln!(out, "locality_atlas_tile_cache_capacity_bytes {}", gauges.tile_cache_capacity);
        out.push_str("# HELP locality_atlas_tile_render_seconds Time to render a tile that was not cached, by kind.\n");
        out.push_str("# TYPE locality_atlas_tile_render_seconds histogram\n");
        for kind in TileKind::ALL {
            let labels = format!("kind=\"{}\",", kind.label());
            self.tiles[kind as usize].render.write(&mut out, "locality_atlas_tile_render_seconds", &labels);
        }
        out.push_str("# HELP locality_atlas_data_info The data version being served.\n");
        out.push_str("# TYPE locality_atlas_data_info gauge\n");
        let _ = writeln!(out, "locality_atlas_data_info{{version=\"{}\"}} 1", escape(gauges.data_version));
        out
    }
}

/// A label value with `\`, `"` and line feeds escaped, as the text format requires.
fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gauges() -> Gauges<'static> {
        Gauges { tile_cache_bytes: 10, tile_cache_capacity: 64, data_version: "v1" }
    }

    #[test]
    fn requests_are_counted_by_route_and_status_and_unknown_routes_as_unmatched() {
        let metrics = Metrics::new(["/api/health", "/tiles/lsoa/{z}/{x}/{file}"]);
        let tiles = metrics.route(Some("/tiles/lsoa/{z}/{x}/{file}"));
        for status in [200, 200, 304] {
            metrics.record(tiles, status, Duration::from_micros(40));
        }
        metrics.record(metrics.route(None), 404, Duration::from_micros(5));
        metrics.record(metrics.route(Some("/elsewhere")), 404, Duration::from_micros(5));
        let text = metrics.render(gauges());
        assert!(
            text.contains(
                "locality_atlas_http_requests_total{route=\"/tiles/lsoa/{z}/{x}/{file}\",status=\"200\"} 2\n"
            )
        );
        assert!(
            text.contains(
                "locality_atlas_http_requests_total{route=\"/tiles/lsoa/{z}/{x}/{file}\",status=\"304\"} 1\n"
            )
        );
        assert!(text.contains("locality_atlas_http_requests_total{route=\"unmatched\",status=\"404\"} 2\n"));
        assert!(!text.contains("route=\"/api/health\""), "routes never asked for are left out");
    }

    #[test]
    fn histogram_buckets_are_cumulative_and_a_value_on_a_bound_is_in_its_bucket() {
        let metrics = Metrics::new(["/a"]);
        for micros in [100, 101, 2_000, 40_000_000] {
            metrics.record(0, 200, Duration::from_micros(micros));
        }
        let text = metrics.render(gauges());
        let bucket = |le: &str| {
            let prefix = format!("locality_atlas_http_request_duration_seconds_bucket{{route=\"/a\",le=\"{le}\"}} ");
            text.lines().find_map(|l| l.strip_prefix(&prefix)).unwrap().to_owned()
        };
        assert_eq!(bucket("0.0001"), "1");
        assert_eq!(bucket("0.00025"), "2");
        assert_eq!(bucket("0.0025"), "3");
        assert_eq!(bucket("30"), "3");
        assert_eq!(bucket("+Inf"), "4");
        assert!(text.contains("locality_atlas_http_request_duration_seconds_count{route=\"/a\"} 4\n"));
        assert!(text.contains("locality_atlas_http_request_duration_seconds_sum{route=\"/a\"} 40.002201\n"));
    }

    #[test]
    fn tile_lookups_and_render_times_are_counted_by_kind() {
        let metrics = Metrics::default();
        metrics.tile_lookup(TileKind::Vector, true);
        metrics.tile_lookup(TileKind::Vector, false);
        metrics.tile_lookup(TileKind::Png, false);
        metrics.tile_rendered(TileKind::Png, Duration::from_millis(3));
        let text = metrics.render(gauges());
        assert!(text.contains("locality_atlas_tile_cache_hits_total{kind=\"vector\"} 1\n"));
        assert!(text.contains("locality_atlas_tile_cache_misses_total{kind=\"png\"} 1\n"));
        assert!(text.contains("locality_atlas_tile_render_seconds_count{kind=\"png\"} 1\n"));
        assert!(text.contains("locality_atlas_tile_cache_bytes 10\n"));
        assert!(text.contains("locality_atlas_data_info{version=\"v1\"} 1\n"));
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
