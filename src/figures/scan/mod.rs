//! The scan's phases: a [`Candidate`] read at one token and passed through
//! number (signs, fractions, "m" as metres or millions, digits that are
//! not a count), range (`range`), year, suffix (units from `unit`, percent,
//! hyphen compounds), qualifier (`qualifier`), noun phrase (`noun`) and
//! bounds. Each phase either refines the candidate or rejects it with the
//! token to resume at; `mention` drives the scan and turns what is found
//! into a `Mention`. The number phase is `number_phase.rs`.

mod number_phase;

use super::lexicon::*;
use super::mention::{Outcome, Raw, Tokens, in_list, looks_like_year};
use super::number::{self, Num, TokenKind};
use super::unit::Measure;
use super::{Kind, Qualifier};

/// A phase's result: `Err` rejects the candidate and names the token to
/// resume at.
pub(super) type Phase<T> = Result<T, usize>;

/// A mention being read, passed through the phases of [`Tokens::scan`]:
/// number, currency before, range, year, suffix (hyphen compounds, percent,
/// money), qualifier, noun phrase, bounds.
#[derive(Debug, Clone)]
pub(super) struct Candidate {
    /// The number (a range's first end).
    pub(super) number: Num,
    /// A range's second end.
    pub(super) high_end: Option<Num>,
    pub(super) kind: Kind,
    pub(super) qualifier: Qualifier,
    /// First token of the mention so far (currency, qualifier, "between").
    pub(super) first: usize,
    /// One past the last token of the number part so far.
    pub(super) end: usize,
    /// "between" leads the number.
    pub(super) between: bool,
    /// "11,000-strong": the noun after is singular.
    pub(super) strong: bool,
    /// "or more"/"or fewer" after the number set the qualifier.
    pub(super) bound_after: bool,
    /// The qualifier words before the number, if any, and where they start.
    pub(super) before_qualifier: Option<Qualifier>,
    pub(super) qualifier_start: usize,
    /// Noun phrase tokens (first, one past last), if any.
    pub(super) noun: Option<(usize, usize)>,
    /// One past the last token of a bound after the noun ("or more").
    pub(super) tail: usize,
    /// The noun phrase belongs to a later number too ("35 of 40 drones").
    pub(super) noun_shared: bool,
    /// Currency code, "%" or measurement unit.
    pub(super) unit: Option<String>,
    /// The value of one written unit: 0.01 for "cents".
    pub(super) factor: f64,
    /// The earlier value of a transition: "rose from 300 to 600".
    pub(super) previous: Option<f64>,
    /// Where the unit stands when it follows the first end of a range
    /// only: "208 pounds to 193".
    pub(super) unit_at: Option<usize>,
}

impl Tokens<'_> {
    /// Reads the mention that starts at token `i`, if any, phase by phase.
    pub(super) fn scan(&self, i: usize) -> Outcome {
        let number = if self.raw(i) == "." {
            self.leading_decimal(i)
        } else if self.may_start_mention(i) {
            number::parse(self.lower, self.toks, i)
        } else {
            None
        };
        let Some(number) = number else {
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
        self.range_phase(&mut c)?;
        self.year_phase(&mut c)?;
        self.suffix_phase(&mut c)?;
        self.qualifier_phase(&mut c);
        self.noun_phase(&mut c)?;
        Ok(self.bounds_phase(c))
    }

    /// Whether a percent sign, a currency or a measurement unit follows the
    /// number ending at token `end` ("5pc", "6kW", "1,200€").
    pub(super) fn unit_follows(&self, end: usize, scaled: bool) -> bool {
        matches!(self.low(end), "%" | "pc" | "percent" | "pct")
            || (self.low(end) == "per" && self.low(end + 1) == "cent")
            || self.currency_after(end, scaled).is_some()
            || self.measure_after(end).is_some()
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

    /// After the number: a measurement unit ("37 km", "6.1-inch"), hyphen
    /// compounds ("-strong", "-plus", "five-year"), percent, currency and
    /// "+".
    fn suffix_phase(&self, c: &mut Candidate) -> Phase<()> {
        let scaled = c.high_end.map_or(c.number.scaled, |r| r.scaled);
        // "208 pounds to 193": the unit of the first end serves both.
        if let Some(at) = c.unit_at
            && self.unit_end(c.end, scaled) == c.end
        {
            let end = c.end;
            c.end = at;
            self.suffix_phase_at(c, scaled)?;
            c.end = end;
            return Ok(());
        }
        self.suffix_phase_at(c, scaled)
    }

    fn suffix_phase_at(&self, c: &mut Candidate, scaled: bool) -> Phase<()> {
        let mut j = c.end;
        if c.kind == Kind::Count
            && !matches!(self.low(j), "%" | "pc" | "percent" | "pct")
            && let Some(measure) = self.measure_after(j)
            && !self.counted_in_measure(&measure)
            && self.currency_after(j, scaled).is_none()
        {
            c.kind = Kind::Measure;
            c.unit = Some(measure.unit);
            c.noun = Some(measure.span);
            c.end = measure.span.1;
            return Ok(());
        }
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
            "%" | "percent" | "pct" | "pc" => {
                c.kind = Kind::Percent;
                c.unit = Some("%".to_string());
                j += 1;
            }
            "per" if self.low(j + 1) == "cent" => {
                c.kind = Kind::Percent;
                c.unit = Some("%".to_string());
                j += 2;
            }
            "+" if self.glued(j) => {
                c.qualifier = Qualifier::MoreThan;
                j += 1;
            }
            _ => {
                if let Some(currency) = self.currency_after(j, scaled) {
                    c.kind = Kind::Money;
                    c.unit = (!currency.code.is_empty()).then(|| currency.code.to_string());
                    c.factor = currency.factor;
                    j = currency.edge;
                }
            }
        }
        c.end = j;
        Ok(())
    }

    /// "600 tonnes of ammunition", "20 litres of fuel": a measure word that
    /// the noun phrase reads as a counter of what follows "of" keeps the
    /// mention a count of that.
    fn counted_in_measure(&self, measure: &Measure) -> bool {
        let (start, end) = measure.span;
        end == start + 1
            && MEASURES.contains(self.low(start))
            && self.low(end) == "of"
            && !self.newline(end + 1)
            && self.is_word(end + 1)
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
        // "dozens of", "hundreds of": from the base to ten times it
        // (`number::vague_plural` documents the values).
        if c.number.vague && c.qualifier == Qualifier::Exact {
            let base = c.number.value / 2.0;
            c.number.value = base;
            c.high_end = Some(Num {
                value: 10.0 * base,
                ..c.number
            });
            c.qualifier = Qualifier::Range;
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
            // "3,000 more troops", "200 additional tanks", "eight other
            // employees".
            if matches!(
                self.low(k),
                "more" | "additional" | "extra" | "further" | "other"
            ) && self.is_word(k + 1)
            {
                k += 1;
            }
            // "Two of Johnson's deputies", "35m of its devices", "three of
            // the soldiers"; but "one of the best" is a pronoun.
            if !n1.vague
                && n1.value != 1.0
                && self.low(k) == "of"
                && let Some(start) = self.partitive_noun(k + 1)
            {
                k = start;
            }
            let singular = c.strong || n1.value == 1.0;
            c.noun = self.noun_after(k, singular);
            // "35 of 40 drones": the part counts what the whole counts; the
            // whole stays a mention of its own.
            if c.noun.is_none()
                && !n1.vague
                && self.low(k) == "of"
                && !self.newline(k + 1)
                && let Some(whole) = number::parse(self.lower, self.toks, k + 1)
                && !whole.vague
                && whole.value > n1.value
            {
                c.noun = self.noun_after(whole.end, false);
                c.noun_shared = c.noun.is_some();
            }
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

    /// Where the noun phrase of a partitive "N of the/its/X's …" starts,
    /// past its determiner or possessive.
    fn partitive_noun(&self, k: usize) -> Option<usize> {
        if self.newline(k) {
            return None;
        }
        match self.low(k) {
            "the" | "its" | "their" | "his" | "her" | "our" | "these" | "those" | "my" | "your" => {
                Some(k + 1)
            }
            // "Johnson's deputies".
            _ if self.is_word(k)
                && matches!(self.raw(k + 1), "'" | "’")
                && self.glued(k + 1)
                && self.low(k + 2) == "s"
                && self.glued(k + 2) =>
            {
                Some(k + 3)
            }
            _ => None,
        }
    }

    /// Value, low and high from the qualifier and range; the mention's span.
    fn bounds_phase(&self, c: Candidate) -> Option<Outcome> {
        let num_end = c.end;
        let last = c.noun.map_or(num_end, |(_, e)| e.max(num_end)).max(c.tail);
        let first = c.noun.map_or(c.first, |(s, _)| s.min(c.first));
        let v1 = c.number.value * c.factor;
        let (value, low, high) = match (c.qualifier, c.high_end) {
            (Qualifier::Range, Some(n2)) => {
                let v2 = n2.value * c.factor;
                let (lo, hi) = if v1 <= v2 { (v1, v2) } else { (v2, v1) };
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
                noun_shared: c.noun_shared,
                unit: c.unit,
                previous: c.previous.map(|p| p * c.factor),
            },
            num_end,
        ))
    }
}
