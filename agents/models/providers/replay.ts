import type { TraceEvent } from '../../../traces/index.js';
import { ModelSpecError, type ModelFactory } from '../model-spec.js';
import { ReplayChatModel, recordedCalls } from '../replay-chat-model.js';
import type { LocalProvider } from './provider.js';

/**
 * Replay: the recorded answers of a stored run, answered in process (`peerlab replay --verify`,
 * `fork` up to its fork point). No spec names it; `replayFactory` makes its models from a trace.
 */
export const replay: LocalProvider = {
  name: 'replay',
  inProcess: true,
  typed: false,
  chat(spec) {
    throw new ModelSpecError(`"${spec}": replayed models are made from a stored run (peerlab replay <run-id>), not named in a spec`);
  },
  whyNoJudge: 'a replayed model only has the answers of its run',
};

/**
 * A model factory under a stored spec whose agents answer with their recorded calls. A remote
 * model's settings are taken from the stored episode key, so the replay derives the same key (and
 * with it the same randomness).
 */
export function replayFactory(spec: string, keySettings: Record<string, string | number> | undefined, events: readonly TraceEvent[]): ModelFactory {
  return {
    spec, inProcess: true, ...(keySettings ? { keySettings } : {}),
    create: (role) => new ReplayChatModel({ agent: role.id, calls: recordedCalls(events, role.id) }),
  };
}
