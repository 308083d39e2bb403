//! Assignment by claim: every rule of `assign`, on hand-built mentions (the
//! claim fields as the claim stage would fill them), so each rule is tested
//! apart from the scanner.

use super::*;
use crate::config::FigureKind;

/// A mention built by hand: "value noun" in `sentence`, a count with no
/// claim until the builder adds one.
struct Built(Mention);

fn mention(value: f64, noun: &str, sentence: &str) -> Built {
    Built(Mention::exact_count(value, noun, sentence))
}

impl Built {
    fn event(mut self, event: &str) -> Built {
        self.0.event = Some(event.to_string());
        self
    }

    fn owner(mut self, owner: &str) -> Built {
        self.0.owner = Some(owner.to_string());
        self
    }

    fn claimed_by(mut self, claimant: &str) -> Built {
        self.0.claimed_by = Some(claimant.to_string());
        self
    }

    fn increment(mut self) -> Built {
        self.0.increment = true;
        self
    }

    fn kind(mut self, kind: Kind, unit: Option<&str>) -> Built {
        self.0.kind = kind;
        self.0.unit = unit.map(str::to_string);
        self
    }
}

/// The name of the figure each mention goes to ("-" for none), with the
/// reasons in the failure message.
#[track_caller]
fn check_assigned(figures: &[Figure], mentions: Vec<Built>, expected: &[&str]) {
    let mentions: Vec<Mention> = mentions.into_iter().map(|built| built.0).collect();
    let assignments = assign(&mentions, figures);
    let got: Vec<&str> = assignments
        .iter()
        .map(|a| a.figure.map_or("-", |idx| figures[idx].name.as_str()))
        .collect();
    let reasons: Vec<&str> = assignments.iter().map(|a| a.reason.as_str()).collect();
    assert_eq!(got, expected, "reasons: {reasons:#?}");
}

/// The reason given for one mention.
fn reason(figures: &[Figure], built: Built) -> String {
    assign(&[built.0], figures).remove(0).reason
}

fn troops_of_north_korea() -> Figure {
    Figure {
        of: vec!["North Korea".to_string()],
        ..Figure::new("troops", &["troops", "soldiers"])
    }
}

fn casualties() -> Figure {
    Figure::new(
        "casualties",
        &["casualties", "killed", "wounded", "dead", "death toll"],
    )
}

#[test]
fn a_casualty_goes_to_the_casualty_figure_never_to_troops() {
    let sentence = "About 1,500 North Korean soldiers were killed and 2,200 wounded, Seoul said.";
    let killed = || {
        mention(1500.0, "North Korean soldiers", sentence)
            .event("killed")
            .owner("North Korea")
            .claimed_by("Seoul")
    };
    let wounded = || {
        mention(2200.0, "", sentence)
            .event("wounded")
            .owner("North Korea")
    };
    check_assigned(
        &[troops_of_north_korea(), casualties()],
        vec![killed(), wounded()],
        &["casualties", "casualties"],
    );
    // With no casualty figure, troops still never takes it, and says why.
    check_assigned(&[troops_of_north_korea()], vec![killed()], &["-"]);
    let why = reason(&[troops_of_north_korea()], killed());
    assert!(why.contains("casualty event"), "{why}");
}

#[test]
fn an_increment_is_never_a_level_while_the_total_is() {
    let sentence = "North Korea has sent an additional 1,000 troops, bringing the total it has deployed to about 16,000.";
    let figures = [troops_of_north_korea()];
    check_assigned(
        &figures,
        vec![
            mention(1000.0, "troops", sentence)
                .event("sent")
                .owner("North Korea")
                .increment(),
            mention(16000.0, "troops", sentence)
                .event("deployed")
                .owner("North Korea"),
        ],
        &["-", "troops"],
    );
    let why = reason(&figures, mention(1000.0, "troops", sentence).increment());
    assert!(why.contains("increment"), "{why}");
}

#[test]
fn of_keeps_other_owners_out() {
    let sentence = "Russia has about 600,000 troops in Ukraine, Putin said, and North Korea has sent some 11,000 soldiers.";
    let figures = [troops_of_north_korea()];
    check_assigned(
        &figures,
        vec![
            mention(600000.0, "troops", sentence).owner("Russia"),
            mention(11000.0, "soldiers", sentence)
                .event("sent")
                .owner("North Korea"),
            // Another form of the same owner.
            mention(11000.0, "troops", "Pyongyang's troops number 11,000.").owner("Pyongyang"),
        ],
        &["-", "troops", "troops"],
    );
    let why = reason(
        &figures,
        mention(600000.0, "troops", sentence).owner("Russia"),
    );
    assert!(
        why.contains("owner Russia is not of [North Korea]"),
        "{why}"
    );
}

#[test]
fn a_mention_without_owner_counts_unless_its_sentence_names_another() {
    let figures = [troops_of_north_korea()];
    check_assigned(
        &figures,
        vec![
            // Where they went is no owner.
            mention(11000.0, "troops", "Some 11,000 troops were sent to Russia."),
            mention(12000.0, "troops", "Officials counted 12,000 troops."),
            mention(600000.0, "troops", "Russia has about 600,000 troops."),
        ],
        &["troops", "troops", "-"],
    );
    // A figure without `of` takes any owner.
    check_assigned(
        &[Figure::new("troops", &["troops"])],
        vec![mention(600000.0, "troops", "Russia has 600,000 troops.").owner("Russia")],
        &["troops"],
    );
}

#[test]
fn death_toll_dead_and_killed_forms_go_to_a_deaths_figure() {
    let deaths = [Figure::new(
        "deaths",
        &["death toll", "dead", "killed", "deaths"],
    )];
    check_assigned(
        &deaths,
        vec![
            mention(2300.0, "death toll", "The death toll rises to 2,300."),
            mention(2300.0, "", "At least 2,300 dead.").event("dead"),
            mention(2300.0, "", "Kestria: 2,300 killed.").event("killed"),
            mention(2300.0, "people", "2,300 people killed.").event("killed"),
            mention(2300.0, "deaths", "There were 2,300 deaths."),
        ],
        &["deaths"; 5],
    );
}

#[test]
fn an_event_figure_takes_only_its_events() {
    let killed = [Figure::new("killed", &["killed", "civilians"])];
    check_assigned(
        &killed,
        vec![
            mention(
                300000.0,
                "civilians",
                "300,000 civilians have been displaced.",
            )
            .event("displaced"),
            mention(
                20000.0,
                "civilians",
                "The convoy carried food for 20,000 civilians.",
            ),
            mention(2300.0, "civilians", "2,300 civilians were killed.").event("killed"),
        ],
        &["-", "-", "killed"],
    );
    let why = reason(
        &killed,
        mention(
            300000.0,
            "civilians",
            "300,000 civilians have been displaced.",
        )
        .event("displaced"),
    );
    assert!(why.contains("event 'displaced'"), "{why}");
}

#[test]
fn a_casualty_noun_matches_without_an_event() {
    check_assigned(
        &[Figure::new("troops", &["troops"]), casualties()],
        vec![
            mention(1100.0, "casualties", "The war has caused 1,100 casualties."),
            mention(4000.0, "troops", "Some 4,000 troops hold the line."),
        ],
        &["casualties", "troops"],
    );
}

#[test]
fn of_two_event_figures_the_narrower_term_wins() {
    let figures = [
        Figure::new("casualties", &["casualties"]),
        Figure::new("killed", &["killed"]),
        Figure::new("displaced", &["refugees", "displaced"]),
    ];
    check_assigned(
        &figures,
        vec![
            mention(50.0, "soldiers", "50 soldiers were killed.").event("killed"),
            mention(70.0, "soldiers", "70 soldiers were wounded.").event("wounded"),
            mention(9000.0, "people", "The flood displaced 9,000 people.").event("displaced"),
            mention(4000.0, "refugees", "4,000 refugees waited."),
        ],
        &["killed", "casualties", "displaced", "displaced"],
    );
}

#[test]
fn a_non_casualty_event_keeps_the_head_rule() {
    let figures = [
        Figure::new("deployments", &["deployed"]),
        Figure::new("troops", &["troops"]),
    ];
    check_assigned(
        &figures,
        vec![
            mention(11000.0, "troops", "Pyongyang deployed 11,000 troops.").event("deployed"),
            mention(300.0, "engineers", "It deployed 300 engineers.").event("deployed"),
            mention(4000.0, "troops", "Some 4,000 troops hold the line."),
        ],
        &["troops", "deployments", "troops"],
    );
}

#[test]
fn exclude_refuses_words_in_the_noun_phrase_or_the_event() {
    let figures = [Figure {
        exclude: vec!["reservists".to_string(), "withdrawn".to_string()],
        ..Figure::new("troops", &["troops"])
    }];
    check_assigned(
        &figures,
        vec![
            mention(500.0, "reservist troops", "500 reservist troops arrived."),
            mention(900.0, "troops", "900 troops were withdrawn.").event("withdrawn"),
            mention(700.0, "troops", "700 troops arrived."),
        ],
        &["-", "-", "troops"],
    );
    let why = reason(
        &figures,
        mention(500.0, "Reservists troops", "500 Reservists troops arrived."),
    );
    assert!(why.contains("'reservists' is excluded"), "{why}");
}

#[test]
fn a_figure_takes_only_its_kind_and_unit() {
    let usd = [Figure {
        kind: FigureKind::Money,
        unit: Some("USD".to_string()),
        ..Figure::new("aid", &["aid"])
    }];
    let sentence = "Donors pledged more military aid.";
    check_assigned(
        &usd,
        vec![
            mention(3.2e9, "", sentence).kind(Kind::Money, Some("USD")),
            mention(4e7, "", sentence).kind(Kind::Money, Some("EUR")),
            // A currency the text does not give is not a dollar.
            mention(5e6, "", sentence).kind(Kind::Money, None),
            mention(25.0, "", sentence).kind(Kind::Percent, Some("%")),
            mention(30.0, "aid", "30 aid trucks."),
        ],
        &["aid", "-", "-", "-", "-"],
    );
    let why = reason(
        &usd,
        mention(4e7, "", sentence).kind(Kind::Money, Some("EUR")),
    );
    assert!(why.contains("in EUR, and it takes only USD"), "{why}");
    // Without a unit, a money figure takes any currency.
    let any = [Figure {
        kind: FigureKind::Money,
        ..Figure::new("aid", &["aid"])
    }];
    check_assigned(
        &any,
        vec![
            mention(4e7, "", sentence).kind(Kind::Money, Some("EUR")),
            mention(4e7, "", "Donors pledged €40m for roads.").kind(Kind::Money, Some("EUR")),
        ],
        &["aid", "-"],
    );
}

#[test]
fn measures_go_to_measure_figures_and_old_markers_still_work() {
    let range = [Figure {
        kind: FigureKind::Measure,
        unit: Some("km".to_string()),
        ..Figure::new("range", &["range"])
    }];
    check_assigned(
        &range,
        vec![
            mention(300.0, "", "A range of 300 km.").kind(Kind::Measure, Some("km")),
            mention(200.0, "", "A range of 200 miles.").kind(Kind::Measure, Some("mi")),
        ],
        &["range", "-"],
    );
    // "dollars" and "percent" among the terms still make the kind; the
    // marker itself is no term to find.
    let old = [
        Figure::new("aid", &["aid", "dollars"]),
        Figure::new("turnout", &["turnout", "percent"]),
        Figure::new("cash", &["$"]),
    ];
    check_assigned(
        &old,
        vec![
            mention(2.5e6, "", "Donors pledged 2.5 million dollars in aid.")
                .kind(Kind::Money, None),
            mention(61.0, "", "Turnout was 61 percent.").kind(Kind::Percent, Some("%")),
            mention(9.0, "", "Prices rose 9 percent.").kind(Kind::Percent, Some("%")),
            mention(5.0, "", "It cost $5.").kind(Kind::Money, Some("USD")),
        ],
        &["aid", "turnout", "-", "cash"],
    );
}

#[test]
fn the_head_of_the_noun_phrase_wins_and_counters_need_a_term_nearby() {
    let figures = [
        Figure::new("artillery", &["artillery pieces", "artillery"]),
        Figure::new("shells", &["shells"]),
    ];
    check_assigned(
        &figures,
        vec![
            mention(
                8e6,
                "artillery shells",
                "It sent 8 million artillery shells.",
            ),
            mention(160.0, "pieces", "Of artillery, it sent 160 pieces."),
            mention(40.0, "pieces", "Later 40 pieces came."),
        ],
        &["shells", "artillery", "-"],
    );
    let why = reason(&figures, mention(40.0, "pieces", "Later 40 pieces came."));
    assert!(why.contains("counter"), "{why}");
}

#[test]
fn event_rules_judge_counts_only() {
    // A money figure whose term is an event word takes money by its terms
    // in the sentence, event or not.
    let pledged = [Figure {
        kind: FigureKind::Money,
        ..Figure::new("pledged", &["pledged"])
    }];
    check_assigned(
        &pledged,
        vec![
            mention(3e9, "", "Donors pledged $3bn.")
                .kind(Kind::Money, Some("USD"))
                .event("pledged"),
            mention(5e6, "", "They pledged $5m to the families of those killed.")
                .kind(Kind::Money, Some("USD"))
                .event("killed"),
        ],
        &["pledged", "pledged"],
    );
    // A casualty event on money is no head count of the aid figure's.
    let aid = [Figure {
        kind: FigureKind::Money,
        ..Figure::new("aid", &["aid"])
    }];
    check_assigned(
        &aid,
        vec![
            mention(
                5e6,
                "",
                "The aid includes $5m for the families of those killed.",
            )
            .kind(Kind::Money, Some("USD"))
            .event("killed"),
        ],
        &["aid"],
    );
}

#[test]
fn a_casualty_noun_is_no_head_count_either() {
    let infantry = Figure::new("infantry", &["infantry"]);
    let sentence = "The brigade reported 2,000 infantry casualties.";
    check_assigned(
        std::slice::from_ref(&infantry),
        vec![
            mention(2000.0, "infantry casualties", sentence),
            mention(3000.0, "infantry", "It fielded 3,000 infantry."),
        ],
        &["-", "infantry"],
    );
    check_assigned(
        &[infantry, casualties()],
        vec![mention(2000.0, "infantry casualties", sentence)],
        &["casualties"],
    );
}

mod props {
    use super::*;
    use proptest::prelude::*;

    /// Words of war reports, and anything else.
    fn words() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => prop::sample::select(&[
                "troops ", "soldiers ", "killed ", "North Korean ", "Russia ", "Seoul said ",
                "sent to ", "casualties ", "the death toll ", "civilians ", "Pyongyang's ",
                "İ", "ẞ", "Kestria ", "pieces ", "aid ", "$", "%", "-",
            ][..])
            .prop_map(str::to_string),
            1 => any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
    }

    fn figures() -> Vec<Figure> {
        vec![
            troops_of_north_korea(),
            casualties(),
            Figure {
                exclude: vec!["civilians".to_string(), "İ".to_string()],
                ..Figure::new("killed", &["killed", "dead"])
            },
            Figure {
                kind: FigureKind::Money,
                unit: Some("USD".to_string()),
                ..Figure::new("aid", &["aid"])
            },
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Whatever the claim holds, assignment answers for every mention,
        /// never gives an increment a figure, and never gives the USD
        /// figure another currency.
        #[test]
        fn any_claim_is_assigned_without_panic(
            noun in words(),
            sentence in words(),
            event in prop::option::of(prop_oneof![
                prop::sample::select(&["killed", "dead", "sent", "displaced", "captured"][..])
                    .prop_map(str::to_string),
                words(),
            ]),
            owner in prop::option::of(words()),
            claimant in prop::option::of(words()),
            increment in any::<bool>(),
            money in prop::option::of(prop::option::of(
                prop::sample::select(&["USD", "EUR", "usd"][..]).prop_map(str::to_string),
            )),
        ) {
            let figures = figures();
            let mut built = mention(10.0, &noun, &sentence);
            built.0.event = event;
            built.0.owner = owner;
            built.0.claimed_by = claimant;
            built.0.increment = increment;
            if let Some(unit) = money.clone() {
                built.0.kind = Kind::Money;
                built.0.unit = unit;
            }
            let assignment = assign(&[built.0], &figures).remove(0);
            prop_assert!(!assignment.reason.is_empty());
            if increment {
                prop_assert_eq!(assignment.figure, None);
            }
            if assignment.figure == Some(3) {
                prop_assert_eq!(money, Some(Some("USD".to_string())));
            }
        }
    }
}

#[test]
fn equipment_killed_or_captured_is_the_equipment_figures_never_a_casualty() {
    let tanks = || Figure::new("tanks", &["tanks"]);
    let captured =
        || mention(12.0, "Russian tanks", "They captured 12 Russian tanks.").event("captured");
    check_assigned(&[tanks(), casualties()], vec![captured()], &["tanks"]);
    check_assigned(&[casualties()], vec![captured()], &["-"]);
    // An unknown noun of people is people: "climbers" died.
    let climbers = mention(7.0, "climbers", "Seven climbers died.").event("dead");
    check_assigned(&[casualties()], vec![climbers], &["casualties"]);
}

#[test]
fn a_vague_amount_sets_no_figure() {
    let mut dozens = mention(66.0, "drones", "Dozens of drones struck.");
    dozens.0.text = "Dozens of drones".to_string();
    check_assigned(&[Figure::new("drones", &["drones"])], vec![dozens], &["-"]);
}

#[test]
fn a_term_before_a_head_that_is_no_counter_does_not_count_it() {
    let artillery = || Figure::new("artillery", &["artillery pieces", "artillery", "howitzers"]);
    let shells = mention(
        9e6,
        "artillery shells",
        "It sent 9 million artillery shells.",
    );
    let pieces = mention(
        200.0,
        "long-range artillery pieces",
        "It sent 200 long-range artillery pieces.",
    );
    check_assigned(&[artillery()], vec![shells, pieces], &["-", "artillery"]);
}

#[test]
fn a_money_or_percent_subject_names_its_figure() {
    let inflation = Figure {
        kind: FigureKind::Percent,
        ..Figure::new("inflation", &["inflation"])
    };
    let sentence = "Unemployment rose to 6.1%, while inflation eased to 4.2%.";
    let unemployment = mention(6.1, "Unemployment", sentence).kind(Kind::Percent, Some("%"));
    let eased = mention(4.2, "inflation", sentence).kind(Kind::Percent, Some("%"));
    check_assigned(&[inflation], vec![unemployment, eased], &["-", "inflation"]);
}

#[test]
fn figures_with_the_same_terms_share_a_mention() {
    let by_source = Figure {
        by_source: true,
        ..Figure::new("troops_by_source", &["troops", "soldiers"])
    };
    let figures = [Figure::new("troops", &["troops", "soldiers"]), by_source];
    let deployed = mention(11000.0, "troops", "It sent 11,000 troops.").event("sent");
    let assignments = assign(&[deployed.0], &figures);
    assert_eq!(assignments[0].figure, Some(0));
    assert_eq!(assignments[0].also, vec![1]);
}

#[test]
fn a_generic_counter_that_names_what_it_counts_takes_no_term_from_afar() {
    let figures = [Figure::new("drones", &["drones"])];
    check_assigned(
        &figures,
        vec![
            mention(
                15.0,
                "air defence systems",
                "Its drones hit 15 air defence systems.",
            ),
            mention(
                40.0,
                "Kestrian systems",
                "Of its drones, 40 Kestrian systems were lost.",
            ),
        ],
        &["-", "drones"],
    );
}

#[test]
fn a_measure_figure_takes_a_count_weighed_in_tonnes() {
    let figures = [{
        let mut f = Figure::new("grain", &["grain"]);
        f.kind = crate::config::FigureKind::Measure;
        f
    }];
    let m =
        super::mentions("Ukraine shipped 4.1 million tonnes of grain, up from 3.6 million tonnes.");
    assert_eq!(m.len(), 1, "the old value folds into the new: {m:#?}");
    assert_eq!(m[0].previous, Some(3.6e6));
    let a = super::assign(&m, &figures);
    assert_eq!(a[0].figure, Some(0), "{}", a[0].reason);
}
