//! Linear axis scales with round tick steps, mapping data values to pixels.

use super::format;

/// Maps the data interval `[low, high]` onto the pixel interval `[start, end]` (either may be the larger).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Linear {
    /// Data value drawn at `start`.
    pub low: f64,
    /// Data value drawn at `end`.
    pub high: f64,
    /// Pixel position of `low`.
    pub start: f64,
    /// Pixel position of `high`.
    pub end: f64,
}

impl Linear {
    /// Pixel position of `value`; values outside the domain extrapolate linearly.
    pub(crate) fn map(&self, value: f64) -> f64 {
        let span = self.high - self.low;
        if span == 0.0 {
            return (self.start + self.end) / 2.0;
        }
        self.start + (value - self.low) / span * (self.end - self.start)
    }

    /// Pixel position of `value` held inside the drawn range, for marks that must not leave the plot.
    pub(crate) fn map_clamped(&self, value: f64) -> f64 {
        let (min, max) = (self.start.min(self.end), self.start.max(self.end));
        self.map(value).clamp(min, max)
    }
}

/// Round tick values covering a data range.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ticks {
    /// The rounded-out range: the first and last tick.
    pub low: f64,
    /// The last tick.
    pub high: f64,
    /// The tick values from `low` to `high`.
    pub values: Vec<f64>,
    /// Decimal places that print every tick exactly.
    pub decimals: usize,
}

impl Ticks {
    /// Tick labels, formatted alike.
    pub(crate) fn labels(&self) -> Vec<String> {
        self.values.iter().map(|value| format::number(*value, self.decimals)).collect()
    }
}

/// About `target` round ticks (steps of 1, 2, 2.5 or 5 × 10ⁿ) that cover `[low, high]`. Non-finite bounds and
/// an empty range are widened so the result is always a usable, increasing range.
pub(crate) fn ticks(low: f64, high: f64, target: usize) -> Ticks {
    let (mut low, mut high) = match (low.is_finite(), high.is_finite()) {
        (true, true) => (low.min(high), low.max(high)),
        (true, false) => (low, low),
        (false, true) => (high, high),
        (false, false) => (0.0, 1.0),
    };
    if high - low <= f64::EPSILON * low.abs().max(1.0) {
        // One value (or all equal): centre it in a range a tenth of its size, or ±1 around zero.
        let pad = if low == 0.0 { 1.0 } else { low.abs() * 0.1 };
        low -= pad;
        high += pad;
    }
    let raw = (high - low) / target.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|factor| factor * magnitude)
        .find(|step| *step >= raw)
        .unwrap_or(10.0 * magnitude);
    // The tolerance pulls values a hair past a tick back onto it, so 0 stays the first tick rather than -step.
    let first = (low / step + 1e-9).floor() * step;
    let last = (high / step - 1e-9).ceil() * step;
    let count = ((last - first) / step).round() as usize;
    let values = (0..=count).map(|i| clean(first + i as f64 * step)).collect();
    Ticks { low: clean(first), high: clean(last), values, decimals: format::decimals_for_step(step) }
}

/// Drops floating-point dust such as 0.30000000000000004 and -0.0.
fn clean(value: f64) -> f64 {
    let rounded = (value * 1e9).round() / 1e9;
    if rounded == 0.0 { 0.0 } else { rounded }
}

/// The value when it is a finite number: NaN and infinities are treated as missing.
pub(crate) fn finite(value: Option<f64>) -> Option<f64> {
    value.filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        let t = ticks(3.2, 41.7, 5);
        assert_eq!(t.values, [0.0, 10.0, 20.0, 30.0, 40.0, 50.0]);
        assert_eq!(t.decimals, 0);
        let t = ticks(0.12, 0.58, 5);
        assert_eq!(t.values, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
        assert_eq!(t.labels()[2], "0.3");
        assert_eq!(ticks(0.0, 44.2, 6).values.first(), Some(&0.0));
    }

    #[test]
    fn degenerate_ranges_still_give_ticks() {
        assert!(ticks(5.0, 5.0, 5).values.len() >= 2);
        assert!(ticks(0.0, 0.0, 5).values.len() >= 2);
        assert!(ticks(f64::NAN, f64::NAN, 5).values.len() >= 2);
        let negative = ticks(-12.0, -3.0, 4);
        assert!(negative.low <= -12.0 && negative.high >= -3.0);
    }

    #[test]
    fn mapping_is_linear_and_may_run_backwards() {
        let scale = Linear { low: 0.0, high: 50.0, start: 100.0, end: 600.0 };
        assert_eq!(scale.map(25.0), 350.0);
        let flipped = Linear { low: 0.0, high: 10.0, start: 500.0, end: 100.0 };
        assert_eq!(flipped.map(10.0), 100.0);
        assert_eq!(flipped.map_clamped(20.0), 100.0);
    }
}
