//! `figwatch extract`: what the article and figures stages see in one page.

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
        return Ok((fetch::decode(&bytes, None), base));
    }
    if input.starts_with("http://") || input.starts_with("https://") {
        let url = Url::parse(input)
            .map_err(|err| Failure::usage(anyhow::anyhow!("invalid URL {input:?}: {err}")))?;
        let client = fetch::Client::new(fetch::Options::default())
            .context("cannot build the HTTP client")?;
        return match client
            .get(&url, &fetch::Validators::default(), fetch::Target::Feed)
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
    Ok((fetch::decode(&bytes, None), base))
}

pub(super) async fn run(request: Request<'_>) -> Result<()> {
    if let Some(Err(err)) = request.selector.map(scraper::Selector::parse) {
        return Err(Failure::usage(anyhow::anyhow!(
            "invalid CSS selector {:?}: {err}",
            request.selector.unwrap_or_default()
        )));
    }
    // Figures to assign mentions to: from the config, when there is one.
    let config = match Config::load(request.config_path) {
        Ok(config) => Some(config),
        Err(err) if request.explicit_config || request.watch.is_some() => {
            return Err(Failure::usage(err));
        }
        Err(_) => None,
    };
    let watches: Vec<&crate::config::Watch> = match (&config, request.watch) {
        (Some(config), Some(name)) => match config.watches.iter().find(|w| w.name == name) {
            Some(watch) => vec![watch],
            None => {
                return Err(Failure::usage(anyhow::anyhow!(
                    "no watch named {name:?} in {}",
                    config.path.display()
                )));
            }
        },
        (Some(config), None) => config.watches.iter().collect(),
        (None, _) => Vec::new(),
    };

    let (input, base) = read_input(request.input).await?;
    let page = if request.plain {
        article::Article {
            text: input,
            ..article::Article::default()
        }
    } else {
        article::extract(&input, &base, request.selector)
    };
    let mentions = figures::mentions(&page.text);
    let assignments: Vec<(&str, &[crate::config::Figure], Vec<figures::Assignment>)> = watches
        .iter()
        .map(|watch| {
            (
                watch.name.as_str(),
                watch.figures.as_slice(),
                figures::assign(&mentions, &watch.figures),
            )
        })
        .collect();

    if request.json {
        let items: Vec<serde_json::Value> = mentions
            .iter()
            .enumerate()
            .map(|(idx, mention)| {
                let mut value = serde_json::to_value(mention).unwrap_or_default();
                value["assignments"] = assignments
                    .iter()
                    .map(|(watch, figures, assigned)| {
                        let assignment = &assigned[idx];
                        json!({
                            "watch": watch,
                            "figure": assignment.figure.and_then(|f| figures.get(f)).map(|f| f.name.as_str()),
                            "reason": assignment.reason,
                        })
                    })
                    .collect();
                value
            })
            .collect();
        let output = json!({
            "title": page.title,
            "text": page.text,
            "canonical_url": page.canonical_url.as_ref().map(Url::as_str),
            "published_at": page.published.map(|t| t.to_rfc3339()),
            "site_name": page.site_name,
            "language": page.language,
            "mentions": items,
        });
        println!("{output}");
        return Ok(());
    }

    println!("title: {}", page.title.as_deref().unwrap_or("-"));
    if let Some(published) = page.published {
        println!("published: {}", published.to_rfc3339());
    }
    if let Some(canonical) = &page.canonical_url {
        println!("canonical: {canonical}");
    }
    println!("\n{}\n", page.text.trim());
    println!("{} mention(s):", mentions.len());
    for (idx, mention) in mentions.iter().enumerate() {
        println!(
            "  {:>3}. {:?}  value {} ({}, {:?}) noun {:?}",
            idx + 1,
            mention.text,
            crate::alert::format_number(mention.value),
            mention.qualifier.as_str(),
            mention.kind,
            mention.noun
        );
        for (watch, figures, assigned) in &assignments {
            let assignment = &assigned[idx];
            match assignment.figure.and_then(|f| figures.get(f)) {
                Some(figure) => println!("       → {watch}.{}: {}", figure.name, assignment.reason),
                None => println!("       ✗ {watch}: {}", assignment.reason),
            }
        }
    }
    Ok(())
}
