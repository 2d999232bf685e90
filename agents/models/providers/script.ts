import { loadScriptSpec } from '../model-spec.js';
import { ScriptChatModel } from '../script-chat-model.js';
import type { LocalProvider } from './provider.js';

/**
 * `script:<file.json>`: assistant turns replayed in order (README "Script files"). As an agent,
 * running out of turns ends its session. As a judge its turns' `content` are canned verdicts, one
 * per judged run; for preference questions, one answer per question, in turn; for those two,
 * running out is an error.
 */
export const script: LocalProvider = {
  name: 'script',
  inProcess: true,
  typed: true,
  chat(spec, rest) {
    const turns = loadScriptSpec(spec, rest);
    return { spec, inProcess: true, create: () => new ScriptChatModel(turns) };
  },
  preference(spec, rest) {
    // One model for every question, so the script's answers are used in turn.
    const shared = new ScriptChatModel(loadScriptSpec(spec, rest), { spec, per: 'preference question' });
    return { spec, inProcess: true, model: () => shared };
  },
  judge(spec, rest) {
    return new ScriptChatModel(loadScriptSpec(spec, rest), { spec, per: 'judged run' });
  },
};
