//! Test helpers: read back what a chart drew from its SVG.

use roxmltree::{Document, Node};

/// Parses chart SVG, failing the test with the parser's message if it is not well-formed.
pub(crate) fn parse(svg: &str) -> Document<'_> {
    match Document::parse(svg) {
        Ok(doc) => doc,
        Err(error) => panic!("chart SVG does not parse: {error}"),
    }
}

/// The content of every `<text>` element, in document order.
pub(crate) fn texts(doc: &Document) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().trim().to_owned())
        .collect()
}

/// True if some `<text>` reads exactly `wanted`.
pub(crate) fn has_text(doc: &Document, wanted: &str) -> bool {
    texts(doc).iter().any(|text| text == wanted)
}

/// Every element named `tag` whose attribute `name` equals `value` (case-insensitive, for colours).
pub(crate) fn with_attr<'a>(doc: &'a Document, tag: &str, name: &str, value: &str) -> Vec<Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| n.has_tag_name(tag) && n.attribute(name).is_some_and(|v| v.eq_ignore_ascii_case(value)))
        .collect()
}

/// The `points` of a polyline or polygon.
pub(crate) fn points(node: &Node) -> Vec<(f64, f64)> {
    node.attribute("points")
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|pair| {
            let (x, y) = pair.split_once(',')?;
            Some((x.parse().ok()?, y.parse().ok()?))
        })
        .collect()
}

/// A numeric attribute, or NaN so a comparison fails visibly.
pub(crate) fn number(node: &Node, name: &str) -> f64 {
    node.attribute(name).and_then(|v| v.parse().ok()).unwrap_or(f64::NAN)
}

/// The caption every test chart uses, with distinct words to look for.
pub(crate) fn caption() -> super::Caption {
    super::Caption {
        title: "Test title".to_owned(),
        subtitle: "Test subtitle".to_owned(),
        x_label: "X label (%)".to_owned(),
        y_label: "Y label (%)".to_owned(),
        source: "Test source".to_owned(),
        licence: "Test licence".to_owned(),
        produced: "1 January 2025".to_owned(),
        alt: "Test alt text".to_owned(),
    }
}

/// Checks the frame text every chart must carry: title, subtitle, footer and the SVG title/desc.
pub(crate) fn assert_frame(doc: &Document) {
    assert!(has_text(doc, "Test title"), "title missing");
    assert!(has_text(doc, "Test subtitle"), "subtitle missing");
    let footer = texts(doc).into_iter().find(|t| t.starts_with("Source:")).unwrap_or_default();
    assert!(footer.contains("Test source") && footer.contains("Test licence") && footer.contains("1 January 2025"));
    let root = doc.root_element();
    let first: Vec<_> = root.children().filter(|n| n.is_element()).take(2).collect();
    assert_eq!(first.first().map(|n| n.tag_name().name()), Some("title"));
    assert_eq!(first.get(1).and_then(|n| n.text()), Some("Test alt text"));
}
