//! Printing the store: the tables and JSON of `figures`, `history`,
//! `articles` and `alerts` (`check`'s description of a config is in
//! `describe`).

use chrono::{DateTime, Utc};
use serde_json::json;

use super::Result;
use crate::alert::{format_observation, format_value};
use crate::config::{Config, Figure};
use crate::store::{FigureSummary, ObservationRow, Store};

/// How `figures` and `history` print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    /// Aligned columns for a terminal.
    Table,
    /// One JSON array.
    Json,
    /// CSV with a header row.
    Csv,
}

impl Format {
    /// From the `--json` and `--csv` flags (clap makes them exclusive).
    pub(super) fn new(json: bool, csv: bool) -> Format {
        match (json, csv) {
            (true, _) => Format::Json,
            (false, true) => Format::Csv,
            (false, false) => Format::Table,
        }
    }
}

fn date(time: Option<DateTime<Utc>>) -> String {
    time.map_or_else(|| "-".to_string(), |t| t.format("%Y-%m-%d").to_string())
}

fn observation_json(observation: &ObservationRow) -> serde_json::Value {
    json!({
        "value": observation.value,
        "low": observation.low,
        "high": observation.high,
        "qualifier": observation.qualifier.as_str(),
        "kind": observation.kind.as_str(),
        "unit": observation.unit,
        "claimed_by": observation.claimed_by,
        "text": observation.text,
        "quote": observation.quote,
        "article": {
            "url": observation.article.url,
            "title": observation.article.title,
            "source": observation.article.source,
            "published_at": observation.article.published_at.map(|t| t.to_rfc3339()),
        }
    })
}

/// Who claims a value, for a table cell: the claimant of a `by_source`
/// state ("(unattributed)" for the empty one), else the observation's
/// `claimed_by`, else "-".
fn claimed_by_cell(by_source: bool, claimant: &str, observation: &ObservationRow) -> String {
    match (by_source, claimant, observation.claimed_by.as_deref()) {
        (true, "", _) => "(unattributed)".to_string(),
        (true, claimant, _) => claimant.to_string(),
        (false, _, Some(claimed_by)) => claimed_by.to_string(),
        (false, _, None) => "-".to_string(),
    }
}

/// The configured figure `watch`.`figure`, if the config has it.
fn configured<'a>(config: &'a Config, watch: &str, figure: &str) -> Option<&'a Figure> {
    config
        .watches
        .iter()
        .find(|w| w.name == watch)
        .and_then(|w| w.figures.iter().find(|f| f.name == figure))
}

/// Prints a table: the first row is the header.
fn print_table(rows: &[Vec<String>]) {
    let n_columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..n_columns)
        .map(|col| {
            rows.iter()
                .filter_map(|row| row.get(col))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = String::new();
        for (col, cell) in row.iter().enumerate() {
            if col + 1 == row.len() {
                line.push_str(cell);
            } else {
                let pad = widths[col].saturating_sub(cell.chars().count());
                line.push_str(cell);
                line.push_str(&" ".repeat(pad + 2));
            }
        }
        println!("{}", line.trim_end());
    }
}

/// `figwatch figures [WATCH]`: every figure's current value, with who
/// claims it; a `by_source` figure has one row per claimant, side by side.
/// A configured figure that is not `by_source` shows only its one state
/// (per-claimant states left from when it was are hidden).
pub(super) fn figures(
    store: &Store,
    config: &Config,
    watch: Option<&str>,
    format: Format,
) -> Result<()> {
    let figures: Vec<FigureSummary> = store
        .figures(watch)?
        .into_iter()
        .filter(|f| {
            f.claimant.is_empty()
                || configured(config, &f.watch, &f.figure).is_none_or(|figure| figure.by_source)
        })
        .collect();
    let by_source = |f: &FigureSummary| {
        configured(config, &f.watch, &f.figure).is_some_and(|figure| figure.by_source)
    };
    if format == Format::Csv {
        print!("{}", super::csv::figures(&figures));
        return Ok(());
    }
    if format == Format::Json {
        let items: Vec<_> = figures
            .iter()
            .map(|f| {
                json!({
                    "watch": f.watch,
                    "figure": f.figure,
                    "by_source": by_source(f),
                    "claimant": f.claimant,
                    "current": observation_json(&f.current),
                    "previous_value": f.previous_value,
                    "change": f.previous_value.map(|p| f.current.value - p),
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(items));
        return Ok(());
    }
    if figures.is_empty() {
        println!("No figures tracked yet.");
        return Ok(());
    }
    print_table(&figure_rows(&figures, by_source));
    Ok(())
}

/// The `figures` table, header first: one row per state, so a `by_source`
/// figure's claimants stand on consecutive rows (the store orders them by
/// claimant), each with its latest value.
fn figure_rows(
    figures: &[FigureSummary],
    by_source: impl Fn(&FigureSummary) -> bool,
) -> Vec<Vec<String>> {
    let mut rows = vec![vec![
        "WATCH".to_string(),
        "FIGURE".to_string(),
        "CLAIMED BY".to_string(),
        "VALUE".to_string(),
        "CHANGE".to_string(),
        "SOURCE".to_string(),
        "DATE".to_string(),
        "URL".to_string(),
    ]];
    for figure in figures {
        let current = &figure.current;
        let amount = |number| format_value(number, current.kind, current.unit.as_deref());
        let change = figure.previous_value.map_or_else(String::new, |previous| {
            let delta = current.value - previous;
            let sign = if delta >= 0.0 { "+" } else { "" };
            format!("{sign}{} (was {})", amount(delta), amount(previous))
        });
        rows.push(vec![
            figure.watch.clone(),
            figure.figure.clone(),
            claimed_by_cell(by_source(figure), &figure.claimant, &figure.current),
            format_observation(&(&figure.current).into()),
            change,
            figure.current.article.source.clone(),
            date(figure.current.article.published_at),
            figure.current.article.url.clone(),
        ]);
    }
    rows
}

/// `figwatch history WATCH FIGURE`: every observation, oldest first, with
/// who claimed it and what it did.
pub(super) fn history(
    store: &Store,
    config: &Config,
    watch: &str,
    figure: &str,
    format: Format,
) -> Result<()> {
    let by_source = configured(config, watch, figure).is_some_and(|f| f.by_source);
    let history = store.history(watch, figure)?;
    if format == Format::Csv {
        print!("{}", super::csv::history(watch, figure, &history));
        return Ok(());
    }
    if format == Format::Json {
        let items: Vec<_> = history
            .iter()
            .map(|row| {
                let mut value = observation_json(&row.observation);
                value["claimant"] = json!(row.claimant);
                value["decision"] = json!(row.decision);
                value["observed_at"] = json!(row.observed_at.map(|t| t.to_rfc3339()));
                value["revision"] = json!(row.revision);
                value
            })
            .collect();
        println!("{}", serde_json::Value::Array(items));
        return Ok(());
    }
    if history.is_empty() {
        println!("No observations of {watch}/{figure} yet.");
        return Ok(());
    }
    // The values that were (or were compared with) a state, per state: a
    // by_source figure gets one sparkline per claimant.
    let mut claimants: Vec<&str> = Vec::new();
    for row in &history {
        if !claimants.contains(&row.claimant.as_str()) {
            claimants.push(&row.claimant);
        }
    }
    let values_of = |claimant: &str| -> Vec<f64> {
        history
            .iter()
            .filter(|row| row.claimant == claimant)
            .filter(|row| !matches!(row.decision.as_str(), "older" | "other_unit"))
            .map(|row| row.observation.value)
            .collect()
    };
    if by_source {
        println!("{watch} · {figure}");
        for claimant in claimants {
            let label = if claimant.is_empty() {
                "(unattributed)"
            } else {
                claimant
            };
            println!("  {label}  {}", sparkline(&values_of(claimant)));
        }
    } else {
        println!("{watch} · {figure}  {}", sparkline(&values_of("")));
    }
    let mut rows = vec![vec![
        "DATE".to_string(),
        "VALUE".to_string(),
        "DECISION".to_string(),
        "CLAIMED BY".to_string(),
        "SOURCE".to_string(),
        "TEXT".to_string(),
    ]];
    for row in &history {
        rows.push(vec![
            date(row.observed_at),
            format_observation(&(&row.observation).into()),
            // "changed (revision 2)": read again from a story revised in place.
            if row.revision > 0 {
                format!("{} (revision {})", row.decision, row.revision)
            } else {
                row.decision.clone()
            },
            claimed_by_cell(by_source, &row.claimant, &row.observation),
            row.observation.article.source.clone(),
            row.observation.text.clone(),
        ]);
    }
    print_table(&rows);
    Ok(())
}

/// "▁▃▅█": one bar per value, scaled between the smallest and largest.
pub(super) fn sparkline(values: &[f64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let (min, max) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(*v), hi.max(*v))
        });
    values
        .iter()
        .map(|value| {
            if max > min {
                let idx = ((value - min) / (max - min) * 7.0).round() as usize;
                BARS[idx.min(7)]
            } else {
                BARS[3]
            }
        })
        .collect()
}

pub(super) fn articles(
    store: &Store,
    watch: Option<&str>,
    search: Option<&str>,
    limit: usize,
    json: bool,
) -> Result<()> {
    let articles = store.articles(watch, search, limit)?;
    if json {
        let items: Vec<_> = articles
            .iter()
            .map(|a| {
                json!({
                    "url": a.url, "title": a.title, "source": a.source,
                    "published_at": a.published_at.map(|t| t.to_rfc3339()),
                    "watches": a.watches,
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(items));
        return Ok(());
    }
    if articles.is_empty() {
        println!("No matching articles.");
        return Ok(());
    }
    let mut rows = vec![vec![
        "DATE".to_string(),
        "WATCHES".to_string(),
        "SOURCE".to_string(),
        "TITLE".to_string(),
        "URL".to_string(),
    ]];
    for article in &articles {
        rows.push(vec![
            date(article.published_at),
            article.watches.join(","),
            article.source.clone(),
            article.title.clone(),
            article.url.clone(),
        ]);
    }
    print_table(&rows);
    Ok(())
}

pub(super) fn alerts(store: &Store, limit: usize, failed_only: bool, json: bool) -> Result<()> {
    let alerts = store.alerts(limit, failed_only)?;
    if json {
        let items: Vec<_> = alerts
            .iter()
            .map(|summary| {
                let alert = &summary.alert;
                json!({
                    "id": alert.id,
                    "kind": alert.kind.as_str(),
                    "created_at": alert.created_at.to_rfc3339(),
                    "watch": alert.watch,
                    "figure": alert.figure,
                    "claimant": alert.claimant,
                    "previous": alert.previous.as_ref().map(observation_json),
                    "current": alert.current.as_ref().map(observation_json),
                    "message": alert.message,
                    "deliveries": summary.deliveries.iter().map(|d| json!({
                        "sink": d.sink, "state": d.state, "attempts": d.attempts, "last_error": d.last_error,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(items));
        return Ok(());
    }
    if alerts.is_empty() {
        println!("No alerts.");
        return Ok(());
    }
    let mut rows = vec![vec![
        "CREATED".to_string(),
        "KIND".to_string(),
        "WHAT".to_string(),
        "DELIVERIES".to_string(),
    ]];
    for summary in &alerts {
        let alert = &summary.alert;
        // A by_source figure's alert is about one claimant's state.
        let figure_label = alert
            .figure
            .as_ref()
            .map(|figure| match alert.claimant.as_deref() {
                Some("") => format!("{figure} (unattributed)"),
                Some(claimant) => format!("{figure} per {claimant}"),
                None => figure.clone(),
            });
        let what = match (&figure_label, &alert.previous, &alert.current) {
            (Some(figure), Some(previous), Some(current)) => format!(
                "{} · {figure}: {} → {}",
                alert.watch,
                format_observation(&previous.into()),
                format_observation(&current.into())
            ),
            (Some(figure), None, Some(current)) => {
                format!(
                    "{} · {figure}: {}",
                    alert.watch,
                    format_observation(&current.into())
                )
            }
            _ => alert
                .message
                .clone()
                .or_else(|| {
                    alert
                        .article
                        .as_ref()
                        .map(|a| format!("{} · {}", alert.watch, a.title))
                })
                .unwrap_or_default(),
        };
        let deliveries: Vec<String> = summary
            .deliveries
            .iter()
            .map(|d| {
                let mut text = format!("{}:{}", d.sink, d.state);
                if d.state != "delivered" && d.attempts > 0 {
                    text.push_str(&format!("({} tries", d.attempts));
                    if let Some(error) = &d.last_error {
                        text.push_str(&format!(", {error}"));
                    }
                    text.push(')');
                }
                text
            })
            .collect();
        rows.push(vec![
            alert.created_at.format("%Y-%m-%d %H:%M").to_string(),
            alert.kind.as_str().to_string(),
            what,
            deliveries.join(" "),
        ]);
    }
    print_table(&rows);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alert::format_number;

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(format_number(11000.0), "11,000");
        assert_eq!(format_number(200.0), "200");
        assert_eq!(format_number(-1234567.0), "-1,234,567");
        assert_eq!(format_number(1.5), "1.5");
    }

    #[test]
    fn sparkline_scales_between_extremes() {
        assert_eq!(sparkline(&[160.0, 200.0]), "▁█");
        assert_eq!(sparkline(&[5.0, 5.0]), "▄▄");
        assert_eq!(sparkline(&[]), "");
    }

    use crate::figures::{Kind, Qualifier};
    use crate::store::ArticleRef;

    fn state(figure: &str, claimant: &str, claimed_by: Option<&str>, value: f64) -> FigureSummary {
        FigureSummary {
            watch: "nk".to_string(),
            figure: figure.to_string(),
            claimant: claimant.to_string(),
            current: ObservationRow {
                value,
                low: Some(value),
                high: None,
                qualifier: Qualifier::Exact,
                text: format!("{value} troops"),
                quote: String::new(),
                kind: Kind::Count,
                unit: None,
                claimed_by: claimed_by.map(str::to_string),
                article: ArticleRef {
                    url: "https://news.example/a".to_string(),
                    title: "A".to_string(),
                    source: "Wire".to_string(),
                    published_at: None,
                },
            },
            previous_value: None,
            updated_at: None,
        }
    }

    #[test]
    fn figures_table_lists_each_claimant_of_a_by_source_figure_side_by_side() {
        let figures = [
            state("casualties", "", Some("the ministry"), 4_000.0),
            state("troops", "", None, 10_000.0),
            state("troops", "Kyiv", Some("Kyiv"), 12_000.0),
            state("troops", "Seoul", Some("Seoul"), 11_000.0),
        ];
        let rows = figure_rows(&figures, |f| f.figure == "troops");
        let cells: Vec<(&str, &str, &str)> = rows
            .iter()
            .map(|row| (row[1].as_str(), row[2].as_str(), row[3].as_str()))
            .collect();
        assert_eq!(
            cells,
            [
                ("FIGURE", "CLAIMED BY", "VALUE"),
                ("casualties", "the ministry", "4,000"),
                ("troops", "(unattributed)", "10,000"),
                ("troops", "Kyiv", "12,000"),
                ("troops", "Seoul", "11,000"),
            ]
        );
        // Money changes carry the currency.
        let mut aid = state("aid", "", None, 3.2e9);
        aid.current.kind = Kind::Money;
        aid.current.unit = Some("USD".to_string());
        aid.previous_value = Some(2.8e9);
        let rows = figure_rows(&[aid], |_| false);
        assert_eq!(rows[1][3], "3.2 billion USD");
        assert_eq!(rows[1][4], "+400 million USD (was 2.8 billion USD)");
        // Nobody credited, not by source: a dash.
        let rows = figure_rows(&[state("troops", "", None, 1.0)], |_| false);
        assert_eq!(rows[1][2], "-");
    }
}
