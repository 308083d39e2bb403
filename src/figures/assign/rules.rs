//! The rules a figure's match must pass, in order, each a small function
//! that says why it refuses. Kind is checked before matching (a figure of
//! another kind is never a candidate) and an increment never reaches them.

use super::prepare::{Prepared, is_casualty_noun};
use super::words::find_term;
use super::{Match, Seen};
use crate::figures::Kind;
use crate::figures::claim::is_casualty;
use crate::figures::claim::{other_owner_named, owner_matches};

/// Why a rule refuses a figure a mention, for `figwatch extract`.
pub(super) type Verdict = Result<(), String>;

type Rule = fn(&Seen<'_>, &Prepared<'_>, &Match<'_>) -> Verdict;

/// The rules in the order they are asked.
pub(super) const RULES: &[Rule] = &[unit, exclude, owner, event_figure, casualty, capacity];

/// `unit`: a figure with a unit takes only mentions in it. A money mention
/// whose currency the text does not give is refused: better silence than a
/// won compared with a dollar.
fn unit(seen: &Seen<'_>, prepared: &Prepared<'_>, _: &Match<'_>) -> Verdict {
    let Some(unit) = &prepared.unit else {
        return Ok(());
    };
    // "4.1 million tonnes of grain": a count of grain, weighed in tonnes.
    let weighed = || crate::figures::unit::weighed_unit(&seen.noun).map(str::to_string);
    match seen.mention.unit.clone().or_else(weighed) {
        Some(got) if got == *unit => Ok(()),
        Some(got) => Err(format!("in {got}, and it takes only {unit}")),
        None => Err(format!("no unit given, and it takes only {unit}")),
    }
}

/// `exclude`: a word in the noun phrase or the event refuses the mention.
fn exclude(seen: &Seen<'_>, prepared: &Prepared<'_>, _: &Match<'_>) -> Verdict {
    let event = seen.mention.event.as_deref().unwrap_or("");
    for (form, word) in prepared.exclude.iter().zip(&prepared.figure.exclude) {
        if find_term(&seen.noun, form).is_some() || find_term(event, form).is_some() {
            return Err(format!("'{word}' is excluded"));
        }
    }
    Ok(())
}

/// `of`: a known owner must be one of the names; without one, the sentence
/// must name no other owner.
fn owner(seen: &Seen<'_>, prepared: &Prepared<'_>, _: &Match<'_>) -> Verdict {
    let of = &prepared.figure.of;
    if of.is_empty() {
        return Ok(());
    }
    match &seen.mention.owner {
        // "North Korean troops killed 200 soldiers": not North Korea's dead.
        Some(owner) if seen.mention.agent && seen.is_casualty() => Err(format!(
            "owner {owner} is who {} them, not whose they are",
            seen.mention.event.as_deref().unwrap_or("harmed")
        )),
        Some(owner) if owner_matches(owner, of) => Ok(()),
        Some(owner) => Err(format!("owner {owner} is not of [{}]", of.join(", "))),
        None if seen.mention.agent && seen.is_casualty() => Err(format!(
            "whoever {} them is named elsewhere; whose they are is not said",
            seen.mention.event.as_deref().unwrap_or("harmed")
        )),
        None if other_owner_named(seen.mention, of) => Err(format!(
            "no owner given, and the sentence names one not of [{}]",
            of.join(", ")
        )),
        None => Ok(()),
    }
}

/// An event figure (terms like "killed", "casualties", "displaced") counts
/// only mentions of an event it covers, or with no event but one of its
/// event or casualty words in the noun phrase ("1,100 casualties").
fn event_figure(seen: &Seen<'_>, prepared: &Prepared<'_>, matched: &Match<'_>) -> Verdict {
    if prepared.kind != Kind::Count || !prepared.is_event_figure() {
        return Ok(());
    }
    match &seen.mention.event {
        Some(event) if is_casualty(event) && !seen.is_casualty() => Err(format!(
            "'{event}' counts equipment ('{}'), not people",
            seen.mention.noun
        )),
        Some(_) if prepared.covers.covers(seen.event) => Ok(()),
        Some(event) => Err(format!("event '{event}' is none its terms name")),
        None if matched.noun_event_term => Ok(()),
        None => Err(
            "its terms name events, and this mention has no event nor a casualty noun".to_string(),
        ),
    }
}

/// What something is for or holds is no count of people: "shelters for
/// up to 30,000 refugees", "food for 20,000 civilians", "camps built for
/// 200,000".
fn capacity(seen: &Seen<'_>, prepared: &Prepared<'_>, _: &Match<'_>) -> Verdict {
    if prepared.kind != Kind::Count || seen.mention.kind != Kind::Count {
        return Ok(());
    }
    let before = seen.sentence()[..seen.at()].trim_end();
    let Some(rest) = before.strip_suffix(" for") else {
        return Ok(());
    };
    let provided = rest.rsplit(' ').take(3).find(|w| {
        matches!(
            w.trim_matches(|c: char| !c.is_alphanumeric()),
            "shelter"
                | "shelters"
                | "food"
                | "tents"
                | "camps"
                | "camp"
                | "beds"
                | "rations"
                | "supplies"
                | "room"
                | "enough"
                | "built"
                | "designed"
                | "capacity"
                | "housing"
                | "meals"
                | "water"
        )
    });
    match provided {
        Some(word) => Err(format!(
            "'{word} for …' says what something holds, not a count"
        )),
        None => Ok(()),
    }
}

/// A casualty (killed, dead, wounded, injured, captured, missing, or a
/// noun phrase that counts casualties: "2,000 infantry casualties") is
/// never a count of what the things are: "1,500 soldiers were killed" is
/// not the `troops` figure's. (Money, percentages and measures are not head
/// counts: "$5m for the families of the killed" may still be an aid
/// figure's.)
fn casualty(seen: &Seen<'_>, prepared: &Prepared<'_>, _: &Match<'_>) -> Verdict {
    if prepared.kind != Kind::Count || prepared.is_event_figure() {
        return Ok(());
    }
    match &seen.mention.event {
        Some(event) if seen.is_casualty() => Err(format!(
            "'{event}' is a casualty event, and its terms only name what was counted"
        )),
        _ if is_casualty_noun(seen.head()) => Err(format!(
            "the noun phrase '{}' counts casualties, and its terms only name what was counted",
            seen.mention.noun
        )),
        _ => Ok(()),
    }
}
