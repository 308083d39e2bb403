//! Figures benchmark: MB/s of article text through `figures::read`
//! (sentence splitting, number scanning, qualifiers, noun phrases and
//! assignment) with three configured figures.
//!
//! ```sh
//! cargo bench --bench figures
//! ```
//!
//! On a busy machine count instructions instead of time: set
//! `FIGWATCH_BENCH_PASSES=20` and run the bench binary under
//! `perf stat -e instructions` (plain passes, no criterion).
//!
//! The text is generated news prose in our own words (a few hundred KB of
//! articles built from varied sentences: counts, qualifiers, ranges, dates,
//! percentages, money and plain narrative without numbers), deterministic so
//! that runs compare. Throughput is reported in decimal MB/s, one core.

#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs
)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use figwatch::config::Figure;
use figwatch::figures;
use std::hint::black_box;

/// Sentence templates; `{n}`, `{m}` are replaced by generated numbers and
/// `{place}` by a place name.
const SENTENCES: &[&str] = &[
    "Officials in {place} said more than {n} troops had crossed the river overnight.",
    "The ministry estimated that between {n} and {m} artillery pieces were moved by rail.",
    "Satellite images published on Feb. 11 showed {n} howitzers parked near the depot.",
    "A spokesman declined to comment on reports of {n} drones launched from the coast.",
    "Local residents described a long night of sirens and explosions.",
    "The governor told reporters that power had been restored to most districts by noon.",
    "Analysts cautioned that the figures could not be independently verified.",
    "Nearly {n} soldiers are believed to be stationed in the region, up from about {m} in 2023.",
    "The agency put the cost of repairs at $3.2 billion, or {n} percent of the annual budget.",
    "At least {n} people were evacuated from villages along the front line.",
    "The brigade, which numbers roughly {n} soldiers, has been rotated twice this year.",
    "Western officials said fewer than {n} of the drones reached their targets.",
    "The talks, scheduled for 10:30 a.m. on Monday, were postponed until September 9, 2025.",
    "In a statement, the foreign ministry called the deployment a serious escalation.",
    "Some {n} shells a day are being fired, according to a military intelligence assessment.",
    "The convoy of {n} trucks was seen on the highway north of {place}, witnesses said.",
    "A five-year plan to rebuild the rail network was announced last spring.",
    "Up to {n} North Korean troops may have been sent, the report said, citing U.S. sources.",
    "The number of artillery pieces delivered rose to {n} by the end of the quarter.",
    "Prices for bread and fuel have climbed steadily since the winter.",
    "Tens of thousands of residents have left the city since the shelling began.",
    "He said the army had lost above {m} and below {n} tanks in the offensive.",
    "Engineers worked through the weekend to repair the bridge, officials said.",
    "The UN refugee agency said {n} refugees had registered at the border post.",
];

const PLACES: &[&str] = &[
    "Kharkiv",
    "Kursk",
    "Zaporizhzhia",
    "Donetsk",
    "Odesa",
    "Belgorod",
    "Kherson",
    "Sumy",
];

/// A small deterministic generator (xorshift) so the text is the same on
/// every run without a seeded dependency.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A count as news prints it: "40", "1,250", "11,000", "2.5 million".
    fn count(&mut self) -> String {
        match self.below(4) {
            0 => (10 + self.below(90)).to_string(),
            1 => (100 + self.below(900)).to_string(),
            2 => {
                let n = 1_000 + self.below(49_000);
                format!("{},{:03}", n / 1000, n % 1000)
            }
            _ => format!("{}.{} million", 1 + self.below(9), self.below(10)),
        }
    }
}

/// Articles of 20 to 60 sentences each, about `target` bytes in all.
fn articles(target: usize) -> Vec<(String, String)> {
    let mut g = Gen(0x9e37_79b9_7f4a_7c15);
    let mut out = Vec::new();
    let mut bytes = 0;
    while bytes < target {
        let title = format!(
            "Officials say {} troops moved near {}",
            g.count(),
            PLACES[g.below(PLACES.len())]
        );
        let mut body = String::new();
        let sentences = 20 + g.below(40);
        for k in 0..sentences {
            let s = SENTENCES[g.below(SENTENCES.len())]
                .replace("{n}", &g.count())
                .replace("{m}", &g.count())
                .replace("{place}", PLACES[g.below(PLACES.len())]);
            body.push_str(&s);
            body.push(if k % 4 == 3 { '\n' } else { ' ' });
        }
        bytes += title.len() + body.len();
        out.push((title, body));
    }
    out
}

fn bench(c: &mut Criterion) {
    let articles = articles(400_000);
    let bytes: usize = articles.iter().map(|(t, b)| t.len() + b.len()).sum();
    let figures = vec![
        Figure::new("artillery", &["artillery pieces", "artillery", "howitzers"]),
        Figure::new("troops", &["troops", "soldiers"]),
        Figure::new("drones", &["drones"]),
    ];
    // A sanity check that the bench measures real work, not an empty pass.
    let mentions: usize = articles
        .iter()
        .map(|(t, b)| figures::read(t, b, &figures).mentions.len())
        .sum();
    assert!(mentions > 1000, "only {mentions} mentions");
    println!(
        "figures bench: {} articles, {bytes} bytes, {mentions} mentions per pass",
        articles.len()
    );
    // FIGWATCH_BENCH_PASSES=N: N plain passes and no criterion, for
    // counting instructions on a busy machine, where time is noise:
    // `FIGWATCH_BENCH_PASSES=20 perf stat -e instructions target/release/deps/figures-… --bench`
    if let Some(passes) = std::env::var("FIGWATCH_BENCH_PASSES")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        let mut n = 0;
        for _ in 0..passes {
            for (title, body) in &articles {
                n += figures::read(title, body, &figures).observations.len();
            }
        }
        println!(
            "{passes} passes, {} bytes, {n} observations",
            passes * bytes
        );
        std::process::exit(0);
    }
    let mut group = c.benchmark_group("figures");
    group.throughput(Throughput::BytesDecimal(bytes as u64));
    group.sample_size(20);
    group.bench_function("read", |b| {
        b.iter(|| {
            let mut n = 0;
            for (title, body) in &articles {
                n += figures::read(black_box(title), black_box(body), &figures)
                    .observations
                    .len();
            }
            black_box(n)
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
