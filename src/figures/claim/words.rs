//! The words of one sentence, as the claim phases read them: words (with
//! dotted abbreviations such as "U.S." and possessives such as "Korea's"
//! kept whole) and single punctuation marks, with their case.

use super::super::Mention;
use super::super::number::{Token, TokenKind};
use super::claimant::Attribution;
use std::cell::OnceCell;

/// One word or punctuation mark; offsets are bytes into the whole text.
#[derive(Debug, Clone, Copy)]
pub(super) struct Word {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) punct: bool,
}

/// A sentence split into words, with the lower-case text for matching.
pub(super) struct Clause<'a> {
    pub(super) text: &'a str,
    /// The whole text lower-cased byte for byte (ASCII only, so offsets
    /// agree with `text`).
    lower: &'a str,
    pub(super) words: Vec<Word>,
    /// Byte offset of the sentence in `text`.
    pub(super) start: usize,
    pub(super) end: usize,
    /// The sentence's attributions, read once (by the claimant phase).
    pub(super) attributions: OnceCell<Vec<Attribution>>,
}

/// Where a mention stands among a clause's words.
#[derive(Debug, Clone, Copy)]
pub(super) struct At {
    /// First word of the mention (its qualifier, or its noun when inverted).
    pub(super) first: usize,
    /// One past the last word of the mention.
    pub(super) last: usize,
}

/// The text of the scan, which every clause of it reads.
#[derive(Clone, Copy)]
pub(super) struct Source<'a> {
    pub(super) text: &'a str,
    pub(super) lower: &'a str,
    pub(super) tokens: &'a [Token],
}

impl<'a> Clause<'a> {
    /// The words of `text[span.0..span.1]`, from the scan's tokens: a word
    /// is a run of glued letters and digits, joined across "-", "'", ".",
    /// "&" and a thousands comma ("11,000", "Korea's", "U.S.", "2A4").
    pub(super) fn new(source: Source<'a>, span: (usize, usize)) -> Clause<'a> {
        let Source {
            text,
            lower,
            tokens,
        } = source;
        let (start, end) = (span.0.min(text.len()), span.1.min(text.len()));
        let a = tokens.partition_point(|t| t.start < start);
        let b = tokens.partition_point(|t| t.start < end);
        let tokens = tokens.get(a..b).unwrap_or(&[]);
        let mut words = Vec::with_capacity(tokens.len());
        let is_part = |t: &Token| t.kind != TokenKind::Punct;
        let mut k = 0;
        while let Some(token) = tokens.get(k) {
            k += 1;
            if !is_part(token) {
                words.push(Word {
                    start: token.start,
                    end: token.end,
                    punct: true,
                });
                continue;
            }
            let word_start = token.start;
            let mut word_end = token.end;
            while let Some(next) = tokens.get(k).filter(|t| t.glued) {
                if is_part(next) {
                    word_end = next.end;
                    k += 1;
                    continue;
                }
                let mark = text.get(next.start..next.end).unwrap_or("");
                let after_digit = text
                    .get(..next.start)
                    .is_some_and(|s| s.ends_with(|c: char| c.is_ascii_digit()));
                let joins =
                    matches!(mark, "-" | "'" | "’" | "." | "&") || (mark == "," && after_digit);
                if joins && let Some(after) = tokens.get(k + 1).filter(|t| t.glued && is_part(t)) {
                    word_end = after.end;
                    k += 2;
                    continue;
                }
                let so_far = text.get(word_start..word_end).unwrap_or("");
                if matches!(mark, "'" | "’") && so_far.ends_with('s') && so_far.len() > 2 {
                    // "the Philippines' disaster agency": a plural possessive.
                    word_end = next.end;
                    k += 1;
                } else if mark == "." && is_dotted(so_far) {
                    // "U.S." keeps its last dot.
                    word_end = next.end;
                    k += 1;
                }
                break;
            }
            words.push(Word {
                start: word_start,
                end: word_end,
                punct: false,
            });
        }
        Clause {
            text,
            lower,
            words,
            start,
            end,
            attributions: OnceCell::new(),
        }
    }

    /// Lower-case text of word `i` ("" past either end).
    pub(super) fn low(&self, i: usize) -> &str {
        self.words
            .get(i)
            .and_then(|w| self.lower.get(w.start..w.end))
            .unwrap_or("")
    }

    /// Text of word `i` as written.
    pub(super) fn raw(&self, i: usize) -> &'a str {
        self.words
            .get(i)
            .and_then(|w| self.text.get(w.start..w.end))
            .unwrap_or("")
    }

    /// Lower-case text from word `i` to the end of the sentence.
    pub(super) fn low_from(&self, i: usize) -> &str {
        self.words
            .get(i)
            .and_then(|w| self.lower.get(w.start..self.end))
            .unwrap_or("")
    }

    /// Text as written from word `a` through word `b - 1`.
    pub(super) fn span(&self, a: usize, b: usize) -> &'a str {
        match (
            self.words.get(a),
            b.checked_sub(1).and_then(|l| self.words.get(l)),
        ) {
            (Some(x), Some(y)) if y.end >= x.start => self.text.get(x.start..y.end).unwrap_or(""),
            _ => "",
        }
    }

    pub(super) fn len(&self) -> usize {
        self.words.len()
    }

    pub(super) fn is_punct(&self, i: usize) -> bool {
        self.words.get(i).is_none_or(|w| w.punct)
    }

    /// Whether word `i` starts with an upper-case letter.
    pub(super) fn is_cap(&self, i: usize) -> bool {
        !self.is_punct(i) && self.raw(i).chars().next().is_some_and(char::is_uppercase)
    }

    /// Whether word `i` is a number written in digits.
    pub(super) fn is_digits(&self, i: usize) -> bool {
        self.raw(i)
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    }

    /// Where the mention stands, if it lies in this clause.
    pub(super) fn locate(&self, m: &Mention) -> Option<At> {
        if m.start < self.start || m.end > self.end {
            return None;
        }
        let first = self.words.partition_point(|w| w.end <= m.start);
        let last = self.words.partition_point(|w| w.start < m.end);
        (first < last).then_some(At { first, last })
    }

    /// Word index of the first word at or after byte `offset`.
    pub(super) fn word_at(&self, offset: usize) -> usize {
        self.words.partition_point(|w| w.end <= offset)
    }
}

/// "U.S", "U.N": single letters joined by dots.
fn is_dotted(s: &str) -> bool {
    s.len() >= 3 && s.split('.').all(|p| p.chars().count() == 1)
}

pub(super) use crate::figures::lexicon::WordSet;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_abbreviations_possessives_and_compounds_whole() {
        let text = "U.S. officials said North Korea's 11,000-strong force left.";
        let lower = text.to_ascii_lowercase();
        let tokens = crate::figures::number::tokenize(text);
        let source = Source {
            text,
            lower: &lower,
            tokens: &tokens,
        };
        let clause = Clause::new(source, (0, text.len()));
        let words: Vec<&str> = (0..clause.len()).map(|i| clause.raw(i)).collect();
        assert_eq!(
            words,
            [
                "U.S.",
                "officials",
                "said",
                "North",
                "Korea's",
                "11,000-strong",
                "force",
                "left",
                "."
            ]
        );
        assert!(clause.is_cap(0) && !clause.is_cap(1));
        assert_eq!(clause.span(3, 5), "North Korea's");
    }
}
