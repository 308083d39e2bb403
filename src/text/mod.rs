//! Text helpers every stage may use, pure and built without the `daemon`
//! feature: bytes to text ([`decode`]: byte-order mark, header, in-document
//! declaration, detection), HTML escaping ([`escape_html`]), cutting text to
//! a length ([`truncate`], [`truncate_bytes`]), the SHA-256 of text in
//! hex ([`sha256_hex`]) and the names of months and weekdays
//! ([`calendar`]).
//!
//! Owns nothing of the pipeline: it knows no feed, article or alert. One
//! helper per job, so that two stages never disagree on how text is
//! decoded, escaped, cut or hashed.

pub mod calendar;
mod charset;
#[cfg(test)]
mod tests;

pub use charset::{decode, encoding_for};
#[cfg(feature = "daemon")]
pub(crate) use charset::{decode_with_tld, tld};

use sha2::{Digest, Sha256};

/// `&`, `<`, `>`, `"` and `'` escaped: `text` is safe inside HTML
/// elements and quoted attribute values.
pub fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// `text` cut to at most `max_chars` characters, the last one "…" when cut.
pub fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(max_chars.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// `text` cut to at most `max_bytes` bytes at a character boundary, "…"
/// included when cut.
pub fn truncate_bytes(text: &str, max_bytes: usize) -> String {
    if text.len() <= max_bytes {
        return text.to_owned();
    }
    let ellipsis = '…';
    let end = text.floor_char_boundary(max_bytes.saturating_sub(ellipsis.len_utf8()));
    format!("{}{ellipsis}", &text[..end])
}

/// The SHA-256 of `parts` joined by NUL bytes, in lowercase hex (64
/// digits). NUL cannot stand in the text parts it joins, so
/// `["ab", "c"]` and `["a", "bc"]` differ.
pub fn sha256_hex(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for (part_idx, part) in parts.iter().enumerate() {
        if part_idx > 0 {
            hasher.update([0u8]);
        }
        hasher.update(part.as_bytes());
    }
    hex::encode(hasher.finalize())
}
