//! Areas: named selections of LSOAs (the city, a locality, a ward, a list of codes).

use serde::Serialize;

use super::aggregate::Member;
use crate::atlas::Atlas;

/// What kind of area a selection is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The whole city.
    City,
    /// A locality from `boundaries/localities.csv`.
    Locality,
    /// An electoral ward (LSOAs by best fit).
    Ward,
    /// A user-defined area.
    Custom,
}

/// A named set of LSOAs.
#[derive(Debug, Clone, Serialize)]
pub struct Area {
    /// Identifier: GSS code, locality id, or `custom`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Kind of area.
    pub level: Level,
    /// Member LSOAs with the share of each that counts.
    pub members: Vec<Member>,
}

fn whole(lsoa: usize) -> Member {
    Member { lsoa, share: 1.0 }
}

impl Area {
    /// Every LSOA of the atlas: the whole district.
    pub fn city(atlas: &Atlas) -> Area {
        Area {
            id: atlas.place().code.clone(),
            name: atlas.place().name.clone(),
            level: Level::City,
            members: (0..atlas.lsoas().len()).map(whole).collect(),
        }
    }

    /// A locality by id.
    pub fn locality(atlas: &Atlas, id: &str) -> Option<Area> {
        let locality = atlas.locality(id)?;
        let members = locality.members.iter().filter_map(|m| atlas.lsoa_index(&m.lsoa21_code)).map(whole).collect();
        Some(Area { id: locality.id.clone(), name: locality.name.clone(), level: Level::Locality, members })
    }

    /// A ward by code: the LSOAs best-fit to it.
    pub fn ward(atlas: &Atlas, code: &str) -> Option<Area> {
        let ward = atlas.ward(code)?;
        let members =
            atlas.lsoas().iter().enumerate().filter(|(_, l)| l.ward_code == ward.code).map(|(i, _)| whole(i)).collect();
        Some(Area { id: ward.code.clone(), name: ward.name.clone(), level: Level::Ward, members })
    }

    /// The LSOA codes of the members.
    pub fn codes<'a>(&self, atlas: &'a Atlas) -> Vec<&'a str> {
        self.members.iter().map(|m| atlas.lsoas()[m.lsoa].code.as_str()).collect()
    }
}
