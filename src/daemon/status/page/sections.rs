//! The status page's sections, one function each, in the order the page
//! shows them (`page::render` lays them out).

use std::fmt::Write as _;

use super::*;

pub(super) fn figures_section(html: &mut String, data: &PageData) {
    html.push_str(
        "<h2>Figures</h2><table id=\"figures\"><tr><th>Figure</th><th>Value</th><th>Change</th>\
         <th>Claimed by</th><th>History</th></tr>",
    );
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
            "<tr><td>{}<br><b>{}</b></td><td>{}<br><small><a href=\"{}\">{}</a> {}</small></td>\
             <td class=\"change\">{}</td><td class=\"claimed-by\">{}</td><td class=\"chart\">{}</td></tr>",
            escape(&figure.watch),
            escape(&figure.figure),
            escape(&crate::alert::format_observation(&(&figure.current).into())),
            escape(&figure.current.article.url),
            escape(&figure.current.article.source),
            date(figure.current.article.published_at),
            escape(&change_text(figure)),
            escape(claimed_by),
            timeline_svg(&label, history),
        );
    }
    if data.figures.is_empty() {
        html.push_str("<tr><td colspan=\"5\" class=\"muted\">No figures tracked yet.</td></tr>");
    }
    html.push_str("</table>");
}

pub(super) fn alerts_section(html: &mut String, data: &PageData) {
    html.push_str(
        "<h2>Recent alerts</h2><table id=\"alerts\"><tr><th>When</th><th>Alert</th><th>Delivery</th></tr>",
    );
    for summary in &data.alerts {
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            minute(Some(summary.alert.created_at)),
            escape(&message(&(&summary.alert).into()).title),
            delivery_text(summary)
        );
    }
    if data.alerts.is_empty() {
        html.push_str("<tr><td colspan=\"3\" class=\"muted\">none yet</td></tr>");
    }
    html.push_str("</table><h2>Failed deliveries</h2><ul id=\"failed-deliveries\">");
    let mut any = false;
    for summary in &data.failed {
        for delivery in summary
            .deliveries
            .iter()
            .filter(|d| d.state == "dead" || (d.state != "delivered" && d.last_error.is_some()))
        {
            any = true;
            let _ = write!(
                html,
                "<li class=\"{}\">{} → {}: {} after {} attempt(s): {}</li>",
                if delivery.state == "dead" {
                    "dead"
                } else {
                    "retrying"
                },
                escape(&message(&(&summary.alert).into()).title),
                escape(&delivery.sink),
                if delivery.state == "dead" {
                    "given up"
                } else {
                    "retrying"
                },
                delivery.attempts,
                escape(delivery.last_error.as_deref().unwrap_or(""))
            );
        }
    }
    if !any {
        html.push_str("<li class=\"muted\">none</li>");
    }
    html.push_str("</ul>");
}

pub(super) fn failing_section(html: &mut String, config: Option<&Config>, failing: &[&FeedState]) {
    html.push_str("<h2>Failing feeds</h2><ul id=\"failing\">");
    for feed in failing {
        let name = feed_name(config, feed);
        // The URL once: beside the name, or as the name.
        let shown = redact::url_text(&feed.url);
        let url = if name == shown {
            String::new()
        } else {
            format!(" <small>{}</small>", escape(&shown))
        };
        let _ = write!(
            html,
            "<li class=\"failing\"><b>{}</b>{url}<br>{}<br><small>{} failure(s) since {}; next try {}</small></li>",
            escape(&name),
            escape(&error_text(feed)),
            feed.failures,
            minute(feed.failing_since),
            minute(feed.next_poll_at)
        );
    }
    if failing.is_empty() {
        html.push_str("<li class=\"muted\">none</li>");
    }
    html.push_str("</ul>");
}

pub(super) fn feeds_section(html: &mut String, config: Option<&Config>, feeds: &[&FeedState]) {
    html.push_str(
        "<h2>Feeds</h2><table id=\"feeds\"><tr><th>Feed</th><th>Last good poll</th><th>Next poll</th></tr>",
    );
    for feed in feeds {
        let _ = write!(
            html,
            "<tr><td class=\"{}\" title=\"{}\">{}</td><td>{}</td><td>{}</td></tr>",
            if feed.failures > 0 { "failing" } else { "" },
            escape(&redact::url_text(&feed.url)),
            escape(&feed_name(config, feed)),
            minute(feed.last_success_at),
            minute(feed.next_poll_at)
        );
    }
    html.push_str("</table>");
}

pub(super) fn watches_section(html: &mut String, config: &Config) {
    html.push_str("<h2>Watches</h2><table id=\"watches\"><tr><th>Watch</th><th>Query and figures</th><th>Notifies</th></tr>");
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
            "<tr><td>{}</td><td><code>{}</code><br>{}</td><td>{}</td></tr>",
            escape(&watch.name),
            escape(&watch.query_text),
            figures.join("<br>"),
            escape(&watch.sink_names(&config.sinks).join(", "))
        );
    }
    html.push_str("</table>");
}

pub(super) fn articles_section(html: &mut String, data: &PageData) {
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
    if data.articles.is_empty() {
        html.push_str("<li class=\"muted\">none yet</li>");
    }
    html.push_str("</ul>");
}

/// This instance, its leases and the instances sharing the database.
pub(super) fn instances_section(html: &mut String, data: &PageData) {
    let Some(instances) = &data.instances else {
        return;
    };
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
        html.push_str("<li class=\"muted\">no heartbeat yet</li>");
    }
    html.push_str("</ul>");
}
