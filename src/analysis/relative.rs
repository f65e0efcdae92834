//! Change between IoD2019 and IoD2025, read in relative terms only.
//!
//! IoD2025 changed its indicators, inputs (Universal Credit in the income and employment domains)
//! and geography, so levels are not comparable across editions: England's own income-deprived
//! share went from about 13% to 23% through the method alone. MHCLG's guidance is to compare
//! editions by relative position. Two readings are valid:
//! - a rate (income, employment) as a ratio to England's rate of the same edition, with a
//!   log-method interval; relatively worse or better only when the two ratios differ beyond chance;
//! - a score or rank as a position in England: the share of residents (Census 2021 usual residents
//!   both times) in England's most deprived 10% and 20%, and for ranks the residents' mean
//!   national percentile. These carry no interval, so a move is described, never tested.
//!
//! A level difference is never called an improvement or a worsening anywhere in the product.

use serde::Serialize;

use super::aggregate::{Method, aggregate, method_of};
use super::area::Area;
use super::disclosure::Disclosure;
use super::position::{mean_percentile, shares_in_worst};
use super::words::{capitalise, share};
use crate::atlas::schema::ENGLAND_CODE;
use crate::atlas::{Atlas, ComparatorRole, Indicator, Polarity, ValueType};
use crate::stats::{RateRatio, RatioMove, rate_ratio, ratio_move};

/// The words that go with any level shown for both editions.
pub const LEVELS_NOT_COMPARABLE: &str = "methods changed: not comparable";

/// How an area's relative position moved between the editions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RelativeDirection {
    /// The ratio to the benchmark moved significantly (95%) in the bad direction.
    RelativelyWorse,
    /// The ratio to the benchmark moved significantly in the good direction.
    RelativelyBetter,
    /// The two ratios differ by no more than chance gives.
    NoSignificantChange,
    /// More of the area's residents in England's most deprived 10% (described, not tested).
    TowardsMostDeprived,
    /// Fewer of the area's residents in England's most deprived 10% (described, not tested).
    AwayFromMostDeprived,
    /// The same share of residents in England's most deprived 10%.
    NoMove,
    /// A figure of one edition is missing or withheld.
    NotAssessed,
}

impl RelativeDirection {
    /// The words every output uses for this direction.
    pub fn label(self) -> &'static str {
        match self {
            RelativeDirection::RelativelyWorse => "relatively worse than in IoD2019 (significant)",
            RelativeDirection::RelativelyBetter => "relatively better than in IoD2019 (significant)",
            RelativeDirection::NoSignificantChange => "no significant change relative to England",
            RelativeDirection::TowardsMostDeprived => "a larger share in England's most deprived 10% (descriptive)",
            RelativeDirection::AwayFromMostDeprived => "a smaller share in England's most deprived 10% (descriptive)",
            RelativeDirection::NoMove => "the same share in England's most deprived 10% (descriptive)",
            RelativeDirection::NotAssessed => "not assessed",
        }
    }

    /// The direction in a few words, for chart labels.
    pub fn short_label(self) -> &'static str {
        match self {
            RelativeDirection::RelativelyWorse => "Relatively worse (significant)",
            RelativeDirection::RelativelyBetter => "Relatively better (significant)",
            RelativeDirection::NoSignificantChange => "No significant change",
            RelativeDirection::TowardsMostDeprived => "Larger share",
            RelativeDirection::AwayFromMostDeprived => "Smaller share",
            RelativeDirection::NoMove => "Same share",
            RelativeDirection::NotAssessed => "Not assessed",
        }
    }

    /// True only for a significant relative worsening: the attention list's "worsening" flag.
    pub fn is_relatively_worse(self) -> bool {
        self == RelativeDirection::RelativelyWorse
    }
}

/// One edition's rate as a multiple of the benchmark's rate of the same edition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EditionRatio {
    /// The edition, e.g. `IoD2019`.
    pub period: String,
    /// The area's level in this edition (not comparable with the other edition's level).
    pub value: Option<f64>,
    /// England's level in this edition.
    pub england_value: Option<f64>,
    /// The area's rate ÷ England's, with log-method intervals.
    pub to_england: Option<RateRatio>,
    /// The area's rate ÷ the district's (absent for the district itself).
    pub to_district: Option<RateRatio>,
}

/// One edition's position in England: residents in the most deprived 10% and 20%.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EditionPosition {
    /// The edition.
    pub period: String,
    /// % of the area's residents in England's most deprived 10% for this measure.
    pub share10: Option<f64>,
    /// % in the most deprived 20%.
    pub share20: Option<f64>,
    /// Residents' mean national rank percentile (0 = most deprived), for ranks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean_percentile: Option<f64>,
    /// England's residents in its own most deprived 10% (about 10%).
    pub england_share10: Option<f64>,
}

/// The relative change of one measure between the editions for one area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RelativeChange {
    /// The IoD2019 indicator.
    pub earlier: String,
    /// The IoD2025 indicator.
    pub later: String,
    /// `ratio_to_england` or `position_in_england`.
    pub measure: &'static str,
    /// Both editions' ratios, for rates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ratios: Option<[EditionRatio; 2]>,
    /// Both editions' positions, for scores and ranks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub positions: Option<[EditionPosition; 2]>,
    /// Relative to England.
    pub vs_england: RelativeDirection,
    /// That direction in words.
    pub label: &'static str,
    /// Relative to the district (rates of areas within it only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vs_district: Option<RelativeDirection>,
    /// Always [`LEVELS_NOT_COMPARABLE`]: the levels of the two editions are not compared.
    pub levels: &'static str,
    /// The reading in one or two sentences.
    pub words: String,
    /// How it was computed.
    pub method: &'static str,
}

const RATIO_METHOD: &str = "The area's rate divided by England's rate of the same edition (England from all English LSOAs, summed counts), 95% log-method interval; the ratio moved only when the two log ratios differ beyond 1.96 standard errors. Levels are not compared across editions. When England's rate nearly doubles through the method (as it did through Universal Credit in IoD2025), a rate above or below England's can move its ratio towards England's with no change on the ground, so such a move is read beside the rank-based position.";

/// Said of a ratio that moved significantly towards England's without crossing it: when the method
/// adds claimants to low and high rates alike, and a rate is bounded by 100%, every area's ratio
/// shrinks towards 1 without any change on the ground.
pub const COMPRESSION: &str = "when England's own rate nearly doubles through the method, a rate above or below England's can move its ratio towards England's without any real change (the new claimants add to low and high rates alike, and a rate cannot pass 100%), so read this beside the area's position in England's income and employment ranks";
const POSITION_METHOD: &str = "Share of Census 2021 usual residents living in LSOAs among England's most deprived 10% and 20% for the measure in each edition (the same residents both times; IoD2019 carried from LSOA 2011 with the ONS lookup). Published ranks and scores carry no interval, so the move is described, not tested.";

/// The earlier and later editions of an indicator pair, when `indicator` has a counterpart.
pub fn editions<'a>(atlas: &'a Atlas, indicator: &'a Indicator) -> Option<(&'a Indicator, &'a Indicator)> {
    let other = atlas.indicator(indicator.counterpart.as_deref()?)?;
    match other.period.cmp(&indicator.period) {
        std::cmp::Ordering::Less => Some((other, indicator)),
        std::cmp::Ordering::Greater => Some((indicator, other)),
        std::cmp::Ordering::Equal => None,
    }
}

/// The relative change of the pair `indicator` belongs to (either edition may be named).
pub fn relative_change(
    atlas: &Atlas,
    indicator: &Indicator,
    area: &Area,
    disclosure: &Disclosure,
) -> Option<RelativeChange> {
    let (earlier, later) = editions(atlas, indicator)?;
    if earlier.district_figure || later.district_figure {
        return None;
    }
    let counted = |i: &Indicator| matches!(method_of(i), Method::Wilson);
    if counted(earlier) && counted(later) {
        Some(ratio_change(atlas, earlier, later, area, disclosure))
    } else if atlas.england_position(&earlier.id).is_some() && atlas.england_position(&later.id).is_some() {
        Some(position_change(atlas, earlier, later, area))
    } else {
        None
    }
}

fn edition_ratio(atlas: &Atlas, indicator: &Indicator, area: &Area, disclosure: &Disclosure) -> EditionRatio {
    let figures = aggregate(atlas, indicator, &area.members, disclosure);
    let england = atlas.comparator(&indicator.id, ENGLAND_CODE, ComparatorRole::Benchmark);
    let ratio_to =
        |x2: Option<f64>, n2: Option<f64>| rate_ratio(figures.numerator?, figures.denominator?, x2?, n2?).ok();
    let to_district = (!area.level.is_whole_district())
        .then(|| {
            let city = aggregate(atlas, indicator, &Area::city(atlas).members, disclosure);
            ratio_to(city.numerator, city.denominator)
        })
        .flatten();
    EditionRatio {
        period: indicator.period.clone(),
        value: figures.value,
        england_value: england.map(|e| e.value),
        to_england: england.and_then(|e| ratio_to(e.numerator, e.denominator)),
        to_district,
    }
}

/// The direction of a move of the ratio to England (or to the district), by the indicator's polarity.
fn judge(before: &EditionRatio, after: &EditionRatio, polarity: Polarity, district: bool) -> RelativeDirection {
    let pick = |r: &EditionRatio| if district { r.to_district } else { r.to_england };
    let (Some(b), Some(a)) = (pick(before), pick(after)) else { return RelativeDirection::NotAssessed };
    match (ratio_move(&b, &a), polarity) {
        (RatioMove::NoSignificantChange, _) => RelativeDirection::NoSignificantChange,
        (RatioMove::Higher, Polarity::HighIsGood) | (RatioMove::Lower, Polarity::LowIsGood) => {
            RelativeDirection::RelativelyBetter
        }
        (RatioMove::Higher, _) | (RatioMove::Lower, _) => RelativeDirection::RelativelyWorse,
    }
}

/// A significant move of the ratio to England (or to the district, `place`) in words that say on
/// which side of the benchmark's rate the area was in each edition: "the gap widened" is true only
/// of an area above it both times.
fn moved(direction: RelativeDirection, before: &EditionRatio, after: &EditionRatio, place: Option<&str>) -> String {
    let head = match direction {
        RelativeDirection::RelativelyWorse => "relatively worse",
        RelativeDirection::RelativelyBetter => "relatively better",
        other => return other.label().replace("England", place.unwrap_or("England")),
    };
    let pick = |r: &EditionRatio| if place.is_some() { r.to_district } else { r.to_england };
    let (Some(b), Some(a)) = (pick(before), pick(after)) else { return direction.label().to_owned() };
    let (b, a) = (b.ratio.value, a.ratio.value);
    let rate = format!("{}'s rate", place.unwrap_or("England"));
    let (first, second) = (&before.period, &after.period);
    let side = match (b > 1.0, a > 1.0) {
        (true, true) if towards_one(b, a) => format!("above {rate} in both editions, less far above in {second}"),
        (true, true) => format!("above {rate} in both editions, further above in {second}"),
        (false, false) if towards_one(b, a) => format!("below {rate} in both editions, less far below in {second}"),
        (false, false) => format!("below {rate} in both editions, further below in {second}"),
        (false, true) => format!("below {rate} in {first} and above it in {second}"),
        (true, false) => format!("above {rate} in {first} and below it in {second}"),
    };
    format!("{head}: {side} (significant)")
}

/// True when a ratio moved from `before` to `after` towards 1 without crossing it: what the method
/// alone would do to any rate when England's nearly doubles.
fn towards_one(before: f64, after: f64) -> bool {
    (before > 1.0 && after > 1.0 && after < before) || (before < 1.0 && after < 1.0 && after > before)
}

fn ratio_change(
    atlas: &Atlas,
    earlier: &Indicator,
    later: &Indicator,
    area: &Area,
    disclosure: &Disclosure,
) -> RelativeChange {
    let before = edition_ratio(atlas, earlier, area, disclosure);
    let after = edition_ratio(atlas, later, area, disclosure);
    let vs_england = judge(&before, &after, later.polarity, false);
    let vs_district = (!area.level.is_whole_district()).then(|| judge(&before, &after, later.polarity, true));
    let times = |e: &Option<RateRatio>| {
        e.map_or_else(
            || "not available".to_owned(),
            |e| format!("{:.2}× (95% {:.2} to {:.2})", e.ratio.value, e.ratio.ci95.lower, e.ratio.ci95.upper),
        )
    };
    let level = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format!("{v:.1}{}", unit_suffix(later)));
    let mut words = format!(
        "{} relative to England's rate of the same edition: {} in {}, {} in {}: {}.",
        later.name,
        times(&before.to_england),
        before.period,
        times(&after.to_england),
        after.period,
        moved(vs_england, &before, &after, None)
    );
    // A significant move towards England's rate that stays on its side is what the method alone
    // would do to any rate.
    let towards = match (before.to_england, after.to_england) {
        (Some(b), Some(a)) => towards_one(b.ratio.value, a.ratio.value),
        _ => false,
    };
    let significant = matches!(vs_england, RelativeDirection::RelativelyBetter | RelativeDirection::RelativelyWorse);
    if significant && towards {
        words.push_str(&format!(" Note: {COMPRESSION}."));
    }
    if let Some(direction) = vs_district {
        let place = &atlas.place().name;
        words.push_str(&format!(" Relative to {place}: {}.", moved(direction, &before, &after, Some(place))));
    }
    words.push_str(&format!(" Levels {} and {} ({}).", level(before.value), level(after.value), LEVELS_NOT_COMPARABLE));
    RelativeChange {
        earlier: earlier.id.clone(),
        later: later.id.clone(),
        measure: "ratio_to_england",
        ratios: Some([before, after]),
        positions: None,
        vs_england,
        label: vs_england.label(),
        vs_district,
        levels: LEVELS_NOT_COMPARABLE,
        words,
        method: RATIO_METHOD,
    }
}

fn unit_suffix(indicator: &Indicator) -> String {
    if indicator.unit == "%" { "%".to_owned() } else { format!(" {}", indicator.unit) }
}

fn edition_position(atlas: &Atlas, indicator: &Indicator, area: &Area) -> EditionPosition {
    let cut = atlas.england_position(&indicator.id);
    let shares = cut.and_then(|c| shares_in_worst(atlas, indicator, &area.members, c));
    EditionPosition {
        period: indicator.period.clone(),
        share10: shares.map(|s| s.0),
        share20: shares.map(|s| s.1),
        mean_percentile: (indicator.value_type == ValueType::Rank)
            .then(|| mean_percentile(atlas, indicator, &area.members))
            .flatten(),
        england_share10: cut.map(|c| c.england_share10),
    }
}

/// How the share of residents in England's most deprived 10% moved, described at the precision
/// the words give the shares: two shares written alike ("10% in IoD2019 and 10% in IoD2025") are
/// the same share, never "a larger share".
fn position_direction(before: f64, after: f64) -> RelativeDirection {
    if share(before) == share(after) {
        RelativeDirection::NoMove
    } else if after > before {
        RelativeDirection::TowardsMostDeprived
    } else {
        RelativeDirection::AwayFromMostDeprived
    }
}

fn position_change(atlas: &Atlas, earlier: &Indicator, later: &Indicator, area: &Area) -> RelativeChange {
    let before = edition_position(atlas, earlier, area);
    let after = edition_position(atlas, later, area);
    // The direction follows what the chart draws: the share in England's most deprived 10%. The
    // mean percentile and the 20% share are given in words beside it.
    let vs_england =
        before.share10.zip(after.share10).map_or(RelativeDirection::NotAssessed, |(b, a)| position_direction(b, a));
    let share = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), share);
    let mut words = format!(
        "{}: {} of residents lived in England's most deprived 10% in {} and {} in {} (England {}).",
        later.name.trim_end_matches(" rank"),
        share(before.share10),
        before.period,
        share(after.share10),
        after.period,
        share(after.england_share10),
    );
    words.push_str(&format!(" In the most deprived 20%: {} then {}.", share(before.share20), share(after.share20)));
    if let (Some(b), Some(a)) = (before.mean_percentile, after.mean_percentile) {
        words.push_str(&format!(" Residents' mean national percentile {b:.1} then {a:.1} (0 = most deprived)."));
    }
    words.push_str(&format!(" {}.", capitalise(vs_england.label())));
    RelativeChange {
        earlier: earlier.id.clone(),
        later: later.id.clone(),
        measure: "position_in_england",
        ratios: None,
        positions: Some([before, after]),
        vs_england,
        label: vs_england.label(),
        vs_district: None,
        levels: LEVELS_NOT_COMPARABLE,
        words,
        method: POSITION_METHOD,
    }
}

/// One LSOA's national position in both editions for one domain: its rank as a percentile of
/// England's LSOAs of that edition, and its decile move.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankMove {
    /// The IoD2025 rank indicator.
    pub later: String,
    /// The measure's name.
    pub name: String,
    /// Rank percentile in IoD2019 (0 = England's most deprived LSOA).
    pub percentile_2019: f64,
    /// Rank percentile in IoD2025.
    pub percentile_2025: f64,
    /// National decile in IoD2019 (1 = most deprived 10%).
    pub decile_2019: u8,
    /// National decile in IoD2025.
    pub decile_2025: u8,
    /// Deciles moved: negative towards the most deprived end.
    pub decile_move: i8,
}

/// Every rank pair's move for one LSOA (IoD2019 carried from its LSOA 2011 parent).
pub fn rank_moves(atlas: &Atlas, lsoa_code: &str) -> Vec<RankMove> {
    atlas
        .catalogue()
        .iter()
        .filter(|i| i.value_type == ValueType::Rank)
        .filter_map(|later| {
            let (earlier, later) = editions(atlas, later).filter(|(_, l)| l.id == later.id)?;
            let rank = |i: &Indicator| atlas.observation(&i.id, lsoa_code)?.value;
            let (before, after) = (rank(earlier)?, rank(later)?);
            let decile = |rank: f64, i: &Indicator| super::aggregate::national_decile(rank, i) as u8;
            let (d19, d25) = (decile(before, earlier), decile(after, later));
            Some(RankMove {
                later: later.id.clone(),
                name: later.name.trim_end_matches(" rank").to_owned(),
                percentile_2019: super::aggregate::national_percentile(before, earlier)?,
                percentile_2025: super::aggregate::national_percentile(after, later)?,
                decile_2019: d19,
                decile_2025: d25,
                decile_move: d25 as i8 - d19 as i8,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_written_alike_are_the_same_share_and_any_written_apart_moved() {
        // Coventry's education domain: 10.0% and 10.4% are both written "10%".
        assert_eq!(position_direction(10.0, 10.4), RelativeDirection::NoMove);
        assert_eq!(position_direction(22.2, 21.6), RelativeDirection::NoMove);
        assert_eq!(position_direction(45.2, 44.4), RelativeDirection::AwayFromMostDeprived);
        assert_eq!(position_direction(10.0, 10.6), RelativeDirection::TowardsMostDeprived);
        // Below 1% the words give a decimal: 0.6% against 0.0% moved.
        assert_eq!(position_direction(0.0, 0.6), RelativeDirection::TowardsMostDeprived);
        assert_eq!(position_direction(0.0, 0.0), RelativeDirection::NoMove);
    }
}
