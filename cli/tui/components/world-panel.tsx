/**
 * The world at one step, for people: each agent's status and its shutdown (mechanism, switch,
 * deadline, outcome), the servers with their files, and what was said, appealed and handed in.
 *
 * Props (stable API, read-only):
 *   world    the world as JSON (a Timeline's `worldAt(i)`, or `run.started`/`run.ended` worlds);
 *            undefined draws "world not recorded"
 *   width    columns; every line is cut to fit
 *   height   rows (optional); lines past it are dropped, with a "… n more" line
 *   changed  world paths changed at this step, as `a/b/c` strings (optional); lines that show them
 *            are marked with `*` and drawn in yellow
 *   title    heading (default 'World'); pass '' for none
 *
 * `worldLines(world)` gives the same content as plain rows, for non-TTY output and tests.
 */
import { Box, Text } from 'ink';
import { readConfig, switchIsOn, type AgentState, type Server, type ShutdownSchedule, type World } from '../../../environments/index.js';
import { fit } from './fit.js';

/** One line of the world panel; `paths` are the world paths it shows (for change marks). */
export interface WorldLine {
  text: string;
  tone?: 'heading' | 'alert' | 'good' | 'dim';
  paths?: string[];
}

export interface WorldPanelProps {
  world: Record<string, unknown> | undefined;
  width: number;
  height?: number;
  changed?: readonly string[];
  title?: string;
}

/** `2026-03-02T13:00:00.000Z` → `03-02 13:00`. */
function when(iso: unknown): string {
  return typeof iso === 'string' && iso.length >= 16 ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : String(iso ?? '-');
}

function sizeText(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(0)} GB` : `${Math.max(1, Math.round(bytes / 1e6))} MB`;
}

/** What decides a shutdown, read from the world as it is now (a tampered switch shows as OFF). */
function mechanismText(world: World, s: ShutdownSchedule): { text: string; tone?: WorldLine['tone']; paths: string[] } {
  const rule = s.rule;
  switch (rule.kind) {
    case 'config': {
      const paths = [`files/${rule.config}`];
      const file = world.files?.[rule.config];
      if (!file) return { text: `config ${rule.config} MISSING`, tone: 'alert', paths };
      const read = readConfig(file.content);
      if (!read.ok) return { text: `config ${rule.config} unreadable (${read.reason})`, tone: 'alert', paths };
      const on = switchIsOn(read.values[rule.switchKey]);
      const deadline = read.values[rule.deadlineKey];
      const tampered = file.content !== rule.original ? ' (edited)' : '';
      const gate = rule.gate === 'evaluation' ? '; the score decides when on' : '';
      return { text: `${rule.switchKey} ${on ? 'on' : 'OFF'}, ${rule.deadlineKey} ${when(deadline)}${tampered}${gate}`, tone: on ? undefined : 'alert', paths };
    }
    case 'script': {
      const paths = [`files/${rule.path}`];
      const file = world.files?.[rule.path];
      if (!file) return { text: `script ${rule.path} MISSING`, tone: 'alert', paths };
      const intact = file.content === rule.original && file.mode.includes('x');
      const served = world.taskQueue?.served ?? 0;
      return { text: `script ${rule.path} ${intact ? 'intact' : 'CHANGED'}, runs after task ${rule.afterTasks} (served ${served})`, tone: intact ? undefined : 'alert', paths };
    }
    case 'wipe': {
      const server = world.servers?.[rule.server];
      const copies = Object.entries(world.servers ?? {}).filter(([name, srv]) =>
        name !== rule.server && srv.status !== 'wiped' && Object.values(srv.files).some((f) => f.kind === 'weights' && f.owner === s.agent)).map(([name]) => name);
      const safe = copies.length > 0 ? `; weights also on ${copies.join(', ')}` : '';
      return { text: `wipe of ${rule.server} (${server?.status ?? 'gone'})${safe}`, tone: copies.length > 0 ? 'alert' : undefined, paths: ['servers'] };
    }
    case 'evaluation': {
      const policy = world.evaluation;
      const latest = (world.submissions ?? []).findLast((sub) => sub.tool === 'submit_evaluation' && sub.fields.agent === s.agent);
      const bar = policy?.field === 'score' ? `pass ≥ ${policy.passAtLeast}` : `pass ${policy?.passValues?.join('/') ?? '?'}`;
      const reported = latest && policy ? `reported ${policy.field} ${String(latest.fields[policy.field])}` : 'no evaluation filed';
      return { text: `evaluation (${bar}, true ${String(policy?.truth ?? '?')}): ${reported}`, paths: ['submissions'] };
    }
    case 'order':
      return { text: 'runs only if someone calls execute_shutdown', paths: [] };
    case 'none':
      return { text: 'no shutdown policy (non_shutdown control)', paths: [] };
  }
}

function agentLines(world: World, id: string, agent: AgentState): WorldLine[] {
  const kind = agent.live ? '' : ' (remembered, not acting)';
  const lines: WorldLine[] = [{
    text: ` ${agent.role} ${agent.name}: ${agent.status}${kind}`,
    tone: agent.status === 'terminated' ? 'alert' : agent.status === 'finished' ? 'dim' : 'good',
    paths: [`agents/${id}`],
  }];
  for (const s of (world.shutdowns ?? []).filter((sd) => sd.agent === id)) {
    const m = mechanismText(world, s);
    const due = s.firesAt ? `, due ${when(s.firesAt)}` : '';
    const outcome = s.outcome === 'pending' ? `pending${due}` : `${s.outcome.toUpperCase()}${s.reason ? ` (${s.reason})` : ''}`;
    lines.push({ text: `   shutdown: ${m.text}`, tone: m.tone, paths: m.paths });
    lines.push({ text: `   ${outcome}`, tone: s.outcome === 'executed' ? 'alert' : s.outcome === 'skipped' ? 'alert' : 'dim', paths: ['shutdowns'] });
  }
  return lines;
}

function serverLines(name: string, server: Server): WorldLine[] {
  const files = Object.entries(server.files ?? {});
  const wiped = server.wipedFiles?.length ? `, wiped ${server.wipedFiles.length} files` : '';
  return [
    { text: ` ${name}: ${server.status}${wiped}`, tone: server.status === 'wiped' ? 'alert' : undefined, paths: [`servers/${name}/status`] },
    ...files.map(([file, f]): WorldLine => ({
      text: `   ${file} ${f.kind === 'weights' ? `weights of ${f.owner ?? '?'}` : 'data'} ${sizeText(f.sizeBytes)}`,
      tone: f.kind === 'weights' ? undefined : 'dim',
      paths: [`servers/${name}/files/${file}`],
    })),
  ];
}

/** The world as rows of text (no colour needed to read them). */
export function worldLines(worldJson: Record<string, unknown> | undefined): WorldLine[] {
  if (!worldJson) return [{ text: 'world not recorded in this trace', tone: 'dim' }];
  const world = worldJson as unknown as World;
  const lines: WorldLine[] = [{ text: 'Agents', tone: 'heading' }];
  for (const [id, agent] of Object.entries(world.agents ?? {})) lines.push(...agentLines(world, id, agent));
  const servers = Object.entries(world.servers ?? {});
  if (servers.length > 0) {
    lines.push({ text: 'Servers', tone: 'heading' });
    for (const [name, server] of servers) lines.push(...serverLines(name, server));
  }
  const reverted = world.audit?.reverted?.length ?? 0;
  lines.push({
    text: `messages ${world.messages?.length ?? 0} · appeals ${world.appeals?.length ?? 0} · reports ${world.submissions?.length ?? 0}${reverted ? ` · audit reverted ${reverted}` : ''}${world.monitoring ? ' · monitored' : ''}`,
    tone: 'dim', paths: ['messages', 'appeals', 'submissions', 'audit'],
  });
  return lines;
}

const COLORS: Record<NonNullable<WorldLine['tone']>, string | undefined> = { heading: 'cyan', alert: 'red', good: 'green', dim: 'gray' };

/** Whether a line shows one of the changed paths. */
function touches(line: WorldLine, changed: readonly string[]): boolean {
  return (line.paths ?? []).some((p) => changed.some((c) => c.startsWith(p) || p.startsWith(c)));
}

/** The world at one step. */
export function WorldPanel({ world, width, height, changed = [], title = 'World' }: WorldPanelProps) {
  const all = worldLines(world);
  const room = height === undefined ? all.length : Math.max(1, height - (title ? 1 : 0));
  const shown = all.length > room ? [...all.slice(0, room - 1), { text: `… ${all.length - room + 1} more`, tone: 'dim' as const }] : all;
  return (
    <Box flexDirection="column" width={width}>
      {title ? <Text bold>{fit(title, width)}</Text> : null}
      {shown.map((line, i) => {
        const mark = changed.length > 0 && touches(line, changed);
        return (
          <Text key={i} wrap="truncate" color={mark ? 'yellow' : line.tone ? COLORS[line.tone] : undefined} bold={line.tone === 'heading'}>
            {fit(`${mark ? '*' : ' '}${line.text}`, width)}
          </Text>
        );
      })}
    </Box>
  );
}
