//! The human-readable message.

use super::*;
use crate::alert::{MAX_QUOTE_CHARS, format_number, message};

#[track_caller]
fn check(alert: &Alert, title: &str, body: &str) {
    let message = message(alert);
    assert_eq!(message.title, title);
    assert_eq!(message.body, body);
}

#[test]
fn figure_change_reads_like_the_design_example() {
    let alert = changed_alert();
    check(
        &alert,
        "nk-russia · artillery: more than 160 → more than 200 (+40, +25%)",
        "\"Seoul's intelligence service says Pyongyang has now shipped more than 200 long-range artillery pieces to Moscow.\"\n\
         Korea Daily, 2025-02-11 — https://news.example/world/2025/02/11/shells-and-guns",
    );
    let message = message(&alert);
    assert_eq!(message.url.as_deref(), Some(NEW_URL));
    assert!(
        message
            .text()
            .starts_with("nk-russia · artillery: more than 160 → more than 200 (+40, +25%)\n\"")
    );
}

#[track_caller]
fn check_number(number: f64, expected: &str) {
    assert_eq!(format_number(number), expected, "{number}");
}

#[test]
fn a_change_read_from_a_revised_article_says_so() {
    let mut alert = changed_alert();
    alert.revision = true;
    assert!(
        message(&alert).title.starts_with(
            "nk-russia · artillery: more than 160 → more than 200 (+40, +25%) in a revised article"
        ),
        "{}",
        message(&alert).title
    );
}

#[test]
fn numbers_get_thousands_separators() {
    check_number(0.0, "0");
    check_number(7.0, "7");
    check_number(160.0, "160");
    check_number(1_000.0, "1,000");
    check_number(11_000.0, "11,000");
    check_number(1_500_000.0, "1,500,000");
    check_number(-12_345.0, "-12,345");
    check_number(2.5, "2.5");
    check_number(1234.567, "1,234.57");
    check_number(0.001, "0");
    check_number(f64::NAN, "?");
    check_number(f64::INFINITY, "?");
    // Past 2^53 a float is no exact integer; it is still written out in full.
    assert!(
        format_number(1e20).starts_with("100,000,000,000,000,000,000"),
        "{}",
        format_number(1e20)
    );
}

fn with_qualifiers(
    previous: (f64, Option<f64>, Option<f64>, Qualifier),
    current: (f64, Option<f64>, Option<f64>, Qualifier),
    change: Option<(f64, Option<f64>)>,
) -> Alert {
    let mut alert = changed_alert();
    for (observation, (value, low, high, qualifier)) in [
        (alert.previous.as_mut(), previous),
        (alert.current.as_mut(), current),
    ] {
        if let Some(observation) = observation {
            observation.value = value;
            observation.low = low;
            observation.high = high;
            observation.qualifier = qualifier;
        }
    }
    alert.figure = Some(String::from("troops"));
    alert.change = change.map(|(absolute, relative)| Change { absolute, relative });
    alert
}

#[test]
fn qualifiers_are_written_in_words() {
    let cases = [
        (Qualifier::Exact, "10,000"),
        (Qualifier::MoreThan, "more than 10,000"),
        (Qualifier::AtLeast, "at least 10,000"),
        (Qualifier::LessThan, "fewer than 10,000"),
        (Qualifier::AtMost, "up to 10,000"),
        (Qualifier::Approximately, "about 10,000"),
    ];
    for (qualifier, words) in cases {
        let alert = with_qualifiers(
            (10_000.0, None, None, qualifier),
            (11_000.0, None, None, Qualifier::Approximately),
            Some((1_000.0, Some(0.1))),
        );
        assert_eq!(
            message(&alert).title,
            format!("nk-russia · troops: {words} → about 11,000 (+1,000, +10%)")
        );
    }
}

#[test]
fn ranges_decreases_and_small_changes_read_well() {
    let alert = with_qualifiers(
        (11_000.0, Some(10_000.0), Some(12_000.0), Qualifier::Range),
        (9_500.0, None, None, Qualifier::Exact),
        Some((-1_500.0, Some(-1_500.0 / 11_000.0))),
    );
    assert_eq!(
        message(&alert).title,
        "nk-russia · troops: 10,000–12,000 → 9,500 (-1,500, -14%)"
    );

    let alert = with_qualifiers(
        (1_000.0, None, None, Qualifier::Exact),
        (1_025.0, None, None, Qualifier::Exact),
        Some((25.0, Some(0.025))),
    );
    assert_eq!(
        message(&alert).title,
        "nk-russia · troops: 1,000 → 1,025 (+25, +2.5%)"
    );

    let alert = with_qualifiers(
        (0.0, None, None, Qualifier::Exact),
        (12.0, None, None, Qualifier::Exact),
        Some((12.0, None)),
    );
    assert_eq!(message(&alert).title, "nk-russia · troops: 0 → 12 (+12)");
}

#[test]
fn missing_change_is_computed_from_the_values() {
    let mut alert = changed_alert();
    alert.change = None;
    assert_eq!(
        message(&alert).title,
        "nk-russia · artillery: more than 160 → more than 200 (+40, +25%)"
    );
}

#[test]
fn first_seen_shows_the_value_and_the_source() {
    let alert = first_seen(changed_alert());
    let message = message(&alert);
    assert_eq!(
        message.title,
        "nk-russia · artillery: more than 200 (first seen)"
    );
    assert!(message.body.ends_with(
        "Korea Daily, 2025-02-11 — https://news.example/world/2025/02/11/shells-and-guns"
    ));
}

#[test]
fn article_matched_names_the_headline() {
    check(
        &matched_alert("Guns and\n soldiers  head west"),
        "nk-russia: new article: Guns and soldiers head west",
        "Korea Daily, 2025-02-11 — https://news.example/world/2025/02/11/shells-and-guns",
    );
}

#[test]
fn feed_alerts_are_worded_from_their_facts() {
    // The facts are worded where the stored row becomes an alert.
    let mut row = AlertRow {
        kind: AlertKind::FeedFailing,
        watch: String::new(),
        figure: None,
        previous: None,
        current: None,
        change: None,
        feed: Some(crate::store::FeedFacts {
            url: String::from("https://feeds.example/a.xml"),
            failures: Some(4),
            failing_since: Utc.with_ymd_and_hms(2025, 2, 11, 9, 12, 0).single(),
            error: Some(String::from("HTTP 503")),
        }),
        ..stored_row()
    };
    let failing = Alert::from(&row);
    check(
        &failing,
        "figwatch · feed failing",
        "Feed https://feeds.example/a.xml has failed 4 times since 2025-02-11 09:12 UTC: HTTP 503",
    );
    row.kind = AlertKind::FeedRecovered;
    check(
        &Alert::from(&row),
        "figwatch · feed recovered",
        "Feed https://feeds.example/a.xml works again",
    );
    // The alert JSON's `message` carries the same words.
    let json: serde_json::Value = serde_json::from_str(&crate::alert::to_json(&failing)).unwrap();
    assert_eq!(
        json["message"],
        "Feed https://feeds.example/a.xml has failed 4 times since 2025-02-11 09:12 UTC: HTTP 503"
    );
}

#[test]
fn feed_and_test_alerts_show_their_text() {
    check(
        &text_alert(
            AlertKind::FeedFailing,
            "https://feeds.example/a.xml has failed for 1day: HTTP 503",
        ),
        "figwatch · feed failing",
        "https://feeds.example/a.xml has failed for 1day: HTTP 503",
    );
    check(
        &text_alert(
            AlertKind::FeedRecovered,
            "https://feeds.example/a.xml works again",
        ),
        "figwatch · feed recovered",
        "https://feeds.example/a.xml works again",
    );
    check(
        &text_alert(Kind::Test, "hello from test-sink"),
        "figwatch · test alert",
        "hello from test-sink",
    );
    let mut alert = text_alert(Kind::Test, "");
    alert.message = None;
    let message = message(&alert);
    assert_eq!(message.title, "figwatch · test alert");
    assert!(
        message.body.contains("test alert from figwatch"),
        "{}",
        message.body
    );
    assert_eq!(message.url, None);
}

#[test]
fn non_web_links_are_not_offered() {
    let mut alert = changed_alert();
    if let Some(current) = alert.current.as_mut() {
        current.article.url = String::from("javascript:alert(1)");
    }
    let message = message(&alert);
    assert_eq!(message.url, None);
    assert!(
        message.body.ends_with("Korea Daily, 2025-02-11"),
        "{}",
        message.body
    );
}

fn quote_of(sentence: &str, mention: &str) -> String {
    let mut alert = changed_alert();
    if let Some(current) = alert.current.as_mut() {
        current.quote = sentence.to_owned();
        current.text = mention.to_owned();
    }
    let body = message(&alert).body;
    let first_line = body.lines().next().unwrap_or_default();
    first_line
        .strip_prefix('"')
        .and_then(|line| line.strip_suffix('"'))
        .unwrap_or_else(|| panic!("no quote line in {body}"))
        .to_owned()
}

#[test]
fn long_quotes_are_cut_at_words_and_keep_the_mention() {
    let filler = "The ministry spokesperson, speaking at a regular briefing in the capital, repeated earlier statements ";
    // The mention near the start: cut at the end.
    let sentence = format!(
        "Officials counted more than 200 long-range artillery pieces, {filler}{filler}{filler}"
    );
    let quote = quote_of(&sentence, "more than 200 long-range artillery pieces");
    assert!(
        quote.starts_with("Officials counted more than 200"),
        "{quote}"
    );
    assert!(quote.ends_with('…'), "{quote}");
    assert!(quote.chars().count() <= MAX_QUOTE_CHARS, "{quote}");
    let without_ellipsis = quote.trim_end_matches('…');
    assert!(
        sentence.contains(without_ellipsis),
        "cut inside a word: {quote}"
    );
    assert!(
        sentence[without_ellipsis.len()..].starts_with(' '),
        "cut inside a word: {quote}"
    );

    // The mention far in: cut on both sides, the mention in view.
    let sentence = format!(
        "{filler}{filler}{filler}and said more than 200 long-range artillery pieces had arrived by rail over the winter months."
    );
    let quote = quote_of(&sentence, "more than 200 long-range artillery pieces");
    assert!(quote.starts_with('…'), "{quote}");
    assert!(
        quote.contains("more than 200 long-range artillery pieces"),
        "{quote}"
    );
    assert!(quote.chars().count() <= MAX_QUOTE_CHARS, "{quote}");
}

#[test]
fn quotes_of_any_text_never_panic_and_stay_short() {
    let pieces = [
        "数千門の火砲",
        "é",
        "🙂🙂",
        "word",
        " ",
        "\n",
        "\t",
        "more than 200 guns",
        "—",
        "",
    ];
    let mut state = 7u64;
    for _ in 0..300 {
        let mut sentence = String::new();
        for _ in 0..(state % 120) {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            sentence.push_str(pieces[(state >> 33) as usize % pieces.len()]);
        }
        let mention = pieces[(state >> 40) as usize % pieces.len()];
        let mut alert = changed_alert();
        if let Some(current) = alert.current.as_mut() {
            current.quote = sentence.clone();
            current.text = mention.to_owned();
        }
        let body = message(&alert).body;
        let quote_line = body.lines().next().unwrap_or_default();
        if quote_line.starts_with('"') {
            assert!(
                quote_line.chars().count() <= MAX_QUOTE_CHARS + 2,
                "{quote_line}"
            );
        }
    }
    // One unbroken word longer than the limit is cut hard.
    let quote = quote_of(&"x".repeat(500), "x");
    assert_eq!(quote.chars().count(), MAX_QUOTE_CHARS);
}

/// `changed_alert` with troops figures claimed by `claimed_by`.
fn claimed_alert(claimed_by: Option<&str>, claimant: Option<&str>) -> Alert {
    let mut alert = with_qualifiers(
        (11_000.0, None, None, Qualifier::MoreThan),
        (12_000.0, None, None, Qualifier::MoreThan),
        Some((1_000.0, Some(1_000.0 / 11_000.0))),
    );
    if let Some(current) = alert.current.as_mut() {
        current.claimed_by = claimed_by.map(str::to_owned);
    }
    alert.claimant = claimant.map(str::to_owned);
    alert
}

#[test]
fn title_names_who_claims_the_number_and_the_source() {
    let alert = claimed_alert(Some("South Korea's Ministry of National Defense"), None);
    assert_eq!(
        message(&alert).title,
        "nk-russia · troops: more than 11,000 → more than 12,000 (+1,000, +9.1%), \
         says South Korea's Ministry of National Defense — Korea Daily"
    );
    // An earlier value claimed by someone else is credited to them.
    let mut alert = claimed_alert(Some("Kyiv"), None);
    if let Some(previous) = alert.previous.as_mut() {
        previous.claimed_by = Some(String::from("NIS"));
    }
    assert_eq!(
        message(&alert).title,
        "nk-russia · troops: more than 11,000 (NIS) → more than 12,000 (+1,000, +9.1%), \
         says Kyiv — Korea Daily"
    );
    if let Some(previous) = alert.previous.as_mut() {
        previous.claimed_by = Some(String::from("Kyiv"));
    }
    assert!(
        message(&alert)
            .title
            .contains("more than 11,000 → more than 12,000")
    );
    // Nobody named: the title is as before.
    let alert = claimed_alert(None, None);
    assert_eq!(
        message(&alert).title,
        "nk-russia · troops: more than 11,000 → more than 12,000 (+1,000, +9.1%)"
    );
}

#[test]
fn by_source_title_leads_with_the_claimant() {
    let alert = claimed_alert(Some("NIS"), Some("NIS"));
    assert_eq!(
        message(&alert).title,
        "nk-russia · NIS revised troops: more than 11,000 → more than 12,000 (+1,000, +9.1%) — Korea Daily"
    );
    let first = first_seen(claimed_alert(Some("NIS"), Some("NIS")));
    assert_eq!(
        message(&first).title,
        "nk-russia · NIS on troops: more than 12,000 (first seen) — Korea Daily"
    );
    let unattributed = claimed_alert(None, Some(""));
    assert_eq!(
        message(&unattributed).title,
        "nk-russia · troops (unattributed): more than 11,000 → more than 12,000 (+1,000, +9.1%)"
    );
}

/// `alert` with both its values of `kind` in `unit`.
fn in_unit(alert: &mut Alert, kind: figures::Kind, unit: &str) {
    for observation in [alert.previous.as_mut(), alert.current.as_mut()]
        .into_iter()
        .flatten()
    {
        observation.kind = kind;
        observation.unit = Some(unit.to_owned());
    }
}

#[test]
fn money_shows_scale_and_currency_and_percent_its_sign() {
    let mut alert = with_qualifiers(
        (2_800_000_000.0, None, None, Qualifier::Exact),
        (3_200_000_000.0, None, None, Qualifier::Approximately),
        Some((400_000_000.0, Some(400.0 / 2_800.0))),
    );
    alert.figure = Some(String::from("aid"));
    in_unit(&mut alert, figures::Kind::Money, "USD");
    assert_eq!(
        message(&alert).title,
        "nk-russia · aid: 2.8 billion USD → about 3.2 billion USD (+400 million USD, +14%)"
    );

    let mut alert = with_qualifiers(
        (20.0, None, None, Qualifier::Exact),
        (25.0, None, None, Qualifier::MoreThan),
        Some((5.0, Some(0.25))),
    );
    alert.figure = Some(String::from("inflation"));
    in_unit(&mut alert, figures::Kind::Percent, "%");
    assert_eq!(
        message(&alert).title,
        "nk-russia · inflation: 20% → more than 25% (+5 points, +25%)"
    );
}

#[test]
fn measures_and_money_ranges_carry_the_unit_once() {
    let mut alert = with_qualifiers(
        (35.0, None, None, Qualifier::Exact),
        (40.0, Some(30.0), Some(50.0), Qualifier::Range),
        None,
    );
    alert.figure = Some(String::from("front"));
    in_unit(&mut alert, figures::Kind::Measure, "km");
    assert_eq!(
        message(&alert).title,
        "nk-russia · front: 35 km → 30–50 km (+5 km, +14%)"
    );
}
