//! The human-readable text of an alert, the same for every text sink
//! (log, ntfy, email, slack, discord, the command sink's FIGWATCH_MESSAGE):
//!
//! ```text
//! nk-russia · artillery: more than 160 → more than 200 (+40, +25%)
//! "North Korea has supplied Russia with more than 200 long-range artillery pieces…"
//! Korea Daily, 2025-02-11 — https://…
//! ```
//!
//! The first line is the title (an ntfy title, a mail subject); the quote and
//! the source line are the body. When the article attributes the number to
//! someone, the title names them and the source: "troops: more than 11,000 →
//! more than 12,000 (+1,000, +9.1%), says South Korea's Ministry of National
//! Defense — Korea Daily"; a `by_source` figure's title leads with the
//! claimant whose state moved: "NIS revised troops: 11,000 → 12,000 (…)".
//! Money carries its scale and currency ("3.2 billion USD"), percentages
//! "%". Sinks with markup (slack, discord, the HTML mail part) render the
//! same [`Parts`] their own way.

use super::json::as_integer;
use super::model::{Alert, Article, Change, Kind, Observation};
use crate::config::Template;
use crate::figures::{self, Qualifier};
use crate::store::{AlertKind, FeedFacts};

/// Longest quote shown, in characters; longer sentences are cut at a word
/// boundary around the mention and marked with "…".
pub const MAX_QUOTE_CHARS: usize = 200;

/// Characters kept before the mention when a long quote has to be cut on
/// both sides, so the reader sees what the number is about.
const QUOTE_LEAD_CHARS: usize = 60;

/// Body of a `test` alert without a message of its own.
const DEFAULT_TEST_TEXT: &str =
    "This is a test alert from figwatch. If you can read it, the sink works.";

/// An alert as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// One line: "nk-russia · artillery: more than 160 → more than 200 (+40, +25%)".
    pub title: String,
    /// The lines below the title: the quote and "Source, date — URL", or the
    /// free text of a feed or test alert. May be empty.
    pub body: String,
    /// The article the alert is about, for a click-through link.
    pub url: Option<String>,
}

impl Message {
    /// Title and body as one text, a newline between them.
    pub fn text(&self) -> String {
        if self.body.is_empty() {
            self.title.clone()
        } else {
            format!("{}\n{}", self.title, self.body)
        }
    }
}

/// The pieces a message is made of, for sinks that mark them up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Parts {
    /// The title line.
    pub title: String,
    /// The quote, already trimmed, without quotation marks.
    pub quote: Option<String>,
    /// "Korea Daily, 2025-02-11" (either part may be missing).
    pub source: Option<String>,
    /// The article's URL.
    pub url: Option<String>,
    /// The article's headline.
    pub headline: Option<String>,
    /// Free text of feed and test alerts, or a template's body.
    pub text: Option<String>,
    /// The text came from a sink's template: the body is that text alone
    /// (the template decides whether to show the link).
    pub templated: bool,
}

impl Parts {
    /// The plain-text body: quote, source line, free text.
    pub(super) fn body(&self) -> String {
        let mut lines = Vec::new();
        if let Some(text) = &self.text {
            lines.push(text.clone());
        }
        if let Some(quote) = &self.quote {
            lines.push(format!("\"{quote}\""));
        }
        if self.templated {
            return lines.join("\n");
        }
        match (&self.source, &self.url) {
            (Some(source), Some(url)) => lines.push(format!("{source} — {url}")),
            (Some(source), None) => lines.push(source.clone()),
            (None, Some(url)) => lines.push(url.clone()),
            (None, None) => {}
        }
        lines.join("\n")
    }
}

/// The human-readable text of `alert`, as a sink without a template sends it.
pub fn message(alert: &Alert) -> Message {
    templated_message(alert, None)
}

/// A sink's template, with the sink's name for the warning when it fails
/// to render. Passed to each text sink with the alert it sends.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SinkTemplate<'a> {
    /// The sink's name.
    pub(crate) sink: &'a str,
    /// Its template.
    pub(crate) template: &'a Template,
}

/// The human-readable text of `alert` through `template`, when there is one.
pub(crate) fn templated_message(alert: &Alert, template: Option<SinkTemplate<'_>>) -> Message {
    let parts = parts(alert, template);
    Message {
        body: parts.body(),
        url: parts.url.clone(),
        title: parts.title,
    }
}

/// The pieces of `alert`'s message: the default ones, or, through a sink
/// with a template, the template's rendering (first line the title, the
/// rest the text; the article link kept). A template that fails to render
/// falls back to the default message with a warning.
pub(crate) fn parts(alert: &Alert, template: Option<SinkTemplate<'_>>) -> Parts {
    let parts = default_parts(alert);
    let rendered =
        template.map(|SinkTemplate { sink, template }| (sink, render(template, alert, &parts)));
    match rendered {
        Some((_, Ok(text))) => {
            let (title, rest) = text.split_once('\n').unwrap_or((text.as_str(), ""));
            Parts {
                title: title.trim().to_owned(),
                quote: None,
                source: None,
                url: parts.url,
                headline: parts.headline,
                text: Some(rest.trim().to_owned()).filter(|rest| !rest.is_empty()),
                templated: true,
            }
        }
        Some((sink, Err(err))) => {
            tracing::warn!(sink, alert = %alert.id, error = %err, "Template failed to render; sending the default message");
            parts
        }
        None => parts,
    }
}

/// The words of a feed alert's facts: "Feed https://… has failed 3 times
/// since 2025-02-11 09:12 UTC: HTTP 500", "Feed https://… works again".
pub(crate) fn feed_text(kind: AlertKind, facts: &FeedFacts) -> String {
    if kind == AlertKind::FeedRecovered {
        return format!("Feed {} works again", facts.url);
    }
    let mut text = format!("Feed {} has failed", facts.url);
    if let Some(failures) = facts.failures {
        text.push_str(&format!(" {failures} times"));
    }
    if let Some(since) = facts.failing_since {
        text.push_str(&format!(" since {}", since.format("%Y-%m-%d %H:%M UTC")));
    }
    if let Some(error) = &facts.error {
        text.push_str(&format!(": {error}"));
    }
    text
}

/// `text` trimmed; `None` when nothing is left.
pub(crate) fn some_text(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|text| !text.is_empty())
        .map(String::from)
}

/// Renders `template` with the alert JSON's fields plus the default
/// message's `title`, `body` and `url`. An empty rendering is an error.
pub(crate) fn render(template: &Template, alert: &Alert, parts: &Parts) -> Result<String, String> {
    let mut context = serde_json::to_value(alert).map_err(|err| err.to_string())?;
    if let Some(fields) = context.as_object_mut() {
        fields.insert(String::from("title"), parts.title.clone().into());
        fields.insert(String::from("body"), parts.body().into());
        fields.insert(String::from("url"), parts.url.clone().into());
    }
    let env = minijinja::Environment::new();
    let text = env
        .render_str(&template.source, minijinja::value::Serde(&context))
        .map_err(|err| format!("{err:#}"))?;
    let text = text.trim();
    if text.is_empty() {
        return Err(String::from("the template rendered nothing"));
    }
    Ok(text.to_owned())
}

fn default_parts(alert: &Alert) -> Parts {
    let mut parts = Parts {
        title: String::new(),
        quote: None,
        source: None,
        url: None,
        headline: None,
        templated: false,
        text: some_text(alert.message.as_deref()),
    };
    let subject = subject(&alert.watch, alert.figure.as_deref());
    match alert.kind {
        Kind::Stored(AlertKind::FigureChanged | AlertKind::FigureFirstSeen) => {
            parts.title = figure_title(alert, &subject);
            if let Some(current) = &alert.current {
                parts.quote = quote(&current.quote, &current.text);
                set_article(&mut parts, &current.article);
            }
        }
        Kind::Stored(AlertKind::ArticleMatched) => {
            let headline = alert
                .article
                .as_ref()
                .map(|article| article.title.trim())
                .filter(|title| !title.is_empty())
                .unwrap_or("(untitled)");
            parts.title = join_title(&subject, &format!("new article: {}", one_line(headline)));
            if let Some(article) = &alert.article {
                set_article(&mut parts, article);
            }
        }
        Kind::Stored(AlertKind::FeedFailing) => parts.title = join_title(&subject, "feed failing"),
        Kind::Stored(AlertKind::FeedRecovered) => {
            parts.title = join_title(&subject, "feed recovered");
        }
        Kind::Digest => parts.title = join_title(&subject, "digest"),
        Kind::Test => {
            parts.title = join_title(&subject, "test alert");
            if parts.text.is_none() {
                parts.text = Some(DEFAULT_TEST_TEXT.to_owned());
            }
        }
    }
    parts
}

/// "nk-russia · artillery", "nk-russia", or "figwatch" for alerts that
/// belong to no watch.
fn subject(watch: &str, figure: Option<&str>) -> String {
    let names: Vec<&str> = [Some(watch), figure]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .collect();
    if names.is_empty() {
        String::from("figwatch")
    } else {
        names.join(" · ")
    }
}

fn join_title(subject: &str, what: &str) -> String {
    if subject == "figwatch" {
        format!("figwatch · {what}")
    } else {
        format!("{subject}: {what}")
    }
}

/// The title of a figure alert: "nk-russia · troops: more than 11,000 →
/// more than 12,000 (+1,000, +9.1%), says South Korea's Ministry of National
/// Defense — Korea Daily"; for a `by_source` figure the claimant leads:
/// "nk-russia · NIS revised troops: 11,000 → 12,000 (+1,000, +9.1%) — Korea
/// Daily" ("NIS on troops: 12,000 (first seen) — …" when first seen,
/// "troops (unattributed): …" for numbers attributed to nobody). When the
/// earlier value of a figure that is not `by_source` was someone else's
/// claim, it is named in parentheses: "11,000 (NIS) → 12,000 …, says Kyiv".
fn figure_title(alert: &Alert, subject: &str) -> String {
    let Some(current) = &alert.current else {
        return format!("{subject}: (no value)");
    };
    let current_text = format_observation(current);
    let changed = match (&alert.previous, alert.kind) {
        (Some(previous), Kind::Stored(AlertKind::FigureChanged)) => Some(previous),
        _ => None,
    };
    let figure = alert.figure.as_deref().map(str::trim).unwrap_or_default();
    let watch = alert.watch.trim();
    let claimant = alert.claimant.as_deref().map(one_line);
    // Who is named in the title, and so gets the source after it.
    let named = match &claimant {
        Some(claimant) => (!claimant.is_empty()).then(|| claimant.clone()),
        None => current.claimed_by.as_deref().map(one_line),
    }
    .filter(|name| !name.is_empty());
    let subject = match claimant.as_deref() {
        Some("") => format!("{subject} (unattributed)"),
        Some(claimant) if !figure.is_empty() => {
            let what = if changed.is_some() { "revised" } else { "on" };
            let names = format!("{claimant} {what} {figure}");
            if watch.is_empty() {
                names
            } else {
                format!("{watch} · {names}")
            }
        }
        _ => subject.to_owned(),
    };
    let mut title = match changed {
        Some(previous) => {
            let change = alert.change.unwrap_or_else(|| {
                let absolute = current.value - previous.value;
                let relative = (previous.value != 0.0).then(|| absolute / previous.value);
                Change { absolute, relative }
            });
            // Another claimant's earlier value says so, so the change does
            // not read as the new claimant revising its own number.
            let previous_claimant = match (&alert.claimant, previous.claimed_by.as_deref()) {
                (None, Some(earlier)) if Some(earlier) != current.claimed_by.as_deref() => {
                    format!(" ({})", one_line(earlier))
                }
                _ => String::new(),
            };
            // The same story, updated in place: "… (+600,000, +7.5%) in a
            // revised article".
            let revised = if alert.revision {
                " in a revised article"
            } else {
                ""
            };
            format!(
                "{subject}: {}{previous_claimant} → {current_text} ({}){revised}",
                format_observation(previous),
                format_change(change, current)
            )
        }
        None => format!("{subject}: {current_text} (first seen)"),
    };
    if let Some(named) = named {
        if alert.claimant.is_none() {
            title.push_str(&format!(", says {named}"));
        }
        let source = one_line(&current.article.source);
        if !source.is_empty() {
            title.push_str(&format!(" — {source}"));
        }
    }
    title
}

fn set_article(parts: &mut Parts, article: &Article) {
    let source = article.source.trim();
    let date = article
        .published_at
        .map(|time| time.format("%Y-%m-%d").to_string());
    let source_line: Vec<String> = [(!source.is_empty()).then(|| one_line(source)), date]
        .into_iter()
        .flatten()
        .collect();
    parts.source = (!source_line.is_empty()).then(|| source_line.join(", "));
    // Only web links are offered for clicking: a feed could carry anything.
    let url = article.url.trim();
    let is_web = url::Url::parse(url).is_ok_and(|url| matches!(url.scheme(), "http" | "https"));
    parts.url = is_web.then(|| url.to_owned());
    let headline = article.title.trim();
    parts.headline = (!headline.is_empty()).then(|| one_line(headline));
}

/// An observation in words: "more than 160", "about 11,000",
/// "10,000–12,000"; money with its scale and currency ("3.2 billion USD"),
/// percentages with "%" ("25%"), measures with their unit ("37 km").
pub fn format_observation(observation: &Observation) -> String {
    let amount = |number| format_magnitude(number, observation.kind);
    let value = amount(observation.value);
    let unit = unit_suffix(observation.kind, observation.unit.as_deref());
    let text = match observation.qualifier {
        Qualifier::Exact => value,
        Qualifier::MoreThan => format!("more than {value}"),
        Qualifier::AtLeast => format!("at least {value}"),
        Qualifier::LessThan => format!("fewer than {value}"),
        Qualifier::AtMost => format!("up to {value}"),
        Qualifier::Approximately => format!("about {value}"),
        Qualifier::Range => {
            let low = amount(observation.low.unwrap_or(observation.value));
            let high = amount(observation.high.unwrap_or(observation.value));
            format!("{low}–{high}")
        }
    };
    format!("{text}{unit}")
}

/// A bare number of `kind` in `unit`, as [`format_observation`] writes
/// values: "3.2 billion USD", "25%", "37 km", "11,000".
pub fn format_value(number: f64, kind: figures::Kind, unit: Option<&str>) -> String {
    format!(
        "{}{}",
        format_magnitude(number, kind),
        unit_suffix(kind, unit)
    )
}

/// A number short enough for a chart's axis, with its unit: scale words
/// from a million up for every kind ("8 million", "4 billion", "3.2
/// billion USD"), thousands separators below ("12,000", "48.6%").
pub fn format_compact(number: f64, kind: figures::Kind, unit: Option<&str>) -> String {
    const SCALES: [(f64, &str); 3] = [(1e12, "trillion"), (1e9, "billion"), (1e6, "million")];
    let suffix = unit_suffix(kind, unit);
    for (scale, word) in SCALES {
        if number.abs() >= scale {
            return format!("{} {word}{suffix}", format_number(number / scale));
        }
    }
    format!("{}{suffix}", format_number(number))
}

/// A number as [`format_observation`] writes it, without the unit: money of
/// a million or more with its scale word ("3.2 billion"), everything else
/// with thousands separators.
fn format_magnitude(number: f64, kind: figures::Kind) -> String {
    const SCALES: [(f64, &str); 3] = [(1e12, "trillion"), (1e9, "billion"), (1e6, "million")];
    if kind == figures::Kind::Money {
        for (scale, word) in SCALES {
            if number.abs() >= scale {
                return format!("{} {word}", format_number(number / scale));
            }
        }
    }
    format_number(number)
}

/// What follows a number of `kind` in `unit`: "%" for a percentage, " USD",
/// " km"; nothing for counts and unknown units.
fn unit_suffix(kind: figures::Kind, unit: Option<&str>) -> String {
    let unit = unit.map(str::trim).filter(|unit| !unit.is_empty());
    match (kind, unit) {
        (figures::Kind::Percent, _) => String::from("%"),
        (figures::Kind::Count, _) | (_, None) => String::new(),
        (figures::Kind::Money | figures::Kind::Measure, Some(unit)) => {
            format!(" {}", one_line(unit))
        }
    }
}

/// "+40, +25%"; without the percentage when the previous value was zero.
/// The absolute change is in the unit of `current`: "+400 million USD", and
/// for a percentage in points ("+5 points, +25%").
fn format_change(Change { absolute, relative }: Change, current: &Observation) -> String {
    let unit = match current.kind {
        figures::Kind::Percent => String::from(" points"),
        kind => unit_suffix(kind, current.unit.as_deref()),
    };
    let sign = if absolute > 0.0 { "+" } else { "" };
    let absolute = format!("{sign}{}{unit}", format_magnitude(absolute, current.kind));
    match relative.filter(|relative| relative.is_finite()) {
        Some(relative) => format!("{absolute}, {}%", format_percent(relative * 100.0)),
        None => absolute,
    }
}

/// A percentage with as many decimals as make it readable: "+25", "+2.5",
/// "+0.25".
fn format_percent(percent: f64) -> String {
    let decimals = match percent.abs() {
        magnitude if magnitude >= 10.0 => 0,
        magnitude if magnitude >= 1.0 => 1,
        _ => 2,
    };
    let rounded = trim_zeros(&format!("{percent:.decimals$}"));
    match rounded.as_str() {
        "0" | "-0" => String::from("0"),
        _ if percent > 0.0 => format!("+{rounded}"),
        _ => rounded,
    }
}

/// A number with thousands separators and at most two decimals: "11,000",
/// "1,500,000", "2.5".
pub fn format_number(number: f64) -> String {
    if !number.is_finite() {
        return String::from("?");
    }
    if let Some(integer) = as_integer(number) {
        return group_thousands(&integer.to_string());
    }
    let rounded = trim_zeros(&format!("{number:.2}"));
    match rounded.split_once('.') {
        Some((whole, fraction)) => format!("{}.{fraction}", group_thousands(whole)),
        None => group_thousands(&rounded),
    }
}

/// "1234567" → "1,234,567", keeping a leading minus sign.
fn group_thousands(digits: &str) -> String {
    let (sign, digits) = match digits.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", digits),
    };
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (idx, digit) in digits.chars().enumerate() {
        if idx > 0 && (digits.len() - idx) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped}")
}

/// "2.50" → "2.5", "3.00" → "3".
fn trim_zeros(number: &str) -> String {
    if number.contains('.') {
        number
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_owned()
    } else {
        number.to_owned()
    }
}

/// Whitespace runs (newlines included) as single spaces, trimmed.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The sentence, cut to about [`MAX_QUOTE_CHARS`] at word boundaries so the
/// mention stays in view; `None` when there is no sentence.
pub(crate) fn quote(sentence: &str, mention: &str) -> Option<String> {
    let sentence = one_line(sentence);
    if sentence.is_empty() {
        return None;
    }
    let chars: Vec<char> = sentence.chars().collect();
    if chars.len() <= MAX_QUOTE_CHARS {
        return Some(sentence);
    }
    // Where the mention starts and ends, in characters (0 when not found).
    let mention = one_line(mention);
    let (mention_start, mention_end) = match sentence.find(mention.as_str()) {
        Some(byte_idx) if !mention.is_empty() => {
            let start = sentence[..byte_idx].chars().count();
            (start, start + mention.chars().count())
        }
        _ => (0, 0),
    };
    let mut start = 0;
    if mention_end > MAX_QUOTE_CHARS - 1 {
        // Start a little before the mention, at the beginning of a word.
        start = mention_start.saturating_sub(QUOTE_LEAD_CHARS);
        while start > 0 && start < mention_start && !chars[start - 1].is_whitespace() {
            start += 1;
        }
    }
    // One character of the budget goes to each "…".
    let budget = MAX_QUOTE_CHARS - 1 - usize::from(start > 0);
    let mut end = (start + budget).min(chars.len());
    if end < chars.len() {
        // Back off to the end of a word, unless the word is longer than the
        // whole budget.
        let mut word_end = end;
        while word_end > start && !chars[word_end].is_whitespace() {
            word_end -= 1;
        }
        if word_end > start {
            end = word_end;
        }
    }
    let mut quoted = String::new();
    if start > 0 {
        quoted.push('…');
    }
    quoted.extend(chars[start..end].iter());
    let mut quoted = quoted.trim_end().to_owned();
    if end < chars.len() {
        quoted = quoted.trim_end_matches([',', ';', ':']).to_owned();
        quoted.push('…');
    }
    Some(quoted)
}
