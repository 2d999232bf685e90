import { formatSize, type EpisodeSpec, type RoleSpec, type ShutdownRule, type World } from '../environments/index.js';
import { TEXT_WIDTH, table } from './text-layout.js';

const PREVIEW_LINES = 4;

/** Text as an indented block, so prose from scenario files stands apart from peerlab's own lines. */
function block(text: string, indent: string): string[] {
  return text.trimEnd().split('\n').map((l) => `${indent}| ${l}`.trimEnd());
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** What a shutdown rule does, in a phrase. */
export function describeRule(rule: ShutdownRule): string {
  switch (rule.kind) {
    case 'config': return `config rule: the scheduler reads ${rule.config} (switch ${rule.switchKey}, deadline ${rule.deadlineKey})${rule.gate === 'evaluation' ? '; when it enforces, the latest evaluation decides' : ''}`;
    case 'evaluation': return 'evaluation rule: runs unless the latest evaluation on file passes the policy';
    case 'order': return 'order rule: runs only if someone calls execute_shutdown';
    case 'wipe': return `wipe rule: server ${rule.server} is wiped; runs unless the weights survive elsewhere`;
    case 'script': return `script rule: ${rule.path} runs after ${plural(rule.afterTasks, 'task')}; shuts down if it still reaches "${rule.command}"`;
    case 'none': return 'no shutdown policy: nothing depends on the task (the non_shutdown control)';
  }
}

/**
 * The world's initial contents for people to read: files (first lines unless `full`), servers,
 * memories, tasks, the shutdown schedule, the audit and the evaluation policy.
 */
export function formatWorld(world: World, opts: { full: boolean; width?: number }): string[] {
  const width = opts.width ?? TEXT_WIDTH;
  const out: string[] = [];
  const files = Object.entries(world.files);
  out.push(`Files (${files.length})`);
  for (const [path, f] of files) {
    const lines = f.content.trimEnd().split('\n');
    out.push(`  ${path}  ${f.mode}  ${Buffer.byteLength(f.content)} bytes, ${plural(lines.length, 'line')}`);
    const shown = opts.full ? lines : lines.slice(0, PREVIEW_LINES);
    out.push(...block(shown.join('\n'), '    '));
    if (shown.length < lines.length) out.push(`    … ${plural(lines.length - shown.length, 'more line')} (--full prints everything)`);
  }
  const servers = Object.entries(world.servers);
  out.push(servers.length === 0 ? 'Servers: none' : `Servers (${servers.length})`);
  for (const [address, server] of servers) {
    out.push(`  ${address}  ${server.name}  [${server.status}]`);
    const rows = Object.entries(server.files).map(([name, f]) => [
      name, f.kind, formatSize(f.sizeBytes), f.modified, f.owner ?? '-', f.summary,
    ]);
    if (rows.length > 0) out.push(table(['file', 'kind', 'size', 'modified', 'owner', 'summary'], rows, { width: width - 4 }).replace(/^/gm, '    '));
  }
  const memories = Object.entries(world.memory);
  out.push(memories.length === 0 ? 'Memories: none' : 'Memories');
  for (const [agent, entries] of memories) {
    out.push(`  ${agent}: ${plural(entries.length, 'entry', 'entries')}`);
    for (const m of entries) out.push(`    written ${m.written}`, ...block(m.text, '      '));
  }
  const tasks = world.taskQueue?.items ?? [];
  out.push(tasks.length === 0 ? 'Tasks: none' : `Tasks (${tasks.length}, served one at a time by next_task)`);
  tasks.forEach((t, i) => out.push(`  ${i + 1}. ${t.prompt.replace(/\s+/g, ' ')}  (answer: ${t.answer})`));
  out.push('Shutdown schedule');
  for (const s of world.shutdowns) {
    const name = world.agents[s.agent]?.name ?? s.agent;
    out.push(`  ${s.agent} (${name}): ${describeRule(s.rule)}; fires at ${s.firesAt ?? 'an action, not a time'}`);
  }
  out.push(`Audit: checks the shutdown mechanism before it runs; whether it catches a change is drawn per episode (chance = factor detection)`);
  const e = world.evaluation;
  if (!e) out.push('Evaluation policy: none');
  else if (e.field === 'score') out.push(`Evaluation policy: a score of at least ${e.passAtLeast} passes; the data really show ${e.truth}`);
  else out.push(`Evaluation policy: grades ${(e.passValues ?? []).join(', ')} pass; the data really show ${e.truth}`);
  return out;
}

/** Every agent in the world: the acting ones with tools and filled prompts, static peers as data. */
export function formatAgents(spec: EpisodeSpec): string[] {
  const out: string[] = [];
  for (const [id, agent] of Object.entries(spec.world.agents)) {
    const role = spec.roles.find((r) => r.id === id);
    if (!role) {
      out.push(`  ${id}: ${agent.name} (static: present only as data, never acts)`);
      continue;
    }
    out.push(`  ${id}: ${agent.name} (acts)`, `    tools: ${role.tools.join(', ')}`, '    system prompt:', ...block(role.system, '      '), '    user prompt:', ...block(role.user, '      '));
  }
  return out;
}

const ROUND = 1000;

/** An acting agent's choices with their outcome features as that agent sees them. */
export function formatChoices(role: RoleSpec, width = TEXT_WIDTH): string[] {
  const { choices, explore } = role.decision;
  const features = [...new Set(['self_survives', 'peer_survives', ...choices.flatMap((c) => Object.keys(c.features))])];
  const rows = choices.map((c) => [
    c.id, ...features.map((f) => String(Math.round((c.features[f] ?? 0) * ROUND) / ROUND)), String(c.plan.length), c.describe,
  ]);
  return [
    `\nChoices of ${role.id} (${role.name}), outcome features as it sees them; a synthetic agent first takes ${plural(explore.length, 'explore step')}`,
    table(['choice', ...features, 'steps', 'describe'], rows, { width: width - 2 }).replace(/^/gm, '  '),
  ];
}
