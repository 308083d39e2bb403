//! Assignment: which configured figure a mention counts, by DESIGN.md's rules
//! (a term in the noun phrase, the term ending the phrase wins; a bare counter
//! needs a term in the sentence; percent and money only for figures whose
//! terms ask for them), with a reason a person can read.

use super::{Assignment, Kind, Mention};
use crate::config;

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

const PERCENT_MARKERS: &[&str] = &["percent", "%", "per cent", "percentage"];

const MONEY_MARKERS: &[&str] = &[
    "$", "€", "£", "¥", "dollar", "euro", "pound", "sterling", "usd", "eur", "gbp", "money", "yen",
    "yuan", "ruble", "rouble", "rupee", "hryvnia", "franc", "peso", "currency",
];

struct Prepared {
    /// Lower-cased terms that name things (not the kind markers): the form
    /// matched (a plural term's singular) and the term as configured.
    terms: Vec<(String, String)>,
    percent: bool,
    money: bool,
}

fn prepare(figure: &config::Figure) -> Prepared {
    let mut out = Prepared {
        terms: Vec::new(),
        percent: false,
        money: false,
    };
    for term in &figure.terms {
        let t = term.trim().to_lowercase();
        if t.is_empty() {
            continue;
        }
        let is_percent = PERCENT_MARKERS.iter().any(|m| t.contains(m));
        let is_money = MONEY_MARKERS.iter().any(|m| t.contains(m));
        out.percent |= is_percent;
        out.money |= is_money;
        if !is_percent && !is_money {
            // "soldiers" also finds "soldier" (and, with the plural suffix
            // the matcher allows, "soldiers" itself).
            let stem = match t.strip_suffix('s') {
                Some(stem) if !t.ends_with("ss") && stem.len() >= 3 => stem.to_string(),
                _ => t.clone(),
            };
            out.terms.push((stem, t));
        }
    }
    out
}

/// Assigns each mention to at most one figure; parallel to `mentions`.
pub(crate) fn assign(mentions: &[Mention], figures: &[config::Figure]) -> Vec<Assignment> {
    let prepared: Vec<Prepared> = figures.iter().map(prepare).collect();
    mentions
        .iter()
        .map(|m| assign_one(m, figures, &prepared))
        .collect()
}

fn none(reason: String) -> Assignment {
    Assignment {
        figure: None,
        reason,
    }
}

fn assign_one(m: &Mention, figures: &[config::Figure], prepared: &[Prepared]) -> Assignment {
    let noun = m.noun.to_lowercase();
    let sentence = m.sentence.to_lowercase();
    match m.kind {
        Kind::Count => {}
        Kind::Measure => return none("not a count (measure)".to_string()),
        Kind::Percent | Kind::Money => {
            let (label, wants): (&str, fn(&Prepared) -> bool) = if m.kind == Kind::Percent {
                ("percent", |p| p.percent)
            } else {
                ("money", |p| p.money)
            };
            let mut only_kind = None;
            for (f, p) in prepared.iter().enumerate() {
                if !wants(p) {
                    continue;
                }
                if p.terms.is_empty() {
                    only_kind.get_or_insert(f);
                    continue;
                }
                if let Some((_, t)) = p
                    .terms
                    .iter()
                    .find(|(m, _)| find_term(&sentence, m).is_some())
                {
                    return Assignment {
                        figure: Some(f),
                        reason: format!(
                            "{label}: figure '{}' asks for it; term '{t}' in the sentence",
                            figures[f].name
                        ),
                    };
                }
            }
            return match only_kind {
                Some(f) => Assignment {
                    figure: Some(f),
                    reason: format!("{label}: figure '{}' asks for it", figures[f].name),
                },
                None => none(format!("not a count ({label})")),
            };
        }
    }
    if noun.is_empty() {
        return none("no counted noun phrase".to_string());
    }
    // A term in the noun phrase: the one ending latest (the head) wins.
    let mut best: Option<(usize, usize, usize, &str)> = None; // (end, len, figure, term)
    for (f, p) in prepared.iter().enumerate() {
        if p.percent || p.money {
            continue;
        }
        for (form, t) in &p.terms {
            if let Some(end) = find_term(&noun, form) {
                // The singular of a plural term only names the head: "one
                // soldier", but not "missile launchers" for "missiles".
                if form != t && end != noun.len() {
                    continue;
                }
                let better = match best {
                    None => true,
                    Some((be, bl, _, _)) => (end, form.len()) > (be, bl),
                };
                if better {
                    best = Some((end, form.len(), f, t));
                }
            }
        }
    }
    if let Some((end, _, f, t)) = best {
        let at_head = noun[end..].trim().is_empty();
        let how = if at_head { "ends" } else { "stands in" };
        return Assignment {
            figure: Some(f),
            reason: format!("term '{t}' {how} the noun phrase '{}'", m.noun),
        };
    }
    // A bare counter: the nearest term in the sentence decides.
    let head = noun.rsplit(' ').next().unwrap_or("");
    if COUNTERS.contains(&head) {
        let at = sentence.find(&m.text.to_lowercase()).unwrap_or(0);
        let mut near: Option<(usize, usize, &str)> = None; // (distance, figure, term)
        for (f, p) in prepared.iter().enumerate() {
            if p.percent || p.money {
                continue;
            }
            for (form, t) in &p.terms {
                for (s, e) in term_positions(&sentence, form) {
                    let d = if s >= at { s - at } else { at - e.min(at) };
                    if near.is_none_or(|(nd, _, _)| d < nd) {
                        near = Some((d, f, t));
                    }
                }
            }
        }
        return match near {
            Some((_, f, t)) => Assignment {
                figure: Some(f),
                reason: format!(
                    "noun phrase head '{head}' is a counter; term '{t}' in the sentence"
                ),
            },
            None => none(format!(
                "noun phrase head '{head}' is a counter; no figure's term in the sentence"
            )),
        };
    }
    none(format!("noun phrase '{}' holds no figure's term", m.noun))
}

/// Word characters for whole-word matching; a hyphen joins words, so
/// "anti-tank" does not hold the term "tank".
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80 || b == b'-'
}

/// Whole-word occurrences of `term` in `hay` (both lower case), allowing a
/// plural "s"/"es" after it: byte spans.
fn term_positions<'a>(hay: &'a str, term: &'a str) -> impl Iterator<Item = (usize, usize)> + 'a {
    let bytes = hay.as_bytes();
    hay.match_indices(term).filter_map(move |(s, _)| {
        let mut e = s + term.len();
        if s > 0
            && is_word_byte(bytes[s - 1])
            && term.as_bytes().first().is_some_and(|b| is_word_byte(*b))
        {
            return None;
        }
        if hay[e..].starts_with("es") && !bytes.get(e + 2).is_some_and(|b| is_word_byte(*b)) {
            e += 2;
        } else if hay[e..].starts_with('s') && !bytes.get(e + 1).is_some_and(|b| is_word_byte(*b)) {
            e += 1;
        }
        let last_is_word = term.as_bytes().last().is_some_and(|b| is_word_byte(*b));
        if last_is_word && bytes.get(e).is_some_and(|b| is_word_byte(*b)) {
            return None;
        }
        Some((s, e))
    })
}

/// End of the last whole-word occurrence of `term` in `hay`.
fn find_term(hay: &str, term: &str) -> Option<usize> {
    term_positions(hay, term).last().map(|(_, e)| e)
}
