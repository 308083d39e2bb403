//! Assignment: which configured figure a mention counts, by its claim and
//! not by its noun alone (DESIGN.md "Figure semantics"), with a reason a
//! person can read in `figwatch extract`.
//!
//! In order:
//! 1. an increment ("an additional 1,000 troops") is never a figure's level;
//! 2. a figure takes only mentions of its kind (count, money, percent,
//!    measure);
//! 3. its terms must match: in the counted noun phrase (the term ending
//!    latest wins), or through the event (a term like "killed" or
//!    "casualties" covers the event killed), or, for a bare counter
//!    ("160 pieces"), anywhere in the sentence; a money, percent or measure
//!    mention needs a term in the sentence, or a figure with no term but
//!    its kind;
//! 4. the match must pass the rules of [`rules`]: `unit`, `exclude`, `of`,
//!    an event figure takes only its events, a casualty never goes to a
//!    figure that only names what was counted;
//! 5. of the figures left, a casualty goes to the one matched through its
//!    event (the narrowest such term), anything else to the noun phrase's
//!    head, then the event, then the nearest counter term.
//!
//! Per figure, everything that does not depend on the mention is computed
//! once per call in [`prepare`]; per mention, the noun phrase (and, when a
//! rule needs it, the sentence) is lower-cased once.

mod prepare;
mod rules;
mod words;

use std::cell::OnceCell;

use super::{Assignment, Kind, Mention};
use crate::config;
use crate::figures::claim::is_casualty;
use prepare::{EventSet, Prepared, Term, counts_people, is_casualty_noun};
use words::{find_term, term_positions};

/// Noun heads that count things without naming them: "160 pieces".
const COUNTERS: &[&str] = &[
    "pieces",
    "piece",
    "units",
    "unit",
    "items",
    "item",
    "systems",
    "system",
    "platforms",
    "sets",
    "batches",
    "examples",
    "pcs",
    "contingent",
    "contingents",
    "force",
    "forces",
    "deployment",
    "of them",
    "vehicles",
    "pieces of equipment",
];

/// Whether a counter's noun phrase names nothing of its own. A generic
/// counter ("systems", "units", "vehicles") may stand after names
/// ("Kestrian", "HIMARS"), designations ("M270") and generic words ("more",
/// "new") only: "15 air defence systems" names what it counts, so a term
/// elsewhere in the sentence does not count it. A counter of troops or
/// guns ("troop deployment", "contingent", "pieces") is always bare.
fn bare_counter(noun: &str) -> bool {
    let head = noun.rsplit(' ').next().unwrap_or("").to_ascii_lowercase();
    if !matches!(
        head.as_str(),
        "systems"
            | "system"
            | "units"
            | "unit"
            | "items"
            | "item"
            | "platforms"
            | "sets"
            | "vehicles"
    ) {
        return true;
    }
    let mut words: Vec<&str> = noun.split(' ').collect();
    // "pieces of equipment", "of them": the counter phrase itself.
    if let Some(of) = words.iter().position(|w| *w == "of") {
        words.truncate(of);
    }
    words.pop();
    words.iter().all(|w| {
        w.starts_with(|c: char| c.is_uppercase())
            || w.contains(|c: char| c.is_ascii_digit())
            || matches!(
                w.to_ascii_lowercase().as_str(),
                "more"
                    | "new"
                    | "additional"
                    | "further"
                    | "other"
                    | "such"
                    | "these"
                    | "those"
                    | "extra"
                    | "modern"
                    | "older"
                    | "advanced"
                    | "heavy"
                    | "light"
                    | "its"
                    | "their"
                    | "the"
                    | "whole"
                    | "entire"
            )
    })
}

/// Assigns each mention to at most one figure; parallel to `mentions`.
pub(crate) fn assign(mentions: &[Mention], figures: &[config::Figure]) -> Vec<Assignment> {
    let prepared: Vec<Prepared<'_>> = figures.iter().map(Prepared::new).collect();
    mentions
        .iter()
        .map(|mention| assign_one(&Seen::new(mention), &prepared))
        .collect()
}

/// A mention as the rules read it: lower-cased once.
struct Seen<'m> {
    mention: &'m Mention,
    /// The noun phrase, lower case.
    noun: String,
    /// The event as a set (empty when none or unknown).
    event: EventSet,
    sentence: OnceCell<String>,
    /// Byte offset of the mention in the lower-case sentence.
    at: OnceCell<usize>,
}

impl<'m> Seen<'m> {
    fn new(mention: &'m Mention) -> Seen<'m> {
        Seen {
            mention,
            noun: mention.noun.to_lowercase(),
            event: mention
                .event
                .as_deref()
                .map_or(EventSet::default(), EventSet::single),
            sentence: OnceCell::new(),
            at: OnceCell::new(),
        }
    }

    /// The sentence, lower case (computed when first asked).
    fn sentence(&self) -> &str {
        self.sentence
            .get_or_init(|| self.mention.sentence.to_lowercase())
    }

    /// Where the mention stands in [`Seen::sentence`] (0 when not found).
    fn at(&self) -> usize {
        *self.at.get_or_init(|| {
            self.sentence()
                .find(&self.mention.text.to_lowercase())
                .unwrap_or(0)
        })
    }

    /// A casualty: people killed, wounded, captured, missing or lost (not
    /// equipment: "captured 12 tanks" is no casualty).
    fn is_casualty(&self) -> bool {
        self.mention.event.as_deref().is_some_and(is_casualty) && counts_people(&self.mention.noun)
    }

    /// The last word of the noun phrase.
    fn head(&self) -> &str {
        self.noun.rsplit(' ').next().unwrap_or("")
    }
}

/// How a figure's terms matched a mention.
#[derive(Debug, Clone, Copy)]
enum How {
    /// The term covers the mention's event; `width` is how many events the
    /// term covers (narrower is more precise).
    Event { width: u32 },
    /// The term stands in the noun phrase, ending at byte `end`.
    Noun { end: usize, len: usize },
    /// The noun phrase is a bare counter; the term stands `distance` bytes
    /// from the mention in the sentence.
    Counter { distance: usize },
    /// A money, percent or measure mention with the term in the sentence.
    Sentence,
    /// A money, percent or measure figure with no terms but its kind.
    KindOnly,
}

/// A figure's terms matched a mention.
struct Match<'p> {
    how: How,
    /// The term that matched ("" for [`How::KindOnly`]).
    term: &'p str,
    /// Whether one of the figure's event or casualty terms stands in the
    /// noun phrase ("1,100 casualties").
    noun_event_term: bool,
}

impl Match<'_> {
    /// Larger is better: a casualty through its event first, else the
    /// noun phrase's head; then the event; then the nearest counter term.
    fn rank(&self, casualty: bool) -> (u8, usize, usize) {
        let event_tier = if casualty { 4 } else { 2 };
        match self.how {
            How::Event { width } => (event_tier, usize::MAX - width as usize, 0),
            How::Noun { end, len } => (3, end, len),
            How::Counter { distance } => (1, usize::MAX - distance, 0),
            How::Sentence => (2, 0, 0),
            How::KindOnly => (1, 0, 0),
        }
    }
}

fn assign_one(seen: &Seen<'_>, prepared: &[Prepared<'_>]) -> Assignment {
    let m = seen.mention;
    if m.increment {
        return none(
            "an increment ('an additional …', 'N more'), not a level: never a figure's value"
                .to_string(),
        );
    }
    if is_vague(m) {
        return none(
            "a vague amount ('dozens', 'hundreds of'), never a figure's value".to_string(),
        );
    }
    let casualty = seen.is_casualty();
    let mut best: Option<(usize, Match<'_>)> = None;
    // Figures that match exactly as well as the best: "troops" and a
    // by-source "troops" with the same terms both take the mention.
    let mut tied: Vec<usize> = Vec::new();
    let mut refused: Vec<String> = Vec::new();
    let mut n_of_kind = 0;
    for (idx, figure) in prepared.iter().enumerate() {
        if figure.kind != m.kind && !weighed_count(seen, figure.kind) {
            continue;
        }
        n_of_kind += 1;
        let Some(matched) = match_terms(seen, figure) else {
            continue;
        };
        if let Some(reason) = rules::RULES
            .iter()
            .find_map(|rule| rule(seen, figure, &matched).err())
        {
            refused.push(format!("figure '{}': {reason}", figure.figure.name));
            continue;
        }
        let rank = matched.rank(casualty);
        match &best {
            Some((_, held)) if rank == held.rank(casualty) => tied.push(idx),
            Some((_, held)) if rank < held.rank(casualty) => {}
            _ => {
                tied.clear();
                best = Some((idx, matched));
            }
        }
    }
    match best {
        Some((idx, matched)) => Assignment {
            figure: Some(idx),
            also: tied,
            reason: why(seen, &prepared[idx], &matched),
        },
        None if !refused.is_empty() => none(refused.join("; ")),
        None => none(why_not(seen, n_of_kind)),
    }
}

/// Vague amounts without digits: "dozens of", "hundreds of thousands",
/// "several", "a few". Their value is a guess, and an alert on a guess is
/// a false alert.
fn is_vague(m: &Mention) -> bool {
    if m.text.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let lower = m.text.to_lowercase();
    [
        "dozens",
        "scores",
        "hundreds",
        "thousands",
        "millions",
        "billions",
        "tens of",
        "several",
        "a few",
        "numerous",
        "a handful",
    ]
    .iter()
    .any(|word| lower.contains(word))
}

fn none(reason: String) -> Assignment {
    Assignment {
        figure: None,
        also: Vec::new(),
        reason,
    }
}

/// "4.1 million tonnes of grain" is read as a count of grain, and weighs
/// it: a measure figure takes it too.
fn weighed_count(seen: &Seen<'_>, figure_kind: Kind) -> bool {
    figure_kind == Kind::Measure
        && seen.mention.kind == Kind::Count
        && crate::figures::unit::weighed_unit(&seen.noun)
            .is_some_and(|_| seen.noun.contains(" of "))
}

/// How a figure's terms match a mention of its kind, if they do.
fn match_terms<'p>(seen: &Seen<'_>, figure: &'p Prepared<'_>) -> Option<Match<'p>> {
    if seen.mention.kind != Kind::Count || figure.kind == Kind::Measure {
        return match_in_sentence(seen, figure);
    }
    let mut by_event: Option<(u32, &str)> = None;
    let mut by_noun: Option<(usize, usize, &str)> = None;
    let mut noun_event_term = false;
    for term in &figure.terms {
        if term.covers.covers(seen.event)
            && by_event.is_none_or(|(width, _)| term.covers.width() < width)
        {
            by_event = Some((term.covers.width(), &term.text));
        }
        let Some(end) = find_term(&seen.noun, &term.form) else {
            continue;
        };
        // A term before the head names what kind of thing the head is, and
        // the head is what was counted: "9 million artillery shells" are
        // shells. A counter ("artillery pieces") or a casualty noun
        // ("infantry casualties") leaves the count to the term.
        // "rounds of large-calibre ammunition": the noun before "of" heads
        // its phrase.
        // "Refugees from Sudan now number 3.1 million": a subject's phrase.
        let rest = seen.noun[end..].trim();
        let before_phrase = ["from ", "in ", "at ", "across ", "among "]
            .iter()
            .any(|p| rest.starts_with(p));
        // The singular of a plural term only names the head: "one
        // soldier", but not "missile launchers" for "missiles".
        if term.form != term.text && !rest.is_empty() && !before_phrase && !rest.starts_with("of ")
        {
            continue;
        }
        let at_head = rest.is_empty() || rest.starts_with("of ") || before_phrase;
        if !at_head && !COUNTERS.contains(&seen.head()) && !is_casualty_noun(seen.head()) {
            continue;
        }
        noun_event_term |= !term.covers.is_empty();
        if by_noun
            .is_none_or(|(held_end, held_len, _)| (end, term.form.len()) > (held_end, held_len))
        {
            by_noun = Some((end, term.form.len(), &term.text));
        }
    }
    let event = by_event.map(|(width, term)| Match {
        how: How::Event { width },
        term,
        noun_event_term,
    });
    let noun = by_noun.map(|(end, len, term)| Match {
        how: How::Noun { end, len },
        term,
        noun_event_term,
    });
    let casualty = seen.is_casualty();
    match (event, noun) {
        (Some(event), Some(noun)) => Some(if event.rank(casualty) > noun.rank(casualty) {
            event
        } else {
            noun
        }),
        (Some(found), None) | (None, Some(found)) => Some(found),
        (None, None) => match_counter(seen, figure),
    }
}

/// A bare counter ("160 pieces"): the figure's term nearest the mention in
/// the sentence.
fn match_counter<'p>(seen: &Seen<'_>, figure: &'p Prepared<'_>) -> Option<Match<'p>> {
    if !COUNTERS.contains(&seen.head()) || !bare_counter(&seen.mention.noun) {
        return None;
    }
    let sentence = seen.sentence();
    let at = seen.at();
    let mut near: Option<(usize, &str)> = None;
    for term in &figure.terms {
        for (start, end) in term_positions(sentence, &term.form) {
            let distance = if start >= at {
                start - at
            } else {
                at - end.min(at)
            };
            if near.is_none_or(|(held, _)| distance < held) {
                near = Some((distance, &term.text));
            }
        }
    }
    near.map(|(distance, term)| Match {
        how: How::Counter { distance },
        term,
        noun_event_term: false,
    })
}

/// A money, percent or measure mention: a term of the figure in the
/// sentence, or a figure that names nothing but its kind.
fn match_in_sentence<'p>(seen: &Seen<'_>, figure: &'p Prepared<'_>) -> Option<Match<'p>> {
    if figure.terms.is_empty() {
        return Some(Match {
            how: How::KindOnly,
            term: "",
            noun_event_term: false,
        });
    }
    // "Unemployment rose to 6.1%, while inflation eased to 4.2%": the
    // subject says what the number measures. (A measure's noun is its
    // unit: "256.3 mm of rainfall" names what in the sentence.)
    let measure = seen.mention.kind == Kind::Measure;
    if measure && is_duration_noun(&seen.noun) {
        return None;
    }
    // "bringing its total to €2.1 billion": a bare total names nothing; the
    // sentence says what it totals.
    let bare_total = matches!(
        seen.noun.as_str(),
        "total" | "tally" | "sum" | "overall total"
    );
    if !seen.noun.is_empty() && !measure && !bare_total {
        // The term heads the subject: "Turkey's annual inflation",
        // "inflation in Turkey", "the inflation rate"; not "inflation
        // expectations".
        let heads = |end: usize| {
            let rest = seen.noun[end..].trim_start();
            let next = rest.split(' ').next().unwrap_or("");
            rest.is_empty()
                || matches!(
                    next,
                    "in" | "of"
                        | "to"
                        | "for"
                        | "at"
                        | "among"
                        | "from"
                        | "across"
                        | "since"
                        | "on"
                        | "rate"
                        | "rates"
                        | "figure"
                        | "level"
                        | "reading"
                        | "index"
                )
        };
        let percent = seen.mention.kind == Kind::Percent;
        let in_noun = figure.terms.iter().find_map(|term| {
            find_term(&seen.noun, &term.form)
                .filter(|&end| !percent || heads(end))
                .map(|end| (end, term))
        });
        if let Some((end, term)) = in_noun {
            return Some(Match {
                how: How::Noun {
                    end,
                    len: term.form.len(),
                },
                term: &term.text,
                noun_event_term: false,
            });
        }
        return None;
    }
    let sentence = seen.sentence();
    // A term that is a unit ("hectares") names the unit it counts in:
    // "429,000 acres, or about 174,000 hectares" is 174,000 for it.
    let in_its_unit = |term: &&Term| {
        !measure
            || crate::figures::unit::measure_unit(&term.text)
                .is_none_or(|unit| seen.mention.unit.as_deref() == Some(unit))
    };
    figure
        .terms
        .iter()
        .filter(in_its_unit)
        .find(|term| find_term(sentence, &term.form).is_some())
        .map(|term| Match {
            how: How::Sentence,
            term: &term.text,
            noun_event_term: false,
        })
}

/// A measure of time: "178 hours", "three days" measure no quantity a
/// measure figure names.
fn is_duration_noun(noun: &str) -> bool {
    matches!(
        noun.rsplit(' ').next().unwrap_or(""),
        "hours"
            | "hour"
            | "days"
            | "day"
            | "weeks"
            | "week"
            | "months"
            | "month"
            | "years"
            | "year"
            | "minutes"
            | "minute"
            | "seconds"
            | "second"
            | "decades"
    )
}

/// The reason of an assignment.
fn why(seen: &Seen<'_>, figure: &Prepared<'_>, matched: &Match<'_>) -> String {
    let m = seen.mention;
    let term = matched.term;
    let mut reason = match matched.how {
        How::Event { .. } => format!(
            "event '{}' is one term '{term}' names",
            m.event.as_deref().unwrap_or("")
        ),
        How::Noun { end, .. } => {
            let how = if seen.noun[end..].trim().is_empty() {
                "ends"
            } else {
                "stands in"
            };
            format!("term '{term}' {how} the noun phrase '{}'", m.noun)
        }
        How::Counter { .. } => format!(
            "noun phrase head '{}' is a counter; term '{term}' in the sentence",
            seen.head()
        ),
        How::Sentence => format!(
            "{}: figure '{}' asks for it; term '{term}' in the sentence",
            m.kind.as_str(),
            figure.figure.name
        ),
        How::KindOnly => format!(
            "{}: figure '{}' asks for it",
            m.kind.as_str(),
            figure.figure.name
        ),
    };
    if let Some(unit) = &figure.figure.unit {
        reason.push_str(&format!(", in {unit}"));
    }
    if !figure.figure.of.is_empty() {
        match &m.owner {
            Some(owner) => reason.push_str(&format!("; owner {owner}")),
            None => reason.push_str("; no owner given, none other named"),
        }
    }
    reason
}

/// The reason no figure's terms matched.
fn why_not(seen: &Seen<'_>, n_of_kind: usize) -> String {
    let m = seen.mention;
    if m.kind != Kind::Count {
        let kind = m.kind.as_str();
        return if n_of_kind == 0 {
            format!("not a count ({kind}), and no figure has kind {kind}")
        } else {
            format!("{kind}: no {kind} figure's term in the sentence")
        };
    }
    let event = match &m.event {
        Some(event) => format!(" and no figure's term names the event '{event}'"),
        None => String::new(),
    };
    if seen.noun.is_empty() {
        format!("no counted noun phrase{event}")
    } else if COUNTERS.contains(&seen.head()) {
        format!(
            "noun phrase head '{}' is a counter; no figure's term in the sentence{event}",
            seen.head()
        )
    } else {
        format!("noun phrase '{}' holds no figure's term{event}", m.noun)
    }
}
