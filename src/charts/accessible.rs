//! Makes the SVG speak to screen readers: `<title>` and `<desc>` first, `role="img"` and `aria-labelledby`.

/// Adds the title and description as the first children of the root `<svg>` and points `aria-labelledby` at
/// them. Ids carry a hash of the text so several charts inlined in one page keep unique ids.
pub(crate) fn label(svg: &str, title: &str, description: &str) -> String {
    let Some(open) = svg.find("<svg") else {
        return svg.to_owned();
    };
    let Some(close) = svg[open..].find('>').map(|at| open + at) else {
        return svg.to_owned();
    };
    let id = format!("chart-{:08x}", fnv1a(&format!("{title}\u{0}{description}")));
    let mut out = String::with_capacity(svg.len() + title.len() + description.len() + 160);
    // A self-closing root cannot hold children; plotters never writes one, but do not corrupt it if it did.
    let self_closing = svg[..close].ends_with('/');
    let head_end = if self_closing { close - 1 } else { close };
    out.push_str(&svg[..head_end]);
    out.push_str(&format!(r#" role="img" aria-labelledby="{id}-title {id}-desc">"#));
    out.push_str(&format!(r#"<title id="{id}-title">{}</title>"#, escape(title)));
    out.push_str(&format!(r#"<desc id="{id}-desc">{}</desc>"#, escape(description)));
    if self_closing {
        out.push_str("</svg>");
    }
    out.push_str(&svg[close + 1..]);
    out
}

/// Escapes the five XML special characters.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            other => out.push(other),
        }
    }
    out
}

fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5u32, |hash, byte| (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_and_desc_become_the_first_children() {
        let svg = r#"<svg width="10" height="10" xmlns="http://www.w3.org/2000/svg"><rect/></svg>"#;
        let out = label(svg, "Smoking <2023>", "Bars & whiskers");
        let doc = roxmltree::Document::parse(&out).expect("labelled SVG parses");
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("img"));
        let children: Vec<_> = root.children().filter(|n| n.is_element()).collect();
        assert_eq!(children[0].tag_name().name(), "title");
        assert_eq!(children[0].text(), Some("Smoking <2023>"));
        assert_eq!(children[1].tag_name().name(), "desc");
        assert_eq!(children[1].text(), Some("Bars & whiskers"));
        let ids = root.attribute("aria-labelledby").unwrap_or_default();
        assert!(ids.split(' ').any(|id| Some(id) == children[0].attribute("id")));
    }
}
