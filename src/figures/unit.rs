//! Units around a number: currencies before ("$", "US$", "$A", "HK $",
//! "RM", "Y=", "USD") and after ("1,200€", "40 million euros", "Danish
//! crowns", "50 cents") as ISO 4217 codes, and measurement units after
//! ("37 km", "6kW", "32m2", "296 hp", "-5 yards", "21 °C") normalised. It
//! reads tokens only; `mention` decides what a unit does to the mention
//! (its kind, its value for minor currency units, its noun).

use super::mention::{Tokens, in_list};
use super::number::{Num, TokenKind};

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

/// A measurement unit read after a number.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Measure {
    /// The normalised unit: "km", "m²", "°C", "km/h", "years".
    pub(super) unit: String,
    /// The unit as written: tokens (first, one past last).
    pub(super) span: (usize, usize),
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

/// A unit of measure as a user or a sentence spells it ("tonnes", "km"),
/// normalised ("t", "km"); `None` for a word that is no unit.
pub(crate) fn measure_unit(word: &str) -> Option<&'static str> {
    measure_word(word, &word.to_lowercase())
}

/// The unit a count of stuff is weighed or measured in: "4.1 million
/// tonnes of grain" is read as a count whose noun is "tonnes of grain",
/// and weighs the grain in tonnes ("t").
pub(crate) fn weighed_unit(noun: &str) -> Option<&'static str> {
    let mut words = noun.split(' ');
    let unit = measure_unit(words.next()?)?;
    let weighs = matches!(unit, "t" | "kg" | "lb" | "L" | "gal" | "bbl");
    (weighs && matches!(words.next(), Some("of") | None)).then_some(unit)
}

/// A measurement unit as written (`raw` keeps case: "MW" is not "mW") and
/// its normalised form.
fn measure_word(raw: &str, w: &str) -> Option<&'static str> {
    // Case matters for short symbols: "5G" is a network, "3M" a company.
    if matches!(raw, "G" | "T" | "M") {
        return None;
    }
    match raw {
        "C" => return Some("°C"),
        "F" => return Some("°F"),
        "W" => return Some("W"),
        "MW" => return Some("MW"),
        "GW" => return Some("GW"),
        "kW" | "KW" => return Some("kW"),
        "V" => return Some("V"),
        "MB" => return Some("MB"),
        "GB" => return Some("GB"),
        "TB" => return Some("TB"),
        "L" => return Some("L"),
        "mL" => return Some("mL"),
        "Nm" => return Some("N·m"),
        _ => {}
    }
    Some(match w {
        "km" | "kms" | "kilometre" | "kilometres" | "kilometer" | "kilometers" => "km",
        "m" | "metre" | "metres" | "meter" | "meters" => "m",
        "cm" | "centimetre" | "centimetres" | "centimeter" | "centimeters" => "cm",
        "mm" | "millimetre" | "millimetres" | "millimeter" | "millimeters" => "mm",
        "nm" | "nanometre" | "nanometres" | "nanometer" | "nanometers" => "nm",
        "μm" | "micrometre" | "micrometres" | "micrometer" | "micrometers" | "microns" => "μm",
        "mi" | "mile" | "miles" => "mi",
        "ft" | "foot" | "feet" => "ft",
        "inch" | "inches" => "in",
        "yd" | "yds" | "yard" | "yards" => "yd",
        "kg" | "kgs" | "kilogram" | "kilograms" | "kilogramme" | "kilogrammes" | "kilos" => "kg",
        "g" | "gram" | "grams" | "gramme" | "grammes" => "g",
        "mg" | "milligram" | "milligrams" => "mg",
        "t" | "tonne" | "tonnes" | "ton" | "tons" => "t",
        "lb" | "lbs" | "pound" | "pounds" => "lb",
        "oz" | "ounce" | "ounces" => "oz",
        "l" | "litre" | "litres" | "liter" | "liters" => "L",
        "ml" | "millilitre" | "millilitres" | "milliliter" | "milliliters" => "mL",
        "gallon" | "gallons" | "gal" => "gal",
        "pint" | "pints" => "pt",
        "quart" | "quarts" => "qt",
        "hp" | "bhp" | "horsepower" | "ps" => "hp",
        "kw" | "kilowatt" | "kilowatts" => "kW",
        "megawatt" | "megawatts" => "MW",
        "gigawatt" | "gigawatts" => "GW",
        "watt" | "watts" => "W",
        "kwh" => "kWh",
        "mwh" => "MWh",
        "gwh" => "GWh",
        "twh" => "TWh",
        "volt" | "volts" => "V",
        "mah" => "mAh",
        "hz" | "hertz" => "Hz",
        "khz" => "kHz",
        "mhz" => "MHz",
        "ghz" => "GHz",
        "gigabyte" | "gigabytes" => "GB",
        "terabyte" | "terabytes" => "TB",
        "megabyte" | "megabytes" => "MB",
        "mph" => "mph",
        "kph" | "kmh" => "km/h",
        "mpg" => "mpg",
        "rpm" => "rpm",
        "celsius" | "centigrade" => "°C",
        "fahrenheit" => "°F",
        "degree" | "degrees" => "°",
        "decibels" | "decibel" | "db" => "dB",
        "ppm" => "ppm",
        "bp" | "bps" => "bp",
        "knots" | "knot" => "kn",
        "kcal" | "calories" => "kcal",
        "cc" => "cc",
        "ppb" => "ppb",
        "gpa" | "gigapascals" | "gigapascal" => "GPa",
        "acre" | "acres" => "acre",
        "hectare" | "hectares" | "ha" => "ha",
        "years" | "year" | "yrs" => "years",
        "months" | "month" => "months",
        "weeks" | "week" => "weeks",
        "days" | "day" => "days",
        "hours" | "hour" | "hrs" => "hours",
        "minutes" | "minute" | "min" | "mins" => "minutes",
        "seconds" | "second" | "secs" | "sec" => "seconds",
        "decades" | "decade" => "decades",
        "centuries" | "century" => "centuries",
        _ => return None,
    })
}

/// Units that may only be glued to the number ("45g", "5t", "300PS"):
/// spaced, they are words or letters of their own ("7 W 42nd St").
fn glued_only(raw: &str) -> bool {
    matches!(
        raw,
        "g" | "t" | "l" | "m" | "M" | "L" | "V" | "W" | "ps" | "PS" | "mi" | "h" | "min" | "ha"
    )
}

/// Durations: as a hyphenated adjective ("five-year plan") they are left
/// to `mention`'s compound rule.
fn is_duration(unit: &str) -> bool {
    matches!(
        unit,
        "years"
            | "months"
            | "weeks"
            | "days"
            | "hours"
            | "minutes"
            | "seconds"
            | "decades"
            | "centuries"
    )
}

/// Square and cubic forms: "square metres", "sq m", "m2", "m²", "cubic feet".
fn power_unit(unit: &str, power: u8) -> String {
    let sup = if power == 2 { "²" } else { "³" };
    format!("{unit}{sup}")
}

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

    /// A measurement unit after a number ending at token `end`: "37 km",
    /// "6kW", "32m2", "100km/hr", "21 °C", "1 to 1.5 degrees Celsius".
    pub(super) fn measure_after(&self, end: usize) -> Option<Measure> {
        if self.newline(end) {
            return None;
        }
        // "25.5″", "6′": inches and feet by their primes.
        if self.glued(end) && matches!(self.raw(end), "″" | "′") {
            let unit = if self.raw(end) == "″" { "in" } else { "ft" };
            return Some(Measure {
                unit: unit.to_string(),
                span: (end, end + 1),
            });
        }
        // "60 basis points", "2 percentage points", "5 metric tons",
        // "40 nautical miles": two-word units.
        let two_word = match (self.low(end), self.low(end + 1)) {
            ("basis", "point" | "points") => Some("bp"),
            ("percentage", "point" | "points") => Some("pp"),
            ("metric", "ton" | "tons" | "tonne" | "tonnes") => Some("t"),
            ("nautical", "mile" | "miles") => Some("nmi"),
            _ => None,
        };
        if let Some(unit) = two_word
            && !self.newline(end + 1)
        {
            return Some(Measure {
                unit: unit.to_string(),
                span: (end, end + 2),
            });
        }
        // "21 °C", "21°", "-3 ºF".
        if matches!(self.raw(end), "°" | "º") {
            let unit = match self.raw(end + 1) {
                "C" if self.glued(end + 1) || self.glued(end) => "°C",
                "F" if self.glued(end + 1) || self.glued(end) => "°F",
                _ => {
                    return Some(Measure {
                        unit: "°".to_string(),
                        span: (end, end + 1),
                    });
                }
            };
            return Some(Measure {
                unit: unit.to_string(),
                span: (end, end + 2),
            });
        }
        let glued = self.glued(end);
        // "6.1-inch", "155-mm", "a 10-km walk": a hyphenated unit adjective.
        let (k, hyphen) = if self.raw(end) == "-" && glued && self.glued(end + 1) {
            (end + 1, true)
        } else {
            (end, false)
        };
        // "square metres", "sq m", "cubic feet".
        let (k, power) = match self.low(k) {
            "square" | "sq" if self.is_word(k + 1) || self.low(k + 1) == "." => {
                let k2 = if self.low(k + 1) == "." { k + 2 } else { k + 1 };
                (k2, 2)
            }
            "cubic" if self.is_word(k + 1) => (k + 1, 3),
            _ => (k, 1),
        };
        if !self.is_word(k) {
            return None;
        }
        let raw = self.raw(k);
        let w = self.low(k);
        let unit = measure_word(raw, w)?;
        // "M1", "F16": a letter glued to digits is a name, not a unit; but
        // "m2" and "km3" are powers, read below.
        if self.glued(k + 1) && self.kind(k + 1) == Some(TokenKind::Digits) {
            let power = matches!(self.raw(k + 1), "2" | "3")
                && matches!(unit, "m" | "km" | "cm" | "mi" | "ft");
            if !power {
                return None;
            }
        }
        // "F-16", "C-130": a capital letter hyphened to digits is a name.
        if raw.len() == 1
            && self.raw(k + 1) == "-"
            && self.glued(k + 1)
            && self.kind(k + 2) == Some(TokenKind::Digits)
            && self.glued(k + 2)
        {
            return None;
        }
        let spaced = !self.glued(k) && k == end;
        if spaced && glued_only(raw) {
            return None;
        }
        // A duration as a hyphenated adjective is a compound ("five-year
        // plan"); `mention` decides those.
        if hyphen && is_duration(unit) {
            return None;
        }
        let mut last = k + 1;
        let mut unit = if power > 1 {
            power_unit(unit, power)
        } else {
            unit.to_string()
        };
        // "m2", "km²", "cm3".
        if power == 1 && matches!(unit.as_str(), "m" | "km" | "cm" | "mi" | "ft") {
            if self.glued(last) && matches!(self.raw(last), "2" | "²") {
                unit = power_unit(&unit, 2);
                last += 1;
            } else if self.glued(last) && matches!(self.raw(last), "3" | "³") {
                unit = power_unit(&unit, 3);
                last += 1;
            }
        }
        // "degrees Celsius".
        if unit == "°" {
            match self.low(last) {
                "celsius" | "c" | "centigrade" if self.is_word(last) => {
                    unit = "°C".to_string();
                    last += 1;
                }
                "fahrenheit" | "f" if self.is_word(last) => {
                    unit = "°F".to_string();
                    last += 1;
                }
                _ => {}
            }
        }
        // Rates: "km/h", "km/hr", "miles per hour", "$/gallon" is money's.
        if self.raw(last) == "/" && self.glued(last) && self.is_word(last + 1) {
            let per = self.low(last + 1);
            let per_unit = match per {
                "h" | "hr" | "hour" => Some("h"),
                "s" | "sec" => Some("s"),
                _ => measure_word(self.raw(last + 1), per),
            };
            if let Some(per_unit) = per_unit {
                unit = match (unit.as_str(), per_unit) {
                    ("km", "h") => "km/h".to_string(),
                    (u, p) => format!("{u}/{p}"),
                };
                last += 2;
            }
        } else if self.low(last) == "per" && self.is_word(last + 1) {
            let per = self.low(last + 1);
            let rate = match (unit.as_str(), per) {
                ("mi", "hour") => Some("mph"),
                ("km", "hour") => Some("km/h"),
                ("mi", "gallon") => Some("mpg"),
                _ => None,
            };
            if let Some(rate) = rate {
                unit = rate.to_string();
                last += 2;
            }
        }
        Some(Measure {
            unit,
            span: (if hyphen { end + 1 } else { end }, last),
        })
    }
}
