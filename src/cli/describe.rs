//! `figwatch check`: what a valid config will do, in words.

use std::fmt::Write as _;

use crate::config::{AlertOn, Config, Figure, FigureKind, MinChange, SinkKind, redact};

/// Writes what a config will do, for `figwatch check`.
pub(super) fn describe_config(config: &Config, out: &mut String) {
    let _ = writeln!(out, "{}: OK", config.path.display());
    describe_daemon(config, out);
    describe_feeds(config, out);
    describe_pages(config, out);
    describe_watches(config, out);
    describe_sinks(config, out);
}

/// The `[daemon]` section: database, polling and the status server.
fn describe_daemon(config: &Config, out: &mut String) {
    let daemon = &config.daemon;
    let _ = writeln!(
        out,
        "database: {} ({})",
        daemon.database.display(),
        daemon.database.backend_name()
    );
    let _ = writeln!(
        out,
        "polling: every {} by default, {} fetches at once, {} per host, timeout {}, body cap {} bytes{}",
        humantime::format_duration(daemon.poll_interval),
        daemon.concurrency,
        daemon.per_host,
        humantime::format_duration(daemon.timeout),
        daemon.max_body,
        if daemon.baseline {
            "; first poll of a new feed is a silent baseline"
        } else {
            ""
        }
    );
    if let Some(listen) = daemon.listen {
        let _ = writeln!(out, "status server: http://{listen}/");
        if !listen.ip().is_loopback() {
            let _ = writeln!(
                out,
                "  warning: {listen} is not a loopback address: whoever reaches it reads the \
                 watches, figures, articles and failing feeds"
            );
        }
    }
}

/// The `N feed(s):` section.
fn describe_feeds(config: &Config, out: &mut String) {
    let _ = writeln!(out, "\n{} feed(s):", config.feeds.len());
    for feed in &config.feeds {
        let _ = write!(out, "  {}", redact::url(&feed.url));
        if let Some(name) = &feed.name {
            let _ = write!(out, " ({name})");
        }
        if let Some(interval) = feed.interval {
            let _ = write!(out, " every {}", humantime::format_duration(interval));
        }
        if let Some(selector) = &feed.article_selector {
            let _ = write!(out, ", article text from `{selector}`");
        }
        if feed.revisit.is_zero() {
            out.push_str(", changed entries re-read whenever they change");
        } else if feed.revisit != crate::config::DEFAULT_REVISIT {
            let _ = write!(
                out,
                ", changed entries re-read at most every {}",
                humantime::format_duration(feed.revisit)
            );
        }
        if let Some(category) = &feed.category {
            let _ = write!(out, " [{category}]");
        }
        out.push('\n');
    }
}

/// The `N live page(s)` section, when there are pages.
fn describe_pages(config: &Config, out: &mut String) {
    if !config.pages.is_empty() {
        let _ = writeln!(
            out,
            "\n{} live page(s), each change of its text a revision:",
            config.pages.len()
        );
    }
    for page in &config.pages {
        let _ = write!(out, "  {}", redact::url(&page.url));
        if let Some(name) = &page.name {
            let _ = write!(out, " ({name})");
        }
        if let Some(interval) = page.interval {
            let _ = write!(out, " every {}", humantime::format_duration(interval));
        }
        if let Some(selector) = &page.selector {
            let _ = write!(out, ", text from `{selector}`");
        }
        match &page.watches {
            Some(watches) => {
                let _ = write!(out, ", read by {}", watches.join(", "));
            }
            None => out.push_str(", read by every watch"),
        }
        out.push('\n');
    }
}

/// The `N watch(es):` section: each watch's query, figures and sinks.
fn describe_watches(config: &Config, out: &mut String) {
    let _ = writeln!(out, "\n{} watch(es):", config.watches.len());
    for watch in &config.watches {
        let _ = writeln!(out, "  {}: {}", watch.name, watch.query_text);
        let _ = writeln!(out, "    terms: {}", watch.query.terms().join(", "));
        for figure in &watch.figures {
            describe_figure(figure, out);
        }
        let sinks = watch.sink_names(&config.sinks);
        let _ = writeln!(
            out,
            "    notifies: {}{}",
            if sinks.is_empty() {
                "nobody (no sinks)".to_string()
            } else {
                sinks.join(", ")
            },
            if watch.new_articles {
                "; also on every new matching article"
            } else {
                ""
            }
        );
    }
}

/// One figure: what it counts, its terms, when it alerts, its claims.
fn describe_figure(figure: &Figure, out: &mut String) {
    let direction = match figure.alert_on {
        AlertOn::Change => "any change",
        AlertOn::Increase => "increases",
        AlertOn::Decrease => "decreases",
    };
    let threshold = match figure.min_change {
        Some(MinChange::Relative(fraction)) => {
            format!(" of at least {}%", fraction * 100.0)
        }
        Some(MinChange::Absolute(amount)) => format!(" of at least {amount}"),
        None => String::new(),
    };
    let what = match figure.kind {
        FigureKind::Count => "counts of",
        FigureKind::Money => "money amounts for",
        FigureKind::Percent => "percentages for",
        FigureKind::Measure => "measures of",
    };
    let _ = writeln!(
        out,
        "    figure {}: {what} [{}]; alerts on {direction}{threshold}",
        figure.name,
        figure.terms.join(", ")
    );
    describe_figure_claim(figure, out);
}

/// The `N sink(s):` section: what each sink does, its secrets' origins and
/// its delivery policy.
fn describe_sinks(config: &Config, out: &mut String) {
    let _ = writeln!(out, "\n{} sink(s):", config.sinks.len());
    for sink in &config.sinks {
        let detail = match &sink.kind {
            SinkKind::Log => "the log".to_string(),
            SinkKind::Webhook { url, secret, .. } => format!(
                "POST {}{}",
                redact::url(url),
                if secret.is_some() { ", signed" } else { "" }
            ),
            SinkKind::Ntfy { url, .. } => format!("ntfy topic {}", redact::url(url)),
            SinkKind::Email(email) => format!(
                "mail via {}:{} ({}) from {} to {}{}{}",
                email.host,
                email.port,
                match email.tls {
                    crate::config::EmailTls::Starttls => "STARTTLS, required",
                    crate::config::EmailTls::Implicit => "TLS from the first byte",
                    crate::config::EmailTls::None => "plain text, no TLS",
                },
                email.from,
                email.to.join(", "),
                if email.cc.is_empty() {
                    String::new()
                } else {
                    format!(", cc {}", email.cc.join(", "))
                },
                match &email.username {
                    Some(user) => format!(", login {user}"),
                    None => String::new(),
                }
            ),
            SinkKind::Slack { .. } => "Slack incoming webhook".to_string(),
            SinkKind::Discord { .. } => "Discord webhook".to_string(),
            SinkKind::Command {
                command,
                timeout,
                env,
            } => format!(
                "runs {} (timeout {}; environment: {})",
                command.join(" "),
                humantime::format_duration(*timeout),
                crate::alert::command_environment_names(env).join(" ")
            ),
        };
        let _ = writeln!(out, "  {} ({}): {detail}", sink.name, sink.kind.type_name());
        for secret in sink.kind.secrets() {
            let _ = writeln!(out, "    secret: from {}", secret.origin());
        }
        let _ = writeln!(out, "    delivery: {}", delivery_policy(&sink.policy));
        if sink.template.is_some() {
            let _ = writeln!(out, "    message: from its template");
        }
    }
}

/// "up to 20 attempts, give up after 1d, digest above 5 alerts per 10m".
fn delivery_policy(policy: &crate::config::DeliveryPolicy) -> String {
    let mut parts = vec![format!("up to {} attempts", policy.max_attempts)];
    if let Some(limit) = policy.give_up_after {
        parts.push(format!(
            "give up after {}",
            humantime::format_duration(limit)
        ));
    }
    match policy.rate_limit {
        Some(limit) => parts.push(format!(
            "digest above {} alerts per {}",
            limit.burst,
            humantime::format_duration(limit.window)
        )),
        None => parts.push(String::from("no rate limit")),
    }
    parts.join(", ")
}

/// The figure keys beyond terms and alerting, one line each when set:
/// kind and unit, `of`, `exclude`, `by_source`.
fn describe_figure_claim(figure: &Figure, out: &mut String) {
    if figure.kind != FigureKind::Count || figure.unit.is_some() {
        let _ = write!(out, "      kind: {}", figure.kind.as_str());
        match &figure.unit {
            Some(unit) => {
                let _ = write!(out, ", only values in {unit}");
            }
            None if figure.kind == FigureKind::Money => {
                out.push_str(", any currency (values are compared only within one)");
            }
            None => {}
        }
        if let Some(marker) = figure.kind_marker_term() {
            let _ = write!(
                out,
                "; the term {marker:?} only marks the kind (deprecated: write kind = \"{}\" and drop it)",
                figure.kind.as_str()
            );
        }
        out.push('\n');
    }
    if !figure.of.is_empty() {
        let _ = writeln!(
            out,
            "      of: {} (a number whose owner is someone else is never this figure's)",
            figure.of.join(", ")
        );
    }
    if !figure.exclude.is_empty() {
        let _ = writeln!(
            out,
            "      exclude: {} (never a number whose noun phrase or event holds one)",
            figure.exclude.join(", ")
        );
    }
    if figure.by_source {
        let _ = writeln!(
            out,
            "      by_source: one value per claimant (\"Seoul says\", \"Kyiv says\"), each alerting on its own"
        );
    }
}
