//! Ranges and transitions, the scan's range phase: "between 5% and 6%",
//! "10,000 to 12,000", "10,000-12,000", "$3 billion to $5 billion", "from 1
//! per cent to 1.5 per cent" are one range each (a unit may follow each
//! end); "rose from $36,040 to $34,935" is a transition, one mention of the
//! new value whose `previous` is the old one. "rose 18 cents to $2.70" and
//! "increased by $43.6 billion to $419.2 billion" are a change and a level,
//! two mentions.

use super::lexicon::*;
use super::mention::{Tokens, looks_like_year};
use super::number::{self, Num};
use super::scan::{Candidate, Phase};
use super::unit::symbol_code;
use super::{Kind, Qualifier};

/// How far "to" may stand from the old value of a transition: "fell from
/// $75 a barrel in October to $45".
const TRANSITION_WINDOW: usize = 8;

/// What stands before the first end of a range: the token before it, the
/// word before it, whether "from" follows a verb of change, and where the
/// first end's unit (if any) ends.
struct Lead<'t> {
    before_first: Option<usize>,
    word_before: &'t str,
    change: bool,
    unit_end: usize,
}

impl Tokens<'_> {
    /// Reads the second end of a range or the new value of a transition.
    pub(super) fn range_phase(&self, c: &mut Candidate) -> Phase<()> {
        match self.second_end(c) {
            Some((high_end, transition)) => self.join_ends(c, high_end, transition),
            None => Ok(()),
        }
    }

    /// The second end after the first end of `c` (right after it, or after
    /// its unit) and whether it is the new value of a transition rather
    /// than the high end of a range.
    fn second_end(&self, c: &mut Candidate) -> Option<(Num, bool)> {
        let before_first = self.prev(c.first);
        let word_before = self.word_before(before_first, c.first);
        c.between = word_before == "between";
        // "from 10,000 to 12,000" is a range unless a verb of change leads:
        // "rose from 10,000 to 12,000" is a transition.
        let change = word_before == "from" && self.change_verb_before(before_first);
        // A unit may stand between the first end and the joiner.
        // (A joiner right after the number is no unit: skip the look-up.)
        let unit_end = match self.low(c.end) {
            "to" | "and" | "or" | "through" | "–" | "—" | "~" | "/" | "," | "." | "" => c.end,
            _ => self.unit_end(c.end, c.number.scaled),
        };
        let lead = Lead {
            before_first,
            word_before,
            change,
            unit_end,
        };
        for j in [c.end, unit_end] {
            let second = self.second_at(c, &lead, j);
            // "110 yen to 1 dollar": two currencies are a rate, not a range.
            let rate = second.is_some_and(|n2| {
                self.currency_of(c, unit_end).is_some_and(|first_code| {
                    self.currency_of_number(&n2)
                        .is_some_and(|second_code| first_code != second_code)
                })
            });
            if let Some(n2) = second
                && !rate
            {
                if unit_end != c.end {
                    c.unit_at = Some(c.end);
                }
                // Only "from" after a verb of change reads a transition.
                return Some((n2, change));
            }
            if unit_end == c.end {
                break;
            }
        }
        None
    }

    /// The second end after the joiner at token `j`, by the form the first
    /// end leads: "between X and Y", a transition "rose from X to Y", "from
    /// X unit … to Y unit", else a joined range.
    fn second_at(&self, c: &Candidate, lead: &Lead<'_>, j: usize) -> Option<Num> {
        let sep = self.low(j);
        if c.between {
            // "between 7 and 10", and loosely "between 7 to 10".
            return if sep == "and" || sep == "to" {
                self.second_number(j + 1)
            } else {
                None
            };
        }
        if lead.change {
            return self
                .transition_to(j)
                .and_then(|to| self.second_number(to + 1));
        }
        if lead.word_before == "from"
            && j == lead.unit_end
            && lead.unit_end != c.end
            && sep != "to"
            && let Some(to) = self.transition_to(j)
        {
            // "from 20 miles per gallon in 2008 to 29 mpg": both ends
            // with their units, words between, no verb of change: a
            // range.
            return self
                .second_number(to + 1)
                .filter(|n2| self.unit_end(n2.end, n2.scaled) != n2.end);
        }
        self.joined_second(c, lead, j)
    }

    /// The second end joined by a dash, "to", "through", "or" or a slash
    /// at token `j`: "10,000-12,000", "10,000 to 12,000", "three or four",
    /// "$7/$9"; none when "to" joins a change and its level.
    fn joined_second(&self, c: &Candidate, lead: &Lead<'_>, j: usize) -> Option<Num> {
        let sep = self.low(j);
        let word_before = lead.word_before;
        let dash = matches!(sep, "-" | "–" | "—" | "~");
        // "increased by $20 billion to $400 billion" is a change and a
        // level; "fell by 1 to 1.5 degrees" a range of the change.
        let by_with_unit = word_before == "by" && (lead.unit_end != c.end || c.unit.is_some());
        let to = (sep == "to" && !by_with_unit) || sep == "through";
        // A hyphen is a dash when glued on the left ("10,000-12,000") or
        // spaced on both sides ("1,000 - 5,000"), not in "10 -5".
        let spaced = !self.glued(j) && !self.glued(j + 1);
        if sep == "/"
            && c.kind == Kind::Money
            && self.glued(j)
            && self.glued(j + 1)
            && symbol_code(self.raw(j + 1)).is_some()
        {
            // "$7/$9": two amounts with their symbols.
            return self.second_number(j + 1);
        }
        if sep == "or" && j == c.end {
            // "three or four years": an estimate between two
            // neighbouring numbers.
            return self
                .second_number(j + 1)
                .filter(|n2| n2.value > c.number.value && n2.value <= 2.0 * c.number.value + 10.0);
        }
        if !((dash && (self.glued(j) || spaced || sep != "-")) || to) {
            return None;
        }
        let second = self.second_number(j + 1)?;
        // "rose 18 cents to $2.70", "increased by 5% to 40%": the change
        // and the level, not a range (read when a "to" asks).
        let verb_before = || {
            lead.before_first
                .is_some_and(|b| self.is_word(b) && CHANGE_VERBS.contains(self.low(b)))
        };
        // "rose 18 cents to $2.70": a change with its unit, then
        // the level with its own.
        // "climbed $2 to $85": likewise with currencies before.
        if sep == "to"
            && verb_before()
            && (c.kind == Kind::Money
                || (j != c.end && self.unit_end(second.end, second.scaled) == second.end))
        {
            return None;
        }
        // "will increase by 180,000 to 1.5 million": a change and
        // the level it brings, not a range of the change.
        if sep == "to" && word_before == "by" && second.value >= 3.0 * c.number.value {
            return None;
        }
        Some(second)
    }

    /// Joins the second end to `c`: the new value of a transition, or the
    /// high end of a range; rejects spans of years, designations and
    /// scores with the token to resume at.
    fn join_ends(&self, c: &mut Candidate, high_end: Num, transition: bool) -> Phase<()> {
        let n1 = &mut c.number;
        // "2021-2025": a span of years.
        if looks_like_year(n1)
            && (looks_like_year(&high_end) || (high_end.digits && high_end.value < 100.0))
        {
            return Err(high_end.end);
        }
        // "aid since February 2022 to $64.1 billion": a year, then the
        // level it was brought to; the scan reads the level on its own.
        if looks_like_year(n1) && (high_end.scaled || high_end.value > 2200.0) {
            return Err(n1.end);
        }
        if high_end.digits {
            let unit_follows = || self.unit_follows(high_end.end, high_end.scaled);
            if let Some(skip) = self.digits_not_count(&high_end, unit_follows) {
                return Err(skip);
            }
            // "16-18 Industrial Avenue", "tied at 89-89".
            if !transition && let Some(skip) = self.designation(&high_end) {
                return Err(skip);
            }
            if !transition && self.score(n1, &high_end) {
                return Err(high_end.end);
            }
        }
        // "1.5 to 2 million": the scale of the high end applies to the low.
        if high_end.scaled && !n1.scaled && n1.unscaled <= high_end.unscaled {
            let factor = high_end.value / high_end.unscaled.max(f64::MIN_POSITIVE);
            n1.value = n1.unscaled * factor;
        }
        c.end = high_end.end;
        if transition {
            c.previous = Some(n1.value);
            c.number = Num {
                start: c.number.start,
                ..high_end
            };
            return Ok(());
        }
        c.high_end = Some(high_end);
        c.qualifier = Qualifier::Range;
        if c.between {
            c.first = c.first.saturating_sub(1);
        }
        Ok(())
    }

    /// Whether a verb of change stands within three words before token
    /// `from` ("rose from", "has dropped since October from").
    fn change_verb_before(&self, from: Option<usize>) -> bool {
        let Some(from) = from else {
            return false;
        };
        (1..=4).any(|back| {
            from.checked_sub(back).is_some_and(|k| {
                self.is_word(k) && !self.newline(k + 1) && CHANGE_VERBS.contains(self.low(k))
            }) && (1..back).all(|b| from.checked_sub(b).is_some_and(|k| self.is_word(k)))
        })
    }

    /// The "to" of a transition at or after token `j`, within a few words
    /// and before any clause punctuation.
    fn transition_to(&self, j: usize) -> Option<usize> {
        for k in j..j + TRANSITION_WINDOW {
            if self.newline(k) {
                return None;
            }
            match self.low(k) {
                "to" if self.is_number_start(k + 1) || symbol_code(self.raw(k + 1)).is_some() => {
                    return Some(k);
                }
                "," | ";" | "(" | ")" | "!" | "?" | ":" | "" => return None,
                // A full stop ends the clause; a decimal point or an
                // abbreviation's dot ("U.S.") does not.
                "." if !(self.glued(k)
                    && (self.glued(k + 1)
                        || k.checked_sub(1).is_some_and(|q| self.raw(q).len() == 1))) =>
                {
                    return None;
                }
                "from" | "and" | "but" => return None,
                _ => {}
            }
        }
        None
    }

    /// The currency of the first end of a range, before it (already read
    /// into the candidate's unit) or after it.
    fn currency_of<'c>(&self, c: &'c Candidate, unit_end: usize) -> Option<&'c str> {
        if c.kind == Kind::Money {
            return c.unit.as_deref();
        }
        (unit_end != c.end)
            .then(|| self.currency_after(c.end, c.number.scaled))
            .flatten()
            .map(|cur| cur.code)
    }

    /// The currency written before or after a number, if any.
    fn currency_of_number(&self, n: &Num) -> Option<&'static str> {
        self.currency_before(n.start, n)
            .or_else(|| self.currency_after(n.end, n.scaled))
            .map(|cur| cur.code)
    }

    /// The token after a percent sign, currency word or measurement unit
    /// that follows a number ending at `end` (or `end` when none does).
    pub(super) fn unit_end(&self, end: usize, scaled: bool) -> usize {
        match self.low(end) {
            "%" | "pc" | "percent" | "pct" => return end + 1,
            "per" if self.low(end + 1) == "cent" => return end + 2,
            _ => {}
        }
        if let Some(currency) = self.currency_after(end, scaled) {
            return currency.edge;
        }
        if let Some(measure) = self.measure_after(end) {
            return measure.span.1;
        }
        end
    }

    /// The high end of a range, at token `i` (a currency symbol may lead).
    pub(super) fn second_number(&self, mut i: usize) -> Option<Num> {
        if symbol_code(self.raw(i)).is_some() {
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
}
