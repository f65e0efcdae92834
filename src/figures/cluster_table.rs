//! The table behind a cluster map: one row per LSOA, with the global figure and choices as notes.

use super::table::{Cell, Table};
use crate::atlas::{Atlas, Locality};
use crate::classify::clusters::{ClusterMap, MapClass};

/// The CSV table of a cluster map: every LSOA of the atlas in code order, those left out too, each
/// with its class, colour and the outlined localities it belongs to.
pub fn cluster_table(map: &ClusterMap, atlas: &Atlas, localities: &[&Locality]) -> Table {
    let report = &map.report;
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
        map.map_note.clone(),
        format!("Left out, no neighbour with a value: {}", list(&report.islands)),
        format!("Left out, no publishable value: {}", list(&report.missing)),
    ];
    let columns = [
        "lsoa21_code",
        "lsoa_name",
        "value",
        "statistic",
        "quadrant",
        "p",
        "significant",
        "class",
        "colour",
        "locality",
    ];
    let mut table = Table::new(&columns, notes);
    for lsoa in atlas.lsoas() {
        let locality: Vec<&str> = localities
            .iter()
            .filter(|l| l.members.iter().any(|m| m.lsoa21_code == lsoa.code))
            .map(|l| l.name.as_str())
            .collect();
        let locality = Cell::Text(locality.join("; "));
        let Some(l) = report.lsoas.iter().find(|l| l.code == lsoa.code) else {
            let why = if report.islands.contains(&lsoa.code) {
                "left out: no neighbour with a value"
            } else {
                "left out: no publishable value"
            };
            let empty = || Cell::Empty;
            table.push(vec![
                lsoa.code.as_str().into(),
                lsoa.name.as_str().into(),
                empty(),
                empty(),
                empty(),
                empty(),
                empty(),
                why.into(),
                MapClass::LeftOut.colour().into(),
                locality,
            ]);
            continue;
        };
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
            MapClass::Published(l.local.class).colour().into(),
            locality,
        ]);
    }
    table
}

fn list(codes: &[String]) -> String {
    if codes.is_empty() { "none".to_owned() } else { codes.join(" ") }
}
