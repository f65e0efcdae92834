//! Spatial weights between areas: queen contiguity from their boundaries, or k nearest neighbours.
//!
//! Two areas are queen neighbours when their boundaries share at least one vertex: an edge or a
//! single corner (the "queen" case of contiguity, as in Anselin's GeoDa and PySAL's
//! `libpysal.weights.Queen`). Neighbouring LSOAs in the prepared boundaries share their vertices
//! exactly, so contiguity is found by hashing every vertex, not by intersecting polygons. Each
//! coordinate is rounded to 1e-7 degrees (about 1 cm) before hashing, so a vertex repeated with a
//! last-digit difference in the source still matches its twin.
//!
//! The k-nearest-neighbour alternative links each area to the k areas whose points (centroids in
//! British National Grid metres) are closest by Euclidean distance, ties going to the lower
//! position, as `libpysal.weights.KNN` does; these lists are not symmetric. An R-tree gives each
//! area its nearest others in order of distance, so the search grows with n log n, not n².
//!
//! The weights are kept as neighbour lists. Statistics use two views of them:
//! - row-standardised (each neighbour of area *i* weighs 1/kᵢ), for Moran's I and LISA;
//! - binary with the area itself included (each of the kᵢ + 1 weighs 1), for Getis-Ord Gi\*.
//!
//! Areas without a value are left out by [`Weights::restrict`]. For contiguity they are removed
//! from every list, so their neighbours' remaining weights are re-standardised over the neighbours
//! that have a value; an area left with no neighbour is an island and takes no part in the
//! statistics. For k nearest neighbours the k nearest are found again among the areas kept.

use std::collections::{BTreeSet, HashMap};

use geo::{CoordsIter, MultiPolygon};
use rstar::RTree;
use rstar::primitives::GeomWithData;

/// Vertices are matched after rounding to this many units per degree (1e-7° ≈ 1 cm).
const UNITS_PER_DEGREE: f64 = 1e7;

/// Spatial weights as neighbour lists: for each area, the positions of its neighbours, ascending.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    neighbours: Vec<Vec<usize>>,
    /// For k-nearest-neighbour weights, k and the points they were found from.
    nearest: Option<(usize, Vec<[f64; 2]>)>,
}

impl Weights {
    /// Queen contiguity between `areas` (by position): areas sharing a vertex are neighbours.
    ///
    /// ```
    /// use geo::{MultiPolygon, polygon};
    /// use locality_atlas::analysis::clusters::Weights;
    /// let square = |x: f64| MultiPolygon(vec![polygon![(x: x, y: 0.0), (x: x + 1.0, y: 0.0), (x: x + 1.0, y: 1.0), (x: x, y: 1.0)]]);
    /// let w = Weights::queen(&[square(0.0), square(1.0), square(5.0)]);
    /// assert_eq!(w.neighbours(0), &[1]);
    /// assert_eq!(w.islands(), vec![2]);
    /// ```
    pub fn queen<'a>(areas: impl IntoIterator<Item = &'a MultiPolygon<f64>>) -> Weights {
        let mut at_vertex: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
        let mut count = 0;
        for (i, area) in areas.into_iter().enumerate() {
            count = i + 1;
            for c in area.coords_iter() {
                let key = ((c.x * UNITS_PER_DEGREE).round() as i64, (c.y * UNITS_PER_DEGREE).round() as i64);
                let owners = at_vertex.entry(key).or_default();
                if owners.last() != Some(&i) {
                    owners.push(i);
                }
            }
        }
        let mut sets = vec![BTreeSet::new(); count];
        for owners in at_vertex.values() {
            for &a in owners {
                for &b in owners {
                    if a != b {
                        sets[a].insert(b);
                    }
                }
            }
        }
        Weights { neighbours: sets.into_iter().map(|s| s.into_iter().collect()).collect(), nearest: None }
    }

    /// The `k` nearest neighbours of each of `points` (planar coordinates, e.g. metres).
    ///
    /// ```
    /// use locality_atlas::analysis::clusters::Weights;
    /// let w = Weights::nearest(vec![[0.0, 0.0], [1.0, 0.0], [3.0, 0.0], [7.0, 0.0]], 1);
    /// assert_eq!(w.neighbours(2), &[1]);
    /// assert_eq!(w.neighbours(1), &[0]);
    /// ```
    pub fn nearest(points: Vec<[f64; 2]>, k: usize) -> Weights {
        let distance = |a: [f64; 2], b: [f64; 2]| (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2);
        let tree = RTree::bulk_load(points.iter().enumerate().map(|(i, &p)| GeomWithData::new(p, i)).collect());
        let mut candidates = Vec::new();
        let neighbours = (0..points.len())
            .map(|i| {
                // The tree yields areas nearest first; every area as far as the k-th is gathered, so
                // ties at the k-th distance can go to the lower position.
                candidates.clear();
                if k == 0 {
                    return Vec::new();
                }
                let mut kth = f64::INFINITY;
                for (near, _) in tree.nearest_neighbor_iter_with_distance_2(&points[i]) {
                    let j = near.data;
                    if j == i {
                        continue;
                    }
                    let d = distance(points[i], points[j]);
                    if candidates.len() >= k && d > kth {
                        break;
                    }
                    candidates.push((d, j));
                    if candidates.len() == k {
                        kth = d;
                    }
                }
                candidates.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                let mut list: Vec<usize> = candidates.iter().take(k).map(|&(_, j)| j).collect();
                list.sort_unstable();
                list
            })
            .collect();
        Weights { neighbours, nearest: Some((k, points)) }
    }

    /// Weights from neighbour lists (positions); lists are sorted and made symmetric.
    pub fn from_lists(lists: Vec<Vec<usize>>) -> Weights {
        let n = lists.len();
        let mut sets = vec![BTreeSet::new(); n];
        for (i, list) in lists.iter().enumerate() {
            for &j in list.iter().filter(|&&j| j != i && j < n) {
                sets[i].insert(j);
                sets[j].insert(i);
            }
        }
        Weights { neighbours: sets.into_iter().map(|s| s.into_iter().collect()).collect(), nearest: None }
    }

    /// Number of areas.
    pub fn len(&self) -> usize {
        self.neighbours.len()
    }

    /// True when there are no areas.
    pub fn is_empty(&self) -> bool {
        self.neighbours.is_empty()
    }

    /// The neighbours of area `i`, ascending.
    pub fn neighbours(&self, i: usize) -> &[usize] {
        &self.neighbours[i]
    }

    /// Areas with no neighbour.
    pub fn islands(&self) -> Vec<usize> {
        (0..self.len()).filter(|&i| self.neighbours[i].is_empty()).collect()
    }

    /// Number of (ordered) neighbour pairs: S₀ of the binary weights.
    pub fn links(&self) -> usize {
        self.neighbours.iter().map(Vec::len).sum()
    }

    /// The weights among the areas where `keep` is true, renumbered in order.
    ///
    /// Returns the sub-contiguity and, for each of its areas, its position in `self`.
    pub fn restrict(&self, keep: &[bool]) -> (Weights, Vec<usize>) {
        let kept: Vec<usize> = (0..self.len()).filter(|&i| keep.get(i).copied().unwrap_or(false)).collect();
        let mut position = vec![usize::MAX; self.len()];
        for (new, &old) in kept.iter().enumerate() {
            position[old] = new;
        }
        if let Some((k, points)) = &self.nearest {
            return (Weights::nearest(kept.iter().map(|&i| points[i]).collect(), *k), kept);
        }
        let neighbours = kept
            .iter()
            .map(|&old| self.neighbours[old].iter().map(|&j| position[j]).filter(|&j| j != usize::MAX).collect())
            .collect();
        (Weights { neighbours, nearest: None }, kept)
    }

    /// The row-standardised spatial lag Σⱼ wᵢⱼ xⱼ = mean of the neighbours' values (0 for an island).
    pub fn lag(&self, x: &[f64]) -> Vec<f64> {
        self.neighbours
            .iter()
            .map(|list| if list.is_empty() { 0.0 } else { list.iter().map(|&j| x[j]).sum::<f64>() / list.len() as f64 })
            .collect()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use geo::polygon;

    /// A `size`×`size` grid of unit squares, numbered row by row.
    pub(crate) fn grid(size: usize) -> Vec<MultiPolygon<f64>> {
        let mut areas = Vec::new();
        for row in 0..size {
            for col in 0..size {
                let (x, y) = (col as f64, row as f64);
                areas.push(MultiPolygon(vec![
                    polygon![(x: x, y: y), (x: x + 1.0, y: y), (x: x + 1.0, y: y + 1.0), (x: x, y: y + 1.0)],
                ]));
            }
        }
        areas
    }

    #[test]
    fn a_three_by_three_grid_has_queen_neighbours_at_edges_and_corners() {
        let w = Weights::queen(&grid(3));
        assert_eq!(w.neighbours(0), &[1, 3, 4]);
        assert_eq!(w.neighbours(4), &[0, 1, 2, 3, 5, 6, 7, 8]);
        assert_eq!(w.neighbours(5), &[1, 2, 4, 7, 8]);
        // 4 corners × 3 + 4 edges × 5 + centre 8
        assert_eq!(w.links(), 40);
        assert!(w.islands().is_empty());
    }

    #[test]
    fn nearest_neighbours_from_the_tree_break_ties_by_position_as_a_full_sort_does() {
        // A 7×7 lattice with a few repeated points: nearly every k-th distance is a tie.
        let mut points: Vec<[f64; 2]> = (0..49).map(|i| [(i % 7) as f64, (i / 7) as f64]).collect();
        points.extend([[3.0, 3.0], [0.0, 0.0], [6.5, 6.5]]);
        let distance = |a: [f64; 2], b: [f64; 2]| (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2);
        for k in [1, 4, 6, 9] {
            let w = Weights::nearest(points.clone(), k);
            for i in 0..points.len() {
                let mut others: Vec<usize> = (0..points.len()).filter(|&j| j != i).collect();
                others.sort_by(|&a, &b| {
                    distance(points[i], points[a]).total_cmp(&distance(points[i], points[b])).then(a.cmp(&b))
                });
                others.truncate(k);
                others.sort_unstable();
                assert_eq!(w.neighbours(i), others, "the {k} nearest of point {i}");
            }
        }
    }

    #[test]
    fn leaving_an_area_out_removes_it_from_its_neighbours_lists() {
        let w = Weights::queen(&grid(3));
        let mut keep = vec![true; 9];
        keep[4] = false;
        let (sub, kept) = w.restrict(&keep);
        assert_eq!(kept, vec![0, 1, 2, 3, 5, 6, 7, 8]);
        // Area 0 now has neighbours 1 and 3 only, so each weighs 1/2.
        assert_eq!(sub.neighbours(0), &[1, 3]);
        assert_eq!(sub.lag(&[2.0, 4.0, 0.0, 6.0, 0.0, 0.0, 0.0, 0.0])[0], 5.0);
    }

    #[test]
    fn an_area_whose_neighbours_are_all_left_out_becomes_an_island() {
        let w = Weights::from_lists(vec![vec![1], vec![2], vec![]]);
        let (sub, _) = w.restrict(&[true, false, true]);
        assert_eq!(sub.islands(), vec![0, 1]);
    }
}
