//! Cheap repairs of the XML prolog and root element before the document
//! reaches feed-rs (bytes become text in `text::decode`).

use std::borrow::Cow;

/// What the prolog says the document is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Root {
    /// An XML document whose root element has this (possibly prefixed) name.
    Xml(String),
    /// A JSON document.
    Json,
    /// An HTML page (doctype or root element `html`).
    Html,
    /// No element at all.
    Nothing,
}

/// Rewrites the decoded document so feed-rs reads it as UTF-8 and accepts
/// what is cheap to fix; returns the text and what its root is.
pub(super) fn repair(text: &str) -> (Cow<'_, str>, Root) {
    let trimmed = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if trimmed.starts_with(['{', '[']) {
        return (Cow::Borrowed(trimmed), Root::Json);
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = trimmed;
    // The declaration names the original encoding; the text is UTF-8 now.
    if rest.starts_with("<?xml") {
        match rest.find("?>") {
            Some(end) => rest = &rest[end + 2..],
            None => return (Cow::Borrowed(trimmed), Root::Nothing),
        }
    }
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    // Walk the prolog: comments, processing instructions, doctype.
    loop {
        let skipped = rest.trim_start();
        out.push_str(&rest[..rest.len() - skipped.len()]);
        rest = skipped;
        let end = if rest.starts_with("<!--") {
            rest.find("-->").map(|idx| idx + 3)
        } else if rest.starts_with("<?") {
            rest.find("?>").map(|idx| idx + 2)
        } else if rest.len() >= 9
            && rest.is_char_boundary(9)
            && rest[..9].eq_ignore_ascii_case("<!doctype")
        {
            let doctype_end = doctype_end(rest);
            if let Some(end) = doctype_end {
                let doctype = &rest[9..end];
                let name = doctype
                    .trim_start()
                    .split(|c: char| c.is_whitespace() || c == '>' || c == '[')
                    .next()
                    .unwrap_or("");
                if name.eq_ignore_ascii_case("html") {
                    return (Cow::Borrowed(trimmed), Root::Html);
                }
            }
            doctype_end
        } else {
            break;
        };
        match end {
            Some(end) => {
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            }
            None => return (Cow::Borrowed(trimmed), Root::Nothing),
        }
    }
    let Some(tag) = rest.strip_prefix('<') else {
        return (Cow::Borrowed(trimmed), Root::Nothing);
    };
    let name_len = element_name_len(tag);
    let name = &tag[..name_len];
    let local = name.rsplit(':').next().unwrap_or(name);
    if local.eq_ignore_ascii_case("html") {
        return (Cow::Borrowed(trimmed), Root::Html);
    }
    if name.is_empty() {
        return (Cow::Borrowed(trimmed), Root::Nothing);
    }
    let root = Root::Xml(name.to_string());
    match local {
        "rss" => repair_rss(rest, name_len, &mut out),
        "feed" | "entry" => repair_atom_text_types(rest, &mut out),
        _ if local.eq_ignore_ascii_case("channel") => {
            cdf_to_rss(rest, &mut out);
            return (Cow::Owned(out), Root::Xml("rss".into()));
        }
        _ => out.push_str(rest),
    }
    (Cow::Owned(out), root)
}

/// The next `<` of `rest` at or after byte `from`: its index and the text
/// after it.
fn next_tag(rest: &str, from: usize) -> Option<(usize, &str)> {
    let tag_start = from + rest.get(from..)?.find('<')?;
    Some((tag_start, &rest[tag_start + 1..]))
}

/// The length of the element name `tail` starts with: up to whitespace,
/// `>` or `/`.
fn element_name_len(tail: &str) -> usize {
    tail.find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(tail.len())
}

/// Microsoft CDF (`<CHANNEL HREF=..><ITEM HREF=..><TITLE>..<ABSTRACT>..`) is
/// RSS 2.0 with other names: rename the elements and turn the `HREF` and
/// `LASTMOD` attributes into `<link>` and `<pubDate>` children.
fn cdf_to_rss(rest: &str, out: &mut String) {
    let mut copied = 0;
    let mut from = 0;
    while let Some((tag_start, tail)) = next_tag(rest, from) {
        from = tag_start + 1;
        let closing = tail.starts_with('/');
        let name_from = usize::from(closing);
        let name_len = element_name_len(&tail[name_from..]);
        let name = tail[name_from..name_from + name_len].to_ascii_lowercase();
        let Some(tag_len) = tail.find('>') else { break };
        let self_closing = tail[..tag_len].ends_with('/');
        let attrs = tail.get(name_from + name_len..tag_len).unwrap_or("");
        let replacement = match (name.as_str(), closing) {
            ("channel", false) => format!("<rss version=\"2.0\"><channel>{}", cdf_children(attrs)),
            ("channel", true) => "</channel></rss>".to_string(),
            ("item", false) => format!("<item>{}", cdf_children(attrs)),
            ("item", true) => "</item>".to_string(),
            ("title", false) => "<title>".to_string(),
            ("title", true) => "</title>".to_string(),
            ("abstract", false) => "<description>".to_string(),
            ("abstract", true) => "</description>".to_string(),
            _ => continue,
        };
        out.push_str(&rest[copied..tag_start]);
        out.push_str(&replacement);
        if self_closing && !closing {
            let close = match name.as_str() {
                "channel" => "</channel></rss>",
                "item" => "</item>",
                "title" => "</title>",
                _ => "</description>",
            };
            out.push_str(close);
        }
        copied = from + tag_len + 1;
        from = copied;
    }
    out.push_str(&rest[copied..]);
}

fn cdf_children(attrs: &str) -> String {
    let mut children = String::new();
    for (attr, element) in [("HREF", "link"), ("LASTMOD", "pubDate")] {
        let span = attr_span(attrs, attr).or_else(|| attr_span(attrs, &attr.to_ascii_lowercase()));
        if let Some((_, start, end)) = span {
            children.push_str(&format!("<{element}>{}</{element}>", &attrs[start..end]));
        }
    }
    children
}

/// `<rss ...>` at the start of `rest`: feed-rs only takes version 2.0, 0.91
/// and 0.92, and needs a `<channel>`; everything else (no version, 0.93,
/// 0.94, "2.0.1", items straight under `<rss>`) reads fine as RSS 2.0.
fn repair_rss(rest: &str, name_len: usize, out: &mut String) {
    let tag_end = rest.find('>').map_or(rest.len(), |idx| idx + 1);
    let (start_tag, body) = rest.split_at(tag_end);
    // start_tag is "<" + name + attributes + ">" (or "/>").
    let attrs = start_tag.get(1 + name_len..).unwrap_or("");
    if has_supported_rss_version(attrs) {
        out.push_str(start_tag);
    } else {
        out.push_str(&start_tag[..1 + name_len]);
        out.push_str(" version=\"2.0\"");
        out.push_str(&remove_attr(attrs, "version"));
    }
    if body.contains("<channel") || start_tag.ends_with("/>") {
        out.push_str(body);
        return;
    }
    let close = format!("</{}", &start_tag[1..1 + name_len]);
    match body.rfind(&close) {
        Some(close_at) => {
            out.push_str("<channel>");
            out.push_str(&body[..close_at]);
            out.push_str("</channel>");
            out.push_str(&body[close_at..]);
        }
        None => out.push_str(body),
    }
}

/// Atom text constructs whose `type` feed-rs refuses (`text/plain`, empty,
/// `application/xhtml+xml`, base64 media types) get the nearest type it
/// takes, so one odd title does not lose the whole feed.
fn repair_atom_text_types(rest: &str, out: &mut String) {
    const TEXT_CONSTRUCTS: &[&str] = &[
        "title",
        "subtitle",
        "summary",
        "rights",
        "tagline",
        "copyright",
        "info",
    ];
    let mut copied = 0;
    let mut from = 0;
    while let Some((tag_start, tail)) = next_tag(rest, from) {
        from = tag_start + 1;
        let name_len = element_name_len(tail);
        let name = &tail[..name_len];
        let local = name.rsplit(':').next().unwrap_or(name);
        if !TEXT_CONSTRUCTS.contains(&local) {
            continue;
        }
        let Some(tag_len) = tail.find('>') else { break };
        let attrs = &tail[name_len..tag_len];
        let Some((_, value_start, value_end)) = attr_span(attrs, "type") else {
            continue;
        };
        let value = &attrs[value_start..value_end];
        let fixed = match value {
            "text" | "html" | "xhtml" | "text/html" => continue,
            "application/xhtml+xml" => "xhtml",
            other if other.contains("html") => "html",
            _ => "text",
        };
        let abs_start = from + name_len + value_start;
        out.push_str(&rest[copied..abs_start]);
        out.push_str(fixed);
        copied = from + name_len + value_end;
        from = copied;
    }
    out.push_str(&rest[copied..]);
}

/// The end (exclusive) of a doctype, skipping an internal subset in `[...]`.
fn doctype_end(text: &str) -> Option<usize> {
    let mut in_subset = false;
    let mut quote: Option<char> = None;
    for (idx, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[') => in_subset = true,
            (None, ']') => in_subset = false,
            (None, '>') if !in_subset => return Some(idx + 1),
            _ => {}
        }
    }
    None
}

/// Where attribute `name` sits in `attrs`: (start of its name, start of its
/// value, end of its value); the value is quoted, the quotes excluded.
fn attr_span(attrs: &str, name: &str) -> Option<(usize, usize, usize)> {
    let mut from = 0;
    while let Some(found) = attrs.get(from..)?.find(name) {
        let name_start = from + found;
        let name_end = name_start + name.len();
        from = name_end;
        if !attrs[..name_start].ends_with(char::is_whitespace) {
            continue;
        }
        let after = &attrs[name_end..];
        let Some(value) = after.trim_start().strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start();
        let Some(quote) = value.chars().next().filter(|q| *q == '"' || *q == '\'') else {
            continue;
        };
        let value_start = attrs.len() - value.len() + 1;
        let value_len = attrs[value_start..].find(quote)?;
        return Some((name_start, value_start, value_start + value_len));
    }
    None
}

fn has_supported_rss_version(attrs: &str) -> bool {
    attr_span(attrs, "version")
        .is_some_and(|(_, start, end)| matches!(&attrs[start..end], "2.0" | "0.91" | "0.92"))
}

/// `attrs` without the attribute `name`, for re-emitting.
fn remove_attr(attrs: &str, name: &str) -> String {
    match attr_span(attrs, name) {
        Some((name_start, _, value_end)) => {
            format!("{}{}", &attrs[..name_start], &attrs[value_end + 1..])
        }
        None => attrs.to_string(),
    }
}
