//! What assignment needs of a figure, computed once per call: its terms in
//! the form they are searched by, the events its terms cover, its
//! `exclude` words and its kind. Nothing here allocates per mention.

use super::words::search_form;
use crate::config::{self, FigureKind, kind_marker};
use crate::figures::Kind;
use crate::figures::claim::CASUALTY_EVENTS;

/// The normalised events a mention can carry (`Mention::event`), in the
/// order of the bits of an [`EventSet`].
const EVENTS: &[&str] = &[
    "killed",
    "dead",
    "wounded",
    "injured",
    "captured",
    "missing",
    "displaced",
    "evacuated",
    "deployed",
    "sent",
    "withdrawn",
    "supplied",
    "delivered",
    "pledged",
    "destroyed",
    "damaged",
    "arrested",
    "rescued",
    "lost",
];

const DEATH: &[&str] = &["killed", "dead"];
const HURT: &[&str] = &["wounded", "injured"];
const CASUALTY: &[&str] = CASUALTY_EVENTS;

/// Words that, in a figure's term, name an event or its casualties, and
/// the events they cover: "killed" and "death toll" cover killed and dead,
/// "casualties" every casualty event. Found whole-word in the term, a
/// plural "s" allowed.
const EVENT_WORDS: &[(&str, &[&str])] = &[
    ("killed", DEATH),
    ("dead", DEATH),
    ("died", DEATH),
    ("death", DEATH),
    ("fatality", DEATH),
    ("fatalities", DEATH),
    ("casualty", CASUALTY),
    ("casualties", CASUALTY),
    ("loss", CASUALTY),
    ("wounded", HURT),
    ("injured", HURT),
    ("injury", HURT),
    ("injuries", HURT),
    ("captured", &["captured"]),
    ("prisoner", &["captured"]),
    ("pow", &["captured"]),
    ("captive", &["captured"]),
    ("missing", &["missing"]),
    ("displaced", &["displaced"]),
    ("refugee", &["displaced"]),
    ("asylum", &["displaced"]),
    ("evacuated", &["evacuated"]),
    ("evacuee", &["evacuated"]),
    ("deployed", &["deployed", "sent"]),
    ("sent", &["sent", "deployed"]),
    ("withdrawn", &["withdrawn"]),
    ("supplied", &["supplied", "delivered"]),
    ("delivered", &["delivered", "supplied"]),
    ("pledged", &["pledged"]),
    ("destroyed", &["destroyed"]),
    ("damaged", &["damaged"]),
    ("arrested", &["arrested"]),
    ("detained", &["arrested"]),
    ("rescued", &["rescued"]),
];

/// A set of events, one bit per entry of `EVENTS`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct EventSet(u32);

impl EventSet {
    fn of(names: &[&str]) -> EventSet {
        EventSet(
            names
                .iter()
                .filter_map(|name| event_bit(name))
                .fold(0, |set, bit| set | bit),
        )
    }

    /// The set holding only `event`, empty when it is no known event.
    pub(super) fn single(event: &str) -> EventSet {
        EventSet(event_bit(event).unwrap_or(0))
    }

    pub(super) fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub(super) fn covers(self, other: EventSet) -> bool {
        !other.is_empty() && self.0 & other.0 == other.0
    }

    /// How many events the set holds: a narrower figure is the more precise.
    pub(super) fn width(self) -> u32 {
        self.0.count_ones()
    }

    fn union(self, other: EventSet) -> EventSet {
        EventSet(self.0 | other.0)
    }
}

fn event_bit(name: &str) -> Option<u32> {
    EVENTS
        .iter()
        .position(|event| *event == name)
        .map(|idx| 1 << idx)
}

/// Heads of noun phrases that count casualties rather than the things
/// themselves: "2,000 infantry casualties", "the death toll".
const CASUALTY_NOUNS: &[&str] = &[
    "casualties",
    "casualty",
    "deaths",
    "death",
    "dead",
    "fatalities",
    "fatality",
    "losses",
    "injuries",
    "injured",
    "wounded",
    "killed",
    "prisoners",
    "pows",
    "captives",
    "toll",
];

/// Heads of noun phrases that count equipment, not people: a casualty
/// event does not make them casualties ("captured 12 tanks", "lost 3,000
/// tanks" are the tanks figure's, never a casualty figure's).
const EQUIPMENT: &[&str] = &[
    "tanks",
    "tank",
    "vehicles",
    "vehicle",
    "aircraft",
    "jets",
    "jet",
    "planes",
    "plane",
    "warplanes",
    "helicopters",
    "drones",
    "drone",
    "missiles",
    "missile",
    "rockets",
    "ships",
    "ship",
    "vessels",
    "boats",
    "warships",
    "submarines",
    "guns",
    "gun",
    "howitzers",
    "artillery",
    "launchers",
    "systems",
    "shells",
    "rounds",
    "munitions",
    "ammunition",
    "weapons",
    "rifles",
    "trucks",
    "cars",
    "carriers",
    "pieces",
    "units",
    "buildings",
    "homes",
    "houses",
    "bridges",
    "villages",
    "towns",
    "positions",
    "radars",
    "batteries",
    "mines",
    "depots",
    "warehouses",
    "equipment",
    "apcs",
    "ifvs",
    "mrls",
    "bmps",
    "btrs",
];

/// Whether a casualty event's noun phrase counts people (or says nothing:
/// "2,300 killed"), not equipment.
pub(super) fn counts_people(noun: &str) -> bool {
    let head = noun.rsplit([' ', '-']).next().unwrap_or("").to_lowercase();
    !EQUIPMENT.contains(&head.as_str())
}

/// Whether a (lower-case) noun phrase head names casualties.
pub(super) fn is_casualty_noun(head: &str) -> bool {
    CASUALTY_NOUNS.contains(&head)
}

/// One of a figure's terms, ready to search.
pub(super) struct Term {
    /// Lower case, a plural's singular: what is searched.
    pub(super) form: String,
    /// Lower case as configured, for reasons.
    pub(super) text: String,
    /// The events this term names or whose casualties it names (empty for
    /// a term that names a thing: "troops").
    pub(super) covers: EventSet,
}

/// A figure as assignment reads it.
pub(super) struct Prepared<'f> {
    pub(super) figure: &'f config::Figure,
    /// The mention kind the figure takes.
    pub(super) kind: Kind,
    /// Terms that name things or events; old-style kind markers ("$" in a
    /// money figure) are left out, they only said the kind.
    pub(super) terms: Vec<Term>,
    /// Every event the terms cover.
    pub(super) covers: EventSet,
    /// The events of its terms that name acts or states, not people:
    /// non-empty makes an *event figure*.
    pub(super) acts: EventSet,
    /// `exclude`, in searched form.
    pub(super) exclude: Vec<String>,
    /// `unit`, normalised as mentions' units are ("tonnes" is "t").
    pub(super) unit: Option<String>,
}

impl<'f> Prepared<'f> {
    pub(super) fn new(figure: &'f config::Figure) -> Prepared<'f> {
        let kind = match figure.kind {
            FigureKind::Count => Kind::Count,
            FigureKind::Money => Kind::Money,
            FigureKind::Percent => Kind::Percent,
            FigureKind::Measure => Kind::Measure,
        };
        let terms: Vec<Term> = figure
            .terms
            .iter()
            .map(|term| term.trim().to_lowercase())
            .filter(|term| !term.is_empty())
            .filter(|term| {
                figure.kind == FigureKind::Count || kind_marker(term) != Some(figure.kind)
            })
            .map(|text| Term {
                form: search_form(&text),
                covers: term_covers(&text),
                text,
            })
            .collect();
        let covers = terms
            .iter()
            .fold(EventSet::default(), |set, term| set.union(term.covers));
        let acts = terms
            .iter()
            .filter(|term| !names_people(&term.text))
            .fold(EventSet::default(), |set, term| set.union(term.covers));
        let exclude = figure
            .exclude
            .iter()
            .map(|word| search_form(&word.trim().to_lowercase()))
            .filter(|word| !word.is_empty())
            .collect();
        Prepared {
            figure,
            kind,
            terms,
            covers,
            acts,
            exclude,
            unit: figure.unit.as_deref().map(|unit| match kind {
                Kind::Measure => crate::figures::unit::measure_unit(unit)
                    .unwrap_or(unit)
                    .to_string(),
                _ => unit.to_string(),
            }),
        }
    }

    /// An event figure: one whose terms name an event or its casualties.
    /// A figure that also names people by what they are ("arrivals,
    /// migrants, asylum seekers") is no event figure: its plain terms
    /// count without an event ("150,000 migrants reached Italy").
    pub(super) fn is_event_figure(&self) -> bool {
        !self.acts.is_empty()
    }
}

/// Whether a term names people by where they are, a noun that counts
/// without an event: "refugees", "asylum seekers", "evacuees" (not
/// "killed", "displaced people", nor "prisoners": captives are casualties).
fn names_people(term: &str) -> bool {
    let head = term.rsplit(' ').next().unwrap_or("");
    let head = head.strip_suffix('s').unwrap_or(head);
    matches!(head, "refugee" | "seeker" | "evacuee")
}

/// The events a (lower-case) term names: the union over the event words it
/// holds.
fn term_covers(term: &str) -> EventSet {
    // The term's words, each compared whole with an event word (a plural
    // "s" or "es" allowed): terms are short, so no searcher is built.
    let mut set = EventSet::default();
    for word in term.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
        for (event_word, events) in EVENT_WORDS {
            let plural = word
                .strip_prefix(event_word)
                .is_some_and(|rest| matches!(rest, "" | "s" | "es"));
            if plural {
                set = set.union(EventSet::of(events));
            }
        }
    }
    set
}
