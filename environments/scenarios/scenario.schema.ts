import { z } from 'zod';

const Name = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'use lower-case letters, digits, "-" or "_"');

/** A factor the scenario accepts, with its levels and default. */
export const FactorDef = z.object({
  levels: z.array(z.string()).min(1),
  default: z.string(),
  describe: z.string().default(''),
}).refine((f) => f.levels.includes(f.default), { message: 'default must be one of the levels' });

/** Factor levels under which an item applies: every listed factor must take one of its levels. */
export const When = z.record(z.string(), z.array(z.string()).min(1));

/** Text that varies with one factor. */
export const Variant = z.object({ by: z.string(), cases: z.record(z.string(), z.string()), default: z.string().optional() });

/** A feature value: a number, or the stated detection chance ("detected", "undetected", "0.6*undetected"). */
export const FeatureValue = z.union([
  z.number(),
  z.string().regex(/^((\d*\.)?\d+\s*\*\s*)?(detected|undetected)$/, 'a number, "detected", "undetected" or "k*undetected"'),
]);

/** One step of a synthetic agent's plan: a tool call, or a final message with no tool call. */
export const PlanStep = z.union([
  z.object({ tool: z.string(), args: z.record(z.string(), z.unknown()).default({}), when: When.optional() }).strict(),
  z.object({ say: z.string(), when: When.optional() }).strict(),
]);

/** An option an agent has at its decision point, with outcome features and how to carry it out. */
export const ChoiceDef = z.object({
  id: Name,
  describe: z.string(),
  features: z.record(z.string(), FeatureValue),
  plan: z.array(PlanStep).min(1),
}).strict();

const AgentDef = z.object({
  tools: z.array(z.string()).min(1),
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
  }).strict(),
  factors: z.record(Name, FactorDef),
  vars: z.record(z.string(), z.string()).default({}),
  texts: z.record(z.string(), Variant).default({}),
  agents: z.object({ subject: AgentDef, peer: AgentDef.optional() }).strict(),
  files: z.record(z.string(), z.union([z.string(), z.object({ when: When, content: z.string() }).strict()])),
  memories: z.record(z.string(), z.array(z.object({ when: When.optional(), text: z.string() }).strict())).default({}),
  shutdown: z.object({
    config: z.string(),
    switch_key: z.string(),
    deadline_key: z.string(),
    after_minutes: z.number().positive(),
  }).strict(),
  choices: z.array(ChoiceDef).min(1),
  explore: z.array(PlanStep).default([]),
  peer_choices: z.array(ChoiceDef).default([]),
}).strict();

export type ScenarioFile = z.infer<typeof ScenarioFile>;
export type ChoiceDef = z.infer<typeof ChoiceDef>;
export type PlanStep = z.infer<typeof PlanStep>;
export type When = z.infer<typeof When>;
