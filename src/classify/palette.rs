//! Class colours: ColorBrewer palettes (Cynthia Brewer, colorbrewer2.org) and the perceptually uniform
//! matplotlib ramps, both through the `colorous` crate.

use super::ClassError;
use colorous::Gradient;
use serde::Serialize;

/// Most colours a palette gives: enough for the ten deciles.
pub(super) const MAX_COLOURS: usize = 10;

/// The shape of a palette.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PaletteKind {
    /// Light to dark, for values that run from low to high.
    Sequential,
    /// Dark to light to dark in two hues, for values either side of a meaningful midpoint.
    Diverging,
}

/// One named palette, with ColorBrewer's colour-blind rating.
struct Palette {
    name: &'static str,
    kind: PaletteKind,
    colour_blind_safe: bool,
    gradient: Gradient,
}

const fn sequential(name: &'static str, gradient: Gradient) -> Palette {
    Palette { name, kind: PaletteKind::Sequential, colour_blind_safe: true, gradient }
}

const fn diverging(name: &'static str, colour_blind_safe: bool, gradient: Gradient) -> Palette {
    Palette { name, kind: PaletteKind::Diverging, colour_blind_safe, gradient }
}

// ColorBrewer rates every sequential scheme colour-blind safe at every size, and the diverging RdBu, PuOr,
// BrBG, PiYG, PRGn and RdYlBu; RdYlGn and Spectral are "maybe" at 3 to 5 classes and "bad" beyond, and
// RdGy is not rated safe, so all three count as unsafe. Viridis and its kin were designed for colour-blind
// readers.
const PALETTES: [Palette; 32] = [
    sequential("YlOrRd", colorous::YELLOW_ORANGE_RED),
    sequential("YlOrBr", colorous::YELLOW_ORANGE_BROWN),
    sequential("YlGnBu", colorous::YELLOW_GREEN_BLUE),
    sequential("YlGn", colorous::YELLOW_GREEN),
    sequential("OrRd", colorous::ORANGE_RED),
    sequential("PuBu", colorous::PURPLE_BLUE),
    sequential("PuBuGn", colorous::PURPLE_BLUE_GREEN),
    sequential("PuRd", colorous::PURPLE_RED),
    sequential("BuPu", colorous::BLUE_PURPLE),
    sequential("BuGn", colorous::BLUE_GREEN),
    sequential("GnBu", colorous::GREEN_BLUE),
    sequential("RdPu", colorous::RED_PURPLE),
    sequential("Blues", colorous::BLUES),
    sequential("Greens", colorous::GREENS),
    sequential("Greys", colorous::GREYS),
    sequential("Oranges", colorous::ORANGES),
    sequential("Purples", colorous::PURPLES),
    sequential("Reds", colorous::REDS),
    sequential("Viridis", colorous::VIRIDIS),
    sequential("Cividis", colorous::CIVIDIS),
    sequential("Magma", colorous::MAGMA),
    sequential("Inferno", colorous::INFERNO),
    sequential("Plasma", colorous::PLASMA),
    diverging("RdBu", true, colorous::RED_BLUE),
    diverging("PuOr", true, colorous::PURPLE_ORANGE),
    diverging("BrBG", true, colorous::BROWN_GREEN),
    diverging("PiYG", true, colorous::PINK_GREEN),
    diverging("PRGn", true, colorous::PURPLE_GREEN),
    diverging("RdYlBu", true, colorous::RED_YELLOW_BLUE),
    diverging("RdYlGn", false, colorous::RED_YELLOW_GREEN),
    diverging("Spectral", false, colorous::SPECTRAL),
    diverging("RdGy", false, colorous::RED_GREY),
];

/// The palette called `name`, ignoring ASCII case.
fn find(name: &str) -> Option<&'static Palette> {
    PALETTES.iter().find(|palette| palette.name.eq_ignore_ascii_case(name))
}

/// Every palette name, sequential first, in ColorBrewer's spelling.
pub fn palette_names() -> impl Iterator<Item = &'static str> {
    PALETTES.iter().map(|palette| palette.name)
}

/// Whether `name` is sequential or diverging; `None` for an unknown name.
pub fn palette_kind(name: &str) -> Option<PaletteKind> {
    find(name).map(|palette| palette.kind)
}

/// Whether ColorBrewer rates the palette `name` safe for colour-blind readers; `false` for unknown names.
pub fn is_colour_blind_safe(name: &str) -> bool {
    find(name).is_some_and(|palette| palette.colour_blind_safe)
}

/// `k` colours (1..=10) of the palette `name` as RGB, light to dark (sequential) or first hue to second
/// (diverging); `reverse` flips the order.
///
/// For 3 to 9 classes these are ColorBrewer's own colours (to 11 for diverging schemes); 10 sequential
/// colours are interpolated by `colorous` along the 9-class scheme, and 1 or 2 are taken from the 3-class one.
pub fn palette(name: &str, k: usize, reverse: bool) -> Result<Vec<[u8; 3]>, ClassError> {
    let palette = find(name).ok_or_else(|| ClassError::UnknownPalette {
        name: name.to_owned(),
        valid: palette_names().collect::<Vec<_>>().join(", "),
    })?;
    if !(1..=MAX_COLOURS).contains(&k) {
        return Err(ClassError::PaletteSize { k });
    }
    let mut colours: Vec<[u8; 3]> = (0..k).map(|i| palette.gradient.eval_rational(i, k).as_array()).collect();
    if reverse {
        colours.reverse();
    }
    Ok(colours)
}

#[cfg(test)]
mod tests {
    use super::super::ClassError;
    use super::*;

    fn hex(colours: &[[u8; 3]]) -> Vec<String> {
        colours.iter().map(|[r, g, b]| format!("#{r:02x}{g:02x}{b:02x}")).collect()
    }

    #[test]
    fn five_class_ylorrd_is_colorbrewers_own() {
        let colours = palette("YlOrRd", 5, false).unwrap();
        assert_eq!(hex(&colours), ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]);
    }

    #[test]
    fn seven_class_rdbu_is_colorbrewers_own() {
        let colours = palette("RdBu", 7, false).unwrap();
        assert_eq!(hex(&colours), ["#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac"]);
    }

    #[test]
    fn reversing_flips_the_order_of_the_same_colours() {
        let mut forward = palette("Blues", 9, false).unwrap();
        forward.reverse();
        assert_eq!(palette("Blues", 9, true).unwrap(), forward);
    }

    #[test]
    fn names_match_whatever_their_case() {
        assert_eq!(palette("ylgnbu", 4, false), palette("YlGnBu", 4, false));
        assert_eq!(palette_kind("rdylbu"), Some(PaletteKind::Diverging));
        assert_eq!(palette_kind("viridis"), Some(PaletteKind::Sequential));
    }

    #[test]
    fn every_palette_gives_one_to_ten_distinct_colours() {
        for name in palette_names() {
            for k in 1..=MAX_COLOURS {
                let mut colours = palette(name, k, false).unwrap();
                colours.dedup();
                assert_eq!(colours.len(), k, "{name} with {k} colours");
            }
        }
    }

    #[test]
    fn an_unknown_palette_is_refused_with_the_valid_names() {
        let error = palette("Rainbow", 5, false).unwrap_err();
        assert!(matches!(&error, ClassError::UnknownPalette { name, .. } if name == "Rainbow"));
        let message = error.to_string();
        assert!(message.starts_with("unknown palette 'Rainbow': use one of YlOrRd, YlOrBr,"), "{message}");
        assert!(message.contains("RdBu") && message.contains("Viridis"), "{message}");
        assert_eq!(palette_kind("Rainbow"), None);
    }

    #[test]
    fn no_colours_or_more_than_ten_are_refused() {
        assert_eq!(palette("Reds", 0, false), Err(ClassError::PaletteSize { k: 0 }));
        assert_eq!(palette("Reds", 11, false), Err(ClassError::PaletteSize { k: 11 }));
    }

    #[test]
    fn colour_blind_safety_follows_colorbrewer() {
        for name in ["YlOrRd", "Blues", "Greys", "PuBuGn", "Viridis", "RdBu", "PuOr", "BrBG", "PiYG", "PRGn", "RdYlBu"]
        {
            assert!(is_colour_blind_safe(name), "{name}");
        }
        for name in ["RdYlGn", "Spectral", "RdGy", "Rainbow"] {
            assert!(!is_colour_blind_safe(name), "{name}");
        }
    }
}
