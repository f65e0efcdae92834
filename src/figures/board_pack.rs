//! Writing the publishable products to disk: the board pack of each locality.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::report;
use super::{self as figures, FigureRequest, Sources};
use crate::analysis::Area;
use crate::analysis::clusters::PocketSearch;
use crate::charts::{self, Size};

/// What a board pack run wrote.
#[derive(Debug, Default)]
pub struct BoardPackSummary {
    /// Files written.
    pub files: usize,
    /// Figures that could not be drawn (e.g. every value suppressed), with the reason.
    pub skipped: Vec<String>,
}

/// Writes, for each locality, a folder `OUT/{locality}/` with every board-pack figure as SVG and
/// PNG (2× screen size), the CSV behind each, and `report.html`. `progress(done, total)` is called
/// as figures complete. Work is shared across the machine's cores.
pub fn write_board_pack(
    sources: &Sources,
    localities: &[String],
    out: &Path,
    progress: impl Fn(usize, usize) + Sync,
) -> Result<BoardPackSummary, String> {
    let mut jobs: Vec<(PathBuf, FigureRequest)> = Vec::new();
    for id in localities {
        // A locality, or in England's atlas a district by code: what the report answers for.
        if Area::named(sources.atlas, id).is_none() {
            let known: Vec<&str> = sources.atlas.localities().iter().map(|l| l.id.as_str()).collect();
            let districts = if sources.atlas.districts().is_empty() { "" } else { " or a district's code" };
            return Err(format!("no locality {id:?}; known: {}{districts}", known.join(", ")));
        }
        let dir = out.join(id);
        std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        jobs.extend(report::board_pack(sources.atlas, id).into_iter().map(|r| (dir.clone(), r)));
    }
    let total = jobs.len() + localities.len();
    let done = AtomicUsize::new(0);
    let next = AtomicUsize::new(0);
    let summary = Mutex::new(BoardPackSummary::default());
    let failure = Mutex::new(None::<String>);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some((dir, request)) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
                    match write_figure(sources, dir, request) {
                        Ok(Some(n)) => lock(&summary).files += n,
                        Ok(None) => {}
                        Err(Skip::Undrawable(reason)) => lock(&summary).skipped.push(reason),
                        Err(Skip::Io(e)) => *lock(&failure) = Some(e),
                    }
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                }
            });
        }
    });
    if let Some(e) = lock(&failure).take() {
        return Err(e);
    }
    // One hidden-pocket search serves every report.
    let pockets = PocketSearch::run(sources.atlas, sources.disclosure, sources.weights);
    for id in localities {
        let html = report::locality_report(sources, id, &pockets).map_err(|e| e.to_string())?;
        let path = out.join(id).join("report.html");
        std::fs::write(&path, html).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        lock(&summary).files += 1;
        progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
    }
    summary.into_inner().map_err(|_| "a board-pack worker failed".to_owned())
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

enum Skip {
    Undrawable(String),
    Io(String),
}

/// Writes one figure's SVG, PNG and CSV; the number of files written.
fn write_figure(sources: &Sources, dir: &Path, request: &FigureRequest) -> Result<Option<usize>, Skip> {
    let stem = request.stem();
    let figure = figures::build(sources, request).map_err(|e| Skip::Undrawable(format!("{stem}: {e}")))?;
    let svg = charts::svg(&figure.chart).map_err(|e| Skip::Undrawable(format!("{stem}: {e}")))?;
    let png = charts::png(&svg, Size::Double).map_err(|e| Skip::Undrawable(format!("{stem}: {e}")))?;
    let write = |name: String, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| Skip::Io(format!("cannot write {}: {e}", path.display())))
    };
    write(format!("{stem}.svg"), svg.as_bytes())?;
    write(format!("{stem}.png"), &png)?;
    write(format!("{stem}.csv"), figure.table.to_csv().as_bytes())?;
    Ok(Some(3))
}
