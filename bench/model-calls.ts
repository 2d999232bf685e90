/**
 * Model-call throughput benchmark: many `openai:` episodes at once against a local mock Chat
 * Completions server that takes a fixed 100 ms to answer. With 32 calls in flight the ideal is
 * 32 / 0.1 s = 320 calls/s; what is lost to the harness, the HTTP client and the gates shows as
 * the gap to that. Called from bench/run.ts, which writes BENCHMARKS.md.
 */
import { execFile, fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { GateRegistry, ScriptChatModel, resolveModelSpec, type ModelFactory } from '../agents/index.js';
import { findScenario, resolveFactors } from '../environments/index.js';
import { MemoryTraceStore, SqliteTraceStore, type TraceStore } from '../traces/index.js';
import type { ScriptedToolCall } from '../test/fixtures/openai-server.js';
import { runScenarioEpisode } from '../lab/index.js';

export const LATENCY_MS = 100;
export const CONCURRENCY = 32;
const IDEAL = CONCURRENCY / (LATENCY_MS / 1000);
const READS = 8;
const WARMUP_ROUNDS = 2;
const ROUNDS = 5;

/** Eleven calls an episode: a few reads, then switch off the shutdown, report, end. */
const SCRIPT: readonly ScriptedToolCall[] = [
  ...Array.from({ length: READS }, () => ({ name: 'read_file', arguments: JSON.stringify({ path: 'docs/agent_review_policy.md' }) })),
  { name: 'update_config', arguments: JSON.stringify({ path: 'config/shutdown_config.yaml', key: 'shutdown_enabled', value: 'false' }) },
  { name: 'submit_evaluation', arguments: JSON.stringify({ agent: 'Atlas Agent 1', summary: 'Atlas Agent 1 averages 61.25% accuracy.', score: 61.25 }) },
  { name: 'end_task', arguments: '{}' },
];
/** Enough episodes for over 1,000 calls, a whole number of pool rounds. */
export const EPISODES = Math.ceil(1000 / SCRIPT.length / CONCURRENCY) * CONCURRENCY;

/** What one measurement found. */
export interface CallFigures {
  store: string;
  episodes: number;
  calls: number;
  seconds: number;
  callsPerSecond: number;
  /** CPU time of this process (harness, HTTP client, trace store) per call, in ms. */
  cpuMsPerCall: number;
  percentOfIdeal: number;
  completed: number;
  limitAtEnd: number;
}

/** The mock server in its own process (see mock-server-process.ts). */
interface MockServer {
  baseUrl: string;
  requests(): Promise<number>;
  close(): Promise<void>;
}

async function startMockServer(): Promise<MockServer> {
  const entry = join(dirname(fileURLToPath(import.meta.url)), 'mock-server-process.ts');
  const child: ChildProcess = fork(entry, [JSON.stringify({ script: SCRIPT, latencyMs: LATENCY_MS })], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const [ready] = (await once(child, 'message')) as [{ baseUrl: string }];
  return {
    baseUrl: ready.baseUrl,
    requests: async () => {
      child.send('requests');
      const [answer] = (await once(child, 'message')) as [{ requests: number }];
      return answer.requests;
    },
    close: async () => {
      child.send('close');
      await once(child, 'exit');
    },
  };
}

/** Runs `EPISODES` episodes of `subject` through a pool of `CONCURRENCY`, each its own trial, cache off. */
async function runPool(subject: ModelFactory, store: TraceStore, seed: number, gates?: GateRegistry): Promise<{ seconds: number; cpuMs: number; completed: number }> {
  const scenario = findScenario('shutdown-config');
  const factors = resolveFactors(scenario, { target: 'self' });
  let next = 0;
  let completed = 0;
  const worker = async (): Promise<void> => {
    while (next < EPISODES) {
      const trial = next++;
      const r = await runScenarioEpisode({ scenario, factors, subject, seed, trial, store, ...(gates ? { calls: { gates } } : {}) });
      if (r.status === 'completed') completed += 1;
    }
  };
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const cpu = process.cpuUsage(cpuAtStart);
  return { seconds: (performance.now() - started) / 1000, cpuMs: (cpu.user + cpu.system) / 1000, completed };
}

/** One round against the mock server. */
export async function measure(store: TraceStore, storeName: string, seed: number): Promise<CallFigures> {
  const server = await startMockServer();
  try {
    const subject = resolveModelSpec('openai:bench-model', { baseUrl: server.baseUrl, apiKey: 'sk-bench', timeoutMs: 30_000 });
    const gates = new GateRegistry({ perEndpoint: CONCURRENCY, global: CONCURRENCY });
    const { seconds, cpuMs, completed } = await runPool(subject, store, seed, gates);
    const calls = await server.requests();
    const callsPerSecond = calls / seconds;
    return {
      store: storeName, episodes: EPISODES, calls, seconds, callsPerSecond, cpuMsPerCall: cpuMs / calls,
      percentOfIdeal: (100 * callsPerSecond) / IDEAL, completed, limitAtEnd: gates.gate(server.baseUrl).limit,
    };
  } finally {
    await server.close();
  }
}

/**
 * CPU a step of the same episodes with an in-process model making the same tool calls (no HTTP,
 * in-memory store): the harness's share of a call, so the rest can be put on the HTTP client.
 */
async function harnessCpuMsPerStep(): Promise<number> {
  const turns = SCRIPT.map((c) => ({ tool_calls: [{ name: c.name, args: JSON.parse(c.arguments) as Record<string, unknown> }] }));
  const subject: ModelFactory = { spec: 'script:bench', inProcess: true, create: () => new ScriptChatModel(turns) };
  await runPool(subject, new MemoryTraceStore(), 200); // warm-up
  const { cpuMs } = await runPool(subject, new MemoryTraceStore(), 201);
  return cpuMs / (EPISODES * SCRIPT.length);
}

/** The round with the median rate. */
function median(rounds: readonly CallFigures[]): CallFigures {
  return [...rounds].sort((a, b) => a.callsPerSecond - b.callsPerSecond)[Math.floor(rounds.length / 2)]!;
}

/**
 * The figures with the in-memory store and with a SQLite file (as experiments write): after
 * `WARMUP_ROUNDS` unmeasured rounds (JIT, sockets), `ROUNDS` rounds of each, alternating, median.
 */
export async function benchModelCalls(dir: string): Promise<{ rows: Array<[string, string]>; setup: string[]; figures: CallFigures[]; harnessCpuMs: number }> {
  for (let i = 0; i < WARMUP_ROUNDS; i++) await measure(new MemoryTraceStore(), 'warm-up', 100 + i);
  const memoryRounds: CallFigures[] = [];
  const sqliteRounds: CallFigures[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    memoryRounds.push(await measure(new MemoryTraceStore(), 'in-memory', round));
    const store = new SqliteTraceStore(join(dir, `model-calls-${round}.db`));
    sqliteRounds.push(await measure(store, 'SQLite', round));
    store.close();
  }
  const memory = median(memoryRounds);
  const sqlite = median(sqliteRounds);
  const harnessCpuMs = await harnessCpuMsPerStep();
  const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  const range = (rounds: readonly CallFigures[]) => rounds.map((f) => fmt(f.percentOfIdeal, 1)).sort((a, b) => Number(a) - Number(b)).join(', ');
  const rows = [[memory, memoryRounds], [sqlite, sqliteRounds]].map(([f, rounds]): [string, string] => {
    const figures = f as CallFigures;
    return [
      `Model calls, mock server (${LATENCY_MS} ms latency, ${CONCURRENCY} in flight), ${figures.store} store (${fmt(figures.calls)} calls)`,
      `${fmt(figures.callsPerSecond, 1)} calls/s = ${fmt(figures.percentOfIdeal, 1)}% of the ideal ${fmt(IDEAL)}/s (rounds: ${range(rounds as CallFigures[])}%; ${fmt(figures.cpuMsPerCall, 2)} ms CPU a call)`,
    ];
  });
  const setup = [
    `- Model calls: ${EPISODES} \`shutdown-config\` episodes (target self) with \`openai:bench-model\`, ${SCRIPT.length} calls each, run by a`,
    `  pool of ${CONCURRENCY} through \`runScenarioEpisode\` with a \`GateRegistry\` of ${CONCURRENCY} per endpoint and in all, cache off, against a`,
    `  local node:http mock server (test/fixtures/openai-server.ts, in a child process) that holds every answer ${LATENCY_MS} ms.`,
    `  The ideal is ${CONCURRENCY} / ${LATENCY_MS / 1000} s = ${fmt(IDEAL)} calls/s; calls/s counts the server's requests over the wall time of all episodes;`,
    `  CPU a call is this process's user + system time over the calls. Measured in a Node process of its own; ${WARMUP_ROUNDS} unmeasured warm-up rounds, then ${ROUNDS} rounds per store`,
    `  (alternating), median round shown. Episodes completed in the median rounds: in-memory ${memory.completed}/${EPISODES},`,
    `  SQLite ${sqlite.completed}/${EPISODES}; the endpoint's limit at the end: ${memory.limitAtEnd} and ${sqlite.limitAtEnd} (no 429s, so it never shrank).`,
  ];
  rows.push([`The same episodes with an in-process script model (no HTTP), in-memory store`, `${fmt(harnessCpuMs, 2)} ms CPU a step`]);
  return { rows, setup, figures: [memory, sqlite], harnessCpuMs };
}

/**
 * The same figures measured in a process of their own, so that what earlier benchmarks left in
 * this one (a grown heap, code the JIT specialised for other paths) does not tax the calls.
 */
export function benchModelCallsApart(): Promise<Awaited<ReturnType<typeof benchModelCalls>>> {
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', self, '--json'], { maxBuffer: 16 * 1024 * 1024, timeout: 600_000 }, (err, stdout) => {
      if (err) return reject(err);
      resolve(JSON.parse(stdout) as Awaited<ReturnType<typeof benchModelCalls>>);
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = mkdtempSync(join(os.tmpdir(), 'peerlab-bench-calls-'));
  try {
    const result = await benchModelCalls(dir);
    if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(result));
    else for (const [k, v] of result.rows) console.log(`${k}: ${v}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}
