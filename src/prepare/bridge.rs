//! The LSOA 2011 → 2021 bridge: carries IoD2019 figures, published on LSOA 2011, to LSOA 2021.
//!
//! One rule serves every ONS change code. Each link of the lookup carries a share of its 2011
//! parent: 1 when the parent has one child (unchanged `U`, merged `M`), otherwise the child's
//! Census 2021 usual residents as a share of those of all the parent's children (split `S`, and an
//! irregular `X` parent that also splits). Counts are the parents' counts times their shares,
//! summed. Rates, scores and ranks are means of the parents' values weighted by the parents' IoD2019
//! File 6 mid-2015 populations, each times its share; a child with one parent (`U`, `S`) therefore
//! inherits its parent's value exactly. A 2021 area with a parent that has no figure has none.

use crate::atlas::Observation;

/// One link of the ONS lookup, by position in the 2011 and 2021 code lists.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    /// Position of the LSOA 2011.
    pub lsoa11: usize,
    /// Position of the LSOA 2021.
    pub lsoa21: usize,
    /// Share of the 2011 area's counts that the 2021 area receives.
    pub share: f64,
}

/// The ONS change codes of the LSOA 2011 → 2021 lookup.
pub const CHANGE_CODES: [&str; 4] = ["U", "S", "M", "X"];

/// The links of the lookup with their shares, and the weights of the 2011 areas.
#[derive(Debug, Clone)]
pub struct Bridge {
    /// Links sorted by LSOA 2021, then LSOA 2011.
    links: Vec<Link>,
    /// IoD2019 File 6 mid-2015 population of each LSOA 2011 (the weight of means over merged parents).
    weights: Vec<f64>,
    /// Number of LSOA 2021 areas.
    lsoa21_count: usize,
}

/// Why the bridge cannot be built, by position in the 2011 and 2021 code lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BridgeError {
    /// A link names an area beyond the lists of residents or weights.
    OutOfRange {
        /// Position of the LSOA 2011.
        lsoa11: usize,
        /// Position of the LSOA 2021.
        lsoa21: usize,
    },
    /// A split LSOA 2011 whose children have no Census 2021 residents to share its counts by.
    NoResidents {
        /// Position of the LSOA 2011.
        lsoa11: usize,
    },
}

impl Bridge {
    /// Builds the bridge from lookup pairs (LSOA 2011, LSOA 2021 positions), the Census 2021 usual
    /// residents of each LSOA 2021 and the File 6 population of each LSOA 2011.
    pub fn new(pairs: &[(usize, usize)], residents: &[f64], weights: Vec<f64>) -> Result<Bridge, BridgeError> {
        let mut children = vec![(0usize, 0.0f64); weights.len()];
        for &(lsoa11, lsoa21) in pairs {
            match (children.get_mut(lsoa11), residents.get(lsoa21)) {
                (Some(entry), Some(people)) => *entry = (entry.0 + 1, entry.1 + people),
                _ => return Err(BridgeError::OutOfRange { lsoa11, lsoa21 }),
            }
        }
        let mut links = Vec::with_capacity(pairs.len());
        for &(lsoa11, lsoa21) in pairs {
            let (count, total) = children[lsoa11];
            let share = match count {
                1 => 1.0,
                _ if total > 0.0 => residents[lsoa21] / total,
                _ => return Err(BridgeError::NoResidents { lsoa11 }),
            };
            links.push(Link { lsoa11, lsoa21, share });
        }
        links.sort_by_key(|l| (l.lsoa21, l.lsoa11));
        Ok(Bridge { links, weights, lsoa21_count: residents.len() })
    }

    /// Carries LSOA 2011 figures (by LSOA 2011 position) to every LSOA 2021 (by position).
    pub fn carry(&self, lsoa11: &[Option<Observation>]) -> Vec<Option<Observation>> {
        let mut carried = vec![None; self.lsoa21_count];
        for parents in self.links.chunk_by(|a, b| a.lsoa21 == b.lsoa21) {
            carried[parents[0].lsoa21] = self.carry_one(parents, lsoa11);
        }
        carried
    }

    fn carry_one(&self, parents: &[Link], lsoa11: &[Option<Observation>]) -> Option<Observation> {
        let figures: Vec<(Link, Observation)> =
            parents.iter().map(|l| Some((*l, lsoa11.get(l.lsoa11).copied().flatten()?))).collect::<Option<_>>()?;
        let count = |field: fn(&Observation) -> Option<f64>| -> Option<f64> {
            let shared: Option<Vec<f64>> = figures.iter().map(|(l, o)| Some(field(o)? * l.share)).collect();
            shared.map(|parts| tidy(parts.iter().sum()))
        };
        let value = match figures.as_slice() {
            [(_, only)] => only.value,
            _ => self.weighted_mean(&figures),
        };
        Some(Observation { numerator: count(|o| o.numerator), denominator: count(|o| o.denominator), value })
    }

    /// The parents' values weighted by their File 6 populations times their shares.
    fn weighted_mean(&self, figures: &[(Link, Observation)]) -> Option<f64> {
        let (mut sum, mut weight) = (0.0, 0.0);
        for (link, o) in figures {
            let w = self.weights[link.lsoa11] * link.share;
            sum += o.value? * w;
            weight += w;
        }
        (weight > 0.0).then(|| tidy(sum / weight))
    }
}

/// Rounds carried numbers so files stay readable; 9 decimals is far below any published precision.
pub fn tidy(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(numerator: f64, denominator: f64, value: f64) -> Option<Observation> {
        Some(Observation { numerator: Some(numerator), denominator: Some(denominator), value: Some(value) })
    }

    #[test]
    fn a_split_area_shares_its_counts_by_residents_and_passes_on_its_value() {
        // LSOA 2011 #0 unchanged as 2021 #0; #1 split into 2021 #1 (300 residents) and #2 (100).
        let bridge = Bridge::new(&[(0, 0), (1, 1), (1, 2)], &[10.0, 300.0, 100.0], vec![10.0, 400.0]).unwrap();
        let carried = bridge.carry(&[figures(1.0, 10.0, 10.0), figures(40.0, 400.0, 10.0)]);
        assert_eq!(carried[1], figures(30.0, 300.0, 10.0));
        assert_eq!(carried[2], figures(10.0, 100.0, 10.0));
    }

    #[test]
    fn a_merged_area_sums_counts_and_weights_values_by_the_parents_2015_population() {
        // LSOA 2011 #0 (File 6: 1,000 people, value 20) and #1 (3,000 people, value 40) merge into 2021 #0.
        let bridge = Bridge::new(&[(0, 0), (1, 0)], &[3900.0], vec![1000.0, 3000.0]).unwrap();
        let carried = bridge.carry(&[figures(200.0, 1000.0, 20.0), figures(1200.0, 3000.0, 40.0)]);
        assert_eq!(carried, vec![figures(1400.0, 4000.0, 35.0)]);
    }

    #[test]
    fn an_irregular_change_shares_a_splitting_parent_and_weights_by_the_part_it_gives() {
        // 2011 #0 (File 6 1,000, value 10) splits into 2021 #0 (600 residents) and #1 (400);
        // 2011 #1 (File 6 2,000, value 40) joins 2021 #1 whole.
        let bridge = Bridge::new(&[(0, 0), (0, 1), (1, 1)], &[600.0, 400.0], vec![1000.0, 2000.0]).unwrap();
        let carried = bridge.carry(&[figures(100.0, 1000.0, 10.0), figures(800.0, 2000.0, 40.0)]);
        assert_eq!(carried[0], figures(60.0, 600.0, 10.0));
        // 2021 #1: counts 40 + 800 and 400 + 2,000; value (10 × 400 + 40 × 2,000) ÷ 2,400 = 35.
        assert_eq!(carried[1], figures(840.0, 2400.0, 35.0));
    }

    #[test]
    fn a_merged_area_with_a_parent_lacking_a_figure_has_none() {
        let bridge = Bridge::new(&[(0, 0), (1, 0)], &[100.0], vec![50.0, 50.0]).unwrap();
        assert_eq!(bridge.carry(&[figures(1.0, 10.0, 10.0), None]), vec![None]);
        let no_count = Some(Observation { numerator: None, denominator: None, value: Some(30.0) });
        let carried = bridge.carry(&[figures(1.0, 10.0, 10.0), no_count]);
        assert_eq!(carried, vec![Some(Observation { numerator: None, denominator: None, value: Some(20.0) })]);
    }

    #[test]
    fn a_split_area_whose_children_have_no_residents_is_refused() {
        let err = Bridge::new(&[(0, 0), (0, 1)], &[0.0, 0.0], vec![10.0]).unwrap_err();
        assert_eq!(err, BridgeError::NoResidents { lsoa11: 0 });
        let err = Bridge::new(&[(0, 2)], &[1.0], vec![10.0]).unwrap_err();
        assert_eq!(err, BridgeError::OutOfRange { lsoa11: 0, lsoa21: 2 });
    }
}
