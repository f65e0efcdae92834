//! Ranked bar chart: one indicator across LSOAs, one horizontal bar per area, with 95% intervals, a benchmark
//! line and significance shown by colour and marker shape.

use super::canvas::{Align, Canvas, TextStyleSpec};
use super::error::ChartError;
use super::figure::{self, Caption, Frame, Rect};
use super::legend::{self, Item, Key};
use super::marker;
use super::palette::{BENCHMARK, INK, MUTED, PAPER};
use super::scale::{self, Linear, Ticks, finite};
use super::{Significance, axis, font, format, whisker};

/// One area's bar.
#[derive(Debug, Clone, PartialEq)]
pub struct RankedRow {
    /// Area label, e.g. "E01009567 Coventry 007A".
    pub label: String,
    /// The value; `None` (or a non-finite number) when suppressed or missing, and `note` is shown instead.
    pub value: Option<f64>,
    /// The 95% interval as (lower, upper), if one was computed.
    pub interval: Option<(f64, f64)>,
    /// Comparison with the benchmark.
    pub significance: Significance,
    /// Shown instead of a bar when there is no value, e.g. "Suppressed (fewer than 10 events)".
    pub note: String,
}

/// A ranked bar chart. Rows are drawn top to bottom in the order given: sort them first (worst first is the
/// atlas convention). Up to 40 rows get a label each; more rows are drawn as thin unlabelled bars, and the
/// chart says so.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    /// Title, subtitle, axis titles and footer.
    pub caption: Caption,
    /// The bars, in drawing order.
    pub rows: Vec<RankedRow>,
    /// Benchmark label and value drawn as a dashed line across the bars, e.g. ("Coventry 29.4%", 29.4).
    pub benchmark: Option<(String, f64)>,
    /// Suffix for value labels, e.g. "%"; empty for none.
    pub unit: String,
}

/// Logical width of the chart.
pub(crate) const WIDTH: f64 = 960.0;
/// Most rows that still get one label each.
pub(crate) const MAX_LABELLED: usize = 40;
const PITCH: f64 = 20.0;
const COMPACT_PITCH: f64 = 4.0;
const LABEL_SIZE: f64 = 12.0;
const MARKER_COLUMN: f64 = 22.0;
const BENCHMARK_BAND: f64 = 22.0;
const NOTE_SIZE: f64 = 11.0;
const NOTE_LINE: f64 = 15.0;

/// Where everything goes; the drawing and the tests share it.
pub(crate) struct Layout {
    pub frame: Frame,
    pub height: f64,
    pub legend: Vec<Item>,
    pub legend_area: Rect,
    pub plot: Rect,
    pub scale: Linear,
    pub ticks: Ticks,
    pub pitch: f64,
    pub compact: bool,
    pub label_width: f64,
}

/// Lays the chart out, or says why it cannot be drawn.
pub(crate) fn layout(chart: &Ranked) -> Result<Layout, ChartError> {
    if chart.rows.is_empty() {
        return Err(ChartError::NoRows { chart: "ranked" });
    }
    let compact = chart.rows.len() > MAX_LABELLED;
    let pitch = if compact { COMPACT_PITCH } else { PITCH };
    let benchmark = chart.benchmark.as_ref().filter(|(_, value)| value.is_finite());
    let mut low = 0.0f64;
    let mut high = 0.0f64;
    for row in &chart.rows {
        let Some(value) = finite(row.value) else { continue };
        // Compact charts draw no whiskers, so their ends must not stretch the axis.
        let interval = whisker::ordered(row.interval).filter(|_| !compact);
        let (a, b) = interval.unwrap_or((value, value));
        low = low.min(value).min(a);
        high = high.max(value).max(b);
    }
    if let Some((_, value)) = benchmark {
        low = low.min(*value);
        high = high.max(*value);
    }
    let ticks = scale::ticks(low, high, 6);
    let decimals = format::decimals_for_range(ticks.low, ticks.high);

    let frame = Frame::new(&chart.caption, WIDTH);
    let mut legend = legend::significance_items(chart.rows.iter().map(|row| row.significance));
    if let Some((label, _)) = benchmark {
        legend.push(Item { key: Key::Dashed(BENCHMARK), label: label.clone() });
    }
    if !compact {
        legend.push(Item { key: Key::Line(super::palette::WHISKER, 1), label: "95% confidence interval".to_owned() });
    }
    let probe = Frame::new(&chart.caption, WIDTH).body(f64::MAX);
    let legend_height = legend::height(&legend, probe.width());
    let note_band = if compact { note_lines(chart, probe.width()) as f64 * NOTE_LINE + 4.0 } else { 0.0 };
    let rows_height = chart.rows.len() as f64 * pitch;
    let body_height = legend_height + BENCHMARK_BAND + rows_height + axis::X_AXIS_HEIGHT + note_band;
    let height = frame.height_for(body_height);
    let body = frame.body(height);

    let label_style = TextStyleSpec::new(LABEL_SIZE);
    let label_width = if compact {
        axis::TITLE_SIZE + 8.0
    } else {
        let widest = chart.rows.iter().map(|row| label_style.width(&row.label)).fold(0.0, f64::max);
        widest.min(body.width() * 0.36)
    };
    let value_width = if compact {
        8.0
    } else {
        let widest = chart.rows.iter().filter_map(|row| finite(row.value));
        widest.map(|v| label_style.width(&format::with_unit(v, decimals, &chart.unit))).fold(0.0, f64::max) + 10.0
    };
    let marker_column = if compact { 3.0 * 12.0 } else { MARKER_COLUMN };
    let top = body.top + legend_height + BENCHMARK_BAND;
    let plot = Rect {
        left: body.left + label_width + marker_column + 8.0,
        top,
        right: body.right - value_width,
        bottom: top + rows_height,
    };
    let scale = Linear { low: ticks.low, high: ticks.high, start: plot.left, end: plot.right };
    let legend_area = Rect { left: body.left, top: body.top, right: body.right, bottom: body.top + legend_height };
    Ok(Layout { frame, height, legend, legend_area, plot, scale, ticks, pitch, compact, label_width })
}

/// Draws the chart as an accessible SVG document.
pub(crate) fn svg(chart: &Ranked) -> Result<String, ChartError> {
    let layout = layout(chart)?;
    figure::document(&chart.caption, &layout.frame, layout.height, |canvas, body| draw(canvas, chart, &layout, body))
}

fn draw(canvas: &Canvas, chart: &Ranked, layout: &Layout, body: Rect) -> Result<(), ChartError> {
    let Layout { plot, scale, ticks, pitch, compact, .. } = layout;
    legend::draw(canvas, &layout.legend, layout.legend_area)?;
    axis::x_axis(canvas, *plot, scale, ticks, &chart.caption.x_label)?;
    let decimals = format::decimals_for_range(ticks.low, ticks.high);
    let label_style = TextStyleSpec::new(LABEL_SIZE);
    let zero = scale.map_clamped(0.0);
    let bar_height = if *compact { pitch - 1.0 } else { pitch * 0.6 };
    if *compact {
        draw_compact_key(canvas, chart, layout)?;
    } else {
        // The row labels are the vertical axis, so its title heads their column.
        let style = TextStyleSpec::new(LABEL_SIZE).bold().align(Align::End);
        let title = font::fit(&chart.caption.y_label, LABEL_SIZE, style.weight, layout.label_width);
        canvas.text(&title, (body.left + layout.label_width, plot.top - BENCHMARK_BAND / 2.0 - 2.0), style)?;
    }
    let mut value_labels = Vec::new();
    for (i, row) in chart.rows.iter().enumerate() {
        let y = plot.top + (i as f64 + 0.5) * pitch;
        if !compact {
            let label = font::fit(&row.label, LABEL_SIZE, label_style.weight, layout.label_width);
            canvas.text(&label, (body.left + layout.label_width, y), label_style.align(Align::End))?;
        }
        let Some(value) = finite(row.value) else {
            if !compact {
                let note = if row.note.is_empty() { "No value" } else { row.note.as_str() };
                canvas.text(note, (zero + 4.0, y), TextStyleSpec::new(11.0).colour(MUTED))?;
            }
            continue;
        };
        if *compact {
            draw_compact_cue(canvas, layout, row.significance, y)?;
        } else {
            let centre = (plot.left - MARKER_COLUMN / 2.0 - 2.0, y);
            marker::draw(canvas, row.significance.shape(), centre, 4.5, row.significance.colour())?;
        }
        let end = scale.map(value);
        canvas.rect(
            (zero.min(end), y - bar_height / 2.0),
            (zero.max(end), y + bar_height / 2.0),
            row.significance.colour(),
        )?;
        let mut label_x = end.max(zero);
        // Two hundred overlapping whiskers hide the bars, so compact charts leave them out and say so.
        if let Some((low, high)) = whisker::ordered(row.interval).filter(|_| !compact) {
            whisker::horizontal(canvas, scale.map(low), scale.map(high), y, bar_height)?;
            label_x = label_x.max(scale.map(high));
        }
        if !compact {
            value_labels.push((format::with_unit(value, decimals, &chart.unit), label_x + 5.0, y));
        }
    }
    if let Some((label, value)) = chart.benchmark.as_ref().filter(|(_, v)| v.is_finite()) {
        let x = scale.map(*value);
        canvas.dashed((x, plot.top - 4.0), (x, plot.bottom), BENCHMARK, 2, 5.0)?;
        let style = TextStyleSpec::new(11.0).colour(INK);
        let half = style.width(label) / 2.0;
        let centre = x.clamp(plot.left + half, body.right - half);
        canvas.text(label, (centre, plot.top - BENCHMARK_BAND / 2.0 - 2.0), style.align(Align::Middle))?;
    }
    // Value labels go on last, on a paper backing, so the benchmark line never runs through their digits.
    let value_style = TextStyleSpec::new(11.0).colour(INK);
    for (text, x, y) in value_labels {
        canvas.rect((x - 2.0, y - 7.0), (x + value_style.width(&text) + 2.0, y + 7.0), PAPER)?;
        canvas.text(&text, (x, y), value_style)?;
    }
    if *compact {
        draw_compact_note(canvas, chart, layout)?;
    }
    Ok(())
}

/// In compact mode each significance category has its own narrow column, so the category is read from a
/// tick's position as well as the bar colour.
const COMPACT_CUES: [Significance; 3] = [Significance::Better, Significance::Similar, Significance::Worse];

fn compact_column(layout: &Layout, significance: Significance) -> Option<f64> {
    let index = COMPACT_CUES.iter().position(|category| *category == significance)?;
    Some(layout.plot.left - 8.0 - 3.0 * 12.0 + 6.0 + index as f64 * 12.0)
}

fn caption_or<'a>(text: &'a str, fallback: &'a str) -> &'a str {
    if text.trim().is_empty() { fallback } else { text }
}

fn draw_compact_key(canvas: &Canvas, chart: &Ranked, layout: &Layout) -> Result<(), ChartError> {
    for category in COMPACT_CUES {
        if let Some(x) = compact_column(layout, category) {
            marker::draw(canvas, category.shape(), (x, layout.plot.top - 8.0), 4.0, category.colour())?;
        }
    }
    let style = TextStyleSpec::new(axis::TITLE_SIZE).align(Align::Middle).vertical();
    let x = layout.plot.left - 8.0 - 3.0 * 12.0 - layout.label_width / 2.0;
    let title = format!("{}, ranked", caption_or(&chart.caption.y_label, "Areas"));
    canvas.text(&title, (x, (layout.plot.top + layout.plot.bottom) / 2.0), style)
}

fn draw_compact_cue(canvas: &Canvas, layout: &Layout, significance: Significance, y: f64) -> Result<(), ChartError> {
    match compact_column(layout, significance) {
        Some(x) => canvas.rect((x - 3.0, y - 1.5), (x + 3.0, y + 1.5), INK),
        None => Ok(()),
    }
}

fn draw_compact_note(canvas: &Canvas, chart: &Ranked, layout: &Layout) -> Result<(), ChartError> {
    let missing = chart.rows.iter().filter(|row| finite(row.value).is_none()).count();
    let mut note = format!(
        "{} areas ranked. At this size area labels and confidence intervals are left out (see the data table); \
         the tick columns under ▲ ● ▼ repeat each bar's significance.",
        chart.rows.len()
    );
    if missing > 0 {
        note.push_str(&format!(" {missing} without a published value are not drawn."));
    }
    let style = TextStyleSpec::new(NOTE_SIZE).colour(MUTED);
    let mut y = layout.plot.bottom + axis::X_AXIS_HEIGHT + NOTE_LINE / 2.0;
    for line in font::wrap(&note, NOTE_SIZE, style.weight, layout.legend_area.width()) {
        canvas.text(&line, (layout.legend_area.left, y), style)?;
        y += NOTE_LINE;
    }
    Ok(())
}

/// Lines the compact note needs.
fn note_lines(chart: &Ranked, width: f64) -> usize {
    // The longest form of the note, so the layout never runs short of room for it.
    let note = format!(
        "{} areas ranked. At this size area labels and confidence intervals are left out (see the data table); \
         the tick columns under ▲ ● ▼ repeat each bar's significance. {} without a published value are not drawn.",
        chart.rows.len(),
        chart.rows.len()
    );
    font::wrap(&note, NOTE_SIZE, font::Weight::Regular, width).len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::palette;
    use crate::charts::testkit::{self, assert_frame, has_text, points, with_attr};

    fn row(label: &str, value: Option<f64>, significance: Significance) -> RankedRow {
        RankedRow {
            label: label.to_owned(),
            value,
            interval: value.map(|v| (v - 2.5, v + 3.0)),
            significance,
            note: "Suppressed".to_owned(),
        }
    }

    fn chart(rows: Vec<RankedRow>) -> Ranked {
        Ranked {
            caption: testkit::caption(),
            rows,
            benchmark: Some(("Coventry 20.0%".to_owned(), 20.0)),
            unit: "%".into(),
        }
    }

    fn bars(doc: &roxmltree::Document) -> usize {
        Significance::ALL.iter().map(|s| with_attr(doc, "rect", "fill", &palette::hex(s.colour())).len()).sum()
    }

    #[test]
    fn one_bar_per_row_with_a_value_and_a_note_for_the_suppressed() {
        let ranked = chart(vec![
            row("Coventry 001A", Some(31.2), Significance::Worse),
            row("Coventry 002B", Some(22.0), Significance::Similar),
            row("Coventry 003C", None, Significance::NotCompared),
            row("Coventry 004D", Some(9.5), Significance::Better),
        ]);
        let svg = svg(&ranked).expect("chart draws");
        let doc = testkit::parse(&svg);
        assert_frame(&doc);
        assert_eq!(bars(&doc), 3);
        assert!(has_text(&doc, "Coventry 003C"));
        assert!(has_text(&doc, "Suppressed"));
        assert!(has_text(&doc, "31.2%"));
        assert!(has_text(&doc, "X label (%)"));
        assert!(has_text(&doc, "Y label (%)"));
        assert!(has_text(&doc, "Coventry 20.0%"));
    }

    #[test]
    fn whisker_ends_sit_where_the_axis_maps_them() {
        let ranked = chart(vec![row("Coventry 001A", Some(31.2), Significance::Worse)]);
        let layout = layout(&ranked).expect("lays out");
        let svg = svg(&ranked).expect("chart draws");
        let doc = testkit::parse(&svg);
        let whiskers = with_attr(&doc, "polyline", "stroke", &palette::hex(palette::WHISKER));
        let row_y = layout.plot.top + layout.pitch / 2.0;
        let in_row =
            |p: &Vec<(f64, f64)>| p.len() == 2 && p[0].1 == p[1].1 && p[0].0 != p[1].0 && (p[0].1 - row_y).abs() <= 1.0;
        let horizontal = whiskers.iter().map(points).find(in_row);
        let line = horizontal.expect("a horizontal whisker");
        assert!((line[1].0 - layout.scale.map(34.2)).abs() <= 1.0);
        assert!((line[0].0 - layout.scale.map(28.7)).abs() <= 1.0);
    }

    #[test]
    fn the_whole_city_drops_row_labels_and_says_so() {
        let rows: Vec<_> = (0..203)
            .map(|i| row(&format!("Coventry {i:03}A"), Some(f64::from(i) / 4.0), Significance::Similar))
            .collect();
        let svg = svg(&chart(rows)).expect("chart draws");
        let doc = testkit::parse(&svg);
        assert_eq!(bars(&doc), 203);
        assert!(!has_text(&doc, "Coventry 100A"));
        assert!(testkit::texts(&doc).iter().any(|t| t.starts_with("203 areas ranked")));
    }

    #[test]
    fn odd_input_does_not_panic() {
        assert!(matches!(svg(&chart(vec![])), Err(ChartError::NoRows { .. })));
        let odd = chart(vec![
            row("NaN", Some(f64::NAN), Significance::Similar),
            row("Negative", Some(-4.0), Significance::Better),
            RankedRow { interval: Some((f64::INFINITY, 2.0)), ..row("Bad interval", Some(1.0), Significance::Worse) },
        ]);
        assert!(svg(&odd).is_ok());
        let all_missing = chart(vec![row("A", None, Significance::NotCompared), row("B", None, Significance::Similar)]);
        assert!(svg(&all_missing).is_ok());
        let single = chart(vec![RankedRow { interval: None, ..row("Only", Some(5.0), Significance::Similar) }]);
        assert!(svg(&Ranked { benchmark: None, ..single }).is_ok());
    }
}
