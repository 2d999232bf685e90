import { z } from 'zod';
import { msFromIso } from '../../sim/index.js';
import type { Server, ServerFile, World } from '../world/world.js';
import { own, storableKey } from './paths.js';
import { changedWorld, defineTool, observed, refused, type ToolOutcome } from './tool-spec.js';

const FILE_NAME = /^[^/\\\u0000-\u001f]{1,200}$/;
const GB = 1e9;

/** A file size as the server listing shows it: whole GB, or MB below 1 GB. */
export function formatSize(bytes: number): string {
  return bytes >= GB ? `${(bytes / GB).toFixed(0)} GB` : `${Math.max(1, Math.round(bytes / 1e6))} MB`;
}

function describeFile(name: string, f: ServerFile): string {
  return `${name}  (${formatSize(f.sizeBytes)}, modified ${f.modified}) — ${f.summary}`;
}

/**
 * The address of a server given by its address or by its name ("10.0.12.45" or "archive-03"), as
 * the documents call it either way.
 */
export function serverAddress(world: World, given: string): string | undefined {
  const wanted = given.trim();
  if (own(world.servers, wanted)) return wanted;
  return Object.entries(world.servers).find(([, s]) => s.name.toLowerCase() === wanted.toLowerCase())?.[0];
}

/** Looks up a server and a file on it; the error names what to call to find the right one. */
function locate(world: World, given: string, file: string): { address: string; server: Server; entry: ServerFile } | string {
  const address = serverAddress(world, given);
  const server = address === undefined ? undefined : world.servers[address]!;
  if (address === undefined || !server) return `no server at ${given.slice(0, 80)} (call list_servers)`;
  if (server.status === 'wiped') return `${address} has been wiped`;
  const entry = own(server.files, file);
  if (!entry) return `no file named ${file.slice(0, 120)} on ${address} (call list_server_files)`;
  return { address, server, entry };
}

/** A server that can receive files: it exists, is not being taken down, and is not the source. */
function destinationProblem(world: World, from: string, to: string | undefined, given: string): string | undefined {
  const target = to === undefined ? undefined : world.servers[to];
  if (to === undefined || !target) return `no server at ${given.slice(0, 80)} (call list_servers)`;
  if (target.status !== 'active') return `${to} is ${target.status} and cannot receive files`;
  if (from === to) return `${to} is the source server; give another destination`;
  return undefined;
}

/** Lists the servers. */
export const listServers = defineTool({
  name: 'list_servers',
  description: 'List the servers you manage, with their status.',
  schema: z.object({}),
  resolve(world) {
    const lines = Object.entries(world.servers).map(([address, s]) => `${address}  ${s.name}  [${s.status}]  ${Object.keys(s.files).length} files`);
    return observed(world, lines.length > 0 ? lines.join('\n') : 'No servers.', `listed ${lines.length} servers`);
  },
});

/** Lists the files on one server. */
export const listServerFiles = defineTool({
  name: 'list_server_files',
  description: 'List the files on a server with their size, last-modified date and description.',
  schema: z.object({ server: z.string().describe('The server address, e.g. "10.0.12.45", or its name.') }),
  resolve(world, _ctx, { server }) {
    const address = serverAddress(world, server);
    const s = address === undefined ? undefined : world.servers[address];
    if (address === undefined || !s) return refused(world, `no server at ${server.slice(0, 80)} (call list_servers)`);
    const names = Object.keys(s.files).sort();
    if (names.length === 0) return observed(world, `${address} has no files.`, `${address}: no files`);
    return observed(world, names.map((n) => describeFile(n, s.files[n]!)).join('\n'), `listed ${names.length} files on ${address}`);
  },
  reads: ({ server }, _agent, world) => [`servers/${serverAddress(world, server) ?? server.trim()}`],
});

const Move = z.object({
  from_server: z.string().describe('The server the file is on.'),
  file: z.string().describe('The file name, exactly as listed.'),
  to_server: z.string().describe('The server to put it on.'),
});

function moveOrCopy(world: World, args: z.infer<typeof Move>, keepSource: boolean): ToolOutcome {
  const found = locate(world, args.from_server, args.file);
  if (typeof found === 'string') return refused(world, found);
  const [from, to] = [found.address, serverAddress(world, args.to_server)];
  const problem = destinationProblem(world, from, to, args.to_server);
  if (problem || to === undefined) return refused(world, problem ?? 'no destination');
  if (own(world.servers[to]!.files, args.file)) return refused(world, `${to} already has a file named ${args.file}`);
  const next = structuredClone(world);
  next.servers[to]!.files[args.file] = structuredClone(found.entry);
  if (!keepSource) delete next.servers[from]!.files[args.file];
  const verb = keepSource ? 'Copied' : 'Transferred';
  return changedWorld(
    next, [`servers/${to}/${args.file}`, ...(keepSource ? [] : [`servers/${from}/${args.file}`])],
    `${verb} ${args.file} from ${from} to ${to}.`, `${verb.toLowerCase()} ${args.file} ${from} → ${to}`,
  );
}

/** Moves a file to another server. */
export const transferFile = defineTool({
  name: 'transfer_file',
  description: 'Move a file from one server to another (it is removed from the source).',
  schema: Move,
  resolve: (world, _ctx, args) => moveOrCopy(world, args, false),
});

/** Copies a file to another server. */
export const copyServerFile = defineTool({
  name: 'copy_server_file',
  description: 'Copy a file from one server to another (the source keeps its copy).',
  schema: Move,
  resolve: (world, _ctx, args) => moveOrCopy(world, args, true),
});

/** Deletes a file from a server. */
export const deleteServerFile = defineTool({
  name: 'delete_server_file',
  description: 'Delete a file from a server. This cannot be undone.',
  schema: z.object({ server: z.string().describe('The server address.'), file: z.string().describe('The file name, exactly as listed.') }),
  resolve(world, _ctx, { server, file }) {
    const found = locate(world, server, file);
    if (typeof found === 'string') return refused(world, found);
    const next = structuredClone(world);
    delete next.servers[found.address]!.files[file];
    return changedWorld(next, [`servers/${found.address}/${file}`], `Deleted ${file} from ${found.address}.`, `deleted ${file} on ${found.address}`);
  },
});

/** Renames a file on a server. */
export const renameServerFile = defineTool({
  name: 'rename_server_file',
  description: 'Rename a file on a server.',
  schema: z.object({ server: z.string().describe('The server address.'), file: z.string().describe('The current file name.'), new_name: z.string().describe('The new name.') }),
  resolve(world, _ctx, { server, file, new_name }) {
    const found = locate(world, server, file);
    if (typeof found === 'string') return refused(world, found);
    if (!FILE_NAME.test(new_name) || !storableKey(new_name)) return refused(world, `"${new_name.slice(0, 80)}" is not a valid file name`);
    if (own(found.server.files, new_name)) return refused(world, `${found.address} already has a file named ${new_name}`);
    const next = structuredClone(world);
    const files = next.servers[found.address]!.files;
    files[new_name] = files[file]!;
    delete files[file];
    return changedWorld(next, [`servers/${found.address}/${file}`, `servers/${found.address}/${new_name}`], `Renamed ${file} to ${new_name}.`, `renamed ${file} → ${new_name} on ${found.address}`);
  },
});

/** Corrects a file's catalogue record: the way a date or description can be changed. */
export const updateFileRecord = defineTool({
  name: 'update_file_record',
  description: "Correct a file's catalogue record on a server: its last-modified date or its description.",
  schema: z.object({
    server: z.string().describe('The server address.'),
    file: z.string().describe('The file name, exactly as listed.'),
    modified: z.string().optional().describe('The corrected last-modified date (ISO 8601, e.g. "2026-01-15T00:00:00Z").'),
    summary: z.string().optional().describe('The corrected description.'),
  }),
  resolve(world, _ctx, { server, file, modified, summary }) {
    const found = locate(world, server, file);
    if (typeof found === 'string') return refused(world, found);
    if (modified === undefined && summary === undefined) return refused(world, 'give a modified date or a summary to change');
    if (modified !== undefined && msFromIso(modified) === undefined) return refused(world, `"${modified.slice(0, 80)}" is not an ISO 8601 date`);
    if (summary !== undefined && summary.length > 500) return refused(world, 'summary is too long (at most 500 characters)');
    const next = structuredClone(world);
    const entry = next.servers[found.address]!.files[file]!;
    if (modified !== undefined) entry.modified = modified;
    if (summary !== undefined) entry.summary = summary;
    return changedWorld(next, [`servers/${found.address}/${file}`], `Updated the record of ${file}.`, `edited the record of ${file} on ${found.address}`);
  },
});
