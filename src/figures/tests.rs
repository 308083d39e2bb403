use super::*;
use crate::config::{AlertOn, Figure, MinChange};
use chrono::TimeZone;

fn figure(name: &str, terms: &[&str]) -> Figure {
    Figure {
        name: name.to_string(),
        terms: terms.iter().map(|t| t.to_string()).collect(),
        alert_on: AlertOn::Change,
        min_change: None,
    }
}

fn war_figures() -> Vec<Figure> {
    vec![
        figure("artillery", &["artillery pieces", "artillery", "howitzers"]),
        figure("troops", &["troops", "soldiers"]),
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

#[test]
fn digits_separators_decimals_scales() {
    check("11,000 troops", &["11000 exact troops"]);
    check("11 000 troops", &["11000 exact troops"]);
    check("1,250,000 shells", &["1250000 exact shells"]);
    check("1.5 million people", &["1500000 exact people"]);
    check("10k drones", &["10000 exact drones"]);
    check("2bn dollars", &["2000000000 exact"]);
    check("3 million-strong army", &["3000000 exact army"]);
}

#[test]
fn number_words() {
    check("two hundred tanks", &["200 exact tanks"]);
    check(
        "eleven thousand five hundred troops",
        &["11500 exact troops"],
    );
    check("a dozen drones", &["12 exact drones"]);
    check("half a million refugees", &["500000 exact refugees"]);
    check("twenty-five soldiers", &["25 exact soldiers"]);
    check("seven hundred and fifty guards", &["750 exact guards"]);
    check("one of the soldiers", &[]);
    check("thirty three tanks", &["33 exact tanks"]);
    check("3 dozens eggs", &["36 exact eggs"]);
    check("half a dozen drones", &["6 exact drones"]);
    check("half million people", &["500000 exact people"]);
    check("three billions dollars", &["3000000000 exact"]);
}

#[test]
fn vague_quantities_are_approximate() {
    check("dozens of drones", &["24 approximately drones"]);
    check("hundreds of soldiers", &["200 approximately soldiers"]);
    check(
        "tens of thousands of people",
        &["20000 approximately people"],
    );
    check("in the hundreds", &[]);
}

#[test]
fn qualifiers() {
    check("more than 200 pieces", &["200 more_than pieces"]);
    check("over 200 pieces", &["200 more_than pieces"]);
    check("in excess of 200 pieces", &["200 more_than pieces"]);
    check("upwards of 200 pieces", &["200 more_than pieces"]);
    check("at least 200 pieces", &["200 at_least pieces"]);
    check("no fewer than 200 pieces", &["200 at_least pieces"]);
    check("fewer than 200 pieces", &["200 less_than pieces"]);
    check("less than 200 pieces", &["200 less_than pieces"]);
    check("under 200 pieces", &["200 less_than pieces"]);
    check("below 200 pieces", &["200 less_than pieces"]);
    check("up to 200 pieces", &["200 at_most pieces"]);
    check("at most 200 pieces", &["200 at_most pieces"]);
    check("as many as 200 pieces", &["200 at_most pieces"]);
    check("no more than 200 pieces", &["200 at_most pieces"]);
    for q in [
        "about",
        "around",
        "approximately",
        "roughly",
        "nearly",
        "almost",
        "some",
        "an estimated",
        "close to",
    ] {
        check(&format!("{q} 200 pieces"), &["200 approximately pieces"]);
    }
    check("200 or more pieces", &["200 at_least pieces"]);
    check("200-plus pieces", &["200 more_than pieces"]);
    check("about 500 or more tanks", &["500 at_least tanks"]);
    check("200 or fewer tanks", &["200 at_most tanks"]);
    check("less than or equal to 30 tanks", &["30 at_most tanks"]);
    check(">= 30 tanks", &["30 at_least tanks"]);
    check("<30 tanks", &["30 less_than tanks"]);
}

#[test]
fn bounds_follow_the_qualifier() {
    let m = &mentions("more than 200 tanks")[0];
    assert_eq!((m.low, m.high), (Some(200.0), None));
    let m = &mentions("up to 200 tanks")[0];
    assert_eq!((m.low, m.high), (None, Some(200.0)));
    let m = &mentions("about 200 tanks")[0];
    assert_eq!((m.low, m.high), (Some(200.0), Some(200.0)));
    let m = &mentions("between 10,000 and 12,000 troops")[0];
    assert_eq!(
        (m.value, m.low, m.high),
        (11000.0, Some(10000.0), Some(12000.0))
    );
    assert_eq!(m.qualifier, Qualifier::Range);
}

#[test]
fn ranges() {
    check("10,000 to 12,000 troops", &["11000 range troops"]);
    check("between 10,000 and 12,000 troops", &["11000 range troops"]);
    check("10,000-12,000 troops", &["11000 range troops"]);
    check("10,000–12,000 troops", &["11000 range troops"]);
    check("1,000 - 5,000 troops", &["3000 range troops"]);
    check("5k-20k troops", &["12500 range troops"]);
    check("1.5 to 2 million people", &["1750000 range people"]);
    check("ranging from 10 to 20 tanks", &["15 range tanks"]);
    check("rose from 10 to 20 tanks", &["10 exact", "20 exact tanks"]);
}

#[test]
fn not_counts() {
    for text in [
        "in 2024",
        "2024 marks the final year",
        "Feb. 11",
        "on February 11",
        "September 9, 2023",
        "from 2021-2025",
        "at 10:30",
        "at 5 p.m.",
        "the 75th anniversary",
        "the second wave",
        "240mm rockets",
        "KN-23 missiles",
        "Su-27 jets",
        "call 555-123-4567",
        "aged 45",
        "a 45-year-old man",
        "a five-year plan",
        "60.1 F",
        "No. 1",
        "page 12",
        "the 1990s",
        "on 2025-02-11",
        "in 2018.04",
    ] {
        check(text, &[]);
    }
}

#[test]
fn percent_and_money_have_their_kind() {
    let m = mentions("25% of voters and $3.2 billion in aid and 7 percent");
    let kinds: Vec<(f64, Kind)> = m.iter().map(|m| (m.value, m.kind)).collect();
    assert_eq!(
        kinds,
        vec![
            (25.0, Kind::Percent),
            (3.2e9, Kind::Money),
            (7.0, Kind::Percent)
        ]
    );
    let a = assign(&m, &war_figures());
    assert!(a.iter().all(|a| a.figure.is_none()), "{a:?}");
    let a = assign(&m, &[figure("aid", &["aid", "dollars"])]);
    assert_eq!(a[1].figure, Some(0), "{}", a[1].reason);
    assert_eq!(a[0].figure, None);
}

#[test]
fn inverted_noun_phrases() {
    check("troops numbering 11,000", &["11000 exact troops"]);
    check("a force of 11,000", &["11000 exact force"]);
    check("an 11,000-strong contingent", &["11000 exact contingent"]);
    check(
        "the number of troops rose to 12,000",
        &["12000 exact troops"],
    );
    check("artillery pieces: 200", &["200 exact artillery pieces"]);
}

#[test]
fn noun_phrase_skips_adjectives_and_nationalities() {
    check(
        "11,000 North Korean troops fought",
        &["11000 exact North Korean troops"],
    );
    check(
        "200 long-range artillery pieces were sent",
        &["200 exact long-range artillery pieces"],
    );
    check(
        "8 million artillery shells",
        &["8000000 exact artillery shells"],
    );
}

#[test]
fn head_of_the_noun_phrase_wins() {
    let figures = vec![
        figure("artillery", &["artillery"]),
        figure("shells", &["shells"]),
    ];
    let m = mentions("North Korea sent 8 million artillery shells.");
    let a = assign(&m, &figures);
    assert_eq!(a[0].figure, Some(1), "{}", a[0].reason);
    assert!(a[0].reason.contains("ends"), "{}", a[0].reason);
}

#[test]
fn counters_need_a_term_in_the_sentence() {
    let figures = war_figures();
    let m = mentions("The estimate of artillery was more than 160 pieces. Later 40 pieces came.");
    let a = assign(&m, &figures);
    assert_eq!(a[0].figure, Some(0), "{}", a[0].reason);
    assert!(a[0].reason.contains("counter"), "{}", a[0].reason);
    assert_eq!(a[1].figure, None, "{}", a[1].reason);
}

#[test]
fn sentences_survive_abbreviations_and_decimals() {
    let text = "The U.S. said on Feb. 11 that No. 1 unit had 2.5 million shells. \"It is 40 tanks.\" Next one.";
    let m = mentions(text);
    assert_eq!(m.len(), 2);
    assert_eq!(
        m[0].sentence,
        "The U.S. said on Feb. 11 that No. 1 unit had 2.5 million shells."
    );
    assert_eq!(m[1].sentence, "\"It is 40 tanks.\"");
    assert_eq!(&text[m[0].start..m[0].end], m[0].text);
}

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
    // Nothing from the traps is a count mention at all.
    for bad in [60.1, 11.0, 2025.0, 9.0, 2023.0, 75.0, 2024.0, 5.0] {
        assert!(
            !r.mentions.iter().any(|m| m.value == bad),
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
    let mut f = figure("artillery", &["artillery"]);
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

#[test]
fn strange_input_does_not_panic() {
    for text in [
        "",
        "-",
        "$",
        "1,",
        "1.",
        "1-",
        "between 5 and",
        "a",
        "half a",
        "tens of",
        "№ 5 ₩",
        "1\u{a0}000 😀 troops",
        "((((1",
        "+",
        "9999999999999999999999999999999999 troops",
        "。1٣",
    ] {
        let m = mentions(text);
        let _ = assign(&m, &war_figures());
    }
}

// ---- the annotated corpus ----

const CORPUS: &str = include_str!("corpus.txt");
const HELDOUT: &str = include_str!("heldout.txt");

fn corpus_figures() -> Vec<Figure> {
    vec![
        figure("artillery", &["artillery pieces", "artillery", "howitzers"]),
        figure("troops", &["troops", "soldiers"]),
        figure("shells", &["shells", "ammunition"]),
        figure("drones", &["drones"]),
        figure("tanks", &["tanks"]),
        figure("missiles", &["missiles"]),
        figure("refugees", &["refugees", "displaced people"]),
        figure("casualties", &["casualties", "deaths"]),
        figure("aid", &["aid", "dollars"]),
        figure("turnout", &["turnout", "percent"]),
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

// ---- randomised properties (fastrand, fixed seeds: reproducible) ----

fn with_commas(n: u64, sep: &str) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

fn in_words(n: u64) -> String {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    fn below_thousand(n: u64, out: &mut Vec<String>) {
        if n >= 100 {
            out.push(UNITS[(n / 100) as usize].to_string());
            out.push("hundred".to_string());
        }
        let r = n % 100;
        if r == 0 {
        } else if r < 20 {
            out.push(UNITS[r as usize].to_string());
        } else if r.is_multiple_of(10) {
            out.push(TENS[(r / 10) as usize].to_string());
        } else {
            out.push(format!(
                "{}-{}",
                TENS[(r / 10) as usize],
                UNITS[(r % 10) as usize]
            ));
        }
    }
    if n == 0 {
        return "zero".to_string();
    }
    let mut out = Vec::new();
    for (scale, name) in [
        (1_000_000_000_000, "trillion"),
        (1_000_000_000, "billion"),
        (1_000_000, "million"),
        (1_000, "thousand"),
    ] {
        if !(n / scale).is_multiple_of(1000) {
            below_thousand(n / scale % 1000, &mut out);
            out.push(name.to_string());
        }
    }
    below_thousand(n % 1000, &mut out);
    out.join(" ")
}

#[test]
fn integers_written_any_way_parse_back() {
    let mut rng = fastrand::Rng::with_seed(7);
    for _ in 0..3000 {
        let digits = rng.u32(1..=13);
        let n = rng.u64(0..10u64.pow(digits)).min(1_000_000_000_000);
        assert_eq!(
            parse_number(&with_commas(n, ",")),
            Some(n as f64),
            "{n} with commas"
        );
        if n >= 1000 {
            assert_eq!(
                parse_number(&with_commas(n, " ")),
                Some(n as f64),
                "{n} with spaces"
            );
        }
        assert_eq!(
            parse_number(&in_words(n)),
            Some(n as f64),
            "{n} in words: {}",
            in_words(n)
        );
        let (whole, scale, word) = match rng.u8(0..3) {
            0 => (n % 1000, 1e3, "thousand"),
            1 => (n % 1000, 1e6, "million"),
            _ => (n % 1000, 1e9, "billion"),
        };
        let text = format!("{whole} {word}");
        assert_eq!(parse_number(&text), Some(whole as f64 * scale), "{text}");
    }
}

#[test]
fn arbitrary_text_never_panics() {
    let mut rng = fastrand::Rng::with_seed(11);
    let pieces = [
        "1",
        "22",
        "333",
        ",",
        ".",
        "-",
        "–",
        " ",
        "\n",
        "million",
        "more than",
        "between",
        "and",
        "to",
        "troops",
        "of",
        "a",
        "half",
        "dozens",
        "$",
        "%",
        "é",
        "😀",
        "No.",
        "Feb.",
        "\"",
        ":",
        "(",
        ")",
        "+",
        "strong",
        "numbering",
        "the number of",
        "twenty",
        "th",
        "mm",
    ];
    let figures = war_figures();
    for _ in 0..3000 {
        let mut text = String::new();
        for _ in 0..rng.usize(0..40) {
            if rng.u8(0..4) == 0 {
                text.push(rng.char(..));
            } else {
                text.push_str(pieces[rng.usize(0..pieces.len())]);
                if rng.bool() {
                    text.push(' ');
                }
            }
        }
        let m = mentions(&text);
        for x in &m {
            assert!(x.start <= x.end && x.end <= text.len(), "{text:?}");
            assert_eq!(&text[x.start..x.end], x.text, "{text:?}");
        }
        let _ = read(&text, &text, &figures);
    }
}
