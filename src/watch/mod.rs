//! Boolean keyword queries over text: quoted phrases, AND, OR, NOT and
//! parentheses, case-insensitive and whole-word. All terms of all watches are
//! found in one pass with aho-corasick. Pure: no IO, never fails on text.
//!
//! This module owns the query language and the matching of text against it.
//! It does not know where text comes from (feed entries, article pages) nor
//! what a match leads to (figures, alerts). `query.rs` parses the language
//! below into a [`Query`]; this file normalises text and matches it.
//!
//! # Query language
//!
//! - A *word* is a run of characters other than whitespace, `(`, `)` and `"`;
//!   a *phrase* is text in double quotes (`"North Korea"`). Both are terms.
//! - `AND`, `OR` and `NOT` are operators only when written in capitals;
//!   `and`, `or`, `not` are ordinary words. `-word` (a `-` right before a
//!   term or `(`) is shorthand for `NOT word`.
//! - `NOT` binds tightest, then `AND`, then `OR`; two operands side by side
//!   mean `AND`: `a b OR c` is `(a AND b) OR c`.
//! - A query needs at least one term outside every `NOT`: a purely negative
//!   query would match nearly every article.
//!
//! # Matching
//!
//! Text and terms are normalised the same way: lowercased character by
//! character (Unicode-aware), runs of whitespace collapsed to one space,
//! curly apostrophes turned into `'` and the combining dot above dropped (so
//! Turkish `İstanbul` matches `Istanbul`). A term matches only as a whole
//! word: the characters just outside it must not be letters or digits, so
//! `Russia` does not match `Russian`, but does match `Russia's`, `Russia’s`
//! and `Russia-backed`. Scripts written without spaces between words or with
//! attached particles (Han, Hiragana, Katakana, Hangul) skip the whole-word
//! test at an edge where the term's character is from such a script, so
//! `러시아` matches `러시아는`.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

mod query;
#[cfg(test)]
mod tests;

pub use query::{ParseError, Query};

/// Normalises text for matching: per-character lowercase, whitespace runs to
/// one space, curly apostrophes to `'`, combining dot above dropped. Terms and
/// text go through the same function, so they compare byte for byte.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_into(text, &mut out);
    let trimmed_len = out.trim_end().len();
    out.truncate(trimmed_len);
    out
}

fn normalize_into(text: &str, out: &mut String) {
    let mut last_space = true;
    for c in text.chars() {
        if c.is_ascii() {
            if c.is_ascii_whitespace() {
                if !last_space {
                    out.push(' ');
                    last_space = true;
                }
            } else {
                out.push(c.to_ascii_lowercase());
                last_space = false;
            }
            continue;
        }
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
            continue;
        }
        match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' => out.push('\''),
            '\u{0307}' => continue,
            _ => {
                for lower in c.to_lowercase() {
                    if lower != '\u{0307}' {
                        out.push(lower);
                    }
                }
            }
        }
        last_space = false;
    }
}

/// Scripts whose words are not delimited by spaces, or carry attached
/// particles, where a whole-word test would miss real mentions.
fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF   // Hangul Jamo
        | 0x3040..=0x30FF // Hiragana, Katakana
        | 0x3130..=0x318F // Hangul compatibility Jamo
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xAC00..=0xD7AF // Hangul syllables
        | 0xF900..=0xFAFF // CJK compatibility ideographs
        | 0x20000..=0x2FFFF)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_unspaced_script(c)
}

/// One compiled watch: its query and, per query term, the pattern id.
#[derive(Debug)]
struct CompiledWatch {
    query: Query,
    pattern_of_term: Vec<usize>,
    /// Whether the query is true of text holding none of its terms.
    true_on_empty: bool,
}

/// All watches' queries compiled into one automaton.
#[derive(Debug)]
pub struct Matcher {
    /// `None` when no query has a term (no watches).
    automaton: Option<AhoCorasick>,
    /// Per pattern: whether its first and last characters need a word boundary.
    edges: Vec<(bool, bool)>,
    /// Per pattern: (watch, term is positive in that watch).
    users: Vec<Vec<(usize, bool)>>,
    watches: Vec<CompiledWatch>,
}

impl Matcher {
    /// Compiles the queries; index `i` of the slice is watch `i` in results.
    pub fn new(queries: &[&Query]) -> Matcher {
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_ids = std::collections::HashMap::new();
        let mut users: Vec<Vec<(usize, bool)>> = Vec::new();
        let mut watches = Vec::with_capacity(queries.len());
        for (watch_idx, query) in queries.iter().enumerate() {
            let positive = query.positive_terms();
            let mut pattern_of_term = Vec::with_capacity(query.terms().len());
            for (term_idx, term) in query.terms().iter().enumerate() {
                let pattern_id = *pattern_ids.entry(term.clone()).or_insert_with(|| {
                    patterns.push(term.clone());
                    users.push(Vec::new());
                    patterns.len() - 1
                });
                users[pattern_id].push((watch_idx, positive[term_idx]));
                pattern_of_term.push(pattern_id);
            }
            let true_on_empty = query.eval(|_| false);
            watches.push(CompiledWatch {
                query: (*query).clone(),
                pattern_of_term,
                true_on_empty,
            });
        }
        let edges = patterns
            .iter()
            .map(|pattern| {
                let first = pattern.chars().next().is_some_and(is_word_char);
                let last = pattern.chars().next_back().is_some_and(is_word_char);
                (first, last)
            })
            .collect();
        // Standard semantics with overlapping search reports every
        // occurrence of every pattern, so "korea" is found inside
        // "north korea" too. Building only fails past size limits far beyond
        // any config; then no term is ever found, which is logged by nobody
        // but is not a crash.
        let automaton = if patterns.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build(&patterns)
                .ok()
        };
        Matcher {
            automaton,
            edges,
            users,
            watches,
        }
    }

    /// Which patterns occur in `text` as whole words: one pass.
    fn found(&self, text: &str) -> Vec<bool> {
        let mut found = vec![false; self.edges.len()];
        let Some(automaton) = &self.automaton else {
            return found;
        };
        let mut normalized = String::with_capacity(text.len() + 2);
        normalize_into(text, &mut normalized);
        let haystack = normalized.as_str();
        for hit in automaton.find_overlapping_iter(haystack) {
            let pattern_id = hit.pattern().as_usize();
            if found[pattern_id] {
                continue;
            }
            let (need_start, need_end) = self.edges[pattern_id];
            let before_ok = !need_start
                || !haystack
                    .get(..hit.start())
                    .and_then(|before| before.chars().next_back())
                    .is_some_and(is_word_char);
            let after_ok = !need_end
                || !haystack
                    .get(hit.end()..)
                    .and_then(|after| after.chars().next())
                    .is_some_and(is_word_char);
            if before_ok && after_ok {
                found[pattern_id] = true;
            }
        }
        found
    }

    /// Watches with at least one non-negated term in `text` (the cheap test an
    /// entry's title and summary pass before its article is fetched).
    pub fn prefilter(&self, text: &str) -> Vec<usize> {
        let found = self.found(text);
        let mut hit = vec![false; self.watches.len()];
        for (pattern_id, _) in found.iter().enumerate().filter(|(_, f)| **f) {
            for &(watch_idx, positive) in &self.users[pattern_id] {
                hit[watch_idx] |= positive;
            }
        }
        indices(&hit)
    }

    /// Watches whose full query is true of `text`.
    pub fn matching(&self, text: &str) -> Vec<usize> {
        let found = self.found(text);
        let mut candidate: Vec<bool> = self.watches.iter().map(|w| w.true_on_empty).collect();
        for (pattern_id, _) in found.iter().enumerate().filter(|(_, f)| **f) {
            for &(watch_idx, _) in &self.users[pattern_id] {
                candidate[watch_idx] = true;
            }
        }
        let mut result = Vec::new();
        for (watch_idx, watch) in self.watches.iter().enumerate() {
            if candidate[watch_idx]
                && watch
                    .query
                    .eval(|term_idx| found[watch.pattern_of_term[term_idx]])
            {
                result.push(watch_idx);
            }
        }
        result
    }
}

fn indices(flags: &[bool]) -> Vec<usize> {
    flags
        .iter()
        .enumerate()
        .filter_map(|(idx, flag)| flag.then_some(idx))
        .collect()
}
