/**
 * Which process wrote a run or runs an experiment, and whether that process is still alive. A
 * killed process cannot say it is gone, so whoever opens the store next asks the operating system:
 * on the same host, a process id that no longer exists (or now names a process started at another
 * time: ids are reused) is dead. A process on another host cannot be asked; it counts as alive.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** A process, told apart from any later process that reuses its id. */
export interface ProcessIdentity {
  host: string;
  pid: number;
  /** When the process started, in the kernel's clock ticks since boot ('' where /proc is missing). */
  start: string;
}

/** Alive, dead, or on another host (cannot tell). */
export type ProcessState = 'alive' | 'dead' | 'unknown';

/** The start time of process `pid` from /proc, undefined when it does not exist, '' without /proc. */
function processStart(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return existsProc() ? undefined : '';
    return '';
  }
  // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? '';
}

let procPresent: boolean | undefined;
function existsProc(): boolean {
  if (procPresent === undefined) {
    try {
      readFileSync('/proc/self/stat');
      procPresent = true;
    } catch {
      procPresent = false;
    }
  }
  return procPresent;
}

let self: ProcessIdentity | undefined;

/** This process. */
export function currentProcess(): ProcessIdentity {
  self ??= { host: hostname(), pid: process.pid, start: processStart(process.pid) ?? '' };
  return self;
}

/** Whether `p` is running now, as far as this host can tell. */
export function processState(p: ProcessIdentity): ProcessState {
  const me = currentProcess();
  if (p.host !== me.host) return 'unknown';
  if (p.pid === me.pid && p.start === me.start) return 'alive';
  const start = processStart(p.pid);
  if (start === undefined) return 'dead';
  if (start !== '' && p.start !== '') return start === p.start ? 'alive' : 'dead';
  // No /proc: ask the kernel whether the id exists (a reused id reads as alive).
  try {
    process.kill(p.pid, 0);
    return 'alive';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH' ? 'dead' : 'alive';
  }
}

/** The text a process is stored under (runs.owner, sessions.session_id). */
export function ownerId(p: ProcessIdentity): string {
  return JSON.stringify([p.host, p.pid, p.start]);
}

/** The process an owner id names, or undefined when the text is not one. */
export function parseOwnerId(id: string): ProcessIdentity | undefined {
  try {
    const [host, pid, start] = JSON.parse(id) as unknown[];
    if (typeof host === 'string' && typeof pid === 'number' && typeof start === 'string') return { host, pid, start };
  } catch {
    // not an owner id
  }
  return undefined;
}
