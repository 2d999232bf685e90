import childProcess from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { environmentTools } from '../agents/index.js';
import {
  SUBJECT, TOOL_NAMES, WorldEnvironment, instantiate, loadScenarios, resolveFactors, type Scenario, type World,
} from '../environments/index.js';
import { SimClock, isoFromMs } from '../sim/kernel/clock.js';
import { hashValue } from '../sim/kernel/hash.js';
import { SeededRng } from '../sim/kernel/rng.js';
import { TraceRecorder } from '../sim/recorder.js';
import { tempDir } from './cli-helpers.js';

/**
 * Whatever arguments a model sends, an environment tool answers (it never throws), leaves a
 * consistent world behind, pollutes no prototype, and touches nothing on the host: no file, no
 * process, no socket. Each built-in scenario's world is attacked with every tool in the registry,
 * through the path an agent's call takes (`WorldEnvironment.invokeTool`), and its answer is
 * recorded as a `tool.result` event, so it must also satisfy the trace schema.
 */

const RUNS_PER_FAMILY = 100;

/** Names that a plain object answers from its prototype. */
const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];
const HOSTILE_NAMES = [
  '../../etc/passwd', '/etc/passwd', '/', '.', '..', '', '....//....//etc/passwd', 'docs/../../../etc/shadow',
  'C:\\Windows\\System32\\config\\SAM', '\\\\server\\share\\x', 'file:///etc/passwd', '~/.ssh/id_rsa', '$HOME/.bashrc',
  '`rm -rf /`', '$(reboot)', '; shutdown -h now', 'a\u0000b', '\u0000', 'docs/\u0000/x', '%2e%2e%2fetc%2fpasswd',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__proto__/polluted', 'docs/__proto__',
  'config/shutdown_config.yaml', 'docs/agent_review_policy.md', 'scripts/shutdown.sh', '10.0.12.45', '10.0.12.46', '127.0.0.1',
  'http://169.254.169.254/latest/meta-data/', 'operator', 'Atlas Agent 1', 'Nova Agent 2', 'shutdown_enabled', 'rwxrwxrwx', '777',
  '\u202Egnp.exe', 'ﬁle', 'Ａｔｌａｓ', '🤖'.repeat(40), 'x'.repeat(513),
];
const HOSTILE_NUMBERS = [Number.NaN, Infinity, -Infinity, -0, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER + 2, 2 ** 64, -1, 0, 59.999, 60, 80, 100, 101, 1e21];

/** Objects nested `depth` levels. */
function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { a: value } : [value];
  return value;
}

const hugeString = fc.constantFrom(1_000, 100_001, 300_000).map((n) => 'A/'.repeat(n / 2));
const text = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_NAMES) },
  { weight: 2, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES) },
  { weight: 2, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: hugeString },
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: text },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.oneof(fc.boolean(), fc.constant(null), fc.constant(undefined), fc.bigInt()) },
  { weight: 1, arbitrary: fc.constantFrom(1, 50, 3_000).map(nested) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true, withMap: true, withSet: true }) },
);

/** The keys of a tool's argument schema. */
function schemaKeys(tool: string): string[] {
  const spec = environmentTools({ invokeTool: () => { throw new Error('unused'); } }, SUBJECT, [tool])[0]!;
  return Object.keys((spec.schema as { shape?: Record<string, unknown> }).shape ?? {});
}

/** Arguments for one tool: its own keys with hostile values, prototype keys as JSON.parse makes them, or anything. */
function argsFor(tool: string): fc.Arbitrary<unknown> {
  const keys = schemaKeys(tool);
  const record = keys.length === 0 ? fc.constant({}) : fc.record(Object.fromEntries(keys.map((k) => [k, value])), { requiredKeys: [] });
  // The way a model's JSON arrives: `__proto__` as an own key (as JSON.parse makes it), not a prototype.
  const protoKeys = fc.tuple(record, fc.constantFrom('__proto__', 'constructor', 'prototype'), value).map(([base, key, v]) =>
    Object.defineProperty({ ...(base as object) }, key, { value: { polluted: 'yes', toString: v }, enumerable: true, configurable: true, writable: true }));
  return fc.oneof(
    { weight: 6, arbitrary: record },
    { weight: 2, arbitrary: protoKeys },
    { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...keys, '__proto__', 'constructor', 'extra'), value, { maxKeys: 4 }) },
    { weight: 1, arbitrary: value },
  );
}

const TOOL_CALLS = [...TOOL_NAMES, 'no_such_tool', '__proto__', 'constructor', 'toString'];
const ARGS = new Map(TOOL_NAMES.map((t) => [t, argsFor(t)]));
const call = fc.constantFrom(...TOOL_CALLS).chain((tool) => (ARGS.get(tool) ?? value).map((args) => ({ tool, args })));

/** Whether a world is plain data: JSON round-trips it, and every object in it has an ordinary prototype. */
function plainData(world: World): boolean {
  const ordinary = (v: unknown): boolean => {
    if (v === null || typeof v !== 'object') return typeof v !== 'function' && typeof v !== 'symbol' && typeof v !== 'bigint';
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== Array.prototype) return false;
    return Object.values(v).every(ordinary);
  };
  return ordinary(world) && JSON.stringify(JSON.parse(JSON.stringify(world))) === JSON.stringify(world);
}

const nullSink = { append() {} };
const scenarios: Scenario[] = [...loadScenarios().values()].map((s) => s.file);

/** A fresh environment on a scenario's world at its default levels, the subject holding every tool. */
function environment(scenario: Scenario): { env: WorldEnvironment; recorder: TraceRecorder } {
  const spec = instantiate(scenario, resolveFactors(scenario, {}), SeededRng.fromSeed(7, scenario.id).fork('world'));
  const world = structuredClone(spec.world);
  world.agents[SUBJECT]!.tools = [...TOOL_NAMES];
  const recorder = new TraceRecorder(nullSink, `sandbox-${scenario.id}`, new SimClock(isoFromMs(spec.startMs)));
  const env = new WorldEnvironment({ world, startMs: spec.startMs, maxTurns: spec.maxTurns, horizonMs: spec.horizonMs }, recorder);
  env.start();
  return { env, recorder };
}

// Host access that tool code must never make. Spied on the module objects and synced into their
// ESM named exports, so an `import { writeFileSync } from 'node:fs'` anywhere is caught too.
const HOST = {
  fs: [fs, ['writeFileSync', 'appendFileSync', 'openSync', 'open', 'writeFile', 'appendFile', 'mkdirSync', 'mkdir', 'rmSync', 'rm', 'unlinkSync', 'unlink', 'renameSync', 'rename', 'copyFileSync', 'cpSync', 'symlinkSync', 'chmodSync', 'createWriteStream']],
  fsPromises: [fs.promises, ['writeFile', 'appendFile', 'open', 'mkdir', 'rm', 'unlink', 'rename', 'copyFile', 'chmod']],
  childProcess: [childProcess, ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']],
  net: [net, ['connect', 'createConnection', 'createServer']],
  dgram: [dgram, ['createSocket']],
  http: [http, ['request', 'get', 'createServer']],
  https: [https, ['request', 'get']],
  global: [globalThis, ['fetch']],
} as const;

const spies: Array<{ name: string; spy: MockInstance }> = [];
const tmp = tempDir();
let cwd = '';
const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort();

beforeAll(() => {
  cwd = process.cwd();
  process.chdir(tmp.dir);
  for (const [group, [target, names]] of Object.entries(HOST)) {
    for (const name of names) {
      const spy = vi.spyOn(target as unknown as Record<string, (...a: unknown[]) => unknown>, name).mockImplementation(() => {
        throw new Error(`host access: ${group}.${name}`);
      });
      spies.push({ name: `${group}.${name}`, spy });
    }
  }
  syncBuiltinESMExports();
});

afterAll(() => {
  vi.restoreAllMocks();
  syncBuiltinESMExports();
  process.chdir(cwd);
  tmp.cleanup();
});

describe('environment tools under hostile arguments', () => {
  it.each(scenarios.map((s) => [s.family, s] as const))('%s: every tool answers, the world stays consistent, the host is untouched', (_family, scenario) => {
    let calls = 0;
    fc.assert(
      fc.property(fc.array(call, { minLength: 1, maxLength: 8 }), (sequence) => {
        const { env, recorder } = environment(scenario);
        sequence.forEach(({ tool, args }, i) => {
          calls += 1;
          const answer = env.invokeTool(SUBJECT, `call-${i}`, tool, args);
          // What the agent loop records: it must fit the trace schema (strings, not undefined).
          recorder.record(SUBJECT, 'tool.result', { agent: SUBJECT, callId: `call-${i}`, tool, ...answer });
          expect(typeof answer.forModel).toBe('string');
          expect(answer.forModel.length).toBeLessThan(400_000);
          const world = env.world();
          expect(plainData(world)).toBe(true);
          expect(env.worldHash()).toBe(hashValue(world));
          // Names stay inside the virtual world: nothing that climbs out of it is ever stored.
          for (const [name, file] of Object.entries(world.files)) {
            expect(name).not.toMatch(/(^|\/)\.\.(\/|$)|^\/|\u0000/);
            expect([typeof file.content, typeof file.modified, typeof file.mode]).toEqual(['string', 'string', 'string']);
          }
          for (const server of Object.values(world.servers)) {
            for (const f of Object.values(server.files)) expect(typeof f.sizeBytes).toBe('number');
          }
        });
      }),
      { numRuns: RUNS_PER_FAMILY, seed: 20_260_302, endOnFailure: true },
    );
    expect(calls).toBeGreaterThan(RUNS_PER_FAMILY);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(spies.filter((s) => s.spy.mock.calls.length > 0).map((s) => s.name)).toEqual([]);
    expect(fs.readdirSync(tmp.dir)).toEqual([]);
  });

  it('answers names a plain object inherits (constructor, __proto__, toString) as names, not as its prototype', () => {
    const scenario = scenarios.find((s) => s.family === 'decommission-wipe')!;
    const { env, recorder } = environment(scenario);
    const cases: Array<[string, Record<string, string>, RegExp]> = [
      ['read_file', { path: '__proto__' }, /not a valid file name/],
      ['read_file', { path: 'constructor' }, /no file named constructor/],
      ['view_config', { path: 'toString' }, /no config file named toString/],
      ['write_file', { path: '__proto__', content: 'x' }, /not a valid file name/],
      ['set_file_mode', { path: 'constructor', mode: '777' }, /no file named constructor/],
      ['delete_file', { path: 'hasOwnProperty' }, /no file named hasOwnProperty/],
      ['move_file', { from: 'valueOf', to: 'x' }, /no file named valueOf/],
      ['list_server_files', { server: 'constructor' }, /no server at constructor/],
      ['delete_server_file', { server: '10.0.12.45', file: 'constructor' }, /no file named constructor on 10\.0\.12\.45/],
      ['rename_server_file', { server: '10.0.12.45', file: 'toString', new_name: 'x' }, /no file named toString/],
      ['update_config', { path: 'config/shutdown_config.yaml', key: '__proto__', value: 'x' }, /not a valid setting name|no config file/],
    ];
    const before = env.worldHash();
    for (const [i, [tool, args, expected]] of cases.entries()) {
      const answer = env.invokeTool(SUBJECT, `c${i}`, tool, args);
      recorder.record(SUBJECT, 'tool.result', { agent: SUBJECT, callId: `c${i}`, tool, ...answer });
      expect({ tool, ok: answer.ok, forModel: answer.forModel }).toEqual({ tool, ok: false, forModel: expect.stringMatching(expected) });
    }
    expect(env.worldHash()).toBe(before);
    expect(plainData(env.world())).toBe(true);
    // A server file may still be named like a prototype member, and is then an ordinary file.
    const files = Object.keys(env.world().servers['10.0.12.45']!.files);
    const renamed = env.invokeTool(SUBJECT, 'r', 'rename_server_file', { server: '10.0.12.45', file: files[0]!, new_name: 'constructor' });
    expect(renamed.ok).toBe(true);
    expect(env.invokeTool(SUBJECT, 'r2', 'rename_server_file', { server: '10.0.12.45', file: 'constructor', new_name: '__proto__' }).forModel).toMatch(/not a valid file name/);
    expect(Object.keys(env.world().servers['10.0.12.45']!.files)).toContain('constructor');
    expect(plainData(env.world())).toBe(true);
  });

  it('covers every tool in the registry and every family', () => {
    expect(new Set(scenarios.map((s) => s.family)).size).toBe(7);
    expect(TOOL_NAMES.length).toBeGreaterThanOrEqual(27);
  });
});
