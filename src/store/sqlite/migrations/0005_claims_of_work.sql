-- figwatch schema, version 5: several instances on one database. A feed is
-- leased before it is polled and a delivery claimed before it is sent; both
-- expire, so the work of an instance that died passes to the others. Each
-- instance keeps a heartbeat row. A feed alert keeps its facts (which feed,
-- how many failures since when, the last error) rather than a sentence; the
-- sentence is made when the alert is sent.

ALTER TABLE feeds ADD COLUMN lease_owner TEXT;
ALTER TABLE feeds ADD COLUMN lease_until TEXT;

ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;
ALTER TABLE deliveries ADD COLUMN claimed_until TEXT;

ALTER TABLE alerts ADD COLUMN feed_url TEXT;
ALTER TABLE alerts ADD COLUMN feed_failures INTEGER;
ALTER TABLE alerts ADD COLUMN feed_failing_since TEXT;
ALTER TABLE alerts ADD COLUMN feed_error TEXT;

-- One article_matched alert per (watch, article), as figure alerts are one
-- per observation.
CREATE UNIQUE INDEX alerts_article_matched ON alerts(watch, article_id)
    WHERE kind = 'article_matched';

CREATE TABLE instances (
    id            TEXT PRIMARY KEY,
    hostname      TEXT NOT NULL,
    pid           INTEGER NOT NULL,
    started_at    TEXT NOT NULL,
    heartbeat_at  TEXT NOT NULL
);
