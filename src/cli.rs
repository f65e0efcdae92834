//! The command line: `serve` (the default), `prepare`, `check` (a data folder, or `--raw` publisher
//! files), `custom-area` and `export` (tiles, the board pack, one chart, the static site).

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use clap::{Parser, Subcommand};

use crate::analysis::clusters::LsoaWeights;
use crate::analysis::{Disclosure, custom};
use crate::api::{AppState, Basemap, Page, PublicUrl, Shared, precompress, router_with};
use crate::atlas::{self, Atlas, DataFiles, Indicator, LoadError};
use crate::charts::{self, Format, Size};
use crate::figures::{self, FigureKind, FigureRequest, Sources};
use crate::prepare::{PrepareOptions, run as prepare};
use crate::site::{Stage, write_site};
use crate::tiles::TileContext;
use crate::tiles::archive::write_archive;

/// Locality health-inequalities atlas for any English district (Coventry compiled in).
#[derive(Parser)]
#[command(name = "locality-atlas", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and dashboard (the default).
    Serve(ServeArgs),
    /// Build data/ and boundaries/ from the raw publisher files.
    Prepare {
        /// Folder of raw publisher files (boundaries/, census2021/, iod2019/, iod2025/, lookups/, ...).
        #[arg(long)]
        raw: PathBuf,
        /// Folder to write data/ and boundaries/ into.
        #[arg(long, default_value = ".")]
        out: PathBuf,
        /// LSOA 2021 boundaries to use instead of Coventry's raw GeoJSON (.geojson or .shp).
        #[arg(long)]
        lsoa_boundaries: Option<PathBuf>,
        /// The English local authority district to prepare (GSS code, e.g. E08000025 for Birmingham),
        /// or `all` for England (every LSOA, every district an area); Coventry (E08000026) when
        /// omitted. Districts other than Coventry are built from the national files alone, on the
        /// national 200 m boundaries.
        #[arg(long)]
        lad: Option<String>,
        /// Localities file (`locality, lsoa21_code, basis, confidence`; every LSOA in the district);
        /// without it, Coventry's candidate lists, elsewhere one locality per best-fit ward, and
        /// none for England.
        #[arg(long)]
        localities: Option<PathBuf>,
        /// With `--lad all`: only these districts (comma-separated codes), for a small atlas of the
        /// same kind as England's.
        #[arg(long, value_delimiter = ',', hide = true)]
        only_districts: Vec<String>,
    },
    /// Profile a custom area: a list of LSOA codes, or a GeoJSON polygon file (printed as JSON).
    CustomArea {
        /// Comma-separated LSOA 2021 codes.
        #[arg(long, value_delimiter = ',', conflicts_with = "geojson")]
        lsoas: Vec<String>,
        /// A GeoJSON Polygon, MultiPolygon or Feature in WGS84.
        #[arg(long)]
        geojson: Option<PathBuf>,
        /// Folder holding data/ and boundaries/; the compiled-in data when omitted.
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Export products for publishing.
    #[command(subcommand)]
    Export(Export),
    /// Validate a prepared data folder, or with --raw a raw publisher folder, and list every problem.
    Check {
        /// Folder holding data/ and boundaries/; the compiled-in data when omitted.
        #[arg(long, conflicts_with = "raw")]
        data_dir: Option<PathBuf>,
        /// A raw publisher folder (as given to `prepare --raw`) to validate instead: prepare's
        /// readers run on it into a temporary folder, which is removed afterwards.
        #[arg(long)]
        raw: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum Export {
    /// Write the vector tiles (all layers, z0 to --max-zoom) into one PMTiles archive.
    Tiles {
        /// The archive to write, e.g. atlas.pmtiles.
        #[arg(long)]
        out: PathBuf,
        /// Deepest zoom to include.
        #[arg(long, default_value_t = 14)]
        max_zoom: u8,
        /// Folder holding data/ and boundaries/; the compiled-in data when omitted.
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Write each locality's board pack: every figure as SVG and PNG, the CSV behind each, and an
    /// HTML report.
    BoardPack {
        /// Folder to write into; one sub-folder per locality.
        #[arg(long)]
        out: PathBuf,
        /// Locality id (repeat for several); all localities when omitted.
        #[arg(long)]
        locality: Vec<String>,
        /// Folder holding data/ and boundaries/; the compiled-in data when omitted.
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Write the whole dashboard as a static site for a host that runs no server: the page, its
    /// tiles in one PMTiles archive, and every answer the page needs from the API, precomputed.
    Site {
        /// Folder to write into (created if missing; files already there are replaced).
        #[arg(long)]
        out: PathBuf,
        /// Deepest zoom of the tile archive (the server's tiles go to 16).
        #[arg(long, default_value_t = crate::tiles::DETAIL_MAX_ZOOM)]
        max_zoom: u8,
        /// Folder holding data/ and boundaries/; the compiled-in data when omitted.
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Draw one chart (as served at /charts/KIND), or write its CSV, to a file.
    Chart {
        /// ranked, localities, spine, gradient, scatter, change or map.
        kind: FigureKind,
        /// Chart parameters as name=value, e.g. indicator=iod25_income_rate area=wood-end-henley-green.
        parameters: Vec<String>,
        /// File to write: .svg, .png or .csv.
        #[arg(long)]
        out: PathBuf,
        /// PNG size: screen, 2x or print (300 dpi at A4 text width).
        #[arg(long, default_value = "screen")]
        size: Size,
        /// Folder holding data/ and boundaries/; the compiled-in data when omitted.
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
}

/// How `serve` runs. Every option can also be set by an environment variable (`LOCALITY_ATLAS_`
/// and the option's name in capitals, e.g. `LOCALITY_ATLAS_PORT=8080`); a flag given on the
/// command line wins over the variable. Switches take `true`/`1` or `false`/`0`.
#[derive(Parser)]
struct ServeArgs {
    /// Port to listen on.
    #[arg(long, env = "LOCALITY_ATLAS_PORT", default_value_t = 8080)]
    port: u16,
    /// Address to bind.
    #[arg(long, env = "LOCALITY_ATLAS_BIND", default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Folder holding data/ and boundaries/ to serve instead of the compiled-in data.
    #[arg(long, env = "LOCALITY_ATLAS_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// The absolute URL clients reach the server at, e.g. https://atlas.example.org/base: TileJSON,
    /// styles and the OpenAPI document link to it. Without it, links follow X-Forwarded-Proto and
    /// X-Forwarded-Host from a proxy in front, or the Host header.
    #[arg(long, env = "LOCALITY_ATLAS_PUBLIC_URL")]
    public_url: Option<PublicUrl>,
    /// Suppress counts below this threshold in every output.
    #[arg(long, env = "LOCALITY_ATLAS_SUPPRESS_BELOW", default_value_t = crate::analysis::disclosure::DEFAULT_THRESHOLD)]
    suppress_below: f64,
    /// Tile cache size in MiB (0 turns the cache off).
    #[arg(long, env = "LOCALITY_ATLAS_TILE_CACHE_MB", default_value_t = 64)]
    tile_cache_mb: usize,
    /// Render the vector tiles of z10 to z14 over the city into the cache before serving.
    #[arg(long, env = "LOCALITY_ATLAS_PREWARM")]
    prewarm: bool,
    /// Reload --data-dir whenever its files change (checked every 2 seconds). SIGHUP reloads it at
    /// any time. A folder that fails `check` is refused and the last good data keeps being served.
    #[arg(long, env = "LOCALITY_ATLAS_WATCH", requires = "data_dir")]
    watch: bool,
    /// A basemap drawn beneath the choropleth: an XYZ raster template
    /// (https://tiles.example.org/{z}/{x}/{y}.png) or a MapLibre style URL. The page's
    /// Content-Security-Policy then admits that origin and no other. Off by default: the page
    /// fetches nothing from elsewhere.
    #[arg(long, env = "LOCALITY_ATLAS_BASEMAP", value_name = "URL")]
    basemap: Option<String>,
    /// The basemap's attribution, shown on the map (the tile host's name when omitted).
    #[arg(long, env = "LOCALITY_ATLAS_BASEMAP_ATTRIBUTION", value_name = "TEXT", requires = "basemap")]
    basemap_attribution: Option<String>,
    /// Log every request (method, path, status, time taken) at info level on standard error.
    #[arg(long, env = "LOCALITY_ATLAS_ACCESS_LOG")]
    access_log: bool,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => serve(ServeArgs::parse_from(["serve"])),
        Some(Command::Serve(args)) => serve(args),
        Some(Command::Prepare { raw, out, lsoa_boundaries, lad, localities, only_districts }) => {
            let started = Instant::now();
            let options = PrepareOptions { raw, out: out.clone(), lsoa_boundaries, lad, localities, only_districts };
            match prepare(&options) {
                Ok((summary, atlas)) => {
                    println!(
                        "prepared {} LSOAs, {} indicators, {} values and {} comparators in {:.2?}",
                        summary.lsoas,
                        summary.indicators,
                        summary.rows,
                        summary.comparators,
                        started.elapsed()
                    );
                    for file in &summary.files {
                        println!("  wrote {}", out.join(file).display());
                    }
                    // The folder was loaded before it was put in place: that atlas is reported.
                    report_valid(&out.display().to_string(), &atlas)
                }
                Err(e) => fail(&e.to_string()),
            }
        }
        Some(Command::Check { raw: Some(raw), .. }) => check_raw(&raw),
        Some(Command::Check { data_dir, raw: None }) => check(data_dir.as_deref()),
        Some(Command::CustomArea { lsoas, geojson, data_dir }) => {
            custom_area(lsoas, geojson.as_deref(), data_dir.as_deref())
        }
        Some(Command::Export(Export::Tiles { out, max_zoom, data_dir })) => {
            export_tiles(&out, max_zoom, data_dir.as_deref())
        }
        Some(Command::Export(Export::BoardPack { out, locality, data_dir })) => {
            export_board_pack(&out, locality, data_dir.as_deref())
        }
        Some(Command::Export(Export::Site { out, max_zoom, data_dir })) => {
            export_site(&out, max_zoom, data_dir.as_deref())
        }
        Some(Command::Export(Export::Chart { kind, parameters, out, size, data_dir })) => {
            export_chart(kind, &parameters, &out, size, data_dir.as_deref())
        }
    }
}

/// The same parsing and apportionment as `POST /api/custom-area`, printed as the same JSON.
fn custom_area(lsoas: Vec<String>, geojson: Option<&Path>, data_dir: Option<&Path>) -> ExitCode {
    let body = match geojson {
        Some(path) => match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => return fail(&format!("cannot read {}: {e}", path.display())),
        },
        None => serde_json::json!({ "lsoas": lsoas }).to_string().into_bytes(),
    };
    let atlas = match load_atlas(data_dir) {
        Ok(atlas) => atlas,
        Err(e) => return fail(&e.to_string()),
    };
    let area = match custom::parse_request(&body).and_then(|request| custom::custom_area(&atlas, &request)) {
        Ok(area) => area,
        Err(e) => return fail(&e.to_string()),
    };
    let profile = crate::analysis::profile(&atlas, &area, &Disclosure::default());
    match serde_json::to_string_pretty(&profile) {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.to_string()),
    }
}

/// The atlas whose tiles are exported from zoom 0 to `max_zoom`.
fn atlas_to_tile(max_zoom: u8, data_dir: Option<&Path>) -> Result<Atlas, String> {
    if max_zoom > crate::tiles::MAX_ZOOM {
        return Err(format!("--max-zoom {max_zoom} is beyond {}", crate::tiles::MAX_ZOOM));
    }
    load_atlas(data_dir).map_err(|e| e.to_string())
}

/// A progress bar drawn with `template` (an indicatif template).
fn progress_bar(template: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(template).unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

fn export_tiles(out: &Path, max_zoom: u8, data_dir: Option<&Path>) -> ExitCode {
    let atlas = match atlas_to_tile(max_zoom, data_dir) {
        Ok(atlas) => atlas,
        Err(e) => return fail(&e),
    };
    let file = match std::fs::File::create(out) {
        Ok(f) => std::io::BufWriter::new(f),
        Err(e) => return fail(&format!("cannot create {}: {e}", out.display())),
    };
    let started = Instant::now();
    let context = TileContext::build(&atlas, &Disclosure::default());
    let bar = progress_bar("{bar:40} {pos}/{len} tiles {elapsed_precise}");
    let result = write_archive(&atlas, &context, max_zoom, file, |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    });
    bar.finish_and_clear();
    match result {
        Ok(summary) => {
            println!(
                "wrote {} ({} tiles of {} over the district, z0-z{max_zoom}) in {:.2?}",
                out.display(),
                summary.tiles_written,
                summary.tiles_considered,
                started.elapsed()
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

fn export_site(out: &Path, max_zoom: u8, data_dir: Option<&Path>) -> ExitCode {
    let atlas = match atlas_to_tile(max_zoom, data_dir) {
        Ok(atlas) => atlas,
        Err(e) => return fail(&e),
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => return fail(&format!("cannot start the async runtime: {e}")),
    };
    let started = Instant::now();
    let state = Arc::new(AppState::new(atlas, Disclosure::default(), 0));
    let bar = progress_bar("{bar:40} {pos}/{len} {msg} {elapsed_precise}");
    let shown = bar.clone();
    let progress = Arc::new(move |stage: Stage, done: usize, total: usize| {
        shown.set_message(match stage {
            Stage::Answers => "answers",
            Stage::Tiles => "tiles",
        });
        shown.set_length(total as u64);
        shown.set_position(done as u64);
    });
    let result = runtime.block_on(write_site(state, out, max_zoom, progress));
    bar.finish_and_clear();
    match result {
        Ok(summary) => {
            println!(
                "wrote the static site to {} in {:.2?}: {} files, {:.1} MB ({} tiles, z0-z{max_zoom}); {} answers the API refuses were left out, as the server refuses them",
                out.display(),
                started.elapsed(),
                summary.files,
                summary.bytes as f64 / 1e6,
                summary.tiles.tiles_written,
                summary.refused
            );
            println!(
                "serve it from any static host, e.g. `python3 -m http.server -d {}` then http://localhost:8000/",
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.to_string()),
    }
}

fn export_board_pack(out: &Path, localities: Vec<String>, data_dir: Option<&Path>) -> ExitCode {
    let atlas = match load_atlas(data_dir) {
        Ok(atlas) => atlas,
        Err(e) => return fail(&e.to_string()),
    };
    let started = Instant::now();
    let localities: Vec<String> = if localities.is_empty() {
        atlas.localities().iter().filter(|l| !l.is_context()).map(|l| l.id.clone()).collect()
    } else {
        localities
    };
    if localities.is_empty() {
        return fail(
            "this atlas has no localities: name the districts to export with --locality CODE (GET /api/districts lists them)",
        );
    }
    let disclosure = Disclosure::default();
    let weights = match LsoaWeights::build(&atlas) {
        Ok(weights) => weights,
        Err(e) => return fail(&format!("the LSOA boundaries give no spatial weights: {e}")),
    };
    let sources = Sources { atlas: &atlas, disclosure: &disclosure, weights: &weights, produced: figures::today() };
    let bar = progress_bar("{bar:40} {pos}/{len} figures {elapsed_precise}");
    let result = crate::figures::board_pack::write_board_pack(&sources, &localities, out, |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    });
    bar.finish_and_clear();
    match result {
        Ok(summary) => {
            for skipped in &summary.skipped {
                println!("  not drawn: {skipped}");
            }
            println!(
                "wrote the board pack of {} ({} files) to {} in {:.2?}",
                crate::analysis::words::count_of(localities.len(), ("area", "areas"), ("", "")),
                summary.files,
                out.display(),
                started.elapsed()
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

fn export_chart(kind: FigureKind, parameters: &[String], out: &Path, size: Size, data_dir: Option<&Path>) -> ExitCode {
    let mut query = std::collections::HashMap::new();
    for pair in parameters {
        let Some((name, value)) = pair.split_once('=') else {
            return fail(&format!("{pair:?} is not a name=value chart parameter"));
        };
        query.insert(name.to_owned(), value.to_owned());
    }
    let atlas = match load_atlas(data_dir) {
        Ok(atlas) => atlas,
        Err(e) => return fail(&e.to_string()),
    };
    let disclosure = Disclosure::default();
    let weights = match LsoaWeights::build(&atlas) {
        Ok(weights) => weights,
        Err(e) => return fail(&format!("the LSOA boundaries give no spatial weights: {e}")),
    };
    let sources = Sources { atlas: &atlas, disclosure: &disclosure, weights: &weights, produced: figures::today() };
    let figure = match figures::build(&sources, &FigureRequest { kind, parameters: query }) {
        Ok(figure) => figure,
        Err(e) => return fail(&e.to_string()),
    };
    let bytes = match out.extension().and_then(|e| e.to_str()) {
        Some("csv") => Ok(figure.table.to_csv().into_bytes()),
        Some("svg") => charts::render(&figure.chart, Format::Svg, size),
        Some("png") => charts::render(&figure.chart, Format::Png, size),
        _ => return fail(&format!("{}: the file must end in .svg, .png or .csv", out.display())),
    };
    match bytes.map_err(|e| e.to_string()).and_then(|b| std::fs::write(out, b).map_err(|e| e.to_string())) {
        Ok(()) => {
            println!("wrote {}", out.display());
            ExitCode::SUCCESS
        }
        Err(e) => fail(&format!("{}: {e}", out.display())),
    }
}

/// Loads the compiled-in data, or a prepared folder.
pub fn load_atlas(data_dir: Option<&Path>) -> Result<Atlas, LoadError> {
    let files = match data_dir {
        Some(dir) => DataFiles::read_dir(dir)?,
        None => atlas::embedded_files(),
    };
    atlas::load(&files)
}

fn check(data_dir: Option<&Path>) -> ExitCode {
    let origin = data_dir.map_or("the compiled-in data".to_owned(), |d| d.display().to_string());
    match load_atlas(data_dir) {
        Ok(atlas) => report_valid(&origin, &atlas),
        Err(e) => fail(&format!("{origin} is not usable: {e}")),
    }
}

/// Says that `atlas` (loaded from `origin`) is valid, with its size, after a warning for each
/// indicator with one value everywhere.
fn report_valid(origin: &str, atlas: &Atlas) -> ExitCode {
    for (indicator, value) in single_valued(atlas) {
        let marked = if indicator.district_figure {
            "it is marked district_figure (the publisher gives one figure for the whole district)"
        } else {
            "it is not marked district_figure: mark it so if the publisher gives one figure for the whole district, otherwise check the data"
        };
        eprintln!("warning: {} has the same value ({value}) in every LSOA; {marked}", indicator.id);
    }
    println!(
        "ok: {origin} is valid: {} LSOAs, {} wards, {} indicators, {} localities (data version {})",
        atlas.lsoas().len(),
        atlas.wards().len(),
        atlas.catalogue().len(),
        atlas.localities().len(),
        atlas.version
    );
    ExitCode::SUCCESS
}

/// Runs `prepare` on a raw folder into a temporary folder, validates what it wrote, and lists every
/// problem found; the temporary folder is removed whatever the outcome.
fn check_raw(raw: &Path) -> ExitCode {
    let scratch = match Scratch::new() {
        Ok(scratch) => scratch,
        Err(e) => return fail(&format!("cannot make a temporary folder to prepare into: {e}")),
    };
    let options = PrepareOptions {
        raw: raw.to_owned(),
        out: scratch.0.clone(),
        lsoa_boundaries: None,
        lad: None,
        localities: None,
        only_districts: Vec::new(),
    };
    // `prepare` loads what it wrote before it puts it in place: a folder the atlas refuses is an error.
    let problems = match prepare(&options) {
        Ok((summary, _)) => {
            println!(
                "ok: the raw folder {} is valid: it prepares into {} LSOAs, {} indicators, {} values and {} comparators",
                raw.display(),
                summary.lsoas,
                summary.indicators,
                summary.rows,
                summary.comparators
            );
            return ExitCode::SUCCESS;
        }
        Err(e) => e.problems,
    };
    let n = problems.len();
    eprintln!("error: the raw folder {} has {n} problem{}:", raw.display(), if n == 1 { "" } else { "s" });
    for problem in &problems {
        eprintln!("  - {problem}");
    }
    ExitCode::FAILURE
}

/// A temporary folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> std::io::Result<Scratch> {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let path = std::env::temp_dir().join(format!("locality-atlas-check-raw-{}-{nanos}", std::process::id()));
        std::fs::create_dir(&path)?;
        Ok(Scratch(path))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Indicators with one and the same value in every LSOA that has one (at least two LSOAs), with
/// that value: a district figure copied to its LSOAs, or a fault in the data.
fn single_valued(atlas: &Atlas) -> Vec<(&Indicator, f64)> {
    atlas
        .catalogue()
        .iter()
        .filter_map(|indicator| {
            let values: Vec<f64> =
                atlas.observations(&indicator.id)?.iter().filter_map(|o| o.and_then(|o| o.value)).collect();
            let (&first, rest) = values.split_first()?;
            (!rest.is_empty() && rest.iter().all(|&v| v == first)).then_some((indicator, first))
        })
        .collect()
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}

fn serve(args: ServeArgs) -> ExitCode {
    // Colours only on a terminal: logs written to a file, journald or a container's log stay plain.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "locality_atlas=info".into()),
        )
        .init();
    let started = Instant::now();
    let page = match &args.basemap {
        None => Page::default(),
        Some(url) => {
            match Basemap::new(url, args.basemap_attribution.as_deref()).and_then(|b| Page::with_basemap(&b)) {
                Ok(page) => page,
                Err(e) => return fail(&e.to_string()),
            }
        }
    };
    // Taken before reading, so that `--watch` sees any change made from here on.
    let read_from = args.data_dir.as_deref().map(fingerprint).unwrap_or_default();
    let atlas = match load_atlas(args.data_dir.as_deref()) {
        Ok(atlas) => atlas,
        Err(e) => return fail(&e.to_string()),
    };
    let loaded = started.elapsed();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => return fail(&format!("cannot start the async runtime: {e}")),
    };
    let address = SocketAddr::new(args.bind, args.port);
    let disclosure = Disclosure { threshold: args.suppress_below };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(address).await {
            Ok(l) => l,
            Err(e) => return fail(&format!("cannot listen on {address}: {e}")),
        };
        let bound = listener.local_addr().unwrap_or(address);
        tracing::info!(lsoas = atlas.lsoas().len(), indicators = atlas.catalogue().len(), version = %atlas.version, "atlas loaded in {loaded:.2?}");
        let cache_bytes = args.tile_cache_mb * 1024 * 1024;
        let state = Arc::new(AppState::new(atlas, disclosure, cache_bytes));
        if args.prewarm {
            prewarm(&state);
        } else {
            state.prepare_tiles();
        }
        let shared = Shared::with_site(state.clone(), crate::api::site(args.public_url.clone(), args.access_log));
        let reloader = Reloader { shared: shared.clone(), data_dir: args.data_dir.clone(), disclosure, cache_bytes };
        #[cfg(unix)]
        tokio::spawn(reload_on_hangup(reloader.clone()));
        if args.watch {
            std::thread::spawn(move || reloader.watch(read_from));
        }
        println!(
            "locality-atlas serving on http://{bound}/ (data version {}, ready in {:.2?})",
            state.atlas.version,
            started.elapsed()
        );
        if let Some(url) = &args.public_url {
            tracing::info!("links in answers point to {url}");
        }
        // The page's files are compressed while the server starts answering, once the tiles are
        // ready: the map needs those first, and brotli meanwhile would halve their share of two cores
        // (clients get gzip until then).
        let tiles = state.clone();
        tokio::spawn(async move {
            let _ = tokio::task::spawn_blocking(move || {
                tiles.tile_context();
            })
            .await;
            if let Err(e) = precompress().await {
                tracing::warn!("{e:?}");
            }
        });
        let app = router_with(shared, &page);
        match axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&format!("server error: {e}")),
        }
    })
}

/// Reloads the data folder into the served state, or refuses it and keeps the last good data.
#[derive(Clone)]
struct Reloader {
    shared: Shared,
    data_dir: Option<PathBuf>,
    disclosure: Disclosure,
    cache_bytes: usize,
}

impl Reloader {
    fn reload(&self) {
        let current = self.shared.current().atlas.version.clone();
        let Some(dir) = &self.data_dir else {
            tracing::warn!("serving the compiled-in data: there is no --data-dir to reload");
            return;
        };
        match load_atlas(Some(dir)) {
            Ok(atlas) if atlas.version == current => tracing::info!("reload: data version {current} is unchanged"),
            Ok(atlas) => {
                let version = atlas.version.clone();
                let state = AppState::new(atlas, self.disclosure, self.cache_bytes);
                // The tiles are made ready before the swap, so that no tile waits for them.
                state.tile_context();
                self.shared.replace(state);
                tracing::info!("reloaded {}: now serving data version {version} (was {current})", dir.display());
            }
            Err(e) => tracing::error!(
                "reload of {} refused, still serving data version {current}: {} is not usable: {e}",
                dir.display(),
                dir.display()
            ),
        }
    }

    /// Polls the data files' sizes and modification times, reloading when they differ from
    /// `seen`, the files as they were when the served data was read.
    fn watch(self, mut seen: Fingerprint) {
        let Some(dir) = self.data_dir.clone() else { return };
        loop {
            std::thread::sleep(std::time::Duration::from_secs(2));
            let now = fingerprint(&dir);
            if now != seen {
                seen = now;
                self.reload();
            }
        }
    }
}

/// The size and modification time of each file of a data folder: what `--watch` compares.
type Fingerprint = Vec<Option<(u64, std::time::SystemTime)>>;

fn fingerprint(dir: &std::path::Path) -> Fingerprint {
    crate::atlas::REQUIRED_FILES
        .iter()
        .map(|name| std::fs::metadata(dir.join(name)).ok().and_then(|m| Some((m.len(), m.modified().ok()?))))
        .collect()
}

/// Reloads on every SIGHUP.
#[cfg(unix)]
async fn reload_on_hangup(reloader: Reloader) {
    let Ok(mut hangups) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()) else { return };
    while hangups.recv().await.is_some() {
        let reloader = reloader.clone();
        let _ = tokio::task::spawn_blocking(move || reloader.reload()).await;
    }
}

/// Renders the z10 to z14 vector tiles over the city into the cache, both encodings.
fn prewarm(state: &AppState) {
    let started = Instant::now();
    match crate::api::prewarm(state, 10, 14) {
        Ok(count) => tracing::info!(
            "pre-warmed {count} tiles (z10-z14, gzip and plain, {} bytes cached) in {:.2?}",
            state.tiles.bytes(),
            started.elapsed()
        ),
        Err(e) => tracing::warn!("pre-warming stopped: {e:?}"),
    }
}

/// Resolves on Ctrl-C or SIGTERM, letting in-flight requests finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use super::single_valued;
    use crate::atlas::{embedded_files, load};

    #[test]
    fn the_district_homelessness_figures_are_the_indicators_with_one_value() {
        let atlas = load(&embedded_files()).unwrap();
        let found: Vec<(&str, bool)> =
            single_valued(&atlas).iter().map(|(i, _)| (i.id.as_str(), i.district_figure)).collect();
        assert_eq!(found, vec![("iod25_homelessness_rate", true), ("iod19_homelessness_rate", true)]);
    }
}
