//! Clusters and spatial outliers match PySAL (esda 2.9, libpysal 4.14) on the committed income deprivation figures.
//!
//! The reference values were computed with `libpysal.weights.Queen.from_dataframe(gdf, use_index=False)` on
//! `boundaries/lsoa21.geojson` sorted by LSOA code, and `esda.Moran`, `esda.Moran_Local(permutations=999,
//! seed=12345)` and `esda.G_Local(y, w, transform="B", star=True)` on `iod25_income_rate`.

use crate::common;

use locality_atlas::analysis::Disclosure;
use locality_atlas::analysis::clusters::{
    ClusterParameters, Correction, LsoaWeights, Quadrant, Weights, clusters, getis_ord_star, global_moran, local_moran,
};
use locality_atlas::stats::Polarity;
use serde_json::Value;

const INCOME: &str = "iod25_income_rate";

fn weights() -> Weights {
    Weights::queen(common::atlas().lsoas().iter().map(|l| &l.geometry))
}

fn income() -> Vec<Option<f64>> {
    let atlas = common::atlas();
    let indicator = atlas.indicator(INCOME).expect("income deprivation is in the catalogue");
    let observations = atlas.observations(INCOME).expect("income deprivation has LSOA values");
    observations.iter().map(|o| o.and_then(|o| Disclosure::default().publish(indicator, &o).value)).collect()
}

fn all_present() -> Vec<f64> {
    income().into_iter().map(|v| v.expect("every LSOA has an income deprivation rate")).collect()
}

fn close(actual: f64, expected: f64, what: &str) {
    assert!((actual - expected).abs() <= 1e-9, "{what}: {actual} differs from PySAL's {expected}");
}

#[test]
fn queen_contiguity_matches_pysal_neighbour_counts() {
    let w = weights();
    assert_eq!(w.len(), 203);
    assert_eq!(w.links(), 1162, "PySAL's s0 for binary queen weights");
    assert!(w.islands().is_empty());
    for (i, expected) in NEIGHBOURS.iter().enumerate() {
        assert_eq!(w.neighbours(i).len(), *expected, "neighbours of LSOA {i}");
    }
}

#[test]
fn global_moran_and_its_randomisation_z_match_pysal() {
    let moran = global_moran(&all_present(), &weights(), 999, 12345, 0.05).unwrap();
    close(moran.i, 0.5454810745149185, "I");
    close(moran.expected, -0.0049504950495049506, "E[I]");
    close(moran.variance, 0.0017330816546157082, "VI_rand");
    close(moran.z, 13.22189859435199, "z_rand");
    assert_eq!(moran.p_permutation, 0.001, "no relabelling clusters as much");
    assert!(moran.words.starts_with("Values cluster more than chance would give"));
}

#[test]
fn every_local_moran_and_quadrant_matches_pysal() {
    let lisa = local_moran(&all_present(), &weights(), 999, 12345).unwrap();
    for (i, expected) in LOCAL_I.iter().enumerate() {
        close(lisa.i[i], *expected, &format!("I of LSOA {i}"));
        let quadrant = match QUADRANT[i] {
            1 => Quadrant::HighHigh,
            2 => Quadrant::LowHigh,
            3 => Quadrant::LowLow,
            _ => Quadrant::HighLow,
        };
        assert_eq!(lisa.quadrant[i], quadrant, "quadrant of LSOA {i}");
    }
}

#[test]
fn pseudo_p_values_agree_with_pysal_within_monte_carlo_error() {
    let lisa = local_moran(&all_present(), &weights(), 999, 12345).unwrap();
    for (i, (p, expected)) in lisa.p.iter().zip(PSEUDO_P).enumerate() {
        // The binomial standard error of a p near 0.5 from 999 draws is about 0.016; allow 5.
        assert!((p - expected).abs() <= 0.08, "p of LSOA {i}: {p} against PySAL's {expected}");
    }
    let ours: Vec<bool> = lisa.p.iter().map(|&p| p <= 0.05).collect();
    let theirs: Vec<bool> = PSEUDO_P.iter().map(|&p| p <= 0.05).collect();
    let differ = ours.iter().zip(&theirs).filter(|(a, b)| a != b).count();
    assert_eq!(theirs.iter().filter(|s| **s).count(), 83);
    assert!(differ <= 8, "{differ} LSOAs differ in 0.05 significance before correction");
}

#[test]
fn every_gi_star_z_matches_pysal() {
    let gi = getis_ord_star(&all_present(), &weights()).unwrap();
    for (i, expected) in GI_STAR_Z.iter().enumerate() {
        close(gi.z[i], *expected, &format!("Gi* z of LSOA {i}"));
    }
}

#[test]
fn the_same_seed_reproduces_every_figure() {
    let values = income();
    let p = ClusterParameters::default();
    let one = clusters(&values, &weights(), Polarity::LowIsGood, p).unwrap();
    assert_eq!(one, clusters(&values, &weights(), Polarity::LowIsGood, p).unwrap());
    let other = clusters(&values, &weights(), Polarity::LowIsGood, ClusterParameters { seed: 1, ..p }).unwrap();
    assert_ne!(one.local, other.local);
}

#[test]
fn a_suppressed_lsoa_is_left_out_and_its_neighbours_re_standardised_as_pysal_does_without_it() {
    // PySAL reference: the same calculation with E01009532 (position 10) removed from the boundaries.
    let mut values = income();
    values[10] = None;
    let parameters = ClusterParameters { correction: Correction::None, ..Default::default() };
    let out = clusters(&values, &weights(), Polarity::LowIsGood, parameters).unwrap();
    assert_eq!(out.missing, vec![10]);
    assert_eq!(out.local.len(), 202);
    close(out.global.i, 0.543807619158812, "I without E01009532");
    close(out.global.z, 13.057439980780272, "z_rand without E01009532");
    let neighbours = [
        (11, 0.21539541272861523),
        (12, 0.038083306831230325),
        (13, -0.08780384614377837),
        (14, 0.027449672670263832),
        (19, 0.541876677104462),
        (162, 0.47988465098305105),
        (173, -0.5911433470519425),
    ];
    for (area, expected) in neighbours {
        let local = out.local.iter().find(|l| l.area == area).unwrap();
        close(local.statistic, expected, &format!("I of neighbour {area}"));
    }
}

#[test]
fn six_nearest_neighbours_on_british_national_grid_centroids_match_pysal() {
    // libpysal.weights.KNN.from_array(centroids of gdf.to_crs(27700), k=6).
    let weights = LsoaWeights::build(common::atlas()).unwrap();
    let knn = &weights.knn6;
    for (area, expected) in [
        (0, [7, 8, 86, 92, 106, 114]),
        (50, [47, 48, 52, 57, 69, 164]),
        (100, [45, 95, 99, 101, 103, 193]),
        (202, [77, 84, 85, 96, 97, 201]),
    ] {
        assert_eq!(knn.neighbours(area), expected, "nearest neighbours of LSOA {area}");
    }
    let y = all_present();
    let moran = global_moran(&y, knn, 99, 1, 0.05).unwrap();
    close(moran.i, 0.5279520429819399, "I with knn6");
    close(moran.z, 13.92275598370448, "z_rand with knn6");
    let lisa = local_moran(&y, knn, 99, 1).unwrap();
    for (area, expected) in
        [(0, 0.1182111154435284), (50, 1.6959072306179543), (100, 2.3457435964232616), (202, -0.2470754780555328)]
    {
        close(lisa.i[area], expected, &format!("I of LSOA {area} with knn6"));
    }
}

#[tokio::test]
async fn the_api_publishes_lisa_classes_with_the_parameters_used() {
    let (status, body) =
        common::get("/api/indicators/iod25_income_rate/clusters?method=lisa&permutations=99&seed=7").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["parameters"]["seed"], 7);
    assert_eq!(body["parameters"]["permutations"], 99);
    assert_eq!(body["parameters"]["correction"], "fdr");
    assert_eq!(body["parameters"]["weights"], "queen");
    close(body["global"]["i"].as_f64().unwrap(), 0.5454810745149185, "I over HTTP");
    let lsoas = body["lsoas"].as_array().unwrap();
    assert_eq!(lsoas.len(), 203);
    assert!(lsoas.iter().any(|l| l["class"] == "worse_cluster"));
    assert_eq!(body["islands"], Value::Array(vec![]));
}

#[tokio::test]
async fn gi_star_z_scores_come_over_the_api_too() {
    let (status, body) = common::get("/api/indicators/iod25_income_rate/clusters?method=gi").await;
    assert_eq!(status, 200, "{body}");
    close(body["lsoas"][50]["statistic"].as_f64().unwrap(), GI_STAR_Z[50], "Gi* z over HTTP");
    let (status, body) = common::get("/api/indicators/iod25_income_rate/clusters?weights=knn6&permutations=99").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["parameters"]["weights"], "knn6");
    close(body["global"]["i"].as_f64().unwrap(), 0.5279520429819399, "I with knn6 over HTTP");
}

#[tokio::test]
async fn bad_parameters_unknown_indicators_and_indicators_without_lsoa_values_are_refused() {
    for (query, parameter) in [
        ("method=kriging", "method"),
        ("weights=rook", "weights"),
        ("permutations=0", "permutations"),
        ("permutations=lots", "permutations"),
        ("seed=-1", "seed"),
        ("correction=holm", "correction"),
        ("alpha=1.5", "alpha"),
    ] {
        let (status, body) = common::get(&format!("/api/indicators/iod25_income_rate/clusters?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["error"], format!("bad parameter `{parameter}`"));
    }
    let (status, _) = common::get("/api/indicators/no_such_indicator/clusters").await;
    assert_eq!(status, 404);
    let atlas = common::atlas();
    let unmapped =
        atlas.catalogue().iter().find(|i| i.is_msoa() || !i.mapped()).expect("an indicator without LSOA values");
    let (status, body) = common::get(&format!("/api/indicators/{}/clusters", unmapped.id)).await;
    assert_eq!(status, 422, "{body}");
}

#[tokio::test]
async fn the_cluster_table_downloads_as_csv_with_the_global_figure_and_choices_as_notes() {
    let (status, csv) =
        common::get_text("/export/clusters.csv?indicator=iod25_income_rate&seed=3&permutations=99").await;
    assert_eq!(status, 200, "{csv}");
    assert!(csv.contains("# Global Moran's I = 0.545481074514918"), "{csv}");
    assert!(csv.contains("seed=3"));
    assert!(csv.contains("lsoa21_code,lsoa_name,value,statistic,quadrant,p,significant,class,colour,locality\r\n"));
    assert_eq!(csv.lines().filter(|l| l.starts_with("E01")).count(), 203);
    let (status, _) = common::get_text("/export/clusters.csv").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn the_api_gives_each_class_its_colour_label_and_count_for_the_map() {
    let (status, body) = common::get("/api/indicators/iod25_income_rate/clusters").await;
    assert_eq!(status, 200, "{body}");
    let legend = body["map_legend"].as_array().unwrap();
    let entry = |class: &str| legend.iter().find(|e| e["class"] == class).unwrap_or_else(|| panic!("no {class}"));
    // Every class the LISA method publishes, worse first, then the LSOAs left out.
    let classes: Vec<&str> = legend.iter().map(|e| e["class"].as_str().unwrap()).collect();
    assert_eq!(
        classes,
        [
            "worse_cluster",
            "worse_than_neighbours",
            "better_than_neighbours",
            "better_cluster",
            "not_significant",
            "left_out"
        ]
    );
    assert_eq!(entry("worse_cluster")["colour"], "#ca0020");
    assert_eq!(entry("worse_cluster")["label"], "Cluster of worse values");
    assert_eq!(entry("worse_than_neighbours")["colour"], "#f4a582");
    assert!(entry("worse_than_neighbours")["description"].as_str().unwrap().contains("hidden pocket"));
    assert_eq!(entry("left_out")["count"], 0);
    // The counts are the LSOAs' own classes.
    let lsoas = body["lsoas"].as_array().unwrap();
    for e in legend.iter().filter(|e| e["class"] != "left_out") {
        let n = lsoas.iter().filter(|l| l["class"] == e["class"]).count();
        assert_eq!(e["count"], n, "{}", e["class"]);
    }
    assert_eq!(entry("worse_than_neighbours")["count"], 1, "Coventry 026B, E01009684");
    let note = body["map_note"].as_str().unwrap();
    assert!(note.contains("false discovery rate") && note.contains("999") && note.contains("12345"), "{note}");
    assert!(note.contains("queen contiguity") && note.contains("\"High\" means worse"), "{note}");

    // Gi* publishes hot and cold spots only.
    let (_, gi) = common::get("/api/indicators/iod25_income_rate/clusters?method=gi").await;
    let labels: Vec<&str> = gi["map_legend"].as_array().unwrap().iter().map(|e| e["label"].as_str().unwrap()).collect();
    assert_eq!(
        labels,
        ["Hot spot of worse values", "Cold spot of better values", "Not significant", "Left out: no value"]
    );
}

#[tokio::test]
async fn the_catalogue_says_why_an_indicator_has_no_cluster_map() {
    let (_, body) = common::get("/api/indicators").await;
    let indicators = body["indicators"].as_array().unwrap();
    let reason = |id: &str| indicators.iter().find(|i| i["id"] == id).unwrap().get("no_clusters").cloned();
    assert_eq!(reason(INCOME), None);
    let covid = reason("covid19_deaths_2020_21").unwrap();
    assert!(covid.as_str().unwrap().contains("published for MSOAs"), "{covid}");
    assert!(reason("lonely_cls2020_modelled").unwrap().as_str().unwrap().contains("modelled"));
    assert!(
        reason("iod25_homelessness_rate")
            .unwrap()
            .as_str()
            .unwrap()
            .contains("one figure for the whole local authority")
    );
    // The clusters endpoint refuses them with the same reason.
    let (status, body) = common::get("/api/indicators/covid19_deaths_2020_21/clusters").await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"], covid);
}

#[tokio::test]
async fn a_profile_lists_the_area_s_lsoas_worse_than_their_neighbours_with_the_choices_used() {
    // Whoberley ward holds Coventry 026B, the city's one LSOA whose income deprivation is
    // significantly worse than its neighbours' (local Moran's I, FDR 5%).
    let (status, body) = common::get("/api/localities/E05001233/profile?level=ward").await;
    assert_eq!(status, 200, "{body}");
    let pockets = &body["hidden_pockets"];
    assert_eq!(pockets["parameters"]["method"], "lisa");
    assert_eq!(pockets["parameters"]["seed"], 12345);
    assert_eq!(pockets["parameters"]["permutations"], 999);
    assert_eq!(pockets["parameters"]["correction"], "fdr");
    assert!(pockets["method"].as_str().unwrap().contains("local Moran's I"));
    let indicators = pockets["indicators"].as_array().unwrap();
    let ids: Vec<&str> = indicators.iter().map(|i| i["indicator"].as_str().unwrap()).collect();
    assert_eq!(ids, ["iod25_income_rate", "iod25_employment_rate", "census21_hh_deprived_2plus", "iod25_imd_score"]);
    let income = &indicators[0];
    assert_eq!(income["pockets"].as_array().unwrap().len(), 1);
    assert_eq!(income["pockets"][0]["code"], "E01009684");
    assert_eq!(income["pockets"][0]["value"], 40.3);
    close(income["pockets"][0]["local_i"].as_f64().unwrap(), LOCAL_I[140], "Iᵢ of Coventry 026B");
    close(income["global_i"].as_f64().unwrap(), 0.5454810745149185, "I");
    // The same LSOA stands out on the Index of Multiple Deprivation too.
    assert!(indicators[3]["pockets"].as_array().unwrap().iter().any(|p| p["code"] == "E01009684"));

    // Wood End / Henley Green has no pocket: three of its six LSOAs sit in a cluster of worse values.
    let (_, body) = common::get("/api/localities/wood-end-henley-green/profile").await;
    let income = &body["hidden_pockets"]["indicators"][0];
    assert_eq!(income["pockets"], Value::Array(vec![]));
    assert_eq!(income["in_worse_clusters"], 3);
    assert_eq!(income["lsoas_tested"], 6);
    assert_eq!(body["hidden_pockets"]["not_searched"], Value::Array(vec![]));
}

/// Neighbour counts of each LSOA in code order (PySAL `w.cardinalities`).
const NEIGHBOURS: [usize; 203] = [
    8, 8, 6, 6, 10, 5, 3, 7, 4, 6, 7, 3, 6, 7, 5, 5, 5, 3, 6, 3, 9, 10, 5, 4, 6, 7, 6, 8, 4, 9, 5, 9, 6, 4, 6, 6, 6, 6,
    8, 7, 4, 5, 5, 5, 5, 7, 6, 6, 5, 5, 7, 6, 5, 5, 4, 8, 4, 4, 11, 3, 5, 5, 4, 3, 6, 6, 8, 5, 6, 6, 5, 6, 5, 7, 6, 7,
    6, 4, 4, 6, 6, 5, 5, 7, 7, 5, 7, 8, 3, 7, 6, 4, 6, 7, 5, 7, 7, 4, 5, 5, 7, 4, 6, 6, 6, 4, 6, 5, 8, 4, 8, 8, 4, 7,
    4, 4, 6, 8, 7, 7, 5, 6, 7, 8, 4, 6, 3, 5, 6, 5, 4, 4, 5, 3, 5, 8, 6, 7, 4, 5, 5, 5, 7, 6, 6, 6, 6, 5, 5, 4, 8, 7,
    6, 7, 7, 5, 4, 7, 7, 6, 5, 4, 4, 5, 6, 7, 9, 6, 6, 5, 4, 7, 5, 7, 6, 6, 4, 8, 5, 5, 4, 5, 4, 5, 7, 4, 6, 6, 7, 6,
    5, 3, 4, 8, 4, 4, 8, 8, 5, 5, 4, 5, 7,
];

/// Local Moran's Iᵢ in code order (esda `Moran_Local(...).Is`).
const LOCAL_I: [f64; 203] = [
    0.14836023303463736,
    1.140015730721839,
    -0.1349423489893647,
    -0.001182566915155127,
    0.8171162667097854,
    -0.03443666603695149,
    1.1422781428165067,
    0.11190787804691404,
    0.6486351794886314,
    0.6700086058212597,
    0.2606320576427495,
    0.32891501839614945,
    0.1495218556968904,
    -0.12831622652142913,
    0.0028579698775461765,
    1.0566523593609765,
    1.0324645999331983,
    0.3802263735525181,
    0.7403899435714952,
    0.6436502886056232,
    0.022657810493251017,
    0.43509745428951796,
    0.9819901974304261,
    0.3004112056981941,
    -0.01454141752495598,
    0.03837495778768296,
    0.7506858955942445,
    0.7998757015356333,
    0.9831464495986344,
    1.6102477567885378,
    0.719988652658429,
    1.390383258406105,
    1.5022543084888051,
    0.4133980406572405,
    0.4402024072393272,
    1.4514887846768039,
    1.3836151974316786,
    1.6892964001452642,
    1.2657577001402267,
    2.64748989492766,
    1.6071974353280842,
    2.4286011998186745,
    1.414576771130436,
    2.6938101117192916,
    1.5199353597267444,
    3.2162138266398395,
    0.9938733499917376,
    -0.01590430705127194,
    1.4765900347424792,
    0.13117491386250443,
    1.9954126627372621,
    0.2075587694901227,
    0.8617279136576464,
    0.04859715036115697,
    0.18417758621084318,
    0.09292647482808374,
    1.915441838616317,
    -0.25099667053614105,
    0.50033452506741,
    0.22466697365946176,
    -0.01692858523926519,
    -0.05745946735413152,
    0.00313789421334157,
    0.3857922094660591,
    -0.00614239267789964,
    0.09779946634488292,
    0.6037911742316261,
    0.14834799742792282,
    -0.04662682621167723,
    0.4032353939793204,
    0.019043760732823635,
    1.3166458966758556,
    -0.0870733172613274,
    2.515969921706394,
    0.7885954474473557,
    0.9314733279751953,
    0.8891879252395734,
    0.26424185716941956,
    0.44002082937203546,
    0.2657028961335357,
    -0.029400262883763347,
    0.11637653441200833,
    0.2033026079244907,
    0.4357503577478495,
    0.10011749638728663,
    0.15281543783210164,
    -0.012794462883232502,
    0.06787039686600718,
    0.2191110455756043,
    0.18369994759520744,
    0.24777327095951798,
    0.28525222628281655,
    -0.05404320264375666,
    0.28789505943012883,
    0.273876405266324,
    0.8877717167921546,
    -0.005770985779960074,
    0.03384420056153824,
    0.83913356967978,
    3.3185335407234566,
    1.5460365012087163,
    1.9325106788657365,
    2.5890344074985876,
    0.04080121398102987,
    0.8390533500360388,
    0.7465600163594988,
    0.41681953512544245,
    0.94215768220146,
    0.06747679285085652,
    0.6406339033383195,
    0.5047475266557464,
    0.028859858549776275,
    -0.17386354091817546,
    0.8951974742983624,
    0.6118010634384253,
    -0.0005742909112634162,
    0.12973150070221698,
    0.8830550912546139,
    0.1378825402926891,
    -0.003081878564467982,
    0.9839645126371707,
    0.11572064734587408,
    0.4040931530752506,
    0.35956327105479474,
    -0.2188509704540179,
    0.15594728027718302,
    1.647326045484191,
    1.5700793248506861,
    1.659701543997929,
    1.0781455493996266,
    1.5388290617645333,
    1.3782338948459898,
    1.7828286767236203,
    1.376130113578417,
    0.06334570919080221,
    -0.12416755606158375,
    0.0038783074514608953,
    0.7626158755181226,
    0.25212290670581866,
    0.0550990622607154,
    -0.7010252240473952,
    0.5638158680368003,
    0.7068821863172559,
    0.6251629820977588,
    -0.011383972347261281,
    -0.0021135369912166917,
    0.19530759735056344,
    0.054958010794497456,
    1.2948189760308944,
    0.6607077714423233,
    0.804898696749419,
    1.0507136158993196,
    1.4293122752685856,
    0.26401320102699416,
    0.5042583677754835,
    0.4076186290900898,
    -0.3773994809355058,
    0.03306072606202339,
    -0.10661023849729616,
    1.433716390004522,
    1.598508457282404,
    1.1739257352054773,
    0.5264420004468041,
    0.26047195612218604,
    0.9571584515910296,
    -0.2766457737224698,
    -0.043877150149383884,
    0.2440166272639344,
    0.12171736126166322,
    0.12885178675642098,
    0.2804014710883189,
    0.18645149343867126,
    0.2649968506796302,
    -0.5819380458685705,
    0.20381628385797726,
    0.27866183070884815,
    -0.04168622501618781,
    -0.5021037459307908,
    -0.1575599707375377,
    -0.24137950054732257,
    -0.14161845291954178,
    0.15951274789547062,
    0.05015124974146171,
    -0.04368377858710006,
    0.24312086938938876,
    0.18662259651037605,
    0.95842305094333,
    -0.25372374436196965,
    3.313756667217689,
    -0.02383701651661728,
    0.7109720998085681,
    0.043983850941584565,
    -0.298028181036266,
    -0.13408760164848027,
    0.09290941759857219,
    -0.7722289144760663,
    -0.12634256392862675,
    -0.003943178181516851,
    0.6970315470073865,
    -0.15717454490396213,
    -0.39214630026550806,
    -0.013224430523207273,
    -0.18201848895444686,
];

/// Quadrants (esda `q`: 1 HH, 2 LH, 3 LL, 4 HL).
const QUADRANT: [u8; 203] = [
    3, 3, 4, 2, 3, 2, 3, 3, 3, 3, 3, 3, 3, 4, 1, 1, 1, 1, 1, 3, 3, 3, 3, 3, 4, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 3, 1, 3, 1, 3, 3, 1, 1, 2, 1, 1, 2, 4, 3, 1, 2, 3, 1, 1, 2, 1, 1, 1, 2, 1, 1, 1,
    1, 1, 3, 3, 2, 3, 3, 3, 3, 1, 4, 1, 1, 1, 1, 1, 2, 1, 1, 1, 4, 3, 1, 1, 1, 1, 1, 1, 3, 3, 3, 3, 3, 3, 3, 1, 4, 3,
    3, 2, 1, 1, 3, 2, 1, 1, 1, 1, 2, 1, 3, 3, 3, 3, 3, 3, 3, 3, 1, 2, 3, 3, 3, 3, 4, 3, 3, 3, 4, 2, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 4, 1, 4, 3, 3, 3, 3, 3, 1, 2, 2, 3, 3, 3, 3, 3, 3, 4, 1, 1, 2, 2, 2, 2, 4, 3, 1, 2, 1, 1, 3, 2, 1, 2,
    1, 3, 4, 2, 1, 2, 2, 4, 1, 4, 4, 4, 2,
];

/// Pseudo p-values from 999 conditional permutations, seed 12345 (esda `p_sim`).
const PSEUDO_P: [f64; 203] = [
    0.075, 0.002, 0.05, 0.492, 0.007, 0.441, 0.027, 0.358, 0.03, 0.001, 0.142, 0.26, 0.358, 0.271, 0.471, 0.029, 0.109,
    0.07, 0.104, 0.184, 0.083, 0.042, 0.022, 0.057, 0.017, 0.12, 0.006, 0.014, 0.001, 0.001, 0.057, 0.001, 0.001,
    0.015, 0.091, 0.001, 0.007, 0.002, 0.005, 0.002, 0.001, 0.001, 0.001, 0.011, 0.028, 0.001, 0.014, 0.219, 0.012,
    0.359, 0.003, 0.037, 0.064, 0.356, 0.113, 0.11, 0.002, 0.049, 0.017, 0.333, 0.059, 0.085, 0.47, 0.185, 0.383,
    0.354, 0.057, 0.158, 0.369, 0.001, 0.087, 0.048, 0.06, 0.002, 0.017, 0.006, 0.036, 0.363, 0.099, 0.082, 0.424,
    0.296, 0.092, 0.094, 0.258, 0.148, 0.486, 0.389, 0.202, 0.104, 0.08, 0.205, 0.156, 0.098, 0.291, 0.014, 0.484,
    0.446, 0.033, 0.001, 0.059, 0.004, 0.007, 0.016, 0.006, 0.021, 0.019, 0.003, 0.329, 0.073, 0.007, 0.344, 0.398,
    0.004, 0.061, 0.497, 0.336, 0.004, 0.155, 0.466, 0.127, 0.155, 0.174, 0.001, 0.068, 0.233, 0.002, 0.001, 0.001,
    0.001, 0.001, 0.001, 0.002, 0.022, 0.332, 0.264, 0.168, 0.005, 0.283, 0.033, 0.005, 0.073, 0.033, 0.026, 0.184,
    0.369, 0.112, 0.132, 0.006, 0.055, 0.013, 0.005, 0.001, 0.275, 0.126, 0.056, 0.34, 0.407, 0.398, 0.001, 0.002,
    0.002, 0.147, 0.252, 0.208, 0.199, 0.305, 0.149, 0.198, 0.193, 0.145, 0.152, 0.275, 0.013, 0.023, 0.067, 0.294,
    0.031, 0.351, 0.358, 0.199, 0.341, 0.367, 0.108, 0.177, 0.226, 0.001, 0.001, 0.002, 0.035, 0.015, 0.463, 0.126,
    0.195, 0.388, 0.098, 0.31, 0.477, 0.209, 0.384, 0.348, 0.481, 0.291,
];

/// Gi* z-scores with binary queen weights and the LSOA itself (esda `G_Local(..., transform="B", star=True).Zs`).
const GI_STAR_Z: [f64; 203] = [
    -1.3942297170417595,
    -2.9614755890901043,
    -1.3421731445025913,
    -0.2588510062855652,
    -2.6353245445927698,
    -0.10488948342029435,
    -2.0574465279165874,
    -0.6413274057791063,
    -1.8467450477628866,
    -2.975039153249666,
    -1.2158355669377916,
    -1.019583167985397,
    -0.7340713205554039,
    -0.37941927348617543,
    0.10136328426257488,
    2.2536715776120437,
    1.9115346335734023,
    1.5292436589681242,
    1.7321194098970758,
    -1.4098907563355885,
    -1.3141497626709198,
    -1.8547559098648119,
    -2.1771231728458256,
    -1.486157347587223,
    -1.7318087576243062,
    -1.0869936631485277,
    -2.2610825673561172,
    -2.3026333753627752,
    -2.5095900848505033,
    -3.828344587830818,
    -1.803441687867451,
    -3.5473016617555424,
    -2.898463368011872,
    -1.8706074690980405,
    -1.475054654179939,
    -3.0989117470166856,
    2.8402160668675056,
    3.410029998195794,
    2.848314841050893,
    3.977971669419591,
    3.063610986982178,
    3.5227327246489897,
    3.600380825423718,
    3.2436848624898142,
    2.5060279051299066,
    4.33703927014377,
    2.414544790104473,
    0.70059853816444,
    2.751104723200139,
    -0.6726912203354869,
    3.356995936402482,
    -1.6709985752295882,
    1.9649177028560265,
    -0.4712914589510381,
    -1.1865513908236205,
    1.2970409014565443,
    3.095427548762383,
    1.43036081559829,
    2.4509614321040445,
    0.8521191306939295,
    1.6082217399221235,
    -1.1337268186854292,
    -0.11009105059333117,
    1.1330223192792939,
    0.2276304528721843,
    -0.5966853529228915,
    1.9618725898541216,
    1.0986560785879762,
    0.112766775015492,
    3.214086077146147,
    1.2854968210771633,
    2.3875180423734883,
    1.5160146202521352,
    3.8787000386311417,
    2.518147323073254,
    2.974694549749092,
    2.2704021355392157,
    1.0300024131973697,
    -1.393359042394957,
    -1.3804610371214874,
    0.004659784091548893,
    -0.6823972329323277,
    -1.315714554876196,
    -1.4840801863023252,
    -0.7807301213543749,
    1.1277741163784987,
    0.2901361937465571,
    0.5044337534269998,
    0.9556097791201167,
    1.441264678421129,
    1.565454465555994,
    1.0671217352742748,
    0.9325781228554031,
    1.527863335066372,
    0.9700514116798348,
    2.6304120855253217,
    0.07469563331205058,
    -0.3407611234998219,
    2.241539061865991,
    5.056282714949852,
    2.4741120710924442,
    3.4003362658226877,
    3.54966819480589,
    2.2208530980324084,
    -2.3218927497508357,
    -1.9713599147353582,
    -1.9322571366291195,
    -2.44403851925895,
    -0.5596962463204748,
    -1.6399373961915502,
    -2.3625281220652594,
    0.46051093917851005,
    0.25049664958233203,
    -2.5084789295448346,
    -1.6611484373783538,
    -0.07562310866477495,
    0.6893373932765302,
    3.1937078803685526,
    -1.067984201933718,
    0.05146184738283927,
    1.8775635894844585,
    1.151044333680875,
    1.3124227746318655,
    3.7886623642799004,
    1.3958928736697334,
    0.9190647489899111,
    -2.589684148394121,
    -3.0530908097107163,
    -3.3353957896628135,
    -3.0700763317551885,
    -2.8595722644327655,
    -2.7323060173119424,
    -2.963310193189938,
    -2.172764679020053,
    0.5260013353743648,
    0.48446883785950523,
    -0.9007362648964843,
    -2.3859735128271735,
    -0.9187619958402231,
    -1.5656443792448498,
    -1.89322230438823,
    -1.6651310083624684,
    -2.0205694250313915,
    -1.9412660525394485,
    -0.8354216245466015,
    0.3019540091323961,
    -1.319650854726769,
    -1.0851967557012248,
    -2.618746746002086,
    -1.7433412219772186,
    -2.32259829093027,
    -2.637320833334099,
    -3.013327045868563,
    -0.9919463570744802,
    -1.5009774851599333,
    -1.6651310083624684,
    0.23723974884057933,
    0.3471645773909865,
    0.019779412024823008,
    -3.146208555545911,
    -3.011840256174143,
    -2.6633701334548303,
    -1.406615943136709,
    -0.9881366297328159,
    1.8672531485520056,
    0.5266983777530756,
    0.40438975150559625,
    -1.220552779713153,
    -0.9165018677395598,
    -0.9662981013899237,
    -1.213065192307125,
    -1.198938268080183,
    -0.976004113986765,
    -1.6509410125212076,
    2.2951766542926193,
    1.720858265009165,
    0.4811667224888228,
    1.8919953853678912,
    0.004303158294165024,
    -0.22136163458238528,
    -0.6456698405601254,
    -0.7430598116625836,
    0.4626070614503697,
    1.1860101919595443,
    1.1835808708426019,
    0.9663692896369577,
    -2.9525168634738446,
    4.353713939802724,
    4.337039270143769,
    1.9866212843638613,
    2.586102509053844,
    -0.45777679081466743,
    -0.8100554097578542,
    0.7280408077829403,
    0.5527539864942851,
    0.86296546385129,
    0.25886529194681196,
    0.011300338909876253,
    1.5475591611918678,
    0.06011273072600054,
    0.30617563269769177,
    0.045553711830739856,
    0.23099564774492917,
];
