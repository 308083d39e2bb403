//! Cutting what can never be article text from the raw HTML before it is
//! parsed: the bodies of `<script>`, `<style>` and `<svg>` elements,
//! comments, and the attributes nothing downstream reads (`data-*`,
//! `srcset`, `sizes`, `on*` event handlers).
//!
//! On news pages about half the bytes are inline scripts and styles, none
//! of them article text; html5ever would tokenize them, copy them into
//! text nodes, and readability would then delete them. Cutting them from
//! the string first halves the parse; the unread attributes are another
//! eighth of what is left, each one a string the parser would intern.
//! JSON-LD scripts are kept: `metadata` reads them. Comments are skipped
//! over so a `<script>` inside a comment never makes us cut real content.

use std::borrow::Cow;

/// Elements whose content never reaches the article: raw text (scripts,
/// styles) and inline vector images, whose markup is often kilobytes of
/// path data.
const RAW_TEXT_TAGS: &[&[u8]] = &[b"script", b"style", b"svg"];

/// Elements whose content the parser reads as text only, never as tags.
const RCDATA_TAGS: &[&[u8]] = &[b"title", b"textarea"];

/// The output under construction: `html` with some byte ranges cut, built
/// only once the first cut is made.
struct Cutter<'a> {
    html: &'a str,
    out: Option<String>,
    /// Everything before `copied` is already in `out` (or needs no copy).
    copied: usize,
}

impl<'a> Cutter<'a> {
    fn new(html: &'a str) -> Self {
        Self {
            html,
            out: None,
            copied: 0,
        }
    }

    /// Leaves `html[from..to]` out. Both must be char boundaries at or after
    /// the previous cut's end.
    fn cut(&mut self, from: usize, to: usize) {
        let out = self
            .out
            .get_or_insert_with(|| String::with_capacity(self.html.len() / 2));
        out.push_str(&self.html[self.copied..from]);
        self.copied = to;
    }

    fn finish(self) -> Cow<'a, str> {
        match self.out {
            None => Cow::Borrowed(self.html),
            Some(mut out) => {
                out.push_str(&self.html[self.copied..]);
                Cow::Owned(out)
            }
        }
    }
}

/// `html` with the content of every non-JSON-LD `<script>` and every
/// `<style>` and `<svg>` removed (their tags stay), comments removed, and
/// unread attributes dropped from open tags. Borrowed when there is
/// nothing to cut.
pub(crate) fn strip_raw_text(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut cutter = Cutter::new(html);
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
                    cutter.cut(lt, end);
                    at = end;
                    continue;
                }
                None => break,
            }
        }
        if !bytes.get(lt + 1).is_some_and(u8::is_ascii_alphabetic) {
            // A close tag, a doctype or a bare `<` in text.
            at = lt + 1;
            continue;
        }
        // A tag name runs to whitespace, `/` or `>`: `<svg-icon>` is not
        // `<svg>`.
        let name_end = bytes[lt + 1..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
            .map_or(bytes.len(), |len| lt + 1 + len);
        let Some(content_start) = cut_unread_attributes(bytes, name_end, &mut cutter) else {
            // Unclosed open tag: the rest is the parser's problem.
            break;
        };
        let name = &bytes[lt + 1..name_end];
        // Text-only elements (RCDATA): a "<script>" inside them is text, so
        // jump past their close tag without looking inside.
        if let Some(tag) = RCDATA_TAGS
            .iter()
            .find(|tag| name.eq_ignore_ascii_case(tag))
        {
            match find_close_tag(bytes, content_start, tag) {
                Some(close) => {
                    at = close;
                    continue;
                }
                None => break,
            }
        }
        let Some(tag) = RAW_TEXT_TAGS
            .iter()
            .find(|tag| name.eq_ignore_ascii_case(tag))
        else {
            at = content_start;
            continue;
        };
        let Some(close) = find_close_tag(bytes, content_start, tag) else {
            // Unclosed: the parser would treat the rest as raw text anyway.
            break;
        };
        let keep = *tag == b"script" && is_json_ld(&bytes[lt..content_start]);
        if !keep && close > content_start {
            // `content_start` and `close` sit just after a `>` and at a `<`:
            // both ASCII, so both are char boundaries.
            cutter.cut(content_start, close);
        }
        at = close;
    }
    cutter.finish()
}

/// Is an attribute of this name never read downstream? Custom data,
/// responsive-image candidates and event handlers.
fn is_unread_attribute(name: &[u8]) -> bool {
    let starts = |prefix: &[u8]| {
        name.len() > prefix.len() && name[..prefix.len()].eq_ignore_ascii_case(prefix)
    };
    starts(b"data-")
        || starts(b"on")
        || name.eq_ignore_ascii_case(b"srcset")
        || name.eq_ignore_ascii_case(b"sizes")
}

/// Walks the attributes of the open tag whose name ends at `from`, as the
/// HTML tokenizer reads them, cutting the unread ones (with the whitespace
/// before them) through `cutter`. Returns the index just past the tag's
/// `>`, or `None` when the tag never closes (then nothing is cut).
fn cut_unread_attributes(bytes: &[u8], from: usize, cutter: &mut Cutter<'_>) -> Option<usize> {
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut at = from;
    loop {
        // Whitespace and stray slashes between attributes.
        let space_start = at;
        while bytes
            .get(at)
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/')
        {
            at += 1;
        }
        match bytes.get(at) {
            None => return None,
            Some(b'>') => break,
            Some(_) => {}
        }
        let name_start = at;
        // A name runs to whitespace, `/`, `>` or `=` (an `=` first is part
        // of it).
        at += 1;
        while bytes
            .get(at)
            .is_some_and(|b| !(b.is_ascii_whitespace() || matches!(b, b'/' | b'>' | b'=')))
        {
            at += 1;
        }
        let name = &bytes[name_start..at];
        let mut value_end = at;
        while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        if bytes.get(at) == Some(&b'=') {
            at += 1;
            while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
                at += 1;
            }
            match bytes.get(at) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let close = memchr::memchr(quote, &bytes[at + 1..])?;
                    at += 1 + close + 1;
                }
                _ => {
                    while bytes
                        .get(at)
                        .is_some_and(|b| !(b.is_ascii_whitespace() || *b == b'>'))
                    {
                        at += 1;
                    }
                }
            }
            value_end = at;
        } else {
            // No value: whatever whitespace followed belongs to the next
            // attribute.
            at = value_end;
        }
        if is_unread_attribute(name) {
            cuts.push((space_start, value_end));
        }
    }
    // Every cut starts at ASCII whitespace, a `/` or just after a tag name
    // and ends after a quote or before whitespace or `>`: char boundaries.
    for (start, end) in cuts {
        cutter.cut(start, end);
    }
    Some(at + 1)
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
