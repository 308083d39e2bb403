//! Sentence splitting that survives abbreviations ("U.S.", "Feb.", "No. 1"),
//! initials, closing quotes and decimals.

use super::lexicon::ABBREVIATIONS;

/// Sentence spans (byte offsets) of `text`. Splits at newlines and at . ! ?
/// followed by space and an upper-case letter, digit or quote, except after
/// abbreviations ("Feb.", "No.", "Gen."), initials and dotted acronyms ("U.S.").
pub(crate) fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' {
            if i > start {
                out.push((start, i));
            }
            start = i + 1;
            i += 1;
            continue;
        }
        if matches!(b, b'.' | b'!' | b'?') {
            // Closing quotes and brackets belong to the sentence.
            let mut e = i + 1;
            loop {
                let rest = &text[e..];
                let c = match rest.chars().next() {
                    Some(c) => c,
                    None => break,
                };
                if matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»') {
                    e += c.len_utf8();
                } else {
                    break;
                }
            }
            let rest = &text[e..];
            let ws: usize = rest
                .chars()
                .take_while(|c| c.is_whitespace() && *c != '\n')
                .map(char::len_utf8)
                .sum();
            let next = rest[ws..].chars().next();
            let boundary = match next {
                None => true,
                Some('\n') => true,
                Some(c) if ws > 0 => {
                    (c.is_uppercase()
                        || c.is_ascii_digit()
                        || matches!(c, '"' | '“' | '\'' | '‘' | '('))
                        && !(b == b'.' && is_abbreviation(text, start, i))
                }
                _ => false,
            };
            if boundary {
                out.push((start, e));
                start = e;
                i = e;
                continue;
            }
        }
        i += 1;
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

/// Whether the word ending at the period at `dot` is an abbreviation.
fn is_abbreviation(text: &str, floor: usize, dot: usize) -> bool {
    let before = &text[floor..dot];
    let word_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace() || matches!(c, '(' | '"' | '“'))
        .map_or(0, |(k, c)| k + c.len_utf8());
    let word = &before[word_start..];
    if word.is_empty() {
        return false;
    }
    // "U.S", "e.g", "a.m": dotted forms; "J": an initial.
    if word.contains('.') {
        return true;
    }
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && c.is_uppercase()
    {
        return true;
    }
    word.len() <= 6 && ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
}
