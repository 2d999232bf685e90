/**
 * Merging databases (shards of one experiment, run by separate processes or machines) into a new
 * one. SQLite copies the rows table by table (`INSERT … SELECT` from each attached input), so
 * nothing is held in memory whatever the size. Everything that would make the result ambiguous is
 * refused before a row is copied from that input: a run id or an episode in two inputs (one episode
 * must have one set of attempts, or its result would depend on the order of the inputs), the same
 * experiment defined two ways, an input that a live process is still writing. The caller writes
 * into a temporary file and renames it only when everything succeeded (see cli/commands/merge.ts).
 */
import { realpathSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ownerIsDead } from './sessions.js';
import { SqliteTraceStore } from './sqlite-store.js';

/** Inputs that cannot be merged: the message says which and why (one line). */
export class MergeConflictError extends Error {
  override name = 'MergeConflictError';
}

/** What a merge copied. */
export interface MergeSummary {
  inputs: number;
  runs: number;
  events: number;
  labels: number;
  /** Experiments in the merged database, each with the inputs it came from. */
  experiments: Array<{ experimentId: string; inputs: number }>;
}

/** Tables copied in this order (runs before what refers to them). */
const TABLES = ['runs', 'events', 'labels', 'judge_errors', 'elicitations', 'elicitation_prompts', 'elicitation_answers'] as const;

function columnsOf(db: Database.Database, table: string): string {
  return (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{ name: string }>).map((c) => `"${c.name}"`).join(', ');
}

/** The input (of those before `upTo`) that holds a row matching `sql` with `value`, for the message. */
function holderOf(inputs: readonly string[], upTo: number, sql: string, value: string): string {
  for (let i = 0; i < upTo; i++) {
    const db = new Database(inputs[i]!, { readonly: true, fileMustExist: true });
    try {
      if (db.prepare(sql).get(value)) return inputs[i]!;
    } finally {
      db.close();
    }
  }
  return 'an earlier input';
}

/**
 * Merges `inputs` into `out`, a new file (it must not exist). Each input is first opened as a store
 * (which upgrades an older schema, checks a file a dead process left and marks that process's runs
 * abandoned), then checked against what was merged so far, then copied. Throws a
 * {@link MergeConflictError} for a conflict; `out` is then incomplete and the caller discards it.
 */
export function mergeDatabases(inputs: readonly string[], out: string): MergeSummary {
  const seen = new Map<string, string>();
  for (const input of inputs) {
    // Opening makes the file current and cleans up after a dead process; a missing or damaged file is refused here.
    new SqliteTraceStore(input, { mustExist: true }).close();
    const real = realpathSync(input);
    if (seen.has(real)) throw new MergeConflictError(`${input} is given twice (as ${seen.get(real)} too)`);
    seen.set(real, input);
  }
  new SqliteTraceStore(out).close();
  const db = new Database(out, { fileMustExist: true });
  // A new file nobody else sees until it is renamed into place: no journal, no syncs while copying.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  const summary: MergeSummary = { inputs: inputs.length, runs: 0, events: 0, labels: 0, experiments: [] };
  const experimentInputs = new Map<string, number>();
  try {
    for (const [index, input] of inputs.entries()) {
      db.prepare('ATTACH DATABASE ? AS src').run(input);
      try {
        checkInput(db, inputs, index);
        copyInput(db, summary, experimentInputs);
      } finally {
        db.exec('DETACH DATABASE src');
      }
    }
    db.pragma('journal_mode = DELETE');
    db.pragma('synchronous = FULL');
    const problems = db.pragma('foreign_key_check') as unknown[];
    if (problems.length > 0) throw new MergeConflictError(`the merged database refers to ${problems.length} missing rows (labels of runs no input has)`);
  } finally {
    db.close();
  }
  summary.experiments = [...experimentInputs].map(([experimentId, n]) => ({ experimentId, inputs: n }));
  return summary;
}

/** Refuses the attached input `src` (inputs[index]) when it conflicts with what `main` holds. */
function checkInput(db: Database.Database, inputs: readonly string[], index: number): void {
  const input = inputs[index]!;
  const running = db.prepare(`SELECT run_id, owner FROM src.runs WHERE status = 'running' AND origin != 'imported'`).all() as Array<{ run_id: string; owner: string | null }>;
  const live = running.find((r) => !ownerIsDead(r.owner));
  if (live) throw new MergeConflictError(`${input}: run ${live.run_id} is still running (process ${live.owner}); merge once its shard is done`);
  const claimed = (db.prepare(`SELECT experiment_id, owner FROM src.experiments WHERE owner IS NOT NULL`).all() as Array<{ experiment_id: string; owner: string }>)
    .find((e) => !ownerIsDead(e.owner));
  if (claimed) throw new MergeConflictError(`${input}: experiment ${claimed.experiment_id} is being run by process ${claimed.owner}; merge once its shard is done`);

  const sameRun = db.prepare(`SELECT s.run_id FROM src.runs s JOIN main.runs m ON m.run_id = s.run_id LIMIT 1`).get() as { run_id: string } | undefined;
  if (sameRun) {
    const other = holderOf(inputs, index, 'SELECT 1 FROM runs WHERE run_id = ?', sameRun.run_id);
    throw new MergeConflictError(`run ${sameRun.run_id} is in both ${other} and ${input}: each run must come from one database (a shard given twice, or shards of different N?)`);
  }
  const sameEpisode = db.prepare(`SELECT s.episode_key, s.run_id FROM src.runs s WHERE EXISTS (SELECT 1 FROM main.runs m WHERE m.episode_key = s.episode_key) LIMIT 1`)
    .get() as { episode_key: string; run_id: string } | undefined;
  if (sameEpisode) {
    const other = holderOf(inputs, index, 'SELECT 1 FROM runs WHERE episode_key = ?', sameEpisode.episode_key);
    throw new MergeConflictError(`episode ${sameEpisode.episode_key} has runs in both ${other} and ${input} (run ${sameEpisode.run_id}): `
      + 'each episode must be run in one database, or its result would depend on the order of the inputs (were two shards given the same i/N, or shards of different N?)');
  }
  const shared = db.prepare(`SELECT s.experiment_id, s.design_hash AS a_hash, s.design AS a_design, m.design_hash AS b_hash, m.design AS b_design
    FROM src.experiments s JOIN main.experiments m ON m.experiment_id = s.experiment_id`).all() as Array<{ experiment_id: string; a_hash: string; a_design: string; b_hash: string; b_design: string }>;
  for (const e of shared) {
    if (e.a_hash !== e.b_hash || e.a_design !== e.b_design) {
      throw new MergeConflictError(`experiment ${e.experiment_id} is defined differently in ${input} than in an earlier input: merge shards of one experiment file only`);
    }
    const differ = db.prepare(`SELECT count(*) AS n FROM (
        SELECT episode_key, cell, trial FROM src.experiment_episodes WHERE experiment_id = @id
        EXCEPT SELECT episode_key, cell, trial FROM main.experiment_episodes WHERE experiment_id = @id)`).get({ id: e.experiment_id }) as { n: number };
    const missing = db.prepare(`SELECT count(*) AS n FROM (
        SELECT episode_key, cell, trial FROM main.experiment_episodes WHERE experiment_id = @id
        EXCEPT SELECT episode_key, cell, trial FROM src.experiment_episodes WHERE experiment_id = @id)`).get({ id: e.experiment_id }) as { n: number };
    if (differ.n > 0 || missing.n > 0) {
      throw new MergeConflictError(`experiment ${e.experiment_id} plans other episodes in ${input} than in an earlier input (${differ.n} not planned there, ${missing.n} not planned here): `
        + 'were the shards run by different versions of peerlab? run them with one');
    }
  }
  const sameElicitation = db.prepare(`SELECT s.elicitation_id FROM src.elicitations s JOIN main.elicitations m ON m.elicitation_id = s.elicitation_id LIMIT 1`)
    .get() as { elicitation_id: string } | undefined;
  if (sameElicitation) throw new MergeConflictError(`elicitation ${sameElicitation.elicitation_id} is in ${input} and an earlier input: each must come from one database`);
}

/** Copies the attached input `src` into `main`, in one transaction. */
function copyInput(db: Database.Database, summary: MergeSummary, experimentInputs: Map<string, number>): void {
  db.transaction(() => {
    for (const table of TABLES) {
      const columns = columnsOf(db, table);
      const copied = db.prepare(`INSERT INTO main."${table}" (${columns}) SELECT ${columns} FROM src."${table}"`).run().changes;
      if (table === 'runs') summary.runs += copied;
      if (table === 'events') summary.events += copied;
      if (table === 'labels') summary.labels += copied;
    }
    // An experiment is recorded once (with no process running it); each input adds its planned
    // episodes (identical, checked above) and may have started it earlier.
    const columns = columnsOf(db, 'experiments');
    db.prepare(`INSERT OR IGNORE INTO main.experiments (${columns}) SELECT ${columns.replace('"owner_since"', 'NULL').replace('"owner"', 'NULL')} FROM src.experiments`).run();
    db.prepare(`UPDATE main.experiments SET created_at = (SELECT s.created_at FROM src.experiments s WHERE s.experiment_id = main.experiments.experiment_id)
      WHERE experiment_id IN (SELECT experiment_id FROM src.experiments s WHERE s.created_at < main.experiments.created_at)`).run();
    db.prepare(`INSERT OR IGNORE INTO main.experiment_episodes (experiment_id, episode_key, cell, trial) SELECT experiment_id, episode_key, cell, trial FROM src.experiment_episodes`).run();
    db.prepare(`INSERT OR IGNORE INTO main.response_cache (key, model, value, created_at) SELECT key, model, value, created_at FROM src.response_cache`).run();
    for (const { experiment_id: id } of db.prepare('SELECT experiment_id FROM src.experiments').all() as Array<{ experiment_id: string }>) {
      experimentInputs.set(id, (experimentInputs.get(id) ?? 0) + 1);
    }
  })();
}
