//! The table behind a cluster map: one row per LSOA, with the global figure and choices as notes.

use super::table::{Cell, Table};
use crate::analysis::clusters::ClusterReport;

/// The CSV table of a cluster report.
pub fn cluster_table(report: &ClusterReport) -> Table {
    let g = &report.global;
    let p = &report.parameters;
    let notes = vec![
        format!("Clusters and spatial outliers: {} ({})", report.name, report.indicator),
        format!(
            "Global Moran's I = {} (E[I] = {}, z = {}, permutation p = {}). {}",
            g.i, g.expected, g.z, g.p_permutation, g.words
        ),
        format!(
            "method={:?} weights={:?} permutations={} seed={} correction={:?} alpha={}",
            p.method, p.weights, p.permutations, p.seed, p.correction, p.alpha
        ),
        report.note.clone(),
        format!("Left out, no neighbour with a value: {}", list(&report.islands)),
        format!("Left out, no publishable value: {}", list(&report.missing)),
    ];
    let columns = ["lsoa21_code", "lsoa_name", "value", "statistic", "quadrant", "p", "significant", "class"];
    let mut table = Table::new(&columns, notes);
    for l in &report.lsoas {
        let quadrant = l.local.quadrant.map_or(Cell::Empty, |q| Cell::Text(format!("{q:?}")));
        table.push(vec![
            l.code.as_str().into(),
            l.name.as_str().into(),
            l.local.value.into(),
            l.local.statistic.into(),
            quadrant,
            l.local.p.into(),
            if l.local.significant { "yes" } else { "no" }.into(),
            l.class_words.into(),
        ]);
    }
    table
}

fn list(codes: &[String]) -> String {
    if codes.is_empty() { "none".to_owned() } else { codes.join(" ") }
}
