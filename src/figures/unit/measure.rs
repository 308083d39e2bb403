//! Measurement units after a number ("37 km", "6kW", "32m2", "296 hp",
//! "-5 yards", "21 °C", "100km/hr", "miles per hour"), normalised; and the
//! unit a user or a counted noun names ("tonnes", "4.1 million tonnes of
//! grain"). Currencies are `unit`'s.

use super::super::mention::Tokens;
use super::super::number::TokenKind;

/// A measurement unit read after a number.
#[derive(Debug, Clone, PartialEq)]
pub(in crate::figures) struct Measure {
    /// The normalised unit: "km", "m²", "°C", "km/h", "years".
    pub(in crate::figures) unit: String,
    /// The unit as written: tokens (first, one past last).
    pub(in crate::figures) span: (usize, usize),
}

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
    /// A measurement unit after a number ending at token `end`: "37 km",
    /// "6kW", "32m2", "100km/hr", "21 °C", "1 to 1.5 degrees Celsius".
    pub(in crate::figures) fn measure_after(&self, end: usize) -> Option<Measure> {
        if self.newline(end) {
            return None;
        }
        self.primes_after(end)
            .or_else(|| self.two_word_unit(end))
            .or_else(|| self.degree_sign(end))
            .or_else(|| self.word_unit(end))
    }

    /// "25.5″", "6′": inches and feet by their primes.
    fn primes_after(&self, end: usize) -> Option<Measure> {
        if !(self.glued(end) && matches!(self.raw(end), "″" | "′")) {
            return None;
        }
        let unit = if self.raw(end) == "″" { "in" } else { "ft" };
        Some(Measure {
            unit: unit.to_string(),
            span: (end, end + 1),
        })
    }

    /// "60 basis points", "2 percentage points", "5 metric tons",
    /// "40 nautical miles": two-word units.
    fn two_word_unit(&self, end: usize) -> Option<Measure> {
        let unit = match (self.low(end), self.low(end + 1)) {
            ("basis", "point" | "points") => "bp",
            ("percentage", "point" | "points") => "pp",
            ("metric", "ton" | "tons" | "tonne" | "tonnes") => "t",
            ("nautical", "mile" | "miles") => "nmi",
            _ => return None,
        };
        (!self.newline(end + 1)).then(|| Measure {
            unit: unit.to_string(),
            span: (end, end + 2),
        })
    }

    /// "21 °C", "21°", "-3 ºF".
    fn degree_sign(&self, end: usize) -> Option<Measure> {
        if !matches!(self.raw(end), "°" | "º") {
            return None;
        }
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
        Some(Measure {
            unit: unit.to_string(),
            span: (end, end + 2),
        })
    }

    /// A unit word, glued, spaced or hyphened ("37 km", "6kW", "6.1-inch",
    /// "square metres"), with what may follow it: a power ("m2"), a scale
    /// ("degrees Celsius") or a rate ("km/h", "miles per hour").
    fn word_unit(&self, end: usize) -> Option<Measure> {
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
        let unit = measure_word(raw, self.low(k))?;
        if self.names_a_model(k, unit) {
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
        let unit = if power > 1 {
            power_unit(unit, power)
        } else {
            unit.to_string()
        };
        let (unit, last) = self.glued_power(unit, power, k + 1);
        let (unit, last) = self.degree_scale(unit, last);
        let (unit, last) = self.rate(unit, last);
        Some(Measure {
            unit,
            span: (if hyphen { end + 1 } else { end }, last),
        })
    }

    /// Whether the unit letter at `k` begins a name: "M1", "F16" (a letter
    /// glued to digits, but "m2" and "km3" are powers), "F-16", "C-130".
    fn names_a_model(&self, k: usize, unit: &str) -> bool {
        if self.glued(k + 1) && self.kind(k + 1) == Some(TokenKind::Digits) {
            let power = matches!(self.raw(k + 1), "2" | "3")
                && matches!(unit, "m" | "km" | "cm" | "mi" | "ft");
            if !power {
                return true;
            }
        }
        // A capital letter hyphened to digits is a name.
        self.raw(k).len() == 1
            && self.raw(k + 1) == "-"
            && self.glued(k + 1)
            && self.kind(k + 2) == Some(TokenKind::Digits)
            && self.glued(k + 2)
    }

    /// "m2", "km²", "cm3": a power glued to a unit of length at `last`.
    fn glued_power(&self, unit: String, power: u8, last: usize) -> (String, usize) {
        if power == 1 && matches!(unit.as_str(), "m" | "km" | "cm" | "mi" | "ft") {
            if self.glued(last) && matches!(self.raw(last), "2" | "²") {
                return (power_unit(&unit, 2), last + 1);
            }
            if self.glued(last) && matches!(self.raw(last), "3" | "³") {
                return (power_unit(&unit, 3), last + 1);
            }
        }
        (unit, last)
    }

    /// "degrees Celsius", "degrees F": the scale after "degrees" at `last`.
    fn degree_scale(&self, unit: String, last: usize) -> (String, usize) {
        if unit != "°" {
            return (unit, last);
        }
        match self.low(last) {
            "celsius" | "c" | "centigrade" if self.is_word(last) => ("°C".to_string(), last + 1),
            "fahrenheit" | "f" if self.is_word(last) => ("°F".to_string(), last + 1),
            _ => (unit, last),
        }
    }

    /// Rates at `last`: "km/h", "km/hr", "miles per hour" ("$/gallon" is
    /// money's).
    fn rate(&self, unit: String, last: usize) -> (String, usize) {
        if self.raw(last) == "/" && self.glued(last) && self.is_word(last + 1) {
            let per = self.low(last + 1);
            let per_unit = match per {
                "h" | "hr" | "hour" => Some("h"),
                "s" | "sec" => Some("s"),
                _ => measure_word(self.raw(last + 1), per),
            };
            if let Some(per_unit) = per_unit {
                let rate = match (unit.as_str(), per_unit) {
                    ("km", "h") => "km/h".to_string(),
                    (u, p) => format!("{u}/{p}"),
                };
                return (rate, last + 2);
            }
        } else if self.low(last) == "per" && self.is_word(last + 1) {
            let rate = match (unit.as_str(), self.low(last + 1)) {
                ("mi", "hour") => Some("mph"),
                ("km", "hour") => Some("km/h"),
                ("mi", "gallon") => Some("mpg"),
                _ => None,
            };
            if let Some(rate) = rate {
                return (rate.to_string(), last + 2);
            }
        }
        (unit, last)
    }
}
