//! Scores `article::extract` on the article-extraction-benchmark corpus.
//!
//! `cargo run --release --example eval_article [CORPUS_DIR] [OUT.json]`
//! writes predictions in the benchmark's shape (`{id: {"articleBody": …}}`)
//! and prints single-core throughput; score them with
//! `python3 /work/shared/corpora/score_articles.py OUT.json IDS`.
//!
//! Throughput counts, for each page, the fastest of `EVAL_PASSES` (default
//! 3) extractions, so other processes on a shared machine inflate it less.
//! With `EVAL_BASELINE=1` it also times plain dom_smoothie (default config)
//! on the same pages in the same way, interleaved, as a yardstick that the
//! machine's load affects equally.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::unwrap_used,
    clippy::expect_used
)]

use std::io::Read;
use std::time::{Duration, Instant};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let corpus = args
        .next()
        .unwrap_or_else(|| "/work/shared/corpora/article-extraction-benchmark".to_string());
    let out_path = args
        .next()
        .unwrap_or_else(|| "/tmp/article-pred.json".to_string());
    let truth: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(format!(
        "{corpus}/ground-truth.json"
    ))?)?;
    let truth = truth
        .as_object()
        .ok_or_else(|| anyhow::anyhow!("ground truth is not an object"))?;

    let passes: usize = std::env::var("EVAL_PASSES")
        .ok()
        .and_then(|value| value.parse().ok())
        .filter(|&passes| passes > 0)
        .unwrap_or(3);
    let baseline = std::env::var_os("EVAL_BASELINE").is_some();
    let mut baseline_time = Duration::ZERO;
    let mut predictions = serde_json::Map::new();
    let mut total_bytes = 0usize;
    let mut total_time = Duration::ZERO;
    for (id, entry) in truth {
        let path = format!("{corpus}/html/{id}.html.gz");
        let mut gz = flate2::read::GzDecoder::new(std::fs::File::open(&path)?);
        let mut bytes = Vec::new();
        gz.read_to_end(&mut bytes)?;
        let html = String::from_utf8_lossy(&bytes);
        let page_url = entry
            .get("url")
            .and_then(|u| u.as_str())
            .and_then(|u| url::Url::parse(u).ok())
            .unwrap_or_else(|| url::Url::parse("https://example.invalid/").expect("static URL"));
        let mut fastest = Duration::MAX;
        let mut article = figwatch::article::Article::default();
        for _ in 0..passes {
            let started = Instant::now();
            article = figwatch::article::extract(&html, &page_url, None);
            fastest = fastest.min(started.elapsed());
        }
        total_time += fastest;
        if baseline {
            let mut fastest = Duration::MAX;
            for _ in 0..passes {
                let started = Instant::now();
                if let Ok(mut readability) =
                    dom_smoothie::Readability::new(&*html, Some(page_url.as_str()), None)
                {
                    let _ = readability.parse();
                }
                fastest = fastest.min(started.elapsed());
            }
            baseline_time += fastest;
        }
        total_bytes += html.len();
        predictions.insert(
            id.clone(),
            serde_json::json!({ "articleBody": article.text }),
        );
    }
    std::fs::write(&out_path, serde_json::to_string_pretty(&predictions)?)?;
    let mb = total_bytes as f64 / 1e6;
    println!(
        "pages={} bytes={:.1}MB time={:.2}s throughput={:.1}MB/s -> {out_path}",
        predictions.len(),
        mb,
        total_time.as_secs_f64(),
        mb / total_time.as_secs_f64()
    );
    if baseline {
        println!(
            "dom_smoothie alone: time={:.2}s throughput={:.1}MB/s",
            baseline_time.as_secs_f64(),
            mb / baseline_time.as_secs_f64()
        );
    }
    Ok(())
}
