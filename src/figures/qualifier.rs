//! Qualifiers: the words around a number that bound it ("more than",
//! "at least", "up to", "about", "or more") and two-sided bounds joined by
//! "and"/"but" ("above 1,000 and below 1,500"), which become a `range`.
//! It maps every form onto DESIGN.md's qualifier names and invents none;
//! what the number is and what it counts are decided elsewhere.

use super::Qualifier;
use super::mention::{Tokens, in_list};
use super::number::{self, Num, TokenKind};

/// Comparatives that bound from below ("higher or equal than").
const LOWER: &[&str] = &[
    "more", "greater", "larger", "bigger", "higher", "above", "over",
];
/// Comparatives that bound from above ("lower or equal than").
const UPPER: &[&str] = &["less", "fewer", "smaller", "lower", "below", "under"];

/// Words that may follow "N and more" when it closes a bound: "500 and more
/// in stock", "200 and more." — but not "12 and more were hurt", where
/// "more" starts a clause of its own.
const AFTER_AND_MORE: &[&str] = &[
    "in", "of", "across", "at", "on", "from", "per", "each", "every", "within", "around",
];

/// A three-word qualifier before the number: "in excess of", "no fewer
/// than", "as many as".
fn three_words_before(w3: &str, w2: &str, w1: &str) -> Option<Qualifier> {
    use Qualifier::*;
    match (w3, w2, w1) {
        ("in", "excess", "of") => Some(MoreThan),
        ("no", "fewer", "than") | ("no", "less", "than") => Some(AtLeast),
        ("no", "more", "than") => Some(AtMost),
        ("as", "many", "as") | ("as", "much", "as") => Some(AtMost),
        ("a", "little", "over") | ("a", "bit", "over") => Some(MoreThan),
        ("a", "minimum", "of") | ("not", "less", "than") => Some(AtLeast),
        ("a", "maximum", "of") => Some(AtMost),
        _ => None,
    }
}

/// A two-word qualifier before the number: "more than", "at least", "up
/// to", "close to".
fn two_words_before(w2: &str, w1: &str) -> Option<Qualifier> {
    use Qualifier::*;
    match (w2, w1) {
        ("more" | "greater" | "larger" | "bigger" | "higher", "than")
        | ("upwards", "of")
        | ("well", "over")
        | ("just", "over")
        | ("well", "above")
        | ("just", "above")
        | ("over", "than") => Some(MoreThan),
        ("at", "least") => Some(AtLeast),
        ("fewer" | "less" | "smaller" | "lower", "than")
        | ("just", "under")
        | ("just", "below")
        | ("well", "below")
        | ("well", "under") => Some(LessThan),
        ("up", "to") | ("at", "most") => Some(AtMost),
        ("close", "to") | ("an", "estimated") | ("some", "estimated") | ("nearly", "all") => {
            Some(Approximately)
        }
        _ => None,
    }
}

/// A one-word qualifier before the number: "over", "under", "about".
fn one_word_before(w1: &str) -> Option<Qualifier> {
    use Qualifier::*;
    match w1 {
        // A verb of exceeding bounds its object: "deaths exceeded 3,000".
        "over" | "above" | "exceeding" | "topping" | "topped" | "exceed" | "exceeds"
        | "exceeded" | "surpass" | "surpasses" | "surpassed" | "surpassing" => Some(MoreThan),
        "under" | "below" => Some(LessThan),
        "about" | "around" | "approximately" | "roughly" | "nearly" | "almost" | "some"
        | "approx" | "circa" | "ca" | "approaching" => Some(Approximately),
        _ => None,
    }
}

impl Tokens<'_> {
    /// The qualifier words just before token `first`, and where they start.
    pub(super) fn qualifier_before(&self, first: usize) -> (Option<Qualifier>, usize) {
        if self.newline(first) {
            return (None, first);
        }
        let found = self
            .sub_prefix(first)
            .or_else(|| self.symbol_before(first))
            .or_else(|| self.or_equal_before(first))
            .or_else(|| self.words_before(first));
        match found {
            Some((q, start)) => (Some(q), start),
            None => (None, first),
        }
    }

    /// "sub-7 nanometre": below.
    fn sub_prefix(&self, first: usize) -> Option<(Qualifier, usize)> {
        let p = first.checked_sub(1)?;
        (self.low(p) == "-"
            && self.glued(first)
            && self.glued(p)
            && p.checked_sub(1).is_some_and(|q| self.low(q) == "sub"))
        .then(|| (Qualifier::LessThan, p - 1))
    }

    /// Symbols: ">30", ">= 30", "≤ 30", "~45g".
    fn symbol_before(&self, first: usize) -> Option<(Qualifier, usize)> {
        let p = first.checked_sub(1)?;
        if self.kind(p) != Some(TokenKind::Punct) {
            return None;
        }
        let two = p.checked_sub(1).map_or("", |q| self.low(q));
        match (two, self.low(p)) {
            (">", "=") => Some((Qualifier::AtLeast, p - 1)),
            ("<", "=") => Some((Qualifier::AtMost, p - 1)),
            (_, ">") => Some((Qualifier::MoreThan, p)),
            (_, "<") => Some((Qualifier::LessThan, p)),
            (_, "≥") => Some((Qualifier::AtLeast, p)),
            (_, "≤") => Some((Qualifier::AtMost, p)),
            (_, "~" | "≈") => Some((Qualifier::Approximately, p)),
            _ => None,
        }
    }

    /// "less than or equal to", "at least or equal to", "higher or equal
    /// than": the bound includes the number.
    fn or_equal_before(&self, first: usize) -> Option<(Qualifier, usize)> {
        let w5 = |back: usize| first.checked_sub(back).map_or("", |k| self.low(k));
        if (w5(3), w5(2), w5(1)) == ("or", "equal", "to") {
            match (w5(5), w5(4)) {
                (w, "than") if in_list(UPPER, w) => return Some((Qualifier::AtMost, first - 5)),
                (w, "than") if in_list(LOWER, w) => return Some((Qualifier::AtLeast, first - 5)),
                ("at", "least") => return Some((Qualifier::AtLeast, first - 5)),
                ("at", "most") => return Some((Qualifier::AtMost, first - 5)),
                _ => {}
            }
        }
        if (w5(3), w5(2)) == ("or", "equal") && matches!(w5(1), "than" | "to") {
            if in_list(UPPER, w5(4)) {
                return Some((Qualifier::AtMost, first - 4));
            }
            if in_list(LOWER, w5(4)) {
                return Some((Qualifier::AtLeast, first - 4));
            }
        }
        None
    }

    /// Qualifying words of three, two or one word before the number: "in
    /// excess of", "more than", "about"; the longest form wins.
    fn words_before(&self, first: usize) -> Option<(Qualifier, usize)> {
        let w = |back: usize| -> &str {
            match first.checked_sub(back) {
                Some(k) if self.is_word(k) && (back == 1 || !self.newline(k + 1)) => self.low(k),
                _ => "",
            }
        };
        let (w1, w2, w3) = (w(1), w(2), w(3));
        if let Some(q) = three_words_before(w3, w2, w1) {
            return Some((q, first - 3));
        }
        if let Some(q) = two_words_before(w2, w1) {
            // "rose up to" is fine; "up to" after "went" too: all at_most.
            return Some((q, first - 2));
        }
        one_word_before(w1).map(|q| (q, first - 1))
    }

    /// A qualifier after the number at token `j` ("or more", "or fewer",
    /// "and more", "or so", "plus"): the qualifier and the token after it.
    pub(super) fn qualifier_after(&self, j: usize) -> Option<(Qualifier, usize)> {
        let (w0, w1) = (self.low(j), self.low(j + 1));
        match (w0, w1) {
            ("or", "more" | "greater" | "higher" | "above" | "over") => {
                Some((Qualifier::AtLeast, j + 2))
            }
            ("or", "less" | "fewer" | "lower" | "below") => Some((Qualifier::AtMost, j + 2)),
            ("or", "so") => Some((Qualifier::Approximately, j + 2)),
            ("and", "more") if self.closes_bound(j + 2) => Some((Qualifier::AtLeast, j + 2)),
            ("plus", _) if !self.is_number_start(j + 1) => Some((Qualifier::MoreThan, j + 1)),
            _ => None,
        }
    }

    /// Whether token `k` can follow "N and more" with "more" ending the bound.
    fn closes_bound(&self, k: usize) -> bool {
        match self.kind(k) {
            None => true,
            Some(TokenKind::Punct) => true,
            Some(TokenKind::Digits) => false,
            Some(TokenKind::Word) => self.newline(k) || in_list(AFTER_AND_MORE, self.low(k)),
        }
    }

    /// The other side of a two-sided bound after a bounded number ending at
    /// token `j`: "above 1,000 and below 1,500", "at most 100 and at least
    /// 20", "greater than 30, less than or equal to 40". `q` bounds the first
    /// number, whose value is `value`. Returns the second number when the
    /// two bounds face each other and enclose an interval; the caller makes
    /// the pair a `range` (DESIGN.md has no qualifier for half-open
    /// intervals, and a range's low and high carry the bounds).
    pub(super) fn second_bound(&self, j: usize, q: Qualifier, value: f64) -> Option<Num> {
        use Qualifier::*;
        let lower_first = match q {
            MoreThan | AtLeast => true,
            LessThan | AtMost => false,
            _ => return None,
        };
        // The joiner: "and", "but", ",", ", but".
        let k = match (self.low(j), self.low(j + 1)) {
            (",", "but") => j + 2,
            ("and" | "but" | ",", _) => j + 1,
            _ => return None,
        };
        if self.newline(k) {
            return None;
        }
        // The second qualifier starts right after the joiner and is at most
        // five words long ("less than or equal to").
        let p = (k + 1..=k + 5).find(|&p| self.is_number_start(p))?;
        let (q2, start) = self.qualifier_before(p);
        if start != k {
            return None;
        }
        let lower_second = match q2? {
            MoreThan | AtLeast => true,
            LessThan | AtMost => false,
            _ => return None,
        };
        if lower_first == lower_second {
            return None;
        }
        let n2 = number::parse(self.lower, self.toks, p)?;
        if n2.vague || (n2.digits && self.digits_not_count(&n2, || false).is_some()) {
            return None;
        }
        // The bounds must enclose something: "more than 30, and fewer than
        // 10 were repelled" reports two numbers, not an interval.
        let (low, high) = if lower_first {
            (value, n2.value)
        } else {
            (n2.value, value)
        };
        (low < high).then_some(n2)
    }
}
