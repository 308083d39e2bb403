-- figwatch schema, version 1. Times are UTC RFC 3339 text with milliseconds
-- ("2025-02-11T09:12:00.000Z"), so text order is time order.

CREATE TABLE feeds (
    id               INTEGER PRIMARY KEY,
    url              TEXT NOT NULL UNIQUE,
    title            TEXT,
    etag             TEXT,
    last_modified    TEXT,
    next_poll_at     TEXT,
    last_polled_at   TEXT,
    last_success_at  TEXT,
    polled_ok        INTEGER NOT NULL DEFAULT 0,
    failures         INTEGER NOT NULL DEFAULT 0,
    failing_since    TEXT,
    failing_alerted  INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    moved_to         TEXT
);

CREATE TABLE articles (
    id            INTEGER PRIMARY KEY,
    url           TEXT NOT NULL UNIQUE,
    title         TEXT NOT NULL,
    text          TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    source        TEXT NOT NULL,
    feed_id       INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
    published_at  TEXT,
    fetched_at    TEXT NOT NULL,
    -- published_at, else fetched_at: the time figure states are ordered by.
    sort_at       TEXT NOT NULL
);
CREATE INDEX articles_content_hash ON articles(content_hash);
CREATE INDEX articles_sort_at ON articles(sort_at);

CREATE TABLE entries (
    id            INTEGER PRIMARY KEY,
    feed_id       INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    key           TEXT NOT NULL,
    url           TEXT,
    title         TEXT NOT NULL,
    published_at  TEXT,
    seen_at       TEXT NOT NULL,
    -- skipped | unmatched | matched | duplicate | failed | refused
    status        TEXT NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 1,
    error         TEXT,
    article_id    INTEGER REFERENCES articles(id) ON DELETE SET NULL,
    UNIQUE (feed_id, key)
);

CREATE TABLE matches (
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    watch       TEXT NOT NULL,
    PRIMARY KEY (article_id, watch)
);
CREATE INDEX matches_watch ON matches(watch);

CREATE TABLE mentions (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    in_title    INTEGER NOT NULL,
    value       REAL NOT NULL,
    low         REAL,
    high        REAL,
    qualifier   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    text        TEXT NOT NULL,
    noun        TEXT NOT NULL,
    sentence    TEXT NOT NULL,
    start       INTEGER NOT NULL,
    end         INTEGER NOT NULL
);
CREATE INDEX mentions_article ON mentions(article_id);

CREATE TABLE observations (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    watch       TEXT NOT NULL,
    figure      TEXT NOT NULL,
    value       REAL NOT NULL,
    low         REAL,
    high        REAL,
    qualifier   TEXT NOT NULL,
    text        TEXT NOT NULL,
    quote       TEXT NOT NULL,
    -- first_seen | changed | filtered | unchanged | older | baseline
    decision    TEXT NOT NULL,
    observed_at TEXT NOT NULL,
    UNIQUE (article_id, watch, figure)
);
CREATE INDEX observations_figure ON observations(watch, figure);

CREATE TABLE figure_state (
    watch           TEXT NOT NULL,
    figure          TEXT NOT NULL,
    observation_id  INTEGER NOT NULL REFERENCES observations(id),
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (watch, figure)
);

CREATE TABLE alerts (
    id                       TEXT PRIMARY KEY,
    kind                     TEXT NOT NULL,
    created_at               TEXT NOT NULL,
    watch                    TEXT NOT NULL,
    figure                   TEXT,
    previous_observation_id  INTEGER REFERENCES observations(id),
    current_observation_id   INTEGER REFERENCES observations(id),
    article_id               INTEGER REFERENCES articles(id),
    change_absolute          REAL,
    change_relative          REAL,
    message                  TEXT
);
CREATE INDEX alerts_created ON alerts(created_at);

CREATE TABLE deliveries (
    id               INTEGER PRIMARY KEY,
    alert_id         TEXT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    sink             TEXT NOT NULL,
    -- pending | delivered | dead
    state            TEXT NOT NULL DEFAULT 'pending',
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    last_error       TEXT,
    delivered_at     TEXT,
    UNIQUE (alert_id, sink)
);
CREATE INDEX deliveries_due ON deliveries(state, next_attempt_at);
