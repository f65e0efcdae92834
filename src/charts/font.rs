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

/// Reads `head`, `hhea`, `hmtx` and the Unicode BMP `cmap` subtable (format 4). The font is a constant of the
/// build, so a malformed table can only mean a wrong asset; even then this falls back to a 0.6 em average
/// advance instead of panicking.
fn parse(font: &[u8]) -> Advances {
    let fallback = Advances { per_char: Vec::new(), units_per_em: 1000.0, fallback: 600 };
    parse_tables(font).unwrap_or(fallback)
}

fn parse_tables(font: &[u8]) -> Option<Advances> {
    let head = table(font, b"head")?;
    let hhea = table(font, b"hhea")?;
    let hmtx = table(font, b"hmtx")?;
    let cmap = table(font, b"cmap")?;
    let units_per_em = f64::from(u16_at(head, 18)?);
    let metric_count = usize::from(u16_at(hhea, 34)?);
    let advance_of = |glyph: u16| -> u16 {
        // Glyphs past the last long metric share its advance (monospaced tail), per the hmtx specification.
        let index = usize::from(glyph).min(metric_count.saturating_sub(1));
        u16_at(hmtx, index * 4).unwrap_or(0)
    };
    let subtable = bmp_subtable(cmap)?;
    let mut per_char = vec![0u16; 0x1_0000];
    let segments = usize::from(u16_at(subtable, 6)? / 2);
    let ends = 14;
    let starts = ends + segments * 2 + 2;
    let deltas = starts + segments * 2;
    let offsets = deltas + segments * 2;
    for segment in 0..segments {
        let end = u16_at(subtable, ends + segment * 2)?;
        let start = u16_at(subtable, starts + segment * 2)?;
        let delta = u16_at(subtable, deltas + segment * 2)?;
        let range_offset = usize::from(u16_at(subtable, offsets + segment * 2)?);
        for code in start..=end {
            let glyph = if range_offset == 0 {
                code.wrapping_add(delta)
            } else {
                // The offset is relative to the idRangeOffset entry itself, as the format 4 layout defines.
                let at = offsets + segment * 2 + range_offset + usize::from(code - start) * 2;
                match u16_at(subtable, at) {
                    Some(0) | None => 0,
                    Some(glyph) => glyph.wrapping_add(delta),
                }
            };
            if glyph != 0 {
                per_char[usize::from(code)] = advance_of(glyph);
            }
            if code == u16::MAX {
                break;
            }
        }
    }
    let fallback = per_char[usize::from(b'n')].max(1);
    for advance in per_char.iter_mut().filter(|advance| **advance == 0) {
        *advance = fallback;
    }
    Some(Advances { per_char, units_per_em, fallback })
}

fn bmp_subtable(cmap: &[u8]) -> Option<&[u8]> {
    let count = usize::from(u16_at(cmap, 2)?);
    (0..count).find_map(|i| {
        let record = 4 + i * 8;
        let platform = u16_at(cmap, record)?;
        let encoding = u16_at(cmap, record + 2)?;
        let offset = usize::try_from(u32_at(cmap, record + 4)?).ok()?;
        let subtable = cmap.get(offset..)?;
        let unicode_bmp = (platform == 3 && encoding == 1) || platform == 0;
        (unicode_bmp && u16_at(subtable, 0)? == 4).then_some(subtable)
    })
}

fn table<'a>(font: &'a [u8], tag: &[u8; 4]) -> Option<&'a [u8]> {
    let count = usize::from(u16_at(font, 4)?);
    (0..count).find_map(|i| {
        let record = 12 + i * 16;
        if font.get(record..record + 4)? != tag {
            return None;
        }
        let offset = usize::try_from(u32_at(font, record + 8)?).ok()?;
        let length = usize::try_from(u32_at(font, record + 12)?).ok()?;
        font.get(offset..offset.checked_add(length)?)
    })
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*data.get(at)?, *data.get(at + 1)?]))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([*data.get(at)?, *data.get(at + 1)?, *data.get(at + 2)?, *data.get(at + 3)?]))
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
