-- figwatch schema, version 4: a figure is a claim. Mentions and observations
-- keep who the text attributes a number to (claimed_by), what happened to
-- the counted things (event), whose they are (owner), the old value of a
-- transition (previous), the unit; mentions also whether they are an
-- increment. A figure with `by_source = true` keeps one state per claimant,
-- so observations and figure_state are keyed by (watch, figure, claimant),
-- claimant '' for every other figure (and for unattributed numbers).
-- SQLite cannot alter a key: both tables are rebuilt, keeping every row and
-- every id (alerts refer to observations by id). The store runs migrations
-- with foreign keys off and checks them before committing.

ALTER TABLE mentions ADD COLUMN unit TEXT;
ALTER TABLE mentions ADD COLUMN event TEXT;
ALTER TABLE mentions ADD COLUMN owner TEXT;
ALTER TABLE mentions ADD COLUMN claimed_by TEXT;
ALTER TABLE mentions ADD COLUMN previous REAL;
ALTER TABLE mentions ADD COLUMN increment INTEGER NOT NULL DEFAULT 0;

CREATE TABLE observations_v4 (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    watch       TEXT NOT NULL,
    figure      TEXT NOT NULL,
    -- The state this observation is compared with: claimed_by for a
    -- by_source figure, else ''.
    claimant    TEXT NOT NULL DEFAULT '',
    value       REAL NOT NULL,
    low         REAL,
    high        REAL,
    qualifier   TEXT NOT NULL,
    -- count | money | percent | measure
    kind        TEXT NOT NULL DEFAULT 'count',
    unit        TEXT,
    claimed_by  TEXT,
    previous    REAL,
    event       TEXT,
    owner       TEXT,
    text        TEXT NOT NULL,
    quote       TEXT NOT NULL,
    -- first_seen | changed | filtered | unchanged | older | baseline | other_unit
    decision    TEXT NOT NULL,
    observed_at TEXT NOT NULL,
    UNIQUE (article_id, watch, figure, claimant)
);
INSERT INTO observations_v4 (id, article_id, watch, figure, claimant, value, low, high,
        qualifier, kind, text, quote, decision, observed_at)
    SELECT o.id, o.article_id, o.watch, o.figure, '', o.value, o.low, o.high, o.qualifier,
        -- The kind of the mention the observation was taken from.
        coalesce((SELECT m.kind FROM mentions m
                  WHERE m.article_id = o.article_id AND m.text = o.text LIMIT 1), 'count'),
        o.text, o.quote, o.decision, o.observed_at
    FROM observations o;
DROP TABLE observations;
ALTER TABLE observations_v4 RENAME TO observations;
CREATE INDEX observations_figure ON observations(watch, figure, claimant);

CREATE TABLE figure_state_v4 (
    watch           TEXT NOT NULL,
    figure          TEXT NOT NULL,
    claimant        TEXT NOT NULL DEFAULT '',
    observation_id  INTEGER NOT NULL REFERENCES observations(id),
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (watch, figure, claimant)
);
INSERT INTO figure_state_v4 (watch, figure, claimant, observation_id, updated_at)
    SELECT watch, figure, '', observation_id, updated_at FROM figure_state;
DROP TABLE figure_state;
ALTER TABLE figure_state_v4 RENAME TO figure_state;

-- The claimant of a by_source figure's alert (NULL for other figures).
ALTER TABLE alerts ADD COLUMN claimant TEXT;
-- One alert per observation: alert rows stay unique per (watch, figure,
-- article, claimant), as observations are.
CREATE UNIQUE INDEX alerts_current_observation ON alerts(current_observation_id)
    WHERE current_observation_id IS NOT NULL;
