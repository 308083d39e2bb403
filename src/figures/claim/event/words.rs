//! The words that name events: verbs in every form ("killed", "sent"),
//! nouns that count an event's things ("deaths", "the toll"), adjectives
//! ("54 missing people"), and the words that make a number an increment
//! or the size of a change.

use super::super::super::lexicon::CHANGE_VERBS;
use super::super::words::{At, Clause};

/// Event words, in every form the clause may use, to their normal form.
pub(in crate::figures::claim) fn event_word(w: &str) -> Option<&'static str> {
    Some(match w {
        "killed" | "kill" | "kills" | "killing" | "slain" | "slaughtered" | "massacred"
        | "executed" => "killed",
        "dead" | "died" | "die" | "dies" | "dying" | "perished" | "drowned" => "dead",
        "wounded" | "wounding" | "wound" | "wounds" => "wounded",
        "injured" | "injuring" | "injure" | "injures" | "hurt" => "injured",
        "captured" | "capturing" | "capture" | "captures" | "seized" => "captured",
        "missing" | "unaccounted" => "missing",
        "deployed" | "deploying" | "deploy" | "deploys" | "stationed" | "stationing"
        | "station" | "mobilised" | "mobilized" | "posted" => "deployed",
        "sent" | "sending" | "send" | "sends" | "dispatched" | "dispatching" | "dispatch" => "sent",
        "withdrawn" | "withdrew" | "withdrawing" | "withdraw" | "withdraws" => "withdrawn",
        "supplied" | "supplying" | "supply" | "supplies" | "provided" | "providing" | "provide"
        | "provides" | "shipped" | "shipping" | "ships" | "transferred" | "transferring"
        | "gave" | "given" | "giving" | "donated" | "donating" | "donate" | "donates" | "give"
        | "gives" | "transfer" | "transfers" | "exported" | "sold" | "handed" | "handing" => {
            "supplied"
        }
        "delivered" | "delivering" | "deliver" | "delivers" => "delivered",
        "pledged" | "pledging" | "pledge" | "pledges" | "promised" | "promising" | "promise"
        | "promises" | "committed" | "committing" | "commit" | "commits" | "earmarked"
        | "approved" => "pledged",
        "displaced" | "displacing" | "displace" | "displaces" | "uprooted" | "fled" | "fleeing"
        | "homeless" | "flee" | "flees" => "displaced",
        "evacuated" | "evacuating" | "evacuate" | "evacuates" => "evacuated",
        "destroyed" | "destroying" | "destroy" | "destroys" | "collapsed" | "flattened"
        | "razed" => "destroyed",
        "damaged" | "damaging" => "damaged",
        "arrested" | "arresting" | "arrest" | "detained" | "detaining" | "detain" => "arrested",
        "rescued" | "rescuing" | "rescue" | "rescues" => "rescued",
        "lost" | "losing" | "lose" | "loses" => "lost",
        _ => return None,
    })
}

/// Whether a word names an event in any of its forms.
pub(in crate::figures::claim) fn is_event_word(w: &str) -> bool {
    event_word(w).is_some()
}

/// Events whose counted things are casualties, never a count of what the
/// things are: "1,500 soldiers were killed" is no troop level; "Russia has
/// lost 400,000 soldiers" neither.
pub(crate) const CASUALTY_EVENTS: &[&str] = &[
    "killed", "dead", "wounded", "injured", "captured", "missing", "lost",
];

/// Whether an event is a casualty (one of [`CASUALTY_EVENTS`]).
pub(crate) fn is_casualty(event: &str) -> bool {
    CASUALTY_EVENTS.contains(&event)
}

/// Whether the words just before or inside the mention make it an
/// increment: "an additional 3,000", "another 2,000", "a further 500",
/// "1,000 more troops", "200 extra tanks", "added 3,000".
pub(super) fn increment(clause: &Clause, at: At) -> bool {
    let back1 = at.first.checked_sub(1).map_or("", |k| clause.low(k));
    let back2 = at.first.checked_sub(2).map_or("", |k| clause.low(k));
    if matches!(back1, "additional" | "another" | "further" | "extra")
        || matches!(back2, "additional" | "another" | "further")
        || matches!(back1, "added" | "adding" | "adds" | "add")
    {
        return true;
    }
    // Inside the mention, after the number: "1,000 more troops" (not "more
    // than", which is a qualifier before the number).
    (at.first..at.last).any(|k| {
        matches!(clause.low(k), "more" | "additional" | "extra")
            && clause.low(k + 1) != "than"
            && k > at.first
            // "300 or more" is a bound.
            && clause.low(k - 1) != "or"
    }) || (clause.low(at.last) == "more"
        && clause.low(at.last + 1) != "than"
        && clause.low(at.last.wrapping_sub(1)) != "or")
}

/// "increased by 180,000", "cut the budget by ₩300 billion": the size of
/// a change, never a level (a percentage may be a rate: "grew by 3.1%").
pub(super) fn changed_by(clause: &Clause, at: At) -> bool {
    at.first >= 2
        && clause.low(at.first - 1) == "by"
        && (at.first.saturating_sub(8)..at.first - 1).any(|k| CHANGE_VERBS.contains(clause.low(k)))
}

/// The event a counted noun names by itself: "the death toll", "deaths".
pub(super) fn event_of_noun(noun: &str) -> Option<&'static str> {
    let lower = noun.to_lowercase();
    let last = lower.rsplit([' ', '-']).next().unwrap_or("");
    Some(match last {
        // "the death toll", "the quake toll": a toll counts the dead.
        "toll" if !lower.contains("injur") && !lower.contains("casualt") => "dead",
        "arrests" | "detentions" => "arrested",
        "evacuees" => "evacuated",
        "deaths" | "dead" | "fatalities" => "dead",
        "killed" => "killed",
        "wounded" => "wounded",
        "injured" | "injuries" => "injured",
        "missing" => "missing",
        "displaced" | "homeless" => "displaced",
        _ => return None,
    })
}

/// An event word standing as an adjective before the head of a noun
/// phrase: "54 missing people", "40 wounded soldiers", "12 destroyed tanks".
pub(super) fn event_adjective(noun: &str) -> Option<&'static str> {
    let mut words = noun.split(' ');
    let _head = words.next_back()?;
    words.find_map(|w| {
        let w = w.to_ascii_lowercase();
        let adjective = w.ends_with("ed") || matches!(w.as_str(), "dead" | "missing" | "homeless");
        adjective.then(|| event_word(&w)).flatten()
    })
}
