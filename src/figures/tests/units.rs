//! Units: currencies as ISO codes, percent, measurement units, and the
//! ranges and transitions whose ends carry them. Sentences are our own.

use super::*;

/// Mentions of `text` as "value kind unit" strings (unit "-" if none).
#[track_caller]
fn check_units(text: &str, expected: &[&str]) {
    let got: Vec<String> = mentions(text)
        .iter()
        .map(|m| {
            format!(
                "{} {} {}",
                m.value,
                m.kind.as_str(),
                m.unit.as_deref().unwrap_or("-")
            )
        })
        .collect();
    assert_eq!(got, expected, "text: {text}");
}

#[test]
fn currency_symbols_and_prefixes_give_iso_codes() {
    check_units("The museum paid $4.5 million.", &["4500000 money USD"]);
    check_units("It sold for US$ 12 million.", &["12000000 money USD"]);
    check_units(
        "The farm is worth $A3,250,000 today.",
        &["3250000 money AUD"],
    );
    check_units("The flat went for $US980,000.", &["980000 money USD"]);
    check_units("Tickets cost HK $480 each.", &["480 money HKD"]);
    check_units("A fine of €40m was set.", &["40000000 money EUR"]);
    check_units("The bill came to £1,250.", &["1250 money GBP"]);
    check_units("The stock closed at RM4.15 on Friday.", &["4.15 money MYR"]);
    check_units("Profit reached Y=320 billion.", &["320000000000 money JPY"]);
    check_units("The yacht was priced at USD25m.", &["25000000 money USD"]);
    check_units("The deal was worth PS3.4bn.", &["3400000000 money GBP"]);
    check_units("The jacket costs 1,200€ in Milan.", &["1200 money EUR"]);
}

#[test]
fn currency_words_after_the_number_give_iso_codes() {
    check_units("They raised 40 million euros.", &["40000000 money EUR"]);
    check_units(
        "a grant of 3 million Australian dollars",
        &["3000000 money AUD"],
    );
    check_units("a fine of 900,000 Danish crowns", &["900000 money DKK"]);
    check_units("rent of 4,000 shekels a month", &["4000 money ILS"]);
    check_units("fees of 2 billion rupees", &["2000000000 money INR"]);
    check_units("a loss of 7 billion yen", &["7000000000 money JPY"]);
    check_units("budget of 12 billion hryvnias", &["12000000000 money UAH"]);
    check_units("paid 5 million Swiss francs", &["5000000 money CHF"]);
    check_units("sales of 3 billion yuan", &["3000000000 money CNY"]);
    check_units("cost 20 million pounds sterling", &["20000000 money GBP"]);
}

#[test]
fn minor_currency_units_are_fractions_of_their_currency() {
    check_units("Shares rose 50 cents.", &["0.5 money USD"]);
    check_units("Stamps cost 85 pence.", &["0.85 money GBP"]);
    check_units("The stock lost 12 sen.", &["0.12 money MYR"]);
    check_units("Shares closed at 250p.", &["2.5 money GBP"]);
    // A video resolution is not money.
    check_units("It streams in 1080p.", &[]);
}

#[test]
fn percent_has_its_unit() {
    check_units("Turnout was 61.5pc this year.", &["61.5 percent %"]);
    check_units("Prices rose 4 per cent.", &["4 percent %"]);
    check_units("Support stood at 48%.", &["48 percent %"]);
}

#[test]
fn measurement_units_are_measures_not_counts() {
    check_units("The road is 37 km long.", &["37 measure km"]);
    check_units("The engine makes 296 hp.", &["296 measure hp"]);
    check_units("a 6kW motor", &["6 measure kW"]);
    check_units("a 5.5kWh battery", &["5.5 measure kWh"]);
    check_units("The tuna weighed 210kg.", &["210 measure kg"]);
    check_units("a load of 12 tonnes", &["12 measure t"]);
    check_units("It reached 41 °C on Monday.", &["41 measure °C"]);
    check_units("heated to 350 degrees Fahrenheit", &["350 measure °F"]);
    check_units("gusts of 90mph", &["90 measure mph"]);
    check_units("a top speed of 100km/h", &["100 measure km/h"]);
    check_units("a 6.5-inch screen", &["6.5 measure in"]);
    check_units("a flat of 48 square metres", &["48 measure m²"]);
    check_units("an office of 120 sq. m in town", &["120 measure m²"]);
    check_units("The talks lasted 14 hours.", &["14 measure hours"]);
    check_units("It fell 30 feet.", &["30 measure ft"]);
    check_units("a 128GB phone", &["128 measure GB"]);
}

#[test]
fn a_glued_m_is_metres_unless_money_or_a_counted_noun_follows() {
    check_units(
        "The 24m (79ft)-long hull was found.",
        &["24 measure m", "79 measure ft"],
    );
    check_units("a room of 18m2", &["18 measure m²"]);
    check_units("The app has 35m users.", &["35000000 count -"]);
    check_units("It sold 12m of its speakers.", &["12000000 count -"]);
    check_units("The club paid £35m.", &["35000000 money GBP"]);
}

#[test]
fn pounds_are_weight_unless_money_is_clear() {
    check_units("He lost 20 pounds last year.", &["20 measure lb"]);
    check_units("a deal of 4 million pounds", &["4000000 money GBP"]);
}

#[test]
fn negative_numbers_are_one_quantity() {
    check_units("Net yardage was -12 yards.", &["-12 measure yd"]);
    check_units(
        "It can fall to minus 40 degrees Celsius.",
        &["-40 measure °C"],
    );
    check_units("The balance fell to $-3.2bn.", &["-3200000000 money USD"]);
}

#[test]
fn ranges_carry_their_unit_on_both_ends() {
    check_units("Rents may rise between 3% and 4%.", &["3.5 percent %"]);
    check_units("fees of 2 per cent to 2.5 per cent", &["2.25 percent %"]);
    check_units(
        "a fine of $2 billion to $4 billion",
        &["3000000000 money USD"],
    );
    check_units("It costs 5% to 10% more.", &["7.5 percent %"]);
    let m = mentions("Rents may rise between 3% and 4%.");
    assert_eq!((m[0].low, m[0].high), (Some(3.0), Some(4.0)));
}

#[test]
fn transitions_are_one_mention_with_previous() {
    let m = mentions("The coin fell from $41,200 late on Monday to $38,950 by noon.");
    assert_eq!(m.len(), 1, "{m:#?}");
    assert_eq!((m[0].value, m[0].previous), (38950.0, Some(41200.0)));
    assert_eq!(m[0].unit.as_deref(), Some("USD"));
    let m = mentions("Her weight dropped from 180 pounds to 150.");
    assert_eq!(m.len(), 1, "{m:#?}");
    assert_eq!((m[0].value, m[0].previous), (150.0, Some(180.0)));
    assert_eq!(m[0].kind, Kind::Measure);
}

#[test]
fn a_change_and_a_level_are_two_mentions_with_currencies_before() {
    check_units(
        "Oil climbed $3 to $81 a barrel.",
        &["3 money USD", "81 money USD"],
    );
    check_units("Shares rose 5 to 10 percent.", &["7.5 percent %"]);
}

#[test]
fn a_change_and_a_level_are_two_mentions() {
    check_units(
        "The stock rose 14 cents to $3.10.",
        &["0.14 money USD", "3.1 money USD"],
    );
    check_units(
        "The deficit increased by $20 billion to $400 billion.",
        &["20000000000 money USD", "400000000000 money USD"],
    );
}

#[test]
fn a_range_of_change_after_by_is_one_range() {
    check_units("Sea levels rose by 2 to 3.5 metres.", &["2.75 measure m"]);
    check_units("Prices rose between 4 to 6 percent.", &["5 percent %"]);
}

#[test]
fn two_currencies_are_a_rate_not_a_range() {
    check_units(
        "The rate stood at 150 JPY to 1 USD.",
        &["150 money JPY", "1 money USD"],
    );
}

#[test]
fn an_abbreviation_does_not_end_a_transition() {
    let m = mentions("Oil has dropped from $80 U.S. a barrel to $61.20 this week.");
    assert_eq!(m.len(), 1, "{m:#?}");
    assert_eq!((m[0].value, m[0].previous), (61.2, Some(80.0)));
}

#[test]
fn sub_is_below_and_a_unit_beats_a_name() {
    let m = mentions("The plant makes sub-5 nanometre chips.");
    assert_eq!(m.len(), 1, "{m:#?}");
    assert_eq!(
        (m[0].qualifier, m[0].unit.as_deref()),
        (Qualifier::LessThan, Some("nm"))
    );
    check_units("Panadol 500mg tablets sold out.", &["500 measure mg"]);
    // A count before keeps the size inside its noun phrase.
    check_units("Take two Panadol 500mg tablets.", &["2 count -"]);
    check_units(
        "The MacBook Air 13 inch costs $999.",
        &["13 measure in", "999 money USD"],
    );
}

#[test]
fn a_decimal_without_its_leading_zero_needs_a_unit() {
    check_units(
        "The error rate fell to .002 per cent.",
        &["0.002 percent %"],
    );
    check_units("The team has a .600 record.", &[]);
}

#[test]
fn a_measure_of_something_counted_stays_a_count() {
    check(
        "The ship carried 900 tonnes of grain.",
        &["900 exact tonnes of grain"],
    );
    check_units("The 4G and 5G networks are down.", &[]);
}

#[test]
fn a_bound_carries_into_a_conversion_in_brackets() {
    let m = mentions("The motor gives just under 150 hp (112 kW).");
    assert_eq!(m.len(), 2, "{m:#?}");
    assert_eq!(
        (m[1].qualifier, m[1].high),
        (Qualifier::LessThan, Some(112.0))
    );
    // An exact conversion after an exact measure stays exact; a count after
    // a bracket is not a conversion.
    let m = mentions("The rope is 10 m (33 ft) long.");
    assert_eq!(m[1].qualifier, Qualifier::Exact);
    let m = mentions("more than 40 km (12 villages) away");
    assert_eq!(m[1].qualifier, Qualifier::Exact);
}

#[test]
fn two_amounts_joined_by_a_slash_are_a_range() {
    check_units("Seats cost $12/$15 this year.", &["13.5 money USD"]);
}

#[test]
fn basis_points_and_primes_are_measures() {
    check_units("Margins widened by 40 basis points.", &["40 measure bp"]);
    check_units("Rates rose 25bp.", &["25 measure bp"]);
    check_units("The neck is 24.75″ long.", &["24.75 measure in"]);
}

#[test]
fn two_word_units() {
    check_units("Support fell 3 percentage points.", &["3 measure pp"]);
    check_units("They shipped 40,000 metric tons.", &["40000 measure t"]);
    check_units("The ship was 12 nautical miles out.", &["12 measure nmi"]);
    check_units("Winds reached 80 knots.", &["80 measure kn"]);
}

#[test]
fn a_currency_word_without_its_country_is_money_without_a_code() {
    check_units("The fare is 500 pesos.", &["500 money -"]);
    check_units("The fare is 500 Mexican pesos.", &["500 money MXN"]);
}

#[test]
fn from_a_measure_to_a_measure_with_words_between_is_a_range() {
    // After a verb of change it is a transition: the new value, with the
    // old one as its `previous`.
    let text = "Mileage went up, from 25 miles per gallon in 2010 to 31 mpg in 2020.";
    check_units(text, &["31 measure mpg"]);
    assert_eq!(mentions(text)[0].previous, Some(25.0));
    check_units(
        "Mileage ranged from 25 miles per gallon in 2010 to 31 mpg in 2020.",
        &["28 measure mpg"],
    );
    // Without a unit on each end, words between do not make a range.
    check_units(
        "from 25 on Monday to 31 on Friday",
        &["25 count -", "31 count -"],
    );
}
