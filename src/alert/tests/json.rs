//! The alert JSON: DESIGN.md's shape, integers as integers.

use super::*;
use crate::alert::to_json;
use serde_json::{Value, json};

fn parse(alert: &Alert) -> Value {
    serde_json::from_str(&to_json(alert)).expect("to_json is JSON")
}

/// The keys DESIGN.md gives every alert.
const DESIGN_KEYS: [&str; 8] = [
    "id",
    "kind",
    "created_at",
    "watch",
    "figure",
    "previous",
    "current",
    "change",
];

/// `value` has the DESIGN.md keys, `extra` and no others.
#[track_caller]
fn check_keys(value: &Value, extra: &[&str]) {
    let mut keys: Vec<&str> = value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let mut expected: Vec<&str> = DESIGN_KEYS.iter().chain(extra).copied().collect();
    expected.sort_unstable();
    assert_eq!(keys, expected);
}

#[test]
fn figure_changed_has_the_design_shape() {
    let json = parse(&changed_alert());
    check_keys(&json, &[]);
    assert_eq!(json["id"], "01JKZ3M7Q8X4T2B6N9C5D1F0GH");
    assert_eq!(json["kind"], "figure_changed");
    assert_eq!(json["created_at"], "2025-02-11T09:12:00Z");
    assert_eq!(json["watch"], "nk-russia");
    assert_eq!(json["figure"], "artillery");
    assert_eq!(
        json["current"],
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
    assert_eq!(json["previous"]["value"], 160);
    assert_eq!(json["previous"]["article"]["source"], "Asia Wire");
    assert_eq!(
        json["previous"]["article"]["published_at"],
        "2024-11-07T06:30:00Z"
    );
    assert_eq!(json["change"], json!({"absolute": 40, "relative": 0.25}));
}

#[test]
fn whole_numbers_are_written_as_integers() {
    let text = to_json(&changed_alert());
    assert!(text.contains(r#""value":160,"#), "{text}");
    assert!(text.contains(r#""value":200,"#), "{text}");
    assert!(text.contains(r#""absolute":40,"#), "{text}");
    assert!(
        !text.contains("160.0") && !text.contains("200.0") && !text.contains("40.0"),
        "{text}"
    );
    let json = parse(&changed_alert());
    assert!(json["current"]["value"].is_i64());
    assert!(json["change"]["relative"].is_f64());
}

#[test]
fn fractions_ranges_and_missing_dates_are_kept() {
    let mut alert = changed_alert();
    if let Some(current) = alert.current.as_mut() {
        current.value = 11_000.0;
        current.low = Some(10_000.0);
        current.high = Some(12_000.0);
        current.qualifier = Qualifier::Range;
        current.article.published_at = None;
    }
    if let Some(previous) = alert.previous.as_mut() {
        previous.value = 2.5;
        previous.low = Some(f64::NAN);
    }
    alert.change = Some(Change {
        absolute: 10_997.5,
        relative: None,
    });
    let json = parse(&alert);
    assert_eq!(json["current"]["value"], 11_000);
    assert_eq!(json["current"]["low"], 10_000);
    assert_eq!(json["current"]["high"], 12_000);
    assert_eq!(json["current"]["qualifier"], "range");
    assert_eq!(json["current"]["article"]["published_at"], Value::Null);
    assert_eq!(json["previous"]["value"], 2.5);
    assert_eq!(json["previous"]["low"], Value::Null, "NaN is not JSON");
    assert_eq!(
        json["change"],
        json!({"absolute": 10_997.5, "relative": null})
    );
}

#[test]
fn first_seen_has_null_previous_and_change() {
    let alert = first_seen(changed_alert());
    let json = parse(&alert);
    check_keys(&json, &[]);
    assert_eq!(json["kind"], "figure_first_seen");
    assert_eq!(json["previous"], Value::Null);
    assert_eq!(json["change"], Value::Null);
    assert_eq!(json["current"]["value"], 200);
}

#[test]
fn article_matched_carries_the_article() {
    let json = parse(&matched_alert("A headline"));
    check_keys(&json, &["article"]);
    assert_eq!(json["kind"], "article_matched");
    assert_eq!(json["figure"], Value::Null);
    assert_eq!(
        json["article"],
        json!({"url": NEW_URL, "title": "A headline", "source": "Korea Daily", "published_at": "2025-02-11T06:30:00Z"})
    );
}

#[test]
fn feed_and_test_alerts_carry_their_message() {
    for (kind, name) in [
        (Kind::Stored(AlertKind::FeedFailing), "feed_failing"),
        (Kind::Stored(AlertKind::FeedRecovered), "feed_recovered"),
        (Kind::Test, "test"),
    ] {
        let json = parse(&text_alert(
            kind,
            "the feed at https://feeds.example/a.xml answers 503",
        ));
        check_keys(&json, &["message"]);
        assert_eq!(json["kind"], name);
        assert_eq!(json["watch"], "");
        assert_eq!(
            json["message"],
            "the feed at https://feeds.example/a.xml answers 503"
        );
    }
}

#[test]
fn alert_struct_matches_the_row() {
    let alert = Alert::from(&stored_row());
    assert_eq!(alert.kind.as_str(), "figure_changed");
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
    // Every field comes over: the row is the motivating case.
    assert_eq!(alert, changed_alert());
    // A relative change that is not a number is none.
    let mut row = stored_row();
    row.change = Some((40.0, Some(f64::INFINITY)));
    assert_eq!(
        Alert::from(&row).change,
        Some(Change {
            absolute: 40.0,
            relative: None
        })
    );
}

#[test]
fn observations_carry_claimant_kind_and_unit() {
    let mut alert = changed_alert();
    if let Some(current) = alert.current.as_mut() {
        current.claimed_by = Some(String::from("South Korea's Ministry of National Defense"));
        current.kind = figures::Kind::Money;
        current.unit = Some(String::from("USD"));
    }
    if let Some(previous) = alert.previous.as_mut() {
        previous.kind = figures::Kind::Percent;
        previous.unit = Some(String::from("%"));
    }
    let json = parse(&alert);
    assert_eq!(
        json["current"]["claimed_by"],
        "South Korea's Ministry of National Defense"
    );
    assert_eq!(json["current"]["kind"], "money");
    assert_eq!(json["current"]["unit"], "USD");
    assert_eq!(json["previous"]["claimed_by"], Value::Null);
    assert_eq!(json["previous"]["kind"], "percent");
    assert_eq!(json["previous"]["unit"], "%");
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
        assert!(json["current"].get(key).is_some(), "{key} missing");
    }
    assert!(json.get("claimant").is_none(), "{json}");
}

#[test]
fn by_source_alert_names_its_claimant_at_the_top() {
    let mut alert = changed_alert();
    alert.claimant = Some(String::from("NIS"));
    let json = parse(&alert);
    assert_eq!(json["claimant"], "NIS");
    alert.claimant = Some(String::new());
    assert_eq!(
        parse(&alert)["claimant"],
        "",
        "unattributed is the empty claimant"
    );
}

#[test]
fn the_json_keeps_its_key_order_byte_for_byte() {
    let previous = r#"{"value":160,"low":160,"high":null,"qualifier":"more_than","text":"more than 160 pieces","quote":"The officials said more than 160 pieces had crossed the border by rail.","claimed_by":null,"kind":"count","unit":null,"article":{"url":"https://wire.example/asia/2024/11/07/artillery-deliveries","title":"Officials detail weapons flowing from Pyongyang","source":"Asia Wire","published_at":"2024-11-07T06:30:00Z"}}"#;
    let current = r#"{"value":200,"low":200,"high":null,"qualifier":"more_than","text":"more than 200 long-range artillery pieces","quote":"Seoul's intelligence service says Pyongyang has now shipped more than 200 long-range artillery pieces to Moscow.","claimed_by":null,"kind":"count","unit":null,"article":{"url":"https://news.example/world/2025/02/11/shells-and-guns","title":"Pyongyang ships more guns and soldiers to Moscow","source":"Korea Daily","published_at":"2025-02-11T06:30:00Z"}}"#;
    assert_eq!(
        to_json(&changed_alert()),
        format!(
            r#"{{"id":"01JKZ3M7Q8X4T2B6N9C5D1F0GH","kind":"figure_changed","created_at":"2025-02-11T09:12:00Z","watch":"nk-russia","figure":"artillery","previous":{previous},"current":{current},"change":{{"absolute":40,"relative":0.25}}}}"#
        )
    );
    let mut alert = text_alert(Kind::Test, "ping");
    alert.id = String::from("01JKZ3M7Q8X4T2B6N9C5D1F0ZZ");
    alert.revision = true;
    assert_eq!(
        to_json(&alert),
        r#"{"id":"01JKZ3M7Q8X4T2B6N9C5D1F0ZZ","kind":"test","created_at":"2025-03-01T12:00:00Z","watch":"","figure":null,"previous":null,"current":null,"change":null,"message":"ping","revision":true}"#
    );
}
