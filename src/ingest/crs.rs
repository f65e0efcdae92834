//! Coordinate reference systems of boundary files, and reprojection to WGS84.
//!
//! ONS publishes shapefiles in British National Grid (EPSG:27700). The transformation to WGS84
//! uses the OSGB36 → WGS84 seven-parameter Helmert shift of EPSG:1314 (the `towgs84` of
//! EPSG:27700), good to a few metres across Great Britain, which is finer than the 20 m
//! generalisation of the boundaries themselves.

use geo::{Coord, MapCoordsInPlace, MultiPolygon};
use proj4rs::proj::Proj;

/// Proj string of British National Grid with the OSGB36 datum shift.
const BNG: &str = "+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 \
                   +ellps=airy +towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 \
                   +units=m +no_defs";
const WGS84: &str = "+proj=longlat +datum=WGS84 +no_defs";

/// A coordinate reference system the ingest layer understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crs {
    /// Longitude/latitude on WGS84 (EPSG:4326, OGC CRS84): the project's own CRS.
    Wgs84,
    /// British National Grid, OSGB36 Transverse Mercator (EPSG:27700).
    BritishNationalGrid,
}

impl Crs {
    /// Recognises a CRS from an ESRI `.prj` or OGC WKT text.
    pub fn from_wkt(wkt: &str) -> Result<Crs, String> {
        let text = wkt.to_ascii_uppercase();
        if text.contains("BRITISH_NATIONAL_GRID") || text.contains("BRITISH NATIONAL GRID") || text.contains("27700") {
            return Ok(Crs::BritishNationalGrid);
        }
        let geographic = text.trim_start().starts_with("GEOGCS") || text.trim_start().starts_with("GEOGCRS");
        if geographic && (text.contains("WGS_1984") || text.contains("WGS 84") || text.contains("WGS84")) {
            return Ok(Crs::Wgs84);
        }
        Err(format!(
            "unknown coordinate reference system {:?}; supported: British National Grid (EPSG:27700) and WGS84 (EPSG:4326)",
            wkt.chars().take(80).collect::<String>()
        ))
    }

    /// Recognises a CRS from a GeoJSON `crs` name such as `urn:ogc:def:crs:EPSG::27700`.
    pub fn from_name(name: &str) -> Result<Crs, String> {
        let upper = name.to_ascii_uppercase();
        if upper.ends_with(":27700") || upper.ends_with("::27700") {
            Ok(Crs::BritishNationalGrid)
        } else if upper.ends_with("CRS84") || upper.ends_with(":4326") || upper.ends_with("::4326") {
            Ok(Crs::Wgs84)
        } else {
            Err(format!("unknown coordinate reference system {name:?}; supported: EPSG:27700 and EPSG:4326/CRS84"))
        }
    }

    /// Reprojects geometry in this CRS to WGS84 longitude/latitude in degrees.
    pub fn to_wgs84(self, geometry: &mut MultiPolygon<f64>) -> Result<(), String> {
        if self == Crs::Wgs84 {
            return Ok(());
        }
        let source = Proj::from_proj_string(BNG).map_err(|e| format!("British National Grid definition: {e}"))?;
        let target = Proj::from_proj_string(WGS84).map_err(|e| format!("WGS84 definition: {e}"))?;
        geometry.try_map_coords_in_place(|c: Coord<f64>| {
            let mut point = (c.x, c.y, 0.0);
            proj4rs::transform::transform(&source, &target, &mut point)
                .map_err(|e| format!("cannot reproject ({}, {}): {e}", c.x, c.y))?;
            Ok(Coord { x: point.0.to_degrees(), y: point.1.to_degrees() })
        })
    }

    /// Reprojects WGS84 longitude/latitude in degrees to this CRS (British National Grid: metres),
    /// by the same transformation as [`Crs::to_wgs84`] run backwards.
    pub fn project_wgs84(self, geometry: &mut impl MapCoordsInPlace<f64>) -> Result<(), String> {
        if self == Crs::Wgs84 {
            return Ok(());
        }
        let source = Proj::from_proj_string(WGS84).map_err(|e| format!("WGS84 definition: {e}"))?;
        let target = Proj::from_proj_string(BNG).map_err(|e| format!("British National Grid definition: {e}"))?;
        geometry.try_map_coords_in_place(|c: Coord<f64>| {
            let mut point = (c.x.to_radians(), c.y.to_radians(), 0.0);
            proj4rs::transform::transform(&source, &target, &mut point)
                .map_err(|e| format!("cannot reproject ({}, {}): {e}", c.x, c.y))?;
            Ok(Coord { x: point.0, y: point.1 })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{MultiPolygon, polygon};

    #[test]
    fn an_esri_british_national_grid_prj_is_recognised() {
        let prj = r#"PROJCS["British_National_Grid",GEOGCS["GCS_OSGB_1936",DATUM["D_OSGB_1936"]]]"#;
        assert_eq!(Crs::from_wkt(prj), Ok(Crs::BritishNationalGrid));
        assert_eq!(Crs::from_wkt(r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984"]]"#), Ok(Crs::Wgs84));
        assert!(Crs::from_wkt(r#"PROJCS["NAD_1983_UTM_Zone_10N"]"#).is_err());
    }

    #[test]
    fn the_bng_origin_of_coventry_lands_in_coventry() {
        // Coventry council house is near BNG (433500, 278900): about -1.509 E, 52.407 N.
        let mut geometry = MultiPolygon(vec![
            polygon![(x: 433500.0, y: 278900.0), (x: 433600.0, y: 278900.0), (x: 433500.0, y: 279000.0)],
        ]);
        Crs::BritishNationalGrid.to_wgs84(&mut geometry).unwrap();
        let first = geometry.0[0].exterior().0[0];
        assert!((first.x - -1.5098).abs() < 0.001, "{first:?}");
        assert!((first.y - 52.4070).abs() < 0.001, "{first:?}");
    }

    #[test]
    fn wgs84_to_bng_and_back_returns_the_same_point() {
        // Park Leys Medical Practice, CV6 2FL: Code-Point Open gives BNG (431974, 282328), which
        // Code-Point's own WGS84 conversion puts at -1.531085 E, 52.437994 N.
        let mut geometry = MultiPolygon(vec![
            polygon![(x: -1.531085, y: 52.437994), (x: -1.53, y: 52.437994), (x: -1.531085, y: 52.439)],
        ]);
        Crs::BritishNationalGrid.project_wgs84(&mut geometry).unwrap();
        let first = geometry.0[0].exterior().0[0];
        assert!((first.x - 431_974.0).abs() < 5.0 && (first.y - 282_328.0).abs() < 5.0, "{first:?}");
        Crs::BritishNationalGrid.to_wgs84(&mut geometry).unwrap();
        let back = geometry.0[0].exterior().0[0];
        assert!((back.x - -1.531085).abs() < 1e-7 && (back.y - 52.437994).abs() < 1e-7, "{back:?}");
    }
}
