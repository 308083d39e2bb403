//! The status page at `/`: the running config's watches, each figure's
//! current value (one row per claimant of a `by_source` figure) with who
//! claims it and a timeline of its history drawn as inline SVG, the
//! latest matched articles and the failing feeds. Server-rendered HTML, no
//! JavaScript; everything from the store or the config is escaped.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::store::{ArticleSummary, FeedState, FigureSummary, HistoryRow};

/// Chart size in SVG user units.
const CHART_WIDTH: f64 = 320.0;
const CHART_HEIGHT: f64 = 80.0;
/// Space around the plotted area, for the axis labels.
const CHART_PAD: f64 = 10.0;

/// What the page shows, read from the store and the running config.
#[derive(Debug, Default)]
pub(super) struct PageData {
    /// Every tracked figure with its history, oldest first.
    pub(super) figures: Vec<(FigureSummary, Vec<HistoryRow>)>,
    /// Feeds the store knows.
    pub(super) feeds: Vec<FeedState>,
    /// The latest matched articles.
    pub(super) articles: Vec<ArticleSummary>,
    /// This instance and the others sharing the database.
    pub(super) instances: Option<Instances>,
}

/// This instance as one of several on the database.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Instances {
    /// This instance's id.
    pub(super) me: String,
    /// `sqlite` or `postgres`.
    pub(super) backend: &'static str,
    /// Feeds this instance holds a lease on now.
    pub(super) leased_feeds: usize,
    /// Connections to the database it holds.
    pub(super) connections: u32,
    /// Instances with a recent heartbeat (this one included once it has
    /// written its first).
    pub(super) live: Vec<crate::store::Instance>,
}

impl Instances {
    /// Reads them from the store; call on a blocking thread.
    pub(super) fn read(store: &crate::store::Store) -> Result<Instances, crate::store::Error> {
        let now = Utc::now();
        let live_since = now
            - chrono::Duration::from_std(super::super::instance::LIVE_WITHIN).unwrap_or_default();
        Ok(Instances {
            me: store.instance().to_string(),
            backend: store.backend_name(),
            leased_feeds: store.leased_feeds(store.instance(), now)?,
            connections: store.connections(),
            live: store.live_instances(live_since)?,
        })
    }

    /// The Prometheus lines of these facts.
    pub(super) fn metrics(&self) -> String {
        let mut out = String::new();
        let _ = write!(
            out,
            "# HELP figwatch_instance_info This instance: its id and the store's backend.\n\
             # TYPE figwatch_instance_info gauge\n\
             figwatch_instance_info{{instance=\"{}\",backend=\"{}\"}} 1\n\
             # HELP figwatch_leased_feeds Feeds this instance holds a lease on.\n\
             # TYPE figwatch_leased_feeds gauge\n\
             figwatch_leased_feeds {}\n\
             # HELP figwatch_live_instances Instances on this database with a recent heartbeat.\n\
             # TYPE figwatch_live_instances gauge\n\
             figwatch_live_instances {}\n\
             # HELP figwatch_database_connections Connections to the database this instance holds.\n\
             # TYPE figwatch_database_connections gauge\n\
             figwatch_database_connections {}\n",
            super::escape_label(&self.me),
            self.backend,
            self.leased_feeds,
            self.live.len(),
            self.connections
        );
        out
    }
}

/// Whether the config keeps `watch`.`figure` by source; `None` when the
/// config no longer has the figure.
pub(super) fn by_source(config: &Config, watch: &str, figure: &str) -> Option<bool> {
    config
        .watches
        .iter()
        .find(|w| w.name == watch)
        .and_then(|w| w.figures.iter().find(|f| f.name == figure))
        .map(|f| f.by_source)
}

/// The states the page shows, each with its own history (oldest first): a
/// `by_source` figure's claimants each get a row and a timeline; a
/// configured figure that is not `by_source` shows only its one state (a
/// per-claimant state left from an earlier config is hidden, as `figwatch
/// figures` hides it). `history` is asked once per figure.
pub(super) fn figure_states<E>(
    figures: Vec<FigureSummary>,
    by_source: impl Fn(&str, &str) -> Option<bool>,
    mut history: impl FnMut(&str, &str) -> Result<Vec<HistoryRow>, E>,
) -> Result<Vec<(FigureSummary, Vec<HistoryRow>)>, E> {
    let mut states = Vec::with_capacity(figures.len());
    let mut loaded: Option<((String, String), Vec<HistoryRow>)> = None;
    for figure in figures {
        if !figure.claimant.is_empty() && by_source(&figure.watch, &figure.figure) == Some(false) {
            continue;
        }
        let key = (figure.watch.clone(), figure.figure.clone());
        let rows = match &loaded {
            Some((loaded_key, rows)) if *loaded_key == key => rows,
            _ => {
                let rows = history(&figure.watch, &figure.figure)?;
                &loaded.insert((key, rows)).1
            }
        };
        let own: Vec<HistoryRow> = rows
            .iter()
            .filter(|row| row.claimant == figure.claimant)
            .cloned()
            .collect();
        states.push((figure, own));
    }
    Ok(states)
}

/// `&`, `<`, `>`, `"` and `'` escaped, for text and attribute values.
pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn date(time: Option<DateTime<Utc>>) -> String {
    time.map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// A figure's history as a step-free line of its observations over time
/// (by position when no observation has a date), one circle per
/// observation with its text as a tooltip.
pub(super) fn timeline_svg(label: &str, history: &[HistoryRow]) -> String {
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"{CHART_WIDTH}\" height=\"{CHART_HEIGHT}\" \
         viewBox=\"0 0 {CHART_WIDTH} {CHART_HEIGHT}\" role=\"img\" aria-label=\"{}\">",
        escape(label)
    );
    if history.is_empty() {
        svg.push_str("</svg>");
        return svg;
    }
    let dated = history.iter().all(|row| row.observed_at.is_some());
    let xs: Vec<f64> = history
        .iter()
        .enumerate()
        .map(|(idx, row)| match row.observed_at {
            Some(at) if dated => at.timestamp() as f64,
            _ => idx as f64,
        })
        .collect();
    let values: Vec<f64> = history.iter().map(|row| row.observation.value).collect();
    let span = |points: &[f64]| {
        let low = points.iter().copied().fold(f64::INFINITY, f64::min);
        let high = points.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (low, high)
    };
    let (x_low, x_high) = span(&xs);
    let (y_low, y_high) = span(&values);
    let scale = |value: f64, low: f64, high: f64, length: f64| {
        if high > low && value.is_finite() {
            (value - low) / (high - low) * length
        } else {
            length / 2.0
        }
    };
    let plot_width = CHART_WIDTH - 2.0 * CHART_PAD;
    let plot_height = CHART_HEIGHT - 3.0 * CHART_PAD;
    let points: Vec<(f64, f64)> = xs
        .iter()
        .zip(&values)
        .map(|(x, y)| {
            (
                CHART_PAD + scale(*x, x_low, x_high, plot_width),
                CHART_HEIGHT - 1.5 * CHART_PAD - scale(*y, y_low, y_high, plot_height),
            )
        })
        .collect();
    let _ = write!(
        svg,
        "<line x1=\"{CHART_PAD}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\" stroke=\"#bbb\"/>",
        y = CHART_HEIGHT - CHART_PAD,
        x2 = CHART_WIDTH - CHART_PAD
    );
    let path: Vec<String> = points
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect();
    let _ = write!(
        svg,
        "<polyline points=\"{}\" fill=\"none\" stroke=\"#36c\" stroke-width=\"1.5\"/>",
        path.join(" ")
    );
    for ((x, y), row) in points.iter().zip(history) {
        let says = row
            .observation
            .claimed_by
            .as_deref()
            .map(|claimed_by| format!(", says {claimed_by}"))
            .unwrap_or_default();
        let tooltip = format!(
            "{}{says} — {} {}",
            crate::alert::format_observation(&row.observation),
            row.observation.article.source,
            date(row.observed_at)
        );
        let _ = write!(
            svg,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\" fill=\"#36c\"><title>{}</title></circle>",
            escape(tooltip.trim())
        );
    }
    let first = history.first().map(|row| date(row.observed_at));
    let last = history.last().map(|row| date(row.observed_at));
    let _ = write!(
        svg,
        "<text x=\"{CHART_PAD}\" y=\"{bottom}\" font-size=\"9\">{}</text>\
         <text x=\"{right}\" y=\"{bottom}\" font-size=\"9\" text-anchor=\"end\">{}</text>\
         <text x=\"{right}\" y=\"9\" font-size=\"9\" text-anchor=\"end\">max {}</text>",
        escape(&first.unwrap_or_default()),
        escape(&last.unwrap_or_default()),
        y_high,
        bottom = CHART_HEIGHT - 1.0,
        right = CHART_WIDTH - CHART_PAD,
    );
    svg.push_str("</svg>");
    svg
}

/// The whole page.
pub(super) fn render(config: Option<&Config>, data: &PageData) -> String {
    let mut html = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>figwatch</title>\
         <meta name=\"viewport\" content=\"width=device-width\">\
         <style>body{font-family:sans-serif;margin:2em;max-width:75em}table{border-collapse:collapse}\
         td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}\
         code{font-size:.95em}.failing{color:#a00}</style></head><body><h1>figwatch</h1>",
    );

    let configured: Option<Vec<String>> = config.map(|config| {
        config
            .feeds
            .iter()
            .map(|feed| feed.url.to_string())
            .collect()
    });
    let failing: Vec<&FeedState> = data
        .feeds
        .iter()
        .filter(|feed| feed.failures > 0)
        .filter(|feed| {
            configured
                .as_ref()
                .is_none_or(|urls| urls.contains(&feed.url))
        })
        .collect();
    if let Some(config) = config {
        let _ = write!(
            html,
            "<p id=\"summary\">Polling {} feed(s) for {} watch(es); {} failing.</p>",
            config.feeds.len(),
            config.watches.len(),
            failing.len()
        );
        html.push_str("<h2>Watches</h2><table id=\"watches\"><tr><th>Watch</th><th>Query</th><th>Figures</th><th>Notifies</th></tr>");
        for watch in &config.watches {
            let figures: Vec<String> = watch
                .figures
                .iter()
                .map(|figure| {
                    format!(
                        "<b>{}</b>: {}",
                        escape(&figure.name),
                        escape(&figure.terms.join(", "))
                    )
                })
                .collect();
            let _ = write!(
                html,
                "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                escape(&watch.name),
                escape(&watch.query_text),
                figures.join("<br>"),
                escape(&watch.sink_names(&config.sinks).join(", "))
            );
        }
        html.push_str("</table>");
    }

    html.push_str("<h2>Figures</h2><table id=\"figures\"><tr><th>Watch</th><th>Figure</th><th>Value</th><th>Claimed by</th><th>History</th><th>Source</th><th>Date</th></tr>");
    for (figure, history) in &data.figures {
        // A by_source figure's claimant, else whoever the article credits.
        let claimed_by = Some(figure.claimant.as_str())
            .filter(|claimant| !claimant.is_empty())
            .or(figure.current.claimed_by.as_deref())
            .unwrap_or("—");
        let label = format!(
            "{} · {}: {} observation(s)",
            figure.watch,
            figure.figure,
            history.len()
        );
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"claimed-by\">{}</td><td>{}</td><td><a href=\"{}\">{}</a></td><td>{}</td></tr>",
            escape(&figure.watch),
            escape(&figure.figure),
            escape(&crate::alert::format_observation(&figure.current)),
            escape(claimed_by),
            timeline_svg(&label, history),
            escape(&figure.current.article.url),
            escape(&figure.current.article.source),
            date(figure.current.article.published_at)
        );
    }
    html.push_str("</table>");

    html.push_str("<h2>Latest articles</h2><ul id=\"articles\">");
    for article in &data.articles {
        let _ = write!(
            html,
            "<li><a href=\"{}\">{}</a> — {} {} <small>({})</small></li>",
            escape(&article.url),
            escape(&article.title),
            escape(&article.source),
            date(article.published_at),
            escape(&article.watches.join(", "))
        );
    }
    html.push_str("</ul>");

    html.push_str("<h2>Failing feeds</h2><ul id=\"failing\">");
    for feed in &failing {
        let _ = write!(
            html,
            "<li class=\"failing\">{} — {} failure(s) since {}: {}</li>",
            escape(&feed.url),
            feed.failures,
            date(feed.failing_since),
            escape(feed.last_error.as_deref().unwrap_or(""))
        );
    }
    if failing.is_empty() {
        html.push_str("<li>none</li>");
    }
    html.push_str("</ul>");

    if let Some(instances) = &data.instances {
        let _ = write!(
            html,
            "<h2>Instances</h2><p id=\"instance\">This is instance {} ({} store), leasing {} feed(s) now.</p><ul id=\"instances\">",
            escape(&instances.me),
            instances.backend,
            instances.leased_feeds
        );
        for live in &instances.live {
            let _ = write!(
                html,
                "<li>{}{} on {} (pid {}), up since {}, last heartbeat {}</li>",
                escape(&live.id),
                if live.id == instances.me {
                    " (this one)"
                } else {
                    ""
                },
                escape(&live.hostname),
                live.pid,
                live.started_at.format("%Y-%m-%d %H:%M:%S UTC"),
                live.heartbeat_at.format("%H:%M:%S UTC")
            );
        }
        if instances.live.is_empty() {
            html.push_str("<li>no heartbeat yet</li>");
        }
        html.push_str("</ul>");
    }
    html.push_str("</body></html>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::Qualifier;
    use crate::store::{ArticleRef, ObservationRow};

    fn row(value: f64, source: &str, day: Option<u32>) -> HistoryRow {
        let at = day.map(|day| {
            DateTime::parse_from_rfc3339(&format!("2025-02-{day:02}T00:00:00Z"))
                .unwrap()
                .with_timezone(&Utc)
        });
        HistoryRow {
            observation: ObservationRow {
                value,
                low: Some(value),
                high: None,
                qualifier: Qualifier::MoreThan,
                text: format!("more than {value}"),
                quote: String::new(),
                kind: crate::figures::Kind::Count,
                unit: None,
                claimed_by: None,
                article: ArticleRef {
                    url: "https://news.example/a".to_string(),
                    title: "A".to_string(),
                    source: source.to_string(),
                    published_at: at,
                },
            },
            decision: "changed".to_string(),
            claimant: String::new(),
            observed_at: at,
        }
    }

    #[test]
    fn timeline_has_one_point_per_observation_oldest_left_highest_top() {
        let svg = timeline_svg(
            "w · f",
            &[row(160.0, "Daily", Some(1)), row(200.0, "Daily", Some(11))],
        );
        assert_eq!(svg.matches("<circle").count(), 2, "{svg}");
        let coords: Vec<(f64, f64)> = svg
            .split("<circle cx=\"")
            .skip(1)
            .map(|rest| {
                let (x, rest) = rest.split_once("\" cy=\"").unwrap();
                let (y, _) = rest.split_once('"').unwrap();
                (x.parse().unwrap(), y.parse().unwrap())
            })
            .collect();
        assert!(coords[0].0 < coords[1].0, "{coords:?}");
        assert!(
            coords[0].1 > coords[1].1,
            "SVG y grows downwards: {coords:?}"
        );
        assert!(
            svg.contains("2025-02-01") && svg.contains("2025-02-11"),
            "{svg}"
        );
    }

    #[test]
    fn timeline_escapes_what_feeds_wrote_and_survives_odd_input() {
        let svg = timeline_svg(
            "<b>",
            &[
                row(f64::NAN, "<script>alert(1)</script>", None),
                row(5.0, "x\"y", None),
            ],
        );
        assert!(!svg.contains("<script"), "{svg}");
        assert!(!svg.contains("<b>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;"), "{svg}");
        assert!(!svg.contains("NaN\""), "no NaN coordinates: {svg}");
        assert_eq!(timeline_svg("empty", &[]).matches("<circle").count(), 0);
    }

    #[test]
    fn figures_table_shows_who_claims_each_value() {
        let summary = |claimant: &str, claimed_by: Option<&str>, value: f64| FigureSummary {
            watch: "nk".to_string(),
            figure: "troops".to_string(),
            claimant: claimant.to_string(),
            current: ObservationRow {
                claimed_by: claimed_by.map(str::to_string),
                ..row(value, "Wire", Some(1)).observation
            },
            previous_value: None,
            updated_at: None,
        };
        let data = PageData {
            figures: vec![
                (summary("Kyiv", Some("Kyiv"), 12_000.0), Vec::new()),
                (summary("", Some("<b>NIS</b>"), 11_000.0), Vec::new()),
                (summary("", None, 10_000.0), Vec::new()),
            ],
            ..PageData::default()
        };
        let html = render(None, &data);
        assert!(html.contains("<th>Claimed by</th>"), "{html}");
        assert!(html.contains("class=\"claimed-by\">Kyiv</td>"), "{html}");
        assert!(
            html.contains("class=\"claimed-by\">&lt;b&gt;NIS&lt;/b&gt;</td>"),
            "{html}"
        );
        assert!(html.contains("class=\"claimed-by\">—</td>"), "{html}");
    }

    #[test]
    fn each_state_gets_its_own_timeline_and_stale_claimant_states_are_hidden() {
        let summary = |figure: &str, claimant: &str| FigureSummary {
            watch: "nk".to_string(),
            figure: figure.to_string(),
            claimant: claimant.to_string(),
            current: row(1.0, "Wire", Some(1)).observation,
            previous_value: None,
            updated_at: None,
        };
        let history_row = |claimant: &str, value: f64| HistoryRow {
            claimant: claimant.to_string(),
            ..row(value, "Wire", Some(1))
        };
        let mut asked = Vec::new();
        let states = figure_states(
            vec![
                summary("losses", "NIS"),
                summary("troops", "Kyiv"),
                summary("troops", "Seoul"),
            ],
            |_, figure| Some(figure == "troops"),
            |_, figure| {
                asked.push(figure.to_string());
                Ok::<_, ()>(vec![
                    history_row("Kyiv", 12.0),
                    history_row("Seoul", 11.0),
                    history_row("Seoul", 10.0),
                ])
            },
        )
        .unwrap();
        let shown: Vec<(&str, &str, Vec<f64>)> = states
            .iter()
            .map(|(figure, history)| {
                (
                    figure.figure.as_str(),
                    figure.claimant.as_str(),
                    history.iter().map(|row| row.observation.value).collect(),
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("troops", "Kyiv", vec![12.0]),
                ("troops", "Seoul", vec![11.0, 10.0]),
            ]
        );
        assert_eq!(asked, ["troops"], "one history query per figure");
    }

    #[test]
    fn timeline_points_say_who_claimed_each_value() {
        let mut claimed = row(11_000.0, "Daily", Some(2));
        claimed.observation.claimed_by = Some("Seoul".to_string());
        let svg = timeline_svg("w · f", &[row(10_000.0, "Daily", Some(1)), claimed]);
        assert!(
            svg.contains("<title>more than 11,000, says Seoul — Daily 2025-02-02</title>"),
            "{svg}"
        );
        assert!(
            svg.contains("<title>more than 10,000 — Daily 2025-02-01</title>"),
            "{svg}"
        );
    }
}
