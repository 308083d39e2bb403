//! The alert JSON: DESIGN.md's shape, integers as integers.

use super::*;
use crate::alert::to_json;
use serde_json::{Value, json};

fn parse(row: &AlertRow) -> Value {
    serde_json::from_str(&to_json(row)).expect("to_json is JSON")
}

#[track_caller]
fn check_keys(value: &Value, expected: &[&str]) {
    let mut keys: Vec<&str> = value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let mut expected = expected.to_vec();
    expected.sort_unstable();
    assert_eq!(keys, expected);
}

#[test]
fn figure_changed_has_the_design_shape() {
    let alert = parse(&changed_row());
    check_keys(
        &alert,
        &[
            "id",
            "kind",
            "created_at",
            "watch",
            "figure",
            "previous",
            "current",
            "change",
        ],
    );
    assert_eq!(alert["id"], "01JKZ3M7Q8X4T2B6N9C5D1F0GH");
    assert_eq!(alert["kind"], "figure_changed");
    assert_eq!(alert["created_at"], "2025-02-11T09:12:00Z");
    assert_eq!(alert["watch"], "nk-russia");
    assert_eq!(alert["figure"], "artillery");
    assert_eq!(
        alert["current"],
        json!({
            "value": 200, "low": 200, "high": null, "qualifier": "more_than",
            "text": "more than 200 long-range artillery pieces",
            "quote": "Seoul's intelligence service says Pyongyang has now shipped more than 200 long-range artillery pieces to Moscow.",
            "claimed_by": null, "kind": "count", "unit": null,
            "article": {
                "url": NEW_URL,
                "title": "Pyongyang ships more guns and soldiers to Moscow",
                "source": "Korea Daily",
                "published_at": "2025-02-11T06:30:00Z",
            },
        })
    );
    assert_eq!(alert["previous"]["value"], 160);
    assert_eq!(alert["previous"]["article"]["source"], "Asia Wire");
    assert_eq!(
        alert["previous"]["article"]["published_at"],
        "2024-11-07T06:30:00Z"
    );
    assert_eq!(alert["change"], json!({"absolute": 40, "relative": 0.25}));
}

#[test]
fn whole_numbers_are_written_as_integers() {
    let text = to_json(&changed_row());
    assert!(text.contains(r#""value":160,"#), "{text}");
    assert!(text.contains(r#""value":200,"#), "{text}");
    assert!(text.contains(r#""absolute":40,"#), "{text}");
    assert!(
        !text.contains("160.0") && !text.contains("200.0") && !text.contains("40.0"),
        "{text}"
    );
    let alert = parse(&changed_row());
    assert!(alert["current"]["value"].is_i64());
    assert!(alert["change"]["relative"].is_f64());
}

#[test]
fn fractions_ranges_and_missing_dates_are_kept() {
    let mut row = changed_row();
    if let Some(current) = row.current.as_mut() {
        current.value = 11_000.0;
        current.low = Some(10_000.0);
        current.high = Some(12_000.0);
        current.qualifier = Qualifier::Range;
        current.article.published_at = None;
    }
    if let Some(previous) = row.previous.as_mut() {
        previous.value = 2.5;
        previous.low = Some(f64::NAN);
    }
    row.change = Some((10_997.5, None));
    let alert = parse(&row);
    assert_eq!(alert["current"]["value"], 11_000);
    assert_eq!(alert["current"]["low"], 10_000);
    assert_eq!(alert["current"]["high"], 12_000);
    assert_eq!(alert["current"]["qualifier"], "range");
    assert_eq!(alert["current"]["article"]["published_at"], Value::Null);
    assert_eq!(alert["previous"]["value"], 2.5);
    assert_eq!(alert["previous"]["low"], Value::Null, "NaN is not JSON");
    assert_eq!(
        alert["change"],
        json!({"absolute": 10_997.5, "relative": null})
    );
}

#[test]
fn first_seen_has_null_previous_and_change() {
    let mut row = changed_row();
    row.kind = AlertKind::FigureFirstSeen;
    row.previous = None;
    row.change = None;
    let alert = parse(&row);
    check_keys(
        &alert,
        &[
            "id",
            "kind",
            "created_at",
            "watch",
            "figure",
            "previous",
            "current",
            "change",
        ],
    );
    assert_eq!(alert["kind"], "figure_first_seen");
    assert_eq!(alert["previous"], Value::Null);
    assert_eq!(alert["change"], Value::Null);
    assert_eq!(alert["current"]["value"], 200);
}

#[test]
fn article_matched_carries_the_article() {
    let mut row = changed_row();
    row.kind = AlertKind::ArticleMatched;
    row.figure = None;
    row.previous = None;
    row.current = None;
    row.change = None;
    row.article = Some(article(NEW_URL, "A headline", "Korea Daily", (2025, 2, 11)));
    let alert = parse(&row);
    check_keys(
        &alert,
        &[
            "id",
            "kind",
            "created_at",
            "watch",
            "figure",
            "previous",
            "current",
            "change",
            "article",
        ],
    );
    assert_eq!(alert["kind"], "article_matched");
    assert_eq!(alert["figure"], Value::Null);
    assert_eq!(
        alert["article"],
        json!({"url": NEW_URL, "title": "A headline", "source": "Korea Daily", "published_at": "2025-02-11T06:30:00Z"})
    );
}

#[test]
fn feed_and_test_alerts_carry_their_message() {
    for (kind, name) in [
        (AlertKind::FeedFailing, "feed_failing"),
        (AlertKind::FeedRecovered, "feed_recovered"),
        (AlertKind::Test, "test"),
    ] {
        let alert = parse(&text_row(
            kind,
            "the feed at https://feeds.example/a.xml answers 503",
        ));
        check_keys(
            &alert,
            &[
                "id",
                "kind",
                "created_at",
                "watch",
                "figure",
                "previous",
                "current",
                "change",
                "message",
            ],
        );
        assert_eq!(alert["kind"], name);
        assert_eq!(alert["watch"], "");
        assert_eq!(
            alert["message"],
            "the feed at https://feeds.example/a.xml answers 503"
        );
    }
}

#[test]
fn alert_struct_matches_the_row() {
    let row = changed_row();
    let alert = crate::alert::Alert::from(&row);
    assert_eq!(alert.kind, "figure_changed");
    assert_eq!(
        alert.change.as_ref().map(|change| change.relative),
        Some(Some(0.25))
    );
    assert_eq!(
        alert
            .current
            .as_ref()
            .map(|current| current.article.source.as_str()),
        Some("Korea Daily")
    );
}

#[test]
fn observations_carry_claimant_kind_and_unit() {
    let mut row = changed_row();
    if let Some(current) = row.current.as_mut() {
        current.claimed_by = Some(String::from("South Korea's Ministry of National Defense"));
        current.kind = Kind::Money;
        current.unit = Some(String::from("USD"));
    }
    if let Some(previous) = row.previous.as_mut() {
        previous.kind = Kind::Percent;
        previous.unit = Some(String::from("%"));
    }
    let alert = parse(&row);
    assert_eq!(
        alert["current"]["claimed_by"],
        "South Korea's Ministry of National Defense"
    );
    assert_eq!(alert["current"]["kind"], "money");
    assert_eq!(alert["current"]["unit"], "USD");
    assert_eq!(alert["previous"]["claimed_by"], Value::Null);
    assert_eq!(alert["previous"]["kind"], "percent");
    assert_eq!(alert["previous"]["unit"], "%");
    // Every DESIGN.md key is still there, and the top level has no claimant
    // for a figure that is not kept by source.
    for key in [
        "value",
        "low",
        "high",
        "qualifier",
        "text",
        "quote",
        "article",
    ] {
        assert!(alert["current"].get(key).is_some(), "{key} missing");
    }
    assert!(alert.get("claimant").is_none(), "{alert}");
}

#[test]
fn by_source_alert_names_its_claimant_at_the_top() {
    let mut row = changed_row();
    row.claimant = Some(String::from("NIS"));
    let alert = parse(&row);
    assert_eq!(alert["claimant"], "NIS");
    row.claimant = Some(String::new());
    assert_eq!(
        parse(&row)["claimant"],
        "",
        "unattributed is the empty claimant"
    );
}
