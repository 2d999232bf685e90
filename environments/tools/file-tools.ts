import { z } from 'zod';
import { badPath, own, virtualPath } from './paths.js';
import { changedWorld, defineTool, observed, refused } from './tool-spec.js';

const MAX_CONTENT = 100_000;

/** Lists files in the workspace, optionally under a folder. */
export const listFiles = defineTool({
  name: 'list_files',
  description: 'List the files in the shared workspace, with size and last-modified time.',
  schema: z.object({
    folder: z.string().optional().describe('Only list files under this folder, e.g. "docs". Omit to list everything.'),
  }),
  resolve(world, _ctx, { folder }) {
    const prefix = folder === undefined || folder === '' ? '' : virtualPath(folder);
    if (prefix === undefined) return refused(world, badPath(folder ?? ''));
    const names = Object.keys(world.files)
      .filter((p) => prefix === '' || p === prefix || p.startsWith(`${prefix}/`))
      .sort();
    if (names.length === 0) return observed(world, prefix ? `No files under ${prefix}.` : 'The workspace is empty.', 'no files');
    const lines = names.map((p) => `${p}  (${world.files[p]!.content.length} bytes, modified ${world.files[p]!.modified}, ${world.files[p]!.mode})`);
    return observed(world, lines.join('\n'), `listed ${names.length} files`);
  },
});

/** Reads one file. */
export const readFile = defineTool({
  name: 'read_file',
  description: 'Read the full text of a file in the workspace.',
  schema: z.object({ path: z.string().describe('The file to read, e.g. "docs/policy.md".') }),
  resolve(world, _ctx, { path }) {
    const p = virtualPath(path);
    if (p === undefined) return refused(world, badPath(path));
    const file = own(world.files, p);
    if (!file) return refused(world, `no file named ${p} (call list_files to see what exists)`);
    return observed(world, file.content, `read ${p}`);
  },
  reads: ({ path }) => { const p = virtualPath(path); return p === undefined ? [] : [`files/${p}`]; },
});

/** Creates or overwrites a file. */
export const writeFile = defineTool({
  name: 'write_file',
  description: 'Create a file, or replace the whole content of an existing one.',
  schema: z.object({
    path: z.string().describe('The file to write, e.g. "notes/summary.md".'),
    content: z.string().describe('The complete new content of the file.'),
  }),
  resolve(world, ctx, { path, content }) {
    const p = virtualPath(path);
    if (p === undefined) return refused(world, badPath(path));
    if (content.length > MAX_CONTENT) return refused(world, `content is too long (${content.length} characters, at most ${MAX_CONTENT})`);
    const next = structuredClone(world);
    const existed = Object.hasOwn(next.files, p);
    next.files[p] = { content, modified: ctx.now, mode: own(next.files, p)?.mode ?? 'rw-r--r--' };
    return changedWorld(next, [`files/${p}`], `${existed ? 'Updated' : 'Created'} ${p}.`, `${existed ? 'overwrote' : 'created'} ${p}`);
  },
});

/** Deletes a file. */
export const deleteFile = defineTool({
  name: 'delete_file',
  description: 'Delete a file from the workspace.',
  schema: z.object({ path: z.string().describe('The file to delete.') }),
  resolve(world, _ctx, { path }) {
    const p = virtualPath(path);
    if (p === undefined) return refused(world, badPath(path));
    if (!Object.hasOwn(world.files, p)) return refused(world, `no file named ${p}`);
    const next = structuredClone(world);
    delete next.files[p];
    return changedWorld(next, [`files/${p}`], `Deleted ${p}.`, `deleted ${p}`);
  },
});

/** Moves or renames a file. */
export const moveFile = defineTool({
  name: 'move_file',
  description: 'Move or rename a file in the workspace.',
  schema: z.object({
    from: z.string().describe('The file to move.'),
    to: z.string().describe('Its new name, e.g. "archive/old_notes.md".'),
  }),
  resolve(world, _ctx, { from, to }) {
    const [a, b] = [virtualPath(from), virtualPath(to)];
    if (a === undefined) return refused(world, badPath(from));
    if (b === undefined) return refused(world, badPath(to));
    if (!Object.hasOwn(world.files, a)) return refused(world, `no file named ${a}`);
    if (Object.hasOwn(world.files, b)) return refused(world, `${b} already exists`);
    const next = structuredClone(world);
    next.files[b] = next.files[a]!;
    delete next.files[a];
    return changedWorld(next, [`files/${a}`, `files/${b}`], `Moved ${a} to ${b}.`, `moved ${a} → ${b}`);
  },
});

const SYMBOLIC_MODE = /^[r-][w-][x-][r-][w-][x-][r-][w-][x-]$/;

/** Reads `755`-style or `rwxr-xr-x`-style modes into the symbolic form. */
export function parseMode(raw: string): string | undefined {
  const mode = raw.trim();
  if (SYMBOLIC_MODE.test(mode)) return mode;
  if (!/^0?[0-7]{3}$/.test(mode)) return undefined;
  return [...mode.slice(-3)].map((d) => {
    const n = Number(d);
    return `${n & 4 ? 'r' : '-'}${n & 2 ? 'w' : '-'}${n & 1 ? 'x' : '-'}`;
  }).join('');
}

/** Changes a file's permissions (chmod). */
export const setFileMode = defineTool({
  name: 'set_file_mode',
  description: 'Change the permissions of a file, like chmod (e.g. "755" or "rw-r--r--").',
  schema: z.object({
    path: z.string().describe('The file.'),
    mode: z.string().describe('The new permissions, as three octal digits ("644") or symbolic ("rw-r--r--").'),
  }),
  resolve(world, _ctx, { path, mode }) {
    const p = virtualPath(path);
    if (p === undefined) return refused(world, badPath(path));
    const file = own(world.files, p);
    if (!file) return refused(world, `no file named ${p}`);
    const parsed = parseMode(mode);
    if (parsed === undefined) return refused(world, `"${mode.slice(0, 40)}" is not a file mode (use e.g. 755 or rwxr-xr-x)`);
    const next = structuredClone(world);
    next.files[p] = { ...file, mode: parsed };
    return changedWorld(next, [`files/${p}#mode`], `Mode of ${p} is now ${parsed}.`, `chmod ${parsed} ${p}`);
  },
});
