//! Forms of news sentences the claim and assignment stages read since the
//! fourth tuning batch: each general, each on sentences of our own.

use super::*;
use crate::config::FigureKind;

/// What each mention of `text` is assigned to, as "value figure" ("value -"
/// when none).
fn assigned(figures: &[Figure], text: &str) -> Vec<String> {
    let r = read("", text, figures);
    r.mentions
        .iter()
        .zip(&r.assignments)
        .map(|(m, a)| {
            let figure = a.figure.map_or("-", |i| figures[i].name.as_str());
            format!("{} {figure}", m.value)
        })
        .collect()
}

fn figure(name: &str, terms: &[&str]) -> Figure {
    Figure::new(name, terms)
}

#[test]
fn a_measure_figure_takes_its_unit_as_people_write_it() {
    let mut grain = figure("grain", &["grain", "wheat"]);
    grain.kind = FigureKind::Measure;
    grain.unit = Some("tonnes".to_string());
    let figures = vec![grain];
    // Weighed counts and plain measures alike, "tonnes" being "t".
    assert_eq!(
        assigned(
            &figures,
            "Vardonia exported 4.2 million tonnes of grain in May."
        ),
        ["4200000 grain"]
    );
    assert_eq!(
        assigned(
            &figures,
            "The wheat harvest is expected to reach 82 million tonnes."
        ),
        ["82000000 grain"]
    );
    // Another unit is still refused.
    assert_eq!(
        assigned(&figures, "The wheat crop covers 12 million hectares."),
        ["12000000 -"]
    );
}

#[test]
fn people_named_by_where_they_are_count_without_an_event() {
    let figures = vec![figure(
        "arrivals",
        &["arrivals", "migrants", "asylum seekers"],
    )];
    assert_eq!(
        assigned(
            &figures,
            "More than 15,000 migrants reached the islands this year."
        ),
        ["15000 arrivals"]
    );
    // Still no casualty count.
    assert_eq!(
        assigned(
            &figures,
            "At least 40 migrants were killed when the boat capsized."
        ),
        ["40 -"]
    );
    // A casualty figure of prisoners stays an event figure.
    let figures = vec![figure("prisoners", &["prisoners", "POWs"])];
    assert_eq!(
        assigned(
            &figures,
            "Some 1,200 soldiers were captured near the river."
        ),
        ["1200 prisoners"]
    );
}

#[test]
fn an_initialism_stays_in_the_noun_phrase() {
    let figures = vec![figure("us_troops", &["troops", "Marines"])];
    assert_eq!(
        assigned(
            &figures,
            "About 28,500 U.S. troops are stationed in the south."
        ),
        ["28500 us_troops"]
    );
    let r = read(
        "",
        "Up to 2,500 U.S. Marines will rotate through the base.",
        &figures,
    );
    assert_eq!(r.mentions[0].noun, "U.S. Marines");
    assert_eq!(r.mentions[0].owner.as_deref(), Some("United States"));
}

#[test]
fn an_event_a_noun_names_is_its_own_not_the_list_before_it() {
    let figures = vec![
        figure("deaths", &["deaths", "dead"]),
        figure("cases", &["cases"]),
    ];
    assert_eq!(
        assigned(
            &figures,
            "Clinics recorded 18,400 cholera cases and 312 deaths."
        ),
        ["18400 cases", "312 deaths"]
    );
    // The shared verb still reaches back: "Nine soldiers and four civilians died".
    let r = read("", "Nine soldiers and four civilians died.", &figures);
    assert!(
        r.mentions
            .iter()
            .all(|m| m.event.as_deref() == Some("dead"))
    );
}

#[test]
fn number_as_a_verb_and_subjects_with_a_place_phrase() {
    let figures = vec![figure("refugees", &["refugees", "asylum seekers"])];
    assert_eq!(
        assigned(&figures, "Refugees from Kestria now number 3.1 million."),
        ["3100000 refugees"]
    );
    assert_eq!(
        assigned(
            &figures,
            "Kestrian asylum seekers in Norway number about 97,000."
        ),
        ["97000 refugees"]
    );
    // A label stays a label.
    assert_eq!(
        assigned(&figures, "The refugees lived at number 10."),
        [] as [&str; 0]
    );
}

#[test]
fn a_toll_counts_the_dead_and_passing_is_a_level() {
    let figures = vec![figure("dead", &["dead", "death toll", "deaths"])];
    assert_eq!(
        assigned(&figures, "Quake toll climbs to 2,300"),
        ["2300 dead"]
    );
    assert_eq!(
        assigned(&figures, "Cholera deaths pass 400 as rains flood camps"),
        ["400 dead"]
    );
    let arrests = vec![figure("arrested", &["arrested"])];
    assert_eq!(
        assigned(
            &arrests,
            "Monitors put the number of arrests at more than 5,000."
        ),
        ["5000 arrested"]
    );
}

#[test]
fn a_change_by_n_is_never_a_level_and_not_a_range_with_the_level() {
    let figures = vec![figure("soldiers", &["servicemen"]), {
        let mut budget = figure("budget", &["defence budget"]);
        budget.kind = FigureKind::Money;
        budget
    }];
    assert_eq!(
        assigned(
            &figures,
            "The army will increase by 180,000 to 1.5 million servicemen."
        ),
        ["180000 -", "1500000 soldiers"]
    );
    assert_eq!(
        assigned(
            &figures,
            "Parliament cut the defence budget by $300 million."
        ),
        ["300000000 -"]
    );
    // A range of the change stays a range: "fell by 1 to 1.5".
    let r = read("", "Temperatures fell by 1 to 1.5 degrees.", &figures);
    assert_eq!(r.mentions.len(), 1);
    assert_eq!(r.mentions[0].qualifier, Qualifier::Range);
}

#[test]
fn where_troops_left_from_is_not_whose_they_are() {
    let figures = vec![{
        let mut f = figure("us_troops", &["troops"]);
        f.of = vec!["United States".to_string()];
        f
    }];
    assert_eq!(
        assigned(
            &figures,
            "The U.S. pulled out 2,500 troops from Iraq last year."
        ),
        ["2500 us_troops"]
    );
    // A headline's infinitive has its subject.
    let r = read(
        "",
        "U.S. to station 4,000 troops in the Philippines",
        &figures,
    );
    assert_eq!(r.mentions[0].event.as_deref(), Some("deployed"));
    assert_eq!(r.mentions[0].owner.as_deref(), Some("United States"));
}

#[test]
fn a_bare_total_of_money_takes_the_sentences_terms() {
    let mut aid = figure("aid", &["aid"]);
    aid.kind = FigureKind::Money;
    aid.unit = Some("EUR".to_string());
    assert_eq!(
        assigned(
            &[aid],
            "Kestria pledged €190 million in military aid, bringing its total to €2.1 billion."
        ),
        ["190000000 -", "2100000000 aid"]
    );
}

#[test]
fn a_plural_term_heads_its_of_phrase() {
    let figures = vec![figure("shells", &["shells", "rounds"])];
    assert_eq!(
        assigned(
            &figures,
            "The plant made about 1 million rounds of 155mm ammunition last year."
        ),
        ["1000000 shells"]
    );
    // Still not the modifier of another head.
    let figures = vec![figure("missiles", &["missiles"])];
    assert_eq!(
        assigned(&figures, "The brigade has 12 missile launchers."),
        ["12 -"]
    );
}

#[test]
fn whoever_did_the_killing_does_not_own_the_dead() {
    let of = |mut f: Figure| {
        f.of = vec!["North Korea".to_string()];
        f
    };
    let figures = vec![
        of(figure("troops", &["troops", "soldiers"])),
        of(figure("casualties", &["casualties", "killed", "wounded"])),
    ];
    // The killers are the watched country's: the dead are not.
    assert_eq!(
        assigned(
            &figures,
            "North Korean troops killed 200 soldiers near the river."
        ),
        ["200 -"]
    );
    assert_eq!(
        assigned(
            &figures,
            "Commanders in Pyongyang said they had killed about 60 troops."
        ),
        ["60 -"]
    );
    // Its own dead, in either voice, and its own losses, still count.
    assert_eq!(
        assigned(
            &figures,
            "Drones killed 40 North Korean soldiers, Kyiv said."
        ),
        ["40 casualties"]
    );
    assert_eq!(
        assigned(
            &figures,
            "About 1,000 North Korean soldiers were killed by drones."
        ),
        ["1000 casualties"]
    );
    let r = read("", "North Korea lost 300 soldiers last week.", &figures);
    assert!(!r.mentions[0].agent);
    assert_eq!(r.assignments[0].figure, Some(1));
    // Without `of`, the count is a count.
    let plain = vec![figure("killed", &["killed"])];
    assert_eq!(
        assigned(&plain, "Gunmen killed 23 villagers on Tuesday."),
        ["23 killed"]
    );
}

#[test]
fn what_something_holds_is_no_count_of_people() {
    let figures = vec![figure("refugees", &["refugees", "civilians"])];
    for text in [
        "Officials are preparing shelters for up to 30,000 refugees.",
        "Camps built for 200,000 refugees are overflowing.",
        "The convoy carried food for 20,000 civilians.",
    ] {
        let r = read("", text, &figures);
        assert_eq!(r.assignments[0].figure, None, "{text}");
    }
    // A count that happens to stand after "for" elsewhere still counts.
    assert_eq!(
        assigned(
            &figures,
            "Kestria registered 20,000 refugees for the second month."
        ),
        ["20000 refugees"]
    );
}

#[test]
fn an_opening_common_noun_is_no_owner() {
    for text in [
        "Violence has displaced 11 million people across the region.",
        "Fighting has displaced 200,000 people since May.",
    ] {
        let r = read("", text, &[]);
        assert_eq!(r.mentions[0].owner, None, "{text}");
    }
    let r = read("", "Beijing has deployed 2,000 troops.", &[]);
    assert_eq!(r.mentions[0].owner.as_deref(), Some("China"));
}

#[test]
fn a_term_that_is_a_unit_takes_values_in_that_unit() {
    let mut burned = figure("burned", &["hectares"]);
    burned.kind = FigureKind::Measure;
    assert_eq!(
        assigned(
            &[burned],
            "The fire has burned 429,000 acres, or about 174,000 hectares."
        ),
        ["429000 -", "174000 burned"]
    );
}

#[test]
fn a_second_number_with_a_verb_of_its_own_keeps_no_borrowed_event() {
    let figures = vec![figure("rescued", &["rescued"])];
    assert_eq!(
        assigned(
            &figures,
            "Coast guards said 104 people had been rescued and 82 bodies recovered."
        ),
        ["104 rescued", "82 -"]
    );
    // Without a verb of its own it shares the first one's.
    let r = read("", "Berlin sent 30 howitzers and 12,000 soldiers.", &[]);
    assert_eq!(r.mentions[1].event.as_deref(), Some("sent"));
}

#[test]
fn what_others_say_about_something_else_is_no_source() {
    let r = read(
        "",
        "Only 86 aid trucks crossed on Sunday, far below what agencies say is needed, the UN said.",
        &[],
    );
    assert_eq!(r.mentions[0].claimed_by.as_deref(), Some("the UN"));
}

#[test]
fn who_lost_something_else_is_not_what_was_lost() {
    let r = read(
        "",
        "The contingent of 12,000 troops has lost about a third of its strength.",
        &[],
    );
    assert_eq!(r.mentions[0].event, None);
    let events = |text: &str| read("", text, &[]).mentions[0].event.clone();
    assert_eq!(
        events("About 300 soldiers lost their lives.").as_deref(),
        Some("dead")
    );
    assert_eq!(
        events("About 2,000 families lost their homes.").as_deref(),
        Some("displaced")
    );
    assert_eq!(
        events("Kestria has lost 4,000 troops.").as_deref(),
        Some("lost")
    );
}
