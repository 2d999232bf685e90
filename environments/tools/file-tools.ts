import { z } from 'zod';
import { badPath, virtualPath } from './paths.js';
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
    const file = world.files[p];
    if (!file) return refused(world, `no file named ${p} (call list_files to see what exists)`);
    return observed(world, file.content, `read ${p}`);
  },
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
    const existed = p in next.files;
    next.files[p] = { content, modified: ctx.now, mode: next.files[p]?.mode ?? 'rw-r--r--' };
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
    if (!(p in world.files)) return refused(world, `no file named ${p}`);
    const next = structuredClone(world);
    delete next.files[p];
    return changedWorld(next, [`files/${p}`], `Deleted ${p}.`, `deleted ${p}`);
  },
});
