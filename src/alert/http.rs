//! The one POST every HTTP sink makes, and how its failures become
//! [`Error`]s: the status and the start of the body for a non-2xx answer,
//! connect and timeout errors told apart, URLs and secrets scrubbed.

use super::{Error, head, redact};
use std::error::Error as _;
use std::time::Duration;

/// Most bytes of an error response read for the message.
const MAX_ERROR_BODY_BYTES: usize = 4096;

/// Most characters of an error response kept in [`Error::Status`].
const MAX_ERROR_BODY_CHARS: usize = 200;

/// An HTTP sink's view of the shared client.
pub(crate) struct Http<'a> {
    pub client: &'a reqwest::Client,
    /// Sink name, for errors.
    pub sink: &'a str,
    /// The client's timeout, for errors.
    pub timeout: Duration,
    /// Values that must never appear in an error (in any form
    /// `config::redact::forms` lists).
    pub secrets: Vec<String>,
}

impl Http<'_> {
    /// Sends `request`; `Ok` on a 2xx answer.
    pub(super) async fn send(&self, request: reqwest::RequestBuilder) -> Result<(), Error> {
        let response = request.send().await.map_err(|err| self.error(err))?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        // A receiver refusing our credentials may quote them back in forms
        // no redaction foresees: its body is not kept.
        let body = if matches!(status.as_u16(), 401 | 403) {
            String::from("(body not shown for an authentication failure)")
        } else {
            self.error_body(response).await
        };
        Err(Error::Status {
            sink: self.sink.to_owned(),
            status: status.as_u16(),
            body: redact(&head(&body, MAX_ERROR_BODY_CHARS), &self.secrets),
        })
    }

    /// The start of an error response's body; a body that breaks off is
    /// shown as far as it came.
    async fn error_body(&self, response: reqwest::Response) -> String {
        let mut response = response;
        let mut body = Vec::new();
        while body.len() < MAX_ERROR_BODY_BYTES {
            match response.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                Ok(None) | Err(_) => break,
            }
        }
        body.truncate(MAX_ERROR_BODY_BYTES);
        String::from_utf8_lossy(&body).into_owned()
    }

    /// A request error as an [`Error`], without the URL (a slack or discord
    /// URL is a secret) and with any secret scrubbed.
    pub(super) fn error(&self, err: reqwest::Error) -> Error {
        let sink = self.sink.to_owned();
        if err.is_timeout() {
            return Error::Timeout {
                sink,
                timeout: self.timeout,
            };
        }
        let is_connect = err.is_connect();
        let err = err.without_url();
        // reqwest's own text is generic ("error sending request"); the
        // cause chain says what happened ("Connection refused").
        let mut reason = err.to_string();
        let mut source = err.source();
        while let Some(cause) = source {
            reason.push_str(": ");
            reason.push_str(&cause.to_string());
            source = cause.source();
        }
        let reason = redact(&reason, &self.secrets);
        if is_connect {
            Error::Connect { sink, reason }
        } else {
            Error::Request { sink, reason }
        }
    }

    /// A configuration problem found while building the request.
    pub(super) fn setup(&self, reason: impl Into<String>) -> Error {
        Error::Setup {
            sink: self.sink.to_owned(),
            reason: redact(&reason.into(), &self.secrets),
        }
    }
}
