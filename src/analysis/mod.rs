//! Analysis: what the atlas's figures mean for a user (disclosure control first).

pub mod access;
pub mod aggregate;
pub mod area;
pub mod attention;
pub mod clusters;
pub mod custom;
pub mod disclosure;
pub mod inequality;
pub mod position;
pub mod profile;
pub mod reading;
pub mod relative;
pub mod words;

pub use aggregate::{Aggregate, Member, Method, aggregate};
pub use area::{Area, Level};
pub use attention::{Attention, attention};
pub use custom::{CustomAreaError, CustomAreaRequest, custom_area, parse_request};
pub use disclosure::{Disclosure, Published};
pub use inequality::{InequalityReport, inequality, inequality_in};
pub use profile::{Profile, ProfileRow, profile};
pub use reading::{Reading, ReadingKind};
pub use relative::{LEVELS_NOT_COMPARABLE, RelativeChange, RelativeDirection, relative_change};
