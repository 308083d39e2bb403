//! Dropping the bodies of `<script>`, `<style>` and `<svg>` elements, and
//! comments, from the raw HTML before it is parsed.
//!
//! On news pages about half the bytes are inline scripts and styles, none
//! of them article text; html5ever would tokenize them, copy them into
//! text nodes, and readability would then delete them. Cutting them from
//! the string first halves the parse. JSON-LD scripts are kept: `metadata`
//! reads them. Comments are skipped over so a `<script>` inside a comment
//! never makes us cut real content.

use std::borrow::Cow;

/// Elements whose content never reaches the article: raw text (scripts,
/// styles) and inline vector images, whose markup is often kilobytes of
/// path data.
const RAW_TEXT_TAGS: &[&[u8]] = &[b"script", b"style", b"svg"];

/// Elements whose content the parser reads as text only, never as tags.
const RCDATA_TAGS: &[&[u8]] = &[b"title", b"textarea"];

/// `html` with the content of every non-JSON-LD `<script>` and every
/// `<style>` and `<svg>` removed (their tags stay), and comments removed. Borrowed when there is nothing to cut.
pub(crate) fn strip_raw_text(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    // Everything before `copied` is already in `out` (or needs no copy).
    let mut copied = 0;
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        let lt = at + offset;
        if bytes[lt..].starts_with(b"<!--") {
            // Skip the comment whole; an unclosed one runs to the end.
            match memchr::memmem::find(&bytes[lt + 4..], b"-->") {
                Some(end) => {
                    // Comments are never text either: cut them too. `lt`
                    // is a `<` and the end is just past a `>`: both
                    // char boundaries.
                    let end = lt + 4 + end + 3;
                    let out = out.get_or_insert_with(|| String::with_capacity(html.len() / 2));
                    out.push_str(&html[copied..lt]);
                    copied = end;
                    at = end;
                    continue;
                }
                None => break,
            }
        }
        // Text-only elements (RCDATA): a "<script>" inside them is text, so
        // jump past their close tag without looking inside.
        if let Some(tag) = RCDATA_TAGS
            .iter()
            .find(|tag| starts_with_tag(&bytes[lt + 1..], tag))
        {
            match end_of_open_tag(bytes, lt + 1 + tag.len())
                .and_then(|start| find_close_tag(bytes, start, tag))
            {
                Some(close) => {
                    at = close;
                    continue;
                }
                None => break,
            }
        }
        let Some(tag) = RAW_TEXT_TAGS
            .iter()
            .find(|tag| starts_with_tag(&bytes[lt + 1..], tag))
        else {
            at = lt + 1;
            continue;
        };
        let Some(content_start) = end_of_open_tag(bytes, lt + 1 + tag.len()) else {
            break;
        };
        let Some(close) = find_close_tag(bytes, content_start, tag) else {
            // Unclosed: the parser would treat the rest as raw text anyway.
            break;
        };
        let keep = *tag == b"script" && is_json_ld(&bytes[lt..content_start]);
        if !keep && close > content_start {
            // `content_start` and `close` sit just after a `>` and at a `<`:
            // both ASCII, so both are char boundaries.
            let out = out.get_or_insert_with(|| String::with_capacity(html.len() / 2));
            out.push_str(&html[copied..content_start]);
            copied = close;
        }
        at = close;
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut out) => {
            out.push_str(&html[copied..]);
            Cow::Owned(out)
        }
    }
}

/// Does `rest` (just after a `<`) open the element `tag`: its name, ASCII
/// case-insensitive, followed by whitespace, `>` or `/`?
fn starts_with_tag(rest: &[u8], tag: &[u8]) -> bool {
    rest.len() > tag.len()
        && rest[..tag.len()].eq_ignore_ascii_case(tag)
        && matches!(
            rest[tag.len()],
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'>' | b'/'
        )
}

/// Index just past the `>` that ends the open tag whose attributes start at
/// `from`, honouring quoted attribute values (a quote only opens a value
/// right after `=`, as in HTML).
fn end_of_open_tag(bytes: &[u8], from: usize) -> Option<usize> {
    let mut quote: Option<u8> = None;
    let mut after_equals = false;
    for (idx, &byte) in bytes.iter().enumerate().skip(from) {
        if let Some(open) = quote {
            if byte == open {
                quote = None;
            }
            continue;
        }
        match byte {
            b'>' => return Some(idx + 1),
            b'"' | b'\'' if after_equals => quote = Some(byte),
            _ => {}
        }
        if !byte.is_ascii_whitespace() {
            after_equals = byte == b'=';
        }
    }
    None
}

/// Index of the `<` of the first `</tag` (ASCII case-insensitive) at or
/// after `from`.
fn find_close_tag(bytes: &[u8], from: usize, tag: &[u8]) -> Option<usize> {
    let mut at = from;
    while let Some(offset) = memchr::memmem::find(&bytes[at..], b"</") {
        let lt = at + offset;
        if starts_with_tag(&bytes[lt + 2..], tag) {
            return Some(lt);
        }
        at = lt + 2;
    }
    None
}

/// Is this open tag `type="application/ld+json"`?
fn is_json_ld(open_tag: &[u8]) -> bool {
    open_tag
        .windows(b"ld+json".len())
        .any(|window| window.eq_ignore_ascii_case(b"ld+json"))
}
