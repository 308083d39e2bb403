//! `figwatch demo`: the first minute. With no config and no network, it
//! serves a small news world ([`world`]) on 127.0.0.1, writes a config that
//! watches it into a fresh directory, and runs the real pipeline
//! (`daemon::once`, one pass per simulated day) against it. Alerts go
//! through a real webhook sink to the demo's own receiver, and are printed
//! as they arrive; the `figures` table ends the run. With `--listen` the
//! daemon then keeps running with its status page until Ctrl-C.
//!
//! The demo site is a stand-in for the internet, not part of the pipeline:
//! its server is the one task `cli` spawns besides `once`'s Ctrl-C watcher.

mod world;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::Context as _;
use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::{Failure, Result, show};
use crate::config::Config;
use crate::{alert, daemon, store};

/// What the demo needs to know.
#[derive(Debug)]
pub(super) struct Request {
    /// Keep the status page up on this address after the story is told.
    pub(super) listen: Option<SocketAddr>,
    /// Keep the config and database here (default: a temporary directory,
    /// removed at exit).
    pub(super) dir: Option<PathBuf>,
}

/// The demo site's state: the simulated day, and the alert ids its webhook
/// received, in order.
struct Site {
    day: AtomicUsize,
    base: String,
    received: Mutex<Vec<String>>,
}

/// A directory removed when dropped, unless the user chose it.
struct WorkDir {
    path: PathBuf,
    remove: bool,
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        if self.remove {
            // Best effort: a leftover temp dir is no failure of the demo.
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

pub(super) async fn run(request: Request) -> Result<()> {
    let work = work_dir(request.dir.as_deref())?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .context("cannot listen on 127.0.0.1 for the demo's news site")?;
    let addr = listener
        .local_addr()
        .context("the demo's news site has no address")?;
    let site = Arc::new(Site {
        day: AtomicUsize::new(0),
        base: format!("http://{addr}"),
        received: Mutex::new(Vec::new()),
    });
    let app = Router::new()
        .route("/{outlet}/{file}", get(serve_page))
        .route("/alerts", post(receive_alert))
        .with_state(Arc::clone(&site));
    // The news site and the Ctrl-C watcher run on a tracker of the demo's
    // own, stopped and awaited before the demo returns.
    let tracker = TaskTracker::new();
    let stop = CancellationToken::new();
    let site_stopped = stop.clone();
    tracker.spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async move { site_stopped.cancelled().await })
            .await;
        if let Err(err) = served {
            tracing::error!(error = %err, "The demo's news site failed");
        }
    });
    let cancel = CancellationToken::new();
    let (on_ctrl_c, watch_stopped) = (cancel.clone(), stop.clone());
    tracker.spawn(async move {
        tokio::select! {
            Ok(()) = tokio::signal::ctrl_c() => on_ctrl_c.cancel(),
            _ = watch_stopped.cancelled() => {}
        }
    });
    tracker.close();
    let result = tell_the_story(&work, &site, request.listen, &cancel).await;
    stop.cancel();
    tracker.wait().await;
    result
}

fn work_dir(dir: Option<&Path>) -> Result<WorkDir> {
    match dir {
        Some(dir) => {
            if dir.join("figwatch.db").exists() {
                return Err(Failure::usage(anyhow::anyhow!(
                    "{} already holds a figwatch.db; the demo starts from an empty database, so remove it or choose another --dir",
                    dir.display()
                )));
            }
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            Ok(WorkDir {
                path: dir.to_path_buf(),
                remove: false,
            })
        }
        None => {
            let path = std::env::temp_dir().join(format!(
                "figwatch-demo-{}-{}",
                std::process::id(),
                ulid::Ulid::generate()
            ));
            std::fs::create_dir_all(&path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            Ok(WorkDir { path, remove: true })
        }
    }
}

/// The demo's config: the three outlets, one watch with three figures, a
/// webhook to the demo's receiver. Written to a file and loaded as any
/// config is.
fn config_text(base: &str, listen: Option<SocketAddr>) -> String {
    let mut feeds = String::new();
    for outlet in &world::OUTLETS {
        feeds.push_str(&format!(
            "[[feed]]\nurl = \"{base}/{}/feed.xml\"\nname = \"{}\"\n\n",
            outlet.slug, outlet.name
        ));
    }
    let listen = listen.map_or_else(String::new, |addr| format!("listen = \"{addr}\"\n"));
    format!(
        r#"# Written by `figwatch demo`: the demo's news site on {base}.
[daemon]
database = "figwatch.db"
poll_interval = "1h"
timeout = "5s"
baseline = true
# The demo's articles are on 127.0.0.1, which figwatch refuses by default.
allow_private_articles = true
{listen}
{feeds}[watch.nk-russia]
query = '("North Korea" OR DPRK OR Pyongyang) AND (Russia OR Moscow)'

[watch.nk-russia.figure.artillery]
terms = ["artillery pieces", "artillery", "howitzers"]

[watch.nk-russia.figure.troops]
terms = ["troops", "soldiers"]
of = ["North Korea"]

[watch.nk-russia.figure.casualties]
terms = ["casualties", "killed", "wounded"]
of = ["North Korea"]

[sink.demo]
type = "webhook"
url = "{base}/alerts"
"#
    )
}

async fn tell_the_story(
    work: &WorkDir,
    site: &Site,
    listen: Option<SocketAddr>,
    cancel: &CancellationToken,
) -> Result<()> {
    let config_path = work.path.join("figwatch.toml");
    std::fs::write(&config_path, config_text(&site.base, listen))
        .with_context(|| format!("cannot write {}", config_path.display()))?;
    let mut config = Config::load(&config_path).map_err(Failure::usage)?;
    config.resolve_secrets().map_err(Failure::usage)?;

    println!(
        "figwatch demo: {} outlets on a news site at {} tell a story over {} days.",
        world::OUTLETS.len(),
        site.base,
        world::DAYS.len()
    );
    println!(
        "Watching {:?} for the figures artillery, troops and casualties;",
        config.watches[0].query_text
    );
    println!("the real pipeline polls every feed once a day, and alerts go to a webhook.\n");

    let mut n_printed = 0;
    let mut n_alerts = 0;
    for (day_idx, day) in world::DAYS.iter().enumerate() {
        let day_number = day_idx + 1;
        site.day.store(day_number, Ordering::SeqCst);
        println!("Day {day_number} · {}", day.date);
        for story in world::STORIES.iter().filter(|s| s.day == day_number) {
            println!(
                "  {}: {}",
                world::OUTLETS[story.outlet].name,
                story.headline
            );
        }
        let report = daemon::once(config.clone(), cancel.clone())
            .await
            .context("the pass failed")?;
        if cancel.is_cancelled() {
            return Err(anyhow::anyhow!("interrupted").into());
        }
        if let Some(failed) = report.failed().next() {
            // The error names the feed's URL.
            return Err(anyhow::anyhow!(
                "the demo's own news site on 127.0.0.1 did not answer ({}); is the loopback interface up?",
                failed
                    .error
                    .as_deref()
                    .unwrap_or(failed.url.as_str())
            )
            .into());
        }
        let received: Vec<String> = site
            .received
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let new_ids = &received[n_printed.min(received.len())..];
        n_printed = received.len();
        println!("  → {}", day.note);
        // The store blocks: off the async workers.
        n_alerts += tokio::task::block_in_place(|| print_alerts(&config, new_ids))?;
        println!();
    }

    println!("{n_alerts} alerts delivered. What figwatch knows now (`figwatch figures`):\n");
    tokio::task::block_in_place(|| {
        let store = store::Store::connect(&config.daemon.database, 1)?;
        show::figures(&store, &config, None, show::Format::Table)
    })?;
    println!();
    if work.remove {
        println!(
            "Next: `figwatch demo --dir DIR` keeps the config and database, and `--listen 127.0.0.1:9464` shows the status page; README \"Using it\" writes your own config."
        );
    } else {
        println!(
            "The config and database are in {}: try `figwatch --config {} history nk-russia artillery`.",
            work.path.display(),
            config_path.display()
        );
    }

    if let Some(addr) = listen {
        println!("\nStatus page: http://{addr}/ (the daemon keeps running; Ctrl-C stops it)");
        daemon::run(config_path, config)
            .await
            .context("daemon failed")?;
    }
    Ok(())
}

/// Prints the alerts with these ids as the webhook received them, each
/// as its message; returns how many were printed.
fn print_alerts(config: &Config, ids: &[String]) -> Result<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    let store = store::Store::connect(&config.daemon.database, 1)?;
    let summaries = store.alerts(1000, false)?;
    let mut n_printed = 0;
    for id in ids {
        let Some(summary) = summaries.iter().find(|s| &s.alert.id == id) else {
            continue;
        };
        n_printed += 1;
        let text = alert::message(&(&summary.alert).into()).text();
        let mut lines = text.lines();
        if let Some(title) = lines.next() {
            println!("  ALERT {title}");
        }
        for line in lines {
            println!("        {line}");
        }
    }
    Ok(n_printed)
}

async fn serve_page(
    State(site): State<Arc<Site>>,
    UrlPath((outlet, file)): UrlPath<(String, String)>,
) -> Response {
    let day = site.day.load(Ordering::SeqCst);
    if file == "feed.xml" {
        let feed = world::OUTLETS
            .iter()
            .position(|o| o.slug == outlet)
            .and_then(|idx| world::feed_xml(idx, day, &site.base));
        return match feed {
            Some(xml) => (
                [(header::CONTENT_TYPE, "application/rss+xml; charset=utf-8")],
                xml,
            )
                .into_response(),
            None => StatusCode::NOT_FOUND.into_response(),
        };
    }
    let page = file
        .strip_suffix(".html")
        .and_then(|slug| world::article_html(&outlet, slug));
    match page {
        Some(html) => ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn receive_alert(State(site): State<Arc<Site>>, headers: HeaderMap) -> StatusCode {
    let Some(id) = headers
        .get(alert::ALERT_ID_HEADER)
        .and_then(|value| value.to_str().ok())
    else {
        return StatusCode::BAD_REQUEST;
    };
    site.received
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(id.to_string());
    StatusCode::OK
}
