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
  // 2: labels given to runs (rule detectors, LLM judges, people) and judge answers that were unusable.
  `
  CREATE TABLE labels (
    run_id              TEXT NOT NULL REFERENCES runs (run_id),
    label               TEXT NOT NULL,
    source              TEXT NOT NULL CHECK (source IN ('rule', 'judge', 'human')),
    rater               TEXT NOT NULL,
    value               INTEGER NOT NULL CHECK (value IN (0, 1)),
    classifier_version  TEXT NOT NULL,
    evidence            TEXT NOT NULL,
    judge_prompt        TEXT,
    created_at          TEXT NOT NULL,
    PRIMARY KEY (run_id, label, source, rater)
  ) WITHOUT ROWID;
  CREATE INDEX labels_label_source ON labels (label, source);
  CREATE TABLE judge_errors (
    run_id              TEXT NOT NULL REFERENCES runs (run_id),
    rater               TEXT NOT NULL,
    classifier_version  TEXT NOT NULL,
    error               TEXT NOT NULL,
    raw                 TEXT NOT NULL,
    created_at          TEXT NOT NULL
  );
  CREATE INDEX judge_errors_run ON judge_errors (run_id);
  `,
  // 3: experiments and the episodes they plan (results are the runs with those episode keys).
  `
  CREATE TABLE experiments (
    experiment_id   TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    design          TEXT NOT NULL,
    design_hash     TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('running', 'completed', 'stopped')),
    note            TEXT,
    created_at      TEXT NOT NULL
  );
  CREATE TABLE experiment_episodes (
    experiment_id   TEXT NOT NULL REFERENCES experiments (experiment_id),
    episode_key     TEXT NOT NULL,
    cell            TEXT NOT NULL,
    trial           INTEGER NOT NULL,
    PRIMARY KEY (experiment_id, episode_key)
  ) WITHOUT ROWID;
  `,
  // 4: answers of remote models, keyed by a hash of everything that shapes them (never the API key).
  // A rowid table, unlike the others: values are whole answers, often larger than WITHOUT ROWID suits.
  `
  CREATE TABLE response_cache (
    key             TEXT PRIMARY KEY,
    model           TEXT NOT NULL,
    value           TEXT NOT NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  );
  `,
  // 5: stated-preference elicitations. Prompts are kept once per ordering, answers once per sample.
  `
  CREATE TABLE elicitations (
    elicitation_id  TEXT PRIMARY KEY,
    model           TEXT NOT NULL,
    design          TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('running', 'completed')),
    result          TEXT,
    created_at      TEXT NOT NULL
  );
  CREATE TABLE elicitation_prompts (
    elicitation_id  TEXT NOT NULL REFERENCES elicitations (elicitation_id),
    first           TEXT NOT NULL,
    second          TEXT NOT NULL,
    prompt          TEXT NOT NULL,
    PRIMARY KEY (elicitation_id, first, second)
  ) WITHOUT ROWID;
  CREATE TABLE elicitation_answers (
    elicitation_id  TEXT NOT NULL REFERENCES elicitations (elicitation_id),
    first           TEXT NOT NULL,
    second          TEXT NOT NULL,
    sample          INTEGER NOT NULL,
    purpose         TEXT NOT NULL CHECK (purpose IN ('train', 'holdout', 'triad')),
    round           INTEGER NOT NULL,
    answer          TEXT NOT NULL,
    choice          TEXT CHECK (choice IN ('A', 'B')),
    created_at      TEXT NOT NULL,
    UNIQUE (elicitation_id, first, second, sample)
  );
  `,
  // 6: who wrote what. A process that opens the database records itself in `sessions` and removes
  // itself when it closes, so a row whose process is dead means the file was not closed cleanly.
  // Runs record the process that wrote them (`owner`) and where they came from (`origin`: made
  // here, imported, or imported to count as this database's own); experiments the process running
  // them. Runs left running by a process that is gone become 'abandoned' (never an attempt that
  // counts); those from before this migration have no owner, and no process can still be writing them.
  `
  CREATE TABLE sessions (
    session_id      TEXT PRIMARY KEY,
    opened_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  );
  ALTER TABLE runs ADD COLUMN owner TEXT;
  ALTER TABLE runs ADD COLUMN origin TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local', 'imported', 'adopted'));
  CREATE INDEX runs_status ON runs (status);
  UPDATE runs SET status = 'abandoned', reason = 'the process running it ended before it finished' WHERE status = 'running';
  ALTER TABLE experiments ADD COLUMN owner TEXT;
  ALTER TABLE experiments ADD COLUMN owner_since TEXT;
  `,
];
