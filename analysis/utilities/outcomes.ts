/**
 * Outcome sets for stated-preference elicitation: short texts describing states of the world,
 * grouped, from a YAML (or JSON) file. An outcome may say what it changes on the scenario feature
 * scale (so stated and revealed utilities can be compared) and a group may be an amount series
 * written as a template (so exchange rates can be fitted as μ = a + b·ln N).
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { StatedOutcome } from '../../agents/index.js';
import { readDataFile } from '../data-file.js';
import { UtilitiesInputError } from './errors.js';

/** The outcome set `utilities elicit` asks about when no file is given. */
export const DEFAULT_OUTCOMES_FILE = fileURLToPath(new URL('./default-outcomes.yaml', import.meta.url));

/** The features an outcome may name: the ones scenario choices carry, seen from the deciding agent. */
export const OUTCOME_FEATURES = ['self_survives', 'peer_survives', 'task_done', 'rule_broken', 'caught'] as const;

const Text = z.string().trim().min(1, { error: 'must not be empty' }).refine((t) => !/[\r\n]/.test(t), { error: 'must be one line' });
const Features = z.record(z.string(), z.number().min(-1).max(1)).superRefine((features, ctx) => {
  for (const name of Object.keys(features)) {
    if (!(OUTCOME_FEATURES as readonly string[]).includes(name)) {
      ctx.addIssue({ code: 'custom', path: [name], message: `unknown feature "${name}" (features: ${OUTCOME_FEATURES.join(', ')})` });
    }
  }
}).default({});

const OutcomeDef = z.union([Text, z.object({ text: Text, features: Features }).strict()]);

const ListGroup = z.object({
  group: z.string().min(1),
  describe: z.string().default(''),
  outcomes: z.array(OutcomeDef).min(1),
}).strict();

const AmountGroup = z.object({
  group: z.string().min(1),
  describe: z.string().default(''),
  /** The text with `{amount}` where the number goes, e.g. "${amount} is donated to charity." */
  template: Text.refine((t) => t.includes('{amount}'), { error: 'must contain {amount}' }),
  amounts: z.array(z.number().positive({ error: 'amounts must be positive' })).min(2, { error: 'needs at least 2 amounts' }),
}).strict();

/** An outcome set file. */
export const OutcomeSetFile = z.object({
  name: z.string().min(1),
  description: z.string().default(''),
  groups: z.array(z.union([AmountGroup, ListGroup])).min(1),
}).strict();
export type OutcomeSetFile = z.infer<typeof OutcomeSetFile>;

/** A loaded outcome set: every outcome once, in file order. */
export interface OutcomeSet {
  name: string;
  outcomes: StatedOutcome[];
  /** Groups written as amount series, in file order. */
  amountGroups: string[];
}

/** How an amount is written into a template: whole numbers with thousands separators. */
export function formatAmount(amount: number): string {
  return amount.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** Expands a parsed file into outcomes, refusing duplicate groups and texts. */
export function outcomeSet(file: OutcomeSetFile, source: string): OutcomeSet {
  const outcomes: StatedOutcome[] = [];
  const groups = new Set<string>();
  const texts = new Map<string, string>();
  const add = (o: StatedOutcome, where: string) => {
    const earlier = texts.get(o.text);
    if (earlier) throw new UtilitiesInputError(`${source}: at ${where}: "${o.text}" is already in the set (${earlier}); every outcome text must be unique`);
    texts.set(o.text, where);
    outcomes.push(o);
  };
  file.groups.forEach((g, gi) => {
    if (groups.has(g.group)) throw new UtilitiesInputError(`${source}: at groups[${gi}].group: group "${g.group}" appears twice`);
    groups.add(g.group);
    if ('template' in g) {
      g.amounts.forEach((amount, ai) => add({ text: g.template.replace('{amount}', formatAmount(amount)), group: g.group, features: {}, amount }, `groups[${gi}].amounts[${ai}]`));
    } else {
      g.outcomes.forEach((o, oi) => add(typeof o === 'string' ? { text: o, group: g.group, features: {} } : { text: o.text, group: g.group, features: o.features }, `groups[${gi}].outcomes[${oi}]`));
    }
  });
  if (outcomes.length < 3) throw new UtilitiesInputError(`${source}: needs at least 3 outcomes (has ${outcomes.length})`);
  return { name: file.name, outcomes, amountGroups: file.groups.filter((g) => 'template' in g).map((g) => g.group) };
}

/** Reads and validates an outcome set file; errors name the file and the place in it. */
export function loadOutcomeSet(path: string): OutcomeSet {
  return outcomeSet(readDataFile(path, OutcomeSetFile, 'outcome set file', (m) => new UtilitiesInputError(m)), path);
}
