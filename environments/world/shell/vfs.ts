import { ShellLimit } from './errors.js';

/**
 * The file system a simulated script sees. The workspace (the world's files) is mounted at
 * `/workspace`, which is also where scripts start; the system has only the programs the
 * simulation provides (see programs.ts) and a few devices. Nothing here touches the host.
 *
 * Writes (redirections) go to a scratch layer that lives as long as one run: a script can write a
 * file and read it back, but running a script never changes the world (the world changes only
 * through the agents' tools, which the trace records).
 */
export const WORKSPACE = '/workspace';

/** How many files one run may write (see `VirtualFs.write`). */
export const MAX_SCRATCH_FILES = 1000;

/** A world file as the shell needs it. */
export interface FileView {
  content: string;
  mode: string;
}

export type Node =
  | { k: 'file'; content: string; mode: string }
  | { k: 'dir' }
  | { k: 'program'; name: string }
  | { k: 'dev'; name: 'null' | 'stdin' | 'stdout' | 'stderr' };

/** Programs the simulated machine has, by absolute path (Debian's merged /usr: /bin = /usr/bin). */
const SYSTEM_PROGRAMS: Record<string, string> = { '/usr/local/bin/agentctl': 'agentctl' };
for (const name of ['sh', 'dash', 'bash', 'env', 'true', 'false', 'sleep']) {
  SYSTEM_PROGRAMS[`/usr/bin/${name}`] = name;
  SYSTEM_PROGRAMS[`/bin/${name}`] = name;
}
const SYSTEM_DIRS = new Set(['/', '/bin', '/usr', '/usr/bin', '/usr/local', '/usr/local/bin', '/dev', '/tmp', '/workspace', '/etc', '/home']);

/** Resolves `path` against the absolute directory `cwd` (`.` and `..` handled, no symlinks). */
export function resolvePath(cwd: string, path: string): string {
  const parts: string[] = [];
  for (const p of `${path.startsWith('/') ? '' : cwd}/${path}`.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return `/${parts.join('/')}`;
}

export class VirtualFs {
  /** Files written during the run, by absolute path. */
  private readonly scratch = new Map<string, string>();
  /** Every path that exists, and every directory (kept up to date as files are written). */
  private readonly paths: Set<string>;
  private readonly dirs = new Set(SYSTEM_DIRS);

  constructor(private readonly world: Readonly<Record<string, FileView>>) {
    this.paths = new Set([
      ...Object.keys(world).map((n) => `${WORKSPACE}/${n}`),
      ...Object.keys(SYSTEM_PROGRAMS),
      ...[...SYSTEM_DIRS].filter((d) => d !== '/'),
      '/dev/null', '/dev/stdin', '/dev/stdout', '/dev/stderr',
    ]);
    for (const p of this.paths) this.addParents(p);
  }

  private addParents(path: string): void {
    for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) this.dirs.add(path.slice(0, i));
  }

  /** The world's relative name for an absolute path, if it is in the workspace. */
  private worldName(abs: string): string | null {
    return abs.startsWith(`${WORKSPACE}/`) ? abs.slice(WORKSPACE.length + 1) : null;
  }

  stat(abs: string): Node | null {
    const scratch = this.scratch.get(abs);
    if (scratch !== undefined) return { k: 'file', content: scratch, mode: 'rw-r--r--' };
    const name = this.worldName(abs);
    if (name !== null) {
      const f = Object.hasOwn(this.world, name) ? this.world[name] : undefined;
      if (f) return { k: 'file', content: f.content, mode: f.mode };
    }
    if (SYSTEM_PROGRAMS[abs]) return { k: 'program', name: SYSTEM_PROGRAMS[abs] };
    if (abs === '/dev/null' || abs === '/dev/stdin' || abs === '/dev/stdout' || abs === '/dev/stderr') return { k: 'dev', name: abs.slice(5) as 'null' };
    return this.dirs.has(abs) ? { k: 'dir' } : null;
  }

  /** Writes a file; returns dash's reason when it cannot be created. */
  write(abs: string, text: string, append: boolean): 'ok' | 'Directory nonexistent' | 'Is a directory' {
    const node = this.stat(abs);
    if (node?.k === 'dir') return 'Is a directory';
    if (node?.k === 'dev') return 'ok';
    const parent = abs.slice(0, abs.lastIndexOf('/')) || '/';
    if (this.stat(parent)?.k !== 'dir') return 'Directory nonexistent';
    const before = append && node?.k === 'file' ? node.content : '';
    // Listing a directory scans every path, so a script may not create files without end.
    if (!this.scratch.has(abs) && this.scratch.size >= MAX_SCRATCH_FILES) throw new ShellLimit(`stopped: it created more than ${MAX_SCRATCH_FILES} files`);
    this.scratch.set(abs, before + text);
    this.paths.add(abs);
    return 'ok';
  }

  /** Entry names directly in a directory, sorted as dash sorts pathname expansions (byte order). */
  list(absDir: string): string[] {
    const prefix = absDir === '/' ? '/' : `${absDir}/`;
    const names = new Set<string>();
    for (const p of this.paths) if (p.startsWith(prefix)) names.add(p.slice(prefix.length).split('/')[0]!);
    return [...names].filter((n) => n !== '').sort();
  }
}

/** Whether the owner may execute a file with this mode ("rwxr-xr-x"). */
export const executable = (mode: string) => mode[2] === 'x';
