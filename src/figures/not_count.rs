//! What digits are not a count: model names ("KN-23"), labels ("No. 1"),
//! phone numbers, times, dates, calibres, temperatures and ages. Years and
//! compound adjectives ("five-year") are decided in `mention`, where the
//! qualifier and range are known.

use super::lexicon::*;
use super::mention::{Tokens, in_list};
use super::number::{self, Num, TokenKind};

impl Tokens<'_> {
    /// Why digits at `n` are not a count: returns the token to resume at.
    /// When a unit follows (`unit_follows`: "240mm", "21 °C", "5pc"), the
    /// glued-suffix, temperature and calibre checks are the unit's.
    pub(super) fn digits_not_count(&self, n: &Num, unit_follows: bool) -> Option<usize> {
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
                && self.kind(p - 2) == Some(TokenKind::Digits)
                && self.glued(p - 1)
                && number::scale_suffix(self.low(p - 1)).is_some();
            if (ps == "-" || ps == "/") && self.glued(p) && self.is_word(p - 1) && !scaled_before {
                return Some(end);
            }
            // "No.1", "#3", version numbers "1.2.3".
            if ps == "#" || (ps == "." && p >= 1 && self.kind(p - 1) == Some(TokenKind::Digits)) {
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
            while self.kind(k) == Some(TokenKind::Digits) && !self.newline(k) {
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
            && self.kind(k + 1) == Some(TokenKind::Digits)
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
            while self.kind(k) == Some(TokenKind::Digits) || matches!(self.low(k), "-" | ")" | ".")
            {
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
            && self.kind(end + 1) == Some(TokenKind::Digits)
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
        if unit_follows {
            return self.date_or_label(n);
        }
        // Glued suffixes: ordinals "75th", decades "1990s".
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
        self.date_or_label(n)
    }

    /// Dates ("Feb. 11", "11 February"), labels ("No. 1", "page 12") and
    /// ages after the number.
    fn date_or_label(&self, n: &Num) -> Option<usize> {
        let i = n.start;
        let end = n.end;
        let after = self.low(end);
        // The word before, looking past an abbreviation's dot ("Feb. 11",
        // "No. 1").
        let mut p = self.prev(i);
        if let Some(q) = p
            && self.low(q) == "."
        {
            p = q.checked_sub(1);
        }
        // Dates: "Feb. 11", "February 11, 2025", "11 February".
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
        self.age_after(end)
    }

    /// Ages, in digits or words: "45 years old", "thirty years of age".
    /// Returns the token after the age phrase.
    pub(super) fn age_after(&self, end: usize) -> Option<usize> {
        if !matches!(self.low(end), "years" | "year") {
            return None;
        }
        match (self.low(end + 1), self.low(end + 2)) {
            ("old", _) => Some(end + 2),
            ("of", "age") => Some(end + 3),
            _ => None,
        }
    }
}
