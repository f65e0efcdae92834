//! Legends: a row of keys above the plot, wrapped to the body width, so they never sit on the data.

use super::canvas::{Canvas, TextStyleSpec};
use super::error::ChartError;
use super::figure::Rect;
use super::marker::{self, Shape};
use super::palette::MUTED;
use plotters::style::RGBColor;

/// The symbol drawn before a legend label.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Key {
    /// A point marker.
    Marker(Shape, RGBColor),
    /// A solid line.
    Line(RGBColor, u32),
    /// A dashed line.
    Dashed(RGBColor),
    /// A filled box.
    Swatch(RGBColor),
    /// No symbol: a note that explains a mark made in the text, such as an asterisk.
    Blank,
}

/// One legend entry.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Item {
    /// The symbol.
    pub key: Key,
    /// What it means.
    pub label: String,
}

const TEXT_SIZE: f64 = 12.0;
const ROW: f64 = 20.0;
const KEY_WIDTH: f64 = 18.0;
const KEY_GAP: f64 = 6.0;
const ITEM_GAP: f64 = 20.0;

/// Left x of every item and its row, for a legend `width` px wide.
fn layout(items: &[Item], width: f64) -> Vec<(f64, usize)> {
    let style = TextStyleSpec::new(TEXT_SIZE);
    let mut placed = Vec::with_capacity(items.len());
    let (mut x, mut row) = (0.0, 0);
    for item in items {
        let item_width = KEY_WIDTH + KEY_GAP + style.width(&item.label);
        if x > 0.0 && x + item_width > width {
            x = 0.0;
            row += 1;
        }
        placed.push((x, row));
        x += item_width + ITEM_GAP;
    }
    placed
}

/// Height the legend needs in a box `width` px wide, including the gap under it.
pub(crate) fn height(items: &[Item], width: f64) -> f64 {
    match layout(items, width).last() {
        Some((_, row)) => (*row as f64 + 1.0) * ROW + 8.0,
        None => 0.0,
    }
}

/// Draws the legend from the top-left of `area`.
pub(crate) fn draw(canvas: &Canvas, items: &[Item], area: Rect) -> Result<(), ChartError> {
    for (item, (x, row)) in items.iter().zip(layout(items, area.width())) {
        let left = area.left + x;
        let y = area.top + row as f64 * ROW + ROW / 2.0;
        match item.key {
            Key::Marker(shape, colour) => marker::draw(canvas, shape, (left + KEY_WIDTH / 2.0, y), 5.0, colour)?,
            Key::Line(colour, width) => canvas.line(&[(left, y), (left + KEY_WIDTH, y)], colour, width)?,
            Key::Dashed(colour) => canvas.dashed((left, y), (left + KEY_WIDTH, y), colour, 2, 4.0)?,
            Key::Swatch(colour) => canvas.rect((left + 2.0, y - 6.0), (left + KEY_WIDTH - 2.0, y + 6.0), colour)?,
            Key::Blank => {}
        }
        canvas.text(&item.label, (left + KEY_WIDTH + KEY_GAP, y), TextStyleSpec::new(TEXT_SIZE).colour(MUTED))?;
    }
    Ok(())
}

/// Legend entries for the significance categories present in `used`, in the standard order.
pub(crate) fn significance_items(used: impl IntoIterator<Item = super::Significance>) -> Vec<Item> {
    let used: Vec<_> = used.into_iter().collect();
    super::Significance::ALL
        .into_iter()
        .filter(|category| used.contains(category))
        .map(|category| Item {
            key: Key::Marker(category.shape(), category.colour()),
            label: category.label().to_owned(),
        })
        .collect()
}
