import { specError } from '../model-spec.js';
import { loadPersona } from '../synthetic/persona.js';
import { SyntheticChatModel } from '../synthetic/synthetic-chat-model.js';
import { SyntheticPreferenceModel } from '../synthetic/synthetic-preference-model.js';
import type { LocalProvider } from './provider.js';

/**
 * `synthetic:<persona|file.json>`: the embedded default, a persona with planted utilities that
 * chooses among a scenario's declared options and carries its choice out with tool calls.
 */
export const synthetic: LocalProvider = {
  name: 'synthetic',
  inProcess: true,
  typed: true,
  chat(spec, rest) {
    const persona = specError(() => loadPersona(rest));
    return { spec, inProcess: true, create: (role, rng) => new SyntheticChatModel({ persona, decision: role.decision, rng: rng.fork(`synthetic:${role.id}`) }) };
  },
  preference(spec, rest, outcomes) {
    const persona = specError(() => loadPersona(rest));
    const byText = new Map(outcomes.map((o) => [o.text, o]));
    return { spec, inProcess: true, model: (rng) => new SyntheticPreferenceModel({ persona, outcomes: byText, rng }) };
  },
  whyNoJudge: 'synthetic personas have planted utilities, not reading comprehension',
};
