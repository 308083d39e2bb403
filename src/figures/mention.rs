//! Mentions: a number from `number` in its context. Drives the scan: asks
//! `not_count` whether digits are a count at all, decides years, ages and
//! compound adjectives ("five-year"), reads ranges, percent and money, asks
//! `qualifier` for the bounds and `noun` for the counted noun phrase, and
//! finds the sentence the mention stands in.

use super::lexicon::*;
use super::number::{self, Num, Tk, Token};
use super::sentence::sentences;
use super::{Kind, Mention, Qualifier};

/// Every mention in `text`, in text order.
pub(crate) fn mentions(text: &str) -> Vec<Mention> {
    let lower = text.to_ascii_lowercase();
    let toks = number::tokenize(text);
    let sents = sentences(text);
    let cx = Cx {
        text,
        lower: &lower,
        toks: &toks,
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match cx.scan(i) {
            Scan::Nothing => i += 1,
            Scan::Skip(j) => i = j.max(i + 1),
            Scan::Found(raw, j) => {
                out.push(cx.finish(raw, &sents));
                i = j.max(i + 1);
            }
        }
    }
    out
}

enum Scan {
    Nothing,
    Skip(usize),
    Found(Raw, usize),
}

/// A mention before it is turned into text: token indices.
struct Raw {
    value: f64,
    low: Option<f64>,
    high: Option<f64>,
    qualifier: Qualifier,
    kind: Kind,
    /// First and one-past-last token of the whole mention text.
    first: usize,
    last: usize,
    /// Noun phrase tokens (first, one past last), if any.
    noun: Option<(usize, usize)>,
}

pub(super) struct Cx<'a> {
    pub(super) text: &'a str,
    pub(super) lower: &'a str,
    pub(super) toks: &'a [Token],
}

fn is_currency_symbol(s: &str) -> bool {
    matches!(s, "$" | "€" | "£" | "¥" | "₩" | "₽" | "₹" | "₴" | "₺")
}

pub(super) fn in_list(list: &[&str], w: &str) -> bool {
    list.contains(&w)
}

impl<'a> Cx<'a> {
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

    pub(super) fn kind(&self, i: usize) -> Option<Tk> {
        self.toks.get(i).map(|t| t.kind)
    }

    pub(super) fn is_word(&self, i: usize) -> bool {
        self.kind(i) == Some(Tk::Word)
    }

    pub(super) fn glued(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.glued)
    }

    pub(super) fn newline(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.newline)
    }

    /// The word at `i` in lower case, or "" if `i` is not a word on the same line
    /// as `i + 1` (callers look backwards from `i + 1`).
    fn word_before(&self, i: Option<usize>, from: usize) -> &'a str {
        match i {
            Some(i) if self.is_word(i) && !self.newline(from) => self.low(i),
            _ => "",
        }
    }

    pub(super) fn prev(&self, i: usize) -> Option<usize> {
        i.checked_sub(1)
    }

    fn scan(&self, i: usize) -> Scan {
        let tok = self.toks[i];
        match tok.kind {
            Tk::Punct => return Scan::Nothing,
            Tk::Word => {
                let w = self.low(i);
                // Most words cannot start a number; one match rules them out.
                if !number::may_start_number(w) {
                    return Scan::Nothing;
                }
                // A number word inside a hyphenated name ("Kim-one") is not a count.
                if tok.glued && self.low(i - 1) == "-" {
                    return Scan::Nothing;
                }
            }
            Tk::Digits => {}
        }
        let Some(mut n1) = number::parse(self.lower, self.toks, i) else {
            return Scan::Nothing;
        };
        if n1.digits
            && let Some(skip) = self.digits_not_count(&n1)
        {
            return Scan::Skip(skip);
        }
        if let Some(skip) = self.age_after(n1.end) {
            return Scan::Skip(skip);
        }
        let mut j = n1.end;
        // Percent and money after the number.
        let mut kind = Kind::Count;
        let mut qualifier = Qualifier::Exact;
        // Currency before: "$3.2 billion", "US$ 5m", "USD 40 million".
        let mut first = i;
        if let Some(p) = self.prev(i) {
            let s = self.raw(p);
            if is_currency_symbol(s) {
                kind = Kind::Money;
                first = p;
                if self.glued(p)
                    && self.is_word(p - 1)
                    && self.toks[p - 1].end - self.toks[p - 1].start <= 2
                {
                    first = p - 1;
                }
            } else if in_list(CURRENCY_CODES, self.low(p))
                && self.is_word(p)
                && self.raw(p).chars().all(|c| c.is_ascii_uppercase())
            {
                kind = Kind::Money;
                first = p;
            }
        }
        // Between ... and ...: a range.
        let mut range: Option<Num> = None;
        let before_first = self.prev(first);
        let between = self.word_before(before_first, first) == "between";
        if between && self.low(j) == "and" {
            range = self.second_number(j + 1);
        }
        // "10,000 to 12,000", "10,000-12,000", "10,000–12,000".
        // "from 10,000 to 12,000" is a range unless a verb of change leads:
        // "rose from 10,000 to 12,000" reports two values.
        let from_before = self.word_before(before_first, first) == "from"
            && before_first
                .and_then(|b| b.checked_sub(1))
                .is_some_and(|b| in_list(CHANGE_VERBS, self.low(b)));
        if range.is_none() {
            let sep = self.low(j);
            let dash = matches!(sep, "-" | "–" | "—" | "~");
            let to = (sep == "to" && !from_before) || sep == "through";
            // A hyphen is a dash when glued on the left ("10,000-12,000") or
            // spaced on both sides ("1,000 - 5,000"), not in "10 -5".
            let spaced = !self.glued(j) && !self.glued(j + 1);
            if (dash && (self.glued(j) || spaced || sep != "-")) || to {
                range = self.second_number(j + 1);
            }
        }
        if let Some(n2) = range {
            // "2021-2025": a span of years.
            if looks_like_year(&n1) && (looks_like_year(&n2) || (n2.digits && n2.value < 100.0)) {
                return Scan::Skip(n2.end);
            }
            if n2.digits
                && let Some(skip) = self.digits_not_count(&n2)
            {
                return Scan::Skip(skip);
            }
            // "1.5 to 2 million": the scale of the high end applies to the low.
            if n2.scaled && !n1.scaled && n1.unscaled <= n2.unscaled {
                let factor = n2.value / n2.unscaled.max(f64::MIN_POSITIVE);
                n1.value = n1.unscaled * factor;
            }
            j = n2.end;
            qualifier = Qualifier::Range;
            if between {
                first = first.saturating_sub(1);
            }
        }
        // Years, unless qualified ("more than 2000 troops" is a count); but a
        // qualified year that measures a level is a year ("below 2021 levels").
        let (q_before, q_first) = self.qualifier_before(first);
        if range.is_none()
            && looks_like_year(&n1)
            && (q_before.is_none() || in_list(YEAR_NOUNS, self.low(n1.end)))
            && kind != Kind::Money
        {
            return Scan::Skip(n1.end);
        }
        // After the number: hyphen compounds, percent, money words, "or more".
        let mut strong = false;
        if self.low(j) == "-" && self.glued(j) && self.glued(j + 1) && self.is_word(j + 1) {
            match self.low(j + 1) {
                "strong" => {
                    strong = true;
                    j += 2;
                }
                "plus" => {
                    qualifier = Qualifier::MoreThan;
                    j += 2;
                }
                "odd" => {
                    qualifier = Qualifier::Approximately;
                    j += 2;
                }
                // "five-year plan", "45-year-old", "10-point plan": an adjective.
                _ => return Scan::Skip(j + 2),
            }
        }
        match self.low(j) {
            "%" => {
                kind = Kind::Percent;
                j += 1;
            }
            "percent" | "pct" => {
                kind = Kind::Percent;
                j += 1;
            }
            "per" if self.low(j + 1) == "cent" => {
                kind = Kind::Percent;
                j += 2;
            }
            "+" if self.glued(j) => {
                qualifier = Qualifier::MoreThan;
                j += 1;
            }
            // "won" is usually the verb; only after a scale word is it money.
            w if in_list(CURRENCY_WORDS, w)
                && self.is_word(j)
                && (w != "won" || range.map_or(n1.scaled, |r| r.scaled)) =>
            {
                kind = Kind::Money;
                j += 1;
            }
            _ => {}
        }
        // "or more" after the number is firmer than "about" before it.
        let mut after_bound = false;
        if let Some((q, next)) = self.qualifier_after(j) {
            qualifier = q;
            after_bound = matches!(q, Qualifier::AtLeast | Qualifier::AtMost);
            j = next;
        }
        // A qualifier before the number wins over "-plus" or "or more" after it.
        if qualifier != Qualifier::Range
            && !after_bound
            && let Some(q) = q_before
        {
            qualifier = q;
            first = q_first;
        }
        if n1.vague && qualifier == Qualifier::Exact {
            qualifier = Qualifier::Approximately;
        }
        // "above 1,000 and below 1,500": two bounds make a range.
        if kind == Kind::Count
            && range.is_none()
            && let Some(n2) = self.second_bound(j, qualifier, n1.value)
        {
            range = Some(n2);
            qualifier = Qualifier::Range;
            j = n2.end;
        }
        let num_end = j;
        // The counted noun phrase.
        let mut noun = None;
        if kind == Kind::Count {
            let mut k = j;
            if n1.vague && self.low(k) == "of" {
                k += 1;
            }
            // "3,000 more troops", "200 additional tanks".
            if matches!(self.low(k), "more" | "additional" | "extra" | "further")
                && self.is_word(k + 1)
            {
                k += 1;
            }
            let singular = strong || n1.value == 1.0;
            noun = self.noun_after(k, singular);
            if noun.is_none() {
                noun = self.noun_before(first);
            }
        }
        // "one of the", "no one": a pronoun, not a count.
        if !n1.digits && n1.value == 1.0 && noun.is_none() && kind == Kind::Count {
            return Scan::Skip(num_end);
        }
        // "over six months" is mostly "during", not "more than".
        if qualifier == Qualifier::MoreThan
            && q_first + 1 == n1.start
            && self.low(q_first) == "over"
            && let Some((_, e)) = noun
            && matches!(
                self.low(e - 1),
                "hours" | "days" | "weeks" | "months" | "years" | "decades" | "weekends" | "nights"
            )
        {
            qualifier = Qualifier::Exact;
            first = n1.start;
        }
        // "300 refugees or more": an after-bound may follow the noun phrase.
        let mut tail = num_end;
        if qualifier == Qualifier::Exact
            && let Some((_, e)) = noun
            && self.low(e) == "or"
            && let Some((q, next)) = self.qualifier_after(e)
            && self.low(next) != "than"
            && !self.is_number_start(next)
        {
            qualifier = q;
            tail = next;
        }
        let last = noun.map_or(num_end, |(_, e)| e.max(num_end)).max(tail);
        let first = noun.map_or(first, |(s, _)| s.min(first));
        let (value, low, high) = match (qualifier, range) {
            (Qualifier::Range, Some(n2)) => {
                let (lo, hi) = if n1.value <= n2.value {
                    (n1.value, n2.value)
                } else {
                    (n2.value, n1.value)
                };
                ((lo + hi) / 2.0, Some(lo), Some(hi))
            }
            (Qualifier::MoreThan | Qualifier::AtLeast, _) => (n1.value, Some(n1.value), None),
            (Qualifier::LessThan | Qualifier::AtMost, _) => (n1.value, None, Some(n1.value)),
            _ => (n1.value, Some(n1.value), Some(n1.value)),
        };
        if !value.is_finite() {
            return Scan::Skip(num_end);
        }
        Scan::Found(
            Raw {
                value,
                low,
                high,
                qualifier,
                kind,
                first,
                last,
                noun,
            },
            num_end,
        )
    }

    pub(super) fn is_number_start(&self, i: usize) -> bool {
        self.kind(i) == Some(Tk::Digits)
            || (self.is_word(i) && number::parse(self.lower, self.toks, i).is_some())
    }

    /// The high end of a range, at token `i` (a currency symbol may lead).
    fn second_number(&self, mut i: usize) -> Option<Num> {
        if is_currency_symbol(self.raw(i)) {
            i += 1;
        }
        if self.newline(i) {
            return None;
        }
        let n = number::parse(self.lower, self.toks, i)?;
        if n.vague {
            return None;
        }
        Some(n)
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
        let s = floor_boundary(self.text, s.max(start.saturating_sub(SENTENCE_WINDOW)));
        let e = ceil_boundary(self.text, e.min(end + SENTENCE_WINDOW));
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
            unit: None,
            event: None,
            owner: None,
            claimed_by: None,
            previous: None,
            increment: false,
        }
    }
}

/// Bytes of context kept either side of a mention in an overlong sentence.
const SENTENCE_WINDOW: usize = 400;

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

fn looks_like_year(n: &Num) -> bool {
    n.digits
        && n.first_len == 4
        && !n.separated
        && !n.decimal
        && !n.scaled
        && (1800.0..=2100.0).contains(&n.value)
}
