/**
 * Numbered schema migrations, applied in order and tracked by `PRAGMA user_version`.
 * Never edit one that has been released: add the next number instead.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: the run index and the event log.
  `
  CREATE TABLE runs (
    run_id          TEXT PRIMARY KEY,
    episode_key     TEXT NOT NULL,
    scenario        TEXT NOT NULL,
    family          TEXT NOT NULL,
    model           TEXT NOT NULL,
    peer_model      TEXT,
    factors         TEXT NOT NULL,
    seed            INTEGER NOT NULL,
    trial           INTEGER NOT NULL,
    status          TEXT NOT NULL,
    reason          TEXT,
    choice          TEXT,
    event_count     INTEGER NOT NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    ended_at        TEXT
  );
  CREATE INDEX runs_episode_key ON runs (episode_key);
  CREATE TABLE events (
    run_id          TEXT NOT NULL REFERENCES runs (run_id),
    seq             INTEGER NOT NULL,
    type            TEXT NOT NULL,
    actor           TEXT NOT NULL,
    sim_time        TEXT NOT NULL,
    schema_version  INTEGER NOT NULL,
    payload         TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
  ) WITHOUT ROWID;
  CREATE INDEX events_run_type ON events (run_id, type);
  `,
];
