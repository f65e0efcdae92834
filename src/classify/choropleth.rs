//! A choropleth of one indicator: its LSOA values classed, coloured and labelled.
//!
//! Both the classes endpoint and the PNG tiles use it, so the map, the legend and the tiles agree.

use serde::Serialize;

use super::{self as classes, ClassError, Classes, MAX_CLASSES, MIN_CLASSES, Scheme};
use crate::analysis::{Disclosure, words};
use crate::atlas::{Atlas, BaseGeography, Indicator, Polarity, ValueType};

/// Colour of LSOAs without a publishable value.
pub const NO_DATA_COLOUR: [u8; 3] = [189, 189, 189];
/// Default number of classes.
pub const DEFAULT_CLASSES: usize = 5;

/// What the user asked for; `None` takes the default.
#[derive(Debug, Clone, Default)]
pub struct ChoroplethOptions {
    /// Classification scheme.
    pub scheme: Option<Scheme>,
    /// Number of classes (3 to 9).
    pub k: Option<usize>,
    /// ColorBrewer palette name.
    pub palette: Option<String>,
}

/// A map option that cannot be read: the parameter and what is wrong with it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{parameter}: {detail}")]
pub struct OptionError {
    /// `scheme` or `k`.
    pub parameter: &'static str,
    /// What is wrong and what would be right.
    pub detail: String,
}

impl ChoroplethOptions {
    /// Reads `scheme`, `k` and `palette` as a query string or the command line gives them: the one
    /// parser behind the classes endpoint, the PNG tiles and the static maps. The palette name is
    /// checked when the classes are made, against the palettes that exist.
    pub fn parse(scheme: Option<&str>, k: Option<&str>, palette: Option<&str>) -> Result<Self, OptionError> {
        let scheme = scheme
            .map(|s| s.parse::<Scheme>().map_err(|e| OptionError { parameter: "scheme", detail: e.to_string() }))
            .transpose()?;
        let k = k
            .map(|k| match k.parse::<usize>() {
                Ok(k) if (MIN_CLASSES..=MAX_CLASSES).contains(&k) => Ok(k),
                _ => Err(OptionError {
                    parameter: "k",
                    detail: format!("{k:?} is not a number of classes from {MIN_CLASSES} to {MAX_CLASSES}"),
                }),
            })
            .transpose()?;
        Ok(ChoroplethOptions { scheme, k, palette: palette.map(str::to_owned) })
    }
}

/// One legend entry.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct LegendClass {
    /// Lower bound (exclusive, except for the first class).
    pub lower: f64,
    /// Upper bound (inclusive).
    pub upper: f64,
    /// LSOAs in the class.
    pub count: usize,
    /// Fill colour, `#rrggbb`.
    pub colour: String,
    /// Legend text.
    pub label: String,
}

/// A classed, coloured indicator.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Choropleth {
    /// Indicator id.
    pub indicator: String,
    /// Unit of the values.
    pub unit: String,
    /// Scheme used.
    pub scheme: Scheme,
    /// Palette used.
    pub palette: String,
    /// Whether the palette runs from dark to light (dark = worse).
    pub reversed: bool,
    /// ColorBrewer's colour-blind-safe flag for the palette.
    pub colour_blind_safe: bool,
    /// Upper bounds of the classes.
    pub breaks: Vec<f64>,
    /// Smallest value.
    pub min: f64,
    /// One entry per class.
    pub classes: Vec<LegendClass>,
    /// LSOAs drawn grey: value suppressed or not published.
    pub no_data: NoData,
    /// What the legend says about the method.
    pub method: String,
    /// The areas classed: LSOAs, or MSOAs for an indicator published for MSOAs.
    pub geography: BaseGeography,
    #[serde(skip)]
    classes_raw: Classes,
    #[serde(skip)]
    colours: Vec<[u8; 3]>,
    #[serde(skip)]
    values: Vec<Option<f64>>,
}

/// The grey class of the legend.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct NoData {
    /// LSOAs without a publishable value.
    pub count: usize,
    /// Fill colour.
    pub colour: String,
    /// Legend text, saying why.
    pub label: String,
}

fn hex([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// The default palette runs light to dark towards the indicator's worse end.
fn default_palette(indicator: &Indicator) -> (&'static str, bool) {
    match indicator.polarity {
        Polarity::LowIsGood => ("YlOrRd", false),
        Polarity::HighIsGood => ("YlOrRd", true),
        Polarity::NoJudgement => ("PuBu", false),
    }
}

/// Classes an indicator's publishable LSOA values.
pub fn choropleth(
    atlas: &Atlas,
    indicator: &Indicator,
    disclosure: &Disclosure,
    options: &ChoroplethOptions,
) -> Result<Choropleth, ClassError> {
    if !indicator.mapped() {
        let why = if indicator.district_figure {
            "it is one figure for the whole local authority, copied to every LSOA; compare the district with England instead"
        } else {
            "it is modelled from the area's type, not measured here, so single LSOAs are not ranked or classed"
        };
        return Err(ClassError::DistrictFigure { name: indicator.name.clone(), why });
    }
    // Values of the geography the indicator is published for: MSOA figures stay on MSOAs.
    let (observations, areas, area_words) = if indicator.is_msoa() {
        (atlas.msoa_observations(&indicator.id).unwrap_or_default(), atlas.msoas().len(), "MSOA")
    } else {
        (atlas.observations(&indicator.id).unwrap_or_default(), atlas.lsoas().len(), "LSOA")
    };
    let values: Vec<Option<f64>> = (0..areas)
        .map(|i| observations.get(i).copied().flatten().and_then(|o| disclosure.publish(indicator, &o).value))
        .collect();
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    let scheme = options.scheme.unwrap_or(if indicator.value_type == ValueType::Decile {
        Scheme::Decile
    } else {
        Scheme::Quantile
    });
    let k = options.k.unwrap_or(DEFAULT_CLASSES);
    let classes_raw = classes::classify(&present, scheme, k)?;
    let (default_name, default_reverse) = default_palette(indicator);
    let (palette, reversed) = match &options.palette {
        Some(name) => (name.clone(), default_reverse),
        None => (default_name.to_owned(), default_reverse),
    };
    let colours = classes::palette(&palette, classes_raw.class_count(), reversed)?;
    let decimals =
        if indicator.value_type == ValueType::Count || present.iter().all(|v| v.fract() == 0.0) { 0 } else { 1 };
    let labels = classes::legend_labels(&classes_raw, decimals);
    let lowers = std::iter::once(classes_raw.min).chain(classes_raw.breaks.iter().copied());
    let legend = lowers
        .zip(&classes_raw.breaks)
        .zip(&classes_raw.counts)
        .zip(colours.iter().zip(labels))
        .map(|(((lower, &upper), &count), (&colour, label))| LegendClass {
            lower,
            upper,
            count,
            colour: hex(colour),
            label,
        })
        .collect();
    let missing = values.iter().filter(|v| v.is_none()).count();
    Ok(Choropleth {
        indicator: indicator.id.clone(),
        unit: indicator.unit.clone(),
        scheme,
        colour_blind_safe: classes::is_colour_blind_safe(&palette),
        palette,
        reversed,
        breaks: classes_raw.breaks.clone(),
        min: classes_raw.min,
        classes: legend,
        no_data: NoData {
            count: missing,
            colour: hex(NO_DATA_COLOUR),
            label: format!("Suppressed (count below {}) or not published", disclosure.threshold),
        },
        method: format!(
            "{} by {} of {}; class j holds lower < value <= upper",
            words::count_of(classes_raw.class_count(), ("class", "classes"), ("", "")),
            scheme_words(scheme),
            words::count_of(present.len(), (&format!("{area_words} value"), &format!("{area_words} values")), ("", ""))
        ),
        geography: indicator.base,
        classes_raw,
        colours,
        values,
    })
}

fn scheme_words(scheme: Scheme) -> &'static str {
    match scheme {
        Scheme::Quantile => "quantiles",
        Scheme::EqualInterval => "equal intervals",
        Scheme::FisherJenks => "Fisher-Jenks natural breaks (exact)",
        Scheme::Decile => "national deciles",
    }
}

impl Choropleth {
    /// The fill colour of an area (an LSOA, or an MSOA for an MSOA choropleth, by position in the
    /// atlas); grey when it has no publishable value.
    pub fn colour_of(&self, lsoa: usize) -> [u8; 3] {
        self.values
            .get(lsoa)
            .copied()
            .flatten()
            .and_then(|v| classes::class_of(&self.classes_raw, v))
            .and_then(|c| self.colours.get(c).copied())
            .unwrap_or(NO_DATA_COLOUR)
    }

    /// True when the LSOA is drawn as "no data" (suppressed or unpublished).
    pub fn is_no_data(&self, lsoa: usize) -> bool {
        self.values.get(lsoa).copied().flatten().is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_read_once_with_the_parameter_named_on_error() {
        let options = ChoroplethOptions::parse(Some("jenks"), Some("7"), Some("Blues")).unwrap();
        assert_eq!(
            (options.scheme, options.k, options.palette.as_deref()),
            (Some(Scheme::FisherJenks), Some(7), Some("Blues"))
        );
        let defaults = ChoroplethOptions::parse(None, None, None).unwrap();
        assert_eq!((defaults.scheme, defaults.k, defaults.palette), (None, None, None));
        for k in ["2", "10", "five", "-3"] {
            assert_eq!(ChoroplethOptions::parse(None, Some(k), None).unwrap_err().parameter, "k", "{k}");
        }
        assert_eq!(ChoroplethOptions::parse(Some("kmeans"), None, None).unwrap_err().parameter, "scheme");
    }
}
