//! Analysis: what the atlas's figures mean for a user (disclosure control first).

pub mod aggregate;
pub mod area;
pub mod attention;
pub mod change;
pub mod custom;
pub mod disclosure;
pub mod inequality;
pub mod profile;

pub use aggregate::{Aggregate, Member, Method, aggregate};
pub use area::{Area, Level};
pub use attention::{Attention, attention};
pub use change::{Change, Direction, change};
pub use custom::{CustomAreaError, CustomAreaRequest, custom_area, parse_request};
pub use disclosure::{Disclosure, Published};
pub use inequality::{InequalityReport, inequality};
pub use profile::{Profile, ProfileRow, profile};
