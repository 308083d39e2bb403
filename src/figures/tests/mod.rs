//! Tests of the figures stage, by topic; shared helpers here.

mod numbers;
mod qualifiers;
mod context;
mod article;
mod corpus;
mod props;
mod claim_phases;
mod claim_forms;
mod claims;
mod claim_props;
mod assign;
mod observations;
mod units;
mod names;

use super::*;
use crate::config::{AlertOn, Figure};

fn war_figures() -> Vec<Figure> {
    vec![
        Figure::new("artillery", &["artillery pieces", "artillery", "howitzers"]),
        Figure::new("troops", &["troops", "soldiers"]),
    ]
}

/// Mentions of `text` as "value qualifier noun" strings.
#[track_caller]
fn check(text: &str, expected: &[&str]) {
    let got: Vec<String> = mentions(text)
        .iter()
        .map(|m| format!("{} {} {}", m.value, m.qualifier.as_str(), m.noun))
        .map(|s| s.trim_end().to_string())
        .collect();
    assert_eq!(got, expected, "text: {text}");
}
