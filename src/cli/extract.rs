//! `figwatch extract`: what the article and figures stages see in one page.
//! Mentions are listed as the pipeline reads them, headline first, each
//! labelled `headline` or `body` (a headline mention's `start`/`end` are
//! offsets into the headline), with its claim (event, owner, claimed by,
//! previous value, unit, increment) and, per watch, the figure it was
//! assigned to and why, or why not, and whether it is the article's
//! observation of that figure.

use std::io::Read as _;
use std::path::Path;

use anyhow::Context as _;
use serde_json::json;
use url::Url;

use super::{Failure, Result};
use crate::config::Config;
use crate::{article, fetch, figures};

pub(super) struct Request<'a> {
    pub(super) input: &'a str,
    pub(super) plain: bool,
    pub(super) selector: Option<&'a str>,
    pub(super) watch: Option<&'a str>,
    pub(super) json: bool,
    pub(super) config_path: &'a Path,
    /// The config was named on the command line (or in FIGWATCH_CONFIG), so
    /// failing to load it is an error rather than "no figures to assign".
    pub(super) explicit_config: bool,
}

/// Reads the input: `-`, an http(s) URL, or a file. Returns the text and the
/// URL relative links resolve against.
async fn read_input(input: &str) -> Result<(String, Url)> {
    if input == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
        let base = Url::parse("file:///dev/stdin").context("base URL")?;
        return Ok((crate::text::decode(&bytes, None), base));
    }
    if input.starts_with("http://") || input.starts_with("https://") {
        let url = Url::parse(input)
            .map_err(|err| Failure::usage(anyhow::anyhow!("invalid URL {input:?}: {err}")))?;
        let client = fetch::Client::new(fetch::Options::default())
            .context("cannot build the HTTP client")?;
        return match client
            .get(
                &url,
                &fetch::Validators::default(),
                // The URL typed here is trusted like a configured feed's;
                // a redirect elsewhere is guarded all the same.
                fetch::Target::Feed {
                    allow_private: true,
                    allow_private_redirects: false,
                },
            )
            .await
        {
            fetch::Outcome::Fetched(response) => Ok((response.text(), response.url)),
            fetch::Outcome::NotModified => {
                Err(anyhow::anyhow!("{url}: unexpected 304 Not Modified").into())
            }
            fetch::Outcome::Failed(err) => Err(anyhow::Error::new(err).into()),
        };
    }
    let path = Path::new(input);
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let base = Url::from_file_path(&absolute)
        .or_else(|()| Url::parse("file:///"))
        .map_err(|err| anyhow::anyhow!("base URL: {err}"))?;
    Ok((crate::text::decode(&bytes, None), base))
}

pub(super) async fn run(request: Request<'_>) -> Result<()> {
    if let Some(problem) = request
        .selector
        .and_then(crate::config::css_selector_problem)
    {
        return Err(Failure::usage(anyhow::anyhow!(
            "invalid CSS selector {:?}: {problem}",
            request.selector.unwrap_or_default()
        )));
    }
    let config = figures_config(&request)?;
    let watches = chosen_watches(config.as_ref(), request.watch)?;
    let (input, base) = read_input(request.input).await?;
    let page = if request.plain {
        article::Article {
            text: input,
            ..article::Article::default()
        }
    } else {
        article::extract(&input, &base, request.selector)
    };
    let readings = Readings::new(&page, &watches);
    if request.json {
        println!("{}", json_output(&page, &readings));
    } else {
        print_text(&page, &readings);
    }
    Ok(())
}

/// The config whose figures mentions are assigned to, when there is one: a
/// config that does not load is an error only when it was asked for.
fn figures_config(request: &Request<'_>) -> Result<Option<Config>> {
    match Config::load(request.config_path) {
        Ok(config) => Ok(Some(config)),
        Err(err) if request.explicit_config || request.watch.is_some() => Err(Failure::usage(err)),
        Err(_) => Ok(None),
    }
}

/// The watch named on the command line, else every watch of the config.
fn chosen_watches<'c>(
    config: Option<&'c Config>,
    name: Option<&str>,
) -> Result<Vec<&'c crate::config::Watch>> {
    let Some(config) = config else {
        return Ok(Vec::new());
    };
    let Some(name) = name else {
        return Ok(config.watches.iter().collect());
    };
    match config.watches.iter().find(|watch| watch.name == name) {
        Some(watch) => Ok(vec![watch]),
        None => Err(Failure::usage(anyhow::anyhow!(
            "no watch named {name:?} in {}",
            config.path.display()
        ))),
    }
}

/// A page read as the pipeline reads an article: the headline's mentions
/// first, then the body's, each watch's figures assigned over both.
struct Readings<'c> {
    base: figures::Reading,
    watches: Vec<(&'c str, &'c [crate::config::Figure], figures::Reading)>,
}

impl<'c> Readings<'c> {
    fn new(page: &article::Article, watches: &[&'c crate::config::Watch]) -> Readings<'c> {
        let title = page.title.clone().unwrap_or_default();
        Readings {
            base: figures::read(&title, &page.text, &[]),
            watches: watches
                .iter()
                .map(|watch| {
                    (
                        watch.name.as_str(),
                        watch.figures.as_slice(),
                        figures::read(&title, &page.text, &watch.figures),
                    )
                })
                .collect(),
        }
    }

    /// Where mention `idx` stands: `headline` or `body`.
    fn part(&self, idx: usize) -> &'static str {
        if idx < self.base.n_title {
            "headline"
        } else {
            "body"
        }
    }
}

/// `--json`: the page and its mentions, each with its assignment per watch.
fn json_output(page: &article::Article, readings: &Readings<'_>) -> serde_json::Value {
    let items: Vec<serde_json::Value> = readings
        .base
        .mentions
        .iter()
        .enumerate()
        .map(|(idx, mention)| {
            let mut value = serde_json::to_value(mention).unwrap_or_default();
            value["in"] = json!(readings.part(idx));
            value["assignments"] = readings
                .watches
                .iter()
                .map(|(watch, figures, reading)| {
                    let assignment = &reading.assignments[idx];
                    json!({
                        "watch": watch,
                        "figure": assignment.figure.and_then(|f| figures.get(f)).map(|f| f.name.as_str()),
                        "also": assignment.also.iter().filter_map(|&f| figures.get(f)).map(|f| f.name.as_str()).collect::<Vec<_>>(),
                        "reason": assignment.reason,
                        "observation": reading.observations.iter().any(|&(_, m)| m == idx),
                    })
                })
                .collect();
            value
        })
        .collect();
    json!({
        "title": page.title,
        "text": page.text,
        "canonical_url": page.canonical_url.as_ref().map(Url::as_str),
        "published_at": page.published.map(|t| t.to_rfc3339()),
        "site_name": page.site_name,
        "language": page.language,
        "mentions": items,
    })
}

/// The page, then each mention with its claim and its assignment per watch.
fn print_text(page: &article::Article, readings: &Readings<'_>) {
    println!("title: {}", page.title.as_deref().unwrap_or("-"));
    if let Some(published) = page.published {
        println!("published: {}", published.to_rfc3339());
    }
    if let Some(canonical) = &page.canonical_url {
        println!("canonical: {canonical}");
    }
    println!("\n{}\n", page.text.trim());
    let mentions = &readings.base.mentions;
    println!(
        "{} mention(s), {} in the headline:",
        mentions.len(),
        readings.base.n_title
    );
    for (idx, mention) in mentions.iter().enumerate() {
        println!(
            "  {:>3}. [{}] {:?}  value {} ({}, {}) noun {:?}",
            idx + 1,
            readings.part(idx),
            mention.text,
            crate::alert::format_number(mention.value),
            mention.qualifier.as_str(),
            mention.kind.as_str(),
            mention.noun
        );
        let claim = claim_line(mention);
        if !claim.is_empty() {
            println!("       {claim}");
        }
        for (watch, figures, reading) in &readings.watches {
            println!("       {}", assignment_line(watch, figures, reading, idx));
        }
    }
}

/// Mention `idx`'s assignment in one watch: "→ watch.figure: reason" (with
/// the other figures it also counts for, and whether it is the article's
/// observation), or "✗ watch: why not".
fn assignment_line(
    watch: &str,
    figures: &[crate::config::Figure],
    reading: &figures::Reading,
    idx: usize,
) -> String {
    let assignment = &reading.assignments[idx];
    let Some(figure) = assignment.figure.and_then(|f| figures.get(f)) else {
        return format!("✗ {watch}: {}", assignment.reason);
    };
    let also: String = assignment
        .also
        .iter()
        .filter_map(|&f| figures.get(f))
        .map(|f| format!(" and {watch}.{}", f.name))
        .collect();
    let observed = reading.observations.iter().any(|&(_, m)| m == idx);
    format!(
        "→ {watch}.{}{also}: {}{}",
        figure.name,
        assignment.reason,
        if observed {
            " (the article's observation)"
        } else {
            ""
        }
    )
}

/// What the text says about a mention beyond its number, on one line:
/// "event killed · owner North Korea · claimed by Seoul · previous 300 ·
/// unit USD · increment"; empty when it says nothing.
fn claim_line(mention: &figures::Mention) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut push = |label: &str, value: Option<&str>| {
        if let Some(value) = value.map(str::trim).filter(|value| !value.is_empty()) {
            parts.push(format!("{label} {value}"));
        }
    };
    push("event", mention.event.as_deref());
    push("owner", mention.owner.as_deref());
    push("claimed by", mention.claimed_by.as_deref());
    let previous = mention.previous.map(crate::alert::format_number);
    push("previous", previous.as_deref());
    push("unit", mention.unit.as_deref());
    if mention.increment {
        parts.push("increment (never a level)".to_string());
    }
    if mention.agent {
        parts.push("owner did the harm (the casualties are not its own)".to_string());
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_line_names_what_the_text_says_and_nothing_else() {
        let mut mention = figures::mentions("Officials counted 600 troops.")
            .into_iter()
            .next()
            .unwrap();
        mention.event = None;
        mention.owner = None;
        mention.claimed_by = None;
        mention.previous = None;
        mention.unit = None;
        mention.increment = false;
        assert_eq!(claim_line(&mention), "");
        mention.event = Some("killed".to_string());
        mention.owner = Some("North Korea".to_string());
        mention.claimed_by = Some("Seoul".to_string());
        mention.previous = Some(3_000.0);
        mention.unit = Some(" ".to_string());
        mention.increment = true;
        assert_eq!(
            claim_line(&mention),
            "event killed · owner North Korea · claimed by Seoul · previous 3,000 · \
             increment (never a level)"
        );
    }
}
