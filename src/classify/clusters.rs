//! A cluster map of one indicator: each LSOA's published cluster class with its colour and legend
//! label.
//!
//! The clusters endpoint (and so the page's cluster mode), the clusters figure and its table all
//! take their colours and labels from here, so they agree. The four LISA classes use ColorBrewer's
//! four-class RdBu, which stays distinct under the common forms of colour blindness: strong red for
//! clusters of worse values, light red for LSOAs worse than their neighbours, light blue for LSOAs
//! better than their neighbours, strong blue for clusters of better values. Gi\* hot and cold spots
//! take the strong red and blue. LSOAs that are not significant are a pale grey, and LSOAs left out
//! (no publishable value, or no neighbour with one) the choropleth's no-data grey.

use std::collections::HashMap;

use serde::{Serialize, Serializer};

use super::choropleth::NO_DATA_COLOUR;
use crate::analysis::clusters::{Class, ClusterReport, Method};
use crate::stats::Polarity;

/// Colour of LSOAs not significant after the correction.
pub const NOT_SIGNIFICANT_COLOUR: &str = "#eeeeee";

/// What an LSOA shows on a cluster map: its published class, or that it was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MapClass {
    /// A published class.
    Published(Class),
    /// No publishable value, or no neighbour with one: no statistic.
    LeftOut,
}

impl Serialize for MapClass {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            MapClass::Published(class) => class.serialize(serializer),
            MapClass::LeftOut => serializer.serialize_str("left_out"),
        }
    }
}

impl MapClass {
    /// Its fill, `#rrggbb`.
    pub fn colour(self) -> String {
        match self {
            MapClass::Published(Class::WorseCluster) => "#ca0020".to_owned(),
            MapClass::Published(Class::WorseThanNeighbours) => "#f4a582".to_owned(),
            MapClass::Published(Class::BetterThanNeighbours) => "#92c5de".to_owned(),
            MapClass::Published(Class::BetterCluster) => "#0571b0".to_owned(),
            MapClass::Published(Class::NotSignificant) => NOT_SIGNIFICANT_COLOUR.to_owned(),
            MapClass::LeftOut => {
                let [r, g, b] = NO_DATA_COLOUR;
                format!("#{r:02x}{g:02x}{b:02x}")
            }
        }
    }

    /// A short legend label ("Cluster of worse values", "Hot spot of worse values"); "worse" and
    /// "better" only where the indicator judges a direction.
    pub fn label(self, method: Method, polarity: Polarity) -> String {
        let judged = polarity != Polarity::NoJudgement;
        let (worse, better) = if judged { ("worse", "better") } else { ("high", "low") };
        let (worse_than, better_than) = if judged { ("Worse", "Better") } else { ("Higher", "Lower") };
        match (self, method) {
            (MapClass::Published(Class::WorseCluster), Method::Lisa) => format!("Cluster of {worse} values"),
            (MapClass::Published(Class::WorseCluster), Method::Gi) => format!("Hot spot of {worse} values"),
            (MapClass::Published(Class::BetterCluster), Method::Lisa) => format!("Cluster of {better} values"),
            (MapClass::Published(Class::BetterCluster), Method::Gi) => format!("Cold spot of {better} values"),
            (MapClass::Published(Class::WorseThanNeighbours), _) => format!("{worse_than} than its neighbours"),
            (MapClass::Published(Class::BetterThanNeighbours), _) => format!("{better_than} than its neighbours"),
            (MapClass::Published(Class::NotSignificant), _) => "Not significant".to_owned(),
            (MapClass::LeftOut, _) => "Left out: no value".to_owned(),
        }
    }

    /// What the class means, in a sentence.
    pub fn description(self, method: Method, polarity: Polarity) -> String {
        let judged = polarity != Polarity::NoJudgement;
        let (worse, better) = if judged { ("worse", "better") } else { ("higher", "lower") };
        match (self, method) {
            (MapClass::Published(Class::WorseCluster), Method::Lisa) => format!(
                "High-high: a {worse} value among {worse} neighbours, part of a neighbourhood that is {worse} as a whole."
            ),
            (MapClass::Published(Class::WorseCluster), Method::Gi) => {
                format!("Hot spot: the LSOA and its neighbours together are {worse} than the district as a whole.")
            }
            (MapClass::Published(Class::BetterCluster), Method::Lisa) => {
                format!("Low-low: a {better} value among {better} neighbours.")
            }
            (MapClass::Published(Class::BetterCluster), Method::Gi) => {
                format!("Cold spot: the LSOA and its neighbours together are {better} than the district as a whole.")
            }
            (MapClass::Published(Class::WorseThanNeighbours), _) => format!(
                "High-low: {worse} than the LSOAs around it, a hidden pocket that area averages hide (a spatial outlier)."
            ),
            (MapClass::Published(Class::BetterThanNeighbours), _) => {
                format!("Low-high: {better} than the LSOAs around it (a spatial outlier).")
            }
            (MapClass::Published(Class::NotSignificant), _) => {
                "Not significant after the correction for testing every LSOA.".to_owned()
            }
            (MapClass::LeftOut, _) => {
                "No publishable value (suppressed or not published), or no neighbour with one: not tested.".to_owned()
            }
        }
    }
}

/// One legend entry of a cluster map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterLegendEntry {
    /// The class (`worse_cluster`, ..., `not_significant`, or `left_out`).
    pub class: MapClass,
    /// Short label.
    pub label: String,
    /// What it means.
    pub description: String,
    /// Fill colour, `#rrggbb`.
    pub colour: String,
    /// LSOAs in the class.
    pub count: usize,
}

/// A cluster report with the map's colours and legend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterMap {
    /// The statistics, classes and choices.
    #[serde(flatten)]
    pub report: ClusterReport,
    /// Every class the method can publish, then the left-out LSOAs, with colour and count.
    pub map_legend: Vec<ClusterLegendEntry>,
    /// What the legend must say beside the colours: "high" means worse, and how significance was judged.
    pub map_note: String,
}

impl ClusterMap {
    /// Colours and labels the report's classes.
    pub fn new(report: ClusterReport) -> ClusterMap {
        let method = report.parameters.method;
        let polarity = report.polarity;
        let mut counts: HashMap<MapClass, usize> = HashMap::new();
        for l in &report.lsoas {
            *counts.entry(MapClass::Published(l.local.class)).or_default() += 1;
        }
        let left_out = report.missing.len() + report.islands.len();
        let classes = method.classes().iter().map(|&c| MapClass::Published(c)).chain([MapClass::LeftOut]);
        let map_legend = classes
            .map(|class| ClusterLegendEntry {
                class,
                label: class.label(method, polarity),
                description: class.description(method, polarity),
                colour: class.colour(),
                count: if class == MapClass::LeftOut { left_out } else { counts.get(&class).copied().unwrap_or(0) },
            })
            .collect();
        let direction = if polarity == Polarity::NoJudgement {
            "This indicator judges no direction, so \"high\" means higher."
        } else {
            "\"High\" means worse, whichever way the indicator runs."
        };
        let map_note = format!("{} {direction}", report.note);
        ClusterMap { report, map_legend, map_note }
    }

    /// What the LSOA with this code shows.
    pub fn class_of(&self, code: &str) -> MapClass {
        self.report
            .lsoas
            .iter()
            .find(|l| l.code == code)
            .map_or(MapClass::LeftOut, |l| MapClass::Published(l.local.class))
    }

    /// The legend entry of a class.
    pub fn entry(&self, class: MapClass) -> Option<&ClusterLegendEntry> {
        self.map_legend.iter().find(|e| e.class == class)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_serialise_as_the_report_names_them_and_left_out_as_its_own() {
        let names: Vec<String> = [MapClass::Published(Class::WorseThanNeighbours), MapClass::LeftOut]
            .iter()
            .map(|c| serde_json::to_string(c).unwrap())
            .collect();
        assert_eq!(names, ["\"worse_than_neighbours\"", "\"left_out\""]);
    }

    #[test]
    fn every_class_has_its_own_colour() {
        let mut colours: Vec<String> = Method::Lisa
            .classes()
            .iter()
            .map(|&c| MapClass::Published(c).colour())
            .chain([MapClass::LeftOut.colour()])
            .collect();
        assert_eq!(colours[0], "#ca0020");
        assert_eq!(colours[5], "#bdbdbd");
        colours.sort();
        colours.dedup();
        assert_eq!(colours.len(), 6);
    }

    #[test]
    fn labels_speak_of_worse_only_for_a_judged_indicator_and_of_hot_spots_for_gi() {
        let pocket = MapClass::Published(Class::WorseThanNeighbours);
        assert_eq!(pocket.label(Method::Lisa, Polarity::LowIsGood), "Worse than its neighbours");
        assert_eq!(pocket.label(Method::Lisa, Polarity::NoJudgement), "Higher than its neighbours");
        assert!(pocket.description(Method::Lisa, Polarity::HighIsGood).contains("hidden pocket"));
        let hot = MapClass::Published(Class::WorseCluster);
        assert_eq!(hot.label(Method::Gi, Polarity::LowIsGood), "Hot spot of worse values");
        assert_eq!(hot.label(Method::Lisa, Polarity::NoJudgement), "Cluster of high values");
    }
}
