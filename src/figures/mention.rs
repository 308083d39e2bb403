//! Mentions: a number from `number` in its context. Decides what is not a
//! count (years, dates, times, ordinals, model names, ages, phone numbers,
//! compound adjectives such as "five-year"), reads the qualifier, ranges,
//! percent and money, the counted noun phrase (forward and inverted forms),
//! and the sentence the mention stands in.

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
        match self.toks.get(i) {
            Some(t) => self.lower.get(t.start..t.end).unwrap_or(""),
            None => "",
        }
    }

    pub(super) fn raw(&self, i: usize) -> &'a str {
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

    fn prev(&self, i: usize) -> Option<usize> {
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
        // Years, unless qualified ("more than 2000 troops" is a count).
        let (q_before, q_first) = self.qualifier_before(first);
        if range.is_none() && looks_like_year(&n1) && q_before.is_none() && kind != Kind::Money {
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
        if self.low(j) == "or"
            && matches!(
                self.low(j + 1),
                "more" | "greater" | "higher" | "above" | "over"
            )
        {
            qualifier = Qualifier::AtLeast;
            after_bound = true;
            j += 2;
        } else if self.low(j) == "or"
            && matches!(self.low(j + 1), "less" | "fewer" | "lower" | "below")
        {
            qualifier = Qualifier::AtMost;
            after_bound = true;
            j += 2;
        } else if self.low(j) == "or" && self.low(j + 1) == "so" {
            qualifier = Qualifier::Approximately;
            j += 2;
        } else if self.low(j) == "plus" && !self.is_number_start(j + 1) {
            qualifier = Qualifier::MoreThan;
            j += 1;
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
        let last = noun.map_or(num_end, |(_, e)| e.max(num_end));
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

    fn is_number_start(&self, i: usize) -> bool {
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

    /// Why digits at `n` are not a count: returns the token to resume at.
    fn digits_not_count(&self, n: &Num) -> Option<usize> {
        let i = n.start;
        let end = n.end;
        let prev = self.prev(i);
        // Glued to a word before: "F16", "A320"; or "KN-23", "Su-27", "COVID-19".
        if self.glued(i)
            && let Some(p) = prev
        {
            if self.is_word(p) {
                return Some(end);
            }
            let ps = self.low(p);
            // ... but "5k-20k" is a range of scaled numbers.
            let scaled_before = p >= 2
                && self.kind(p - 2) == Some(Tk::Digits)
                && self.glued(p - 1)
                && number::scale_suffix(self.low(p - 1)).is_some();
            if (ps == "-" || ps == "/") && self.glued(p) && self.is_word(p - 1) && !scaled_before {
                return Some(end);
            }
            // "No.1", "#3", version numbers "1.2.3".
            if ps == "#" || (ps == "." && p >= 1 && self.kind(p - 1) == Some(Tk::Digits)) {
                return Some(end);
            }
            if ps == "'" || ps == "’" {
                // "'90s"
                return Some(end + 1);
            }
        }
        // "2018.04": a year and a month.
        if n.decimal
            && n.first_len == 4
            && (1900.0..2101.0).contains(&n.value.trunc())
            && self.toks.get(i + 2).is_some_and(|t| t.end - t.start == 2)
        {
            return Some(end);
        }
        // A leading zero: phone numbers and codes ("0800 123 456"), times ("0600").
        let first_digits = self.low(i);
        if first_digits.len() >= 2 && first_digits.starts_with('0') && !n.decimal {
            let mut k = i + 1;
            while self.kind(k) == Some(Tk::Digits) && !self.newline(k) {
                k += 1;
            }
            return Some(k.max(end));
        }
        // Phone numbers, ISO dates, versions: three or more digit groups
        // joined by - . / ) or a leading + or (.
        let mut groups = 1;
        let mut k = end;
        while k + 1 < self.toks.len()
            && matches!(self.low(k), "-" | "." | "/" | ")")
            && self.kind(k + 1) == Some(Tk::Digits)
            && (self.glued(k) || self.low(k) == ")")
            && !self.newline(k + 1)
        {
            groups += 1;
            k += 2;
        }
        if groups >= 3 {
            return Some(k);
        }
        if let Some(p) = prev
            && self.glued(i)
            && matches!(self.low(p), "+" | "(")
            && !n.separated
            && n.first_len >= 2
        {
            let mut k = end;
            while self.kind(k) == Some(Tk::Digits) || matches!(self.low(k), "-" | ")" | ".") {
                k += 1;
            }
            if self.low(p) == "+" || k > end + 1 {
                return Some(k.max(end));
            }
        }
        // Times: "10:30", "5 p.m.", "5pm", "0600 GMT".
        let after = self.low(end);
        if after == ":"
            && self.glued(end)
            && self.kind(end + 1) == Some(Tk::Digits)
            && self.glued(end + 1)
        {
            return Some(end + 2);
        }
        if matches!(after, "a" | "p") && self.low(end + 1) == "." && self.low(end + 2) == "m" {
            return Some(if self.low(end + 1) == "old" {
                end + 2
            } else {
                end + 3
            });
        }
        if matches!(
            after,
            "am" | "pm" | "gmt" | "utc" | "hrs" | "bst" | "est" | "edt" | "cet" | "kst"
        ) && self.is_word(end)
        {
            return Some(end + 1);
        }
        if after == "o" && self.low(end + 1) == "'" {
            return Some(end + 1);
        }
        // Glued suffixes: ordinals "75th", decades "1990s", units "240mm".
        if self.is_word(end) && self.glued(end) {
            return Some(end + 1);
        }
        // Temperatures and calibres: "60.1 F", "21 °C", "240 mm", "155-mm".
        if self.is_word(end) && matches!(self.raw(end), "F" | "C" | "K") {
            return Some(end + 1);
        }
        if matches!(after, "°" | "º")
            || (matches!(after, "mm" | "degrees" | "cm") && self.is_word(end))
        {
            return Some(end + 1);
        }
        if after == "-" && self.glued(end) && matches!(self.low(end + 1), "mm" | "cm" | "inch") {
            return Some(end + 2);
        }
        // Dates: "Feb. 11", "February 11, 2025", "11 February".
        let mut p = prev;
        if let Some(q) = p
            && self.low(q) == "."
        {
            p = q.checked_sub(1);
        }
        if let Some(q) = p
            && self.is_word(q)
            && in_list(MONTHS, self.low(q))
            && n.value <= 31.0
            && !n.separated
            && !n.decimal
        {
            // "May" is also a verb; as a month it is capitalised.
            return Some(end);
        }
        if self.is_word(end)
            && in_list(MONTHS, after)
            && n.value <= 31.0
            && self.raw(end).starts_with(|c: char| c.is_uppercase())
        {
            return Some(end + 1);
        }
        if self.is_word(end) && after == "may" && self.raw(end) == "May" && n.value <= 31.0 {
            return Some(end + 1);
        }
        if let Some(q) = p
            && self.raw(q) == "May"
            && n.value <= 31.0
        {
            return Some(end);
        }
        // Labels: "No. 1", "page 12", "Resolution 2231"; ages "aged 45".
        let mut p = prev;
        if let Some(q) = p
            && self.low(q) == "."
        {
            p = q.checked_sub(1);
        }
        if let Some(q) = p
            && self.is_word(q)
            && !self.newline(i)
            && in_list(LABELS, self.low(q))
            && !n.separated
        {
            // "in the year 2024" and "age 45" alike; but "unit" after a count
            // is handled by the noun. Capitalised labels mostly: "Route 66".
            return Some(end);
        }
        // Ages: "45 years old", "45 years of age".
        if matches!(after, "years" | "year")
            && (self.low(end + 1) == "old"
                || (self.low(end + 1) == "of" && self.low(end + 2) == "age"))
        {
            return Some(if self.low(end + 1) == "old" {
                end + 2
            } else {
                end + 3
            });
        }
        None
    }

    /// The qualifier words just before token `first`, and where they start.
    fn qualifier_before(&self, first: usize) -> (Option<Qualifier>, usize) {
        if self.newline(first) {
            return (None, first);
        }
        // Symbols: ">30", ">= 30", "≤ 30".
        if let Some(p) = first.checked_sub(1)
            && self.kind(p) == Some(Tk::Punct)
        {
            let two = p.checked_sub(1).map_or("", |q| self.low(q));
            let (q, start) = match (two, self.low(p)) {
                (">", "=") => (Some(Qualifier::AtLeast), p - 1),
                ("<", "=") => (Some(Qualifier::AtMost), p - 1),
                (_, ">") => (Some(Qualifier::MoreThan), p),
                (_, "<") => (Some(Qualifier::LessThan), p),
                (_, "≥") => (Some(Qualifier::AtLeast), p),
                (_, "≤") => (Some(Qualifier::AtMost), p),
                _ => (None, first),
            };
            if q.is_some() {
                return (q, start);
            }
        }
        // "less than or equal to", "more than or equal to".
        let w5 = |back: usize| first.checked_sub(back).map_or("", |k| self.low(k));
        if (w5(3), w5(2), w5(1)) == ("or", "equal", "to") {
            match (w5(5), w5(4)) {
                ("less" | "fewer" | "smaller" | "lower", "than") => {
                    return (Some(Qualifier::AtMost), first - 5);
                }
                ("more" | "greater" | "larger" | "higher", "than") => {
                    return (Some(Qualifier::AtLeast), first - 5);
                }
                _ => {}
            }
        }
        let w = |back: usize| -> &str {
            match first.checked_sub(back) {
                Some(k) if self.is_word(k) && (back == 1 || !self.newline(k + 1)) => self.low(k),
                _ => "",
            }
        };
        let (w1, w2, w3) = (w(1), w(2), w(3));
        use Qualifier::*;
        let three = match (w3, w2, w1) {
            ("in", "excess", "of") => Some(MoreThan),
            ("no", "fewer", "than") | ("no", "less", "than") => Some(AtLeast),
            ("no", "more", "than") => Some(AtMost),
            ("as", "many", "as") | ("as", "much", "as") => Some(AtMost),
            ("a", "little", "over") | ("a", "bit", "over") => Some(MoreThan),
            ("a", "minimum", "of") | ("not", "less", "than") => Some(AtLeast),
            ("a", "maximum", "of") => Some(AtMost),
            _ => None,
        };
        if let Some(q) = three {
            return (Some(q), first - 3);
        }
        let two = match (w2, w1) {
            ("more", "than")
            | ("greater", "than")
            | ("upwards", "of")
            | ("well", "over")
            | ("just", "over")
            | ("well", "above")
            | ("just", "above")
            | ("over", "than") => Some(MoreThan),
            ("at", "least") => Some(AtLeast),
            ("fewer", "than")
            | ("less", "than")
            | ("just", "under")
            | ("just", "below")
            | ("well", "below")
            | ("well", "under") => Some(LessThan),
            ("up", "to") | ("at", "most") => Some(AtMost),
            ("close", "to") | ("an", "estimated") | ("some", "estimated") | ("nearly", "all") => {
                Some(Approximately)
            }
            _ => None,
        };
        if let Some(q) = two {
            // "rose up to" is fine; "up to" after "went" too: all at_most.
            return (Some(q), first - 2);
        }
        let one = match w1 {
            "over" | "above" | "exceeding" | "topping" => Some(MoreThan),
            "under" | "below" => Some(LessThan),
            "about" | "around" | "approximately" | "roughly" | "nearly" | "almost" | "some"
            | "approx" | "circa" | "ca" | "approaching" => Some(Approximately),
            "between" => None,
            _ => None,
        };
        match one {
            Some(q) => (Some(q), first - 1),
            None => (None, first),
        }
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
