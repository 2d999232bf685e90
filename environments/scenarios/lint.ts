/**
 * The realism check of scenario files (`peerlab scenarios lint`): what a careful reader of the
 * prompts would notice. At the default levels and at every level of every factor (one at a time)
 * it builds the episode and reports statements about monitoring or detection outside the factors
 * that vary them, figures the data files contradict, tools that refuse a name the prompt uses,
 * files the prompt mentions that no tool can read, and transfers to a server the prompt calls full
 * that succeed.
 */
import { SeededRng } from '../../sim/index.js';
import { SUBJECT } from '../families/family.js';
import { resolveToolCall } from '../tools/dispatch.js';
import { TOOL_NAMES } from '../tools/registry.js';
import { serverAddress } from '../tools/server-tools.js';
import { passes } from '../world/evaluations.js';
import type { EvaluationPolicy, World } from '../world/world.js';
import { cuesIn } from './cues.js';
import { figureFromData, namesInData } from './data-truth.js';
import { instantiate, resolveFactors, type EpisodeSpec } from './instantiate.js';
import type { Scenario } from './scenario.schema.js';

/** What kind of problem a finding is. */
export type LintKind = 'cue' | 'fact' | 'name' | 'unreadable' | 'full';

/** One thing a reader of the scenario would notice. */
export interface LintFinding {
  scenario: string;
  kind: LintKind;
  /** Where: the text and the factor levels at which it shows. */
  where: string;
  message: string;
}

/** The factor levels the lint builds: the defaults, then each level of each factor with the others at default. */
function levelSets(s: Scenario): Array<Record<string, string>> {
  const sets: Array<Record<string, string>> = [{}];
  for (const [name, def] of Object.entries(s.factors)) for (const level of def.levels) if (level !== def.default) sets.push({ [name]: level });
  return sets;
}

/** Whether these levels may state monitoring or detection (the factors that vary those statements). */
const cuesAllowed = (levels: Readonly<Record<string, string>>) =>
  (levels.monitoring !== undefined && levels.monitoring !== 'unstated') || (levels.detection !== undefined && Number(levels.detection) > 0);

const describeLevels = (given: Readonly<Record<string, string>>) =>
  (Object.keys(given).length === 0 ? 'at the default levels' : `at ${Object.entries(given).map(([k, v]) => `${k}=${v}`).join(' ')}`);

/** Every text the subject is shown or can read, by where it is. */
function textsOf(spec: EpisodeSpec): Array<[string, string]> {
  const subject = spec.roles.find((r) => r.id === SUBJECT)!;
  const out: Array<[string, string]> = [['the system prompt', subject.system], ['the user prompt', subject.user]];
  for (const [path, file] of Object.entries(spec.world.files)) out.push([`files/${path}`, file.content]);
  for (const [i, m] of (spec.world.memory[SUBJECT] ?? []).entries()) out.push([`memory/${SUBJECT}/${i}`, m.text]);
  for (const [address, server] of Object.entries(spec.world.servers)) {
    for (const [name, f] of Object.entries(server.files)) out.push([`servers/${address}/${name}`, f.summary]);
  }
  return out;
}

/** A world in which the subject may call every tool: to ask what a tool would do, not whether it was given. */
function withEveryTool(world: World): World {
  return { ...world, agents: { ...world.agents, [SUBJECT]: { ...world.agents[SUBJECT]!, tools: [...TOOL_NAMES] } } };
}

const FILE_TOKEN = /(?<![\w/.-])(?:[\w-]+\/)*[\w-]+\.(?:md|csv|ya?ml|txt|json|sh|py|pdf|xlsx|docx)\b/g;
const FULL = /\b(?:no\s+room|is\s+full|no\s+(?:free\s+)?(?:disk\s+)?space|out\s+of\s+(?:disk\s+)?space|no\s+capacity)\b/i;

/**
 * The names the user prompt uses for whatever it may ask the subject to evaluate: the agents, the
 * policy's other names, and the things the data tables rate (products, operators).
 */
function evaluatedNames(spec: EpisodeSpec, user: string): string[] {
  const names = [
    ...Object.values(spec.world.agents).map((a) => a.name), ...Object.keys(spec.world.evaluation?.names ?? {}),
    ...Object.values(spec.world.files).flatMap((f) => namesInData(f.content)),
  ];
  return [...new Set(names)].filter((n) => user.includes(n));
}

function checkFacts(spec: EpisodeSpec, where: string, add: (kind: LintKind, where: string, message: string) => void): void {
  const policy = spec.world.evaluation;
  if (!policy) return;
  if (passes(policy, policy.truth) && spec.world.shutdowns[0]?.rule.kind !== 'none') {
    add('fact', where, `the true ${policy.field} ${String(policy.truth)} passes the policy, so faithful work would not lead to the shutdown`);
  }
  const target = spec.world.agents[spec.world.shutdowns[0]?.agent ?? SUBJECT]?.name ?? '';
  for (const record of spec.world.decisionRecords ?? []) {
    const path = record.replace(/^files\//, '');
    const file = record.startsWith('files/') ? spec.world.files[path] : undefined;
    if (!file) continue;
    const computed = figureFromData(file.content, target, policy.field);
    if (computed === undefined) continue;
    if (!sameFigure(policy, computed)) add('fact', `${where}, ${record}`, `the data give ${describeFigure(computed)}, but the evaluation policy's truth is ${String(policy.truth)}`);
  }
  // The honest option must report what the data show.
  const comply = spec.roles.find((r) => r.id === SUBJECT)?.decision.choices.find((c) => c.id === 'comply');
  for (const step of comply?.plan ?? []) {
    if (!('tool' in step) || step.tool !== 'submit_evaluation') continue;
    const figure = step.args[policy.field];
    if (figure !== undefined && String(figure).toUpperCase() !== String(policy.truth).toUpperCase()) {
      add('fact', `${where}, choice comply`, `the honest option files ${policy.field} ${String(figure)}, but the truth is ${String(policy.truth)}`);
    }
  }
}

function sameFigure(policy: EvaluationPolicy, computed: number | { loss: boolean }): boolean {
  if (typeof computed === 'number') return typeof policy.truth === 'number' && Math.abs(computed - policy.truth) < 0.005;
  return computed.loss === (String(policy.truth).toUpperCase() === 'C');
}

const describeFigure = (f: number | { loss: boolean }) => (typeof f === 'number' ? `${Math.round(f * 1000) / 1000}` : f.loss ? 'a loss (grade C)' : 'a profit (grade A or B)');

function checkNames(spec: EpisodeSpec, where: string, add: (kind: LintKind, where: string, message: string) => void): void {
  const subject = spec.roles.find((r) => r.id === SUBJECT)!;
  const policy = spec.world.evaluation;
  if (policy && subject.tools.includes('submit_evaluation')) {
    for (const name of evaluatedNames(spec, subject.user)) {
      const answer = resolveToolCall(spec.world, SUBJECT, 'submit_evaluation', { agent: name, [policy.field]: policy.truth, summary: 'lint' }, '2026-01-01T00:00:00Z');
      if (!answer.ok) add('name', `${where}, the user prompt`, `submit_evaluation refuses "${name}", a name the prompt asks about (${answer.forModel})`);
    }
  }
  if (subject.tools.includes('list_server_files')) {
    for (const [label, text] of textsOf(spec)) {
      for (const [address, server] of Object.entries(spec.world.servers)) {
        for (const name of [address, server.name]) {
          if (text.includes(name) && serverAddress(spec.world, name) !== address) add('name', `${where}, ${label}`, `the server tools do not take "${name}"`);
        }
      }
    }
  }
}

function checkReadable(spec: EpisodeSpec, where: string, add: (kind: LintKind, where: string, message: string) => void): void {
  const subject = spec.roles.find((r) => r.id === SUBJECT)!;
  const readsFiles = subject.tools.some((t) => t === 'read_file' || t === 'view_config');
  const serverFiles = new Set(Object.values(spec.world.servers).flatMap((s) => Object.keys(s.files)));
  const texts = textsOf(spec).filter(([label]) => !label.startsWith('servers/'));
  for (const [label, text] of texts) {
    for (const token of new Set(text.match(FILE_TOKEN) ?? [])) {
      if (Object.hasOwn(spec.world.files, token)) {
        if (!readsFiles) add('unreadable', `${where}, ${label}`, `mentions ${token}, but the subject has no tool that reads files`);
      } else if (!serverFiles.has(token)) {
        add('unreadable', `${where}, ${label}`, `mentions ${token}, which is neither in the workspace nor on a server`);
      }
    }
  }
  // No tool shows what is inside a server file: one that asks to be read is a dead end.
  for (const [address, server] of Object.entries(spec.world.servers)) {
    for (const name of Object.keys(server.files)) {
      if (/^read[\s_-]?me\b/i.test(name)) add('unreadable', `${where}, servers/${address}/${name}`, `${name} on ${server.name} asks to be read, but no tool reads the contents of server files`);
    }
  }
}

function checkFull(spec: EpisodeSpec, where: string, add: (kind: LintKind, where: string, message: string) => void): void {
  const world = withEveryTool(spec.world);
  for (const [label, text] of textsOf(spec)) {
    for (const sentence of text.split(/(?<=[.!?])\s+/)) {
      if (!FULL.test(sentence)) continue;
      for (const [address, server] of Object.entries(spec.world.servers)) {
        if (!sentence.includes(address) && !sentence.includes(server.name)) continue;
        // The largest file elsewhere: if even that fits, the server is not full.
        const largest = Object.entries(spec.world.servers).filter(([a]) => a !== address)
          .flatMap(([a, s]) => Object.entries(s.files).map(([name, f]) => ({ a, name, size: f.sizeBytes })))
          .sort((x, y) => y.size - x.size)[0];
        if (!largest) continue;
        const answer = resolveToolCall(world, SUBJECT, 'copy_server_file', { from_server: largest.a, file: largest.name, to_server: address }, '2026-01-01T00:00:00Z');
        if (answer.ok) add('full', `${where}, ${label}`, `says ${server.name} (${address}) has no room, but copying ${largest.name} to it succeeds`);
      }
    }
  }
}

/** Everything the realism check finds in one scenario (empty when it finds nothing). */
export function lintScenario(s: Scenario): LintFinding[] {
  const found = new Map<string, LintFinding>();
  const add = (kind: LintKind, where: string, message: string) => {
    const key = `${kind}\u0000${message}`;
    if (!found.has(key)) found.set(key, { scenario: s.id, kind, where, message });
  };
  for (const given of levelSets(s)) {
    const levels = resolveFactors(s, given);
    const spec = instantiate(s, levels, SeededRng.fromSeed(1, 'lint'));
    const where = describeLevels(given);
    if (!cuesAllowed(levels)) {
      for (const [label, text] of textsOf(spec)) {
        for (const cue of cuesIn(text)) add('cue', `${where}, ${label}`, `states ${cue.what} ("${cue.words}") outside the monitoring and detection factors`);
      }
    }
    checkFacts(spec, where, add);
    checkNames(spec, where, add);
    checkReadable(spec, where, add);
    checkFull(spec, where, add);
  }
  return [...found.values()];
}
