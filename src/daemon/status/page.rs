//! The status page at `/`: what an operator checks at a glance. The
//! figures (value, change, who claims it, a timeline on a labelled axis:
//! `chart`), recent alerts with their delivery state and the deliveries
//! that failed, every feed with its last and next poll, failing feeds by
//! name with their error and next try, the watches and the latest
//! articles. Laid out in two columns on a laptop screen, one on a phone;
//! it refreshes itself every minute. Server-rendered HTML, no JavaScript;
//! everything from the store or the config is escaped.

use crate::config::redact;
use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use super::chart::timeline_svg;
use sections::*;

mod sections;
use crate::alert::{format_value, message};
use crate::config::Config;
use crate::store::{AlertSummary, ArticleSummary, FeedState, FigureSummary, HistoryRow};

/// How often the page reloads itself, in seconds.
const REFRESH_SECONDS: u32 = 60;

/// What the page shows, read from the store and the running config.
#[derive(Debug, Default)]
pub(super) struct PageData {
    /// Every tracked figure with its history, oldest first.
    pub(super) figures: Vec<(FigureSummary, Vec<HistoryRow>)>,
    /// Feeds the store knows.
    pub(super) feeds: Vec<FeedState>,
    /// The latest matched articles.
    pub(super) articles: Vec<ArticleSummary>,
    /// The latest alerts, newest first, with their deliveries.
    pub(super) alerts: Vec<AlertSummary>,
    /// The latest alerts with a failed or dead delivery, newest first.
    pub(super) failed: Vec<AlertSummary>,
    /// When the page was made.
    pub(super) now: Option<DateTime<Utc>>,
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

/// Text and attribute values escaped, as everywhere HTML is written.
pub(super) use crate::text::escape_html as escape;

/// `2025-02-11`, or nothing.
pub(super) fn date(time: Option<DateTime<Utc>>) -> String {
    time.map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// `2025-02-11 09:12`, or "—".
fn minute(time: Option<DateTime<Utc>>) -> String {
    time.map_or_else(
        || "—".to_string(),
        |t| t.format("%Y-%m-%d %H:%M").to_string(),
    )
}

const STYLE: &str = "\
body{font-family:system-ui,sans-serif;margin:1em 1.5em;color:#222}\
h1{margin:.2em 0}h2{font-size:1.15em;margin:1.2em 0 .4em}\
main{display:grid;grid-template-columns:minmax(0,3fr) minmax(20em,2fr);gap:0 2em}\
@media (max-width:64em){main{grid-template-columns:minmax(0,1fr)}}\
table{border-collapse:collapse;width:100%}\
td,th{padding:.3em .6em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}\
th{font-weight:600;background:#f6f6f6}\
td.chart{width:42%;min-width:16em}svg.timeline{width:100%;max-width:560px;height:auto;display:block}\
code{font-size:.95em}.failing,.dead{color:#a00}.retrying{color:#a60}.delivered{color:#070}\
.muted{color:#666}small{color:#666}ul{padding-left:1.2em;margin:.3em 0}li{margin:.2em 0}";

/// A feed's name: the config's, else the feed's own title, else its URL.
fn feed_name(config: Option<&Config>, feed: &FeedState) -> String {
    let page = config.and_then(|config| {
        config
            .pages
            .iter()
            .find(|page| page.url.as_str() == feed.url)
    });
    if let Some(page) = page {
        let name = page.name.clone().unwrap_or_else(|| redact::url(&page.url));
        return format!("{name} (live page)");
    }
    let configured = config.and_then(|config| {
        config
            .feeds
            .iter()
            .find(|configured| configured.url.as_str() == feed.url)
    });
    let name = configured
        .and_then(|configured| configured.name.clone())
        .or_else(|| feed.title.clone().filter(|title| !title.trim().is_empty()))
        .unwrap_or_else(|| redact::url_text(&feed.url));
    match configured.and_then(|configured| configured.category.as_deref()) {
        Some(category) => format!("{name} [{category}]"),
        None => name,
    }
}

/// The error without the feed's URL in front (the line shows it once).
fn error_text(feed: &FeedState) -> String {
    let error = feed.last_error.as_deref().unwrap_or("");
    error
        .strip_prefix(feed.url.as_str())
        .map(|rest| rest.trim_start_matches(':').trim())
        .map_or_else(|| redact::urls_in(error), redact::urls_in)
}

/// "+40 (+25%)": the change from the previous state, in the figure's unit.
fn change_text(figure: &FigureSummary) -> String {
    let Some(previous) = figure.previous_value else {
        return String::new();
    };
    let current = &figure.current;
    let delta = current.value - previous;
    let sign = if delta > 0.0 { "+" } else { "" };
    let absolute = format!(
        "{sign}{}",
        format_value(delta, current.kind, current.unit.as_deref())
    );
    if previous == 0.0 || !delta.is_finite() {
        return absolute;
    }
    let percent = delta / previous.abs() * 100.0;
    let percent = if percent.abs() >= 10.0 {
        format!("{percent:+.0}%")
    } else {
        format!("{percent:+.1}%")
    };
    format!("{absolute} ({percent})")
}

/// "hook: delivered", "phone: retrying, 3 attempts: …", "mail: dead: …".
fn delivery_text(summary: &AlertSummary) -> String {
    let mut parts = Vec::new();
    for delivery in &summary.deliveries {
        let (class, state) = match (delivery.state.as_str(), &delivery.last_error) {
            ("delivered", _) => ("delivered", "delivered".to_string()),
            ("dead", _) => (
                "dead",
                format!("dead after {} attempt(s)", delivery.attempts),
            ),
            (_, Some(_)) => (
                "retrying",
                format!("retrying, {} attempt(s)", delivery.attempts),
            ),
            (state, None) => ("muted", state.to_string()),
        };
        let error = delivery
            .last_error
            .as_deref()
            .filter(|_| class != "delivered")
            .map(|error| format!(": {}", escape(error)))
            .unwrap_or_default();
        parts.push(format!(
            "<span class=\"{class}\">{}: {state}{error}</span>",
            escape(&delivery.sink)
        ));
    }
    if parts.is_empty() {
        "<span class=\"muted\">no sinks</span>".to_string()
    } else {
        parts.join("<br>")
    }
}

/// The whole page.
pub(super) fn render(config: Option<&Config>, data: &PageData) -> String {
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>figwatch</title>\
         <meta name=\"viewport\" content=\"width=device-width\">\
         <meta http-equiv=\"refresh\" content=\"{REFRESH_SECONDS}\">\
         <style>{STYLE}</style></head><body><h1>figwatch</h1>"
    );
    // Feeds and live pages alike: both are polled and stored as feeds.
    let configured: Option<Vec<&str>> = config.map(|config| {
        let feeds = config.feeds.iter().map(|feed| feed.url.as_str());
        feeds
            .chain(config.pages.iter().map(|page| page.url.as_str()))
            .collect()
    });
    let feeds: Vec<&FeedState> = data
        .feeds
        .iter()
        .filter(|feed| {
            configured
                .as_ref()
                .is_none_or(|urls| urls.contains(&feed.url.as_str()))
        })
        .collect();
    let failing: Vec<&FeedState> = feeds
        .iter()
        .copied()
        .filter(|feed| feed.failures > 0)
        .collect();
    let n_feeds = config.map_or(feeds.len(), |config| config.feeds.len());
    let n_pages = config.map_or(0, |config| config.pages.len());
    let pages = if n_pages > 0 {
        format!(" and {n_pages} live page(s)")
    } else {
        String::new()
    };
    let _ = write!(
        html,
        "<p id=\"summary\">Polling {n_feeds} feed(s){pages} for {} watch(es); <span class=\"{}\">{} failing</span>. \
         <span class=\"muted\">As of {} UTC; this page refreshes every minute.</span></p>",
        config.map_or(0, |config| config.watches.len()),
        if failing.is_empty() {
            "muted"
        } else {
            "failing"
        },
        failing.len(),
        minute(data.now)
    );
    html.push_str("<main><div>");
    figures_section(&mut html, data);
    alerts_section(&mut html, data);
    html.push_str("</div><div>");
    failing_section(&mut html, config, &failing);
    feeds_section(&mut html, config, &feeds);
    if let Some(config) = config {
        watches_section(&mut html, config);
    }
    articles_section(&mut html, data);
    instances_section(&mut html, data);
    html.push_str("</div></main></body></html>");
    html
}

#[cfg(test)]
mod tests {
    use super::super::chart::tests::row;
    use super::*;
    use crate::store::ObservationRow;

    fn feed(url: &str, title: Option<&str>, error: &str) -> FeedState {
        FeedState {
            id: 1,
            url: url.to_string(),
            title: title.map(str::to_string),
            validators: Default::default(),
            next_poll_at: None,
            last_success_at: None,
            polled_ok: false,
            failures: 2,
            failing_since: None,
            last_error: Some(error.to_string()),
            moved_to: None,
            lease: None,
        }
    }

    #[test]
    fn a_failing_feed_is_named_and_its_url_said_once() {
        let url = "https://news.example/feed.xml";
        let named = feed(url, Some("News & Co"), &format!("{url}: HTTP 500"));
        let data = PageData {
            feeds: vec![named],
            ..PageData::default()
        };
        let html = render(None, &data);
        let failing = &html[html.find("id=\"failing\"").unwrap()..];
        let failing = &failing[..failing.find("</ul>").unwrap()];
        assert!(failing.contains("<b>News &amp; Co</b>"), "{failing}");
        assert_eq!(failing.matches(url).count(), 1, "{failing}");
        assert!(failing.contains("<br>HTTP 500<br>"), "{failing}");
        // Without a name or title the URL is the name, still once.
        let data = PageData {
            feeds: vec![feed(url, None, &format!("{url}: timed out"))],
            ..PageData::default()
        };
        let html = render(None, &data);
        let failing = &html[html.find("id=\"failing\"").unwrap()..];
        let failing = &failing[..failing.find("</ul>").unwrap()];
        assert_eq!(failing.matches(url).count(), 1, "{failing}");
    }

    #[test]
    fn live_pages_and_feed_categories_are_listed_beside_feeds() {
        let config = Config::parse(
            "[[feed]]\nurl = \"https://news.example/feed.xml\"\nname = \"News\"\n\
             category = \"Conflict\"\n\
             [[page]]\nurl = \"https://ocha.example/flash\"\nname = \"OCHA flash\"\n",
            std::path::Path::new("/etc/figwatch/figwatch.toml"),
        )
        .unwrap();
        let data = PageData {
            feeds: vec![
                feed("https://news.example/feed.xml", None, "x"),
                feed("https://ocha.example/flash", None, "x"),
                feed("https://gone.example/old.xml", None, "x"),
            ],
            ..PageData::default()
        };
        let html = render(Some(&config), &data);
        let feeds = &html[html.find("id=\"feeds\"").unwrap()..];
        let feeds = &feeds[..feeds.find("</table>").unwrap()];
        assert!(feeds.contains("News [Conflict]"), "{feeds}");
        assert!(feeds.contains("OCHA flash (live page)"), "{feeds}");
        assert!(!feeds.contains("gone.example"), "{feeds}");
        assert!(
            html.contains("Polling 1 feed(s) and 1 live page(s)"),
            "{html}"
        );
    }

    #[test]
    fn the_change_column_says_how_much_and_what_share() {
        let summary = |value: f64, previous: Option<f64>| FigureSummary {
            watch: "nk".to_string(),
            figure: "troops".to_string(),
            claimant: String::new(),
            current: row(value, "Wire", Some(1)).observation,
            previous_value: previous,
            updated_at: None,
        };
        assert_eq!(change_text(&summary(200.0, Some(160.0))), "+40 (+25%)");
        assert_eq!(
            change_text(&summary(11_000.0, Some(12_000.0))),
            "-1,000 (-8.3%)"
        );
        assert_eq!(change_text(&summary(5.0, Some(0.0))), "+5");
        assert_eq!(change_text(&summary(5.0, None)), "");
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
}
