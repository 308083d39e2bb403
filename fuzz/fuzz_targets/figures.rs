//! The figure extractor: the first line is a headline, the rest the body.
#![no_main]

use figwatch::config::{AlertOn, Figure};
use figwatch::figures;
use libfuzzer_sys::fuzz_target;

fn figure(name: &str, terms: &[&str]) -> Figure {
    Figure {
        name: name.to_string(),
        terms: terms.iter().map(|t| t.to_string()).collect(),
        alert_on: AlertOn::Change,
        min_change: None,
    }
}

fuzz_target!(|data: &str| {
    let (title, body) = data.split_once('\n').unwrap_or((data, ""));
    let figures = [
        figure("artillery", &["artillery pieces", "artillery", "howitzers"]),
        figure("troops", &["troops", "soldiers"]),
        figure("shells", &["shells"]),
        figure("inflation", &["percent", "%"]),
        figure("aid", &["dollars", "$"]),
    ];
    let _ = figures::read(title, body, &figures);
});
