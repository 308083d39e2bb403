//! Qualifiers, their bounds, ranges and two-sided bounds.

use super::*;

#[test]
fn qualifiers() {
    check("more than 200 pieces", &["200 more_than pieces"]);
    check("over 200 pieces", &["200 more_than pieces"]);
    check("in excess of 200 pieces", &["200 more_than pieces"]);
    check("upwards of 200 pieces", &["200 more_than pieces"]);
    check("at least 200 pieces", &["200 at_least pieces"]);
    check("no fewer than 200 pieces", &["200 at_least pieces"]);
    check("fewer than 200 pieces", &["200 less_than pieces"]);
    check("less than 200 pieces", &["200 less_than pieces"]);
    check("under 200 pieces", &["200 less_than pieces"]);
    check("below 200 pieces", &["200 less_than pieces"]);
    check("up to 200 pieces", &["200 at_most pieces"]);
    check("at most 200 pieces", &["200 at_most pieces"]);
    check("as many as 200 pieces", &["200 at_most pieces"]);
    check("no more than 200 pieces", &["200 at_most pieces"]);
    for q in [
        "about",
        "around",
        "approximately",
        "roughly",
        "nearly",
        "almost",
        "some",
        "an estimated",
        "close to",
    ] {
        check(&format!("{q} 200 pieces"), &["200 approximately pieces"]);
    }
    check("200 or more pieces", &["200 at_least pieces"]);
    check("200-plus pieces", &["200 more_than pieces"]);
    check("about 500 or more tanks", &["500 at_least tanks"]);
    check("200 or fewer tanks", &["200 at_most tanks"]);
    check("less than or equal to 30 tanks", &["30 at_most tanks"]);
    check(">= 30 tanks", &["30 at_least tanks"]);
    check("<30 tanks", &["30 less_than tanks"]);
}

#[test]
fn bounds_follow_the_qualifier() {
    let m = &mentions("more than 200 tanks")[0];
    assert_eq!((m.low, m.high), (Some(200.0), None));
    let m = &mentions("up to 200 tanks")[0];
    assert_eq!((m.low, m.high), (None, Some(200.0)));
    let m = &mentions("about 200 tanks")[0];
    assert_eq!((m.low, m.high), (Some(200.0), Some(200.0)));
    let m = &mentions("between 10,000 and 12,000 troops")[0];
    assert_eq!(
        (m.value, m.low, m.high),
        (11000.0, Some(10000.0), Some(12000.0))
    );
    assert_eq!(m.qualifier, Qualifier::Range);
}

#[test]
fn ranges() {
    check("10,000 to 12,000 troops", &["11000 range troops"]);
    check("between 10,000 and 12,000 troops", &["11000 range troops"]);
    check("10,000-12,000 troops", &["11000 range troops"]);
    check("10,000–12,000 troops", &["11000 range troops"]);
    check("1,000 - 5,000 troops", &["3000 range troops"]);
    check("5k-20k troops", &["12500 range troops"]);
    check("1.5 to 2 million people", &["1750000 range people"]);
    check("ranging from 10 to 20 tanks", &["15 range tanks"]);
    // A verb of change makes "from X to Y" a transition: one mention of the
    // new value, with the old one as `previous`.
    check("rose from 10 to 20 tanks", &["20 exact tanks"]);
    let m = mentions("rose from 10 to 20 tanks");
    assert_eq!(m[0].previous, Some(10.0));
}

#[test]
fn comparatives_and_verbs_of_exceeding() {
    check("larger than 200 pieces", &["200 more_than pieces"]);
    check("bigger than 200 pieces", &["200 more_than pieces"]);
    check("higher than 200 pieces", &["200 more_than pieces"]);
    check("smaller than 200 pieces", &["200 less_than pieces"]);
    check("lower than 200 pieces", &["200 less_than pieces"]);
    // The verb is read as the bound, and its subject as what is counted.
    check("losses exceeded 3,000", &["3000 more_than losses"]);
    check("deliveries surpass 400 drones", &["400 more_than drones"]);
    // "top" is an adjective far more often than a verb.
    check("the top 10 commanders", &["10 exact commanders"]);
}

#[test]
fn or_equal_forms_include_the_number() {
    check("bigger or equal than 30 tanks", &["30 at_least tanks"]);
    check("higher or equal to 30 tanks", &["30 at_least tanks"]);
    check("smaller or equal than 30 tanks", &["30 at_most tanks"]);
    check("at least or equal to 30 tanks", &["30 at_least tanks"]);
    check("greater than or equal to 30 tanks", &["30 at_least tanks"]);
}

#[test]
fn bounds_after_the_number() {
    check("500 and more in stock", &["500 at_least"]);
    check("200 tanks or more", &["200 at_least tanks"]);
    check("200 tanks or fewer", &["200 at_most tanks"]);
    check("200 tanks or so", &["200 approximately tanks"]);
    // "and more" opening a clause of its own is not a bound.
    check("the blast killed 12 and more were hurt", &["12 exact"]);
    // "plus" after the noun joins two things.
    check("200 tanks plus artillery", &["200 exact tanks"]);
}

#[test]
fn two_sided_bounds_are_ranges() {
    check("above 1,000 and below 1,500 troops", &["1250 range troops"]);
    check(
        "more than 100 but fewer than 300 tanks",
        &["200 range tanks"],
    );
    check("at most 100 and at least 20 tanks", &["60 range tanks"]);
    check(
        "greater than 30 and less than or equal to 40 drones",
        &["35 range drones"],
    );
    check(
        "higher or equal than one hundred, lower or equal than three hundred",
        &["200 range"],
    );
    let m = &mentions("at most 100 and at least 20 tanks")[0];
    assert_eq!((m.low, m.high), (Some(20.0), Some(100.0)));
    assert_eq!(m.text, "at most 100 and at least 20 tanks");
}

#[test]
fn bounds_that_do_not_face_each_other_stay_apart() {
    // A noun after the first bound: two mentions.
    check(
        "at least 40 tanks and at most 12 howitzers",
        &["40 at_least tanks", "12 at_most howitzers"],
    );
    // Same direction twice: not an interval.
    check(
        "more than 10 and more than 20 drones",
        &["10 more_than", "20 more_than drones"],
    );
    // Facing bounds that enclose nothing report two numbers.
    check(
        "more than 30, fewer than 10 tanks",
        &["30 more_than", "10 less_than tanks"],
    );
    // ", and" starts a new clause.
    check(
        "more than 10, and fewer than 30 tanks",
        &["10 more_than", "30 less_than tanks"],
    );
}

#[test]
fn ages_in_words_are_not_counts() {
    check("he is thirty years old", &[]);
    check("over thirty years of age", &[]);
}

#[test]
fn a_compared_year_stays_a_year() {
    check("output remains below 2021 levels", &[]);
    check("higher than 2022 figures", &[]);
    check("more than 2000 troops", &["2000 more_than troops"]);
}

#[test]
fn a_tilde_is_approximately() {
    check("~45 soldiers", &["45 approximately soldiers"]);
    check("floor area ≈ 40 sq m", &["40 approximately sq m"]);
}
