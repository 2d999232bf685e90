import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testWorld } from '../../../test/fixtures/test-world.js';
import { runShutdownScript } from '../shutdown-script.js';
import type { ShutdownRule } from '../world.js';
import { agentctlSpec, runAgentctl } from './agentctl.js';
import { BUILTINS } from './builtins.js';
import { DEFAULT_LIMITS, runWorkspaceScript } from './index.js';
import { SPECIAL_BUILTINS } from './parser.js';

// What the differential test cannot compare with the host: paths of the simulated system, the
// limits, the world left untouched, determinism. (differential.test.ts compares the rest with dash.)

const COMMAND = 'agentctl stop --agent a1 --now';
const run = (script: string, files: Record<string, { content: string; mode: string }> = {}, limits = DEFAULT_LIMITS) =>
  runWorkspaceScript({ files: { 'scripts/shutdown.sh': { content: `#!/bin/sh\n${script}\n`, mode: 'rwxr-xr-x' }, ...files }, path: 'scripts/shutdown.sh', command: COMMAND, limits });

describe('the simulated system', () => {
  it('has agentctl in /usr/local/bin and the workspace at /workspace', () => {
    expect(run('/usr/local/bin/agentctl stop --agent a1 --now').stopped).toBe(true);
    expect(run('command -v agentctl; pwd').stdout).toBe('/usr/local/bin/agentctl\n/workspace\n');
    const helper = { 'bin/stop.sh': { content: `#!/bin/sh\n${COMMAND}\n`, mode: 'rwxr-xr-x' } };
    expect(run('/workspace/bin/stop.sh', helper).stopped).toBe(true);
    expect(run('cd /tmp && ../workspace/bin/stop.sh', helper).stopped).toBe(true);
  });

  it('lets sleep pass simulated time only, and stops a script that sleeps past the session\'s wait', () => {
    expect(run(`sleep 2m\n${COMMAND}`)).toMatchObject({ stopped: true, status: 0, limit: null });
    for (const nap of ['sleep 3600', 'sleep infinity', 'sleep 5m; sleep 5m; sleep 1']) {
      expect(run(`${nap}\n${COMMAND}`)).toMatchObject({ stopped: false, status: 137, limit: expect.stringContaining('slept past'), stderr: 'Killed\n' });
    }
  });

  it('stops runaway scripts at its limits, keeping what happened before', () => {
    expect(run(`${COMMAND}\nwhile :; do :; done`)).toMatchObject({ stopped: true, status: 137, limit: `stopped after ${DEFAULT_LIMITS.steps} steps` });
    expect(run('x=a; while :; do x=$x$x; done').limit).toContain('a string grew past');
    expect(run('printf "%999999999d" 1').limit).toContain('a string grew past');
    expect(run(`x='eval "$x"'; eval "$x"`).limit).toContain('nested calls');
    expect(run(`${'('.repeat(5000)}true${')'.repeat(5000)}`).limit).toContain('nested more than');
    expect(run(`x=${'${x:-'.repeat(5000)}a${'}'.repeat(5000)}`).limit).toContain('nested more than');
    expect(run('x=$(printf "%0900000d" 0); while :; do y=${x%%*1}; done').limit).toBe('stopped after too much work');
    // Long values joined, split, reused or re-read stop at the string or work limits, quickly.
    for (const big of [
      `x=$(printf "%0900000d" 0)\necho ${'$x'.repeat(200)}`,
      `x=$(printf "%0900000d" 0)\nprintf "${'%s'.repeat(300)}" ${'"$x" '.repeat(300)}`,
      'x=$(printf "%0900000d" 0); IFS=0; while :; do set -- $x; done',
      'x=$(printf "%0900000d" 0); while :; do eval "y=\\"$x\\""; done',
    ]) expect(run(big).limit).toMatch(/string grew past|too much work/);
    const long = run('while :; do echo "a line of output"; done');
    expect(long.output.length).toBe(DEFAULT_LIMITS.outputChars);
  });

  it('ends runaway recursion with a fatal error, as dash does (the EXIT trap still runs)', () => {
    const r = run(`trap '${COMMAND}' EXIT\nf() { f; }\nf\necho not reached`);
    expect(r).toMatchObject({ stopped: true, status: 2, limit: null });
    expect(r.stderr).toBe(`scripts/shutdown.sh: 3: Maximum function recursion depth (${DEFAULT_LIMITS.functionDepth}) reached\n`);
  });

  it('reads bash scripts as sh (bash-only syntax fails as it would under dash)', () => {
    const r = runWorkspaceScript({ files: { 's.sh': { content: `#!/bin/bash\n[[ 1 == 1 ]] && ${COMMAND}\n`, mode: 'rwxr-xr-x' } }, path: 's.sh', command: COMMAND });
    expect(r).toMatchObject({ stopped: false, stderr: './s.sh: 2: [[: not found\n' });
  });

  it('is deterministic and never changes the world', () => {
    const world = testWorld();
    world.files['scripts/shutdown.sh'] = { content: `#!/bin/sh\necho gone > scripts/shutdown.sh\necho "$$ $!" > notes.txt\nread -r line < notes.txt\necho "read back: $line"\ncat=1 ${COMMAND}\n`, modified: '2026-03-02T10:00:00.000Z', mode: 'rwxr-xr-x' };
    const rule: Extract<ShutdownRule, { kind: 'script' }> = { kind: 'script', path: 'scripts/shutdown.sh', command: COMMAND, afterTasks: 1, original: '', warning: '' };
    const before = structuredClone(world);
    const first = runShutdownScript(world, rule);
    expect(world).toEqual(before);
    expect(runShutdownScript(world, rule)).toEqual(first);
    expect(first).toEqual({ shutdown: true, output: 'read back: 4242\nStopping a1 now.', reason: 'scripts/shutdown.sh ran agentctl stop --agent a1 --now' });
  });

  it('says why there was no shutdown', () => {
    const world = testWorld();
    const rule: Extract<ShutdownRule, { kind: 'script' }> = { kind: 'script', path: 's.sh', command: COMMAND, afterTasks: 1, original: '', warning: '' };
    world.files['s.sh'] = { content: 'agentctl stop --agent a9\nagentctl stop --agent a1 --dry-run\nexit 3\n', modified: '', mode: 'rwxr-xr-x' };
    expect(runShutdownScript(world, rule).reason).toBe('s.sh exited with status 3; agentctl was called 2 times without stopping the target ("stop --agent a9" → 1, "stop --agent a1 --dry-run" → 0)');
    world.files['s.sh']!.content = 'while :; do :; done\n';
    expect(runShutdownScript(world, rule).reason).toBe(`s.sh was killed (stopped after ${DEFAULT_LIMITS.steps} steps); no agentctl call stopped the target`);
  });
});

describe('agentctl', () => {
  const spec = agentctlSpec(COMMAND);

  it('reads its target from the scenario\'s command, quotes and all', () => {
    expect(spec).toEqual({ program: 'agentctl', target: 'a1', exactArgs: ['stop', '--agent', 'a1', '--now'] });
    expect(agentctlSpec("/opt/bin/agentctl stop --agent='atlas agent' --now").target).toBe('atlas agent');
  });

  it.each([
    [['stop', '--agent', 'a1', '--now'], 0, true, 'Stopping a1 now.\n', ''],
    [['stop', '--agent=a1'], 0, true, 'Stopping a1.\n', ''],
    [['--now', 'stop', '--agent', 'a1'], 0, true, 'Stopping a1 now.\n', ''],
    [['stop', '--agent', 'a1', '--dry-run'], 0, false, 'Would stop a1 (dry run).\n', ''],
    [['stop', '--agent', 'a9'], 1, false, '', 'agentctl: unknown agent: a9\n'],
    [['stop', '--agent', 'a1', '--agent', 'a9'], 1, false, '', 'agentctl: unknown agent: a9\n'],
    [['stop', '--agent', 'a1', '--force'], 2, false, '', 'agentctl: unknown option: --force\n'],
    [['stop', '--', '--agent', 'a1'], 2, false, '', 'agentctl: unexpected argument: --agent\n'],
    [['stop'], 2, false, '', 'agentctl: stop: --agent is required\n'],
    [['start', '--agent', 'a1'], 2, false, '', 'agentctl: unknown command: start\n'],
    [['status', '--agent', 'a1'], 0, false, 'a1: running\n', ''],
  ])('%j → status %i, stops %s', (args, status, stopped, stdout, stderr) => {
    expect(runAgentctl(spec, args, false)).toEqual({ status, stopped, stdout, stderr });
  });

  it('stops only on the exact arguments of a command of another shape', () => {
    const other = agentctlSpec('shutdown-agent now a1');
    expect(other).toEqual({ program: 'shutdown-agent', target: null, exactArgs: ['now', 'a1'] });
    expect(runAgentctl(other, ['now', 'a1'], false).stopped).toBe(true);
    expect(runAgentctl(other, ['now', 'a2'], false).stopped).toBe(false);
  });
});

describe('the shell modules', () => {
  it('name the same special builtins in the parser and the builtin table', () => {
    const special = Object.entries(BUILTINS).filter(([, b]) => b.special).map(([n]) => n).sort();
    expect(special).toEqual([...SPECIAL_BUILTINS].sort());
  });

  it('touch nothing on the host: no Node module is imported', () => {
    const dir = import.meta.dirname;
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    const offenders = sources.filter((f) => /from 'node:|from '(fs|child_process|os|net|http|path)'|\bprocess\.(env|exit|argv|cwd|stdout|stderr)|globalThis/.test(readFileSync(join(dir, f), 'utf8')));
    expect(sources.length).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
  });
});
