//! What digits are not a count: model names ("KN-23", "Leopard 2", "737
//! Max", "iPhone 11"), labels ("No. 1"), street addresses ("9 E 71st St"),
//! sports scores ("tied at 89-89"), phone numbers, times, dates, calibres,
//! temperatures and ages ("45 years old", "Smith, 65,"). Years and
//! compound adjectives ("five-year") are decided in `mention`, where the
//! qualifier and range are known.

use super::lexicon::*;
use super::mention::{Tokens, in_list};
use super::number::{self, Num, TokenKind};
use crate::text::calendar::WEEKDAYS;

impl Tokens<'_> {
    /// Why digits at `n` are not a count: returns the token to resume at.
    /// When a unit follows (`unit_follows`: "240mm", "21 °C", "5pc"), the
    /// glued-suffix, temperature and calibre checks are the unit's.
    pub(super) fn digits_not_count(
        &self,
        n: &Num,
        unit_follows: impl Fn() -> bool,
    ) -> Option<usize> {
        self.glued_designation(n)
            .or_else(|| self.year_and_month(n))
            .or_else(|| self.leading_zero(n))
            .or_else(|| self.digit_groups(n))
            .or_else(|| self.time_after(n))
            .or_else(|| self.suffix_or_symbol(n, unit_follows))
            .or_else(|| self.date_or_label(n))
    }

    /// Digits glued to a word or mark before: "F16", "A320", "KN-23",
    /// "Su-27", "COVID-19", "No.1", "#3", "1.2.3", "'90s".
    fn glued_designation(&self, n: &Num) -> Option<usize> {
        let i = n.start;
        let end = n.end;
        if !self.glued(i) {
            return None;
        }
        let p = self.prev(i)?;
        if self.is_word(p) {
            return Some(end);
        }
        let ps = self.low(p);
        // ... but "5k-20k" is a range of scaled numbers.
        let scaled_before = p >= 2
            && self.kind(p - 2) == Some(TokenKind::Digits)
            && self.glued(p - 1)
            && number::scale_suffix(self.low(p - 1)).is_some();
        if (ps == "-" || ps == "/")
            && self.glued(p)
            && self.is_word(p - 1)
            && !scaled_before
            && self.low(p - 1) != "sub"
        {
            return Some(end);
        }
        // "No.1", "#3", version numbers "1.2.3".
        // ".500 record": a decimal without its leading zero and without
        // a unit (`scan` reads ".5%") is a ratio, not a count.
        if ps == "#" || ps == "." {
            return Some(end);
        }
        if ps == "'" || ps == "’" {
            // "'90s"
            return Some(end + 1);
        }
        None
    }

    /// "2018.04": a year and a month.
    fn year_and_month(&self, n: &Num) -> Option<usize> {
        (n.decimal
            && n.first_len == 4
            && (1900.0..2101.0).contains(&n.value.trunc())
            && self
                .toks
                .get(n.start + 2)
                .is_some_and(|t| t.end - t.start == 2))
        .then_some(n.end)
    }

    /// A leading zero: phone numbers and codes ("0800 123 456"), times
    /// ("0600").
    fn leading_zero(&self, n: &Num) -> Option<usize> {
        let first_digits = self.low(n.start);
        if first_digits.len() < 2 || !first_digits.starts_with('0') || n.decimal {
            return None;
        }
        let mut k = n.start + 1;
        while self.kind(k) == Some(TokenKind::Digits) && !self.newline(k) {
            k += 1;
        }
        Some(k.max(n.end))
    }

    /// Phone numbers, ISO dates, versions: three or more digit groups
    /// joined by - . / ) or a leading + or (.
    fn digit_groups(&self, n: &Num) -> Option<usize> {
        let i = n.start;
        let end = n.end;
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
        let p = self.prev(i)?;
        if !(self.glued(i) && matches!(self.low(p), "+" | "(") && !n.separated && n.first_len >= 2)
        {
            return None;
        }
        let mut k = end;
        while self.kind(k) == Some(TokenKind::Digits) || matches!(self.low(k), "-" | ")" | ".") {
            k += 1;
        }
        (self.low(p) == "+" || k > end + 1).then(|| k.max(end))
    }

    /// Times: "10:30", "5 p.m.", "5pm", "0600 GMT", "5 o'clock".
    fn time_after(&self, n: &Num) -> Option<usize> {
        let end = n.end;
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
        None
    }

    /// A suffix or symbol glued or close after the number: ordinals
    /// "75th", decades "1990s", temperatures and calibres ("60.1 F", "21
    /// °C", "240 mm", "155-mm"); none when a unit reads it as a measure.
    fn suffix_or_symbol(&self, n: &Num, unit_follows: impl Fn() -> bool) -> Option<usize> {
        let end = n.end;
        let after = self.low(end);
        // The checks below reject a suffix or symbol after the number; a
        // unit there makes it a measure instead (read only then: it costs).
        // "F", "C", "K" alone are degrees; glued to digits they begin a
        // designation ("6 F-16 jets", "40 K9 howitzers", "4 C-130s").
        let degree_letter = matches!(self.raw(end), "F" | "C" | "K") && !self.glued(end + 1);
        let suffix_follows = (self.is_word(end)
            && (self.glued(end) || degree_letter || matches!(after, "mm" | "degrees" | "cm")))
            || matches!(after, "°" | "º")
            || (after == "-" && self.glued(end));
        if suffix_follows && unit_follows() {
            return None;
        }
        // Glued suffixes: ordinals "75th", decades "1990s".
        if self.is_word(end) && self.glued(end) {
            return Some(end + 1);
        }
        // Temperatures and calibres: "60.1 F", "21 °C", "240 mm", "155-mm".
        if self.is_word(end) && degree_letter {
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
        None
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
            return Some(self.past_day_range(end));
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
            && LABELS.contains(self.low(q))
            && !n.separated
            && !self.counted_by_verb(q, end)
            && !matches!(after, "%" | "percent" | "pct" | "pc")
            && !(after == "per" && self.low(end + 1) == "cent")
        {
            // "in the year 2024" and "age 45" alike; but "unit" after a count
            // is handled by the noun. Capitalised labels mostly: "Route 66".
            return Some(end);
        }
        self.age_after(end)
    }

    /// "number" as a verb, not a label: "refugees now number 3.1
    /// million", "the dead number 40" (not "number 10", "No. 1"): after
    /// "now" or a plural, or before a scale word or a decimal.
    fn counted_by_verb(&self, q: usize, end: usize) -> bool {
        if !matches!(self.low(q), "number" | "numbers" | "numbered") {
            return false;
        }
        let before = self.prev(q).map(|b| self.low(b)).unwrap_or("");
        matches!(before, "now" | "still" | "already")
            || super::noun::is_plural(before)
            || matches!(self.low(end), "million" | "billion" | "thousand")
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

    /// Past "-24" in a day range after a month ("Sept. 20-24").
    fn past_day_range(&self, end: usize) -> usize {
        if matches!(self.low(end), "-" | "–")
            && self.kind(end + 1) == Some(TokenKind::Digits)
            && self.toks.get(end + 1).is_some_and(|t| t.end - t.start <= 2)
        {
            end + 2
        } else {
            end
        }
    }

    /// A designation or name: digits right after a capitalised word that is
    /// not a sentence's first ("Leopard 2", "iPhone 11", "Game 7", "FTSE
    /// 100", "Lang 20"), or right before one with no counted noun after
    /// ("787 Dreamliner", "11 Pro", "575 Wilbraham Road", "9 E 71st St").
    /// In title case ("Russia Sends 200 Tanks") the capitalised plural
    /// after makes it a count. Returns the token to resume at.
    pub(super) fn designation(&self, n: &Num) -> Option<usize> {
        if !n.digits || n.separated || n.decimal || n.scaled || n.value < 1.0 {
            return None;
        }
        let i = n.start;
        let end = n.end;
        // The cheap token tests first: most numbers have no name on either
        // side, and the noun phrase and unit are read only when one does.
        let spaced_hyphen_before = self.prev(i).is_some_and(|p| {
            self.low(p) == "-"
                && self.glued(i)
                && !self.glued(p)
                && p.checked_sub(1).is_some_and(|q| self.name_word(q))
        });
        // "…, Norway six and Belgium 30": a place in a gapped clause is no
        // model name.
        let name_before = self.prev(i).is_some_and(|p| {
            self.name_word(p)
                && !self.glued(i)
                && !self.newline(i)
                && (p == 0
                    || !matches!(self.low(p - 1), "," | "and")
                    || super::places::place_at(self.low(p), 0).is_none())
        });
        let name_after = n.value != 1.0
            && !self.newline(end)
            && !self.glued(end)
            && self.name_word(end)
            && !in_list(MONTHS, self.low(end));
        if !(spaced_hyphen_before || name_before || name_after) {
            return None;
        }
        // "Tylenol 500mg", "MacBook Pro 16 inch": the unit makes it a measure.
        if self.unit_follows(end, false) {
            return None;
        }
        // "COVID -19": a name with a spaced hyphen.
        if spaced_hyphen_before {
            return Some(end);
        }
        let noun = self.noun_after(end, false);
        let title_case = noun.is_some_and(|(_, e)| self.capitalised(e - 1));
        if name_before && !title_case {
            // "Charlton 2-1": past the rest of a score.
            return Some(self.past_day_range(end));
        }
        if name_after && noun.is_none() {
            return Some(end + 1);
        }
        None
    }

    /// A capitalised word that names something (not a sentence's first
    /// word, a month, a qualifier or a function word), or a camel-case
    /// product ("iPhone") or an acronym ("FTSE").
    pub(super) fn name_word(&self, k: usize) -> bool {
        if !self.is_word(k) {
            return false;
        }
        let raw = self.raw(k);
        let mut chars = raw.chars();
        let Some(first) = chars.next() else {
            return false;
        };
        let camel = first.is_lowercase() && raw.chars().any(|c| c.is_uppercase());
        if camel {
            return true;
        }
        if !first.is_uppercase() {
            return false;
        }
        let w = self.low(k);
        if in_list(MONTHS, w) || in_list(WEEKDAYS, w) || STOP.contains(w) || in_list(NOT_NAMES, w) {
            return false;
        }
        // A sentence's first word is capitalised whatever it is.
        let starts_sentence = match self.prev(k) {
            None => true,
            Some(q) => {
                self.newline(k) || matches!(self.low(q), "." | "!" | "?" | ":" | "\"" | "“" | "(")
            }
        };
        let acronym = raw.len() > 1 && raw.chars().all(|c| c.is_ascii_uppercase());
        (!starts_sentence || acronym) && !(acronym && self.shouted_line(k))
    }

    /// Whether token `k` stands in a line written in capitals ("FLOODS: 26
    /// DEAD, 300,000 DISPLACED"), where a capitalised word is no acronym.
    fn shouted_line(&self, k: usize) -> bool {
        let mut start = k;
        while start > 0 && !self.newline(start) && k - start < 40 {
            start -= 1;
        }
        let mut capitals = 0;
        let mut j = start;
        while j < self.toks.len() && j < k + 40 && (j == start || !self.newline(j)) {
            if self.is_word(j) {
                let raw = self.raw(j);
                if raw.chars().any(|c| c.is_lowercase()) {
                    return false;
                }
                capitals += usize::from(raw.len() > 1);
            }
            j += 1;
        }
        capitals >= 3
    }

    /// Whether token `k` is a word starting with a capital.
    pub(super) fn capitalised(&self, k: usize) -> bool {
        self.is_word(k) && self.raw(k).starts_with(|c: char| c.is_uppercase())
    }

    /// An age in apposition: "Smith, 65, said" — digits between commas
    /// right after a capitalised name. Returns the token to resume at.
    pub(super) fn apposition_age(&self, n: &Num) -> Option<usize> {
        if !n.digits || n.separated || n.decimal || n.scaled || !(10.0..=110.0).contains(&n.value) {
            return None;
        }
        let p = self.prev(n.start)?;
        let name = self.prev(p)?;
        (self.low(p) == "," && self.capitalised(name) && matches!(self.low(n.end), "," | ")" | ";"))
            .then_some(n.end)
    }

    /// A sports score or result: "tied at 89-89", "won 3-1", "a 2-0 win".
    pub(super) fn score(&self, n1: &Num, n2: &Num) -> bool {
        let whole =
            |n: &Num| n.digits && !n.decimal && !n.scaled && !n.separated && n.value < 200.0;
        if !whole(n1) || !whole(n2) || !matches!(self.low(n1.end), "-" | "–") {
            return false;
        }
        // "won 10-15 seats" counts seats.
        if self.noun_after(n2.end, false).is_some() {
            return false;
        }
        let before = self.prev(n1.start).map_or("", |p| self.low(p));
        n1.value == n2.value
            || in_list(SCORE_WORDS, before)
            || in_list(SCORE_WORDS, self.low(n2.end))
    }
}

/// Capitalised words that do not name anything before a number: sentence
/// adverbs and qualifiers in title case.
const NOT_NAMES: &[&str] = &[
    "about",
    "around",
    "over",
    "some",
    "nearly",
    "almost",
    "roughly",
    "only",
    "just",
    "exactly",
    "approximately",
    "another",
    "additional",
    "all",
    "those",
    "these",
    "its",
    "their",
    "his",
    "her",
    "our",
    "least",
    "most",
    "than",
    "under",
    "below",
    "above",
    "between",
    "up",
    "nearly",
    "more",
    "fewer",
    "less",
    "and",
    "or",
    "but",
    "the",
    "a",
    "an",
    "after",
    "before",
    "since",
    "until",
    "every",
    "each",
    "whole",
    "total",
    "estimated",
    "est",
    "year",
    "years",
    "top",
    "today",
    "yesterday",
    "overall",
    "altogether",
    "meanwhile",
];

/// Words around "N-M" that make it a score: "beat Charlton 2-1", "a 3-0 win".
const SCORE_WORDS: &[&str] = &[
    "beat",
    "beats",
    "beating",
    "won",
    "win",
    "wins",
    "lost",
    "lose",
    "loses",
    "losing",
    "drew",
    "draw",
    "defeated",
    "defeat",
    "led",
    "lead",
    "leads",
    "leading",
    "trailed",
    "trail",
    "trailing",
    "tied",
    "tie",
    "victory",
    "score",
    "scored",
    "scoreline",
    "thrashing",
    "thrashed",
    "record",
    "series",
    "passed",
    "voted",
    "vote",
];
