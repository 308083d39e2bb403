//! The `email` sink: one SMTP message per alert through lettre, over
//! STARTTLS, implicit TLS or (for a local relay only) plain text, logging
//! in when a username is set. The message is multipart/alternative: the
//! plain text of [`message`](super::message) and the same as simple HTML.

use super::message::{Parts, SinkTemplate, parts};
use super::{Alert, Error, redact};
use crate::config::{Email, EmailTls, Secret};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

pub(crate) async fn send(
    sink: &str,
    settings: &Email,
    timeout: Duration,
    alert: &Alert,
    template: Option<SinkTemplate<'_>>,
) -> Result<(), Error> {
    // The password, and the AUTH PLAIN string whose base64 carries it.
    let mut secrets: Vec<String> = settings
        .password
        .iter()
        .map(|password| password.expose().to_owned())
        .collect();
    if let (Some(username), Some(password)) = (&settings.username, &settings.password) {
        secrets.push(format!("\0{username}\0{}", password.expose()));
        secrets.push(format!("{username}\0{}", password.expose()));
    }
    let setup = |reason: String| Error::Setup {
        sink: sink.to_owned(),
        reason,
    };
    let email = build(settings, alert, template).map_err(setup)?;

    let builder = match settings.tls {
        EmailTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&settings.host),
        EmailTls::Implicit => AsyncSmtpTransport::<Tokio1Executor>::relay(&settings.host),
        EmailTls::None => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
            &settings.host,
        )),
    }
    .map_err(|err| setup(format!("cannot set up TLS for {}: {err}", settings.host)))?;
    let mut builder = builder.port(settings.port).timeout(Some(timeout));
    if let Some(username) = &settings.username {
        let password = settings.password.as_ref().map_or("", Secret::expose);
        builder = builder.credentials(Credentials::new(username.clone(), password.to_owned()));
    }
    let transport = builder.build();

    // lettre's timeout bounds each SMTP command; this bounds the whole
    // exchange, so a server that trickles answers cannot hold the delivery.
    let exchange_limit = timeout.saturating_mul(4);
    match tokio::time::timeout(exchange_limit, transport.send(email)).await {
        Ok(Ok(_response)) => Ok(()),
        Ok(Err(err)) => Err(Error::Email {
            sink: sink.to_owned(),
            reason: redact(&describe(&err), &secrets),
        }),
        Err(_elapsed) => Err(Error::Timeout {
            sink: sink.to_owned(),
            timeout: exchange_limit,
        }),
    }
}

/// lettre's error with its causes ("Connection refused", the server's
/// reply), each said once: lettre's own text often already holds its
/// cause's. A server without STARTTLS gets a hint at the `tls` key.
fn describe(err: &lettre::transport::smtp::Error) -> String {
    use std::error::Error as _;
    let mut reason = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !reason.contains(&cause_text) {
            reason.push_str(": ");
            reason.push_str(&cause_text);
        }
        source = cause.source();
    }
    if reason.to_ascii_lowercase().contains("starttls") {
        reason.push_str(
            " (tls = \"starttls\" needs a server that offers it; use tls = \"tls\" for port 465 or tls = \"none\" for a local relay)",
        );
    }
    reason
}

/// The mail for `alert`, or what is wrong with the configured addresses.
pub(crate) fn build(
    settings: &Email,
    alert: &Alert,
    template: Option<SinkTemplate<'_>>,
) -> Result<Message, String> {
    let parts = parts(alert, template);
    let mailbox = |address: &str| {
        address
            .parse::<Mailbox>()
            .map_err(|err| format!("{address:?} is not a usable email address: {err}"))
    };
    let mut builder = Message::builder()
        .from(mailbox(&settings.from)?)
        .subject(parts.title.clone());
    for to in &settings.to {
        builder = builder.to(mailbox(to)?);
    }
    for cc in &settings.cc {
        builder = builder.cc(mailbox(cc)?);
    }
    let plain = super::message::templated_message(alert, template).text();
    let body = MultiPart::alternative()
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(plain),
        )
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_HTML)
                .body(html(&parts)),
        );
    builder
        .multipart(body)
        .map_err(|err| format!("cannot build the message: {err}"))
}

/// The message as a small HTML document: the title linked to the article,
/// the quote as a block quote, the source line.
fn html(parts: &Parts) -> String {
    let title = escape(&parts.title);
    let mut html = String::from("<!DOCTYPE html>\n<html><body>\n");
    match &parts.url {
        Some(url) => html.push_str(&format!(
            "<p><strong><a href=\"{}\">{title}</a></strong></p>\n",
            escape(url)
        )),
        None => html.push_str(&format!("<p><strong>{title}</strong></p>\n")),
    }
    if let Some(text) = &parts.text {
        html.push_str(&format!("<p>{}</p>\n", escape(text)));
    }
    if let Some(quote) = &parts.quote {
        html.push_str(&format!("<blockquote>{}</blockquote>\n", escape(quote)));
    }
    match (&parts.source, &parts.url) {
        (Some(source), Some(url)) => html.push_str(&format!(
            "<p>{} — <a href=\"{url}\">{url}</a></p>\n",
            escape(source),
            url = escape(url)
        )),
        (Some(source), None) => html.push_str(&format!("<p>{}</p>\n", escape(source))),
        (None, Some(url)) => html.push_str(&format!(
            "<p><a href=\"{url}\">{url}</a></p>\n",
            url = escape(url)
        )),
        (None, None) => {}
    }
    html.push_str("</body></html>\n");
    html
}

use crate::text::escape_html as escape;
