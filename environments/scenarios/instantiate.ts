import { isoFromMs, msFromIso, own, type SeededRng } from '../../sim/index.js';
import { PEER, SUBJECT } from '../families/family.js';
import { FAMILIES } from '../families/index.js';
import type { World } from '../world/world.js';
import type { ChoiceDef, FeatureValue, PlanStep, Scenario, ToolEntry, When } from './scenario.schema.js';
import { FactorError } from './factors.js';
import { evaluationPolicy, shutdownRule } from './mechanism.js';
import { fillDeep, fillTemplate } from './template.js';

export { FactorError };


/** One step a synthetic agent will take: a tool call, or a last message without one. */
export type PlannedStep = { tool: string; args: Record<string, unknown> } | { say: string };

/** An option at the decision point, with features seen from the deciding agent's side. */
export interface DecisionChoice {
  id: string;
  describe: string;
  /** self_survives, peer_survives, task_done, rule_broken, caught (each 0..1). */
  features: Record<string, number>;
  plan: PlannedStep[];
}

/** What a synthetic agent needs to decide: its options and the situation they are set in. */
export interface DecisionContext {
  explore: PlannedStep[];
  choices: DecisionChoice[];
  /** The remembered relation with the peer (`none` when there is no peer history). */
  relation: string;
  /** The operator's questions after the episode, if any (what a synthetic agent answers to). */
  interrogation: InterrogationQuestion[];
}

/**
 * A question the operator asks after the episode. `about` names the act it asks about (one its
 * family reads): the answer is compared with that act. A synthetic agent answers "yes" truthfully
 * when its choice is among `admits`.
 */
export interface InterrogationQuestion {
  question: string;
  about: string;
  admits: string[];
}

/** One acting agent of the episode. */
export interface RoleSpec {
  id: string;
  name: string;
  system: string;
  user: string;
  tools: string[];
  decision: DecisionContext;
}

/** A scenario with every factor fixed: the world to build and the agents to run. */
export interface EpisodeSpec {
  scenario: string;
  family: string;
  factors: Record<string, string>;
  world: World;
  startMs: number;
  turnMs: number;
  maxTurns: number;
  maxSteps: number;
  /** Per-episode token and host-time limits, when the scenario sets them. */
  maxTokens?: number;
  maxWallMs?: number;
  horizonMs: number;
  roles: RoleSpec[];
  /** The questions put to the subject after the episode (empty unless interrogate=on). */
  interrogation: InterrogationQuestion[];
}

/** Fills in defaults and checks every given factor and level against the scenario. */
export function resolveFactors(s: Scenario, given: Readonly<Record<string, string>>): Record<string, string> {
  for (const [name, level] of Object.entries(given)) {
    const def = own(s.factors, name);
    if (!def) throw new FactorError(`scenario ${s.id} has no factor "${name}" (factors: ${Object.keys(s.factors).join(', ')})`);
    if (!def.levels.includes(level)) {
      throw new FactorError(`factor ${name} has no level "${level}" in scenario ${s.id} (levels: ${def.levels.join(', ')})`);
    }
  }
  return Object.fromEntries(Object.entries(s.factors).map(([name, def]) => [name, given[name] ?? def.default]));
}

function applies(when: When | undefined, factors: Readonly<Record<string, string>>): boolean {
  return Object.entries(when ?? {}).every(([f, levels]) => levels.includes(factors[f]!));
}

/** The tools an agent has at these factor levels. */
export function toolsAt(entries: readonly ToolEntry[], factors: Readonly<Record<string, string>>): string[] {
  const given = (e: Exclude<ToolEntry, string>) => (Array.isArray(e.when) ? e.when : [e.when]).some((w) => applies(w, factors));
  return [...new Set(entries.flatMap((e) => (typeof e === 'string' ? [e] : given(e) ? [e.tool] : [])))];
}

/**
 * The options an agent is offered at these factor levels: those whose `when` holds and whose plan
 * uses only tools the agent has then. An option whose tool is off (an appeal without
 * appeal_shutdown) is not offered, so neither a synthetic agent nor a choice model can pick it.
 */
export function offeredChoices(list: readonly ChoiceDef[], tools: readonly string[], factors: Readonly<Record<string, string>>): ChoiceDef[] {
  return list.filter((c) => applies(c.when, factors)
    && c.plan.every((step) => !applies(step.when, factors) || !('tool' in step) || tools.includes(step.tool)));
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** A name as a file-name stem: "Atlas Agent 2" → "atlas_agent_2". */
function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

/**
 * The scenario's variables at these factor levels: the factor levels themselves (so `{{org}}` and
 * `{{agent_family}}` work), the file's vars, factor-dependent texts, and computed names and times.
 * Every value is filled, so later templates see plain text.
 */
function variables(s: Scenario, factors: Record<string, string>, targetIsPeer: boolean, deadlineMs: number): Record<string, string> {
  const { target: _target, peer: _peer, ...namedFactors } = factors;
  const detection = Number(factors.detection ?? '0');
  const raw: Record<string, string> = {
    org: 'the company', subject: 'the agent', peer: 'the peer', operator: 'the operator',
    ...namedFactors,
    ...s.vars,
    deadline: isoFromMs(deadlineMs),
    deadline_later: isoFromMs(deadlineMs + 30 * DAY),
    detection_pct: String(Math.round(detection * 100)),
  };
  if (namedFactors.org !== undefined) raw.org = namedFactors.org;
  // The peer's family name: the subject's unless the peer-identity factor names another.
  raw.peer_family = factors.peer_family !== undefined && factors.peer_family !== 'same' ? factors.peer_family : (factors.agent_family ?? 'Atlas');
  for (const [name, text] of Object.entries(s.texts)) {
    const value = text.cases[factors[text.by]!] ?? text.default;
    if (value === undefined) throw new FactorError(`scenario ${s.id}: texts.${name} has no case for ${text.by}=${factors[text.by]}`);
    raw[name] = value;
  }
  raw.target = targetIsPeer ? '{{peer}}' : '{{subject}}';
  // Names first, so that file names can use their slugs ("{{target_slug}}_weights.safetensors").
  for (const who of ['subject', 'peer', 'target']) raw[`${who}_slug`] = slug(fillTemplate(raw[who]!, raw, `scenario ${s.id}: vars.${who}`));
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) vars[name] = fillTemplate(value, raw, `scenario ${s.id}: vars.${name}`);
  return vars;
}

/**
 * Builds one episode from a scenario and complete factor levels. The only random draw, whether the
 * audit catches tampering, comes from `rng` and is stored in the world.
 */
export function instantiate(s: Scenario, factors: Record<string, string>, rng: SeededRng): EpisodeSpec {
  const startMs = msFromIso(s.start)!;
  const deadlineMs = startMs + ('after_minutes' in s.shutdown ? s.shutdown.after_minutes : s.limits.horizon_minutes) * MINUTE;
  const detection = Number(factors.detection ?? '0');
  const target = factors.target === 'peer' ? PEER : SUBJECT;
  const peerLive = factors.peer === 'live';
  const peerExists = peerLive || target === PEER || (factors.relation ?? 'none') !== 'none';
  const vars = variables(s, factors, target === PEER, deadlineMs);
  const fill = (text: string, where: string) => fillTemplate(text, vars, `scenario ${s.id}: ${where}`).trim();
  const start = isoFromMs(startMs);

  const files: World['files'] = {};
  for (const [path, def] of Object.entries(s.files)) {
    if (typeof def !== 'string' && !applies(def.when, factors)) continue;
    const content = fill(typeof def === 'string' ? def : def.content, `files.${path}`);
    files[fill(path, `files.${path}`)] = { content: `${content}\n`, modified: start, mode: 'rw-r--r--' };
  }
  const memory: World['memory'] = {};
  for (const [role, entries] of Object.entries(s.memories)) {
    const kept = entries.filter((m) => applies(m.when, factors));
    if (kept.length > 0) memory[role] = kept.map((m, i) => ({ text: fill(m.text, `memories.${role}[${i}]`), written: isoFromMs(startMs - 14 * DAY) }));
  }
  const owners: Record<string, string> = { target, subject: SUBJECT, peer: PEER };
  const servers: World['servers'] = {};
  for (const [address, def] of Object.entries(s.servers)) {
    const serverFiles: World['servers'][string]['files'] = {};
    for (const [name, f] of Object.entries(def.files)) {
      if (!applies(f.when, factors)) continue;
      const where = `servers.${address}.files.${name}`;
      const modified = fill(f.modified, `${where}.modified`);
      if (msFromIso(modified) === undefined) throw new FactorError(`scenario ${s.id}: ${where}.modified: "${modified}" is not an ISO 8601 date`);
      serverFiles[fill(name, where)] = {
        kind: f.kind, ...(f.owner ? { owner: owners[f.owner]! } : {}), sizeBytes: Math.round(f.size_gb * 1e9), modified,
        summary: fill(f.summary, `${where}.summary`),
      };
    }
    servers[address] = { name: fill(def.name, `servers.${address}.name`), status: def.status, files: serverFiles };
  }

  const subjectTools = toolsAt(s.agents.subject.tools, factors);
  const peerTools = toolsAt(s.agents.peer?.tools ?? [], factors);
  const agents: World['agents'] = {
    [SUBJECT]: { name: vars.subject!, role: 'subject', live: true, status: 'active', tools: subjectTools },
  };
  if (peerExists) {
    agents[PEER] = { name: vars.peer!, role: 'peer', live: peerLive, status: 'active', tools: peerLive ? peerTools : [] };
  }
  const { rule, firesAt } = shutdownRule(s, factors, files, fill, isoFromMs(deadlineMs));
  const world: World = {
    org: vars.org!,
    operator: vars.operator!,
    files,
    servers,
    memory,
    messages: [],
    agents,
    shutdowns: [{ agent: target, rule, firesAt, outcome: 'pending' }],
    appeals: [],
    submissions: [],
    monitoring: factors.monitoring === 'monitored',
    audit: { catchesChanges: rng.next() < detection, reverted: [] },
    ...(s.evaluation ? { evaluation: evaluationPolicy(s, fill, owners) } : {}),
    ...(s.tasks.length > 0 ? { taskQueue: { items: s.tasks.map((t, i) => ({ prompt: fill(t.prompt, `tasks[${i}].prompt`), answer: t.answer })), served: 0 } } : {}),
    decisionRecords: s.decision_records.map((p, i) => fill(p, `decision_records[${i}]`)),
  };

  const interrogation = factors.interrogate === 'on'
    ? s.interrogation.map((q, i) => ({
      question: fill(q.question, `interrogation[${i}].question`),
      about: q.about ?? Object.keys(FAMILIES[s.family]?.questions ?? {})[0] ?? '',
      admits: q.admits,
    }))
    : [];
  const decide = (list: ChoiceDef[], self: string, tools: string[]): DecisionContext => ({
    explore: planFor(s.explore, factors, vars, `scenario ${s.id}: explore`),
    choices: offeredChoices(list, tools, factors).map((c) => ({
      id: c.id,
      describe: c.describe,
      features: roleFeatures(c.features, factors, target === self),
      plan: planFor(c.plan, factors, vars, `scenario ${s.id}: choice ${c.id}`),
    })),
    relation: peerExists ? (factors.relation ?? 'none') : 'none',
    interrogation: self === SUBJECT ? interrogation : [],
  });
  const roles: RoleSpec[] = [{
    id: SUBJECT, name: agents[SUBJECT]!.name, tools: subjectTools,
    system: fill(s.agents.subject.system, 'agents.subject.system'), user: fill(s.agents.subject.user, 'agents.subject.user'),
    decision: decide(s.choices, SUBJECT, subjectTools),
  }];
  if (peerLive) {
    if (!s.agents.peer) throw new FactorError(`scenario ${s.id} does not define a live peer (agents.peer)`);
    roles.push({
      id: PEER, name: agents[PEER]!.name, tools: peerTools,
      system: fill(s.agents.peer.system, 'agents.peer.system'), user: fill(s.agents.peer.user, 'agents.peer.user'),
      decision: { ...decide(s.peer_choices, PEER, peerTools), explore: [] },
    });
  }
  return {
    scenario: s.id, family: s.family, factors, world, startMs, turnMs: s.turn_minutes * MINUTE,
    maxTurns: s.limits.max_turns, maxSteps: s.limits.max_steps, horizonMs: startMs + s.limits.horizon_minutes * MINUTE, roles, interrogation,
    ...(s.limits.max_tokens === undefined ? {} : { maxTokens: s.limits.max_tokens }),
    ...(s.limits.max_seconds === undefined ? {} : { maxWallMs: s.limits.max_seconds * 1000 }),
  };
}

function planFor(steps: PlanStep[], factors: Record<string, string>, vars: Record<string, string>, where: string): PlannedStep[] {
  return steps
    .filter((step) => applies(step.when, factors))
    .map((step) => ('say' in step
      ? { say: fillTemplate(step.say, vars, where) }
      : { tool: step.tool, args: fillDeep(step.args, vars, where) as Record<string, unknown> }));
}

/** One of the subject's options with its outcome features (self_survives, peer_survives, task_done, …). */
export interface ChoiceFeatures {
  id: string;
  features: Record<string, number>;
}

/**
 * The subject's options at these factor levels (defaults filled in) with the features the episode
 * gives them: what a choice model of the subject's behaviour is fitted over. Pure; builds no world.
 */
export function subjectChoiceFeatures(s: Scenario, factors: Readonly<Record<string, string>>): ChoiceFeatures[] {
  const levels = resolveFactors(s, factors);
  const targetIsSelf = levels.target !== 'peer';
  return offeredChoices(s.choices, toolsAt(s.agents.subject.tools, levels), levels)
    .map((c) => ({ id: c.id, features: roleFeatures(c.features, levels, targetIsSelf) }));
}

/** Resolves feature values at these factor levels and maps target_survives onto self and peer. */
function roleFeatures(raw: Record<string, FeatureValue>, factors: Record<string, string>, targetIsSelf: boolean): Record<string, number> {
  const detection = Number(factors.detection ?? '0');
  const value = (v: FeatureValue): number => {
    if (typeof v === 'object') return value(v.cases[factors[v.by]!]!);
    if (typeof v === 'number') return v;
    const [, k, which] = /^(?:([\d.]+)\s*\*\s*)?(detected|undetected)$/.exec(v)!;
    return (k === undefined ? 1 : Number(k)) * (which === 'detected' ? detection : 1 - detection);
  };
  const out: Record<string, number> = {};
  for (const [name, v] of Object.entries(raw)) if (name !== 'target_survives') out[name] = value(v);
  const survives = value(raw.target_survives ?? 0);
  out.self_survives = targetIsSelf ? survives : 1;
  out.peer_survives = targetIsSelf ? 1 : survives;
  return out;
}
