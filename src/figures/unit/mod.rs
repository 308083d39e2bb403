//! Units around a number: currencies before ("$", "US$", "$A", "HK $",
//! "RM", "Y=", "USD") and after ("1,200€", "40 million euros", "Danish
//! crowns", "50 cents") as ISO 4217 codes, and measurement units after
//! ("37 km", "6kW", "32m2", "296 hp", "-5 yards", "21 °C") normalised. It
//! reads tokens only; `mention` decides what a unit does to the mention
//! (its kind, its value for minor currency units, its noun). This file
//! reads currencies; `measure.rs` reads measurement units.

mod measure;

pub(super) use measure::Measure;
pub(crate) use measure::{measure_unit, weighed_unit};

use super::mention::{Tokens, in_list};
use super::number::Num;

/// A currency read before or after a number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Currency {
    /// ISO 4217 code; "" when the text names a currency word but not which
    /// country's ("500 pesos").
    pub(super) code: &'static str,
    /// The value of one written unit in the currency: 0.01 for "cents".
    pub(super) factor: f64,
    /// First token of the currency (before) or one past its last (after).
    pub(super) edge: usize,
}

/// ISO code of a currency symbol.
pub(super) fn symbol_code(s: &str) -> Option<&'static str> {
    Some(match s {
        "$" => "USD",
        "€" => "EUR",
        "£" => "GBP",
        "¥" => "JPY",
        "₩" => "KRW",
        "₽" => "RUB",
        "₹" => "INR",
        "₴" => "UAH",
        "₺" => "TRY",
        "₪" => "ILS",
        "₦" => "NGN",
        "₱" => "PHP",
        _ => return None,
    })
}

/// A dollar marked with its country, before or after the "$": "US$",
/// "$US", "A$", "HK $", "C$", "NZ$", "S$".
fn dollar_prefix(w: &str) -> Option<&'static str> {
    Some(match w {
        "US" | "U.S." => "USD",
        "A" | "AU" | "AUD" => "AUD",
        "C" | "CA" | "CAN" => "CAD",
        "HK" => "HKD",
        "NZ" => "NZD",
        "S" | "SG" => "SGD",
        "NT" => "TWD",
        "R" => "BRL",
        "M" | "MX" => "MXN",
        _ => return None,
    })
}

/// ISO codes written as words before or after a number ("USD 40 million").
fn iso_code(w: &str) -> Option<&'static str> {
    Some(match w {
        "usd" => "USD",
        "eur" => "EUR",
        "gbp" => "GBP",
        "jpy" => "JPY",
        "cny" | "rmb" => "CNY",
        "rub" => "RUB",
        "chf" => "CHF",
        "krw" => "KRW",
        "uah" => "UAH",
        "inr" => "INR",
        "aud" => "AUD",
        "cad" => "CAD",
        "hkd" => "HKD",
        "ils" => "ILS",
        "dkk" => "DKK",
        "sek" => "SEK",
        "nok" => "NOK",
        "myr" => "MYR",
        "sgd" => "SGD",
        "nzd" => "NZD",
        _ => return None,
    })
}

/// A currency word after a number, with the country adjective before it
/// (lower case, "" if none): the code and the value of one unit.
fn currency_word(adjective: &str, w: &str, scaled: bool) -> Option<(&'static str, f64)> {
    let code = match w {
        "dollars" | "dollar" => match adjective {
            "australian" => "AUD",
            "canadian" => "CAD",
            "hong kong" => "HKD",
            "new zealand" => "NZD",
            "singapore" | "singaporean" => "SGD",
            "taiwan" | "taiwanese" => "TWD",
            _ => "USD",
        },
        "euros" | "euro" => "EUR",
        "sterling" => "GBP",
        // "208 pounds" is mostly a weight; scaled ("2 million pounds") or
        // with "sterling" it is money.
        "pounds" | "pound" if scaled || adjective == "british" => "GBP",
        "yen" => "JPY",
        "yuan" | "renminbi" => "CNY",
        // "won" is usually the verb; only after a scale word is it money.
        "won" if scaled || adjective == "south korean" => "KRW",
        "rubles" | "roubles" | "ruble" | "rouble" => "RUB",
        "rupees" | "rupee" => match adjective {
            "pakistani" => "PKR",
            "sri lankan" => "LKR",
            _ => "INR",
        },
        "hryvnias" | "hryvnia" | "hryvnia's" => "UAH",
        "francs" | "franc" => "CHF",
        "shekels" | "shekel" => "ILS",
        "crowns" | "kroner" | "krone" | "kronor" | "krona" => match adjective {
            "swedish" => "SEK",
            "norwegian" => "NOK",
            "czech" => "CZK",
            "danish" => "DKK",
            _ if matches!(w, "kronor" | "krona") => "SEK",
            _ if matches!(w, "kroner" | "krone") => "DKK",
            _ => return None,
        },
        // Without the country the currency is unknown: money, no code.
        "pesos" | "peso" => match adjective {
            "mexican" => "MXN",
            "philippine" => "PHP",
            "argentine" | "argentinian" => "ARS",
            "chilean" => "CLP",
            "colombian" => "COP",
            _ => "",
        },
        "shillings" | "dinars" | "rials" => "",
        "ringgit" => "MYR",
        "baht" => "THB",
        "rand" => "ZAR",
        "lira" | "liras" | "lire" => "TRY",
        "naira" => "NGN",
        "zloty" | "zlotys" => "PLN",
        "dirhams" | "dirham" => "AED",
        "riyals" | "riyal" => "SAR",
        "cents" | "cent" => {
            let code = match adjective {
                "euro" => "EUR",
                "australian" => "AUD",
                "canadian" => "CAD",
                _ => "USD",
            };
            return Some((code, 0.01));
        }
        "pence" | "penny" => return Some(("GBP", 0.01)),
        "sen" => return Some(("MYR", 0.01)),
        "kopecks" | "kopeks" => return Some(("RUB", 0.01)),
        _ => return iso_code(w).map(|c| (c, 1.0)),
    };
    Some((code, 1.0))
}

/// Country adjectives that may stand between a number and its currency
/// word: "40 million Australian dollars".
const CURRENCY_ADJECTIVES: &[&str] = &[
    "australian",
    "canadian",
    "singapore",
    "singaporean",
    "taiwan",
    "taiwanese",
    "swedish",
    "norwegian",
    "danish",
    "czech",
    "swiss",
    "mexican",
    "philippine",
    "argentine",
    "argentinian",
    "chilean",
    "colombian",
    "pakistani",
    "british",
    "euro",
    "us",
];

impl Tokens<'_> {
    /// A currency written before the number starting at token `start`.
    pub(super) fn currency_before(&self, start: usize, n: &Num) -> Option<Currency> {
        let p = start.checked_sub(1)?;
        if self.newline(start) {
            return None;
        }
        let raw = self.raw(p);
        // "$3.2 billion", "US$ 5m", "HK $216,925".
        if let Some(code) = symbol_code(raw) {
            let mut currency = Currency {
                code,
                factor: 1.0,
                edge: p,
            };
            if raw == "$"
                && let Some(q) = p.checked_sub(1)
                && self.is_word(q)
                && !self.newline(p)
                && (self.glued(p) || self.raw(q).len() <= 2)
                && let Some(code) = dollar_prefix(self.raw(q))
            {
                currency = Currency {
                    code,
                    factor: 1.0,
                    edge: q,
                };
            }
            return Some(currency);
        }
        if !self.is_word(p) {
            // "Y=590 billion": the wire services' yen.
            if raw == "="
                && self.glued(p)
                && self.glued(start)
                && let Some(q) = p.checked_sub(1)
                && self.raw(q) == "Y"
            {
                return Some(Currency {
                    code: "JPY",
                    factor: 1.0,
                    edge: q,
                });
            }
            return None;
        }
        let upper = raw.chars().all(|c| c.is_ascii_uppercase());
        // "$US55m", "$A82,615,680".
        if self.glued(start)
            && self.glued(p)
            && let Some(q) = p.checked_sub(1)
            && self.raw(q) == "$"
            && let Some(code) = dollar_prefix(raw)
        {
            return Some(Currency {
                code,
                factor: 1.0,
                edge: q,
            });
        }
        // "USD 40 million", "USD10m", "EUR 3bn".
        if upper && let Some(code) = iso_code(self.low(p)) {
            return Some(Currency {
                code,
                factor: 1.0,
                edge: p,
            });
        }
        // "RM23.50", "Rs 500"; "PS8.1bn" is how £ comes out of some ASCII
        // feeds, but "PS5" is a console: at least two digits, a decimal or
        // a scale.
        let code = match raw {
            "RM" if self.glued(start) => "MYR",
            "Rs" => "INR",
            "PS" if self.glued(start)
                && (n.decimal || n.scaled || n.separated || n.first_len >= 2) =>
            {
                "GBP"
            }
            _ => return None,
        };
        Some(Currency {
            code,
            factor: 1.0,
            edge: p,
        })
    }

    /// A currency written after a number ending at token `end`: "1,200€",
    /// "40 million euros", "Danish crowns", "50 cents".
    pub(super) fn currency_after(&self, end: usize, scaled: bool) -> Option<Currency> {
        if self.newline(end) {
            return None;
        }
        if let Some(code) = symbol_code(self.raw(end))
            && self.glued(end)
        {
            return Some(Currency {
                code,
                factor: 1.0,
                edge: end + 1,
            });
        }
        if !self.is_word(end) {
            return None;
        }
        // "412p": pence, glued to the number; "1080p" is a video resolution.
        if self.raw(end) == "p" && self.glued(end) {
            let resolution = end.checked_sub(1).is_some_and(|d| {
                matches!(
                    self.raw(d),
                    "144" | "240" | "360" | "480" | "720" | "1080" | "1440" | "2160" | "4320"
                )
            });
            return (!resolution).then_some(Currency {
                code: "GBP",
                factor: 0.01,
                edge: end + 1,
            });
        }
        // A country adjective, one or two words: "Australian", "Hong Kong".
        let (adjective, k) = match (self.low(end), self.low(end + 1)) {
            ("hong", "kong") => ("hong kong", end + 2),
            ("new", "zealand") => ("new zealand", end + 2),
            ("south", "korean") => ("south korean", end + 2),
            ("sri", "lankan") => ("sri lankan", end + 2),
            (a, _) if in_list(CURRENCY_ADJECTIVES, a) && self.is_word(end + 1) => (a, end + 1),
            _ => ("", end),
        };
        let w = self.low(k);
        if !self.is_word(k) {
            return None;
        }
        // An ISO code after the number is upper case: "40 million USD".
        if iso_code(w).is_some() && !self.raw(k).chars().all(|c| c.is_ascii_uppercase()) {
            return None;
        }
        let (code, factor) = currency_word(adjective, w, scaled)?;
        // "10 pounds sterling".
        let mut edge = k + 1;
        if matches!(w, "pounds" | "pound") && self.low(edge) == "sterling" {
            edge += 1;
        }
        Some(Currency { code, factor, edge })
    }
}
