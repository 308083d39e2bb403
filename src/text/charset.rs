//! Bytes to text: which character encoding a fetched document uses.
//!
//! The order is a byte-order mark (browsers let it win over everything, and
//! it cannot be there by accident) or the NUL beside a first `<` that gives
//! UTF-16 away without one, the `charset` of the `Content-Type` header, a
//! declaration in the first bytes of the document (`<?xml encoding="…"?>`,
//! `<meta charset>`, `<meta http-equiv>`), valid UTF-8, and finally
//! statistical detection by chardetng. Decoding itself is encoding_rs, which
//! never fails: malformed sequences become U+FFFD. Feeds and pages are
//! decoded alike.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
#[cfg(feature = "daemon")]
use url::Url;

/// How much of the document is searched for an encoding declaration.
const PRESCAN_BYTES: usize = 2048;
/// How much of the document is fed to the detector; more adds time, not
/// accuracy.
const DETECT_BYTES: usize = 256 * 1024;

/// Decodes `bytes` as text, using the charset of `content_type` (a
/// `Content-Type` header value) when it names one, else the document's own
/// declaration, else detection.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> String {
    decode_as(pick(bytes, content_type, None), bytes)
}

/// The encoding [`decode`] would use for `bytes`.
pub fn encoding_for(bytes: &[u8], content_type: Option<&str>) -> &'static Encoding {
    pick(bytes, content_type, None)
}

/// [`decode`] with the top-level domain of the document's host (`"kr"`,
/// `"jp"`) as a hint for detection.
#[cfg(feature = "daemon")]
pub(crate) fn decode_with_tld(
    bytes: &[u8],
    content_type: Option<&str>,
    tld: Option<&str>,
) -> String {
    decode_as(pick(bytes, content_type, tld), bytes)
}

fn decode_as(encoding: &'static Encoding, bytes: &[u8]) -> String {
    // `decode` also strips a BOM, which `pick` has already honoured.
    let (text, _encoding, _had_errors) = encoding.decode(bytes);
    text.into_owned()
}

/// The top-level domain of `url`'s host, lowercase, when it is a name.
#[cfg(feature = "daemon")]
pub(crate) fn tld(url: &Url) -> Option<&str> {
    match url.host()? {
        url::Host::Domain(domain) => domain
            .trim_end_matches('.')
            .rsplit('.')
            .next()
            .filter(|label| !label.is_empty()),
        url::Host::Ipv4(_) | url::Host::Ipv6(_) => None,
    }
}

fn pick(bytes: &[u8], content_type: Option<&str>, tld: Option<&str>) -> &'static Encoding {
    if let Some((encoding, _bom_length)) = Encoding::for_bom(bytes) {
        return encoding;
    }
    match bytes {
        [0, b'<', ..] => return UTF_16BE,
        [b'<', 0, ..] => return UTF_16LE,
        _ => {}
    }
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    let declared = declared(head);
    let claimed = match content_type
        .and_then(charset_param)
        .and_then(|label| Encoding::for_label(label.as_bytes()))
    {
        // Servers that default to Latin-1 in the header while the document
        // declares (and is) UTF-8 are common enough to special-case.
        Some(http)
            if http == WINDOWS_1252
                && declared == Some(UTF_8)
                && std::str::from_utf8(bytes).is_ok() =>
        {
            Some(UTF_8)
        }
        Some(http) => Some(ascii_compatible(http)),
        None => declared,
    };
    match claimed {
        // UTF-8 claimed by a document that has no valid UTF-8 beyond ASCII
        // is a legacy encoding mislabelled (a Latin-1 feed saying "utf-8"):
        // detection reads it. One with some is UTF-8 with damage, a cut
        // tail or a stray byte, and stays UTF-8.
        Some(encoding) if encoding == UTF_8 && !reads_as_utf8_beyond_ascii(bytes) => {}
        Some(encoding) => return encoding,
        None if std::str::from_utf8(bytes).is_ok() => return UTF_8,
        None => {}
    }
    let sample = &bytes[..bytes.len().min(DETECT_BYTES)];
    // ISO-2022-JP is denied as browsers do: it hides markup from filters.
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(sample, sample.len() == bytes.len());
    // chardetng panics on a label that is not lowercase ASCII without dots;
    // anything else is simply no hint.
    let tld = tld.filter(|tld| {
        tld.bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
    });
    detector.guess(tld.map(str::as_bytes), chardetng::Utf8Detection::Deny)
}

/// Is `bytes` valid UTF-8, or does it at least hold a valid multi-byte
/// UTF-8 sequence?
fn reads_as_utf8_beyond_ascii(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok() || bytes.utf8_chunks().any(|chunk| !chunk.valid().is_ascii())
}

/// The `charset` parameter of a `Content-Type` value.
fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(|c| c == '"' || c == '\''))
            .filter(|value| !value.is_empty())
    })
}

/// An encoding declared in the first bytes of an XML or HTML document.
fn declared(head: &[u8]) -> Option<&'static Encoding> {
    let encoding = match xml_declaration(head) {
        Some(label) => Encoding::for_label(label)?,
        None => meta_charset(head)?,
    };
    // x-user-defined is a browser quirk (per the WHATWG prescan).
    if encoding == encoding_rs::X_USER_DEFINED {
        return Some(WINDOWS_1252);
    }
    Some(ascii_compatible(encoding))
}

/// A label's encoding for bytes that have read as ASCII so far: a UTF-16
/// label on them is a lie (UTF-16 shows itself by its BOM or NULs), and
/// UTF-8 is the useful reading (per the WHATWG prescan).
fn ascii_compatible(encoding: &'static Encoding) -> &'static Encoding {
    if encoding == UTF_16LE || encoding == UTF_16BE {
        UTF_8
    } else {
        encoding
    }
}

/// `encoding="…"` from `<?xml … ?>` at the start of the document.
fn xml_declaration(head: &[u8]) -> Option<&[u8]> {
    let start = head.iter().position(|byte| !byte.is_ascii_whitespace())?;
    let rest = head.get(start..)?;
    if !rest.starts_with(b"<?xml") {
        return None;
    }
    let end = find(rest, b"?>")?;
    let declaration = &rest[..end];
    let at = find(declaration, b"encoding")?;
    let after = trim_start(&declaration[at + b"encoding".len()..]);
    let after = trim_start(after.strip_prefix(b"=")?);
    quoted_or_bare(after)
}

/// The encoding of the first `<meta>` tag that declares a known one, either
/// as `charset="…"` or inside `content="text/html; charset=…"`.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = find(&lower[from..], b"<meta") {
        let tag_start = from + at;
        let tag_end = find(&lower[tag_start..], b">").map_or(lower.len(), |end| tag_start + end);
        let tag = &lower[tag_start..tag_end];
        if let Some(at) = find(tag, b"charset") {
            let after = trim_start(&tag[at + b"charset".len()..]);
            if let Some(after) = after.strip_prefix(b"=")
                && let Some(value) = quoted_or_bare(trim_start(after))
                && let Some(encoding) = Encoding::for_label(value)
            {
                return Some(encoding);
            }
        }
        from = tag_end;
    }
    None
}

/// A value up to its closing quote, or up to a delimiter when unquoted.
fn quoted_or_bare(text: &[u8]) -> Option<&[u8]> {
    let (body, is_end): (&[u8], fn(u8) -> bool) = match text.first()? {
        b'"' => (&text[1..], |byte| byte == b'"'),
        b'\'' => (&text[1..], |byte| byte == b'\''),
        _ => (text, |byte| {
            byte.is_ascii_whitespace() || matches!(byte, b'"' | b'\'' | b';' | b'>' | b'/' | b'?')
        }),
    };
    let end = body
        .iter()
        .position(|&byte| is_end(byte))
        .unwrap_or(body.len());
    let value = &body[..end];
    (!value.is_empty()).then_some(value)
}

fn trim_start(text: &[u8]) -> &[u8] {
    let start = text
        .iter()
        .position(|byte| !byte.is_ascii_whitespace())
        .unwrap_or(text.len());
    &text[start..]
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}
