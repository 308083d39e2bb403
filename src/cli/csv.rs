//! `figures --csv` and `history --csv`: RFC 4180 CSV for a spreadsheet.
//! Numbers are raw (`12000`, not `12,000`), times RFC 3339, one header row.

use chrono::{DateTime, Utc};

use crate::store::{FigureSummary, HistoryRow, ObservationRow};

/// One CSV field: quoted when it holds a comma, a quote or a line break
/// (quotes doubled), as RFC 4180 says.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn line(fields: &[String]) -> String {
    let mut out = fields
        .iter()
        .map(|text| field(text))
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    out
}

fn number(value: Option<f64>) -> String {
    value.map_or_else(String::new, |value| value.to_string())
}

fn time(value: Option<DateTime<Utc>>) -> String {
    value.map_or_else(String::new, |t| t.to_rfc3339())
}

/// The columns every row shares, after its own leading ones.
const OBSERVATION_COLUMNS: [&str; 12] = [
    "value",
    "low",
    "high",
    "qualifier",
    "kind",
    "unit",
    "claimed_by",
    "text",
    "source",
    "published_at",
    "url",
    "title",
];

fn observation(observation: &ObservationRow) -> Vec<String> {
    vec![
        observation.value.to_string(),
        number(observation.low),
        number(observation.high),
        observation.qualifier.as_str().to_string(),
        observation.kind.as_str().to_string(),
        observation.unit.clone().unwrap_or_default(),
        observation.claimed_by.clone().unwrap_or_default(),
        observation.text.clone(),
        observation.article.source.clone(),
        time(observation.article.published_at),
        observation.article.url.clone(),
        observation.article.title.clone(),
    ]
}

/// `figures --csv`: one row per state.
pub(super) fn figures(figures: &[FigureSummary]) -> String {
    let mut header: Vec<String> = ["watch", "figure", "claimant"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(OBSERVATION_COLUMNS.iter().map(|s| s.to_string()));
    header.extend(["previous_value".to_string(), "change".to_string()]);
    let mut out = line(&header);
    for figure in figures {
        let mut row = vec![
            figure.watch.clone(),
            figure.figure.clone(),
            figure.claimant.clone(),
        ];
        row.extend(observation(&figure.current));
        row.push(number(figure.previous_value));
        row.push(number(
            figure
                .previous_value
                .map(|previous| figure.current.value - previous),
        ));
        out.push_str(&line(&row));
    }
    out
}

/// `history --csv`: every observation, oldest first.
pub(super) fn history(watch: &str, figure: &str, history: &[HistoryRow]) -> String {
    let mut header: Vec<String> = ["observed_at", "watch", "figure", "claimant", "decision"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(OBSERVATION_COLUMNS.iter().map(|s| s.to_string()));
    let mut out = line(&header);
    for entry in history {
        let mut row = vec![
            time(entry.observed_at),
            watch.to_string(),
            figure.to_string(),
            entry.claimant.clone(),
            entry.decision.clone(),
        ];
        row.extend(observation(&entry.observation));
        out.push_str(&line(&row));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn fields_with_commas_quotes_or_breaks_are_quoted() {
        assert_eq!(super::field("12,000"), "\"12,000\"");
        assert_eq!(super::field("say \"more\""), "\"say \"\"more\"\"\"");
        assert_eq!(super::field("plain"), "plain");
        assert_eq!(super::field("a\nb"), "\"a\nb\"");
    }
}
