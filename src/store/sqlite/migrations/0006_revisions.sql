-- figwatch schema, version 6: revisions. An article whose entry or page
-- changes in place is read again; each reading is an observation of the same
-- article, numbered by its revision (0 the first reading), dated by the
-- revision. An entry keeps the fingerprint of what the feed said of it
-- (updated date, title, summary), so a change is noticed; its seen_at is
-- when its article was last fetched, which bounds re-fetching (`revisit`).
-- SQLite cannot alter a key: observations is rebuilt, keeping every row and
-- every id (alerts and figure states refer to observations by id). The
-- store runs migrations with foreign keys off and checks them before
-- committing.

ALTER TABLE entries ADD COLUMN hash TEXT;
ALTER TABLE articles ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN revised_at TEXT;

CREATE TABLE observations_v6 (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    watch       TEXT NOT NULL,
    figure      TEXT NOT NULL,
    claimant    TEXT NOT NULL DEFAULT '',
    -- The article's revision this observation read (0: as first stored).
    revision    INTEGER NOT NULL DEFAULT 0,
    value       REAL NOT NULL,
    low         REAL,
    high        REAL,
    qualifier   TEXT NOT NULL,
    kind        TEXT NOT NULL DEFAULT 'count',
    unit        TEXT,
    claimed_by  TEXT,
    previous    REAL,
    event       TEXT,
    owner       TEXT,
    text        TEXT NOT NULL,
    quote       TEXT NOT NULL,
    decision    TEXT NOT NULL,
    observed_at TEXT NOT NULL,
    UNIQUE (article_id, watch, figure, claimant, revision)
);
INSERT INTO observations_v6 (id, article_id, watch, figure, claimant, revision, value, low, high,
        qualifier, kind, unit, claimed_by, previous, event, owner, text, quote, decision,
        observed_at)
    SELECT id, article_id, watch, figure, claimant, 0, value, low, high, qualifier, kind, unit,
        claimed_by, previous, event, owner, text, quote, decision, observed_at
    FROM observations;
DROP TABLE observations;
ALTER TABLE observations_v6 RENAME TO observations;
CREATE INDEX observations_figure ON observations(watch, figure, claimant);
