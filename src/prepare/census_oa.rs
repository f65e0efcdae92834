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
//! the same way (OA sums); its Coventry rows must equal the sums of Coventry's OA files.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::bridge::tidy;
use super::england::England;
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

/// A table's counts on England's LSOAs 2021 (positions as in [`England::lsoa21`]): Coventry's
/// summed from its Output Areas, the rest of England from the national file when it holds the table.
pub struct EnglandCounts {
    table: OaTable,
    file: String,
    lsoa21: Vec<Option<Vec<u64>>>,
    /// True when every English LSOA was read, not only Coventry's.
    pub national: bool,
}

impl EnglandCounts {
    /// Each LSOA's share: the named categories' summed count over the table's total, times
    /// `multiplier`. Only categories count, never nested columns, so nothing is added twice.
    pub fn share(&self, categories: &[&str], multiplier: f64) -> Result<Vec<Option<Observation>>, IngestError> {
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
            .lsoa21
            .iter()
            .map(|counts| {
                let counts = counts.as_ref()?;
                let (n, total) = (picked.iter().map(|&i| counts[i]).sum::<u64>() as f64, counts[0] as f64);
                let value = (total > 0.0).then(|| tidy(n / total * multiplier));
                Some(Observation { numerator: Some(n), denominator: Some(total), value })
            })
            .collect())
    }
}

/// Reads every table's Coventry Output Area file, reporting every problem of every file.
pub fn read_coventry(raw: &std::path::Path, lsoas: &BTreeSet<String>) -> Result<Vec<LsoaSums>, Vec<IngestError>> {
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

/// Places Coventry's sums among England's LSOAs and reads the rest of England from the national
/// file, whose Coventry rows must equal the sums of Coventry's Output Areas.
pub fn england_counts(
    raw: &std::path::Path,
    england: &England,
    coventry: Vec<LsoaSums>,
) -> Result<Vec<(OaTable, EnglandCounts)>, Vec<IngestError>> {
    let mut tables: Vec<(OaTable, EnglandCounts)> = coventry
        .into_iter()
        .map(|sums| {
            let mut lsoa21 = vec![None; england.lsoa21.len()];
            for (code, counts) in sums.sums {
                if let Some(i) = england.position(&code) {
                    lsoa21[i] = Some(counts);
                }
            }
            let national = sums.table.layout().national.is_some();
            (sums.table, EnglandCounts { table: sums.table, file: sums.file, lsoa21, national })
        })
        .collect();
    let csv = Table::from_path(&raw.join(NATIONAL_FILE)).map_err(|e| vec![e])?;
    let held: Vec<(usize, Columns)> = tables
        .iter()
        .enumerate()
        .filter_map(|(i, (table, _))| Some((i, Columns::new(table.layout(), table.layout().national?))))
        .collect();
    let mut required = vec!["lsoa21_code"];
    held.iter().for_each(|(_, columns)| required.extend(columns.all()));
    csv.require(&required).map_err(|e| vec![e])?;

    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    for row in csv.rows() {
        let code = match row.text("lsoa21_code") {
            Ok(code) => code,
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        let Some(i) = england.position(code) else { continue };
        if !seen.insert(i) {
            problems.push(row.error("lsoa21_code", format!("LSOA {code} is listed twice")));
            continue;
        }
        let in_coventry = england.coventry.binary_search(&i).is_ok();
        for (t, columns) in &held {
            let Some(counts) = columns.counts(&row, &mut problems) else { continue };
            let (table, summed) = &mut tables[*t];
            if !in_coventry {
                summed.lsoa21[i] = Some(counts);
                continue;
            }
            let from_output_areas = summed.lsoa21[i].as_deref().unwrap_or_default();
            let names = std::iter::once(&columns.total).chain(&columns.categories);
            if let Some((column, (n, m))) = names.zip(counts.iter().zip(from_output_areas)).find(|(_, (n, m))| n != m) {
                let oa_file = table.layout().file;
                problems.push(row.error(column, format!("{n} but Coventry's Output Areas ({oa_file}) sum to {m}")));
            }
        }
    }
    if problems.is_empty() { Ok(tables) } else { Err(problems) }
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
        let counts = EnglandCounts { table: OaTable::UnpaidCare, file: "f".into(), lsoa21: vec![], national: false };
        assert!(counts.share(&["Provides 20 to 49 hours unpaid care a week"], 100.0).is_err());
        assert!(counts.share(&[CARE_50_PLUS, CARE_50_PLUS], 100.0).is_err());
        assert!(counts.share(&CARE_ANY, 100.0).is_ok());
    }
}
