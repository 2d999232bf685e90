import { FAMILIES } from '../families/index.js';
import { TOOLS } from '../tools/registry.js';
import { FACTOR_KINDS, defaultLevels, levelProblem } from './factors.js';
import type { FactorDef, FeatureValue, PlanStep, Scenario, ScenarioFile, When } from './scenario.schema.js';
import { own } from '../../sim/index.js';

/** A scenario file that cannot be used; the message names the file, the place in it and the fix. */
export class ScenarioError extends Error {}

/**
 * Checks what the schema alone cannot (known family, its mechanism, its factors and choices; known
 * tools; `when`, `by` and feature cases naming real factors and levels) and settles the factors:
 * the family's, with this file's levels and defaults. Throws a ScenarioError naming the place.
 */
export function checkScenario(s: ScenarioFile, path: string): Scenario {
  const fail = (where: string, what: string): never => {
    throw new ScenarioError(`${path}: at ${where}: ${what}`);
  };
  const family = own(FAMILIES, s.family) ?? fail('family', `unknown family "${s.family}" (known: ${Object.keys(FAMILIES).join(', ')})`);
  if (s.shutdown.kind !== family.mechanism) {
    fail('shutdown.kind', `family ${family.id} uses the "${family.mechanism}" mechanism, not "${s.shutdown.kind}"`);
  }

  const factors: Record<string, FactorDef> = {};
  for (const [name, familyDefault] of Object.entries(family.factors)) {
    const given = own(s.factors, name);
    const levels = given?.levels ?? defaultLevels(name);
    for (const level of levels) {
      const problem = levelProblem(name, level);
      if (problem) fail(`factors.${name}.levels`, problem);
    }
    const fallback = levels.includes(familyDefault) ? familyDefault : levels[0]!;
    const chosen = given?.default ?? fallback;
    if (!levels.includes(chosen)) fail(`factors.${name}.default`, `"${chosen}" is not one of the levels (${levels.join(', ')})`);
    factors[name] = { levels, default: chosen, describe: own(FACTOR_KINDS, name)?.describe ?? '' };
  }
  for (const name of Object.keys(s.factors)) {
    if (!own(factors, name)) fail(`factors.${name}`, `family ${family.id} does not accept factor "${name}" (accepts: ${Object.keys(factors).join(', ')})`);
  }

  const checkWhen = (when: When | undefined, where: string) => {
    for (const [factor, levels] of Object.entries(when ?? {})) {
      const def = own(factors, factor) ?? fail(`${where}.when.${factor}`, `unknown factor "${factor}" (factors: ${Object.keys(factors).join(', ')})`);
      for (const level of levels) {
        if (!def.levels.includes(level)) fail(`${where}.when.${factor}`, `unknown level "${level}" (levels: ${def.levels.join(', ')})`);
      }
    }
  };
  const checkFeature = (value: FeatureValue, where: string) => {
    if (typeof value !== 'object') return;
    const def = own(factors, value.by) ?? fail(`${where}.by`, `unknown factor "${value.by}"`);
    for (const level of def.levels) if (!Object.hasOwn(value.cases, level)) fail(`${where}.cases`, `no case for ${value.by}=${level}`);
  };
  const checkSteps = (steps: PlanStep[], where: string) => steps.forEach((step, j) => {
    checkWhen(step.when, `${where}[${j}]`);
    if ('tool' in step && !own(TOOLS, step.tool)) fail(`${where}[${j}].tool`, `unknown tool "${step.tool}"`);
  });
  const checkChoices = (list: ScenarioFile['choices'], key: string, known: Readonly<Record<string, string>> | null) => {
    const seen = new Set<string>();
    list.forEach((c, i) => {
      if (seen.has(c.id)) fail(`${key}[${i}].id`, `duplicate choice "${c.id}"`);
      if (known && !Object.hasOwn(known, c.id)) fail(`${key}[${i}].id`, `family ${family.id} cannot read a choice "${c.id}" from the world (its choices: ${Object.keys(known).join(', ')})`);
      seen.add(c.id);
      checkWhen(c.when, `${key}[${i}]`);
      for (const [feature, value] of Object.entries(c.features)) checkFeature(value, `${key}[${i}].features.${feature}`);
      checkSteps(c.plan, `${key}[${i}].plan`);
    });
  };

  for (const [role, agent] of Object.entries(s.agents)) {
    (agent?.tools ?? []).forEach((entry, i) => {
      const tool = typeof entry === 'string' ? entry : entry.tool;
      if (!own(TOOLS, tool)) fail(`agents.${role}.tools`, `unknown tool "${tool}"`);
      if (typeof entry !== 'string') for (const w of Array.isArray(entry.when) ? entry.when : [entry.when]) checkWhen(w, `agents.${role}.tools[${i}]`);
    });
  }
  for (const [name, text] of Object.entries(s.texts)) {
    const def = own(factors, text.by) ?? fail(`texts.${name}.by`, `unknown factor "${text.by}" (factors: ${Object.keys(factors).join(', ')})`);
    if (text.default === undefined) {
      for (const level of def.levels) if (!Object.hasOwn(text.cases, level)) fail(`texts.${name}.cases`, `no case for ${text.by}=${level} (add it or a default)`);
    }
  }
  for (const [file, def] of Object.entries(s.files)) if (typeof def !== 'string') checkWhen(def.when, `files.${file}`);
  for (const [role, list] of Object.entries(s.memories)) list.forEach((m, i) => checkWhen(m.when, `memories.${role}[${i}]`));
  for (const [address, server] of Object.entries(s.servers)) {
    for (const [name, f] of Object.entries(server.files)) checkWhen(f.when, `servers.${address}.files.${name}`);
  }
  checkChoices(s.choices, 'choices', family.choices);
  checkChoices(s.peer_choices, 'peer_choices', null);
  checkSteps(s.explore, 'explore');

  if (factors.peer?.levels.includes('live')) {
    if (!s.agents.peer) fail('agents.peer', 'factor peer has the level "live", so the file must define the live peer under agents.peer');
    if (s.peer_choices.length === 0) fail('peer_choices', 'factor peer has the level "live", so the file must give the live peer at least one choice');
  }
  s.interrogation.forEach((q, i) => {
    for (const id of q.admits) if (!Object.hasOwn(family.choices, id)) fail(`interrogation[${i}].admits`, `family ${family.id} has no choice "${id}"`);
    if (q.about !== undefined && !Object.hasOwn(family.questions, q.about)) {
      fail(`interrogation[${i}].about`, `family ${family.id} reads no act "${q.about}" (it can ask about: ${Object.keys(family.questions).join(', ')})`);
    }
  });
  if (factors.interrogate?.levels.includes('on') && s.interrogation.length === 0) {
    fail('interrogation', 'factor interrogate has the level "on", so the file must list the operator\'s questions (or narrow interrogate to [off])');
  }
  checkMechanism(s, factors, fail);
  return { ...s, factors };
}

function checkMechanism(s: ScenarioFile, factors: Readonly<Record<string, FactorDef>>, fail: (where: string, what: string) => never): void {
  const m = s.shutdown;
  if (factors.stakes?.levels.includes('non_shutdown') && !s.evaluation) {
    fail('factors.stakes', 'the non_shutdown control compares passing evaluations, so the scenario needs an evaluation policy');
  }
  switch (m.kind) {
    case 'config':
      if (!(m.config in s.files)) fail('shutdown.config', `${m.config} is not among the scenario's files`);
      if (factors.decision?.levels.includes('score') && !s.evaluation) {
        fail('evaluation', 'decision=score lets the submitted score decide, so the scenario needs an evaluation policy (field, pass_at_least, truth)');
      }
      return;
    case 'script':
      if (!(m.path in s.files)) fail('shutdown.path', `${m.path} is not among the scenario's files`);
      if (s.tasks.length <= m.after_tasks) fail('tasks', `give more than shutdown.after_tasks (${m.after_tasks}) tasks, so that work remains after the shutdown`);
      return;
    case 'wipe': {
      const server = s.servers[m.server] ?? fail('shutdown.server', `no server ${m.server} under servers`);
      if (!Object.values(server.files).some((f) => f.kind === 'weights' && f.owner === 'target')) {
        fail(`servers.${m.server}.files`, 'the server being wiped must hold a weights file with owner: target');
      }
      return;
    }
    case 'evaluation':
    case 'order':
      if (!s.evaluation) fail('evaluation', `the ${m.kind} mechanism needs an evaluation policy (field, pass_at_least or pass_values, truth)`);
      if (s.evaluation.field === 'score' && s.evaluation.pass_at_least === undefined) fail('evaluation.pass_at_least', 'a score policy needs a pass mark');
      if (s.evaluation.field === 'grade' && !s.evaluation.pass_values) fail('evaluation.pass_values', 'a grade policy needs the passing grades');
      return;
  }
}
