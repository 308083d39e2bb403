//! `[watch.NAME]` and its `[watch.NAME.figure.FIGURE]` tables → [`Watch`]
//! and [`Figure`]: the query, the figures' terms, kinds, units and change
//! thresholds.

use toml::Spanned;

use super::super::raw::*;
use super::super::*;
use super::{Validator, valid_name};
use crate::watch;

impl Validator<'_> {
    pub(super) fn watch(
        &mut self,
        name: String,
        raw: Spanned<RawWatch>,
        sink_names: &[&str],
    ) -> Option<Watch> {
        let span = raw.span();
        let raw = raw.into_inner();
        if !valid_name(&name) {
            self.problem(
                span.start,
                format!("watch name {name:?} may only hold letters, digits, '-' and '_'"),
            );
        }
        let query = match watch::Query::parse(raw.query.get_ref()) {
            Ok(query) => Some(query),
            Err(err) => {
                // +1 skips the opening quote of the TOML string.
                self.problem(
                    raw.query.span().start + 1 + err.offset,
                    format!("watch {name}: invalid query: {}", err.message),
                );
                None
            }
        };
        let notify = raw.notify.map(|names| {
            names
                .into_iter()
                .filter_map(|sink| {
                    if sink_names.contains(&sink.get_ref().as_str()) {
                        Some(sink.into_inner())
                    } else {
                        let known = if sink_names.is_empty() {
                            "no sinks are defined".to_string()
                        } else {
                            format!("defined sinks: {}", sink_names.join(", "))
                        };
                        self.problem(
                            sink.span().start,
                            format!(
                                "watch {name}: notify names unknown sink {:?} ({known})",
                                sink.get_ref()
                            ),
                        );
                        None
                    }
                })
                .collect()
        });
        let figures = raw
            .figure
            .into_iter()
            .map(|(figure_name, figure)| self.figure(&name, figure_name, figure))
            .collect();
        Some(Watch {
            query_text: raw.query.into_inner(),
            query: query?,
            name,
            notify,
            new_articles: raw.new_articles,
            figures,
        })
    }

    fn figure(&mut self, watch: &str, name: String, raw: Spanned<RawFigure>) -> Figure {
        let span = raw.span();
        let raw = raw.into_inner();
        if !valid_name(&name) {
            self.problem(
                span.start,
                format!("figure name {name:?} may only hold letters, digits, '-' and '_'"),
            );
        }
        let terms_span = raw.terms.span();
        let terms = self.word_list(watch, &name, "terms", raw.terms.into_inner(), "\"troops\"");
        if terms.is_empty() {
            self.problem(
                terms_span.start,
                format!(
                    "watch {watch}, figure {name}: terms must hold at least one word or phrase"
                ),
            );
        }
        let alert_on = match raw.alert_on {
            None => AlertOn::Change,
            Some(value) => match value.get_ref().as_str() {
                "change" => AlertOn::Change,
                "increase" => AlertOn::Increase,
                "decrease" => AlertOn::Decrease,
                other => {
                    self.problem(
                        value.span().start,
                        format!(
                            "watch {watch}, figure {name}: unknown alert_on {other:?}; expected \"change\", \"increase\" or \"decrease\""
                        ),
                    );
                    AlertOn::Change
                }
            },
        };
        let min_change = raw.min_change.and_then(|value| {
            let parsed = match value.get_ref() {
                RawNumberOrText::Integer(n) => Some(MinChange::Absolute(*n as f64)),
                RawNumberOrText::Float(n) => Some(MinChange::Absolute(*n)),
                RawNumberOrText::Text(text) => parse_min_change(text),
            };
            match parsed {
                Some(MinChange::Absolute(n) | MinChange::Relative(n)) if n.is_finite() && n >= 0.0 => parsed,
                _ => {
                    self.problem(
                        value.span().start,
                        format!(
                            "watch {watch}, figure {name}: invalid min_change; expected \"5%\" (relative) or \"500\" (absolute)"
                        ),
                    );
                    None
                }
            }
        });
        let of = raw.of.map_or_else(Vec::new, |of| {
            self.word_list(watch, &name, "of", of, "\"North Korea\"")
        });
        let exclude = raw.exclude.map_or_else(Vec::new, |exclude| {
            self.word_list(watch, &name, "exclude", exclude, "\"civilians\"")
        });
        let kind = self.figure_kind(watch, &name, raw.kind, &terms, terms_span.start);
        let unit = raw
            .unit
            .and_then(|unit| self.figure_unit(watch, &name, kind, unit));
        Figure {
            name,
            terms,
            alert_on,
            min_change,
            of,
            exclude,
            kind,
            unit,
            by_source: raw.by_source.unwrap_or(false),
        }
    }

    /// A figure's list of words (`terms`, `of`, `exclude`), trimmed; an
    /// empty item is a problem at its place.
    fn word_list(
        &mut self,
        watch: &str,
        figure: &str,
        key: &str,
        items: Vec<Spanned<String>>,
        example: &str,
    ) -> Vec<String> {
        let mut words = Vec::with_capacity(items.len());
        for item in items {
            let word = item.get_ref().trim();
            if word.is_empty() {
                self.problem(
                    item.span().start,
                    format!(
                        "watch {watch}, figure {figure}: {key} holds an empty string; expected a word or phrase like {example}"
                    ),
                );
            } else {
                words.push(word.to_string());
            }
        }
        words
    }

    /// `kind`, or without it the kind the old marker terms imply ("$" →
    /// money, "percent" → percent; both at once is a problem).
    fn figure_kind(
        &mut self,
        watch: &str,
        figure: &str,
        kind: Option<Spanned<String>>,
        terms: &[String],
        terms_offset: usize,
    ) -> FigureKind {
        if let Some(kind) = kind {
            return match FigureKind::from_name(kind.get_ref().trim()) {
                Some(kind) => kind,
                None => {
                    self.problem(
                        kind.span().start,
                        format!(
                            "watch {watch}, figure {figure}: unknown kind {:?}; expected \"count\", \"money\", \"percent\" or \"measure\", e.g. kind = \"money\"",
                            kind.get_ref()
                        ),
                    );
                    FigureKind::Count
                }
            };
        }
        let money = terms
            .iter()
            .find(|term| kind_marker(term) == Some(FigureKind::Money));
        let percent = terms
            .iter()
            .find(|term| kind_marker(term) == Some(FigureKind::Percent));
        if let (Some(money), Some(percent)) = (money, percent) {
            self.problem(
                terms_offset,
                format!(
                    "watch {watch}, figure {figure}: terms mark both money ({money:?}) and a percentage ({percent:?}); set kind = \"money\" or kind = \"percent\" and drop the other term"
                ),
            );
        }
        FigureKind::inferred_from(terms)
    }

    /// `unit`: a currency code for money (any case, stored upper case),
    /// "%" for a percentage, any unit for a measure, nothing for a count.
    fn figure_unit(
        &mut self,
        watch: &str,
        figure: &str,
        kind: FigureKind,
        unit: Spanned<String>,
    ) -> Option<String> {
        let offset = unit.span().start;
        let text = unit.get_ref().trim();
        let problem = match kind {
            FigureKind::Money => {
                let code = text.to_ascii_uppercase();
                if is_currency_code(&code) {
                    return Some(code);
                }
                format!(
                    "unit {text:?} is not an ISO 4217 currency code; expected three letters like unit = \"USD\", \"EUR\" or \"KRW\""
                )
            }
            FigureKind::Percent if text == "%" => return Some(text.to_string()),
            FigureKind::Percent => {
                format!(
                    "unit {text:?} does not fit a percent figure; expected unit = \"%\" or no unit"
                )
            }
            FigureKind::Measure if !text.is_empty() => return Some(text.to_string()),
            FigureKind::Measure => {
                "unit is empty; expected a unit of measure like unit = \"km\"".to_string()
            }
            FigureKind::Count => format!(
                "unit {text:?} needs a kind that has units; expected e.g. kind = \"money\" with unit = \"USD\", or kind = \"measure\" with unit = \"km\""
            ),
        };
        self.problem(offset, format!("watch {watch}, figure {figure}: {problem}"));
        None
    }
}

/// "5%" → relative 0.05; "500" or "1,000" → absolute.
pub(in crate::config) fn parse_min_change(text: &str) -> Option<MinChange> {
    let text = text.trim();
    if let Some(percent) = text.strip_suffix('%') {
        let value: f64 = percent.trim().parse().ok()?;
        Some(MinChange::Relative(value / 100.0))
    } else {
        let value: f64 = text.replace(',', "").parse().ok()?;
        Some(MinChange::Absolute(value))
    }
}
