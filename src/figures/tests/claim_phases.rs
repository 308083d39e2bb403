//! The claim phases, one behaviour each: event, increment, copular subject,
//! transition, owner and claimant, on sentences of our own.

use super::*;

/// What one mention claims, as "value event owner | claimant | previous
/// +increment" with "-" for what is unset.
fn claim(m: &Mention) -> String {
    let mut out = format!(
        "{} {} {} | {}",
        m.value,
        m.event.as_deref().unwrap_or("-"),
        m.owner.as_deref().unwrap_or("-"),
        m.claimed_by.as_deref().unwrap_or("-"),
    );
    if let Some(previous) = m.previous {
        out.push_str(&format!(" | from {previous}"));
    }
    if m.increment {
        out.push_str(" +increment");
    }
    out
}

#[track_caller]
fn check_claims(text: &str, expected: &[&str]) {
    let got: Vec<String> = mentions(text).iter().map(claim).collect();
    assert_eq!(got, expected, "text: {text}");
}

#[test]
fn events_are_read_in_both_orders_and_voices() {
    check_claims("Some 640 soldiers were killed.", &["640 killed - | -"]);
    check_claims("The shelling killed 14 people.", &["14 killed - | -"]);
    check_claims("A drone hit the bus, killing 9.", &["9 killed - | -"]);
    check_claims("At least 31 dead after the storm.", &["31 dead - | -"]);
    check_claims("Floods leave 212 people dead.", &["212 dead - | -"]);
    check_claims("Nearly 70 are missing.", &["70 missing - | -"]);
    check_claims("About 80 were taken prisoner.", &["80 captured - | -"]);
    check_claims("The blast wounded 26 workers.", &["26 wounded - | -"]);
    check_claims(
        "The flooding displaced 41,000 people.",
        &["41000 displaced - | -"],
    );
    check_claims("Berlin pledged 18 howitzers.", &["18 pledged Germany | -"]);
    check_claims(
        "4,000 troops have been deployed to the border.",
        &["4000 deployed - | -"],
    );
}

#[test]
fn a_casualty_verb_of_the_clause_wins_over_a_modifying_participle() {
    check_claims(
        "Of the 900 soldiers sent to the front, 300 were killed.",
        &["900 sent - | -", "300 killed - | -"],
    );
    check_claims(
        "1,000 troops sent to the front were killed.",
        &["1000 killed - | -"],
    );
}

#[test]
fn increments_are_marked_and_totals_are_not() {
    check_claims(
        "Vardia sent an additional 2,000 troops, bringing the total it has deployed to 9,000.",
        &[
            "2000 sent Vardia | - +increment",
            "9000 deployed Vardia | -",
        ],
    );
    check_claims(
        "They will send 500 more soldiers.",
        &["500 sent - | - +increment"],
    );
    check_claims("Another 300 refugees arrived.", &["300 - - | - +increment"]);
    check_claims("A further 40 tanks are due.", &["40 - - | - +increment"]);
    check_claims("More than 40 tanks are due.", &["40 - - | -"]);
}

#[test]
fn copular_subjects_are_what_is_counted() {
    let m = &mentions("The death toll from the landslide rose to 1,140.")[0];
    assert_eq!((m.value, m.noun.as_str()), (1140.0, "death toll"));
    let m = &mentions("Casualties have reached 4,000.")[0];
    assert_eq!(m.noun, "Casualties");
    let m = &mentions("The ministry estimates losses at around 7,500.")[0];
    assert_eq!(m.noun, "losses");
    assert_eq!(m.claimed_by.as_deref(), Some("The ministry"));
    let m = &mentions("Officials put the number of dead at 87.")[0];
    assert_eq!(m.noun, "dead");
    // No verb before the number: no subject.
    let m = &mentions("The strike killed 12 soldiers and 40 more.")[1];
    assert_eq!(m.noun, "");
}

#[test]
fn transitions_keep_the_new_value_and_the_old_as_previous() {
    check_claims(
        "The toll rose to 610 from 290.",
        &["610 dead - | - | from 290"],
    );
    check_claims(
        "Arrivals reached 3,500 in May, up from 2,100 in April.",
        &["3500 - - | - | from 2100"],
    );
    check_claims(
        "Kestria raised its contingent from 1,600 to 2,000 troops.",
        &["2000 - Kestria | - | from 1600"],
    );
    check_claims("The toll fell from 90 to 70.", &["70 - - | - | from 90"]);
    // Without a verb of change, "from A to B" stays a range.
    let m = &mentions("From 1,000 to 1,500 troops will take part.")[0];
    assert_eq!((m.qualifier, m.previous), (Qualifier::Range, None));
}

#[test]
fn owners_come_from_modifiers_possessives_subjects_and_agents() {
    check_claims("Some 400 Kestrian troops crossed.", &["400 - Kestria | -"]);
    check_claims("Russia's 600,000 troops remain.", &["600000 - Russia | -"]);
    check_claims(
        "It counted 200 soldiers from Vardia.",
        &["200 - Vardia | -"],
    );
    check_claims(
        "North Korea has sent 11,000 soldiers.",
        &["11000 sent North Korea | -"],
    );
    check_claims(
        "Russia has 600,000 troops in Ukraine.",
        &["600000 - Russia | -"],
    );
    check_claims(
        "11,000 troops were sent by Pyongyang.",
        &["11000 sent North Korea | -"],
    );
    // Who did the counted act owns it, when the noun names no one.
    check_claims(
        "Russian strikes killed 12 civilians.",
        &["12 killed Russia | -"],
    );
    check_claims(
        "Russian strikes killed 12 Ukrainian soldiers.",
        &["12 killed Ukraine | -"],
    );
    // Whoever lost them had them.
    check_claims("Kestria lost 300 tanks.", &["300 lost Kestria | -"]);
    // Places where things went are not owners.
    check_claims("They sent 3,000 troops to Russia.", &["3000 sent - | -"]);
}

#[test]
fn a_second_number_inherits_the_owner_unless_another_place_intervenes() {
    check_claims(
        "About 900 North Korean soldiers were killed and 1,300 wounded.",
        &["900 killed North Korea | -", "1300 wounded North Korea | -"],
    );
    check_claims(
        "Russia has 600,000 troops, and Belarus has 60,000.",
        &["600000 - Russia | -", "60000 - Belarus | -"],
    );
}

#[test]
fn claimants_lead_trail_or_come_from_the_paragraph() {
    check_claims(
        "Some 3,000 troops arrived, according to South Korea's spy agency.",
        &["3000 - - | South Korea's spy agency"],
    );
    check_claims(
        "According to the NIS, 3,000 troops arrived.",
        &["3000 - - | the NIS"],
    );
    check_claims(
        "Ukraine's military intelligence said on Monday that 3,000 troops arrived.",
        &["3000 - - | Ukraine's military intelligence"],
    );
    check_claims(
        "Some 3,000 troops arrived, U.S. officials told reporters.",
        &["3000 - - | U.S. officials"],
    );
    check_claims(
        "Nine people died, said Ana Ruiz, a spokeswoman.",
        &["9 dead - | Ana Ruiz"],
    );
    check_claims(
        "The ministry said 12 people died. It said 40 were hurt.",
        &["12 dead - | The ministry", "40 injured - | The ministry"],
    );
    check_claims("Some 3,000 troops arrived.", &["3000 - - | -"]);
    // A new paragraph does not inherit.
    check_claims(
        "The ministry said 12 people died.\nLater, 40 were hurt.",
        &["12 dead - | The ministry", "40 injured - | -"],
    );
}

#[test]
fn a_parenthetical_attribution_covers_the_sentence_unless_another_does() {
    check_claims(
        "Russia has about 600,000 troops in Ukraine, Putin said, and North Korea has sent some 11,000 soldiers.",
        &["600000 - Russia | Putin", "11000 sent North Korea | Putin"],
    );
    check_claims(
        "Russia has 600,000 troops, Putin said, and Belarus has 60,000, according to Minsk.",
        &["600000 - Russia | Putin", "60000 - Belarus | Minsk"],
    );
}

#[test]
fn a_total_set_by_bringing_makes_the_number_before_it_an_increment() {
    check_claims(
        "Floods killed 61 people on Sunday, bringing the season's death toll to 208.",
        &["61 killed - | - +increment", "208 dead - | -"],
    );
    let m = &mentions("Officials raised the death toll to 6,812.")[0];
    assert_eq!(m.noun, "death toll");
}

#[test]
fn subjects_keep_the_head_before_their_phrase() {
    let m = &mentions("Inflation in the euro zone slowed to 2.2 percent.")[0];
    assert_eq!(m.noun, "Inflation in the euro zone");
    let m = &mentions("Layoffs at large firms reached 153,000 in October.")[0];
    assert_eq!(m.noun, "Layoffs");
    let m = &mentions("The number of missing rose to 104 on Friday.")[0];
    assert_eq!(m.noun, "missing");
    // A clause word ends the subject: "as" is no part of "survivors".
    let found = mentions("Teams found 11 survivors as the death toll passed 4,500.");
    assert_eq!(found[1].noun, "death toll");
}

#[test]
fn a_sum_of_money_has_a_noun() {
    let found =
        mentions("The fund approved a $15.6 billion loan, on top of $8 billion in budget aid.");
    assert_eq!(found[0].noun, "loan");
    assert_eq!(found[1].noun, "budget aid");
}

#[test]
fn coordinated_numbers_share_the_verb_after_them() {
    check_claims(
        "Nine soldiers and four civilians died.",
        &["9 dead - | -", "4 dead - | -"],
    );
    check_claims(
        "Officials said 9,800 homes were destroyed and 21,000 damaged.",
        &[
            "9800 destroyed - | Officials",
            "21000 damaged - | Officials",
        ],
    );
}

#[test]
fn events_read_past_asides_adjectives_and_coordinated_verbs() {
    // An event word before the head: "missing people", "wounded soldiers".
    check_claims(
        "Divers searched for 31 missing sailors.",
        &["31 missing - | -"],
    );
    // ... unless a verb after the noun says what they did now.
    check_claims(
        "Some 4,000 displaced families have returned home.",
        &["4000 - - | -"],
    );
    // "others", a phrase after the noun, two verbs of one act.
    check_claims(
        "Nine miners were rescued and 12 others are still missing.",
        &["9 rescued - | -", "12 missing - | -"],
    );
    check_claims(
        "Officials said 48 members of the security team had died.",
        &["48 dead - | Officials"],
    );
    check_claims(
        "At least 6 marchers were shot and killed.",
        &["6 killed - | -"],
    );
    check_claims(
        "The storm forced 9,500 villagers to flee.",
        &["9500 displaced - | -"],
    );
    // The total a "bringing the number … to N" sets keeps the increment's event.
    check_claims(
        "Guards detained 40 more men, bringing the number to 310.",
        &["40 arrested - | - +increment", "310 arrested - | -"],
    );
}

#[test]
fn copular_forms_read_verbs_of_exceeding_and_headline_colons() {
    check_claims("Daily losses averaged 940 in May.", &["940 - - | -"]);
    check_mention_noun("Daily losses averaged 940 in May.", "Daily losses");
    check_mention_noun(
        "Kestrian casualties in the siege exceeded 8,000.",
        "Kestrian casualties",
    );
    check_mention_noun(
        "Kestrian troops in Vardia: up from 2,000 to 2,600",
        "Kestrian troops",
    );
    check_mention_noun("Death toll in Marsa: 410", "Death toll");
    // A place alone before the colon is no subject.
    check_mention_noun("Marsa: 410 killed", "");
}

#[track_caller]
fn check_mention_noun(text: &str, noun: &str) {
    let found = mentions(text);
    let last = found.last().expect("a mention");
    assert_eq!(last.noun, noun, "text: {text}");
}

#[test]
fn claimants_span_joined_names_auxiliaries_and_the_next_sentence() {
    check_claims(
        "The Institute for Peace and Conflict Studies has counted 5,200 deaths.",
        &["5200 dead - | The Institute for Peace and Conflict Studies"],
    );
    check_claims(
        "Eleven reporters were detained, the Committee to Defend Reporters said.",
        &["11 arrested - | the Committee to Defend Reporters"],
    );
    check_claims(
        "Local doctors said at least 19 people died.",
        &["19 dead - | Local doctors"],
    );
    // A later sentence that names the source of the figures before it.
    check_claims(
        "Some 7,000 people have fled. The figures come from the Red Crescent.",
        &["7000 displaced - | the Red Crescent"],
    );
    check_claims(
        "At least 22 people were killed. A hospital director gave the figure.",
        &["22 killed - | A hospital director"],
    );
    // ... but not from the next paragraph.
    check_claims(
        "Some 7,000 people have fled.\nThe figures come from the Red Crescent.",
        &["7000 displaced - | -"],
    );
}

#[test]
fn subjects_that_are_common_nouns_own_nothing() {
    check_claims(
        "Border guards detained 64 migrants.",
        &["64 arrested - | -"],
    );
    check_claims("Police arrested 120 people.", &["120 arrested - | -"]);
    check_claims("Vardia has sent 900 troops.", &["900 sent Vardia | -"]);
}

#[test]
fn owners_from_a_copular_subject_and_a_possessive_pronoun() {
    check_claims(
        "Vardia's contingent has grown to some 3,000 soldiers.",
        &["3000 - Vardia | -"],
    );
    check_claims(
        "Kestrian officials said 61 of their sailors were captured.",
        &["61 captured Kestria | Kestrian officials"],
    );
    check_claims(
        "Denmark will donate all 12 of its patrol boats.",
        &["12 supplied Denmark | -"],
    );
}

#[test]
fn a_month_after_a_sum_is_when_not_what() {
    let m = &mentions("Exports reached $41.2 billion in October.")[0];
    assert_eq!(m.noun, "Exports");
    let m = &mentions("Kestria approved $3 billion in aid.")[0];
    assert_eq!(m.noun, "aid");
}

#[test]
fn owners_of_attacks_relatives_parts_and_gapped_clauses() {
    // Who attacked owns what it attacked with; not in the passive.
    check_claims(
        "Vardia attacked Marsa overnight with 40 drones.",
        &["40 - Vardia | -"],
    );
    check_claims("Marsa was hit with 40 drones.", &["40 - - | -"]);
    // An active relative clause after the noun names the actor.
    check_claims(
        "The 2,000 troops that Vardia dispatched in May are training.",
        &["2000 sent Vardia | -"],
    );
    // A part takes its whole's owner.
    check_claims(
        "Vardia fired 20 missiles, and Marsa's defences destroyed 17 of them.",
        &["20 - Vardia | -", "17 destroyed Vardia | -"],
    );
    // Gapped clauses: the name before the number, the first clause's verb.
    check_claims(
        "Denmark pledged 12 jets, Norway six and Belgium 30.",
        &[
            "12 pledged Denmark | -",
            "6 pledged Norway | -",
            "30 pledged Belgium | -",
        ],
    );
    // A list of places shares the first item's noun and owner.
    check_claims(
        "Vardia keeps 300 soldiers in Marsa, and some 500 in Tobruk.",
        &["300 - Vardia | -", "500 - Vardia | -"],
    );
    // "its" inside the mention names the owner before a place after it.
    check_claims(
        "Vardia has pulled out all 800 of its troops from Marsa.",
        &["800 withdrawn Vardia | -"],
    );
}

#[test]
fn subjects_of_inverted_totals_fragments_and_revisions() {
    check_mention_noun(
        "Two died, bringing to 61 the number of soldiers killed this year.",
        "soldiers",
    );
    check_mention_noun("Houses destroyed: 1,900.", "Houses");
    check_mention_noun(
        "The agency revised the death toll down to 1,200 from 1,350.",
        "death toll",
    );
    // "one of 8,000": one person, no count of the group.
    let one = &mentions("She was one of 8,000 people rescued.")[0];
    assert_eq!((one.value, one.noun.as_str()), (1.0, ""));
    // A sum that is the worth of things names them.
    check_mention_noun("It sent radars worth €500 million.", "radars");
}

#[test]
fn a_comment_on_the_figure_is_not_its_source() {
    check_claims(
        "The ministry said 900 people were detained, a figure activists say is too low.",
        &["900 arrested - | The ministry"],
    );
}

#[test]
fn comparison_bases_and_levels_left_are_old_values_and_totals() {
    // The base of a comparison is the old value of the mention before it.
    let m = mentions("Nearly 900,000 homes lost power, compared with 590,000 in 2019.");
    assert_eq!(m.len(), 1);
    assert_eq!((m[0].value, m[0].previous), (900_000.0, Some(590_000.0)));
    assert_eq!(m[0].event, None, "losing power is no casualty");
    let m = mentions("Spending will reach ¥8.7 trillion, up 9.4% from ¥7.95 trillion.");
    let values: Vec<(f64, Option<f64>)> = m.iter().map(|m| (m.value, m.previous)).collect();
    assert_eq!(values, [(8.7e12, Some(7.95e12)), (9.4, None)]);
    // "leaving N": the level a change left.
    check_claims(
        "Vardia has pulled out 1,000 troops, leaving 27,500.",
        &["1000 withdrawn Vardia | - +increment", "27500 - Vardia | -"],
    );
    // A number inside a phrase is no subject of the verb after it.
    check_claims(
        "Orders covered 4,000 people in 11 towns, and 900 people were evacuated.",
        &["4000 - - | -", "11 - - | -", "900 evacuated - | -"],
    );
}

#[test]
fn forecasts_beaten_and_months_after_sums_are_no_claims() {
    let m = mentions("Exports totalled $22.1 billion in May, beating forecasts of $20.9 billion.");
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].noun, "Exports");
    check_claims(
        "Drills will involve 19,000 South Korean troops and 2,500 US troops.",
        &["19000 - South Korea | -", "2500 - United States | -"],
    );
}
