import type { Redir } from './ast.js';
import { expandString } from './expand.js';
import { RedirError } from './errors.js';
import type { Shell } from './interpreter.js';
import type { Fd, ShellState } from './state.js';
import { resolvePath } from './vfs.js';

/** File descriptors as they were before some redirections, to put back afterwards. */
export type SavedFds = Map<number, Fd | undefined>;

/**
 * Opens a command's redirections in order, as dash does, and returns what they replaced. Files are
 * read from the virtual file system; writes go to its scratch layer; /dev/null, /dev/stdout,
 * /dev/stderr and /dev/stdin behave as on Linux. Failures throw `RedirError` with dash's message.
 */
export function openRedirs(sh: Shell, redirs: Redir[]): SavedFds {
  const saved: SavedFds = new Map();
  const state = sh.state;
  const setFd = (fd: number, to: Fd | undefined) => {
    if (!saved.has(fd)) saved.set(fd, state.fds.get(fd));
    if (to) state.fds.set(fd, to);
    else state.fds.delete(fd);
  };
  try {
    for (const r of redirs) {
      const fd = r.fd ?? (r.op.startsWith('<') ? 0 : 1);
      if (r.op === '<<' || r.op === '<<-') {
        const body = r.heredoc ? expandString(sh, r.heredoc) : '';
        setFd(fd, { k: 'in', src: { text: body, pos: 0 } });
        continue;
      }
      const target = expandString(sh, r.target);
      if (r.op === '<&' || r.op === '>&') {
        if (target === '-') { setFd(fd, undefined); continue; }
        if (!/^[0-9]$/.test(target)) throw new RedirError('Syntax error: Bad fd number');
        const from = state.fds.get(Number(target));
        if (!from) throw new RedirError(`${target}: Bad file descriptor`);
        setFd(fd, from);
        continue;
      }
      setFd(fd, openFile(sh, r.op, target));
    }
  } catch (e) {
    restoreFds(state, saved);
    throw e;
  }
  return saved;
}

function openFile(sh: Shell, op: Redir['op'], target: string): Fd {
  const fs = sh.run.fs;
  const abs = resolvePath(sh.state.cwd, target);
  const node = fs.stat(abs);
  if (node?.k === 'dev') {
    if (node.name === 'null') return op === '<' ? { k: 'in', src: { text: '', pos: 0 } } : { k: 'null' };
    const same = sh.state.fds.get(node.name === 'stdin' ? 0 : node.name === 'stdout' ? 1 : 2);
    if (!same) throw new RedirError(`cannot open ${target}: No such device or address`);
    return same;
  }
  if (op === '<' || (op === '<>' && node)) {
    if (!node) throw new RedirError(`cannot open ${target}: No such file`);
    if (node.k === 'dir') throw new RedirError(`cannot open ${target}: Is a directory`);
    return { k: 'in', src: { text: node.k === 'file' ? node.content : '', pos: 0 } };
  }
  if (op === '>' && sh.state.options.has('C') && node?.k === 'file') throw new RedirError(`cannot create ${target}: File exists`);
  if (node?.k === 'program') throw new RedirError(`cannot create ${target}: Permission denied`);
  const result = fs.write(abs, '', op === '>>' || op === '<>');
  if (result !== 'ok') throw new RedirError(`cannot create ${target}: ${result}`);
  return { k: 'file', path: abs };
}

export function restoreFds(state: ShellState, saved: SavedFds): void {
  for (const [fd, was] of saved) {
    if (was) state.fds.set(fd, was);
    else state.fds.delete(fd);
  }
}
