//! The scan's number phase: the number itself and what leads or trails it
//! before any range is read. Digits that are not a count ("KN-23", dates,
//! times) and ages are rejected; a sign ("-5", "minus 30"), a currency
//! before ("$", "US$", "RM"), a fraction ("1/16"), scientific notation
//! ("6.02 x 10^23"), a decimal without its leading zero (".5%") and "m" as
//! metres or millions are read.

use super::super::mention::Tokens;
use super::super::number::{self, Num, TokenKind};
use super::super::unit::symbol_code;
use super::super::{Kind, Qualifier};
use super::{Candidate, Phase};

impl Tokens<'_> {
    /// ".001 per cent", ".5%": a decimal without its leading zero, read only
    /// before a unit (".500 record" is a win ratio, not a quantity).
    pub(super) fn leading_decimal(&self, i: usize) -> Option<Num> {
        let digits = i + 1;
        let glued_after_word_or_digits = self.glued(i)
            && matches!(
                self.kind(i.checked_sub(1)?),
                Some(TokenKind::Word | TokenKind::Digits)
            );
        if glued_after_word_or_digits
            || self.kind(digits) != Some(TokenKind::Digits)
            || !self.glued(digits)
        {
            return None;
        }
        let n = number::parse(self.lower, self.toks, digits)?;
        if n.separated || n.decimal || n.scaled || n.end != digits + 1 {
            return None;
        }
        if !self.unit_follows(n.end, false) {
            return None;
        }
        let places = self.raw(digits).len().min(15);
        let value = n.value / 10f64.powi(places as i32);
        Some(Num {
            value,
            unscaled: value,
            start: i,
            decimal: true,
            first_len: 0,
            ..n
        })
    }

    /// Digits that are not a count ("KN-23", dates, times) and ages; a
    /// sign ("-5", "minus 30") and a currency before ("$", "US$", "RM").
    pub(super) fn number_phase(&self, mut number: Num) -> Phase<Candidate> {
        let sign = self.sign_before(number.start);
        let lead = sign.unwrap_or(number.start);
        let currency = self.currency_before(lead, &number);
        // "minus-5 yards": the hyphen belongs to the sign, not to a name.
        let spelled_sign = sign.is_some_and(|s| self.low(s) == "minus");
        if number.digits && currency.is_none() && !spelled_sign {
            let unit_follows = || self.unit_follows(number.end, number.scaled);
            if let Some(skip) = self.digits_not_count(&number, unit_follows) {
                return Err(skip);
            }
            if let Some(skip) = self.designation(&number) {
                return Err(skip);
            }
            if let Some(skip) = self.apposition_age(&number) {
                return Err(skip);
            }
        }
        if let Some(skip) = self.age_after(number.end) {
            return Err(skip);
        }
        if number.digits && !number.scaled {
            self.fraction_or_power(&mut number);
        }
        if sign.is_some() {
            number.value = -number.value;
            number.unscaled = -number.unscaled;
        }
        let mut c = Candidate {
            number,
            high_end: None,
            kind: Kind::Count,
            qualifier: Qualifier::Exact,
            first: lead,
            end: number.end,
            between: false,
            strong: false,
            bound_after: false,
            before_qualifier: None,
            qualifier_start: lead,
            noun: None,
            tail: number.end,
            noun_shared: false,
            unit: None,
            factor: 1.0,
            previous: None,
            unit_at: None,
        };
        if let Some(currency) = currency {
            c.kind = Kind::Money;
            c.unit = (!currency.code.is_empty()).then(|| currency.code.to_string());
            c.first = currency.edge;
        }
        self.million_or_metres(&mut c);
        Ok(c)
    }

    /// The rest of a number that `number::parse` leaves to context: a
    /// fraction ("1/16", "3⁄4"), scientific notation ("1.99×10−30",
    /// "6.02 x 10^23") and a spaced capital scale letter ("8 B people").
    fn fraction_or_power(&self, n: &mut Num) {
        let end = n.end;
        let glued_digits = |k: usize| self.kind(k) == Some(TokenKind::Digits) && self.glued(k);
        // "1/16": a proper fraction, not "24/7" or a date "3/4/2020".
        if matches!(self.raw(end), "/" | "⁄")
            && self.glued(end)
            && glued_digits(end + 1)
            && !n.separated
            && !n.decimal
            && !matches!(self.raw(end + 2), "/" | "⁄" | "-" | ".")
        {
            let denominator =
                number::parse(self.lower, self.toks, end + 1).map_or(0.0, |d| d.value);
            if denominator > n.value && denominator > 0.0 {
                n.value /= denominator;
                n.unscaled = n.value;
                n.decimal = true;
                n.end = end + 2;
            }
            return;
        }
        // "1.99×10−30", "3 x 10^8".
        if matches!(self.raw(end), "×" | "x" | "*")
            && self.raw(end + 1) == "10"
            && (self.glued(end + 1) || !self.glued(end))
        {
            let mut k = end + 2;
            if self.raw(k) == "^" && self.glued(k) {
                k += 1;
            }
            let negative = matches!(self.raw(k), "−" | "-") && self.glued(k);
            if negative {
                k += 1;
            }
            if glued_digits(k)
                && let Some(exponent) = number::parse(self.lower, self.toks, k)
                && exponent.value <= 300.0
            {
                // Parsing the decimal form rounds once: "1.67×10−27" is
                // 1.67e-27 to the last bit, which multiplying is not.
                let exponent = if negative {
                    -exponent.value
                } else {
                    exponent.value
                };
                let scaled = n.value * 10f64.powf(exponent);
                n.value = format!("{}e{}", n.value, exponent)
                    .parse()
                    .unwrap_or(scaled);
                n.unscaled = n.value;
                n.end = k + 1;
            }
            return;
        }
        // "8 B people": a capital letter for billions or millions.
        if !self.glued(end) && matches!(self.raw(end), "B" | "M") && self.is_word(end + 1) {
            let scale = if self.raw(end) == "B" { 1e9 } else { 1e6 };
            n.value *= scale;
            n.scaled = true;
            n.end = end + 1;
        }
    }

    /// "-5 yards", "minus 30", "minus-130 degrees", "$-50.8bn": the first
    /// token of the sign, if the number is negative.
    fn sign_before(&self, start: usize) -> Option<usize> {
        let p = self.prev(start)?;
        if self.newline(start) {
            return None;
        }
        match self.raw(p) {
            // A hyphen glued to the number and not to a word or number
            // before it: "-5", not "KN-23", "10-5" or "COVID -19".
            "-" | "−"
                if self.glued(start)
                    && !self.glued(p)
                    && !p.checked_sub(1).is_some_and(|q| self.name_word(q)) =>
            {
                Some(p)
            }
            // "$-50.8bn"
            "-" | "−"
                if self.glued(start)
                    && p.checked_sub(1)
                        .is_some_and(|q| symbol_code(self.raw(q)).is_some()) =>
            {
                Some(p)
            }
            "-" if self.glued(start) && self.low(p.checked_sub(1)?) == "minus" => p.checked_sub(1),
            "minus" if self.is_word(p) => Some(p),
            _ if self.low(p) == "minus" && self.is_word(p) => Some(p),
            _ => None,
        }
    }

    /// "37m" is 37 metres, "35m people" 35 million: a glued lower-case "m"
    /// is a million only in money or before a counted noun ("35m of its
    /// devices", "35m people").
    fn million_or_metres(&self, c: &mut Candidate) {
        let n = c.number;
        let Some(m) = n.end.checked_sub(1) else {
            return;
        };
        if !n.scaled || self.raw(m) != "m" || !self.glued(m) || c.kind == Kind::Money {
            return;
        }
        if self.currency_after(n.end, true).is_some() {
            return;
        }
        let counted = self.low(n.end) == "of"
            || self.noun_after(n.end, false).is_some()
            || self.low(n.end) == "-" && self.low(n.end + 1) == "strong";
        let metres = matches!(
            self.raw(n.end),
            "2" | "²" | "(" | "-" | ")" | "," | "." | ";"
        ) || !counted;
        if metres {
            c.number.value = n.unscaled;
            c.number.scaled = false;
            c.number.end = m;
            c.end = m;
            c.tail = m;
        }
    }
}
