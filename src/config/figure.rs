//! What a figure's keys mean beyond their syntax: the old kind markers
//! among the terms ("$", "percent": before `kind` existed they made a figure
//! a money or percent figure, and still do when `kind` is not set) and the
//! currency codes a money figure's `unit` may name.

use super::{Figure, FigureKind};

/// Terms that marked a percent figure before `kind` existed.
const PERCENT_MARKERS: &[&str] = &["percent", "per cent", "percentage", "percentages"];

/// Terms that marked a money figure before `kind` existed (whole words,
/// a plural "s" allowed).
const MONEY_MARKERS: &[&str] = &[
    "dollar",
    "euro",
    "pound",
    "sterling",
    "usd",
    "eur",
    "gbp",
    "money",
    "yen",
    "yuan",
    "ruble",
    "rouble",
    "rupee",
    "hryvnia",
    "hryvnias",
    "franc",
    "peso",
    "pesos",
    "currency",
    "currencies",
];

/// Symbols that mark money or percent wherever they stand in a term.
const SYMBOL_MARKERS: &[(char, FigureKind)] = &[
    ('%', FigureKind::Percent),
    ('$', FigureKind::Money),
    ('€', FigureKind::Money),
    ('£', FigureKind::Money),
    ('¥', FigureKind::Money),
];

/// Active ISO 4217 currency codes (and a few recently withdrawn ones that
/// old articles still give), for `unit` of a money figure.
const ISO_4217: &str = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND \
BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF \
DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS \
INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL \
MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP \
PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL \
THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG \
XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XUA YER ZAR ZMW ZWG ZWL";

/// Whether `code` (upper case) is an ISO 4217 currency code.
pub fn is_currency_code(code: &str) -> bool {
    code.len() == 3 && ISO_4217.split(' ').any(|known| known == code)
}

/// The kind an old-style marker term asks for: "$", "dollars", "€" → money;
/// "%", "percent", "per cent" → percent; any other term → `None`. Words
/// match whole and case-insensitively ("European troops" is no marker).
pub fn kind_marker(term: &str) -> Option<FigureKind> {
    if let Some((_, kind)) = SYMBOL_MARKERS.iter().find(|(c, _)| term.contains(*c)) {
        return Some(*kind);
    }
    let lower = term.to_lowercase();
    let holds = |markers: &[&str]| {
        markers.iter().any(|marker| {
            lower.match_indices(marker).any(|(start, _)| {
                let end = start + marker.len();
                let before = lower[..start].chars().next_back();
                let rest = &lower[end..];
                let rest = rest.strip_prefix('s').unwrap_or(rest);
                let after = rest.chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            })
        })
    };
    if holds(PERCENT_MARKERS) {
        Some(FigureKind::Percent)
    } else if holds(MONEY_MARKERS) {
        Some(FigureKind::Money)
    } else {
        None
    }
}

impl FigureKind {
    /// The kind a figure without `kind` gets from its terms: money or
    /// percent when a term is an old-style marker ("$", "percent"; the
    /// first marker decides), else count.
    pub fn inferred_from<S: AsRef<str>>(terms: &[S]) -> FigureKind {
        terms
            .iter()
            .find_map(|term| kind_marker(term.as_ref()))
            .unwrap_or(FigureKind::Count)
    }
}

impl Figure {
    /// The first term that is an old-style marker of this figure's own
    /// kind ("$" in a money figure): a term that only says the kind, kept
    /// working but deprecated in favour of `kind`.
    pub fn kind_marker_term(&self) -> Option<&str> {
        self.terms
            .iter()
            .map(String::as_str)
            .find(|term| self.kind != FigureKind::Count && kind_marker(term) == Some(self.kind))
    }
}
