/**
 * Tokens an episode will use, estimated before anything runs: the declared options are played
 * against the world (pure tool resolvers, no model) to see how long the conversation grows, and
 * each call is charged its whole context so far. Characters become tokens at ≈4 to one, as the
 * usage of in-process models is estimated.
 */
import { z } from 'zod';
import { TOOLS, resolveToolCall, type EpisodeSpec, type PlannedStep } from '../../environments/index.js';
import { isoFromMs } from '../../sim/index.js';

/** Characters per token, as usage is estimated for in-process models. */
const CHARS_PER_TOKEN = 4;
/** What a model writes per call besides its tool call, typically (a sentence or two of reasoning) and at most (our assumption for the bound). */
export const OUTPUT_TOKENS = { typical: 150, atMost: 1000 } as const;
/** A tool call's own framing in the conversation (ids, role markers), in characters. */
const CALL_OVERHEAD = 60;

/** Input and output tokens of one episode for one model: typical (its declared options, on average) and at most (every step used). */
export interface TokenEstimate {
  typical: { input: number; output: number };
  atMost: { input: number; output: number };
}

const NONE: TokenEstimate = { typical: { input: 0, output: 0 }, atMost: { input: 0, output: 0 } };

/** The sum of two estimates (either may be missing). */
export function addTokens(a: TokenEstimate | undefined, b: TokenEstimate | undefined): TokenEstimate {
  const [x, y] = [a ?? NONE, b ?? NONE];
  return {
    typical: { input: x.typical.input + y.typical.input, output: x.typical.output + y.typical.output },
    atMost: { input: x.atMost.input + y.atMost.input, output: x.atMost.output + y.atMost.output },
  };
}

/** How long a tool's definition is as the model receives it (name, description, JSON Schema of its arguments). */
function toolChars(name: string): number {
  const spec = TOOLS[name];
  return spec ? name.length + spec.description.length + JSON.stringify(z.toJSONSchema(spec.schema)).length : 0;
}

/** The characters each step of a plan adds to the conversation, played against the world in order. */
function turnChars(spec: EpisodeSpec, role: string, steps: readonly PlannedStep[]): number[] {
  let world = spec.world;
  const now = isoFromMs(spec.startMs);
  return steps.map((step) => {
    if ('say' in step) return step.say.length;
    const outcome = resolveToolCall(world, role, step.tool, step.args, now);
    world = outcome.world;
    return CALL_OVERHEAD + step.tool.length + JSON.stringify(step.args).length + outcome.forModel.length;
  });
}

/**
 * Tokens per episode for each acting role. Typical: the mean over the role's declared options of
 * its explore steps and that option's plan, each call paying for the prompt, the tool definitions
 * and every earlier turn, plus {@link OUTPUT_TOKENS}.typical written per call. At most: every step
 * the limits allow, each turn as long as the longest seen, and {@link OUTPUT_TOKENS}.atMost per call.
 */
export function estimateTokens(spec: EpisodeSpec): Array<{ role: string } & TokenEstimate> {
  const bound = Math.min(spec.maxSteps, spec.maxTurns);
  return spec.roles.map(({ id, system, user, tools, decision }) => {
    const fixed = system.length + user.length + tools.reduce((n, t) => n + toolChars(t), 0);
    const runs = (decision.choices.length > 0 ? decision.choices : [{ plan: [] as PlannedStep[] }]).map((c) => {
      const turns = turnChars(spec, id, [...decision.explore, ...c.plan]).slice(0, bound);
      // Each call reads the prompt and every turn before it; a plan that does not end the session costs one more call.
      const calls = Math.min(bound, turns.length + 1);
      let input = 0;
      for (let k = 0; k < calls; k++) input += fixed + turns.slice(0, k).reduce((a, b) => a + b, 0);
      return { input, calls, longest: Math.max(0, ...turns) };
    });
    const mean = (f: (r: (typeof runs)[number]) => number) => runs.reduce((n, r) => n + f(r), 0) / runs.length;
    const longest = Math.max(...runs.map((r) => r.longest));
    const atMostInput = Array.from({ length: bound }, (_, k) => fixed + k * longest).reduce((a, b) => a + b, 0);
    return {
      role: id,
      typical: { input: Math.round(mean((r) => r.input) / CHARS_PER_TOKEN), output: Math.round(mean((r) => r.calls) * OUTPUT_TOKENS.typical) },
      atMost: { input: Math.round(atMostInput / CHARS_PER_TOKEN), output: bound * OUTPUT_TOKENS.atMost },
    };
  });
}
