//! The annotated corpus: precision and recall of mentions and assignment.

use super::*;

// ---- the annotated corpus ----

const CORPUS: &str = include_str!("../corpus.txt");
const HELDOUT: &str = include_str!("../heldout.txt");

fn corpus_figures() -> Vec<Figure> {
    vec![
        Figure::new("artillery", &["artillery pieces", "artillery", "howitzers"]),
        Figure::new("troops", &["troops", "soldiers"]),
        Figure::new("shells", &["shells", "ammunition"]),
        Figure::new("drones", &["drones"]),
        Figure::new("tanks", &["tanks"]),
        Figure::new("missiles", &["missiles"]),
        Figure::new("refugees", &["refugees", "displaced people"]),
        Figure::new("casualties", &["casualties", "deaths"]),
        Figure::new("aid", &["aid", "dollars"]),
        Figure::new("turnout", &["turnout", "percent"]),
    ]
}

fn head(noun: &str) -> String {
    noun.rsplit(' ').next().unwrap_or("").to_lowercase()
}

/// Counts matches between two multisets of keys.
fn matched(gold: &[String], got: &[String]) -> usize {
    let mut left = gold.to_vec();
    got.iter()
        .filter(|g| match left.iter().position(|x| x == *g) {
            Some(k) => {
                left.swap_remove(k);
                true
            }
            None => false,
        })
        .count()
}

/// Matched, predicted and gold counts for mentions and assignments.
#[derive(Default, Clone, Copy)]
struct Score {
    sentences: usize,
    m: (usize, usize, usize),
    a: (usize, usize, usize),
}

impl Score {
    fn add(self, o: Score) -> Score {
        Score {
            sentences: self.sentences + o.sentences,
            m: (self.m.0 + o.m.0, self.m.1 + o.m.1, self.m.2 + o.m.2),
            a: (self.a.0 + o.a.0, self.a.1 + o.a.1, self.a.2 + o.a.2),
        }
    }

    /// (mention P, mention R, assignment P, assignment R).
    fn rates(&self) -> (f64, f64, f64, f64) {
        let p = |ok: usize, n: usize| if n == 0 { 1.0 } else { ok as f64 / n as f64 };
        (
            p(self.m.0, self.m.1),
            p(self.m.0, self.m.2),
            p(self.a.0, self.a.1),
            p(self.a.0, self.a.2),
        )
    }

    fn print(&self, name: &str) {
        let (mp, mr, ap, ar) = self.rates();
        println!(
            "{name}: {} sentences; mentions (value+qualifier+head): P {mp:.3} R {mr:.3} \
             ({}/{}/{}); assignment: P {ap:.3} R {ar:.3} ({}/{}/{})",
            self.sentences, self.m.0, self.m.1, self.m.2, self.a.0, self.a.1, self.a.2
        );
    }
}

fn score(corpus: &str) -> Score {
    let figures = corpus_figures();
    let mut s = Score::default();
    for line in corpus
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (text, gold) = line.split_once('\t').expect("corpus line has a tab");
        s.sentences += 1;
        let mut gold_m = Vec::new();
        let mut gold_a = Vec::new();
        if gold.trim() != "-" {
            for item in gold.split(" ; ") {
                let parts: Vec<&str> = item.split_whitespace().collect();
                assert_eq!(parts.len(), 4, "bad gold item {item:?}");
                let v: f64 = parts[0].parse().expect("gold value");
                gold_m.push(format!("{v} {} {}", parts[1], parts[2]));
                if parts[3] != "-" {
                    gold_a.push(format!("{v} {}", parts[3]));
                }
            }
        }
        let ms = mentions(text);
        let asg = assign(&ms, &figures);
        let got_m: Vec<String> = ms
            .iter()
            .map(|m| {
                let h = head(&m.noun);
                let h = if h.is_empty() { "-".to_string() } else { h };
                format!("{} {} {h}", m.value, m.qualifier.as_str())
            })
            .collect();
        let got_a: Vec<String> = ms
            .iter()
            .zip(&asg)
            .filter_map(|(m, a)| a.figure.map(|f| format!("{} {}", m.value, figures[f].name)))
            .collect();
        let (ok_m, ok_a) = (matched(&gold_m, &got_m), matched(&gold_a, &got_a));
        if ok_m != gold_m.len()
            || ok_m != got_m.len()
            || ok_a != gold_a.len()
            || ok_a != got_a.len()
        {
            println!("MISS {text}\n   gold {gold_m:?} {gold_a:?}\n   got  {got_m:?} {got_a:?}");
        }
        s.m = (s.m.0 + ok_m, s.m.1 + got_m.len(), s.m.2 + gold_m.len());
        s.a = (s.a.0 + ok_a, s.a.1 + got_a.len(), s.a.2 + gold_a.len());
    }
    s
}

/// Run with `--nocapture` to see the figures and every miss.
#[test]
fn corpus_precision_and_recall() {
    let tuned = score(CORPUS);
    let heldout = score(HELDOUT);
    let all = tuned.add(heldout);
    tuned.print("corpus (tuned on)");
    heldout.print("held-out");
    all.print("all");
    assert!(all.sentences >= 200);
    let (mp, mr, ap, ar) = all.rates();
    assert!(mp >= 0.97 && mr >= 0.93, "mentions P {mp:.3} R {mr:.3}");
    assert!(ap >= 0.97 && ar >= 0.93, "assignment P {ap:.3} R {ar:.3}");
}

#[test]
fn overlong_sentences_are_windowed() {
    let text = "12 tanks, ".repeat(5000);
    let m = mentions(&text);
    assert_eq!(m.len(), 5000);
    assert!(
        m.iter().all(|m| m.sentence.len() <= 2 * 400 + 20),
        "window applied"
    );
    assert!(m[2500].sentence.contains(&m[2500].text));
}
