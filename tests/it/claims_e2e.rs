//! Issue 13 end to end: a local news site publishes, over three months,
//! articles about the same North Korean soldiers in Russia: how many were
//! deployed, and how many were killed and wounded, according to two
//! claimants (the NIS in Seoul, and Ukraine's military intelligence). One
//! watch holds `troops`, `casualties` and a `by_source = true` troops figure;
//! `figwatch once` runs between publications and a local webhook receives
//! the alerts (`once` delivers before it exits, so no waiting is needed).
//!
//! Each figure must alert only on its own numbers (a casualty count never
//! moves `troops`), and the `by_source` figure keeps one state per claimant:
//! Kyiv's 12,000 never counts as a revision of the NIS's 10,000.
//!
//! Expected to FAIL until issue 13's scanner, assignment rules, the figure
//! keys `of` and `by_source`, and per-claimant state in the store land.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::Value;

use super::support::{Workspace, serve};

/// One article of the news world: (slug, date, title, body paragraphs).
struct Story {
    slug: &'static str,
    date: &'static str,
    rfc2822: &'static str,
    title: &'static str,
    paragraphs: &'static [&'static str],
}

/// In publication order. Headlines carry no numbers, so each article's
/// observation comes from its body.
const STORIES: [Story; 4] = [
    Story {
        slug: "nk-troops-first-estimate",
        date: "2024-11-04T08:00:00Z",
        rfc2822: "Mon, 04 Nov 2024 08:00:00 GMT",
        title: "North Korea has sent troops to Russia, Seoul's spy agency says",
        paragraphs: &[
            "North Korea has sent about 10,000 troops to Russia, the NIS said on Monday.",
            "About 100 North Korean soldiers have been killed in the fighting, the NIS said, in its first estimate of losses.",
        ],
    },
    Story {
        slug: "nk-losses-kursk",
        date: "2024-12-02T08:00:00Z",
        rfc2822: "Mon, 02 Dec 2024 08:00:00 GMT",
        title: "North Korea's losses mount in Russia's Kursk region",
        paragraphs: &[
            "About 300 North Korean soldiers were killed and 800 wounded in the Kursk region, the NIS said on Monday.",
            "The soldiers were sent to Russia in October and had little experience of drone warfare, the agency told lawmakers.",
        ],
    },
    Story {
        slug: "kyiv-nk-deployment",
        date: "2025-01-06T08:00:00Z",
        rfc2822: "Mon, 06 Jan 2025 08:00:00 GMT",
        title: "Kyiv gives its own count of North Korea's soldiers in Russia",
        paragraphs: &[
            "North Korea has deployed some 12,000 soldiers to Russia, Ukraine's military intelligence said on Monday.",
            "Most of them are stationed in the Kursk region, where they fight alongside Russian marines and paratroopers.",
        ],
    },
    Story {
        slug: "nis-revises-nk-deployment",
        date: "2025-02-03T08:00:00Z",
        rfc2822: "Mon, 03 Feb 2025 08:00:00 GMT",
        title: "Seoul revises its estimate of North Korea's deployment to Russia",
        paragraphs: &[
            "North Korea has now sent about 11,000 troops to Russia, the NIS said on Monday, up from 10,000 in November.",
            "The agency said the North was preparing to rotate some units home by the spring.",
        ],
    },
];

/// The site: how many stories are published, and the alerts received.
#[derive(Default)]
struct World {
    published: AtomicUsize,
    alerts: Mutex<Vec<Value>>,
}

fn start() -> (String, Arc<World>) {
    let world = Arc::new(World::default());
    let app = Router::new()
        .route("/world/feed.xml", get(feed))
        .route("/world/{slug}", get(page))
        .route("/hook", post(hook))
        .with_state(Arc::clone(&world));
    let addr = serve(app);
    (format!("http://{addr}"), world)
}

async fn feed(State(world): State<Arc<World>>) -> Response {
    let published = world.published.load(Ordering::SeqCst);
    let items: String = STORIES[..published]
        .iter()
        .rev()
        .map(|story| {
            format!(
                "<item><title>{}</title><link>/world/{}.html</link><guid isPermaLink=\"false\">kw-{}</guid><pubDate>{}</pubDate></item>",
                story.title, story.slug, story.slug, story.rfc2822
            )
        })
        .collect();
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Korea Wire</title><link>/world/</link><description>World</description>{items}</channel></rss>"
    );
    (
        [(header::CONTENT_TYPE, "application/rss+xml; charset=utf-8")],
        body,
    )
        .into_response()
}

async fn page(State(world): State<Arc<World>>, Path(slug): Path<String>) -> Response {
    let published = world.published.load(Ordering::SeqCst);
    let Some(story) = STORIES[..published]
        .iter()
        .find(|story| slug == format!("{}.html", story.slug))
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let paragraphs: String = story
        .paragraphs
        .iter()
        .map(|p| format!("<p>{p}</p>"))
        .collect();
    let body = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} | Korea Wire</title>\
         <meta property=\"og:title\" content=\"{title}\"><meta property=\"article:published_time\" content=\"{date}\"></head>\
         <body><nav><a href=\"/\">Home</a></nav><article><h1>{title}</h1>{paragraphs}</article>\
         <footer>Korea Wire, 12 Sejong-daero, Seoul.</footer></body></html>",
        title = story.title,
        date = story.date,
    );
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

async fn hook(State(world): State<Arc<World>>, body: axum::body::Bytes) -> StatusCode {
    let body = serde_json::from_slice(&body).unwrap_or(Value::Null);
    world.alerts.lock().unwrap().push(body);
    StatusCode::OK
}

fn config(base: &str) -> String {
    format!(
        r#"[daemon]
database = "figwatch.db"
# The test news site links to its own pages on 127.0.0.1.
allow_private_articles = true
timeout = "5s"
poll_interval = "1h"
baseline = true

[[feed]]
url = "{base}/world/feed.xml"
name = "Korea Wire"

[watch.nk]
query = '"North Korea" AND (Russia OR Kursk)'

[watch.nk.figure.troops]
terms = ["troops", "soldiers"]
of = ["North Korea"]

[watch.nk.figure.casualties]
terms = ["casualties", "killed", "wounded"]
of = ["North Korea"]

[watch.nk.figure.troops_by_source]
terms = ["troops", "soldiers"]
of = ["North Korea"]
by_source = true

[sink.hook]
type = "webhook"
url = "{base}/hook"
"#
    )
}

/// One alert as the webhook received it.
#[derive(Debug)]
struct Alert {
    kind: String,
    figure: String,
    previous: Option<f64>,
    current: Option<f64>,
    body: Value,
}

/// Alerts received since the last call; digests are opened.
fn new_alerts(world: &World, seen: &mut usize) -> Vec<Alert> {
    let alerts = world.alerts.lock().unwrap();
    let fresh = alerts[*seen..].to_vec();
    *seen = alerts.len();
    fresh
        .into_iter()
        .flat_map(|alert| match alert["alerts"].as_array() {
            Some(inner) if alert["kind"] == "digest" => inner.clone(),
            _ => vec![alert],
        })
        .map(|body| Alert {
            kind: body["kind"].as_str().unwrap_or("").to_string(),
            figure: body["figure"].as_str().unwrap_or("").to_string(),
            previous: body["previous"]["value"].as_f64(),
            current: body["current"]["value"].as_f64(),
            body,
        })
        .collect()
}

/// The figure_changed alerts as (figure, previous, current), by figure.
fn changes(alerts: &[Alert]) -> Vec<(String, Option<f64>, Option<f64>)> {
    let mut out: Vec<_> = alerts
        .iter()
        .filter(|a| a.kind == "figure_changed")
        .map(|a| (a.figure.clone(), a.previous, a.current))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Case-insensitive, a leading "the " ignored.
fn claimant(value: &Value) -> String {
    let s = value.as_str().unwrap_or("").trim().to_lowercase();
    s.strip_prefix("the ").unwrap_or(&s).to_string()
}

/// Every number anywhere in `value`.
fn numbers(value: &Value, out: &mut Vec<f64>) {
    match value {
        Value::Number(n) => out.extend(n.as_f64()),
        Value::Array(items) => items.iter().for_each(|v| numbers(v, out)),
        Value::Object(map) => map.values().for_each(|v| numbers(v, out)),
        _ => {}
    }
}

#[test]
fn deployments_and_casualties_of_the_same_soldiers_alert_their_own_figures() {
    let (base, world) = start();
    let work = Workspace::new(&config(&base));
    work.figwatch(&["check"]).assert().success();
    let mut seen = 0;

    // November: the NIS's first estimates are the silent baseline.
    world.published.store(1, Ordering::SeqCst);
    work.figwatch(&["once"]).assert().success();
    let alerts = new_alerts(&world, &mut seen);
    assert!(alerts.is_empty(), "baseline must not alert: {alerts:#?}");

    // December: a casualty report. Only `casualties` moves; the killed and
    // wounded soldiers are never a troop level.
    world.published.store(2, Ordering::SeqCst);
    work.figwatch(&["once"]).assert().success();
    let alerts = new_alerts(&world, &mut seen);
    assert_eq!(
        changes(&alerts),
        [("casualties".to_string(), Some(100.0), Some(300.0))],
        "{alerts:#?}"
    );
    assert!(
        alerts.iter().all(|a| !a.figure.starts_with("troops")),
        "troops figures must not move on a casualty report: {alerts:#?}"
    );
    let casualties = alerts
        .iter()
        .find(|a| a.figure == "casualties")
        .map(|a| &a.body)
        .unwrap();
    assert_eq!(
        claimant(&casualties["current"]["claimed_by"]),
        "nis",
        "{casualties}"
    );
    assert_eq!(
        claimant(&casualties["previous"]["claimed_by"]),
        "nis",
        "{casualties}"
    );

    // January: Kyiv's count of the deployment. `troops` follows the newest
    // article; the by-source figure gains a second claimant, which is not a
    // revision of the NIS's figure.
    world.published.store(3, Ordering::SeqCst);
    work.figwatch(&["once"]).assert().success();
    let alerts = new_alerts(&world, &mut seen);
    assert_eq!(
        changes(&alerts),
        [("troops".to_string(), Some(10000.0), Some(12000.0))],
        "{alerts:#?}"
    );
    assert!(
        alerts.iter().all(|a| a.figure != "casualties"
            && !(a.figure == "troops_by_source" && a.kind == "figure_changed")),
        "{alerts:#?}"
    );
    let troops = alerts
        .iter()
        .find(|a| a.figure == "troops" && a.kind == "figure_changed")
        .map(|a| &a.body)
        .unwrap();
    assert_eq!(
        claimant(&troops["current"]["claimed_by"]),
        "ukraine's military intelligence",
        "{troops}"
    );

    // February: the NIS revises its own estimate. `troops` moves from
    // Kyiv's 12,000; the by-source figure moves from the NIS's 10,000.
    world.published.store(4, Ordering::SeqCst);
    work.figwatch(&["once"]).assert().success();
    let alerts = new_alerts(&world, &mut seen);
    assert_eq!(
        changes(&alerts),
        [
            ("troops".to_string(), Some(12000.0), Some(11000.0)),
            ("troops_by_source".to_string(), Some(10000.0), Some(11000.0)),
        ],
        "{alerts:#?}"
    );
    let revision = alerts
        .iter()
        .find(|a| a.figure == "troops_by_source")
        .map(|a| &a.body)
        .unwrap();
    assert_eq!(
        claimant(&revision["previous"]["claimed_by"]),
        "nis",
        "{revision}"
    );
    assert_eq!(
        claimant(&revision["current"]["claimed_by"]),
        "nis",
        "{revision}"
    );

    // A re-poll repeats nothing.
    work.figwatch(&["once"]).assert().success();
    assert!(new_alerts(&world, &mut seen).is_empty());

    // `figures` shows each claimant's latest value of the by-source figure.
    let output = work
        .figwatch(&["figures", "nk", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let figures: Value = serde_json::from_slice(&output.stdout).unwrap();
    let by_source: Vec<&Value> = figures
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["figure"] == "troops_by_source")
        .collect();
    let mut values = Vec::new();
    by_source.iter().for_each(|f| numbers(f, &mut values));
    for want in [11000.0, 12000.0] {
        assert!(values.contains(&want), "{want} missing from {by_source:#?}");
    }
    let text = serde_json::to_string(&by_source).unwrap().to_lowercase();
    assert!(
        text.contains("nis") && text.contains("ukraine's military intelligence"),
        "both claimants listed: {text}"
    );
    let casualties: Vec<f64> = figures
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["figure"] == "casualties")
        .filter_map(|f| f["current"]["value"].as_f64())
        .collect();
    assert_eq!(casualties, [300.0]);
}
