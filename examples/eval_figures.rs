//! Evaluates the `figures` stage against public data in `../shared/corpora`
//! (never needed by the tests):
//!
//! - `speed`: MB/s of real article text (the extraction benchmark's
//!   hand-annotated bodies) through `figures::read` with two figures.
//! - `numbers`: the number scanner against Duckling's English numerals and
//!   Recognizers-Text's English number specs, whole-input cases only,
//!   reporting the pass rate outside `tests/data/figures/eval-skip.txt`.
//!
//! - `ranges`: qualifiers as intervals against Recognizers-Text's English
//!   number-range spec (one-result cases; open/closed ends not compared),
//!   the pass rate outside the `[ranges]` section of `eval-skip.txt`, with
//!   every skip (and its reason) and every failure listed.
//! - `file PATH`: every mention of a plain-text file (first line the
//!   headline) with its assignment to artillery/troops figures.
//!
//! Run from the crate root (the skip list is read relative to it):
//! `cargo run --release --example eval_figures -- [speed|numbers|ranges] [CORPORA_DIR]`
//! or `-- file PATH`.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::unwrap_used,
    clippy::expect_used
)]

use figwatch::config::Figure;
use figwatch::figures;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().map(String::as_str).unwrap_or("speed");
    let dir = PathBuf::from(
        args.get(1)
            .cloned()
            .unwrap_or_else(|| "../shared/corpora".to_string()),
    );
    match mode {
        "speed" => speed(&dir),
        "numbers" => numbers(&dir),
        "file" => file(&dir),
        "ranges" => ranges(&dir),
        other => anyhow::bail!("unknown mode {other:?}: use speed, numbers, ranges or file"),
    }
}

fn speed(dir: &Path) -> anyhow::Result<()> {
    let raw = std::fs::read_to_string(dir.join("article-extraction-benchmark/ground-truth.json"))?;
    let json: serde_json::Value = serde_json::from_str(&raw)?;
    let bodies: Vec<String> = json
        .as_object()
        .map(|o| {
            o.values()
                .filter_map(|v| v.get("articleBody")?.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let figures = vec![
        Figure::new("artillery", &["artillery pieces", "artillery", "howitzers"]),
        Figure::new("troops", &["troops", "soldiers", "people"]),
    ];
    let bytes: usize = bodies.iter().map(String::len).sum();
    let rounds = 20;
    let mut mentions = 0;
    let started = Instant::now();
    for _ in 0..rounds {
        for body in &bodies {
            let r = figures::read("", body, &figures);
            mentions += r.mentions.len();
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let mb = (bytes * rounds) as f64 / 1e6;
    println!(
        "speed: {} articles, {:.2} MB x {rounds} rounds in {secs:.2}s = {:.1} MB/s ({} mentions per round)",
        bodies.len(),
        bytes as f64 / 1e6,
        mb / secs,
        mentions / rounds
    );
    Ok(())
}

fn file(path: &Path) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(path)?;
    let (title, body) = text.split_once('\n').unwrap_or((&text, ""));
    let figures = vec![
        Figure::new("artillery", &["artillery pieces", "artillery", "howitzers"]),
        Figure::new("troops", &["troops", "soldiers"]),
    ];
    let r = figures::read(title, body, &figures);
    for (k, (m, a)) in r.mentions.iter().zip(&r.assignments).enumerate() {
        let place = if k < r.n_title { "title" } else { "body" };
        let fig = a.figure.map_or("-", |f| figures[f].name.as_str());
        println!(
            "{place} {} {} {:?} noun={:?} -> {fig} ({})",
            m.value,
            m.qualifier.as_str(),
            m.text,
            m.noun,
            a.reason
        );
    }
    for (f, m) in &r.observations {
        let m = &r.mentions[*m];
        println!(
            "observation {}: {} {}",
            figures[*f].name,
            m.value,
            m.qualifier.as_str()
        );
    }
    Ok(())
}

fn bound(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.is_empty() { None } else { s.parse().ok() }
}

fn ranges(dir: &Path) -> anyhow::Result<()> {
    let skips = Skips::load("ranges")?;
    let raw = std::fs::read_to_string(dir.join("recognizers-number-en/NumberRangeModel.json"))?;
    let json: serde_json::Value = serde_json::from_str(&raw)?;
    let (mut pass, mut fail, mut skipped) = (0, 0, 0);
    for case in json.as_array().into_iter().flatten() {
        let input = case.get("Input").and_then(|v| v.as_str()).unwrap_or("");
        let results = case.get("Results").and_then(|v| v.as_array());
        let Some([result]) = results.map(Vec::as_slice) else {
            continue;
        };
        let Some(interval) = result
            .get("Resolution")
            .and_then(|r| r.get("value"))
            .and_then(|v| v.as_str())
        else {
            continue;
        };
        let inner = interval.trim_matches(|c| matches!(c, '(' | ')' | '[' | ']'));
        let Some((lo, hi)) = inner.split_once(',') else {
            continue;
        };
        if let Some(reason) = skips.reason(input) {
            skipped += 1;
            println!("SKIP {input:?}: {reason}");
            continue;
        }
        let want = (bound(lo), bound(hi));
        let got = figures::mentions(input).first().map(|m| (m.low, m.high));
        if got == Some(want) {
            pass += 1;
        } else {
            fail += 1;
            println!("FAIL {input:?}: want {interval} got {got:?}");
        }
    }
    report("ranges", pass, fail, skipped);
    Ok(())
}

/// Prints a layer's pass rate over the cases not skipped by design.
fn report(layer: &str, pass: usize, fail: usize, skipped: usize) {
    let total = pass + fail;
    println!(
        "{layer}: passed {pass} of {total} not skipped ({:.1}%), {skipped} skipped by design",
        100.0 * pass as f64 / total.max(1) as f64
    );
}

/// One section of `tests/data/figures/eval-skip.txt`: (kind, pattern, reason).
struct Skips(Vec<(String, String, String)>);

impl Skips {
    /// Lines before the first `[section]` header belong to `numbers`.
    fn load(section: &str) -> anyhow::Result<Skips> {
        let text = std::fs::read_to_string("tests/data/figures/eval-skip.txt")?;
        let mut current = "numbers".to_string();
        let mut out = Vec::new();
        for line in text.lines() {
            let line = line.trim_end();
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                current = name.to_string();
                continue;
            }
            if current != section {
                continue;
            }
            let mut cols = line.split('\t');
            let (Some(kind), Some(pat)) = (cols.next(), cols.next()) else {
                anyhow::bail!("eval-skip.txt: bad line {line:?}");
            };
            let reason = cols.next().unwrap_or("").to_string();
            out.push((kind.to_string(), pat.to_lowercase(), reason));
        }
        Ok(Skips(out))
    }

    /// Why `input` is skipped by design, if it is.
    fn reason(&self, input: &str) -> Option<&str> {
        let input = input.trim().to_lowercase();
        self.0
            .iter()
            .find(|(kind, pat, _)| match kind.as_str() {
                "exact" => input == *pat,
                "prefix" => input.starts_with(pat.as_str()),
                "contains" => input.contains(pat.as_str()),
                _ => false,
            })
            .map(|(_, _, reason)| reason.as_str())
    }
}

/// One whole-input case: the text and the value it should parse to.
struct Case {
    file: String,
    input: String,
    value: f64,
}

fn load_cases(path: &Path, file: &str) -> anyhow::Result<Vec<Case>> {
    let raw = std::fs::read_to_string(path)?;
    let json: serde_json::Value = serde_json::from_str(&raw)?;
    let mut out = Vec::new();
    for case in json.as_array().into_iter().flatten() {
        let Some(input) = case.get("Input").and_then(|v| v.as_str()) else {
            continue;
        };
        let results = case.get("Results").and_then(|v| v.as_array());
        let Some([result]) = results.map(Vec::as_slice) else {
            continue;
        };
        // Only cases whose single result is the whole input: the scanner layer.
        let text = result.get("Text").and_then(|v| v.as_str()).unwrap_or("");
        if text.trim() != input.trim() {
            continue;
        }
        let res = result.get("Resolution");
        let value = res.and_then(|r| r.get("value")).and_then(|v| {
            v.as_f64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        });
        if let Some(value) = value {
            out.push(Case {
                file: file.to_string(),
                input: input.to_string(),
                value,
            });
        }
    }
    Ok(out)
}

fn numbers(dir: &Path) -> anyhow::Result<()> {
    let skips = Skips::load("numbers")?;
    let mut cases = load_cases(
        &dir.join("duckling-numeral-en/NumeralCorpus.json"),
        "duckling",
    )?;
    cases.extend(load_cases(
        &dir.join("recognizers-number-en/NumberModel.json"),
        "recognizers",
    )?);
    let (mut pass, mut fail, mut skipped) = (0, 0, 0);
    for case in &cases {
        if skips.reason(&case.input).is_some() {
            skipped += 1;
            continue;
        }
        let got = figures::parse_number(&case.input);
        let ok = got.is_some_and(|g| (g - case.value).abs() <= 1e-9 * case.value.abs().max(1.0));
        if ok {
            pass += 1;
        } else {
            fail += 1;
            println!(
                "FAIL [{}] {:?}: want {} got {got:?}",
                case.file, case.input, case.value
            );
        }
    }
    report("numbers", pass, fail, skipped);
    Ok(())
}
