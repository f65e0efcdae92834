//! The district a run prepares: its code checked against England's districts, its LSOAs, and the
//! words of the catalogue's notes filled in with its own figures (`{place}`, `{age_structure}`,
//! ... in the notes), so no note names one district's figures in another's folder.

use polars::prelude::*;

use super::comparators::ComparatorRow;
use super::derive::ValueRow;
use super::district_areas::DistrictLsoa;
use super::frames::strings;
use super::national::Geography;
use crate::atlas::schema::{ComparatorRole, ENGLAND_CODE, Indicator};
use crate::ingest::IngestError;

/// The district a run prepares.
#[derive(Debug, Clone)]
pub struct District {
    /// GSS code.
    pub code: String,
    /// Name, as the ONS lookup gives it.
    pub name: String,
    /// Its LSOAs, in code order.
    pub lsoas: Vec<DistrictLsoa>,
}

/// What `--lad` takes for an atlas of all England.
pub const ALL: &str = "all";

/// The district named by `--lad` (Coventry when none is given), with its LSOAs from the ONS
/// lookup; a code that is not an English district, or one with no LSOAs, is refused. `all` is
/// England, every LSOA of every district, or of the districts in `only` when it names any.
pub fn resolve(code: &str, only: &[String], geography: &Geography) -> Result<District, IngestError> {
    let file = &geography.districts_file;
    if code == ALL {
        return england(only, geography);
    }
    if !only.is_empty() {
        return Err(IngestError::file(file, format!("--only-districts narrows --lad all, not --lad {code}")));
    }
    check_code(code, file)?;
    let rows = in_districts(geography, &[code.to_owned()])?;
    let Some(name) = strings(&rows, "district_name").into_iter().next() else {
        return Err(IngestError::file(
            file,
            format!("no English LSOA 2021 lies in district {code}: it is not a current (2024) district of England"),
        ));
    };
    Ok(District { code: code.to_owned(), name, lsoas: lsoas_of(&rows) })
}

/// England as one atlas: every English LSOA, or those of the districts in `only`; the place is
/// then named after them, so no output calls a few districts England.
fn england(only: &[String], geography: &Geography) -> Result<District, IngestError> {
    let file = &geography.districts_file;
    let rows = match only {
        [] => geography.lsoas.clone(),
        codes => {
            for code in codes {
                check_code(code, file)?;
            }
            in_districts(geography, codes)?
        }
    };
    let lsoas = lsoas_of(&rows);
    let mut names: Vec<&str> = Vec::new();
    for code in only {
        match lsoas.iter().find(|l| &l.district == code) {
            Some(l) => names.push(&l.district_name),
            None => {
                return Err(IngestError::file(
                    file,
                    format!("--only-districts {code}: no English LSOA 2021 lies in that district"),
                ));
            }
        }
    }
    let name = match names.as_slice() {
        [] => "England".to_owned(),
        [one] => format!("England: {one} only"),
        [first @ .., last] => format!("England: {} and {last} only", first.join(", ")),
    };
    Ok(District { code: ENGLAND_CODE.to_owned(), name, lsoas })
}

/// Refuses a code that is not an English district's.
fn check_code(code: &str, file: &str) -> Result<(), IngestError> {
    let well_formed = code.len() == 9 && code[3..].chars().all(|c| c.is_ascii_digit());
    if code.starts_with("W06") && well_formed {
        return Err(IngestError::file(
            file,
            format!("--lad {code} is a Welsh district: the Indices of Deprivation cover England only"),
        ));
    }
    if !(well_formed && ["E06", "E07", "E08", "E09"].iter().any(|p| code.starts_with(p))) {
        return Err(IngestError::file(
            file,
            format!(
                "--lad {code:?} is not a local authority district code: E06, E07, E08 or E09 and six digits, e.g. E08000026 (Coventry), or `all` for England"
            ),
        ));
    }
    Ok(())
}

/// England's LSOA rows in the districts named.
fn in_districts(geography: &Geography, codes: &[String]) -> Result<DataFrame, IngestError> {
    let any = codes.iter().map(|c| col("district").eq(lit(c.as_str()))).reduce(|a, b| a.or(b)).unwrap_or(lit(false));
    geography
        .lsoas
        .clone()
        .lazy()
        .filter(any)
        .collect()
        .map_err(|e| IngestError::file(&geography.districts_file, e.to_string()))
}

/// The LSOAs of lookup rows, in the rows' (code) order.
fn lsoas_of(rows: &DataFrame) -> Vec<DistrictLsoa> {
    let column = |c: &str| strings(rows, c);
    let (codes, names, wards, ward_names, msoas, msoa_names) =
        (column("lsoa"), column("lsoa_name"), column("ward"), column("ward_name"), column("msoa"), column("msoa_name"));
    let (districts, district_names) = (column("district"), column("district_name"));
    (0..rows.height())
        .map(|i| DistrictLsoa {
            code: codes[i].clone(),
            name: names[i].clone(),
            ward: wards[i].clone(),
            ward_name: ward_names[i].clone(),
            msoa: msoas[i].clone(),
            msoa_name: msoa_names[i].clone(),
            district: districts[i].clone(),
            district_name: district_names[i].clone(),
        })
        .collect()
}

/// The district's own figures that the catalogue's notes quote.
pub struct NoteFacts<'a> {
    /// The district's name.
    pub place: &'a str,
    /// Its LSOAs.
    pub lsoas: usize,
    /// Its benchmark and published comparator rows, and England's.
    pub comparators: &'a [ComparatorRow],
    /// Its LSOA figures.
    pub values: &'a [ValueRow],
    /// Its LSOAs 2021 formed by merging LSOAs 2011.
    pub merged: usize,
}

/// The notes with every `{...}` filled in from the district's figures.
pub fn localise(indicators: &mut [Indicator], facts: &NoteFacts<'_>) {
    let fills = fills(facts);
    for indicator in indicators {
        for (token, text) in &fills {
            if indicator.notes.contains(token.as_str()) {
                indicator.notes = indicator.notes.replace(token.as_str(), text);
            }
        }
    }
}

/// Each token with its words.
fn fills(facts: &NoteFacts<'_>) -> Vec<(String, String)> {
    let benchmark = |id: &str, area: &str| {
        facts
            .comparators
            .iter()
            .find(|r| r.indicator_id == id && r.role == ComparatorRole::Benchmark && r.area_name == area)
            .map(|r| r.value)
    };
    let published = |id: &str| {
        facts
            .comparators
            .iter()
            .find(|r| r.indicator_id == id && r.role == ComparatorRole::Published && r.area_name == facts.place)
            .map_or_else(|| "not published for this district".to_owned(), |r| format!("{}%", r.value))
    };
    let mut fills = vec![
        ("{place}".to_owned(), facts.place.to_owned()),
        ("{lsoas}".to_owned(), facts.lsoas.to_string()),
        (
            "{merged}".to_owned(),
            match facts.merged {
                0 => format!("none in {}", facts.place),
                n => format!("{n} in {}", facts.place),
            },
        ),
        (
            "{age_structure}".to_owned(),
            age_structure(
                facts.place,
                benchmark("census21_age65plus", facts.place),
                benchmark("census21_age65plus", "England"),
            ),
        ),
    ];
    for id in ["iod25_income_rate", "iod25_employment_rate", "iod19_income_rate", "iod19_employment_rate"] {
        let sum = benchmark(id, facts.place).map_or_else(|| "no figure".to_owned(), |v| format!("{v:.2}%"));
        fills.push((format!("{{{id}}}"), sum));
        fills.push((format!("{{published:{id}}}"), published(id)));
        fills.push((format!("{{error:{id}}}"), implied_error(facts.values, id)));
    }
    fills
}

/// How the district's age structure compares with England's, in words.
fn age_structure(place: &str, district: Option<f64>, england: Option<f64>) -> String {
    let (Some(district), Some(england)) = (district, england) else {
        return format!("{place}'s age structure differs from England's");
    };
    let (district, england) = ((district * 10.0).round() / 10.0, (england * 10.0).round() / 10.0);
    let compared = if district < england {
        "is younger than"
    } else if district > england {
        "is older than"
    } else {
        "has as many older residents as"
    };
    format!("{place} {compared} England (aged 65 and over: {district:.1}% against {england:.1}%)")
}

/// The largest error of an implied denominator among the district's LSOAs, in % of it: a count
/// rounded to a multiple of 5 is out by up to 2.5, a rate given to 3 decimals by up to 0.0005.
fn implied_error(values: &[ValueRow], id: &str) -> String {
    let worst = values
        .iter()
        .filter(|r| r.indicator_id == id)
        .filter_map(|r| {
            let (count, rate) = (r.numerator?, r.value? / 100.0);
            (count > 0.0 && rate > 0.0).then(|| (2.5 / count + 0.0005 / rate) * 100.0)
        })
        .fold(0.0_f64, f64::max);
    format!("{worst:.0}")
}

/// The district's LSOAs 2021 (by id) formed by merging LSOAs 2011.
pub fn merged(geography: &Geography, atlas: &DataFrame) -> PolarsResult<usize> {
    let parents = geography
        .links
        .clone()
        .lazy()
        .group_by([col("lsoa21")])
        .agg([len().alias("parents")])
        .filter(col("parents").gt(lit(1)))
        .join(atlas.clone().lazy(), [col("lsoa21")], [col("lsoa")], super::frames::inner())
        .collect()?;
    Ok(parents.height())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_age_structure_is_said_both_ways() {
        assert_eq!(
            age_structure("Coventry", Some(14.568975), Some(18.412613)),
            "Coventry is younger than England (aged 65 and over: 14.6% against 18.4%)"
        );
        assert_eq!(
            age_structure("Rutland", Some(25.9), Some(18.4)),
            "Rutland is older than England (aged 65 and over: 25.9% against 18.4%)"
        );
    }

    #[test]
    fn the_implied_denominator_error_is_the_worst_lsoa() {
        let row = |n: f64, v: f64| ValueRow {
            lsoa21_code: String::new(),
            indicator_id: "i".into(),
            period: String::new(),
            numerator: Some(n),
            denominator: None,
            value: Some(v),
        };
        // 2.5 ÷ 40 + 0.0005 ÷ 0.1 = 0.0675: 7%; 2.5 ÷ 500 + 0.0005 ÷ 0.5 = 0.006.
        assert_eq!(implied_error(&[row(40.0, 10.0), row(500.0, 50.0)], "i"), "7");
    }
}
