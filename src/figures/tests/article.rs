//! The motivating article end to end, and the change decision.

use super::*;
use crate::config::MinChange;
use chrono::TimeZone;

/// Our own article with the seed's facts and traps.
const TITLE: &str = "North Korea sent over 200 long-range artillery pieces to Russia, South Korean military estimates";
const BODY: &str = "60.1 F
Tuesday, February 11, 2025
SEOUL - North Korea has shipped more than 200 long-range artillery pieces to Russia, Seoul's military said on Tuesday. It believes Pyongyang also provided approximately 200 long-range artillery pieces, over 11,000 troops and millions of shells.
North Korean soldiers march at a parade on September 9, 2023, marking the 75th anniversary of the state's founding.
A year ago the same officials put the number at \"more than 160 pieces\" of artillery.
Analysts note that 2024 marks the final year of North Korea's five-year defence development plan.";

#[test]
fn motivating_article() {
    let figures = war_figures();
    let r = read(TITLE, BODY, &figures);
    assert_eq!(r.n_title, 1);
    assert_eq!(r.observations.len(), 2, "{:#?}", r.mentions);
    let (f, i) = r.observations[0];
    assert_eq!((f, i), (0, 0));
    assert_eq!(
        (r.mentions[i].value, r.mentions[i].qualifier),
        (200.0, Qualifier::MoreThan)
    );
    let (f, i) = r.observations[1];
    assert_eq!(f, 1);
    assert_eq!(
        (r.mentions[i].value, r.mentions[i].qualifier),
        (11000.0, Qualifier::MoreThan)
    );
    assert!(i >= r.n_title);
    // 160 is a mention of artillery, but not the observation.
    let k = r
        .mentions
        .iter()
        .position(|m| m.value == 160.0)
        .expect("160 found");
    assert_eq!(
        r.assignments[k].figure,
        Some(0),
        "{}",
        r.assignments[k].reason
    );
    // Nothing from the traps is a mention, except the temperature, which is
    // a measure (never a count).
    for bad in [60.1, 11.0, 2025.0, 9.0, 2023.0, 75.0, 2024.0, 5.0] {
        assert!(
            !r.mentions
                .iter()
                .any(|m| m.value == bad && m.kind != Kind::Measure),
            "{bad} became a mention: {:#?}",
            r.mentions
        );
    }
    // Offsets point into the headline, then the body.
    let m = &r.mentions[0];
    assert_eq!(&TITLE[m.start..m.end], m.text);
    let m = &r.mentions[r.n_title];
    assert_eq!(&BODY[m.start..m.end], m.text);
}

fn at(day: u32) -> chrono::DateTime<chrono::Utc> {
    chrono::Utc
        .with_ymd_and_hms(2025, 2, day, 12, 0, 0)
        .single()
        .expect("valid date")
}

fn value(v: f64, day: u32) -> Value {
    Value {
        value: v,
        qualifier: Qualifier::MoreThan,
        published: at(day),
    }
}

#[test]
fn decide_follows_the_policy() {
    let mut f = Figure::new("artillery", &["artillery"]);
    assert_eq!(decide(&f, None, &value(160.0, 1)), Decision::FirstSeen);
    assert_eq!(
        decide(&f, Some(&value(160.0, 2)), &value(200.0, 1)),
        Decision::Older
    );
    let same = Value {
        qualifier: Qualifier::Exact,
        ..value(160.0, 3)
    };
    assert_eq!(
        decide(&f, Some(&value(160.0, 2)), &same),
        Decision::Unchanged
    );
    assert_eq!(
        decide(&f, Some(&value(160.0, 1)), &value(200.0, 2)),
        Decision::Changed {
            absolute: 40.0,
            relative: Some(0.25)
        }
    );
    assert_eq!(
        decide(&f, Some(&value(0.0, 1)), &value(5.0, 2)),
        Decision::Changed {
            absolute: 5.0,
            relative: None
        }
    );
    f.alert_on = AlertOn::Increase;
    assert_eq!(
        decide(&f, Some(&value(200.0, 1)), &value(160.0, 2)),
        Decision::Filtered { absolute: -40.0 }
    );
    f.alert_on = AlertOn::Decrease;
    assert!(matches!(
        decide(&f, Some(&value(200.0, 1)), &value(160.0, 2)),
        Decision::Changed { .. }
    ));
    f.alert_on = AlertOn::Change;
    f.min_change = Some(MinChange::Relative(0.3));
    assert_eq!(
        decide(&f, Some(&value(160.0, 1)), &value(200.0, 2)),
        Decision::Filtered { absolute: 40.0 }
    );
    f.min_change = Some(MinChange::Absolute(40.0));
    assert!(matches!(
        decide(&f, Some(&value(160.0, 1)), &value(200.0, 2)),
        Decision::Changed { .. }
    ));
    f.min_change = Some(MinChange::Absolute(41.0));
    assert!(matches!(
        decide(&f, Some(&value(160.0, 1)), &value(200.0, 2)),
        Decision::Filtered { .. }
    ));
}
