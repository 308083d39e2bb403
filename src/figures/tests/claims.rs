//! The claims corpus of issue 13 (`claims.txt` for tuning,
//! `claims_heldout.txt` held out): which figure each number is assigned to,
//! and for each assignment its event, owner and claimant. The file format is
//! documented in the header of each corpus file.
//!
//! Run `cargo test --lib figures::tests::claims -- --nocapture` to see the
//! scores and every tuning miss. Held-out misses stay hidden unless
//! `FIGWATCH_SHOW_HELDOUT_MISSES=1`: reading them is tuning on them.

use super::*;
use crate::config::FigureKind;

const TUNING: &str = include_str!("../claims.txt");
const HELDOUT: &str = include_str!("../claims_heldout.txt");

/// Held-out assignment precision the issue asks for.
const HELDOUT_MIN_PRECISION: f64 = 0.97;
/// Held-out assignment recall the issue asks for.
const HELDOUT_MIN_RECALL: f64 = 0.93;
/// Held-out scores on the fresh part (written 2026-12-01 apart from the
/// code; before tuning P 0.970, R 0.891; today P 0.972, R 0.932, claimant
/// 0.937; its misses never read): the floors are the targets.
const HELDOUT_PRECISION_FLOOR: f64 = HELDOUT_MIN_PRECISION;
const HELDOUT_RECALL_FLOOR: f64 = HELDOUT_MIN_RECALL;
/// Tuning-part scores today: neither may fall.
const TUNING_MIN_PRECISION: f64 = 0.98;
const TUNING_MIN_RECALL: f64 = 0.93;
/// Held-out claimant exact-match (among matched assignments) the issue asks for.
const HELDOUT_MIN_CLAIMANT: f64 = 0.9;

/// The normalised event words a gold item may use.
const EVENTS: &[&str] = &[
    "killed",
    "wounded",
    "injured",
    "dead",
    "captured",
    "missing",
    "deployed",
    "sent",
    "withdrawn",
    "supplied",
    "delivered",
    "pledged",
    "displaced",
    "evacuated",
    "destroyed",
    "damaged",
    "arrested",
    "rescued",
];

/// One mention that must be assigned: `figure | value | event | owner | claimant`.
#[derive(Debug, Clone, PartialEq)]
struct Gold {
    figure: String,
    value: f64,
    event: Option<String>,
    owner: Option<String>,
    claimant: Option<String>,
}

/// One annotated line: a sentence (or a short paragraph) and its gold.
#[derive(Debug)]
struct Case {
    /// 1-based line in its file.
    line: usize,
    text: String,
    /// Index of the figure block in force.
    block: usize,
    gold: Vec<Gold>,
}

#[derive(Debug, Default)]
struct Corpus {
    blocks: Vec<Vec<Figure>>,
    cases: Vec<Case>,
}

fn optional(field: &str) -> Option<String> {
    match field.trim() {
        "-" | "" => None,
        s => Some(s.to_string()),
    }
}

fn list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// `NAME: term1, term2 | of: A, B | exclude: w | kind: money | unit: USD | by_source: true`.
fn parse_figure(spec: &str) -> Result<Figure, String> {
    let mut parts = spec.split(" | ");
    let head = parts.next().unwrap_or("");
    let (name, terms) = head
        .split_once(':')
        .ok_or_else(|| format!("@figure without 'NAME:' in {spec:?}"))?;
    let name = name.trim();
    let terms = list(terms);
    if name.is_empty() || name.contains(char::is_whitespace) || terms.is_empty() {
        return Err(format!("@figure needs a one-word name and terms: {spec:?}"));
    }
    let terms: Vec<&str> = terms.iter().map(String::as_str).collect();
    let mut figure = Figure::new(name, &terms);
    for part in parts {
        let (key, value) = part
            .split_once(':')
            .ok_or_else(|| format!("@figure key without ':' in {part:?}"))?;
        let value = value.trim();
        match key.trim() {
            "of" => figure.of = list(value),
            "exclude" => figure.exclude = list(value),
            "kind" => {
                figure.kind =
                    FigureKind::from_name(value).ok_or_else(|| format!("unknown kind {value:?}"))?
            }
            "unit" => figure.unit = Some(value.to_string()),
            "by_source" => {
                figure.by_source = value
                    .parse()
                    .map_err(|_| format!("by_source must be true or false: {value:?}"))?
            }
            other => return Err(format!("unknown @figure key {other:?}")),
        }
    }
    Ok(figure)
}

fn parse_gold(item: &str, figures: &[Figure]) -> Result<Gold, String> {
    let fields: Vec<&str> = item.split('|').map(str::trim).collect();
    if fields.len() != 5 {
        return Err(format!(
            "gold item needs 5 fields, has {}: {item:?}",
            fields.len()
        ));
    }
    let figure = fields[0].to_string();
    if !figures.iter().any(|f| f.name == figure) {
        return Err(format!(
            "gold figure {figure:?} is not defined in this block"
        ));
    }
    let value: f64 = fields[1]
        .parse()
        .map_err(|_| format!("gold value {:?} is not a number", fields[1]))?;
    if !value.is_finite() || value < 0.0 {
        return Err(format!("gold value {value} out of range"));
    }
    let event = optional(fields[2]);
    if let Some(e) = &event
        && !EVENTS.contains(&e.as_str())
    {
        return Err(format!("event {e:?} is not in the vocabulary"));
    }
    Ok(Gold {
        figure,
        value,
        event,
        owner: optional(fields[3]),
        claimant: optional(fields[4]),
    })
}

/// Parses a corpus file; every problem is reported with its line.
fn parse(corpus: &str) -> Result<Corpus, Vec<String>> {
    let mut out = Corpus::default();
    let mut current: Vec<Figure> = Vec::new();
    let mut dirty = true;
    let mut errors = Vec::new();
    for (k, line) in corpus.lines().enumerate() {
        let n = k + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(spec) = line.strip_prefix("@figure ") {
            match parse_figure(spec) {
                Ok(f) if current.iter().any(|g| g.name == f.name) => {
                    errors.push(format!("line {n}: figure {} defined twice", f.name))
                }
                Ok(f) => current.push(f),
                Err(e) => errors.push(format!("line {n}: {e}")),
            }
            dirty = true;
            continue;
        }
        if line.trim() == "@reset" {
            current.clear();
            dirty = true;
            continue;
        }
        if line.starts_with('@') {
            errors.push(format!("line {n}: unknown directive {line:?}"));
            continue;
        }
        let Some((text, gold)) = line.split_once('\t') else {
            errors.push(format!("line {n}: no tab between sentence and gold"));
            continue;
        };
        if text.trim().is_empty() || gold.contains('\t') {
            errors.push(format!("line {n}: empty sentence or a second tab"));
            continue;
        }
        if current.is_empty() {
            errors.push(format!("line {n}: sentence before any @figure"));
            continue;
        }
        if dirty {
            out.blocks.push(current.clone());
            dirty = false;
        }
        let mut items = Vec::new();
        if gold.trim() != "-" {
            for item in gold.split(" ;; ") {
                match parse_gold(item, &current) {
                    Ok(g) => items.push(g),
                    Err(e) => errors.push(format!("line {n}: {e}")),
                }
            }
        }
        out.cases.push(Case {
            line: n,
            text: text.to_string(),
            block: out.blocks.len() - 1,
            gold: items,
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// A figure's assigned mention as the reader gave it.
#[derive(Debug, Clone)]
struct Predicted {
    figure: String,
    value: f64,
    event: Option<String>,
    owner: Option<String>,
    claimant: Option<String>,
}

/// Case-insensitive, ignoring a leading "the " and surrounding space.
fn same_name(a: Option<&str>, b: Option<&str>) -> bool {
    fn norm(s: &str) -> String {
        let s = s.trim().to_lowercase();
        match s.strip_prefix("the ") {
            Some(rest) => rest.trim().to_string(),
            None => s,
        }
    }
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => norm(a) == norm(b),
        _ => false,
    }
}

fn same_value(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Counts over a set of cases.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Score {
    sentences: usize,
    /// Sentences whose gold is `-`, and those where nothing was assigned.
    silent: usize,
    silent_ok: usize,
    gold: usize,
    predicted: usize,
    matched: usize,
    event_ok: usize,
    owner_ok: usize,
    claimant_ok: usize,
    /// Gold values that some mention of the sentence reads at all.
    value_read: usize,
}

fn ratio(ok: usize, n: usize) -> f64 {
    if n == 0 { 1.0 } else { ok as f64 / n as f64 }
}

impl Score {
    fn precision(&self) -> f64 {
        ratio(self.matched, self.predicted)
    }
    fn recall(&self) -> f64 {
        ratio(self.matched, self.gold)
    }
    fn claimant(&self) -> f64 {
        ratio(self.claimant_ok, self.matched)
    }

    fn print(&self, name: &str) {
        println!(
            "{name}: {} sentences ({} silent, {} kept silent); assignment P {:.3} R {:.3} \
             ({} matched / {} assigned / {} gold); among matched: event {:.3} owner {:.3} \
             claimant {:.3}; gold values read as some mention: {:.3}",
            self.sentences,
            self.silent,
            self.silent_ok,
            self.precision(),
            self.recall(),
            self.matched,
            self.predicted,
            self.gold,
            ratio(self.event_ok, self.matched),
            ratio(self.owner_ok, self.matched),
            self.claimant(),
            ratio(self.value_read, self.gold),
        );
    }
}

/// Scores one sentence's predictions against its gold; returns the counts
/// and a description of every miss (empty when all is right).
fn score_case(gold: &[Gold], predicted: &[Predicted], read_values: &[f64]) -> (Score, Vec<String>) {
    let mut s = Score {
        sentences: 1,
        silent: usize::from(gold.is_empty()),
        silent_ok: usize::from(gold.is_empty() && predicted.is_empty()),
        gold: gold.len(),
        predicted: predicted.len(),
        ..Score::default()
    };
    let mut misses = Vec::new();
    let mut used = vec![false; predicted.len()];
    for g in gold {
        if read_values.iter().any(|&v| same_value(v, g.value)) {
            s.value_read += 1;
        }
        let found = predicted
            .iter()
            .enumerate()
            .position(|(k, p)| !used[k] && p.figure == g.figure && same_value(p.value, g.value));
        let Some(k) = found else {
            misses.push(format!("missed   {} {}", g.figure, g.value));
            continue;
        };
        used[k] = true;
        s.matched += 1;
        let p = &predicted[k];
        let mut check = |what: &str, want: Option<&str>, got: Option<&str>, ok: &mut usize| {
            if same_name(want, got) {
                *ok += 1;
            } else {
                misses.push(format!(
                    "{what:<8} {} {}: gold {:?}, read {:?}",
                    g.figure,
                    g.value,
                    want.unwrap_or("-"),
                    got.unwrap_or("-")
                ));
            }
        };
        check(
            "event",
            g.event.as_deref(),
            p.event.as_deref(),
            &mut s.event_ok,
        );
        check(
            "owner",
            g.owner.as_deref(),
            p.owner.as_deref(),
            &mut s.owner_ok,
        );
        check(
            "claimant",
            g.claimant.as_deref(),
            p.claimant.as_deref(),
            &mut s.claimant_ok,
        );
    }
    for (p, used) in predicted.iter().zip(&used) {
        if !used {
            misses.push(format!("extra    {} {}", p.figure, p.value));
        }
    }
    (s, misses)
}

fn add(a: Score, b: Score) -> Score {
    Score {
        sentences: a.sentences + b.sentences,
        silent: a.silent + b.silent,
        silent_ok: a.silent_ok + b.silent_ok,
        gold: a.gold + b.gold,
        predicted: a.predicted + b.predicted,
        matched: a.matched + b.matched,
        event_ok: a.event_ok + b.event_ok,
        owner_ok: a.owner_ok + b.owner_ok,
        claimant_ok: a.claimant_ok + b.claimant_ok,
        value_read: a.value_read + b.value_read,
    }
}

/// Reads every case with `figures::read` and scores it, printing the misses
/// when `show_misses` (never for the held-out part, unless asked with
/// `FIGWATCH_SHOW_HELDOUT_MISSES=1`: reading them is tuning on them).
fn score(name: &str, corpus: &Corpus, show_misses: bool) -> Score {
    let mut total = Score::default();
    let mut by_block = vec![Score::default(); corpus.blocks.len()];
    for case in &corpus.cases {
        let figures = &corpus.blocks[case.block];
        let reading = read("", &case.text, figures);
        let predicted: Vec<Predicted> = reading
            .mentions
            .iter()
            .zip(&reading.assignments)
            .filter_map(|(m, a)| {
                a.figure.map(|f| Predicted {
                    figure: figures[f].name.clone(),
                    value: m.value,
                    event: m.event.clone(),
                    owner: m.owner.clone(),
                    claimant: m.claimed_by.clone(),
                })
            })
            .collect();
        let values: Vec<f64> = reading.mentions.iter().map(|m| m.value).collect();
        let (s, misses) = score_case(&case.gold, &predicted, &values);
        if show_misses && !misses.is_empty() {
            println!("MISS {name}:{} {}", case.line, case.text);
            for miss in misses {
                println!("    {miss}");
            }
            for (m, a) in reading.mentions.iter().zip(&reading.assignments) {
                println!(
                    "    read {:?} = {} noun {:?} event {:?} owner {:?} by {:?}{} -> {}: {}",
                    m.text,
                    m.value,
                    m.noun,
                    m.event.as_deref().unwrap_or("-"),
                    m.owner.as_deref().unwrap_or("-"),
                    m.claimed_by.as_deref().unwrap_or("-"),
                    if m.increment { " (increment)" } else { "" },
                    a.figure.map_or("-", |f| figures[f].name.as_str()),
                    a.reason
                );
            }
        }
        by_block[case.block] = add(by_block[case.block], s);
        total = add(total, s);
    }
    for (k, block) in by_block.iter().enumerate().filter(|_| show_misses) {
        let names: Vec<&str> = corpus.blocks[k].iter().map(|f| f.name.as_str()).collect();
        block.print(&format!("  {name} block {} ({})", k + 1, names.join(", ")));
    }
    total
}

fn parsed(name: &str, text: &str) -> Corpus {
    match parse(text) {
        Ok(c) => c,
        Err(errors) => panic!("{name} does not parse:\n{}", errors.join("\n")),
    }
}

/// Run with `--nocapture` to see the scores and every miss. Asserts only
/// what holds before the claim scanner lands: the files parse, they are
/// big and varied enough, and the gold is well-formed.
#[test]
fn claims_corpus_scores() {
    let tuning = parsed("claims.txt", TUNING);
    let heldout = parsed("claims_heldout.txt", HELDOUT);
    for (name, c, at_least) in [
        ("claims.txt", &tuning, 380),
        ("claims_heldout.txt", &heldout, 200),
    ] {
        assert!(
            c.cases.len() >= at_least,
            "{name}: {} sentences",
            c.cases.len()
        );
        assert!(
            c.blocks.len() >= 4,
            "{name}: {} figure blocks",
            c.blocks.len()
        );
        let silent = c.cases.iter().filter(|c| c.gold.is_empty()).count();
        assert!(
            silent * 10 >= c.cases.len() && silent * 10 <= c.cases.len() * 3,
            "{name}: {silent} of {} sentences are silent (want 10 to 30%)",
            c.cases.len()
        );
        let mut texts: Vec<&str> = c.cases.iter().map(|c| c.text.as_str()).collect();
        texts.sort_unstable();
        texts.dedup();
        assert_eq!(
            texts.len(),
            c.cases.len(),
            "{name}: a sentence appears twice"
        );
        for (k, block) in c.blocks.iter().enumerate() {
            assert!(
                c.cases.iter().any(|c| c.block == k),
                "{name}: figure block {k} has no sentence"
            );
            for figure in block {
                assert!(
                    c.cases
                        .iter()
                        .filter(|c| c.block == k)
                        .any(|c| c.gold.iter().any(|g| g.figure == figure.name)),
                    "{name}: figure {} of block {k} is never gold",
                    figure.name
                );
            }
        }
    }
    assert!(tuning.cases.len() + heldout.cases.len() >= 600);
    // Held out means written apart: no sentence in both files.
    for case in &heldout.cases {
        assert!(
            !tuning.cases.iter().any(|t| t.text == case.text),
            "held-out line {} is also in the tuning file",
            case.line
        );
    }

    let t = score("claims.txt", &tuning, true);
    let show_heldout = std::env::var_os("FIGWATCH_SHOW_HELDOUT_MISSES").is_some();
    let h = score("claims_heldout.txt", &heldout, show_heldout);
    assert_eq!(t.sentences, tuning.cases.len());
    assert_eq!(h.sentences, heldout.cases.len());
    t.print("claims (tuning)");
    h.print("claims (held out)");
    add(t, h).print("claims (all)");
    println!(
        "held-out targets: P >= {HELDOUT_MIN_PRECISION} R >= {HELDOUT_MIN_RECALL} \
         claimant >= {HELDOUT_MIN_CLAIMANT}; today P {:.3} R {:.3} claimant {:.3}",
        h.precision(),
        h.recall(),
        h.claimant()
    );
    assert!(
        h.precision() >= HELDOUT_PRECISION_FLOOR,
        "held-out P {:.3}",
        h.precision()
    );
    assert!(
        h.claimant() >= HELDOUT_MIN_CLAIMANT,
        "held-out claimant {:.3}",
        h.claimant()
    );
    assert!(
        h.recall() >= HELDOUT_RECALL_FLOOR,
        "held-out R {:.3}",
        h.recall()
    );
    assert!(
        t.precision() >= TUNING_MIN_PRECISION,
        "tuning P {:.3}",
        t.precision()
    );
    assert!(
        t.recall() >= TUNING_MIN_RECALL,
        "tuning R {:.3}",
        t.recall()
    );
}

#[test]
fn corpus_format_errors_are_reported_with_their_line() {
    let text = "# header\n\
                @figure troops: troops, soldiers | of: North Korea | kind: count\n\
                1,000 troops arrived.\ttroops | 1000 | deployed | - | -\n\
                @figure dead: dead | kind: weight\n\
                No tab here\n\
                200 tanks.\ttanks | 200 | - | - | -\n\
                300 troops.\ttroops | 300 | marched | - | -\n\
                400 troops.\ttroops | 400 | -\n";
    let errors = parse(text).unwrap_err();
    let lines: Vec<&str> = errors
        .iter()
        .map(|e| e.split(':').next().unwrap())
        .collect();
    assert_eq!(
        lines,
        ["line 4", "line 5", "line 6", "line 7", "line 8"],
        "{errors:#?}"
    );

    let ok = parse(
        "@figure aid: aid | kind: money | unit: USD | by_source: true\n\
         $5 million in aid.\taid | 5e6 | pledged | United States | the State Department ;; aid | 1 | - | - | -\n\
         @reset\n\
         @figure dead: dead, killed\n\
         No figure here.\t-\n",
    )
    .unwrap();
    assert_eq!(ok.blocks.len(), 2);
    assert_eq!(ok.blocks[0][0].kind, FigureKind::Money);
    assert_eq!(ok.blocks[0][0].unit.as_deref(), Some("USD"));
    assert!(ok.blocks[0][0].by_source);
    assert_eq!(ok.cases[0].gold.len(), 2);
    assert_eq!(ok.cases[0].gold[0].owner.as_deref(), Some("United States"));
    assert_eq!(ok.cases[0].gold[1].event, None);
    assert_eq!(ok.cases[1].block, 1);
    assert!(ok.cases[1].gold.is_empty());
}

#[test]
fn scorer_matches_on_figure_and_value_and_compares_claims_loosely() {
    let gold = |figure: &str, value: f64, claimant: Option<&str>| Gold {
        figure: figure.to_string(),
        value,
        event: Some("killed".to_string()),
        owner: Some("North Korea".to_string()),
        claimant: claimant.map(str::to_string),
    };
    let predicted = |figure: &str, value: f64, claimant: Option<&str>| Predicted {
        figure: figure.to_string(),
        value,
        event: Some("killed".to_string()),
        owner: Some("north korea".to_string()),
        claimant: claimant.map(str::to_string),
    };
    let (s, misses) = score_case(
        &[
            gold("casualties", 1500.0, Some("the NIS")),
            gold("casualties", 2200.0, Some("Seoul")),
            gold("troops", 11000.0, None),
        ],
        &[
            predicted("casualties", 1500.0, Some("NIS")),
            predicted("troops", 2200.0, Some("Seoul")),
            predicted("troops", 11000.0, Some("Seoul")),
        ],
        &[1500.0, 2200.0],
    );
    assert_eq!(
        (
            s.gold,
            s.predicted,
            s.matched,
            s.event_ok,
            s.owner_ok,
            s.claimant_ok,
            s.value_read
        ),
        (3, 3, 2, 2, 2, 1, 2),
        "{misses:#?}"
    );
    assert_eq!(misses.len(), 3, "{misses:#?}");
    let (s, misses) = score_case(&[], &[], &[2024.0]);
    assert_eq!((s.silent, s.silent_ok), (1, 1));
    assert!(misses.is_empty());
}
