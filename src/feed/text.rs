//! HTML fragments (feed titles and summaries) → plain text.

use dom_query::{Document, NodeRef};

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

/// Latin-1 named entities, U+00A0 to U+00FF in order.
const LATIN1_ENTITIES: [&str; 96] = [
    "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf",
    "laquo", "not", "shy", "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro",
    "para", "middot", "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
    "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute",
    "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute",
    "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute",
    "THORN", "szlig", "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil",
    "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml", "eth", "ntilde",
    "ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave", "uacute", "ucirc",
    "uuml", "yacute", "thorn", "yuml",
];

/// Other named entities common in news text.
const OTHER_ENTITIES: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("ndash", '\u{2013}'),
    ("mdash", '\u{2014}'),
    ("lsquo", '\u{2018}'),
    ("rsquo", '\u{2019}'),
    ("sbquo", '\u{201A}'),
    ("ldquo", '\u{201C}'),
    ("rdquo", '\u{201D}'),
    ("bdquo", '\u{201E}'),
    ("hellip", '\u{2026}'),
    ("bull", '\u{2022}'),
    ("trade", '\u{2122}'),
    ("euro", '\u{20AC}'),
    ("dagger", '\u{2020}'),
    ("Dagger", '\u{2021}'),
    ("permil", '\u{2030}'),
    ("lsaquo", '\u{2039}'),
    ("rsaquo", '\u{203A}'),
    ("oelig", '\u{153}'),
    ("OElig", '\u{152}'),
    ("scaron", '\u{161}'),
    ("Scaron", '\u{160}'),
    ("Yuml", '\u{178}'),
    ("ensp", '\u{2002}'),
    ("emsp", '\u{2003}'),
    ("thinsp", '\u{2009}'),
    ("zwnj", '\u{200C}'),
    ("zwj", '\u{200D}'),
    ("minus", '\u{2212}'),
    ("prime", '\u{2032}'),
    ("Prime", '\u{2033}'),
];

/// Markup removed, entities decoded, whitespace collapsed to single spaces.
/// Ordinary fragments go through a small hand-written scanner; anything it
/// is unsure of (an unknown entity, an unclosed comment) through html5ever.
pub fn html_to_text(fragment: &str) -> String {
    if !fragment.contains(['<', '&']) {
        return collapse_whitespace(fragment);
    }
    match fast_html_to_text(fragment) {
        Some(text) => collapse_whitespace(&text),
        None => slow_html_to_text(fragment),
    }
}

fn named_entity(name: &str) -> Option<char> {
    if let Some(idx) = LATIN1_ENTITIES.iter().position(|known| *known == name) {
        return char::from_u32(0xA0 + idx as u32);
    }
    OTHER_ENTITIES
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, c)| *c)
}

/// The scanner: `None` when the fragment needs the real HTML parser.
pub(super) fn fast_html_to_text(fragment: &str) -> Option<String> {
    let mut out = String::with_capacity(fragment.len());
    let mut rest = fragment;
    while let Some(idx) = rest.find(['<', '&']) {
        out.push_str(&rest[..idx]);
        rest = &rest[idx..];
        if let Some(after) = rest.strip_prefix('&') {
            let end = after.find(|c: char| !c.is_ascii_alphanumeric() && c != '#');
            let (name, tail) = match end {
                Some(end) if after[end..].starts_with(';') => (&after[..end], &after[end + 1..]),
                // No ';': a bare '&' as in "AT&T" is text; a legacy entity
                // without ';' ("&amp ") is for html5ever to judge.
                _ => {
                    let word = &after[..end.unwrap_or(after.len())];
                    if word.is_empty() || named_entity(word).is_none() {
                        out.push('&');
                        rest = after;
                        continue;
                    }
                    return None;
                }
            };
            let decoded = if let Some(number) = name.strip_prefix('#') {
                let code = match number.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => number.parse::<u32>().ok(),
                };
                // Control characters and windows-1252 references
                // (&#150;) are html5ever's business.
                match code.filter(|c| *c >= 0x20 && !(0x7F..0xA0).contains(c)) {
                    Some(code) => char::from_u32(code),
                    None => return None,
                }
            } else {
                named_entity(name)
            };
            out.push(decoded?);
            rest = tail;
            continue;
        }
        // rest starts with '<'.
        let after = &rest[1..];
        if let Some(comment) = after.strip_prefix("!--") {
            let end = comment.find("-->")?;
            rest = &comment[end + 3..];
            continue;
        }
        let is_tag = after
            .starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?');
        if !is_tag {
            out.push('<');
            rest = after;
            continue;
        }
        let tag_end = after.find('>')?;
        let tag = &after[..tag_end];
        rest = &after[tag_end + 1..];
        let name_part = tag.trim_start_matches('/');
        let name_len = name_part
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(name_part.len());
        let name = name_part[..name_len].to_ascii_lowercase();
        if matches!(name.as_str(), "script" | "style" | "template") && !tag.starts_with('/') {
            let close = format!("</{name}");
            let lower = rest.to_ascii_lowercase();
            let close_at = lower.find(&close)?;
            let after_close = rest.get(close_at..)?;
            let close_end = after_close.find('>')?;
            rest = &after_close[close_end + 1..];
            continue;
        }
        if BLOCK_ELEMENTS.contains(&name.as_str()) {
            out.push(' ');
        }
    }
    out.push_str(rest);
    Some(out)
}

/// The HTML parser's reading of a fragment.
pub(super) fn slow_html_to_text(fragment: &str) -> String {
    let document = Document::fragment(fragment);
    let mut out = String::with_capacity(fragment.len());
    let is_block = |node: &NodeRef<'_>| BLOCK_ELEMENTS.iter().any(|name| node.has_name(name));
    for node in document.root().descendants_it() {
        if node.is_text() {
            let hidden = node.ancestors_it(None).any(|ancestor| {
                ["script", "style", "template"]
                    .iter()
                    .any(|name| ancestor.has_name(name))
            });
            if hidden {
                continue;
            }
            // A block that ended right before this text separates words.
            if node.prev_sibling().is_some_and(|prev| is_block(&prev)) {
                out.push(' ');
            }
            out.push_str(&node.text());
        } else if is_block(&node) {
            out.push(' ');
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
