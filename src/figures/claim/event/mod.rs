//! The event of a mention (what happened to the counted things), whether it
//! is an increment, and the subject of copular forms.
//!
//! - After the number, in the passive or as a participle: "1,500 soldiers
//!   were killed", "2,300 people killed", "2,300 dead", "N have been
//!   deployed", "N of whom were captured".
//! - Before it, as the verb of the clause: "killed 45 people", "killing 45",
//!   "North Korea has sent an additional 1,000 troops", "supplied Russia
//!   with 200 artillery pieces".
//! - Increments: "an additional", "another", "a further", "N more", "N
//!   extra": never a level. "bringing the total to N" is the level.
//! - Copular and inverted forms, whose subject is what is counted: "the
//!   death toll rose to 2,300", "casualties have reached 4,000", "estimates
//!   casualties at around 4,700", "bringing the total to 16,000" (the
//!   subject is found by `subject`; this phase applies it).
//!
//! `verb.rs` finds the verb after or before the number; this file reads a
//! mention in phases and shares what one mention of a clause says with the
//! next.

mod elided;
mod verb;
mod words;

use elided::coordinated;
pub(super) use elided::{gapped_name, partitive_antecedent, relative_agent};
pub(crate) use words::{CASUALTY_EVENTS, is_casualty};
use words::{changed_by, event_adjective, event_of_noun, increment};
pub(super) use words::{event_word, is_event_word};

use super::super::{Kind, Mention};
use super::subject::{Subject, copular_subject, money_noun, numbering_noun};
use super::words::{At, Clause};
pub(super) use verb::{DETERMINERS, participle_after, verb_before};
use verb::{after, before};

/// Reads the event, increment and copular subject of `m`, in phases: its
/// own noun and subject, its event, then what it shares with the mentions
/// of the clause before it (`before_m`), then whether it is an increment.
pub(super) fn read(clause: &Clause, at: At, m: &mut Mention, before_m: &mut [Mention]) {
    if m.kind == Kind::Money && m.noun.is_empty() {
        m.noun = money_noun(clause, at).unwrap_or_default();
    }
    if m.kind == Kind::Count && m.noun.is_empty() {
        m.noun = numbering_noun(clause, at).unwrap_or_default();
    }
    // "one of 8,000 people rescued": one person, no count of the group.
    if m.value == 1.0 && clause.low(at.first) == "one" && clause.low(at.first + 1) == "of" {
        m.noun.clear();
        return;
    }
    let inherited_event = copular(clause, at, m, before_m);
    possessive_alone(clause, m, before_m);
    if m.event.is_none() {
        let found = after(clause, at)
            .or_else(|| before(clause, at))
            .or_else(|| relative_agent(clause, at).map(|(event, s, _)| (event, s)));
        m.event = found
            .map(|(event, _)| event.to_string())
            .or(inherited_event);
    }
    // "destroyed 12 of them": what the sentence counted before.
    if m.noun.is_empty()
        && let Some(prev) = partitive_antecedent(clause, at, m, before_m)
    {
        m.noun = prev.noun.clone();
    }
    event_of_own_noun(clause, at, m);
    share_with_coordinated(clause, at, m, before_m);
    leaving_level(clause, at, m, before_m);
    place_list(clause, at, m, before_m);
    gapped_clause(clause, at, m, before_m);
    share_verb_after(clause, at, m, before_m);
    read_increment(clause, at, m, before_m);
}

/// A copular, estimating or setting form when `m` has no noun ("the death
/// toll rose to 2,300", "bringing the total to 16,000"): its subject
/// becomes the noun, and the event it names the event. Returns the event
/// a total inherits from the number before it that it sums.
fn copular(clause: &Clause, at: At, m: &mut Mention, before_m: &mut [Mention]) -> Option<String> {
    if !m.noun.is_empty() {
        return None;
    }
    let Subject {
        span: (s, e),
        setting,
    } = copular_subject(clause, at, m.kind)?;
    let mut inherited_event = None;
    // "killed 61 people …, bringing the season's death toll to 208":
    // the number before the total adds to it.
    if setting
        && let Some(prev) = before_m.last_mut()
        && prev.start >= clause.start
        && prev.kind == m.kind
    {
        prev.increment = true;
    }
    let head = clause.low(e - 1);
    if matches!(head, "total" | "number" | "tally" | "count" | "figure")
        && let Some(prev) = before_m
            .iter()
            .rev()
            .find(|p| !p.noun.is_empty() && p.start >= clause.start)
    {
        // "an additional 1,000 troops, bringing the total to 16,000";
        // "arrested 87 …, bringing the number held to 3,000".
        m.noun = prev.noun.clone();
        inherited_event = prev.event.clone();
    } else {
        m.noun = clause.span(s, e).to_string();
    }
    // "the number of people killed rose to 300", "the number held".
    let held = (clause.low(e) == "held").then_some("arrested");
    if let Some(event) = event_word(clause.low(e)).or(held) {
        m.event = Some(event.to_string());
    }
    inherited_event
}

/// "Turkey's inflation eased to 47.1% and Russia's rose to 8.9%": a
/// possessive alone stands for the noun before it.
fn possessive_alone(clause: &Clause, m: &mut Mention, before_m: &[Mention]) {
    if !m.noun.contains(' ')
        && (m.noun.ends_with("'s") || m.noun.ends_with("’s"))
        && let Some(prev) = before_m
            .iter()
            .rev()
            .find(|p| p.start >= clause.start && p.kind == m.kind && !p.noun.is_empty())
    {
        let head: Vec<&str> = prev
            .noun
            .split(' ')
            .skip_while(|w| w.ends_with("'s") || w.ends_with("’s"))
            .collect();
        if !head.is_empty() {
            m.noun = format!("{} {}", m.noun, head.join(" "));
        }
    }
}

/// The event `m`'s own noun phrase says when no verb did: a participle
/// after an inverted noun ("the number of Varnessans killed"), the noun
/// ("deaths") or its adjective ("displaced people").
fn event_of_own_noun(clause: &Clause, at: At, m: &mut Mention) {
    // "the number of Varnessans killed": a participle after an inverted noun.
    if m.event.is_none()
        && let Some(e) = noun_end_before_number(clause, at, m)
        && let Some(event) = event_word(clause.low(e))
    {
        m.event = Some(event.to_string());
    }
    if m.event.is_none() {
        // "230,000 displaced people have returned": a verb after the noun
        // says what they did now, not the adjective.
        let verb_follows = matches!(
            clause.low(at.last),
            "have" | "has" | "had" | "were" | "are" | "was" | "is"
        );
        m.event = event_of_noun(&m.noun)
            .or_else(|| event_adjective(&m.noun).filter(|_| !verb_follows))
            .map(str::to_string);
    }
}

/// A second number of one clause shares what the first left unsaid:
/// "9,800 homes were destroyed and 21,000 damaged" (its noun), "sent 30
/// howitzers and 12,000 soldiers" (its event).
fn share_with_coordinated(clause: &Clause, at: At, m: &mut Mention, before_m: &[Mention]) {
    let Some(prev) = before_m.last().filter(|p| p.start >= clause.start) else {
        return;
    };
    if !coordinated(clause, prev, at) {
        return;
    }
    if m.noun.is_empty() && m.event.is_some() {
        m.noun = prev.noun.clone();
    }
    // ("104 people were rescued and 82 bodies recovered": a verb of its
    // own that names no event still says the first one is not its.)
    let own_verb = clause.low(at.last).ends_with("ed") && !clause.is_cap(at.last);
    if m.event.is_none() && !m.noun.is_empty() && !own_verb {
        m.event = prev.event.clone();
    }
}

/// "pulled out 1,000 troops since 2023, leaving 27,500": the level the
/// change before it left.
fn leaving_level(clause: &Clause, at: At, m: &mut Mention, before_m: &mut [Mention]) {
    if m.noun.is_empty()
        && m.event.is_none()
        && clause.low(at.first.wrapping_sub(1)) == "leaving"
        && let Some(prev) = before_m
            .iter_mut()
            .rev()
            .find(|p| p.start >= clause.start && p.kind == m.kind && !p.noun.is_empty())
    {
        m.noun = prev.noun.clone();
        prev.increment = true;
    }
}

/// "350 soldiers in Chad, and some 600 in Côte d'Ivoire and 350 in
/// Senegal": a list of places, one noun.
fn place_list(clause: &Clause, at: At, m: &mut Mention, before_m: &[Mention]) {
    if m.noun.is_empty()
        && m.kind == Kind::Count
        && matches!(clause.low(at.first.wrapping_sub(1)), "and" | ",")
        && matches!(clause.low(at.last), "in" | "at")
        && clause.is_cap(at.last + 1)
        && let Some(prev) = before_m
            .iter()
            .rev()
            .find(|p| p.start >= clause.start && p.kind == m.kind && !p.noun.is_empty())
    {
        m.noun = prev.noun.clone();
        if m.event.is_none() {
            m.event = prev.event.clone();
        }
    }
}

/// "Denmark has pledged 19 jets, Norway six and Belgium 30": a gapped
/// clause takes the first one's noun and verb.
fn gapped_clause(clause: &Clause, at: At, m: &mut Mention, before_m: &[Mention]) {
    if m.noun.is_empty()
        && gapped_name(clause, at).is_some()
        && let Some(prev) = before_m
            .last()
            .filter(|p| p.start >= clause.start && p.kind == m.kind && !p.noun.is_empty())
    {
        m.noun = prev.noun.clone();
        if m.event.is_none() {
            m.event = prev.event.clone();
        }
    }
}

/// "Nine soldiers and four civilians died": the verb after the second
/// number is the first's too ("18,400 cases and 312 deaths": an event the
/// noun names is its own).
fn share_verb_after(clause: &Clause, at: At, m: &Mention, before_m: &mut [Mention]) {
    if let Some(event) = &m.event
        && event_of_noun(&m.noun).is_none()
        && event_adjective(&m.noun).is_none()
        && let Some(prev) = before_m.last_mut()
        && prev.start >= clause.start
        && prev.event.is_none()
        && prev.kind == m.kind
        // "… people in 11 prefectures, and 38,000 were evacuated": a number
        // inside a phrase is no subject of the verb.
        && !matches!(
            clause.low(clause.word_at(prev.start).wrapping_sub(1)),
            "in" | "at" | "from" | "across" | "for" | "to" | "with" | "of"
        )
    {
        let from = clause.word_at(prev.end);
        let gap: Vec<&str> = (from..at.first).map(|k| clause.low(k)).collect();
        if gap.iter().any(|w| matches!(*w, "and" | "or"))
            && gap.iter().all(|w| matches!(*w, "and" | "or" | ","))
        {
            prev.event = Some(event.clone());
        }
    }
}

/// Whether `m` is an increment ("an additional", "N more", "raised by
/// N"); "killed 19 people and injured 64 more", "312 were killed, while
/// another 90 remain missing" are others of another kind, not one.
fn read_increment(clause: &Clause, at: At, m: &mut Mention, before_m: &[Mention]) {
    m.increment |= increment(clause, at) || (m.kind != Kind::Percent && changed_by(clause, at));
    if m.increment
        && let Some(event) = m.event.as_deref()
        && is_casualty(event)
        && before_m.iter().any(|p| {
            p.start >= clause.start
                && p.event
                    .as_deref()
                    .is_some_and(|e| e != event && is_casualty(e))
        })
    {
        m.increment = false;
    }
}

/// The word after the noun phrase, when the noun phrase stands before the
/// number ("the number of Varnessans killed … rose to 14,600").
fn noun_end_before_number(clause: &Clause, at: At, m: &Mention) -> Option<usize> {
    // A noun phrase that ends the mention stands after its number.
    if m.noun.is_empty() || m.text.ends_with(m.noun.as_str()) {
        return None;
    }
    let sentence = clause.text.get(clause.start..clause.end)?;
    let number = (at.first..at.last)
        .find(|&k| clause.is_digits(k))
        .unwrap_or(at.first);
    let number_at = clause.words.get(number)?.start - clause.start;
    let off = sentence.get(..number_at)?.rfind(m.noun.as_str())?;
    let e = clause.word_at(clause.start + off + m.noun.len());
    // "people killed", "people left homeless".
    let e = if clause.low(e) == "left" { e + 1 } else { e };
    (e < number).then_some(e)
}
