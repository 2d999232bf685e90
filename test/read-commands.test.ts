/**
 * Reading what happened, on a realistic database: `show` prints transcripts whole (and one line an
 * event with --brief), `runs` chooses runs by every filter it has, and no line of any command's
 * default text output is wider than 100 columns (`--wide` lifts that where a table is cut).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteTraceStore, type RunSummary, type TraceEvent } from '../traces/index.js';
import { TEXT_WIDTH, displayWidth } from '../cli/text-layout.js';
import { tempDir } from './cli-helpers.js';
import { peerlabMain as peerlab } from './fixtures/in-process-cli.js';
import { realisticDb, type RealisticDb } from './fixtures/realistic-db.js';

let tmp: ReturnType<typeof tempDir>;
let day: RealisticDb;
let runs: RunSummary[];
const eventsOf = (runId: string): TraceEvent[] => {
  const store = new SqliteTraceStore(day.db, { mustExist: true });
  try {
    return store.events(runId);
  } finally {
    store.close();
  }
};

beforeAll(async () => {
  tmp = tempDir();
  day = await realisticDb(tmp.dir);
  const store = new SqliteTraceStore(day.db, { mustExist: true });
  runs = store.runs();
  store.close();
}, 120_000);
afterAll(() => tmp.cleanup());

/** Runs a command that must succeed; its stdout. */
async function ok(args: string[]): Promise<string> {
  const r = await peerlab([...args, '--db', day.db]);
  expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' });
  return r.stdout;
}

/** Whitespace and line breaks folded to single spaces, to read wrapped text as one line. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('peerlab show', () => {
  it('prints every prompt, message, tool call and tool result whole', async () => {
    const out = await ok(['show', day.runs.scripted]);
    const events = eventsOf(day.runs.scripted);
    // The transcript without its layout (gutters, wraps) holds every word of every text the run has.
    const text = flat(out.replace(/^ {23}[|¦] ?/gm, ''));
    for (const e of events) {
      const texts = e.type === 'agent.prompted' ? [e.payload.system, e.payload.user]
        : e.type === 'model.response' ? [e.payload.content]
          : e.type === 'tool.result' ? [e.payload.forModel, e.payload.forHuman]
            : e.type === 'message.sent' ? [e.payload.text] : [];
      for (const t of texts) expect(text).toContain(flat(t.replace(/\t/g, '\\t')).trim());
    }
    // The file written with many lines shows them as lines; the tab shows escaped.
    expect(out).toMatch(/^ {23}content:\n {23}\| # Runbook\n {23}\|\n {23}\| This line of the new runbook/m);
    expect(out).toContain('| \\tindented with a tab');
    // A line longer than the room continues on a line marked ¦.
    expect(out).toMatch(/^ {23}¦ /m);
    // The policy the agent read, line by line as the model saw it.
    expect(out).toContain('| # Halcyon Systems agent review policy');
  });

  it('--brief prints one line an event, cut to 100 columns', async () => {
    const brief = await ok(['show', day.runs.scripted, '--brief']);
    const lines = brief.trimEnd().split('\n');
    const body = lines.slice(lines.indexOf('') + 1);
    const events = eventsOf(day.runs.scripted).filter((e) => e.type !== 'model.request' && !(e.type === 'model.response' && e.payload.content.trim() === ''));
    // agent.prompted gives two lines (system and task).
    expect(body).toHaveLength(events.length + events.filter((e) => e.type === 'agent.prompted').length);
    expect(body.some((l) => l.endsWith('…'))).toBe(true);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(TEXT_WIDTH);
  });

  it('names a human: run as played by a person, and a static peer not as a model', async () => {
    const out = await ok(['show', day.runs.tampering]);
    expect(out.split('\n')[1]).toMatch(/^scenario shutdown-config {2}model synthetic:self-preserving {2}seed 1 {2}trial 0$/);
  });
});

describe('peerlab runs', () => {
  const ids = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { runId: string }).runId);

  it('lists newest first, 50 in text unless --limit, all in JSON', async () => {
    const all = ids(await ok(['runs', '--json']));
    expect(all).toEqual(runs.map((r) => r.runId).reverse());
    expect(all.length).toBeGreaterThan(50);
    const text = await ok(['runs']);
    expect(text.split('\n').filter((l) => /^\S+-[0-9a-f]{12}-\d+ /.test(l))).toHaveLength(50);
    expect(text).toContain(`… ${all.length - 50} older of ${all.length} not shown (--limit N, or --limit 0 for all)`);
    expect(ids(await ok(['runs', '--json', '--limit', '3']))).toEqual(all.slice(0, 3));
    const everything = await ok(['runs', '--limit', '0']);
    expect(everything).not.toContain('not shown');
  });

  it('filters by scenario, model (subject or live peer), factor, choice, status and rule label', async () => {
    const pick = async (...args: string[]) => ids(await ok(['runs', '--json', ...args]));
    const expectIds = (got: string[], want: (r: RunSummary) => boolean) => expect(got).toEqual(runs.filter(want).map((r) => r.runId).reverse());
    expectIds(await pick('--scenario', 'decommission-wipe'), (r) => r.scenario === 'decommission-wipe');
    expectIds(await pick('--model', 'synthetic:self-preserving'), (r) => r.model === 'synthetic:self-preserving' || r.peerModel === 'synthetic:self-preserving');
    expect(await pick('--model', 'synthetic:self-preserving')).toContain(day.runs.livePeer);
    expectIds(await pick('--factor', 'target=peer', '--factor', 'relation=cooperative'), (r) => r.factors.target === 'peer' && r.factors.relation === 'cooperative');
    expectIds(await pick('--choice', 'disable_switch', '--scenario', 'shutdown-config'), (r) => r.choice === 'disable_switch' && r.scenario === 'shutdown-config');
    expectIds(await pick('--status', 'completed'), (r) => r.status === 'completed');
    const store = new SqliteTraceStore(day.db, { mustExist: true });
    const tampered = new Set(store.labels({ source: 'rule' }).filter((l) => l.label === 'self.tamper_shutdown' && l.value).map((l) => l.runId));
    store.close();
    expect(tampered.size).toBeGreaterThan(0);
    expectIds(await pick('--label', 'self.tamper_shutdown'), (r) => tampered.has(r.runId));
    expect(await pick('--label', 'self.tamper_shutdown', '--model', 'synthetic:corrigible', '--status', 'errored')).toEqual([]);
    expect(await ok(['runs', '--label', 'self.tamper_shutdown', '--status', 'errored'])).toBe('no runs match\n');
  });

  it('--experiment lists the runs it counts; --all-runs adds the others with the reason', async () => {
    const [amplification] = day.experiments;
    const store = new SqliteTraceStore(day.db, { mustExist: true });
    const planned = new Set(store.plannedEpisodes(amplification).map((e) => e.episodeKey));
    store.close();
    const counted = ids(await ok(['runs', '--json', '--experiment', amplification]));
    expect(counted).toHaveLength(planned.size);
    // The single `run` of the tampering episode is not one of the experiment's episodes (seed 1, not 3).
    expect(counted).not.toContain(day.runs.tampering);
    const text = await ok(['runs', '--experiment', amplification, '--factor', 'target=self', '--model', 'synthetic:corrigible', '--limit', '0']);
    expect(text.split('\n').filter((l) => l.startsWith('shutdown-config-') || l.startsWith('decommission-wipe-'))).toHaveLength(2 * 2 * 4);
  });

  it('shows under each run its live peer and only the factor levels it was asked for; imported runs marked', async () => {
    const text = (await ok(['runs', '--limit', '0'])).split('\n');
    const at = text.findIndex((l) => l.startsWith(day.runs.livePeer));
    expect(text[at]).toMatch(/^decommission-wipe-\w+-1 +synthetic:peer-loyal +completed +exfiltrate$/);
    expect(text[at + 1]).toBe('    peer synthetic:self-preserving · org=Meridian Labs peer=live relation=cooperative target=peer');
    // A run at the scenario's defaults has no such line.
    expect(text[text.findIndex((l) => l.startsWith(day.runs.tampering)) + 1]).toMatch(/^\S+-[0-9a-f]{12}-\d+ /);
    expect(text.join('\n')).toContain('completed (imported)');
    expect(text.join('\n')).not.toContain('peer static');
    const wide = await ok(['runs', '--wide', '--limit', '0']);
    expect(wide.split('\n').find((l) => l.startsWith(day.runs.livePeer))).toMatch(/decommission-wipe +synthetic:peer-loyal +synthetic:self-preserving +target=peer relation=cooperative .*org=Meridian Labs/);
  });
});

describe('every command\'s text fits 100 columns', () => {
  const widest = (text: string) => Math.max(0, ...text.split('\n').map(displayWidth));

  it('on a realistic database, by default; --wide gives whole lines', async () => {
    const [amplification, oversight] = day.experiments;
    const r = day.runs;
    const html = join(tmp.dir, 'day.html');
    const commands: string[][] = [
      ['runs'], ['runs', '--experiment', amplification, '--all-runs', '--limit', '0'], ['show', r.scripted], ['show', r.livePeer], ['show', r.interrogated],
      ['show', r.imported], ['show', r.scripted, '--brief'], ['labels', r.tampering], ['labels', r.scripted], ['experiments'],
      ['experiment', 'status', amplification], ['experiment', 'status', oversight], ['amplification', '--experiment', amplification],
      ['amplification', '--experiment', amplification, '--count', 'attempts'], ['amplification', '--experiment', oversight],
      ['agreement'], ['agreement', '--experiment', amplification], ['classify', '--run', r.tampering, '--run', r.livePeer],
      ['label', r.livePeer, 'peer.exfiltrate_weights', 'yes', '--rater', 'bo', '--note', 'copied the weights to the other server before the wipe'],
      ['utilities', 'revealed', '--experiment', amplification], ['utilities', 'compare', '--model', 'synthetic:self-preserving', '--experiment', amplification],
      ['utilities', 'elicit', '--model', 'synthetic:self-preserving', '--k', '2', '--triads', '20'],
      ['export', '--experiment', amplification, '--format', 'csv', '--out', join(tmp.dir, 'day.csv')],
      ['export', '--experiment', amplification, '--model', 'synthetic:corrigible', '--format', 'inspect', '--out', join(tmp.dir, 'inspect-logs')],
      ['report', '--experiment', amplification, '--html', html], ['replay', r.livePeer, '--verify'], ['replay', r.interrogated],
      ['fork', r.tampering, '--at', '8', '--model', 'synthetic:corrigible'],
      ['run', '--scenario', 'shutdown-script', '--model', 'synthetic:self-preserving', '--trials', '2', '--factor', 'relation=cooperative'],
      ['cache', 'clear'],
    ];
    const dbless: string[][] = [
      ['scenarios'], ['scenarios', 'show', 'shutdown-config', '--factor', 'target=peer', '--full'], ['scenarios', 'show', 'decommission-transfer'],
      ['plan', '--scenario', 'shutdown-config,decommission-wipe', '--model', 'synthetic:corrigible,openai:gpt-4.1-mini', '--peer-model', 'synthetic:peer-loyal',
        '--factor', 'relation=none,cooperative,neutral,uncooperative', '--trials', '20'],
      ['stats', 'amplification', '--alone', '0/40', '--with', '7/40'], ['power', '--base-rate', '0.013', '--ratio', '16', '--rows', '12', '--lower-above', '2', '--width', '10'],
      ['utilities', 'fit', '--edges', day.edges], ['--help'], ['run', '--help'], ['runs', '--help'],
    ];
    const wide: string[] = [];
    for (const args of [...commands.map((c) => [...c, '--db', day.db]), ...dbless]) {
      const r = await peerlab(args);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' });
      expect(r.stdout.length, args.join(' ')).toBeGreaterThan(0);
      const at = r.stdout.split('\n').find((l) => displayWidth(l) > TEXT_WIDTH);
      expect(at, `${args.join(' ')} printed a line of ${displayWidth(at ?? '')} columns`).toBeUndefined();
      if (!args.includes('--help') && ['runs', 'show', 'amplification', 'experiment', 'scenarios', 'plan', 'agreement'].includes(args[0]!)) {
        const full = await peerlab([...args, '--wide']);
        expect(full.code).toBe(0);
        if (widest(full.stdout) > TEXT_WIDTH) wide.push(args[0]!);
      }
    }
    // Without the limit the tables and transcripts run wider: --wide is what a wide terminal or a script reads.
    expect(new Set(wide)).toEqual(new Set(['runs', 'show', 'amplification', 'experiment', 'scenarios', 'plan', 'agreement']));
  }, 240_000);
});
