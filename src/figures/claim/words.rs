//! The words of one sentence, as the claim phases read them: words (with
//! dotted abbreviations such as "U.S." and possessives such as "Korea's"
//! kept whole) and single punctuation marks, with their case.

use super::super::Mention;

/// One word or punctuation mark; offsets are bytes into the whole text.
#[derive(Debug, Clone, Copy)]
pub(super) struct Word {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) punct: bool,
}

/// A sentence split into words, with a lower-case copy for matching.
pub(super) struct Clause<'a> {
    pub(super) text: &'a str,
    /// `text` lower-cased byte for byte (ASCII only, so offsets agree).
    lower: String,
    pub(super) words: Vec<Word>,
    /// Byte offset of the sentence in `text`.
    pub(super) start: usize,
    pub(super) end: usize,
}

/// Where a mention stands among a clause's words.
#[derive(Debug, Clone, Copy)]
pub(super) struct At {
    /// First word of the mention (its qualifier, or its noun when inverted).
    pub(super) first: usize,
    /// One past the last word of the mention.
    pub(super) last: usize,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

impl<'a> Clause<'a> {
    /// The words of `text[span.0..span.1]`.
    pub(super) fn new(text: &'a str, span: (usize, usize)) -> Clause<'a> {
        let (start, end) = (span.0.min(text.len()), span.1.min(text.len()));
        let sentence = text.get(start..end).unwrap_or("");
        let mut words = Vec::with_capacity(sentence.len() / 5 + 1);
        let mut chars = sentence.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c.is_whitespace() {
                continue;
            }
            if !is_word_char(c) {
                words.push(Word {
                    start: start + i,
                    end: start + i + c.len_utf8(),
                    punct: true,
                });
                continue;
            }
            let mut e = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                let after_digit = sentence[..j].ends_with(|c: char| c.is_ascii_digit());
                let joins = matches!(d, '-' | '\'' | '’' | '.' | '&') || (d == ',' && after_digit);
                let next_is_word = sentence[j + d.len_utf8()..]
                    .chars()
                    .next()
                    .is_some_and(is_word_char);
                if is_word_char(d) || (joins && next_is_word) {
                    e = j + d.len_utf8();
                    chars.next();
                } else if matches!(d, '\'' | '’') && sentence[..j].ends_with('s') && e - i > 2 {
                    // "the Philippines' disaster agency": a plural possessive.
                    e = j + d.len_utf8();
                    chars.next();
                    break;
                } else if d == '.' && is_dotted(&sentence[i..e]) {
                    // "U.S." keeps its last dot.
                    e = j + 1;
                    chars.next();
                    break;
                } else {
                    break;
                }
            }
            words.push(Word {
                start: start + i,
                end: start + e,
                punct: false,
            });
        }
        Clause {
            text,
            lower: sentence.to_ascii_lowercase(),
            words,
            start,
            end,
        }
    }

    /// Lower-case text of word `i` ("" past either end).
    pub(super) fn low(&self, i: usize) -> &str {
        self.words
            .get(i)
            .and_then(|w| self.lower.get(w.start - self.start..w.end - self.start))
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
            .and_then(|w| self.lower.get(w.start - self.start..))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_abbreviations_possessives_and_compounds_whole() {
        let text = "U.S. officials said North Korea's 11,000-strong force left.";
        let clause = Clause::new(text, (0, text.len()));
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
