//! Not quantities (designations, addresses, scores, day ranges, ages in
//! apposition), numbers that need context to read (fractions, scientific
//! notation, "8 B"), and counted nouns that stand behind a name or a
//! partitive. Sentences are our own.

use super::*;

#[test]
fn designations_are_names_and_the_count_before_keeps_its_noun() {
    check(
        "Poland sent 14 Leopard 2 tanks.",
        &["14 exact Leopard 2 tanks"],
    );
    check(
        "The army bought 31 M1 Abrams tanks.",
        &["31 exact M1 Abrams tanks"],
    );
    check(
        "The carmaker shipped about 63,000 Model 3 sedans.",
        &["63000 approximately Model 3 sedans"],
    );
    check(
        "The carrier parked two new 737 Max jets.",
        &["2 exact new 737 Max jets"],
    );
    check("The new iPhone 15 has a brighter screen.", &[]);
    check("Its Galaxy Note 20 Ultra sold well.", &[]);
    check("They flew the 787 Dreamliner home.", &[]);
    check("The FTSE 100 closed higher.", &[]);
    check("The striker Lang 20 was on loan.", &[]);
    check("Kyiv asked for more F-16 jets and PAC-3 interceptors.", &[]);
}

#[test]
fn a_weekday_before_a_count_is_not_a_name() {
    check("On Monday 300 soldiers crossed.", &["300 exact soldiers"]);
}

#[test]
fn a_range_of_counted_things_after_won_is_not_a_score() {
    check("The party won 10-15 seats.", &["12.5 range seats"]);
}

#[test]
fn title_case_headlines_keep_their_counts() {
    check("Army Sends 200 Tanks To The Border", &["200 exact Tanks"]);
}

#[test]
fn street_addresses_are_not_counts() {
    check("The house at 12 W 54th St was sold.", &[]);
    check("She lives at 41 Harbour Lane in town.", &[]);
    check("A unit at 16-18 Mill Road was leased.", &[]);
}

#[test]
fn scores_and_results_are_not_counts() {
    check("The hosts beat Rovers 3-1 on Saturday.", &[]);
    check("The game was tied at 77-77 late on.", &[]);
    check("It ended in a 2-0 win for the visitors.", &[]);
    check("The bill passed 61-39 in the Senate.", &[]);
}

#[test]
fn day_ranges_after_a_month_are_dates() {
    check("The summit runs Oct. 12-15 in Vienna.", &[]);
    check("The fair is held March 3-6 each year.", &[]);
}

#[test]
fn ages_in_apposition_are_not_counts() {
    check("Moreau, 58, said the plan would hold.", &[]);
    check("The coach (Ruiz, 44) resigned.", &[]);
}

#[test]
fn one_of_the_best_is_not_a_count() {
    // Decided: "one of the best …" picks one out of a group and counts
    // nothing; it is never a mention (NewsQuant annotates it as 1).
    check("It is one of the best phones this year.", &[]);
    check("She was one of the proudest parents there.", &[]);
}

#[test]
fn partitives_and_other_keep_the_counted_noun() {
    check("Two of Smith's aides quit on Monday.", &["2 exact aides"]);
    check(
        "It shipped 12m of its smart speakers.",
        &["12000000 exact smart speakers"],
    );
    check("Three of the soldiers were hurt.", &["3 exact soldiers"]);
    check(
        "Air defences downed 35 of 40 drones.",
        &["35 exact drones", "40 exact drones"],
    );
    check("Nine other workers were sent home.", &["9 exact workers"]);
    check(
        "They filled six million 330ml cans.",
        &["6000000 exact 330ml cans"],
    );
}

#[test]
fn capital_letter_scales_spaced() {
    check("The app reaches 3 B users.", &["3000000000 exact users"]);
    check("The site had 40 M visitors.", &["40000000 exact visitors"]);
}

#[test]
fn fractions_and_scientific_notation_are_one_quantity() {
    let m = mentions("A teaspoon is 1/6 of a fluid ounce.");
    assert_eq!(m.len(), 1, "{m:#?}");
    assert!((m[0].value - 1.0 / 6.0).abs() < 1e-12);
    let m = mentions("A proton weighs about 1.67×10−27 kilograms.");
    assert_eq!(m.len(), 1, "{m:#?}");
    assert_eq!(m[0].value, 1.67e-27);
    assert_eq!(m[0].unit.as_deref(), Some("kg"));
    let m = mentions("Light travels 3 x 10^8 metres a second.");
    assert_eq!(m.len(), 1, "{m:#?}");
    assert_eq!(m[0].value, 3e8);
    // "24/7" and dates are not fractions.
    check("The shop is open 24/7 now.", &["24 exact", "7 exact"]);
}

#[test]
fn neighbouring_numbers_joined_by_or_are_a_range() {
    check("We waited two or three days.", &["2.5 range days"]);
    check("Killed 5 or more people.", &["5 at_least people"]);
}

#[test]
fn a_hyphen_after_a_name_is_not_a_sign() {
    check("They bought thousands of COVID -19 tests.", &["5500 range"]);
}

#[test]
fn a_designation_opening_with_a_degree_letter_or_a_slash_is_still_a_name() {
    // "F", "C" and "K" alone after a number are degrees; glued to digits,
    // they open a designation.
    check("Norway sent 6 F-16 jets.", &["6 exact F-16 jets"]);
    check("Seoul sold 40 K9 howitzers.", &["40 exact K9 howitzers"]);
    check("They flew 4 C-130 aircraft.", &["4 exact C-130 aircraft"]);
    check(
        "Rome has delivered 2 SAMP/T batteries.",
        &["2 exact SAMP/T batteries"],
    );
    // Alone, a degree letter is a unit: a measure, not a name.
    check("It was 30 F outside.", &["30 exact F"]);
}

#[test]
fn a_headline_in_capitals_has_no_acronyms() {
    check(
        "FLOODS KILL 26, DISPLACE 3,000 IN THE SOUTH",
        &["26 exact", "3000 exact"],
    );
    // Acronyms in ordinary text stay names.
    check("The NATO 2030 agenda was agreed.", &[]);
}

#[test]
fn number_words_open_a_line() {
    check(
        "The camp was shelled.\nEleven guards were hurt.",
        &["11 exact guards"],
    );
}

#[test]
fn two_designations_share_their_noun() {
    check(
        "Pyongyang shipped 90 KN-23 and KN-24 missiles.",
        &["90 exact KN-23 and KN-24 missiles"],
    );
}

#[test]
fn a_year_before_a_sum_is_no_range_and_south_asian_scales_read() {
    check(
        "Aid since 2022 rose to $64.1 billion.",
        &["64100000000 exact"],
    );
    check("Floods hit 24.5 lakh people.", &["2450000 exact people"]);
    check("The state released ₹1,200 crore.", &["12000000000 exact"]);
    check(
        "More than 11.5 million Sudanese fled.",
        &["11500000 more_than Sudanese"],
    );
    check(
        "Some 2,736 Sudanese asylum seekers arrived.",
        &["2736 approximately Sudanese asylum seekers"],
    );
}
