//! The command line (DESIGN.md "Command line"): argument parsing, logging
//! set-up, and one function per command. `cli` drives `daemon` (run, once)
//! and reads `store` (figures, history, articles, alerts). It is the only
//! module besides `main` that prints to stdout and uses `anyhow`.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod csv;
mod demo;
mod describe;
mod extract;
mod online;
mod opml;
mod send;
mod show;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};

use crate::config::{self, Config};
use crate::{daemon, store};

/// figwatch watches news feeds for topics you care about and alerts you when
/// a reported figure changes ("more than 160 artillery pieces" last autumn,
/// "more than 200" today).
///
/// Start with `figwatch check` to validate a config, `figwatch once` to poll
/// every feed once, and `figwatch run` to keep polling as a service.
#[derive(Debug, Parser)]
#[command(name = "figwatch", version, about, long_about = None, after_long_help = AFTER_HELP)]
pub struct Args {
    /// Config file [default: /etc/figwatch/figwatch.toml]
    #[arg(long, global = true, env = "FIGWATCH_CONFIG", value_name = "PATH")]
    config: Option<PathBuf>,

    /// Log format on stderr
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,

    /// More logging (-v debug, -vv trace)
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    verbose: u8,

    /// Less logging (-q warnings and errors only, -qq errors only)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    quiet: u8,

    #[command(subcommand)]
    command: Command,
}

const AFTER_HELP: &str = "\
Exit status: 0 on success, 1 on a runtime failure, 2 on a usage or config error.

Examples:
  figwatch demo
  figwatch --config config/figwatch.toml check
  figwatch --config config/figwatch.toml once
  figwatch figures nk-russia
  figwatch history nk-russia artillery
  figwatch extract --json https://news.example/story.html

RUST_LOG overrides the log level (e.g. RUST_LOG=figwatch=debug).";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LogFormat {
    /// Human-readable lines
    Text,
    /// One JSON object per line
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// See it work: a built-in news world on 127.0.0.1 through the real pipeline (no config, no network)
    Demo {
        /// Then keep the daemon and its status page running on this address until Ctrl-C
        #[arg(long, value_name = "ADDR")]
        listen: Option<std::net::SocketAddr>,
        /// Keep the demo's config and database in DIR (default: a temporary directory, removed at exit)
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Run the daemon: poll on schedule until SIGTERM/SIGINT; SIGHUP reloads the config
    Run,
    /// Poll every feed once, process, deliver pending alerts, and exit
    Once,
    /// Validate the config and print what it will do
    Check {
        /// Treat warnings (a sink's secret not set here) as errors, for CI
        #[arg(long)]
        strict: bool,
        /// Also fetch each feed and page once and say what it is (a feed, an
        /// HTML page linking one, a page's text, or why it fails)
        #[arg(long)]
        online: bool,
    },
    /// Show what the extractor sees in one page: title, text, every figure mention
    Extract {
        /// Treat the input as plain text, not HTML
        #[arg(long)]
        plain: bool,
        /// CSS selector for the article text (as a feed's article_selector)
        #[arg(long, value_name = "CSS")]
        selector: Option<String>,
        /// Assign mentions to this watch's figures (default: every watch in the config, if one loads)
        #[arg(long, value_name = "WATCH")]
        watch: Option<String>,
        /// Print one JSON object
        #[arg(long)]
        json: bool,
        /// A file, an http(s) URL, or - for standard input
        input: String,
    },
    /// Current value of every tracked figure, with source and date
    Figures {
        /// Only this watch
        watch: Option<String>,
        /// Print JSON
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// Print CSV (raw numbers, RFC 3339 times), for a spreadsheet
        #[arg(long)]
        csv: bool,
    },
    /// Every observation of one figure, oldest first
    History {
        /// Watch name
        watch: String,
        /// Figure name
        figure: String,
        /// Print JSON
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// Print CSV (raw numbers, RFC 3339 times), for a spreadsheet
        #[arg(long)]
        csv: bool,
    },
    /// Matched articles, newest first
    Articles {
        /// Only articles this watch matched
        #[arg(long, value_name = "W")]
        watch: Option<String>,
        /// Only articles matching TEXT: SQLite full-text syntax (words,
        /// "phrases", AND/OR/NOT, prefix*), else a plain substring
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// How many
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Recent alerts and their delivery state per sink
    Alerts {
        /// Only alerts with a failed or dead delivery
        #[arg(long)]
        failed: bool,
        /// How many
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Send a test alert through one sink
    TestSink {
        /// Sink name, as in [sink.NAME]
        name: String,
    },
    /// Add the feeds of an OPML file to the config
    ImportOpml {
        /// OPML file exported from a feed reader
        file: PathBuf,
    },
    /// Print the configured feeds as OPML 2.0, for a feed reader
    ExportOpml,
    /// Copy the configured SQLite store into an empty PostgreSQL database
    MigrateStore {
        /// The PostgreSQL database: postgres://user@host:port/dbname
        #[arg(long)]
        to: String,
        /// Environment variable holding the database password
        #[arg(long, conflicts_with = "password_file")]
        password_env: Option<String>,
        /// File holding the database password
        #[arg(long)]
        password_file: Option<PathBuf>,
    },
}

/// A failure with its exit status.
#[derive(Debug)]
struct Failure {
    status: u8,
    error: anyhow::Error,
}

impl Failure {
    fn usage(error: impl Into<anyhow::Error>) -> Failure {
        Failure {
            status: 2,
            error: error.into(),
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Failure {
        Failure { status: 1, error }
    }
}

type Result<T, E = Failure> = std::result::Result<T, E>;

/// Entry point of the binary: parses arguments, runs, returns the exit status.
pub fn main() -> ExitCode {
    let args = Args::parse();
    init_logging(&args);
    let runtime = match daemon::runtime() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("figwatch: cannot start the async runtime: {err}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(dispatch(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("figwatch: {:#}", failure.error);
            ExitCode::from(failure.status)
        }
    }
}

fn init_logging(args: &Args) {
    use tracing_subscriber::EnvFilter;
    // The demo tells its story on stdout; its log says only what went wrong.
    let quiet_by_default = matches!(args.command, Command::Demo { .. });
    let level = match (args.verbose, args.quiet) {
        (0, 0) if quiet_by_default => "warn",
        (0, 0) => "info",
        (1, _) => "debug",
        (v, _) if v >= 2 => "trace",
        (_, 1) => "warn",
        _ => "error",
    };
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(format!("figwatch={level},warn")));
    use std::io::IsTerminal as _;
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(color)
        .with_target(false);
    // Under journald every line is already timestamped.
    let journald = std::env::var_os("JOURNAL_STREAM").is_some();
    let result = match (args.log_format, journald) {
        (LogFormat::Json, _) => builder.json().try_init(),
        (LogFormat::Text, true) => builder.without_time().with_ansi(false).try_init(),
        (LogFormat::Text, false) => builder.try_init(),
    };
    if let Err(err) = result {
        eprintln!("figwatch: cannot start logging: {err}");
    }
}

fn config_path(args: &Args) -> PathBuf {
    args.config
        .clone()
        .unwrap_or_else(|| PathBuf::from(config::DEFAULT_PATH))
}

fn load_config(path: &Path) -> Result<Config> {
    Config::load(path).map_err(Failure::usage)
}

/// The config of a command that sends alerts: loaded, and every sink's
/// secret read. Read-only commands use [`load_config`] and never need them.
fn load_sending_config(path: &Path) -> Result<Config> {
    let mut config = load_config(path)?;
    config.resolve_secrets().map_err(Failure::usage)?;
    Ok(config)
}

async fn dispatch(args: Args) -> Result<()> {
    let path = config_path(&args);
    match args.command {
        Command::Demo { listen, dir } => demo::run(demo::Request { listen, dir }).await,
        Command::Run => {
            let config = load_sending_config(&path)?;
            daemon::run(path, config).await.context("daemon failed")?;
            Ok(())
        }
        Command::Once => send::once(load_sending_config(&path)?).await,
        Command::Check { strict, online } => check(&path, strict, online).await,
        Command::Extract {
            plain,
            selector,
            watch,
            json,
            input,
        } => {
            let explicit_config = args.config.is_some();
            extract::run(extract::Request {
                input: &input,
                plain,
                selector: selector.as_deref(),
                watch: watch.as_deref(),
                json,
                config_path: &path,
                explicit_config,
            })
            .await
        }
        Command::Figures { watch, json, csv } => {
            let config = load_config(&path)?;
            if let Some(watch) = &watch {
                known_figure(&config, watch, None)?;
            }
            let format = show::Format::new(json, csv);
            read_store(&config, |store| {
                show::figures(store, &config, watch.as_deref(), format)
            })
        }
        Command::History {
            watch,
            figure,
            json,
            csv,
        } => {
            let config = load_config(&path)?;
            known_figure(&config, &watch, Some(&figure))?;
            let format = show::Format::new(json, csv);
            read_store(&config, |store| {
                show::history(store, &config, &watch, &figure, format)
            })
        }
        Command::Articles {
            watch,
            search,
            limit,
            json,
        } => {
            let config = load_config(&path)?;
            if let Some(watch) = &watch {
                known_figure(&config, watch, None)?;
            }
            read_store(&config, |store| {
                show::articles(store, watch.as_deref(), search.as_deref(), limit, json)
            })
        }
        Command::Alerts {
            failed,
            limit,
            json,
        } => {
            let config = load_config(&path)?;
            read_store(&config, |store| show::alerts(store, limit, failed, json))
        }
        Command::TestSink { name } => send::test_sink(load_config(&path)?, &name).await,
        Command::ImportOpml { file } => opml::import(&path, &file),
        Command::ExportOpml => opml::export(&path),
        Command::MigrateStore {
            to,
            password_env,
            password_file,
        } => migrate_store(&load_config(&path)?, &to, password_env, password_file),
    }
}

/// Opens the config's store and runs `show` on it, off the async workers
/// (the store blocks).
fn read_store(config: &Config, show: impl FnOnce(&store::Store) -> Result<()>) -> Result<()> {
    tokio::task::block_in_place(|| show(&open_store(config)?))
}

/// A usage error unless the config has the watch (and its figure): a typo
/// gets a message naming what is missing, not "No observations yet".
fn known_figure(config: &Config, watch: &str, figure: Option<&str>) -> Result<()> {
    let names = |names: Vec<&str>| {
        if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        }
    };
    let Some(found) = config.watches.iter().find(|w| w.name == watch) else {
        return Err(Failure::usage(anyhow::anyhow!(
            "no watch named {watch:?} in {} (watches: {})",
            config.path.display(),
            names(config.watches.iter().map(|w| w.name.as_str()).collect())
        )));
    };
    match figure {
        Some(figure) if !found.figures.iter().any(|f| f.name == figure) => {
            Err(Failure::usage(anyhow::anyhow!(
                "watch {watch:?} has no figure named {figure:?} in {} (figures: {})",
                config.path.display(),
                names(found.figures.iter().map(|f| f.name.as_str()).collect())
            )))
        }
        _ => Ok(()),
    }
}

fn open_store(config: &Config) -> Result<store::Store> {
    let database = &config.daemon.database;
    if let config::Database::Sqlite(path) = database
        && !path.exists()
    {
        return Err(anyhow::anyhow!(
            "no database at {} yet; run `figwatch once` or `figwatch run` first",
            path.display()
        )
        .into());
    }
    // The CLI reads: one connection is enough.
    Ok(store::Store::connect(database, 1)?)
}

impl From<store::Error> for Failure {
    fn from(error: store::Error) -> Failure {
        Failure::from(anyhow::Error::new(error))
    }
}

/// `figwatch migrate-store`: the configured SQLite store into PostgreSQL.
fn migrate_store(
    config: &Config,
    to: &str,
    password_env: Option<String>,
    password_file: Option<PathBuf>,
) -> Result<()> {
    let config::Database::Sqlite(from) = &config.daemon.database else {
        return Err(Failure::usage(anyhow::anyhow!(
            "{}: the configured database is not a SQLite file; migrate-store copies one into PostgreSQL",
            config.path.display()
        )));
    };
    if !config::Database::is_postgres_url(to) {
        return Err(Failure::usage(anyhow::anyhow!(
            "--to {}: expected a postgres:// URL",
            config::redact_url(to)
        )));
    }
    if !from.exists() {
        return Err(anyhow::anyhow!("no database at {} to copy", from.display()).into());
    }
    let password = match (password_env, password_file) {
        (Some(name), _) => Some(std::env::var(&name).map_err(|_| {
            Failure::usage(anyhow::anyhow!("environment variable {name} is not set"))
        })?),
        (None, Some(file)) => Some(
            std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?
                .trim()
                .to_string(),
        ),
        (None, None) => None,
    };
    let copied = tokio::task::block_in_place(|| {
        store::copy::sqlite_to_postgres(
            from,
            to,
            password.as_deref(),
            daemon::instance::LIVE_WITHIN,
        )
    })?;
    let mut out = format!(
        "Copied {} into {}:\n",
        from.display(),
        config::redact_url(to)
    );
    for (table, rows) in &copied.tables {
        out.push_str(&format!("  {table}: {rows}\n"));
    }
    out.push_str(&format!(
        "Now set [daemon] database = \"{}\" in {} (the password in database_password_env or database_password_file) and start figwatch.\n",
        config::redact_url(to).replace(":redacted@", "@"),
        config.path.display()
    ));
    print!("{out}");
    Ok(())
}

async fn check(path: &Path, strict: bool, online: bool) -> Result<()> {
    let config = load_config(path)?;
    let missing = config.missing_secrets();
    if strict && !missing.is_empty() {
        return Err(Failure::usage(config::Error::Invalid {
            path: config.path.clone(),
            problems: missing,
        }));
    }
    let mut out = String::new();
    describe::describe_config(&config, &mut out);
    if online {
        online::describe(&config, &mut out).await;
    }
    print!("{out}");
    for problem in &missing {
        let at = match (problem.line, problem.column) {
            (Some(line), Some(column)) => format!(":{line}:{column}"),
            _ => String::new(),
        };
        eprintln!(
            "figwatch: warning: {}{at}: {}; the sink cannot send until it is (`check --strict` makes this an error)",
            config.path.display(),
            problem.message
        );
    }
    Ok(())
}
