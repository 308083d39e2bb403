//! Mentions: a number from `number` in its context. Drives the scan: asks
//! `not_count` whether digits are a count at all, decides years, ages and
//! compound adjectives ("five-year"), reads ranges, percent and money, asks
//! `qualifier` for the bounds and `noun` for the counted noun phrase, and
//! finds the sentence the mention stands in.

use super::lexicon::*;
use super::number::{self, Num, Token, TokenKind};
use super::sentence::sentences;
use super::{Kind, Mention, Qualifier};

/// Every mention in `text`, in text order.
pub(crate) fn mentions(text: &str) -> Vec<Mention> {
    let lower = text.to_ascii_lowercase();
    let toks = number::tokenize(text);
    let sents = sentences(text);
    let cx = Tokens {
        text,
        lower: &lower,
        toks: &toks,
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match cx.scan(i) {
            Outcome::Nothing => i += 1,
            Outcome::Skip(j) => i = j.max(i + 1),
            Outcome::Found(raw, j) => {
                out.push(cx.finish(raw, &sents));
                i = j.max(i + 1);
            }
        }
    }
    out
}

/// What the scan found at a token.
enum Outcome {
    Nothing,
    /// Not a mention; resume at this token.
    Skip(usize),
    /// A mention, and the token to resume at.
    Found(Raw, usize),
}

/// A phase's result: `Err` rejects the candidate and names the token to
/// resume at.
type Phase<T> = Result<T, usize>;

/// A mention being read, passed through the phases of [`Tokens::scan`]:
/// number, currency before, range, year, suffix (hyphen compounds, percent,
/// money), qualifier, noun phrase, bounds.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    /// The number (a range's first end).
    number: Num,
    /// A range's second end.
    high_end: Option<Num>,
    kind: Kind,
    qualifier: Qualifier,
    /// First token of the mention so far (currency, qualifier, "between").
    first: usize,
    /// One past the last token of the number part so far.
    end: usize,
    /// "between" leads the number.
    between: bool,
    /// "11,000-strong": the noun after is singular.
    strong: bool,
    /// "or more"/"or fewer" after the number set the qualifier.
    bound_after: bool,
    /// The qualifier words before the number, if any, and where they start.
    before_qualifier: Option<Qualifier>,
    qualifier_start: usize,
    /// Noun phrase tokens (first, one past last), if any.
    noun: Option<(usize, usize)>,
    /// One past the last token of a bound after the noun ("or more").
    tail: usize,
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

/// The text under scan: as written, in ASCII lower case (same offsets), and
/// as tokens. Its methods read one token by index and never panic on an
/// index past the end.
pub(super) struct Tokens<'a> {
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
    fn word_before(&self, i: Option<usize>, from: usize) -> &'a str {
        match i {
            Some(i) if self.is_word(i) && !self.newline(from) => self.low(i),
            _ => "",
        }
    }

    pub(super) fn prev(&self, i: usize) -> Option<usize> {
        i.checked_sub(1)
    }

    /// Reads the mention that starts at token `i`, if any, phase by phase.
    fn scan(&self, i: usize) -> Outcome {
        if !self.may_start_mention(i) {
            return Outcome::Nothing;
        }
        let Some(number) = number::parse(self.lower, self.toks, i) else {
            return Outcome::Nothing;
        };
        match self.read_candidate(number) {
            Ok(Some(found)) => found,
            Ok(None) => Outcome::Nothing,
            Err(resume) => Outcome::Skip(resume),
        }
    }

    /// Whether token `i` can start a mention at all (cheap checks first).
    fn may_start_mention(&self, i: usize) -> bool {
        let Some(tok) = self.toks.get(i) else {
            return false;
        };
        match tok.kind {
            TokenKind::Punct => false,
            // Most words cannot start a number; one match rules them out. A
            // number word inside a hyphenated name ("Kim-one") is not a count.
            TokenKind::Word => {
                number::may_start_number(self.low(i)) && !(tok.glued && self.low(i - 1) == "-")
            }
            TokenKind::Digits => true,
        }
    }

    /// The phases in order; each may reject the candidate by returning the
    /// token to resume at.
    fn read_candidate(&self, number: Num) -> Phase<Option<Outcome>> {
        let mut c = self.number_phase(number)?;
        self.currency_before_phase(&mut c);
        self.range_phase(&mut c)?;
        self.year_phase(&mut c)?;
        self.suffix_phase(&mut c)?;
        self.qualifier_phase(&mut c);
        self.noun_phase(&mut c)?;
        Ok(self.bounds_phase(c))
    }

    /// Digits that are not a count ("KN-23", dates, times) and ages.
    fn number_phase(&self, number: Num) -> Phase<Candidate> {
        if number.digits
            && let Some(skip) = self.digits_not_count(&number)
        {
            return Err(skip);
        }
        if let Some(skip) = self.age_after(number.end) {
            return Err(skip);
        }
        Ok(Candidate {
            number,
            high_end: None,
            kind: Kind::Count,
            qualifier: Qualifier::Exact,
            first: number.start,
            end: number.end,
            between: false,
            strong: false,
            bound_after: false,
            before_qualifier: None,
            qualifier_start: number.start,
            noun: None,
            tail: number.end,
        })
    }

    /// Currency before: "$3.2 billion", "US$ 5m", "USD 40 million".
    fn currency_before_phase(&self, c: &mut Candidate) {
        let Some(p) = self.prev(c.number.start) else {
            return;
        };
        let s = self.raw(p);
        if is_currency_symbol(s) {
            c.kind = Kind::Money;
            c.first = p;
            if self.glued(p)
                && self.is_word(p - 1)
                && self.toks[p - 1].end - self.toks[p - 1].start <= 2
            {
                c.first = p - 1;
            }
        } else if in_list(CURRENCY_CODES, self.low(p))
            && self.is_word(p)
            && self.raw(p).chars().all(|ch| ch.is_ascii_uppercase())
        {
            c.kind = Kind::Money;
            c.first = p;
        }
    }

    /// "between 10,000 and 12,000", "10,000 to 12,000", "10,000-12,000".
    fn range_phase(&self, c: &mut Candidate) -> Phase<()> {
        let j = c.end;
        let before_first = self.prev(c.first);
        c.between = self.word_before(before_first, c.first) == "between";
        let mut range = None;
        if c.between && self.low(j) == "and" {
            range = self.second_number(j + 1);
        }
        // "from 10,000 to 12,000" is a range unless a verb of change leads:
        // "rose from 10,000 to 12,000" reports two values.
        let from_before = self.word_before(before_first, c.first) == "from"
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
        let Some(high_end) = range else {
            return Ok(());
        };
        let n1 = &mut c.number;
        // "2021-2025": a span of years.
        if looks_like_year(n1)
            && (looks_like_year(&high_end) || (high_end.digits && high_end.value < 100.0))
        {
            return Err(high_end.end);
        }
        if high_end.digits
            && let Some(skip) = self.digits_not_count(&high_end)
        {
            return Err(skip);
        }
        // "1.5 to 2 million": the scale of the high end applies to the low.
        if high_end.scaled && !n1.scaled && n1.unscaled <= high_end.unscaled {
            let factor = high_end.value / high_end.unscaled.max(f64::MIN_POSITIVE);
            n1.value = n1.unscaled * factor;
        }
        c.high_end = Some(high_end);
        c.end = high_end.end;
        c.qualifier = Qualifier::Range;
        if c.between {
            c.first = c.first.saturating_sub(1);
        }
        Ok(())
    }

    /// Years, unless qualified ("more than 2000 troops" is a count); but a
    /// qualified year that measures a level is a year ("below 2021 levels").
    /// Reads the qualifier before the number on the way.
    fn year_phase(&self, c: &mut Candidate) -> Phase<()> {
        (c.before_qualifier, c.qualifier_start) = self.qualifier_before(c.first);
        let n1 = &c.number;
        if c.high_end.is_none()
            && looks_like_year(n1)
            && (c.before_qualifier.is_none() || in_list(YEAR_NOUNS, self.low(n1.end)))
            && c.kind != Kind::Money
        {
            return Err(n1.end);
        }
        Ok(())
    }

    /// After the number: hyphen compounds ("-strong", "-plus", "five-year"),
    /// percent, money words and "+".
    fn suffix_phase(&self, c: &mut Candidate) -> Phase<()> {
        let mut j = c.end;
        if self.low(j) == "-" && self.glued(j) && self.glued(j + 1) && self.is_word(j + 1) {
            match self.low(j + 1) {
                "strong" => {
                    c.strong = true;
                    j += 2;
                }
                "plus" => {
                    c.qualifier = Qualifier::MoreThan;
                    j += 2;
                }
                "odd" => {
                    c.qualifier = Qualifier::Approximately;
                    j += 2;
                }
                // "five-year plan", "45-year-old", "10-point plan": an adjective.
                _ => return Err(j + 2),
            }
        }
        match self.low(j) {
            "%" | "percent" | "pct" => {
                c.kind = Kind::Percent;
                j += 1;
            }
            "per" if self.low(j + 1) == "cent" => {
                c.kind = Kind::Percent;
                j += 2;
            }
            "+" if self.glued(j) => {
                c.qualifier = Qualifier::MoreThan;
                j += 1;
            }
            // "won" is usually the verb; only after a scale word is it money.
            w if in_list(CURRENCY_WORDS, w)
                && self.is_word(j)
                && (w != "won" || c.high_end.map_or(c.number.scaled, |r| r.scaled)) =>
            {
                c.kind = Kind::Money;
                j += 1;
            }
            _ => {}
        }
        c.end = j;
        Ok(())
    }

    /// Qualifiers after ("or more") and before ("about", read by the year
    /// phase) the number, and a
    /// second bound that makes a range ("above 1,000 and below 1,500").
    fn qualifier_phase(&self, c: &mut Candidate) {
        // "or more" after the number is firmer than "about" before it.
        if let Some((q, next)) = self.qualifier_after(c.end) {
            c.qualifier = q;
            c.bound_after = matches!(q, Qualifier::AtLeast | Qualifier::AtMost);
            c.end = next;
        }
        // A qualifier before the number wins over "-plus" or "or more" after it.
        if c.qualifier != Qualifier::Range
            && !c.bound_after
            && let Some(q) = c.before_qualifier
        {
            c.qualifier = q;
            c.first = c.qualifier_start;
        }
        if c.number.vague && c.qualifier == Qualifier::Exact {
            c.qualifier = Qualifier::Approximately;
        }
        if c.kind == Kind::Count
            && c.high_end.is_none()
            && let Some(n2) = self.second_bound(c.end, c.qualifier, c.number.value)
        {
            c.high_end = Some(n2);
            c.qualifier = Qualifier::Range;
            c.end = n2.end;
        }
        c.tail = c.end;
    }

    /// The counted noun phrase of a count, forward or inverted; "one of the"
    /// without a noun is a pronoun; "over six months" is a duration;
    /// "300 refugees or more" bounds after the noun.
    fn noun_phase(&self, c: &mut Candidate) -> Phase<()> {
        let n1 = c.number;
        if c.kind == Kind::Count {
            let mut k = c.end;
            if n1.vague && self.low(k) == "of" {
                k += 1;
            }
            // "3,000 more troops", "200 additional tanks".
            if matches!(self.low(k), "more" | "additional" | "extra" | "further")
                && self.is_word(k + 1)
            {
                k += 1;
            }
            let singular = c.strong || n1.value == 1.0;
            c.noun = self.noun_after(k, singular);
            if c.noun.is_none() {
                c.noun = self.noun_before(c.first);
            }
        }
        // "one of the", "no one": a pronoun, not a count.
        if !n1.digits && n1.value == 1.0 && c.noun.is_none() && c.kind == Kind::Count {
            return Err(c.end);
        }
        // "over six months" is mostly "during", not "more than".
        if c.qualifier == Qualifier::MoreThan
            && c.qualifier_start + 1 == n1.start
            && self.low(c.qualifier_start) == "over"
            && let Some((_, e)) = c.noun
            && matches!(
                self.low(e - 1),
                "hours" | "days" | "weeks" | "months" | "years" | "decades" | "weekends" | "nights"
            )
        {
            c.qualifier = Qualifier::Exact;
            c.first = n1.start;
        }
        // "300 refugees or more": an after-bound may follow the noun phrase.
        if c.qualifier == Qualifier::Exact
            && let Some((_, e)) = c.noun
            && self.low(e) == "or"
            && let Some((q, next)) = self.qualifier_after(e)
            && self.low(next) != "than"
            && !self.is_number_start(next)
        {
            c.qualifier = q;
            c.tail = next;
        }
        Ok(())
    }

    /// Value, low and high from the qualifier and range; the mention's span.
    fn bounds_phase(&self, c: Candidate) -> Option<Outcome> {
        let num_end = c.end;
        let last = c.noun.map_or(num_end, |(_, e)| e.max(num_end)).max(c.tail);
        let first = c.noun.map_or(c.first, |(s, _)| s.min(c.first));
        let v1 = c.number.value;
        let (value, low, high) = match (c.qualifier, c.high_end) {
            (Qualifier::Range, Some(n2)) => {
                let (lo, hi) = if v1 <= n2.value {
                    (v1, n2.value)
                } else {
                    (n2.value, v1)
                };
                ((lo + hi) / 2.0, Some(lo), Some(hi))
            }
            (Qualifier::MoreThan | Qualifier::AtLeast, _) => (v1, Some(v1), None),
            (Qualifier::LessThan | Qualifier::AtMost, _) => (v1, None, Some(v1)),
            _ => (v1, Some(v1), Some(v1)),
        };
        if !value.is_finite() {
            return Some(Outcome::Skip(num_end));
        }
        Some(Outcome::Found(
            Raw {
                value,
                low,
                high,
                qualifier: c.qualifier,
                kind: c.kind,
                first,
                last,
                noun: c.noun,
            },
            num_end,
        ))
    }

    pub(super) fn is_number_start(&self, i: usize) -> bool {
        self.kind(i) == Some(TokenKind::Digits)
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
