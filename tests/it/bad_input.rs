//! Bad input gets a precise message naming the file, the place in it and the field.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::{data_copy, edit, fixture_copy};
use locality_atlas::atlas::{DataFiles, LoadError, load};
use locality_atlas::ingest::read_boundaries;

/// Loads a (broken) data folder and returns every problem as one text.
fn problems(dir: &Path) -> String {
    let result = DataFiles::read_dir(dir).and_then(|files| load(&files).map(|_| ()));
    match result {
        Ok(()) => panic!("the broken folder was accepted"),
        Err(LoadError { problems }) => problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"),
    }
}

fn assert_mentions(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(message.contains(part), "expected {part:?} in:\n{message}");
    }
}

#[test]
fn malformed_geojson_names_the_file() {
    let dir = data_copy();
    edit(dir.path(), "boundaries/lsoa21.geojson", |t| t[..t.len() / 2].to_owned());
    assert_mentions(&problems(dir.path()), &["boundaries/lsoa21.geojson", "not valid GeoJSON"]);
}

#[test]
fn a_point_where_a_polygon_belongs_names_the_feature() {
    let dir = data_copy();
    edit(dir.path(), "boundaries/wards.geojson", |t| {
        let start = t.find("\"geometry\":").unwrap();
        let end = t[start..].find("]]]}").unwrap() + start + 4;
        format!("{}\"geometry\":{{\"type\":\"Point\",\"coordinates\":[-1.5,52.4]}}{}", &t[..start], &t[end..])
    });
    assert_mentions(&problems(dir.path()), &["boundaries/wards.geojson", "feature 1", "field `geometry`", "Point"]);
}

#[test]
fn a_missing_dbf_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = common::root().join("tests/fixtures/shapefile");
    for ext in ["shp", "shx", "prj"] {
        let name = format!("coventry_lsoa21_bgc_bng.{ext}");
        std::fs::copy(fixture.join(&name), dir.path().join(&name)).unwrap();
    }
    let err = read_boundaries(&dir.path().join("coventry_lsoa21_bgc_bng.shp")).unwrap_err().to_string();
    assert_mentions(&err, &["coventry_lsoa21_bgc_bng.shp", "missing companion file", "coventry_lsoa21_bgc_bng.dbf"]);
}

/// A copy of the shapefile fixture, for breaking one of its files.
fn shapefile_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixture = common::root().join("tests/fixtures/shapefile");
    for entry in std::fs::read_dir(&fixture).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    dir
}

#[test]
fn an_unknown_crs_is_refused_with_the_prj_named() {
    let dir = shapefile_copy();
    std::fs::write(
        dir.path().join("coventry_lsoa21_bgc_bng.prj"),
        r#"PROJCS["WGS_1984_UTM_Zone_30N",GEOGCS["GCS_WGS_1984"],PROJECTION["Transverse_Mercator"]]"#,
    )
    .unwrap();
    let err = read_boundaries(&dir.path().join("coventry_lsoa21_bgc_bng.shp")).unwrap_err().to_string();
    assert_mentions(&err, &["coventry_lsoa21_bgc_bng.prj", "unknown coordinate reference system", "UTM"]);
}

#[test]
fn a_truncated_shapefile_names_the_record_that_cannot_be_read() {
    let dir = shapefile_copy();
    let shp = dir.path().join("coventry_lsoa21_bgc_bng.shp");
    let bytes = std::fs::read(&shp).unwrap();
    std::fs::write(&shp, &bytes[..bytes.len() / 2]).unwrap();
    let err = read_boundaries(&shp).unwrap_err().to_string();
    assert_mentions(&err, &["coventry_lsoa21_bgc_bng.shp", "record", "cannot be read"]);
}

#[test]
fn an_unknown_lsoa_in_the_indicator_table_names_the_line() {
    let dir = data_copy();
    edit(dir.path(), "data/indicators.csv", |t| {
        t.replacen("E01009522,iod25_imd_score", "E01999999,iod25_imd_score", 1)
    });
    assert_mentions(
        &problems(dir.path()),
        &["data/indicators.csv: line 2, field `lsoa21_code`", "unknown LSOA E01999999"],
    );
}

#[test]
fn an_unknown_indicator_in_the_table_is_named() {
    let dir = data_copy();
    edit(dir.path(), "data/indicators.csv", |t| t.replacen("E01009522,iod25_imd_score", "E01009522,imd_typo", 1));
    assert_mentions(&problems(dir.path()), &["line 2, field `indicator_id`", "unknown indicator imd_typo"]);
}

#[test]
fn a_second_row_for_one_lsoa_and_indicator_is_named() {
    let dir = data_copy();
    edit(dir.path(), "data/indicators.csv", |t| {
        t.replacen("E01009523,iod25_imd_score,IoD2025,,,10.331", "E01009522,iod25_imd_score,IoD2025,,,10.331", 1)
    });
    assert_mentions(
        &problems(dir.path()),
        &[
            "data/indicators.csv: line 3, field `lsoa21_code`",
            "a second row for area E01009522 and indicator iod25_imd_score",
        ],
    );
}

#[test]
fn an_msoa_indicator_in_the_lsoa_table_is_sent_to_the_other_table() {
    let dir = data_copy();
    edit(dir.path(), "data/indicators.csv", |t| {
        t.replacen("E01009522,iod25_imd_score,IoD2025", "E01009522,covid19_deaths_2020_21,IoD2025", 1)
    });
    assert_mentions(
        &problems(dir.path()),
        &[
            "data/indicators.csv: line 2, field `indicator_id`",
            "covid19_deaths_2020_21 is published for another geography",
        ],
    );
}

#[test]
fn an_lsoa_in_two_msoas_is_named() {
    let dir = data_copy();
    edit(dir.path(), "boundaries/msoas.csv", |t| {
        t.replacen("E02001958,Coventry 001,Longford,E01032536", "E02001958,Coventry 001,Longford,E01009589", 1)
    });
    assert_mentions(
        &problems(dir.path()),
        &["boundaries/msoas.csv: line 3, field `lsoa21_code`", "LSOA E01009589 is listed in a second MSOA"],
    );
}

#[test]
fn neighbours_of_a_district_outside_the_atlas_are_named() {
    let dir = fixture_copy("england_sample");
    edit(dir.path(), "data/neighbour_figures.csv", |t| t.replace("E09000001,", "E08000026,"));
    assert_mentions(
        &problems(dir.path()),
        &["data/neighbour_figures.csv", "of_district E08000026 is not one of the atlas's districts"],
    );
}

#[test]
fn a_districts_neighbours_out_of_rank_order_are_named() {
    let dir = data_copy();
    edit(dir.path(), "data/neighbours.csv", |t| t.replacen("E08000026,2,", "E08000026,3,", 1));
    assert_mentions(
        &problems(dir.path()),
        &["data/neighbours.csv: line 4, field `rank`", "expected rank 2, each district's rows in rank order from 0"],
    );
}

#[test]
fn a_districts_neighbours_split_in_two_blocks_are_named() {
    let dir = fixture_copy("england_sample");
    edit(dir.path(), "data/neighbours.csv", |t| {
        let mut lines: Vec<&str> = t.lines().collect();
        let last_rutland = lines.iter().rposition(|l| l.starts_with("E06000017,")).unwrap();
        let moved = lines.remove(last_rutland);
        lines.push(moved);
        lines.join("\n") + "\n"
    });
    assert_mentions(&problems(dir.path()), &["data/neighbours.csv: line 33", "E06000017's rows must be together"]);
}

#[test]
fn a_duplicate_lsoa_in_the_boundaries_is_named() {
    let dir = data_copy();
    edit(dir.path(), "boundaries/lsoa21.geojson", |t| {
        t.replacen("\"code\":\"E01009523\"", "\"code\":\"E01009522\"", 1)
    });
    assert_mentions(
        &problems(dir.path()),
        &["boundaries/lsoa21.geojson: feature 2, field `code`", "duplicate LSOA E01009522"],
    );
}

#[test]
fn text_in_a_numeric_column_names_line_and_field() {
    let dir = data_copy();
    edit(dir.path(), "data/indicators.csv", |t| {
        t.replacen("E01009522,iod25_imd_score,IoD2025,,,19.398", "E01009522,iod25_imd_score,IoD2025,,,high", 1)
    });
    assert_mentions(
        &problems(dir.path()),
        &["data/indicators.csv: line 2, field `value`", "expected a number, found \"high\""],
    );
}

#[test]
fn a_numerator_above_its_denominator_is_refused() {
    let dir = data_copy();
    // Census disability in Coventry 014A: 304 of 1,910 residents; make it 3,040.
    edit(dir.path(), "data/indicators.csv", |t| {
        let line = t.lines().position(|l| l.starts_with("E01009522,census21_disabled,")).unwrap();
        let lines: Vec<String> = t
            .lines()
            .enumerate()
            .map(|(i, l)| if i == line { l.replacen(",304,", ",3040,", 1) } else { l.to_owned() })
            .collect();
        lines.join("\n") + "\n"
    });
    let message = problems(dir.path());
    assert_mentions(
        &message,
        &["data/indicators.csv: line", "field `numerator`", "3040 is above the denominator 1910"],
    );
}

#[test]
fn an_empty_file_is_reported_as_empty() {
    let dir = data_copy();
    edit(dir.path(), "data/comparators.csv", |_| String::new());
    assert_mentions(&problems(dir.path()), &["data/comparators.csv", "the file is empty"]);
}

#[test]
fn a_locality_naming_a_missing_lsoa_is_refused() {
    let dir = data_copy();
    edit(dir.path(), "boundaries/localities.csv", |t| t.replacen("E01009577", "E01000001", 1));
    assert_mentions(
        &problems(dir.path()),
        &["boundaries/localities.csv: line 2, field `lsoa21_code`", "names LSOA E01000001, which does not exist"],
    );
}

#[test]
fn a_self_intersecting_polygon_is_reported() {
    let dir = data_copy();
    let bowtie = r#""geometry":{"type":"Polygon","coordinates":[[[-1.5,52.4],[-1.4,52.5],[-1.4,52.4],[-1.5,52.5],[-1.5,52.4]]]}"#;
    edit(dir.path(), "boundaries/district.geojson", |t| {
        let start = t.find("\"geometry\":").unwrap();
        format!("{}{bowtie}}}\n]}}\n", &t[..start])
    });
    assert_mentions(
        &problems(dir.path()),
        &["boundaries/district.geojson: feature 1, field `geometry`", "invalid polygon"],
    );
}

#[test]
fn a_missing_column_is_named_with_the_header_found() {
    let dir = data_copy();
    edit(dir.path(), "boundaries/localities.csv", |t| t.replacen("confidence", "certainty", 1));
    assert_mentions(
        &problems(dir.path()),
        &["boundaries/localities.csv: line 1, field `confidence`", "missing column"],
    );
}

#[test]
fn check_lists_every_problem_and_exits_non_zero() {
    let dir = data_copy();
    edit(dir.path(), "data/indicators.csv", |t| {
        t.replacen("E01009522,iod25_imd_score", "E01999999,iod25_imd_score", 1).replacen(",19.398\n", ",oops\n", 1)
    });
    edit(dir.path(), "boundaries/localities.csv", |t| t.replacen("E01009577", "E01000001", 1));
    let output = Command::new(env!("CARGO_BIN_EXE_locality-atlas"))
        .args(["check", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!output.status.success(), "check must fail");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_mentions(&stderr, &["problems in the data", "unknown LSOA E01999999", "names LSOA E01000001"]);
}

#[test]
fn check_accepts_the_committed_data() {
    let output = Command::new(env!("CARGO_BIN_EXE_locality-atlas"))
        .args(["check", "--data-dir"])
        .arg(common::root())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert_mentions(&stdout, &["is valid", "203 LSOAs", "18 wards"]);
}
