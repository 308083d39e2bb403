//! Context: what is not a count, percent and money, noun phrases,
//! assignment rules and sentences.

use super::*;

#[test]
fn not_counts() {
    for text in [
        "in 2024",
        "2024 marks the final year",
        "Feb. 11",
        "on February 11",
        "September 9, 2023",
        "from 2021-2025",
        "at 10:30",
        "at 5 p.m.",
        "the 75th anniversary",
        "the second wave",
        "KN-23 missiles",
        "Su-27 jets",
        "call 555-123-4567",
        "aged 45",
        "a 45-year-old man",
        "a five-year plan",
        "No. 1",
        "page 12",
        "the 1990s",
        "on 2025-02-11",
        "in 2018.04",
    ] {
        check(text, &[]);
    }
}

#[test]
fn percent_and_money_have_their_kind() {
    let m = mentions("25% of voters and $3.2 billion in aid and 7 percent");
    let kinds: Vec<(f64, Kind)> = m.iter().map(|m| (m.value, m.kind)).collect();
    assert_eq!(
        kinds,
        vec![
            (25.0, Kind::Percent),
            (3.2e9, Kind::Money),
            (7.0, Kind::Percent)
        ]
    );
    let a = assign(&m, &war_figures());
    assert!(a.iter().all(|a| a.figure.is_none()), "{a:?}");
    let a = assign(&m, &[Figure::new("aid", &["aid", "dollars"])]);
    assert_eq!(a[1].figure, Some(0), "{}", a[1].reason);
    assert_eq!(a[0].figure, None);
}

#[test]
fn inverted_noun_phrases() {
    check("troops numbering 11,000", &["11000 exact troops"]);
    check("a force of 11,000", &["11000 exact force"]);
    check("an 11,000-strong contingent", &["11000 exact contingent"]);
    check(
        "the number of troops rose to 12,000",
        &["12000 exact troops"],
    );
    check("artillery pieces: 200", &["200 exact artillery pieces"]);
}

#[test]
fn noun_phrase_skips_adjectives_and_nationalities() {
    check(
        "11,000 North Korean troops fought",
        &["11000 exact North Korean troops"],
    );
    check(
        "200 long-range artillery pieces were sent",
        &["200 exact long-range artillery pieces"],
    );
    check(
        "8 million artillery shells",
        &["8000000 exact artillery shells"],
    );
}

#[test]
fn head_of_the_noun_phrase_wins() {
    let figures = vec![
        Figure::new("artillery", &["artillery"]),
        Figure::new("shells", &["shells"]),
    ];
    let m = mentions("North Korea sent 8 million artillery shells.");
    let a = assign(&m, &figures);
    assert_eq!(a[0].figure, Some(1), "{}", a[0].reason);
    assert!(a[0].reason.contains("ends"), "{}", a[0].reason);
}

#[test]
fn counters_need_a_term_in_the_sentence() {
    let figures = war_figures();
    let m = mentions("The estimate of artillery was more than 160 pieces. Later 40 pieces came.");
    let a = assign(&m, &figures);
    assert_eq!(a[0].figure, Some(0), "{}", a[0].reason);
    assert!(a[0].reason.contains("counter"), "{}", a[0].reason);
    assert_eq!(a[1].figure, None, "{}", a[1].reason);
}

#[test]
fn sentences_survive_abbreviations_and_decimals() {
    let text = "The U.S. said on Feb. 11 that No. 1 unit had 2.5 million shells. \"It is 40 tanks.\" Next one.";
    let m = mentions(text);
    assert_eq!(m.len(), 2);
    assert_eq!(
        m[0].sentence,
        "The U.S. said on Feb. 11 that No. 1 unit had 2.5 million shells."
    );
    assert_eq!(m[1].sentence, "\"It is 40 tanks.\"");
    assert_eq!(&text[m[0].start..m[0].end], m[0].text);
}

#[test]
fn years_up_to_2200_are_years() {
    check("Seas could rise a metre by 2150.", &[]);
}
