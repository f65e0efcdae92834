//! The ONS-style shapefile in British National Grid reprojects onto the GeoJSON within 5 m.

use crate::common;

use std::collections::HashMap;

use geo::{CoordsIter, Distance, Haversine, Point};
use locality_atlas::ingest::read_boundaries;

#[test]
fn every_reprojected_vertex_lies_within_five_metres_of_the_geojson() {
    let shapefile = common::root().join("tests/fixtures/shapefile/coventry_lsoa21_bgc_bng.shp");
    let reprojected = read_boundaries(&shapefile).expect("the fixture reads");
    let reference =
        read_boundaries(&common::root().join("boundaries/lsoa21.geojson")).expect("committed boundaries read");
    let by_code: HashMap<String, _> = reference.iter().map(|b| (b.text("code").unwrap(), &b.geometry)).collect();

    assert_eq!(reprojected.len(), 203);
    let (mut worst, mut vertices) = (0.0_f64, 0usize);
    for area in &reprojected {
        let code = area.text("LSOA21CD").expect("the .dbf carries LSOA21CD");
        let expected = by_code.get(&code).unwrap_or_else(|| panic!("{code} is in the GeoJSON"));
        let got: Vec<_> = area.geometry.coords_iter().collect();
        let want: Vec<_> = expected.coords_iter().collect();
        assert_eq!(got.len(), want.len(), "{code}: vertex count");
        for (a, b) in got.iter().zip(&want) {
            let metres = Haversine.distance(Point::from(*a), Point::from(*b));
            worst = worst.max(metres);
            vertices += 1;
        }
    }
    eprintln!("compared {vertices} vertices; the worst is {worst:.3} m from the GeoJSON");
    assert!(vertices > 7000, "compared {vertices} vertices");
    assert!(worst <= 5.0, "worst vertex is {worst:.2} m away");
}

#[test]
fn the_shapefile_attributes_come_through_as_properties() {
    let shapefile = common::root().join("tests/fixtures/shapefile/coventry_lsoa21_bgc_bng.shp");
    let areas = read_boundaries(&shapefile).unwrap();
    let first = areas.iter().find(|a| a.text("LSOA21CD").as_deref() == Some("E01009577")).expect("Coventry 007A");
    assert_eq!(first.text("LSOA21NM").as_deref(), Some("Coventry 007A"));
}
