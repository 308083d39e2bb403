//! Reads in PostgreSQL behind `figwatch figures`, `history`, `articles`
//! and `alerts`; article search through the `tsvector` column; the
//! instances' heartbeat rows.

use chrono::{DateTime, Utc};

use super::super::Queries;
use super::super::queries::substring_pattern;
use super::super::{
    AlertSummary, ArticleSummary, DeliveryState, Error, FigureSummary, HistoryRow, Instance,
};
use super::outbox::{N_OBSERVATION_COLUMNS, OBSERVATION_COLUMNS, load_alert, observation_from};
use super::{Postgres, count};

impl Queries for Postgres {
    fn figures(&self, watch: Option<&str>) -> Result<Vec<FigureSummary>, Error> {
        let mut conn = self.conn()?;
        let sql = format!(
            "SELECT s.watch, s.figure, s.claimant, s.updated_at, {OBSERVATION_COLUMNS}, \
             (SELECT p.value FROM observations p WHERE p.watch = s.watch AND p.figure = s.figure \
              AND p.claimant = s.claimant AND p.value <> o.value \
              AND p.decision NOT IN ('older', 'other_unit') AND p.id < o.id ORDER BY p.id DESC LIMIT 1) \
             FROM figure_state s JOIN observations o ON o.id = s.observation_id \
             JOIN articles a ON a.id = o.article_id \
             WHERE $1::text IS NULL OR s.watch = $1 ORDER BY s.watch, s.figure, s.claimant"
        );
        let rows = conn.query(&sql, &[&watch]).map_err(self.err())?;
        Ok(rows
            .iter()
            .map(|row| FigureSummary {
                watch: row.get(0),
                figure: row.get(1),
                claimant: row.get(2),
                updated_at: row.get(3),
                current: observation_from(row, 4),
                previous_value: row.get(4 + N_OBSERVATION_COLUMNS),
            })
            .collect())
    }

    fn history(&self, watch: &str, figure: &str) -> Result<Vec<HistoryRow>, Error> {
        let mut conn = self.conn()?;
        let sql = format!(
            "SELECT o.decision, o.observed_at, o.claimant, o.revision, {OBSERVATION_COLUMNS} \
             FROM observations o JOIN articles a ON a.id = o.article_id \
             WHERE o.watch = $1 AND o.figure = $2 ORDER BY o.observed_at, o.id"
        );
        let rows = conn.query(&sql, &[&watch, &figure]).map_err(self.err())?;
        Ok(rows
            .iter()
            .map(|row| HistoryRow {
                decision: row.get(0),
                observed_at: row.get(1),
                claimant: row.get(2),
                revision: i64::from(row.get::<_, i32>(3)),
                observation: observation_from(row, 4),
            })
            .collect())
    }

    fn articles(
        &self,
        watch: Option<&str>,
        search: Option<&str>,
        limit: usize,
    ) -> Result<Vec<ArticleSummary>, Error> {
        let mut conn = self.conn()?;
        let full_text = search.and_then(tsquery);
        let (condition, parameter) = match (search, full_text) {
            (None, _) => ("$2::text IS NULL", None),
            (Some(_), Some(query)) => ("a.search @@ to_tsquery('simple', $2)", Some(query)),
            (Some(text), None) => (
                "(a.title ILIKE $2 ESCAPE '\\' OR a.text ILIKE $2 ESCAPE '\\')",
                Some(substring_pattern(text)),
            ),
        };
        let sql = format!(
            "SELECT a.url, a.title, a.source, a.published_at, \
             (SELECT string_agg(m.watch, ',' ORDER BY m.watch) FROM matches m WHERE m.article_id = a.id) \
             FROM articles a \
             WHERE ($1::text IS NULL OR EXISTS (SELECT 1 FROM matches m WHERE m.article_id = a.id AND m.watch = $1)) \
             AND {condition} \
             ORDER BY a.sort_at DESC, a.id DESC LIMIT $3"
        );
        let rows = conn
            .query(&sql, &[&watch, &parameter, &(limit as i64)])
            .map_err(self.err())?;
        Ok(rows
            .iter()
            .map(|row| {
                let watches: Option<String> = row.get(4);
                ArticleSummary {
                    url: row.get(0),
                    title: row.get(1),
                    source: row.get(2),
                    published_at: row.get(3),
                    watches: watches
                        .map(|text| text.split(',').map(str::to_string).collect())
                        .unwrap_or_default(),
                }
            })
            .collect())
    }

    fn alerts(&self, limit: usize, failed_only: bool) -> Result<Vec<AlertSummary>, Error> {
        let mut conn = self.conn()?;
        let ids: Vec<String> = conn
            .query(
                "SELECT id FROM alerts a WHERE NOT $1 OR EXISTS (SELECT 1 FROM deliveries d \
                 WHERE d.alert_id = a.id AND (d.state = 'dead' OR d.last_error IS NOT NULL)) \
                 ORDER BY created_at DESC, id DESC LIMIT $2",
                &[&failed_only, &(limit as i64)],
            )
            .map_err(self.err())?
            .iter()
            .map(|row| row.get(0))
            .collect();
        let mut summaries = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(alert) = load_alert(&mut *conn, &id).map_err(self.err())? else {
                continue;
            };
            let deliveries = conn
                .query(
                    "SELECT sink, state, attempts, last_error FROM deliveries WHERE alert_id = $1 \
                     ORDER BY sink",
                    &[&id],
                )
                .map_err(self.err())?
                .iter()
                .map(|row| DeliveryState {
                    sink: row.get(0),
                    state: row.get(1),
                    attempts: count(row.get(2)),
                    last_error: row.get(3),
                })
                .collect();
            summaries.push(AlertSummary { alert, deliveries });
        }
        Ok(summaries)
    }

    fn heartbeat(&self, instance: &Instance) -> Result<(), Error> {
        let mut conn = self.conn()?;
        conn.execute(
            "INSERT INTO instances (id, hostname, pid, started_at, heartbeat_at) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at",
            &[
                &instance.id,
                &instance.hostname,
                &i64::from(instance.pid),
                &instance.started_at,
                &instance.heartbeat_at,
            ],
        )
        .map_err(self.err())?;
        Ok(())
    }

    fn live_instances(&self, since: DateTime<Utc>) -> Result<Vec<Instance>, Error> {
        let mut conn = self.conn()?;
        let rows = conn
            .query(
                "SELECT id, hostname, pid, started_at, heartbeat_at FROM instances \
                 WHERE heartbeat_at >= $1 ORDER BY started_at, id",
                &[&since],
            )
            .map_err(self.err())?;
        Ok(rows
            .iter()
            .map(|row| {
                let pid: i64 = row.get(2);
                Instance {
                    id: row.get(0),
                    hostname: row.get(1),
                    pid: u32::try_from(pid).unwrap_or(0),
                    started_at: row.get(3),
                    heartbeat_at: row.get(4),
                }
            })
            .collect())
    }

    fn leased_feeds(&self, instance: &str, now: DateTime<Utc>) -> Result<usize, Error> {
        let mut conn = self.conn()?;
        let n: i64 = conn
            .query_one(
                "SELECT count(*) FROM feeds WHERE lease_owner = $1 AND lease_until > $2",
                &[&instance, &now],
            )
            .map_err(self.err())?
            .get(0);
        Ok(usize::try_from(n).unwrap_or(0))
    }

    fn holders(&self) -> Result<Vec<String>, Error> {
        let mut conn = self.conn()?;
        let rows = conn
            .query(
                "SELECT lease_owner FROM feeds WHERE lease_owner IS NOT NULL \
                 UNION SELECT claimed_by FROM deliveries WHERE claimed_by IS NOT NULL",
                &[],
            )
            .map_err(self.err())?;
        Ok(rows.iter().map(|row| row.get(0)).collect())
    }

    fn release_all(&self, instance: &str) -> Result<usize, Error> {
        let mut conn = self.conn()?;
        let mut tx = conn.transaction().map_err(self.err())?;
        let n_feeds = tx
            .execute(
                "UPDATE feeds SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1",
                &[&instance],
            )
            .map_err(self.err())?;
        let n_deliveries = tx
            .execute(
                "UPDATE deliveries SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = $1",
                &[&instance],
            )
            .map_err(self.err())?;
        tx.commit().map_err(self.err())?;
        Ok(usize::try_from(n_feeds + n_deliveries).unwrap_or(0))
    }
}

/// The search syntax SQLite's FTS5 reads (words, `"phrases"`, `AND`, `OR`,
/// `NOT`, `prefix*`, parentheses) as a `to_tsquery` expression, so both
/// backends answer one query alike; `None` for text that is not that
/// syntax, which is then matched as a substring.
pub(super) fn tsquery(search: &str) -> Option<String> {
    let spaced = search.replace('(', " ( ").replace(')', " ) ");
    let mut tokens = Vec::new();
    let mut rest = spaced.as_str();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        if let Some(after) = rest.strip_prefix('"') {
            let end = after.find('"')?;
            tokens.push(Token::Phrase(&after[..end]));
            rest = &after[end + 1..];
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            tokens.push(match &rest[..end] {
                "AND" => Token::And,
                "OR" => Token::Or,
                "NOT" => Token::Not,
                "(" => Token::Open,
                ")" => Token::Close,
                word => Token::Word(word),
            });
            rest = &rest[end..];
        }
    }
    let mut out = String::new();
    // Whether the last thing written can be followed by an operand
    // directly (then an implicit AND goes between).
    let mut after_operand = false;
    for token in tokens {
        match token {
            Token::Word(word) => {
                let (stem, prefix) = match word.strip_suffix('*') {
                    Some(stem) => (stem, true),
                    None => (word, false),
                };
                if stem.is_empty() || !stem.chars().all(char::is_alphanumeric) {
                    return None;
                }
                if after_operand {
                    out.push_str(" & ");
                }
                out.push_str(&stem.to_lowercase());
                if prefix {
                    out.push_str(":*");
                }
                after_operand = true;
            }
            Token::Phrase(phrase) => {
                let words: Vec<String> = phrase
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|word| !word.is_empty())
                    .map(str::to_lowercase)
                    .collect();
                if words.is_empty() {
                    return None;
                }
                if after_operand {
                    out.push_str(" & ");
                }
                out.push_str(&format!("({})", words.join(" <-> ")));
                after_operand = true;
            }
            Token::And | Token::Or | Token::Not if !after_operand => return None,
            Token::And => {
                out.push_str(" & ");
                after_operand = false;
            }
            Token::Or => {
                out.push_str(" | ");
                after_operand = false;
            }
            Token::Not => {
                out.push_str(" & !");
                after_operand = false;
            }
            Token::Open => {
                if after_operand {
                    out.push_str(" & ");
                }
                out.push('(');
                after_operand = false;
            }
            Token::Close => {
                out.push(')');
                after_operand = true;
            }
        }
    }
    (!out.is_empty() && after_operand).then_some(out)
}

/// One token of the search syntax.
enum Token<'a> {
    Word(&'a str),
    Phrase(&'a str),
    And,
    Or,
    Not,
    Open,
    Close,
}

#[cfg(test)]
mod tests {
    use super::tsquery;

    #[track_caller]
    fn check(search: &str, expected: Option<&str>) {
        assert_eq!(tsquery(search).as_deref(), expected, "{search:?}");
    }

    #[test]
    fn fts5_syntax_becomes_a_tsquery_and_anything_else_a_substring() {
        check("TROOPS officials", Some("troops & officials"));
        check("\"report on b\"", Some("(report <-> on <-> b)"));
        check("troops NOT 11000", Some("troops & !11000"));
        check("offic*", Some("offic:*"));
        check("a OR (b c)", Some("a | (b & c)"));
        check("Москва войска", Some("москва & войска"));
        // Not FTS5 syntax: matched as a substring instead.
        check("unted 11000 troops.", None);
        check("C++", None);
        check("\"unbalanced", None);
        check("NOT alone", None);
        check("dangling OR", None);
        check("", None);
    }
}
