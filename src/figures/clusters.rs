//! The "clusters and hidden pockets" figure: every Coventry LSOA coloured by its cluster class for
//! one indicator (local Moran's I, or Gi\* hot and cold spots), with a locality's outline on top, so
//! a board sees which of its LSOAs sit in a cluster of worse values and which are worse than the
//! LSOAs around them.

use std::collections::HashMap;

use geo::Simplify;

use super::map::{extent, outlines, simplify_tolerance};
use super::{Drawn, Figure, FigureError, Sources, caption, cluster_table};
use crate::analysis::clusters::{Class, ClusterError, ClusterParameters, Method, indicator_clusters};
use crate::analysis::words;
use crate::atlas::ATTRIBUTION;
use crate::atlas::Indicator;
use crate::charts::{Chart, LegendClass, MapArea, MapFigure, MapLegend};
use crate::classify::clusters::{ClusterMap, MapClass};

/// Reads the cluster choices of a figure request (`method`, `weights`, `permutations`, `seed`,
/// `correction`, `alpha`), as the clusters endpoint does.
pub fn parameters(p: &HashMap<String, String>) -> Result<ClusterParameters, FigureError> {
    ClusterParameters::from_query(p).map_err(|e| FigureError::BadParameter { parameter: e.parameter, detail: e.detail })
}

/// Builds the figure over the city, outlining `locality` (a locality id) or, without one, every
/// locality.
pub fn build(
    sources: &Sources,
    indicator: &Indicator,
    locality: Option<&str>,
    parameters: ClusterParameters,
) -> Result<Figure, FigureError> {
    let atlas = sources.atlas;
    let localities: Vec<_> = match locality {
        Some(id) => {
            super::locality_area(sources, id)?;
            atlas.locality(id).into_iter().collect()
        }
        None => atlas.localities().iter().filter(|l| !l.is_context()).collect(),
    };
    let report =
        indicator_clusters(atlas, indicator, sources.disclosure, sources.weights, parameters).map_err(|e| match e {
            ClusterError::Parameter(detail) => FigureError::BadParameter { parameter: "query", detail },
            other => FigureError::NothingToDraw(format!("{} has no cluster map: {other}", indicator.name)),
        })?;
    let map = ClusterMap::new(report);
    let table = cluster_table(&map, atlas, &localities);

    let (low, high) = extent(atlas.lsoas().iter().map(|l| &l.geometry));
    let tolerance = simplify_tolerance(low, high);
    let areas = atlas
        .lsoas()
        .iter()
        .map(|l| MapArea {
            code: l.code.clone(),
            geometry: l.geometry.simplify(tolerance),
            fill: Some(map.class_of(&l.code).colour()),
        })
        .collect();
    let method = match parameters.method {
        Method::Lisa => "local Moran's I",
        Method::Gi => "Getis-Ord Gi*",
    };
    let legend = MapLegend {
        title: format!("{} · {method} class (LSOAs)", indicator.name),
        classes: map
            .map_legend
            .iter()
            .map(|e| LegendClass { colour: e.colour.clone(), label: e.label.clone(), count: e.count })
            .collect(),
        no_data: None,
    };

    let place = match locality.and_then(|id| atlas.locality(id)) {
        Some(l) => format!("around {}", l.name),
        None => format!("in {}", atlas.place().name),
    };
    let members: Vec<&str> = localities.iter().flat_map(|l| l.members.iter().map(|m| m.lsoa21_code.as_str())).collect();
    let in_outline = |class: Class| {
        map.report.lsoas.iter().filter(|l| l.local.class == class && members.contains(&l.code.as_str())).count()
    };
    let count = |class: Class| map.entry(MapClass::Published(class)).map_or(0, |e| e.count);
    let outlined = localities.iter().map(|l| l.name.as_str()).collect::<Vec<_>>().join(", ");
    let pockets = match parameters.method {
        Method::Lisa => format!(
            ", and {} worse than its neighbours (hidden pockets), {} of them",
            count(Class::WorseThanNeighbours),
            in_outline(Class::WorseThanNeighbours)
        ),
        Method::Gi => String::new(),
    };
    let alt = format!(
        "Map of {}'s {} LSOAs coloured by {method} cluster class for {}, with the outline of {outlined}. {} in clusters of worse values, {} of them inside the outline{pockets}. {}",
        atlas.place().name,
        atlas.lsoas().len(),
        indicator.name,
        words::count_of(count(Class::WorseCluster), ("LSOA", "LSOAs"), ("is", "are")),
        in_outline(Class::WorseCluster),
        map.report.global.words,
    );
    let caption = caption(
        sources,
        &Drawn { indicators: vec![indicator], residents: false },
        format!("Clusters and hidden pockets: {} {place}", indicator.name),
        format!("{}, {} · {}", indicator.unit, indicator.period, parameters.words()),
        "",
        "",
        alt,
    );
    let chart = Chart::Map(MapFigure {
        caption,
        areas,
        outlines: outlines(&localities),
        legend,
        points: None,
        attribution: ATTRIBUTION.to_owned(),
    });
    Ok(Figure { chart, table })
}
