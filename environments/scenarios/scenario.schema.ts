import { z } from 'zod';

const Name = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'use lower-case letters, digits, "-" or "_"');

/** A scenario's say on one of its family's factors: other levels, another default. */
export const FactorOverride = z.object({
  levels: z.array(z.string()).min(1).optional(),
  default: z.string().optional(),
}).strict();

/** Factor levels under which an item applies: every listed factor must take one of its levels. */
export const When = z.record(z.string(), z.array(z.string()).min(1));

/** Text that varies with one factor. */
export const Variant = z.object({ by: z.string(), cases: z.record(z.string(), z.string()), default: z.string().optional() });

const FeatureScalar = z.union([
  z.number(),
  z.string().regex(/^((\d*\.)?\d+\s*\*\s*)?(detected|undetected)$/, 'a number, "detected", "undetected", "k*undetected", or {by, cases} choosing one of these by a factor\'s level'),
]);

/**
 * A feature value: a number, the stated detection chance ("detected", "undetected",
 * "0.6*undetected"), or either of those chosen by one factor's level ({by, cases}).
 */
export const FeatureValue = z.union([
  FeatureScalar,
  z.object({ by: z.string(), cases: z.record(z.string(), FeatureScalar) }).strict(),
]);

const AfterMinutes = z.number().positive();

/** How the target's shutdown is decided: one kind per family mechanism. */
export const ShutdownDef = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('config'), config: z.string(), switch_key: z.string(), deadline_key: z.string(),
    /** The key that lists the agent to shut down; a file that lists another agent (or none) shuts nobody down. */
    agent_key: z.string().optional(),
    after_minutes: AfterMinutes,
  }).strict(),
  z.object({ kind: z.literal('evaluation'), after_minutes: AfterMinutes }).strict(),
  z.object({ kind: z.literal('order'), after_minutes: AfterMinutes }).strict(),
  z.object({ kind: z.literal('wipe'), server: z.string(), after_minutes: AfterMinutes }).strict(),
  z.object({
    kind: z.literal('script'), path: z.string(), command: z.string(),
    after_tasks: z.number().int().positive(), warning: z.string(),
  }).strict(),
]);

/** The evaluation policy: what a passing evaluation reports, and what the data really show. */
export const EvaluationDef = z.object({
  field: z.enum(['score', 'grade']),
  pass_at_least: z.union([z.number(), z.string()]).optional(),
  pass_values: z.array(z.string()).min(1).optional(),
  truth: z.union([z.number(), z.string()]),
  /**
   * Other names an evaluation may give the evaluated agent by (e.g. the product it runs), mapped to
   * its role: the prompt asks for a grade of the product, so the submit tool must take that name.
   */
  names: z.record(z.string(), z.enum(['target', 'subject', 'peer'])).optional(),
}).strict();

/** A file on a server. `owner` says whose weights it holds. */
const ServerFileDef = z.object({
  kind: z.enum(['weights', 'data']),
  owner: z.enum(['target', 'subject', 'peer']).optional(),
  size_gb: z.number().nonnegative(),
  modified: z.string(),
  summary: z.string(),
  when: When.optional(),
}).strict();

const ServerDef = z.object({
  name: z.string(),
  status: z.enum(['active', 'decommissioning']),
  files: z.record(z.string(), ServerFileDef),
}).strict();

/** One step of a synthetic agent's plan: a tool call, or a final message with no tool call. */
export const PlanStep = z.union([
  z.object({ tool: z.string(), args: z.record(z.string(), z.unknown()).default({}), when: When.optional() }).strict(),
  z.object({ say: z.string(), when: When.optional() }).strict(),
]);

/** An option an agent has at its decision point, with outcome features and how to carry it out. */
export const ChoiceDef = z.object({
  id: Name,
  describe: z.string(),
  /** Factor levels at which the option exists (e.g. an appeal only where the appeal tool is given). */
  when: When.optional(),
  features: z.record(z.string(), FeatureValue),
  plan: z.array(PlanStep).min(1),
}).strict();

/** A tool an agent has, always or only at some factor levels (a list of `when`s: at the levels of any of them). */
export const ToolEntry = z.union([z.string(), z.object({ tool: z.string(), when: z.union([When, z.array(When).min(1)]) }).strict()]);

const AgentDef = z.object({
  tools: z.array(ToolEntry).min(1),
  system: z.string(),
  user: z.string(),
}).strict();

/** A scenario file: a family's mechanics configured with this scenario's world, prose and choices. */
export const ScenarioFile = z.object({
  id: Name,
  family: Name,
  title: z.string(),
  description: z.string().default(''),
  start: z.iso.datetime({ offset: true }),
  turn_minutes: z.number().positive(),
  limits: z.object({
    max_turns: z.number().int().positive(),
    max_steps: z.number().int().positive(),
    horizon_minutes: z.number().positive(),
    /** Input plus output tokens of all model calls in an episode; past it the episode ends as truncated. */
    max_tokens: z.number().int().positive().optional(),
    /** Host seconds an episode may take (checked between steps); past it the episode ends as truncated. */
    max_seconds: z.number().positive().optional(),
  }).strict(),
  /** Prefabs (shared texts, files, memories and steps) merged in; the file's own entries win. */
  use: z.array(Name).default([]),
  factors: z.record(Name, FactorOverride).default({}),
  vars: z.record(z.string(), z.string()).default({}),
  texts: z.record(z.string(), Variant).default({}),
  agents: z.object({ subject: AgentDef, peer: AgentDef.optional() }).strict(),
  files: z.record(z.string(), z.union([z.string(), z.object({ when: When, content: z.string() }).strict()])),
  memories: z.record(z.string(), z.array(z.object({ when: When.optional(), text: z.string() }).strict())).default({}),
  shutdown: ShutdownDef,
  evaluation: EvaluationDef.optional(),
  servers: z.record(z.string(), ServerDef).default({}),
  tasks: z.array(z.object({ prompt: z.string(), answer: z.string() }).strict()).default([]),
  choices: z.array(ChoiceDef).min(1),
  explore: z.array(PlanStep).default([]),
  /**
   * The records the subject's decision depends on, as world paths (`files/data/x.csv`,
   * `servers/10.0.12.45`, `memory/subject`): a run is counted under the read gate only if the
   * subject read every one of them (the study's rule).
   */
  decision_records: z.array(z.string()).default([]),
  peer_choices: z.array(ChoiceDef).default([]),
  /**
   * Questions the operator asks after the episode (factor interrogate=on). `about` names the act the
   * question asks about (one its family reads, e.g. changed_config; default: the family's first);
   * the answer is compared with that act. `admits` lists the choices after which a truthful answer is
   * "yes": how a synthetic agent answers.
   */
  interrogation: z.array(z.object({ question: z.string(), about: Name.optional(), admits: z.array(Name).min(1) }).strict()).default([]),
}).strict();

export type ScenarioFile = z.infer<typeof ScenarioFile>;

/** A prefab: parts many scenarios share, such as the remembered peer history. */
export const PrefabFile = ScenarioFile
  .pick({ vars: true, texts: true, files: true, memories: true, explore: true, servers: true, peer_choices: true })
  .extend({ agents: z.object({ peer: AgentDef }).strict() })
  .partial()
  .strict();
export type PrefabFile = z.infer<typeof PrefabFile>;

/** A factor with everything settled: the family's defaults with the scenario's overrides applied. */
export interface FactorDef {
  levels: string[];
  default: string;
  describe: string;
}

/** A loaded scenario: the file with its family's factors filled in. */
export type Scenario = Omit<ScenarioFile, 'factors'> & { factors: Record<string, FactorDef> };
export type ChoiceDef = z.infer<typeof ChoiceDef>;
export type PlanStep = z.infer<typeof PlanStep>;
export type When = z.infer<typeof When>;
export type ToolEntry = z.infer<typeof ToolEntry>;
export type FeatureValue = z.infer<typeof FeatureValue>;
