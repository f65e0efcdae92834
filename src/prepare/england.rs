//! England's LSOAs: their codes, Census 2021 usual residents and local authority districts, which
//! of them are the atlas's (Coventry's), and the bridge from the LSOAs 2011 of IoD2019.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use super::bridge::{Bridge, BridgeError, CHANGE_CODES};
use super::raw::Wide;
use crate::analysis::aggregate::Contribution;
use crate::atlas::Observation;
use crate::ingest::{IngestError, Table};

/// Every English LSOA 2021 and LSOA 2011, and how they relate.
pub struct England {
    /// LSOA 2021 codes, sorted.
    pub lsoa21: Vec<String>,
    /// Census 2021 usual residents of each LSOA 2021 (the weight of population-weighted means).
    pub residents: Vec<f64>,
    /// Local authority district (2024) codes, sorted.
    pub districts: Vec<String>,
    /// Positions (in `lsoa21`) of each district's LSOAs, by district.
    pub district_members: Vec<Vec<usize>>,
    /// Positions (in `lsoa21`) of the atlas's LSOAs, in code order.
    pub coventry: Vec<usize>,
    /// LSOA 2011 codes, sorted.
    pub lsoa11: Vec<String>,
    /// LSOA 2011 → 2021.
    pub bridge: Bridge,
    index21: HashMap<String, usize>,
}

/// Where `England::read` finds what it needs.
pub struct EnglandSources<'a> {
    /// ONS LSOA 2021 → ward → LAD 2024 lookup (England and Wales).
    pub districts: &'a Path,
    /// ONS LSOA 2011 → 2021 lookup (England and Wales).
    pub lookup: &'a Path,
    /// Census 2021 usual residents by LSOA 2021, column `total_usual_residents`.
    pub residents: &'a Wide,
    /// IoD2019 File 6, column `pop_total_mid2015`.
    pub file6: &'a Wide,
}

/// The column of the File 6 mid-2015 population that weights means over merged LSOAs.
const FILE6_TOTAL: &str = "pop_total_mid2015";

impl England {
    /// Reads England's geography; `coventry` lists the atlas's LSOA 2021 codes.
    pub fn read(sources: &EnglandSources<'_>, coventry: &[String]) -> Result<England, IngestError> {
        let (lsoa21, district_of) = read_districts(sources.districts)?;
        let index21: HashMap<String, usize> = lsoa21.iter().enumerate().map(|(i, c)| (c.clone(), i)).collect();
        let residents = required_column(sources.residents, &lsoa21, "total_usual_residents")?;

        let mut members: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, district) in district_of.iter().enumerate() {
            members.entry(district).or_default().push(i);
        }
        let (districts, district_members): (Vec<String>, Vec<Vec<usize>>) =
            members.into_iter().map(|(d, m)| (d.to_owned(), m)).unzip();

        let mut atlas = Vec::with_capacity(coventry.len());
        for code in coventry {
            let i = index21.get(code).copied().ok_or_else(|| {
                IngestError::file(sources.districts.display().to_string(), format!("has no English LSOA {code}"))
            })?;
            atlas.push(i);
        }
        atlas.sort_unstable();

        let links = read_lookup(sources.lookup, &index21)?;
        let lsoa11: Vec<String> = links.iter().map(|(c, _)| c.clone()).collect::<BTreeSet<_>>().into_iter().collect();
        let index11: HashMap<&str, usize> = lsoa11.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();
        let pairs: Vec<(usize, usize)> = links.iter().map(|(c, i)| (index11[c.as_str()], *i)).collect();
        let weights = required_column(sources.file6, &lsoa11, FILE6_TOTAL)?;
        let bridge = Bridge::new(&pairs, &residents, weights).map_err(|e| {
            let message = match e {
                BridgeError::NoResidents { lsoa11: i } => {
                    format!("LSOA 2011 {} is split but its children have no Census 2021 usual residents", lsoa11[i])
                }
                BridgeError::OutOfRange { lsoa11: i, lsoa21: j } => {
                    format!("links LSOA 2011 #{i} to LSOA 2021 #{j}, beyond the areas read")
                }
            };
            IngestError::file(sources.lookup.display().to_string(), message)
        })?;

        Ok(England { lsoa21, residents, districts, district_members, coventry: atlas, lsoa11, bridge, index21 })
    }

    /// The position of an English LSOA 2021.
    pub fn position(&self, code: &str) -> Option<usize> {
        self.index21.get(code).copied()
    }

    /// The figures of the given LSOAs 2021 (positions), each with its residents and a whole share.
    pub fn contributions(
        &self,
        figures: &[Option<Observation>],
        members: impl IntoIterator<Item = usize>,
    ) -> Vec<Contribution> {
        members
            .into_iter()
            .filter_map(|i| {
                let observation = figures.get(i).copied().flatten()?;
                Some(Contribution { observation, population: self.residents[i], share: 1.0 })
            })
            .collect()
    }
}

/// English LSOA 2021 codes (sorted) and the district of each.
fn read_districts(path: &Path) -> Result<(Vec<String>, Vec<String>), IngestError> {
    let table = Table::from_path(path)?;
    table.require(&["lsoa21_code", "ltla24_code"])?;
    let mut districts = BTreeMap::new();
    for row in table.rows() {
        let district = row.text("ltla24_code")?;
        if !district.starts_with('E') {
            continue;
        }
        let code = row.text("lsoa21_code")?;
        if districts.insert(code.to_owned(), district.to_owned()).is_some() {
            return Err(row.error("lsoa21_code", format!("LSOA {code} is listed twice")));
        }
    }
    Ok(districts.into_iter().unzip())
}

/// The lookup's links into English LSOAs 2021: (LSOA 2011 code, LSOA 2021 position).
fn read_lookup(path: &Path, index21: &HashMap<String, usize>) -> Result<Vec<(String, usize)>, IngestError> {
    let table = Table::from_path(path)?;
    table.require(&["lsoa11_code", "change_code", "lsoa21_code"])?;
    let mut links = Vec::new();
    for row in table.rows() {
        let change = row.text("change_code")?;
        if !CHANGE_CODES.contains(&change) {
            return Err(row.error("change_code", format!("{change:?} is not an ONS change code (U, S, M or X)")));
        }
        if let Some(&i) = index21.get(row.text("lsoa21_code")?) {
            links.push((row.text("lsoa11_code")?.to_owned(), i));
        }
    }
    Ok(links)
}

/// A column that must have a value for every one of the areas.
fn required_column(table: &Wide, codes: &[String], column: &str) -> Result<Vec<f64>, IngestError> {
    let values = table.column(codes, column)?;
    codes
        .iter()
        .zip(values)
        .map(|(code, v)| v.ok_or_else(|| IngestError::file(table.table().file(), format!("no {column} for {code}"))))
        .collect()
}
