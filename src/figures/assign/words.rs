//! Whole-word, plural-tolerant search of a term in lower-case text: the one
//! way terms, `exclude` words and event words are found.

/// Word characters for whole-word matching; a hyphen joins words, so
/// "anti-tank" does not hold the term "tank".
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80 || b == b'-'
}

/// Whole-word occurrences of `term` in `hay` (both lower case), allowing a
/// plural "s"/"es" after it: byte spans.
pub(super) fn term_positions<'a>(
    hay: &'a str,
    term: &'a str,
) -> impl Iterator<Item = (usize, usize)> + 'a {
    let bytes = hay.as_bytes();
    // Noun phrases and sentences are short: a plain scan beats building a
    // searcher for every term of every figure (a whole term's bytes match
    // only at a char boundary, its first byte being no continuation byte).
    let first = term.as_bytes().first().copied();
    let last_start = (hay.len() + 1).saturating_sub(term.len().max(1));
    (0..last_start)
        .filter(move |&i| Some(bytes[i]) == first && bytes[i..].starts_with(term.as_bytes()))
        .filter_map(move |start| {
            let mut end = start + term.len();
            if start > 0
                && is_word_byte(bytes[start - 1])
                && term.as_bytes().first().is_some_and(|b| is_word_byte(*b))
            {
                return None;
            }
            if hay[end..].starts_with("es") && !bytes.get(end + 2).is_some_and(|b| is_word_byte(*b))
            {
                end += 2;
            } else if hay[end..].starts_with('s')
                && !bytes.get(end + 1).is_some_and(|b| is_word_byte(*b))
            {
                end += 1;
            }
            let last_is_word = term.as_bytes().last().is_some_and(|b| is_word_byte(*b));
            if last_is_word && bytes.get(end).is_some_and(|b| is_word_byte(*b)) {
                return None;
            }
            Some((start, end))
        })
}

/// End of the last whole-word occurrence of `term` in `hay`.
pub(super) fn find_term(hay: &str, term: &str) -> Option<usize> {
    term_positions(hay, term).last().map(|(_, end)| end)
}

/// The form a term is searched by: a plural term's singular ("soldiers" →
/// "soldier"; the plural suffix the search allows finds "soldiers" too).
pub(super) fn search_form(lower: &str) -> String {
    match lower.strip_suffix('s') {
        Some(stem) if !lower.ends_with("ss") && stem.len() >= 3 => stem.to_string(),
        _ => lower.to_string(),
    }
}
