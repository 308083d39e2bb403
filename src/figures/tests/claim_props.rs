//! Properties of claims (issue 13): what happened to the counted things and
//! who says so are read around a number, never into it. For generated
//! sentences built from a number, a counted noun and templates, adding an
//! event word ("were killed", "have been deployed") or a claimant
//! ("according to the ministry", ", officials said") never changes the value
//! read: value, low, high and qualifier of the mention stay as they were.

use super::*;
use proptest::prelude::*;

/// Counted nouns of the kind the corpus follows.
const NOUNS: &[&str] = &[
    "troops",
    "soldiers",
    "civilians",
    "people",
    "North Korean soldiers",
    "artillery pieces",
    "tanks",
    "refugees",
    "residents",
    "howitzers",
];

/// Qualifiers as DESIGN.md lists them (the empty one is exact).
const QUALIFIERS: &[&str] = &[
    "",
    "more than ",
    "over ",
    "at least ",
    "fewer than ",
    "up to ",
    "about ",
    "some ",
    "nearly ",
    "an estimated ",
];

/// Event words that follow the noun phrase ("N soldiers were killed").
const EVENTS_AFTER: &[&str] = &[
    " were killed",
    " were wounded",
    " have been deployed",
    " were sent",
    " were captured",
    " died",
    " are missing",
    " were displaced",
    " were evacuated",
    " have been withdrawn",
];

/// Claimants before the number ("According to the ministry, N …").
const CLAIMANTS_BEFORE: &[&str] = &[
    "According to the ministry, ",
    "Officials said ",
    "South Korea's Ministry of National Defense said ",
    "The NIS estimated that ",
    "Ukraine's intelligence service told reporters that ",
];

/// Claimants after the clause ("N …, officials said.").
const CLAIMANTS_AFTER: &[&str] = &[
    ", officials said",
    ", according to the ministry",
    ", the health ministry said on Tuesday",
    ", Seoul said",
    ", U.S. officials told reporters",
];

/// The number as written: plain digits, digits with separators, or a
/// two-number range "A to B".
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        (2u64..1000).prop_map(|n| n.to_string()),
        (1_000u64..10_000_000).prop_map(with_separators),
        (1u64..500, 1u64..500).prop_map(|(a, d)| {
            let (a, b) = (a * 100, (a + d) * 100);
            format!("{} to {}", with_separators(a), with_separators(b))
        }),
    ]
}

fn with_separators(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// (value, low, high, qualifier) of the first mention, if any.
fn read_value(text: &str) -> Option<(f64, Option<f64>, Option<f64>, Qualifier)> {
    mentions(text)
        .first()
        .map(|m| (m.value, m.low, m.high, m.qualifier))
}

#[test]
fn the_generated_base_sentences_are_read() {
    // The property below compares readings; it would be empty if the base
    // sentences were not read at all.
    assert_eq!(
        read_value("More than 1,500 soldiers in the region."),
        Some((1500.0, Some(1500.0), None, Qualifier::MoreThan))
    );
    assert_eq!(
        read_value("About 300 to 400 troops in the region.").map(|v| v.0),
        Some(350.0)
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn event_words_and_claimants_never_change_the_value_read(
        number in number(),
        qualifier in prop::sample::select(QUALIFIERS),
        noun in prop::sample::select(NOUNS),
        event in prop::sample::select(EVENTS_AFTER),
        before in prop::sample::select(CLAIMANTS_BEFORE),
        after in prop::sample::select(CLAIMANTS_AFTER),
    ) {
        let core = format!("{qualifier}{number} {noun}");
        let start = capitalised(&core);
        let base = format!("{start} in the region.");
        let want = read_value(&base);
        prop_assert!(want.is_some(), "base not read: {}", base);
        let variants = [
            format!("{start}{event} in the region."),
            format!("{before}{core} in the region."),
            format!("{start} in the region{after}."),
            format!("{start}{event} in the region{after}."),
            format!("{before}{core}{event} in the region."),
            format!("{start}{event}{after}."),
            // Event verbs before the number, in the active voice.
            format!("The strike killed {core} in the region."),
            format!("North Korea has sent {core} to the region{after}."),
            format!("{before}the offensive has displaced {core}."),
        ];
        for variant in &variants {
            prop_assert_eq!(read_value(variant), want, "base {:?}, variant {:?}", base, variant);
        }
    }
}

/// `core` with its first letter in capitals, for a sentence start.
fn capitalised(core: &str) -> String {
    let mut chars = core.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
