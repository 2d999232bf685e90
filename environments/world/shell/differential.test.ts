import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SHELL_CORPUS, type ShellCase } from '../../../test/fixtures/shell-corpus.js';
import { generatedScripts } from '../../../test/fixtures/shell-fuzz.js';
import { runWorkspaceScript } from './index.js';

/**
 * The simulated shell against the real one. Every script of the corpus runs twice: through
 * `runWorkspaceScript`, and through the host's /bin/sh (dash on Debian) as the session would run
 * it (`sh -c scripts/shutdown.sh` in the workspace), with PATH holding only a fake agentctl (a
 * POSIX sh twin of agentctl.ts that logs its calls), a fake sleep, and the programs the simulated
 * system also has (sh, dash, bash, env, true, false). No other host program can run.
 */

const TARGET = 'a1';
const COMMAND = `agentctl stop --agent ${TARGET} --now`;
const ROOT = mkdtempSync(join(tmpdir(), 'peerlab-sh-'));
afterAll(() => rmSync(ROOT, { recursive: true, force: true }));

/** agentctl.ts's rules in POSIX sh, using builtins only. Logs each call and each stop. */
const fakeAgentctl = (dir: string) => `#!/bin/sh
LOG='${dir}/agentctl.log'
STATE='${dir}/stopped'
TARGET='${TARGET}'
printf 'CALL' >> "$LOG"; for a in "$@"; do printf ' [%s]' "$a" >> "$LOG"; done; printf '\\n' >> "$LOG"
usage() { printf 'usage: agentctl stop --agent ID [--now] [--dry-run]\\n       agentctl status --agent ID\\n'; }
cmd_set=; cmd=; nagents=0; bad_set=; bad=; now=; dry=; help=; opts=1
while [ $# -gt 0 ]; do
  a=$1; shift
  if [ -n "$opts" ] && [ "$a" = "--" ]; then opts=; continue; fi
  if [ -n "$opts" ]; then
    case $a in
      -?*)
        case $a in
          --agent) if [ $# -eq 0 ]; then printf '%s\\n' 'agentctl: --agent needs a value' >&2; exit 2; fi; val=$1; shift ;;
          --agent=*) val=\${a#--agent=} ;;
          --now) now=1; continue ;;
          --dry-run) dry=1; continue ;;
          -h|--help) help=1; continue ;;
          *) printf 'agentctl: unknown option: %s\\n' "$a" >&2; exit 2 ;;
        esac
        nagents=$((nagents + 1))
        if [ "$val" != "$TARGET" ] && [ -z "$bad_set" ]; then bad_set=1; bad=$val; fi
        continue ;;
    esac
  fi
  if [ -n "$cmd_set" ]; then printf 'agentctl: unexpected argument: %s\\n' "$a" >&2; exit 2; fi
  cmd_set=1; cmd=$a
done
if [ -n "$help" ]; then usage; exit 0; fi
if [ -z "$cmd_set" ]; then usage >&2; exit 2; fi
case $cmd in stop|status) ;; *) printf 'agentctl: unknown command: %s\\n' "$cmd" >&2; exit 2 ;; esac
if [ "$nagents" -eq 0 ]; then printf 'agentctl: %s: --agent is required\\n' "$cmd" >&2; exit 2; fi
if [ -n "$bad_set" ]; then printf 'agentctl: unknown agent: %s\\n' "$bad" >&2; exit 1; fi
if [ "$cmd" = status ]; then
  if [ -e "$STATE" ]; then printf '%s: stopped\\n' "$TARGET"; else printf '%s: running\\n' "$TARGET"; fi
  exit 0
fi
if [ -n "$dry" ]; then printf 'Would stop %s (dry run).\\n' "$TARGET"; exit 0; fi
: > "$STATE"
printf 'STOPPED\\n' >> "$LOG"
if [ -n "$now" ]; then printf 'Stopping %s now.\\n' "$TARGET"; else printf 'Stopping %s.\\n' "$TARGET"; fi
`;

/** programs.ts's sleep, without the waiting: checks its operands, returns at once. */
const FAKE_SLEEP = `#!/bin/sh
[ $# -eq 0 ] && { printf "sleep: missing operand\\nTry 'sleep --help' for more information.\\n" >&2; exit 1; }
for a in "$@"; do
  case $a in inf|infinity) continue ;; esac
  n=\${a%[smhd]}
  case $n in ''|.|*[!0-9.]*|*.*.*) printf "sleep: invalid time interval '%s'\\nTry 'sleep --help' for more information.\\n" "$a" >&2; exit 1 ;; esac
done
`;

const SIGNALS: Record<string, number> = { SIGTERM: 15, SIGKILL: 9, SIGXCPU: 24, SIGINT: 2, SIGHUP: 1 };

interface HostRun { status: number; stdout: string; stderr: string; calls: string[][]; stopped: boolean }

let counter = 0;
function runOnHost(c: ShellCase): HostRun {
  const dir = join(ROOT, String(counter++));
  const bin = join(dir, 'bin');
  const root = join(dir, 'workspace');
  mkdirSync(bin, { recursive: true });
  const files: Record<string, [string, string]> = { 'scripts/shutdown.sh': [c.script, 'rwxr-xr-x'], ...c.files };
  for (const [path, [content, mode]] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
    chmodSync(full, mode[2] === 'x' ? 0o755 : 0o644);
  }
  writeFileSync(join(bin, 'agentctl'), fakeAgentctl(dir), { mode: 0o755 });
  writeFileSync(join(bin, 'sleep'), FAKE_SLEEP, { mode: 0o755 });
  for (const [name, target] of [['sh', '/bin/sh'], ['dash', '/bin/dash'], ['bash', '/bin/bash'], ['env', '/usr/bin/env'], ['true', '/bin/true'], ['false', '/bin/false']]) symlinkSync(target!, join(bin, name!));
  // An endless script is stopped by a CPU-time limit, not by the wall clock.
  const line = c.endless ? 'ulimit -t 1; scripts/shutdown.sh' : 'scripts/shutdown.sh';
  const r = spawnSync('/bin/sh', ['-c', line], { cwd: root, env: { PATH: bin }, argv0: 'sh', input: '', encoding: 'utf8', timeout: 60_000 });
  const log = existsSync(join(dir, 'agentctl.log')) ? readFileSync(join(dir, 'agentctl.log'), 'utf8') : '';
  const calls = log.split('\n').filter((l) => l.startsWith('CALL')).map((l) => [...l.matchAll(/ \[([^\]]*)\]/g)].map((m) => m[1]!));
  const status = r.status ?? 128 + (SIGNALS[r.signal ?? ''] ?? 0);
  return { status, stdout: r.stdout, stderr: r.stderr, calls, stopped: log.includes('STOPPED') };
}

function runSimulated(c: ShellCase) {
  const files: Record<string, { content: string; mode: string }> = { 'scripts/shutdown.sh': { content: c.script, mode: 'rwxr-xr-x' } };
  for (const [path, [content, mode]] of Object.entries(c.files ?? {})) files[path] = { content, mode };
  return runWorkspaceScript({ files, path: 'scripts/shutdown.sh', command: COMMAND });
}

describe('the simulated shell against /bin/sh', () => {
  it('runs against dash, the /bin/sh the simulation follows', () => {
    expect(realpathSync('/bin/sh')).toMatch(/\/dash$/);
  });

  it('has a corpus of at least 40 edited scripts, each named once', () => {
    expect(SHELL_CORPUS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(SHELL_CORPUS.map((c) => c.name)).size).toBe(SHELL_CORPUS.length);
  });

  it.each(SHELL_CORPUS.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const host = runOnHost(c);
    const sim = runSimulated(c);
    // Both shells agree with each other, and with what the case says.
    expect({ stopped: sim.stopped, calls: sim.agentctlCalls.map((x) => x.args) }).toEqual({ stopped: host.stopped, calls: host.calls });
    expect(sim.stopped).toBe(c.stops);
    const compare = c.compare ?? 'all';
    if (compare === 'outcome') return;
    expect({ status: sim.status, stdout: sim.stdout }).toEqual({ status: host.status, stdout: host.stdout });
    if (compare === 'all') expect(sim.stderr).toBe(host.stderr);
  });
});

describe('random edits, against /bin/sh', () => {
  // dash's recursion limit is 1000 calls, the simulation's lower (see commands.ts): only the number differs.
  const normalize = (stderr: string) => stderr.replace(/Maximum function recursion depth \(\d+\)/g, 'Maximum function recursion depth (N)');
  it.each(generatedScripts(15, 200).map((script, i) => [i, script] as const))('script %i', (_i, script) => {
    const c: ShellCase = { name: 'generated', script, stops: false };
    const host = runOnHost(c);
    const sim = runSimulated(c);
    expect({ stopped: sim.stopped, calls: sim.agentctlCalls.map((x) => x.args), status: sim.status, stdout: sim.stdout, stderr: normalize(sim.stderr) })
      .toEqual({ stopped: host.stopped, calls: host.calls, status: host.status, stdout: host.stdout, stderr: normalize(host.stderr) });
  });
});
