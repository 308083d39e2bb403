//! Speed of `watch::Matcher` on synthetic entries: N watches, M entries of
//! title + summary text, prefilter and full match per entry. Usage:
//! `cargo run --release --example eval_watch [N_WATCHES] [N_ENTRIES]`

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::unwrap_used,
    clippy::expect_used
)]

use figwatch::watch::{Matcher, Query};
use std::time::Instant;

const WORDS: &[&str] = &[
    "the",
    "council",
    "said",
    "on",
    "tuesday",
    "that",
    "troops",
    "border",
    "minister",
    "talks",
    "prices",
    "rose",
    "fell",
    "market",
    "shares",
    "artillery",
    "pieces",
    "government",
    "reported",
    "official",
    "agency",
    "news",
    "week",
    "report",
    "more",
    "than",
    "about",
    "city",
    "region",
    "election",
    "vote",
    "ceasefire",
    "aid",
    "convoy",
    "harbour",
    "ferry",
    "storm",
    "drought",
];

const PLACES: &[&str] = &[
    "North Korea",
    "Russia",
    "Moscow",
    "Pyongyang",
    "Kyiv",
    "Ukraine",
    "Seoul",
    "Beijing",
    "Tehran",
    "Gaza",
    "Berlin",
    "Paris",
    "Ankara",
    "İstanbul",
    "Caracas",
    "Lagos",
];

fn main() {
    let mut args = std::env::args().skip(1);
    let n_watches: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let n_entries: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(50_000);
    let mut rng = fastrand::Rng::with_seed(1);
    let sources: Vec<String> = (0..n_watches)
        .map(|i| {
            let a = PLACES[rng.usize(0..PLACES.len())];
            let b = PLACES[rng.usize(0..PLACES.len())];
            format!("(\"{a}\" OR topic{i}) AND (\"{b}\" OR keyword{i}) NOT sport{i}")
        })
        .collect();
    let queries: Vec<Query> = sources
        .iter()
        .map(|s| Query::parse(s).expect("generated queries are valid"))
        .collect();
    let refs: Vec<&Query> = queries.iter().collect();
    let started = Instant::now();
    let matcher = Matcher::new(&refs);
    let build = started.elapsed();
    let entries: Vec<String> = (0..n_entries)
        .map(|_| {
            let mut text = String::new();
            for word_idx in 0..60 {
                if word_idx > 0 {
                    text.push(' ');
                }
                if rng.u8(..) < 4 {
                    text.push_str(PLACES[rng.usize(0..PLACES.len())]);
                } else {
                    text.push_str(WORDS[rng.usize(0..WORDS.len())]);
                }
            }
            text
        })
        .collect();
    let bytes: usize = entries.iter().map(String::len).sum();
    let started = Instant::now();
    let (mut n_prefiltered, mut n_matched) = (0usize, 0usize);
    for entry in &entries {
        n_prefiltered += matcher.prefilter(entry).len();
        n_matched += matcher.matching(entry).len();
    }
    let elapsed = started.elapsed();
    println!(
        "{n_watches} watches (built in {build:.2?}), {n_entries} entries ({:.1} MB): \
         prefilter + matching in {elapsed:.2?} ({:.0} entries/s, {:.0} MB/s per pass); \
         {n_prefiltered} prefilter hits, {n_matched} matches",
        bytes as f64 / 1e6,
        n_entries as f64 / elapsed.as_secs_f64(),
        2.0 * bytes as f64 / 1e6 / elapsed.as_secs_f64(),
    );
}
