//! Analysis: what the atlas's figures mean for a user (disclosure control first).

pub mod disclosure;

pub use disclosure::{Disclosure, Published};
