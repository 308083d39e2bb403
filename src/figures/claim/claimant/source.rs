//! Sources named apart from a verb of saying: "The figures come from X",
//! "Those are the latest figures from X", "X gave the figure" (for the
//! sentence before, too), and "Officials raised the death toll to N" (a
//! speaker who revised the figure).

use super::super::words::Clause;
use super::{Attribution, PRONOUNS, clean, name_after, name_before};

/// Verbs that name a source only with figures as their subject or object:
/// "The figures come from X", "X gave the figure".
/// "Those are the latest figures from X" reads the noun as the trigger; "X
/// raised the death toll to N" names who revised the figure.
pub(in crate::figures::claim) const SOURCE_VERBS: &[&str] = &[
    "come",
    "comes",
    "came",
    "gave",
    "give",
    "gives",
    "provided",
    "figures",
    "estimates",
    "raised",
    "revised",
    "lowered",
    "updated",
];

/// Nouns that stand for numbers given elsewhere: "the figure", "these
/// estimates".
pub(in crate::figures::claim) fn figures_noun(w: &str) -> bool {
    matches!(
        w,
        "figure"
            | "figures"
            | "estimate"
            | "estimates"
            | "number"
            | "numbers"
            | "toll"
            | "tally"
            | "data"
            | "count"
            | "statistics"
    )
}

/// "The figures come from X" (`v` the verb): the attribution, if it is one.
pub(in crate::figures::claim) fn source_attribution(
    clause: &Clause,
    v: usize,
) -> Option<Attribution> {
    let w = clause.low(v);
    let mut out = Attribution {
        verb: v,
        claimant: None,
        leads: false,
        trails: true,
        sources: true,
    };
    // "Those are the latest figures from X."
    if matches!(w, "figures" | "estimates") {
        if clause.low(v + 1) != "from" {
            return None;
        }
        let e = name_after(clause, v + 2)?;
        out.claimant = clean(clause.span(v + 2, e));
        return out.claimant.is_some().then_some(out);
    }
    if matches!(w, "come" | "comes" | "came") {
        let subject = (v.saturating_sub(4)..v).any(|k| figures_noun(clause.low(k)));
        if !subject || clause.low(v + 1) != "from" {
            return None;
        }
        let e = name_after(clause, v + 2)?;
        out.claimant = clean(clause.span(v + 2, e));
        return out.claimant.is_some().then_some(out);
    }
    // "X gave the figure(s)", "X provided these numbers", "X raised the
    // death toll".
    let object = matches!(
        clause.low(v + 1),
        "the" | "these" | "those" | "that" | "this" | "its" | "their"
    ) && (figures_noun(clause.low(v + 2)) || figures_noun(clause.low(v + 3)));
    if !object {
        return None;
    }
    // Who revised a figure claims it for its own sentence only, and only a
    // speaker does ("Officials raised the death toll"; not "The strike").
    let revising = matches!(w, "raised" | "revised" | "lowered" | "updated");
    let (s, e) = name_before(clause, v)?;
    if (e - s == 1 && PRONOUNS.contains(&clause.low(s))) || (revising && !speaker(clause, s, e)) {
        return None;
    }
    out.sources = !revising;
    out.claimant = clean(clause.span(s, e));
    out.leads = true;
    out.claimant.is_some().then_some(out)
}

/// Whether words `s..e` name someone who can give a figure: a speaker's
/// noun at their head, or a name (a capitalised word past the first, an
/// acronym).
pub(in crate::figures::claim) fn speaker(clause: &Clause, s: usize, e: usize) -> bool {
    let head = clause.low(e - 1);
    let speaking_noun = matches!(
        head,
        "officials"
            | "official"
            | "authorities"
            | "ministry"
            | "agency"
            | "government"
            | "police"
            | "military"
            | "army"
            | "spokesman"
            | "spokeswoman"
            | "spokesperson"
            | "office"
            | "service"
            | "committee"
            | "council"
            | "governor"
            | "mayor"
            | "minister"
            | "president"
            | "media"
            | "doctors"
            | "hospital"
            | "rescuers"
    );
    let named = (s..e).any(|k| {
        let raw = clause.raw(k);
        (k > s && clause.is_cap(k))
            || (raw.len() > 1 && raw.chars().all(|c| c.is_ascii_uppercase()))
    });
    speaking_noun || named
}
