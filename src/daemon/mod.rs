//! The schedule and the glue. `daemon` decides which feed is due, bounds how
//! many fetches run at once (overall and per host), runs each feed through
//! the pipeline stages in order, hands due alerts to `alert`, and handles
//! signals (SIGTERM/SIGINT stop, SIGHUP reloads), systemd readiness and the
//! watchdog. It is the only module that spawns tasks: every spawn goes
//! through one `TaskTracker`, cancelled by one root `CancellationToken`.

mod deliver;
pub mod instance;
pub mod metrics;
mod pipeline;
mod reload;
mod retention;
pub mod schedule;
pub mod status;
mod threads;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::mpsc::UnboundedSender;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{info, warn};
use url::Url;

use crate::config::Config;
use crate::store::Store;
use crate::{alert, fetch, store, watch};
use schedule::{Schedule, to_chrono};

pub use deliver::DeliveryReport;
pub use pipeline::{FeedReport, MAX_ARTICLE_ATTEMPTS};
use threads::off_workers;
pub use threads::{BLOCKING_THREADS, runtime};

/// How long in-flight work may take to finish after SIGTERM.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// Connections an instance holds to a PostgreSQL store at most: the
/// blocking store calls in flight at once rarely exceed a few (feeds
/// recording, the dispatcher, the status page); more would only queue in
/// PostgreSQL instead.
pub const DATABASE_CONNECTIONS: u32 = 8;
/// Timeout of one delivery attempt.
pub const DELIVERY_TIMEOUT: Duration = Duration::from_secs(30);

/// Why the daemon could not start or keep running.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] store::Error),
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Client(#[from] fetch::Error),
    /// Signal handlers could not be installed.
    #[error("cannot install signal handlers: {0}")]
    Signals(std::io::Error),
    /// A sink's secret could not be read (`*_env` unset, `*_file` unreadable).
    #[error(transparent)]
    Secrets(#[from] crate::config::Error),
    /// The status server could not listen on its address.
    #[error("cannot listen on {addr} (daemon.listen): {source}")]
    Listen {
        /// The configured address.
        addr: std::net::SocketAddr,
        /// The bind error.
        source: std::io::Error,
    },
}

/// Everything one configuration needs at run time; rebuilt on reload.
pub struct Context {
    /// The config it was built from.
    pub config: Arc<Config>,
    store: Store,
    client: fetch::Client,
    matcher: watch::Matcher,
    sinks: alert::Sinks,
    limits: Limits,
    tracker: TaskTracker,
    /// Woken whenever new alerts may be due.
    outbox_ready: Arc<Notify>,
    /// Counters for `/metrics`, shared across reloads.
    metrics: Arc<metrics::Metrics>,
    /// Feeds being processed at once (fetch to last write).
    feed_slots: Semaphore,
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("config", &self.config.path)
            .finish_non_exhaustive()
    }
}

impl Context {
    /// Builds the run-time context of `config` over an open store.
    pub fn new(
        mut config: Config,
        store: Store,
        tracker: TaskTracker,
        outbox_ready: Arc<Notify>,
        metrics: Arc<metrics::Metrics>,
    ) -> Result<Context, Error> {
        // Secrets are read here, where sinks are built for sending, and
        // nowhere a read-only command goes.
        config.resolve_secrets()?;
        let daemon = &config.daemon;
        let client = fetch::Client::new(fetch::Options::new(
            daemon.timeout,
            daemon.max_body,
            daemon.user_agent.clone(),
        ))?;
        let queries: Vec<&watch::Query> = config.watches.iter().map(|w| &w.query).collect();
        let matcher = watch::Matcher::new(&queries);
        let sinks = alert::Sinks::new(&config.sinks, DELIVERY_TIMEOUT);
        let limits = Limits::new(daemon.concurrency, daemon.per_host);
        let feed_slots = Semaphore::new(pipeline::FEEDS_AT_ONCE.max(daemon.concurrency));
        Ok(Context {
            config: Arc::new(config),
            store,
            client,
            matcher,
            sinks,
            limits,
            tracker,
            outbox_ready,
            metrics,
            feed_slots,
        })
    }

    /// Registers the config's (watch, figure) pairs: one new to the store
    /// gets a baseline poll of each feed.
    async fn register_figures(&self) -> Result<(), Error> {
        let config = Arc::clone(&self.config);
        let n_new = self
            .blocking(move |store| {
                store.register_figures(&config.watches, config.daemon.baseline, Utc::now())
            })
            .await?;
        if n_new > 0 && self.config.daemon.baseline {
            info!(
                figures = n_new,
                "New figures: next poll of each feed is their baseline"
            );
        }
        Ok(())
    }

    /// Runs a store call on a blocking thread, off the async workers.
    async fn blocking<T, F>(&self, call: F) -> Result<T, store::Error>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, store::Error> + Send + 'static,
    {
        let store = self.store.clone();
        match off_workers(&self.tracker, move || call(&store)).await {
            Ok(result) => result,
            Err(_) => Err(store::Error::Interrupted {
                database: self.store.database().to_string(),
            }),
        }
    }

    /// How long a feed's lease lasts: a few fetch timeouts, renewed before
    /// each article, so a live instance keeps it and a dead one's expires.
    fn lease_for(&self) -> chrono::Duration {
        to_chrono(schedule::lease_for(self.config.daemon.timeout))
    }

    /// Gives up this instance's lease on a feed it did not finish.
    async fn release(&self, feed_id: i64) {
        let released = self
            .blocking(move |store| store.release_feed(feed_id, store.instance()))
            .await;
        if let Err(err) = released {
            // The lease expires on its own.
            warn!(error = %err, "Cannot release the feed lease");
        }
    }
}

/// Fetch concurrency: one global semaphore and one per host.
struct Limits {
    global: Arc<Semaphore>,
    per_host: usize,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl Limits {
    fn new(concurrency: usize, per_host: usize) -> Limits {
        Limits {
            global: Arc::new(Semaphore::new(concurrency.max(1))),
            per_host: per_host.max(1),
            hosts: Mutex::new(HashMap::new()),
        }
    }

    /// Waits for a slot for `url`'s host, then a global one.
    async fn acquire(&self, url: &Url) -> Option<(OwnedSemaphorePermit, OwnedSemaphorePermit)> {
        let host_key = format!(
            "{}:{}",
            url.host_str().unwrap_or(""),
            url.port_or_known_default().unwrap_or(0)
        );
        let host = {
            // Never held across an await.
            let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
            Arc::clone(
                hosts
                    .entry(host_key)
                    .or_insert_with(|| Arc::new(Semaphore::new(self.per_host))),
            )
        };
        let host_permit = host.acquire_owned().await.ok()?;
        let global_permit = Arc::clone(&self.global).acquire_owned().await.ok()?;
        Some((host_permit, global_permit))
    }
}

/// What one `figwatch once` pass did.
#[derive(Debug, Clone, Default)]
pub struct PassReport {
    /// One report per feed, then per page, in config order.
    pub feeds: Vec<FeedReport>,
    /// What delivery did.
    pub delivery: DeliveryReport,
}

impl PassReport {
    /// Feeds whose poll failed.
    pub fn failed(&self) -> impl Iterator<Item = &FeedReport> {
        self.feeds.iter().filter(|feed| feed.error.is_some())
    }
}

/// One pass: polls every feed once, processes what is new, delivers every
/// due alert, and returns. A failing feed is reported, not fatal.
pub async fn once(config: Config, cancel: CancellationToken) -> Result<PassReport, Error> {
    let tracker = TaskTracker::new();
    let store = open_store(&config, &tracker).await?;
    let ctx = Arc::new(Context::new(
        config,
        store,
        tracker.clone(),
        Arc::new(Notify::new()),
        Arc::default(),
    )?);
    ctx.register_figures().await?;
    let mut report = PassReport {
        feeds: poll_all(&ctx, &tracker, &cancel).await,
        ..PassReport::default()
    };
    if !cancel.is_cancelled() {
        report.delivery = deliver::deliver_due(&ctx, &cancel).await;
    }
    if let Some(retention) = ctx.config.daemon.retention {
        retention::prune_all(&ctx, retention, &cancel).await;
    }
    tracker.close();
    tracker.wait().await;
    Ok(report)
}

/// Polls every configured feed once, at most a window of them at a time;
/// the reports in config order. A feed's task is spawned when a place in
/// the window is free and joined as soon as it ends: a spawned task holds
/// its future's size (kilobytes) until joined, so spawning every feed at
/// once, or joining them in order at the end, made memory grow with the
/// number of feeds (issue 20).
async fn poll_all(
    ctx: &Arc<Context>,
    tracker: &TaskTracker,
    cancel: &CancellationToken,
) -> Vec<FeedReport> {
    // Feeds and live pages alike.
    let jobs: Vec<_> = schedule::jobs(&ctx.config).collect();
    let window = pipeline::FEEDS_AT_ONCE.max(ctx.config.daemon.concurrency);
    let mut reports: Vec<Option<FeedReport>> = jobs.iter().map(|_| None).collect();
    let mut running = tokio::task::JoinSet::new();
    for (job_idx, job) in jobs.iter().enumerate() {
        while running.len() >= window {
            join_one(&mut running, &mut reports).await;
        }
        let poll = pipeline::poll(
            Arc::clone(ctx),
            job.to_job(),
            pipeline::When::Now,
            cancel.clone(),
        );
        running.spawn(tracker.track_future(async move { (job_idx, poll.await) }));
    }
    while !running.is_empty() {
        join_one(&mut running, &mut reports).await;
    }
    reports
        .into_iter()
        .zip(&jobs)
        .map(|(report, job)| {
            report.unwrap_or_else(|| FeedReport {
                url: job.url().to_string(),
                cancelled: true,
                ..FeedReport::default()
            })
        })
        .collect()
}

/// Waits for one feed's task of `running` and files its report.
async fn join_one(
    running: &mut tokio::task::JoinSet<(usize, FeedReport)>,
    reports: &mut [Option<FeedReport>],
) {
    match running.join_next().await {
        Some(Ok((feed_idx, report))) => reports[feed_idx] = Some(report),
        Some(Err(err)) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
        // Aborted (the runtime is shutting down): reported as cancelled.
        Some(Err(_)) | None => {}
    }
}

/// Opens the configured store, off the async workers, and frees the
/// leases of instances on this machine that died.
async fn open_store(config: &Config, tracker: &TaskTracker) -> Result<Store, Error> {
    let location = config.daemon.database.clone();
    let opened = off_workers(tracker, move || {
        let store = Store::connect(&location, DATABASE_CONNECTIONS)?;
        instance::free_dead_local(&store)?;
        Ok::<_, store::Error>(store)
    })
    .await;
    match opened {
        Ok(store) => Ok(store?),
        Err(_) => Err(Error::Store(store::Error::Interrupted {
            database: config.daemon.database.display(),
        })),
    }
}

/// What the main loop reacts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Signal {
    /// SIGTERM or SIGINT: finish in-flight work and exit.
    Stop,
    /// SIGHUP: reload the config.
    Reload,
    /// SIGUSR1: poll every feed and page now, once.
    PollNow,
}

struct Signals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
    hup: tokio::signal::unix::Signal,
    usr1: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> std::io::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Signals {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
            hup: signal(SignalKind::hangup())?,
            usr1: signal(SignalKind::user_defined1())?,
        })
    }

    async fn recv(&mut self) -> Signal {
        tokio::select! {
            _ = self.term.recv() => Signal::Stop,
            _ = self.int.recv() => Signal::Stop,
            _ = self.hup.recv() => Signal::Reload,
            _ = self.usr1.recv() => Signal::PollNow,
        }
    }
}

/// Tells systemd (when it supervises us) how things stand; a no-op otherwise.
fn notify_systemd(states: &[sd_notify::NotifyState<'_>]) {
    if let Err(err) = sd_notify::notify(states) {
        warn!(error = %err, "Cannot notify systemd");
    }
}

/// The daemon: polls feeds on their schedules and delivers alerts until
/// SIGTERM or SIGINT; SIGHUP reloads the config from `config_path`.
pub async fn run(config_path: PathBuf, config: Config) -> Result<(), Error> {
    let mut signals = Signals::new().map_err(Error::Signals)?;
    let tracker = TaskTracker::new();
    let store = open_store(&config, &tracker).await?;
    let cancel = CancellationToken::new();
    let metrics = Arc::new(metrics::Metrics::default());
    let listen = config.daemon.listen;
    metrics.config_loaded(Utc::now());
    let allowed_hosts = Arc::new(status::guard::AllowedHosts::new(
        &config.daemon.allowed_hosts,
    ));
    let ctx = Arc::new(Context::new(
        config,
        store.clone(),
        tracker.clone(),
        Arc::new(Notify::new()),
        metrics,
    )?);
    ctx.register_figures().await?;
    let (ctx_tx, ctx_rx) = tokio::sync::watch::channel(Arc::clone(&ctx));
    tracker.spawn(retention::prune_loop(ctx_rx.clone(), cancel.clone()));
    tracker.spawn(deliver::dispatch_loop(ctx_rx, cancel.clone()));
    tracker.spawn(instance::heartbeat_loop(
        store,
        tracker.clone(),
        cancel.clone(),
    ));
    if let Some(addr) = listen {
        serve_status(addr, &ctx, ctx_tx.subscribe(), allowed_hosts, &cancel).await?;
    }
    let schedule = load_schedule(&ctx).await?;
    info!(
        feeds = ctx.config.feeds.len(),
        pages = ctx.config.pages.len(),
        watches = ctx.config.watches.len(),
        sinks = ctx.config.sinks.len(),
        database = %ctx.config.daemon.database.display(),
        backend = ctx.config.daemon.database.backend_name(),
        instance = %ctx.store.instance(),
        "Figwatch started"
    );
    notify_systemd(&[sd_notify::NotifyState::Ready]);
    let running = Running {
        config_path,
        ctx,
        ctx_tx,
        schedule,
        cancel: cancel.clone(),
    };
    running.until_stopped(&mut signals).await;

    cancel.cancel();
    tracker.close();
    if tokio::time::timeout(SHUTDOWN_GRACE, tracker.wait())
        .await
        .is_err()
    {
        warn!(grace = ?SHUTDOWN_GRACE, "In-flight work did not finish in time; open transactions roll back");
    }
    info!("Figwatch stopped");
    Ok(())
}

/// Starts the status server (`/healthz`, `/metrics`, the status page) on
/// `addr`, tracked and cancelled with the rest.
async fn serve_status(
    addr: std::net::SocketAddr,
    ctx: &Context,
    contexts: tokio::sync::watch::Receiver<Arc<Context>>,
    allowed_hosts: Arc<status::guard::AllowedHosts>,
    cancel: &CancellationToken,
) -> Result<(), Error> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| Error::Listen { addr, source })?;
    info!(%addr, "Status server listening");
    if !addr.ip().is_loopback() {
        warn!(
            %addr,
            "Status server listens beyond loopback: whoever reaches it reads the watches, \
             figures, articles and failing feeds; keep it behind a firewall or a reverse proxy"
        );
    }
    ctx.tracker.spawn(status::serve(
        listener,
        Arc::clone(&ctx.metrics),
        ctx.store.clone(),
        contexts,
        allowed_hosts,
        ctx.tracker.clone(),
        cancel.clone(),
    ));
    Ok(())
}

/// The schedule of `ctx`'s jobs as the store left them, read off the async
/// workers.
async fn load_schedule(ctx: &Context) -> Result<Schedule, Error> {
    let stored: schedule::Stored = ctx
        .blocking(|store| store.feeds())
        .await?
        .into_iter()
        .map(|feed| (feed.url, (feed.next_poll_at, feed.failures)))
        .collect();
    Ok(Schedule::load(&ctx.config, &stored, Utc::now()))
}

/// The main loop's state: the running context (replaced on reload), the
/// schedule of its jobs, and where the other loops learn of a new context.
struct Running {
    config_path: PathBuf,
    ctx: Arc<Context>,
    ctx_tx: tokio::sync::watch::Sender<Arc<Context>>,
    schedule: Schedule,
    cancel: CancellationToken,
}

impl Running {
    /// Polls each job when it is due and reacts to signals, until SIGTERM
    /// or SIGINT.
    async fn until_stopped(mut self, signals: &mut Signals) {
        let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel::<FeedReport>();
        let watchdog = sd_notify::watchdog_enabled().map(|period| period / 2);
        let mut watchdog_tick =
            tokio::time::interval(watchdog.unwrap_or(Duration::from_secs(3600)));
        loop {
            self.ctx.metrics.loop_turned();
            let now = Utc::now();
            self.spawn_due(now, &done_tx);
            let status = self.schedule.status();
            notify_systemd(&[sd_notify::NotifyState::Status(&status)]);
            let sleep = self.schedule.until_next(now);
            tokio::select! {
                signal = signals.recv() => match signal {
                    Signal::Stop => {
                        info!("Stopping: finishing in-flight work");
                        notify_systemd(&[sd_notify::NotifyState::Stopping]);
                        break;
                    }
                    Signal::PollNow => {
                        info!("SIGUSR1: polling every feed and page now");
                        self.schedule.all_due(Utc::now());
                    }
                    Signal::Reload => self.reload().await,
                },
                Some(report) = done_rx.recv() => {
                    self.schedule.finished(&report.url, report.error.is_some(), report.next_poll_at);
                }
                _ = tokio::time::sleep(sleep) => {}
                _ = watchdog_tick.tick(), if watchdog.is_some() => {
                    notify_systemd(&[sd_notify::NotifyState::Watchdog]);
                }
            }
        }
    }

    /// Spawns the poll of every job due at `now`; each reports to `done`
    /// when it ends.
    fn spawn_due(&mut self, now: DateTime<Utc>, done: &UnboundedSender<FeedReport>) {
        for (job, now_asked) in self.schedule.take_due(now, &self.ctx.config) {
            let done = done.clone();
            let ctx = Arc::clone(&self.ctx);
            let cancel = self.cancel.clone();
            // A poll asked for by SIGUSR1 is taken whenever the job was last
            // polled; a scheduled one only when the store agrees it is due.
            let when = if now_asked {
                pipeline::When::Now
            } else {
                pipeline::When::Due
            };
            self.ctx.tracker.spawn(async move {
                let report = pipeline::poll(ctx, job, when, cancel).await;
                // The receiver lives as long as the loop; after it is gone
                // the report has nobody to tell.
                let _ = done.send(report);
            });
        }
    }
}
