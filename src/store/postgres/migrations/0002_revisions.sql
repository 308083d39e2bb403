-- figwatch schema, version 2 (SQLite's version 6): revisions. An article
-- whose entry or page changes in place is read again; each reading is an
-- observation of the same article, numbered by its revision (0 the first
-- reading), dated by the revision. An entry keeps the fingerprint of what
-- the feed said of it (updated date, title, summary), so a change is
-- noticed; its seen_at is when its article was last fetched, which bounds
-- re-fetching (`revisit`).

ALTER TABLE entries ADD COLUMN hash TEXT;
ALTER TABLE articles ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN revised_at TIMESTAMPTZ;
ALTER TABLE observations ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE observations DROP CONSTRAINT observations_article_id_watch_figure_claimant_key;
ALTER TABLE observations ADD CONSTRAINT observations_revision_key
    UNIQUE (article_id, watch, figure, claimant, revision);
