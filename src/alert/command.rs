//! The `command` sink: runs a program with the alert JSON on stdin and the
//! key fields in the environment, killed when it outlives its timeout. Exit
//! status 0 is a delivery; anything else is an [`Error::Exit`] carrying the
//! end of the program's stderr. Its stdout is discarded.
//!
//! Environment (values are empty strings where they do not apply):
//!
//! | variable | value |
//! |---|---|
//! | `FIGWATCH_ALERT_ID` | the alert id, stable across retries |
//! | `FIGWATCH_KIND` | `figure_changed`, `figure_first_seen`, … |
//! | `FIGWATCH_CREATED_AT` | RFC 3339 UTC |
//! | `FIGWATCH_WATCH` | watch name |
//! | `FIGWATCH_FIGURE` | figure name |
//! | `FIGWATCH_VALUE` | the current value as a plain number (`200`, `2.5`) |
//! | `FIGWATCH_PREVIOUS` | the previous value as a plain number |
//! | `FIGWATCH_URL` | the article URL |
//! | `FIGWATCH_TITLE` | the message's title line |
//! | `FIGWATCH_MESSAGE` | the whole message text |
//!
//! Nothing else of the daemon's environment reaches the program, which
//! holds the other sinks' secrets: only [`INHERITED`] and the names the
//! sink's `env` lists, when the daemon has them.

use super::json::{as_integer, format_time};
use super::{Alert, Error, message, tail};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::{ChildStderr, Command};

/// Bytes of stderr kept (the end of it) for the error.
const MAX_STDERR_BYTES: usize = 4096;

/// Characters of stderr shown in the error.
const MAX_STDERR_CHARS: usize = 300;

/// How long stderr is still read after the program exited. A background
/// process it left behind may hold the pipe open; its output is not worth
/// waiting for.
const STDERR_GRACE: Duration = Duration::from_millis(500);

/// The daemon's variables every program gets, when set.
pub(super) const INHERITED: [&str; 4] = ["PATH", "HOME", "LANG", "TZ"];

/// PATH when the daemon has none.
const DEFAULT_PATH: &str = "/usr/local/bin:/usr/bin:/bin";

/// Names of the variables a command sink with `env` passes on, in order:
/// PATH, HOME, LANG, TZ, the `env` list, then the `FIGWATCH_*` alert
/// variables.
pub fn environment_names(env: &[String]) -> Vec<String> {
    INHERITED
        .iter()
        .map(|name| (*name).to_owned())
        .chain(env.iter().cloned())
        .chain(std::iter::once("FIGWATCH_*".to_owned()))
        .collect()
}

/// The inherited part of the child's environment: [`INHERITED`] and `env`,
/// from the daemon's environment where set (PATH always).
fn inherited(env: &[String]) -> Vec<(String, std::ffi::OsString)> {
    let mut variables: Vec<(String, std::ffi::OsString)> = INHERITED
        .iter()
        .map(|name| (*name).to_owned())
        .chain(env.iter().cloned())
        .filter_map(|name| std::env::var_os(&name).map(|value| (name, value)))
        .collect();
    if !variables.iter().any(|(name, _)| name == "PATH") {
        variables.push(("PATH".to_owned(), DEFAULT_PATH.into()));
    }
    variables
}

pub(crate) async fn send(
    sink: &str,
    command: &[String],
    timeout: Duration,
    env: &[String],
    alert: &Alert,
    json: String,
) -> Result<(), Error> {
    let Some((program, args)) = command.split_first() else {
        return Err(Error::Setup {
            sink: sink.to_owned(),
            reason: String::from("command is empty"),
        });
    };
    let mut child = Command::new(program)
        .args(args)
        .env_clear()
        .envs(inherited(env))
        .envs(environment(alert))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        // Dropping the child (a cancelled delivery) must not leave it running.
        .kill_on_drop(true)
        .spawn()
        .map_err(|err| Error::Spawn {
            sink: sink.to_owned(),
            program: program.clone(),
            reason: err.to_string(),
        })?;

    let stdin = child.stdin.take();
    let mut stderr = child.stderr.take();
    let mut stderr_tail = Vec::new();
    let run = async {
        let write = async {
            if let Some(mut stdin) = stdin {
                // A program that does not read its stdin and exits is fine:
                // the broken pipe is not a failed delivery, its exit status is.
                let _ = stdin.write_all(json.as_bytes()).await;
                // Dropping stdin closes it, so the program sees end of input.
            }
        };
        tokio::pin!(write);
        let mut written = false;
        let mut buffer = [0u8; 4096];
        let status = loop {
            tokio::select! {
                () = &mut write, if !written => written = true,
                read = read_some(&mut stderr, &mut buffer), if stderr.is_some() => match read {
                    Some(n_bytes) => keep_tail(&mut stderr_tail, &buffer[..n_bytes]),
                    None => stderr = None,
                },
                status = child.wait() => break status,
            }
        };
        let _ = tokio::time::timeout(STDERR_GRACE, async {
            while let Some(n_bytes) = read_some(&mut stderr, &mut buffer).await {
                keep_tail(&mut stderr_tail, &buffer[..n_bytes]);
            }
        })
        .await;
        status
    };
    let outcome = tokio::time::timeout(timeout, run).await;
    match outcome {
        Ok(Ok(status)) if status.success() => Ok(()),
        Ok(Ok(status)) => Err(Error::Exit {
            sink: sink.to_owned(),
            program: program.clone(),
            code: status.code(),
            stderr: tail(&String::from_utf8_lossy(&stderr_tail), MAX_STDERR_CHARS),
        }),
        Ok(Err(err)) => Err(Error::Spawn {
            sink: sink.to_owned(),
            program: program.clone(),
            reason: err.to_string(),
        }),
        Err(_elapsed) => {
            // Kill and reap it now rather than leave a zombie behind.
            let _ = child.start_kill();
            let _ = child.wait().await;
            Err(Error::Timeout {
                sink: sink.to_owned(),
                timeout,
            })
        }
    }
}

/// Reads what stderr has; `None` at its end, on an error or when it is closed.
async fn read_some(stderr: &mut Option<ChildStderr>, buffer: &mut [u8]) -> Option<usize> {
    match stderr {
        Some(pipe) => match pipe.read(buffer).await {
            Ok(0) | Err(_) => None,
            Ok(n_bytes) => Some(n_bytes),
        },
        None => None,
    }
}

/// Appends `bytes`, keeping only the last [`MAX_STDERR_BYTES`].
fn keep_tail(kept: &mut Vec<u8>, bytes: &[u8]) {
    kept.extend_from_slice(bytes);
    if kept.len() > MAX_STDERR_BYTES {
        kept.drain(..kept.len() - MAX_STDERR_BYTES);
    }
}

/// The FIGWATCH_* variables for `alert`.
pub(crate) fn environment(alert: &Alert) -> Vec<(&'static str, String)> {
    let message = message(alert);
    let url = message.url.clone().unwrap_or_default();
    let variables = [
        ("FIGWATCH_ALERT_ID", alert.id.clone()),
        ("FIGWATCH_KIND", alert.kind.as_str().to_owned()),
        ("FIGWATCH_CREATED_AT", format_time(&alert.created_at)),
        ("FIGWATCH_WATCH", alert.watch.clone()),
        ("FIGWATCH_FIGURE", alert.figure.clone().unwrap_or_default()),
        (
            "FIGWATCH_VALUE",
            alert
                .current
                .as_ref()
                .map(|current| plain_number(current.value))
                .unwrap_or_default(),
        ),
        (
            "FIGWATCH_PREVIOUS",
            alert
                .previous
                .as_ref()
                .map(|previous| plain_number(previous.value))
                .unwrap_or_default(),
        ),
        ("FIGWATCH_URL", url),
        ("FIGWATCH_TITLE", message.title.clone()),
        ("FIGWATCH_MESSAGE", message.text()),
    ];
    // An environment value cannot hold NUL; text from a page might.
    variables
        .into_iter()
        .map(|(name, value)| (name, value.replace('\0', "")))
        .collect()
}

/// A number as a program parses it: `200`, `2.5`, no separators.
fn plain_number(number: f64) -> String {
    match as_integer(number) {
        Some(integer) => integer.to_string(),
        None if number.is_finite() => number.to_string(),
        None => String::new(),
    }
}
