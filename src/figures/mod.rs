//! Figures: numbers in text with their qualifier, range and counted noun
//! phrase (mentions); which configured figure each belongs to (assignment);
//! and whether an observation changes a figure's state (change decision).
//! Pure: no IO, never fails and never panics on text. It does not fetch,
//! store or alert, and knows nothing of feeds or watches beyond the figures
//! it is given.
//!
//! Seams: `number` (tokens and the number scanner), `mention` (drives the
//! scan, builds mentions), `scan` (the phases a candidate passes through),
//! `range` (ranges and transitions), `unit` (currencies, percent and
//! measurement units), `not_count` (digits that are not a count: names,
//! dates, scores), `qualifier` (bounds and two-sided bounds), `noun` (the
//! counted noun phrase, forward and inverted), `sentence` (splitting),
//! `lexicon` (word lists), `assign` (mention → figure, with a reason) and
//! `change` (the decision). Tests and the annotated corpus (`corpus.txt`,
//! `heldout.txt`) live beside them.

mod assign;
mod change;
mod claim;
mod lexicon;
mod mention;
mod not_count;
mod noun;
mod number;
mod places;
mod qualifier;
mod range;
mod scan;
mod sentence;
#[cfg(test)]
mod tests;
mod unit;

pub use number::parse_number;

use crate::config;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How a number is qualified in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// No qualifier: "200 pieces".
    Exact,
    /// more than, over, above, in excess of, upwards of.
    MoreThan,
    /// at least, no fewer than.
    AtLeast,
    /// fewer than, less than, under, below.
    LessThan,
    /// up to, at most, as many as, no more than.
    AtMost,
    /// about, around, approximately, roughly, nearly, almost, some, …
    Approximately,
    /// "10,000 to 12,000": `low` and `high` set, `value` their midpoint.
    Range,
}

impl Qualifier {
    /// The name used in JSON and the database (`more_than`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::MoreThan => "more_than",
            Qualifier::AtLeast => "at_least",
            Qualifier::LessThan => "less_than",
            Qualifier::AtMost => "at_most",
            Qualifier::Approximately => "approximately",
            Qualifier::Range => "range",
        }
    }

    /// Inverse of [`Qualifier::as_str`].
    pub fn from_name(name: &str) -> Option<Qualifier> {
        Some(match name {
            "exact" => Qualifier::Exact,
            "more_than" => Qualifier::MoreThan,
            "at_least" => Qualifier::AtLeast,
            "less_than" => Qualifier::LessThan,
            "at_most" => Qualifier::AtMost,
            "approximately" => Qualifier::Approximately,
            "range" => Qualifier::Range,
            _ => return None,
        })
    }
}

/// What a number measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A count of things: "11,000 troops".
    Count,
    /// "25%", "25 percent".
    Percent,
    /// "$3.2 billion", "€40m".
    Money,
    /// A measurement with a unit: "37 km", "296 hp", "12 tonnes".
    Measure,
}

impl Kind {
    /// The name used in JSON, the config and the database (`count`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Count => "count",
            Kind::Percent => "percent",
            Kind::Money => "money",
            Kind::Measure => "measure",
        }
    }

    /// Inverse of [`Kind::as_str`].
    pub fn from_name(name: &str) -> Option<Kind> {
        Some(match name {
            "count" => Kind::Count,
            "percent" => Kind::Percent,
            "money" => Kind::Money,
            "measure" => Kind::Measure,
            _ => return None,
        })
    }
}

/// A number in the text with its qualifier and counted noun phrase.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mention {
    /// The value; a range's midpoint.
    pub value: f64,
    /// Lower bound (the value itself for exact, approximate and lower-bounded).
    pub low: Option<f64>,
    /// Upper bound (the value itself for exact, approximate and upper-bounded).
    pub high: Option<f64>,
    /// How the number is qualified.
    pub qualifier: Qualifier,
    /// What the number measures.
    pub kind: Kind,
    /// The mention as written, qualifier through noun phrase:
    /// "more than 200 long-range artillery pieces".
    pub text: String,
    /// The counted noun phrase: "long-range artillery pieces" ("" if none).
    pub noun: String,
    /// The sentence the mention stands in.
    pub sentence: String,
    /// Byte offset of `text` in the input.
    pub start: usize,
    /// Byte offset of the end of `text` in the input.
    pub end: usize,
    /// The unit: an ISO 4217 code for money ("USD"), "%" for a percentage,
    /// a measurement unit ("km", "hp", "t") for a measure; `None` for counts
    /// and for money whose currency the text does not give.
    pub unit: Option<String>,
    /// What happened to the counted things, as a normalised word: killed,
    /// wounded, dead, injured, captured, missing, deployed, sent, supplied,
    /// pledged, delivered, displaced, …; `None` when the clause says nothing.
    pub event: Option<String>,
    /// Whose the counted things are, or who did the counted act: "North
    /// Korea" in "North Korean troops" or "North Korea has sent N troops".
    pub owner: Option<String>,
    /// Who the text attributes the number to: "South Korea's Ministry of
    /// National Defense" in "…, according to South Korea's Ministry of
    /// National Defense".
    pub claimed_by: Option<String>,
    /// The earlier value of a transition: 300 in "rose to 600 from 300".
    pub previous: Option<f64>,
    /// An increment, not a level: "an additional 3,000 troops", "1,000 more
    /// troops". Never sets a figure's level.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub increment: bool,
    /// The owner did the killing, wounding or capturing ("North Korean
    /// troops killed 200 soldiers"): the casualties are not the owner's,
    /// and a figure's `of` never counts them as its own.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub agent: bool,
}

#[cfg(test)]
impl Mention {
    /// A mention built by hand for tests of the stages after the scan:
    /// exactly `value` `noun` ("200 troops") in `sentence`, a count that no
    /// claim was read for.
    pub(crate) fn exact_count(value: f64, noun: &str, sentence: &str) -> Mention {
        let text = format!("{value} {noun}").trim_end().to_string();
        Mention {
            value,
            low: Some(value),
            high: Some(value),
            qualifier: Qualifier::Exact,
            kind: Kind::Count,
            start: 0,
            end: text.len(),
            text,
            noun: noun.to_string(),
            sentence: sentence.to_string(),
            unit: None,
            event: None,
            owner: None,
            claimed_by: None,
            previous: None,
            increment: false,
            agent: false,
        }
    }
}

/// Every mention in `text`, in text order.
pub fn mentions(text: &str) -> Vec<Mention> {
    let mention::Scanned {
        mut mentions,
        sentences,
        lower,
        tokens,
    } = mention::scan_text(text);
    claim::annotate(text, &lower, &tokens, &sentences, &mut mentions);
    mentions
}

/// Which figure a mention belongs to, and why (for `figwatch extract`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    /// Index into the figures slice given to [`assign`], if any.
    pub figure: Option<usize>,
    /// Other figures the mention matches exactly as well (figures with the
    /// same terms, say one kept by source beside one that is not): the
    /// mention is theirs too.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<usize>,
    /// A short human explanation: "noun phrase head 'pieces' is a counter;
    /// term 'artillery' in the sentence", "not a count (percent)", …
    pub reason: String,
}

/// Assigns each mention to at most one figure by DESIGN.md's rules; the result
/// is parallel to `mentions`.
pub fn assign(mentions: &[Mention], figures: &[config::Figure]) -> Vec<Assignment> {
    assign::assign(mentions, figures)
}

/// One article's reading of its figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Reading {
    /// Mentions in the headline, then in the body. Offsets are into the
    /// headline for the first `n_title` mentions, into the body after.
    pub mentions: Vec<Mention>,
    /// How many of `mentions` come from the headline.
    pub n_title: usize,
    /// Parallel to `mentions`.
    pub assignments: Vec<Assignment>,
    /// The article's observations: (figure index, mention index), ordered by
    /// figure, then by mention. One per figure (its first qualifying mention
    /// in headline-then-body order); for a `by_source` figure one per
    /// claimant (see [`state_claimant`]), each that claimant's first mention.
    pub observations: Vec<(usize, usize)>,
}

/// Reads an article's headline and body against the figures of one watch.
pub fn read(title: &str, body: &str, figures: &[config::Figure]) -> Reading {
    let mut all = mentions(title);
    let n_title = all.len();
    all.extend(mentions(body));
    let assignments = assign(&all, figures);
    let observations = observations(&all, &assignments, figures);
    Reading {
        mentions: all,
        n_title,
        assignments,
        observations,
    }
}

/// The observations of [`Reading::observations`], from mentions in
/// headline-then-body order and their assignments (parallel slices). A
/// mention that is an increment is never an observation, whatever its
/// assignment says: it is not a level.
pub(crate) fn observations(
    mentions: &[Mention],
    assignments: &[Assignment],
    figures: &[config::Figure],
) -> Vec<(usize, usize)> {
    let mut observations = Vec::new();
    for (figure_idx, figure) in figures.iter().enumerate() {
        let mut claimants_seen: Vec<&str> = Vec::new();
        for (mention_idx, (mention, assignment)) in mentions.iter().zip(assignments).enumerate() {
            let assigned =
                assignment.figure == Some(figure_idx) || assignment.also.contains(&figure_idx);
            if !assigned || mention.increment {
                continue;
            }
            let claimant = state_claimant(figure, mention);
            if claimants_seen.contains(&claimant) {
                continue;
            }
            claimants_seen.push(claimant);
            observations.push((figure_idx, mention_idx));
            if !figure.by_source {
                break;
            }
        }
    }
    observations
}

/// The claimant a figure's state is kept under for `mention`: its
/// `claimed_by`, trimmed, for a `by_source` figure (`""` when the text
/// attributes the number to nobody: the "unattributed" claimant), and `""`
/// for every other figure, which has one state. The store keys figure state
/// and observations by this.
pub fn state_claimant<'a>(figure: &config::Figure, mention: &'a Mention) -> &'a str {
    if figure.by_source {
        // "the NIS" and "NIS" are one claimant.
        let claimant = mention.claimed_by.as_deref().map_or("", str::trim);
        ["the ", "The "]
            .iter()
            .find_map(|article| claimant.strip_prefix(article))
            .unwrap_or(claimant)
    } else {
        ""
    }
}

/// A figure's value as stored in its state and compared by [`decide`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Value {
    /// The value (a range's midpoint).
    pub value: f64,
    /// How it is qualified.
    pub qualifier: Qualifier,
    /// When the article that reported it was published (or first seen).
    pub published: DateTime<Utc>,
}

/// What an observation does to a figure's state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decision {
    /// The figure had no state: this observation becomes it.
    FirstSeen,
    /// A newer article reports a different value that passes the figure's
    /// `alert_on` and `min_change`: alert, and this becomes the state.
    Changed {
        /// current - previous.
        absolute: f64,
        /// absolute / previous; `None` when previous is 0.
        relative: Option<f64>,
    },
    /// A newer article with a different value that the policy filters out
    /// (wrong direction or below `min_change`): becomes the state, no alert.
    Filtered {
        /// current - previous.
        absolute: f64,
    },
    /// A newer article with the same value (whatever its qualifier): becomes
    /// the state, no alert.
    Unchanged,
    /// Published before the current state: history only.
    Older,
}

/// Compares `candidate` with the figure's `current` state.
pub fn decide(figure: &config::Figure, current: Option<&Value>, candidate: &Value) -> Decision {
    change::decide(figure, current, candidate)
}
