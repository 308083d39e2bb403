//! The number scanner through `mentions`: digits, scale words, number
//! words and vague quantities.

use super::*;

#[test]
fn digits_separators_decimals_scales() {
    check("11,000 troops", &["11000 exact troops"]);
    check("11 000 troops", &["11000 exact troops"]);
    check("1,250,000 shells", &["1250000 exact shells"]);
    check("1.5 million people", &["1500000 exact people"]);
    check("10k drones", &["10000 exact drones"]);
    check("2bn dollars", &["2000000000 exact"]);
    check("3 million-strong army", &["3000000 exact army"]);
}

#[test]
fn number_words() {
    check("two hundred tanks", &["200 exact tanks"]);
    check(
        "eleven thousand five hundred troops",
        &["11500 exact troops"],
    );
    check("a dozen drones", &["12 exact drones"]);
    check("half a million refugees", &["500000 exact refugees"]);
    check("twenty-five soldiers", &["25 exact soldiers"]);
    check("seven hundred and fifty guards", &["750 exact guards"]);
    check("one of the soldiers", &[]);
    check("thirty three tanks", &["33 exact tanks"]);
    check("3 dozens eggs", &["36 exact eggs"]);
    check("half a dozen drones", &["6 exact drones"]);
    check("half million people", &["500000 exact people"]);
    check("three billions dollars", &["3000000000 exact"]);
}

#[test]
fn vague_quantities_are_ranges_from_the_base_to_ten_times_it() {
    check("dozens of drones", &["66 range drones"]);
    check("hundreds of soldiers", &["550 range soldiers"]);
    check("tens of thousands of people", &["55000 range people"]);
    let m = mentions("thousands of shells");
    assert_eq!((m[0].low, m[0].high), (Some(1000.0), Some(10000.0)));
    // A qualifier bounds the smallest amount the plural admits.
    check("more than hundreds of people", &["200 more_than people"]);
    check("in the hundreds", &[]);
}
