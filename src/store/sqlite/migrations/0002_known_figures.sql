-- figwatch schema, version 2: the (watch, figure) pairs the store knows, so a
-- watch or figure added to an existing config starts with a silent baseline;
-- and which digest delivered a delivery, when a sink's rate limit batched it.

ALTER TABLE deliveries ADD COLUMN digest_id TEXT;

CREATE TABLE known_figures (
    watch          TEXT NOT NULL,
    figure         TEXT NOT NULL,
    -- When a config naming the pair was first loaded. A feed whose last
    -- successful poll started before this is polled for the pair's baseline.
    first_seen_at  TEXT NOT NULL,
    -- 1 when daemon.baseline was on at that time.
    baseline       INTEGER NOT NULL,
    PRIMARY KEY (watch, figure)
);

-- Pairs observed before this version existed are old news: never a baseline.
INSERT INTO known_figures (watch, figure, first_seen_at, baseline)
    SELECT DISTINCT watch, figure, '', 0 FROM observations;
