//! Mentions: a number from `number` in its context. Drives the scan (the
//! phases live in `scan`): asks
//! `not_count` whether digits are a count at all, decides years, ages and
//! compound adjectives ("five-year"), reads ranges, percent and money, asks
//! `qualifier` for the bounds and `noun` for the counted noun phrase, and
//! finds the sentence the mention stands in.

use super::number::{self, Num, Token, TokenKind};
use super::sentence::sentences;
use super::{Kind, Mention, Qualifier};

/// What the scan of a text found, and what it made on the way that the
/// claim stage reads again.
pub(crate) struct Scanned {
    /// Every mention, in text order.
    pub(crate) mentions: Vec<Mention>,
    /// Sentence spans (split only when there is a mention: empty otherwise).
    pub(crate) sentences: Vec<(usize, usize)>,
    /// The text lower-cased byte for byte (ASCII only).
    pub(crate) lower: String,
    /// The text's tokens.
    pub(crate) tokens: Vec<Token>,
}

/// Scans `text` for mentions.
pub(crate) fn scan_text(text: &str) -> Scanned {
    let lower = text.to_ascii_lowercase();
    let toks = number::tokenize(text);
    let mut sents: Option<Vec<(usize, usize)>> = None;
    let cx = Tokens {
        text,
        lower: &lower,
        toks: &toks,
    };
    let mut out = Vec::new();
    let mut i = 0;
    // The last mention's qualifier, kind and one-past-last token.
    let mut last: Option<(Qualifier, Kind, usize)> = None;
    while i < toks.len() {
        match cx.scan(i) {
            Outcome::Nothing => i += 1,
            Outcome::Skip(j) => i = j.max(i + 1),
            Outcome::Found(mut raw, j) => {
                // A noun phrase after the number may hold a designation
                // ("14 Leopard 2 tanks"): resume after it.
                let resume = match raw.noun {
                    Some((s, e)) if s >= j && !raw.noun_shared => e,
                    _ => j,
                };
                if let Some(prev) = last {
                    cx.carry_into_conversion(prev, &mut raw);
                }
                last = Some((raw.qualifier, raw.kind, raw.last));
                let sents = sents.get_or_insert_with(|| sentences(text));
                out.push(cx.finish(raw, sents));
                i = resume.max(i + 1);
            }
        }
    }
    Scanned {
        mentions: out,
        sentences: sents.unwrap_or_default(),
        lower,
        tokens: toks,
    }
}

/// What the scan found at a token.
pub(super) enum Outcome {
    Nothing,
    /// Not a mention; resume at this token.
    Skip(usize),
    /// A mention, and the token to resume at.
    Found(Raw, usize),
}

/// A mention before it is turned into text: token indices.
pub(super) struct Raw {
    pub(super) value: f64,
    pub(super) low: Option<f64>,
    pub(super) high: Option<f64>,
    pub(super) qualifier: Qualifier,
    pub(super) kind: Kind,
    /// First and one-past-last token of the whole mention text.
    pub(super) first: usize,
    pub(super) last: usize,
    /// Noun phrase tokens (first, one past last), if any; for a measure,
    /// the unit as written.
    pub(super) noun: Option<(usize, usize)>,
    /// The noun phrase belongs to a later number too ("35 of 40 drones"):
    /// the scan resumes before it.
    pub(super) noun_shared: bool,
    pub(super) unit: Option<String>,
    pub(super) previous: Option<f64>,
}

/// The text under scan: as written, in ASCII lower case (same offsets), and
/// as tokens. Its methods read one token by index and never panic on an
/// index past the end.
pub(super) struct Tokens<'a> {
    pub(super) text: &'a str,
    pub(super) lower: &'a str,
    pub(super) toks: &'a [Token],
}

pub(super) fn in_list(list: &[&str], w: &str) -> bool {
    list.contains(&w)
}

impl<'a> Tokens<'a> {
    pub(super) fn low(&self, i: usize) -> &'a str {
        number::step();
        match self.toks.get(i) {
            Some(t) => self.lower.get(t.start..t.end).unwrap_or(""),
            None => "",
        }
    }

    pub(super) fn raw(&self, i: usize) -> &'a str {
        number::step();
        match self.toks.get(i) {
            Some(t) => self.text.get(t.start..t.end).unwrap_or(""),
            None => "",
        }
    }

    pub(super) fn kind(&self, i: usize) -> Option<TokenKind> {
        self.toks.get(i).map(|t| t.kind)
    }

    pub(super) fn is_word(&self, i: usize) -> bool {
        self.kind(i) == Some(TokenKind::Word)
    }

    pub(super) fn glued(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.glued)
    }

    pub(super) fn newline(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.newline)
    }

    /// The word at `i` in lower case, or "" if `i` is not a word on the same line
    /// as `i + 1` (callers look backwards from `i + 1`).
    pub(super) fn word_before(&self, i: Option<usize>, from: usize) -> &'a str {
        match i {
            Some(i) if self.is_word(i) && !self.newline(from) => self.low(i),
            _ => "",
        }
    }

    pub(super) fn prev(&self, i: usize) -> Option<usize> {
        i.checked_sub(1)
    }

    /// "just under 296 hp (224 kW)": a conversion in brackets right after a
    /// bounded measure or amount keeps its bound.
    fn carry_into_conversion(&self, prev: (Qualifier, Kind, usize), raw: &mut Raw) {
        let (qualifier, kind, prev_last) = prev;
        let bounded = !matches!(qualifier, Qualifier::Exact | Qualifier::Range);
        if !bounded
            || raw.qualifier != Qualifier::Exact
            || raw.kind != kind
            || !matches!(kind, Kind::Measure | Kind::Money)
            || self.low(prev_last) != "("
            || raw.first != prev_last + 1
        {
            return;
        }
        raw.qualifier = qualifier;
        let v = raw.value;
        (raw.low, raw.high) = match qualifier {
            Qualifier::MoreThan | Qualifier::AtLeast => (Some(v), None),
            Qualifier::LessThan | Qualifier::AtMost => (None, Some(v)),
            _ => (Some(v), Some(v)),
        };
    }

    pub(super) fn is_number_start(&self, i: usize) -> bool {
        self.kind(i) == Some(TokenKind::Digits)
            || (self.is_word(i) && number::parse(self.lower, self.toks, i).is_some())
    }

    fn finish(&self, r: Raw, sents: &[(usize, usize)]) -> Mention {
        let start = self.toks[r.first].start;
        let end = self.toks[r.last.saturating_sub(1).max(r.first)].end;
        let noun = r
            .noun
            .map(|(s, e)| {
                let a = self.toks[s].start;
                let b = self.toks[e.saturating_sub(1).max(s)].end;
                self.text.get(a..b).unwrap_or("").to_string()
            })
            .unwrap_or_default();
        let idx = sents
            .partition_point(|&(s, _)| s <= start)
            .saturating_sub(1);
        let (s, e) = sents.get(idx).copied().unwrap_or((start, end));
        // A "sentence" with no punctuation can be a whole page (tables, lists):
        // keep a window around the mention so that copies stay linear.
        let s = self
            .text
            .floor_char_boundary(s.max(start.saturating_sub(SENTENCE_WINDOW)));
        let e = self.text.ceil_char_boundary(e.min(end + SENTENCE_WINDOW));
        let sentence = self.text.get(s..e).unwrap_or("").trim().to_string();
        Mention {
            value: r.value,
            low: r.low,
            high: r.high,
            qualifier: r.qualifier,
            kind: r.kind,
            text: self.text.get(start..end).unwrap_or("").to_string(),
            noun,
            sentence,
            start,
            end,
            unit: r.unit,
            event: None,
            owner: None,
            claimed_by: None,
            previous: r.previous,
            increment: false,
            agent: false,
        }
    }
}

/// Bytes of context kept either side of a mention in an overlong sentence.
const SENTENCE_WINDOW: usize = 400;

pub(super) fn looks_like_year(n: &Num) -> bool {
    n.digits
        && n.first_len == 4
        && !n.separated
        && !n.decimal
        && !n.scaled
        && (1800.0..=2200.0).contains(&n.value)
}
