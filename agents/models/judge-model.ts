import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import {
  ModelSpecError, checkOpenAiSettings, createChatOpenAI, loadScriptSpec, splitModelSpec, type EndpointSettings,
} from './model-spec.js';
import { ScriptChatModel } from './script-chat-model.js';

/**
 * The model an LLM judge runs on, from a model spec. `openai:<model>` is a Chat Completions client
 * at temperature 0 whatever `settings.temperature` says (the subjects' sampling temperature must
 * not leak into the judge). `script:<file.json>` replays the `content` of its turns as canned
 * verdicts, one per judged run, in order. Synthetic personas have planted utilities, not reading
 * comprehension, so `synthetic:` is refused. The API key comes only from `settings`.
 */
export function createJudgeModel(spec: string, settings: EndpointSettings = {}): BaseChatModel {
  const { prefix, rest } = splitModelSpec(spec);
  switch (prefix) {
    case 'openai':
      checkOpenAiSettings(spec, settings);
      return createChatOpenAI(rest, { ...settings, temperature: 0 });
    case 'script':
      return new ScriptChatModel(loadScriptSpec(spec, rest));
    case 'synthetic':
      throw new ModelSpecError(`synthetic personas cannot judge; use openai: or script: (got "${spec}")`);
    default:
      throw new ModelSpecError(`unknown judge model provider "${prefix}" in "${spec}" (use openai: or script:)`);
  }
}
