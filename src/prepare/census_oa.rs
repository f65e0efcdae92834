//! Census 2021 tables published by Output Area, checked row by row and summed to LSOA 2021.
//!
//! ONS's own LSOA tables of general health (TS037), the four-way disability split (TS038),
//! unpaid care (TS039), NS-SEC (TS062) and highest qualification (TS067) are not among the raw
//! files; their Output Area (OA) tables are. An LSOA's counts are the sums of its OAs' counts.
//! ONS perturbs each geography's cells separately, so the sums differ by a few people from ONS's
//! own LSOA tables.
//!
//! Every OA row must name one of the atlas's LSOAs and hold non-negative whole counts whose
//! categories add up exactly to the total. Some tables repeat groups of categories as extra
//! columns ("Provides 20 to 49 hours" = 20 to 34 + 35 to 49): these nested columns must equal
//! their parts and are never added again. Every problem is reported, not only the first.
//!
//! England's figures of TS037, TS038 and TS039 come from the England and Wales LSOA file made
//! the same way (OA sums), checked row by row alike; its rows of the atlas's LSOAs must equal the
//! sums of the atlas's Output Area files.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use polars::prelude::*;

use super::frames::scan::{LINE, Scanned};
use super::frames::{failed, inner, strings, tidy};
use crate::atlas::Observation;
use crate::ingest::{IngestError, Location, Row, Table};

/// A Census 2021 table read by Output Area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OaTable {
    /// TS037 general health (usual residents).
    GeneralHealth,
    /// TS038 disability, split by how much day-to-day activities are limited (usual residents).
    Disability,
    /// TS039 provision of unpaid care (usual residents aged 5 and over).
    UnpaidCare,
    /// TS062 NS-SEC (usual residents aged 16 and over).
    Nssec,
    /// TS067 highest level of qualification (usual residents aged 16 and over).
    Qualification,
}

/// The columns of a table, as the raw files name them.
#[derive(Debug)]
pub struct Layout {
    /// The Coventry Output Area file, relative to the raw folder.
    pub file: &'static str,
    /// The column of the table's total.
    pub total: &'static str,
    /// The categories, which partition the total.
    pub categories: &'static [&'static str],
    /// Columns that group some of the categories: each column with its parts.
    pub nested: &'static [(&'static str, &'static [&'static str])],
    /// The prefix of the table's columns in the England and Wales LSOA file, when it holds the table.
    pub national: Option<&'static str>,
}

/// The England and Wales file of TS037, TS038 and TS039 OA counts summed to LSOA 2021.
pub const NATIONAL_FILE: &str = "national/ew_census2021_lsoa21_health_ts037_ts038_ts039_from_oa_derived.csv.gz";

const RESIDENTS: &str = "Total: All usual residents";
const AGED_16_PLUS: &str = "Total: All usual residents aged 16 years and over";
const LIMITED_A_LOT: &str = "Disabled under the Equality Act: Day-to-day activities limited a lot";
const LIMITED_A_LITTLE: &str = "Disabled under the Equality Act: Day-to-day activities limited a little";
const CONDITION_NOT_LIMITING: &str = "Not disabled under the Equality Act: Has long term physical or mental health condition but day-to-day activities are not limited";
const NO_CONDITION: &str = "Not disabled under the Equality Act: No long term physical or mental health conditions";
const CARE_9_OR_LESS: &str = "Provides 9 hours or less unpaid care a week";
const CARE_10_TO_19: &str = "Provides 10 to 19 hours unpaid care a week";
const CARE_20_TO_34: &str = "Provides 20 to 34 hours unpaid care a week";
const CARE_35_TO_49: &str = "Provides 35 to 49 hours unpaid care a week";
/// TS039: 50 or more hours of unpaid care a week.
pub const CARE_50_PLUS: &str = "Provides 50 or more hours unpaid care a week";
/// TS039: the categories of people who provide unpaid care, 20 hours a week or more.
pub const CARE_20_PLUS: [&str; 3] = [CARE_20_TO_34, CARE_35_TO_49, CARE_50_PLUS];
/// TS039: the categories of people who provide any unpaid care (the nested groups left out).
pub const CARE_ANY: [&str; 5] = [CARE_9_OR_LESS, CARE_10_TO_19, CARE_20_TO_34, CARE_35_TO_49, CARE_50_PLUS];
/// TS038: disabled, day-to-day activities limited a lot.
pub const DISABLED_A_LOT: &str = LIMITED_A_LOT;

impl OaTable {
    /// Every table, in the order they are read.
    pub const ALL: [OaTable; 5] =
        [OaTable::GeneralHealth, OaTable::Disability, OaTable::UnpaidCare, OaTable::Nssec, OaTable::Qualification];

    /// The table's files and columns.
    pub fn layout(self) -> &'static Layout {
        match self {
            OaTable::GeneralHealth => &Layout {
                file: "census2021/coventry_census2021_oa21_general_health_ts037.csv",
                total: RESIDENTS,
                categories: &["Very good health", "Good health", "Fair health", "Bad health", "Very bad health"],
                nested: &[],
                national: Some("TS037: General health: "),
            },
            OaTable::Disability => &Layout {
                file: "census2021/coventry_census2021_oa21_disability_4way_ts038.csv",
                total: RESIDENTS,
                categories: &[LIMITED_A_LOT, LIMITED_A_LITTLE, CONDITION_NOT_LIMITING, NO_CONDITION],
                nested: &[
                    ("Disabled under the Equality Act", &[LIMITED_A_LOT, LIMITED_A_LITTLE]),
                    ("Not disabled under the Equality Act", &[CONDITION_NOT_LIMITING, NO_CONDITION]),
                ],
                national: Some("TS038: Disability: "),
            },
            OaTable::UnpaidCare => &Layout {
                file: "census2021/coventry_census2021_oa21_unpaid_care_ts039.csv",
                total: "Total: All usual residents aged 5 and over",
                categories: &[
                    "Provides no unpaid care",
                    CARE_9_OR_LESS,
                    CARE_10_TO_19,
                    CARE_20_TO_34,
                    CARE_35_TO_49,
                    CARE_50_PLUS,
                ],
                nested: &[
                    ("Provides 19 hours or less unpaid care a week", &[CARE_9_OR_LESS, CARE_10_TO_19]),
                    ("Provides 20 to 49 hours unpaid care a week", &[CARE_20_TO_34, CARE_35_TO_49]),
                ],
                national: Some("TS039: Provision of unpaid care: "),
            },
            OaTable::Nssec => &Layout {
                file: "census2021/coventry_census2021_oa21_nssec_ts062.csv",
                total: AGED_16_PLUS,
                categories: &[
                    "L1, L2 and L3 Higher managerial, administrative and professional occupations",
                    "L4, L5 and L6 Lower managerial, administrative and professional occupations",
                    "L7 Intermediate occupations",
                    "L8 and L9 Small employers and own account workers",
                    "L10 and L11 Lower supervisory and technical occupations",
                    "L12 Semi-routine occupations",
                    "L13 Routine occupations",
                    "L14.1 and L14.2 Never worked and long-term unemployed",
                    "L15 Full-time students",
                ],
                nested: &[],
                national: None,
            },
            OaTable::Qualification => &Layout {
                file: "census2021/coventry_census2021_oa21_highest_qualification_ts067.csv",
                total: AGED_16_PLUS,
                categories: &[
                    "No qualifications",
                    "Level 1 and entry level qualifications",
                    "Level 2 qualifications",
                    "Apprenticeship",
                    "Level 3 qualifications",
                    "Level 4 qualifications and above",
                    "Other qualifications",
                ],
                nested: &[],
                national: None,
            },
        }
    }
}

/// A table's columns as one file names them, with each nested column's parts by position.
struct Columns {
    total: String,
    categories: Vec<String>,
    nested: Vec<(String, Vec<usize>)>,
}

impl Columns {
    /// The layout's columns, each name after `prefix`.
    fn new(layout: &Layout, prefix: &str) -> Columns {
        let named = |name: &str| format!("{prefix}{name}");
        let position = |part: &&str| layout.categories.iter().position(|c| c == part);
        Columns {
            total: named(layout.total),
            categories: layout.categories.iter().map(|c| named(c)).collect(),
            nested: layout
                .nested
                .iter()
                .map(|(name, parts)| (named(name), parts.iter().filter_map(position).collect()))
                .collect(),
        }
    }

    /// Every column, the total first.
    fn all(&self) -> Vec<&str> {
        let mut all = vec![self.total.as_str()];
        all.extend(self.categories.iter().map(String::as_str));
        all.extend(self.nested.iter().map(|(n, _)| n.as_str()));
        all
    }

    /// A row's counts, the total first and then each category, when every check passes; each
    /// problem found is added to `problems`.
    fn counts(&self, row: &Row<'_>, problems: &mut Vec<IngestError>) -> Option<Vec<u64>> {
        let columns = self.all();
        let parsed: Vec<u64> =
            columns.iter().filter_map(|column| count(row, column).map_err(|e| problems.push(e)).ok()).collect();
        if parsed.len() < columns.len() {
            return None;
        }
        let (counts, grouped) = parsed.split_at(1 + self.categories.len());
        let mut agrees = true;
        let sum: u64 = counts[1..].iter().sum();
        if sum != counts[0] {
            problems.push(row.error(&self.total, format!("{} but the categories sum to {sum}", counts[0])));
            agrees = false;
        }
        for ((column, parts), &value) in self.nested.iter().zip(grouped) {
            let sum: u64 = parts.iter().map(|&p| counts[1 + p]).sum();
            if sum != value {
                let names: Vec<&str> = parts.iter().map(|&p| self.categories[p].as_str()).collect();
                problems.push(row.error(column, format!("{value} but its parts ({}) sum to {sum}", names.join("; "))));
                agrees = false;
            }
        }
        agrees.then(|| counts.to_vec())
    }
}

/// A cell holding a count: a whole number of 0 or more.
fn count(row: &Row<'_>, column: &str) -> Result<u64, IngestError> {
    // Whole numbers up to 2^53 are exact in f64.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    match row.number(column)? {
        Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= EXACT => Ok(n as u64),
        Some(n) => Err(row.error(column, format!("{n} is not a count: counts are whole numbers of 0 or more"))),
        None => Err(row.error(column, "is blank or marked missing; every cell of the table needs a count")),
    }
}

/// A table's counts summed from Output Areas to LSOAs: the total first, then each category.
#[derive(Debug)]
pub struct LsoaSums {
    table: OaTable,
    file: String,
    sums: BTreeMap<String, Vec<u64>>,
}

impl LsoaSums {
    /// The table.
    pub fn table(&self) -> OaTable {
        self.table
    }

    /// The summed count of one column (the total or a category) of an LSOA.
    pub fn count(&self, lsoa: &str, column: &str) -> Option<u64> {
        let layout = self.table.layout();
        let position =
            if column == layout.total { 0 } else { 1 + layout.categories.iter().position(|c| *c == column)? };
        self.sums.get(lsoa).map(|counts| counts[position])
    }

    /// The LSOAs with sums, in code order.
    pub fn lsoas(&self) -> impl Iterator<Item = &String> {
        self.sums.keys()
    }
}

/// Checks every row of a table's Output Area file and sums the counts to LSOAs; `lsoas` are the
/// atlas's LSOA codes, each of which must have at least one Output Area.
pub fn sum_output_areas(table: OaTable, csv: &Table, lsoas: &BTreeSet<String>) -> Result<LsoaSums, Vec<IngestError>> {
    let columns = Columns::new(table.layout(), "");
    let mut expected = vec!["oa21_code", "lsoa21_code"];
    expected.extend(columns.all());
    csv.require(&expected).map_err(|e| vec![e])?;
    let mut problems = Vec::new();
    for column in csv.columns() {
        if !expected.contains(&column.as_str()) {
            problems.push(IngestError::at(
                csv.file(),
                Location::Line(1),
                Some(&column),
                format!("is not a column of this table; expected exactly {}", expected.join(", ")),
            ));
        }
    }
    let mut sums: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    let mut output_areas = HashSet::new();
    let mut named = HashSet::new();
    for row in csv.rows() {
        match row.text("oa21_code") {
            Ok(oa) if !output_areas.insert(oa) => {
                problems.push(row.error("oa21_code", format!("Output Area {oa} is listed twice")));
            }
            Ok(_) => {}
            Err(e) => problems.push(e),
        }
        let lsoa = match row.text("lsoa21_code") {
            Ok(code) if lsoas.contains(code) => {
                named.insert(code);
                Some(code)
            }
            Ok(code) => {
                let message = format!("{code} is not one of the atlas's {} LSOAs", lsoas.len());
                problems.push(row.error("lsoa21_code", message));
                None
            }
            Err(e) => {
                problems.push(e);
                None
            }
        };
        let counts = columns.counts(&row, &mut problems);
        if let (Some(lsoa), Some(counts)) = (lsoa, counts) {
            let sum = sums.entry(lsoa.to_owned()).or_insert_with(|| vec![0; counts.len()]);
            sum.iter_mut().zip(counts).for_each(|(s, c)| *s += c);
        }
    }
    for code in lsoas {
        if !named.contains(code.as_str()) {
            problems.push(IngestError::file(csv.file(), format!("has no Output Area of the atlas's LSOA {code}")));
        }
    }
    if problems.is_empty() { Ok(LsoaSums { table, file: csv.file().to_owned(), sums }) } else { Err(problems) }
}

impl LsoaSums {
    /// Each LSOA's share: the named categories' summed count over the table's total, times
    /// `multiplier`, in code order. Only categories count, never nested columns, so nothing is
    /// added twice.
    pub fn share(&self, categories: &[&str], multiplier: f64) -> Result<Vec<(String, Observation)>, IngestError> {
        let layout = self.table.layout();
        let mut picked: Vec<usize> = Vec::with_capacity(categories.len());
        for category in categories {
            match layout.categories.iter().position(|c| c == category) {
                Some(i) if !picked.contains(&(i + 1)) => picked.push(i + 1),
                _ => {
                    return Err(IngestError::file(
                        &self.file,
                        format!(
                            "{category:?} is not a category of the table (nested columns are not), or is named twice"
                        ),
                    ));
                }
            }
        }
        Ok(self
            .sums
            .iter()
            .map(|(code, counts)| {
                let (n, total) = (picked.iter().map(|&i| counts[i]).sum::<u64>() as f64, counts[0] as f64);
                let value = (total > 0.0).then(|| tidy(n / total * multiplier));
                (code.clone(), Observation { numerator: Some(n), denominator: Some(total), value })
            })
            .collect())
    }
}

/// Reads every table's Output Area file, reporting every problem of every file.
pub fn read_output_areas(raw: &std::path::Path, lsoas: &BTreeSet<String>) -> Result<Vec<LsoaSums>, Vec<IngestError>> {
    let mut read = Vec::new();
    let mut problems = Vec::new();
    for table in OaTable::ALL {
        let summed = Table::from_path(&raw.join(table.layout().file))
            .map_err(|e| vec![e])
            .and_then(|csv| sum_output_areas(table, &csv, lsoas));
        match summed {
            Ok(sums) => read.push(sums),
            Err(found) => problems.extend(found),
        }
    }
    if problems.is_empty() { Ok(read) } else { Err(problems) }
}

/// Every column of the national file that a run reads: each held table's total, categories and
/// nested columns.
pub fn national_columns() -> Vec<String> {
    OaTable::ALL
        .iter()
        .filter_map(|t| Some(Columns::new(t.layout(), t.layout().national?)))
        .flat_map(|columns| columns.all().into_iter().map(str::to_owned).collect::<Vec<_>>())
        .collect()
}

/// Checks every row of the national file as the Output Area rows are checked: whole counts of 0
/// or more, categories that add up to the total, nested columns that equal their parts.
pub fn check_national(national: &Scanned) -> Result<(), IngestError> {
    let mut checks: Vec<(String, Expr, String)> = Vec::new();
    for table in OaTable::ALL {
        let Some(prefix) = table.layout().national else { continue };
        let columns = Columns::new(table.layout(), prefix);
        for column in columns.all() {
            let c = col(column);
            let whole = c.clone().gt_eq(lit(0.0)).and(c.clone().floor().eq(c.clone()));
            let message = "is not a count: counts are whole numbers of 0 or more (or it is blank)".to_owned();
            checks.push((column.to_owned(), whole.not().or(c.is_null()), message));
        }
        let sum = columns.categories.iter().map(|c| col(c.as_str())).reduce(|a, b| a + b).unwrap_or_else(|| lit(0.0));
        let message = "differs from the sum of the table's categories".to_owned();
        checks.push((columns.total.clone(), sum.neq(col(columns.total.as_str())), message));
        for (nested, parts) in &columns.nested {
            let sum = parts.iter().map(|&p| col(columns.categories[p].as_str())).reduce(|a, b| a + b);
            if let Some(sum) = sum {
                checks.push((
                    nested.clone(),
                    sum.neq(col(nested.as_str())),
                    "differs from the sum of its parts".to_owned(),
                ));
            }
        }
    }
    let first_bad: Vec<Expr> = checks
        .iter()
        .enumerate()
        .map(|(i, (_, bad, _))| col(LINE).filter(bad.clone()).first().alias(format!("c{i}")))
        .collect();
    let found = national.frame.clone().lazy().select(first_bad).collect().map_err(failed(&national.file))?;
    let mut first: Option<(u32, usize)> = None;
    for (i, column) in found.columns().iter().enumerate() {
        if let Some(line) = column.as_materialized_series().idx().ok().and_then(|s| s.get(0)) {
            first = first.min(Some((line, i))).or(Some((line, i)));
        }
    }
    match first {
        None => Ok(()),
        Some((line, i)) => {
            let (column, _, message) = &checks[i];
            Err(IngestError::at(&national.file, Location::Line(line as usize), Some(column), message.clone()))
        }
    }
}

/// Fails when a table's LSOA sums of the atlas's Output Areas differ from the national file's row of
/// the same LSOA: both are sums of the same Output Area counts.
pub fn check_against_national(sums: &LsoaSums, national: &Scanned) -> Result<(), IngestError> {
    let Some(prefix) = sums.table.layout().national else { return Ok(()) };
    let columns = Columns::new(sums.table.layout(), prefix);
    let mut names = vec![columns.total.clone()];
    names.extend(columns.categories.iter().cloned());
    let codes: Vec<String> = sums.sums.keys().cloned().collect();
    let wanted =
        DataFrame::new_infer_height(vec![Column::new("lsoa21_code".into(), codes)]).map_err(failed(&national.file))?;
    let mut selected = vec![col(LINE), col("lsoa21_code")];
    selected.extend(names.iter().map(|n| col(n.as_str())));
    let rows = national
        .frame
        .clone()
        .lazy()
        .join(wanted.lazy(), [col("lsoa21_code")], [col("lsoa21_code")], inner())
        .select(selected)
        .collect()
        .map_err(failed(&national.file))?;
    let codes = strings(&rows, "lsoa21_code");
    let lines: Vec<Option<u32>> = rows
        .column(LINE)
        .ok()
        .and_then(|c| c.as_materialized_series().idx().ok().map(|s| s.iter().collect()))
        .unwrap_or_default();
    for (position, name) in names.iter().enumerate() {
        let values: Vec<Option<f64>> =
            rows.column(name).ok().and_then(|c| c.f64().ok().map(|s| s.iter().collect())).unwrap_or_default();
        for ((code, line), value) in codes.iter().zip(&lines).zip(values) {
            let summed = sums.sums.get(code).map(|counts| counts[position] as f64);
            if value != summed {
                let oa_file = sums.table.layout().file;
                return Err(IngestError::at(
                    &national.file,
                    Location::Line(line.unwrap_or(0) as usize),
                    Some(name),
                    format!(
                        "{} but the atlas's Output Areas ({oa_file}) sum to {}",
                        value.unwrap_or(f64::NAN),
                        summed.unwrap_or(f64::NAN)
                    ),
                ));
            }
        }
    }
    if rows.height() < sums.sums.len() {
        return Err(IngestError::file(&national.file, "has no row for some of the atlas's LSOAs"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lsoas(codes: &[&str]) -> BTreeSet<String> {
        codes.iter().map(|c| (*c).to_owned()).collect()
    }

    const HEADER: &str = "oa21_code,lsoa21_code,Total: All usual residents aged 5 and over,Provides no unpaid care,Provides 19 hours or less unpaid care a week,Provides 9 hours or less unpaid care a week,Provides 10 to 19 hours unpaid care a week,Provides 20 to 49 hours unpaid care a week,Provides 20 to 34 hours unpaid care a week,Provides 35 to 49 hours unpaid care a week,Provides 50 or more hours unpaid care a week\n";

    fn care(rows: &str) -> Result<LsoaSums, Vec<IngestError>> {
        let table = Table::from_bytes("care.csv", format!("{HEADER}{rows}").into_bytes()).unwrap();
        sum_output_areas(OaTable::UnpaidCare, &table, &lsoas(&["E01009522"]))
    }

    #[test]
    fn nested_care_columns_are_checked_but_never_added_again() {
        // Two Output Areas of E01009522 (the first two of the Coventry file).
        let sums = care("E00048208,E01009522,401,379,10,6,4,6,2,4,6\nE00048237,E01009522,442,402,16,13,3,10,6,4,14\n")
            .unwrap();
        assert_eq!(sums.count("E01009522", "Total: All usual residents aged 5 and over"), Some(843));
        assert_eq!(sums.count("E01009522", CARE_50_PLUS), Some(20));
        assert_eq!(sums.count("E01009522", "Provides 19 hours or less unpaid care a week"), None);
    }

    #[test]
    fn a_nested_column_that_differs_from_its_parts_is_reported() {
        let problems = care("E00048208,E01009522,401,379,10,6,4,7,2,4,6\n").unwrap_err();
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            vec![
                "care.csv: line 2, field `Provides 20 to 49 hours unpaid care a week`: 7 but its parts (Provides 20 to 34 hours unpaid care a week; Provides 35 to 49 hours unpaid care a week) sum to 6"
            ]
        );
    }

    #[test]
    fn fractions_negatives_blanks_and_unknown_lsoas_are_each_reported() {
        let problems =
            care("E00048208,E01999999,401,379.5,10,6,4,6,2,4,6\nE00048237,E01009522,442,-1,16,13,3,10,6,4,\n")
                .unwrap_err();
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 4, "{text:#?}");
        assert!(text[0].contains("line 2, field `lsoa21_code`: E01999999 is not one of the atlas's 1 LSOAs"));
        assert!(text[1].contains("line 2, field `Provides no unpaid care`: 379.5 is not a count"));
        assert!(text[2].contains("line 3, field `Provides no unpaid care`: -1 is not a count"));
        assert!(text[3].contains("line 3, field `Provides 50 or more hours unpaid care a week`: is blank"));
    }

    #[test]
    fn an_atlas_lsoa_without_output_areas_is_reported() {
        let table =
            Table::from_bytes("care.csv", format!("{HEADER}E00048208,E01009522,401,379,10,6,4,6,2,4,6\n").into_bytes())
                .unwrap();
        let problems = sum_output_areas(OaTable::UnpaidCare, &table, &lsoas(&["E01009522", "E01009523"])).unwrap_err();
        assert_eq!(problems[0].to_string(), "care.csv: has no Output Area of the atlas's LSOA E01009523");
    }

    #[test]
    fn an_unknown_column_is_reported() {
        let table = Table::from_bytes(
            "ts067.csv",
            b"oa21_code,lsoa21_code,Total: All usual residents aged 16 years and over,No qualifications,Level 1 and entry level qualifications,Level 2 qualifications,Apprenticeship,Level 3 qualifications,Level 4 qualifications and above,Other qualifications,Does not apply\nE00048208,E01009522,259,84,20,19,12,18,70,36,0\n".to_vec(),
        )
        .unwrap();
        let problems = sum_output_areas(OaTable::Qualification, &table, &lsoas(&["E01009522"])).unwrap_err();
        assert!(problems[0].to_string().starts_with("ts067.csv: line 1, field `Does not apply`: is not a column"));
    }

    #[test]
    fn every_nested_part_is_a_category() {
        for table in OaTable::ALL {
            let layout = table.layout();
            for (name, parts) in layout.nested {
                assert!(parts.iter().all(|p| layout.categories.contains(p)), "{name}");
            }
        }
    }

    #[test]
    fn a_share_refuses_nested_columns_and_repeated_categories() {
        let counts = LsoaSums { table: OaTable::UnpaidCare, file: "f".into(), sums: BTreeMap::new() };
        assert!(counts.share(&["Provides 20 to 49 hours unpaid care a week"], 100.0).is_err());
        assert!(counts.share(&[CARE_50_PLUS, CARE_50_PLUS], 100.0).is_err());
        assert!(counts.share(&CARE_ANY, 100.0).is_ok());
    }
}
