//! The counted noun phrase of a mention: forward ("200 long-range artillery
//! pieces", "tons of ammunition") and inverted ("troops numbering 11,000",
//! "a force of 11,000", "the number of troops rose to 12,000",
//! "artillery pieces: 200").

use super::lexicon::*;
use super::mention::Tokens;
use super::number::{self, TokenKind};

pub(super) fn is_plural(w: &str) -> bool {
    if HEADS.contains(w) {
        return true;
    }
    if w.len() < 3 || NOT_PLURAL.contains(w) {
        return false;
    }
    if w.ends_with("men") && w.len() > 4 {
        return true;
    }
    // Demonyms in -ese: "11.5 million Sudanese", "Japanese" (not "these",
    // "cheese").
    if w.len() >= 7 && w.ends_with("ese") && !w.ends_with("eese") {
        return true;
    }
    // Demonyms in -i: "Iraqis", "Israelis", "Pakistanis", "Qadiris" (but
    // not "crisis", "axis", "tennis").
    if let Some(stem) = w.strip_suffix("is")
        && w.len() >= 6
        && stem.ends_with(['q', 'l', 'n', 'r', 'd', 't', 'k', 'b', 'h'])
        && !stem.ends_with("nn")
    {
        return true;
    }
    w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
        && !w.ends_with("ous")
        && !w.ends_with("'s")
}

impl<'a> Tokens<'a> {
    /// The noun phrase starting at token `k`: (first, one past last token).
    pub(super) fn noun_after(&self, k: usize, singular: bool) -> Option<(usize, usize)> {
        let mut words = self.collect_words(k, 7);
        if words.is_empty() {
            return None;
        }
        // "150 KN-23 and KN-24 missiles": two designations share the noun.
        if let Some(&(_, e)) = words.last()
            && matches!(self.low(e), "and" | "or")
            && self.kind(e - 1) == Some(TokenKind::Digits)
        {
            let more = self.collect_words(e + 1, 5);
            if more
                .iter()
                .any(|&(s, e)| is_plural(self.span_lower_last(s, e)))
            {
                words.extend(more);
            }
        }
        // The head: the first regular plural, or an uncountable ("artillery")
        // unless a plural follows it as in "artillery pieces".
        let mut head = words.iter().position(|&(s, e)| {
            is_plural(self.span_lower_last(s, e)) || self.plural_designation(s, e)
        });
        // "infantry fighting vehicles": a plural within two words.
        if let Some(h) = head
            && HEADS.contains(self.span_lower_last(words[h].0, words[h].1))
            && let Some(later) = (h + 1..words.len().min(h + 3))
                .find(|&k| is_plural(self.span_lower_last(words[k].0, words[k].1)))
        {
            head = Some(later);
        }
        // "Sudanese asylum seekers": a demonym before a noun is its
        // modifier.
        if let Some(h) = head
            && {
                let w = self.span_lower_last(words[h].0, words[h].1);
                w.ends_with("ese") || w.ends_with("is")
            }
            && let Some(later) = (h + 1..words.len().min(h + 4))
                .find(|&k| is_plural(self.span_lower_last(words[k].0, words[k].1)))
        {
            head = Some(later);
        }
        // Noun-noun compounds: "Abrams tanks", "artillery pieces".
        while let Some(h) = head
            && let Some(&(s, e)) = words.get(h + 1)
            && is_plural(self.span_lower_last(s, e))
            && !HEADS.contains(self.span_lower_last(s, e))
        {
            head = Some(h + 1);
        }
        let (s0, _) = words[0];
        let mut end = match head {
            Some(h) => words[h].1,
            None if singular => {
                // "one soldier", "an 11,000-strong contingent": up to a collective or 3 words.
                let upto = words
                    .iter()
                    .position(|&(s, e)| COLLECTIVES.contains(self.span_lower_last(s, e)))
                    .unwrap_or(words.len().min(3) - 1);
                words[upto].1
            }
            None => return None,
        };
        // "tons of ammunition", "pieces of artillery", "contingent of troops".
        let head_word = self.span_lower_last(end.saturating_sub(1), end);
        if MEASURES.contains(head_word) && self.low(end) == "of" && !self.newline(end) {
            let more = self.collect_words(end + 1, 4);
            if !more.is_empty() {
                let h = more
                    .iter()
                    .position(|&(s, e)| is_plural(self.span_lower_last(s, e)))
                    .unwrap_or(more.len() - 1);
                end = more[h].1;
            }
        }
        Some((s0, end))
    }

    /// Words (hyphenated compounds as one) from token `k` until a stop word,
    /// punctuation, a number or a newline: (first token, one past last).
    fn collect_words(&self, mut k: usize, max: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        while out.len() < max && !self.newline(k) {
            let start = k;
            if self.is_word(k) {
                let w = self.low(k);
                if STOP.contains(w) || self.starts_number_word(k) {
                    break;
                }
                k += 1;
                // "U.S. troops", "U.N. peacekeepers": an initialism is one word.
                if self.initial(start) {
                    while self.raw(k) == "."
                        && self.glued(k)
                        && self.initial(k + 1)
                        && self.glued(k + 1)
                    {
                        k += 2;
                    }
                    if self.raw(k) == "." && self.glued(k) && k > start + 1 {
                        k += 1;
                    }
                }
                // "M1 Abrams", "A320neo": digits glued to a name.
                while self.kind(k) == Some(TokenKind::Digits) && self.glued(k) {
                    k += 1;
                    if self.is_word(k) && self.glued(k) {
                        k += 1;
                    }
                }
            } else if self.designation_digits(k, out.last().copied()) {
                // "Leopard 2 tanks", "737 Max jets", "Leopard 2A6 tanks": a
                // designation inside the noun phrase is a name, not a number.
                k += 1;
                while matches!(self.kind(k), Some(TokenKind::Word | TokenKind::Digits))
                    && self.glued(k)
                {
                    k += 1;
                }
            } else if self.kind(k) == Some(TokenKind::Digits)
                && self.glued(k + 1)
                && self.is_word(k + 2)
                && self
                    .measure_after(k + 1)
                    .is_some_and(|m| m.span == (k + 1, k + 2))
            {
                // A calibre or size as an adjective: "ten 155mm howitzers",
                // "eight million 250ml bottles".
                k += 2;
            } else {
                break;
            }
            // "long-range", "self-propelled", "S-300", "155-mm".
            while matches!(self.low(k), "-" | "/")
                && self.glued(k)
                && self.glued(k + 1)
                && matches!(self.kind(k + 1), Some(TokenKind::Word | TokenKind::Digits))
            {
                k += 2;
                // "F-16s", "S-400s": a plural glued to the designation.
                if self.low(k) == "s" && self.glued(k) {
                    k += 1;
                }
            }
            out.push((start, k));
        }
        out
    }

    /// A capital letter standing alone, as in "U.S." or "U.N.".
    fn initial(&self, k: usize) -> bool {
        let raw = self.raw(k);
        raw.len() == 1 && raw.as_bytes()[0].is_ascii_uppercase()
    }

    /// Digits at `k` that are part of a name within a noun phrase: after a
    /// collected capitalised word ("Leopard 2") or before a capitalised word
    /// ("737 Max").
    fn designation_digits(&self, k: usize, last: Option<(usize, usize)>) -> bool {
        if self.kind(k) != Some(TokenKind::Digits) || self.newline(k) || self.glued(k) {
            return false;
        }
        // Plain digits only: "2", not "2,000" or "2.5".
        if matches!(self.low(k + 1), "," | ".") && self.glued(k + 1) {
            return false;
        }
        let after_name = last.is_some_and(|(s, e)| e == k && self.name_word(s));
        let before_name = !self.glued(k + 1) && self.name_word(k + 1);
        after_name || before_name
    }

    fn starts_number_word(&self, k: usize) -> bool {
        let w = self.low(k);
        number::unit_word(w).is_some() || number::tens_word(w).is_some()
    }

    /// "Model 3s", "F-16s": a designation made plural by a glued "s".
    fn plural_designation(&self, s: usize, e: usize) -> bool {
        e >= s + 2
            && self.low(e - 1) == "s"
            && self.glued(e - 1)
            && self.kind(e - 2) == Some(TokenKind::Digits)
    }

    /// Lower-case text of the last word token in `s..e`.
    fn span_lower_last(&self, s: usize, e: usize) -> &'a str {
        let _ = s;
        self.low(e.saturating_sub(1))
    }

    /// Inverted forms, looking back from the mention's first token:
    /// "troops numbering 11,000", "a force of 11,000", "artillery pieces: 200",
    /// "the number of troops rose to 12,000".
    pub(super) fn noun_before(&self, first: usize) -> Option<(usize, usize)> {
        if self.newline(first) {
            return None;
        }
        let p = first.checked_sub(1)?;
        let w = self.low(p);
        match w {
            "numbering" | "totalling" | "totaling" | "numbered" | "totalled" | "totaled" => {
                // "The refugees, numbering 3,400, ...".
                if p >= 1 && self.low(p - 1) == "," {
                    return self.words_back(p - 1);
                }
                return self.words_back(p);
            }
            // "artillery pieces: 200", but not a headline's "Kestria: 2,300 killed".
            ":" if p >= 1 && is_plural(self.low(p - 1)) => return self.words_back(p),
            ":" => return None,
            "of" if p >= 1 => {
                let c = self.low(p - 1);
                if self.is_word(p - 1) && COLLECTIVES.contains(c) && !self.newline(p) {
                    return self.words_back(p).filter(|(s, e)| e > s);
                }
            }
            _ => {}
        }
        // "the number of troops (rose|stood|...) (to|at) N".
        let lo = first.saturating_sub(14);
        let mut k = first;
        while k > lo + 1 {
            k -= 1;
            if self.newline(k + 1) || matches!(self.low(k), "." | ";" | "!" | "?") {
                return None;
            }
            if self.kind(k) == Some(TokenKind::Digits) {
                return None;
            }
            if self.low(k) == "of" && matches!(self.low(k - 1), "number" | "count" | "tally") {
                return self.noun_after(k + 1, false);
            }
        }
        None
    }

    /// Content words just before token `p` (exclusive), up to a stop word or
    /// punctuation: "North Korean troops" in "North Korean troops numbering".
    fn words_back(&self, p: usize) -> Option<(usize, usize)> {
        let end = p;
        let mut s = p;
        let mut count = 0;
        while s > 0 && count < 4 && !self.newline(s) {
            let k = s - 1;
            if self.is_word(k) && !STOP.contains(self.low(k)) {
                s = k;
                count += 1;
                // Swallow "long-range" as one word.
                while s >= 2
                    && self.low(s - 1) == "-"
                    && self.glued(s)
                    && self.glued(s - 1)
                    && self.is_word(s - 2)
                {
                    s -= 2;
                }
            } else {
                break;
            }
        }
        (s < end).then_some((s, end))
    }
}
