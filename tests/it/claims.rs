//! Issue 13 through the real binary: every sentence the issue quotes, read by
//! `figwatch extract --plain --json -` against (a) the example config
//! `config/figwatch.toml` and (b) a config written here with the example
//! watch's figures as the issue wants them (`troops` with `of = ["North
//! Korea"]`, `casualties` naming the casualty words, `artillery`) and a second
//! watch with the issue's war-story figures (`dead`, `displaced`, `tanks`, and
//! money figures in USD and EUR).
//!
//! What the test relies on: `extract --json` prints `mentions`, each with
//! `value`, `noun`, `event`, `owner`, `claimed_by`, `unit`, `increment`
//! (absent when false) and `assignments: [{"watch", "figure", "reason"}]`,
//! where `figure` is the assigned figure's name or null. The test reads the
//! assigned figure from `mentions[i].assignments[j].figure` for the entry
//! whose `watch` is the watch under test.
//!
//! Expected to FAIL until issue 13's scanner (event, owner, claimant,
//! increments, model designations), its assignment rules and the figure keys
//! `of`, `kind` and `unit` land.

use serde_json::Value;

use super::support::Workspace;

const CONFIG: &str = r#"[watch.nk-russia]
query = '("North Korea" OR DPRK OR Pyongyang) AND (Russia OR Moscow OR Kremlin)'

[watch.nk-russia.figure.artillery]
terms = ["artillery pieces", "artillery", "howitzers"]

[watch.nk-russia.figure.troops]
terms = ["troops", "soldiers"]
of = ["North Korea"]

[watch.nk-russia.figure.casualties]
terms = ["casualties", "killed", "wounded", "dead", "death toll"]

[watch.kestria]
query = 'Kestria'

[watch.kestria.figure.dead]
terms = ["death toll", "dead", "killed", "deaths"]

[watch.kestria.figure.displaced]
terms = ["displaced"]

[watch.kestria.figure.tanks]
terms = ["tanks"]

[watch.kestria.figure.aid_usd]
terms = ["aid"]
kind = "money"
unit = "USD"

[watch.kestria.figure.aid_eur]
terms = ["aid"]
kind = "money"
unit = "EUR"
"#;

/// The mentions `extract --plain --json` reads in `sentence`.
fn extract(work: &Workspace, sentence: &str) -> Vec<Value> {
    let output = work
        .figwatch(&["extract", "--plain", "--json", "-"])
        .write_stdin(sentence)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "extract failed on {sentence:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    json["mentions"].as_array().cloned().unwrap_or_default()
}

/// The figure `mention` is assigned to in `watch` (None: no figure).
fn figure_in(mention: &Value, watch: &str) -> Option<String> {
    let assignments = mention["assignments"].as_array().expect("assignments");
    let entry = assignments
        .iter()
        .find(|a| a["watch"] == watch)
        .unwrap_or_else(|| panic!("no assignment entry for watch {watch}: {mention}"));
    entry["figure"].as_str().map(str::to_string)
}

/// Every (value, figure) assigned in `watch`, in text order.
fn assigned(mentions: &[Value], watch: &str) -> Vec<(f64, String)> {
    mentions
        .iter()
        .filter_map(|m| Some((m["value"].as_f64()?, figure_in(m, watch)?)))
        .collect()
}

/// The mention of `value`.
#[track_caller]
fn mention_of(mentions: &[Value], value: f64) -> &Value {
    mentions
        .iter()
        .find(|m| m["value"].as_f64() == Some(value))
        .unwrap_or_else(|| panic!("no mention of {value} in {mentions:#?}"))
}

/// Asserts exactly these assignments in `watch` for `sentence`; returns the
/// mentions for further checks.
#[track_caller]
fn expect(work: &Workspace, sentence: &str, watch: &str, want: &[(f64, &str)]) -> Vec<Value> {
    let mentions = extract(work, sentence);
    let got = assigned(&mentions, watch);
    let want: Vec<(f64, String)> = want.iter().map(|(v, f)| (*v, f.to_string())).collect();
    assert_eq!(got, want, "{watch} on {sentence:?}:\n{mentions:#?}");
    mentions
}

fn workspace() -> Workspace {
    Workspace::new(CONFIG)
}

/// The example config shipped with figwatch.
fn example() -> Workspace {
    let work = Workspace::new("");
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/figwatch.toml");
    std::fs::copy(example, work.config()).unwrap();
    work
}

const KILLED_AND_WOUNDED: &str =
    "About 1,500 North Korean soldiers were killed and 2,200 wounded, Seoul said.";
const ADDITIONAL: &str = "North Korea has sent an additional 1,000 troops, bringing the total it has deployed to about 16,000.";
const WHOSE_TROOPS: &str = "Russia has about 600,000 troops in Ukraine, Putin said, and North Korea has sent some 11,000 soldiers.";

#[test]
fn killed_and_wounded_soldiers_are_casualties_never_troops() {
    for work in [workspace(), example()] {
        let mentions = expect(
            &work,
            KILLED_AND_WOUNDED,
            "nk-russia",
            &[(1500.0, "casualties"), (2200.0, "casualties")],
        );
        let killed = mention_of(&mentions, 1500.0);
        assert_eq!(killed["event"], "killed", "{killed}");
        assert_eq!(killed["owner"], "North Korea", "{killed}");
        assert_eq!(killed["claimed_by"], "Seoul", "{killed}");
        let wounded = mention_of(&mentions, 2200.0);
        assert_eq!(wounded["event"], "wounded", "{wounded}");
        assert_eq!(wounded["claimed_by"], "Seoul", "{wounded}");
    }
}

#[test]
fn an_increment_is_never_a_level_and_its_total_is() {
    for work in [workspace(), example()] {
        let mentions = expect(&work, ADDITIONAL, "nk-russia", &[(16000.0, "troops")]);
        let increment = mention_of(&mentions, 1000.0);
        assert_eq!(increment["increment"], true, "{increment}");
        assert_eq!(figure_in(increment, "nk-russia"), None);
        let total = mention_of(&mentions, 16000.0);
        assert_eq!(total["owner"], "North Korea", "{total}");
    }
}

#[test]
fn troops_of_another_country_are_not_the_watchs_troops() {
    for work in [workspace(), example()] {
        let mentions = expect(&work, WHOSE_TROOPS, "nk-russia", &[(11000.0, "troops")]);
        assert_eq!(mention_of(&mentions, 600_000.0)["owner"], "Russia");
        assert_eq!(mention_of(&mentions, 11000.0)["owner"], "North Korea");
    }
}

#[test]
fn every_wording_of_a_death_toll_is_read_for_the_dead_figure() {
    let work = workspace();
    for sentence in [
        "death toll rises to 2,300",
        "At least 2,300 dead",
        "Kestria: 2,300 killed",
        "2,300 people killed",
    ] {
        expect(&work, sentence, "kestria", &[(2300.0, "dead")]);
        expect(&work, sentence, "nk-russia", &[(2300.0, "casualties")]);
    }
    // The example config's casualties figure names "killed".
    let work = example();
    for sentence in ["Kestria: 2,300 killed", "2,300 people killed"] {
        expect(&work, sentence, "nk-russia", &[(2300.0, "casualties")]);
    }
}

#[test]
fn displaced_and_fed_civilians_are_nobodys_dead() {
    let work = workspace();
    let mentions = expect(
        &work,
        "300,000 civilians have been displaced",
        "kestria",
        &[(300_000.0, "displaced")],
    );
    assert_eq!(mention_of(&mentions, 300_000.0)["event"], "displaced");
    expect(
        &work,
        "300,000 civilians have been displaced",
        "nk-russia",
        &[],
    );
    expect(&work, "food for 20,000 civilians", "kestria", &[]);
    expect(&work, "food for 20,000 civilians", "nk-russia", &[]);
}

#[test]
fn a_model_designation_is_a_name_and_the_count_keeps_its_noun() {
    let work = workspace();
    for (sentence, count, designation) in [
        ("14 Leopard 2 tanks", 14.0, 2.0),
        ("31 M1 Abrams tanks", 31.0, 1.0),
    ] {
        let mentions = expect(&work, sentence, "kestria", &[(count, "tanks")]);
        let noun = mention_of(&mentions, count)["noun"].as_str().unwrap_or("");
        assert!(noun.ends_with("tanks"), "{sentence:?}: noun {noun:?}");
        assert!(
            mentions
                .iter()
                .all(|m| m["value"].as_f64() != Some(designation)),
            "{sentence:?}: the designation was read as a number: {mentions:#?}"
        );
    }
}

#[test]
fn dollars_and_euros_go_to_their_own_money_figures() {
    let work = workspace();
    let mentions = expect(
        &work,
        "Kestria's allies pledged $400 million in aid and €300 million in aid.",
        "kestria",
        &[(400_000_000.0, "aid_usd"), (300_000_000.0, "aid_eur")],
    );
    assert_eq!(mention_of(&mentions, 400_000_000.0)["unit"], "USD");
    assert_eq!(mention_of(&mentions, 300_000_000.0)["unit"], "EUR");
}
