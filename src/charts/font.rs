//! The bundled font: its bytes for the rasteriser and its advance widths for laying out text.
//!
//! Only this font is ever used, in the SVG (by family name) and in the PNG (loaded from these bytes), so the
//! widths measured here are the widths the reader sees and labels can be placed without overlap or clipping.

use std::sync::OnceLock;

/// The font family every text element names.
pub(crate) const FAMILY: &str = "DejaVu Sans";

/// DejaVu Sans (Bitstream Vera licence, see `assets/fonts/LICENSE-DejaVu.txt`).
pub(crate) static REGULAR: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/fonts/DejaVuSans.ttf"));
/// DejaVu Sans Bold, for titles.
pub(crate) static BOLD: &[u8] =
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/fonts/DejaVuSans-Bold.ttf"));

/// Which face of the bundled family a piece of text uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Weight {
    /// The regular face.
    Regular,
    /// The bold face.
    Bold,
}

/// Advance widths of the Basic Multilingual Plane in font units per em.
struct Advances {
    per_char: Vec<u16>,
    units_per_em: f64,
    fallback: u16,
}

/// Width of `text` set at `size` px in the bundled face, ignoring kerning (a fraction of a pixel per pair).
pub(crate) fn text_width(text: &str, size: f64, weight: Weight) -> f64 {
    let advances = advances(weight);
    let units: f64 =
        text.chars().map(|c| f64::from(advances.per_char.get(c as usize).copied().unwrap_or(advances.fallback))).sum();
    units / advances.units_per_em * size
}

/// Splits `text` into lines no wider than `max_width`, breaking at spaces; a single over-long word keeps a
/// line of its own rather than being cut, since cutting a word changes what it says.
pub(crate) fn wrap(text: &str, size: f64, weight: Weight, max_width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
        if !line.is_empty() && text_width(&candidate, size, weight) > max_width {
            lines.push(std::mem::replace(&mut line, word.to_owned()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Shortens `text` with an ellipsis until it fits `max_width`, for labels in a fixed-width column.
pub(crate) fn fit(text: &str, size: f64, weight: Weight, max_width: f64) -> String {
    if text_width(text, size, weight) <= max_width {
        return text.to_owned();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let candidate: String = chars.iter().collect::<String>().trim_end().to_owned() + "…";
        if text_width(&candidate, size, weight) <= max_width {
            return candidate;
        }
    }
    String::new()
}

fn advances(weight: Weight) -> &'static Advances {
    static REGULAR_ADVANCES: OnceLock<Advances> = OnceLock::new();
    static BOLD_ADVANCES: OnceLock<Advances> = OnceLock::new();
    match weight {
        Weight::Regular => REGULAR_ADVANCES.get_or_init(|| parse(REGULAR)),
        Weight::Bold => BOLD_ADVANCES.get_or_init(|| parse(BOLD)),
    }
}

/// Reads each Basic Multilingual Plane character's advance through `ttf-parser` (its `cmap` and
/// `hmtx`). The font is a constant of the build, so a font it cannot read can only mean a wrong asset;
/// even then this falls back to a 0.6 em average advance instead of panicking. Characters the font
/// lacks take the advance of "n".
fn parse(font: &[u8]) -> Advances {
    let Ok(face) = ttf_parser::Face::parse(font, 0) else {
        return Advances { per_char: Vec::new(), units_per_em: 1000.0, fallback: 600 };
    };
    let advance = |c: char| face.glyph_index(c).and_then(|glyph| face.glyph_hor_advance(glyph)).unwrap_or(0);
    let mut per_char: Vec<u16> = (0..0x1_0000u32).map(|code| char::from_u32(code).map_or(0, advance)).collect();
    let fallback = per_char[usize::from(b'n')].max(1);
    for slot in per_char.iter_mut().filter(|slot| **slot == 0) {
        *slot = fallback;
    }
    Advances { per_char, units_per_em: f64::from(face.units_per_em()), fallback }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_match_the_fonts_own_advances() {
        // DejaVu Sans: 2048 units per em, "M" advances 1767 units and a space 651.
        assert!((text_width("M", 2048.0, Weight::Regular) - 1767.0).abs() < 0.5);
        assert!((text_width(" ", 2048.0, Weight::Regular) - 651.0).abs() < 0.5);
        assert!(text_width("Coventry", 12.0, Weight::Bold) > text_width("Coventry", 12.0, Weight::Regular));
    }

    #[test]
    fn wrapping_keeps_every_line_within_the_width() {
        let text = "Percentage of adults who smoke, 2023, Wilson 95% interval, compared with Coventry";
        let lines = wrap(text, 14.0, Weight::Regular, 200.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|line| text_width(line, 14.0, Weight::Regular) <= 200.0));
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn fitting_shortens_with_an_ellipsis() {
        let fitted = fit("Coventry 007A Area C and Swanswell", 12.0, Weight::Regular, 80.0);
        assert!(fitted.ends_with('…'));
        assert!(text_width(&fitted, 12.0, Weight::Regular) <= 80.0);
    }
}
