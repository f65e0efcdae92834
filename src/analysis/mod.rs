//! Analysis: what the atlas's figures mean for a user (disclosure control first).

pub mod aggregate;
pub mod area;
pub mod disclosure;

pub use aggregate::{Aggregate, Member, Method, aggregate};
pub use area::{Area, Level};
pub use disclosure::{Disclosure, Published};
