//! Statistical neighbours: Coventry's 15 most similar English districts (IMD 2025 score, income and
//! employment deprivation, share aged 65+, density and size, standardised; Euclidean distance) are
//! large urban districts of similar deprivation, and the profile, spine chart and report set each
//! area beside their average and range as well as England.

use locality_atlas::atlas::Neighbour;

use super::common;

/// Coventry's neighbours as prepared from the national files, nearest first.
const COVENTRY_NEIGHBOURS: [(&str, &str); 15] = [
    ("E08000021", "Newcastle upon Tyne"),
    ("E06000015", "Derby"),
    ("E09000008", "Croydon"),
    ("E06000045", "Southampton"),
    ("E08000006", "Salford"),
    ("E09000009", "Ealing"),
    ("E06000044", "Portsmouth"),
    ("E09000018", "Hounslow"),
    ("E08000019", "Sheffield"),
    ("E08000008", "Tameside"),
    ("E09000011", "Greenwich"),
    ("E06000026", "Plymouth"),
    ("E06000035", "Medway"),
    ("E08000034", "Kirklees"),
    ("E09000010", "Enfield"),
];

fn neighbours() -> &'static [Neighbour] {
    common::atlas().neighbours("E08000026")
}

#[test]
fn coventrys_neighbours_are_pinned_nearest_first() {
    let found: Vec<(&str, &str)> = neighbours().iter().map(|n| (n.code.as_str(), n.name.as_str())).collect();
    assert_eq!(found, COVENTRY_NEIGHBOURS);
    assert!(neighbours().windows(2).all(|w| w[0].distance <= w[1].distance));
    assert!(neighbours().iter().enumerate().all(|(i, n)| n.rank == i + 1));
}

#[test]
fn coventrys_neighbours_are_large_urban_districts_of_similar_deprivation() {
    let coventry = common::atlas().neighbour_profile("E08000026").expect("Coventry's own row");
    assert_eq!((coventry.code.as_str(), coventry.residents), ("E08000026", 345_316.0));
    for n in neighbours() {
        // Urban: over 1,000 residents per km² (Coventry 3,488; rural districts have under 200).
        assert!(n.residents_per_km2 > 1000.0, "{} is not urban: {}", n.name, n.residents_per_km2);
        // Large: 200,000 residents or more (a city, not a small town).
        assert!(n.residents >= 200_000.0, "{} is small: {}", n.name, n.residents);
        // Deprivation within a few points of Coventry's IMD 2025 score (27.5).
        assert!((n.imd_score - coventry.imd_score).abs() < 6.0, "{}: IMD {}", n.name, n.imd_score);
        assert!(n.code.starts_with("E06") || n.code.starts_with("E08") || n.code.starts_with("E09"), "{}", n.name);
    }
}

#[tokio::test]
async fn the_profile_spine_chart_and_report_set_an_area_beside_its_similar_districts() {
    let (_, profile) = common::get("/api/localities/wood-end-henley-green/profile").await;
    assert_eq!(profile["neighbours"].as_array().unwrap().len(), 15);
    // Coventry's nearest, Newcastle upon Tyne, is 0.41 away: well inside the far-out fence.
    assert!(profile.get("neighbours_caution").is_none(), "{}", profile["neighbours_caution"]);
    let income = profile["indicators"].as_array().unwrap().iter().find(|r| r["id"] == "iod25_income_rate").unwrap();
    let similar = &income["neighbours"];
    let figure = common::atlas().neighbour_figure("E08000026", "iod25_income_rate").unwrap();
    assert_eq!(similar["mean"].as_f64(), Some(figure.mean));
    assert_eq!((similar["lowest"].as_f64(), similar["highest"].as_f64()), (Some(figure.lowest), Some(figure.highest)));
    // Wood End / Henley Green's income deprivation (52.8%) is above every similar district's.
    assert_eq!(similar["label"], "higher than all the 15 similar districts");
    // A crude rate of an outcome that age changes is marked crude here too: Wood End / Henley Green
    // is far younger than the districts it is set beside.
    let bad_health =
        profile["indicators"].as_array().unwrap().iter().find(|r| r["id"] == "census21_bad_health").unwrap();
    assert_eq!(
        bad_health["neighbours"]["label"],
        "higher than all the 15 similar districts; crude rates, not age-standardised"
    );

    let (status, spine) = common::get_text("/charts/spine.svg?locality=wood-end-henley-green").await;
    assert_eq!(status, 200);
    assert!(spine.contains("Similar districts: range") && spine.contains("Similar districts: average"));
    let (_, csv) = common::get_text("/export/spine.csv?locality=wood-end-henley-green").await;
    assert!(csv.contains("similar_districts_mean") && csv.contains("Newcastle upon Tyne"), "{csv}");

    let (_, report) = common::get_text("/api/localities/wood-end-henley-green/report.html").await;
    assert!(report.contains("Similar districts: average (range)"));
    assert!(report.contains("Newcastle upon Tyne, Derby, Croydon"));
}

#[tokio::test]
async fn counts_of_part_of_a_district_or_of_deprived_people_are_not_placed_among_similar_districts() {
    // 11,008 residents are not "lower than all the 15 similar districts": a locality is part of a city.
    let row = |profile: &serde_json::Value, id: &str| {
        profile["indicators"].as_array().unwrap().iter().find(|r| r["id"] == id).unwrap().clone()
    };
    let (_, locality) = common::get("/api/localities/wood-end-henley-green/profile").await;
    for id in ["census21_population", "iod25_idaci_count", "iod25_idaopi_count"] {
        assert!(row(&locality, id)["neighbours"].is_null(), "{id}: {}", row(&locality, id)["neighbours"]);
    }
    // The district's own size is a whole district's, and is placed among theirs; its counts of
    // deprived people are not, since they grow with its size (the reading sets them against its
    // share of England's residents instead).
    let (_, city) = common::get("/api/localities/district/profile?level=city").await;
    assert!(row(&city, "census21_population")["neighbours"]["label"].is_string());
    for id in ["iod25_idaci_count", "iod25_idaopi_count"] {
        assert!(row(&city, id)["neighbours"].is_null(), "{id}: {}", row(&city, id)["neighbours"]);
        assert!(row(&city, id)["reading"]["text"].as_str().unwrap().contains("of England's usual residents"), "{id}");
    }
    // Rates of a locality are still set beside them.
    assert!(row(&locality, "iod25_income_rate")["neighbours"]["mean"].is_number());
}
