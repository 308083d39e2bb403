//! Which mentions become an article's observations: one per figure, one per
//! claimant for a `by_source` figure, never an increment.

use super::*;

/// A mention of `value` troops claimed by `claimed_by`.
fn mention(value: f64, claimed_by: Option<&str>, increment: bool) -> Mention {
    Mention {
        claimed_by: claimed_by.map(str::to_string),
        increment,
        ..Mention::exact_count(value, "troops", &format!("{value} troops"))
    }
}

fn assigned_to(figure: Option<usize>, n: usize) -> Vec<Assignment> {
    vec![
        Assignment {
            also: Vec::new(),
            figure,
            reason: "test".to_string(),
        };
        n
    ]
}

fn troops(by_source: bool) -> Figure {
    let mut figure = Figure::new("troops", &["troops"]);
    figure.by_source = by_source;
    figure
}

#[track_caller]
fn check_observations(figure: Figure, mentions: &[Mention], expected: &[usize]) {
    let assignments = assigned_to(Some(0), mentions.len());
    let got = observations(mentions, &assignments, &[figure]);
    let expected: Vec<(usize, usize)> = expected.iter().map(|&m| (0, m)).collect();
    assert_eq!(got, expected);
}

#[test]
fn one_observation_per_figure_whoever_claims_it() {
    let mentions = [
        mention(11_000.0, Some("NIS"), false),
        mention(12_000.0, Some("Kyiv"), false),
        mention(13_000.0, None, false),
    ];
    check_observations(troops(false), &mentions, &[0]);
}

#[test]
fn by_source_figure_observes_each_claimants_first_mention() {
    let mentions = [
        mention(11_000.0, Some("NIS"), false),
        mention(12_000.0, Some("Kyiv"), false),
        mention(11_500.0, Some("NIS"), false),
        mention(13_000.0, None, false),
        mention(14_000.0, Some(" Kyiv "), false),
        mention(15_000.0, None, false),
    ];
    // NIS (0), Kyiv (1), unattributed (3); " Kyiv " is Kyiv again.
    check_observations(troops(true), &mentions, &[0, 1, 3]);
}

#[test]
fn an_increment_is_never_an_observation_even_when_assigned() {
    let mentions = [mention(1_000.0, None, true), mention(14_000.0, None, false)];
    check_observations(troops(false), &mentions, &[1]);
    let only_increment = [mention(1_000.0, Some("NIS"), true)];
    check_observations(troops(true), &only_increment, &[]);
}

#[test]
fn unassigned_mentions_and_other_figures_are_not_observed() {
    let mentions = [mention(11_000.0, None, false)];
    let figures = [troops(false), Figure::new("tanks", &["tanks"])];
    assert!(observations(&mentions, &assigned_to(None, 1), &figures).is_empty());
    assert_eq!(
        observations(&mentions, &assigned_to(Some(1), 1), &figures),
        [(1, 0)]
    );
}

#[test]
fn state_claimant_is_the_trimmed_claim_only_for_by_source_figures() {
    let claimed = mention(1.0, Some(" the NIS "), false);
    // "the NIS" and "NIS" are one claimant.
    assert_eq!(state_claimant(&troops(true), &claimed), "NIS");
    let bare = mention(1.0, Some("NIS"), false);
    assert_eq!(state_claimant(&troops(true), &bare), "NIS");
    assert_eq!(state_claimant(&troops(false), &claimed), "");
    assert_eq!(
        state_claimant(&troops(true), &mention(1.0, None, false)),
        ""
    );
}
