//! HTML fragments (feed titles and summaries) → plain text.

use scraper::{Html, Node};

/// Elements whose start separates words even without whitespace in the source.
const BLOCK_ELEMENTS: &[&str] = &[
    "p",
    "br",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "blockquote",
    "pre",
    "hr",
    "section",
    "article",
    "header",
    "footer",
    "figure",
    "figcaption",
    "table",
    "dd",
    "dt",
    "img",
];

/// Markup removed, entities decoded, whitespace collapsed to single spaces.
/// Text without `<` or `&` skips the HTML parser.
pub fn html_to_text(fragment: &str) -> String {
    if !fragment.contains(['<', '&']) {
        return collapse_whitespace(fragment);
    }
    let html = Html::parse_fragment(fragment);
    let mut out = String::with_capacity(fragment.len());
    let is_block =
        |node: &Node| matches!(node, Node::Element(e) if BLOCK_ELEMENTS.contains(&e.name()));
    for node in html.root_element().descendants() {
        match node.value() {
            Node::Text(text) => {
                let hidden = node.ancestors().any(|ancestor| {
                    matches!(ancestor.value(), Node::Element(e) if matches!(e.name(), "script" | "style" | "template"))
                });
                if hidden {
                    continue;
                }
                // A block that ended right before this text separates words.
                if node
                    .prev_sibling()
                    .is_some_and(|prev| is_block(prev.value()))
                {
                    out.push(' ');
                }
                out.push_str(text);
            }
            element if is_block(element) => out.push(' '),
            _ => {}
        }
    }
    collapse_whitespace(&out)
}

fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}
