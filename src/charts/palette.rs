//! The few colours every chart shares. Data colours are chosen to stay distinct under the common forms of
//! colour blindness (after Okabe and Ito); text colours pass WCAG AA (4.5:1) on white.

use plotters::style::RGBColor;

/// Page background.
pub(crate) const PAPER: RGBColor = RGBColor(255, 255, 255);
/// Main text and data outlines (17:1 on white).
pub(crate) const INK: RGBColor = RGBColor(26, 26, 26);
/// Secondary text: subtitles, ticks, footers (7:1 on white).
pub(crate) const MUTED: RGBColor = RGBColor(77, 77, 77);
/// Axis lines and tick marks.
pub(crate) const AXIS: RGBColor = RGBColor(118, 118, 118);
/// Light grid lines behind the data.
pub(crate) const GRID: RGBColor = RGBColor(226, 226, 226);
/// Interval whiskers: dark enough to read over every bar colour.
pub(crate) const WHISKER: RGBColor = RGBColor(40, 40, 40);
/// The benchmark (comparator) reference line.
pub(crate) const BENCHMARK: RGBColor = RGBColor(0, 0, 0);
/// Outer England range in a spine chart.
pub(crate) const RANGE_OUTER: RGBColor = RGBColor(214, 214, 214);
/// Inter-quartile England range in a spine chart.
pub(crate) const RANGE_INNER: RGBColor = RGBColor(140, 140, 140);
/// The statistical neighbours' range and average in a spine chart (a purple apart from the
/// significance colours and the greys of the England range).
pub(crate) const NEIGHBOURS: RGBColor = RGBColor(118, 42, 131);
/// Fill for values that are not shown (suppressed or no data): the map classes' no-data grey.
pub(crate) const NO_DATA: RGBColor = {
    let [r, g, b] = crate::classify::choropleth::NO_DATA_COLOUR;
    RGBColor(r, g, b)
};

/// Up to three group colours (blue, vermillion, bluish green) that differ in hue and lightness.
pub(crate) const GROUPS: [RGBColor; 3] = [RGBColor(0, 114, 178), RGBColor(213, 94, 0), RGBColor(0, 158, 115)];
/// Colour for groups beyond the third.
pub(crate) const OTHER_GROUP: RGBColor = RGBColor(150, 150, 150);

/// The colour as `#rrggbb`, the form SVG attributes use (tests look elements up by it).
#[cfg(test)]
pub(crate) fn hex(colour: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", colour.0, colour.1, colour.2)
}

/// Parses `#rrggbb` or `rrggbb`; anything else is `None` so the caller can fall back to a neutral fill.
pub(crate) fn parse_hex(text: &str) -> Option<RGBColor> {
    let digits = text.trim().trim_start_matches('#');
    if digits.len() != 6 || !digits.is_ascii() {
        return None;
    }
    let channel = |at: usize| u8::from_str_radix(digits.get(at..at + 2)?, 16).ok();
    Some(RGBColor(channel(0)?, channel(2)?, channel(4)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_rejects_junk() {
        assert_eq!(parse_hex("#3B82C4"), Some(RGBColor(0x3b, 0x82, 0xc4)));
        assert_eq!(hex(RGBColor(0x3b, 0x82, 0xc4)), "#3B82C4");
        assert_eq!(parse_hex("blue"), None);
        assert_eq!(parse_hex("#12345"), None);
        assert_eq!(parse_hex("#ééé"), None);
    }
}
