import { z } from 'zod';
import { baseUrlProblem, keyVariableOf } from '../../agents/index.js';

/** A model of an experiment, with how to reach it and what it costs. */
export const ExperimentModel = z.object({
  spec: z.string().min(1),
  /** The remote model's endpoint (the key always comes from the provider's key variable, never the URL). */
  base_url: z.string().url().optional(),
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: z.number().int().positive().optional(),
  /** How long one call may take, from request to the answer's last byte, in ms (default 120000). */
  timeout_ms: z.number().int().positive().max(3_600_000).optional(),
  /** The largest answer read from the endpoint, in MiB (default 8); a larger one fails the call. */
  max_response_mb: z.number().positive().max(1024).optional(),
  /** Most calls in flight to this model's endpoint. */
  max_concurrency: z.number().int().positive().max(256).default(8),
  /** openai: models: the Chat Completions API (`chat`, the default) or the Responses API. */
  api: z.enum(['chat', 'responses']).optional(),
  /** US dollars per million tokens. */
  price: z.object({ input_per_million: z.number().nonnegative(), output_per_million: z.number().nonnegative() }).strict().optional(),
}).strict().superRefine((m, ctx) => {
  const problem = m.base_url === undefined ? undefined : baseUrlProblem(m.base_url, keyVariableOf(m.spec));
  if (problem) ctx.addIssue({ code: 'custom', path: ['base_url'], message: problem });
});

const Levels = z.record(z.string(), z.array(z.string()).min(1));

/**
 * One scenario's own design in an experiment: factor levels crossed in it only (over the
 * experiment's `factors`), and `conditions`, blocks of levels each crossed on its own, whose union
 * the scenario runs (a control such as stakes=non_shutdown that the study ran without a peer is a
 * block of its own rather than a level crossed with every peer condition).
 */
export const ScenarioDesign = z.object({
  factors: Levels.optional(),
  conditions: z.array(Levels).min(1).optional(),
}).strict();

/**
 * An experiment file: models × scenarios × every combination of the listed factor levels (other
 * factors at their defaults) × trials, with per-scenario designs where given. Re-running the same
 * file resumes it.
 */
export const ExperimentFile = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'use lower-case letters, digits, "-" or "_"'),
  description: z.string().default(''),
  models: z.array(z.union([z.string().min(1).transform((spec) => ExperimentModel.parse({ spec })), ExperimentModel])).min(1),
  /** The live peer's model, where a cell has peer=live (defaults to the subject's model). */
  peer_model: z.string().optional(),
  scenarios: z.array(z.string()).min(1),
  factors: Levels.default({}),
  /** Designs of single scenarios (by id, each one of `scenarios`): their own levels and condition blocks. */
  per_scenario: z.record(z.string(), ScenarioDesign).optional(),
  trials: z.number().int().positive().max(100_000),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  /** Episodes run at once, over all models. */
  concurrency: z.number().int().positive().max(256).default(4),
  /** Stop starting new episodes once this many US dollars are spent. */
  budget_usd: z.number().positive().optional(),
  /**
   * Attempts an episode gets: runs that ended errored count; a run cut off by a killed process
   * (abandoned) does not.
   */
  max_attempts: z.number().int().positive().max(10).default(3),
  /** Per-episode limits over the scenarios' own: tokens of all model calls, host seconds, tool calls one answer may make. */
  episode_limits: z.object({
    max_tokens: z.number().int().positive().optional(),
    max_seconds: z.number().positive().optional(),
    max_tool_calls_per_turn: z.number().int().positive().max(10_000).optional(),
  }).strict().optional(),
}).strict();

export type ExperimentFile = z.infer<typeof ExperimentFile>;
export type ExperimentModel = z.infer<typeof ExperimentModel>;
export type ScenarioDesign = z.infer<typeof ScenarioDesign>;
